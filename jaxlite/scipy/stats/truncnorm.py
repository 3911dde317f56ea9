"""The normal distribution truncated to [a, b] (in units of scale around loc). Mirrors
jax/_src/scipy/stats/truncnorm.py: probability masses are handled as logs throughout, using the
tail where it is accurate."""
import numpy as np

from jaxlite import lax
from jaxlite import numpy as jnp
from jaxlite.numpy import ufuncs
from jaxlite.numpy.util import promote_args_inexact
from jaxlite.scipy.special import log_ndtr, logsumexp, ndtr
from jaxlite.scipy.stats import norm


def _log_diff(x, y):
    """log(exp(x) - exp(y))."""
    return logsumexp(jnp.array([x, y]), b=jnp.array([jnp.ones_like(x), -jnp.ones_like(y)]), axis=0)


def _log_gauss_mass(a, b):
    """log P(a < Z < b) for a standard normal Z: from the nearer tail when [a, b] lies on one
    side of 0, else as 1 minus the two tails."""
    a, b = jnp.broadcast_arrays(jnp.asarray(a), jnp.asarray(b))
    left, right = b <= 0, a > 0
    central = ~(left | right)
    a_tail = jnp.where(right, -b, a)
    b_tail = jnp.where(right, -a, b)
    mass_tail = _log_diff(log_ndtr(b_tail), log_ndtr(a_tail))
    mass_central = ufuncs.log1p(-ndtr(a) - ndtr(-b))
    return jnp.where(central, mass_central, mass_tail)


def logpdf(x, a, b, loc=0, scale=1):
    x, a, b, loc, scale = promote_args_inexact(x, a, b, loc, scale)
    value = lax.sub(norm.logpdf(x, loc, scale), _log_gauss_mass(a, b))
    z = lax.div(lax.sub(x, loc), scale)
    value = jnp.where((z < a) | (z > b), -np.inf, value)
    return jnp.where(a >= b, np.nan, value)


def pdf(x, a, b, loc=0, scale=1):
    return lax.exp(logpdf(x, a, b, loc, scale))


def logcdf(x, a, b, loc=0, scale=1):
    x, a, b, loc, scale = promote_args_inexact(x, a, b, loc, scale)
    x, a, b = jnp.broadcast_arrays(x, a, b)
    x = lax.div(lax.sub(x, loc), scale)
    total = _log_gauss_mass(a, b)
    log_cdf = _log_gauss_mass(a, x) - total
    log_sf = _log_gauss_mass(x, b) - total
    # Near 1 the cdf is better as 1 - sf.
    out = jnp.where(x > a, log_cdf, 0.0)
    out = jnp.where(log_cdf > -0.1, ufuncs.log1p(-ufuncs.exp(log_sf)), out)
    out = jnp.where(x <= a, -np.inf, out)
    out = jnp.where(x >= b, 0.0, out)
    return jnp.where(a >= b, np.nan, out)


def cdf(x, a, b, loc=0, scale=1):
    return lax.exp(logcdf(x, a, b, loc, scale))


def logsf(x, a, b, loc=0, scale=1):
    x, a, b, loc, scale = promote_args_inexact(x, a, b, loc, scale)
    return logcdf(-x, -b, -a, -loc, scale)


def sf(x, a, b, loc=0, scale=1):
    return lax.exp(logsf(x, a, b, loc, scale))
