"""Indexing: `x[idx]` and `x.at[idx]` updates.

Mirrors jax/_src/numpy/indexing.py (rewriting_take and the gather indexer) and jax/_src/ops/scatter.py
(_scatter_update). An index of static integers, slices, None and Ellipsis only is a lax.slice (with
rev, squeeze and expand_dims around it). Every other NumPy index (integer arrays, concrete boolean
masks) becomes one XLA gather, or one scatter for an update, plus a rev and a broadcast_in_dim for
negative steps and new axes. Traced scalar indices with unit-step slices become a dynamic_slice.
"""
import builtins
import operator
import warnings
from typing import NamedTuple

import numpy as np

from jaxlite import core, dtypes, errors, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.errors import NonConcreteBooleanIndexError, with_hint
from jaxlite.lax import gather_scatter, slicing
from jaxlite.lax.lax import const
from jaxlite.numpy import array_constructors, util

_INDEX_DTYPE = np.dtype(np.int32)


# ----------------------------------------------------------------------------------------------
# Reading an index: one entry per position, with its kind

class _Entry(NamedTuple):
    kind: str   # "none", "slice", "int" (static), "scalar" (0-d array or tracer), "array"
    index: object


def _is_array(x):
    return isinstance(x, (ArrayImpl, core.Tracer, np.ndarray))


def _concrete_mask(mask):
    if isinstance(mask, np.ndarray):
        return mask
    value = np.asarray(mask) if type(mask) is ArrayImpl else mask.to_concrete_value()
    if value is None:
        raise NonConcreteBooleanIndexError(
            f"Array boolean indices must be concrete; got {get_aval(mask).str_short()}")
    return np.asarray(value)


def _check_entry(i):
    if i is None or i is Ellipsis or isinstance(i, slice):
        return
    if isinstance(i, str):
        raise TypeError(with_hint(f"JAX does not support string indexing; got idx={i!r}",
                                  "arrays are indexed by position: keep names in a dict of arrays, or map "
                                  "each name to its index."))
    if isinstance(i, (bool, np.bool_, int, np.integer)):
        return
    if _is_array(i) or isinstance(i, (float, complex, np.generic)):
        dtype = get_aval(i).dtype if _is_array(i) else np.asarray(i).dtype
        if dtype.kind not in "iub":
            raise TypeError(with_hint(f"Indexer must have integer or boolean type, got indexer with type "
                                      f"{dtype.name}", "indices are integers: convert with int(i), or "
                                      "idx.astype(jnp.int32) for an array of them."))
        return
    raise TypeError(with_hint(f"Indexing mode not supported: got index of type {type(i).__name__}",
                              "index with ints, slices, None, ... or integer and boolean arrays."))



def _consumed(i):
    """How many operand dims an index entry uses up."""
    if i is None or isinstance(i, (bool, np.bool_)):
        return 0
    if _is_array(i) and get_aval(i).dtype == np.bool_:
        return get_aval(i).ndim
    return 1


