"""Statistics of samples (jax.scipy.stats.sem). Mirrors jax/_src/scipy/stats/_core.py."""
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.numpy import reductions, ufuncs
from jaxlite.numpy.util import promote_args_inexact


def sem(a, axis=0, ddof=1, nan_policy="propagate", *, keepdims=False):
    """The standard error of the mean: the standard deviation over sqrt(number of samples)."""
    b, = promote_args_inexact(a)
    if nan_policy == "omit":
        raise NotImplementedError("jaxlite's sem implements nan_policy='propagate' only.")
    if nan_policy != "propagate":
        raise ValueError(with_hint(f"{nan_policy} is not supported",
            "leave nan_policy at its default, 'propagate'."))
    size = get_aval(b).size if axis is None else get_aval(b).shape[axis]
    return reductions.std(b, axis, ddof=ddof, keepdims=keepdims) / ufuncs.sqrt(size).astype(get_aval(b).dtype)
