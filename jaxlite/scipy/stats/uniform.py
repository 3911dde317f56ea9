"""The uniform distribution on [loc, loc + scale]. Mirrors jax/_src/scipy/stats/uniform.py."""
import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite import numpy as jnp
from jaxlite.numpy import ufuncs
from jaxlite.numpy.util import promote_args_inexact


def logpdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    outside = ufuncs.logical_or(lax.gt(x, lax.add(loc, scale)), lax.lt(x, loc))
    return jnp.where(outside, -np.inf, lax.neg(lax.log(scale)))


def pdf(x, loc=0, scale=1):
    return lax.exp(logpdf(x, loc, scale))


def cdf(x, loc=0, scale=1):
    x, loc, scale = promote_args_inexact(x, loc, scale)
    dtype = get_aval(x).dtype
    inside = lax.div(lax.sub(x, loc), scale)
    out = jnp.where(lax.gt(x, lax.add(loc, scale)), jnp.array(1, dtype), inside)
    out = jnp.where(lax.lt(x, loc), jnp.array(0, dtype), out)
    return jnp.where(ufuncs.isnan(inside), jnp.array(0, dtype), out)


def ppf(q, loc=0, scale=1):
    q, loc, scale = promote_args_inexact(q, loc, scale)
    invalid = ufuncs.isnan(q) | (q < 0) | (q > 1)
    return jnp.where(invalid, np.nan, lax.add(loc, lax.mul(scale, q)))
