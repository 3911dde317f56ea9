"""Making primitives: `standard_primitive`, the small rules its abstract eval is built from, and the
conversion of operands (Python scalars become weak arrays).

Mirrors jax/_src/lax/utils.py. A standard primitive is computed by one NumPy function; its abstract
eval is three rules (shape, dtype, weak type), which also check the operands, eagerly as under tracing,
with JAX's messages.
"""
import builtins
from functools import partial

import numpy as np

from jaxlite import core, dispatch, dtypes, errors
from jaxlite.array import ArrayImpl
from jaxlite.core import Primitive, ShapedArray, get_aval
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.numpy_codegen import NumpyCall


def standard_primitive(name, numpy_impl, shape_rule, dtype_rule, weak_type_rule=None, pp_params=None):
    """A primitive whose impl runs `numpy_impl` on NumPy values (dispatch.apply_primitive) and whose
    abstract eval is `standard_abstract_eval` of the three rules; jit's NumPy code calls numpy_impl
    (its "numpy" lowering). Its "xla" lowering is registered beside it."""
    prim = Primitive(name)
    prim.numpy_impl = numpy_impl
    prim.def_impl(partial(dispatch.apply_primitive, prim))
    prim.def_abstract_eval(partial(standard_abstract_eval, shape_rule, dtype_rule,
                                   weak_type_rule or all_weak))
    register_lowering(prim, NumpyCall(numpy_impl), "numpy")
    if pp_params is not None:
        core.pp_params_rules[prim] = pp_params
    return prim


def standard_abstract_eval(shape_rule, dtype_rule, weak_type_rule, *avals, **params):
    return ShapedArray(shape_rule(*avals, **params), dtype_rule(*avals, **params),
                       weak_type_rule(*avals, **params))


def all_weak(*avals, **params):
    """JAX's default: the result is weakly typed when every operand is (`2.0 * 3.0`)."""
    return all(a.weak_type for a in avals)


def never_weak(*avals, **params):
    return False



def same_dtype(*avals, **params):
    return avals[0].dtype



# ----------------------------------------------------------------------------------------------
# Shape and dtype rules shared by many primitives

def broadcasting_shape(*avals, **params):
    """Elementwise operands: equal ranks whose dims agree or are 1, or rank-0 scalars."""
    first = avals[0].shape
    for a in avals:
        if a.shape != first:
            break
    else:
        return first
    shapes = [a.shape for a in avals if a.shape]
    if not shapes:
        return ()
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes) or any(len({d for d in dims if d != 1}) > 1 for dims in zip(*shapes)):
        raise TypeError(errors.with_hint(
            f"{params.get('_name', 'op')} got incompatible shapes for broadcasting: "
            f"{', '.join(map(str, (a.shape for a in avals)))}.", BROADCAST_HINT))
    return tuple(next((d for d in dims if d != 1), 1) for dims in zip(*shapes))


BROADCAST_HINT = ("shapes broadcast when each trailing dimension is equal or 1: reshape an operand (x[:, None] "
                  "adds an axis) or slice it to the other's length.")


def named_broadcasting_shape(name):
    """The broadcasting shape rule of one primitive, whose errors name it as JAX's do."""
    return lambda *avals, **params: broadcasting_shape(*avals, _name=name, **params)


def all_same_dtype(avals, dtype):
    for a in avals:
        if a.dtype != dtype:
            return False
    return True


def check_dtypes(name, avals, kinds):
    """JAX's operand checks, in JAX's order: each operand's kind of dtype (named by position when
    there are several operands), then one dtype for all, with JAX's tip of the jnp function that
    promotes."""
    if kinds:
        for i, a in enumerate(avals):
            if dtypes.kind(a.dtype) not in kinds:
                at = f" at position {i}" if len(avals) > 1 else ""
                raise TypeError(errors.with_hint(
                    f"{name} does not accept dtype {a.dtype.name}{at}. Accepted dtypes{at} "
                    f"are subtypes of {_KIND_NAMES[kinds]}.", _kind_hint(name, a.dtype, kinds)))
    first = avals[0].dtype
    if not all_same_dtype(avals, first):
        tip = _JNP_EQUIVALENTS.get(name)
        tip = (f" (Tip: jnp.{tip} is a similar function that does automatic type promotion on "
               "inputs).") if tip else ""
        raise TypeError(errors.with_hint(
            f"lax.{name} requires arguments to have the same dtypes, got "
            f"{', '.join(a.dtype.name for a in avals)}.{tip}",
            "lax functions do not promote dtypes: cast an operand first, e.g. y.astype(x.dtype)"
            + (f", or call jnp.{_JNP_EQUIVALENTS[name]}, which promotes." if name in _JNP_EQUIVALENTS else ".")))


