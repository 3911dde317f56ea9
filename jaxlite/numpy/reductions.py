"""Reductions of jaxlite.numpy: sum, mean, max, var, argmax, cumulative sums, ...

Mirrors jax/_src/numpy/reductions.py. `axis` may be None, an int or a tuple; `keepdims` keeps the
reduced axes as size 1 (a reshape after the reduction, as JAX stages it).
"""
import builtins

import numpy as np

from jaxlite import dtypes, lax
from jaxlite.core import get_aval
from jaxlite.numpy.util import asarray_arg, canonicalize_axis


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        axes = tuple(canonicalize_axis(a, ndim) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"duplicate value in 'axis': {axis}")
        return axes
    return (canonicalize_axis(axis, ndim),)


def _keepdims(out, aval, axes):
    shape = tuple(1 if i in axes else s for i, s in enumerate(aval.shape))
    return lax.reshape(out, shape)


def _reduction(name, lax_fn, upcast_bool=False, int_result=False):
    def fn(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        if out is not None:
            raise NotImplementedError(f"The 'out' argument to jnp.{name} is not supported.")
        a = asarray_arg(a)
        aval = get_aval(a)
        if dtype is not None:
            a = lax.convert_element_type(a, dtype)
        elif upcast_bool:
            a = _upcast_small_ints(a)
        axes = _axes(axis, aval.ndim)
        if where is not None:
            a = _masked(name, a, where)
        result = lax_fn(a, axes)
        if initial is not None:
            result = _combine(name, result, initial)
        return _keepdims(result, aval, axes) if keepdims else result
    fn.__name__ = name
    return fn


def _upcast_small_ints(a):
    """Sums and products of bools and narrow integers accumulate in the default integer width."""
    dtype = get_aval(a).dtype
    if dtype.kind in "bi" and dtype.itemsize < dtypes.default_int_dtype().itemsize:
        return lax.convert_element_type(a, dtypes.default_int_dtype())
    if dtype.kind == "u" and dtype.itemsize < 4:
        return lax.convert_element_type(a, np.dtype("uint32"))
    return a


def _identity_like(name, a):
    aval = get_aval(a)
    if name == "sum":
        return lax.full_like(a, 0)
    if name == "prod":
        return lax.full_like(a, 1)
    if name == "max":
        return lax.full_like(a, -np.inf if aval.dtype.kind == "f" else np.iinfo(aval.dtype).min)
    if name == "min":
        return lax.full_like(a, np.inf if aval.dtype.kind == "f" else np.iinfo(aval.dtype).max)
    return lax.full_like(a, 0)


def _masked(name, a, where):
    from jaxlite.numpy.lax_numpy import broadcast_to
    mask = broadcast_to(asarray_arg(where), get_aval(a).shape)
    return lax.select_n(mask, _identity_like(name, a), a)


def _combine(name, result, initial):
    fn = {"sum": lax.add, "prod": lax.mul, "max": lax.max, "min": lax.min}[name]
    return fn(result, initial)


sum = _reduction("sum", lax.reduce_sum, upcast_bool=True)
prod = _reduction("prod", lax.reduce_prod, upcast_bool=True)
max = amax = _reduction("max", lax.reduce_max)
min = amin = _reduction("min", lax.reduce_min)


def all(a, axis=None, out=None, keepdims=False, *, where=None):
    a = asarray_arg(a)
    if get_aval(a).dtype != np.bool_:
        a = lax.ne(a, lax._const(a, 0))
    aval = get_aval(a)
    axes = _axes(axis, aval.ndim)
    out_ = lax.reduce_and(a, axes)
    return _keepdims(out_, aval, axes) if keepdims else out_


def any(a, axis=None, out=None, keepdims=False, *, where=None):
    a = asarray_arg(a)
    if get_aval(a).dtype != np.bool_:
        a = lax.ne(a, lax._const(a, 0))
    aval = get_aval(a)
    axes = _axes(axis, aval.ndim)
    out_ = lax.reduce_or(a, axes)
    return _keepdims(out_, aval, axes) if keepdims else out_


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """sum then div by the count, as JAX stages it."""
    a = asarray_arg(a)
    aval = get_aval(a)
    axes = _axes(axis, aval.ndim)
    count = int(np.prod([aval.shape[i] for i in axes], dtype=np.int64))
    if dtype is None:
        dtype = aval.dtype if aval.dtype.kind in "fc" else dtypes.default_float_dtype()
    total = sum(lax.convert_element_type(a, dtype) if aval.dtype != dtype else a, axis=axis,
                keepdims=keepdims)
    return lax.div(total, lax._const(total, count))


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None, correction=None):
    a = asarray_arg(a)
    if correction is not None:
        ddof = correction
    aval = get_aval(a)
    if aval.dtype.kind not in "fc":
        a = lax.convert_element_type(a, dtypes.default_float_dtype())
    axes = _axes(axis, aval.ndim)
    centered = lax.sub(a, mean(a, axis, keepdims=True))
    count = int(np.prod([aval.shape[i] for i in axes], dtype=np.int64))
    total = sum(lax.mul(centered, centered), axis=axis, keepdims=keepdims)
    return lax.div(total, lax._const(total, builtins.max(count - ddof, 0)))


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None, correction=None):
    return lax.sqrt(var(a, axis, dtype, out, ddof, keepdims, correction=correction))


def _arg_reduction(lax_fn):
    def fn(a, axis=None, out=None, keepdims=False):
        a = asarray_arg(a)
        if axis is None:
            a = lax.reshape(a, (get_aval(a).size,))
            axis = 0
        aval = get_aval(a)
        axis = canonicalize_axis(axis, aval.ndim)
        if aval.shape[axis] == 0:
            raise ValueError("attempt to get argmax of an empty sequence")
        result = lax_fn(a, axis, dtypes.default_int_dtype())
        return _keepdims(result, aval, (axis,)) if keepdims else result
    return fn


argmax = _arg_reduction(lax.argmax)
argmin = _arg_reduction(lax.argmin)


def _cumulative(lax_fn, upcast_bool=True):
    def fn(a, axis=None, dtype=None, out=None):
        a = asarray_arg(a)
        if axis is None:
            a = lax.reshape(a, (get_aval(a).size,))
            axis = 0
        aval = get_aval(a)
        if dtype is not None:
            a = lax.convert_element_type(a, dtype)
        elif upcast_bool and aval.dtype == np.bool_:
            a = lax.convert_element_type(a, dtypes.default_int_dtype())
        return lax_fn(a, canonicalize_axis(axis, aval.ndim))
    return fn


cumsum = _cumulative(lax.cumsum)
cumprod = _cumulative(lax.cumprod)
