"""Slicing, padding, concatenation, dynamic slices, gathers and scatters, and cumulative reductions.

Mirrors jax/_src/lax/slicing.py (and the cumulative reductions of jax/_src/lax/control_flow/loops.py).
Gather and scatter follow XLA's semantics exactly: index arithmetic is done with NumPy on whole
arrays, never a Python loop over elements.
"""
import builtins
import enum
import functools
from typing import NamedTuple

import numpy as np

from jaxlite import dtypes
from jaxlite.errors import with_hint
from jaxlite.array import ArrayImpl
from jaxlite.core import Jaxpr, JaxprEqn, ShapedArray, Var, get_aval
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.ad import Zero, deflinear2, is_undefined_primal
from jaxlite.interpreters.batching import not_mapped
from jaxlite.lax import lax
from jaxlite.lax.utils import check_dtypes, dtype_checked, to_array, standard_primitive
from jaxlite.lax.utils import same_dtype as _same_dtype
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to

__all__ = ["slice", "slice_in_dim", "index_in_dim", "pad", "concatenate", "dynamic_slice",
           "dynamic_slice_in_dim", "dynamic_index_in_dim", "dynamic_update_slice",
           "dynamic_update_slice_in_dim", "dynamic_update_index_in_dim", "gather", "scatter",
           "scatter_add", "scatter_mul", "scatter_min", "scatter_max", "GatherDimensionNumbers",
           "ScatterDimensionNumbers", "GatherScatterMode", "cumsum", "cumprod", "cummax", "cummin"]


def _operand_weak(*avals, **params):
    """Gathers, scatters and slices keep the weak type of their first operand."""
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
    return out if keepdims else lax.squeeze(out, (axis,))


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
    return out if keepdims else lax.squeeze(out, (int(axis) % get_aval(out).ndim,))


def dynamic_update_slice_in_dim(operand, update, start_index, axis):
    operand = to_array(operand)
    starts = [0] * get_aval(operand).ndim
    starts[int(axis) % len(starts)] = start_index
    return dynamic_update_slice(operand, update, starts)


def dynamic_update_index_in_dim(operand, update, index, axis):
    update = to_array(update)
    axis = int(axis) % get_aval(operand).ndim
    if get_aval(update).ndim == get_aval(operand).ndim - 1:
        update = lax.expand_dims(update, (axis,))
    return dynamic_update_slice_in_dim(operand, update, index, axis)


# ----------------------------------------------------------------------------------------------
# Gather and scatter: XLA's dimension numbers and out-of-bounds modes

class GatherScatterMode(enum.Enum):
    """What happens to out-of-bounds indices. CLIP clamps them into range; FILL_OR_DROP makes a
    gather return `fill_value` and a scatter skip the update; PROMISE_IN_BOUNDS trusts the user
    (here: a gather clamps, a scatter skips)."""
    CLIP = enum.auto()
    FILL_OR_DROP = enum.auto()
    PROMISE_IN_BOUNDS = enum.auto()
    ONE_HOT = enum.auto()

    @staticmethod
    def from_any(s):
        if isinstance(s, GatherScatterMode):
            return s
        if s == "clip":
            return GatherScatterMode.CLIP
        if s is None or s == "fill" or s == "drop":
            return GatherScatterMode.FILL_OR_DROP
        if s == "promise_in_bounds":
            return GatherScatterMode.PROMISE_IN_BOUNDS
        raise ValueError(with_hint(f'Unknown gather mode "{s}"',
                                   "mode is 'fill' (or 'drop'), 'clip' or 'promise_in_bounds'; for "
                                   "wrapping indices, take them modulo the length (i % n)."))


class GatherDimensionNumbers(NamedTuple):
    """For a gather: which output dims are slice (offset) dims, which operand dims the slices drop,
    which operand dim each index column addresses, and dims batched on both sides."""
    offset_dims: tuple
    collapsed_slice_dims: tuple
    start_index_map: tuple
    operand_batching_dims: tuple = ()
    start_indices_batching_dims: tuple = ()


class ScatterDimensionNumbers(NamedTuple):
    """For a scatter: the same information as GatherDimensionNumbers, seen from the updates."""
    update_window_dims: tuple
    inserted_window_dims: tuple
    scatter_dims_to_operand_dims: tuple
    operand_batching_dims: tuple = ()
    scatter_indices_batching_dims: tuple = ()


