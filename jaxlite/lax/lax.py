"""Elementwise primitives and their rules: arithmetic and math functions, bitwise and logical
operations, comparisons; stop_gradient and copy; full, full_like and const.

Mirrors part of jax/_src/lax/lax.py. JAX keeps all of lax's basic primitives in that one file (it
has no separate files for them); here they are split into modules of a sitting each: this one,
selection.py (select_n, clamp), conversions.py (dtypes, complex numbers), shapes.py (broadcasting,
reshapes, iota), reductions.py (reductions, dot_general) and sorting.py (sort, top_k). Each
primitive is defined once, with every rule beside it: its NumPy impl, its shape/dtype rule
(abstract eval), its jvp, its transpose (if linear), its batching rule, the lax function that binds
it and its lowerings for jit's two backends. The interpreters never mention a primitive by name;
they look these rules up. Factories and shared rules are in utils.py, erf and its kin in special.py.
"""
import enum

import numpy as np

from jaxlite import ad_util, core, dtypes, errors
from jaxlite.array import ArrayImpl
from jaxlite.core import ShapedArray, get_aval
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters.ad import Zero, defjvp, defjvp2, deflinear2, defzero, is_undefined_primal
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.numpy_codegen import NumpyCall
from jaxlite.interpreters.xla import lowers_to
from jaxlite.lax.utils import (binary_args, broadcasting_shape, check_dtypes, dtype_checked,
                               named_broadcasting_shape, to_array, all_weak, never_weak, same_dtype,
                               standard_primitive)
from jaxlite.lax.conversions import conj, convert_element_type, real
from jaxlite.lax.reductions import reduce_sum
from jaxlite.lax.selection import select
from jaxlite.lax.shapes import broadcast_in_dim, reshape, transpose
__all__ = ["RoundingMethod", "abs", "acos", "acosh", "add", "add_any", "asin", "asinh", "atan", "atan2",
           "atanh", "bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor", "cbrt", "ceil", "cos", "cosh",
           "div", "eq", "exp", "exp2", "expm1", "floor", "full", "full_like", "ge", "gt", "integer_pow",
           "is_finite", "le", "log", "log1p", "logistic", "lt", "max", "min", "mul", "ne", "neg", "nextafter",
           "population_count", "pow", "reciprocal", "rem", "round", "rsqrt", "shift_left",
           "shift_right_arithmetic", "shift_right_logical", "sign", "sin", "sinh", "sqrt", "square",
           "stop_gradient", "sub", "tan", "tanh",
           "abs_p", "acos_p", "acosh_p", "add_p", "and_p", "asin_p", "asinh_p", "atan2_p", "atan_p",
           "atanh_p", "cbrt_p", "ceil_p", "copy_p", "cos_p", "cosh_p", "div_p", "eq_p", "exp2_p", "exp_p",
           "expm1_p", "floor_p", "ge_p", "gt_p", "integer_pow_p", "is_finite_p", "le_p", "log1p_p", "log_p",
           "logistic_p", "lt_p", "max_p", "min_p", "mul_p", "ne_p", "neg_p", "nextafter_p", "not_p", "or_p",
           "population_count_p", "pow_p", "rem_p", "round_p", "rsqrt_p", "shift_left_p",
           "shift_right_arithmetic_p", "shift_right_logical_p", "sign_p", "sin_p", "sinh_p", "sqrt_p",
           "square_p", "stop_gradient_p", "sub_p", "tan_p", "tanh_p", "xor_p"]


# ----------------------------------------------------------------------------------------------
# Elementwise primitives

def unop(name, numpy_fn, kinds="fc"):
    prim = standard_primitive(name, numpy_fn, named_broadcasting_shape(name), dtype_checked(name, kinds))
    if isinstance(numpy_fn, np.ufunc):  # jit's code may then write into its result
        numpy_codegen.fresh_output.add(prim)
    batching.defvectorized(prim)
    return prim


