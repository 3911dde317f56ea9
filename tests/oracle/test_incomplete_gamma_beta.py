"""The incomplete gamma and beta functions against JAX (lax.igamma, igammac, igamma_grad_a, betainc;
scipy.special gammainc, gammaincc, betainc; the gamma, chi2, beta and poisson cdf and sf that use
them): values, dtypes, weak types, gradients, edge cases, jit and vmap. SciPy is the float64
reference where JAX's own float32 algorithm is less accurate than float32 allows."""
import jax
import jax.numpy as jnp
import jax.scipy.special as jspecial
import jax.scipy.stats as jstats
import numpy as np
import pytest
import scipy.special

import jaxlite
import jaxlite.numpy as lnp
from . import tables

assert_matches = tables.assert_matches
RNG = np.random.default_rng(0)
A = RNG.uniform(0.1, 30.0, 64).astype(np.float32)
X = (A * RNG.lognormal(0.0, 0.6, 64)).astype(np.float32)
B = RNG.uniform(0.1, 30.0, 64).astype(np.float32)
U = RNG.uniform(0.0, 1.0, 64).astype(np.float32)


def _lax(m):
    return jax.lax if m is jnp else jaxlite.lax


def _special(m):
    return jspecial if m is jnp else jaxlite.scipy.special


def _stats(m):
    return jstats if m is jnp else jaxlite.scipy.stats


def both(fn, *args, rtol=1e-5, atol=1e-6):
    assert_matches(fn(lnp, *args), fn(jnp, *args), rtol, atol)


@pytest.mark.parametrize("name", ["igamma", "igammac", "igamma_grad_a"])
def test_incomplete_gamma_values_match_jax(name):
    both(lambda m, a, x: getattr(_lax(m), name)(a, x), A, X, rtol=2e-4, atol=2e-6)


def test_betainc_values_match_jax():
    both(lambda m, a, b, x: _lax(m).betainc(a, b, x), A, B, U, rtol=2e-4, atol=2e-6)


# Edge cases: outside the domain, at 0 and at infinity, a = 0, NaN operands, an underflowing prefactor.
GAMMA_EDGES = [(0.0, 1.0), (-1.0, 1.0), (1.0, 0.0), (2.0, -1.0), (2.0, np.inf), (2.0, np.nan), (np.nan, 1.0),
               (0.0, 0.5), (0.0, 0.0), (0.0, 2.0), (3.0, 1e-30), (1e3, 10.0), (10.0, 1e3), (1e-30, 1e-30)]
BETA_EDGES = [(0.0, 1.0, 0.5), (-1.0, 1.0, 0.5), (1.0, 0.0, 0.5), (2.0, 2.0, -0.1), (2.0, 2.0, 1.1),
              (np.nan, 1.0, 0.5), (1.0, 1.0, 0.0), (2.0, -1.0, 0.5), (0.5, 0.5, 1.0), (0.0, 0.0, 0.5),
              (0.0, 1.0, 0.0), (1.0, 0.0, 1.0), (1e-40, 1.0, 0.5), (2.0, 3.0, 1e-30)]


@pytest.mark.parametrize("name", ["igamma", "igammac", "igamma_grad_a"])
def test_incomplete_gamma_edge_cases_match_jax(name):
    a, x = (np.array(v, np.float32) for v in zip(*GAMMA_EDGES))
    both(lambda m, a, x: getattr(_lax(m), name)(a, x), a, x)


def test_betainc_edge_cases_match_jax():
    a, b, x = (np.array(v, np.float32) for v in zip(*BETA_EDGES))
    both(lambda m, a, b, x: _lax(m).betainc(a, b, x), a, b, x)


