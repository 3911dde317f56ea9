"""The gamma distribution with shape a. Mirrors jax/_src/scipy/stats/gamma.py (its cdf needs
the regularised incomplete gamma function, which jaxlite does not have)."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import gammaln, xlogy


def logpdf(x, a, loc=0, scale=1):
    x, a, loc, scale = promote_args_inexact(x, a, loc, scale)
    ok = lax.ge(x, loc)
    one = const(x, 1)
    y = jnp.where(ok, lax.div(lax.sub(x, loc), scale), one)  # a safe value off the support
    log_linear = lax.sub(xlogy(lax.sub(a, one), y), y)
    log_probs = lax.sub(log_linear, lax.add(gammaln(a), lax.log(scale)))
    return jnp.where(ok, log_probs, -np.inf)


def pdf(x, a, loc=0, scale=1):
    return lax.exp(logpdf(x, a, loc, scale))
