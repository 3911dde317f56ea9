"""jnp.linalg and jax.scipy.linalg against JAX: values, dtypes, weak types, gradients, vmap, jit,
errors; gradients also against central differences in float64.

Eigenvectors and singular vectors are defined only up to sign, and NumPy's LAPACK and XLA's may
pick differently: cases returning them normalise each vector's sign first (largest entry
positive), or compare what does not depend on the sign (reconstructions, projectors).
"""
import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from . import tables

assert_matches = tables.assert_matches


def rng(*key):
    return tables.seeded_rng(7, key, 0)


def spd(n, *batch, seed=0):
    r = rng(n, seed, *batch)
    q, _ = np.linalg.qr(r.normal(size=batch + (n, n)))
    w = np.arange(1, n + 1) * 1.5 + r.uniform(0, 0.5, size=batch + (n,))
    return ((q * w[..., None, :]) @ np.swapaxes(q, -1, -2)).astype(np.float32)


def general(m, n, *batch, seed=0):
    r = rng(m, n, seed, *batch)
    u, _ = np.linalg.qr(r.normal(size=batch + (m, m)))
    v, _ = np.linalg.qr(r.normal(size=batch + (n, n)))
    k = min(m, n)
    s = np.linspace(3.0, 1.0, k) + r.uniform(0, 0.2, size=batch + (k,))
    return (u[..., :, :k] * s[..., None, :] @ v[..., :k, :]).astype(np.float32)


def normal(*shape, seed=0):
    return rng(*shape, seed, 99).normal(size=shape).astype(np.float32)


def lower(n, *batch):
    return np.tril(normal(*batch, n, n) * 0.3 + 2 * np.eye(n, dtype=np.float32))


def _signs(m, v):
    """+1 or -1 per column of v: its largest-magnitude entry made positive."""
    idx = m.argmax(m.abs(v), axis=-2, keepdims=True)
    rows = m.arange(v.shape[-2])[:, None]
    return m.sign(m.sum(m.where(rows == idx, v, 0), axis=-2, keepdims=True))


def eigh_fixed(m, x, **kw):
    w, v = m.linalg.eigh(x, **kw)
    return w, v * _signs(m, v)


def svd_fixed(m, x, **kw):
    u, s, vh = m.linalg.svd(x, full_matrices=False, **kw)
    signs = _signs(m, u)
    return u * signs, s, vh * m.swapaxes(signs, -1, -2)


A4, A5, A3b = spd(4), general(5, 5), spd(3, 2)
G43, G34, G55b = general(4, 3), general(3, 4), general(3, 3, 2)
B5, B52, B4 = normal(5), normal(5, 2), normal(4, 2)
L4 = lower(4)