def _parse(shape, idx):
    """The index as entries over `shape`, with booleans turned into integer arrays, the Ellipsis
    expanded, and whether the advanced (array and integer) entries were adjacent as written.

    Returns (entries, operand_expansion, advanced_contiguous): operand_expansion lists the new
    length-1 axes a scalar boolean adds to the operand, as NumPy treats `x[True]`."""
    if isinstance(idx, list) or (isinstance(idx, tuple) and len(idx) == 1 and isinstance(idx[0], list)):
        raise TypeError(with_hint("Using a non-tuple sequence for multidimensional indexing is not allowed; use "
                                  "`arr[array(seq)]` instead of `arr[seq]`.",
                                  "to pick several elements, index with an array: x[jnp.array([0, 2])]; to "
                                  "index several axes, use a tuple: x[0, 2]."))
    idx = idx if isinstance(idx, tuple) else (idx,)
    for i in idx:
        _check_entry(i)
    if sum(1 for i in idx if i is Ellipsis) > 1:
        raise IndexError(with_hint("an index can only have a single ellipsis ('...')",
                                   "use ... once, for all the axes it stands for."))
    used = sum(_consumed(i) for i in idx if i is not Ellipsis)
    if used > len(shape):
        raise IndexError(with_hint(f"Too many indices: array is {len(shape)}-dimensional, but {used} were indexed",
                                   errors.too_many_indices_hint(len(shape))))
    kinds = [_kind(i) for i in idx]
    advanced = [p for p, k in enumerate(kinds) if k in ("int", "scalar", "array", "mask", "bool")]
    contiguous = bool(np.all(np.diff(advanced) == 1))
    entries, expansion, dim = [], [], 0
    for i, kind in zip(idx, kinds):
        if i is Ellipsis:
            entries += [_Entry("slice", slice(None))] * (len(shape) - used)
            dim += len(shape) - used
        elif kind == "bool":
            # A scalar boolean is a mask over a new length-1 axis of the operand.
            expansion.append(dim + len(expansion))
            entries.append(_Entry("array", np.arange(1 if i else 0, dtype=_INDEX_DTYPE)))
        elif kind == "mask":
            mask = _concrete_mask(i)
            if mask.shape != tuple(shape[dim:dim + mask.ndim]):
                raise IndexError(with_hint(f"boolean index did not match shape of indexed array in index "
                                           f"{dim}: got {mask.shape}, expected {list(shape[dim:dim + mask.ndim])}",
                                           "a boolean mask has the shape of the axes it selects from: build it "
                                           "from the same array, e.g. x[x > 0]."))
            entries += [_Entry("array", n.astype(dtypes.default_int_dtype())) for n in np.nonzero(mask)]
            dim += mask.ndim
        else:
            entries.append(_Entry(kind, i))
            dim += kind != "none"
    entries += [_Entry("slice", slice(None))] * (0 if any(i is Ellipsis for i in idx) else len(shape) - dim)
    check_static_slices([e.index for e in entries])
    return entries, expansion, contiguous


def check_static_slices(idx):
    """A slice's start, stop and step must be known while tracing: they give the result's shape.
    `idx` has one entry per position (the Ellipsis expanded), as JAX counts positions."""
    for position, i in enumerate(idx):
        if not isinstance(i, slice):
            continue
        traced = [v for v in (i.start, i.stop, i.step)
                  if isinstance(v, core.Tracer) and v.to_concrete_value() is None]
        if traced:
            raise IndexError(with_hint(f"Slice entries must be static integers. Got {i} at position {position}",
                                       core.concretization_hint(traced[0], "slice")))


def _kind(i):
    if i is None:
        return "none"
    if i is Ellipsis or isinstance(i, slice):
        return "slice"
    if isinstance(i, (bool, np.bool_)):
        return "bool"
    if isinstance(i, (int, np.integer)):
        return "int"
    aval = get_aval(i)
    if aval.dtype == np.bool_:
        return "bool" if aval.ndim == 0 and not isinstance(i, core.Tracer) else "mask"
    return "scalar" if aval.ndim == 0 else "array"


def _expanded_operand(a, expansion):
    """Apply the new axes of scalar booleans, so the parsed entries index the result."""
    return lax.expand_dims(a, tuple(expansion)) if expansion else a


# ----------------------------------------------------------------------------------------------
# Normalising negative indices, as JAX stages it

def _normalize(index, size):
    """i + size where i < 0. Static indices are compared now, arrays with a select. Indices still
    out of bounds are left to the gather or scatter's mode (clamp, fill or drop), never an error."""
    if isinstance(index, (int, np.integer)):
        index = int(index)
        return index + size if -size <= index < 0 else index
    if isinstance(index, np.ndarray):
        index = np.asarray(index, dtypes.canonicalize_dtype(index.dtype))
        if index.dtype.kind == "u":
            return index
        array = ArrayImpl(index, False)
        return lax.select(index < 0, lax.add(array, const(index, size)), array)
    aval = get_aval(index)
    if aval.dtype.kind == "u":
        return index
    # A weakly typed index meets a Python int, so the normalised index stays weak (as in JAX).
    size = size if aval.weak_type else const(index, size)
    return lax.select(lax.lt(index, const(index, 0)), lax.add(index, size), index)