def binop(name, numpy_fn, kinds="iufc", result_dtype=None, weak_type_rule=all_weak):
    prim = standard_primitive(name, numpy_fn, named_broadcasting_shape(name),
                              dtype_checked(name, kinds, result_dtype), weak_type_rule)
    numpy_codegen.broadcasts_like_numpy.add(prim)  # jit's code may rely on NumPy's own broadcasting
    if isinstance(numpy_fn, np.ufunc):  # a new array, never a view of an operand
        numpy_codegen.fresh_output.add(prim)
    batching.defbroadcasting(prim)
    return prim


_ARRAYS = (ArrayImpl, core.Tracer)


def _binary(prim):
    def fn(x, y):
        if not (isinstance(x, _ARRAYS) and isinstance(y, _ARRAYS)):  # scalars, NumPy values
            x, y = binary_args(x, y)
        return prim.bind(x, y)
    fn.__name__ = prim.name
    fn.primitive = prim  # lets jaxlite.numpy bind it directly when there is nothing to convert
    return fn


def unary(prim):
    def fn(x):
        return prim.bind(x if isinstance(x, _ARRAYS) else to_array(x))
    fn.__name__ = prim.name
    fn.primitive = prim
    return fn


# ----------------------------------------------------------------------------------------------
# Arithmetic

def unbroadcast(aval, x):
    """Sum a cotangent back down to an operand's shape after elementwise broadcasting."""
    x_shape = get_aval(x).shape
    if x_shape == aval.shape:
        return x
    if not aval.shape:
        return reduce_sum(x, tuple(range(len(x_shape))))
    dims = tuple(i for i, (a, b) in enumerate(zip(x_shape, aval.shape)) if a != b)
    return reshape(reduce_sum(x, dims), aval.shape)


def maybe_broadcast(shape, x):
    aval = get_aval(x)
    if aval.shape == shape:
        return x
    if not aval.shape:
        return broadcast_in_dim(x, shape, ())
    keep = tuple(i for i, (a, b) in enumerate(zip(aval.shape, shape)) if a == b)
    squeezed = reshape(x, tuple(aval.shape[i] for i in keep)) if len(keep) != aval.ndim else x
    return broadcast_in_dim(squeezed, shape, keep)


add_p = binop("add", np.add)
sub_p = binop("sub", np.subtract)
mul_p = binop("mul", np.multiply)
div_p = binop("div", lambda x, y: _div_impl(x, y))
rem_p = binop("rem", lambda x, y: _rem_impl(x, y), kinds="iuf")
max_p = binop("max", np.maximum, kinds="iufcb")  # complex numbers compare lexicographically
min_p = binop("min", np.minimum, kinds="iufcb")
pow_p = binop("pow", np.power, kinds="fc")
atan2_p = binop("atan2", lambda y, x: _atan2_impl(y, x), kinds="fc")
nextafter_p = binop("nextafter", np.nextafter, kinds="f")
add_any_p = ad_util.add_jaxvals_p  # defined below the interpreters, which sum tangents with it
add_any_p.numpy_impl = np.add
numpy_codegen.broadcasts_like_numpy.add(add_any_p)
numpy_codegen.fresh_output.add(add_any_p)
register_lowering(add_any_p, NumpyCall(np.add), "numpy")


def _div_impl(x, y):
    dtype = np.result_type(x)
    if dtype.kind in "iu":
        # C semantics, as XLA: integer division rounds towards zero, and x / 0 has every bit set.
        with np.errstate(divide="ignore", over="ignore"):
            q = np.floor_divide(x, y)
            fix = (np.remainder(x, y) != 0) & ((x < 0) != (y < 0))
            out = np.asarray(q + fix, dtype)
        return np.where(np.asarray(y) == 0, np.asarray(-1).astype(dtype), out)
    return np.true_divide(x, y)


def _atan2_impl(y, x):
    """For complex operands, XLA's definition: -i log((x + iy) / sqrt(x**2 + y**2))."""
    if np.result_type(y).kind == "c":
        return -1j * np.log((x + 1j * y) / np.sqrt(x * x + y * y))
    return np.arctan2(y, x)


