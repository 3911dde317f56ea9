"""Reductions of jaxlite.numpy: sum, mean, max, var, argmax, cumulative sums, ...

Mirrors jax/_src/numpy/reductions.py. `axis` may be None, an int or a tuple; `keepdims` puts the
reduced axes back as size 1 (an expand_dims after the reduction, as JAX stages it). Results are
never weakly typed: a reduction's input is made strong first.
"""
import builtins

import numpy as np

from jaxlite import dtypes, errors, lax
from jaxlite.core import get_aval
from jaxlite.numpy.util import (asarray_arg, broadcast_to, canonicalize_axes, canonicalize_axis,
                                check_arraylike, constant_like, convert, refuse_keys, to_inexact_dtype)


def _expand_reduced(out, axes):
    """keepdims: put size-1 axes back where the reduction removed them."""
    return lax.expand_dims(out, axes) if axes else out


def _sum_dtype(dtype):
    """Sums and products of bools and narrow integers accumulate in the default integer width."""
    if dtype == np.bool_ or (dtype.kind == "i" and dtype.itemsize < dtypes.default_int_dtype().itemsize):
        return dtypes.default_int_dtype()
    if dtype.kind == "u" and dtype.itemsize < 4:
        return np.dtype(np.uint32)
    return dtype


def _identity(name, dtype):
    """The value that leaves a reduction unchanged: what masked-out (`where`) elements become."""
    if name in ("sum", "any"):
        return False if dtype == np.bool_ else 0
    if name in ("prod", "all"):
        return True if dtype == np.bool_ else 1
    if dtype == np.bool_:
        return name == "min"
    if dtypes.kind(dtype) == "f":
        return -np.inf if name == "max" else np.inf
    info = np.iinfo(dtype)
    return info.min if name == "max" else info.max


def _where_masked(name, a, where):
    from jaxlite.numpy.lax_numpy import where as _where
    return _where(where, a, constant_like(a, _identity(name, get_aval(a).dtype)))


_COMBINE = {"sum": lax.add, "prod": lax.mul, "max": lax.max, "min": lax.min}


def _upcast_f16(dtype):
    """float16 (and bfloat16) sums and means accumulate in float32, rounded back at the end."""
    return np.dtype(np.float32) if dtype in (np.float16, dtypes.bfloat16) else dtype


def _reduction(name, lax_fn, result_dtype=lambda dtype: dtype, upcast_f16=False):
    def fn(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None,
           promote_integers=True):
        if out is not None:
            raise NotImplementedError(errors.with_hint(
                f"The 'out' argument to jnp.{name} is not supported.",
                f"jax arrays are immutable, so nothing is written into out: use the value returned, y = jnp.{name}(x)."))
        check_arraylike(name, a)
        a = asarray_arg(a)
        refuse_keys(a)
        aval = get_aval(a)
        axes = canonicalize_axes(axis, aval.ndim)
        if dtype is not None:
            target = dtypes.check_user_dtype(dtype, name)
            if name in ("sum", "prod"):  # JAX warns a second time, converting the result
                dtypes.check_user_dtype(dtype, "convert_element_type")
        else:
            target = result_dtype(aval.dtype)
        computation = _upcast_f16(target) if upcast_f16 and dtype is None else target
        a = convert(a, computation, False)
        if where is not None:
            a = _where_masked(name, a, where)
        if initial is None and name in ("max", "min") and builtins.any(aval.shape[i] == 0 for i in axes):
            raise ValueError(errors.with_hint(f"zero-size array to reduction operation {name} which has no identity",
                                              f"the {name} of an empty array is undefined: pass initial= (the value "
                                              "for no elements), or check x.size first."))
        result = lax_fn(a, axes)
        if initial is not None:
            result = _COMBINE[name](convert(initial, computation), result)
        result = convert(result, target, False)
        return _expand_reduced(result, axes) if keepdims else result
    fn.__name__ = fn.__qualname__ = name
    return fn


sum = _reduction("sum", lax.reduce_sum, _sum_dtype, upcast_f16=True)
prod = _reduction("prod", lax.reduce_prod, _sum_dtype, upcast_f16=True)
max = amax = _reduction("max", lax.reduce_max)
min = amin = _reduction("min", lax.reduce_min)


def _logical_reduction(name, lax_fn):
    def fn(a, axis=None, out=None, keepdims=False, *, where=None):
        check_arraylike(name, a)
        a = asarray_arg(a)
        refuse_keys(a, ValueError, "Cannot convert_element_type from {dtype} to bool")
        aval = get_aval(a)
        axes = canonicalize_axes(axis, aval.ndim)
        if aval.dtype != np.bool_:
            a = lax.ne(a, constant_like(a, 0))
        if where is not None:
            a = _where_masked(name, a, where)
        result = lax_fn(a, axes)
        return _expand_reduced(result, axes) if keepdims else result
    fn.__name__ = fn.__qualname__ = name
    return fn


all = _logical_reduction("all", lax.reduce_and)
any = _logical_reduction("any", lax.reduce_or)


def _mean_dtype(dtype):
    return to_inexact_dtype(dtype)


