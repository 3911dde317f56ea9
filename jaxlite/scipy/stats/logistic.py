"""The logistic distribution. Mirrors jax/_src/scipy/stats/logistic.py."""
from jaxlite import lax
from jaxlite.numpy import ufuncs
from jaxlite.scipy.special import expit, logit
from jaxlite.numpy.util import constant_like as const, promote_args_inexact


def logpdf(x, loc=0, scale=1):
    """-2 log(2 cosh(z / 2)) - log scale, with log(2 cosh) as a logaddexp (no overflow)."""
    x, loc, scale = promote_args_inexact(x, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    half = lax.div(z, const(z, 2))
    return lax.sub(lax.mul(const(z, -2), ufuncs.logaddexp(half, lax.neg(half))), lax.log(scale))


def pdf(x, loc=0, scale=1):
    return lax.exp(logpdf(x, loc, scale))


def cdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    return expit(lax.div(lax.sub(x, loc), scale))


def sf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    return expit(lax.neg(lax.div(lax.sub(x, loc), scale)))


def ppf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    return lax.add(lax.mul(logit(x), scale), loc)


def isf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    return lax.add(lax.mul(lax.neg(logit(x)), scale), loc)
