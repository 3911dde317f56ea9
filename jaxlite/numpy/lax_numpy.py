"""jaxlite.numpy's ranges and grids, shape manipulation, selection, joining and splitting,
reordering and sorting, triangles and diagonals, take, and small helpers.

Mirrors jax/_src/numpy/lax_numpy.py: NumPy's API, written with lax primitives so every function
can be traced, differentiated and batched. What JAX keeps in files of its own is in the files of
the same names: array_constructors.py (array, asarray), array_creation.py (zeros, full, linspace,
...), tensor_contractions.py (dot, matmul, ...), einsum.py, indexing.py (x[idx]) and scalar_types.py.
"""
import builtins
import operator
import warnings

import numpy as np

from jaxlite import core, dtypes, errors, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.numpy import indexing, reductions, ufuncs
from jaxlite.numpy.array_constructors import array, concrete_leaves
from jaxlite.numpy.array_creation import zeros, zeros_like
from jaxlite.numpy.util import (asarray_arg, broadcast_arrays, broadcast_shapes, broadcast_to, canonicalize_axes,
                                canonicalize_axis, canonicalize_shape, check_concrete, check_int_arguments,
                                constant_like, convert, ndim, promote_dtypes, promote_dtypes_inexact, promote_shapes,
                                shape, user_dtype)


# ----------------------------------------------------------------------------------------------
# Ranges, identity matrices and grids (JAX keeps these here rather than in array_creation.py)

def arange(start, stop=None, step=None, dtype=None):
    """Needs concrete bounds (the length is part of the shape); the values come from iota."""
    check_concrete(start, "the jnp.arange argument 'stop'" if stop is None else
                   "the jnp.arange argument 'start'")
    check_concrete(stop, "the jnp.arange argument 'stop'")
    check_concrete(step, "the jnp.arange argument 'step'")
    bounds = [v for v in (start, stop, step) if v is not None]
    dtype = user_dtype(dtype, "arange")
    if dtype is None:
        dtype = dtypes.result_type(*bounds)
    dtype = dtypes.canonicalize_dtype(dtype)
    if stop is None:
        start, stop = 0, start
    start, stop = _scalar_value(start), _scalar_value(stop)
    if step is not None:
        step = _scalar_value(step)
        size = builtins.max(0, int(np.ceil((stop - start) / step)))
        work = np.dtype(np.float32) if dtypes.kind(dtype) == "f" and dtype.itemsize < 4 else dtype
        values = lax.add(ArrayImpl(np.asarray(start, work)),
                         lax.mul(ArrayImpl(np.asarray(step, work)), lax.iota(work, size)))
        return convert(values, dtype)
    if start == 0:
        return lax.iota(dtype, builtins.max(0, int(np.ceil(stop))))
    size = builtins.max(0, int(np.ceil(stop - start)))
    return lax.add(ArrayImpl(np.asarray(start, dtype)), lax.iota(dtype, size))


def _scalar_value(v):
    return np.asarray(v).item() if isinstance(v, (ArrayImpl, np.ndarray, np.generic)) else v


def eye(N, M=None, k=0, dtype=None):
    n = canonicalize_shape(N, "argument of 'N' jnp.eye()")[0]
    m = n if M is None else canonicalize_shape(M, "argument of 'M' jnp.eye()")[0]
    if n < 0 or m < 0:
        raise ValueError(errors.with_hint(f"negative dimensions are not allowed, got {N} and {M}",
            "the numbers of rows and columns are counts, 0 or more."))
    N, M = n, m
    dtype = user_dtype(dtype, "eye") or dtypes.default_float_dtype()
    return lax.convert_element_type(_diagonal_mask(N, M, k), dtype)


def _diagonal_mask(n, m, k=0):
    """Booleans, true where column == row + k."""
    rows = lax.broadcasted_iota(np.int32, (n, m), 0)
    cols = lax.broadcasted_iota(np.int32, (n, m), 1)
    return lax.eq(lax.add(rows, np.int32(k)), cols)


def identity(n, dtype=None):
    return eye(n, dtype=user_dtype(dtype, "identity"))


def tri(N, M=None, k=0, dtype=None):
    """Ones on and below the k-th diagonal of an N x M matrix, zeros above."""
    shape_ = canonicalize_shape((N, N if M is None else M))
    dtype = user_dtype(dtype, "tri") or dtypes.default_float_dtype()
    rows = lax.add(lax.broadcasted_iota(np.int32, shape_, 0), np.int32(k))
    cols = lax.broadcasted_iota(np.int32, shape_, 1)
    return lax.convert_element_type(lax.ge(rows, cols), dtype)


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate grids; with "xy" indexing the first two axes are swapped (x varies along columns)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(errors.with_hint(f"Valid values for indexing are 'xy' and 'ij', got {indexing}",
            "pass indexing='xy' (the default) or indexing='ij'."))
    xi = [ravel(x) for x in xi]
    axis_of = list(range(len(xi)))
    if indexing == "xy" and len(xi) >= 2:
        axis_of[0], axis_of[1] = 1, 0
    shape_ = [0] * len(xi)
    for x, axis in zip(xi, axis_of):
        shape_[axis] = get_aval(x).size
    out = []
    for x, axis in zip(xi, axis_of):
        target = tuple(s if (d == axis or not sparse) else 1 for d, s in enumerate(shape_))
        out.append(lax.broadcast_in_dim(x, target, (axis,)))
    return out


# ----------------------------------------------------------------------------------------------
# Shapes