def _rem_impl(x, y):
    """C's fmod, as XLA: the sign follows x; for integers, x % 0 is x."""
    dtype = np.result_type(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.asarray(np.fmod(x, y), dtype)
    if dtype.kind in "iu":
        return np.where(np.asarray(y) == 0, x, out)
    return out


def _add_jvp(primals, tangents):
    x, y = primals
    out = add(x, y)
    shape = get_aval(out).shape
    tx, ty = tangents
    if type(tx) is Zero:
        return out, maybe_broadcast(shape, ty)
    if type(ty) is Zero:
        return out, maybe_broadcast(shape, tx)
    return out, add(tx, ty)


def _sub_jvp(primals, tangents):
    x, y = primals
    out = sub(x, y)
    shape = get_aval(out).shape
    tx, ty = tangents
    if type(tx) is Zero:
        return out, maybe_broadcast(shape, neg(ty))
    if type(ty) is Zero:
        return out, maybe_broadcast(shape, tx)
    return out, sub(tx, ty)


def _add_transpose(ct, x, y):
    if type(ct) is Zero:
        return [None, None]
    return [unbroadcast(x.aval, ct) if is_undefined_primal(x) else None,
            unbroadcast(y.aval, ct) if is_undefined_primal(y) else None]


def _sub_transpose(ct, x, y):
    if type(ct) is Zero:
        return [None, None]
    return [unbroadcast(x.aval, ct) if is_undefined_primal(x) else None,
            unbroadcast(y.aval, neg(ct)) if is_undefined_primal(y) else None]


def _mul_transpose(ct, x, y):
    if is_undefined_primal(x):
        return [unbroadcast(x.aval, mul(ct, y)), None]
    return [None, unbroadcast(y.aval, mul(x, ct))]


def _div_transpose(ct, x, y):
    return [unbroadcast(x.aval, div(ct, y)), None]


ad.primitive_jvps[add_p] = _add_jvp
ad.primitive_transposes[add_p] = _add_transpose
ad.primitive_jvps[add_any_p] = _add_jvp
ad.primitive_transposes[add_any_p] = _add_transpose
ad.primitive_jvps[sub_p] = _sub_jvp
ad.primitive_transposes[sub_p] = _sub_transpose
defjvp(mul_p, lambda g, x, y: mul(g, y), lambda g, x, y: mul(x, g))
ad.primitive_transposes[mul_p] = _mul_transpose
defjvp(div_p, lambda g, x, y: div(g, y),
       lambda g, x, y: mul(mul(neg(g), x), integer_pow(y, -2)))
ad.primitive_transposes[div_p] = _div_transpose
defjvp(rem_p, lambda g, x, y: maybe_broadcast(np.broadcast_shapes(get_aval(x).shape, get_aval(y).shape), g),
       lambda g, x, y: mul(neg(g), mul(sign(div(x, y)), floor(abs(div(x, y))))))


def _minmax_jvp(pick_x):
    """Ties split the derivative evenly between the operands, as JAX does."""
    def rule_x(g, x, y):
        return mul(g, _balanced_eq(x, pick_x(x, y), y))

    def rule_y(g, x, y):
        return mul(g, _balanced_eq(y, pick_x(x, y), x))
    return rule_x, rule_y


def _balanced_eq(x, z, y):
    """1 where x alone attains z, 1/2 where x and y tie, 0 elsewhere."""
    ones, zeros = full_like(z, 1), full_like(z, 0)
    return div(select(eq(x, z), ones, zeros), select(eq(y, z), full_like(z, 2), ones))


defjvp(max_p, *_minmax_jvp(lambda x, y: max(x, y)))
defjvp(min_p, *_minmax_jvp(lambda x, y: min(x, y)))
defjvp(pow_p,
       lambda g, x, y: mul(g, mul(y, pow(x, sub(y, const(y, 1))))),
       lambda g, x, y: mul(g, mul(log(_replace_zero(x)), pow(x, y))))
defjvp(atan2_p,
       lambda g, x, y: mul(g, div(y, add(square(x), square(y)))),
       lambda g, x, y: mul(g, div(neg(x), add(square(x), square(y)))))
defzero(nextafter_p)


add = _binary(add_p)
sub = _binary(sub_p)
mul = _binary(mul_p)
div = _binary(div_p)
rem = _binary(rem_p)
max = _binary(max_p)
min = _binary(min_p)
pow = _binary(pow_p)
atan2 = _binary(atan2_p)
nextafter = _binary(nextafter_p)


def add_any(x, y):
    return add_any_p.bind(x, y)


for _prim, _rule in [
    (add_p, lowers_to(lambda lax: lax.add)),
    (sub_p, lowers_to(lambda lax: lax.sub)),
    (mul_p, lowers_to(lambda lax: lax.mul)),
    (div_p, lowers_to(lambda lax: lax.div)),
    (rem_p, lowers_to(lambda lax: lax.rem)),
    (max_p, lowers_to(lambda lax: lax.max)),
    (min_p, lowers_to(lambda lax: lax.min)),
    (pow_p, lowers_to(lambda lax: lax.pow)),
    (atan2_p, lowers_to(lambda lax: lax.atan2)),
    (nextafter_p, lowers_to(lambda lax: lax.nextafter)),
    (add_any_p, lowers_to(lambda lax: lax.add)),
]:
    register_lowering(_prim, _rule, "xla")


def _replace_zero(x):
    return select(eq(x, full_like(x, 0)), full_like(x, 1), x)


neg_p = unop("neg", np.negative, kinds="iufc")
deflinear2(neg_p, lambda ct, x: [neg(ct)])
neg = unary(neg_p)
register_lowering(neg_p, lowers_to(lambda lax: lax.neg), "xla")

sign_p = unop("sign", np.sign, kinds="iufc")
defzero(sign_p)
sign = unary(sign_p)
register_lowering(sign_p, lowers_to(lambda lax: lax.sign), "xla")
floor_p = unop("floor", np.floor, kinds="f")
defzero(floor_p)
floor = unary(floor_p)
register_lowering(floor_p, lowers_to(lambda lax: lax.floor), "xla")
ceil_p = unop("ceil", np.ceil, kinds="f")
defzero(ceil_p)
ceil = unary(ceil_p)
register_lowering(ceil_p, lowers_to(lambda lax: lax.ceil), "xla")
round_p = standard_primitive("round", lambda x, rounding_method: _round_impl(x, rounding_method),
                             broadcasting_shape, dtype_checked("round", "f"))
batching.defvectorized(round_p)
defzero(round_p)


def _round_impl(x, rounding_method):
    if rounding_method == 0:  # away from zero
        return np.where(x >= 0, np.floor(x + 0.5), np.ceil(x - 0.5)).astype(x.dtype)
    return np.round(x)


class RoundingMethod(enum.IntEnum):
    """How `lax.round` breaks ties: 0 rounds half away from zero, 1 to the nearest even."""
    AWAY_FROM_ZERO = 0
    TO_NEAREST_EVEN = 1


def round(x, rounding_method=0):
    return round_p.bind(to_array(x), rounding_method=int(rounding_method))


register_lowering(round_p, lowers_to(lambda lax: lax.round), "xla")

is_finite_p = standard_primitive("is_finite", np.isfinite, broadcasting_shape,
                                 dtype_checked("is_finite", "f", np.dtype(bool)), never_weak)
batching.defvectorized(is_finite_p)
defzero(is_finite_p)
is_finite = unary(is_finite_p)
register_lowering(is_finite_p, lowers_to(lambda lax: lax.is_finite), "xla")

exp_p = unop("exp", np.exp)
defjvp2(exp_p, lambda g, ans, x: mul(g, ans))
exp = unary(exp_p)
register_lowering(exp_p, lowers_to(lambda lax: lax.exp), "xla")
exp2_p = unop("exp2", np.exp2)
defjvp2(exp2_p, lambda g, ans, x: mul(g, mul(log(const(x, 2)), ans)))
exp2 = unary(exp2_p)
register_lowering(exp2_p, lowers_to(lambda lax: lax.exp2), "xla")
log_p = unop("log", np.log)
defjvp(log_p, lambda g, x: div(g, x))
log = unary(log_p)
register_lowering(log_p, lowers_to(lambda lax: lax.log), "xla")
log1p_p = unop("log1p", np.log1p)
defjvp(log1p_p, lambda g, x: div(g, add(x, const(x, 1))))
log1p = unary(log1p_p)
register_lowering(log1p_p, lowers_to(lambda lax: lax.log1p), "xla")
expm1_p = unop("expm1", np.expm1)
defjvp2(expm1_p, lambda g, ans, x: mul(g, add(ans, const(ans, 1))))
expm1 = unary(expm1_p)
register_lowering(expm1_p, lowers_to(lambda lax: lax.expm1), "xla")
sin_p = unop("sin", np.sin)
defjvp(sin_p, lambda g, x: mul(g, cos(x)))
sin = unary(sin_p)
register_lowering(sin_p, lowers_to(lambda lax: lax.sin), "xla")
cos_p = unop("cos", np.cos)
defjvp(cos_p, lambda g, x: neg(mul(g, sin(x))))
cos = unary(cos_p)
register_lowering(cos_p, lowers_to(lambda lax: lax.cos), "xla")
tan_p = unop("tan", np.tan)
defjvp2(tan_p, lambda g, ans, x: mul(g, add(const(ans, 1), square(ans))))
tan = unary(tan_p)
register_lowering(tan_p, lowers_to(lambda lax: lax.tan), "xla")
asin_p = unop("asin", np.arcsin)
defjvp(asin_p, lambda g, x: mul(g, rsqrt(sub(const(x, 1), square(x)))))
asin = unary(asin_p)
register_lowering(asin_p, lowers_to(lambda lax: lax.asin), "xla")
acos_p = unop("acos", np.arccos)
defjvp(acos_p, lambda g, x: mul(g, neg(rsqrt(sub(const(x, 1), square(x))))))
acos = unary(acos_p)
register_lowering(acos_p, lowers_to(lambda lax: lax.acos), "xla")
atan_p = unop("atan", np.arctan)
defjvp(atan_p, lambda g, x: div(g, add(const(x, 1), square(x))))
atan = unary(atan_p)
register_lowering(atan_p, lowers_to(lambda lax: lax.atan), "xla")
sinh_p = unop("sinh", np.sinh)
defjvp(sinh_p, lambda g, x: mul(g, cosh(x)))
sinh = unary(sinh_p)
register_lowering(sinh_p, lowers_to(lambda lax: lax.sinh), "xla")
cosh_p = unop("cosh", np.cosh)
defjvp(cosh_p, lambda g, x: mul(g, sinh(x)))
cosh = unary(cosh_p)
register_lowering(cosh_p, lowers_to(lambda lax: lax.cosh), "xla")
tanh_p = unop("tanh", np.tanh)
defjvp2(tanh_p, lambda g, ans, x: mul(add(g, mul(g, ans)), sub(const(ans, 1), ans)))
tanh = unary(tanh_p)
register_lowering(tanh_p, lowers_to(lambda lax: lax.tanh), "xla")
asinh_p = unop("asinh", np.arcsinh)
defjvp(asinh_p, lambda g, x: mul(g, rsqrt(add(square(x), const(x, 1)))))
asinh = unary(asinh_p)
register_lowering(asinh_p, lowers_to(lambda lax: lax.asinh), "xla")
acosh_p = unop("acosh", np.arccosh)
defjvp(acosh_p, lambda g, x: mul(g, rsqrt(mul(sub(x, const(x, 1)), add(x, const(x, 1))))))
acosh = unary(acosh_p)
register_lowering(acosh_p, lowers_to(lambda lax: lax.acosh), "xla")
atanh_p = unop("atanh", np.arctanh)
defjvp(atanh_p, lambda g, x: mul(reciprocal(add(const(x, 1), x)), div(g, sub(const(x, 1), x))))
atanh = unary(atanh_p)
register_lowering(atanh_p, lowers_to(lambda lax: lax.atanh), "xla")
sqrt_p = unop("sqrt", np.sqrt)
defjvp2(sqrt_p, lambda g, ans, x: mul(g, div(const(x, 0.5), ans)))
sqrt = unary(sqrt_p)
register_lowering(sqrt_p, lowers_to(lambda lax: lax.sqrt), "xla")
rsqrt_p = unop("rsqrt", lambda x: np.reciprocal(np.sqrt(x)))
defjvp2(rsqrt_p, lambda g, ans, x: mul(g, mul(const(x, -0.5), div(ans, x))))
rsqrt = unary(rsqrt_p)
register_lowering(rsqrt_p, lowers_to(lambda lax: lax.rsqrt), "xla")
cbrt_p = unop("cbrt", np.cbrt, kinds="f")
defjvp2(cbrt_p, lambda g, ans, x: mul(g, mul(const(x, 1 / 3), integer_pow(ans, -2))))
cbrt = unary(cbrt_p)
register_lowering(cbrt_p, lowers_to(lambda lax: lax.cbrt), "xla")
square_p = unop("square", np.square, kinds="iufc")
defjvp(square_p, lambda g, x: mul(g, mul(const(x, 2), x)))
square = unary(square_p)
register_lowering(square_p, lowers_to(lambda lax: lax.square), "xla")
logistic_p = unop("logistic", lambda x: _logistic_impl(x))
defjvp2(logistic_p, lambda g, ans, x: mul(g, mul(ans, sub(const(ans, 1), ans))))
logistic = unary(logistic_p)
register_lowering(logistic_p, lowers_to(lambda lax: lax.logistic), "xla")


def _logistic_impl(x):
    # exp of a large negative number overflows harmlessly to inf -> 0; silence NumPy's warning.
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-x))).astype(x.dtype)


