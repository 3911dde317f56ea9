"""Argument handling shared by jaxlite.numpy: dtype promotion and rank promotion.

Mirrors jax/_src/numpy/util.py: operands are promoted to one dtype (weak Python scalars give way),
then to one rank by adding leading unit axes, before any lax primitive sees them.
"""
import numpy as np

from jaxlite import core, dtypes, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval


def asarray_arg(x):
    """An operand as a jaxlite array or tracer; Python scalars stay weakly typed."""
    if isinstance(x, (ArrayImpl, core.Tracer)):
        return x
    if isinstance(x, (bool, int, float, complex)):
        dtype, weak = dtypes.dtype_and_weak(x)
        if isinstance(x, int) and not isinstance(x, bool):
            _check_int_range(x, dtype)
        return ArrayImpl(np.asarray(x, dtype), weak)
    if isinstance(x, (np.ndarray, np.generic)):
        return ArrayImpl(np.asarray(x, dtypes.canonicalize_dtype(x.dtype)), False)
    if isinstance(x, (list, tuple)):
        raise TypeError(f"{type(x).__name__} is not a valid JAX array type: use jnp.array({x!r}) "
                        "to make an array from a Python sequence.")
    raise TypeError(f"Value {x!r} with type {type(x)} is not a valid JAX type")


def _check_int_range(x, dtype):
    info = np.iinfo(dtype)
    if not info.min <= x <= info.max:
        raise OverflowError(f"Python int {x} too large to convert to {dtype.name}")


def promote_dtypes(*args):
    """Convert operands to their common dtype (JAX's promotion lattice)."""
    args = [asarray_arg(a) for a in args]
    if len(args) < 2:
        return args
    avals = [get_aval(a) for a in args]
    dtype, weak = dtypes.result_type_and_weak(*[(a.dtype, a.weak_type) for a in avals])
    return [a if (av.dtype == dtype and av.weak_type == weak) else
            lax.convert_element_type(a, dtype, weak) for a, av in zip(args, avals)]


def promote_dtypes_inexact(*args):
    """Like promote_dtypes, then integers and bools become the default float (for sin, /, ...)."""
    args = promote_dtypes(*args)
    aval = get_aval(args[0])
    if aval.dtype.kind in "fc":
        return args
    dtype = dtypes.default_float_dtype()
    return [lax.convert_element_type(a, dtype, get_aval(a).weak_type) for a in args]


def promote_dtypes_numeric(*args):
    args = promote_dtypes(*args)
    if get_aval(args[0]).dtype == np.bool_:
        return [lax.convert_element_type(a, dtypes.default_int_dtype(), get_aval(a).weak_type)
                for a in args]
    return args


def promote_shapes(*args):
    """Give operands equal rank by prepending unit axes; size-1 axes then broadcast inside lax."""
    avals = [get_aval(a) for a in args]
    nonscalar = [a.ndim for a in avals if a.ndim]
    if not nonscalar or len(set(a.ndim for a in avals)) == 1:
        _check_broadcastable(avals)
        return list(args)
    rank = max(a.ndim for a in avals)
    _check_broadcastable(avals)
    out = []
    for a, av in zip(args, avals):
        if av.ndim == rank or av.ndim == 0 and _scalar_ok(av):
            out.append(a)
        else:
            shape = (1,) * (rank - av.ndim) + av.shape
            out.append(lax.broadcast_in_dim(a, shape, tuple(range(rank - av.ndim, rank))))
    return out


def _scalar_ok(aval):
    return True


def _check_broadcastable(avals):
    try:
        np.broadcast_shapes(*[a.shape for a in avals])
    except ValueError:
        raise TypeError(f"add got incompatible shapes for broadcasting: "
                        f"{', '.join(str(a.shape) for a in avals)}.") from None


def promote_args(*args):
    return promote_shapes(*promote_dtypes(*args))


def promote_args_inexact(*args):
    return promote_shapes(*promote_dtypes_inexact(*args))


def promote_args_numeric(*args):
    return promote_shapes(*promote_dtypes_numeric(*args))


def canonicalize_axis(axis, ndim):
    if not -ndim <= axis < max(ndim, 1) and not (ndim == 0 and axis in (0, -1)):
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim if ndim else 0
