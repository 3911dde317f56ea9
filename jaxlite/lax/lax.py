"""Primitives and their rules: elementwise math, shapes, reductions, dot_general.

Mirrors jax/_src/lax/lax.py. Each primitive is defined once, with every rule beside it: its NumPy
impl, its shape/dtype rule (abstract eval), its jvp, its transpose (if linear), its batching rule and
its lowerings for jit's two backends. The interpreters never mention a primitive by name; they look
these rules up. Factories and shared rules are in utils.py, erf and its kin in special.py.
"""
import builtins
import enum
import operator
import warnings

import numpy as np

from jaxlite import ad_util, core, dtypes, errors
from jaxlite.array import ArrayImpl
from jaxlite.core import Primitive, ShapedArray, get_aval
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters.ad import Zero, defjvp, defjvp2, deflinear2, defzero, is_undefined_primal
from jaxlite.interpreters.batching import not_mapped
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.numpy_codegen import NumpyCall
from jaxlite.interpreters.xla import lowers_to
from jaxlite.lax.utils import (binary_args, broadcasting_shape, check_dtypes, dtype_checked,
                               named_broadcasting_shape, to_array, all_weak, never_weak, same_dtype,
                               standard_primitive)

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


# ----------------------------------------------------------------------------------------------
# Arithmetic

def _unbroadcast(aval, x):
    """Sum a cotangent back down to an operand's shape after elementwise broadcasting."""
    x_shape = get_aval(x).shape
    if x_shape == aval.shape:
        return x
    if not aval.shape:
        return reduce_sum(x, tuple(range(len(x_shape))))
    dims = tuple(i for i, (a, b) in enumerate(zip(x_shape, aval.shape)) if a != b)
    return reshape(reduce_sum(x, dims), aval.shape)


def _maybe_broadcast(shape, x):
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
        return out, _maybe_broadcast(shape, ty)
    if type(ty) is Zero:
        return out, _maybe_broadcast(shape, tx)
    return out, add(tx, ty)


def _sub_jvp(primals, tangents):
    x, y = primals
    out = sub(x, y)
    shape = get_aval(out).shape
    tx, ty = tangents
    if type(tx) is Zero:
        return out, _maybe_broadcast(shape, neg(ty))
    if type(ty) is Zero:
        return out, _maybe_broadcast(shape, tx)
    return out, sub(tx, ty)


def _add_transpose(ct, x, y):
    if type(ct) is Zero:
        return [None, None]
    return [_unbroadcast(x.aval, ct) if is_undefined_primal(x) else None,
            _unbroadcast(y.aval, ct) if is_undefined_primal(y) else None]


def _sub_transpose(ct, x, y):
    if type(ct) is Zero:
        return [None, None]
    return [_unbroadcast(x.aval, ct) if is_undefined_primal(x) else None,
            _unbroadcast(y.aval, neg(ct)) if is_undefined_primal(y) else None]


def _mul_transpose(ct, x, y):
    if is_undefined_primal(x):
        return [_unbroadcast(x.aval, mul(ct, y)), None]
    return [None, _unbroadcast(y.aval, mul(x, ct))]


