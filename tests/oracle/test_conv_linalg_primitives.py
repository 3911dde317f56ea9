"""conv_general_dilated and the linalg primitives against jax.lax: values, dtypes, weak types, jvp,
vjp, jaxpr text, vmap over every operand combination, and jit on both backends."""
import jax
import numpy as np
import pytest

import jaxlite
import jaxlite.lax as llax
from conv_linalg_cases import CONV_CASES, LINALG_CASES
from primitive_cases import assert_matches_jax, split_diff, to_jax, to_lite

CASES = CONV_CASES + LINALG_CASES
DIFF_CASES = [c for c in CASES if c.diff]
BATCH = 3


def ids(cases):
    return [c.id for c in cases]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_value_dtype_and_weak_type_match_jax(case):
    args = case.args()
    assert_matches_jax(case.fn(llax, *to_lite(args)), case.fn(jax.lax, *to_jax(args)), case.rtol, case.atol)


@pytest.mark.parametrize("case", DIFF_CASES, ids=ids(DIFF_CASES))
def test_jvp_matches_jax(case):
    args = case.args()
    bind, primals = split_diff(case, args)
    tangents = [np.random.default_rng(1).normal(size=np.shape(p)).astype(np.float32) for p in primals]
    lite = jaxlite.jvp(bind(llax), to_lite(primals), to_lite(tangents))
    ref = jax.jvp(bind(jax.lax), to_jax(primals), to_jax(tangents))
    assert_matches_jax(lite, ref, max(case.rtol, 2e-4), 2e-4, weak_type=False)


@pytest.mark.parametrize("case", DIFF_CASES, ids=ids(DIFF_CASES))
def test_vjp_matches_jax(case):
    args = case.args()
    bind, primals = split_diff(case, args)
    lite_out, lite_vjp = jaxlite.vjp(bind(llax), *to_lite(primals))
    ref_out, ref_vjp = jax.vjp(bind(jax.lax), *to_jax(primals))
    rng = np.random.default_rng(2)
    cts = jax.tree_util.tree_map(lambda o: rng.normal(size=np.shape(o)).astype(np.asarray(o).dtype)
                                 if np.asarray(o).dtype.kind == "f" else np.zeros(np.shape(o), jax.dtypes.float0),
                                 ref_out)
    lite_cts = lite_vjp(jaxlite.tree_util.tree_map(
        lambda c: jaxlite.numpy.asarray(c) if c.dtype != jax.dtypes.float0 else np.zeros(c.shape, jaxlite.dtypes.float0),
        cts))
    assert_matches_jax((lite_out, lite_cts), (ref_out, ref_vjp(cts)), max(case.rtol, 2e-4), 2e-4,
                       weak_type=False)


def _primitive_only(case):
    """The jaxpr of the lax call itself (the sign normalisation of eigh and svd is left out)."""
    return not case.id.startswith(("eigh", "svd-reduced", "svd-full"))


JAXPR_CASES = [c for c in CASES if _primitive_only(c)]


@pytest.mark.parametrize("case", JAXPR_CASES, ids=ids(JAXPR_CASES))
def test_jaxpr_text_matches_jax(case):
    args = case.args()
    lite = jaxlite.make_jaxpr(lambda *a: case.fn(llax, *a))(*to_lite(args))
    ref = jax.make_jaxpr(lambda *a: case.fn(jax.lax, *a))(*to_jax(args))
    assert str(lite) == str(ref)


def _in_axes_variants(n_args):
    """Every operand batched; then each operand alone batched (the others shared), at the last axis."""
    variants = [(0,) * n_args]
    if n_args > 1:
        variants += [tuple(-1 if i == k else None for i in range(n_args)) for k in range(n_args)]
    else:
        variants.append((-1,))
    return variants


VMAP_CASES = [(c, axes) for c in CASES for axes in _in_axes_variants(len(c.args()))]


@pytest.mark.parametrize("case,in_axes", VMAP_CASES,
                         ids=[f"{c.id}-{'-'.join(map(str, a))}" for c, a in VMAP_CASES])
