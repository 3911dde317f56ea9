"""Elementwise functions of jaxlite.numpy, each a thin layer of promotion over a lax primitive.

Mirrors jax/_src/numpy/ufuncs.py.
"""
import operator

import numpy as np

from jaxlite import dtypes, lax
from jaxlite.array import ArrayImpl
from jaxlite.custom_derivatives import custom_jvp
from jaxlite.core import Tracer, get_aval
from jaxlite.errors import with_hint
from jaxlite.numpy.util import (asarray_arg, check_arraylike, check_for_prngkeys, check_int_arguments, constant_like,
                                promote_args, promote_args_inexact, promote_args_numeric, promote_dtypes,
                                promote_dtypes_inexact, promote_dtypes_numeric, strong_constant_like)


def _dtype(x):
    return get_aval(x).dtype


def _where(condition, x, y):
    """jnp.where: like lax.select, but the operands may differ in shape (they broadcast)."""
    from jaxlite.numpy.lax_numpy import where
    return where(condition, x, y)


_F32 = np.dtype(np.float32)


def _operand_aval(x):
    """The aval of an array or tracer; None for what must be converted first (scalars, lists)."""
    if type(x) is ArrayImpl or isinstance(x, Tracer):
        return x.aval
    return None


def _binary(name, lax_fn, promote=promote_args, primitive=None, kinds=None):
    """`primitive` is bound directly when promotion has nothing to do (operands of one dtype,
    weak type and shape, or an array with a Python float, and of `kinds`): the common case."""
    primitive = primitive or getattr(lax_fn, "primitive", None)
    kinds = (kinds or {promote_args: "iufc", promote_args_inexact: "fc"}.get(promote)) if primitive else None

    def fn(x1, x2, /):
        if kinds:
            if type(x1) is ArrayImpl and type(x2) is ArrayImpl:  # eager: no aval objects needed
                v1, v2 = x1._value, x2._value
                if (v1.dtype is v2.dtype and x1.weak_type is x2.weak_type and v1.shape == v2.shape
                        and v1.dtype.kind in kinds):
                    return primitive.bind(x1, x2)
            a1, a2 = _operand_aval(x1), _operand_aval(x2)
            if a1 is not None and a2 is not None:
                if (a1 is a2 or (a1.dtype == a2.dtype and a1.weak_type == a2.weak_type
                                 and a1.shape == a2.shape)) and a1.dtype.kind in kinds:
                    return primitive.bind(x1, x2)
            elif a1 is not None and type(x2) is float and a1.dtype == _F32:
                return primitive.bind(x1, ArrayImpl(np.asarray(x2, _F32), a1.weak_type))
            elif a2 is not None and type(x1) is float and a2.dtype == _F32:
                return primitive.bind(ArrayImpl(np.asarray(x1, _F32), a2.weak_type), x2)
        check_arraylike(name, x1, x2)
        check_for_prngkeys(name, x1, x2)
        check_int_arguments(("x", x1), ("y", x2))
        return lax_fn(*promote(x1, x2))
    fn.__name__ = fn.__qualname__ = name
    return fn


_UNCHANGED_KINDS = {promote_dtypes_inexact: "fc", promote_dtypes: "biufc", promote_dtypes_numeric: "iufc"}


def _unary(name, lax_fn, promote=promote_dtypes_inexact):
    kinds, primitive = _UNCHANGED_KINDS[promote], lax_fn.primitive

    def fn(x, /):
        aval = _operand_aval(x)
        if aval is not None and aval.dtype.kind in kinds:  # nothing to promote
            return primitive.bind(x)
        check_arraylike(name, x)
        check_int_arguments(("x", x))
        return lax_fn(*promote(x))
    fn.__name__ = fn.__qualname__ = name
    return fn


def _add(x, y):
    return lax.bitwise_or(x, y) if _dtype(x) == np.bool_ else lax.add(x, y)


def _multiply(x, y):
    return lax.bitwise_and(x, y) if _dtype(x) == np.bool_ else lax.mul(x, y)


add = _binary("add", _add, primitive=lax.add_p)
subtract = _binary("subtract", lax.sub)
multiply = _binary("multiply", _multiply, primitive=lax.mul_p)
true_divide = divide = _binary("true_divide", lax.div, promote_args_inexact)
maximum = _binary("maximum", lax.max)
minimum = _binary("minimum", lax.min)
arctan2 = _binary("arctan2", lax.atan2, promote_args_inexact)
nextafter = _binary("nextafter", lax.nextafter, promote_args_inexact)
equal = _binary("equal", lax.eq)
not_equal = _binary("not_equal", lax.ne)


