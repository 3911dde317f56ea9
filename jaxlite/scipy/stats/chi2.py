"""The chi-squared distribution with df degrees of freedom. Mirrors
jax/_src/scipy/stats/chi2.py (its cdf needs the incomplete gamma function, which jaxlite does
not have)."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import gammaln


def logpdf(x, df, loc=0, scale=1):
    x, df, loc, scale = promote_args_inexact(x, df, loc, scale)
    one, two = const(x, 1), const(x, 2)
    y = lax.div(lax.sub(x, loc), scale)
    half_df = lax.div(df, two)
    kernel = lax.sub(lax.mul(lax.sub(half_df, one), lax.log(y)), lax.div(y, two))
    normalizer = lax.neg(lax.add(gammaln(half_df), lax.div(lax.mul(lax.log(two), df), two)))
    log_probs = lax.add(lax.sub(normalizer, lax.log(scale)), kernel)
    return jnp.where(lax.lt(x, loc), -np.inf, log_probs)


def pdf(x, df, loc=0, scale=1):
    return lax.exp(logpdf(x, df, loc, scale))