def _resolve_shape(shape, size_):
    """Fill in a single -1 with whatever size is left over."""
    if builtins.sum(1 for s in shape if s == -1) > 1:
        raise TypeError(errors.with_hint(f"can only specify one unknown axis size with a `-1` value, got {shape}",
                                         "only one size can be -1 (inferred from the rest): give the other "
                                         "sizes explicitly."))
    if -1 in shape:
        known = int(np.prod([s for s in shape if s != -1], dtype=np.int64))
        if known == 0 or size_ % known:
            raise TypeError(errors.with_hint(
                f"cannot reshape array of shape {{}} (size {size_}) into shape {shape} "
                f"because the product of specified axis sizes ({known}) does not "
                f"evenly divide {size_}", f"a reshape keeps all {size_} elements: the sizes given must "
                f"divide {size_} for -1 to fill in the rest."))
        return tuple(size_ // known if s == -1 else s for s in shape)
    return shape


def reshape(a, shape=None, order="C", *, copy=None):
    a = asarray_arg(a)
    aval = get_aval(a)
    # JAX reads a single size as a list of one (its message then shows [n]).
    new_shape = canonicalize_shape([shape] if not isinstance(shape, (list, tuple)) and getattr(shape, "ndim", 0) == 0
                             else shape)
    try:
        new_shape = _resolve_shape(new_shape, aval.size)
    except TypeError as e:
        raise TypeError(str(e).replace("{}", str(aval.shape), 1)) from None
    if int(np.prod(new_shape, dtype=np.int64)) != aval.size:
        raise TypeError(errors.with_hint(
            f"cannot reshape array of shape {aval.shape} (size {aval.size}) into shape "
            f"{tuple(shape) if not isinstance(shape, int) else (shape,)} "
            f"(size {int(np.prod(new_shape, dtype=np.int64))})",
            f"a reshape keeps all {aval.size} elements: choose sizes whose product is {aval.size}, or let "
            "one of them be -1 to infer it."))
    if order == "F":
        return transpose(lax.reshape(transpose(a), new_shape[::-1]))
    if order != "C":
        raise NotImplementedError(f"jnp.reshape order={order!r} is not supported.")
    return a if new_shape == aval.shape else lax.reshape(a, new_shape)


def ravel(a, order="C"):
    return reshape(a, (-1,), order)


def transpose(a, axes=None):
    a = asarray_arg(a)
    aval = get_aval(a)
    if axes is None:
        axes = tuple(range(aval.ndim))[::-1]
    permutation_hint = f"axes lists every axis once, in the new order: a permutation of {tuple(range(aval.ndim))}."
    for i in axes:
        if not -aval.ndim <= operator.index(i) < aval.ndim:
            raise ValueError(errors.with_hint(f"axis {i} is out of bounds for array of dimension {aval.ndim}",
                                              permutation_hint))
    axes = tuple(canonicalize_axis(i, aval.ndim) for i in axes)
    if sorted(axes) != list(range(aval.ndim)):
        raise TypeError(errors.with_hint(f"transpose permutation isn't a permutation of operand dimensions, got "
                                  f"permutation {axes} for operand shape {aval.shape}.", permutation_hint))
    return lax.transpose(a, axes)


def permute_dims(a, axes):
    return transpose(a, axes)


def matrix_transpose(x):
    x = asarray_arg(x)
    n = ndim(x)
    if n < 2:
        raise ValueError(errors.with_hint(f"x must be at least two-dimensional for matrix_transpose; got ndim={n}",
            "matrix_transpose swaps the last two axes, so the array needs two; for a vector, x itself (or x[:, "
            "None])."))
    return lax.transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


def swapaxes(a, axis1, axis2):
    a = asarray_arg(a)
    perm = list(range(get_aval(a).ndim))
    axis1, axis2 = canonicalize_axis(axis1, len(perm)), canonicalize_axis(axis2, len(perm))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return lax.transpose(a, perm)


def moveaxis(a, source, destination):
    a = asarray_arg(a)
    n = get_aval(a).ndim
    source = [source] if isinstance(source, int) else list(source)
    destination = [destination] if isinstance(destination, int) else list(destination)
    if len(source) != len(destination):
        raise ValueError(errors.with_hint("Inconsistent number of elements: "
                         f"{len(source)} vs {len(destination)}",
            "give as many destination axes as source axes."))
    source = [canonicalize_axis(s, n) for s in source]
    destination = [canonicalize_axis(d, n) for d in destination]
    order = [i for i in range(n) if i not in source]
    for dst, src in sorted(zip(destination, source)):
        order.insert(dst, src)
    return lax.transpose(a, order)


def squeeze(a, axis=None):
    a = asarray_arg(a)
    shape_ = get_aval(a).shape
    if axis is None:
        axis = tuple(i for i, s in enumerate(shape_) if s == 1)
    elif isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    axis = tuple(canonicalize_axis(i, len(shape_)) for i in axis)
    for i in axis:
        if shape_[i] != 1:
            raise ValueError(errors.with_hint(
                f"cannot select an axis to squeeze out which has size not equal to one, "
                f"got shape={shape_} and dimensions={axis}",
                f"squeeze removes axes of size 1 only, and axis {i} has size {shape_[i]}: index it "
                "(x[0]) to take one slice, or leave axis out to drop every size-1 axis."))
    return lax.squeeze(a, axis)


def expand_dims(a, axis):
    a = asarray_arg(a)
    axis = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out_ndim = get_aval(a).ndim + len(axis)
    canonical = tuple(canonicalize_axis(i, out_ndim) for i in axis)
    if len(set(canonical)) != len(canonical):
        raise ValueError(errors.with_hint(f"repeated axis in lax.expand_dims: {axis}",
                                          "each new axis needs its own position in the result."))
    return lax.expand_dims(a, canonical)


def atleast_1d(*arys):
    out = [reshape(a, (1,)) if ndim(a) == 0 else asarray_arg(a) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in arys:
        a = asarray_arg(a)
        n = get_aval(a).ndim
        out.append(a if n >= 2 else lax.expand_dims(a, tuple(range(2 - n))))
    return out[0] if len(out) == 1 else out


def atleast_3d(*arys):
    out = []
    for a in arys:
        a = asarray_arg(a)
        n = get_aval(a).ndim
        if n == 0:
            a = lax.expand_dims(a, (0, 1, 2))
        elif n == 1:
            a = lax.expand_dims(a, (0, 2))
        elif n == 2:
            a = lax.expand_dims(a, (2,))
        out.append(a)
    return out[0] if len(out) == 1 else out


# ----------------------------------------------------------------------------------------------
# Selecting

def where(condition, x=None, y=None, /, *, size=None, fill_value=None):
    """Elementwise choice: x where condition holds, else y (lax.select_n on broadcast operands)."""
    if x is None and y is None:
        return nonzero(condition, size=size, fill_value=fill_value)
    if x is None or y is None:
        raise ValueError(errors.with_hint("Either both or neither of the x and y arguments should be provided to "
                                          "jax.numpy.where, got " f"{x} and {y}.",
                                          "give both choices, jnp.where(mask, x, y), or only the mask to get the "
                                          "indices where it holds (under jit with size=...)."))
    check_int_arguments(("condition", condition), ("x", x), ("y", y))
    condition = asarray_arg(condition)
    if get_aval(condition).dtype != np.bool_:
        condition = lax.ne(condition, constant_like(condition, 0))
    x, y = promote_dtypes(x, y)
    condition, x, y = broadcast_arrays(condition, x, y)
    return lax.select_n(condition, y, x)


def clip(arr=None, /, min=None, max=None):
    """maximum with `min`, then minimum with `max` (so min > max gives max, as NumPy)."""
    if arr is None:
        raise ValueError(errors.with_hint("No input was provided to the clip function.",
            "give the array to clip as the first argument, jnp.clip(x, min, max)."))
    if builtins.any(v is not None and get_aval(asarray_arg(v)).dtype.kind == "c" for v in (arr, min, max)):
        raise ValueError(errors.with_hint("Clip received a complex value either through the input or the min/max "
                         "keywords. Complex values have no ordering and cannot be clipped. Please "
                         "convert to a real value or array by taking the real or imaginary components "
                         "via jax.numpy.real/imag respectively.",
            "clip the real part (z.real) or the magnitude (jnp.abs(z)); complex numbers have no order."))
    if min is not None:
        arr = ufuncs.maximum(min, arr)
    if max is not None:
        arr = ufuncs.minimum(max, arr)
    return asarray_arg(arr)


def nonzero(a, *, size=None, fill_value=None):
    a = asarray_arg(a)
    if isinstance(a, core.Tracer) and size is None:
        # JAX needs the count of nonzero entries as a Python int: that count is what is abstract.
        count = reductions.sum(ufuncs.not_equal(a, 0), dtype=dtypes.default_int_dtype())
        raise errors.ConcretizationTypeError(core.abstract_msg(
            count, "The size argument of jnp.nonzero must be statically specified to use jnp.nonzero "
                   "within JAX transformations."), errors.SIZE_HINT)
    if isinstance(a, core.Tracer):
        return _nonzero_of_size(a, size, fill_value)
    idx = np.nonzero(np.asarray(a))
    if size is not None:
        fill = 0 if fill_value is None else fill_value
        idx = tuple(np.concatenate([i[:size], np.full(builtins.max(0, size - len(i)), fill)]) for i in idx)
    return tuple(ArrayImpl(i.astype(dtypes.default_int_dtype()), False) for i in idx)


def _nonzero_of_size(a, size, fill_value):
    """nonzero of a traced array, its shape fixed by `size`: a stable sort puts the flat positions
    of nonzero entries first, and the slots past their count hold fill_value (0 by default)."""
    if a.ndim == 0:
        raise ValueError(errors.with_hint("Calling nonzero on 0d arrays is not allowed. Use "
                                          "jnp.atleast_1d(scalar).nonzero() instead.",
                                          "a scalar has no positions to list: make it 1-d first."))
    int_t, n = dtypes.default_int_dtype(), a.size
    is_zero = lax.convert_element_type(ufuncs.equal(reshape(a, (n,)), 0), int_t)
    _, order = lax.sort((is_zero, lax.iota(int_t, n)), num_keys=1)
    order = concatenate([order, zeros(builtins.max(0, size - n), int_t)])[:size]
    valid = ufuncs.less(lax.iota(int_t, size), n - reductions.sum(is_zero))
    fills = fill_value if isinstance(fill_value, (tuple, list)) else [fill_value or 0] * a.ndim
    out = []
    for dim in reversed(a.shape):
        out.append(ufuncs.remainder(order, dim))
        order = ufuncs.floor_divide(order, dim)
    return tuple(where(valid, i, lax.convert_element_type(f, int_t)) for i, f in zip(out[::-1], fills))


def flatnonzero(a, *, size=None, fill_value=None):
    """The indices of the nonzero entries of `a` flattened (size= fixes their number, for jit)."""
    return nonzero(ravel(asarray_arg(a)), size=size, fill_value=fill_value)[0]


def argwhere(a, *, size=None, fill_value=None):
    return stack(nonzero(atleast_1d(a), size=size, fill_value=fill_value), axis=1)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|a - b| <= atol + rtol * |b| for finite b; equal values (infinities too) always match."""
    a, b = promote_dtypes(a, b)
    dtype = get_aval(a).dtype
    if dtypes.kind(dtype) not in "fc":
        return lax.eq(*promote_shapes(a, b))
    magnitude = np.dtype(np.finfo(dtype).dtype)  # |complex64| is float32
    rtol, atol = convert(rtol, magnitude), convert(atol, magnitude)
    a, b = promote_shapes(a, b)
    both_nan = lax.bitwise_and(ufuncs.isnan(a), ufuncs.isnan(b))
    close = lax.le(lax.abs(lax.sub(a, b)), lax.add(atol, lax.mul(rtol, lax.abs(b))))
    out = lax.bitwise_or(lax.eq(a, b), lax.bitwise_and(ufuncs.isfinite(b), close))
    return lax.bitwise_or(out, both_nan) if equal_nan else out


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return reductions.all(isclose(a, b, rtol, atol, equal_nan))


def array_equal(a1, a2, equal_nan=False):
    a1, a2 = asarray_arg(a1), asarray_arg(a2)
    if get_aval(a1).shape != get_aval(a2).shape:
        return ArrayImpl(np.asarray(False), False)
    equal = ufuncs.equal(a1, a2)
    if equal_nan:
        equal = lax.bitwise_or(equal, lax.bitwise_and(ufuncs.isnan(a1), ufuncs.isnan(a2)))
    return reductions.all(equal)


# ----------------------------------------------------------------------------------------------
# Products that are not contractions (dot, matmul and the others are in tensor_contractions.py)

def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors (a 2-vector has a zero third component) along the given
    axes; of two 2-vectors, the z component alone."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(asarray_arg(a), axisa, -1), moveaxis(asarray_arg(b), axisb, -1)
    if shape(a)[-1] not in (2, 3) or shape(b)[-1] not in (2, 3):
        raise ValueError("Dimension must be either 2 or 3 for cross product")
    if shape(a)[-1] == 2 and shape(b)[-1] == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2] if shape(a)[-1] == 3 else zeros_like(a[..., 0])
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2] if shape(b)[-1] == 3 else zeros_like(b[..., 0])
    c = array([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0])
    return moveaxis(c, 0, axisc)


def kron(a, b):
    a, b = promote_dtypes(a, b)
    n = builtins.max(ndim(a), ndim(b))
    a = reshape(a, (1,) * (n - ndim(a)) + shape(a))
    b = reshape(b, (1,) * (n - ndim(b)) + shape(b))
    a_wide = reshape(a, tuple(s for d in shape(a) for s in (d, 1)))
    b_wide = reshape(b, tuple(s for d in shape(b) for s in (1, d)))
    return reshape(ufuncs.multiply(a_wide, b_wide), tuple(x * y for x, y in zip(shape(a), shape(b))))


def _conv1d(x, y, mode, op, preferred_element_type):
    """convolve and correlate of 1-d arrays as one lax.conv_general_dilated over (1, 1, n)."""
    from jaxlite.lax import convolution
    if ndim(x) != 1 or ndim(y) != 1:
        raise ValueError(errors.with_hint(f"{op}() only support 1-dimensional inputs.",
                                          f"jnp.{op} takes two one-dimensional arrays: flatten them (x.ravel()), or for images "
                                          "use lax.conv_general_dilated."))
    if preferred_element_type is None:  # NumPy's convolutions compute in floating point
        x, y = promote_dtypes_inexact(x, y)
    else:
        x, y = promote_dtypes(x, y)
    if shape(x)[0] == 0 or shape(y)[0] == 0:
        raise ValueError(errors.with_hint(f"{op}: inputs cannot be empty, got shapes {shape(x)} and {shape(y)}.",
                                          "give both inputs at least one element."))
    reverse_output = False
    if op == "correlate":
        y = ufuncs.conj(y)
        if shape(x)[0] < shape(y)[0]:
            x, y, reverse_output = y, x, True
    else:
        if shape(x)[0] < shape(y)[0]:
            x, y = y, x
        y = flip(y)
    n = shape(y)[0]
    pads = {"valid": (0, 0), "same": (n // 2, n - n // 2 - 1), "full": (n - 1, n - 1)}
    if mode not in pads:
        raise ValueError(errors.with_hint("mode must be one of ['full', 'same', 'valid']",
                                          "pass mode='full' (every overlap), 'same' (the first input's length) "
                                          "or 'valid' (full overlaps only)."))
    out = convolution.conv_general_dilated(
        lax.expand_dims(x, (0, 1)), lax.expand_dims(y, (0, 1)), (1,), [pads[mode]],
        preferred_element_type=preferred_element_type)
    out = lax.squeeze(out, (0, 1))
    return lax.rev(out, (0,)) if reverse_output else out


def convolve(a, v, mode="full", *, precision=None, preferred_element_type=None):
    """The discrete convolution of two 1-d arrays, as numpy.convolve."""
    return _conv1d(asarray_arg(a), asarray_arg(v), mode, "convolve", preferred_element_type)


def correlate(a, v, mode="valid", *, precision=None, preferred_element_type=None):
    """The cross-correlation of two 1-d arrays, as numpy.correlate."""
    return _conv1d(asarray_arg(a), asarray_arg(v), mode, "correlate", preferred_element_type)


# ----------------------------------------------------------------------------------------------
# Joining and splitting

def concatenate(arrays, axis=0, dtype=None):
    arrays = [asarray_arg(a) for a in arrays]
    if not arrays:
        raise ValueError(errors.with_hint("Need at least one array to concatenate.",
                                          "pass a non-empty list of arrays."))
    if axis is None:
        arrays = [ravel(a) for a in arrays]
        axis = 0
    if get_aval(arrays[0]).ndim == 0:
        raise ValueError(errors.with_hint("Zero-dimensional arrays cannot be concatenated.",
                                          "concatenate joins arrays along an existing axis: to make a vector "
                                          "of scalars use jnp.stack([...]) or jnp.array([...])."))
    shapes = [get_aval(a).shape for a in arrays]
    if len({len(s) for s in shapes}) > 1:
        raise TypeError(errors.with_hint("Cannot concatenate arrays with different numbers of dimensions: got "
                                         f"{', '.join(map(str, shapes))}.",
                                         "give every array the same number of axes, e.g. with x[None] or "
                                         "jnp.atleast_1d(x)."))
    axis = canonicalize_axis(axis, len(shapes[0]))
    if len({s[:axis] + s[axis + 1:] for s in shapes}) > 1:
        raise TypeError(errors.with_hint(
            "Cannot concatenate arrays with shapes that differ in dimensions other than "
            f"the one being concatenated: concatenating along dimension {axis} for "
            f"shapes {', '.join(map(str, shapes))}.",
            f"the arrays may differ only along the axis joined (axis={axis}): join along the axis where "
            "they differ, or reshape or slice them to agree."))
    arrays = promote_dtypes(*arrays)
    if dtype is not None:
        arrays = [convert(a, dtype) for a in arrays]
    return lax.concatenate(arrays, axis)


def stack(arrays, axis=0, out=None, dtype=None):
    arrays = [asarray_arg(a) for a in arrays]
    if not arrays:
        raise ValueError(errors.with_hint("Need at least one array to stack.", "pass a non-empty list of arrays."))
    shapes = [get_aval(a).shape for a in arrays]
    if len(set(shapes)) != 1:
        raise ValueError(errors.with_hint(
            f"All input arrays must have the same shape. Got {', '.join(map(str, shapes))}.",
            "stack puts arrays of one shape side by side along a new axis: pad or slice them to one shape, "
            "or join them along an existing axis with jnp.concatenate."))
    axis = canonicalize_axis(axis, len(shapes[0]) + 1)
    return concatenate([lax.expand_dims(a, (axis,)) for a in arrays], axis, dtype)


def hstack(tup, dtype=None):
    arrs = [atleast_1d(a) for a in tup]
    return concatenate(arrs, 0 if ndim(arrs[0]) == 1 else 1, dtype)


def vstack(tup, dtype=None):
    return concatenate([atleast_2d(a) for a in tup], 0, dtype)


def dstack(tup, dtype=None):
    return concatenate([atleast_3d(a) for a in tup], 2, dtype)


def column_stack(tup):
    arrs = [asarray_arg(a) for a in tup]
    return concatenate([lax.expand_dims(a, (1,)) if ndim(a) < 2 else a for a in arrs], 1)


def append(arr, values, axis=None):
    """`values` after `arr` along `axis`; with axis=None, both are flattened first."""
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], 0)
    return concatenate([arr, values], axis)


def _split_sizes(name, length, indices_or_sections):
    """The sizes of the pieces: equal sections, or the gaps between split indices."""
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(errors.with_hint("number sections must be larger than 0.",
                                              "ask for at least one section."))
        if name == "split" and length % sections:
            raise ValueError(errors.with_hint(
                f"array split does not result in an equal division: rest is {length % sections}",
                f"{length} elements do not split into {sections} equal parts: use jnp.array_split for "
                "nearly equal parts, or give the split indices, e.g. jnp.split(x, [2])."))
        small, extra = divmod(length, sections)
        return [small + 1] * extra + [small] * (sections - extra)
    points = [int(i) for i in np.asarray(concrete_leaves(list(indices_or_sections))).reshape(-1)]
    sizes = np.diff([0] + points + [length]).tolist()
    if builtins.any(n < 0 for n in sizes):
        raise ValueError(errors.with_hint(f"Sizes passed to split must be nonnegative, got {sizes}",
                                          "split indices must be in increasing order, within the axis."))
    return sizes


def _split(name, ary, indices_or_sections, axis):
    ary = asarray_arg(ary)
    axis = canonicalize_axis(axis, ndim(ary))
    if isinstance(indices_or_sections, (ArrayImpl, core.Tracer)) and ndim(indices_or_sections) == 0:
        context = f"the jnp.{name} argument 'indices_or_sections'"
        indices_or_sections = int(check_concrete(indices_or_sections, context))
    pieces, start = [], 0
    for n in _split_sizes(name, shape(ary)[axis], indices_or_sections):
        pieces.append(lax.slice_in_dim(ary, start, start + n, axis=axis))
        start += n
    return pieces


def split(ary, indices_or_sections, axis=0):
    return _split("split", ary, indices_or_sections, axis)


def array_split(ary, indices_or_sections, axis=0):
    return _split("array_split", ary, indices_or_sections, axis)


def hsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, 0 if ndim(ary) == 1 else 1)


def vsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, 0)


def tile(A, reps):
    """Broadcast into an interleaved shape (reps_0, n_0, reps_1, n_1, ...), then reshape."""
    A = asarray_arg(A)
    reps = tuple(map(operator.index, reps)) if isinstance(reps, (tuple, list)) else (operator.index(reps),)
    n = builtins.max(len(reps), ndim(A))
    reps = (1,) * (n - len(reps)) + reps
    A = reshape(A, (1,) * (n - ndim(A)) + shape(A))
    wide = tuple(s for r, d in zip(reps, shape(A)) for s in (r, d))
    out = lax.broadcast_in_dim(A, wide, tuple(range(1, 2 * n, 2)))
    return reshape(out, tuple(r * d for r, d in zip(reps, shape(A))))


def repeat(a, repeats, axis=None, *, total_repeat_length=None):
    """An int repeats each element that many times (broadcast then reshape); per-element counts
    must be concrete and become a gather of repeated indices."""
    a = asarray_arg(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    axis = canonicalize_axis(axis, ndim(a))
    if isinstance(repeats, (ArrayImpl, core.Tracer)) and ndim(repeats) == 0:
        repeats = int(check_concrete(repeats, "the jnp.repeat argument 'repeats'"))
    if isinstance(repeats, (int, np.integer)):
        repeats = int(repeats)
        shp = shape(a)
        wide = shp[:axis + 1] + (repeats,) + shp[axis + 1:]
        dims = tuple(range(axis + 1)) + tuple(range(axis + 2, len(wide)))
        out = lax.broadcast_in_dim(a, wide, dims)
        return reshape(out, shp[:axis] + (shp[axis] * repeats,) + shp[axis + 1:])
    counts = np.asarray(concrete_leaves(check_concrete(repeats, "the jnp.repeat argument 'repeats'")))
    counts = np.broadcast_to(counts, (shape(a)[axis],))
    indices = ArrayImpl(np.repeat(np.arange(shape(a)[axis]), counts).astype(dtypes.default_int_dtype()))
    return indexing.advanced_getitem(a, (slice(None),) * axis + (indices,), mode="promise_in_bounds",
                                     normalize_indices=False)


# ----------------------------------------------------------------------------------------------
# Reordering: flip, roll, sort

def flip(m, axis=None):
    m = asarray_arg(m)
    axes = canonicalize_axes(axis, ndim(m))
    return lax.rev(m, axes) if axes else m


def fliplr(m):
    return flip(m, 1)


def flipud(m):
    return flip(m, 0)


def rot90(m, k=1, axes=(0, 1)):
    m = asarray_arg(m)
    ax1, ax2 = (canonicalize_axis(a, ndim(m)) for a in axes)
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, ax1), ax2)
    perm = list(range(ndim(m)))
    perm[ax1], perm[ax2] = perm[ax2], perm[ax1]
    return transpose(flip(m, ax2), perm) if k == 1 else flip(transpose(m, perm), ax2)


def roll(a, shift, axis=None):
    """Static shifts: two slices swapped by a concatenate."""
    a = asarray_arg(a)
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), shape(a))
    shifts = np.broadcast_to(np.asarray(concrete_leaves(shift)), np.shape(axis))
    axes = np.atleast_1d(axis)
    for s, ax in zip(np.atleast_1d(shifts), axes):
        ax = canonicalize_axis(int(ax), ndim(a))
        n = shape(a)[ax]
        s = int(s) % n if n else 0
        if s:
            a = lax.concatenate([lax.slice_in_dim(a, n - s, n, axis=ax),
                                 lax.slice_in_dim(a, 0, n - s, axis=ax)], ax)
    return a


def sort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False):
    a = asarray_arg(a)
    if axis is None:
        a, axis = ravel(a), 0
    axis = canonicalize_axis(axis, ndim(a))
    out = lax.sort(a, dimension=axis, is_stable=stable, num_keys=1)
    return lax.rev(out, (axis,)) if descending else out


def argsort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False):
    """Sort (values, iota) by the values and keep the permuted iota. Descending order reverses
    before and after sorting, so equal values stay in their original order."""
    a = asarray_arg(a)
    if axis is None:
        a, axis = ravel(a), 0
    axis = canonicalize_axis(axis, ndim(a))
    iota = lax.broadcasted_iota(dtypes.default_int_dtype(), shape(a), axis)
    if descending:
        a, iota = lax.rev(a, (axis,)), lax.rev(iota, (axis,))
    _, perm = lax.sort((a, iota), dimension=axis, is_stable=stable, num_keys=1)
    return lax.rev(perm, (axis,)) if descending else perm


def searchsorted(a, v, side="left", sorter=None, *, method="compare_all"):
    """Where v's elements would go in the sorted 1-D `a`: a count of the elements of `a` that come
    before each value (all pairs compared at once, JAX's "compare_all" method; NaNs sort last)."""
    if side not in ("left", "right"):
        raise ValueError(errors.with_hint(f"{side!r} is an invalid value for keyword 'side'. Expected one of "
                         "['left', 'right'].",
            "pass side='left' or side='right'."))
    a, v = asarray_arg(a), asarray_arg(v)
    if ndim(a) != 1:
        raise ValueError(errors.with_hint("a should be 1-dimensional",
            "searchsorted searches one sorted 1-D array: flatten it, or vmap over the rows."))
    if sorter is not None:
        a = take(a, sorter)
    a, v = promote_dtypes(a, v)
    rows = lax.expand_dims(a, tuple(range(1, ndim(v) + 1)))
    cols = lax.expand_dims(v, (0,))
    rows, cols = broadcast_arrays(rows, cols)
    before = _sorts_before(rows, cols) if side == "left" else lax.bitwise_not(_sorts_before(cols, rows))
    return reductions.sum(before, axis=0, dtype=dtypes.default_int_dtype())


def _sorts_before(x, y):
    """x < y in the order sort uses, where NaN comes after every number."""
    if dtypes.kind(get_aval(x).dtype) not in "fc":
        return lax.lt(x, y)
    return lax.bitwise_or(lax.lt(x, y), lax.bitwise_and(ufuncs.isnan(y), lax.bitwise_not(ufuncs.isnan(x))))


# ----------------------------------------------------------------------------------------------
# Triangles and diagonals

def _triangle_mask(m, k, upper):
    rows, cols = shape(m)[-2:]
    i = lax.broadcasted_iota(np.int32, (rows, cols), 0)
    j = lax.broadcasted_iota(np.int32, (rows, cols), 1)
    below = lax.ge(lax.add(i, np.int32(k - 1 if upper else k)), j)
    return lax.broadcast_in_dim(below, shape(m), (ndim(m) - 2, ndim(m) - 1)) if ndim(m) > 2 else below


def tril(m, k=0):
    """Zero above the k-th diagonal (a mask from two iotas, then select)."""
    m = asarray_arg(m)
    if ndim(m) < 2:
        raise ValueError(errors.with_hint("Argument to jax.numpy.tril must be at least 2D",
            "tril works on matrices: give an array with at least two axes (x[None] for a vector)."))
    return lax.select(_triangle_mask(m, k, False), m, zeros_like(m))


def triu(m, k=0):
    """Zero below the k-th diagonal."""
    m = asarray_arg(m)
    if ndim(m) < 2:
        raise ValueError(errors.with_hint("Argument to jax.numpy.triu must be at least 2D",
            "triu works on matrices: give an array with at least two axes (x[None] for a vector)."))
    return lax.select(_triangle_mask(m, k, True), zeros_like(m), m)


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The k-th diagonal, read as NumPy's strided view does: flatten the two axes and take
    every (m+1)-th element (a strided slice, so no gather is needed)."""
    a = asarray_arg(a)
    n_ = ndim(a)
    axis1, axis2 = canonicalize_axis(axis1, n_), canonicalize_axis(axis2, n_)
    if axis1 == axis2:
        raise ValueError(errors.with_hint("axis1 and axis2 must not be equal",
            "choose two different axes."))
    rest = [i for i in range(n_) if i not in (axis1, axis2)]
    a = lax.transpose(a, rest + [axis1, axis2])
    lead, (n, m) = shape(a)[:-2], shape(a)[-2:]
    length = builtins.max(0, builtins.min(n, m - offset) if offset >= 0 else builtins.min(n + offset, m))
    flat = reshape(a, lead + (n * m,))
    start = offset if offset >= 0 else -offset * m
    if length == 0:
        return lax.slice_in_dim(flat, 0, 0, axis=len(lead))
    limit = start + (length - 1) * (m + 1) + 1
    return lax.slice_in_dim(flat, start, limit, stride=m + 1, axis=len(lead))


def diag(v, k=0):
    v = asarray_arg(v)
    if ndim(v) == 2:
        return diagonal(v, k)
    if ndim(v) != 1:
        raise ValueError(errors.with_hint("diag input must be 1d or 2d",
            "diag takes a vector (to build a diagonal matrix) or a matrix (to read its diagonal); for more axes "
            "use jnp.diagonal."))
    n = shape(v)[0] + builtins.abs(k)
    padded = lax.pad(v, constant_like(v, 0), ((0, builtins.abs(k), 0),))
    values = lax.broadcast_in_dim(padded, (n, n), (0,) if k >= 0 else (1,))
    return lax.select(_diagonal_mask(n, n, k), values, zeros_like(values))


def diagflat(v, k=0):
    return diag(ravel(v), k)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Sum of the diagonal: mask everything else to zero and sum both axes."""
    a = asarray_arg(a)
    n_ = ndim(a)
    axis1, axis2 = canonicalize_axis(axis1, n_), canonicalize_axis(axis2, n_)
    mask = _diagonal_mask(shape(a)[axis1], shape(a)[axis2], offset)
    if axis1 > axis2:
        mask = lax.transpose(mask, (1, 0))
    if n_ > 2:
        mask = lax.broadcast_in_dim(mask, shape(a), tuple(sorted((axis1, axis2))))
    return reductions.sum(lax.select(mask, a, zeros_like(a)), axis=(axis1, axis2), dtype=dtype)


# ----------------------------------------------------------------------------------------------
# take and take_along_axis: one gather each, through indexing.py's indexer

_TAKE_MODES = ("fill", "clip", "wrap", "promise_in_bounds")


def _take_indices(indices, n, mode):
    """`wrap` is NumPy's modulo; the other modes are the gather's own out-of-bounds handling."""
    if mode not in _TAKE_MODES:
        raise ValueError(errors.with_hint(f"Invalid mode value {mode!r}: expected one of {_TAKE_MODES}.",
            "mode is 'fill', 'clip', 'wrap' or 'promise_in_bounds'."))
    if get_aval(indices).dtype.kind not in "iu":
        raise ValueError(errors.with_hint("indices must have an integer type",
                                          "convert the indices with indices.astype(jnp.int32)."))
    if mode == "wrap":
        return ufuncs.remainder(indices, n), "promise_in_bounds"
    return indices, mode


def take(a, indices, axis=None, out=None, mode=None, unique_indices=False, indices_are_sorted=False,
         fill_value=None):
    """a's entries at `indices` along `axis`: one gather. With the default mode ("fill") negative
    indices count from the end and indices out of range give NaN (integers: the dtype's minimum);
    "clip" clamps the indices as they are, "wrap" takes them modulo the axis length."""
    if out is not None:
        raise NotImplementedError(errors.with_hint(
            "The 'out' argument to jnp.take is not supported.",
            "jax arrays are immutable, so nothing is written into out: use the value returned, y = jnp.take(x, i)."))
    a, indices = asarray_arg(a), asarray_arg(indices)
    if axis is None:
        a, axis = ravel(a), 0
    axis = canonicalize_axis(axis, ndim(a))
    n = shape(a)[axis]
    if mode is None or mode == "fill":
        mode, normalize = "fill", True
    elif mode == "raise":
        raise NotImplementedError(errors.with_hint(
            "The 'raise' mode to jnp.take is not supported.",
            "jax cannot raise from inside a computation: use mode='fill' (the default), 'clip' or 'wrap'."))
    elif mode == "wrap":
        indices, mode, normalize = ufuncs.remainder(indices, n), "promise_in_bounds", False
    elif mode == "clip":
        normalize = False
    else:
        raise ValueError(errors.with_hint(f"Invalid mode '{mode}' for np.take",
                                          "mode is 'fill' (the default), 'clip' or 'wrap'."))
    if get_aval(indices).dtype.kind not in "iu":
        raise ValueError(errors.with_hint("indices must have an integer type",
                                          "convert the indices with indices.astype(jnp.int32)."))
    return indexing.advanced_getitem(a, (slice(None),) * axis + (indices,), mode=mode,
                                     fill_value=fill_value, unique_indices=unique_indices,
                                     indices_are_sorted=indices_are_sorted, normalize_indices=normalize)


def take_along_axis(arr, indices, axis, mode=None, fill_value=None):
    """arr[..., indices, ...] pairing each index with its position along the other axes (an
    iota index for every other axis, so that one gather picks everything)."""
    arr, indices = asarray_arg(arr), asarray_arg(indices)
    if axis is None:
        arr, indices, axis = ravel(arr), ravel(indices), 0
    if ndim(indices) != ndim(arr):
        raise ValueError(errors.with_hint(
            "indices and arr must have the same number of dimensions; "
            f"{ndim(indices)} vs. {ndim(arr)}",
            f"give indices the array's {ndim(arr)} dimensions, with size 1 along the other axes: e.g. "
            "jnp.expand_dims(indices, axis) or indices[:, None]."))
    axis = canonicalize_axis(axis, ndim(arr))
    indices, mode = _take_indices(indices, shape(arr)[axis], mode or "fill")
    out_shape = tuple(shape(indices)[d] if d == axis else
                      broadcast_shapes((shape(arr)[d],), (shape(indices)[d],))[0] for d in range(ndim(arr)))
    index_dtype = get_aval(indices).dtype
    index = tuple(broadcast_to(indices, out_shape) if d == axis else
                  lax.broadcasted_iota(index_dtype, out_shape, d) if shape(arr)[d] != 1 else
                  zeros(out_shape, index_dtype) for d in range(ndim(arr)))
    return indexing.advanced_getitem(arr, index, mode=mode, fill_value=fill_value)


# ----------------------------------------------------------------------------------------------
# Small helpers NumPy users reach for

def copy(a, order=None):
    return array(a, copy=True)


def astype(x, dtype, /, *, copy=False, device=None):
    x = asarray_arg(x)
    dtype = dtypes.default_float_dtype() if dtype is None else dtypes.check_user_dtype(dtype, "astype")
    if get_aval(x).dtype.kind == "c":
        if dtype.kind in "iuf":
            warnings.warn("Casting from complex to real dtypes will soon raise a ValueError. Please "
                          "first use jnp.real or jnp.imag to take the real/imaginary component of "
                          "your input.", DeprecationWarning, stacklevel=errors.user_stacklevel())
        elif dtype == np.bool_:  # a complex number is true where either part is nonzero
            x = lax.ne(x, constant_like(x, 0))
    return convert(x, dtype, False, warn_on_complex_to_real_cast=False)


def iscomplexobj(x):
    return get_aval(asarray_arg(x)).dtype.kind == "c"


def isrealobj(x):
    return not iscomplexobj(x)


def iscomplex(x):
    im = ufuncs.imag(x)
    return lax.ne(im, constant_like(im, 0))


def isreal(x):
    im = ufuncs.imag(x)
    return lax.eq(im, constant_like(im, 0))


def angle(z, deg=False):
    """The argument of each complex number, atan2(imag, real); real numbers give 0 or pi."""
    z = asarray_arg(z)
    re, im = ufuncs.real(z), ufuncs.imag(z)
    if get_aval(re).dtype.kind != "f" or (get_aval(z).dtype.kind == "f" and get_aval(z).ndim == 0):
        re = lax.convert_element_type(re, dtypes.default_float_dtype())
        im = lax.convert_element_type(im, dtypes.default_float_dtype())
    result = lax.atan2(im, re)
    return ufuncs.degrees(result) if deg else result

