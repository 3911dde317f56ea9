"""jaxlite.numpy's tensor contractions: dot, matmul, vdot, inner, outer and tensordot.

Mirrors jax/_src/numpy/tensor_contractions.py: each product is one lax.dot_general whose
preferred_element_type is the promoted dtype, so the operands keep their own dtypes.
"""
import builtins

import numpy as np

from jaxlite import dtypes, errors, lax
from jaxlite.core import get_aval
from jaxlite.numpy import ufuncs
from jaxlite.numpy.lax_numpy import ravel
from jaxlite.numpy.util import asarray_arg, canonicalize_axis, convert, ndim, promote_dtypes, shape


def _product_dtype(a, b, preferred_element_type):
    if preferred_element_type is None:
        return dtypes.result_type(a, b, return_weak_type_flag=True)
    return dtypes.canonicalize_dtype(preferred_element_type), False


def _dot_general(a, b, dimension_numbers, dtype):
    """lax.dot_general, with its shape check done first so eager calls fail as traced ones do."""
    (a_contract, b_contract), _ = dimension_numbers
    a_sizes = tuple(shape(a)[i] for i in a_contract)
    b_sizes = tuple(shape(b)[i] for i in b_contract)
    if a_sizes != b_sizes:
        raise TypeError(errors.with_hint(
            f"dot_general requires contracting dimensions to have the same shape, got "
            f"{a_sizes} and {b_sizes}.",
            f"a product pairs the last axis of a with an axis of b of the same length, here {a_sizes} with "
            f"{b_sizes} (shapes {shape(a)} and {shape(b)}): transpose an operand (b.T) or check the shapes."))
    return lax.dot_general(a, b, dimension_numbers, dtype)


def dot(a, b, *, precision=None, preferred_element_type=None):
    """dot_general contracting a's last axis with b's second-to-last (or only) axis.

    Like JAX, the operands keep their dtypes: dot_general's preferred_element_type is the
    promoted dtype."""
    a, b = asarray_arg(a), asarray_arg(b)
    dtype, weak = _product_dtype(a, b, preferred_element_type)
    a_ndim, b_ndim = get_aval(a).ndim, get_aval(b).ndim
    if a_ndim == 0 or b_ndim == 0:
        contract = ((), ())
    else:
        contract = ((a_ndim - 1,), (builtins.max(b_ndim - 2, 0),))
    out = _dot_general(a, b, (contract, ((), ())), dtype)
    return convert(out, dtype, weak)


