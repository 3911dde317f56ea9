"""The right-skewed Gumbel (maximum extreme value) distribution. Mirrors
jax/_src/scipy/stats/gumbel_r.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import xlogy


def _valid(scale):
    return lax.gt(scale, const(scale, 0))


def logpdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    value = lax.add(xlogy(-1, scale), lax.neg(lax.add(z, lax.exp(lax.neg(z)))))
    return jnp.where(_valid(scale), value, np.nan)


def pdf(x, loc=0, scale=1):
    return lax.exp(logpdf(x, loc, scale))


def logcdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    return jnp.where(_valid(scale), lax.neg(lax.exp(lax.neg(z))), np.nan)


def cdf(x, loc=0, scale=1):
    return lax.exp(logcdf(x, loc, scale))


def sf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    neg_z = lax.div(lax.sub(loc, x), scale)
    value = lax.sub(const(x, 1), lax.exp(lax.neg(lax.exp(neg_z))))
    return jnp.where(_valid(scale), value, np.nan)


def logsf(x, loc=0, scale=1):
    """log(1 - exp(-exp(-z))), through log(-expm1(.)) to keep the upper tail's precision."""
    x, loc, scale = promote_args_inexact(x, loc, scale)
    neg_z = lax.div(lax.sub(loc, x), scale)
    value = lax.log(lax.neg(lax.expm1(lax.neg(lax.exp(neg_z)))))
    return jnp.where(_valid(scale), value, np.nan)


def ppf(p, loc=0, scale=1):
    p, loc, scale = promote_args_inexact(p, loc, scale)
    ok = lax.bitwise_and(lax.gt(p, const(p, 0)), lax.lt(p, const(p, 1)))
    return jnp.where(ok, lax.sub(loc, lax.mul(scale, lax.log(xlogy(-1, p)))), np.nan)
