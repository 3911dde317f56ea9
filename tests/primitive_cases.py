"""One table of primitive applications, shared by the oracle, batching and finite-difference tests.

Each case applies one primitive through its `lax` function. `fn(lax, *args)` is written once and
run with `jax.lax` and with `jaxlite.lax`; `make(rng)` draws fresh NumPy arguments of fixed shapes
inside the primitive's domain, so the batching tests can stack several draws.
"""
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Case:
    id: str
    prim: str                    # the primitive this case exercises (for counting coverage)
    fn: object                   # fn(lax, *args)
    make: object                 # make(rng) -> list of NumPy arguments
    diff: tuple = ()             # argnums with derivatives (floats away from kinks)
    rtol: float = 1e-5
    atol: float = 1e-6
    jaxpr: bool = True           # compare make_jaxpr text with JAX's
    batch: bool = True
    fd: bool = True              # check derivatives by finite differences
    jax: bool = True             # JAX's lax has this function too (then JAX is an oracle as well)
    tags: tuple = field(default_factory=tuple)

    def args(self, seed=0):
        return self.make(np.random.default_rng(seed))


# Argument makers: each returns a function of the rng.

def normal(*shape):
    return lambda rng: rng.normal(size=shape).astype(np.float32)


def uniform(lo, hi, *shape):
    return lambda rng: rng.uniform(lo, hi, size=shape).astype(np.float32)


def signed_uniform(lo, hi, *shape):
    """|x| in [lo, hi] with a random sign: away from zero."""
    return lambda rng: (rng.uniform(lo, hi, size=shape) * rng.choice([-1, 1], size=shape)).astype(np.float32)


def ints(lo, hi, *shape, dtype=np.int32):
    return lambda rng: rng.integers(lo, hi, size=shape).astype(dtype)


def bools(*shape):
    return lambda rng: rng.random(size=shape) < 0.5


def distinct(*shape):
    """Floats with no two closer than 0.05: sorts, maxima and their derivatives are unambiguous."""
    def make(rng):
        n = int(np.prod(shape, dtype=np.int64))
        values = (rng.permutation(n) + rng.uniform(0.05, 0.95, size=n)) / max(n, 1) * 4 - 2
        return values.reshape(shape).astype(np.float32)
    return make


def args_of(*makers):
    return lambda rng: [m(rng) for m in makers]


CASES = []


def add_case(id, prim, fn, *makers, **kw):
    CASES.append(Case(id, prim, fn, args_of(*makers), **kw))


SHAPES = [(), (2, 3)]


def _shape_id(shape):
    return "x".join(map(str, shape)) or "scalar"


# ----------------------------------------------------------------------------------------------
# Elementwise unary: (lax function name, argument maker for a shape, differentiable?)

def _unary(name, maker, diff=True, rtol=1e-5, prim=None, shapes=SHAPES, fd=True):
    for shape in shapes:
        add_case(f"{name}-{_shape_id(shape)}", prim or name,
                 lambda lax, x, name=name: getattr(lax, name)(x), maker(*shape),
                 diff=(0,) if diff else (), rtol=rtol, fd=fd)


_unary("neg", normal)
_unary("exp", normal)
_unary("log", lambda *s: uniform(0.5, 3.0, *s))
_unary("log1p", lambda *s: uniform(-0.5, 2.0, *s))
_unary("expm1", normal)
_unary("sin", normal)
_unary("cos", normal)
_unary("tan", lambda *s: uniform(-1.2, 1.2, *s), rtol=2e-5)
_unary("tanh", normal)
_unary("sinh", normal)
_unary("cosh", normal)
_unary("asin", lambda *s: uniform(-0.9, 0.9, *s))
_unary("acos", lambda *s: uniform(-0.9, 0.9, *s))
_unary("atan", normal)
_unary("sqrt", lambda *s: uniform(0.5, 3.0, *s))
_unary("rsqrt", lambda *s: uniform(0.5, 3.0, *s))
_unary("abs", lambda *s: signed_uniform(0.2, 2.0, *s))
_unary("sign", normal, diff=False)
_unary("logistic", normal)
_unary("erf", normal)
_unary("erf_inv", lambda *s: uniform(-0.9, 0.9, *s), rtol=1e-4)
_unary("floor", lambda *s: uniform(-3.0, 3.0, *s), diff=False)
_unary("ceil", lambda *s: uniform(-3.0, 3.0, *s), diff=False)
_unary("round", lambda *s: uniform(-3.0, 3.0, *s), diff=False)
_unary("is_finite", normal, diff=False)
_unary("square", normal)
_unary("stop_gradient", normal, prim="stop_gradient", fd=False)
for _shape in [(3,), (2, 3)]:
    add_case(f"sign-int-{_shape_id(_shape)}", "sign", lambda lax, x: lax.sign(x), ints(-3, 4, *_shape))
    add_case(f"abs-int-{_shape_id(_shape)}", "abs", lambda lax, x: lax.abs(x), ints(-3, 4, *_shape))
    add_case(f"neg-int-{_shape_id(_shape)}", "neg", lambda lax, x: lax.neg(x), ints(-3, 4, *_shape))
    add_case(f"round-even-{_shape_id(_shape)}", "round",
             lambda lax, x: lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN),
             lambda rng, s=_shape: (rng.integers(-6, 6, size=s) / 2).astype(np.float32))
    add_case(f"round-away-halves-{_shape_id(_shape)}", "round", lambda lax, x: lax.round(x),
             lambda rng, s=_shape: (rng.integers(-6, 6, size=s) / 2).astype(np.float32))
