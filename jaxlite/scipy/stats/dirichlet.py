"""The Dirichlet distribution on the simplex. Mirrors jax/_src/scipy/stats/dirichlet.py: x's
first axis holds the components (all of them, or all but the last, which is then 1 - sum)."""
import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.numpy import lax_numpy as jnp, reductions
from jaxlite.numpy.util import constant_like as const, promote_dtypes_inexact
from jaxlite.scipy.special import gammaln, xlogy


def _is_simplex(x):
    total = reductions.sum(x, axis=0)
    return reductions.all(x > 0, axis=0) & (abs(total - 1) < 1e-6)


def logpdf(x, alpha):
    x, alpha = promote_dtypes_inexact(x, alpha)
    x_shape, alpha_shape = get_aval(x).shape, get_aval(alpha).shape
    if len(alpha_shape) != 1:
        raise ValueError(with_hint(f"`alpha` must be one-dimensional; got alpha.shape={alpha_shape}",
            "alpha holds one concentration per category: a 1-D array."))
    if x_shape[0] not in (alpha_shape[0], alpha_shape[0] - 1):
        raise ValueError(with_hint(f"`x` must have either the same number of entries as `alpha` or one entry "
                         f"fewer; got x.shape={x_shape}, alpha.shape={alpha_shape}",
            "x holds one value per category (or all but the last)."))
    one = const(x, 1)
    if x_shape[0] != alpha_shape[0]:
        x = jnp.concatenate([x, lax.sub(one, reductions.sum(x, axis=0, keepdims=True))], axis=0)
    normalizer = reductions.sum(gammaln(alpha)) - gammaln(reductions.sum(alpha))
    if get_aval(x).ndim > 1:
        alpha = lax.broadcast_in_dim(alpha, alpha_shape + (1,) * (get_aval(x).ndim - 1), (0,))
    log_probs = lax.sub(reductions.sum(xlogy(lax.sub(alpha, one), x), axis=0), normalizer)
    return jnp.where(_is_simplex(x), log_probs, -np.inf)


def pdf(x, alpha):
    return lax.exp(logpdf(x, alpha))
