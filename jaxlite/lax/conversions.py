"""Conversions and their rules: convert_element_type, bitcast_convert_type, reduce_precision, and
complex numbers (real, imag, complex, conj).

Mirrors part of jax/_src/lax/lax.py, where JAX keeps these with the other basic primitives (it has no
separate file for them).
"""
import warnings

import numpy as np

from jaxlite import core, dtypes, errors
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters.ad import Zero, deflinear2, defzero, is_undefined_primal
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to
from jaxlite.lax import lax
from jaxlite.lax.utils import (binary_args, broadcasting_shape, check_dtypes, dtype_checked, to_array,
                               never_weak, standard_primitive)

__all__ = ["bitcast_convert_type", "complex", "conj", "convert_element_type", "imag", "real",
           "reduce_precision",
           "bitcast_convert_type_p", "complex_p", "conj_p", "convert_element_type_p", "imag_p", "real_p",
           "reduce_precision_p"]


# ----------------------------------------------------------------------------------------------
# Types: convert_element_type and bitcast_convert_type

def convert_on_numpy(x, new_dtype, weak_type=False):
    """Casts as XLA does them: complex to real keeps the real part; float to integer rounds towards
    zero and saturates (NaN becomes 0, values beyond the range the nearest limit), where NumPy's
    cast would be undefined."""
    x, new_dtype = np.asarray(x), np.dtype(new_dtype)
    if x.dtype.kind == "c" and new_dtype.kind != "c":
        x = x.real
    if x.dtype.kind != "f" or new_dtype.kind not in "iu":
        return x.astype(new_dtype)
    info = np.iinfo(new_dtype)
    wide = x.astype(np.float64)  # holds every float16/32/64 value and both limits exactly
    with np.errstate(invalid="ignore", over="ignore"):
        out = x.astype(new_dtype)
    out = np.where(wide >= float(info.max), info.max, np.where(wide <= float(info.min), info.min, out))
    return np.where(np.isnan(wide), 0, out).astype(new_dtype)


def _convert_dtype_rule(a, new_dtype, weak_type):
    return new_dtype


convert_element_type_p = standard_primitive(
    "convert_element_type", convert_on_numpy, lambda a, **p: a.shape, _convert_dtype_rule,
    lambda a, new_dtype, weak_type: weak_type)


def _convert_jvp(primals, tangents, new_dtype, weak_type):
    x, = primals
    t, = tangents
    out = convert_element_type_p.bind(x, new_dtype=new_dtype, weak_type=weak_type)
    if dtypes.kind(new_dtype) not in "fc" or dtypes.kind(get_aval(x).dtype) not in "fc":
        return out, Zero.from_primal_value(out)
    return out, convert_element_type_p.bind(t, new_dtype=new_dtype, weak_type=weak_type)


def _convert_transpose(ct, x, new_dtype, weak_type):
    old = x.aval
    return [convert_element_type_p.bind(ct, new_dtype=old.dtype, weak_type=old.weak_type)]


ad.primitive_jvps[convert_element_type_p] = _convert_jvp
ad.primitive_transposes[convert_element_type_p] = _convert_transpose
batching.defvectorized(convert_element_type_p)


def _bitcast_impl(x, new_dtype):
    return np.asarray(x).view(new_dtype)


bitcast_convert_type_p = standard_primitive(
    "bitcast_convert_type", _bitcast_impl, lambda a, **p: a.shape, lambda a, new_dtype: new_dtype,
    never_weak)
batching.defvectorized(bitcast_convert_type_p)
defzero(bitcast_convert_type_p)


def convert_element_type(x, new_dtype, weak_type=False):
    return convert_element_type_unchecked(x, dtypes.check_user_dtype(new_dtype, "convert_element_type"), weak_type)