for _y in (0, 1, 2, 3, -1, -2):
    add_case(f"integer_pow-{_y}-2x3", "integer_pow", lambda lax, x, y=_y: lax.integer_pow(x, y),
             signed_uniform(0.5, 2.0, 2, 3), diff=(0,))
add_case("integer_pow-3-scalar", "integer_pow", lambda lax, x: lax.integer_pow(x, 3), normal(), diff=(0,))
add_case("integer_pow-int", "integer_pow", lambda lax, x: lax.integer_pow(x, 3), ints(-3, 4, 4))
add_case("is_finite-nonfinite", "is_finite", lambda lax, x: lax.is_finite(x),
         lambda rng: np.array([1.0, np.inf, -np.inf, np.nan], np.float32))
add_case("exp-weak-python-scalar", "exp", lambda lax: lax.exp(1.5), batch=False)

# ----------------------------------------------------------------------------------------------
# Elementwise binary, with broadcasting of rank-0 and size-1 operands where lax allows it

_BINARY_SHAPES = [((), ()), ((2, 3), (2, 3)), ((2, 3), ()), ((2, 3), (1, 3)), ((2, 1), (2, 3))]


def _binary(name, mx, my, diff=(0, 1), rtol=1e-5, shapes=_BINARY_SHAPES):
    for sx, sy in shapes:
        add_case(f"{name}-{_shape_id(sx)}-{_shape_id(sy)}", name,
                 lambda lax, x, y, name=name: getattr(lax, name)(x, y), mx(*sx), my(*sy),
                 diff=diff, rtol=rtol)


_binary("add", normal, normal)
_binary("sub", normal, normal)
_binary("mul", normal, normal)
_binary("div", normal, lambda *s: signed_uniform(0.5, 2.0, *s))
_binary("pow", lambda *s: uniform(0.5, 2.0, *s), normal, rtol=2e-5)
_binary("atan2", normal, lambda *s: signed_uniform(0.5, 2.0, *s))
_binary("max", distinct, distinct, shapes=_BINARY_SHAPES[:4])
_binary("min", distinct, distinct, shapes=_BINARY_SHAPES[:4])
_binary("rem", lambda *s: uniform(-3.0, 3.0, *s), lambda *s: signed_uniform(0.7, 1.3, *s),
        shapes=_BINARY_SHAPES[:4])
for _name in ("add", "sub", "mul", "max", "min"):
    add_case(f"{_name}-int", _name, lambda lax, x, y, n=_name: getattr(lax, n)(x, y),
             ints(-5, 5, 2, 3), ints(-5, 5, 2, 3))
add_case("div-int-truncates", "div", lambda lax, x, y: lax.div(x, y), ints(-9, 9, 8),
         lambda rng: (rng.integers(1, 4, size=8) * rng.choice([-1, 1], size=8)).astype(np.int32))
add_case("rem-int", "rem", lambda lax, x, y: lax.rem(x, y), ints(-9, 9, 8),
         lambda rng: (rng.integers(1, 4, size=8) * rng.choice([-1, 1], size=8)).astype(np.int32))
add_case("max-equal-operands-split-gradient", "max", lambda lax, x: lax.max(x, x), normal(3), diff=(0,))
for _name, _scalar in (("add", 2.0), ("mul", 0.5), ("sub", 1.0), ("div", 2.0), ("pow", 2.0), ("max", 0.0)):
    add_case(f"{_name}-python-scalar-weak", _name, lambda lax, x, n=_name, s=_scalar: getattr(lax, n)(x, s),
             uniform(0.5, 2.0, 2, 3), diff=(0,))
    add_case(f"{_name}-python-scalar-left", _name, lambda lax, x, n=_name, s=_scalar: getattr(lax, n)(s, x),
             uniform(0.5, 2.0, 3), diff=(0,))
add_case("add-two-python-scalars-stay-weak", "add", lambda lax: lax.add(1.5, 2.0),
         batch=False)

for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    add_case(f"{_name}-float", _name, lambda lax, x, y, n=_name: getattr(lax, n)(x, y),
             ints(-2, 2, 2, 3, dtype=np.float32), ints(-2, 2, 2, 3, dtype=np.float32))
    add_case(f"{_name}-int-scalar", _name, lambda lax, x, n=_name: getattr(lax, n)(x, 1), ints(-2, 3, 4))
    add_case(f"{_name}-broadcast", _name, lambda lax, x, y, n=_name: getattr(lax, n)(x, y),
             normal(2, 3), normal())

# Bitwise and logical operations
for _name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    _prim = _name.removeprefix("bitwise_")  # the primitives are and, or and xor
    add_case(f"{_name}-int", _prim, lambda lax, x, y, n=_name: getattr(lax, n)(x, y),
             ints(-50, 50, 2, 3), ints(-50, 50, 2, 3))
    add_case(f"{_name}-bool", _prim, lambda lax, x, y, n=_name: getattr(lax, n)(x, y), bools(5), bools(5))
    add_case(f"{_name}-uint8", _prim, lambda lax, x, y, n=_name: getattr(lax, n)(x, y),
             ints(0, 255, 4, dtype=np.uint8), ints(0, 255, 4, dtype=np.uint8))