def _normalized_entries(shape, entries, normalize=True):
    out, dim = [], 0
    for e in entries:
        if normalize and e.kind in ("int", "scalar", "array"):
            out.append(_Entry(e.kind, _normalize(e.index, shape[dim])))
        else:
            out.append(e)
        dim += e.kind != "none"
    return out


# ----------------------------------------------------------------------------------------------
# x[idx] with traced scalars and unit-step slices: dynamic_slice

def _dynamic_slice_applies(entries):
    return all(e.kind in ("none", "int", "scalar") or
               (e.kind == "slice" and e.index.step in (None, 1, -1)) for e in entries)


def _dynamic_slice_take(a, entries):
    """One dynamic_slice (then rev, squeeze and new axes). As in JAX, the starts are made int32
    together and each is normalised inside lax.dynamic_slice, slice starts included."""
    shape = get_aval(a).shape
    starts, sizes, rev_dims, squeezed, new_axes = [], [], [], [], []
    dim = 0
    for e in entries:
        if e.kind == "none":
            new_axes.append(dim - len(squeezed) + len(new_axes))
            continue
        if e.kind == "slice":
            start, stop, step = e.index.indices(shape[dim])
            if step < 0:
                size = len(range(start, stop, step))
                start = start - size + 1
                rev_dims.append(dim)
            else:
                size = max(0, stop - start)
            starts.append(start)
            sizes.append(size)
        else:
            starts.append(e.index)  # out of bounds, dynamic_slice clamps it as JAX's does
            sizes.append(1)
            squeezed.append(dim)
        dim += 1
    if len(starts) > 1:
        starts = [lax.convert_element_type(i, _INDEX_DTYPE) for i in starts]
    starts = [ArrayImpl(np.asarray(i, _INDEX_DTYPE), False) if isinstance(i, int) else i for i in starts]
    out = slicing.dynamic_slice(a, starts, sizes)
    if rev_dims:
        out = lax.rev(out, tuple(rev_dims))
    out = lax.squeeze(out, tuple(squeezed))
    return lax.expand_dims(out, tuple(new_axes))


# ----------------------------------------------------------------------------------------------
# Everything else: one gather (the same description drives the scatter of an update)

class _GatherPlan(NamedTuple):
    slice_shape: tuple        # shape of x[idx] before None axes are dropped for a scatter
    gather_slice_shape: tuple
    indices: object           # the gather's start indices, last dim the index vector
    dnums: gather_scatter.GatherDimensionNumbers
    no_arrays: bool           # then indices are unique and sorted
    reversed_dims: tuple      # result dims to reverse (negative steps)
    newaxis_dims: tuple


def _broadcast_arrays(arrays):
    """Broadcast index arrays together with one broadcast_in_dim each (size-1 dims stretch)."""
    shape = np.broadcast_shapes(*[get_aval(x).shape for x in arrays])
    out = []
    for x in arrays:
        ndim = get_aval(x).ndim
        out.append(x if get_aval(x).shape == shape else
                   lax.broadcast_in_dim(x, shape, tuple(range(len(shape) - ndim, len(shape)))))
    return out


def _to_index_dtype(x):
    return lax.convert_element_type(x, _INDEX_DTYPE)


