"""`jaxlite.numpy.linalg`: vector and matrix norms.

Mirrors jax/_src/numpy/linalg.py (norm, vector_norm, matrix_norm). Norms that need singular values
(the matrix 2-norm and the nuclear norm) are left out: jaxlite has no SVD primitive.
"""
import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite.numpy import lax_numpy, reductions, ufuncs
from jaxlite.numpy.util import canonicalize_axis, constant_like, promote_dtypes_inexact


def norm(x, ord=None, axis=None, keepdims=False):
    """A vector norm over one axis or a matrix norm over two; with axis=None, the Frobenius
    norm of everything when ord is None, otherwise the norm of a 1-D or 2-D x."""
    x, = promote_dtypes_inexact(x)
    ndim = get_aval(x).ndim
    if axis is None:
        if ord is None:
            return _two_norm(lax_numpy.ravel(x), 0, keepdims, ndim)
        axis = tuple(range(ndim))
    elif isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    axis = tuple(canonicalize_axis(a, ndim) for a in axis)
    if len(axis) == 1:
        return _vector_norm(x, ord, axis[0], keepdims)
    if len(axis) == 2:
        return _matrix_norm(x, ord, axis, keepdims)
    raise ValueError(f"Improper number of axes for norm: axis={axis}. Pass one axis to compute a "
                     "vector-norm, or two axes to compute a matrix-norm.")


def _two_norm(x, axis, keepdims, original_ndim=None):
    """sqrt of the sum of squares, staged as JAX stages it (`mul x x`, reduce_sum, sqrt)."""
    out = lax.sqrt(reductions.sum(lax.mul(x, x), axis=axis, keepdims=keepdims))
    if keepdims and original_ndim is not None:
        out = lax.reshape(out, (1,) * original_ndim)
    return out


def _vector_norm(x, ord, axis, keepdims):
    if ord is None or ord == 2:
        return _two_norm(x, axis, keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid order '{ord}' for vector norm.")
    if ord == np.inf:
        return reductions.max(ufuncs.abs(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return reductions.min(ufuncs.abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        nonzero = lax.convert_element_type(lax.ne(x, constant_like(x, 0)), get_aval(x).dtype)
        return reductions.sum(nonzero, axis=axis, keepdims=keepdims)
    if ord == 1:
        return reductions.sum(ufuncs.abs(x), axis=axis, keepdims=keepdims)
    p = constant_like(x, ord)
    total = reductions.sum(lax.pow(ufuncs.abs(x), p), axis=axis, keepdims=keepdims)
    return lax.pow(total, lax.div(constant_like(x, 1), p))


def _matrix_norm(x, ord, axis, keepdims):
    row_axis, col_axis = axis
    if row_axis == col_axis:
        raise ValueError(f"Duplicate axes given: {axis}")
    if ord is None or ord == "fro":
        return _two_norm(x, axis, keepdims)
    if ord in (1, -1, np.inf, -np.inf):
        # 1-norms take column sums (over rows), inf-norms take row sums (over columns).
        summed_axis, kept_axis = (row_axis, col_axis) if ord in (1, -1) else (col_axis, row_axis)
        reduce = reductions.max if ord > 0 else reductions.min
        sums = reductions.sum(ufuncs.abs(x), axis=summed_axis, keepdims=True)
        out = reduce(sums, axis=kept_axis, keepdims=True)
        return out if keepdims else lax.squeeze(out, tuple(sorted(axis)))
    if ord in (2, -2, "nuc"):
        raise NotImplementedError(f"jaxlite has no singular value decomposition, so the matrix norm "
                                  f"ord={ord!r} is not available.")
    raise ValueError(f"Invalid order '{ord}' for matrix norm.")


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    x, = promote_dtypes_inexact(x)
    if axis is None:
        out = _vector_norm(lax_numpy.ravel(x), ord, 0, False)
        return lax.reshape(out, (1,) * get_aval(x).ndim) if keepdims else out
    if isinstance(axis, (int, np.integer)):
        return _vector_norm(x, ord, canonicalize_axis(axis, get_aval(x).ndim), keepdims)
    raise NotImplementedError("vector_norm over several axes is not supported.")


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)
