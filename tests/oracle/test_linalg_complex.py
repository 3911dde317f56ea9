"""jnp.linalg and jax.scipy.linalg on complex matrices against JAX: values (Hermitian symmetrisation,
conjugate transposes, the complex sign of slogdet) and derivatives (jvp, grad of real losses,
holomorphic grad), eagerly and under jit.

Eigenvectors and singular vectors are defined up to a phase, and LAPACK and XLA may pick different
ones: cases compare what does not depend on the phase (values, |entries|, projectors, losses).
"""
import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from . import tables


def _complex(*shape, seed=0):
    r = np.random.default_rng(seed)
    return (r.normal(size=shape) + 1j * r.normal(size=shape)).astype(np.complex64)


A = _complex(3, 3)
A5 = _complex(5, 5, seed=1)
TALL, WIDE = _complex(4, 3, seed=2), _complex(3, 4, seed=3)
H = (A @ A.conj().T + 3 * np.eye(3)).astype(np.complex64)
B = _complex(3, seed=4)
B2 = _complex(3, 2, seed=5)


def _sl(m):
    return jsl if m is jnp else jaxlite.scipy.linalg


def _J(m):
    return jax if m is jnp else jaxlite


def _projector(v):
    return v @ v.conj().swapaxes(-1, -2)


VALUES = {
    "cholesky": lambda m: m.linalg.cholesky(H),
    "cholesky-upper": lambda m: m.linalg.cholesky(H, upper=True),
    "eigh-values": lambda m: m.linalg.eigh(H)[0],
    "eigh-vectors-up-to-phase": lambda m: m.abs(m.linalg.eigh(H)[1]),
    "eigvalsh": lambda m: m.linalg.eigvalsh(H),
    "qr-r-up-to-phase": lambda m: m.abs(m.linalg.qr(A)[1]),
    "qr-reconstructs": lambda m: (lambda q, r: q @ r)(*m.linalg.qr(TALL)),
    "svd-values": lambda m: m.linalg.svd(A, compute_uv=False),
    "svd-projector": lambda m: _projector(m.linalg.svd(TALL, full_matrices=False)[0]),
    "svd-hermitian": lambda m: m.linalg.svd(H, hermitian=True, compute_uv=False),
    "scipy-lu": lambda m: _sl(m).lu(A),
    "scipy-lu-permute_l": lambda m: _sl(m).lu(A, permute_l=True),
    "det": lambda m: m.linalg.det(A5),
    "det-3x3": lambda m: m.linalg.det(A),
    "slogdet": lambda m: m.linalg.slogdet(A5),
    "slogdet-2x2": lambda m: m.linalg.slogdet(A[:2, :2]),
    "inv": lambda m: m.linalg.inv(A5),
    "solve": lambda m: m.linalg.solve(A, B),
    "solve-matrix": lambda m: m.linalg.solve(A, B2),
    "pinv": lambda m: m.linalg.pinv(TALL),
    "pinv-wide": lambda m: m.linalg.pinv(WIDE),
    "lstsq": lambda m: m.linalg.lstsq(TALL, _complex(4, seed=6))[0],
    "solve_triangular": lambda m: _sl(m).solve_triangular(m.tril(H), B, lower=True),
    "solve_triangular-conjugate-transpose": lambda m: _sl(m).solve_triangular(m.tril(H), B, lower=True, trans="C"),
    "cho_solve": lambda m: _sl(m).cho_solve(_sl(m).cho_factor(H), B),
    "matrix_rank": lambda m: m.linalg.matrix_rank(A),
    "norm-2": lambda m: m.linalg.norm(A, 2),
}