def _gather_plan(shape, entries, contiguous, normalize=True):
    """Turn parsed entries into gather dimension numbers and start indices (XLA's model: every
    index is a start of a slice; integer arrays give one start per element). `normalize` makes
    negative indices count from the end."""
    entries = _normalized_entries(shape, entries, normalize)
    has_arrays = any(e.kind == "array" for e in entries)
    advanced = [p for p, e in enumerate(entries) if has_arrays and e.kind in ("int", "scalar", "array")]
    operand_advanced = [sum(1 for e in entries[:p] if e.kind != "none") for p in advanced]
    first = (advanced[0] if contiguous else 0) if advanced else None

    offset_dims, collapsed, index_map = [], [], []
    starts, starts_shape = [], []          # (array, first dim in starts_shape)
    slice_shape, gather_slice_shape, newaxis_dims, reversed_dims = [], [], [], []
    x_dim = y_dim = collapsed_y_dim = 0
    for pos, e in enumerate(entries):
        if pos == first:
            arrays = [array_constructors.asarray(entries[p].index) for p in advanced]
            arrays = [_to_index_dtype(x) for x in _broadcast_arrays(arrays)]
            group_shape = get_aval(arrays[0]).shape
            starts += [(x, len(starts_shape)) for x in arrays]
            starts_shape += group_shape
            index_map += operand_advanced
            collapsed += operand_advanced
            slice_shape += group_shape
            y_dim += len(group_shape)
            collapsed_y_dim += len(group_shape)
        if pos in advanced:
            x_dim += 1
            gather_slice_shape.append(1)
            continue
        if e.kind in ("int", "scalar"):
            starts.append((_to_index_dtype(e.index), len(starts_shape)))
            collapsed.append(x_dim)
            index_map.append(x_dim)
            gather_slice_shape.append(1)
            x_dim += 1
        elif e.kind == "none":
            slice_shape.append(1)
            newaxis_dims.append(y_dim)
            y_dim += 1
        else:
            start, stop, step = e.index.indices(shape[x_dim])
            size = len(range(start, stop, step))
            slice_shape.append(size)
            if step == 1:
                if size != shape[x_dim]:
                    starts.append((ArrayImpl(np.asarray(start, _INDEX_DTYPE), False), len(starts_shape)))
                    index_map.append(x_dim)
                gather_slice_shape.append(size)
                offset_dims.append(collapsed_y_dim)
            else:
                positions = lax.add(array_constructors.array(start, dtype=_INDEX_DTYPE),
                                    lax.mul(array_constructors.array(step, dtype=_INDEX_DTYPE),
                                            lax.iota(_INDEX_DTYPE, size)))
                if step < 0:
                    reversed_dims.append(collapsed_y_dim)
                    positions = lax.rev(positions, (0,))
                gather_slice_shape.append(1)
                starts.append((positions, len(starts_shape)))
                index_map.append(x_dim)
                starts_shape.append(size)
                collapsed.append(x_dim)
            collapsed_y_dim += 1
            y_dim += 1
            x_dim += 1

    if not starts:
        indices = ArrayImpl(np.zeros((0,), _INDEX_DTYPE), False)
    elif len(starts) == 1:
        g = starts[0][0]
        indices = lax.expand_dims(g, (get_aval(g).ndim,))
    else:
        full = tuple(starts_shape) + (1,)
        indices = lax.concatenate([lax.broadcast_in_dim(g, full, tuple(range(i, i + get_aval(g).ndim)))
                                   for g, i in starts], len(starts_shape))
    dnums = gather_scatter.GatherDimensionNumbers(offset_dims=tuple(offset_dims),
                                           collapsed_slice_dims=tuple(sorted(collapsed)),
                                           start_index_map=tuple(index_map))
    return _GatherPlan(tuple(slice_shape), tuple(gather_slice_shape), indices, dnums, not advanced,
                       tuple(reversed_dims), tuple(newaxis_dims))


def _gather_take(a, entries, contiguous, mode, fill_value, indices_are_sorted, unique_indices,
                 normalize=True):
    plan = _gather_plan(get_aval(a).shape, entries, contiguous, normalize)
    if 0 in plan.slice_shape:
        return lax.full(plan.slice_shape, 0, get_aval(a).dtype)
    y = a
    if get_aval(plan.indices).size:
        y = gather_scatter.gather(y, plan.indices, plan.dnums, plan.gather_slice_shape,
                           unique_indices=unique_indices or plan.no_arrays,
                           indices_are_sorted=indices_are_sorted or plan.no_arrays,
                           mode=mode, fill_value=fill_value)
    if plan.reversed_dims:
        y = lax.rev(y, plan.reversed_dims)
    return lax.expand_dims(y, plan.newaxis_dims)


