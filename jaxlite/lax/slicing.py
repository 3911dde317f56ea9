"""Slicing, padding, concatenation, dynamic slices and their index helpers, and cumulative reductions.

Mirrors jax/_src/lax/slicing.py (and the cumulative reductions of jax/_src/lax/control_flow/loops.py).
JAX keeps gather and scatter in that same file; here they have their own module, gather_scatter.py,
which the dynamic slices' batching rules use as JAX's do.
"""
import builtins
import functools

import numpy as np

from jaxlite import dtypes
from jaxlite.errors import with_hint
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.ad import Zero, deflinear2, is_undefined_primal
from jaxlite.interpreters.batching import not_mapped
from jaxlite.lax import lax, shapes
from jaxlite.lax.gather_scatter import (GatherDimensionNumbers, GatherScatterMode,
                                        ScatterDimensionNumbers, gather, scatter)
from jaxlite.lax.utils import check_dtypes, dtype_checked, to_array, standard_primitive
from jaxlite.lax.utils import same_dtype as _same_dtype
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to

__all__ = ["slice", "slice_in_dim", "index_in_dim", "pad", "concatenate", "dynamic_slice",
           "dynamic_slice_in_dim", "dynamic_index_in_dim", "dynamic_update_slice",
           "dynamic_update_slice_in_dim", "dynamic_update_index_in_dim", "cumsum", "cumprod", "cummax",
           "cummin"]


def _operand_weak(*avals, **params):
    """Slices keep the weak type of their operand."""
    return avals[0].weak_type


# ----------------------------------------------------------------------------------------------
# slice

