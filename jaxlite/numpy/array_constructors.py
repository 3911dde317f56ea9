"""jaxlite.numpy's array constructors: `array` and `asarray`.

Mirrors jax/_src/numpy/array_constructors.py: a Python scalar without a dtype gives a weakly typed
array, nested sequences take the default 32-bit types, and a sequence holding tracers is stacked
with lax primitives so that it can be traced.
"""
import builtins

import numpy as np

from jaxlite import core, dtypes, errors, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.numpy.util import INT_RANGE_HINT, convert, user_dtype


def python_scalar_array(obj, dtype):
    """A Python scalar without a dtype is weakly typed, except bools (as in JAX)."""
    if dtype is None:
        dt, weak = dtypes.dtype_and_weak(obj)
        if isinstance(obj, int) and not isinstance(obj, bool):
            info = np.iinfo(dt)
            if not info.min <= obj <= info.max:
                raise OverflowError(errors.with_hint(f"Python int {obj} too large to convert to {dt.name}",
                                                     INT_RANGE_HINT))
        return ArrayImpl(np.asarray(obj, dt), weak and not isinstance(obj, bool))
    dtype = dtypes.canonicalize_dtype(dtype)
    try:
        return ArrayImpl(np.asarray(obj, dtype), False)
    except OverflowError as err:
        info = np.iinfo(dtype)
        raise OverflowError(errors.with_hint(
            str(err), f"{dtype.name} holds integers from {info.min} to {info.max}: choose a dtype that holds "
            f"{obj} (such as jnp.int32), or bring the value into range first.")) from None


def array(object, dtype=None, copy=True, order="K", ndmin=0):
    """A new array from a Python scalar, nested sequence, NumPy array or jaxlite array."""
    dtype = user_dtype(dtype, "array")
    if isinstance(object, (ArrayImpl, core.Tracer)):
        # A traced array is copied, as JAX stages it (a concrete one is immutable: sharing is safe).
        out = lax.copy_p.bind(object) if copy and isinstance(object, core.Tracer) else object
        out = out if dtype is None else convert(out, dtype, False)
    elif isinstance(object, (list, tuple)) and _contains_tracer(object):
        # As from Python numbers in a list, the array is strongly typed, weak elements or not:
        # each element is converted to the common dtype, then they are stacked.
        out = _stack_nested(object, dtypes.result_type(*_leaves(object)) if dtype is None else dtype)
    elif isinstance(object, (bool, int, float, complex)):
        out = python_scalar_array(object, dtype)
    else:
        out = _array_from_nested(object, dtype)
    if ndmin and get_aval(out).ndim < ndmin:
        out = lax.reshape(out, (1,) * (ndmin - get_aval(out).ndim) + get_aval(out).shape)
    return out


def _array_from_nested(obj, dtype):
    for leaf in _leaves(obj):
        _check_leaf(leaf)
    try:
        value = np.array(concrete_leaves(obj))
    except ValueError as err:
        raise ValueError(errors.with_hint(str(err), "an array is rectangular: every row of a nested list needs "
                                          "the same length (pad the short ones, or keep a list of arrays).")) from None
    if value.dtype == np.dtype(object):
        raise TypeError(errors.with_hint("JAX only supports number and bool dtypes, got dtype object in array",
            "jax arrays hold numbers: convert the objects to numbers first."))
    if dtype is not None:
        return ArrayImpl(value.astype(dtypes.canonicalize_dtype(dtype)), False)
    if isinstance(obj, (list, tuple)):
        # Python numbers inside lists take the default (32-bit) types, as a bare scalar would.
        if value.dtype.kind in "iu" and _all_python_ints(obj):
            _check_python_ints(value)
            return ArrayImpl(value.astype(dtypes.default_int_dtype()), False)
        if value.dtype == np.float64 and not _has_numpy_leaf(obj, np.float64):
            return ArrayImpl(value.astype(dtypes.default_float_dtype()), False)
    return ArrayImpl(value.astype(dtypes.canonicalize_dtype(value.dtype)), False)


def _stack_nested(obj, dtype):
    """Nested sequences as one array: each element converted and given its new axis in turn."""
    if isinstance(obj, (list, tuple)):
        return lax.concatenate([lax.expand_dims(_stack_nested(o, dtype), (0,)) for o in obj], 0)
    return convert(obj, dtype, False)


def _leaves(obj):
    if isinstance(obj, (list, tuple)):
        for o in obj:
            yield from _leaves(o)
    else:
        yield obj


def _check_leaf(leaf):
    """What JAX refuses to make an array of: None, strings, and other objects that are not numbers."""
    if leaf is None:
        raise ValueError(errors.with_hint("None is not a valid value for jnp.array",
            "jax arrays hold numbers: replace None with a number (such as jnp.nan or 0), or leave that entry out."))
    if isinstance(leaf, (ArrayImpl, bool, int, float, complex)):
        return
    try:
        dtype = np.asarray(leaf).dtype
    except (TypeError, ValueError):
        raise TypeError(errors.with_hint(f"Cannot determine dtype of {leaf}",
            "jax arrays hold numbers: convert this value to a number first.")) from None
    if dtypes.kind(dtype) not in "biufc":
        raise TypeError(errors.with_hint(f"Value '{leaf}' with dtype {dtype} is not a valid JAX array type. "
                                         "Only arrays of numeric types are supported by JAX.",
                                         "JAX arrays hold numbers (bool, int, float, complex): convert text to "
                                         "numbers first, or keep it in a Python list beside the array."))


def concrete_leaves(obj):
    if isinstance(obj, (list, tuple)):
        return [concrete_leaves(o) for o in obj]
    if isinstance(obj, ArrayImpl):
        return np.asarray(obj)
    return obj


def _all_python_ints(obj):
    if isinstance(obj, (list, tuple)):
        return builtins.all(_all_python_ints(o) for o in obj)
    return isinstance(obj, int)


def _has_numpy_leaf(obj, dtype):
    if isinstance(obj, (list, tuple)):
        return builtins.any(_has_numpy_leaf(o, dtype) for o in obj)
    return isinstance(obj, (np.ndarray, np.generic)) and obj.dtype == dtype


def _check_python_ints(value):
    info = np.iinfo(dtypes.default_int_dtype())
    if value.size and (value.min() < info.min or value.max() > info.max):
        bad = value.max() if value.max() > info.max else value.min()
        raise OverflowError(errors.with_hint(f"Python int {bad} too large to convert to "
                                             f"{dtypes.default_int_dtype().name}", INT_RANGE_HINT))


def _contains_tracer(obj):
    if isinstance(obj, (list, tuple)):
        return builtins.any(_contains_tracer(o) for o in obj)
    return isinstance(obj, core.Tracer)


def asarray(a, dtype=None, order=None, *, copy=None):
    dtype = user_dtype(dtype, "asarray")
    if isinstance(a, (ArrayImpl, core.Tracer)) and dtype is None:
        return a
    return array(a, dtype=dtype, copy=False)