def _complex_comparison(lax_fn):
    """Complex numbers are ordered as JAX orders them: by real part, then by imaginary part."""
    def compare(x, y):
        if _dtype(x).kind != "c":
            return lax_fn(x, y)
        return lax.select(lax.eq(lax.real(x), lax.real(y)), lax_fn(lax.imag(x), lax.imag(y)),
                          lax_fn(lax.real(x), lax.real(y)))
    return compare


less = _binary("less", _complex_comparison(lax.lt), primitive=lax.lt_p, kinds="iuf")
less_equal = _binary("less_equal", _complex_comparison(lax.le), primitive=lax.le_p, kinds="iuf")
greater = _binary("greater", _complex_comparison(lax.gt), primitive=lax.gt_p, kinds="iuf")
greater_equal = _binary("greater_equal", _complex_comparison(lax.ge), primitive=lax.ge_p, kinds="iuf")
bitwise_and = _binary("bitwise_and", lax.bitwise_and)
bitwise_or = _binary("bitwise_or", lax.bitwise_or)
bitwise_xor = _binary("bitwise_xor", lax.bitwise_xor)
left_shift = _binary("left_shift", lax.shift_left)
right_shift = _binary("right_shift", lax.shift_right_arithmetic)


def _to_bool(x):
    return x if _dtype(x) == np.bool_ else lax.ne(x, constant_like(x, 0))


def _logical(name, lax_fn):
    def fn(x1, x2, /):
        check_for_prngkeys(name, x1, x2)
        return lax_fn(*[_to_bool(a) for a in promote_args(x1, x2)])
    fn.__name__ = fn.__qualname__ = name
    return fn


logical_and = _logical("logical_and", lax.bitwise_and)
logical_or = _logical("logical_or", lax.bitwise_or)
logical_xor = _logical("logical_xor", lax.bitwise_xor)


def logical_not(x, /):
    return lax.bitwise_not(_to_bool(asarray_arg(x)))


def invert(x, /):
    return lax.bitwise_not(asarray_arg(x))


bitwise_not = invert

exp = _unary("exp", lax.exp)
exp2 = _unary("exp2", lax.exp2)
log = _unary("log", lax.log)
log1p = _unary("log1p", lax.log1p)
expm1 = _unary("expm1", lax.expm1)
sin = _unary("sin", lax.sin)
cos = _unary("cos", lax.cos)
tan = _unary("tan", lax.tan)
arcsin = _unary("arcsin", lax.asin)
arccos = _unary("arccos", lax.acos)
arctan = _unary("arctan", lax.atan)
sinh = _unary("sinh", lax.sinh)
cosh = _unary("cosh", lax.cosh)
tanh = _unary("tanh", lax.tanh)
arcsinh = _unary("arcsinh", lax.asinh)
arccosh = _unary("arccosh", lax.acosh)
arctanh = _unary("arctanh", lax.atanh)
sqrt = _unary("sqrt", lax.sqrt)
cbrt = _unary("cbrt", lax.cbrt)
negative = _unary("negative", lax.neg, promote_dtypes)
sign = _unary("sign", lax.sign, promote_dtypes)
square = _unary("square", lax.square, promote_dtypes_numeric)


