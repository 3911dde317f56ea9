"""Student's t distribution with df degrees of freedom. Mirrors jax/_src/scipy/stats/t.py."""
import numpy as np

from jaxlite import lax
from jaxlite.scipy.special import gammaln
from jaxlite.numpy.util import constant_like as const, promote_args_inexact


def logpdf(x, df, loc=0, scale=1):
    x, df, loc, scale = promote_args_inexact(x, df, loc, scale)
    z = lax.div(lax.sub(x, loc), scale)
    half_df = lax.div(df, const(x, 2))
    half_df_plus_half = lax.add(half_df, const(x, 0.5))
    log_norm = lax.div(lax.log(lax.mul(lax.mul(lax.mul(scale, scale), const(x, np.pi)), df)), const(x, 2))
    normalizer = lax.sub(lax.add(gammaln(half_df), log_norm), gammaln(half_df_plus_half))
    return lax.neg(lax.add(normalizer, lax.mul(half_df_plus_half, lax.log1p(lax.div(lax.mul(z, z), df)))))


def pdf(x, df, loc=0, scale=1):
    return lax.exp(logpdf(x, df, loc, scale))