def _count(aval, axes, where, dtype):
    """How many elements each mean averages: a Python int, or a traced sum of the mask."""
    if where is None:
        return int(np.prod([aval.shape[i] for i in axes], dtype=np.int64))
    mask = broadcast_to(asarray_arg(where), aval.shape)
    return sum(mask, axis=axes, dtype=dtype)


def _divide_by_count(total, count, axes, keepdims):
    if isinstance(count, int):
        return lax.div(total, constant_like(total, count))
    return lax.div(total, _expand_reduced(count, axes) if keepdims else count)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """sum, then div by the count, as JAX stages it (float16 in float32 arithmetic unless the
    dtype is asked for)."""
    check_arraylike("mean", a)
    a = asarray_arg(a)
    refuse_keys(a)
    aval = get_aval(a)
    axes = canonicalize_axes(axis, aval.ndim)
    if dtype is None:
        dtype = _mean_dtype(aval.dtype)
        computation = _upcast_f16(dtype)
    else:
        dtype = computation = dtypes.check_user_dtype(dtype, "mean")
    count = _count(aval, axes, where, computation)
    total = sum(a, axis=axes, dtype=computation, keepdims=keepdims, where=where)
    return convert(_divide_by_count(total, count, axes, keepdims), dtype, False)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None, correction=None):
    """Mean squared deviation, divided by (count - ddof); NaN when that is not positive."""
    if correction is not None:
        ddof = correction
    check_arraylike("var", a)
    a = asarray_arg(a)
    refuse_keys(a)
    aval = get_aval(a)
    axes = canonicalize_axes(axis, aval.ndim)
    dtype = _mean_dtype(aval.dtype) if dtype is None else dtypes.check_user_dtype(dtype, "var")
    computation = _upcast_f16(dtype)
    a = convert(a, computation, False)
    centered = lax.sub(a, mean(a, axes, keepdims=True, where=where))
    if dtype.kind == "c":  # the mean of |x - mean|**2, a real number
        squares = lax.real(lax.mul(centered, lax.conj(centered)))
        dtype = computation = np.dtype(np.finfo(dtype).dtype)
    else:
        squares = lax.square(centered)
    count = _count(aval, axes, where, computation)
    total = sum(squares, axis=axes, keepdims=keepdims, where=where)
    if isinstance(count, int):
        normalizer = count - ddof
        if normalizer <= 0:
            return convert(lax.full_like(total, np.nan), dtype, False)
        return convert(lax.div(total, constant_like(total, normalizer)), dtype, False)
    normalizer = lax.sub(count, constant_like(count, ddof))
    if keepdims:
        normalizer = _expand_reduced(normalizer, axes)
    result = lax.div(total, normalizer)
    result = lax.select(lax.gt(normalizer, constant_like(normalizer, 0)), result,
                        lax.full_like(result, np.nan))
    return convert(result, dtype, False)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None, correction=None):
    dtype = None if dtype is None else dtypes.check_user_dtype(dtype, "std")
    check_arraylike("std", a)
    return lax.sqrt(var(a, axis, dtype, out, ddof, keepdims, where=where, correction=correction))


def _ravel(a):
    aval = get_aval(a)
    return a if aval.ndim == 1 else lax.reshape(a, (aval.size,))


def _arg_reduction(name, lax_fn):
    def fn(a, axis=None, out=None, keepdims=False):
        check_arraylike(name, a)
        a = asarray_arg(a)
        refuse_keys(a, ValueError, f"Unsupported dtype for {name[3:]}: {{dtype}}")
        original_ndim = get_aval(a).ndim
        if axis is None:
            a, axis = _ravel(a), 0
        aval = get_aval(a)
        axis = canonicalize_axis(axis, aval.ndim)
        if aval.shape[axis] == 0:
            raise ValueError(errors.with_hint(f"attempt to get {name} of an empty sequence",
                                              f"an empty array has no {name}: check that it is not empty "
                                              "(x.size > 0) before asking."))
        result = lax_fn(a, axis, dtypes.default_int_dtype())
        if not keepdims:
            return result
        axes = tuple(range(original_ndim)) if original_ndim != aval.ndim else (axis,)
        return _expand_reduced(result, axes)
    fn.__name__ = fn.__qualname__ = name
    return fn


argmax = _arg_reduction("argmax", lax.argmax)
argmin = _arg_reduction("argmin", lax.argmin)


def _cumulative(name, lax_fn):
    def fn(a, axis=None, dtype=None, out=None):
        check_arraylike(name, a)
        a = asarray_arg(a)
        refuse_keys(a)
        if axis is None:
            a, axis = _ravel(a), 0
        aval = get_aval(a)
        axis = canonicalize_axis(axis, aval.ndim)
        if dtype is not None:
            target = dtypes.check_user_dtype(dtype, name)
        elif aval.dtype == np.bool_:
            target = dtypes.default_int_dtype()
        else:
            target = aval.dtype
        return lax_fn(convert(a, target, False), axis)
    fn.__name__ = fn.__qualname__ = name
    return fn


cumsum = _cumulative("cumsum", lax.cumsum)
cumprod = _cumulative("cumprod", lax.cumprod)


def count_nonzero(a, axis=None, keepdims=False):
    a = asarray_arg(a)
    return sum(lax.ne(a, constant_like(a, 0)), axis=axis, keepdims=keepdims,
               dtype=dtypes.default_int_dtype())