def advanced_getitem(a, idx, *, mode=None, fill_value=None, indices_are_sorted=False,
                     unique_indices=False, normalize_indices=True):
    """`a[idx]` for any NumPy index, as jnp does it: a dynamic_slice when the only non-static
    parts are scalars, otherwise a gather (default mode: promise_in_bounds, which clamps)."""
    a = util.asarray_arg(a)
    entries, expansion, contiguous = _parse(get_aval(a).shape, idx)
    a = _expanded_operand(a, expansion)
    if (mode is None and fill_value is None and normalize_indices and not expansion
            and _dynamic_slice_applies(entries) and any(e.kind == "scalar" for e in entries)):
        return _dynamic_slice_take(a, entries)
    if mode is not None:
        gather_scatter.GatherScatterMode.from_any(mode)  # an unknown mode is refused before anything runs
    return _gather_take(a, entries, contiguous, mode, fill_value, indices_are_sorted, unique_indices,
                        normalize_indices)


# ----------------------------------------------------------------------------------------------
# x[idx] with static integers, slices, None and Ellipsis only: slice, rev, squeeze, expand_dims

def _is_basic_index(idx):
    return idx is None or idx is Ellipsis or isinstance(idx, (slice, int, np.integer)) and \
        not isinstance(idx, (bool, np.bool_))


def getitem(a, idx):
    """x[idx] for static indices: a slice, then rev for negative steps, squeeze for integers and
    expand_dims for None. Out-of-range integers clamp to the edge, as JAX's gathers do."""
    a = util.asarray_arg(a)
    if not isinstance(idx, tuple):
        idx = (idx,)
    if not builtins.all(_is_basic_index(i) for i in idx):
        return advanced_getitem(a, idx)
    shape_ = get_aval(a).shape
    idx = _expand_ellipsis(idx, len(shape_))
    check_static_slices(idx)
    if _static_int_out_of_bounds(idx, shape_):
        # JAX reads such an index as a traced one: a dynamic_slice, which clamps it into range.
        return advanced_getitem(a, tuple(_as_index_array(i) if _is_int(i) else i for i in idx))
    starts, limits, strides, squeeze_dims, new_axes, rev_dims = [], [], [], [], [], []
    dim = out_dim = 0
    for i in idx:
        if i is None:
            new_axes.append(out_dim)
            out_dim += 1
            continue
        size_ = shape_[dim]
        if isinstance(i, slice):
            start, limit, stride, reverse = _slice_bounds(i, size_)
            starts.append(start), limits.append(limit), strides.append(stride)
            if reverse:
                rev_dims.append(dim)
            out_dim += 1
        else:
            k = operator.index(i)
            k = builtins.min(builtins.max(k + size_ if k < 0 else k, 0), builtins.max(size_ - 1, 0))
            starts.append(k), limits.append(k + 1), strides.append(1)
            squeeze_dims.append(dim)
        dim += 1
    out = a
    if starts != [0] * len(shape_) or limits != list(shape_) or builtins.any(s != 1 for s in strides):
        out = lax.slice(out, starts, limits, None if builtins.all(s == 1 for s in strides) else strides)
    if rev_dims:
        out = lax.rev(out, tuple(rev_dims))
    if squeeze_dims:
        out = lax.squeeze(out, tuple(squeeze_dims))
    if new_axes:
        out = lax.expand_dims(out, tuple(new_axes))
    return out


def _is_int(i):
    return isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_))


def _static_int_out_of_bounds(idx, shape_):
    dims = [i for i in idx if i is not None]
    return builtins.any(_is_int(i) and not -size_ <= i < size_ for i, size_ in zip(dims, shape_))


def _as_index_array(i):
    return ArrayImpl(np.asarray(i, np.int32), False)


def _expand_ellipsis(idx, ndim_):
    n_real = builtins.sum(1 for i in idx if i is not None and i is not Ellipsis)
    if n_real > ndim_:
        raise IndexError(errors.with_hint(f"Too many indices: array is {ndim_}-dimensional, but {n_real} were "
                                          "indexed", errors.too_many_indices_hint(ndim_)))
    n_ellipsis = builtins.sum(1 for i in idx if i is Ellipsis)
    if n_ellipsis > 1:
        raise IndexError(errors.with_hint("an index can only have a single ellipsis ('...')",
                                          "use ... once, for all the axes it stands for."))
    fill = (slice(None),) * (ndim_ - n_real)
    if n_ellipsis:
        pos = [k for k, i in enumerate(idx) if i is Ellipsis][0]
        return idx[:pos] + fill + idx[pos + 1:]
    return idx + fill


