"""The chi-squared distribution with df degrees of freedom. Mirrors
jax/_src/scipy/stats/chi2.py; its cdf is the incomplete gamma function of df / 2."""
import numpy as np

from jaxlite import lax
from jaxlite.numpy import lax_numpy as jnp
from jaxlite.numpy.util import constant_like as const, promote_args_inexact
from jaxlite.scipy.special import gammainc, gammaincc, gammaln


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


def _half_df_and_half_x(x, df, loc, scale):
    x, df, loc, scale = promote_args_inexact(x, df, loc, scale)
    two = const(scale, 2)
    y = lax.clamp(const(x, 0), lax.div(lax.sub(x, loc), lax.mul(scale, two)), const(x, np.inf))
    return lax.div(df, two), y


def cdf(x, df, loc=0, scale=1):
    return gammainc(*_half_df_and_half_x(x, df, loc, scale))


def logcdf(x, df, loc=0, scale=1):
    return lax.log(cdf(x, df, loc, scale))


def sf(x, df, loc=0, scale=1):
    return gammaincc(*_half_df_and_half_x(x, df, loc, scale))


def logsf(x, df, loc=0, scale=1):
    return lax.log(sf(x, df, loc, scale))
