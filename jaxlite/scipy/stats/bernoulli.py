"""The Bernoulli distribution: 1 with probability p, else 0. Mirrors
jax/_src/scipy/stats/bernoulli.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp, ufuncs
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import xlog1py, xlogy


def logpmf(k, p, loc=0):
    k, p, loc = promote_args_inexact(k, p, loc)
    zero, one = const(k, 0), const(k, 1)
    x = lax.sub(k, loc)
    log_probs = xlogy(x, p) + xlog1py(lax.sub(one, x), -p)
    return jnp.where(ufuncs.logical_or(lax.lt(x, zero), lax.gt(x, one)), -np.inf, log_probs)


def pmf(k, p, loc=0):
    return ufuncs.exp(logpmf(k, p, loc))


def _invalid_p(p):
    return ufuncs.isnan(p) | (p < const(p, 0)) | (p > const(p, 1))


def cdf(k, p):
    k, p = promote_args_inexact(k, p)
    zero, one = const(k, 0), const(k, 1)
    out = jnp.where(lax.ge(k, one), one, jnp.where(lax.ge(k, zero), one - p, zero))
    return jnp.where(ufuncs.isnan(k) | _invalid_p(p), np.nan, out)


def ppf(q, p):
    q, p = promote_args_inexact(q, p)
    zero, one = const(q, 0), const(q, 1)
    invalid = ufuncs.isnan(q) | _invalid_p(p) | (q < zero) | (q > one)
    return jnp.where(invalid, np.nan, jnp.where(lax.le(q, one - p), zero, one))
