"""Segment reductions: combine the rows of `data` that share a segment id.

Mirrors jax/_src/ops/scatter.py. `segment_sum(data, ids, n)` is a scatter-add of the rows of data
into n rows that start at 0 (the identity of the combination: 1 for a product, -inf for a max). An
id outside [0, n) is dropped, negative ones included; with `bucket_size`, ids are first scattered
into buckets of that many rows, then the buckets are reduced (for a more accurate sum or product).
"""
import numpy as np

from jaxlite import core, dtypes, errors
from jaxlite.array import ArrayImpl
from jaxlite import numpy as jnp
from jaxlite.numpy import indexing, reductions

_IDENTITIES = {"add": 0, "mul": 1}
_REDUCERS = {"add": reductions.sum, "mul": reductions.prod, "min": reductions.min, "max": reductions.max}


def _identity(mode, dtype):
    if mode in _IDENTITIES:
        return _IDENTITIES[mode]
    if dtype == np.bool_:
        return mode == "min"
    if dtypes.kind(dtype) in "iu":
        info = np.iinfo(dtype)
        return info.max if mode == "min" else info.min
    return np.inf if mode == "min" else -np.inf


def _check_arraylike(name, *args):
    for i, x in enumerate(args):
        if not isinstance(x, (ArrayImpl, core.Tracer, np.ndarray, np.generic, bool, int, float, complex)):
            raise TypeError(f"{name} requires ndarray or scalar arguments, got {type(x)} at position {i}.")


def _num_segments(num_segments, segment_ids, name):
    """The number of output rows, which must be known while tracing (max id + 1 by default)."""
    if num_segments is None:
        num_segments = reductions.max(segment_ids) + 1
    if isinstance(num_segments, core.Tracer):
        if num_segments.to_concrete_value() is None:
            raise errors.ConcretizationTypeError(
                core.abstract_msg(num_segments, f"{name}() `num_segments` argument."),
                core.concretization_hint(num_segments, "shape"))
        num_segments = num_segments.to_concrete_value()
    num_segments = int(np.asarray(getattr(num_segments, "_value", num_segments)))
    if num_segments < 0:
        raise ValueError("num_segments must be non-negative.")
    return num_segments


def _segment_update(name, mode, data, segment_ids, num_segments, indices_are_sorted, unique_indices,
                    bucket_size, oob_mode):
    _check_arraylike(name, data, segment_ids)
    data, segment_ids = jnp.asarray(data), jnp.asarray(segment_ids)
    oob_mode = "fill" if oob_mode is None else oob_mode
    n = _num_segments(num_segments, segment_ids, name)
    dtype = data.dtype
    fill = _identity(mode, dtype)
    if bucket_size is None:
        out = jnp.full((n,) + data.shape[1:], fill, dtype)
        return indexing.index_update(out, segment_ids, data, mode, indices_are_sorted=indices_are_sorted,
                                     unique_indices=unique_indices, oob_mode=oob_mode,
                                     normalize_indices=False)
    n_buckets = -(-segment_ids.size // bucket_size)
    out = jnp.full((n_buckets, n) + data.shape[1:], fill, dtype)
    buckets = jnp.arange(segment_ids.shape[0]) // bucket_size
    out = indexing.index_update(out, (buckets, segment_ids[None, :]), data, mode,
                                indices_are_sorted=indices_are_sorted, unique_indices=unique_indices,
                                oob_mode=oob_mode, normalize_indices=False)
    return _REDUCERS[mode](out, axis=0).astype(dtype)


def segment_sum(data, segment_ids, num_segments=None, indices_are_sorted=False, unique_indices=False,
                bucket_size=None, mode=None, out_sharding=None):
    """The sum of the rows of `data` in each segment (0 for an empty one)."""
    return _segment_update("segment_sum", "add", data, segment_ids, num_segments, indices_are_sorted,
                           unique_indices, bucket_size, mode)


def segment_prod(data, segment_ids, num_segments=None, indices_are_sorted=False, unique_indices=False,
                 bucket_size=None, mode=None, out_sharding=None):
    """The product of the rows of `data` in each segment (1 for an empty one)."""
    return _segment_update("segment_prod", "mul", data, segment_ids, num_segments, indices_are_sorted,
                           unique_indices, bucket_size, mode)


def segment_max(data, segment_ids, num_segments=None, indices_are_sorted=False, unique_indices=False,
                bucket_size=None, mode=None, out_sharding=None):
    """The largest row of `data` in each segment (-inf, or the dtype's minimum, for an empty one)."""
    return _segment_update("segment_max", "max", data, segment_ids, num_segments, indices_are_sorted,
                           unique_indices, bucket_size, mode)


def segment_min(data, segment_ids, num_segments=None, indices_are_sorted=False, unique_indices=False,
                bucket_size=None, mode=None, out_sharding=None):
    """The smallest row of `data` in each segment (inf, or the dtype's maximum, for an empty one)."""
    return _segment_update("segment_min", "min", data, segment_ids, num_segments, indices_are_sorted,
                           unique_indices, bucket_size, mode)
