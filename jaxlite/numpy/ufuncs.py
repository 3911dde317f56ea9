"""Elementwise functions of jaxlite.numpy, each a thin layer of promotion over a lax primitive.

Mirrors jax/_src/numpy/ufuncs.py.
"""
import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite.numpy.util import (asarray_arg, promote_args, promote_args_inexact,
                                promote_args_numeric, promote_dtypes_inexact)


def _binary(name, lax_fn, promote=promote_args):
    def fn(x1, x2, /):
        return lax_fn(*promote(x1, x2))
    fn.__name__ = fn.__qualname__ = name
    return fn


def _unary(name, lax_fn, promote=promote_dtypes_inexact):
    def fn(x, /):
        return lax_fn(*promote(x))
    fn.__name__ = fn.__qualname__ = name
    return fn


add = _binary("add", lambda x, y: lax.bitwise_or(x, y) if get_aval(x).dtype == np.bool_ else lax.add(x, y))
subtract = _binary("subtract", lax.sub, promote_args_numeric)
multiply = _binary("multiply", lambda x, y: lax.bitwise_and(x, y) if get_aval(x).dtype == np.bool_ else lax.mul(x, y))
true_divide = divide = _binary("true_divide", lax.div, promote_args_inexact)
maximum = _binary("maximum", lax.max)
minimum = _binary("minimum", lax.min)
arctan2 = _binary("arctan2", lax.atan2, promote_args_inexact)
nextafter = _binary("nextafter", lax.nextafter, promote_args_inexact)
equal = _binary("equal", lax.eq)
not_equal = _binary("not_equal", lax.ne)
less = _binary("less", lax.lt)
less_equal = _binary("less_equal", lax.le)
greater = _binary("greater", lax.gt)
greater_equal = _binary("greater_equal", lax.ge)
bitwise_and = logical_and_bits = _binary("bitwise_and", lax.bitwise_and)
bitwise_or = _binary("bitwise_or", lax.bitwise_or)
bitwise_xor = _binary("bitwise_xor", lax.bitwise_xor)
left_shift = _binary("left_shift", lax.shift_left)
right_shift = _binary("right_shift", lax.shift_right_arithmetic)


def logical_and(x1, x2, /):
    return lax.bitwise_and(*promote_args(_to_bool(x1), _to_bool(x2)))


def logical_or(x1, x2, /):
    return lax.bitwise_or(*promote_args(_to_bool(x1), _to_bool(x2)))


def logical_xor(x1, x2, /):
    return lax.bitwise_xor(*promote_args(_to_bool(x1), _to_bool(x2)))


def logical_not(x, /):
    return lax.bitwise_not(_to_bool(x))


def _to_bool(x):
    x = asarray_arg(x)
    return x if get_aval(x).dtype == np.bool_ else lax.ne(x, 0)


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


