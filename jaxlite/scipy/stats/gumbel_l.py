"""The left-skewed Gumbel (minimum extreme value) distribution. Mirrors
jax/_src/scipy/stats/gumbel_l.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import xlog1py, xlogy


def _valid(scale):
    return lax.gt(scale, const(scale, 0))


def logpdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    return jnp.where(_valid(scale), lax.add(xlogy(-1, scale), lax.sub(z, lax.exp(z))), np.nan)


def pdf(x, loc=0, scale=1):
    return lax.exp(logpdf(x, loc, scale))


def logcdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    return jnp.where(_valid(scale), lax.log(lax.neg(lax.expm1(lax.neg(lax.exp(z))))), np.nan)


def cdf(x, loc=0, scale=1):
    return lax.exp(logcdf(x, loc, scale))


def logsf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    return jnp.where(_valid(scale), lax.neg(lax.exp(z)), np.nan)


def sf(x, loc=0, scale=1):
    return lax.exp(logsf(x, loc, scale))


def ppf(p, loc=0, scale=1):
    p, loc, scale = promote_args_inexact(p, loc, scale)
    ok = lax.bitwise_and(lax.gt(p, const(p, 0)), lax.lt(p, const(p, 1)))
    return jnp.where(ok, lax.add(loc, lax.mul(scale, lax.log(xlog1py(-1, lax.neg(p))))), np.nan)