VALUES = {
    "cholesky": (lambda m, x: m.linalg.cholesky(x), (A4,)),
    "cholesky-upper": (lambda m, x: m.linalg.cholesky(x, upper=True), (A4,)),
    "cholesky-batched": (lambda m, x: m.linalg.cholesky(x), (A3b,)),
    "cholesky-of-ints": (lambda m: m.linalg.cholesky(m.array([[2, 1], [1, 2]])), ()),
    "eigh": (eigh_fixed, (A4,)), "eigh-upper": (lambda m, x: eigh_fixed(m, x, UPLO="U"), (A4,)),
    "eigh-batched": (eigh_fixed, (A3b,)), "eigvalsh": (lambda m, x: m.linalg.eigvalsh(x), (A4,)),
    "svd": (svd_fixed, (G43,)), "svd-wide": (svd_fixed, (G34,)), "svd-batched": (svd_fixed, (G55b,)),
    "svd-values": (lambda m, x: m.linalg.svd(x, compute_uv=False), (G43,)),
    "svd-full-reconstructs": (lambda m, x: (lambda u, s, vh: (u[:, :3] * s) @ vh)(*m.linalg.svd(x)), (G43,)),
    "svd-full-projector": (lambda m, x: (lambda u: u @ u.T)(m.linalg.svd(x)[0]), (G43,)),
    "svd-hermitian": (lambda m, x: m.linalg.svd(x, hermitian=True, compute_uv=False), (A4,)),
    "svdvals": (lambda m, x: m.linalg.svdvals(x), (G34,)),
    "qr": (lambda m, x: m.linalg.qr(x), (G43,)), "qr-wide": (lambda m, x: m.linalg.qr(x), (G34,)),
    "qr-complete": (lambda m, x: m.linalg.qr(x, mode="complete"), (G43,)),
    "qr-r": (lambda m, x: m.linalg.qr(x, mode="r"), (G43,)),
    "det": (lambda m, x: m.linalg.det(x), (A5,)), "det-2x2": (lambda m, x: m.linalg.det(x), (A4[:2, :2],)),
    "det-3x3": (lambda m, x: m.linalg.det(x), (A5[:3, :3],)), "det-batched": (lambda m, x: m.linalg.det(x), (G55b,)),
    "det-singular": (lambda m: m.linalg.det(m.ones((4, 4))), ()),
    "slogdet": (lambda m, x: m.linalg.slogdet(x), (A5,)), "slogdet-2x2": (lambda m, x: m.linalg.slogdet(x), (A5[:2, :2],)),
    "slogdet-negative": (lambda m, x: m.linalg.slogdet(-x), (A5,)),
    "inv": (lambda m, x: m.linalg.inv(x), (A5,)), "inv-batched": (lambda m, x: m.linalg.inv(x), (A3b,)),
    "solve-vector": (lambda m, a, b: m.linalg.solve(a, b), (A5, B5)),
    "solve-matrix": (lambda m, a, b: m.linalg.solve(a, b), (A5, B52)),
    "solve-broadcast": (lambda m, a, b: m.linalg.solve(a, b), (A3b, normal(3, 2))),
    "pinv": (lambda m, x: m.linalg.pinv(x), (G43,)), "pinv-wide": (lambda m, x: m.linalg.pinv(x), (G34,)),
    "matrix_power-5": (lambda m, x: m.linalg.matrix_power(x, 5), (A5 / 3,)),
    "matrix_power-0": (lambda m, x: m.linalg.matrix_power(x, 0), (A5,)),
    "matrix_power-minus-2": (lambda m, x: m.linalg.matrix_power(x, -2), (A4,)),
    "matrix_rank": (lambda m, x: m.linalg.matrix_rank(x), (G43,)),
    "matrix_rank-deficient": (lambda m, x: m.linalg.matrix_rank(x @ x.T), (G34.T,)),
    "cond": (lambda m, x: m.linalg.cond(x), (A5,)), "cond-1": (lambda m, x: m.linalg.cond(x, 1), (A5,)),
    "lstsq": (lambda m, a, b: m.linalg.lstsq(a, b), (G43, B4)),
    "lstsq-vector": (lambda m, a, b: m.linalg.lstsq(a, b)[0], (G43, B4[:, 0])),
    "norm-2": (lambda m, x: m.linalg.norm(x, 2), (G43,)), "norm-minus-2": (lambda m, x: m.linalg.norm(x, -2), (G43,)),
    "norm-nuc": (lambda m, x: m.linalg.norm(x, "nuc"), (G43,)),
    "norm-nuc-axes-keepdims": (lambda m, x: m.linalg.norm(x, "nuc", axis=(2, 0), keepdims=True), (G55b,)),
    "matrix_norm-2": (lambda m, x: m.linalg.matrix_norm(x, ord=2), (G55b,)),
    "multi_dot": (lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), (G43, G34, A4)),
    "vecdot": (lambda m, a, b: m.linalg.vecdot(a, b), (G43, G43)),
    "trace": (lambda m, x: m.linalg.trace(x, offset=1), (G55b,)),
    "diagonal": (lambda m, x: m.linalg.diagonal(x), (G55b,)),
    "outer": (lambda m, a, b: m.linalg.outer(a, b), (B5, B4[:, 0])),
    # jax.scipy.linalg
    "scipy-solve_triangular": (lambda m, a, b: _sl(m).solve_triangular(a, b, lower=True), (L4, B4)),
    "scipy-solve_triangular-trans": (lambda m, a, b: _sl(m).solve_triangular(a, b, trans="T", lower=True), (L4, B4)),
    "scipy-solve_triangular-vector": (lambda m, a, b: _sl(m).solve_triangular(a.T, b, unit_diagonal=True), (L4, B4[:, 0])),
    "scipy-cholesky": (lambda m, x: _sl(m).cholesky(x), (A4,)),
    "scipy-cholesky-lower": (lambda m, x: _sl(m).cholesky(x, lower=True), (A4,)),
    "scipy-cho_solve": (lambda m, a, b: _sl(m).cho_solve(_sl(m).cho_factor(a), b), (A4, B4)),
    "scipy-cho_solve-lower": (lambda m, a, b: _sl(m).cho_solve(_sl(m).cho_factor(a, lower=True), b), (A4, B4)),
    "scipy-lu": (lambda m, x: _sl(m).lu(x), (G43,)),
    "scipy-lu-permute_l": (lambda m, x: _sl(m).lu(x, permute_l=True), (A5,)),
    "scipy-lu_factor": (lambda m, x: _sl(m).lu_factor(x), (A5,)),
    "scipy-lu_solve": (lambda m, a, b: _sl(m).lu_solve(_sl(m).lu_factor(a), b), (A5, B52)),
    "scipy-lu_solve-trans": (lambda m, a, b: _sl(m).lu_solve(_sl(m).lu_factor(a), b, trans=1), (A5, B52)),
    "scipy-solve-pos": (lambda m, a, b: _sl(m).solve(a, b, assume_a="pos"), (A4, B4)),
    "scipy-solve": (lambda m, a, b: _sl(m).solve(a, b), (A5, B5)),
    "scipy-det": (lambda m, x: _sl(m).det(x), (A5,)), "scipy-inv": (lambda m, x: _sl(m).inv(x), (A5,)),
    "scipy-eigh-values": (lambda m, x: _sl(m).eigh(x, eigvals_only=True), (A4,)),
    "scipy-svd-values": (lambda m, x: _sl(m).svd(x, compute_uv=False), (G43,)),
}


