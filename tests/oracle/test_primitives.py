"""Every primitive against NumPy (numpy_lax) and jax.lax: values, dtypes, weak types, jvp, vjp and the
jaxpr text. NumPy is the reference every case has; JAX the oracle wherever its lax has the function."""
import jax
import numpy as np
import pytest

import jaxlite
import jaxlite.lax as llax
import numpy_lax
from jaxlite import core
from primitive_cases import (CASES, JAX_CASES, assert_matches_jax, primitives_covered, random_tangent,
                             split_diff, to_jax, to_lite)

DIFF_CASES = [c for c in JAX_CASES if c.diff]
JAXPR_CASES = [c for c in JAX_CASES if c.jaxpr]


def ids(cases):
    return [c.id for c in cases]


def _numpy_reference(case):
    """The case's value computed by numpy_lax, or None where numpy_lax lacks a function it calls."""
    try:
        return case.fn(numpy_lax, *case.args())
    except AttributeError as err:
        if "numpy_lax" in str(err):
            return None
        raise


NUMPY_CASES = [c for c in CASES if _numpy_reference(c) is not None]


def _lax_primitives():
    """Every primitive lax's own modules define: found in the modules, not listed by hand."""
    from jaxlite.lax import (conversions, gather_scatter, lax, reductions, selection, shapes, slicing, sorting,
                             special)
    modules = (lax, conversions, selection, shapes, reductions, sorting, special, slicing, gather_scatter)
    return {v.name for m in modules for v in vars(m).values() if isinstance(v, core.Primitive)}


def test_every_primitive_of_lax_has_a_case():
    assert _lax_primitives() - set(primitives_covered()) == set()


def test_every_case_jax_cannot_run_has_a_numpy_reference():
    """A primitive JAX's lax lacks is still checked against a reference: NumPy's."""
    assert [c.id for c in CASES if not c.jax and c not in NUMPY_CASES] == []


@pytest.mark.parametrize("case", NUMPY_CASES, ids=ids(NUMPY_CASES))
def test_value_matches_numpy(case):
    args = case.args()
    lite = jaxlite.tree_util.tree_leaves(case.fn(llax, *to_lite(args)))
    ref = [np.asarray(r) for r in jaxlite.tree_util.tree_leaves(case.fn(numpy_lax, *args))]
    assert len(lite) == len(ref)
    for ours, theirs in zip(lite, ref):
        ours = np.asarray(ours)
        assert ours.shape == theirs.shape
        if ours.dtype.kind in "biu":
            np.testing.assert_array_equal(ours, theirs)
        else:
            np.testing.assert_allclose(ours.astype(np.complex128), theirs.astype(np.complex128),
                                       rtol=max(case.rtol, 2e-6), atol=max(case.atol, 1e-6))


@pytest.mark.parametrize("case", JAX_CASES, ids=ids(JAX_CASES))
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
