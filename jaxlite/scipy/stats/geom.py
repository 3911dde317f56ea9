"""The geometric distribution: the number of trials up to the first success. Mirrors
jax/_src/scipy/stats/geom.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp, ufuncs
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import xlog1py


def logpmf(k, p, loc=0):
    k, p, loc = promote_args_inexact(k, p, loc)
    x = lax.sub(k, loc)
    log_probs = xlog1py(lax.sub(x, const(k, 1)), -p) + lax.log(p)
    return jnp.where(lax.le(x, const(k, 0)), -np.inf, log_probs)


def pmf(k, p, loc=0):
    return ufuncs.exp(logpmf(k, p, loc))