add_case("bitwise_not-int", "not", lambda lax, x: lax.bitwise_not(x), ints(-50, 50, 2, 3))
add_case("bitwise_not-bool", "not", lambda lax, x: lax.bitwise_not(x), bools(5))
add_case("bitwise_not-uint32", "not", lambda lax, x: lax.bitwise_not(x), ints(0, 1000, 4, dtype=np.uint32))
for _name in ("shift_left", "shift_right_logical", "shift_right_arithmetic"):
    add_case(f"{_name}-int", _name, lambda lax, x, y, n=_name: getattr(lax, n)(x, y),
             ints(-1000, 1000, 8), ints(0, 40, 8))
    add_case(f"{_name}-uint32", _name, lambda lax, x, y, n=_name: getattr(lax, n)(x, y),
             ints(0, 2 ** 31, 8, dtype=np.uint32), ints(0, 33, 8, dtype=np.uint32))
add_case("population_count-int", "population_count", lambda lax, x: lax.population_count(x),
         ints(-1000, 1000, 8))
add_case("population_count-uint8", "population_count", lambda lax, x: lax.population_count(x),
         ints(0, 255, 8, dtype=np.uint8))

# More elementwise primitives, and the ones reached only through other functions
_unary("exp2", normal)
_unary("cbrt", normal)
_unary("asinh", normal)
_unary("acosh", lambda *s: uniform(1.2, 3.0, *s))
_unary("atanh", lambda *s: uniform(-0.8, 0.8, *s))
_unary("erfc", normal)
add_case("nextafter", "nextafter", lambda lax, x, y: lax.nextafter(x, y), normal(2, 3), normal(2, 3))
add_case("add_any", "add_any", lambda lax, x, y: lax.add_any(x, y), normal(2, 3), normal(2, 3), diff=(0, 1),
         jax=False, jaxpr=False)
add_case("copy", "copy", lambda lax, x: lax.copy_p.bind(x), normal(2, 3), diff=(0,), jaxpr=False)
add_case("reduce_precision-to-float16", "reduce_precision",
         lambda lax, x: lax.reduce_precision(x, exponent_bits=5, mantissa_bits=10), normal(2, 3), diff=(0,),
         fd=False)  # rounding to float16 is a step function at finite differences' scale
add_case("bitcast_convert_type-f32-i32", "bitcast_convert_type",
         lambda lax, x: lax.bitcast_convert_type(x, np.int32), normal(2, 3))

# ----------------------------------------------------------------------------------------------
# select_n, clamp, types

add_case("select_n-bool", "select_n", lambda lax, p, x, y: lax.select_n(p, x, y), bools(2, 3),
         normal(2, 3), normal(2, 3), diff=(1, 2))
add_case("select_n-scalar-pred", "select_n", lambda lax, p, x, y: lax.select_n(p, x, y), bools(),
         normal(4), normal(4), diff=(1, 2))
add_case("select_n-int-which-3-cases", "select_n", lambda lax, w, x, y, z: lax.select_n(w, x, y, z),
         ints(0, 3, 5), normal(5), normal(5), normal(5), diff=(1, 2, 3))
for _shape in ((), (3,), (2, 3)):
    add_case(f"clamp-scalar-bounds-{_shape_id(_shape)}", "clamp", lambda lax, lo, x, hi: lax.clamp(lo, x, hi),
             uniform(-1.0, -0.6, ), distinct(*_shape) if _shape else normal(), uniform(0.6, 1.0),
             diff=(0, 1, 2) if not _shape else (1,))
add_case("clamp-array-bounds", "clamp", lambda lax, lo, x, hi: lax.clamp(lo, x, hi),
         uniform(-1.0, -0.5, 2, 3), uniform(-2.0, 2.0, 2, 3), uniform(0.5, 1.0, 2, 3), diff=(0, 1, 2))
add_case("clamp-python-bounds", "clamp", lambda lax, x: lax.clamp(-0.5, x, 0.5), distinct(6), diff=(0,))
add_case("clamp-int", "clamp", lambda lax, x: lax.clamp(-2, x, 3), ints(-6, 6, 6))

for _src, _dst in ((np.float32, np.int32), (np.int32, np.float32), (np.float32, np.bool_),
                   (np.bool_, np.float32), (np.float32, np.float16), (np.uint8, np.int32)):
    _maker = (bools(2, 3) if _src is np.bool_ else ints(0, 9, 2, 3, dtype=_src) if _src in (np.int32, np.uint8)
              else uniform(-3, 3, 2, 3))
    add_case(f"convert_element_type-{np.dtype(_src).name}-{np.dtype(_dst).name}", "convert_element_type",
             lambda lax, x, d=_dst: lax.convert_element_type(x, d), _maker,
             diff=(0,) if _src is np.float32 and _dst in (np.float32, np.float16) else (),
             rtol=1e-3 if _dst is np.float16 else 1e-5, fd=_dst is not np.float16)