def _sl(m):
    return jsl if m is jnp else jaxlite.scipy.linalg


@pytest.mark.parametrize("name", VALUES)
def test_value_dtype_and_weak_type_match_jax(name):
    fn, args = VALUES[name]
    assert_matches(fn(lnp, *args), tables.jax_reference(VALUES, jnp)[name], rtol=2e-4, atol=2e-5)


def test_results_have_jax_field_names():
    assert lnp.linalg.eigh(A4)._fields == jnp.linalg.eigh(A4)._fields
    assert lnp.linalg.svd(G43)._fields == jnp.linalg.svd(G43)._fields
    assert lnp.linalg.qr(G43)._fields == jnp.linalg.qr(G43)._fields
    assert lnp.linalg.slogdet(A5)._fields == jnp.linalg.slogdet(A5)._fields


# ----------------------------------------------------------------------------------------------
# Gradients: against JAX in float32, against central differences in float64

def _scalar(fn):
    """A case reduced to one number with fixed weights on its outputs (float outputs only)."""
    def loss(m, *args):
        leaves = [o for o in jax.tree_util.tree_leaves(fn(m, *args)) if o.dtype.kind == "f"]
        return sum(m.sum(o * normal(*o.shape, seed=3)) for o in leaves)
    return loss


# Not differentiable: integer-valued results, singular inputs, and (in JAX too) the full SVD of a
# non-square matrix.
DIFFERENTIABLE = [name for name in VALUES if not name.endswith(("ints", "singular", "matrix_rank",
                                                                 "deficient", "matrix_power-0"))
                  and not name.startswith("svd-full")]
# SciPy's cholesky (and solve with assume_a="pos") reads one triangle only, so it is no function of
# the whole matrix that finite differences could probe; its derivative (JAX's rule, checked against
# JAX) takes the whole input as given.
ONE_TRIANGLE = ("scipy-cholesky", "scipy-cho_solve", "scipy-solve-pos")


def _grads(fn, nargs):
    return lambda m, *args: (jax if m is jnp else jaxlite).grad(lambda *a: _scalar(fn)(m, *a),
                                                               argnums=tuple(range(nargs)))(*args)


GRADS = {name: (_grads(VALUES[name][0], len(VALUES[name][1])), VALUES[name][1])
         for name in DIFFERENTIABLE if VALUES[name][1]}


@pytest.mark.parametrize("name", GRADS)
def test_grad_matches_jax(name):
    fn, args = GRADS[name]
    assert_matches(fn(lnp, *args), tables.jax_reference(GRADS, jnp)[name], rtol=2e-3, atol=2e-4)