abs_p = standard_primitive("abs", np.abs, broadcasting_shape,
                           lambda a, **p: check_dtypes("abs", [a], "ifc") or
                           (np.dtype(a.dtype.char.lower()) if a.dtype.kind == "c" else a.dtype))
batching.defvectorized(abs_p)


def _abs_jvp(g, ans, x):
    """d|x| is the sign of x, with +1 at zero as in JAX; for complex x it is Re(g conj(x) / |x|)."""
    if get_aval(x).dtype.kind == "c":
        return real(mul(g, div(conj(x), _replace_zero(convert_element_type(ans, get_aval(x).dtype)))))
    return select(ge(x, const(x, 0)), g, neg(g))


defjvp2(abs_p, _abs_jvp)
abs = unary(abs_p)
register_lowering(abs_p, lowers_to(lambda lax: lax.abs), "xla")


def _integer_pow_dtype(x, *, y):
    check_dtypes("integer_pow", [x], "iufc")
    if y < 0 and x.dtype.kind in "iu":
        weak = "~" if x.weak_type else ""
        raise TypeError(errors.with_hint(f"Integers cannot be raised to negative powers, got "
                                         f"integer_pow({weak}{x.str_short(short_dtypes=False)}, {y})",
                                         "a negative power of an integer is a fraction: use a float base, e.g. "
                                         "x.astype(jnp.float32) ** -1, or 1 / x."))
    return x.dtype