add_case("convert_element_type-weak-python", "convert_element_type",
         lambda lax: lax.convert_element_type(2.5, np.float32), batch=False)

# ----------------------------------------------------------------------------------------------
# Shapes

add_case("broadcast_in_dim-scalar", "broadcast_in_dim", lambda lax, x: lax.broadcast_in_dim(x, (2, 3), ()),
         normal(), diff=(0,))
add_case("broadcast_in_dim-new-leading", "broadcast_in_dim",
         lambda lax, x: lax.broadcast_in_dim(x, (4, 2, 3), (1, 2)), normal(2, 3), diff=(0,))
add_case("broadcast_in_dim-size-one", "broadcast_in_dim",
         lambda lax, x: lax.broadcast_in_dim(x, (2, 4, 3), (0, 2)), normal(2, 1), diff=(0,))
add_case("broadcast_in_dim-middle", "broadcast_in_dim",
         lambda lax, x: lax.broadcast_in_dim(x, (2, 5, 3), (0, 2)), normal(2, 3), diff=(0,))
add_case("expand_dims", "broadcast_in_dim", lambda lax, x: lax.expand_dims(x, (0, 2)), normal(2, 3),
         diff=(0,))
add_case("reshape", "reshape", lambda lax, x: lax.reshape(x, (3, 2)), normal(2, 3), diff=(0,))
add_case("reshape-to-scalar", "reshape", lambda lax, x: lax.reshape(x, ()), normal(1, 1), diff=(0,))
add_case("reshape-with-dimensions", "reshape", lambda lax, x: lax.reshape(x, (6,), (1, 0)), normal(2, 3),
         diff=(0,))
add_case("transpose-2d", "transpose", lambda lax, x: lax.transpose(x, (1, 0)), normal(2, 3), diff=(0,))
add_case("transpose-3d", "transpose", lambda lax, x: lax.transpose(x, (2, 0, 1)), normal(2, 3, 4), diff=(0,))
add_case("squeeze", "squeeze", lambda lax, x: lax.squeeze(x, (0, 2)), normal(1, 3, 1), diff=(0,))
add_case("squeeze-negative", "squeeze", lambda lax, x: lax.squeeze(x, (-1,)), normal(2, 1), diff=(0,))
add_case("rev-0", "rev", lambda lax, x: lax.rev(x, (0,)), normal(4), diff=(0,))
add_case("rev-2d", "rev", lambda lax, x: lax.rev(x, (0, 1)), normal(2, 3), diff=(0,))
add_case("iota", "iota", lambda lax: lax.iota(np.int32, 5), batch=False)
add_case("iota-float", "iota", lambda lax: lax.iota(np.float32, 3), batch=False)
add_case("broadcasted_iota", "iota", lambda lax: lax.broadcasted_iota(np.int32, (2, 3), 1), batch=False)

# ----------------------------------------------------------------------------------------------
# Reductions

for _name in ("reduce_sum", "reduce_max", "reduce_min", "reduce_prod"):
    _maker = distinct if _name in ("reduce_max", "reduce_min") else (
        (lambda *s: uniform(0.5, 1.5, *s)) if _name == "reduce_prod" else normal)
    for _axes, _shape in (((0,), (4,)), ((1,), (2, 3)), ((0, 2), (2, 3, 2)), ((0, 1), (2, 3))):
        add_case(f"{_name}-{_axes}-{_shape_id(_shape)}", _name,
                 lambda lax, x, n=_name, a=_axes: getattr(lax, n)(x, a), _maker(*_shape), diff=(0,))
    add_case(f"{_name}-int", _name, lambda lax, x, n=_name: getattr(lax, n)(x, (1,)), ints(-3, 4, 2, 3))
add_case("reduce_prod-with-zero", "reduce_prod", lambda lax, x: lax.reduce_prod(x, (1,)),
         lambda rng: np.array([[0.0, 2.0, 3.0], [1.5, 0.0, 0.0]], np.float32), diff=(0,))
add_case("reduce_max-ties-average", "reduce_max", lambda lax, x: lax.reduce_max(x, (0,)),
         lambda rng: np.array([1.0, 3.0, 3.0, -1.0], np.float32), diff=(0,), fd=False)
for _name in ("argmax", "argmin"):
    add_case(f"{_name}-axis0", _name, lambda lax, x, n=_name: getattr(lax, n)(x, 0, np.int32), distinct(4, 3))
    add_case(f"{_name}-axis1", _name, lambda lax, x, n=_name: getattr(lax, n)(x, 1, np.int32), distinct(4, 3))
    add_case(f"{_name}-int", _name, lambda lax, x, n=_name: getattr(lax, n)(x, 0, np.int32), ints(-9, 9, 5))
    add_case(f"{_name}-nan-first", _name, lambda lax, x, n=_name: getattr(lax, n)(x, 0, np.int32),
             lambda rng: np.array([1.0, np.nan, 5.0, np.nan], np.float32))

for _name in ("reduce_and", "reduce_or"):
    add_case(f"{_name}-bool", _name, lambda lax, x, n=_name: getattr(lax, n)(x, (1,)), bools(2, 3))
add_case("top_k", "top_k", lambda lax, x: lax.top_k(x, 2), distinct(2, 5), diff=(0,))

