"""The binomial distribution of n trials with success probability p. Mirrors
jax/_src/scipy/stats/binom.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp, ufuncs
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import gammaln, xlog1py, xlogy


def logpmf(k, n, p, loc=0):
    k, n, p, loc = promote_args_inexact(k, n, p, loc)
    y = lax.sub(k, loc)
    zero = const(y, 0)
    comb = lax.sub(gammaln(n + 1), lax.add(gammaln(y + 1), gammaln(n - y + 1)))
    log_linear = lax.add(xlogy(y, p), xlog1py(lax.sub(n, y), lax.neg(p)))
    log_probs = lax.add(comb, log_linear)
    # Certain outcomes (no trials, or p at 0 or 1) have probability exactly 1.
    certain = ufuncs.logical_or(ufuncs.logical_and(lax.eq(y, zero), lax.eq(n, zero)),
                                lax.eq(log_linear, zero))
    log_probs = jnp.where(certain, 0.0, log_probs)
    return jnp.where(lax.ge(k, loc) & lax.lt(k, loc + n + 1), log_probs, -np.inf)


def pmf(k, n, p, loc=0):
    return lax.exp(logpmf(k, n, p, loc))