integer_pow_p = standard_primitive(
    "integer_pow", lambda x, y: _integer_pow_impl(x, y), broadcasting_shape, _integer_pow_dtype)
batching.defvectorized(integer_pow_p)


def _integer_pow_impl(x, y):
    if y < 0:
        return np.asarray(1, x.dtype) / np.power(x, -y) if x.dtype.kind in "fc" else np.power(x.astype(float), y).astype(x.dtype)
    return np.power(x, y)


def _integer_pow_jvp(g, x, *, y):
    if y == 0:
        return full_like(g, 0)
    if y == 1:
        return g
    return mul(g, mul(const(x, y), x if y == 2 else integer_pow(x, y - 1)))


defjvp(integer_pow_p, _integer_pow_jvp)


def integer_pow(x, y):
    return integer_pow_p.bind(to_array(x), y=int(y))


def reciprocal(x):
    return integer_pow(x, -1)


register_lowering(integer_pow_p, lowers_to(lambda lax: lax.integer_pow), "xla")

# Bitwise and logical operations (integers and bools): no derivatives.
not_p = unop("not", lambda x: np.logical_not(x) if x.dtype == bool else np.invert(x), kinds="iub")
and_p = binop("and", lambda x, y: np.bitwise_and(x, y), kinds="iub")
or_p = binop("or", lambda x, y: np.bitwise_or(x, y), kinds="iub")
xor_p = binop("xor", lambda x, y: np.bitwise_xor(x, y), kinds="iub")
shift_left_p = binop("shift_left", lambda x, y: _shift(np.left_shift, x, y), kinds="iu")
shift_right_logical_p = binop("shift_right_logical", lambda x, y: _shift_right_logical(x, y), kinds="iu")
shift_right_arithmetic_p = binop("shift_right_arithmetic", lambda x, y: _shift(np.right_shift, x, y),
                                 kinds="iu")
