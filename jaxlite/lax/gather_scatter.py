"""Gathers and scatters: XLA's dimension numbers, out-of-bounds modes, and the primitives' rules.

Mirrors the gather and scatter half of jax/_src/lax/slicing.py (JAX keeps them in one file with
slice, pad and the dynamic slices; here they have a module of their own). Gather and scatter follow
XLA's semantics exactly: index arithmetic is done with NumPy on whole arrays, never a Python loop
over elements.
"""
import enum
from typing import NamedTuple

import numpy as np

from jaxlite import dtypes
from jaxlite.errors import with_hint
from jaxlite.core import Jaxpr, JaxprEqn, ShapedArray, Var, get_aval
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.ad import Zero, is_undefined_primal
from jaxlite.interpreters.batching import not_mapped
from jaxlite.lax import lax, shapes
from jaxlite.lax.utils import check_dtypes, to_array, standard_primitive
from jaxlite.lax.utils import same_dtype as _same_dtype
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to

__all__ = ["gather", "scatter", "scatter_add", "scatter_mul", "scatter_min", "scatter_max",
           "GatherDimensionNumbers", "ScatterDimensionNumbers", "GatherScatterMode"]


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


def _operand_weak(*avals, **params):
    """Gathers and scatters keep the weak type of their operand."""
    return avals[0].weak_type


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


def _scatter_primitive(name, combine):
    return standard_primitive(name, _scatter_apply(combine), _scatter_shape, _scatter_dtype,
                              _operand_weak)


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
    ids = lax.add(lax.reshape(shapes.iota(np.uint32, num_ids), ids_shape), np.uint32(1))
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
# On XLA (jit's xla backend), each primitive is the jax.lax function of the same meaning.

for _prim, _rule in [
    (gather_p, lowers_to(lambda lax: lax.gather)),
    (scatter_p, lowers_to(lambda lax: lax.scatter)),
    (scatter_add_p, lowers_to(lambda lax: lax.scatter_add)),
    (scatter_mul_p, lowers_to(lambda lax: lax.scatter_mul)),
    (scatter_min_p, lowers_to(lambda lax: lax.scatter_min)),
    (scatter_max_p, lowers_to(lambda lax: lax.scatter_max)),
]:
    register_lowering(_prim, _rule, "xla")
