"""jaxlite.numpy's array creation, shape manipulation, linear algebra products and indexing.

Mirrors jax/_src/numpy/lax_numpy.py: NumPy's API, written with lax primitives so every function can
be traced, differentiated and batched.
"""
import builtins
import operator

import numpy as np

from jaxlite import core, dtypes, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.numpy.util import (asarray_arg, canonicalize_axis, promote_args, promote_dtypes,
                                promote_shapes)


# ----------------------------------------------------------------------------------------------
# Creating arrays

def _infer_dtype_weak(obj):
    """Python scalars and nested lists of them produce weakly typed arrays only for bare scalars."""
    if isinstance(obj, (bool, int, float, complex)):
        return dtypes.dtype_and_weak(obj)
    return None


def array(object, dtype=None, copy=True, ndmin=0):
    """A new array from a Python scalar, nested sequence, NumPy array or jaxlite array."""
    if isinstance(object, (ArrayImpl, core.Tracer)):
        out = object if dtype is None else lax.convert_element_type(object, dtype)
    elif isinstance(object, (list, tuple)) and _contains_tracer(object):
        out = stack([array(o) for o in object]) if object else array(np.zeros((0,)))
        if dtype is not None:
            out = lax.convert_element_type(out, dtype)
    else:
        if isinstance(object, (bool, int, float, complex)) and dtype is None:
            dt, weak = dtypes.dtype_and_weak(object)
            out = ArrayImpl(np.asarray(object, dt), weak)
        else:
            value = np.array(_concrete(object))
            if value.dtype == object_dtype:
                raise TypeError(f"JAX only supports number and bool dtypes, got dtype object in array")
            if dtype is None:
                if value.dtype.kind in "iu" and _all_python_ints(object) and value.dtype.itemsize > 4:
                    target = dtypes.default_int_dtype()
                elif value.dtype == np.float64 and not isinstance(object, (np.ndarray, np.generic)):
                    target = dtypes.default_float_dtype()
                else:
                    target = dtypes.canonicalize_dtype(value.dtype)
            else:
                target = dtypes.canonicalize_dtype(dtype)
            out = ArrayImpl(value.astype(target), False)
    if ndmin and get_aval(out).ndim < ndmin:
        shape = (1,) * (ndmin - get_aval(out).ndim) + get_aval(out).shape
        out = lax.reshape(out, shape)
    return out


object_dtype = np.dtype(object)


def _concrete(obj):
    if isinstance(obj, (list, tuple)):
        return [_concrete(o) for o in obj]
    if isinstance(obj, ArrayImpl):
        return obj._value
    return obj


def _all_python_ints(obj):
    if isinstance(obj, (list, tuple)):
        return builtins.all(_all_python_ints(o) for o in obj)
    return isinstance(obj, int)


def _contains_tracer(obj):
    if isinstance(obj, (list, tuple)):
        return builtins.any(_contains_tracer(o) for o in obj)
    return isinstance(obj, core.Tracer)


def asarray(a, dtype=None, order=None, copy=None):
    if isinstance(a, (ArrayImpl, core.Tracer)) and dtype is None:
        return a
    return array(a, dtype=dtype)