def log2(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.div(lax.log(x), lax.log(lax._const(x, 2)))


def log10(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.div(lax.log(x), lax.log(lax._const(x, 10)))


def negative(x, /):
    x = asarray_arg(x)
    return lax.neg(x)


def positive(x, /):
    return asarray_arg(x)


def sign(x, /):
    return lax.sign(asarray_arg(x))


def floor(x, /):
    x = asarray_arg(x)
    return x if get_aval(x).dtype.kind in "iub" else lax.floor(x)


def ceil(x, /):
    x = asarray_arg(x)
    return x if get_aval(x).dtype.kind in "iub" else lax.ceil(x)


def absolute(x, /):
    x = asarray_arg(x)
    dtype = get_aval(x).dtype
    return x if dtype.kind in "ub" else lax.abs(x)


abs = absolute


def square(x, /):
    x, = promote_args_numeric(x)
    return lax.integer_pow(x, 2)


def reciprocal(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.integer_pow(x, -1)


def floor_divide(x1, x2, /):
    x1, x2 = promote_args_numeric(x1, x2)
    if get_aval(x1).dtype.kind in "iu":
        quotient = lax.div(x1, x2)
        select = lax.bitwise_and(lax.ne(lax.sign(x1), lax.sign(x2)), lax.ne(lax.rem(x1, x2), 0))
        return lax.select(select, lax.sub(quotient, lax._const(quotient, 1)), quotient)
    return lax.floor(lax.div(x1, x2))


def remainder(x1, x2, /):
    x1, x2 = promote_args_numeric(x1, x2)
    trunc_mod = lax.rem(x1, x2)
    zero = lax._const(trunc_mod, 0)
    do_plus = lax.bitwise_and(lax.ne(lax.lt(trunc_mod, zero), lax.lt(x2, zero)), lax.ne(trunc_mod, zero))
    return lax.select(do_plus, lax.add(trunc_mod, x2), trunc_mod)


mod = remainder


def fmod(x1, x2, /):
    return lax.rem(*promote_args_numeric(x1, x2))


def power(x1, x2, /):
    """Integer exponents known at trace time become integer_pow, as in JAX."""
    if isinstance(x2, int) and not isinstance(x2, bool):
        x1 = asarray_arg(x1)
        if get_aval(x1).dtype == np.bool_:
            x1, = promote_args_numeric(x1)
        return lax.integer_pow(x1, x2)
    x1, x2 = promote_args(x1, x2)
    dtype = get_aval(x1).dtype
    if dtype.kind in "iu":
        return _integer_power(x1, x2)
    return lax.pow(x1, x2)


def _integer_power(x, y):
    """x ** y for integer arrays by repeated squaring over the bits of y."""
    acc = lax.full_like(x, 1)
    base = x
    for _ in range(8 * get_aval(y).dtype.itemsize):
        bit = lax.ne(lax.bitwise_and(y, lax._const(y, 1)), lax._const(y, 0))
        acc = lax.select(bit, lax.mul(acc, base), acc)
        base = lax.mul(base, base)
        y = lax.shift_right_logical(y, lax._const(y, 1))
    return acc


def float_power(x1, x2, /):
    return power(*promote_args_inexact(x1, x2))


def logaddexp(x1, x2, /):
    x1, x2 = promote_args_inexact(x1, x2)
    amax = lax.max(x1, x2)
    delta = lax.sub(x1, x2)
    return lax.select(lax.ne(delta, delta), lax.add(x1, x2),
                      lax.add(amax, lax.log1p(lax.exp(lax.neg(lax.abs(delta))))))


def isfinite(x, /):
    x = asarray_arg(x)
    dtype = get_aval(x).dtype
    if dtype.kind in "iub":
        return lax.full_like(x, True, dtype=np.bool_)
    return lax.is_finite(x)


def isnan(x, /):
    x = asarray_arg(x)
    return lax.ne(x, x)


def isinf(x, /):
    x = asarray_arg(x)
    if get_aval(x).dtype.kind in "iub":
        return lax.full_like(x, False, dtype=np.bool_)
    return lax.eq(lax.abs(x), lax._const(x, np.inf))


def signbit(x, /):
    x = asarray_arg(x)
    return lax.lt(x, lax._const(x, 0))


def rint(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.round(x, 1)


def round(a, decimals=0):
    a = asarray_arg(a)
    if get_aval(a).dtype.kind in "iub":
        return a
    if decimals == 0:
        return lax.round(a, 1)
    factor = lax._const(a, 10.0 ** decimals)
    return lax.div(lax.round(lax.mul(a, factor), 1), factor)


around = round


def trunc(x, /):
    x = asarray_arg(x)
    return lax.select(lax.lt(x, lax._const(x, 0)), lax.ceil(x), lax.floor(x))


fix = trunc


def deg2rad(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.mul(x, lax._const(x, np.pi / 180))


radians = deg2rad


def rad2deg(x, /):
    x, = promote_dtypes_inexact(x)
    return lax.mul(x, lax._const(x, 180 / np.pi))


degrees = rad2deg


def hypot(x1, x2, /):
    x1, x2 = promote_args_inexact(x1, x2)
    return lax.sqrt(lax.add(lax.mul(x1, x1), lax.mul(x2, x2)))


def heaviside(x1, x2, /):
    x1, x2 = promote_args_inexact(x1, x2)
    zero = lax._const(x1, 0)
    return lax.select(lax.lt(x1, zero), lax.full_like(x1, 0),
                      lax.select(lax.gt(x1, zero), lax.full_like(x1, 1), x2))


def sinc(x, /):
    x, = promote_dtypes_inexact(x)
    pix = lax.mul(x, lax._const(x, np.pi))
    is_zero = lax.eq(x, lax._const(x, 0))
    safe = lax.select(is_zero, lax.full_like(x, 1), pix)
    return lax.select(is_zero, lax.full_like(x, 1), lax.div(lax.sin(safe), safe))


def conjugate(x, /):
    return asarray_arg(x)


conj = conjugate


def real(x, /):
    return asarray_arg(x)