def test_vmap_matches_jax(case, in_axes):
    draws = [case.args(seed=10 + k) for k in range(BATCH)]
    args = [draws[0][k] if ax is None else np.stack([d[k] for d in draws], axis=ax)
            for k, ax in enumerate(in_axes)]
    lite = jaxlite.vmap(lambda *a: case.fn(llax, *a), in_axes)(*to_lite(args))
    ref = jax.vmap(lambda *a: case.fn(jax.lax, *a), in_axes)(*to_jax(args))
    assert_matches_jax(lite, ref, case.rtol, case.atol)


@pytest.mark.parametrize("case", DIFF_CASES, ids=ids(DIFF_CASES))
def test_vmap_of_grad_matches_jax(case):
    """Per-example gradients: the batching rules of the primitives the derivative rules emit."""
    k = case.diff[0]
    draws = [case.args(seed=20 + j) for j in range(BATCH)]
    args = [np.stack([d[i] for d in draws]) if i == k else draws[0][i] for i in range(len(draws[0]))]
    in_axes = tuple(0 if i == k else None for i in range(len(args)))

    def loss(lax, *a):
        leaves = jax.tree_util.tree_leaves(case.fn(lax, *a))
        jnp = jax.numpy if lax is jax.lax else jaxlite.numpy
        return sum(jnp.sum(o * o) for o in leaves if o.dtype.kind == "f")
    lite = jaxlite.vmap(jaxlite.grad(lambda *a: loss(llax, *a), argnums=k), in_axes)(*to_lite(args))
    ref = jax.vmap(jax.grad(lambda *a: loss(jax.lax, *a), argnums=k), in_axes)(*to_jax(args))
    assert_matches_jax(lite, ref, max(case.rtol, 1e-3), 1e-3, weak_type=False)


def _sign_free(case, out):
    """jit on XLA may pick other signs for singular vectors than NumPy's LAPACK: compare what
    does not depend on them."""
    if case.prim not in ("eigh", "svd"):
        return out
    return jaxlite.tree_util.tree_map(jaxlite.numpy.abs, out)


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_jit_matches_eager(case, backend):
    args = to_lite(case.args())
    f = lambda *a: case.fn(llax, *a)
    assert_matches_jax(_sign_free(case, jaxlite.jit(f, backend=backend)(*args)), _sign_free(case, f(*args)),
                       case.rtol, max(case.atol, 1e-5))


# lu's jvp (and so the complete QR's, which solves with lu) permutes rows with a gather; jit of
# gathers is tested with the gather primitive's own cases.
JIT_GRAD_CASES = [c for c in DIFF_CASES if not c.id.startswith(("lu", "qr-complete-tall"))]


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("case", JIT_GRAD_CASES, ids=ids(JIT_GRAD_CASES))
def test_jit_of_grad_matches_eager(case, backend):
    args = to_lite(case.args())
    k = case.diff[0]

    def loss(*a):
        return sum(jaxlite.numpy.sum(o * o) for o in jaxlite.tree_util.tree_leaves(case.fn(llax, *a))
                   if o.dtype.kind == "f")
    g = jaxlite.grad(loss, argnums=k)
    assert_matches_jax(jaxlite.jit(g, backend=backend)(*args), g(*args), 1e-3, 1e-4)


# ----------------------------------------------------------------------------------------------
# Errors and helpers

def test_conv_dimension_numbers_from_layout_strings():
    lite = llax.conv_dimension_numbers((2, 8, 8, 3), (3, 3, 3, 16), ("NHWC", "HWIO", "NHWC"))
    ref = jax.lax.conv_dimension_numbers((2, 8, 8, 3), (3, 3, 3, 16), ("NHWC", "HWIO", "NHWC"))
    assert type(lite).__name__ == "ConvDimensionNumbers"
    assert tuple(lite) == tuple(ref) == ((0, 3, 1, 2), (3, 2, 0, 1), (0, 3, 1, 2))


def test_conv_dimension_numbers_default_is_the_identity_layout():
    assert tuple(llax.conv_dimension_numbers((1, 2, 3), (4, 2, 1), None)) == \
        tuple(jax.lax.conv_dimension_numbers((1, 2, 3), (4, 2, 1), None))


