"""Sorting primitives and their rules: sort (with sort_key_val) and top_k.

Mirrors part of jax/_src/lax/lax.py, where JAX keeps these with the other basic primitives (it has no
separate file for them).
"""
import operator

import numpy as np

from jaxlite import dtypes, errors
from jaxlite.array import ArrayImpl
from jaxlite.core import Primitive, ShapedArray, get_aval
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters.ad import Zero
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.lax import shapes
from jaxlite.lax.utils import to_array

__all__ = ["sort", "sort_key_val", "top_k", "sort_p", "top_k_p"]


def _sort_impl(*operands, dimension, is_stable, num_keys):
    """Lexicographic by the first num_keys operands; NaNs last and -0.0 == 0.0, as in JAX."""
    moved = [np.moveaxis(np.asarray(x), dimension, -1) for x in operands]
    keys = [np.where(k == 0, np.zeros_like(k), k) if dtypes.kind(k.dtype) == "f" else k
            for k in moved[:num_keys]]
    order = np.lexsort(keys[::-1], axis=-1) if moved[0].ndim else np.zeros((), np.intp)
    outs = [np.moveaxis(np.take_along_axis(x, order, -1), -1, dimension) if x.ndim else x
            for x in moved]
    return [ArrayImpl(o, get_aval(x).weak_type) for o, x in zip(outs, operands)]


def _sort_abstract_eval(*avals, dimension, is_stable, num_keys):
    if len({a.shape for a in avals}) != 1:
        raise TypeError(errors.with_hint(f"sort arguments must have the same shape, got "
                        f"{', '.join(str(a.shape) for a in avals)}",
            "sort all operands along one shape: give them the same shape."))
    if not 1 <= num_keys <= len(avals):
        raise ValueError(errors.with_hint(f"num_keys={num_keys} must be between 1 and the number of operands",
            "num_keys counts the operands to sort by, from 1 to the number of operands."))
    return list(avals)


sort_p = Primitive("sort")
sort_p.multiple_results = True
sort_p.def_impl(_sort_impl)
sort_p.def_abstract_eval(_sort_abstract_eval)


def _sort_jvp(primals, tangents, *, dimension, is_stable, num_keys):
    """Sort an iota along with the operands; the permutation it records gathers the tangents."""
    shape = get_aval(primals[0]).shape
    iotas = [shapes.broadcasted_iota(np.int32, shape, d) for d in range(len(shape))]
    sorted_ = sort_p.bind(*primals, iotas[dimension], dimension=dimension, is_stable=is_stable,
                          num_keys=num_keys)
    perm = tuple(sorted_[-1] if d == dimension else iotas[d] for d in range(len(shape)))
    tangents_out = [t if type(t) is Zero else t[perm] for t in tangents]
    return sorted_[:-1], tangents_out


def _sort_batcher(args, dims, *, dimension, is_stable, num_keys):
    size = batching.axis_size_of(args, dims)
    args = [batching.bdim_at_front(x, d, size) for x, d in zip(args, dims)]
    return sort_p.bind(*args, dimension=dimension + 1, is_stable=is_stable,
                       num_keys=num_keys), [0] * len(args)


ad.primitive_jvps[sort_p] = _sort_jvp
batching.primitive_batchers[sort_p] = _sort_batcher


def sort(operand, dimension=-1, is_stable=True, num_keys=1):
    """Sort one array, or several along the same axis keyed by the first `num_keys` of them."""
    multiple = isinstance(operand, (tuple, list))
    operands = [to_array(x) for x in (operand if multiple else [operand])]
    ndim = get_aval(operands[0]).ndim
    dimension = int(dimension) % ndim if ndim else int(dimension)
    outs = sort_p.bind(*operands, dimension=dimension, is_stable=bool(is_stable),
                       num_keys=int(num_keys))
    return tuple(outs) if multiple else outs[0]


register_lowering(sort_p, lambda ctx, *xs, dimension, is_stable, num_keys: ctx.lax.sort(
    xs, dimension=dimension, is_stable=is_stable, num_keys=num_keys), "xla")
register_lowering(sort_p, numpy_codegen.impl_call(sort_p), "numpy")


def sort_key_val(keys, values, dimension=-1, is_stable=True):
    return sort((keys, values), dimension, is_stable, num_keys=1)


def _top_k_impl(operand, *, k, axis):
    """The k largest entries along `axis` and where they were: ties keep the lower index first
    and NaN counts as the largest, as in XLA. A stable ascending sort of the reversed array, read
    backwards, is a stable descending sort."""
    _top_k_abstract_eval(get_aval(operand), k=k, axis=axis)  # JAX's checks, eagerly too
    x = np.asarray(operand)
    n = x.shape[axis]
    ascending_of_reversed = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    order = (n - 1) - np.flip(ascending_of_reversed, axis)
    indices = np.take(order, np.arange(k), axis=axis)
    values = np.take_along_axis(x, indices, axis=axis)
    return [ArrayImpl(values, get_aval(operand).weak_type), ArrayImpl(indices.astype(np.int32), False)]


def _top_k_abstract_eval(operand, *, k, axis):
    if k < 0:
        raise ValueError(f"k argument to top_k must be nonnegative, got {k}")
    if operand.shape[axis] < k:
        raise ValueError(f"k argument to top_k must be no larger than size along axis; got k={k} with "
                         f"shape={list(operand.shape)} and axis={axis}")
    shape = operand.shape[:axis] + (k,) + operand.shape[axis + 1:]
    return [ShapedArray(shape, operand.dtype, operand.weak_type), ShapedArray(shape, np.dtype(np.int32))]


top_k_p = Primitive("top_k")
top_k_p.multiple_results = True
top_k_p.def_impl(_top_k_impl)
top_k_p.def_abstract_eval(_top_k_abstract_eval)


def _top_k_jvp(primals, tangents, *, k, axis):
    """The tangent of each value is the tangent of the entry it was taken from."""
    (operand,), (t,) = primals, tangents
    values, indices = top_k_p.bind(operand, k=k, axis=axis)
    if type(t) is Zero:
        return [values, indices], [Zero.from_primal_value(values), Zero.from_primal_value(indices)]
    from jaxlite.numpy import lax_numpy
    t_out = lax_numpy.take_along_axis(t, indices, axis=axis)
    return [values, indices], [t_out, Zero.from_primal_value(indices)]


def _top_k_batcher(args, dims, *, k, axis):
    (x,), (d,) = args, dims
    x = batching.moveaxis(x, d, 0)
    return top_k_p.bind(x, k=k, axis=axis + 1), [0, 0]


ad.primitive_jvps[top_k_p] = _top_k_jvp
batching.primitive_batchers[top_k_p] = _top_k_batcher


def top_k(operand, k, *, axis=-1):
    """[the k largest values along `axis`, their int32 indices], largest first."""
    operand = to_array(operand)
    ndim = get_aval(operand).ndim
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return top_k_p.bind(operand, k=operator.index(k), axis=axis % ndim)


register_lowering(top_k_p, lambda ctx, x, k, axis: list(ctx.lax.top_k(x, k, axis=axis)), "xla")
register_lowering(top_k_p, numpy_codegen.impl_call(top_k_p), "numpy")
