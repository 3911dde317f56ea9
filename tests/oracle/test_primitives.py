"""Every primitive against jax.lax: values, dtypes, weak types, jvp, vjp and the jaxpr text."""
import jax
import numpy as np
import pytest

import jaxlite
import jaxlite.lax as llax
from primitive_cases import (CASES, assert_matches_jax, primitives_covered, random_tangent, split_diff, to_jax,
                             to_lite)

DIFF_CASES = [c for c in CASES if c.diff]
JAXPR_CASES = [c for c in CASES if c.jaxpr]


def ids(cases):
    return [c.id for c in cases]


def test_every_listed_primitive_has_cases():
    expected = {
        "add", "sub", "mul", "div", "neg", "integer_pow", "pow", "exp", "log", "log1p", "expm1", "sin",
        "cos", "tan", "tanh", "sinh", "cosh", "asin", "acos", "atan", "atan2", "sqrt", "rsqrt", "abs",
        "sign", "max", "min", "logistic", "erf", "erf_inv", "eq", "ne", "lt", "le", "gt", "ge",
        "select_n", "convert_element_type", "broadcast_in_dim", "reshape", "transpose", "squeeze",
        "reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "argmax", "argmin", "dot_general",
        "concatenate", "pad", "slice", "dynamic_slice", "dynamic_update_slice", "gather", "scatter-add",
        "scatter", "scatter-mul", "scatter-min", "scatter-max", "cumsum", "cumprod", "cummax", "cummin",
        "sort", "rev", "clamp", "iota", "stop_gradient", "rem", "floor", "ceil", "round", "is_finite",
        "square", "bitwise_and", "bitwise_or", "bitwise_xor", "not", "shift_left", "shift_right_logical",
        "shift_right_arithmetic", "population_count", "real", "imag", "conj", "complex"}
    assert expected <= set(primitives_covered())


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_value_dtype_and_weak_type_match_jax(case):
    args = case.args()
    assert_matches_jax(case.fn(llax, *to_lite(args)), case.fn(jax.lax, *to_jax(args)), case.rtol, case.atol)


@pytest.mark.parametrize("case", DIFF_CASES, ids=ids(DIFF_CASES))
def test_jvp_matches_jax(case):
    args = case.args()
    bind, primals = split_diff(case, args)
    tangents = [random_tangent(np.random.default_rng(1), p) for p in primals]
    lite = jaxlite.jvp(bind(llax), to_lite(primals), to_lite(tangents))
    ref = jax.jvp(bind(jax.lax), to_jax(primals), to_jax(tangents))
    assert_matches_jax(lite, ref, max(case.rtol, 1e-5), 1e-5, weak_type=False)


@pytest.mark.parametrize("case", DIFF_CASES, ids=ids(DIFF_CASES))
def test_vjp_matches_jax(case):
    args = case.args()
    bind, primals = split_diff(case, args)
    lite_out, lite_vjp = jaxlite.vjp(bind(llax), *to_lite(primals))
    ref_out, ref_vjp = jax.vjp(bind(jax.lax), *to_jax(primals))
    rng = np.random.default_rng(2)
    cts = jax.tree_util.tree_map(lambda o: rng.normal(size=np.shape(o)).astype(np.asarray(o).dtype), ref_out)
    lite_cts = lite_vjp(jaxlite.tree_util.tree_map(jaxlite.numpy.asarray, cts))
    assert_matches_jax((lite_out, lite_cts), (ref_out, ref_vjp(cts)), max(case.rtol, 1e-5), 1e-5,
                       weak_type=False)


@pytest.mark.parametrize("case", JAXPR_CASES, ids=ids(JAXPR_CASES))
def test_jaxpr_text_matches_jax(case):
    args = case.args()
    lite = jaxlite.make_jaxpr(lambda *a: case.fn(llax, *a))(*to_lite(args))
    ref = jax.make_jaxpr(lambda *a: case.fn(jax.lax, *a))(*to_jax(args))
    assert str(lite) == str(ref)