def convert_element_type_unchecked(x, new_dtype, weak_type=False, warn_on_complex_to_real_cast=True):
    """jnp.astype gives its own warning for complex to real, and asks for none here."""
    x = to_array(x)
    new_dtype = dtypes.canonicalize_dtype(new_dtype)
    aval = get_aval(x)
    if warn_on_complex_to_real_cast and aval.dtype.kind == "c" and new_dtype.kind != "c":
        warnings.warn("Casting complex values to real discards the imaginary part",
                      np.exceptions.ComplexWarning, stacklevel=errors.user_stacklevel())
    if aval.dtype == new_dtype and aval.weak_type == weak_type and not (
            isinstance(x, core.Tracer) and x.to_concrete_value() is not None):
        # As in JAX: a no-op conversion is skipped, except on a tracer with a concrete value.
        return x
    if type(x) is ArrayImpl and x.weak_type:
        # A Python scalar is converted right away, never staged: `x * 2.0` stays `mul x 2.0:f32[]`.
        return ArrayImpl(convert_on_numpy(x._value, new_dtype), bool(weak_type))
    return convert_element_type_p.bind(x, new_dtype=new_dtype, weak_type=bool(weak_type))


def bitcast_convert_type(x, new_dtype):
    return bitcast_convert_type_p.bind(to_array(x), new_dtype=np.dtype(new_dtype))


def _convert_element_type_on_xla(ctx, x, new_dtype, weak_type=False, **params):
    """A complex-to-real conversion keeps the real part (quietly, as jaxlite's own does)."""
    if ctx.jax.numpy.iscomplexobj(x) and np.dtype(new_dtype).kind != "c":
        x = ctx.lax.real(x)
    return ctx.lax.convert_element_type(x, new_dtype)


register_lowering(convert_element_type_p, _convert_element_type_on_xla, "xla")
register_lowering(bitcast_convert_type_p, lowers_to(lambda lax: lax.bitcast_convert_type), "xla")


# ----------------------------------------------------------------------------------------------
# Complex numbers: real, imag, complex and conj. All four are linear (over the reals), so each
# is its own jvp; no transpose conjugates, which gives JAX's convention for grad of a real-valued
# f at z = x + iy: df/dx - i df/dy, the conjugate of the direction of steepest ascent
# (grad of |z|**2 is 2 conj(z)).

def _real_dtype(dtype):
    return np.dtype(np.finfo(dtype).dtype)  # complex64 -> float32, complex128 -> float64


def _complex_dtype(dtype):
    return np.result_type(dtype, np.complex64)  # float32 -> complex64, float64 -> complex128


_COMPLEX_PARTS = (np.dtype(np.float32), np.dtype(np.float64))  # what lax.complex and lax.conj take


def _complex_part_dtype(name):
    def rule(a, **params):
        check_dtypes(name, [a], "c")
        return _real_dtype(a.dtype)
    return rule


def _check_complex_parts(name, avals, accept_complex=False):
    for i, a in enumerate(avals):
        if a.dtype not in _COMPLEX_PARTS and not (accept_complex and a.dtype.kind == "c"):
            at = f" at position {i}" if len(avals) > 1 else ""
            accepted = "float32, complexfloating, float64" if accept_complex else "float32, float64"
            raise TypeError(errors.with_hint(f"{name} does not accept dtype {a.dtype.name}{at}. Accepted dtypes{at} "
                            f"are subtypes of {accepted}.",
                "cast the operand to an accepted dtype first, e.g. x.astype(jnp.float32)."))
    check_dtypes(name, avals, None)


def _complex_dtype_rule(x, y, **params):
    _check_complex_parts("complex", [x, y])
    return _complex_dtype(x.dtype)


def _conj_dtype_rule(a, input_dtype):
    _check_complex_parts("conj", [a], accept_complex=True)
    return _complex_dtype(a.dtype)


def _complex_impl(x, y):
    """Real and imaginary parts written separately: `x + 1j * y` would turn y = inf into nan + inf j."""
    x, y = np.asarray(x), np.asarray(y)
    out = np.empty(np.broadcast_shapes(x.shape, y.shape), _complex_dtype(x.dtype))
    out.real, out.imag = x, y
    return out


def _conj_impl(x, input_dtype):
    return np.conj(x) if x.dtype.kind == "c" else np.asarray(x).astype(_complex_dtype(x.dtype))


# np.real and np.imag give a Python float for a Python complex (they are no ufuncs): take arrays.
real_p = standard_primitive("real", lambda x: np.real(np.asarray(x)), broadcasting_shape,
                            _complex_part_dtype("real"))
imag_p = standard_primitive("imag", lambda x: np.imag(np.asarray(x)), broadcasting_shape,
                            _complex_part_dtype("imag"))