@pytest.mark.parametrize("name", [n for n in GRADS if not n.startswith(ONE_TRIANGLE)])
def test_grad_matches_central_differences_in_float64(name, x64):
    fn, args = VALUES[name]
    tables.assert_grad_matches_central_differences(
        fn, lnp, args, weight=lambda shape: normal(*shape, seed=4).astype(np.float64),
        direction=lambda shape: normal(*shape, seed=5).astype(np.float64), atol=1e-6)


SINGULAR = {
    "rank-n-minus-1": np.array([[1, 2, 3, 4], [2, 4, 6, 8.5], [1, 0, 1, 0], [0, 1, 1, 2]], np.float32),
    "rank-2": np.array([[1, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 1, 2]], np.float32),
    "zero": np.zeros((5, 5), np.float32),
}


@pytest.mark.parametrize("name", SINGULAR)
def test_grad_and_hessian_of_det_at_a_singular_matrix_match_jax(name):
    """Finite (the adjugate) even where the matrix has no inverse."""
    x = SINGULAR[name]
    assert_matches(jaxlite.grad(lnp.linalg.det)(x), jax.grad(jnp.linalg.det)(x), rtol=1e-4, atol=1e-4)
    assert_matches(jaxlite.hessian(lnp.linalg.det)(x), jax.hessian(jnp.linalg.det)(x), rtol=1e-3, atol=1e-3)


# ----------------------------------------------------------------------------------------------
# vmap and jit

def _vmapped(fn, in_axes=0):
    return lambda m, *args: (jax if m is jnp else jaxlite).vmap(lambda *a: fn(m, *a), in_axes=in_axes)(*args)


S3 = np.stack([spd(3, seed=k) for k in range(3)])
M3 = np.stack([general(3, 3, seed=k) for k in range(3)])
VMAP = {
    "cholesky": (_vmapped(lambda m, x: m.linalg.cholesky(x)), (S3,)),
    "eigh": (_vmapped(eigh_fixed), (S3,)),
    "svd": (_vmapped(svd_fixed), (M3,)),
    "qr-axis-1": (_vmapped(lambda m, x: m.linalg.qr(x), 1), (M3,)),
    "det-slogdet": (_vmapped(lambda m, x: (m.linalg.det(x), m.linalg.slogdet(x))), (M3,)),
    "inv": (_vmapped(lambda m, x: m.linalg.inv(x)), (M3,)),
    "solve-shared-matrix": (_vmapped(lambda m, a, b: m.linalg.solve(a, b), (None, 0)), (A5, normal(3, 5))),
    "solve-shared-rhs": (_vmapped(lambda m, a, b: m.linalg.solve(a, b), (0, None)), (M3, normal(3))),
    "pinv": (_vmapped(lambda m, x: m.linalg.pinv(x)), (M3,)),
    "norm-2": (_vmapped(lambda m, x: m.linalg.norm(x, 2)), (M3,)),
    "solve_triangular": (_vmapped(lambda m, a, b: _sl(m).solve_triangular(a, b, lower=True), (None, 0)),
                         (L4, normal(3, 4))),
    "grad-of-slogdet": (_vmapped(lambda m, x: (jax if m is jnp else jaxlite).grad(
        lambda a: m.linalg.slogdet(a)[1])(x)), (M3,)),
}


@pytest.mark.parametrize("name", VMAP)
def test_vmap_matches_jax(name):
    fn, args = VMAP[name]
    assert_matches(fn(lnp, *args), tables.jax_reference(VMAP, jnp)[name], rtol=2e-4, atol=2e-5)


def _sign_free(name, out):
    """XLA's LAPACK may give singular vectors other signs than NumPy's: compare absolute values."""
    return jaxlite.tree_util.tree_map(lnp.abs, out) if name.startswith(("eigh", "svd")) else out