def _slice_shape(a, start_indices, limit_indices, strides):
    strides = strides or (1,) * a.ndim
    if not (len(start_indices) == len(limit_indices) == len(strides) == a.ndim):
        raise TypeError(with_hint(f"slice start_indices, limit_indices and strides must have length equal to "
                                  f"the operand's rank {a.ndim}, got {start_indices}, {limit_indices}, {strides}.",
                                  f"give one start, limit and stride per axis ({a.ndim} here)."))
    for lo, hi, d in zip(start_indices, limit_indices, a.shape):
        if not 0 <= lo <= hi <= d:
            raise TypeError(with_hint(f"slice indices must satisfy 0 <= start <= limit <= shape, got "
                                      f"start_indices={start_indices}, limit_indices={limit_indices} for "
                                      f"shape {a.shape}.", "lax.slice takes non-negative bounds within the "
                                      "shape; x[a:b] is the indexing that clips and counts from the end."))
    return tuple((hi - lo + s - 1) // s for lo, hi, s in zip(start_indices, limit_indices, strides))


def _slice_impl(x, start_indices, limit_indices, strides):
    strides = strides or (1,) * len(start_indices)
    return np.asarray(x)[tuple(np.s_[lo:hi:s] for lo, hi, s in zip(start_indices, limit_indices, strides))]


slice_p = standard_primitive("slice", _slice_impl, _slice_shape, _same_dtype, _operand_weak)


def _slice_transpose(ct, x, start_indices, limit_indices, strides):
    shape = x.aval.shape
    strides = strides or (1,) * len(shape)
    lo = start_indices
    hi = tuple(s - l - ((ct_s - 1) * st + 1) if ct_s else s - l
               for s, l, ct_s, st in zip(shape, lo, get_aval(ct).shape, strides))
    interior = tuple(st - 1 for st in strides)
    return [pad(ct, lax.const(ct, 0), tuple(zip(lo, hi, interior)))]


deflinear2(slice_p, _slice_transpose)


def _slice_batcher(args, dims, start_indices, limit_indices, strides):
    x, d = args[0], dims[0]
    shape = get_aval(x).shape
    start = start_indices[:d] + (0,) + start_indices[d:]
    limit = limit_indices[:d] + (shape[d],) + limit_indices[d:]
    st = None if strides is None else strides[:d] + (1,) + strides[d:]
    return slice_p.bind(x, start_indices=start, limit_indices=limit, strides=st), d


batching.primitive_batchers[slice_p] = _slice_batcher


def slice(operand, start_indices, limit_indices, strides=None):
    return slice_p.bind(to_array(operand), start_indices=tuple(map(int, start_indices)),
                        limit_indices=tuple(map(int, limit_indices)),
                        strides=None if strides is None else tuple(map(int, strides)))


def slice_in_dim(operand, start_index, limit_index, stride=1, axis=0):
    shape = get_aval(operand).shape
    axis = int(axis) % len(shape)
    start_index, limit_index, _ = builtins.slice(start_index, limit_index).indices(shape[axis])
    start = [0] * len(shape)
    limit = list(shape)
    strides = [1] * len(shape)
    start[axis], limit[axis], strides[axis] = start_index, limit_index, stride
    return slice(operand, start, limit, None if stride == 1 else strides)


def index_in_dim(operand, index, axis=0, keepdims=True):
    axis = int(axis) % get_aval(operand).ndim
    index = int(index) % get_aval(operand).shape[axis]
    out = slice_in_dim(operand, index, index + 1, 1, axis)
    return out if keepdims else shapes.squeeze(out, (axis,))


# ----------------------------------------------------------------------------------------------
# pad: low, high and interior padding per dimension (negative low/high padding crops)

def _pad_shape(a, padding_value, padding_config):
    if len(padding_config) != a.ndim:
        raise ValueError(with_hint(f"length of padding_config must equal the number of axes of operand, got "
                         f"padding_config {padding_config} for operand shape {a.shape}",
            "give one (low, high, interior) triple per axis of the operand."))
    if padding_value.shape:
        raise ValueError(with_hint(f"padding_value must be a scalar, got shape {padding_value.shape}",
            "the padding value is one number (a scalar)."))
    out = tuple(lo + hi + d + builtins.max(0, d - 1) * interior
                for d, (lo, hi, interior) in zip(a.shape, padding_config))
    if any(s < 0 for s in out):
        raise ValueError(with_hint(f"Dimension size after padding is not at least 0, got result shape {out}, "
                         f"for padding_config {padding_config} and operand shape {a.shape}",
            "negative padding crops: it can remove at most the whole axis."))
    return out


def _pad_dtype(a, padding_value, padding_config):
    check_dtypes("pad", [a, padding_value], None)
    return a.dtype


def _pad_impl(x, padding_value, padding_config):
    x = np.asarray(x)
    # Interior and non-negative edge padding first, then crop what negative padding removes.
    grown = tuple(builtins.max(lo, 0) + builtins.max(hi, 0) + d + builtins.max(0, d - 1) * i
                  for d, (lo, hi, i) in zip(x.shape, padding_config))
    out = np.full(grown, padding_value, dtype=x.dtype)
    out[tuple(np.s_[builtins.max(lo, 0):builtins.max(lo, 0) + builtins.max(0, (d - 1) * (i + 1) + 1):i + 1]
              for d, (lo, hi, i) in zip(x.shape, padding_config))] = x
    return out[tuple(np.s_[builtins.max(0, -lo):g - builtins.max(0, -hi)]
                     for g, (lo, hi, _) in zip(grown, padding_config))]


pad_p = standard_primitive("pad", _pad_impl, _pad_shape, _pad_dtype)


def _pad_transpose(ct, operand, padding_value, padding_config):
    if type(ct) is Zero:
        return [None, None]
    ndim = len(padding_config)
    unpadded = pad(ct, lax.const(ct, 0), tuple((-lo, -hi, 0) for lo, hi, _ in padding_config))
    shape = get_aval(unpadded).shape
    t_op = slice(unpadded, [0] * ndim, shape, [i + 1 for _, _, i in padding_config])
    t_pv = lax.sub(lax.reduce_sum(ct, tuple(range(ndim))), lax.reduce_sum(t_op, tuple(range(ndim))))
    return [t_op if is_undefined_primal(operand) else None,
            t_pv if is_undefined_primal(padding_value) else None]


deflinear2(pad_p, _pad_transpose)


def _pad_batcher(args, dims, padding_config):
    x, value = args
    xd, vd = dims
    if vd is not_mapped:
        config = padding_config[:xd] + ((0, 0, 0),) + padding_config[xd:]
        return pad(x, value, config), xd
    # A batched padding value: pad with zeros, then select the value where the padding went.
    size = batching.axis_size_of(args, dims)
    x = batching.bdim_at_front(x, xd, size)
    config = ((0, 0, 0),) + tuple(padding_config)
    padded = pad(x, lax.const(x, 0), config)
    mask = pad(lax.full(get_aval(x).shape, True), False, config)
    shape = get_aval(padded).shape
    return lax.select(mask, padded, lax.broadcast_in_dim(value, shape, (0,))), 0


batching.primitive_batchers[pad_p] = _pad_batcher


def pad(operand, padding_value, padding_config):
    operand = to_array(operand)
    padding_value = to_array(padding_value, get_aval(operand))
    return pad_p.bind(operand, padding_value,
                      padding_config=tuple((int(l), int(h), int(i)) for l, h, i in padding_config))


# ----------------------------------------------------------------------------------------------
# concatenate

def _concatenate_shape(*avals, dimension):
    if len({a.ndim for a in avals}) != 1:
        raise TypeError(with_hint(f"Cannot concatenate arrays with different numbers of dimensions: got "
                                  f"{', '.join(str(a.shape) for a in avals)}.",
                                  "give every array the same number of axes, e.g. with x[None]."))
    if not 0 <= dimension < avals[0].ndim:
        raise ValueError(with_hint(f"concatenate dimension out of bounds: dimension {dimension} for shapes "
                                   f"{', '.join(str(a.shape) for a in avals)}.",
                                   f"the dimension is one of the arrays' axes, 0 to {avals[0].ndim - 1}."))
    others = {a.shape[:dimension] + a.shape[dimension + 1:] for a in avals}
    if len(others) != 1:
        raise TypeError(with_hint(
            f"Cannot concatenate arrays with shapes that differ in dimensions other than "
            f"the one being concatenated: concatenating along dimension {dimension} for "
            f"shapes {', '.join(str(a.shape) for a in avals)}.",
            f"the arrays may differ only along the axis joined ({dimension}): join along the axis where they "
            "differ, or reshape or slice them to agree."))
    shape = list(avals[0].shape)
    shape[dimension] = builtins.sum(a.shape[dimension] for a in avals)
    return tuple(shape)


concatenate_p = standard_primitive(
    "concatenate", lambda *xs, dimension: np.concatenate(xs, axis=dimension), _concatenate_shape,
    lambda *avals, dimension: check_dtypes("concatenate", avals, None) or avals[0].dtype)


def _concatenate_transpose(ct, *operands, dimension):
    out = []
    start = 0
    for op in operands:
        size = (op.aval if is_undefined_primal(op) else get_aval(op)).shape[dimension]
        out.append(slice_in_dim(ct, start, start + size, axis=dimension) if is_undefined_primal(op) else None)
        start += size
    return out


deflinear2(concatenate_p, _concatenate_transpose)


def _concatenate_batcher(args, dims, dimension):
    size = batching.axis_size_of(args, dims)
    args = [batching.bdim_at_front(x, d, size) for x, d in zip(args, dims)]
    return concatenate_p.bind(*args, dimension=dimension + 1), 0


batching.primitive_batchers[concatenate_p] = _concatenate_batcher


def concatenate(operands, dimension):
    operands = [to_array(o) for o in operands]
    if len(operands) == 1:
        return operands[0]
    return concatenate_p.bind(*operands, dimension=int(dimension))


# ----------------------------------------------------------------------------------------------
# dynamic_slice and dynamic_update_slice: start indices are traced scalars, clamped so the
# slice fits, as in XLA

def _clamped_starts(shape, sizes, starts):
    return tuple(int(np.clip(int(s), 0, d - n)) for s, d, n in zip(starts, shape, sizes))


def _check_start_indices(name, operand, indices):
    if len(indices) != operand.ndim:
        raise TypeError(with_hint(f"{name} requires {operand.ndim} start indices (one per operand dimension), "
                                  f"got {len(indices)}.", f"give one start index per axis ({operand.ndim} here)."))
    for i in indices:
        if i.shape or i.dtype.kind not in "iu":
            raise TypeError(with_hint(f"{name} start indices must be integer scalars, got {i.str_short()}.",
                                      "each start index is one integer: convert with i.astype(jnp.int32)."))


def _dynamic_slice_shape(operand, *indices, slice_sizes):
    _check_start_indices("dynamic_slice", operand, indices)
    if len(slice_sizes) != operand.ndim:
        raise TypeError(with_hint(f"dynamic_slice slice_sizes must have one size per operand dimension, got "
                                  f"slice_sizes {slice_sizes} for operand shape {operand.shape}.",
                                  f"give one size per axis ({operand.ndim} here)."))
    if any(s > d for s, d in zip(slice_sizes, operand.shape)):
        raise TypeError(with_hint(f"slice slice_sizes must be less than or equal to operand shape, got "
                                  f"slice_sizes {tuple(slice_sizes)} for operand shape {operand.shape}.",
                                  "a slice cannot be bigger than the array: the sizes are the result's shape, "
                                  "and the start indices are clamped so that it fits."))
    if any(s < 0 for s in slice_sizes):
        raise TypeError(with_hint(f"slice slice_sizes must be greater than or equal to zero, got slice_sizes "
                                  f"of {tuple(slice_sizes)}.", "slice sizes are lengths, 0 or more."))
    return tuple(slice_sizes)


def _dynamic_slice_impl(operand, *indices, slice_sizes):
    starts = _clamped_starts(operand.shape, slice_sizes, indices)
    return operand[tuple(np.s_[s:s + n] for s, n in zip(starts, slice_sizes))]


dynamic_slice_p = standard_primitive("dynamic_slice", _dynamic_slice_impl, _dynamic_slice_shape,
                                     _same_dtype, _operand_weak)


def _dynamic_slice_jvp(primals, tangents, *, slice_sizes):
    operand, *indices = primals
    out = dynamic_slice_p.bind(operand, *indices, slice_sizes=slice_sizes)
    if type(tangents[0]) is Zero:
        return out, Zero.from_primal_value(out)
    return out, dynamic_slice_p.bind(tangents[0], *indices, slice_sizes=slice_sizes)


def _dynamic_slice_transpose(ct, operand, *indices, slice_sizes):
    if type(ct) is Zero:
        return [None] * (1 + len(indices))
    zeros = lax.full(operand.aval.shape, 0, operand.aval.dtype)
    return [dynamic_update_slice_p.bind(zeros, ct, *indices)] + [None] * len(indices)


def _index_zero(indices):
    return lax.const(indices[0], 0) if indices else ArrayImpl(np.asarray(0, np.int32), False)


def _start_indices_array(indices, dims, size):
    """Batched scalar start indices stacked into one (batch, n) index array for a gather/scatter."""
    dtype = functools.reduce(dtypes.promote_types, [get_aval(i).dtype for i in indices])
    columns = [lax.convert_element_type(batching.bdim_at_front(i, d, size), dtype) for i, d in zip(indices, dims)]
    return concatenate([lax.broadcast_in_dim(c, (size, 1), (0,)) for c in columns], 1)


def _dynamic_slice_batcher(args, dims, *, slice_sizes):
    operand, *indices = args
    od, *index_dims = dims
    if all(d is not_mapped for d in index_dims):
        zero = _index_zero(indices)
        sizes = slice_sizes[:od] + (get_aval(operand).shape[od],) + slice_sizes[od:]
        starts = indices[:od] + [zero] + indices[od:]
        return dynamic_slice_p.bind(operand, *starts, slice_sizes=sizes), od
    size = batching.axis_size_of(args, dims)
    starts = _start_indices_array(indices, index_dims, size)
    n = len(slice_sizes)
    if od is not_mapped:
        dnums = GatherDimensionNumbers(offset_dims=tuple(range(1, n + 1)), collapsed_slice_dims=(),
                                       start_index_map=tuple(range(n)))
        return gather(operand, starts, dnums, slice_sizes, mode=GatherScatterMode.CLIP), 0
    operand = batching.moveaxis(operand, od, 0)
    dnums = GatherDimensionNumbers(offset_dims=tuple(range(1, n + 1)), collapsed_slice_dims=(),
                                   start_index_map=tuple(range(1, n + 1)), operand_batching_dims=(0,),
                                   start_indices_batching_dims=(0,))
    return gather(operand, starts, dnums, (1,) + tuple(slice_sizes), mode=GatherScatterMode.CLIP), 0


ad.primitive_jvps[dynamic_slice_p] = _dynamic_slice_jvp
ad.primitive_transposes[dynamic_slice_p] = _dynamic_slice_transpose
batching.primitive_batchers[dynamic_slice_p] = _dynamic_slice_batcher


def _dynamic_update_slice_shape(operand, update, *indices):
    _check_start_indices("dynamic_update_slice", operand, indices)
    if update.ndim != operand.ndim:
        raise TypeError(with_hint(f"dynamic_update_slice update must have the same rank as operand, got "
                                  f"update shape {update.shape} for operand shape {operand.shape}.",
                                  "give the update the operand's number of axes, with size 1 where it is "
                                  "thin: e.g. update[None] or update.reshape(1, -1)."))
    if any(u > d for u, d in zip(update.shape, operand.shape)):
        raise TypeError(with_hint(f"dynamic_update_slice update shape must be smaller than operand shape, got "
                                  f"update shape {update.shape} for operand shape {operand.shape}.",
                                  "the update is written inside the operand, so it cannot be larger along "
                                  "any axis: slice it to fit."))
    return operand.shape


def _dynamic_update_slice_dtype(operand, update, *indices):
    check_dtypes("dynamic_update_slice", [operand, update], None)
    return operand.dtype


def _dynamic_update_slice_impl(operand, update, *indices):
    starts = _clamped_starts(operand.shape, update.shape, indices)
    out = np.array(operand)
    out[tuple(np.s_[s:s + n] for s, n in zip(starts, update.shape))] = update
    return out


dynamic_update_slice_p = standard_primitive(
    "dynamic_update_slice", _dynamic_update_slice_impl, _dynamic_update_slice_shape,
    _dynamic_update_slice_dtype)


def _dynamic_update_slice_jvp(primals, tangents):
    operand, update, *indices = primals
    out = dynamic_update_slice_p.bind(operand, update, *indices)
    t_op, t_up = tangents[:2]
    if type(t_op) is Zero and type(t_up) is Zero:
        return out, Zero.from_primal_value(out)
    return out, dynamic_update_slice_p.bind(ad.instantiate_zeros(t_op), ad.instantiate_zeros(t_up),
                                            *indices)


def _dynamic_update_slice_transpose(ct, operand, update, *indices):
    if type(ct) is Zero:
        return [None] * (2 + len(indices))
    update_aval = update.aval if is_undefined_primal(update) else get_aval(update)
    t_op = t_up = None
    if is_undefined_primal(operand):
        zeros = lax.full(update_aval.shape, 0, update_aval.dtype)
        t_op = dynamic_update_slice_p.bind(ct, zeros, *indices)
    if is_undefined_primal(update):
        t_up = dynamic_slice_p.bind(ct, *indices, slice_sizes=update_aval.shape)
    return [t_op, t_up] + [None] * len(indices)


def _dynamic_update_slice_batcher(args, dims):
    operand, update, *indices = args
    od, ud, *index_dims = dims
    size = batching.axis_size_of(args, dims)
    operand = batching.bdim_at_front(operand, od, size)
    update = batching.bdim_at_front(update, ud, size)
    if all(d is not_mapped for d in index_dims):
        return dynamic_update_slice_p.bind(operand, update, _index_zero(indices), *indices), 0
    starts = _start_indices_array(indices, index_dims, size)
    n = len(indices)
    dnums = ScatterDimensionNumbers(update_window_dims=tuple(range(1, n + 1)), inserted_window_dims=(),
                                    scatter_dims_to_operand_dims=tuple(range(1, n + 1)),
                                    operand_batching_dims=(0,), scatter_indices_batching_dims=(0,))
    return scatter(operand, starts, update, dnums, indices_are_sorted=True, unique_indices=True,
                   mode=GatherScatterMode.CLIP), 0


ad.primitive_jvps[dynamic_update_slice_p] = _dynamic_update_slice_jvp
ad.primitive_transposes[dynamic_update_slice_p] = _dynamic_update_slice_transpose
batching.primitive_batchers[dynamic_update_slice_p] = _dynamic_update_slice_batcher


def _normalized_start_indices(operand_shape, start_indices):
    """Negative start indices count from the end: static ones now, traced ones with a select."""
    if len(start_indices) != len(operand_shape):
        raise ValueError(with_hint(f"Length of slice indices must match number of operand dimensions "
                                   f"({len(start_indices)} vs {operand_shape})",
                                   f"give one start index per axis of the operand ({len(operand_shape)} here)."))
    out = []
    for i, d in zip(start_indices, operand_shape):
        if isinstance(i, (int, np.integer)) and not isinstance(i, bool):
            dtype = dtypes.canonicalize_dtype(i.dtype) if isinstance(i, np.integer) \
                else dtypes.default_int_dtype()
            out.append(ArrayImpl(np.asarray(int(i) + d if i < 0 else int(i), dtype), False))
            continue
        i = to_array(i)
        if get_aval(i).dtype.kind == "u":
            out.append(i)
            continue
        out.append(lax.select(lax.lt(i, lax.const(i, 0)), lax.add(i, lax.const(i, d)), i))
    return out


def dynamic_slice(operand, start_indices, slice_sizes):
    operand = to_array(operand)
    starts = _normalized_start_indices(get_aval(operand).shape, list(start_indices))
    return dynamic_slice_p.bind(operand, *starts, slice_sizes=tuple(int(s) for s in slice_sizes))


def dynamic_update_slice(operand, update, start_indices):
    operand = to_array(operand)
    update = to_array(update, get_aval(operand))
    starts = _normalized_start_indices(get_aval(operand).shape, list(start_indices))
    return dynamic_update_slice_p.bind(operand, update, *starts)


def dynamic_slice_in_dim(operand, start_index, slice_size, axis=0):
    operand = to_array(operand)
    shape = get_aval(operand).shape
    axis = int(axis) % len(shape)
    starts = [0] * len(shape)
    sizes = list(shape)
    starts[axis], sizes[axis] = start_index, slice_size
    return dynamic_slice(operand, starts, sizes)


def dynamic_index_in_dim(operand, index, axis=0, keepdims=True):
    out = dynamic_slice_in_dim(operand, index, 1, axis)
    return out if keepdims else shapes.squeeze(out, (int(axis) % get_aval(out).ndim,))


def dynamic_update_slice_in_dim(operand, update, start_index, axis):
    operand = to_array(operand)
    starts = [0] * get_aval(operand).ndim
    starts[int(axis) % len(starts)] = start_index
    return dynamic_update_slice(operand, update, starts)


def dynamic_update_index_in_dim(operand, update, index, axis):
    update = to_array(update)
    axis = int(axis) % get_aval(operand).ndim
    if get_aval(update).ndim == get_aval(operand).ndim - 1:
        update = shapes.expand_dims(update, (axis,))
    return dynamic_update_slice_in_dim(operand, update, index, axis)


# ----------------------------------------------------------------------------------------------
# Cumulative reductions

def _cumulative(name, np_fn, kinds):
    def impl(x, axis, reverse):
        x = np.asarray(x)
        if reverse:
            return np.flip(np_fn(np.flip(x, axis), axis=axis), axis)
        return np_fn(x, axis=axis)

    def shape_rule(a, axis, reverse):
        if not 0 <= axis < a.ndim:
            raise ValueError(with_hint(f"axis {axis} is out of bounds for array of shape {a.shape}",
                "the axis is one of the array's axes, from 0 to its rank minus 1 (or negative from the end)."))
        return a.shape

    prim = standard_primitive(name, impl, shape_rule, dtype_checked(name, kinds))

    def batcher(args, dims, axis, reverse):
        d = dims[0]
        return prim.bind(args[0], axis=axis + (axis >= d), reverse=reverse), d
    batching.primitive_batchers[prim] = batcher
    return prim


cumsum_p = _cumulative("cumsum", np.cumsum, "iufc")
cumprod_p = _cumulative("cumprod", np.cumprod, "iufc")
cummax_p = _cumulative("cummax", np.maximum.accumulate, "iufcb")
cummin_p = _cumulative("cummin", np.minimum.accumulate, "iufcb")
deflinear2(cumsum_p, lambda ct, x, axis, reverse: [cumsum(ct, axis, not reverse)])


def _pairs_along_axis(x, axis):
    """x moved so `axis` is last, then given a second copy of that axis: out[..., j, i] = x[..., i]."""
    moved = batching.moveaxis(x, axis, get_aval(x).ndim - 1)
    shape = get_aval(moved).shape
    n = shape[-1]
    return lax.broadcast_in_dim(moved, shape + (n,), tuple(range(len(shape) - 1)) + (len(shape),))


def _upper_triangle(shape):
    """mask[..., j, i] = j <= i: position j contributes to the running result at position i."""
    rows = shapes.broadcasted_iota(np.int32, shape, len(shape) - 2)
    cols = shapes.broadcasted_iota(np.int32, shape, len(shape) - 1)
    return lax.le(rows, cols)


def _forward_only(rule):
    """Write a cumulative jvp rule for reverse=False; reverse runs it on reversed arrays."""
    def jvp(g, ans, x, *, axis, reverse):
        if reverse:
            flip = lambda v: shapes.rev(v, (axis,))
            return flip(rule(flip(g), flip(ans), flip(x), axis))
        return rule(g, ans, x, axis)
    return jvp


def _cumprod_jvp(g, ans, x, axis):
    """d ans_i = sum_{j<=i} g_j * prod_{k<j} x_k * prod_{j<k<=i} x_k, with no division (zeros are fine)."""
    ndim = get_aval(x).ndim
    pairs = _pairs_along_axis(x, axis)
    shape = get_aval(pairs).shape
    after = lax.select(lax.lt(shapes.broadcasted_iota(np.int32, shape, ndim - 1),
                              shapes.broadcasted_iota(np.int32, shape, ndim)), pairs, lax.full_like(pairs, 1))
    after = cumprod(after, ndim)
    before = batching.moveaxis(ans, axis, ndim - 1)
    before = concatenate([lax.full_like(slice_in_dim(before, 0, 1, axis=ndim - 1), 1),
                          slice_in_dim(before, 0, shape[-1] - 1, axis=ndim - 1)], ndim - 1)
    coef = lax.mul(lax.broadcast_in_dim(before, shape, tuple(range(ndim))), after)
    coef = lax.select(_upper_triangle(shape), coef, lax.full_like(coef, 0))
    g_pairs = lax.broadcast_in_dim(batching.moveaxis(g, axis, ndim - 1), shape, tuple(range(ndim)))
    return batching.moveaxis(lax.reduce_sum(lax.mul(g_pairs, coef), (ndim - 1,)), ndim - 1, axis)


def _cum_extremum_jvp(g, ans, x, axis):
    """The tangent of the running max (min) is that of the element attaining it, averaged over ties."""
    ndim = get_aval(x).ndim
    moved = batching.moveaxis(x, axis, ndim - 1)
    n = get_aval(moved).shape[-1]
    shape = get_aval(moved).shape[:-1] + (n, n)
    xs = lax.broadcast_in_dim(moved, shape, tuple(range(ndim)))
    running = lax.broadcast_in_dim(batching.moveaxis(ans, axis, ndim - 1), shape,
                                   tuple(range(ndim - 1)) + (ndim,))
    attains = lax.convert_element_type(lax.bitwise_and(_upper_triangle(shape), lax.eq(xs, running)),
                                       get_aval(g).dtype)
    g_pairs = lax.broadcast_in_dim(batching.moveaxis(g, axis, ndim - 1), shape, tuple(range(ndim)))
    total = lax.reduce_sum(lax.mul(g_pairs, attains), (ndim - 1,))
    return batching.moveaxis(lax.div(total, lax.reduce_sum(attains, (ndim - 1,))), ndim - 1, axis)


ad.defjvp2(cumprod_p, _forward_only(_cumprod_jvp))
ad.defjvp2(cummax_p, _forward_only(_cum_extremum_jvp))
ad.defjvp2(cummin_p, _forward_only(_cum_extremum_jvp))


def _cumulative_fn(prim):
    def fn(operand, axis=0, reverse=False):
        operand = to_array(operand)
        ndim = get_aval(operand).ndim
        axis = int(axis) % ndim if ndim else int(axis)
        return prim.bind(operand, axis=axis, reverse=bool(reverse))
    fn.__name__ = prim.name
    return fn


cumsum = _cumulative_fn(cumsum_p)
cumprod = _cumulative_fn(cumprod_p)
cummax = _cumulative_fn(cummax_p)
cummin = _cumulative_fn(cummin_p)


# ----------------------------------------------------------------------------------------------
# On XLA (jit's xla backend), each primitive is the jax.lax function of the same meaning. The
# start indices of the dynamic slices were made non-negative when they were bound.

for _prim, _rule in [
    (slice_p, lowers_to(lambda lax: lax.slice)),
    (pad_p, lowers_to(lambda lax: lax.pad)),
    (cumsum_p, lowers_to(lambda lax: lax.cumsum)),
    (cumprod_p, lowers_to(lambda lax: lax.cumprod)),
    (cummax_p, lowers_to(lambda lax: lax.cummax)),
    (cummin_p, lowers_to(lambda lax: lax.cummin)),
    (concatenate_p, lambda ctx, *xs, dimension: ctx.lax.concatenate(xs, dimension)),
    (dynamic_slice_p, lambda ctx, x, *starts, slice_sizes: ctx.lax.dynamic_slice(
        x, starts, slice_sizes, allow_negative_indices=False)),
    (dynamic_update_slice_p, lambda ctx, x, update, *starts: ctx.lax.dynamic_update_slice(
        x, update, starts, allow_negative_indices=False)),
]:
    register_lowering(_prim, _rule, "xla")