def test_incomplete_gamma_in_float64_matches_scipy(x64):
    a, x = A.astype(np.float64) * 10, X.astype(np.float64) * 10
    p, q = jaxlite.lax.igamma(a, x), jaxlite.lax.igammac(a, x)
    assert p.dtype == q.dtype == np.float64
    np.testing.assert_allclose(np.asarray(p), scipy.special.gammainc(a, x), rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(np.asarray(q), scipy.special.gammaincc(a, x), rtol=1e-11, atol=1e-14)


def test_igamma_grad_a_in_float64_matches_central_differences_of_scipy(x64):
    a, x = A.astype(np.float64), X.astype(np.float64)
    h = 1e-6 * a
    # The difference of whichever of P and Q is the smaller keeps its relative precision.
    lower = (scipy.special.gammainc(a + h, x) - scipy.special.gammainc(a - h, x)) / (2 * h)
    upper = -(scipy.special.gammaincc(a + h, x) - scipy.special.gammaincc(a - h, x)) / (2 * h)
    expected = np.where(scipy.special.gammainc(a, x) < 0.5, lower, upper)
    np.testing.assert_allclose(np.asarray(jaxlite.lax.igamma_grad_a(a, x)), expected, rtol=1e-6, atol=1e-12)


def test_betainc_in_float64_matches_scipy(x64):
    a, b, x = A.astype(np.float64) * 10, B.astype(np.float64) * 10, U.astype(np.float64)
    out = jaxlite.lax.betainc(a, b, x)
    assert out.dtype == np.float64
    np.testing.assert_allclose(np.asarray(out), scipy.special.betainc(a, b, x), rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize("args", [(2.0, 1.5), (np.float32(2.0), 1.5), (np.float16(2.0), np.float16(1.5)),
                                  (2, 3), (np.arange(1, 4), 2.0)], ids=["python", "f32", "f16", "ints", "int-array"])
@pytest.mark.parametrize("name", ["gammainc", "gammaincc"])
def test_gammainc_dtypes_and_weak_types_match_jax(name, args):
    both(lambda m, *a: getattr(_special(m), name)(*a), *args, rtol=1e-4)


@pytest.mark.parametrize("args", [(2.0, 3.0, 0.4), (np.float32(2.0), 3, 0.4), (1, 2, np.float16(0.3)),
                                  (np.arange(1, 4), 2.0, U[:3])], ids=["python", "f32-int", "f16", "int-array"])
def test_scipy_betainc_dtypes_and_weak_types_match_jax(args):
    both(lambda m, *a: _special(m).betainc(*a), *args, rtol=1e-4)


def test_gammainc_in_float64_keeps_float64(x64):
    both(lambda m, a, x: _special(m).gammainc(a, x), A.astype(np.float64), X.astype(np.float64), rtol=1e-6)


def test_lax_functions_take_python_scalars_as_weak_float32():
    both(lambda m: _lax(m).igamma(2.0, 1.0))
    both(lambda m: _lax(m).betainc(1.0, 2.0, 0.3))


@pytest.mark.parametrize("fn", [lambda lax: lax.igamma(1, 2.0),
                                lambda lax: lax.igamma(2.0, np.ones(2, np.float16)),
                                lambda lax: lax.betainc(1.0, 2.0, np.ones(3, np.float16)),
                                lambda lax: lax.igamma(np.ones(2, np.float32), np.ones(3, np.float32)),
                                lambda lax: lax.betainc(np.ones(2, np.float32), 2.0, np.ones(3, np.float32))],
                         ids=["int", "mixed-float", "mixed-float-betainc", "shapes", "shapes-betainc"])
def test_bad_operands_raise_jaxs_type_error(fn):
    with pytest.raises(TypeError) as ref:
        fn(jax.lax)
    with pytest.raises(TypeError) as lite:
        fn(jaxlite.lax)
    assert str(lite.value).splitlines()[0] == str(ref.value).splitlines()[0]


@pytest.mark.parametrize("name", ["gammainc", "gammaincc"])
def test_gammainc_gradients_in_a_and_x_match_jax(name):
    def grads(m):
        return (jax if m is jnp else jaxlite).grad(lambda a, x: getattr(_special(m), name)(a, x), (0, 1))(2.5, 1.7)
    assert_matches(grads(lnp), grads(jnp), 1e-5, 1e-6)


def test_gammainc_gradient_under_vmap_matches_jax():
    def grads(m):
        lib = jax if m is jnp else jaxlite
        return lib.vmap(lib.grad(lambda a, x: _special(m).gammainc(a, x), (0, 1)))(A[:8], X[:8])
    assert_matches(grads(lnp), grads(jnp), 2e-4, 1e-6)


def test_betainc_gradient_in_x_matches_jax():
    def grad(m):
        lib = jax if m is jnp else jaxlite
        return lib.jit(lib.grad(lambda x: _special(m).betainc(2.0, 3.0, x)))(0.4)
    assert_matches(grad(lnp), grad(jnp), 1e-5, 1e-6)


def test_betainc_gradient_in_a_raises_jaxs_value_error():
    with pytest.raises(ValueError) as ref:
        jax.grad(lambda a: jspecial.betainc(a, 2.0, 0.3))(1.0)
    with pytest.raises(ValueError) as lite:
        jaxlite.grad(lambda a: jaxlite.scipy.special.betainc(a, 2.0, 0.3))(1.0)
    assert str(lite.value).splitlines()[0] == str(ref.value).splitlines()[0]


def test_second_derivative_in_a_is_not_implemented_as_in_jax():
    with pytest.raises(NotImplementedError) as ref:
        jax.grad(jax.grad(lambda a: jax.lax.igamma(a, 2.0)))(1.0)
    with pytest.raises(NotImplementedError) as lite:
        jaxlite.grad(jaxlite.grad(lambda a: jaxlite.lax.igamma(a, 2.0)))(1.0)
    assert str(lite.value).splitlines()[0] == str(ref.value).splitlines()[0]


@pytest.mark.parametrize("backend", ["numpy", "xla"])
def test_jit_matches_jax_jit(backend):
    def run(m):
        def f(a, b, x, u):
            s = _special(m)
            return s.gammainc(a, x), s.gammaincc(a, x), s.betainc(a, b, u)
        return jax.jit(f)(A, B, X, U) if m is jnp else jaxlite.jit(f, backend=backend)(A, B, X, U)
    assert_matches(run(lnp), run(jnp), 2e-4, 2e-6)


def test_vmap_matches_jax():
    def run(m):
        lib = jax if m is jnp else jaxlite
        return lib.vmap(lambda a, x: _special(m).betainc(a, 2.0, x), (0, None))(A[:5], U[:3])
    assert_matches(run(lnp), run(jnp), 2e-4, 2e-6)


def test_jaxpr_text_matches_jax():
    def text(lib, lax):
        return str(lib.make_jaxpr(lambda a, b, x: (lax.igamma(a, x), lax.igammac(a, x), lax.betainc(a, b, x)))(
            1.0, 2.0, 0.5))
    assert text(jaxlite, jaxlite.lax) == text(jax, jax.lax)


STATS_CASES = {
    "gamma.cdf": ("gamma", "cdf", (X, A)), "gamma.sf": ("gamma", "sf", (X - 2, A, 0.5, 2.0)),
    "gamma.logcdf": ("gamma", "logcdf", (X, A)), "gamma.logsf": ("gamma", "logsf", (X, A, 1.0)),
    "chi2.cdf": ("chi2", "cdf", (X, A)), "chi2.sf": ("chi2", "sf", (X, A, 0.5, 2.0)),
    "chi2.logcdf": ("chi2", "logcdf", (X - 1, A)), "chi2.logsf": ("chi2", "logsf", (X, A)),
    "beta.cdf": ("beta", "cdf", (U * 1.2 - 0.1, A, B)), "beta.sf": ("beta", "sf", (U, A, B, 0.1, 0.8)),
    "beta.logcdf": ("beta", "logcdf", (U, A, B)), "beta.logsf": ("beta", "logsf", (U, A, B)),
    "poisson.cdf": ("poisson", "cdf", (np.floor(X), A)), "poisson.cdf-loc": ("poisson", "cdf", (X, A, 1.0)),
    "gamma.cdf-python-scalars": ("gamma", "cdf", (2.0, 3.0)), "chi2.sf-ints": ("chi2", "sf", (3, 2)),
    "beta.cdf-python-scalars": ("beta", "cdf", (0.2, 2.0, 3.0)), "poisson.cdf-integer": ("poisson", "cdf", (2, 3.0)),
    "poisson.cdf-non-integer": ("poisson", "cdf", (2.5, 3.0)),
    "poisson.cdf-f32-non-integer": ("poisson", "cdf", (np.float32(2.5), 3.0)),
    "poisson.cdf-below-support": ("poisson", "cdf", (np.float32(-1.0), 3.0)),
}


@pytest.mark.parametrize("case", STATS_CASES, ids=list(STATS_CASES))
def test_distribution_cdf_and_sf_match_jax(case):
    dist, fn, args = STATS_CASES[case]
    both(lambda m, *a: getattr(getattr(_stats(m), dist), fn)(*a), *args, rtol=5e-4, atol=2e-6)


@pytest.mark.parametrize("dist,args", [("gamma", (1.5, 2.5)), ("chi2", (2.5, 3.0))])
def test_distribution_cdf_gradients_match_jax(dist, args):
    def grads(m):
        lib = jax if m is jnp else jaxlite
        return lib.grad(lambda *a: getattr(_stats(m), dist).cdf(*a), (0, 1))(*args)
    assert_matches(grads(lnp), grads(jnp), 1e-5, 1e-6)