def _div_transpose(ct, x, y):
    return [_unbroadcast(x.aval, div(ct, y)), None]


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
defjvp(rem_p, lambda g, x, y: _maybe_broadcast(np.broadcast_shapes(get_aval(x).shape, get_aval(y).shape), g),
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


def _replace_zero(x):
    return select(eq(x, full_like(x, 0)), full_like(x, 1), x)


neg_p = unop("neg", np.negative, kinds="iufc")
deflinear2(neg_p, lambda ct, x: [neg(ct)])

sign_p = unop("sign", np.sign, kinds="iufc")
defzero(sign_p)
floor_p = unop("floor", np.floor, kinds="f")
defzero(floor_p)
ceil_p = unop("ceil", np.ceil, kinds="f")
defzero(ceil_p)
round_p = standard_primitive("round", lambda x, rounding_method: _round_impl(x, rounding_method),
                             broadcasting_shape, dtype_checked("round", "f"))
batching.defvectorized(round_p)
defzero(round_p)


def _round_impl(x, rounding_method):
    if rounding_method == 0:  # away from zero
        return np.where(x >= 0, np.floor(x + 0.5), np.ceil(x - 0.5)).astype(x.dtype)
    return np.round(x)


is_finite_p = standard_primitive("is_finite", np.isfinite, broadcasting_shape,
                                 dtype_checked("is_finite", "f", np.dtype(bool)), never_weak)
batching.defvectorized(is_finite_p)
defzero(is_finite_p)

exp_p = unop("exp", np.exp)
defjvp2(exp_p, lambda g, ans, x: mul(g, ans))
exp2_p = unop("exp2", np.exp2)
defjvp2(exp2_p, lambda g, ans, x: mul(g, mul(log(const(x, 2)), ans)))
log_p = unop("log", np.log)
defjvp(log_p, lambda g, x: div(g, x))
log1p_p = unop("log1p", np.log1p)
defjvp(log1p_p, lambda g, x: div(g, add(x, const(x, 1))))
expm1_p = unop("expm1", np.expm1)
defjvp2(expm1_p, lambda g, ans, x: mul(g, add(ans, const(ans, 1))))
sin_p = unop("sin", np.sin)
defjvp(sin_p, lambda g, x: mul(g, cos(x)))
cos_p = unop("cos", np.cos)
defjvp(cos_p, lambda g, x: neg(mul(g, sin(x))))
tan_p = unop("tan", np.tan)
defjvp2(tan_p, lambda g, ans, x: mul(g, add(const(ans, 1), square(ans))))
asin_p = unop("asin", np.arcsin)
defjvp(asin_p, lambda g, x: mul(g, rsqrt(sub(const(x, 1), square(x)))))
acos_p = unop("acos", np.arccos)
defjvp(acos_p, lambda g, x: mul(g, neg(rsqrt(sub(const(x, 1), square(x))))))
atan_p = unop("atan", np.arctan)
defjvp(atan_p, lambda g, x: div(g, add(const(x, 1), square(x))))
sinh_p = unop("sinh", np.sinh)
defjvp(sinh_p, lambda g, x: mul(g, cosh(x)))
cosh_p = unop("cosh", np.cosh)
defjvp(cosh_p, lambda g, x: mul(g, sinh(x)))
tanh_p = unop("tanh", np.tanh)
defjvp2(tanh_p, lambda g, ans, x: mul(add(g, mul(g, ans)), sub(const(ans, 1), ans)))
asinh_p = unop("asinh", np.arcsinh)
defjvp(asinh_p, lambda g, x: mul(g, rsqrt(add(square(x), const(x, 1)))))
acosh_p = unop("acosh", np.arccosh)
defjvp(acosh_p, lambda g, x: mul(g, rsqrt(mul(sub(x, const(x, 1)), add(x, const(x, 1))))))
atanh_p = unop("atanh", np.arctanh)
defjvp(atanh_p, lambda g, x: mul(reciprocal(add(const(x, 1), x)), div(g, sub(const(x, 1), x))))
sqrt_p = unop("sqrt", np.sqrt)
defjvp2(sqrt_p, lambda g, ans, x: mul(g, div(const(x, 0.5), ans)))
rsqrt_p = unop("rsqrt", lambda x: np.reciprocal(np.sqrt(x)))
defjvp2(rsqrt_p, lambda g, ans, x: mul(g, mul(const(x, -0.5), div(ans, x))))
cbrt_p = unop("cbrt", np.cbrt, kinds="f")
defjvp2(cbrt_p, lambda g, ans, x: mul(g, mul(const(x, 1 / 3), integer_pow(ans, -2))))
square_p = unop("square", np.square, kinds="iufc")
defjvp(square_p, lambda g, x: mul(g, mul(const(x, 2), x)))
logistic_p = unop("logistic", lambda x: _logistic_impl(x))
defjvp2(logistic_p, lambda g, ans, x: mul(g, mul(ans, sub(const(ans, 1), ans))))


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
defzero(and_p)


# ----------------------------------------------------------------------------------------------
# Types

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


def bitcast_impl(x, new_dtype):
    return np.asarray(x).view(new_dtype)


bitcast_convert_type_p = standard_primitive(
    "bitcast_convert_type", bitcast_impl, lambda a, **p: a.shape, lambda a, new_dtype: new_dtype,
    never_weak)
batching.defvectorized(bitcast_convert_type_p)
defzero(bitcast_convert_type_p)


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
    return [_unbroadcast(x.aval, real(ct)) if is_undefined_primal(x) else None,
            _unbroadcast(y.aval, imag(neg(ct))) if is_undefined_primal(y) else None]


def _conj_transpose(ct, x, input_dtype):
    return [conj(ct) if np.dtype(input_dtype).kind == "c" else real(ct)]


deflinear2(real_p, lambda ct, x: [complex(ct, _strong_zero(ct))])
deflinear2(imag_p, lambda ct, x: [complex(_strong_zero(ct), neg(ct))])
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


# ----------------------------------------------------------------------------------------------
# select_n: pick from cases by an integer or boolean selector (jnp.where is built on it)

def _select_n_impl(which, *cases):
    if which.dtype == bool:
        return np.where(which, cases[1], cases[0]) if len(cases) == 2 else cases[0]
    return np.choose(which, cases) if np.ndim(which) else cases[int(which)]


def _select_n_shape(which, *cases, **params):
    shapes = {c.shape for c in cases}
    if len(shapes) != 1:
        raise TypeError(errors.with_hint(f"select_n cases must have the same shapes, got {[c.shape for c in cases]}.",
            "every case of select_n must have the same shape: broadcast them first."))
    shape = cases[0].shape
    if which.shape and which.shape != shape:
        raise TypeError(errors.with_hint(f"select_n `which` must be scalar or have the same shape as cases, got "
                        f"`which` shape {which.shape} but case shape {shape}.",
            "give `which` the shape of the cases (or one scalar), e.g. with jnp.broadcast_to."))
    return shape


def _select_n_dtype(which, *cases, **params):
    check_dtypes("select", cases, None)  # JAX's message names lax.select
    return cases[0].dtype


select_n_p = standard_primitive("select_n", _select_n_impl, _select_n_shape, _select_n_dtype,
                                lambda which, *cases: all(c.weak_type for c in cases))


def _select_n_jvp(primals, tangents):
    which, *cases = primals
    _, *case_tangents = tangents
    out = select_n(which, *cases)
    if all(type(t) is Zero for t in case_tangents):
        return out, Zero.from_primal_value(out)
    case_tangents = [ad.instantiate_zeros(t) for t in case_tangents]
    return out, select_n(which, *case_tangents)


def _select_n_transpose(ct, which, *cases):
    if type(ct) is Zero:
        return [None] * (1 + len(cases))
    zeros = full_like(ct, 0)
    return [None] + [select_n(which, *[ct if j == i else zeros for j in range(len(cases))])
                     if is_undefined_primal(c) else None for i, c in enumerate(cases)]


def _select_n_batcher(args, dims):
    which, *cases = args
    which_dim, *case_dims = dims
    size = batching.axis_size_of(args, dims)
    if which_dim is not_mapped and get_aval(which).ndim == 0:
        cases = [batching.bdim_at_front(c, d, size) for c, d in zip(cases, case_dims)]
        return select_n(which, *cases), 0
    args = [batching.bdim_at_front(x, d, size) for x, d in zip(args, dims)]
    which, *cases = args
    shape = get_aval(cases[0]).shape
    if get_aval(which).shape != shape:
        which = broadcast_in_dim(which, shape, tuple(range(get_aval(which).ndim)))
    return select_n(which, *cases), 0


ad.primitive_jvps[select_n_p] = _select_n_jvp
ad.primitive_transposes[select_n_p] = _select_n_transpose
batching.primitive_batchers[select_n_p] = _select_n_batcher


# ----------------------------------------------------------------------------------------------
# Shapes: broadcast_in_dim, reshape, transpose, squeeze, expand_dims

def _broadcast_in_dim_shape(a, shape, broadcast_dimensions, sharding=None):
    if any(d < 0 for d in shape):
        raise TypeError(errors.with_hint(f"broadcast_in_dim shape must have every element be nonnegative, got "
                                         f"{shape}.", "sizes in a shape are counts, 0 or more: -1 (infer) only "
                                         "works in reshape."))
    if len(broadcast_dimensions) != a.ndim:
        raise TypeError(errors.with_hint(f"broadcast_in_dim broadcast_dimensions must have length equal to operand "
                        f"ndim; got broadcast_dimensions {broadcast_dimensions} for operand ndim {a.ndim}.",
            "broadcast_dimensions says where each axis of the operand goes: one entry per operand axis."))
    for d, dim in zip(a.shape, broadcast_dimensions):
        if not (0 <= dim < len(shape)) or d not in (1, shape[dim]):
            raise TypeError(errors.with_hint(f"broadcast_in_dim operand dimension sizes must either be 1, or be equal "
                            f"to their corresponding dimensions in the target broadcast shape; got "
                            f"operand of shape {a.shape}, target broadcast shape {shape}, "
                            f"broadcast_dimensions {broadcast_dimensions} ",
                "an operand axis of size n may only go to a target axis of size n (or be 1): check "
                "broadcast_dimensions."))
    return tuple(shape)


def _broadcast_in_dim_impl(x, shape, broadcast_dimensions, sharding=None):
    x = np.asarray(x)
    expanded = np.reshape(x, [x.shape[broadcast_dimensions.index(i)] if i in broadcast_dimensions else 1
                              for i in range(len(shape))])
    return np.broadcast_to(expanded, shape)


def _pp_broadcast_in_dim(params):
    dims = params["broadcast_dimensions"]
    return {"broadcast_dimensions": dims} if dims else {}


broadcast_in_dim_p = standard_primitive(
    "broadcast_in_dim", _broadcast_in_dim_impl, _broadcast_in_dim_shape, same_dtype,
    pp_params=_pp_broadcast_in_dim)


def _broadcast_in_dim_transpose(ct, x, shape, broadcast_dimensions, sharding=None):
    if type(ct) is Zero:
        return [None]
    in_shape = x.aval.shape
    unit = tuple(i for i, d in enumerate(in_shape) if d == 1 and shape[broadcast_dimensions[i]] != 1)
    summed = tuple(i for i in range(len(shape)) if i not in broadcast_dimensions)
    summed += tuple(broadcast_dimensions[i] for i in unit)
    out = reduce_sum(ct, tuple(sorted(summed))) if summed else ct
    if unit:
        out = reshape(out, in_shape)
    return [out]


def _broadcast_in_dim_batcher(args, dims, shape, broadcast_dimensions, sharding=None):
    x, = args
    d, = dims
    x = batching.moveaxis(x, d, 0)
    size = get_aval(x).shape[0]
    new_shape = (size,) + tuple(shape)
    new_dims = (0,) + tuple(b + 1 for b in broadcast_dimensions)
    return broadcast_in_dim(x, new_shape, new_dims), 0


deflinear2(broadcast_in_dim_p, _broadcast_in_dim_transpose)
batching.primitive_batchers[broadcast_in_dim_p] = _broadcast_in_dim_batcher


def _reshape_shape(a, new_sizes, dimensions=None, sharding=None):
    if any(d < 0 for d in new_sizes):
        raise TypeError(errors.with_hint(f"reshape new_sizes must all be positive, got {tuple(new_sizes)}.",
            "sizes in a shape are counts, 0 or more."))
    if int(np.prod(new_sizes, dtype=np.int64)) != a.size:
        raise TypeError(errors.with_hint(f"reshape total size must be unchanged, got new_sizes {new_sizes} "
                        f"(of total size {int(np.prod(new_sizes))}) for shape {a.shape} "
                        f"(of total size {a.size}).",
            "a reshape keeps every element: the new sizes must multiply to the old total."))
    return tuple(new_sizes)


def _reshape_impl(x, new_sizes, dimensions=None, sharding=None):
    """`dimensions` is a transpose applied before reshaping, in row-major order."""
    return np.reshape(x if dimensions is None else np.transpose(x, dimensions), new_sizes)


def _pp_reshape(params):
    return {"dimensions": params.get("dimensions"), "new_sizes": params["new_sizes"], "sharding": None}


reshape_p = standard_primitive("reshape", _reshape_impl, _reshape_shape, same_dtype,
                               pp_params=_pp_reshape)


def _reshape_transpose(ct, x, new_sizes, dimensions=None, sharding=None):
    if dimensions is None:
        return [reshape(ct, x.aval.shape)]
    permuted = tuple(x.aval.shape[d] for d in dimensions)
    return [transpose(reshape(ct, permuted), tuple(np.argsort(dimensions).tolist()))]


deflinear2(reshape_p, _reshape_transpose)


def _reshape_batcher(args, dims, new_sizes, dimensions=None, sharding=None):
    x = batching.moveaxis(args[0], dims[0], 0)
    if dimensions is not None:
        dimensions = (0,) + tuple(d + 1 for d in dimensions)
    return reshape(x, (get_aval(x).shape[0],) + tuple(new_sizes), dimensions), 0


batching.primitive_batchers[reshape_p] = _reshape_batcher

transpose_p = standard_primitive(
    "transpose", lambda x, permutation: np.transpose(x, permutation),
    lambda a, permutation: tuple(a.shape[i] for i in permutation), same_dtype)
deflinear2(transpose_p, lambda ct, x, permutation: [transpose(ct, tuple(np.argsort(permutation).tolist()))])
def _transpose_batcher(args, dims, permutation):
    x, d = args[0], dims[0]
    perm = tuple(p if p < d else p + 1 for p in permutation)
    return transpose(x, (d,) + perm), 0


batching.primitive_batchers[transpose_p] = _transpose_batcher

squeeze_p = standard_primitive(
    "squeeze", lambda x, dimensions: np.squeeze(x, dimensions),
    lambda a, dimensions: tuple(s for i, s in enumerate(a.shape) if i not in dimensions), same_dtype)
deflinear2(squeeze_p, lambda ct, x, dimensions: [reshape(ct, x.aval.shape)])


def _squeeze_batcher(args, dims, dimensions):
    x = batching.moveaxis(args[0], dims[0], 0)
    return squeeze(x, tuple(d + 1 for d in dimensions)), 0


batching.primitive_batchers[squeeze_p] = _squeeze_batcher


# ----------------------------------------------------------------------------------------------
# Reductions

def _reduce_shape(a, axes, out_sharding=None):
    for ax in axes:
        if not 0 <= ax < a.ndim:
            raise ValueError(errors.with_hint(f"reduction axes {axes} out of range for shape {a.shape}",
                "reduce over axes of the operand: from 0 to its rank minus 1."))
    return tuple(s for i, s in enumerate(a.shape) if i not in axes)


def _reducer(name, fn, kinds, pp_sharding=False):
    """`fn` is a ufunc's reduce (np.add.reduce is what np.sum calls, without its wrapper)."""
    pp = (lambda p: {"axes": p["axes"], "out_sharding": None}) if pp_sharding else None
    prim = standard_primitive(name, lambda x, axes, out_sharding=None: fn(x, axis=axes),
                              _reduce_shape, dtype_checked(name, kinds), pp_params=pp)
    numpy_codegen.fresh_output.add(prim)

    def batcher(args, dims, axes, out_sharding=None):
        d = dims[0]
        new_axes = tuple(a + (a >= d) for a in axes)
        out_d = d - builtins.sum(1 for a in new_axes if a < d)
        return prim.bind(args[0], axes=new_axes), out_d
    batching.primitive_batchers[prim] = batcher
    return prim


reduce_sum_p = _reducer("reduce_sum", np.add.reduce, "iufcb", pp_sharding=True)
reduce_max_p = _reducer("reduce_max", np.maximum.reduce, "iufcb")
reduce_min_p = _reducer("reduce_min", np.minimum.reduce, "iufcb")
reduce_prod_p = _reducer("reduce_prod", np.multiply.reduce, "iufc")
reduce_and_p = _reducer("reduce_and", np.logical_and.reduce, "b")
reduce_or_p = _reducer("reduce_or", np.logical_or.reduce, "b")
defzero(reduce_and_p)
defzero(reduce_or_p)


def _reduce_sum_transpose(ct, x, axes, out_sharding=None):
    shape = x.aval.shape
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    return [broadcast_in_dim(ct, shape, kept)]


deflinear2(reduce_sum_p, _reduce_sum_transpose)


def _reduce_chooser_jvp(g, ans, operand, *, axes, out_sharding=None):
    """d max: the tangent at the argmax, averaged over ties (as JAX does)."""
    shape = get_aval(operand).shape
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    location = eq(operand, _expand_to(ans, shape, kept))
    location = convert_element_type(location, get_aval(g).dtype)
    counts = reduce_sum(location, axes)
    return div(reduce_sum(mul(g, location), axes), counts)


def _expand_to(x, shape, kept):
    reshaped_shape = tuple(shape[i] if i in kept else 1 for i in range(len(shape)))
    return reshape(x, reshaped_shape)


defjvp2(reduce_max_p, _reduce_chooser_jvp)
defjvp2(reduce_min_p, _reduce_chooser_jvp)


def _reduce_prod_jvp(g, ans, operand, *, axes, out_sharding=None):
    # d prod = sum_i g_i * prod_{j != i} x_j, computed with exclusive products to survive zeros.
    x = operand
    shape = get_aval(x).shape
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    perm = kept + tuple(axes)
    xt = transpose(x, perm)
    gt = transpose(g, perm)
    n_kept = len(kept)
    flat_shape = tuple(shape[i] for i in kept) + (-1,)
    flat_shape = flat_shape[:-1] + (int(np.prod([shape[a] for a in axes], dtype=np.int64)),)
    xf = reshape(xt, flat_shape)
    gf = reshape(gt, flat_shape)
    from jaxlite.lax import slicing
    axis = n_kept
    before = slicing.cumprod(xf, axis, reverse=False)
    after = slicing.cumprod(xf, axis, reverse=True)
    ones = full_like(slicing.slice_in_dim(xf, 0, 1, axis=axis), 1)
    before = slicing.concatenate([ones, slicing.slice_in_dim(before, 0, flat_shape[-1] - 1, axis=axis)], axis)
    after = slicing.concatenate([slicing.slice_in_dim(after, 1, flat_shape[-1], axis=axis), ones], axis)
    return reduce_sum(mul(gf, mul(before, after)), (axis,))


defjvp2(reduce_prod_p, _reduce_prod_jvp)


def _argminmax(name, fn, comparison):
    def impl(x, axes, index_dtype):
        return fn(x, axis=axes[0]).astype(index_dtype)

    def dtype_rule(a, axes, index_dtype):
        # JAX finds the index with `comparison`, which does not order complex numbers.
        check_dtypes(comparison, [a, a], "iufb")
        return np.dtype(index_dtype)

    prim = standard_primitive(name, impl, lambda a, axes, index_dtype: _reduce_shape(a, axes),
                              dtype_rule, never_weak)

    def batcher(args, dims, axes, index_dtype):
        d = dims[0]
        new_axes = tuple(a + (a >= d) for a in axes)
        out_d = d - builtins.sum(1 for a in new_axes if a < d)
        return prim.bind(args[0], axes=new_axes, index_dtype=index_dtype), out_d
    batching.primitive_batchers[prim] = batcher
    defzero(prim)
    return prim


argmax_p = _argminmax("argmax", np.argmax, "gt")
argmin_p = _argminmax("argmin", np.argmin, "lt")


# ----------------------------------------------------------------------------------------------
# dot_general: contractions and batch dimensions in one primitive

def _dot_general_shape(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None,
                       out_sharding=None):
    (lc, rc), (lb, rb) = dimension_numbers
    for a, b in zip(lc, rc):
        if lhs.shape[a] != rhs.shape[b]:
            raise TypeError(errors.with_hint(f"dot_general requires contracting dimensions to have the same shape, "
                            f"got {tuple(lhs.shape[i] for i in lc)} and {tuple(rhs.shape[i] for i in rc)}.",
                "the contracting dimensions pair axes of equal size: check dimension_numbers and the shapes."))
    for a, b in zip(lb, rb):
        if lhs.shape[a] != rhs.shape[b]:
            raise TypeError(errors.with_hint("dot_general requires lhs batch dimensions and rhs batch dimensions to "
                            "have the same shape",
                "the batch dimensions pair axes of equal size in both operands: check dimension_numbers."))
    batch = tuple(lhs.shape[i] for i in lb)
    lfree = tuple(s for i, s in enumerate(lhs.shape) if i not in lc and i not in lb)
    rfree = tuple(s for i, s in enumerate(rhs.shape) if i not in rc and i not in rb)
    return batch + lfree + rfree


def _dot_general_dtype(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None,
                       out_sharding=None):
    if preferred_element_type is not None:
        return np.dtype(preferred_element_type)
    check_dtypes("dot_general", [lhs, rhs], None)
    return lhs.dtype


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _dot_general_impl(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None,
                      out_sharding=None):
    """BLAS where it applies (np.dot on transposed views, np.tensordot), einsum for batch dims:
    the same choice as jit's code generator, so eager and jitted code cost alike."""
    (lc, rc), (lb, rb) = dimension_numbers
    lhs, rhs = np.asarray(lhs), np.asarray(rhs)
    dtype = np.result_type(lhs, rhs) if preferred_element_type is None else np.dtype(preferred_element_type)
    if dtype == dtypes.bfloat16:  # accumulate in float32, round once at the end (as XLA on a CPU)
        return _dot_general_impl(lhs.astype(np.float32), rhs.astype(np.float32),
                                 dimension_numbers).astype(dtype)
    if lhs.dtype != dtype or rhs.dtype != dtype:  # accumulate in the promised type (int8 -> int32)
        lhs, rhs = lhs.astype(dtype), rhs.astype(dtype)
    if not lb:
        if lhs.ndim <= 2 and rhs.ndim <= 2 and len(lc) == 1 and lhs.ndim and rhs.ndim:
            return np.dot(lhs if lc[0] == lhs.ndim - 1 else lhs.T, rhs if rc[0] == 0 else rhs.T)
        return np.asarray(np.tensordot(lhs, rhs, axes=(list(lc), list(rc))))
    l_sub = list(_LETTERS[:lhs.ndim])
    r_sub = list(_LETTERS[lhs.ndim:lhs.ndim + rhs.ndim])
    for a, b in zip(lc, rc):
        r_sub[b] = l_sub[a]
    for a, b in zip(lb, rb):
        r_sub[b] = l_sub[a]
    out = ([l_sub[i] for i in lb] + [l_sub[i] for i in range(lhs.ndim) if i not in lc and i not in lb]
           + [r_sub[i] for i in range(rhs.ndim) if i not in rc and i not in rb])
    spec = f"{''.join(l_sub)},{''.join(r_sub)}->{''.join(out)}"
    return np.asarray(np.einsum(spec, lhs, rhs, optimize=lhs.ndim + rhs.ndim > 2))


def _pp_dot_general(params):
    """JAX prints precision and preferred_element_type only when they are set."""
    (lc, rc), (lb, rb) = params["dimension_numbers"]
    shown = {"dimension_numbers": f"(({list(lc)}, {list(rc)}), ({list(lb)}, {list(rb)}))"}
    for name in ("precision", "preferred_element_type"):
        value = params.get(name)
        if value is not None:
            shown[name] = value.name if isinstance(value, np.dtype) else value
    return shown


dot_general_p = standard_primitive("dot_general", _dot_general_impl, _dot_general_shape,
                                   _dot_general_dtype, pp_params=_pp_dot_general)


def _dot_general_codegen(em, eqn, ins):
    """Contractions without batch dimensions are np.dot or np.tensordot (BLAS), not einsum."""
    (lc, rc), (lb, rb) = eqn.params["dimension_numbers"]
    x, y = (v.aval for v in eqn.invars)
    if lb or x.dtype != eqn.outvars[0].aval.dtype or y.dtype != eqn.outvars[0].aval.dtype:
        return [em.generic(eqn, ins)]  # the impl accumulates in the promised dtype (int8 -> int32)
    if x.ndim <= 2 and y.ndim <= 2 and len(lc) == 1 and x.ndim and y.ndim:
        # A matrix (or vector) product: transposed views cost nothing, np.dot goes straight to BLAS.
        a = ins[0] if lc == (x.ndim - 1,) else f"{ins[0]}.T"
        b = ins[1] if rc == (0,) else f"{ins[1]}.T"
        return [em.assign(eqn, f"np.dot({a}, {b})")]
    return [em.assign(eqn, f"np.tensordot({ins[0]}, {ins[1]}, axes=({list(lc)}, {list(rc)}))")]


register_lowering(dot_general_p, _dot_general_codegen, "numpy")
numpy_codegen.fresh_output.add(dot_general_p)


def _ranges_like(*xs):
    start = 0
    for x in xs:
        yield tuple(range(start, start + len(x)))
        start += len(x)


def _remaining(original, *removed_lists):
    removed = set(i for r in removed_lists for i in r)
    return tuple(i for i in original if i not in removed)


def _argsort(seq):
    """np.argsort of a few axis numbers, without making arrays of them."""
    return tuple(sorted(range(len(seq)), key=seq.__getitem__))


def _dot_general_transpose_lhs(g, x, y, *, dimension_numbers, preferred_element_type=None,
                               swap_ans=False, precision=None, out_sharding=None):
    (x_contract, y_contract), (x_batch, y_batch) = dimension_numbers
    x_ndim = x.aval.ndim
    x_kept = _remaining(range(x_ndim), x_contract, x_batch)
    y_kept = _remaining(range(get_aval(y).ndim), y_contract, y_batch)
    if swap_ans:
        ans_batch, ans_y, _ = _ranges_like(x_batch, y_kept, x_kept)
    else:
        ans_batch, _, ans_y = _ranges_like(x_batch, x_kept, y_kept)
    dims = ((ans_y, y_kept), (ans_batch, y_batch))
    x_contract_sorted_by_y = tuple(x_contract[i] for i in _argsort(y_contract))
    out_axes = _argsort(tuple(x_batch) + x_kept + x_contract_sorted_by_y)
    out = transpose(dot_general(g, y, dims, preferred_element_type), tuple(out_axes))
    if get_aval(out).dtype != x.aval.dtype:
        out = convert_element_type(out, x.aval.dtype, x.aval.weak_type)
    return out


def _dot_general_transpose_rhs(g, x, y, *, dimension_numbers, preferred_element_type=None,
                               precision=None, out_sharding=None):
    (x_contract, y_contract), (x_batch, y_batch) = dimension_numbers
    swapped = ((y_contract, x_contract), (y_batch, x_batch))
    return _dot_general_transpose_lhs(g, y, x, dimension_numbers=swapped,
                                      preferred_element_type=preferred_element_type, swap_ans=True)


def _dot_general_transpose(ct, lhs, rhs, **params):
    if type(ct) is Zero:
        return [None, None]
    if is_undefined_primal(lhs):
        return [_dot_general_transpose_lhs(ct, lhs, rhs, **params), None]
    return [None, _dot_general_transpose_rhs(ct, lhs, rhs, **params)]


defjvp(dot_general_p,
       lambda g, x, y, **p: dot_general(g, y, p["dimension_numbers"], p.get("preferred_element_type")),
       lambda g, x, y, **p: dot_general(x, g, p["dimension_numbers"], p.get("preferred_element_type")))
ad.primitive_transposes[dot_general_p] = _dot_general_transpose


def _dot_general_batcher(args, dims, dimension_numbers, precision=None, preferred_element_type=None,
                         out_sharding=None):
    """Batched operands gain a batch dimension in dot_general's own batch dimensions."""
    lhs, rhs = args
    ld, rd = dims
    (lc, rc), (lb, rb) = dimension_numbers
    shift = lambda dims_, d: tuple(i + (d is not not_mapped and i >= d) for i in dims_)
    if ld is not not_mapped and rd is not not_mapped:
        lhs = batching.moveaxis(lhs, ld, 0)
        rhs = batching.moveaxis(rhs, rd, 0)
        new_dn = ((shift(lc, 0), shift(rc, 0)), ((0,) + shift(lb, 0), (0,) + shift(rb, 0)))
        return dot_general(lhs, rhs, new_dn, preferred_element_type), 0
    if ld is not not_mapped:
        lhs_c, lhs_b = shift(lc, ld), shift(lb, ld)
        new_dn = ((lhs_c, rc), (lhs_b, rb))
        out = dot_general(lhs, rhs, new_dn, preferred_element_type)
        # Where the batch axis lands: after batch dims, among lhs's free dims in order.
        lhs_free = [i for i in range(get_aval(lhs).ndim) if i not in lhs_c and i not in lhs_b]
        return out, len(lb) + lhs_free.index(ld)
    rhs_c, rhs_b = shift(rc, rd), shift(rb, rd)
    new_dn = ((lc, rhs_c), (lb, rhs_b))
    out = dot_general(lhs, rhs, new_dn, preferred_element_type)
    lhs_free = get_aval(lhs).ndim - len(lc) - len(lb)
    rhs_free = [i for i in range(get_aval(rhs).ndim) if i not in rhs_c and i not in rhs_b]
    return out, len(lb) + lhs_free + rhs_free.index(rd)


batching.primitive_batchers[dot_general_p] = _dot_general_batcher


# ----------------------------------------------------------------------------------------------
# clamp, rev and sort

def _clamp_shape(lo, x, hi):
    for name, bound in (("min", lo), ("max", hi)):
        if bound.shape and bound.shape != x.shape:
            raise TypeError(errors.with_hint(f"clamp requires {name}.shape == operand.shape or {name}.shape == (), "
                            f"got {bound.shape}.",
                "clamp's bounds are scalars or arrays of the operand's shape: broadcast them first."))
    return x.shape


clamp_p = standard_primitive("clamp", lambda lo, x, hi: np.minimum(np.maximum(x, lo), hi),
                             _clamp_shape, dtype_checked("clamp", None))


def _clamp_jvp_bound(picked):
    """The tangent of a bound flows where that bound is the answer (JAX's tie rules)."""
    def rule(g, lo, x, hi):
        shape = get_aval(x).shape
        return select(picked(lo, x, hi), _maybe_broadcast(shape, g), full_like(x, 0, shape=shape))
    return rule


defjvp(clamp_p,
       _clamp_jvp_bound(lambda lo, x, hi: bitwise_and(gt(lo, x), lt(lo, hi))),
       lambda g, lo, x, hi: select(bitwise_and(gt(x, lo), lt(x, hi)), g, full_like(g, 0)),
       _clamp_jvp_bound(lambda lo, x, hi: lt(hi, x)))


def _clamp_batcher(args, dims):
    lo, x, hi = args
    if dims[0] is not_mapped and dims[2] is not_mapped and not get_aval(lo).shape \
            and not get_aval(hi).shape:
        return clamp(lo, x, hi), dims[1]
    size = batching.axis_size_of(args, dims)
    x = batching.bdim_at_front(x, dims[1], size)
    shape = get_aval(x).shape

    def bound(b, d):
        if d is not_mapped and not get_aval(b).shape:
            return b
        b = batching.bdim_at_front(b, d, size)
        return b if get_aval(b).shape == shape else broadcast_in_dim(b, shape, (0,))
    return clamp(bound(lo, dims[0]), x, bound(hi, dims[2])), 0


batching.primitive_batchers[clamp_p] = _clamp_batcher

rev_p = standard_primitive("rev", lambda x, dimensions: np.flip(x, dimensions),
                           lambda a, dimensions: a.shape, same_dtype)
deflinear2(rev_p, lambda ct, x, dimensions: [rev(ct, dimensions)])
batching.primitive_batchers[rev_p] = lambda args, dims, dimensions: (
    rev(args[0], tuple(d + (d >= dims[0]) for d in dimensions)), dims[0])


class RoundingMethod(enum.IntEnum):
    """How `lax.round` breaks ties: 0 rounds half away from zero, 1 to the nearest even."""
    AWAY_FROM_ZERO = 0
    TO_NEAREST_EVEN = 1


def _sort_impl(*operands, dimension, is_stable, num_keys):
    """Lexicographic by the first num_keys operands; NaNs last and -0.0 == 0.0, as in JAX."""
    moved = [np.moveaxis(np.asarray(x), dimension, -1) for x in operands]
    keys = [np.where(k == 0, np.zeros_like(k), k) if dtypes.kind(k.dtype) == "f" else k
            for k in moved[:num_keys]]
    order = np.lexsort(keys[::-1], axis=-1) if moved[0].ndim else np.zeros((), np.intp)
    outs = [np.moveaxis(np.take_along_axis(x, order, -1), -1, dimension) if x.ndim else x
            for x in moved]
    return [ArrayImpl(o, get_aval(x).weak_type) for o, x in zip(outs, operands)]


def _sort_abstract_eval(*avals, dimension, is_stable, num_keys):
    if len({a.shape for a in avals}) != 1:
        raise TypeError(errors.with_hint(f"sort arguments must have the same shape, got "
                        f"{', '.join(str(a.shape) for a in avals)}",
            "sort all operands along one shape: give them the same shape."))
    if not 1 <= num_keys <= len(avals):
        raise ValueError(errors.with_hint(f"num_keys={num_keys} must be between 1 and the number of operands",
            "num_keys counts the operands to sort by, from 1 to the number of operands."))
    return list(avals)


sort_p = Primitive("sort")
sort_p.multiple_results = True
sort_p.def_impl(_sort_impl)
sort_p.def_abstract_eval(_sort_abstract_eval)


def _sort_jvp(primals, tangents, *, dimension, is_stable, num_keys):
    """Sort an iota along with the operands; the permutation it records gathers the tangents."""
    shape = get_aval(primals[0]).shape
    iotas = [broadcasted_iota(np.int32, shape, d) for d in range(len(shape))]
    sorted_ = sort_p.bind(*primals, iotas[dimension], dimension=dimension, is_stable=is_stable,
                          num_keys=num_keys)
    perm = tuple(sorted_[-1] if d == dimension else iotas[d] for d in range(len(shape)))
    tangents_out = [t if type(t) is Zero else t[perm] for t in tangents]
    return sorted_[:-1], tangents_out


def _sort_batcher(args, dims, *, dimension, is_stable, num_keys):
    size = batching.axis_size_of(args, dims)
    args = [batching.bdim_at_front(x, d, size) for x, d in zip(args, dims)]
    return sort_p.bind(*args, dimension=dimension + 1, is_stable=is_stable,
                       num_keys=num_keys), [0] * len(args)


ad.primitive_jvps[sort_p] = _sort_jvp
batching.primitive_batchers[sort_p] = _sort_batcher


def _top_k_impl(operand, *, k, axis):
    """The k largest entries along `axis` and where they were: ties keep the lower index first
    and NaN counts as the largest, as in XLA. A stable ascending sort of the reversed array, read
    backwards, is a stable descending sort."""
    _top_k_abstract_eval(get_aval(operand), k=k, axis=axis)  # JAX's checks, eagerly too
    x = np.asarray(operand)
    n = x.shape[axis]
    ascending_of_reversed = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    order = (n - 1) - np.flip(ascending_of_reversed, axis)
    indices = np.take(order, np.arange(k), axis=axis)
    values = np.take_along_axis(x, indices, axis=axis)
    return [ArrayImpl(values, get_aval(operand).weak_type), ArrayImpl(indices.astype(np.int32), False)]


def _top_k_abstract_eval(operand, *, k, axis):
    if k < 0:
        raise ValueError(f"k argument to top_k must be nonnegative, got {k}")
    if operand.shape[axis] < k:
        raise ValueError(f"k argument to top_k must be no larger than size along axis; got k={k} with "
                         f"shape={list(operand.shape)} and axis={axis}")
    shape = operand.shape[:axis] + (k,) + operand.shape[axis + 1:]
    return [ShapedArray(shape, operand.dtype, operand.weak_type), ShapedArray(shape, np.dtype(np.int32))]


top_k_p = Primitive("top_k")
top_k_p.multiple_results = True
top_k_p.def_impl(_top_k_impl)
top_k_p.def_abstract_eval(_top_k_abstract_eval)


def _top_k_jvp(primals, tangents, *, k, axis):
    """The tangent of each value is the tangent of the entry it was taken from."""
    (operand,), (t,) = primals, tangents
    values, indices = top_k_p.bind(operand, k=k, axis=axis)
    if type(t) is Zero:
        return [values, indices], [Zero.from_primal_value(values), Zero.from_primal_value(indices)]
    from jaxlite.numpy import lax_numpy
    t_out = lax_numpy.take_along_axis(t, indices, axis=axis)
    return [values, indices], [t_out, Zero.from_primal_value(indices)]


def _top_k_batcher(args, dims, *, k, axis):
    (x,), (d,) = args, dims
    x = batching.moveaxis(x, d, 0)
    return top_k_p.bind(x, k=k, axis=axis + 1), [0, 0]


ad.primitive_jvps[top_k_p] = _top_k_jvp
batching.primitive_batchers[top_k_p] = _top_k_batcher


# ----------------------------------------------------------------------------------------------
# Stopping gradients, iota, copies

stop_gradient_p = standard_primitive("stop_gradient", lambda x: x, lambda a: a.shape, same_dtype)
defzero(stop_gradient_p)
batching.defvectorized(stop_gradient_p)

copy_p = standard_primitive("copy", lambda x: np.array(x), lambda a: a.shape, same_dtype)
deflinear2(copy_p, lambda ct, x: [ct])
batching.defvectorized(copy_p)


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


def _iota_impl(dtype, shape, dimension, sharding=None):
    idx = np.arange(shape[dimension], dtype=dtype)
    view = [1] * len(shape)
    view[dimension] = shape[dimension]
    return np.broadcast_to(idx.reshape(view), shape)


iota_p = standard_primitive("iota", _iota_impl, lambda dtype, shape, dimension, sharding=None: shape,
                            lambda dtype, shape, dimension, sharding=None: np.dtype(dtype), never_weak)


# ----------------------------------------------------------------------------------------------
# The lax functions users call. Python scalars become weak arrays of the other operand's dtype.

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
bitwise_and = _binary(and_p)
bitwise_or = _binary(or_p)
bitwise_xor = _binary(xor_p)
shift_left = _binary(shift_left_p)
shift_right_logical = _binary(shift_right_logical_p)
shift_right_arithmetic = _binary(shift_right_arithmetic_p)
eq = _binary(eq_p)
ne = _binary(ne_p)
lt = _binary(lt_p)
le = _binary(le_p)
gt = _binary(gt_p)
ge = _binary(ge_p)
neg = unary(neg_p)
sign = unary(sign_p)
floor = unary(floor_p)
ceil = unary(ceil_p)
is_finite = unary(is_finite_p)
exp = unary(exp_p)
exp2 = unary(exp2_p)
log = unary(log_p)
log1p = unary(log1p_p)
expm1 = unary(expm1_p)
sin = unary(sin_p)
cos = unary(cos_p)
tan = unary(tan_p)
asin = unary(asin_p)
acos = unary(acos_p)
atan = unary(atan_p)
sinh = unary(sinh_p)
cosh = unary(cosh_p)
tanh = unary(tanh_p)
asinh = unary(asinh_p)
acosh = unary(acosh_p)
atanh = unary(atanh_p)
sqrt = unary(sqrt_p)
rsqrt = unary(rsqrt_p)
cbrt = unary(cbrt_p)
square = unary(square_p)
logistic = unary(logistic_p)
abs = unary(abs_p)
bitwise_not = unary(not_p)
population_count = unary(population_count_p)

def add_any(x, y):
    return add_any_p.bind(x, y)


def _zeros_like_shaped_array(aval):
    zero = ArrayImpl(np.zeros((), aval.dtype), aval.weak_type)
    return broadcast_in_dim(zero, aval.shape, ()) if aval.shape else zero


ad_util.aval_zeros_likers[ShapedArray] = _zeros_like_shaped_array


def reciprocal(x):
    return integer_pow(x, -1)


def integer_pow(x, y):
    return integer_pow_p.bind(to_array(x), y=int(y))


def round(x, rounding_method=0):
    return round_p.bind(to_array(x), rounding_method=int(rounding_method))


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


def select_n(which, *cases):
    if not cases:
        raise ValueError(errors.with_hint("select_n must have at least one case",
            "give select_n at least one case."))
    return select_n_p.bind(to_array(which), *[to_array(c) for c in cases])


def select(pred, on_true, on_false):
    """`lax.select`: on_true where pred, else on_false."""
    return select_n(pred, on_false, on_true)


def broadcast_in_dim(x, shape, broadcast_dimensions):
    x = to_array(x)
    shape = tuple(int(s) for s in shape)
    dims = tuple(int(d) for d in broadcast_dimensions)
    if get_aval(x).shape == shape and dims == tuple(range(len(shape))) and not isinstance(x, core.Tracer):
        return x
    return broadcast_in_dim_p.bind(x, shape=shape, broadcast_dimensions=dims, sharding=None)


def broadcast(x, sizes):
    """Add leading dimensions of the given sizes."""
    x = to_array(x)
    ndim = get_aval(x).ndim
    return broadcast_in_dim(x, tuple(sizes) + get_aval(x).shape,
                            tuple(range(len(sizes), len(sizes) + ndim)))


def reshape(x, new_sizes, dimensions=None):
    x = to_array(x)
    new_sizes = tuple(int(s) for s in new_sizes)
    shape = get_aval(x).shape
    if dimensions is not None:
        dimensions = tuple(int(d) for d in dimensions)
        if dimensions == tuple(range(len(shape))):
            dimensions = None
    # As in JAX, a reshape to the same shape is skipped, except of a rank-0 tracer.
    if shape == new_sizes and dimensions is None and (shape or not isinstance(x, core.Tracer)):
        return x
    return reshape_p.bind(x, new_sizes=new_sizes, dimensions=dimensions, sharding=None)


def transpose(x, permutation):
    x = to_array(x)
    permutation = tuple(int(p) for p in permutation)
    if permutation == tuple(range(get_aval(x).ndim)):
        return x
    return transpose_p.bind(x, permutation=permutation)


def squeeze(x, dimensions):
    x = to_array(x)
    ndim = get_aval(x).ndim
    dimensions = tuple(sorted(int(d) % ndim for d in dimensions))
    if not dimensions:
        return x
    return squeeze_p.bind(x, dimensions=dimensions)


def expand_dims(x, dimensions):
    x = to_array(x)
    if not len(dimensions):
        return x
    aval = get_aval(x)
    ndim_out = aval.ndim + len(dimensions)
    dims = sorted(int(d) % ndim_out for d in dimensions)
    shape = list(aval.shape)
    for d in dims:
        shape.insert(d, 1)
    kept = tuple(i for i in range(ndim_out) if i not in dims)
    return broadcast_in_dim(x, tuple(shape), kept)


def _reduce(prim):
    def fn(x, axes):
        x = to_array(x)
        ndim = get_aval(x).ndim
        axes = tuple(sorted(int(a) % ndim if ndim else int(a) for a in axes))
        return prim.bind(x, axes=axes, out_sharding=None) if prim is reduce_sum_p else prim.bind(x, axes=axes)
    fn.__name__ = prim.name
    return fn


reduce_sum = _reduce(reduce_sum_p)
reduce_max = _reduce(reduce_max_p)
reduce_min = _reduce(reduce_min_p)
reduce_prod = _reduce(reduce_prod_p)
reduce_and = _reduce(reduce_and_p)
reduce_or = _reduce(reduce_or_p)


def argmax(x, axis, index_dtype):
    return argmax_p.bind(to_array(x), axes=(int(axis),), index_dtype=np.dtype(index_dtype))


def argmin(x, axis, index_dtype):
    return argmin_p.bind(to_array(x), axes=(int(axis),), index_dtype=np.dtype(index_dtype))


def dot_general(lhs, rhs, dimension_numbers, preferred_element_type=None, precision=None):
    (lc, rc), (lb, rb) = dimension_numbers
    dn = ((tuple(int(i) for i in lc), tuple(int(i) for i in rc)),
          (tuple(int(i) for i in lb), tuple(int(i) for i in rb)))
    lhs, rhs = to_array(lhs), to_array(rhs)
    if preferred_element_type is not None:
        preferred_element_type = dtypes.canonicalize_dtype(preferred_element_type)
    return dot_general_p.bind(lhs, rhs, dimension_numbers=dn, precision=None,
                              preferred_element_type=preferred_element_type, out_sharding=None)


def dot(lhs, rhs, preferred_element_type=None, precision=None):
    lhs, rhs = to_array(lhs), to_array(rhs)
    contract = get_aval(lhs).ndim - 1
    return dot_general(lhs, rhs, (((contract,), (0,)), ((), ())), preferred_element_type)


def stop_gradient(x):
    """Block derivatives: the value passes through, its tangent is zero. Works on pytrees."""
    from jaxlite import tree_util
    return tree_util.tree_map(lambda leaf: stop_gradient_p.bind(to_array(leaf)), x)


def iota(dtype, size):
    return broadcasted_iota(dtype, (size,), 0)


def broadcasted_iota(dtype, shape, dimension):
    if any(type(s) is int and s < 0 for s in shape):
        raise TypeError(f"iota shape must have every element be nonnegative, got {tuple(shape)}.")
    return iota_p.bind(dtype=dtypes.check_user_dtype(dtype, "broadcasted_iota"),
                       shape=tuple(int(s) for s in shape), dimension=int(dimension), sharding=None)


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



def clamp(min, x, max):
    """`min <= x <= max` elementwise; the bounds may be scalars."""
    x = to_array(x)
    return clamp_p.bind(to_array(min, get_aval(x)), x, to_array(max, get_aval(x)))


def rev(operand, dimensions):
    return rev_p.bind(to_array(operand), dimensions=tuple(int(d) for d in dimensions))


def sort(operand, dimension=-1, is_stable=True, num_keys=1):
    """Sort one array, or several along the same axis keyed by the first `num_keys` of them."""
    multiple = isinstance(operand, (tuple, list))
    operands = [to_array(x) for x in (operand if multiple else [operand])]
    ndim = get_aval(operands[0]).ndim
    dimension = int(dimension) % ndim if ndim else int(dimension)
    outs = sort_p.bind(*operands, dimension=dimension, is_stable=bool(is_stable),
                       num_keys=int(num_keys))
    return tuple(outs) if multiple else outs[0]


def top_k(operand, k, *, axis=-1):
    """[the k largest values along `axis`, their int32 indices], largest first."""
    operand = to_array(operand)
    ndim = get_aval(operand).ndim
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return top_k_p.bind(operand, k=operator.index(k), axis=axis % ndim)


def sort_key_val(keys, values, dimension=-1, is_stable=True):
    return sort((keys, values), dimension, is_stable, num_keys=1)


# ----------------------------------------------------------------------------------------------
# On XLA (jit's xla backend), each primitive is the jax.lax function of the same meaning.

def _convert_element_type_on_xla(ctx, x, new_dtype, weak_type=False, **params):
    """A complex-to-real conversion keeps the real part (quietly, as jaxlite's own does)."""
    lax = ctx.lax
    if ctx.jax.numpy.iscomplexobj(x) and np.dtype(new_dtype).kind != "c":
        x = lax.real(x)
    return lax.convert_element_type(x, new_dtype)


for _prim, _rule in [
    (abs_p, lowers_to(lambda lax: lax.abs)),
    (acos_p, lowers_to(lambda lax: lax.acos)),
    (acosh_p, lowers_to(lambda lax: lax.acosh)),
    (add_p, lowers_to(lambda lax: lax.add)),
    (asin_p, lowers_to(lambda lax: lax.asin)),
    (asinh_p, lowers_to(lambda lax: lax.asinh)),
    (atan2_p, lowers_to(lambda lax: lax.atan2)),
    (atan_p, lowers_to(lambda lax: lax.atan)),
    (atanh_p, lowers_to(lambda lax: lax.atanh)),
    (bitcast_convert_type_p, lowers_to(lambda lax: lax.bitcast_convert_type)),
    (cbrt_p, lowers_to(lambda lax: lax.cbrt)),
    (ceil_p, lowers_to(lambda lax: lax.ceil)),
    (clamp_p, lowers_to(lambda lax: lax.clamp)),
    (complex_p, lowers_to(lambda lax: lax.complex)),
    (conj_p, lowers_to(lambda lax: lax.conj)),
    (cos_p, lowers_to(lambda lax: lax.cos)),
    (cosh_p, lowers_to(lambda lax: lax.cosh)),
    (div_p, lowers_to(lambda lax: lax.div)),
    (eq_p, lowers_to(lambda lax: lax.eq)),
    (exp2_p, lowers_to(lambda lax: lax.exp2)),
    (exp_p, lowers_to(lambda lax: lax.exp)),
    (expm1_p, lowers_to(lambda lax: lax.expm1)),
    (floor_p, lowers_to(lambda lax: lax.floor)),
    (ge_p, lowers_to(lambda lax: lax.ge)),
    (gt_p, lowers_to(lambda lax: lax.gt)),
    (imag_p, lowers_to(lambda lax: lax.imag)),
    (integer_pow_p, lowers_to(lambda lax: lax.integer_pow)),
    (is_finite_p, lowers_to(lambda lax: lax.is_finite)),
    (le_p, lowers_to(lambda lax: lax.le)),
    (log1p_p, lowers_to(lambda lax: lax.log1p)),
    (log_p, lowers_to(lambda lax: lax.log)),
    (logistic_p, lowers_to(lambda lax: lax.logistic)),
    (lt_p, lowers_to(lambda lax: lax.lt)),
    (max_p, lowers_to(lambda lax: lax.max)),
    (min_p, lowers_to(lambda lax: lax.min)),
    (mul_p, lowers_to(lambda lax: lax.mul)),
    (ne_p, lowers_to(lambda lax: lax.ne)),
    (neg_p, lowers_to(lambda lax: lax.neg)),
    (nextafter_p, lowers_to(lambda lax: lax.nextafter)),
    (population_count_p, lowers_to(lambda lax: lax.population_count)),
    (pow_p, lowers_to(lambda lax: lax.pow)),
    (real_p, lowers_to(lambda lax: lax.real)),
    (reduce_and_p, lowers_to(lambda lax: lax.reduce_and)),
    (reduce_max_p, lowers_to(lambda lax: lax.reduce_max)),
    (reduce_min_p, lowers_to(lambda lax: lax.reduce_min)),
    (reduce_or_p, lowers_to(lambda lax: lax.reduce_or)),
    (reduce_precision_p, lowers_to(lambda lax: lax.reduce_precision)),
    (reduce_prod_p, lowers_to(lambda lax: lax.reduce_prod)),
    (rem_p, lowers_to(lambda lax: lax.rem)),
    (rev_p, lowers_to(lambda lax: lax.rev)),
    (rsqrt_p, lowers_to(lambda lax: lax.rsqrt)),
    (shift_left_p, lowers_to(lambda lax: lax.shift_left)),
    (shift_right_arithmetic_p, lowers_to(lambda lax: lax.shift_right_arithmetic)),
    (shift_right_logical_p, lowers_to(lambda lax: lax.shift_right_logical)),
    (sign_p, lowers_to(lambda lax: lax.sign)),
    (sin_p, lowers_to(lambda lax: lax.sin)),
    (sinh_p, lowers_to(lambda lax: lax.sinh)),
    (sqrt_p, lowers_to(lambda lax: lax.sqrt)),
    (square_p, lowers_to(lambda lax: lax.square)),
    (squeeze_p, lowers_to(lambda lax: lax.squeeze)),
    (sub_p, lowers_to(lambda lax: lax.sub)),
    (tan_p, lowers_to(lambda lax: lax.tan)),
    (tanh_p, lowers_to(lambda lax: lax.tanh)),
    (transpose_p, lowers_to(lambda lax: lax.transpose)),
    (add_any_p, lowers_to(lambda lax: lax.add)),
    (and_p, lowers_to(lambda lax: lax.bitwise_and)),
    (or_p, lowers_to(lambda lax: lax.bitwise_or)),
    (xor_p, lowers_to(lambda lax: lax.bitwise_xor)),
    (not_p, lowers_to(lambda lax: lax.bitwise_not)),
    (round_p, lowers_to(lambda lax: lax.round)),
    (stop_gradient_p, lowers_to(lambda lax: lax.stop_gradient)),
    (convert_element_type_p, _convert_element_type_on_xla),
    (broadcast_in_dim_p, lambda ctx, x, shape, broadcast_dimensions, **_: ctx.lax.broadcast_in_dim(
        x, shape, broadcast_dimensions)),
    (reshape_p, lambda ctx, x, new_sizes, dimensions=None, **_: ctx.lax.reshape(x, new_sizes, dimensions)),
    (reduce_sum_p, lambda ctx, x, axes, **_: ctx.lax.reduce_sum(x, axes)),
    (argmax_p, lambda ctx, x, axes, index_dtype: ctx.lax.argmax(x, axes[0], index_dtype)),
    (argmin_p, lambda ctx, x, axes, index_dtype: ctx.lax.argmin(x, axes[0], index_dtype)),
    (dot_general_p, lambda ctx, x, y, dimension_numbers, preferred_element_type=None, **_: ctx.lax.dot_general(
        x, y, dimension_numbers, preferred_element_type=preferred_element_type)),
    (iota_p, lambda ctx, dtype, shape, dimension, **_: ctx.lax.broadcasted_iota(dtype, shape, dimension)),
    (select_n_p, lambda ctx, which, *cases: ctx.lax.select_n(which, *cases)),
    (copy_p, lambda ctx, x: x),
    (top_k_p, lambda ctx, x, k, axis: list(ctx.lax.top_k(x, k, axis=axis))),
    (sort_p, lambda ctx, *xs, dimension, is_stable, num_keys: ctx.lax.sort(
        xs, dimension=dimension, is_stable=is_stable, num_keys=num_keys)),
]:
    register_lowering(_prim, _rule, "xla")
register_lowering(sort_p, numpy_codegen.impl_call(sort_p), "numpy")
register_lowering(top_k_p, numpy_codegen.impl_call(top_k_p), "numpy")


# What vmap itself needs to move, insert and sum out batch axes (see interpreters/batching.py).
batching.axis_ops.update(transpose=transpose, broadcast_in_dim=broadcast_in_dim, reduce_sum=reduce_sum)
