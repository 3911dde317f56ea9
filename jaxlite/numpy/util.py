"""Argument handling shared by jaxlite.numpy: dtype promotion, rank promotion and broadcasting.

Mirrors jax/_src/numpy/util.py: operands are promoted to one dtype (weak Python scalars give way),
then to one rank by adding leading unit axes, before any lax primitive sees them. shape, ndim, size,
broadcast_to and broadcast_arrays live here too, as JAX keeps them, so that every jaxlite.numpy
module can use them.
"""
import operator

import numpy as np

from jaxlite import core, dtypes, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.lax.conversions import convert_element_type_unchecked, convert_on_numpy

_PYTHON_SCALARS = (bool, int, float, complex)


def asarray_arg(x):
    """An operand as a jaxlite array or tracer; Python scalars stay weakly typed."""
    if isinstance(x, (ArrayImpl, core.Tracer)):
        return x
    if isinstance(x, _PYTHON_SCALARS):
        dtype, weak = dtypes.dtype_and_weak(x)
        if isinstance(x, int) and not isinstance(x, bool):
            _check_int_range(x, dtype)
        # Python bools are not weakly typed in JAX: True is simply a bool array.
        return ArrayImpl(np.asarray(x, dtype), weak and not isinstance(x, bool))
    if isinstance(x, (np.ndarray, np.generic)):
        return ArrayImpl(np.asarray(x, dtypes.canonicalize_dtype(x.dtype)), False)
    if isinstance(x, (list, tuple)):
        raise TypeError(with_hint(f"{type(x).__name__} is not a valid JAX array type: use jnp.array({x!r}) "
                                  "to make an array from a Python sequence.", _SEQUENCE_HINT))
    raise TypeError(with_hint(f"Value {x!r} with type {type(x)} is not a valid JAX type",
                              "jax.numpy computes on arrays and numbers only: pass the numbers this value "
                              "holds, as an array."))


_SEQUENCE_HINT = "jax.numpy functions take arrays: convert a list or tuple first, with jnp.asarray(x)."


def _is_arraylike(x):
    return isinstance(x, (ArrayImpl, core.Tracer, np.ndarray, np.generic, *_PYTHON_SCALARS)) or hasattr(
        x, "__jax_array__")


def check_arraylike(fun_name, *args):
    """As JAX: a jax.numpy function refuses lists, tuples and other non-array arguments (it does
    not convert them as NumPy would, which would hide a copy or a retrace)."""
    for position, x in enumerate(args):
        if not _is_arraylike(x):
            hint = (f"jax.numpy functions take arrays, not Python {type(x).__name__}s: convert the argument "
                    "first, with jnp.asarray(...)." if isinstance(x, (list, tuple)) else
                    "jax.numpy computes on arrays and numbers only: pass the numbers this value holds, "
                    "as an array.")
            raise TypeError(with_hint(f"{fun_name} requires ndarray or scalar arguments, got {type(x)} at "
                                      f"position {position}.", hint))


def _check_int_range(x, dtype):
    info = np.iinfo(dtype)
    if not info.min <= x <= info.max:
        raise OverflowError(with_hint(f"Python int {x} too large to convert to {dtype.name}", INT_RANGE_HINT))


INT_RANGE_HINT = ("int32 holds integers up to 2**31 - 1: write the number as a float (e.g. 2.0 ** 40), or turn on "
                  "64-bit integers with jax.config.update('jax_enable_x64', True).")


def check_int_arguments(*named):
    """jnp functions are jitted in JAX, so a Python int too large for the default integer type is
    refused as a jit argument, named by its parameter: `check_int_arguments(("x", x1), ("y", x2))`."""
    for path, x in named:
        if type(x) is int:
            info = np.iinfo(dtypes.default_int_dtype())
            if not info.min <= x <= info.max:
                raise OverflowError(with_hint(
                    "An overflow was encountered while parsing an argument to a jitted computation, whose "
                    f"argument path is {path}. Got {type(x)} with value {x}", INT_RANGE_HINT))


def constant_like(x, value):
    """A rank-0 constant of x's dtype and weak type (JAX's lax._const); in a jaxpr it prints as a
    literal such as `2.0:f32[]`."""
    aval = get_aval(x)
    return ArrayImpl(np.asarray(value, aval.dtype), aval.weak_type)


def strong_constant_like(x, value):
    """A rank-0 constant of x's dtype that is never weakly typed, so the result is not either."""
    return ArrayImpl(np.asarray(value, get_aval(x).dtype), False)


def convert(x, dtype, weak_type=False, warn_on_complex_to_real_cast=True):
    """`x` as `dtype`. Concrete scalars convert at once (JAX folds them into literals); arrays
    and tracers get a staged convert_element_type, and nothing happens if x already fits."""
    x = asarray_arg(x)
    dtype = dtypes.canonicalize_dtype(dtype)
    aval = get_aval(x)
    if aval.dtype == dtype and aval.weak_type == bool(weak_type):
        return x
    if type(x) is ArrayImpl and aval.ndim == 0 and not (aval.dtype.kind == "c" and dtype.kind != "c"):
        return ArrayImpl(convert_on_numpy(x._value, dtype), bool(weak_type))
    return convert_element_type_unchecked(x, dtype, weak_type, warn_on_complex_to_real_cast)


