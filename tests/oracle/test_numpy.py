"""jaxlite.numpy against jax.numpy: values, dtypes, weak types, jvp, vjp, jaxprs and error texts."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from . import tables

_rng = tables.seeded_rng


def normal(*shape, dtype=np.float32, seed=0):
    return _rng(1, shape, seed).normal(size=shape).astype(dtype)


def positive(*shape, seed=0):
    return _rng(2, shape, seed).uniform(0.2, 2.0, size=shape).astype(np.float32)


def unit(*shape, seed=0):
    """Inside (-1, 1): the domain of arcsin, arccos, arctanh."""
    return _rng(3, shape, seed).uniform(-0.9, 0.9, size=shape).astype(np.float32)


def ints(*shape, low=-5, high=6, seed=0):
    return _rng(4, shape, seed).integers(low, high, size=shape).astype(np.int32)


def bools(*shape, seed=0):
    return _rng(5, shape, seed).integers(0, 2, size=shape).astype(bool)


assert_matches = tables.assert_matches


def jax_reference(table):
    return tables.jax_reference(table, jnp)


def check_against_jax(table, name, rtol=1e-5, atol=1e-6):
    fn, args = table[name]
    assert_matches(fn(lnp, *args), jax_reference(table)[name], rtol, atol)


def method(name):
    return lambda m, *args: getattr(m, name)(*args)


# ----------------------------------------------------------------------------------------------
# Elementwise functions

UNARY = {
    "negative": normal, "exp": normal, "log": positive, "log1p": positive, "expm1": normal,
    "log2": positive, "log10": positive, "sin": normal, "cos": normal, "tan": unit, "tanh": normal,
    "sinh": normal, "cosh": normal, "arcsin": unit, "arccos": unit, "arctan": normal, "sqrt": positive,
    "square": normal, "abs": normal, "sign": normal, "reciprocal": positive, "exp2": normal,
    "cbrt": positive, "arcsinh": normal, "arctanh": unit, "floor": normal, "ceil": normal,
    "trunc": normal, "rint": normal, "deg2rad": normal, "rad2deg": normal, "sinc": normal,
}
UNARY_INT_OK = {"negative", "exp", "sin", "cos", "tanh", "sqrt", "square", "abs", "sign", "floor",
                "log1p", "arctan", "trunc", "rint", "exp2"}
UNARY_CASES = {}
for _name, _make in UNARY.items():
    for _label, _x in [("python-float", float(np.abs(_make()))), ("0d", _make()), ("vector", _make(3)),
                       ("matrix", _make(2, 3))]:
        UNARY_CASES[f"{_name}-{_label}"] = (method(_name), (_x,))
    if _name in UNARY_INT_OK:
        UNARY_CASES[f"{_name}-int32"] = (method(_name), (ints(4, low=0) if _name in ("sqrt", "log1p") else ints(4),))


@pytest.mark.parametrize("name", UNARY_CASES)
def test_unary_matches_jax(name):
    check_against_jax(UNARY_CASES, name)


BINARY = {
    "add": (normal, normal), "subtract": (normal, normal), "multiply": (normal, normal),
    "divide": (normal, positive), "true_divide": (normal, positive), "maximum": (normal, normal),
    "minimum": (normal, normal), "power": (positive, normal), "arctan2": (normal, normal),
    "logaddexp": (normal, normal), "floor_divide": (normal, positive), "remainder": (normal, positive),
    "hypot": (normal, normal), "fmod": (normal, positive), "copysign": (normal, normal),
    "equal": (ints, ints), "not_equal": (ints, ints), "less": (normal, normal),
    "greater_equal": (normal, normal), "logical_and": (bools, bools), "logical_or": (bools, normal),
    "logaddexp2": (normal, normal), "float_power": (positive, normal), "heaviside": (normal, normal),
}
BROADCAST_PAIRS = {"scalars": ((), ()), "vector-scalar": ((3,), ()), "scalar-vector": ((), (3,)),
                   "matrix-vector": ((2, 3), (3,)), "column-row": ((2, 1), (1, 3)), "vector-matrix": ((3,), (2, 3))}
BINARY_CASES = {f"{name}-{label}": (method(name), (make_x(*shapes[0]), make_y(*shapes[1], seed=1)))
                for name, (make_x, make_y) in BINARY.items() for label, shapes in BROADCAST_PAIRS.items()}


@pytest.mark.parametrize("name", BINARY_CASES)
def test_binary_matches_jax_with_broadcasting(name):
    check_against_jax(BINARY_CASES, name)


MIXED_OPERANDS = {
    "f32-python-float": (normal(3), 2.5), "python-int-f32": (3, positive(3)), "i32-python-float": (ints(3), 1.5),
    "i32-f32": (ints(3, low=0), normal(3)), "f16-python-float": (normal(3, dtype=np.float16), 2.0),
    "bool-i32": (bools(3), ints(3, low=0)), "python-floats": (1.5, 2.5), "python-int-float": (2, 0.5),
    "u8-i8": (ints(3, low=0).astype(np.uint8), ints(3, low=0).astype(np.int8)),
    "f32-i8": (positive(3), ints(3, low=0).astype(np.int8)), "f16-f32": (normal(3, dtype=np.float16), normal(3)),
}
MIXED_CASES = {f"{name}-{label}": (method(name), operands) for label, operands in MIXED_OPERANDS.items()
               for name in ("add", "multiply", "true_divide", "maximum", "power", "floor_divide", "arctan2")}


@pytest.mark.parametrize("name", MIXED_CASES)
def test_mixed_dtype_promotion_matches_jax(name):
    check_against_jax(MIXED_CASES, name)


X23, X3, P3, I4, J4 = normal(2, 3), normal(3), positive(3), ints(4), ints(4, low=1, seed=1)
OPERATORS = {
    "add": lambda m: m.asarray(X23) + P3, "sub": lambda m: m.asarray(X23) - P3, "mul": lambda m: m.asarray(X23) * P3,
    "div": lambda m: m.asarray(X23) / P3, "floordiv": lambda m: m.asarray(X23) // P3, "mod": lambda m: m.asarray(X23) % P3,
    "pow-int": lambda m: m.asarray(X23) ** 2, "rpow": lambda m: 2.0 ** m.asarray(X23), "neg": lambda m: -m.asarray(X23),
    "abs": lambda m: abs(m.asarray(X23)), "matmul": lambda m: m.asarray(X23) @ P3, "rsub": lambda m: 1 - m.asarray(X23),
    "lt": lambda m: m.asarray(X23) < P3, "eq": lambda m: m.asarray(X23) == P3, "ge-scalar": lambda m: m.asarray(X23) >= 0.5,
    "int-floordiv": lambda m: m.asarray(I4) // J4, "int-mod": lambda m: m.asarray(I4) % J4,
    "int-neg-floordiv": lambda m: -m.asarray(I4) // 2, "int-pow": lambda m: m.asarray(I4) ** 2,
    "and": lambda m: m.asarray(I4) & J4, "or": lambda m: m.asarray(I4) | J4, "xor": lambda m: m.asarray(I4) ^ J4,
    "invert": lambda m: ~m.asarray(I4), "lshift": lambda m: m.asarray(I4) << 1, "rshift": lambda m: m.asarray(I4) >> 1,
    "int-truediv": lambda m: m.asarray(I4) / J4, "int-pow-array": lambda m: m.asarray(I4) ** abs(J4),
    "int-mod-zero": lambda m: m.remainder(I4, 0), "floor_divide-like-numpy": lambda m: m.floor_divide(np.float32([1.0, -1.0, 7.0]), 0.1),
    "divmod": lambda m: divmod(m.asarray(X23), 0.3),
}
OPERATOR_CASES = {name: (fn, ()) for name, fn in OPERATORS.items()}


@pytest.mark.parametrize("name", OPERATOR_CASES)
def test_operators_match_jax(name):
    check_against_jax(OPERATOR_CASES, name)


def test_floor_divide_rounds_like_numpy_not_like_floor_of_quotient():
    assert float(lnp.float32(1.0) // 0.1) == 9.0


SPECIAL_VALUES = np.array([1.0, -np.inf, np.inf, np.nan, -0.0, 0.0], np.float32)
ELEMENTWISE_MISC = {
    **{f"{name}-special-values": (method(name), (SPECIAL_VALUES,))
       for name in ("isfinite", "isnan", "isinf", "isposinf", "isneginf", "signbit")},
    **{f"{name}-ints": (method(name), (ints(3),)) for name in ("isfinite", "isnan", "isinf")},
    "logaddexp-infinities": (method("logaddexp"), (np.array([-np.inf, np.inf, 1e30, -1e30, 0.0], np.float32),
                                                   np.array([-np.inf, np.inf, 1e30, 3.0, np.nan], np.float32))),
    "clip": (lambda m, x: m.clip(x, -0.5, 0.5), (X23,)), "clip-max-only": (lambda m, x: m.clip(x, max=0.1), (X23,)),
    "clip-ints": (lambda m, x: m.clip(x, 0, 2), (ints(5),)), "clip-array-bound": (lambda m, x: m.clip(x, X3, 1.0), (X23,)),
    "where-array-scalar": (lambda m, x: m.where(x > 0, x, 0.0), (X23,)),
    "where-array-array": (lambda m, x, y: m.where(x > 0, x, y), (X23, X3)),
    "where-scalars": (lambda m: m.where(True, 1.0, 2), ()),
    "where-int-condition": (lambda m, c, y: m.where(c, y, 0), (ints(3), X3)),
    "where-mixed-dtypes": (lambda m, c, x: m.where(c, x, 1.5), (bools(3), ints(3))),
    "round": (method("round"), (np.array([0.5, 1.5, 2.5, -0.5, 1.234567, -2.71828], np.float32),)),
    "round-decimals": (lambda m, x: m.round(x, 2), (np.array([1.234567, -2.71828, 0.125], np.float32),)),
    "round-ints": (method("round"), (ints(3),)),
}


@pytest.mark.parametrize("name", ELEMENTWISE_MISC)
def test_selection_rounding_and_predicates_match_jax(name):
    check_against_jax(ELEMENTWISE_MISC, name)


# ----------------------------------------------------------------------------------------------
# Reductions

def _reduction_case(name, axis, keepdims):
    return lambda m, x: getattr(m, name)(x, axis=axis, keepdims=keepdims)


REDUCTION_CASES = {
    f"{name}-axis={axis}-keepdims={keepdims}": (_reduction_case(name, axis, keepdims),
                                                (X23 > 0 if name in ("all", "any") else X23,))
    for name in ("sum", "mean", "var", "std", "max", "min", "prod", "argmax", "argmin", "all", "any")
    for axis in (None, 0, 1, -1, (0, 1)) for keepdims in (False, True)
    if not (name in ("argmax", "argmin") and isinstance(axis, tuple))
}
REDUCTION_CASES.update({
    f"{name}-of-{np.dtype(dtype).name}": (method(name), (ints(5, low=0, high=3).astype(dtype),))
    for name in ("sum", "prod", "max", "mean", "var", "cumsum", "cumprod", "argmax")
    for dtype in (np.bool_, np.int8, np.uint8, np.int32, np.float16)
})
REDUCTION_CASES.update({
    f"{name}-of-python-float": (method(name), (2.5,)) for name in ("sum", "max", "mean", "var", "cumsum", "prod")
})
REDUCTION_CASES.update({
    "sum-where": (lambda m, x: m.sum(x, axis=0, where=x > -0.3), (X23,)),
    "max-where-initial": (lambda m, x: m.max(x, axis=1, where=x > -0.3, initial=-1.0), (X23,)),
    "min-initial": (lambda m, x: m.min(x, initial=0.0), (X23,)),
    "prod-where": (lambda m, x: m.prod(x, axis=1, where=x > -0.3), (X23,)),
    "mean-where": (lambda m, x: m.mean(x, axis=1, where=x > -0.3), (X23,)),
    "mean-where-keepdims": (lambda m, x: m.mean(x, axis=0, where=x > -0.3, keepdims=True), (X23,)),
    "var-where": (lambda m, x: m.var(x, where=x > -0.3), (X23,)),
    "any-where": (lambda m, x: m.any(x > 0, axis=0, where=x > -0.3), (X23,)),
    "sum-dtype": (lambda m, x: m.sum(x, dtype=np.int32), (X23,)),
    "mean-dtype": (lambda m, x: m.mean(x, dtype=np.float16), (X23,)),
    "var-ddof": (lambda m, x: m.var(x, ddof=1), (normal(3, 4),)),
    "std-ddof-axis": (lambda m, x: m.std(x, ddof=1, axis=0), (normal(3, 4),)),
    "var-correction": (lambda m, x: m.var(x, correction=2, axis=1, keepdims=True), (normal(3, 4),)),
    "var-ddof-too-large": (lambda m, x: m.var(x, ddof=4, axis=1), (normal(3, 4),)),
    "std-dtype": (lambda m, x: m.std(x, dtype=np.float32), (ints(3, 4),)),
    **{f"{name}-axis={axis}": ((lambda name, axis: lambda m, x: getattr(m, name)(x, axis=axis))(name, axis), (X23,))
       for name in ("cumsum", "cumprod") for axis in (None, 0, 1, -1)},
    "cumsum-dtype": (lambda m, x: m.cumsum(x, axis=1, dtype=np.float32), (ints(2, 3),)),
    **{f"method-{name}": ((lambda name: lambda m, x: getattr(m.asarray(x), name)(axis=0))(name), (X23,))
       for name in ("sum", "mean", "max", "min", "prod", "var", "std", "argmax", "argmin", "cumsum")},
})


@pytest.mark.parametrize("name", REDUCTION_CASES)
def test_reduction_matches_jax(name):
    check_against_jax(REDUCTION_CASES, name, rtol=2e-5, atol=1e-5)


# ----------------------------------------------------------------------------------------------
# Creating arrays

CREATION = {
    "zeros": lambda m: m.zeros((2, 3)), "zeros-int": lambda m: m.zeros(3, int),
    "ones": lambda m: m.ones(4), "ones-bool": lambda m: m.ones((2,), m.bool_),
    "full-int": lambda m: m.full((2,), 3), "full-float": lambda m: m.full(2, 3.5),
    "full-dtype": lambda m: m.full((2, 2), 3.5, m.int32), "full-array": lambda m: m.full((2, 3), np.arange(3.0)),
    "zeros_like": lambda m: m.zeros_like(ints(3)), "ones_like-scalar": lambda m: m.ones_like(2.0),
    "full_like": lambda m: m.full_like(X3, 7), "full_like-cast": lambda m: m.full_like(ints(2), 2.7),
    "zeros_like-dtype": lambda m: m.zeros_like(X3, dtype=np.int8),
    "arange": lambda m: m.arange(5), "arange-start-stop": lambda m: m.arange(2, 7),
    "arange-step": lambda m: m.arange(1, 10, 3), "arange-float": lambda m: m.arange(0.0, 1.0, 0.1),
    "arange-float-stop": lambda m: m.arange(2.5), "arange-negative": lambda m: m.arange(5, 0, -2),
    "arange-dtype": lambda m: m.arange(4, dtype=m.float32), "arange-empty": lambda m: m.arange(3, 1),
    "arange-int16": lambda m: m.arange(np.int16(4)),
    "linspace": lambda m: m.linspace(0, 1, 7), "linspace-no-endpoint": lambda m: m.linspace(-1, 1, 4, endpoint=False),
    "linspace-int": lambda m: m.linspace(0, 10, 4, dtype=int), "linspace-one": lambda m: m.linspace(2.0, 3.0, 1),
    "linspace-empty": lambda m: m.linspace(2.0, 3.0, 0), "linspace-retstep": lambda m: m.linspace(0, 2, 5, retstep=True),
    "linspace-arrays": lambda m: m.linspace(np.float32([0, 1]), np.float32([1, 3]), 3, axis=1),
    "eye": lambda m: m.eye(3), "eye-rect-k": lambda m: m.eye(3, 4, 1), "eye-neg-k": lambda m: m.eye(4, 3, -1, int),
    "identity": lambda m: m.identity(2, dtype=bool),
    "array-ints": lambda m: m.array([1, 2, 3]), "array-floats": lambda m: m.array([[1.0, 2.0], [3, 4]]),
    "array-scalar": lambda m: m.array(2.5), "array-int-scalar": lambda m: m.array(3), "array-bool": lambda m: m.array(True),
    "array-dtype": lambda m: m.array([1, 2], dtype=m.float32), "array-numpy-f64": lambda m: m.array(np.arange(3.0)),
    "array-ndmin": lambda m: m.array(2.0, ndmin=2), "asarray-numpy": lambda m: m.asarray(ints(3)),
    "asarray-dtype": lambda m: m.asarray([1.5, 2.5], dtype=np.int32),
    "asarray-list-of-numpy-scalars": lambda m: m.asarray([np.float32(1), np.float32(2)]),
    "meshgrid": lambda m: m.meshgrid(np.arange(3.0), np.arange(2.0)),
    "meshgrid-ij": lambda m: m.meshgrid(np.arange(3.0), np.arange(2.0), indexing="ij"),
    "meshgrid-sparse": lambda m: m.meshgrid(np.arange(3.0), np.arange(2.0), np.arange(4.0), sparse=True),
    "scalar-type-float32": lambda m: m.float32(3), "scalar-type-int32-truncates": lambda m: m.int32(3.7),
    "scalar-type-of-array": lambda m: m.int8(np.arange(3.0)), "scalar-type-bool": lambda m: m.bool_(2),
    "scalar-type-uint32": lambda m: m.uint32(7), "scalar-type-float16": lambda m: m.float16(0.1),
}
CREATION_CASES = {name: (fn, ()) for name, fn in CREATION.items()}


@pytest.mark.parametrize("name", CREATION_CASES)
def test_creation_matches_jax(name):
    check_against_jax(CREATION_CASES, name)


@pytest.mark.parametrize("name", ["float32", "int32", "int8", "uint32", "bool_", "float16"])
def test_scalar_types_still_name_dtypes(name):
    lite, ref = getattr(lnp, name), getattr(jnp, name)
    assert np.dtype(lite) == np.dtype(ref)
    assert lite == getattr(np, name) and hash(lite) == hash(getattr(np, name))
    assert isinstance(getattr(np, name)(1), lite)
    assert lnp.zeros(2, dtype=lite).dtype == np.dtype(ref)
    assert lnp.ones(2).astype(lite).dtype == np.dtype(ref)
    assert jaxlite.dtypes.canonicalize_dtype(lite) == np.dtype(ref)


# ----------------------------------------------------------------------------------------------
# Shapes

SHAPE_OPS = {
    "reshape": lambda m, x: m.reshape(x, (3, 2)), "reshape-minus-one": lambda m, x: m.reshape(x, (-1, 1)),
    "reshape-F": lambda m, x: m.reshape(x, (3, 2), order="F"), "reshape-method": lambda m, x: m.asarray(x).reshape(6),
    "reshape-method-args": lambda m, x: m.asarray(x).reshape(3, 2), "ravel": lambda m, x: m.ravel(x),
    "transpose": lambda m, x: m.transpose(x), "transpose-axes": lambda m, x: m.transpose(x[None], (2, 0, 1)),
    "T": lambda m, x: m.asarray(x).T, "swapaxes": lambda m, x: m.swapaxes(x, 0, 1),
    "moveaxis": lambda m, x: m.moveaxis(x[None], 0, -1), "moveaxis-many": lambda m, x: m.moveaxis(x[None], (0, 1), (2, 0)),
    "squeeze": lambda m, x: m.squeeze(x[:, None, :1]), "squeeze-axis": lambda m, x: m.squeeze(x[None], 0),
    "expand_dims": lambda m, x: m.expand_dims(x, 1), "expand_dims-many": lambda m, x: m.expand_dims(x, (0, -1)),
    "broadcast_to": lambda m, x: m.broadcast_to(x[:1], (4, 2, 3)), "broadcast_arrays": lambda m, x: m.broadcast_arrays(x, x[0], 1.0),
    "atleast_2d": lambda m, x: m.atleast_2d(x[0]), "atleast_3d": lambda m, x: m.atleast_3d(x),
    "matrix_transpose": lambda m, x: m.matrix_transpose(x), "mT": lambda m, x: m.asarray(x).mT,
}
SHAPE_CASES = {name: (fn, (X23,)) for name, fn in SHAPE_OPS.items()}


@pytest.mark.parametrize("name", SHAPE_CASES)
def test_shape_manipulation_matches_jax(name):
    check_against_jax(SHAPE_CASES, name)


def test_shape_queries_match_numpy():
    assert (lnp.shape(X23), lnp.ndim(X23), lnp.size(X23), lnp.size(X23, 1)) == ((2, 3), 2, 6, 3)


# ----------------------------------------------------------------------------------------------
# Products

A32, A43 = normal(3, 2), normal(4, 3)
B234, B5134, B243 = normal(2, 3, 4), normal(5, 1, 3, 4), normal(2, 4, 3)
PRODUCTS = {
    "dot-mv": (method("dot"), (X23, X3)), "dot-mm": (method("dot"), (X23, A32)), "dot-vv": (method("dot"), (X3, P3)),
    "dot-scalar": (method("dot"), (X23, 2.0)), "dot-3d": (method("dot"), (B234, A43)),
    "dot-int-float": (method("dot"), (ints(3), X3)), "dot-ints": (method("dot"), (ints(3), ints(3, seed=1))),
    "matmul-mv": (method("matmul"), (X23, X3)), "matmul-vm": (method("matmul"), (X3, A32)),
    "matmul-mm": (method("matmul"), (X23, A32)), "matmul-batched": (method("matmul"), (B234, A43)),
    "matmul-broadcast": (method("matmul"), (B5134, B243)), "matmul-v-batched": (method("matmul"), (X3, B234)),
    "matmul-batched-v": (method("matmul"), (B234, normal(4))),
    "matmul-both-unit-batch": (method("matmul"), (normal(1, 2, 3), normal(1, 3, 2))),
    "matmul-ints": (method("matmul"), (ints(2, 3), ints(3))),
    "vdot": (method("vdot"), (X23, X23)), "inner": (method("inner"), (X23, X3)), "inner-scalar": (method("inner"), (2.0, X3)),
    "outer": (method("outer"), (X3, X23)), "tensordot-1": (lambda m, x, y: m.tensordot(x, y, 1), (X23, A32)),
    "tensordot-2": (lambda m, x, y: m.tensordot(x, y, 2), (X23, X23)),
    "tensordot-axes": (lambda m, x, y: m.tensordot(x, y, axes=([0, 1], [0, 1])), (B234, X23)),
    "tensordot-0": (lambda m, x, y: m.tensordot(x, y, 0), (X3, P3)), "kron": (method("kron"), (X23, normal(2, 2))),
}


@pytest.mark.parametrize("name", PRODUCTS)
def test_products_match_jax(name):
    check_against_jax(PRODUCTS, name, rtol=2e-5, atol=1e-5)


def _einsum(subscripts):
    return lambda m, *operands: m.einsum(subscripts, *operands)


EINSUMS = {
    "matvec": (_einsum("ij,j->i"), (X23, X3)), "matmul": (_einsum("ij,jk->ik"), (X23, A32)),
    "transposed-out": (_einsum("ij,jk->ki"), (X23, A32)), "contract-both": (_einsum("ij,kj"), (X23, X23)),
    "trace": (_einsum("ii"), (normal(3, 3),)), "diagonal": (_einsum("ii->i"), (normal(3, 3),)),
    "repeated-kept": (_einsum("iij->ij"), (normal(2, 2, 3),)), "triple-repeat": (_einsum("iii->"), (normal(2, 2, 2),)),
    "sum-all": (_einsum("ij->"), (X23,)), "transpose": (_einsum("ij->ji"), (X23,)),
    "outer": (_einsum("i,j"), (X3, normal(2))), "batched": (_einsum("bij,bjk->bki"), (B234, normal(2, 4, 5))),
    "rowwise-dot": (_einsum("ij,ij->i"), (X23, X23)), "ellipsis": (_einsum("...j,j"), (B234, normal(4))),
    "ellipsis-broadcast": (_einsum("...ij,...jk"), (normal(1, 2, 3), normal(4, 3, 2))),
    "chain": (_einsum("ij,jk,kl->il"), (X23, A32, X23)), "implicit-sorted": (_einsum("ba,a"), (X23.T, normal(2))),
    "mixed-dtypes": (_einsum("ij,j"), (X23, ints(3))), "sum-out-unique": (_einsum("ij,jk->i"), (X23, A32)),
    "scalar": (_einsum(",i->i"), (2.0, X3)),
}


@pytest.mark.parametrize("name", EINSUMS)
def test_einsum_matches_jax(name):
    check_against_jax(EINSUMS, name, rtol=2e-5, atol=1e-5)


# ----------------------------------------------------------------------------------------------
# Joining, splitting, repeating

JOINING = {
    "concatenate": lambda m, x: m.concatenate([x, x[:1]]), "concatenate-axis": lambda m, x: m.concatenate([x, x], axis=1),
    "concatenate-none": lambda m, x: m.concatenate([x, x[0]], axis=None),
    "concatenate-promotes": lambda m, x: m.concatenate([x, ints(1, 3)]),
    "concatenate-dtype": lambda m, x: m.concatenate([x, x], dtype=np.int32),
    "stack": lambda m, x: m.stack([x, x]), "stack-axis": lambda m, x: m.stack([x, x, x], axis=-1),
    "hstack": lambda m, x: m.hstack([x, x]), "hstack-1d": lambda m, x: m.hstack([x[0], x[1], 2.0]),
    "vstack": lambda m, x: m.vstack([x, x[0]]), "dstack": lambda m, x: m.dstack([x, x]),
    "column_stack": lambda m, x: m.column_stack([x[0], x[1]]),
    "split-sections": lambda m, x: m.split(x, 3, axis=1), "split-indices": lambda m, x: m.split(x, [1, 2], axis=1),
    "split-axis0": lambda m, x: m.split(x, 2), "array_split": lambda m, x: m.array_split(x, 2, axis=1),
    "hsplit": lambda m, x: m.hsplit(x, 3), "vsplit": lambda m, x: m.vsplit(x, [1]),
    "tile": lambda m, x: m.tile(x, 2), "tile-tuple": lambda m, x: m.tile(x, (2, 1, 3)), "tile-1d": lambda m, x: m.tile(x[0], (2, 2)),
    "repeat": lambda m, x: m.repeat(x, 2), "repeat-axis": lambda m, x: m.repeat(x, 3, axis=1),
    "repeat-counts": lambda m, x: m.repeat(x, np.array([1, 0, 2]), axis=1),
}
JOINING_CASES = {name: (fn, (X23,)) for name, fn in JOINING.items()}


@pytest.mark.parametrize("name", JOINING_CASES)
def test_joining_and_splitting_match_jax(name):
    check_against_jax(JOINING_CASES, name)


# ----------------------------------------------------------------------------------------------
# Reordering, triangles, diagonals, gathers

TIES = np.float32([2, 1, 2, 1, 3])
REORDERING = {
    "flip": lambda m, x: m.flip(x), "flip-axis": lambda m, x: m.flip(x, 1), "fliplr": lambda m, x: m.fliplr(x),
    "roll": lambda m, x: m.roll(x, 2), "roll-axis": lambda m, x: m.roll(x, -1, axis=1),
    "roll-many": lambda m, x: m.roll(x, (1, 2), axis=(0, 1)), "rot90": lambda m, x: m.rot90(x),
    "sort": lambda m, x: m.sort(x), "sort-axis0": lambda m, x: m.sort(x, axis=0), "sort-none": lambda m, x: m.sort(x, axis=None),
    "sort-descending": lambda m, x: m.sort(x, descending=True), "argsort": lambda m, x: m.argsort(x),
    "argsort-axis0": lambda m, x: m.argsort(x, axis=0), "argsort-descending": lambda m, x: m.argsort(x, descending=True),
    "argsort-ties": lambda m, x: m.argsort(TIES), "argsort-ties-descending": lambda m, x: m.argsort(TIES, descending=True),
    "triu": lambda m, x: m.triu(x), "triu-k": lambda m, x: m.triu(x, 1), "tril": lambda m, x: m.tril(x),
    "tril-k": lambda m, x: m.tril(x, -1), "tril-batched": lambda m, x: m.tril(B234, 1),
    "diag": lambda m, x: m.diag(x), "diag-k": lambda m, x: m.diag(x, 1), "diag-negative-k": lambda m, x: m.diag(x.T, -1),
    "diag-out-of-range": lambda m, x: m.diag(x, 5), "diag-vector": lambda m, x: m.diag(x[0]),
    "diag-vector-k": lambda m, x: m.diag(x[0], 2), "diag-vector-negative-k": lambda m, x: m.diag(x[0], -1),
    "diagonal": lambda m, x: m.diagonal(B234, 1, 0, 2), "diagonal-swapped": lambda m, x: m.diagonal(A43, -1, 1, 0),
    "diagonal-method": lambda m, x: m.asarray(x).diagonal(), "trace": lambda m, x: m.trace(x), "trace-k": lambda m, x: m.trace(x, -1),
    "trace-axes": lambda m, x: m.trace(B234, 0, 2, 1), "trace-int8": lambda m, x: m.trace(ints(3, 3).astype(np.int8)),
    "take": lambda m, x: m.take(x, np.array([0, 5, -1])), "take-axis": lambda m, x: m.take(x, np.array([[2, 0]]), axis=1),
    "take-clip": lambda m, x: m.take(x, np.array([7, -9]), mode="clip"),
    "take-wrap": lambda m, x: m.take(x, np.array([7, -9]), mode="wrap"),
    "take-ints-fill": lambda m, x: m.take(ints(4), np.array([1, 9])),
    "take_along_axis": lambda m, x: m.take_along_axis(x, np.argsort(X23, axis=1), axis=1),
    "take_along_axis-0": lambda m, x: m.take_along_axis(x, np.array([[1, 0, 1]]), axis=0),
    "take_along_axis-broadcast": lambda m, x: m.take_along_axis(x, np.array([[2], [0]]), axis=1),
    "take_along_axis-out-of-range": lambda m, x: m.take_along_axis(x, np.array([[5], [-1]]), axis=1),
    "searchsorted": lambda m, x: m.searchsorted(np.sort(X3), x),
    "searchsorted-right-ties-nan": lambda m, x: m.searchsorted(np.float32([1, 2, 2, 3, np.nan]),
                                                               np.float32([[2, np.nan], [0, 5]]), side="right"),
    "searchsorted-left-ties-nan": lambda m, x: m.searchsorted(np.float32([1, 2, 2, 3, np.nan]),
                                                              np.float32([[2, np.nan], [0, 5]])),
    "searchsorted-sorter-ints": lambda m, x: m.searchsorted(np.int32([3, 1, 2]), 2, sorter=np.int32([1, 2, 0])),
    **{f"getitem-{label}": (lambda idx: lambda m, x: m.asarray(A43)[idx])(idx) for label, idx in [
        ("int", 1), ("negative-int", -1), ("ints", (1, 2)), ("slice", slice(1, None)), ("column", (slice(None), 2)),
        ("ellipsis", (Ellipsis, 1)), ("newaxis", (None, 1)), ("reversed", slice(None, None, -1)),
        ("strided", (slice(None, None, 2), slice(3, 0, -2))), ("mixed", (1, None, slice(1, 3))),
        ("empty", slice(2, 1)), ("int-array", np.array([2, 0])), ("int-array-column", (slice(None), np.array([1, -1]))),
        ("bool-mask", A43 > 0), ("two-int-arrays", (np.array([0, 1]), np.array([2, 0])))]},
}
REORDERING_CASES = {name: (fn, (X23,)) for name, fn in REORDERING.items()}


@pytest.mark.parametrize("name", REORDERING_CASES)
def test_reordering_and_gathering_match_jax(name):
    check_against_jax(REORDERING_CASES, name)


def test_out_of_range_static_index_clamps_like_jax():
    assert_matches(lnp.asarray(A43)[(0, 7)], jnp.asarray(A43)[(0, 7)])
    assert_matches(lnp.asarray(A43)[-9], jnp.asarray(A43)[-9])


# ----------------------------------------------------------------------------------------------
# Comparisons of whole arrays, and linalg.norm

CLOSE_X = np.array([1.0, np.inf, -np.inf, np.nan, 1e-9, 100.0], np.float32)
CLOSE_Y = np.array([1.0 + 1e-6, np.inf, np.inf, np.nan, 0.0, 100.01], np.float32)
CLOSENESS = {
    "isclose": (method("isclose"), (CLOSE_X, CLOSE_Y)),
    "isclose-equal-nan": (lambda m, x, y: m.isclose(x, y, equal_nan=True), (CLOSE_X, CLOSE_Y)),
    "isclose-rtol": (lambda m, x, y: m.isclose(x, y, rtol=1e-3, atol=0.0), (CLOSE_X, CLOSE_Y)),
    "isclose-ints": (method("isclose"), (ints(3), ints(3, seed=1))),
    "isclose-scalar": (lambda m, x: m.isclose(x, 0.5), (X23,)),
    "allclose-true": (method("allclose"), (CLOSE_X[:1], CLOSE_Y[:1])),
    "allclose-false": (method("allclose"), (CLOSE_X, CLOSE_Y)),
    "allclose-equal-nan": (lambda m, x, y: m.allclose(x, y, equal_nan=True, rtol=1e-3), (CLOSE_X, CLOSE_Y)),
    "array_equal": (method("array_equal"), (X3, X3)), "array_equal-shapes": (lambda m, x: m.array_equal(x, x[:2]), (X3,)),
}


@pytest.mark.parametrize("name", CLOSENESS)
def test_closeness_matches_jax(name):
    check_against_jax(CLOSENESS, name)


def _norm(*args, **kwargs):
    return lambda m, x: m.linalg.norm(x, *args, **kwargs)


NORMS = {
    "default-vector": (_norm(), (X3,)), "default-matrix": (_norm(), (X23,)), "default-3d": (_norm(), (B234,)),
    "keepdims": (_norm(keepdims=True), (X23,)), "vector-1": (_norm(1), (X3,)), "vector-2": (_norm(2), (X3,)),
    "vector-inf": (_norm(np.inf), (X3,)), "vector-minus-inf": (_norm(-np.inf), (X3,)),
    "vector-0": (_norm(0), (np.float32([0, 1, 2]),)), "vector-3": (_norm(3), (X3,)),
    "vector-axis": (_norm(axis=1), (X23,)), "vector-axis-keepdims": (_norm(1, axis=0, keepdims=True), (X23,)),
    "matrix-fro": (_norm("fro"), (X23,)), "matrix-1": (_norm(1), (X23,)), "matrix-inf": (_norm(np.inf), (X23,)),
    "matrix-minus-1": (_norm(-1), (X23,)), "matrix-axes": (_norm(axis=(2, 0)), (B234,)),
    "matrix-inf-keepdims": (_norm(np.inf, axis=(0, 2), keepdims=True), (B234,)), "ints": (_norm(), (ints(3),)),
    "matrix-2": (_norm(2), (X23,)), "matrix-minus-2": (_norm(-2), (X23,)), "matrix-nuc": (_norm("nuc"), (X23,)),
}


@pytest.mark.parametrize("name", NORMS)
def test_linalg_norm_matches_jax(name):
    check_against_jax(NORMS, name, rtol=2e-5)


# ----------------------------------------------------------------------------------------------
# Derivatives against JAX's

DIFFERENTIABLE = {
    # The jnp functions that are more than one primitive (the others are lax's own rules).
    **{name: (method(name), (UNARY[name](2, 3),))
       for name in ("log2", "log10", "reciprocal", "deg2rad", "sinc", "square", "sqrt", "tan", "arctanh")},
    **{name: (method(name), (BINARY[name][0](2, 3), BINARY[name][1](3, seed=1)))
       for name in ("add", "subtract", "multiply", "divide", "maximum", "minimum", "power", "arctan2",
                    "logaddexp", "hypot")},
    "clip": (lambda m, x: m.clip(x, -0.5, 0.5), (X23,)), "where": (lambda m, x, y: m.where(x > 0, x, y), (X23, X3)),
    "sum": (lambda m, x: m.sum(x, axis=1), (X23,)), "mean": (lambda m, x: m.mean(x, axis=0, keepdims=True), (X23,)),
    "var": (lambda m, x: m.var(x, axis=1), (X23,)), "std": (lambda m, x: m.std(x), (X23,)),
    "max": (lambda m, x: m.max(x, axis=0), (X23,)), "min": (lambda m, x: m.min(x), (X23,)),
    "prod": (lambda m, x: m.prod(x, axis=1), (X23,)), "cumsum": (lambda m, x: m.cumsum(x, axis=1), (X23,)),
    "cumprod": (lambda m, x: m.cumprod(x), (X23,)), "dot": (method("dot"), (X23, A32)),
    "vdot": (method("vdot"), (X3, P3)), "matmul": (method("matmul"), (B5134, B243)),
    "inner": (method("inner"), (X23, X3)), "outer": (method("outer"), (X3, normal(2))),
    "tensordot": (lambda m, x, y: m.tensordot(x, y, 1), (X23, A32)),
    "einsum": (_einsum("bij,bjk->bki"), (B234, normal(2, 4, 5))), "einsum-trace": (_einsum("ii"), (normal(3, 3),)),
    "transpose": (lambda m, x: m.transpose(x[None], (2, 0, 1)), (X23,)),
    "swapaxes": (lambda m, x: m.swapaxes(x, 0, 1), (X23,)), "moveaxis": (lambda m, x: m.moveaxis(x, 0, 1), (X23,)),
    "reshape": (lambda m, x: m.reshape(x, (3, 2)), (X23,)), "ravel": (method("ravel"), (X23,)),
    "squeeze": (method("squeeze"), (normal(1, 3),)), "expand_dims": (lambda m, x: m.expand_dims(x, 0), (X23,)),
    "concatenate": (lambda m, x, y: m.concatenate([x, y], axis=0), (X23, normal(1, 3))),
    "stack": (lambda m, x, y: m.stack([x, y], axis=1), (X23, normal(2, 3, seed=1))),
    "hstack": (lambda m, x: m.hstack([x, x]), (X3,)), "vstack": (lambda m, x: m.vstack([x, x[0]]), (X23,)),
    "split": (lambda m, x: m.split(x, [1], axis=1), (X23,)),
    "tile": (lambda m, x: m.tile(x, (2, 1)), (X23,)), "repeat": (lambda m, x: m.repeat(x, 2, axis=0), (X23,)),
    "broadcast_to": (lambda m, x: m.broadcast_to(x, (2, 3)), (X3,)),
    "take": (lambda m, x: m.take(x, np.array([2, 0, 0])), (X3,)),
    "take_along_axis": (lambda m, x: m.take_along_axis(x, np.array([[2], [0]]), axis=1), (X23,)),
    "sort": (lambda m, x: m.sort(x, axis=1), (X23,)), "flip": (method("flip"), (X23,)),
    "roll": (lambda m, x: m.roll(x, 1, axis=1), (X23,)),
    "triu": (method("triu"), (normal(3, 3),)), "tril": (lambda m, x: m.tril(x, -1), (normal(3, 3),)),
    "diag": (lambda m, x: m.diag(x, 1), (normal(3, 4),)), "diag-vector": (lambda m, x: m.diag(x, -1), (X3,)),
    "trace": (method("trace"), (normal(3, 3),)), "getitem": (lambda m, x: x[1, ::-1], (X23,)),
    "norm": (_norm(), (X23,)), "norm-1": (_norm(1, axis=1), (X23,)), "norm-inf-matrix": (_norm(np.inf), (X23,)),
    "linspace": (lambda m, x, y: m.linspace(x, y, 5), (X3[:2], P3[:2])),
}


def _jvp_table():
    return {name: ((lambda fn: lambda m, p, t: (jax if m is jnp else jaxlite).jvp(
        lambda *a: fn(m, *a), p, t))(fn), (primals, tuple(normal(*np.shape(x), seed=2) for x in primals)))
        for name, (fn, primals) in DIFFERENTIABLE.items()}


def _vjp_table():
    table = {}
    for name, (fn, primals) in DIFFERENTIABLE.items():
        out = jax.eval_shape(lambda *a: fn(jnp, *a), *primals)
        cts = jax.tree_util.tree_map(lambda o: normal(*o.shape, seed=3), out)

        def pullback(m, p, c, fn=fn):
            ad = jax if m is jnp else jaxlite
            out, vjp_fun = ad.vjp(lambda *a: fn(m, *a), *p)
            return out, vjp_fun(c if m is jnp else jaxlite.tree_util.tree_map(lnp.asarray, c))
        table[name] = (pullback, (primals, cts))
    return table


JVP_CASES, VJP_CASES = _jvp_table(), _vjp_table()


@pytest.mark.parametrize("name", JVP_CASES)
def test_jvp_matches_jax(name):
    fn, args = JVP_CASES[name]
    assert_matches(fn(lnp, *args), jax_reference(JVP_CASES)[name], rtol=2e-5, atol=1e-5, weak_type=False)


@pytest.mark.parametrize("name", VJP_CASES)
def test_vjp_matches_jax(name):
    fn, args = VJP_CASES[name]
    assert_matches(fn(lnp, *args), jax_reference(VJP_CASES)[name], rtol=2e-5, atol=1e-5, weak_type=False)


def _vmapped(fn, in_axes=0):
    return lambda m, *args: (jax if m is jnp else jaxlite).vmap(lambda *a: fn(m, *a), in_axes=in_axes)(*args)


VMAP_CASES = {
    "matmul": (_vmapped(method("matmul")), (B234, normal(2, 4, 5))),
    "matmul-unbatched-rhs": (_vmapped(method("matmul"), (0, None)), (B234, A43)),
    "einsum": (_vmapped(_einsum("ij,jk->ki")), (B234, normal(2, 4, 5))),
    "einsum-trace": (_vmapped(_einsum("ii")), (normal(4, 3, 3),)),
    "dot-axis-1": (_vmapped(method("dot"), (1, None)), (B234, normal(4))),
    "where": (_vmapped(lambda m, x, y: m.where(x > 0, x, y)), (X23, normal(2, 3, seed=1))),
    "mean-var": (_vmapped(lambda m, x: (m.mean(x), m.var(x, axis=0))), (B234,)),
    "cumsum": (_vmapped(lambda m, x: m.cumsum(x, axis=-1), 1), (B234,)),
    "sort-argsort": (_vmapped(lambda m, x: (m.sort(x), m.argsort(x))), (B234,)),
    "take": (_vmapped(lambda m, x, i: m.take(x, i)), (X23, np.int32([[0, 2], [1, 5]]))),
    "take_along_axis": (_vmapped(lambda m, x: m.take_along_axis(x, np.int32([[1], [0], [2]]), axis=1)), (B234,)),
    "triu-diag-trace": (_vmapped(lambda m, x: (m.triu(x), m.diag(x), m.trace(x))), (normal(4, 3, 3),)),
    "concatenate-stack": (_vmapped(lambda m, x, y: (m.concatenate([x, y]), m.stack([x, y], 1))), (X23, X23)),
    "reshape-transpose": (_vmapped(lambda m, x: m.reshape(x, (4, 2)).T), (B234.transpose(1, 0, 2),)),
    "norm": (_vmapped(lambda m, x: m.linalg.norm(x, axis=-1)), (B234,)),
    "getitem": (_vmapped(lambda m, x: x[::-1, 1:]), (B234,)),
    "linspace": (_vmapped(lambda m, x, y: m.linspace(x, y, 4)), (X3, P3)),
}


@pytest.mark.parametrize("name", VMAP_CASES)
def test_vmap_matches_jax(name):
    check_against_jax(VMAP_CASES, name, rtol=2e-5, atol=1e-5)


def test_maximum_splits_the_derivative_at_ties_like_jax():
    grad = jaxlite.grad(lambda a: lnp.sum(lnp.maximum(a, 2.0)))(np.float32([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(grad, [0.0, 0.5, 1.0])


def test_logaddexp_derivative_at_infinity_matches_jax():
    x, y = np.float32([np.inf, -np.inf, 0.0]), np.float32([np.inf, 1.0, -np.inf])
    for argnums in (0, 1):
        lite = jaxlite.grad(lambda a, b: lnp.sum(lnp.logaddexp(a, b)), argnums)(x, y)
        assert_matches(lite, jax.grad(lambda a, b: jnp.sum(jnp.logaddexp(a, b)), argnums)(x, y))


def test_grad_of_a_python_float_is_weakly_typed_like_jax():
    assert_matches(jaxlite.grad(lambda a: lnp.mean(lnp.sin(a) * a))(0.7),
                   jax.grad(lambda a: jnp.mean(jnp.sin(a) * a))(0.7))


# Central differences in float64 check the derivatives without JAX: a subset covering every kind of
# rule (elementwise, reductions, contractions, shape changes, gathers, selections).
FINITE_DIFFERENCE = ["log2", "sinc", "tan", "arctan2", "power", "logaddexp", "hypot", "divide", "var", "std",
                     "prod", "cumprod", "max", "matmul", "einsum", "einsum-trace", "tensordot", "take",
                     "take_along_axis", "sort", "diag", "trace", "norm", "norm-1", "clip", "where",
                     "linspace", "tile", "split", "getitem"]


@pytest.mark.parametrize("name", FINITE_DIFFERENCE)
def test_grad_matches_central_differences_in_float64(name, x64):
    fn, primals = DIFFERENTIABLE[name]
    tables.assert_grad_matches_central_differences(
        fn, lnp, primals, weight=lambda shape: normal(*shape, dtype=np.float64, seed=4),
        direction=lambda shape: normal(*shape, dtype=np.float64, seed=5), atol=1e-7)


X64_CASES = {
    "arange": lambda m: m.arange(3), "ones": lambda m: m.ones(2), "linspace": lambda m: m.linspace(0, 1, 3),
    "array": lambda m: m.array([1.5, 2]), "sum-of-arange": lambda m: m.sum(m.arange(3)),
    "mean-of-int32": lambda m: m.mean(ints(3)), "sin-of-int32": lambda m: m.sin(ints(3)),
    "float32-plus-python-float": lambda m: m.float32(1) + 1.5, "eye": lambda m: m.eye(2),
    "true-divide-int64": lambda m: m.arange(3) / 2,
}


def test_float64_mode_gives_the_dtypes_jax_gives(x64):
    for fn in X64_CASES.values():
        assert_matches(fn(lnp), fn(jnp))


# ----------------------------------------------------------------------------------------------
# Jaxprs: where JAX stages plain primitives, jaxlite stages the same equations

X23, X3 = normal(2, 3), normal(3)
SAME_JAXPR = {
    "mean": (lambda m: m.mean, (X23,)), "mean-axis": (lambda m: lambda a: m.mean(a, axis=0), (X23,)),
    "sum-keepdims": (lambda m: lambda a: m.sum(a, axis=1, keepdims=True), (X23,)),
    "sum-of-bools": (lambda m: lambda a: m.sum(a > 0.5), (X3,)),
    "mean-of-ints": (lambda m: lambda a: m.mean(m.arange(4)), (X3,)),
    "sum-of-python-float": (lambda m: m.sum, (2.0,)),
    "max": (lambda m: m.max, (X23,)), "max-keepdims": (lambda m: lambda a: m.max(a, axis=1, keepdims=True), (X23,)),
    "argmax": (lambda m: m.argmax, (X23,)), "argmax-keepdims": (lambda m: lambda a: m.argmax(a, 1, keepdims=True), (X23,)),
    "prod": (lambda m: m.prod, (X23,)), "any": (lambda m: lambda a: m.any(a > 1), (X23,)),
    "dot": (lambda m: m.dot, (X23, X3)), "dot-scalar": (lambda m: lambda a: m.dot(a, 2.0), (X3,)),
    "matmul-operator": (lambda m: lambda a, b: a @ b, (X23, X3)), "matmul-mm": (lambda m: lambda a, b: a @ b, (X23, X23.T)),
    "matmul-int-float": (lambda m: lambda a, b: a @ b, (ints(3), X3)),
    "matmul-broadcast": (lambda m: lambda a, b: a @ b, (normal(1, 2, 3), normal(5, 3, 2))),
    "matmul-vector-batched": (lambda m: lambda a, b: a @ b, (normal(4), normal(2, 4, 3))),
    "vdot": (lambda m: m.vdot, (X3, X3)), "inner": (lambda m: m.inner, (X23, X3)), "outer": (lambda m: m.outer, (X3, X3)),
    "tensordot": (lambda m: lambda a, b: m.tensordot(a, b, axes=1), (X23, X23.T)),
    "einsum-matvec": (lambda m: lambda a, b: m.einsum("ij,j->i", a, b), (X23, X3)),
    "einsum-contract": (lambda m: lambda a: m.einsum("ij,kj->ik", a, a), (X23,)),
    "einsum-trace": (lambda m: lambda a: m.einsum("ii", a), (normal(3, 3),)),
    "einsum-sum": (lambda m: lambda a: m.einsum("ij->", a), (X23,)),
    "einsum-transpose": (lambda m: lambda a: m.einsum("ij->ji", a), (X23,)),
    "einsum-outer": (lambda m: lambda a: m.einsum("i,j->ij", a, a), (X3,)),
    "einsum-swapped-output": (lambda m: lambda a, b: m.einsum("ij,jk->ki", a, b), (X23, X23.T)),
    "einsum-rowwise": (lambda m: lambda a: m.einsum("ij,ij->i", a, a), (X23,)),
    "einsum-diagonal-kept": (lambda m: lambda a: m.einsum("iij->ij", a), (normal(2, 2, 3),)),
    "maximum": (lambda m: m.maximum, (X23, X3)), "maximum-scalar": (lambda m: lambda a: m.maximum(a, 0.0), (X23,)),
    "minimum": (lambda m: m.minimum, (X23, X3)), "arctan2": (lambda m: m.arctan2, (X3, X3)),
    "logaddexp": (lambda m: m.logaddexp, (X23, X3)), "log2": (lambda m: m.log2, (X23,)), "log10": (lambda m: m.log10, (X23,)),
    "square": (lambda m: m.square, (X23,)), "abs": (lambda m: m.abs, (X23,)), "sign": (lambda m: m.sign, (X3,)),
    "sqrt-of-ints": (lambda m: m.sqrt, (ints(3),)), "true-divide-ints": (lambda m: lambda a: m.arange(3) / 2, (X3,)),
    "pow-int": (lambda m: lambda a: a ** 2, (X3,)), "pow-float": (lambda m: lambda a: a ** 2.5, (X3,)),
    "rpow": (lambda m: lambda a: 2 ** a, (X3,)), "reciprocal": (lambda m: m.reciprocal, (X3,)),
    "numpy-scalar-folded": (lambda m: lambda a: a + np.int32(2), (X3,)),
    "numpy-array-converted": (lambda m: lambda a: a + np.arange(3), (X3,)),
    "isfinite": (lambda m: m.isfinite, (X3,)), "isfinite-ints": (lambda m: m.isfinite, (ints(3),)),
    "isnan": (lambda m: m.isnan, (X3,)), "logical_not": (lambda m: m.logical_not, (X3,)),
    "logical_and": (lambda m: lambda a: m.logical_and(a, a > 1), (X3,)),
    "eye": (lambda m: lambda a: m.eye(3), (X3,)), "zeros": (lambda m: lambda a: m.zeros(3), (X3,)),
    "ones_like": (lambda m: m.ones_like, (X3,)), "full-traced": (lambda m: lambda a: m.full((2,), a[0]), (X3,)),
    "arange": (lambda m: lambda a: m.arange(3), (X3,)), "arange-start": (lambda m: lambda a: m.arange(1, 4), (X3,)),
    "arange-step": (lambda m: lambda a: m.arange(0.0, 1.0, 0.25), (X3,)),
    "transpose": (lambda m: m.transpose, (X23,)), "transpose-identity": (lambda m: lambda a: m.transpose(a, (0,)), (X3,)),
    "moveaxis": (lambda m: lambda a: m.moveaxis(a, 0, 1), (X23,)), "reshape": (lambda m: lambda a: m.reshape(a, (3, 2)), (X23,)),
    "reshape-same": (lambda m: lambda a: m.reshape(a, (3,)), (X3,)), "ravel": (lambda m: m.ravel, (X23,)),
    "expand_dims": (lambda m: lambda a: m.expand_dims(a, 0), (X3,)),
    "squeeze": (lambda m: lambda a: m.squeeze(a.reshape(1, 3)), (X3,)),
    "broadcast_to": (lambda m: lambda a: m.broadcast_to(a, (2, 3)), (X3,)),
    "concatenate": (lambda m: lambda a: m.concatenate([a, a]), (X3,)),
    "repeat": (lambda m: lambda a: m.repeat(a, 2), (X3,)), "repeat-axis": (lambda m: lambda a: m.repeat(a, 2, axis=0), (X23,)),
    "getitem-int": (lambda m: lambda a: a[1], (X23,)), "getitem-slice": (lambda m: lambda a: a[:, 1:], (X23,)),
    "getitem-negative": (lambda m: lambda a: a[-1], (X3,)), "getitem-reversed": (lambda m: lambda a: a[::-1], (X3,)),
    "getitem-strided": (lambda m: lambda a: a[::2], (X3,)), "getitem-newaxis": (lambda m: lambda a: a[None, 1:], (X23,)),
    "getitem-ellipsis": (lambda m: lambda a: a[..., 0], (X23,)), "getitem-empty": (lambda m: lambda a: a[1:0], (X3,)),
    "astype-same": (lambda m: lambda a: a.astype(m.float32), (X3,)),
}
# JAX wraps these in a `jit[name=...]` equation (or uses primitives jaxlite's lax lacks); their
# jaxlite jaxprs inline the same computation, so the text differs.
JIT_WRAPPED_IN_JAX = ["where", "clip", "cumsum", "sort", "argsort", "var", "std", "remainder", "floor_divide",
                      "linspace", "flip", "roll", "triu", "tril", "diag", "trace", "take", "take_along_axis",
                      "isclose", "allclose", "hstack", "vstack", "isinf", "trunc", "round", "hypot", "signbit",
                      "linalg.norm", "stack (a stack primitive)", "split (a split primitive)",
                      "tile (a tile primitive)"]


@pytest.mark.parametrize("name", SAME_JAXPR)
def test_jaxpr_matches_jax(name):
    make, args = SAME_JAXPR[name]
    assert str(jaxlite.make_jaxpr(make(lnp))(*args)) == str(jax.make_jaxpr(make(jnp))(*args))


def test_jaxpr_of_where_inlines_what_jax_puts_inside_its_jit():
    text = str(jaxlite.make_jaxpr(lambda a: lnp.where(a > 0.5, a, 0.0))(X23))
    assert text == ("{ lambda ; a:f32[2,3]. let\n    b:bool[2,3] = gt a 0.5:f32[]\n"
                    "    c:f32[2,3] = broadcast_in_dim 0.0:f32[]\n    d:f32[2,3] = select_n b c a\n  in (d,) }")


# ----------------------------------------------------------------------------------------------
# Errors: JAX's exception types and texts

ERRORS = {
    "broadcast-ranks": lambda m: m.maximum(m.ones((2, 3)), m.ones(2)),
    "reshape-size": lambda m: m.reshape(m.ones(6), (4, 2)),
    "reshape-minus-one": lambda m: m.reshape(m.ones(6), (4, -1)),
    "reshape-two-minus-ones": lambda m: m.reshape(m.ones(6), (-1, -1)),
    "concatenate-0d": lambda m: m.concatenate([m.ones(()), m.ones(())]),
    "concatenate-ranks": lambda m: m.concatenate([m.ones((2, 3)), m.ones((2,))]),
    "concatenate-shapes": lambda m: m.concatenate([m.ones((2, 3)), m.ones((3, 2))]),
    "stack-shapes": lambda m: m.stack([m.ones(2), m.ones(3)]),
    "matmul-0d": lambda m: m.matmul(m.ones(()), m.ones(3)),
    "matmul-batch": lambda m: m.ones((2, 2, 3)) @ m.ones((3, 3, 2)),
    "matmul-contracting": lambda m: m.ones((2, 3)) @ m.ones((4, 2)),
    "dot-contracting": lambda m: m.dot(m.ones(3), m.ones(4)),
    "broadcast_to": lambda m: m.broadcast_to(m.ones(3), (2, 2)),
    "squeeze": lambda m: m.squeeze(m.ones((2, 3)), 0),
    "split-unequal": lambda m: m.split(m.ones(5), 2),
    "argmax-empty": lambda m: m.argmax(m.ones(0)),
    "max-empty": lambda m: m.max(m.ones((0, 3)), axis=0),
    "einsum-sizes": lambda m: m.einsum("ij,jk", m.ones((2, 3)), m.ones((4, 5))),
    "einsum-operand-count": lambda m: m.einsum("ij", m.ones((2, 3)), m.ones(3)),
    "einsum-subscript-length": lambda m: m.einsum("ij,jk->ik", m.ones((2, 3)), m.ones(3)),
    "transpose-not-permutation": lambda m: m.transpose(m.ones((2, 3)), (0, 0)),
    "axis-out-of-bounds": lambda m: m.ones(3).sum(axis=2),
    "duplicate-axis": lambda m: m.sum(m.ones(3), axis=(0, 0)),
    "out-argument": lambda m: m.sum(m.ones(3), out=1),
    "expand_dims-repeated": lambda m: m.expand_dims(m.ones(3), (0, 0)),
    "expand_dims-out-of-bounds": lambda m: m.expand_dims(m.ones(3), 3),
    "too-many-indices": lambda m: m.ones((2, 3))[0, 0, 0],
    "diag-3d": lambda m: m.diag(m.ones((2, 2, 2))),
    "norm-three-axes": lambda m: m.linalg.norm(m.ones((2, 2, 2)), 1),
    "norm-fro-of-vector": lambda m: m.linalg.norm(m.ones(3), "fro"),
    "tensordot-axes": lambda m: m.tensordot(m.ones(3), m.ones(3), 2),
    "linspace-negative": lambda m: m.linspace(0, 1, -1),
    "take-float-indices": lambda m: m.take(m.ones(3), m.ones(2)),
    "tril-1d": lambda m: m.tril(m.ones(3)),
    "mT-1d": lambda m: m.ones(3).mT,
    "int-too-large": lambda m: m.array(2 ** 40),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_type_and_text_match_jax(name):
    with pytest.raises(Exception) as ref:
        ERRORS[name](jnp)
    with pytest.raises(type(ref.value)) as lite:
        ERRORS[name](lnp)
    message, _, hint = str(lite.value).rpartition("\nHint: ")
    assert message == str(ref.value) and hint and "\n" not in hint


def test_arange_of_a_traced_value_raises_concretization_error():
    with pytest.raises(jaxlite.errors.ConcretizationTypeError,
                       match="It arose in the jnp.arange argument 'stop'"):
        jaxlite.make_jaxpr(lambda n: lnp.arange(n))(3)