def _window_dims(ndim, removed, batching_dims):
    return [d for d in range(ndim) if d not in removed and d not in batching_dims]


def _start_positions(operand_shape, indices, index_map, operand_batching_dims,
                     indices_batching_dims, window_sizes):
    """Per operand dim, the start of each slice (shaped like the batch of indices), and whether
    each slice fits inside the operand."""
    batch_shape = indices.shape[:-1]
    starts = [np.zeros(batch_shape, np.int64) for _ in operand_shape]
    in_bounds = np.ones(batch_shape, bool)
    for k, d in enumerate(index_map):
        s = indices[..., k].astype(np.int64)
        in_bounds &= (s >= 0) & (s <= operand_shape[d] - window_sizes[d])
        starts[d] = s
    for od, idim in zip(operand_batching_dims, indices_batching_dims):
        view = [1] * len(batch_shape)
        view[idim] = batch_shape[idim]
        starts[od] = np.broadcast_to(np.arange(batch_shape[idim]).reshape(view), batch_shape)
    return starts, in_bounds


def _element_indices(operand_shape, starts, sizes, window, batch_positions, rank):
    """Operand coordinates of every element of a gather's output (or a scatter's updates):
    slice start + position inside the window, one broadcastable array per operand dim."""
    def at_batch(a):
        shape = [1] * rank
        for p, s in zip(batch_positions, a.shape):
            shape[p] = s
        return a.reshape(shape)
    coords = []
    for d in range(len(operand_shape)):
        c = at_batch(starts[d])
        if d in window:
            view = [1] * rank
            view[window[d]] = sizes[d]
            c = c + np.arange(sizes[d]).reshape(view)
        coords.append(c)
    return coords, at_batch


def _gather_fill_value(dtype, fill_value):
    if fill_value is not None:
        return fill_value
    if dtypes.kind(dtype) in "fc":
        return np.nan
    if dtype.kind == "i":
        return np.iinfo(dtype).min
    if dtype.kind == "u":
        return np.iinfo(dtype).max
    return True


def _gather_shape(operand, indices, *, dimension_numbers, slice_sizes, **params):
    dn = dimension_numbers
    if indices.dtype.kind not in "iu":
        raise TypeError(with_hint(f"gather indices must have an integer type, got {indices.dtype.name}",
            "cast the indices with indices.astype(jnp.int32)."))
    if len(slice_sizes) != operand.ndim:
        raise TypeError(with_hint(f"Gather op must have one slice size for every input dimension; got "
                        f"len(slice_sizes)={len(slice_sizes)}, input_shape.rank={operand.ndim}",
            "give one slice size per operand dimension."))
    if not indices.ndim or indices.shape[-1] != len(dn.start_index_map):
        raise TypeError(with_hint(f"Gather op has {len(dn.start_index_map)} elements in start_index_map and "
                        f"the bound of dimension index_vector_dim={indices.ndim - 1} of indices is "
                        f"{indices.shape[-1] if indices.ndim else None}. These two numbers must be equal.",
            "the indices' last axis must have one entry per start_index_map dimension."))
    for d in tuple(dn.collapsed_slice_dims) + tuple(dn.operand_batching_dims):
        if slice_sizes[d] > 1:
            raise TypeError(with_hint(f"Gather op can only collapse slice dims with bound 1, but bound is "
                            f"{slice_sizes[d]} for index {d} at position "
                            f"{list(dn.collapsed_slice_dims).index(d) if d in dn.collapsed_slice_dims else 0}.",
                "collapsed slice dimensions take slices of size 1."))
    for s, d in zip(slice_sizes, operand.shape):
        if not 0 <= s <= d:
            raise TypeError(with_hint(f"Slice size at index {list(slice_sizes).index(s)} in gather op is out of "
                            f"range, must be within [0, {d} + 1), got {s}.",
                "a slice size cannot be larger than the operand's axis."))
    batch = list(indices.shape[:-1])
    offsets = [slice_sizes[d] for d in _window_dims(operand.ndim, dn.collapsed_slice_dims,
                                                    dn.operand_batching_dims)]
    rank = len(batch) + len(offsets)
    return tuple(offsets.pop(0) if i in dn.offset_dims else batch.pop(0) for i in range(rank))