def _result(args):
    return dtypes.result_type_and_weak(*[dtypes.dtype_and_weak(a) for a in args])


KEY_HINT = ("a typed PRNG key is not a number: split or fold_in it, or take jax.random.key_data(key) "
            "for its integers.")


def check_for_prngkeys(fun_name, *args):
    """Typed keys mixed with other dtypes: JAX's refusal names the function and the dtypes (keys of
    one dtype reach lax, whose primitives refuse them in turn, or move them around)."""
    arg_dtypes = [dtypes.dtype(a) for a in args]
    if len(set(arg_dtypes)) > 1 and any(isinstance(d, dtypes.ExtendedDType) for d in arg_dtypes):
        from jaxlite.errors import with_hint
        raise TypeError(with_hint(f"{fun_name} does not accept dtypes {', '.join(map(str, arg_dtypes))}.",
                                  KEY_HINT))


def refuse_keys(x, error=TypeError, message="Cannot interpret '{dtype}' as a data type"):
    """Numerical functions refuse typed keys, each with the message JAX's gives."""
    dtype = get_aval(x).dtype
    if isinstance(dtype, dtypes.ExtendedDType):
        from jaxlite.errors import with_hint
        raise error(with_hint(message.format(dtype=dtype), KEY_HINT))


def promote_dtypes(*args):
    """Convert operands to their common dtype (JAX's promotion lattice)."""
    if len(args) < 2:
        return [asarray_arg(a) for a in args]
    args = [asarray_arg(a) for a in args]
    dtype, weak = _result(args)
    return [convert(a, dtype, weak) for a in args]


def to_inexact_dtype(dtype):
    """The float dtype that an integer or bool dtype computes in: float64 only for 64-bit
    integers, float32 otherwise (so int32 stays in float32 even with x64 on, as in JAX)."""
    dtype = np.dtype(dtype)
    if dtypes.kind(dtype) in "fc":
        return dtype
    return dtypes.canonicalize_dtype(np.float64 if dtype.itemsize == 8 else np.float32)


def promote_dtypes_inexact(*args):
    """Like promote_dtypes, but integers and bools become floats (for sin, /, ...)."""
    args = [asarray_arg(a) for a in args]
    dtype, weak = _result(args)
    dtype = to_inexact_dtype(dtype)
    return [convert(a, dtype, weak) for a in args]


def promote_dtypes_numeric(*args):
    """Like promote_dtypes, but bools become the default integer (for -, sign, ...)."""
    args = [asarray_arg(a) for a in args]
    dtype, weak = _result(args)
    if dtype == np.bool_:
        dtype = dtypes.default_int_dtype()
    return [convert(a, dtype, weak) for a in args]