population_count_p = unop("population_count", lambda x: _popcount(np.asarray(x)), kinds="iu")


def _popcount(x):
    # Count the bits of the two's-complement pattern: NumPy would count those of |x|.
    return np.bitwise_count(x.view(f"u{x.dtype.itemsize}")).astype(x.dtype)


for _p in (not_p, and_p, or_p, xor_p, shift_left_p, shift_right_logical_p, shift_right_arithmetic_p,
           population_count_p):
    defzero(_p)


def _shift(fn, x, y):
    bits = np.dtype(np.result_type(x)).itemsize * 8
    y = np.asarray(y)
    out = fn(x, np.minimum(y, bits - 1).astype(np.result_type(x)))
    return np.where((y >= bits) | (y < 0), 0 if fn is np.left_shift else np.where(x < 0, -1, 0), out)


def _shift_right_logical(x, y):
    dt = np.dtype(np.result_type(x))
    unsigned = np.dtype(f"u{dt.itemsize}")
    bits = dt.itemsize * 8
    y = np.asarray(y)
    ux = np.asarray(x).view(unsigned) if np.ndim(x) else np.asarray(x).astype(dt).view(unsigned)
    out = np.right_shift(ux, np.minimum(y, bits - 1).astype(unsigned))
    out = np.where((y >= bits) | (y < 0), unsigned.type(0), out)
    return np.asarray(out).astype(unsigned).view(dt)