def _gather_impl(operand, indices, *, dimension_numbers, slice_sizes, unique_indices,
                 indices_are_sorted, mode, fill_value):
    dn = dimension_numbers
    operand, indices = np.asarray(operand), np.asarray(indices)
    out_shape = _gather_shape(get_aval(operand), get_aval(indices), dimension_numbers=dn,
                              slice_sizes=slice_sizes)
    window = dict(zip(_window_dims(operand.ndim, dn.collapsed_slice_dims, dn.operand_batching_dims),
                      dn.offset_dims))
    starts, in_bounds = _start_positions(operand.shape, indices, dn.start_index_map,
                                         dn.operand_batching_dims, dn.start_indices_batching_dims,
                                         slice_sizes)
    starts = [np.clip(s, 0, d - n) for s, d, n in zip(starts, operand.shape, slice_sizes)]
    batch_positions = [i for i in range(len(out_shape)) if i not in dn.offset_dims]
    coords, at_batch = _element_indices(operand.shape, starts, slice_sizes, window, batch_positions,
                                        len(out_shape))
    if any(s == 0 for s in out_shape):
        return np.zeros(out_shape, operand.dtype)
    out = np.broadcast_to(operand[tuple(coords)], out_shape)
    if mode == GatherScatterMode.FILL_OR_DROP:
        fill = np.asarray(_gather_fill_value(operand.dtype, fill_value)).astype(operand.dtype)
        out = np.where(at_batch(in_bounds), out, fill)
    return np.array(out)


gather_p = standard_primitive("gather", _gather_impl, _gather_shape, _same_dtype, _operand_weak)


def _gather_to_scatter_dnums(dn):
    return ScatterDimensionNumbers(
        update_window_dims=dn.offset_dims, inserted_window_dims=dn.collapsed_slice_dims,
        scatter_dims_to_operand_dims=dn.start_index_map, operand_batching_dims=dn.operand_batching_dims,
        scatter_indices_batching_dims=dn.start_indices_batching_dims)


def _scatter_to_gather(dn, operand_ndim, updates_shape):
    """The gather that reads back, for each update, the operand window it was scattered into."""
    gather_dn = GatherDimensionNumbers(
        offset_dims=dn.update_window_dims, collapsed_slice_dims=dn.inserted_window_dims,
        start_index_map=dn.scatter_dims_to_operand_dims, operand_batching_dims=dn.operand_batching_dims,
        start_indices_batching_dims=dn.scatter_indices_batching_dims)
    window_sizes = iter(updates_shape[d] for d in dn.update_window_dims)
    slice_sizes = tuple(1 if d in dn.inserted_window_dims or d in dn.operand_batching_dims
                        else next(window_sizes) for d in range(operand_ndim))
    return gather_dn, slice_sizes


def _gather_jvp(primals, tangents, **params):
    operand, indices = primals
    out = gather_p.bind(operand, indices, **params)
    if type(tangents[0]) is Zero:
        return out, Zero.from_primal_value(out)
    tangent_params = dict(params, fill_value=0 if params["mode"] == GatherScatterMode.FILL_OR_DROP
                          else None)
    return out, gather_p.bind(tangents[0], indices, **tangent_params)


def _gather_transpose(ct, operand, indices, *, dimension_numbers, slice_sizes, unique_indices,
                      indices_are_sorted, mode, fill_value):
    if type(ct) is Zero:
        return [None, None]
    zeros = lax.full(operand.aval.shape, 0, get_aval(ct).dtype)
    out = scatter_add(zeros, indices, ct, _gather_to_scatter_dnums(dimension_numbers),
                      indices_are_sorted=indices_are_sorted, unique_indices=unique_indices, mode=mode)
    return [out, None]


