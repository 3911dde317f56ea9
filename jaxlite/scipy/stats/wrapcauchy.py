"""The wrapped Cauchy distribution on [0, 2 pi]. Mirrors jax/_src/scipy/stats/wrapcauchy.py."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp, ufuncs
from jaxlite.numpy.util import constant_like as const, promote_args_inexact


def logpdf(x, c):
    x, c = promote_args_inexact(x, c)
    value = ufuncs.log(1 - c * c) - ufuncs.log(2 * np.pi) - ufuncs.log(1 + c * c - 2 * c * ufuncs.cos(x))
    on_circle = lax.ge(x, const(x, 0)) & lax.le(x, const(x, 2 * np.pi))
    valid_c = lax.gt(c, const(c, 0)) & lax.lt(c, const(c, 1))
    return jnp.where(valid_c, jnp.where(on_circle, value, -np.inf), np.nan)


def pdf(x, c):
    return lax.exp(logpdf(x, c))