bitwise_not = unary(not_p)
bitwise_and = _binary(and_p)
bitwise_or = _binary(or_p)
bitwise_xor = _binary(xor_p)
shift_left = _binary(shift_left_p)
shift_right_logical = _binary(shift_right_logical_p)
shift_right_arithmetic = _binary(shift_right_arithmetic_p)
population_count = unary(population_count_p)
for _prim, _rule in [
    (not_p, lowers_to(lambda lax: lax.bitwise_not)),
    (and_p, lowers_to(lambda lax: lax.bitwise_and)),
    (or_p, lowers_to(lambda lax: lax.bitwise_or)),
    (xor_p, lowers_to(lambda lax: lax.bitwise_xor)),
    (shift_left_p, lowers_to(lambda lax: lax.shift_left)),
    (shift_right_logical_p, lowers_to(lambda lax: lax.shift_right_logical)),
    (shift_right_arithmetic_p, lowers_to(lambda lax: lax.shift_right_arithmetic)),
    (population_count_p, lowers_to(lambda lax: lax.population_count)),
]:
    register_lowering(_prim, _rule, "xla")


# Comparisons
def _cmp(name, fn, kinds="iufcb"):
    prim = binop(name, fn, kinds=kinds, result_dtype=np.dtype(bool), weak_type_rule=never_weak)
    defzero(prim)
    return prim