def _gather_batcher(args, dims, *, dimension_numbers, slice_sizes, **params):
    operand, indices = args
    od, idx_d = dims
    dn = dimension_numbers
    shift = lambda ds: tuple(d + 1 for d in ds)
    if idx_d is not_mapped:
        # Only the operand is batched: its batch dim becomes one more (full) window dim.
        operand = batching.moveaxis(operand, od, 0)
        new_dn = GatherDimensionNumbers(
            offset_dims=(0,) + shift(dn.offset_dims), collapsed_slice_dims=shift(dn.collapsed_slice_dims),
            start_index_map=shift(dn.start_index_map), operand_batching_dims=shift(dn.operand_batching_dims),
            start_indices_batching_dims=dn.start_indices_batching_dims)
        sizes = (get_aval(operand).shape[0],) + tuple(slice_sizes)
        return gather_p.bind(operand, indices, dimension_numbers=new_dn, slice_sizes=sizes, **params), 0
    indices = batching.moveaxis(indices, idx_d, 0)
    if od is not_mapped:
        # Only the indices are batched: one more batch dim of indices, leading in the output.
        new_dn = dn._replace(offset_dims=shift(dn.offset_dims),
                             start_indices_batching_dims=shift(dn.start_indices_batching_dims))
        return gather_p.bind(operand, indices, dimension_numbers=new_dn, slice_sizes=slice_sizes,
                             **params), 0
    operand = batching.moveaxis(operand, od, 0)
    new_dn = GatherDimensionNumbers(
        offset_dims=shift(dn.offset_dims), collapsed_slice_dims=shift(dn.collapsed_slice_dims),
        start_index_map=shift(dn.start_index_map),
        operand_batching_dims=(0,) + shift(dn.operand_batching_dims),
        start_indices_batching_dims=(0,) + shift(dn.start_indices_batching_dims))
    return gather_p.bind(operand, indices, dimension_numbers=new_dn,
                         slice_sizes=(1,) + tuple(slice_sizes), **params), 0


ad.primitive_jvps[gather_p] = _gather_jvp
ad.primitive_transposes[gather_p] = _gather_transpose
batching.primitive_batchers[gather_p] = _gather_batcher


def _as_tuples(dn):
    return type(dn)(*[tuple(int(i) for i in f) for f in dn])


def gather(operand, start_indices, dimension_numbers, slice_sizes, *, unique_indices=False,
           indices_are_sorted=False, mode=None, fill_value=None):
    """XLA's gather. mode defaults to PROMISE_IN_BOUNDS; FILL_OR_DROP fills with NaN for floats,
    the minimum for signed ints, the maximum for unsigned ints and True for bools unless given."""
    mode = GatherScatterMode.PROMISE_IN_BOUNDS if mode is None else GatherScatterMode.from_any(mode)
    operand = to_array(operand)
    if mode == GatherScatterMode.FILL_OR_DROP:
        fill_value = _gather_fill_value(get_aval(operand).dtype, fill_value)
    else:
        fill_value = None
    return gather_p.bind(operand, to_array(start_indices),
                         dimension_numbers=_as_tuples(dimension_numbers),
                         slice_sizes=tuple(int(s) for s in slice_sizes),
                         unique_indices=bool(unique_indices), indices_are_sorted=bool(indices_are_sorted),
                         mode=mode, fill_value=fill_value)


# Scatters: one primitive per way of combining an update with what is already there.

def _scatter_shape(operand, indices, updates, *, dimension_numbers, **params):
    dn = dimension_numbers
    if indices.dtype.kind not in "iu":
        raise TypeError(with_hint(f"scatter indices must have an integer type, got {indices.dtype.name}",
            "cast the indices with indices.astype(jnp.int32)."))
    if not indices.ndim or indices.shape[-1] != len(dn.scatter_dims_to_operand_dims):
        raise TypeError(with_hint(f"Scatter op has {len(dn.scatter_dims_to_operand_dims)} elements in "
                        f"scatter_dims_to_operand_dims and the bound of dimension index_vector_dim="
                        f"{indices.ndim - 1} of indices is {indices.shape[-1] if indices.ndim else None}. "
                        "These two numbers must be equal.",
            "the indices' last axis must have one entry per scatter_dims_to_operand_dims dimension."))
    expected_rank = indices.ndim - 1 + len(dn.update_window_dims)
    if updates.ndim != expected_rank:
        raise TypeError(with_hint(f"Updates tensor must be of rank {expected_rank}; got {updates.ndim}.",
            "give the updates the rank that the indices and window dimensions call for."))
    scatter_dims = [d for d in range(updates.ndim) if d not in dn.update_window_dims]
    if tuple(updates.shape[d] for d in scatter_dims) != indices.shape[:-1]:
        raise TypeError(with_hint(f"Bounds of the scatter dimensions of updates {updates.shape} must match the "
                        f"indices batch shape {indices.shape[:-1]}.",
            "give the updates one row per index: their scatter dimensions follow the indices' batch shape."))
    window = _window_dims(operand.ndim, dn.inserted_window_dims, dn.operand_batching_dims)
    for d, u in zip(window, dn.update_window_dims):
        if updates.shape[u] > operand.shape[d]:
            raise TypeError(with_hint(f"Bounds of the window dimensions of updates must not exceed the bounds of "
                            f"the corresponding dimensions of operand, got updates shape "
                            f"{updates.shape} and operand shape {operand.shape}.",
                "an update window cannot be bigger than the operand's axis."))
    return operand.shape