def test_padtype_to_pads_matches_jax():
    for padding in ("SAME", "SAME_LOWER", "VALID"):
        assert llax.padtype_to_pads((7, 6), (3, 2), (2, 1), padding) == \
            [tuple(p) for p in jax.lax.padtype_to_pads((7, 6), (3, 2), (2, 1), padding)]


def _error(f, lax):
    with pytest.raises(Exception) as info:
        f(lax)
    return type(info.value), str(info.value).split("\n")[0]


CONV_ERRORS = {
    "rank-mismatch": lambda lax: lax.conv_general_dilated(np.ones((1, 2, 3), np.float32),
                                                         np.ones((1, 2, 3, 3), np.float32), (1, 1), "SAME"),
    "feature-mismatch": lambda lax: lax.conv_general_dilated(np.ones((1, 2, 5, 5), np.float32),
                                                            np.ones((3, 4, 2, 2), np.float32), (1, 1), "SAME"),
    "groups-do-not-divide": lambda lax: lax.conv_general_dilated(
        np.ones((1, 3, 5, 5), np.float32), np.ones((4, 1, 2, 2), np.float32), (1, 1), "SAME",
        feature_group_count=2),
    "bad-layout-string": lambda lax: lax.conv_general_dilated(
        np.ones((1, 3, 5, 5), np.float32), np.ones((4, 3, 2, 2), np.float32), (1, 1), "SAME",
        dimension_numbers=("NCHW", "OIHX", "NCHW")),
    "bad-padding-string": lambda lax: lax.conv_general_dilated(
        np.ones((1, 3, 5, 5), np.float32), np.ones((4, 3, 2, 2), np.float32), (1, 1), "FULL"),
    "mixed-dtypes": lambda lax: lax.conv_general_dilated(
        np.ones((1, 3, 5, 5), np.float32), np.ones((4, 3, 2, 2), np.float16), (1, 1), "SAME"),
    "string-padding-with-lhs-dilation": lambda lax: lax.conv_general_dilated(
        np.ones((1, 3, 5, 5), np.float32), np.ones((4, 3, 2, 2), np.float32), (1, 1), "SAME",
        lhs_dilation=(2, 2)),
}


@pytest.mark.parametrize("name", CONV_ERRORS)
def test_conv_errors_match_jax(name):
    assert _error(CONV_ERRORS[name], llax) == _error(CONV_ERRORS[name], jax.lax)


LINALG_ERRORS = {
    "cholesky-not-square": lambda lax: lax.linalg.cholesky(np.ones((2, 3), np.float32), symmetrize_input=False),
    "svd-of-a-vector": lambda lax: lax.linalg.svd(np.ones(3, np.float32)),
    "triangular-solve-shapes": lambda lax: lax.linalg.triangular_solve(
        np.eye(3, dtype=np.float32), np.ones((3, 2), np.float32), left_side=False),
    "eigh-not-square": lambda lax: lax.linalg.eigh(np.ones((2, 3), np.float32), symmetrize_input=False),
    "lu-of-integers": lambda lax: lax.linalg.lu(np.ones((2, 2), np.int32)),
}


@pytest.mark.parametrize("name", LINALG_ERRORS)
def test_linalg_errors_match_jax(name):
    assert _error(LINALG_ERRORS[name], llax) == _error(LINALG_ERRORS[name], jax.lax)


def test_cholesky_of_an_indefinite_matrix_is_nan_as_in_jax():
    x = np.array([[1.0, 2.0], [2.0, 1.0]], np.float32)
    assert np.isnan(np.asarray(llax.linalg.cholesky(x))[1, 1])
    assert np.isnan(np.asarray(jax.lax.linalg.cholesky(x))[1, 1])


def test_triangular_solve_with_a_zero_on_the_diagonal_gives_infinities():
    a = np.array([[1.0, 0.0], [3.0, 0.0]], np.float32)
    b = np.array([[1.0], [1.0]], np.float32)
    lite = np.asarray(llax.linalg.triangular_solve(a, b, left_side=True, lower=True))
    ref = np.asarray(jax.lax.linalg.triangular_solve(a, b, left_side=True, lower=True))
    np.testing.assert_array_equal(np.isfinite(lite), np.isfinite(ref))
    assert lite[0, 0] == ref[0, 0] == 1.0
