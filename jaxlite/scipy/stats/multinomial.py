"""The multinomial distribution of n draws over the categories of p. Mirrors
jax/_src/scipy/stats/multinomial.py."""
import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite import numpy as jnp
from jaxlite.numpy import reductions, ufuncs
from jaxlite.numpy.util import promote_args_inexact, promote_dtypes_numeric, promote_shapes
from jaxlite.scipy.special import gammaln, xlogy


def logpmf(x, n, p):
    p, = promote_args_inexact(p)
    x, n = promote_shapes(*promote_dtypes_numeric(x, n))
    if get_aval(x).dtype.kind not in "iu":
        raise ValueError(with_hint(f"x and n must be of integer type; got x.dtype={get_aval(x).dtype}, "
                         f"n.dtype={get_aval(n).dtype}",
            "counts are integers: cast x and n with .astype(jnp.int32)."))
    x = x.astype(get_aval(p).dtype)
    n = n.astype(get_aval(p).dtype)
    log_probs = gammaln(n + 1) + reductions.sum(xlogy(x, p) - gammaln(x + 1), axis=-1)
    return jnp.where(ufuncs.equal(reductions.sum(x), n), log_probs, -np.inf)


def pmf(x, n, p):
    return lax.exp(logpmf(x, n, p))