@pytest.mark.parametrize("name", VALUES)
def test_complex_values_match_jax(name):
    tables.assert_matches(VALUES[name](lnp), VALUES[name](jnp), rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", ["cholesky", "eigh-values", "slogdet", "inv", "solve", "pinv", "scipy-lu"])
def test_complex_values_under_jit_match_jax(name, backend):
    ours = jaxlite.jit(lambda: VALUES[name](lnp), backend=backend)()
    tables.assert_matches(ours, VALUES[name](jnp), rtol=2e-4, atol=2e-5)


# Real-valued losses of complex matrices: grad gives the conjugate of the derivative, as in JAX.
LOSSES = {
    "cholesky": (lambda m, x: m.abs(m.linalg.cholesky(x)).sum(), H),
    "eigh-values": (lambda m, x: (m.linalg.eigh(x)[0] * m.arange(1.0, 4.0)).sum(), H),
    "eigh-projector": (lambda m, x: m.real(_projector(m.linalg.eigh(x)[1][:, :1]) * A).sum(), H),
    "solve": (lambda m, x: m.abs(m.linalg.solve(x, B)).sum(), A),
    "inv": (lambda m, x: m.real(m.linalg.inv(x)).sum(), A5),
    "det": (lambda m, x: m.abs(m.linalg.det(x)), A5),
    "det-3x3": (lambda m, x: m.abs(m.linalg.det(x)), A),
    "slogdet-logabsdet": (lambda m, x: m.linalg.slogdet(x)[1], A5),
    "slogdet-sign": (lambda m, x: m.imag(m.linalg.slogdet(x)[0]), A5),
    "slogdet-2x2-sign": (lambda m, x: m.real(m.linalg.slogdet(x)[0]), A[:2, :2]),
    "qr": (lambda m, x: m.abs(m.linalg.qr(x)[1]).sum(), A),
    "qr-tall": (lambda m, x: m.real(m.linalg.qr(x)[0] @ m.linalg.qr(x)[1] * A5[:4, :3]).sum(), TALL),
    "qr-wide": (lambda m, x: m.abs(m.linalg.qr(x)[1]).sum(), WIDE),
    "svd-values": (lambda m, x: (m.linalg.svd(x, compute_uv=False) * m.arange(1.0, 4.0)).sum(), A),
    "svd-projector-tall": (lambda m, x: m.real(_projector(m.linalg.svd(x, full_matrices=False)[0][:, :2])
                                               * A5[:4, :4]).sum(), TALL),
    "svd-projector-wide": (lambda m, x: m.real(_projector(m.linalg.svd(x, full_matrices=False)[2].T[:, :2])
                                               * A5[:4, :4]).sum(), WIDE),
    "pinv": (lambda m, x: m.real(m.linalg.pinv(x) * WIDE).sum(), TALL),
    "scipy-lu": (lambda m, x: m.abs(_sl(m).lu(x)[2]).sum(), A),
    "solve_triangular": (lambda m, x: m.abs(_sl(m).solve_triangular(x, B, lower=True)).sum(), np.tril(H)),
    "solve_triangular-conjugate": (lambda m, x: m.abs(_sl(m).solve_triangular(x, B, lower=True, trans="C")).sum(),
                                   np.tril(H)),
}


@pytest.mark.parametrize("name", LOSSES)
def test_grad_of_real_loss_of_complex_matrix_matches_jax(name):
    loss, x = LOSSES[name]
    ours = jaxlite.grad(lambda a: loss(lnp, a))(x)
    tables.assert_matches(ours, jax.grad(lambda a: loss(jnp, a))(x), rtol=2e-3, atol=2e-4)


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", ["cholesky", "eigh-values", "solve", "det", "slogdet-logabsdet", "qr"])
def test_jit_of_grad_of_complex_matrix_matches_jax(name, backend):
    loss, x = LOSSES[name]
    ours = jaxlite.jit(jaxlite.grad(lambda a: loss(lnp, a)), backend=backend)(x)
    tables.assert_matches(ours, jax.grad(lambda a: loss(jnp, a))(x), rtol=2e-3, atol=2e-4)


JVPS = {
    "cholesky": (lambda m: m.linalg.cholesky, H, _complex(3, 3, seed=7)),
    "eigvalsh": (lambda m: m.linalg.eigvalsh, H, H),
    "solve": (lambda m: lambda a: m.linalg.solve(a, B), A, H),
    "inv": (lambda m: m.linalg.inv, A5, _complex(5, 5, seed=8)),
    "slogdet": (lambda m: m.linalg.slogdet, A5, _complex(5, 5, seed=9)),
    "svdvals": (lambda m: lambda a: m.linalg.svd(a, compute_uv=False), A, H),
}


@pytest.mark.parametrize("name", JVPS)
def test_jvp_of_complex_matrix_matches_jax(name):
    fn, x, t = JVPS[name]
    ours = jaxlite.jvp(fn(lnp), (x,), (t,))
    tables.assert_matches(ours, jax.jvp(fn(jnp), (x,), (t,)), rtol=2e-3, atol=2e-4)


@pytest.mark.parametrize("name, fn", [("det", lambda m, a: m.linalg.det(a)),
                                      ("inv", lambda m, a: m.linalg.inv(a)[0, 1]),
                                      ("solve", lambda m, a: m.linalg.solve(a, B)[2])])
def test_holomorphic_grad_matches_jax(name, fn):
    ours = jaxlite.grad(lambda a: fn(lnp, a), holomorphic=True)(A5 if name == "det" else A)
    theirs = jax.grad(lambda a: fn(jnp, a), holomorphic=True)(A5 if name == "det" else A)
    tables.assert_matches(ours, theirs, rtol=2e-3, atol=2e-4)


def test_complete_qr_of_a_tall_complex_matrix_is_not_differentiated_and_says_so():
    with pytest.raises(NotImplementedError, match="mode='reduced'"):
        jaxlite.grad(lambda a: lnp.abs(lnp.linalg.qr(a, mode="complete")[0]).sum())(TALL)


@pytest.mark.parametrize("fn", [lambda a: lnp.linalg.cholesky(a), lambda a: lnp.linalg.eigvalsh(a),
                                lambda a: lnp.linalg.pinv(a), lambda a: lnp.linalg.svd(a)[0]],
                         ids=["cholesky", "eigvalsh", "pinv", "svd"])
def test_real_matrices_take_no_conjugates(fn):
    x = np.eye(3, dtype=np.float32) * 2
    for f in (fn, jaxlite.grad(lambda a: fn(a).sum())):
        text = str(jaxlite.make_jaxpr(f)(x))
        assert " conj " not in text and " real " not in text