complex_p = standard_primitive("complex", _complex_impl, broadcasting_shape, _complex_dtype_rule)
numpy_codegen.broadcasts_like_numpy.add(complex_p)
conj_p = standard_primitive("conj", _conj_impl, broadcasting_shape, _conj_dtype_rule)


def _strong_zero(x):
    """A rank-0 zero of x's dtype that is not weakly typed (JAX writes np.zeros((), dtype))."""
    return ArrayImpl(np.zeros((), get_aval(x).dtype), False)


def _complex_transpose(ct, x, y):
    return [lax.unbroadcast(x.aval, real(ct)) if is_undefined_primal(x) else None,
            lax.unbroadcast(y.aval, imag(lax.neg(ct))) if is_undefined_primal(y) else None]


def _conj_transpose(ct, x, input_dtype):
    return [conj(ct) if np.dtype(input_dtype).kind == "c" else real(ct)]


deflinear2(real_p, lambda ct, x: [complex(ct, _strong_zero(ct))])
deflinear2(imag_p, lambda ct, x: [complex(_strong_zero(ct), lax.neg(ct))])
deflinear2(complex_p, _complex_transpose)
deflinear2(conj_p, _conj_transpose)
batching.defvectorized(real_p)
batching.defvectorized(imag_p)
batching.defvectorized(conj_p)
batching.defbroadcasting(complex_p)


def real(x):
    return real_p.bind(to_array(x))


def imag(x):
    return imag_p.bind(to_array(x))


def complex(x, y):
    x, y = binary_args(x, y)
    return complex_p.bind(x, y)


def conj(x):
    x = to_array(x)
    return conj_p.bind(x, input_dtype=get_aval(x).dtype)


for _prim, _rule in [
    (real_p, lowers_to(lambda lax: lax.real)),
    (imag_p, lowers_to(lambda lax: lax.imag)),
    (complex_p, lowers_to(lambda lax: lax.complex)),
    (conj_p, lowers_to(lambda lax: lax.conj)),
]:
    register_lowering(_prim, _rule, "xla")


# ----------------------------------------------------------------------------------------------
# reduce_precision: round to a narrower float format (XLA's ReducePrecision), keeping the dtype.
# jax.checkpoint puts it on saved values, so that the forward and the recomputing backward pass
# see the same rounding.

_UINT_OF_SIZE = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def _reduce_precision_impl(x, exponent_bits, mantissa_bits):
    info = np.finfo(x.dtype)
    if exponent_bits >= info.nexp and mantissa_bits >= info.nmant:
        return x
    uint = _UINT_OF_SIZE[x.dtype.itemsize]
    bits = np.asarray(x).view(uint)
    if mantissa_bits < info.nmant:  # round the dropped mantissa bits to nearest, ties to even
        shift, one = uint(info.nmant - mantissa_bits), uint(1)
        ties_to_even = ((one << (shift - one)) - one) + ((bits >> shift) & one)
        with np.errstate(over="ignore"):
            rounded = (bits + ties_to_even) & ~((one << shift) - one)
        bits = np.where(np.isnan(x), bits, rounded)
    y = bits.view(x.dtype)
    if exponent_bits < info.nexp:  # too large: infinity; below the smallest normal: zero
        max_exp = 2 ** (exponent_bits - 1) - 1
        largest = (2 - 2.0 ** -mantissa_bits) * 2.0 ** max_exp
        y = np.where(np.abs(y) > largest, np.copysign(np.inf, y), y)
        y = np.where(np.abs(y) < 2.0 ** (1 - max_exp), np.copysign(0, y), y)
    return y.astype(x.dtype)


reduce_precision_p = standard_primitive(
    "reduce_precision", _reduce_precision_impl, lambda a, **_: a.shape,
    dtype_checked("reduce_precision", "f"))
deflinear2(reduce_precision_p, lambda ct, x, **params: [reduce_precision_p.bind(ct, **params)])
batching.defvectorized(reduce_precision_p)


def reduce_precision(operand, exponent_bits, mantissa_bits):
    return reduce_precision_p.bind(to_array(operand), exponent_bits=int(exponent_bits),
                                   mantissa_bits=int(mantissa_bits))


register_lowering(reduce_precision_p, lowers_to(lambda lax: lax.reduce_precision), "xla")
