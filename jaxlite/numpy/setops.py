"""`jnp.unique` and its array-API variants.

Mirrors jax/_src/numpy/setops.py. The number of unique values depends on the data, so without
`size=` these need concrete values (outside jit); with `size=` the result has that many entries,
padded with `fill_value` (or the smallest value), and everything stays traceable.
"""
from typing import NamedTuple

import numpy as np

from jaxlite import core, dtypes, lax
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.errors import ConcretizationTypeError
from jaxlite.numpy import array_constructors, array_creation, lax_numpy, reductions, ufuncs
from jaxlite.numpy.util import asarray_arg, canonicalize_axis

_SIZE_HINT = ("To make jnp.unique() compatible with JIT and other transforms, you can specify a "
              "concrete value for the size argument, which will determine the output size.")


_HINT = ("how many unique values there are depends on the data: pass size=N (and fill_value) "
         "for a result of fixed length.")


def _concrete_or_error(x, context):
    """x's NumPy value; a ConcretizationTypeError when it is only known abstractly (under jit)."""
    if isinstance(x, core.Tracer):
        value = x.to_concrete_value()
        if value is None:
            raise ConcretizationTypeError(core.abstract_msg(x, context), hint=_HINT)
        return np.asarray(value)
    return np.asarray(x)


_INT = dtypes.default_int_dtype


def _int_array(values):
    return array_constructors.asarray(np.asarray(values, dtypes.default_int_dtype()))


def nonzero_sized(mask, size, fill_value=0):
    """The flat positions where a 1-d boolean mask holds, the first `size` of them, padded with
    fill_value: traceable, since its length never depends on the data. Positions that hold sort
    before the rest, which are keyed as len(mask)."""
    n = get_aval(mask).shape[0]
    int_dtype = dtypes.default_int_dtype()
    positions = lax.broadcasted_iota(int_dtype, (n,), 0)
    keys = lax_numpy.where(mask, positions, lax.full((n,), n, int_dtype))
    first = lax.sort(keys)[:size] if n else keys
    if size > n:
        first = lax_numpy.concatenate([first, lax.full((size - n,), n, int_dtype)])
    return first, lax.lt(first, lax.full((size,), n, int_dtype))


def _sorted_with_mask(ar, equal_nan):
    """ar (unique values along axis 0) sorted lexicographically, a mask of where each run of
    equal entries starts, and the sorting permutation."""
    n, *rest = get_aval(ar).shape
    width = int(np.prod(rest, dtype=np.int64))
    int_dtype = dtypes.default_int_dtype()
    if width == 0:
        perm = lax.full((1,), 0, int_dtype)
        n = 1
    else:
        rows = lax.reshape(ar, (n, width))
        keys = [rows[:, j] for j in range(width)]
        perm = lax.sort((*keys, lax.broadcasted_iota(int_dtype, (n,), 0)), num_keys=width)[-1]
    aux = lax_numpy.take(ar, perm, axis=0) if get_aval(ar).size else ar
    if get_aval(aux).size:
        later, earlier = aux[1:], aux[:-1]
        differ = lax.ne(later, earlier)
        if equal_nan and dtypes.kind(get_aval(aux).dtype) in "fc":
            differ = lax.bitwise_and(differ, ufuncs.logical_not(
                lax.bitwise_and(ufuncs.isnan(later), ufuncs.isnan(earlier))))
        starts = reductions.any(differ, axis=tuple(range(1, get_aval(aux).ndim)))
        mask = lax_numpy.concatenate([lax.full((1,), True, np.bool_), starts])
    else:
        mask = lax.full((n,), False, np.bool_)
    return aux, mask, perm