def _scatter_dtype(operand, indices, updates, **params):
    check_dtypes("scatter", [operand, updates], None)
    return operand.dtype


def _scatter_apply(combine):
    """The impl of a scatter whose updates meet existing values through `combine` (a NumPy ufunc,
    or None to overwrite)."""
    def impl(operand, indices, updates, *, dimension_numbers, indices_are_sorted, unique_indices,
             mode, update_jaxpr, update_consts):
        dn = dimension_numbers
        out = np.array(operand)
        indices, updates = np.asarray(indices), np.asarray(updates)
        window_dims = _window_dims(out.ndim, dn.inserted_window_dims, dn.operand_batching_dims)
        window = dict(zip(window_dims, dn.update_window_dims))
        sizes = [updates.shape[window[d]] if d in window else 1 for d in range(out.ndim)]
        starts, in_bounds = _start_positions(out.shape, indices, dn.scatter_dims_to_operand_dims,
                                             dn.operand_batching_dims, dn.scatter_indices_batching_dims,
                                             sizes)
        if mode == GatherScatterMode.CLIP:
            starts = [np.clip(s, 0, d - n) for s, d, n in zip(starts, out.shape, sizes)]
            in_bounds = np.ones_like(in_bounds)
        scatter_positions = [i for i in range(updates.ndim) if i not in dn.update_window_dims]
        coords, at_batch = _element_indices(out.shape, starts, sizes, window, scatter_positions,
                                            updates.ndim)
        keep = np.broadcast_to(at_batch(in_bounds), updates.shape)
        coords = tuple(np.broadcast_to(c, updates.shape)[keep] for c in coords)
        values = updates[keep]
        if combine is None:
            out[coords] = values
        else:
            combine.at(out, coords, values)
        return out
    return impl


def _scatter_weak(operand, indices, updates, **params):
    return operand.weak_type


def _scatter_primitive(name, combine):
    return standard_primitive(name, _scatter_apply(combine), _scatter_shape, _scatter_dtype,
                              _scatter_weak)


scatter_p = _scatter_primitive("scatter", None)
scatter_add_p = _scatter_primitive("scatter-add", np.add)
scatter_mul_p = _scatter_primitive("scatter-mul", np.multiply)
scatter_min_p = _scatter_primitive("scatter-min", np.minimum)
scatter_max_p = _scatter_primitive("scatter-max", np.maximum)


def _combiner_jaxpr(prim, dtype):
    """The scalar update computation JAX records in a scatter's params: `{ lambda ; a b. add a b }`."""
    x, y, out = (Var(ShapedArray((), dtype)) for _ in range(3))
    return Jaxpr([], [x, y], [out], [JaxprEqn([x, y], [out], prim, {})])


def _bind_scatter(prim, combiner, operand, indices, updates, dimension_numbers, indices_are_sorted,
                  unique_indices, mode):
    operand = to_array(operand)
    updates = to_array(updates, get_aval(operand))
    mode = GatherScatterMode.from_any(mode)
    update_jaxpr = None if combiner is None else _combiner_jaxpr(combiner, get_aval(operand).dtype)
    return prim.bind(operand, to_array(indices), updates,
                     dimension_numbers=_as_tuples(dimension_numbers),
                     indices_are_sorted=bool(indices_are_sorted), unique_indices=bool(unique_indices),
                     mode=mode, update_jaxpr=update_jaxpr, update_consts=())


def scatter(operand, scatter_indices, updates, dimension_numbers, *, indices_are_sorted=False,
            unique_indices=False, mode=None):
    """XLA's scatter, overwriting. With repeated indices one of the updates wins."""
    return _bind_scatter(scatter_p, None, operand, scatter_indices, updates, dimension_numbers,
                         indices_are_sorted, unique_indices, mode)