# ----------------------------------------------------------------------------------------------
# dot_general

add_case("dot_general-matmul", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((1,), (0,)), ((), ()))), normal(2, 3), normal(3, 4),
         diff=(0, 1))
add_case("dot_general-contract-both-dim1", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((1,), (1,)), ((), ()))), normal(2, 3), normal(4, 3),
         diff=(0, 1))
add_case("dot_general-batch", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((2,), (1,)), ((0,), (0,)))), normal(2, 3, 4),
         normal(2, 4, 5), diff=(0, 1))
add_case("dot_general-batch-not-leading", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((0,), (2,)), ((2,), (0,)))), normal(3, 4, 2),
         normal(2, 5, 3), diff=(0, 1))
add_case("dot_general-outer", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((), ()), ((), ()))), normal(3), normal(2), diff=(0, 1))
add_case("dot_general-preferred", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((0,), (0,)), ((), ())), preferred_element_type=np.float32),
         normal(3), normal(3), diff=(0, 1), fd=False)
add_case("dot_general-int8-accumulates-in-int32", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((1,), (0,)), ((), ())), preferred_element_type=np.int32),
         ints(60, 120, 2, 4, dtype=np.int8), ints(60, 120, 4, 3, dtype=np.int8))
add_case("dot_general-tensordot", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((2, 0), (0, 1)), ((), ()))), normal(3, 2, 4),
         normal(4, 3, 5), diff=(0, 1))
add_case("dot_general-int", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((1,), (0,)), ((), ()))), ints(-3, 3, 2, 3),
         ints(-3, 3, 3, 2))

# ----------------------------------------------------------------------------------------------
# Slicing, padding, concatenation

add_case("slice", "slice", lambda lax, x: lax.slice(x, (0, 1), (2, 3)), normal(3, 4), diff=(0,))
add_case("slice-strided", "slice", lambda lax, x: lax.slice(x, (1, 0), (5, 4), (2, 3)), normal(5, 4), diff=(0,))
add_case("concatenate-0", "concatenate", lambda lax, x, y: lax.concatenate([x, y], 0), normal(2, 3),
         normal(1, 3), diff=(0, 1))
add_case("concatenate-1-three", "concatenate", lambda lax, x, y, z: lax.concatenate([x, y, z], 1),
         normal(2, 1), normal(2, 3), normal(2, 2), diff=(0, 1, 2))
add_case("pad-edges", "pad", lambda lax, x, v: lax.pad(x, v, ((1, 2, 0), (0, 1, 0))), normal(2, 3), normal(),
         diff=(0, 1))
add_case("pad-interior", "pad", lambda lax, x: lax.pad(x, 0.0, ((1, 0, 1), (0, 0, 2))), normal(3, 2), diff=(0,))
add_case("pad-negative", "pad", lambda lax, x, v: lax.pad(x, v, ((-1, 1, 0), (2, -2, 1))), normal(3, 4),
         normal(), diff=(0, 1))
add_case("dynamic_slice", "dynamic_slice", lambda lax, x, i, j: lax.dynamic_slice(x, (i, j), (2, 2)),
         normal(4, 5), ints(0, 3, dtype=np.int32), ints(0, 4, dtype=np.int32), diff=(0,))
add_case("dynamic_slice-clamped-and-negative", "dynamic_slice",
         lambda lax, x, i: lax.dynamic_slice(x, (i, 1), (3, 2)), normal(4, 5), ints(-6, 6), diff=(0,))
add_case("dynamic_slice-static-starts", "dynamic_slice", lambda lax, x: lax.dynamic_slice(x, (1, -2), (1, 2)),
         normal(4, 5), diff=(0,))
add_case("dynamic_update_slice", "dynamic_update_slice",
         lambda lax, x, u, i, j: lax.dynamic_update_slice(x, u, (i, j)), normal(4, 5), normal(2, 3),
         ints(-3, 4), ints(0, 5), diff=(0, 1))
add_case("dynamic_update_slice-static", "dynamic_update_slice",
         lambda lax, x, u: lax.dynamic_update_slice(x, u, (1, 1)), normal(2, 3), normal(1, 2), diff=(0, 1))

# ----------------------------------------------------------------------------------------------
# Gather and scatter, with XLA's dimension numbers and each out-of-bounds mode


def _gdn(lax, **kw):
    return lax.GatherDimensionNumbers(**kw)


def _sdn(lax, **kw):
    return lax.ScatterDimensionNumbers(**kw)


