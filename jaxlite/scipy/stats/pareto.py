"""The Pareto distribution with shape b. Mirrors jax/_src/scipy/stats/pareto.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp, ufuncs
from jaxlite.numpy.util import constant_like as const, promote_args_inexact


def logpdf(x, b, loc=0, scale=1):
    x, b, loc, scale = promote_args_inexact(x, b, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    log_probs = lax.neg(lax.add(lax.log(lax.div(scale, b)), lax.mul(lax.add(b, const(x, 1)), lax.log(z))))
    return jnp.where(lax.lt(x, lax.add(loc, scale)), -np.inf, log_probs)


def pdf(x, b, loc=0, scale=1):
    return lax.exp(logpdf(x, b, loc, scale))


def cdf(x, b, loc=0, scale=1):
    x, b, loc, scale = promote_args_inexact(x, b, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    return jnp.where(lax.lt(x, lax.add(loc, scale)), const(x, 0),
                     lax.sub(const(x, 1), lax.pow(z, lax.neg(b))))


def logcdf(x, b, loc=0, scale=1):
    x, b, loc, scale = promote_args_inexact(x, b, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    return jnp.where(lax.lt(x, lax.add(loc, scale)), -np.inf, lax.log1p(lax.neg(lax.pow(z, lax.neg(b)))))


def logsf(x, b, loc=0, scale=1):
    x, b, loc, scale = promote_args_inexact(x, b, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    return jnp.where(lax.lt(x, lax.add(loc, scale)), const(x, 0), lax.neg(lax.mul(b, lax.log(z))))


def sf(x, b, loc=0, scale=1):
    return lax.exp(logsf(x, b, loc, scale))


def ppf(q, b, loc=0, scale=1):
    q, b, loc, scale = promote_args_inexact(q, b, loc, scale)
    one = const(q, 1)
    value = lax.add(loc, lax.mul(scale, lax.pow(lax.sub(one, q), lax.neg(lax.div(one, b)))))
    return jnp.where(ufuncs.isnan(q) | (q < 0) | (q > 1), np.nan, value)