def scatter_add(operand, scatter_indices, updates, dimension_numbers, *, indices_are_sorted=False,
                unique_indices=False, mode=None):
    return _bind_scatter(scatter_add_p, lax.add_p, operand, scatter_indices, updates,
                         dimension_numbers, indices_are_sorted, unique_indices, mode)


def scatter_mul(operand, scatter_indices, updates, dimension_numbers, *, indices_are_sorted=False,
                unique_indices=False, mode=None):
    return _bind_scatter(scatter_mul_p, lax.mul_p, operand, scatter_indices, updates,
                         dimension_numbers, indices_are_sorted, unique_indices, mode)


def scatter_min(operand, scatter_indices, updates, dimension_numbers, *, indices_are_sorted=False,
                unique_indices=False, mode=None):
    return _bind_scatter(scatter_min_p, lax.min_p, operand, scatter_indices, updates,
                         dimension_numbers, indices_are_sorted, unique_indices, mode)


def scatter_max(operand, scatter_indices, updates, dimension_numbers, *, indices_are_sorted=False,
                unique_indices=False, mode=None):
    return _bind_scatter(scatter_max_p, lax.max_p, operand, scatter_indices, updates,
                         dimension_numbers, indices_are_sorted, unique_indices, mode)


def _scatter_params_for(prim, params, dtype):
    """Rebind params for another scatter primitive (its combiner jaxpr differs)."""
    combiner = {scatter_add_p: lax.add_p, scatter_mul_p: lax.mul_p, scatter_min_p: lax.min_p,
                scatter_max_p: lax.max_p}.get(prim)
    return dict(params, update_jaxpr=None if combiner is None else _combiner_jaxpr(combiner, dtype))


def _scatter_add_jvp(primals, tangents, **params):
    operand, indices, updates = primals
    out = scatter_add_p.bind(operand, indices, updates, **params)
    t_op, _, t_up = tangents
    if type(t_op) is Zero and type(t_up) is Zero:
        return out, Zero.from_primal_value(out)
    return out, scatter_add_p.bind(ad.instantiate_zeros(t_op), indices, ad.instantiate_zeros(t_up),
                                   **params)


def _gather_back(ct, indices, updates_aval, dimension_numbers, indices_are_sorted, unique_indices,
                 mode):
    """Each update's share of a cotangent on the scattered result (zero where it was dropped)."""
    gather_dn, slice_sizes = _scatter_to_gather(dimension_numbers, get_aval(ct).ndim, updates_aval.shape)
    return gather(ct, indices, gather_dn, slice_sizes, indices_are_sorted=indices_are_sorted,
                  unique_indices=unique_indices, mode=mode, fill_value=0)


def _scatter_add_transpose(ct, operand, indices, updates, *, dimension_numbers, indices_are_sorted,
                           unique_indices, mode, update_jaxpr, update_consts):
    if type(ct) is Zero:
        return [None, None, None]
    t_up = None
    if is_undefined_primal(updates):
        t_up = _gather_back(ct, indices, updates.aval, dimension_numbers, indices_are_sorted,
                            unique_indices, mode)
    return [ct if is_undefined_primal(operand) else None, None, t_up]


def _scatter_jvp(primals, tangents, **params):
    """Overwriting scatter. With unique indices it is linear. Otherwise (as JAX does) scatter an id
    per update, read the winning ids back, mask operand and updates to the winners, and scatter-add."""
    operand, indices, updates = primals
    t_op, _, t_up = tangents
    if params["unique_indices"]:
        out = scatter_p.bind(operand, indices, updates, **params)
        if type(t_op) is Zero and type(t_up) is Zero:
            return out, Zero.from_primal_value(out)
        return out, scatter_p.bind(ad.instantiate_zeros(t_op), indices, ad.instantiate_zeros(t_up),
                                   **params)
    dn = params["dimension_numbers"]
    updates_shape = get_aval(updates).shape
    operand_shape = get_aval(operand).shape
    ids_shape = tuple(1 if d in dn.update_window_dims else s for d, s in enumerate(updates_shape))
    num_ids = int(np.prod(ids_shape, dtype=np.int64))
    ids = lax.add(lax.reshape(lax.iota(np.uint32, num_ids), ids_shape), np.uint32(1))
    ids = lax.broadcast_in_dim(ids, updates_shape, tuple(range(len(updates_shape))))
    id_params = _scatter_params_for(scatter_p, params, np.dtype(np.uint32))
    scattered_ids = scatter_p.bind(lax.full(operand_shape, 0, np.uint32), indices, ids, **id_params)
    gather_dn, slice_sizes = _scatter_to_gather(dn, len(operand_shape), updates_shape)
    winning_ids = gather(scattered_ids, indices, gather_dn, slice_sizes)
    untouched = lax.eq(scattered_ids, np.uint32(0))
    winners = lax.eq(ids, winning_ids)
    add_params = _scatter_params_for(scatter_add_p, params, get_aval(operand).dtype)
    masked = lambda keep, x: lax.select(keep, x, lax.full_like(x, 0))
    out = scatter_add_p.bind(masked(untouched, operand), indices, masked(winners, updates), **add_params)
    if type(t_op) is Zero and type(t_up) is Zero:
        return out, Zero.from_primal_value(out)
    t_op, t_up = ad.instantiate_zeros(t_op), ad.instantiate_zeros(t_up)
    return out, scatter_add_p.bind(masked(untouched, t_op), indices, masked(winners, t_up), **add_params)


