"""The Poisson distribution with mean mu. Mirrors jax/_src/scipy/stats/poisson.py; its cdf is the
upper incomplete gamma function (jaxlite leaves out its entropy)."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp, ufuncs
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import gammaincc, gammaln, xlogy


def logpmf(k, mu, loc=0):
    """k log mu - log k! - mu at integers k >= loc, -inf elsewhere."""
    k, mu, loc = promote_args_inexact(k, mu, loc)
    x = lax.sub(k, loc)
    log_probs = xlogy(x, mu) - gammaln(x + 1) - mu
    off_support = ufuncs.logical_or(lax.lt(x, const(k, 0)), lax.ne(ufuncs.round(k), k))
    return jnp.where(off_support, -np.inf, log_probs)


def pmf(k, mu, loc=0):
    return ufuncs.exp(logpmf(k, mu, loc))


def cdf(k, mu, loc=0):
    """P(K <= k) = Q(floor(k - loc) + 1, mu), 0 below the support."""
    k, mu, loc = promote_args_inexact(k, mu, loc)
    x = lax.sub(k, loc)
    p = gammaincc(ufuncs.floor(1 + x), mu)
    zero = const(k, 0)
    return jnp.where(lax.lt(x, zero), zero, p)