def _kind_hint(name, dtype, kinds):
    if isinstance(dtype, core.ExtendedDType):  # a typed PRNG key
        return ("a typed PRNG key is not a number: derive new keys with random.split or random.fold_in, "
                "and read its raw bits with random.key_data(key).")
    target = "jnp.float32" if "f" in kinds else "jnp.int32" if "i" in kinds else "jnp.bool_" if "b" in kinds else None
    return (f"{name} works on {_KIND_NAMES[kinds]} values: cast the operand first, e.g. x.astype({target})."
            if target else f"{name} works on {_KIND_NAMES[kinds]} values only.")


_KIND_NAMES = {"fc": "floating, complexfloating", "f": "floating", "iub": "integer, bool",
               "iu": "integer", "iufc": "integer, floating, complexfloating", "b": "bool",
               "iuf": "integer, floating", "iufb": "integer, floating, bool", "c": "complexfloating",
               "ifc": "floating, complexfloating, signedinteger",
               "iufcb": "integer, floating, complexfloating, bool",
               "iufcbV": "integer, floating, complexfloating, bool"}

# The jnp function JAX's message names for a lax primitive given mixed dtypes.
_JNP_EQUIVALENTS = {"add": "add", "sub": "subtract", "mul": "multiply", "div": "divide",
                    "max": "maximum", "min": "minimum", "eq": "equal", "ne": "not_equal",
                    "atan2": "arctan2", "nextafter": "nextafter", "pow": "float_power",
                    "select": "where", "shift_left": "left_shift",
                    "shift_right_logical": "right_shift", "shift_right_arithmetic": "right_shift",
                    "concatenate": "concatenate"}


def dtype_checked(name, kinds, result=None):
    def rule(*avals, **params):
        check_dtypes(name, avals, kinds)
        return result if result is not None else avals[0].dtype
    return rule


# ----------------------------------------------------------------------------------------------
# Converting operands

def to_array(x, like=None):
    """Operands of lax functions: arrays pass through; Python scalars become weak arrays of the
    other operand's dtype, as in JAX."""
    if isinstance(x, (ArrayImpl, core.Tracer)):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return ArrayImpl(np.asarray(x, dtypes.canonicalize_dtype(x.dtype)), False)
    if isinstance(x, (bool, int, float, builtins.complex)):
        if like is not None:
            if type(x) is int and like.dtype.kind in "iu":
                _check_int_fits(x, like.dtype)
            return ArrayImpl(np.asarray(x, like.dtype), True)
        dtype, weak = dtypes.dtype_and_weak(x)
        return ArrayImpl(np.asarray(x, dtype), weak)
    raise TypeError(errors.with_hint(f"Value {x!r} with type {type(x)} is not a valid JAX type",
        "lax functions take arrays and numbers: convert this value first (jnp.asarray)."))


def _check_int_fits(x, dtype):
    info = np.iinfo(dtype)
    if not info.min <= x <= info.max:
        raise OverflowError(errors.with_hint(
            f"Python int {x} too large to convert to {dtype.name}",
            f"{dtype.name} holds integers from {info.min} to {info.max}: cast the other operand to a wider "
            "dtype, or use a float."))


def binary_args(x, y):
    x_is_array = isinstance(x, (ArrayImpl, core.Tracer, np.ndarray, np.generic))
    y_is_array = isinstance(y, (ArrayImpl, core.Tracer, np.ndarray, np.generic))
    if x_is_array and not y_is_array:
        x = to_array(x)
        return x, to_array(y, get_aval(x))
    if y_is_array and not x_is_array:
        y = to_array(y)
        return to_array(x, get_aval(y)), y
    return to_array(x), to_array(y)