def _scatter_transpose(ct, operand, indices, updates, *, dimension_numbers, indices_are_sorted,
                       unique_indices, mode, update_jaxpr, update_consts):
    if not unique_indices:
        raise NotImplementedError("scatter transpose is only implemented where unique_indices=True")
    if type(ct) is Zero:
        return [None, None, None]
    updates_aval = updates.aval if is_undefined_primal(updates) else get_aval(updates)
    t_op = t_up = None
    if is_undefined_primal(operand):
        t_op = scatter(ct, indices, lax.full(updates_aval.shape, 0, updates_aval.dtype),
                       dimension_numbers, indices_are_sorted=indices_are_sorted,
                       unique_indices=True, mode=mode)
    if is_undefined_primal(updates):
        t_up = _gather_back(ct, indices, updates_aval, dimension_numbers, indices_are_sorted,
                            unique_indices, mode)
    return [t_op, None, t_up]


def _scatter_mul_jvp(primals, tangents, **params):
    operand, indices, updates = primals
    out = scatter_mul_p.bind(operand, indices, updates, **params)
    t_op, _, t_up = tangents
    tangent = Zero.from_primal_value(out)
    if type(t_op) is not Zero:
        tangent = scatter_mul_p.bind(t_op, indices, updates, **params)
    if type(t_up) is not Zero:
        if not params["unique_indices"]:
            raise NotImplementedError(
                "scatter_mul gradients are only implemented if `unique_indices=True`")
        add_params = _scatter_params_for(scatter_add_p, params, get_aval(operand).dtype)
        spread = scatter_add_p.bind(lax.full_like(operand, 0), indices, t_up, **add_params)
        tangent = ad.add_tangents(tangent, lax.mul(operand, spread))
    return out, tangent


def _scatter_mul_transpose(ct, operand, indices, updates, **params):
    if is_undefined_primal(updates):
        raise NotImplementedError("scatter_mul is not linear in its updates")
    if type(ct) is Zero:
        return [None, None, None]
    return [scatter_mul_p.bind(ct, indices, updates, **params), None, None]


def _scatter_extremal_jvp(prim):
    """scatter-min/max: the tangent of whichever values attain the result (operand or updates),
    averaged over ties, as JAX averages ties of max."""
    def jvp(primals, tangents, **params):
        operand, indices, updates = primals
        out = prim.bind(operand, indices, updates, **params)
        t_op, _, t_up = tangents
        if type(t_op) is Zero and type(t_up) is Zero:
            return out, Zero.from_primal_value(out)
        t_op, t_up = ad.instantiate_zeros(t_op), ad.instantiate_zeros(t_up)
        dn = params["dimension_numbers"]
        dtype = get_aval(operand).dtype
        gather_dn, slice_sizes = _scatter_to_gather(dn, get_aval(operand).ndim, get_aval(updates).shape)
        winners = lax.convert_element_type(
            lax.eq(updates, gather(out, indices, gather_dn, slice_sizes)), dtype)
        kept = lax.convert_element_type(lax.eq(operand, out), dtype)
        add_params = _scatter_params_for(scatter_add_p, params, dtype)
        count = lax.add(kept, scatter_add_p.bind(lax.full_like(operand, 0), indices, winners, **add_params))
        total = lax.add(lax.mul(kept, t_op),
                        scatter_add_p.bind(lax.full_like(operand, 0), indices, lax.mul(winners, t_up),
                                           **add_params))
        return out, lax.div(total, count)
    return jvp


