"""`jaxlite.scipy.special`: special functions (erf, logsumexp, xlogy, gammaln, ...).

Mirrors jax/_src/scipy/special.py and jax/_src/ops/special.py (logsumexp, shared with jax.nn).
Functions with a kink or a 0 * inf at an edge carry JAX's custom derivative rules.
"""
import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite.custom_derivatives import custom_jvp
from jaxlite import numpy as jnp
from jaxlite.numpy.util import canonicalize_axes, constant_like, convert, promote_args_inexact


def erf(x):
    x, = promote_args_inexact(x)
    return lax.erf(x)


def erfc(x):
    x, = promote_args_inexact(x)
    return lax.erfc(x)


def erfinv(x):
    x, = promote_args_inexact(x)
    return lax.erf_inv(x)


def expit(x):
    """The logistic sigmoid 1 / (1 + exp(-x))."""
    x, = promote_args_inexact(x)
    return lax.logistic(x)


@custom_jvp
def logit(x):
    """log(x / (1 - x)), the inverse of expit."""
    x, = promote_args_inexact(x)
    return lax.log(lax.div(x, lax.sub(constant_like(x, 1), x)))


logit.defjvps(lambda g, ans, x: lax.div(g, lax.mul(x, lax.sub(constant_like(x, 1), x))))


@custom_jvp
def xlogy(x, y):
    """x * log(y), defined as 0 where x == 0 (even at y == 0); a NaN in y still propagates."""
    x, y = promote_args_inexact(x, y)
    keep = lax.bitwise_or(lax.ne(x, constant_like(x, 0)), jnp.isnan(y))
    return jnp.where(keep, lax.mul(x, lax.log(y)), jnp.zeros_like(x))


@xlogy.defjvp
def _xlogy_jvp(primals, tangents):
    """The derivative of x * log(y) itself, also at x == 0 (where the value was forced to 0)."""
    x, y = primals
    x_dot, y_dot = tangents
    result = xlogy(x, y)
    return result, jnp.asarray(x_dot * jnp.log(y) + y_dot * x / y, get_aval(result).dtype)


@custom_jvp
def xlog1py(x, y):
    """x * log1p(y), defined as 0 where x == 0 (even at y == -1); a NaN in y still propagates."""
    x, y = promote_args_inexact(x, y)
    keep = lax.bitwise_or(lax.ne(x, constant_like(x, 0)), jnp.isnan(y))
    return jnp.where(keep, lax.mul(x, lax.log1p(y)), jnp.zeros_like(x))


@xlog1py.defjvp
def _xlog1py_jvp(primals, tangents):
    x, y = primals
    x_dot, y_dot = tangents
    result = xlog1py(x, y)
    return result, jnp.asarray(x_dot * jnp.log1p(y) + y_dot * x / (1 + y), get_aval(result).dtype)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False, where=None):
    """log(sum(b * exp(a))) along `axis`, with the largest finite a subtracted first (outside
    differentiation) so that exp never overflows. With return_sign, the log of the absolute
    value and the sign of the sum; otherwise a negative sum gives NaN."""
    if where is not None:
        a = jnp.where(where, a, 0)
    if b is not None:
        a, b = promote_args_inexact(a, b)
        a = jnp.where(b != 0, a, -np.inf)
    else:
        a, = promote_args_inexact(a)
    dims = canonicalize_axes(axis, get_aval(a).ndim)
    amax = jnp.max(a, axis=dims, keepdims=keepdims, where=where, initial=-np.inf)
    amax = lax.stop_gradient(lax.select(jnp.isfinite(amax), amax, lax.full_like(amax, 0)))
    amax_with_dims = amax if keepdims else lax.expand_dims(amax, dims)
    exp_a = lax.exp(lax.sub(a, amax_with_dims))
    if b is not None:
        exp_a = lax.mul(exp_a, b)
    sumexp = jnp.sum(exp_a, axis=dims, keepdims=keepdims, where=where)
    sign = lax.sign(sumexp)
    out = lax.add(lax.log(lax.abs(sumexp)), amax)
    if return_sign:
        return out, sign
    if b is not None:
        out = jnp.where(sign < 0, jnp.array(np.nan, get_aval(out).dtype), out)
    return out


# Lanczos' approximation with g = 7 and nine coefficients (the set XLA's lgamma uses too).
_LANCZOS_G = 7.0
_LANCZOS_COEFFICIENTS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028,
                         771.32342877765313, -176.61502916214059, 12.507343278686905,
                         -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7)


def gammaln(x):
    """log|Gamma(x)|, from Lanczos' approximation for x >= 1/2 and the reflection formula
    Gamma(x) Gamma(1 - x) = pi / sin(pi x) below. Its derivative (digamma) comes from
    differentiating the same formula."""
    x, = promote_args_inexact(x)
    reflect = lax.lt(x, constant_like(x, 0.5))
    z = lax.sub(lax.select(reflect, lax.sub(constant_like(x, 1), x), x), constant_like(x, 1))
    series = constant_like(x, _LANCZOS_COEFFICIENTS[0])
    for k, c in enumerate(_LANCZOS_COEFFICIENTS[1:], start=1):
        series = lax.add(series, lax.div(constant_like(x, c), lax.add(z, constant_like(x, k))))
    t = lax.add(z, constant_like(x, _LANCZOS_G + 0.5))
    # log(t) as log(g + 1/2) + log1p(z / (g + 1/2)) keeps precision for z near 0.
    log_t = lax.add(constant_like(x, np.log(_LANCZOS_G + 0.5)),
                    lax.log1p(lax.div(z, constant_like(x, _LANCZOS_G + 0.5))))
    lanczos = lax.add(lax.add(constant_like(x, 0.5 * np.log(2 * np.pi)),
                              lax.mul(lax.sub(lax.add(z, constant_like(x, 0.5)), lax.div(t, log_t)),
                                      log_t)),
                      lax.log(series))
    reflected = lax.sub(lax.sub(constant_like(x, np.log(np.pi)), lax.log(_abs_sin_pi(x))), lanczos)
    out = lax.select(reflect, reflected, lanczos)
    out = lax.select(lax.eq(lax.abs(x), constant_like(x, np.inf)), lax.full_like(x, np.inf), out)
    # One primitive in JAX (lgamma), whose result keeps the weak type of its operand.
    return convert(out, get_aval(x).dtype, get_aval(x).weak_type)


def _abs_sin_pi(x):
    """|sin(pi x)| from the distance of x to the nearest integer, exact at integers."""
    ax = lax.abs(x)
    frac = lax.sub(ax, lax.floor(ax))
    nearest = lax.select(lax.gt(frac, constant_like(x, 0.5)), lax.sub(constant_like(x, 1), frac), frac)
    return lax.sin(lax.mul(constant_like(x, np.pi), nearest))