def matmul(a, b, *, precision=None, preferred_element_type=None):
    """Matrix product with NumPy's broadcasting over the leading (batch) axes.

    Batch axes of size 1 are squeezed away rather than broadcast, so dot_general only sees real
    batch dimensions; a final transpose puts the output axes in NumPy's order."""
    a, b = asarray_arg(a), asarray_arg(b)
    for i, x in enumerate((a, b)):
        if get_aval(x).ndim < 1:
            raise ValueError(errors.with_hint(f"matmul input operand {i} must have ndim at least 1, but it has "
                                              f"ndim {get_aval(x).ndim}",
                                              "@ and matmul multiply vectors and matrices: multiply scalars "
                                              "with *."))
    dtype, weak = _product_dtype(a, b, preferred_element_type)
    a_shape, b_shape = get_aval(a).shape, get_aval(b).shape
    a_is_mat, b_is_mat = len(a_shape) > 1, len(b_shape) > 1
    a_batch = a_shape[:-2] if a_is_mat else ()
    b_batch = b_shape[:-2] if b_is_mat else ()
    n_batch = builtins.max(len(a_batch), len(b_batch))
    a_batch = (None,) * (n_batch - len(a_batch)) + a_batch
    b_batch = (None,) * (n_batch - len(b_batch)) + b_batch
    a_squeeze, b_squeeze, both_squeeze = [], [], []
    a_batch_pos, b_batch_pos = [], []
    idx_batch, idx_a_free, idx_b_free = [], [], []
    for i, (sa, sb) in enumerate(zip(a_batch, b_batch)):
        if sa is None:
            idx_b_free.append(i)
        elif sb is None:
            idx_a_free.append(i)
        elif sa == 1 and sb == 1:
            a_squeeze.append(len(idx_batch) + len(idx_a_free) + len(a_squeeze))
            b_squeeze.append(len(idx_batch) + len(idx_b_free) + len(b_squeeze))
            both_squeeze.append(i)
        elif sa == 1:
            idx_b_free.append(i)
            a_squeeze.append(len(idx_batch) + len(idx_a_free) + len(a_squeeze))
        elif sb == 1:
            idx_a_free.append(i)
            b_squeeze.append(len(idx_batch) + len(idx_b_free) + len(b_squeeze))
        elif sa == sb:
            a_batch_pos.append(len(idx_batch) + len(idx_a_free))
            b_batch_pos.append(len(idx_batch) + len(idx_b_free))
            idx_batch.append(i)
        else:
            raise ValueError(errors.with_hint(
                f"Incompatible types for matmul arguments: {get_aval(a).str_short(short_dtypes=False)} and "
                f"{get_aval(b).str_short(short_dtypes=False)}",
                "the batch axes must broadcast: each leading dimension equal or 1 (the last two are the "
                "matrices)."))
    if a_is_mat:
        idx_a_free.append(n_batch)
    if b_is_mat:
        idx_b_free.append(n_batch + a_is_mat)
    a = lax.squeeze(a, tuple(a_squeeze))
    b = lax.squeeze(b, tuple(b_squeeze))
    contract = ((get_aval(a).ndim - 1,), (get_aval(b).ndim - 1 - b_is_mat,))
    out = _dot_general(a, b, (contract, (tuple(a_batch_pos), tuple(b_batch_pos))), dtype)
    out = lax.transpose(out, np.argsort(idx_batch + idx_a_free + idx_b_free).tolist())
    if both_squeeze:
        out = lax.expand_dims(out, tuple(both_squeeze))
    return convert(out, dtype, weak)


def vdot(a, b, *, precision=None, preferred_element_type=None):
    """The first argument is conjugated, as NumPy's vdot does."""
    return dot(ufuncs.conj(ravel(a)), ravel(b), preferred_element_type=preferred_element_type)


def inner(a, b, *, precision=None, preferred_element_type=None):
    a, b = asarray_arg(a), asarray_arg(b)
    if ndim(a) == 0 or ndim(b) == 0:
        return dot(a, b, preferred_element_type=preferred_element_type)
    return tensordot(a, b, ((ndim(a) - 1,), (ndim(b) - 1,)),
                     preferred_element_type=preferred_element_type)


def outer(a, b, out=None):
    a, b = promote_dtypes(ravel(a), ravel(b))
    return lax.mul(lax.expand_dims(a, (1,)), lax.expand_dims(b, (0,)))


def tensordot(a, b, axes=2, *, precision=None, preferred_element_type=None):
    a, b = asarray_arg(a), asarray_arg(b)
    dtype, weak = _product_dtype(a, b, preferred_element_type)
    an, bn = ndim(a), ndim(b)
    if isinstance(axes, (int, np.integer)):
        axes = int(axes)
        if axes > builtins.min(an, bn):
            raise TypeError(errors.with_hint(f"Number of tensordot axes (axes {axes}) exceeds input ranks "
                                             f"({shape(a)} and {shape(b)})",
                                             "tensordot contracts at most as many axes as each operand has."))
        contract = (tuple(range(an - axes, an)), tuple(range(axes)))
    else:
        ax_a, ax_b = axes
        ax_a = (ax_a,) if isinstance(ax_a, (int, np.integer)) else tuple(ax_a)
        ax_b = (ax_b,) if isinstance(ax_b, (int, np.integer)) else tuple(ax_b)
        if len(ax_a) != len(ax_b):
            raise TypeError(errors.with_hint("tensordot requires axes lists to have equal length, got "
                            f"{ax_a} and {ax_b}.",
                "give tensordot's axes two lists of the same length, one axis of a for each axis of b."))
        contract = (tuple(canonicalize_axis(i, an) for i in ax_a),
                    tuple(canonicalize_axis(i, bn) for i in ax_b))
    return convert(_dot_general(a, b, (contract, ((), ())), dtype), dtype, weak)
