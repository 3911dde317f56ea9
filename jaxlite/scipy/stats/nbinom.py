"""The negative binomial distribution: failures before the n-th success. Mirrors
jax/_src/scipy/stats/nbinom.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import gammaln, xlogy


def logpmf(k, n, p, loc=0):
    k, n, p, loc = promote_args_inexact(k, n, p, loc)
    one = const(k, 1)
    y = lax.sub(k, loc)
    comb = lax.sub(lax.sub(gammaln(lax.add(y, n)), gammaln(n)), gammaln(lax.add(y, one)))
    log_linear = lax.add(xlogy(n, p), xlogy(y, lax.sub(one, p)))
    return jnp.where(lax.lt(k, loc), -np.inf, lax.add(comb, log_linear))


def pmf(k, n, p, loc=0):
    return lax.exp(logpmf(k, n, p, loc))
