"""The multivariate normal distribution N(mean, cov). Mirrors
jax/_src/scipy/stats/multivariate_normal.py: the quadratic form comes from a Cholesky factor
and one triangular solve, never an inverse."""
import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.lax import linalg as lax_linalg
from jaxlite import numpy as jnp
from jaxlite.numpy import reductions, ufuncs
from jaxlite.numpy.util import promote_dtypes_inexact


def logpdf(x, mean, cov, allow_singular=None):
    """log N(x; mean, cov). cov may be a scalar (isotropic) or an (n, n) matrix; x and mean
    broadcast over leading batch axes."""
    if allow_singular is not None:
        raise NotImplementedError("allow_singular argument of multivariate_normal.logpdf")
    x, mean, cov = promote_dtypes_inexact(x, mean, cov)
    if not get_aval(mean).shape:
        return (-1 / 2 * ufuncs.square(x - mean) / cov
                - 1 / 2 * (ufuncs.log(2 * np.pi) + ufuncs.log(cov)))
    n = get_aval(mean).shape[-1]
    if not get_aval(cov).shape:
        y = x - mean
        return (-1 / 2 * jnp.einsum("...i,...i->...", y, y) / cov
                - n / 2 * (ufuncs.log(2 * np.pi) + ufuncs.log(cov)))
    if get_aval(cov).ndim < 2 or get_aval(cov).shape[-2:] != (n, n):
        raise ValueError(with_hint("multivariate_normal.logpdf got incompatible shapes",
            "x's last axis, mean and cov's axes must all have the same length (the dimension)."))
    L = lax_linalg.cholesky(cov)
    y = _solve_lower(L, x - mean)
    return (-1 / 2 * jnp.einsum("...i,...i->...", y, y) - n / 2 * ufuncs.log(2 * np.pi)
            - reductions.sum(ufuncs.log(jnp.diagonal(L, axis1=-1, axis2=-2)), axis=-1))


def _solve_lower(L, d):
    """L^-1 d for a batch of vectors d, broadcasting L's batch axes against d's."""
    batch = np.broadcast_shapes(get_aval(L).shape[:-2], get_aval(d).shape[:-1])
    n = get_aval(d).shape[-1]
    L = jnp.broadcast_to(L, batch + (n, n))
    d = jnp.broadcast_to(d, batch + (n,))
    return lax_linalg.triangular_solve(L, d, left_side=True, lower=True, transpose_a=False)


def pdf(x, mean, cov):
    return lax.exp(logpdf(x, mean, cov))
