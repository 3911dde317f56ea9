"""The Laplace (double exponential) distribution. Mirrors jax/_src/scipy/stats/laplace.py."""
from jaxlite import lax
from jaxlite.numpy.util import constant_like as const, promote_args_inexact


def logpdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    return lax.neg(lax.add(lax.div(lax.abs(lax.sub(x, loc)), scale),
                           lax.log(lax.mul(const(x, 2), scale))))


def pdf(x, loc=0, scale=1):
    return lax.exp(logpdf(x, loc, scale))


def cdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    half = const(x, 0.5)
    return lax.select(lax.le(z, const(x, 0)), lax.mul(half, lax.exp(z)),
                      lax.sub(const(x, 1), lax.mul(half, lax.exp(lax.neg(z)))))