_GATHERS = {
    # rows of a matrix by an index vector: x[idx]
    "rows": (dict(offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,)), (1, 4),
             normal(5, 4), ints(0, 5, 6, 1)),
    # points of a 3-d array: x[i, :, k]
    "points": (dict(offset_dims=(1,), collapsed_slice_dims=(0, 2), start_index_map=(0, 2)), (1, 4, 1),
               normal(5, 4, 3), lambda rng: np.stack([rng.integers(0, 5, 6), rng.integers(0, 3, 6)], 1).astype(np.int32)),
    # windows of size 2 along dim 1 at 2-d batch of starts, window dims not collapsed
    "windows": (dict(offset_dims=(0, 3), collapsed_slice_dims=(1,), start_index_map=(1,)), (5, 1, 2),
                normal(5, 4, 3), ints(0, 4, 2, 3, 1)),
    # batched gather: dim 0 of operand pairs with dim 1 of indices
    "batched": (dict(offset_dims=(2,), collapsed_slice_dims=(1,), start_index_map=(1,),
                     operand_batching_dims=(0,), start_indices_batching_dims=(1,)), (1, 1, 3),
                normal(5, 4, 3), ints(0, 4, 2, 5, 1)),
}
for _name, (_dn, _sizes, _mop, _midx) in _GATHERS.items():
    for _mode in ("clip", "fill", "promise_in_bounds"):
        _oob = _mode != "promise_in_bounds" and _name != "batched"
        _mi = (lambda rng, m=_midx: m(rng) * 2 - 1) if _oob else _midx
        add_case(f"gather-{_name}-{_mode}", "gather",
                 lambda lax, x, i, d=_dn, s=_sizes, m=_mode: lax.gather(x, i, _gdn(lax, **d), s, mode=m),
                 _mop, _mi, diff=(0,), fd=_mode != "fill")  # NaN fill values
        _sdnums = dict(update_window_dims=_dn["offset_dims"], inserted_window_dims=_dn["collapsed_slice_dims"],
                       scatter_dims_to_operand_dims=_dn["start_index_map"],
                       operand_batching_dims=_dn.get("operand_batching_dims", ()),
                       scatter_indices_batching_dims=_dn.get("start_indices_batching_dims", ()))
        # scatter-add in every mode; the other scatters in one mode per dimension-numbers example.
        _modes_here = ("clip", "fill", "promise_in_bounds")[list(_GATHERS).index(_name) % 3]
        for _scatter in ("scatter_add",) + (("scatter_mul", "scatter_min", "scatter_max", "scatter")
                                            if _mode == _modes_here else ()):
            _prim = _scatter.replace("_", "-")
            # Updates shaped like the gather's output; scatter-mul and scatter need unique indices
            # for derivatives, which these random indices do not promise.
            def _make(rng, mop=_mop, mi=_mi, d=_dn, s=_sizes, m=_mode):
                import jax
                x, i = mop(rng), mi(rng)
                out_shape = jax.eval_shape(lambda a, b: jax.lax.gather(a, b, jax.lax.GatherDimensionNumbers(**d), s, mode=m), x, i).shape
                return [x, i, distinct(*out_shape)(rng)]
            # JAX's scatter-min/max jvp gives NaNs for clipped indices; compare in-bounds ones.
            _diff = (0,) if _scatter == "scatter_mul" else (
                () if _scatter in ("scatter_min", "scatter_max") and _oob else (0, 2))
            CASES.append(Case(f"{_prim}-{_name}-{_mode}", _prim,
                              lambda lax, x, i, u, d=_sdnums, n=_scatter, m=_mode:
                              getattr(lax, n)(x, i, u, _sdn(lax, **d), mode=m), _make, diff=_diff))
add_case("gather-fill-value", "gather",
         lambda lax, x, i: lax.gather(x, i, _gdn(lax, offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,)),
                                      (1,), mode="fill", fill_value=-7.0), normal(4), ints(-3, 7, 5, 1), diff=(0,))
add_case("scatter_add-unique-sorted", "scatter-add",
         lambda lax, x, i, u: lax.scatter_add(x, i, u, _sdn(lax, update_window_dims=(), inserted_window_dims=(0,),
                                                             scatter_dims_to_operand_dims=(0,)),
                                              indices_are_sorted=True, unique_indices=True),
         normal(5), lambda rng: np.array([[0], [2], [3]], np.int32), normal(3), diff=(0, 2))
add_case("scatter_mul-unique", "scatter-mul",
         lambda lax, x, i, u: lax.scatter_mul(x, i, u, _sdn(lax, update_window_dims=(), inserted_window_dims=(0,),
                                                             scatter_dims_to_operand_dims=(0,)),
                                              unique_indices=True),
         normal(5), lambda rng: np.array([[4], [1], [2]], np.int32), normal(3), diff=(0, 2))
add_case("scatter-unique", "scatter",
         lambda lax, x, i, u: lax.scatter(x, i, u, _sdn(lax, update_window_dims=(1,), inserted_window_dims=(0,),
                                                         scatter_dims_to_operand_dims=(0,)),
                                          unique_indices=True),
         normal(5, 2), lambda rng: np.array([[4], [1], [2]], np.int32), normal(3, 2), diff=(0, 2))
add_case("scatter-duplicates-one-update-wins", "scatter",
         lambda lax, x, i, u: lax.scatter(x, i, u, _sdn(lax, update_window_dims=(), inserted_window_dims=(0,),
                                                         scatter_dims_to_operand_dims=(0,))),
         normal(5), lambda rng: np.array([[1], [3], [0]], np.int32), normal(3), diff=(0, 2))
add_case("scatter_add-int", "scatter-add",
         lambda lax, x, i, u: lax.scatter_add(x, i, u, _sdn(lax, update_window_dims=(), inserted_window_dims=(0,),
                                                             scatter_dims_to_operand_dims=(0,))),
         ints(-5, 5, 5), ints(0, 5, 7, 1), ints(-5, 5, 7))