def _unique(ar, axis, return_index, return_inverse, return_counts, equal_nan, size, fill_value):
    ar = lax_numpy.moveaxis(ar, axis, 0)
    n = get_aval(ar).shape[0]
    if n == 0 and size and fill_value is None:
        raise ValueError(with_hint("jnp.unique: for zero-sized input with nonzero size argument, fill_value "
                         "must be specified",
            "give fill_value, the value that fills the size entries of an empty input."))
    aux, mask, perm = _sorted_with_mask(ar, equal_nan)
    has_values = get_aval(aux).size > 0
    if size is None:
        ind = _int_array(np.nonzero(_concrete_or_error(mask, "The error arose in jnp.unique(). "
                                                       + _SIZE_HINT))[0])
    else:
        first, valid = nonzero_sized(mask, size)
        ind = lax_numpy.where(valid, first, lax.full((size,), 0, _INT()))
    result = lax_numpy.take(aux, ind, axis=0) if has_values else aux
    if size is not None and fill_value is not None:
        fill = array_constructors.asarray(fill_value).astype(get_aval(result).dtype)
        if get_aval(result).shape[0]:
            count = reductions.sum(mask)
            valid = lax.lt(lax.broadcasted_iota(_INT(), (size,), 0), count)
            valid = lax.expand_dims(valid, tuple(range(1, get_aval(result).ndim)))
            result = lax_numpy.where(valid, result, fill)
        else:
            result = array_creation.full((size, *get_aval(result).shape[1:]), fill)
    outs = [lax_numpy.moveaxis(result, 0, axis)]
    if return_index:
        outs.append(lax_numpy.take(perm, ind) if has_values else perm)
    if return_inverse:
        if has_values:
            run = lax.sub(reductions.cumsum(mask), lax.full((n,), 1, _INT()))
            inverse = array_creation.zeros((n,), _INT()).at[perm].set(run)
        else:
            inverse = array_creation.zeros((n,), _INT())
        outs.append(inverse)
    if return_counts:
        outs.append(_counts(mask, n, size, has_values))
    return outs


def _counts(mask, n, size, has_values):
    """Run lengths: the gaps between where runs start, the last run ending at n."""
    if not has_values:
        return array_creation.full((1,), n, _INT()) if n else array_creation.zeros((0,), _INT())
    if size is None:
        starts = lax_numpy.append(_int_array(np.nonzero(_concrete_or_error(mask, ""))[0]), n)
    else:
        first, valid = nonzero_sized(mask, size + 1)
        starts = lax_numpy.where(valid, first, lax.full((size + 1,), n, _INT()))
    return lax.sub(starts[1:], starts[:-1])


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, size=None, fill_value=None, sorted=True):
    """The sorted unique values of `ar` (or unique slices along `axis`), with optionally the index
    of each one's first occurrence, the inverse mapping and the counts."""
    arr = asarray_arg(ar)
    if size is None:
        _concrete_or_error(arr, "The error arose for the first argument of jnp.unique(). " + _SIZE_HINT)
    else:
        size = int(_concrete_or_error(size, "The error arose for the size argument of jnp.unique(). "
                                      + _SIZE_HINT))
    shape = get_aval(arr).shape
    if axis is None:
        arr, axis = lax_numpy.ravel(arr), 0
    else:
        axis = canonicalize_axis(axis, len(shape))
        shape = None
    outs = _unique(arr, axis, return_index, return_inverse, return_counts, equal_nan, size, fill_value)
    if return_inverse and shape is not None:
        k = 2 if return_index else 1
        outs[k] = lax_numpy.reshape(outs[k], shape)
    return outs[0] if len(outs) == 1 else tuple(outs)


class _UniqueAllResult(NamedTuple):
    values: object
    indices: object
    inverse_indices: object
    counts: object


class _UniqueCountsResult(NamedTuple):
    values: object
    counts: object


class _UniqueInverseResult(NamedTuple):
    values: object
    inverse_indices: object


def unique_all(x, /, *, size=None, fill_value=None):
    return _UniqueAllResult(*unique(x, return_index=True, return_inverse=True, return_counts=True,
                                    equal_nan=False, size=size, fill_value=fill_value))


def unique_counts(x, /, *, size=None, fill_value=None):
    return _UniqueCountsResult(*unique(x, return_counts=True, equal_nan=False, size=size,
                                       fill_value=fill_value))


def unique_inverse(x, /, *, size=None, fill_value=None):
    return _UniqueInverseResult(*unique(x, return_inverse=True, equal_nan=False, size=size,
                                        fill_value=fill_value))


def unique_values(x, /, *, size=None, fill_value=None):
    return unique(x, equal_nan=False, size=size, fill_value=fill_value)