def broadcast_shapes(*shapes):
    """NumPy's broadcasting of shapes, with JAX's error."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(with_hint(f"Incompatible shapes for broadcasting: shapes={list(shapes)}",
                                   "shapes broadcast when each trailing dimension is equal or 1: reshape an "
                                   "operand (x[:, None] adds an axis) or slice it to the other's length.")) from None


def promote_shapes(*args):
    """Give operands equal rank by prepending unit axes (size-1 axes then broadcast inside lax).

    Operands that already share a rank, or differ only by rank-0 scalars, are left to lax.
    """
    args = [asarray_arg(a) for a in args]
    if len(args) < 2:
        return args
    shapes = [get_aval(a).shape for a in args]
    if len({len(s) for s in shapes}) == 1 or len({len(s) for s in shapes if s}) < 2:
        return args
    rank = len(broadcast_shapes(*shapes))
    return [broadcast_to_rank(a, rank) for a in args]


def broadcast_to_rank(x, rank):
    ndim = get_aval(x).ndim
    if ndim == rank:
        return x
    shape = (1,) * (rank - ndim) + get_aval(x).shape
    return lax.broadcast_in_dim(x, shape, tuple(range(rank - ndim, rank)))


def promote_args(*args):
    return promote_shapes(*promote_dtypes(*args))


def promote_args_inexact(*args):
    return promote_shapes(*promote_dtypes_inexact(*args))


def promote_args_numeric(*args):
    return promote_shapes(*promote_dtypes_numeric(*args))


def canonicalize_axis(axis, ndim):
    """A possibly negative axis as an index in range(ndim), with NumPy's error otherwise (an axis
    must be an integer: 1.0 is refused as JAX refuses it)."""
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(with_hint(f"axis {axis} is out of bounds for array of dimension {ndim}",
                                   f"an axis of an array of dimension {ndim} is from {-ndim} to {ndim - 1}; "
                                   "check the array's shape (x.shape)." if ndim else
                                   "a 0-d array has no axes: leave axis out (None)."))
    return axis % ndim if ndim else axis


def canonicalize_axes(axis, ndim):
    """None (every axis), an int or a sequence of ints, as a tuple of distinct axes. Anything
    else is read as a sequence, as JAX reads it (so axis=1.0 is refused: a float is not iterable)."""
    if axis is None:
        return tuple(range(ndim))
    if not isinstance(axis, (tuple, list)):
        try:
            return (canonicalize_axis(operator.index(axis), ndim),)
        except TypeError:
            if isinstance(axis, core.Tracer):
                raise
        try:
            axis = tuple(axis)
        except TypeError as err:
            raise TypeError(with_hint(str(err), "axis is an int or a tuple of ints, e.g. axis=1 or "
                                      "axis=(0, 1).")) from None
    axes = tuple(canonicalize_axis(a, ndim) for a in axis)
    if len(set(axes)) != len(axes):
        raise ValueError(with_hint(f"duplicate value in 'axis': {axis}",
            "list each axis once."))
    return axes


def invalid_shape_error(shape, context=""):
    """JAX's TypeError for a shape that is not a sequence of integers; a traced size (known only
    abstractly while tracing) gets JAX's tip and where it came from."""
    msg = f"Shapes must be 1D sequences of concrete values of integer type, got {shape}."
    if context:
        msg += f" {context}."
    traced = [d for d in shape if isinstance(d, core.Tracer) and d.to_concrete_value() is None]
    if not traced:
        return TypeError(with_hint(msg, "a shape is a tuple of Python ints: convert each size with int(...), "
                                        "e.g. (int(n), 3)."))
    msg += "\nIf using `jit`, try using `static_argnums` or applying `jit` to smaller subfunctions."
    msg += "".join(core.why_not_concrete(d) for d in traced)
    return TypeError(with_hint(msg, core.concretization_hint(traced[0], "shape")))


def check_concrete(value, context):
    """Shapes must be known while tracing: say so when a traced value is used as one. `context`
    completes "It arose in ..." (for example "the jnp.arange argument 'stop'")."""
    if isinstance(value, core.Tracer):
        from jaxlite.errors import ConcretizationTypeError
        raise ConcretizationTypeError(core.abstract_msg(value, f"It arose in {context}"),
                                      core.concretization_hint(value, "shape"))
    return value


def user_dtype(dtype, fun_name):
    """A requested dtype, canonical, with JAX's refusals and truncation warning; None stays None."""
    return None if dtype is None else dtypes.check_user_dtype(dtype, fun_name)


def canonicalize_shape(shape, context=""):
    """A shape as a tuple of Python ints, as JAX canonicalizes it (a scalar is a 1-D shape)."""
    if not isinstance(shape, (list, tuple)) and getattr(shape, "ndim", 0) == 0:
        shape = (shape,)
    try:
        return tuple(operator.index(s) for s in shape)
    except TypeError:
        raise invalid_shape_error(shape, context) from None


def shape(a):
    return get_aval(asarray_arg(a)).shape


def ndim(a):
    return get_aval(asarray_arg(a)).ndim


def size(a, axis=None):
    aval = get_aval(asarray_arg(a))
    return aval.size if axis is None else aval.shape[axis]


def broadcast_to(array, shape):
    a = asarray_arg(array)
    shape = canonicalize_shape(shape)
    aval = get_aval(a)
    if aval.shape == shape:
        return a
    lead = len(shape) - aval.ndim
    if lead < 0:
        raise ValueError(with_hint(
            f"Cannot broadcast to shape with fewer dimensions: arr_shape={aval.shape} shape={shape}",
            "broadcasting adds or stretches axes but never removes them: give a value of the target's "
            f"shape {shape}, or reduce or index the value first."))
    if any(s not in (1, t) for s, t in zip(aval.shape, shape[lead:])):
        requested = core.ShapedArray(shape, aval.dtype).str_short(short_dtypes=False)
        raise ValueError(with_hint(
            f"Incompatible types for broadcasting: input type={aval.str_short(short_dtypes=False)} and "
            f"requested type={requested}",
            f"a value broadcasts to {shape} when each of its trailing dimensions equals the target's or is 1: "
            "reshape or slice it to fit."))
    kept = tuple(i for i, s in enumerate(aval.shape) if s == shape[lead + i])
    squeezed = lax.reshape(a, tuple(aval.shape[i] for i in kept)) if len(kept) != aval.ndim else a
    return lax.broadcast_in_dim(squeezed, shape, tuple(lead + i for i in kept))


def broadcast_arrays(*args):
    args = [asarray_arg(a) for a in args]
    shape_ = broadcast_shapes(*[get_aval(a).shape for a in args])
    return [broadcast_to(a, shape_) for a in args]