# ----------------------------------------------------------------------------------------------
# Cumulative reductions and sort

for _name in ("cumsum", "cumprod", "cummax", "cummin"):
    _maker = distinct if _name in ("cummax", "cummin") else (
        (lambda *s: uniform(0.5, 1.5, *s)) if _name == "cumprod" else normal)
    for _axis, _shape in ((0, (5,)), (1, (2, 4))):
        for _reverse in (False, True):
            add_case(f"{_name}-{_axis}-{_shape_id(_shape)}-{'rev' if _reverse else 'fwd'}", _name,
                     lambda lax, x, n=_name, a=_axis, r=_reverse: getattr(lax, n)(x, a, reverse=r),
                     _maker(*_shape), diff=(0,))
    add_case(f"{_name}-int", _name, lambda lax, x, n=_name: getattr(lax, n)(x, 0), ints(-3, 4, 5))
add_case("cumprod-with-zeros", "cumprod", lambda lax, x: lax.cumprod(x, 0),
         lambda rng: np.array([2.0, 0.0, 3.0, 0.0, 1.5], np.float32), diff=(0,))

for _dim, _shape in ((0, (5,)), (1, (3, 4)), (0, (3, 4))):
    add_case(f"sort-{_dim}-{_shape_id(_shape)}", "sort", lambda lax, x, d=_dim: lax.sort(x, dimension=d),
             distinct(*_shape), diff=(0,))
add_case("sort-int", "sort", lambda lax, x: lax.sort(x), ints(-9, 9, 7))
add_case("sort-nan-last-and-negative-zero", "sort", lambda lax, x: lax.sort(x),
         lambda rng: np.array([np.nan, 1.0, -0.0, 0.0, -np.inf, -1.0], np.float32))
add_case("sort-two-operands-one-key", "sort",
         lambda lax, k, v: lax.sort((k, v), dimension=1, num_keys=1), ints(0, 3, 2, 6, dtype=np.float32),
         normal(2, 6), diff=(1,))
add_case("sort-three-operands-two-keys", "sort",
         lambda lax, a, b, c: lax.sort((a, b, c), num_keys=2), ints(0, 2, 8), ints(0, 3, 8), normal(8),
         diff=(2,))
add_case("sort_key_val", "sort", lambda lax, k, v: lax.sort_key_val(k, v), distinct(6), normal(6),
         diff=(0, 1))


# ----------------------------------------------------------------------------------------------
# Complex numbers: the four complex primitives, and the arithmetic that takes complex operands.
# The finite-difference test sees only real inputs and outputs, so the last cases pass real
# numbers through complex intermediates to check the complex rules that way too.