ad.primitive_jvps[scatter_add_p] = _scatter_add_jvp
ad.primitive_transposes[scatter_add_p] = _scatter_add_transpose
ad.primitive_jvps[scatter_p] = _scatter_jvp
ad.primitive_transposes[scatter_p] = _scatter_transpose
ad.primitive_jvps[scatter_mul_p] = _scatter_mul_jvp
ad.primitive_transposes[scatter_mul_p] = _scatter_mul_transpose
ad.primitive_jvps[scatter_min_p] = _scatter_extremal_jvp(scatter_min_p)
ad.primitive_jvps[scatter_max_p] = _scatter_extremal_jvp(scatter_max_p)


def _scatter_batcher(prim):
    def rule(args, dims, *, dimension_numbers, **params):
        operand, indices, updates = args
        od, idx_d, ud = dims
        dn = dimension_numbers
        size = batching.axis_size_of(args, dims)
        shift = lambda ds: tuple(d + 1 for d in ds)
        operand = batching.bdim_at_front(operand, od, size)
        updates = batching.bdim_at_front(updates, ud, size)
        if idx_d is not_mapped:
            # The batch dim is one more window dim, the first of operand and updates.
            new_dn = ScatterDimensionNumbers(
                update_window_dims=(0,) + shift(dn.update_window_dims),
                inserted_window_dims=shift(dn.inserted_window_dims),
                scatter_dims_to_operand_dims=shift(dn.scatter_dims_to_operand_dims),
                operand_batching_dims=shift(dn.operand_batching_dims),
                scatter_indices_batching_dims=dn.scatter_indices_batching_dims)
        else:
            indices = batching.moveaxis(indices, idx_d, 0)
            new_dn = ScatterDimensionNumbers(
                update_window_dims=shift(dn.update_window_dims),
                inserted_window_dims=shift(dn.inserted_window_dims),
                scatter_dims_to_operand_dims=shift(dn.scatter_dims_to_operand_dims),
                operand_batching_dims=(0,) + shift(dn.operand_batching_dims),
                scatter_indices_batching_dims=(0,) + shift(dn.scatter_indices_batching_dims))
        return prim.bind(operand, indices, updates, dimension_numbers=new_dn, **params), 0
    batching.primitive_batchers[prim] = rule


for _prim in (scatter_p, scatter_add_p, scatter_mul_p, scatter_min_p, scatter_max_p):
    _scatter_batcher(_prim)


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
    rows = lax.broadcasted_iota(np.int32, shape, len(shape) - 2)
    cols = lax.broadcasted_iota(np.int32, shape, len(shape) - 1)
    return lax.le(rows, cols)


def _forward_only(rule):
    """Write a cumulative jvp rule for reverse=False; reverse runs it on reversed arrays."""
    def jvp(g, ans, x, *, axis, reverse):
        if reverse:
            flip = lambda v: lax.rev(v, (axis,))
            return flip(rule(flip(g), flip(ans), flip(x), axis))
        return rule(g, ans, x, axis)
    return jvp


def _cumprod_jvp(g, ans, x, axis):
    """d ans_i = sum_{j<=i} g_j * prod_{k<j} x_k * prod_{j<k<=i} x_k, with no division (zeros are fine)."""
    ndim = get_aval(x).ndim
    pairs = _pairs_along_axis(x, axis)
    shape = get_aval(pairs).shape
    after = lax.select(lax.lt(lax.broadcasted_iota(np.int32, shape, ndim - 1),
                              lax.broadcasted_iota(np.int32, shape, ndim)), pairs, lax.full_like(pairs, 1))
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
    (gather_p, lowers_to(lambda lax: lax.gather)),
    (scatter_p, lowers_to(lambda lax: lax.scatter)),
    (scatter_add_p, lowers_to(lambda lax: lax.scatter_add)),
    (scatter_mul_p, lowers_to(lambda lax: lax.scatter_mul)),
    (scatter_min_p, lowers_to(lambda lax: lax.scatter_min)),
    (scatter_max_p, lowers_to(lambda lax: lax.scatter_max)),
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