def _shape_tuple(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    try:
        return tuple(operator.index(s) for s in shape)
    except TypeError:
        raise TypeError(f"Shapes must be 1D sequences of concrete values of integer type, got {shape}.") \
            from None


def zeros(shape, dtype=None):
    return lax.full(_shape_tuple(shape), 0, dtypes.canonicalize_dtype(dtype or dtypes.default_float_dtype()))


def ones(shape, dtype=None):
    return lax.full(_shape_tuple(shape), 1, dtypes.canonicalize_dtype(dtype or dtypes.default_float_dtype()))


def full(shape, fill_value, dtype=None):
    fill_value = asarray_arg(fill_value) if not isinstance(fill_value, (bool, int, float, complex)) else fill_value
    if dtype is None:
        dtype = dtypes.dtype_and_weak(fill_value)[0]
    if get_aval(asarray_arg(fill_value)).ndim:
        return broadcast_to(asarray(fill_value, dtype), _shape_tuple(shape))
    return lax.full(_shape_tuple(shape), fill_value, dtype)


def zeros_like(a, dtype=None, shape=None):
    aval = get_aval(asarray_arg(a))
    return lax.full(aval.shape if shape is None else _shape_tuple(shape), 0, dtype or aval.dtype)


def ones_like(a, dtype=None, shape=None):
    aval = get_aval(asarray_arg(a))
    return lax.full(aval.shape if shape is None else _shape_tuple(shape), 1, dtype or aval.dtype)


def full_like(a, fill_value, dtype=None, shape=None):
    aval = get_aval(asarray_arg(a))
    return full(aval.shape if shape is None else shape, fill_value, dtype or aval.dtype)


def empty(shape, dtype=None):
    return zeros(shape, dtype)


empty_like = zeros_like


def arange(start, stop=None, step=None, dtype=None):
    """Needs concrete bounds: the length of the result is part of its shape."""
    for v in (start, stop, step):
        if isinstance(v, core.Tracer):
            raise _concrete_error(v, "It arose in the jnp.arange argument")
    if stop is None and step is None:
        values = np.arange(start)
    else:
        values = np.arange(start, stop, 1 if step is None else step)
    if dtype is None:
        python_vals = [v for v in (start, stop, step) if v is not None]
        if builtins.all(isinstance(v, (int, np.integer)) for v in python_vals):
            dtype = dtypes.default_int_dtype()
        else:
            dtype = dtypes.default_float_dtype()
    return ArrayImpl(values.astype(dtypes.canonicalize_dtype(dtype)), False)


def _concrete_error(tracer, context):
    from jaxlite.errors import ConcretizationTypeError
    return ConcretizationTypeError(
        f"Abstract tracer value encountered where concrete value is expected: {tracer!r}\n{context}.")


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = dtypes.canonicalize_dtype(dtype or dtypes.default_float_dtype())
    if not isinstance(start, core.Tracer) and not isinstance(stop, core.Tracer):
        values, step = np.linspace(np.asarray(start, np.float64), np.asarray(stop, np.float64), num,
                                   endpoint=endpoint, retstep=True, axis=axis)
        out = ArrayImpl(values.astype(dtype), False)
        return (out, ArrayImpl(np.asarray(step, dtype), False)) if retstep else out
    start, stop = asarray(start, dtype), asarray(stop, dtype)
    div = (num - 1) if endpoint else num
    step = (stop - start) / builtins.max(div, 1)
    out = start + arange(num, dtype=dtype) * step
    return (out, step) if retstep else out


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    dtype = dtypes.canonicalize_dtype(dtype or dtypes.default_float_dtype())
    rows = lax.broadcasted_iota(np.int32, (N, M), 0)
    cols = lax.broadcasted_iota(np.int32, (N, M), 1)
    return lax.convert_element_type(lax.eq(lax.add(rows, np.int32(k)), cols), dtype)


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


# ----------------------------------------------------------------------------------------------
# Shapes

def shape(a):
    return get_aval(asarray_arg(a)).shape


def ndim(a):
    return get_aval(asarray_arg(a)).ndim


def size(a, axis=None):
    aval = get_aval(asarray_arg(a))
    return aval.size if axis is None else aval.shape[axis]


def reshape(a, shape=None, order="C", *, newshape=None):
    a = asarray_arg(a)
    shape = newshape if shape is None else shape
    shape = _shape_tuple(shape)
    aval = get_aval(a)
    if builtins.sum(1 for s in shape if s == -1) > 1:
        raise ValueError("can only specify one unknown dimension")
    if -1 in shape:
        known = int(np.prod([s for s in shape if s != -1], dtype=np.int64))
        if known == 0 or aval.size % known:
            raise TypeError(f"cannot reshape array of shape {aval.shape} (size {aval.size}) into shape "
                            f"{shape} because the product of specified axis sizes ({known}) does not "
                            f"evenly divide {aval.size}")
        shape = tuple(aval.size // known if s == -1 else s for s in shape)
    if int(np.prod(shape, dtype=np.int64)) != aval.size:
        raise TypeError(f"cannot reshape array of shape {aval.shape} (size {aval.size}) into shape "
                        f"{shape} (size {int(np.prod(shape))})")
    if order == "F":
        return transpose(lax.reshape(transpose(a), shape[::-1]))
    return lax.reshape(a, shape)


def ravel(a, order="C"):
    return reshape(a, (-1,), order)


def transpose(a, axes=None):
    a = asarray_arg(a)
    ndim_ = get_aval(a).ndim
    axes = tuple(range(ndim_))[::-1] if axes is None else tuple(canonicalize_axis(i, ndim_) for i in axes)
    if axes == tuple(range(ndim_)):
        return a
    return lax.transpose(a, axes)


def permute_dims(a, axes):
    return transpose(a, axes)


def swapaxes(a, axis1, axis2):
    a = asarray_arg(a)
    perm = list(range(get_aval(a).ndim))
    axis1, axis2 = canonicalize_axis(axis1, len(perm)), canonicalize_axis(axis2, len(perm))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return transpose(a, perm)


def moveaxis(a, source, destination):
    a = asarray_arg(a)
    n = get_aval(a).ndim
    source = [source] if isinstance(source, int) else list(source)
    destination = [destination] if isinstance(destination, int) else list(destination)
    source = [canonicalize_axis(s, n) for s in source]
    destination = [canonicalize_axis(d, n) for d in destination]
    order = [i for i in range(n) if i not in source]
    for dst, src in sorted(zip(destination, source)):
        order.insert(dst, src)
    return transpose(a, order)


def squeeze(a, axis=None):
    a = asarray_arg(a)
    shape_ = get_aval(a).shape
    if axis is None:
        axis = tuple(i for i, s in enumerate(shape_) if s == 1)
    elif isinstance(axis, int):
        axis = (axis,)
    axis = tuple(canonicalize_axis(i, len(shape_)) for i in axis)
    for i in axis:
        if shape_[i] != 1:
            raise ValueError(f"cannot select an axis to squeeze out which has size not equal to one, "
                             f"got shape={shape_} and dimensions={axis}")
    return lax.squeeze(a, axis)


def expand_dims(a, axis):
    a = asarray_arg(a)
    axis = (axis,) if isinstance(axis, int) else tuple(axis)
    return lax.expand_dims(a, axis)


def broadcast_to(array, shape):
    a = asarray_arg(array)
    shape = _shape_tuple(shape)
    aval = get_aval(a)
    if aval.shape == shape:
        return a
    try:
        if np.broadcast_shapes(aval.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(f"Incompatible shapes for broadcasting: {aval.shape} and requested shape "
                         f"{shape}") from None
    lead = len(shape) - aval.ndim
    kept = tuple(i for i, s in enumerate(aval.shape) if s == shape[lead + i])
    squeezed = lax.reshape(a, tuple(aval.shape[i] for i in kept)) if len(kept) != aval.ndim else a
    return lax.broadcast_in_dim(squeezed, shape, tuple(lead + i for i in kept))


def broadcast_arrays(*args):
    shape_ = np.broadcast_shapes(*[get_aval(asarray_arg(a)).shape for a in args])
    return [broadcast_to(a, shape_) for a in args]


def broadcast_shapes(*shapes):
    return np.broadcast_shapes(*shapes)


def atleast_1d(*arys):
    out = [reshape(a, (1,)) if ndim(a) == 0 else asarray_arg(a) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in arys:
        a = asarray_arg(a)
        n = get_aval(a).ndim
        out.append(a if n >= 2 else reshape(a, (1,) * (2 - n) + get_aval(a).shape))
    return out[0] if len(out) == 1 else out


# ----------------------------------------------------------------------------------------------
# Selecting

def where(condition, x=None, y=None, /, *, size=None, fill_value=None):
    """Elementwise choice: x where condition holds, else y (lax.select_n on broadcast operands)."""
    if x is None and y is None:
        return nonzero(condition, size=size, fill_value=fill_value)
    if x is None or y is None:
        raise ValueError("Either both or neither of the x and y arguments should be provided to "
                         "jax.numpy.where, got x and y.")
    condition = asarray_arg(condition)
    if get_aval(condition).dtype != np.bool_:
        condition = lax.ne(condition, lax._const(condition, 0))
    x, y = promote_dtypes(x, y)
    condition, x, y = broadcast_arrays(condition, x, y)
    return lax.select_n(condition, y, x)


def nonzero(a, *, size=None, fill_value=None):
    a = asarray_arg(a)
    if isinstance(a, core.Tracer) and size is None:
        from jaxlite.errors import ConcretizationTypeError
        raise ConcretizationTypeError(
            f"Abstract tracer value encountered where concrete value is expected: {a!r}\nThe size "
            "argument of jnp.nonzero must be statically specified to use jnp.nonzero within JAX "
            "transformations.")
    value = np.asarray(a._value)
    idx = np.nonzero(value)
    if size is not None:
        fill = 0 if fill_value is None else fill_value
        idx = tuple(np.concatenate([i[:size], np.full(builtins.max(0, size - len(i)), fill)]) for i in idx)
    return tuple(ArrayImpl(i.astype(dtypes.default_int_dtype()), False) for i in idx)


# ----------------------------------------------------------------------------------------------
# Products

def dot(a, b, *, precision=None, preferred_element_type=None):
    a, b = promote_dtypes(a, b)
    a_ndim, b_ndim = get_aval(a).ndim, get_aval(b).ndim
    if a_ndim == 0 or b_ndim == 0:
        return lax.mul(*promote_shapes(a, b))
    contract = ((a_ndim - 1,), (builtins.max(b_ndim - 2, 0),))
    return lax.dot_general(a, b, (contract, ((), ())), preferred_element_type)


def matmul(a, b, *, precision=None, preferred_element_type=None):
    """Matrix product with NumPy's broadcasting over leading (batch) axes."""
    a, b = promote_dtypes(a, b)
    a_aval, b_aval = get_aval(a), get_aval(b)
    if a_aval.ndim == 0 or b_aval.ndim == 0:
        raise ValueError(f"matmul: inputs must be at least 1-dimensional, got shapes "
                         f"{a_aval.shape} and {b_aval.shape}")
    a_vec, b_vec = a_aval.ndim == 1, b_aval.ndim == 1
    if a_vec:
        a = lax.expand_dims(a, (0,))
    if b_vec:
        b = lax.expand_dims(b, (1,))
    a_shape, b_shape = get_aval(a).shape, get_aval(b).shape
    if a_shape[-1] != b_shape[-2]:
        raise TypeError(f"dot_general requires contracting dimensions to have the same shape, got "
                        f"({a_shape[-1]},) and ({b_shape[-2]},).")
    batch = np.broadcast_shapes(a_shape[:-2], b_shape[:-2])
    a = broadcast_to(a, batch + a_shape[-2:])
    b = broadcast_to(b, batch + b_shape[-2:])
    nb = len(batch)
    out = lax.dot_general(a, b, (((nb + 1,), (nb,)), (tuple(range(nb)), tuple(range(nb)))),
                          preferred_element_type)
    if a_vec:
        out = lax.squeeze(out, (nb,))
    if b_vec:
        out = lax.squeeze(out, (get_aval(out).ndim - 1,))
    return out


def vdot(a, b, *, precision=None, preferred_element_type=None):
    return dot(ravel(a), ravel(b), preferred_element_type=preferred_element_type)


def inner(a, b, *, precision=None, preferred_element_type=None):
    a, b = promote_dtypes(a, b)
    if ndim(a) == 0 or ndim(b) == 0:
        return lax.mul(*promote_shapes(a, b))
    return tensordot(a, b, ((ndim(a) - 1,), (ndim(b) - 1,)))


def outer(a, b, out=None):
    a, b = promote_dtypes(ravel(a), ravel(b))
    return lax.mul(lax.expand_dims(a, (1,)), lax.expand_dims(b, (0,)))


def tensordot(a, b, axes=2, *, precision=None, preferred_element_type=None):
    a, b = promote_dtypes(a, b)
    an, bn = ndim(a), ndim(b)
    if isinstance(axes, int):
        contract = (tuple(range(an - axes, an)), tuple(range(axes)))
    else:
        ax_a, ax_b = axes
        ax_a = (ax_a,) if isinstance(ax_a, int) else tuple(ax_a)
        ax_b = (ax_b,) if isinstance(ax_b, int) else tuple(ax_b)
        contract = (tuple(canonicalize_axis(i, an) for i in ax_a),
                    tuple(canonicalize_axis(i, bn) for i in ax_b))
    return lax.dot_general(a, b, (contract, ((), ())), preferred_element_type)


def matrix_transpose(x):
    x = asarray_arg(x)
    n = ndim(x)
    return transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


# ----------------------------------------------------------------------------------------------
# Joining

def concatenate(arrays, axis=0, dtype=None):
    arrays = [asarray_arg(a) for a in arrays]
    if not arrays:
        raise ValueError("Need at least one array to concatenate.")
    if axis is None:
        arrays = [ravel(a) for a in arrays]
        axis = 0
    arrays = promote_dtypes(*arrays)
    if dtype is not None:
        arrays = [lax.convert_element_type(a, dtype) for a in arrays]
    n = get_aval(arrays[0]).ndim
    if n == 0:
        raise ValueError("Zero-dimensional arrays cannot be concatenated.")
    return lax.concatenate(arrays, canonicalize_axis(axis, n))


def stack(arrays, axis=0, dtype=None):
    arrays = [asarray_arg(a) for a in arrays]
    if not arrays:
        raise ValueError("Need at least one array to stack.")
    shapes = {get_aval(a).shape for a in arrays}
    if len(shapes) != 1:
        raise ValueError("All input arrays must have the same shape.")
    axis = canonicalize_axis(axis, get_aval(arrays[0]).ndim + 1)
    return concatenate([expand_dims(a, axis) for a in arrays], axis, dtype)


def hstack(tup, dtype=None):
    arrs = [atleast_1d(a) for a in tup]
    return concatenate(arrs, 0 if ndim(arrs[0]) == 1 else 1, dtype)


def vstack(tup, dtype=None):
    return concatenate([atleast_2d(a) for a in tup], 0, dtype)


# ----------------------------------------------------------------------------------------------
# Indexing (static integers, slices, None and Ellipsis; array indices in indexing.py)

def _is_basic_index(idx):
    return idx is None or idx is Ellipsis or isinstance(idx, (slice, int, np.integer)) and \
        not isinstance(idx, bool)


def getitem(a, idx):
    """x[idx]: static integers and slices become slice + squeeze (+ rev for negative steps)."""
    a = asarray_arg(a)
    if not isinstance(idx, tuple):
        idx = (idx,)
    if not builtins.all(_is_basic_index(i) for i in idx):
        from jaxlite.numpy import indexing
        return indexing.advanced_getitem(a, idx)
    shape_ = get_aval(a).shape
    n_real = builtins.sum(1 for i in idx if i is not None and i is not Ellipsis)
    if n_real > len(shape_):
        raise IndexError(f"Too many indices: {len(shape_)}-dimensional array indexed with {n_real} "
                         "regular indices.")
    if builtins.sum(1 for i in idx if i is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if Ellipsis in [i for i in idx if i is Ellipsis]:
        pos = [k for k, i in enumerate(idx) if i is Ellipsis][0]
        idx = idx[:pos] + (slice(None),) * (len(shape_) - n_real) + idx[pos + 1:]
    else:
        idx = idx + (slice(None),) * (len(shape_) - n_real)
    starts, limits, strides, squeeze_dims, new_axes, rev_dims = [], [], [], [], [], []
    dim = 0
    out_dim = 0
    for i in idx:
        if i is None:
            new_axes.append(out_dim)
            out_dim += 1
            continue
        size_ = shape_[dim]
        if isinstance(i, slice):
            start, stop, step = i.indices(size_)
            if step > 0:
                length = builtins.max(0, (stop - start + step - 1) // step)
                starts.append(start)
                limits.append(start + builtins.max(0, (length - 1) * step + 1) if length else start)
                strides.append(step)
            else:
                length = builtins.max(0, (start - stop - step - 1) // (-step))
                lo = start - (length - 1) * (-step) if length else 0
                starts.append(lo)
                limits.append(start + 1 if length else 0)
                strides.append(-step)
                rev_dims.append(dim)
            out_dim += 1
        else:
            k = operator.index(i)
            if not -size_ <= k < size_:
                raise IndexError(f"index {k} is out of bounds for axis {dim} with size {size_}")
            k %= size_
            starts.append(k)
            limits.append(k + 1)
            strides.append(1)
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