def _slice_bounds(s, size_):
    """A Python slice as (start, limit, stride, reversed) for lax.slice (+ lax.rev)."""
    start, stop, step = s.indices(size_)
    if step > 0:
        length = builtins.max(0, (stop - start + step - 1) // step)
        return start, start + (length - 1) * step + 1 if length else start, step, False
    length = builtins.max(0, (start - stop - step - 1) // (-step))
    if not length:
        return 0, 0, 1, False
    low = start - (length - 1) * (-step)
    return low, start + 1, -step, True


# ----------------------------------------------------------------------------------------------
# x.at[idx].set/add/mul/min/max: the gather's description, read as a scatter

_SCATTERS = {"set": gather_scatter.scatter, "add": gather_scatter.scatter_add,
             "mul": gather_scatter.scatter_mul, "min": gather_scatter.scatter_min,
             "max": gather_scatter.scatter_max}


def _warn_if_unsafe_cast(values, dtype):
    """JAX's FutureWarning when the updates would not promote to the array's dtype (7.5 into an int
    array): they are cast all the same, as NumPy's setitem casts."""
    values_dtype, weak = dtypes.dtype_and_weak(values)
    if values_dtype != dtype and dtypes.result_type_and_weak((values_dtype, weak), (dtype, False))[0] != dtype:
        warnings.warn(f"scatter inputs have incompatible types: cannot safely cast value from "
                      f"dtype={values_dtype.name} to dtype={dtype.name} with "
                      "jax_numpy_dtype_promotion=standard. In future JAX releases this will result "
                      "in an error.", FutureWarning, stacklevel=errors.user_stacklevel())


def index_update(a, idx, values, mode, *, indices_are_sorted=False, unique_indices=False,
                 oob_mode=None, normalize_indices=True):
    """A copy of `a` with `a[idx]` combined with `values` by `mode` ("set", "add", "mul", "min",
    "max"). Out-of-bounds updates are dropped unless oob_mode says otherwise ("clip" clamps)."""
    scatter_op = _SCATTERS[mode]
    a = util.asarray_arg(a)
    aval = get_aval(a)
    if (isinstance(values, int) and not isinstance(values, bool) and aval.dtype.kind in "iu"
            and np.iinfo(aval.dtype).min <= values <= np.iinfo(aval.dtype).max):
        values = ArrayImpl(np.asarray(values, aval.dtype), False)
    else:
        values = util.asarray_arg(values)
    _warn_if_unsafe_cast(values, aval.dtype)
    entries, expansion, contiguous = _parse(aval.shape, idx)
    x = _expanded_operand(a, expansion)
    plan = _gather_plan(get_aval(x).shape, entries, contiguous, normalize_indices)
    if 0 in plan.slice_shape:
        return a
    x, values = util.promote_dtypes(x, values)
    try:
        values = util.broadcast_to(values, plan.slice_shape)
    except ValueError as err:  # broadcast_to's message, with a hint about .at[] in place of its own
        raise ValueError(with_hint(errors.without_hint(str(err)),
                                   f"the value given to x.at[idx] must broadcast to the shape that x[idx] "
                                   f"has, {plan.slice_shape}: index or reshape the value to fit.")) from None
    values = lax.squeeze(values, plan.newaxis_dims)
    if plan.reversed_dims:
        values = lax.rev(values, plan.reversed_dims)
    dn = plan.dnums
    scatter_dnums = gather_scatter.ScatterDimensionNumbers(
        update_window_dims=dn.offset_dims, inserted_window_dims=dn.collapsed_slice_dims,
        scatter_dims_to_operand_dims=dn.start_index_map)
    out = scatter_op(x, plan.indices, values, scatter_dnums,
                     indices_are_sorted=indices_are_sorted or plan.no_arrays,
                     unique_indices=unique_indices or plan.no_arrays, mode=oob_mode)
    if expansion:
        out = lax.squeeze(out, tuple(expansion))
    if isinstance(aval.dtype, dtypes.ExtendedDType):
        return out  # typed keys: set, and no dtype to restore
    return lax.convert_element_type(out, aval.dtype, aval.weak_type)