eq_p = _cmp("eq", np.equal, "iufcbV")  # typed keys compare too (jaxlite.prng gives the rule)
ne_p = _cmp("ne", np.not_equal, "iufcbV")
lt_p = _cmp("lt", np.less, "iufb")
le_p = _cmp("le", np.less_equal, "iufb")
gt_p = _cmp("gt", np.greater, "iufb")
ge_p = _cmp("ge", np.greater_equal, "iufb")
eq = _binary(eq_p)
ne = _binary(ne_p)
lt = _binary(lt_p)
le = _binary(le_p)
gt = _binary(gt_p)
ge = _binary(ge_p)
for _prim, _rule in [
    (eq_p, lowers_to(lambda lax: lax.eq)),
    (ne_p, lowers_to(lambda lax: lax.ne)),
    (lt_p, lowers_to(lambda lax: lax.lt)),
    (le_p, lowers_to(lambda lax: lax.le)),
    (gt_p, lowers_to(lambda lax: lax.gt)),
    (ge_p, lowers_to(lambda lax: lax.ge)),
]:
    register_lowering(_prim, _rule, "xla")


# ----------------------------------------------------------------------------------------------
# Stopping gradients, copies

stop_gradient_p = standard_primitive("stop_gradient", lambda x: x, lambda a: a.shape, same_dtype)
defzero(stop_gradient_p)
batching.defvectorized(stop_gradient_p)


def stop_gradient(x):
    """Block derivatives: the value passes through, its tangent is zero. Works on pytrees."""
    from jaxlite import tree_util
    return tree_util.tree_map(lambda leaf: stop_gradient_p.bind(to_array(leaf)), x)


register_lowering(stop_gradient_p, lowers_to(lambda lax: lax.stop_gradient), "xla")

copy_p = standard_primitive("copy", lambda x: np.array(x), lambda a: a.shape, same_dtype)
deflinear2(copy_p, lambda ct, x: [ct])
batching.defvectorized(copy_p)
register_lowering(copy_p, lambda ctx, x: x, "xla")


# ----------------------------------------------------------------------------------------------
# Arrays of one value, and the zeros vmap and grad make

def full(shape, fill_value, dtype=None):
    """An array of one value, as `broadcast_in_dim` of a scalar (this is what JAX stages out)."""
    shape = tuple(int(s) for s in shape)
    if dtype is None:
        dt, weak = dtypes.dtype_and_weak(fill_value)
    else:
        dt, weak = dtypes.check_user_dtype(dtype, "full"), False
    if isinstance(fill_value, core.Tracer):
        scalar = convert_element_type(fill_value, dt, weak)
    else:
        scalar = ArrayImpl(np.asarray(np.asarray(fill_value), dt), weak)
    if not shape:
        return scalar
    return broadcast_in_dim(scalar, shape, ())


def full_like(x, fill_value, dtype=None, shape=None):
    aval = get_aval(x)
    dt = aval.dtype if dtype is None else dtype
    out = full(aval.shape if shape is None else shape, fill_value, dt)
    if dtype is None and aval.weak_type and type(out) is ArrayImpl:
        out = ArrayImpl(out._value, True)
    return out


def const(x, value):
    """A rank-0 constant of x's dtype: jvp rules write `1 - ans` as `sub 1.0:f32[] ans`. It is as
    weakly typed as x, like a Python scalar, so grad of a Python float stays weak as in JAX."""
    aval = get_aval(x)
    return ArrayImpl(np.asarray(value, aval.dtype), aval.weak_type)


def _zeros_like_shaped_array(aval):
    zero = ArrayImpl(np.zeros((), aval.dtype), aval.weak_type)
    return broadcast_in_dim(zero, aval.shape, ()) if aval.shape else zero


ad_util.aval_zeros_likers[ShapedArray] = _zeros_like_shaped_array


# What vmap itself needs to move, insert and sum out batch axes (see interpreters/batching.py).
batching.axis_ops.update(transpose=transpose, broadcast_in_dim=broadcast_in_dim, reshape=reshape,
                         reduce_sum=reduce_sum)