# Solves, inverses and determinants beyond 3x3 go through LU, whose row pivots are applied with a
# gather.
JIT = ["cholesky", "cholesky-upper", "cholesky-batched", "eigh", "eigh-batched", "eigvalsh", "svd",
       "svd-wide", "svd-values", "svdvals", "qr", "qr-wide", "qr-r", "det-2x2", "det-3x3", "pinv",
       "matrix_power-5", "norm-2", "norm-nuc", "matrix_rank", "cond", "scipy-solve_triangular",
       "scipy-cholesky", "scipy-cho_solve", "multi_dot",
       "det", "det-batched", "slogdet", "slogdet-negative", "inv", "inv-batched", "solve-vector",
       "solve-matrix", "solve-broadcast", "lstsq", "lstsq-vector", "cond-1", "matrix_power-minus-2",
       "scipy-lu", "scipy-lu-permute_l", "scipy-lu_factor", "scipy-lu_solve", "scipy-lu_solve-trans",
       "scipy-solve", "scipy-det", "scipy-inv"]


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", JIT)
def test_jit_matches_eager(name, backend):
    fn, args = VALUES[name]
    f = lambda *a: fn(lnp, *a)
    assert_matches(_sign_free(name, jaxlite.jit(f, backend=backend)(*args)), _sign_free(name, f(*args)),
                   rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", ["cholesky", "eigh", "svd", "qr", "pinv", "norm-nuc", "det-3x3",
                                  "scipy-cho_solve", "det", "slogdet", "inv", "solve-matrix", "lstsq",
                                  "scipy-lu", "scipy-lu_solve"])
def test_jit_of_grad_matches_eager(name, backend):
    fn, args = GRADS[name]
    f = lambda *a: fn(lnp, *a)
    assert_matches(jaxlite.jit(f, backend=backend)(*args), f(*args), rtol=1e-3, atol=1e-4)


# ----------------------------------------------------------------------------------------------
# Errors: JAX's class and first line

ERRORS = {
    "inv-of-a-vector": lambda m: m.linalg.inv(m.ones(3)),
    "det-not-square": lambda m: m.linalg.det(m.ones((2, 3))),
    "slogdet-not-square": lambda m: m.linalg.slogdet(m.ones((2, 3))),
    "solve-a-vector": lambda m: m.linalg.solve(m.ones(3), m.ones(3)),
    "solve-old-batched-vector": lambda m: m.linalg.solve(m.ones((2, 3, 3)), m.ones((2, 3))),
    "svd-of-a-vector": lambda m: m.linalg.svd(m.ones(3)),
    "qr-bad-mode": lambda m: m.linalg.qr(m.ones((2, 2)), mode="foo"),
    "eigh-bad-uplo": lambda m: m.linalg.eigh(m.eye(2), UPLO="X"),
    "norm-bad-matrix-order": lambda m: m.linalg.norm(m.ones((2, 2)), ord=3),
    "pinv-rtol-and-rcond": lambda m: m.linalg.pinv(m.ones((2, 2)), rtol=0.1, rcond=0.1),
    "cond-of-a-vector": lambda m: m.linalg.cond(m.ones(3)),
    "matrix_power-not-square": lambda m: m.linalg.matrix_power(m.ones((2, 3)), 2),
    "matrix_power-float-exponent": lambda m: m.linalg.matrix_power(m.eye(2), 2.5),
    "lstsq-mismatch": lambda m: m.linalg.lstsq(m.ones((3, 2)), m.ones(4)),
    "scipy-solve-assume": lambda m: _sl(m).solve(m.eye(2), m.ones(2), assume_a="tri"),
    "scipy-solve_triangular-trans": lambda m: _sl(m).solve_triangular(m.eye(2), m.ones(2), trans=3),
    "scipy-eigh-generalised": lambda m: _sl(m).eigh(m.eye(2), m.eye(2)),
}


def _error(f, m):
    with pytest.raises(Exception) as info:
        f(m)
    return type(info.value).__name__, str(info.value).split("\n")[0]


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_jax(name):
    assert _error(ERRORS[name], lnp) == _error(ERRORS[name], jnp)


def test_modes_jaxlite_does_not_implement_say_so():
    with pytest.raises(NotImplementedError, match="raw"):
        lnp.linalg.qr(G43, mode="raw")
    with pytest.raises(NotImplementedError, match="lu"):
        lnp.linalg.slogdet(A5, method="qr")
    with pytest.raises(NotImplementedError, match="pivoting"):
        jaxlite.lax.linalg.qr(G43, pivoting=True)
