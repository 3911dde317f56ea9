"""jaxlite.numpy's array creation: zeros, ones, empty, full, their `*_like` forms, and linspace.

Mirrors jax/_src/numpy/array_creation.py: an array of one value is a broadcast_in_dim of a scalar
constant, as JAX stages it; linspace is written with iota so that it is differentiable in its
bounds. (arange, eye, identity, tri and meshgrid live in lax_numpy.py, as in JAX.)
"""
import operator

import numpy as np

from jaxlite import core, dtypes, errors, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.numpy.array_constructors import asarray, python_scalar_array
from jaxlite.numpy.util import (asarray_arg, broadcast_shapes, broadcast_to, canonicalize_shape,
                                check_concrete, constant_like, convert, promote_dtypes_inexact,
                                to_inexact_dtype, user_dtype)


def _filled(shape, value, dtype, weak_type=False):
    """An array of one value: broadcast_in_dim of a scalar constant, as JAX stages it."""
    scalar = ArrayImpl(np.asarray(value).astype(dtypes.canonicalize_dtype(dtype)), weak_type)
    return lax.broadcast_in_dim(scalar, shape, ()) if shape else scalar


def _check_shape_is_one_argument(name, shape, dtype):
    """`jnp.ones(2, 3)`: the second size was read as a dtype. JAX says so, as here."""
    if isinstance(dtype, int) and isinstance(shape, int):
        raise TypeError(errors.with_hint(
            f"Cannot interpret '{dtype}' as a data type.\n\nDid you accidentally write "
            f"`jax.numpy.{name}({shape}, {dtype})` when you meant `jax.numpy.{name}(({shape}, {dtype}))`, "
            "i.e. with a single tuple argument for the shape?",
            f"the shape is one argument, a tuple: jnp.{name}(({shape}, {dtype})); the second argument is the dtype."))


def zeros(shape, dtype=None):
    _check_shape_is_one_argument("zeros", shape, dtype)
    return _filled(canonicalize_shape(shape), 0, user_dtype(dtype, "zeros") or dtypes.default_float_dtype())


def ones(shape, dtype=None):
    _check_shape_is_one_argument("ones", shape, dtype)
    return _filled(canonicalize_shape(shape), 1, user_dtype(dtype, "ones") or dtypes.default_float_dtype())


def empty(shape, dtype=None):
    _check_shape_is_one_argument("empty", shape, dtype)
    return zeros(shape, user_dtype(dtype, "empty"))


def full(shape, fill_value, dtype=None):
    """A Python scalar fill value without a dtype gives a weakly typed array, as in JAX."""
    shape = canonicalize_shape(shape)
    dtype = user_dtype(dtype, "full")
    if isinstance(fill_value, (bool, int, float, complex)) and not isinstance(fill_value, core.Tracer):
        fill = python_scalar_array(fill_value, dtype)
    else:
        fill = asarray(fill_value, dtype)
    if get_aval(fill).ndim:
        return broadcast_to(fill, shape)
    return lax.broadcast_in_dim(fill, shape, ()) if shape else fill


def _like(a, fill_value, dtype, shape):
    aval = get_aval(asarray_arg(a))
    shape = aval.shape if shape is None else canonicalize_shape(shape)
    if dtype is None and isinstance(aval.dtype, dtypes.ExtendedDType):
        # Typed keys whose key data is all `fill_value`, as JAX makes them.
        from jaxlite import prng
        data = _filled(shape + aval.dtype._impl.key_shape, fill_value, np.uint32)
        return prng.random_wrap_p.bind(data, impl=aval.dtype._impl)
    if dtype is None:
        return _filled(shape, fill_value, aval.dtype, aval.weak_type)
    return _filled(shape, fill_value, dtype)


def zeros_like(a, dtype=None, shape=None):
    return _like(a, 0, user_dtype(dtype, "zeros_like"), shape)


def ones_like(a, dtype=None, shape=None):
    return _like(a, 1, user_dtype(dtype, "ones_like"), shape)


def empty_like(a, dtype=None, shape=None):
    return _like(a, 0, user_dtype(dtype, "empty_like"), shape)


def full_like(a, fill_value, dtype=None, shape=None):
    dtype = user_dtype(dtype, "full_like")
    if (get_aval(asarray_arg(fill_value)).ndim or isinstance(fill_value, core.Tracer)
            or isinstance(get_aval(asarray_arg(fill_value)).dtype, dtypes.ExtendedDType)):
        aval = get_aval(asarray_arg(a))
        same = dtype is None and get_aval(asarray_arg(fill_value)).dtype == aval.dtype
        fill = asarray(fill_value) if same else asarray(fill_value, dtype or aval.dtype)
        return broadcast_to(fill, aval.shape if shape is None else canonicalize_shape(shape))
    return _like(a, np.asarray(fill_value), dtype, shape)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`start * (1 - t) + stop * t` for t = iota / div: differentiable in start and stop."""
    num = operator.index(check_concrete(num, "the jnp.linspace argument 'num'"))
    if num < 0:
        raise ValueError(errors.with_hint(f"Number of samples, {num}, must be non-negative.",
            "the number of samples is a count, 0 or more."))
    start, stop = asarray_arg(start), asarray_arg(stop)
    dtype = user_dtype(dtype, "linspace")
    if dtype is None:
        dtype = promote_dtypes_inexact(start, stop)[0].aval.dtype
    dtype = dtypes.canonicalize_dtype(dtype)
    work = to_inexact_dtype(dtype)
    start, stop = convert(start, work), convert(stop, work)
    bounds = list(broadcast_shapes(get_aval(start).shape, get_aval(stop).shape))
    start, stop = broadcast_to(start, bounds), broadcast_to(stop, bounds)
    axis = len(bounds) + axis + 1 if axis < 0 else axis
    bounds.insert(axis, 1)
    div = (num - 1) if endpoint else num
    if num > 1:
        step = lax.div(lax.sub(stop, start), constant_like(start, div))
        t_shape = [1] * len(bounds)
        t_shape[axis] = div
        t = lax.div(lax.reshape(lax.iota(work, div), t_shape), constant_like(start, div))
        out = lax.add(lax.mul(lax.reshape(start, bounds), lax.sub(constant_like(t, 1), t)),
                      lax.mul(lax.reshape(stop, bounds), t))
        if endpoint:
            out = lax.concatenate([out, lax.expand_dims(stop, (axis,))], axis)
    elif num == 1:
        step = lax.full((), np.nan, work) if endpoint else lax.sub(stop, start)
        out = lax.reshape(start, bounds)
    else:
        bounds[axis] = 0
        step = lax.full((), np.nan, work)
        out = zeros(bounds, work)
    if dtype.kind in "iu":
        out = lax.floor(out)
    out = convert(out, dtype)
    return (out, step) if retstep else out
