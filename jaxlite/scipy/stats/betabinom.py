"""The beta-binomial distribution. Mirrors jax/_src/scipy/stats/betabinom.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp, ufuncs
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import betaln


def logpmf(k, n, a, b, loc=0):
    k, n, a, b, loc = promote_args_inexact(k, n, a, b, loc)
    y = lax.sub(lax.floor(k), loc)
    one, zero = const(y, 1), const(y, 0)
    log_comb = lax.neg(lax.add(lax.log1p(n), betaln(lax.add(lax.sub(n, y), one), lax.add(y, one))))
    log_betas = lax.sub(betaln(lax.add(y, a), lax.add(lax.sub(n, y), b)), betaln(a, b))
    log_probs = lax.add(log_comb, log_betas)
    log_probs = jnp.where(ufuncs.logical_and(lax.eq(y, zero), lax.eq(n, zero)), 0.0, log_probs)
    off_support = ufuncs.logical_or(ufuncs.logical_or(lax.lt(y, lax.neg(loc)), lax.gt(y, n)),
                                    lax.le(lax.add(y, a), zero))
    log_probs = jnp.where(off_support, -np.inf, log_probs)
    bad = ufuncs.logical_or(ufuncs.logical_or(lax.lt(n, zero), lax.le(a, zero)), lax.le(b, zero))
    return jnp.where(bad, np.nan, log_probs)


def pmf(k, n, a, b, loc=0):
    return lax.exp(logpmf(k, n, a, b, loc))