def complex_normal(*shape):
    return lambda rng: (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(np.complex64)


for _shape in SHAPES:
    _s = _shape_id(_shape)
    add_case(f"real-{_s}", "real", lambda lax, z: lax.real(z), complex_normal(*_shape), diff=(0,), fd=False)
    add_case(f"imag-{_s}", "imag", lambda lax, z: lax.imag(z), complex_normal(*_shape), diff=(0,), fd=False)
    add_case(f"conj-{_s}", "conj", lambda lax, z: lax.conj(z), complex_normal(*_shape), diff=(0,), fd=False)
    add_case(f"complex-{_s}", "complex", lambda lax, x, y: lax.complex(x, y), normal(*_shape), normal(*_shape),
             diff=(0, 1), fd=False)
add_case("complex-array-and-scalar", "complex", lambda lax, x, y: lax.complex(x, y), normal(2, 3), normal(),
         diff=(0, 1), fd=False)
add_case("conj-of-a-real-array", "conj", lambda lax, x: lax.conj(x), normal(2, 3), diff=(0,), fd=False)
for _name in ("neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "square", "abs"):
    add_case(f"{_name}-complex", _name, lambda lax, z, n=_name: getattr(lax, n)(z), complex_normal(2, 3),
             diff=(0,), fd=False)
add_case("sign-complex", "sign", lambda lax, z: lax.sign(z), complex_normal(2, 3))
add_case("integer_pow-complex", "integer_pow", lambda lax, z: lax.integer_pow(z, -2), complex_normal(2, 3),
         diff=(0,), fd=False)
for _name in ("add", "sub", "mul", "div"):
    add_case(f"{_name}-complex", _name, lambda lax, x, y, n=_name: getattr(lax, n)(x, y), complex_normal(2, 3),
             complex_normal(2, 3), diff=(0, 1), fd=False)
add_case("eq-complex", "eq", lambda lax, x, y: lax.eq(x, y), complex_normal(2, 3),
         lambda rng: np.array([[1 + 1j, 2, 3], [4, 5j, 6]], np.complex64))
add_case("max-complex-is-lexicographic", "max", lambda lax, x, y: lax.max(x, y),
         lambda rng: np.array([1 + 2j, 1 - 2j, 3 + 0j, -1j], np.complex64),
         lambda rng: np.array([1 + 1j, 1 + 0j, 2 + 9j, 0j], np.complex64))
add_case("reduce_max-complex", "reduce_max", lambda lax, z: lax.reduce_max(z, (1,)),
         lambda rng: np.array([[1 + 2j, 1 + 3j, -2j], [0j, -1 + 9j, 0.5j]], np.complex64))
add_case("reduce_sum-complex", "reduce_sum", lambda lax, z: lax.reduce_sum(z, (0,)), complex_normal(2, 3),
         diff=(0,), fd=False)
add_case("dot_general-complex", "dot_general",
         lambda lax, x, y: lax.dot_general(x, y, (((1,), (0,)), ((), ()))), complex_normal(2, 3),
         complex_normal(3, 4), diff=(0, 1), fd=False)
add_case("select_n-complex", "select_n", lambda lax, p, x, y: lax.select_n(p, x, y), bools(2, 3),
         complex_normal(2, 3), complex_normal(2, 3), diff=(1, 2), fd=False)
add_case("convert_element_type-float-to-complex", "convert_element_type",
         lambda lax, x: lax.convert_element_type(x, np.complex64), normal(2, 3), diff=(0,), fd=False)
add_case("abs-of-complex-from-parts", "complex", lambda lax, x, y: lax.abs(lax.complex(x, y)),
         signed_uniform(0.5, 2.0, 2, 3), normal(2, 3), diff=(0, 1))
add_case("real-of-a-complex-product", "real",
         lambda lax, x, y: lax.real(lax.mul(lax.complex(x, y), lax.complex(y, x))), normal(2, 3), normal(2, 3),
         diff=(0, 1))
add_case("imag-of-a-complex-exp", "imag", lambda lax, x, y: lax.imag(lax.exp(lax.complex(x, y))),
         normal(2, 3), normal(2, 3), diff=(0, 1))
add_case("real-of-conj-times-z", "conj",
         lambda lax, x, y: lax.real(lax.mul(lax.conj(lax.complex(x, y)), lax.complex(y, x))), normal(2, 3),
         normal(2, 3), diff=(0, 1))

# The incomplete gamma and beta functions (jaxlite.lax.special); betainc has a derivative in x only.
# igamma_grad_a has no derivative (in JAX neither), so second-order differences cannot check igamma.
for _name in ("igamma", "igammac"):
    add_case(_name, _name, lambda lax, a, x, n=_name: getattr(lax, n)(a, x), uniform(0.5, 5.0, 2, 3),
             uniform(0.2, 6.0, 2, 3), diff=(0, 1), rtol=1e-4, atol=1e-5, fd=False)
add_case("igamma_grad_a", "igamma_grad_a", lambda lax, a, x: lax.igamma_grad_a(a, x), uniform(0.5, 5.0, 2, 3),
         uniform(0.2, 6.0, 2, 3), rtol=1e-4, atol=1e-5)
add_case("regularized_incomplete_beta", "regularized_incomplete_beta", lambda lax, a, b, x: lax.betainc(a, b, x),
         uniform(0.5, 4.0, 2, 3), uniform(0.5, 4.0, 2, 3), uniform(0.05, 0.95, 2, 3), diff=(2,), rtol=1e-4,
         atol=1e-5)


JAX_CASES = [c for c in CASES if c.jax]  # the cases JAX's lax can run too


def primitives_covered():
    return sorted({c.prim for c in CASES})


# ----------------------------------------------------------------------------------------------
# Running a case on both libraries and comparing

def to_lite(args):
    import jaxlite.numpy as lnp
    return [lnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]


def to_jax(args):
    import jax.numpy as jnp
    return [jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]


def assert_matches_jax(lite_out, jax_out, rtol=1e-5, atol=1e-6, weak_type=True):
    """Same tree, shapes, dtypes and (optionally) weak types; values close."""
    import jax
    import jaxlite
    lite_leaves, lite_tree = jaxlite.tree_util.tree_flatten(lite_out)
    jax_leaves, jax_tree = jax.tree_util.tree_flatten(jax_out)
    assert len(lite_leaves) == len(jax_leaves), (lite_tree, jax_tree)
    for lite, ref in zip(lite_leaves, jax_leaves):
        ref_value = np.asarray(ref)
        value = np.asarray(lite)
        assert value.shape == ref_value.shape
        if ref_value.dtype == jax.dtypes.float0:
            continue
        assert value.dtype == ref_value.dtype, (value.dtype, ref_value.dtype)
        if weak_type:
            assert bool(getattr(lite, "weak_type", False)) == bool(getattr(ref, "weak_type", False)), \
                "weak_type differs"
        if value.dtype.kind in "biu":
            np.testing.assert_array_equal(value, ref_value)
        else:
            wide = np.complex128 if value.dtype.kind == "c" else np.float64
            np.testing.assert_allclose(value.astype(wide), ref_value.astype(wide), rtol=rtol, atol=atol)


def random_tangent(rng, primal):
    """A random tangent for a primal: complex for complex primals, float32 otherwise."""
    shape = np.shape(primal)
    if np.asarray(primal).dtype.kind == "c":
        return (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(np.complex64)
    return rng.normal(size=shape).astype(np.float32)


def split_diff(case, args):
    """A function of the differentiable arguments only, the others closed over."""
    diff = list(case.diff)

    def bind(lax):
        def f(*diff_args):
            full = list(args)
            for k, a in zip(diff, diff_args):
                full[k] = a
            return case.fn(lax, *full)
        return f
    return bind, [args[k] for k in diff]