def log2(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.div(lax.log(x), lax.log(strong_constant_like(x, 2)))


def log10(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.mul(lax.log(x), strong_constant_like(x, 1 / np.log(10)))


def positive(x, /):
    return asarray_arg(x)


def floor(x, /):
    x = asarray_arg(x)
    return x if _dtype(x).kind in "iub" else lax.floor(x)


def ceil(x, /):
    x = asarray_arg(x)
    return x if _dtype(x).kind in "iub" else lax.ceil(x)


def absolute(x, /):
    x = asarray_arg(x)
    return x if _dtype(x).kind in "ub" else lax.abs(x)


abs = absolute


def reciprocal(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.integer_pow(x, -1)


def floor_divide(x1, x2, /):
    """Rounds towards minus infinity, exactly as NumPy does (so `1.0 // 0.1` is 9.0, not 10.0)."""
    x1, x2 = promote_args_numeric(x1, x2)
    if _dtype(x1) == np.bool_:
        raise TypeError(with_hint("floor_divide does not support bool inputs.",
            "cast booleans to integers first, e.g. x.astype(jnp.int32)."))
    if _dtype(x1).kind == "c":
        raise TypeError(with_hint("floor_divide does not support complex-valued inputs",
            "floor division needs real numbers: divide the real parts, or use x / y."))
    if _dtype(x1).kind in "iu":
        quotient = lax.div(x1, x2)
        if _dtype(x1).kind == "u":
            return quotient
        wrong_way = lax.bitwise_and(lax.ne(lax.sign(x1), lax.sign(x2)),
                                    lax.ne(lax.rem(x1, x2), constant_like(x1, 0)))
        return lax.select(wrong_way, lax.sub(quotient, constant_like(quotient, 1)), quotient)
    return _float_floor_divide(x1, x2)


def _float_floor_divide(x1, x2):
    mod = lax.rem(x1, x2)
    exact = _where(lax.eq(x2, constant_like(x2, 0)), x1, lax.sub(x1, mod))
    div = lax.div(exact, x2)
    needs_fix = lax.bitwise_and(lax.ne(mod, constant_like(mod, 0)),
                                lax.ne(lax.sign(x2), lax.sign(mod)))
    div = lax.select(needs_fix, lax.sub(div, constant_like(div, 1)), div)
    return lax.round(div, 0)


def remainder(x1, x2, /):
    """The remainder with the sign of the divisor, as NumPy's `%`."""
    x1, x2 = promote_args_numeric(x1, x2)
    if _dtype(x1).kind in "iu":
        x2 = lax.select(lax.eq(x2, constant_like(x2, 0)), lax.full_like(x2, 1), x2)
    trunc_mod = lax.rem(x1, x2)
    zero = constant_like(trunc_mod, 0)
    nonzero = lax.ne(trunc_mod, zero)
    wrong_sign = lax.ne(lax.lt(trunc_mod, zero), lax.lt(x2, zero))
    do_plus = lax.bitwise_and(wrong_sign, nonzero)
    return lax.select(do_plus, lax.add(trunc_mod, x2), trunc_mod)


mod = remainder


def fmod(x1, x2, /):
    return lax.rem(*promote_args_numeric(x1, x2))


def divmod(x1, x2, /):
    return floor_divide(x1, x2), remainder(x1, x2)


def power(x1, x2, /):
    """Integer exponents known at trace time (Python ints, concrete integer scalars) become
    integer_pow, as in JAX."""
    exponent = _concrete_integer(x2)
    if exponent is not None:
        x1, = promote_dtypes_numeric(x1)
        return lax.integer_pow(x1, exponent)
    x1, x2 = promote_args_numeric(x1, x2)
    if _dtype(x1).kind in "iu":
        return _integer_power(x1, x2)
    return lax.pow(x1, x2)


def _concrete_integer(x):
    if isinstance(x, Tracer) and x.to_concrete_value() is None:
        return None
    try:
        return operator.index(x)
    except TypeError:
        return None


def _integer_power(x, y):
    """x ** y for integer arrays by repeated squaring over the bits of y (0 for negative y)."""
    acc = lax.full_like(x, 1)
    base = x
    for _ in range(8 * _dtype(y).itemsize):
        bit = lax.ne(lax.bitwise_and(y, constant_like(y, 1)), constant_like(y, 0))
        acc = lax.select(bit, lax.mul(acc, base), acc)
        base = lax.mul(base, base)
        y = lax.shift_right_logical(y, constant_like(y, 1))
    return acc


def float_power(x1, x2, /):
    x1, x2 = promote_args_inexact(x1, x2)
    return lax.pow(x1, x2)


def logaddexp(x1, x2, /):
    """log(exp(x1) + exp(x2)) without overflow: the larger operand plus log1p of a small term."""
    return _logaddexp(*promote_args_inexact(x1, x2))


def _logaddexp_of_promoted(x1, x2):
    amax = lax.max(x1, x2)
    if _dtype(x1).kind == "c":
        # The larger operand (lexicographically) factored out; the phase wrapped into (-pi, pi].
        delta = lax.sub(lax.add(x1, x2), lax.mul(amax, constant_like(amax, 2)))
        out = lax.add(amax, lax.log1p(lax.exp(delta)))
        return lax.complex(lax.real(out), _wrap_between(lax.imag(out), np.pi))
    delta = lax.sub(x1, x2)
    return lax.select(lax.ne(delta, delta), lax.add(x1, x2),
                      lax.add(amax, lax.log1p(lax.exp(lax.neg(lax.abs(delta))))))


# Staged as `custom_jvp_call[name=logaddexp ...]`, the name JAX's equation carries.
_logaddexp_of_promoted.__name__ = "logaddexp"
_logaddexp = custom_jvp(_logaddexp_of_promoted)


@_logaddexp.defjvp
def _logaddexp_jvp(primals, tangents):
    """d/dx1 = exp(x1 - out): a softmax weight; +inf inputs are replaced by 0 so that
    logaddexp(inf, inf) gets weights exp(0 - 0) = 1 rather than NaN."""
    x1, x2 = primals
    t1, t2 = tangents
    out = _logaddexp(x1, x2)
    weight1 = lax.exp(lax.sub(_replace_inf(x1), _replace_inf(out)))
    weight2 = lax.exp(lax.sub(_replace_inf(x2), _replace_inf(out)))
    return out, lax.add(lax.mul(t1, weight1), lax.mul(t2, weight2))


def _replace_inf(x):
    re = lax.real(x) if _dtype(x).kind == "c" else x
    return lax.select(lax.eq(re, constant_like(re, np.inf)), lax.full_like(x, 0), x)


def _wrap_between(x, a):
    """x moved by a multiple of 2a into [-a, a)."""
    two_a = constant_like(x, 2 * a)
    rem = lax.rem(lax.add(x, constant_like(x, a)), two_a)
    rem = lax.select(lax.lt(rem, constant_like(rem, 0)), lax.add(rem, two_a), rem)
    return lax.sub(rem, constant_like(x, a))


def logaddexp2(x1, x2, /):
    x1, x2 = promote_args_inexact(x1, x2)
    ln2 = constant_like(x1, np.log(2))
    if _dtype(x1).kind == "c":
        amax = lax.max(x1, x2)
        delta = lax.sub(lax.add(x1, x2), lax.mul(amax, constant_like(amax, 2)))
        out = lax.add(amax, lax.div(lax.log1p(lax.exp2(delta)), ln2))
        return lax.complex(lax.real(out), _wrap_between(lax.imag(out), np.pi / np.log(2)))
    return lax.div(logaddexp(lax.mul(x1, ln2), lax.mul(x2, ln2)), ln2)


def isfinite(x, /):
    x = asarray_arg(x)
    if _dtype(x).kind in "iub":
        return lax.full(get_aval(x).shape, True, np.bool_)
    if _dtype(x).kind == "c":
        return lax.bitwise_and(lax.is_finite(lax.real(x)), lax.is_finite(lax.imag(x)))
    return lax.is_finite(x)


def isnan(x, /):
    x = asarray_arg(x)
    return lax.ne(x, x)


def isinf(x, /):
    x = asarray_arg(x)
    if _dtype(x).kind in "iub":
        return lax.full(get_aval(x).shape, False, np.bool_)
    if _dtype(x).kind == "c":
        re, im = lax.real(x), lax.imag(x)
        return lax.bitwise_or(isinf(re), isinf(im))
    return lax.eq(lax.abs(x), constant_like(x, np.inf))


def _refuse_complex_infinity(x):
    if _dtype(x).kind == "c":
        raise ValueError(with_hint("isposinf/isneginf are not well defined for complex types",
            "test the real part (z.real) instead: complex numbers have no sign."))


def isposinf(x, /):
    x = asarray_arg(x)
    _refuse_complex_infinity(x)
    if _dtype(x).kind in "iub":
        return lax.full(get_aval(x).shape, False, np.bool_)
    return lax.eq(x, constant_like(x, np.inf))


def isneginf(x, /):
    x = asarray_arg(x)
    _refuse_complex_infinity(x)
    if _dtype(x).kind in "iub":
        return lax.full(get_aval(x).shape, False, np.bool_)
    return lax.eq(x, constant_like(x, -np.inf))


def signbit(x, /):
    """The sign bit itself, so that -0.0 counts as negative (JAX reads the bits too)."""
    x = asarray_arg(x)
    dtype = _dtype(x)
    if dtype.kind == "c":
        raise ValueError(with_hint(f"jax.numpy.signbit is not well defined for {dtype.name}",
            "signbit reads the sign of real numbers: test z.real for a complex z."))
    if dtype.kind in "iu":
        return lax.lt(x, constant_like(x, 0))
    if dtype == np.bool_:
        return lax.full(get_aval(x).shape, False, np.bool_)
    int_type = np.dtype(f"int{8 * dtype.itemsize}")
    bits = lax.bitcast_convert_type(x, int_type)
    return lax.convert_element_type(
        lax.shift_right_arithmetic(bits, constant_like(bits, 8 * dtype.itemsize - 1)), np.bool_)


def copysign(x1, x2, /):
    x1, x2 = promote_args_inexact(x1, x2)
    if _dtype(x1).kind == "c":
        raise TypeError(with_hint("copysign does not support complex-valued inputs",
            "copysign needs real numbers: apply it to the real part (z.real)."))
    return _where(signbit(x2), lax.neg(lax.abs(x1)), lax.abs(x1))


def rint(x, /):
    x = asarray_arg(x)
    if _dtype(x).kind in "iub":
        return lax.convert_element_type(x, dtypes.default_float_dtype())
    if _dtype(x).kind == "c":
        return lax.complex(rint(lax.real(x)), rint(lax.imag(x)))
    return lax.round(x, 1)


def round(a, decimals=0, out=None):
    """Halves round to even, as NumPy does (lax.round's rounding_method=1)."""
    a = asarray_arg(a)
    if _dtype(a).kind in "iub":
        return a
    if _dtype(a).kind == "c":  # each part on its own
        return lax.complex(round(lax.real(a), decimals), round(lax.imag(a), decimals))
    if decimals == 0:
        return lax.round(a, 1)
    factor = constant_like(a, 10.0 ** decimals)
    return lax.div(lax.round(lax.mul(a, factor), 1), factor)


around = round


def trunc(x, /):
    x = asarray_arg(x)
    if _dtype(x).kind in "iub":
        return x
    return lax.select(lax.lt(x, constant_like(x, 0)), lax.ceil(x), lax.floor(x))


fix = trunc


def deg2rad(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.mul(x, constant_like(x, np.pi / 180))


radians = deg2rad


def rad2deg(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.mul(x, constant_like(x, 180 / np.pi))


degrees = rad2deg


def hypot(x1, x2, /):
    """sqrt(x1**2 + x2**2) scaled by the larger magnitude so that neither square overflows."""
    x1, x2 = promote_args_inexact(x1, x2)
    if _dtype(x1).kind == "c":
        raise ValueError(with_hint("jnp.hypot is not well defined for complex-valued inputs. Please convert to "
                         "real values first, such as by using abs(x)",
            "use jnp.abs(z) for the magnitude of a complex z, or apply hypot to real values."))
    a, b = lax.abs(x1), lax.abs(x2)
    big, small = lax.max(a, b), lax.min(a, b)
    is_zero = lax.eq(big, constant_like(big, 0))
    ratio = lax.div(small, lax.select(is_zero, lax.full_like(big, 1), big))
    scaled = lax.mul(big, lax.sqrt(lax.add(constant_like(ratio, 1), lax.square(ratio))))
    out = lax.select(is_zero, big, scaled)
    infinite = lax.bitwise_or(lax.eq(a, constant_like(a, np.inf)), lax.eq(b, constant_like(b, np.inf)))
    return lax.select(infinite, lax.full_like(out, np.inf), out)


def heaviside(x1, x2, /):
    x1, x2 = promote_args_inexact(x1, x2)
    zero = constant_like(x1, 0)
    return _where(lax.lt(x1, zero), lax.full_like(x1, 0), _where(lax.gt(x1, zero), lax.full_like(x1, 1), x2))


def sinc(x, /):
    x, = promote_dtypes_inexact(x)
    is_zero = lax.eq(x, constant_like(x, 0))
    safe = lax.mul(lax.select(is_zero, lax.full_like(x, 1), x), constant_like(x, np.pi))
    return lax.select(is_zero, lax.full_like(x, 1), lax.div(lax.sin(safe), safe))


def conjugate(x, /):
    x = asarray_arg(x)
    return lax.conj(x) if _dtype(x).kind == "c" else x


conj = conjugate


def real(x, /):
    x = asarray_arg(x)
    return lax.real(x) if _dtype(x).kind == "c" else x


def imag(x, /):
    x = asarray_arg(x)
    return lax.imag(x) if _dtype(x).kind == "c" else lax.full_like(x, 0)
