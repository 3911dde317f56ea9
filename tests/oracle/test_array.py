"""The Array object against JAX's: repr, immutability, `.at[...]` updates, attributes, operators,
NumPy interop and conversions to Python numbers."""
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp


def assert_matches(lite, ref):
    assert isinstance(lite, jaxlite.Array), type(lite)
    assert (lite.shape, lite.dtype, lite.weak_type) == (ref.shape, ref.dtype, ref.weak_type)
    np.testing.assert_allclose(np.asarray(lite), np.asarray(ref), rtol=1e-6)


# ----------------------------------------------------------------------------------------------
# repr and str

REPRS = {
    "floats": lambda m: m.array([1.0, 2.0]), "weak-scalar": lambda m: m.asarray(2.0),
    "strong-scalar": lambda m: m.float32(2.5), "ints": lambda m: m.arange(3), "negative-ints": lambda m: m.arange(6) - 3,
    "bools": lambda m: m.array([True, False]), "bool-scalar": lambda m: m.array(True),
    "matrix": lambda m: m.arange(6.0).reshape(2, 3), "int-matrix": lambda m: m.arange(6).reshape(2, 3) - 3,
    "3d": lambda m: m.arange(8.0).reshape(2, 2, 2), "empty-matrix": lambda m: m.zeros((0, 3)),
    "large-summarized": lambda m: m.arange(2000.0), "large-matrix": lambda m: m.ones((100, 100)),
    "float16": lambda m: m.ones(2, m.float16) * 0.5, "uint32": lambda m: m.arange(3, dtype=m.uint32),
    "nan-and-inf": lambda m: m.array([np.nan, np.inf, -np.inf, 0.0]), "small-and-large": lambda m: m.array([1e-8, 1e8]),
    "weak-int-array": lambda m: m.full(3, 2), "wrapped-row": lambda m: m.arange(12.0) * 0.125,
}


@pytest.mark.parametrize("name", REPRS)
def test_repr_matches_jax(name):
    assert repr(REPRS[name](lnp)) == repr(REPRS[name](jnp))


@pytest.mark.parametrize("name", ["floats", "ints", "matrix", "bools", "weak-scalar", "large-summarized"])
def test_str_matches_jax(name):
    assert str(REPRS[name](lnp)) == str(REPRS[name](jnp))


def test_repr_of_an_empty_vector_matches_jax():
    assert repr(lnp.zeros(0)) == repr(jnp.zeros(0)) == "Array([], shape=(0,), dtype=float32)"


@pytest.mark.parametrize("shape", [(0, 3), (2, 0)])
def test_repr_of_an_empty_matrix_matches_jax(shape):
    assert repr(lnp.zeros(shape, lnp.int32)) == repr(jnp.zeros(shape, jnp.int32))


def test_repr_of_a_wide_matrix_places_the_dtype_like_jax():
    values = np.arange(30, dtype=np.float32).reshape(2, 15) / np.float32(3)
    wide = lambda m: m.asarray(values)  # noqa: E731
    assert repr(wide(lnp)) == repr(wide(jnp))


def test_repr_shows_weak_type():
    assert repr(lnp.asarray(2.0)) == "Array(2., dtype=float32, weak_type=True)"
    assert repr(lnp.array([1.0, 2.0])) == "Array([1., 2.], dtype=float32)"


# ----------------------------------------------------------------------------------------------
# Immutability and `.at[...]`

def test_item_assignment_raises_type_error_pointing_to_at():
    x = lnp.arange(3.0)
    with pytest.raises(TypeError, match=r"x\.at\[idx\]\.set\(y\)") as info:
        x[0] = 1.0
    assert "immutable" in str(info.value)
    np.testing.assert_array_equal(x, [0.0, 1.0, 2.0])


def test_item_assignment_on_a_tracer_raises_the_same_error():
    def f(x):
        x[0] = 1.0
        return x
    with pytest.raises(TypeError, match=r"\.at\["):
        jaxlite.grad(lambda x: f(x).sum())(np.ones(3, np.float32))


def _update(method, index, *values):
    return lambda x: getattr(x.at[index], method)(*values)


AT_UPDATES = {
    "set-int": ("arange4f", _update("set", 1, 7.0)), "set-slice": ("arange4f", _update("set", slice(1, 3), 9.0)),
    "set-negative": ("arange4f", _update("set", -1, 5.0)), "set-strided": ("arange4f", _update("set", slice(None, None, 2), -1.0)),
    "set-column": ("ones23", _update("set", (slice(None), 1), np.float32([5.0, 6.0]))),
    "set-out-of-bounds-is-dropped": ("arange4f", _update("set", 10, 1.0)),
    "set-float-into-ints": ("arange3i", _update("set", 1, 7.0)),
    "set-python-int-into-floats": ("arange4f", _update("set", 0, 3)),
    "add": ("arange4f", _update("add", 2, 10.0)), "add-repeated-indices": ("arange3i", _update("add", np.array([0, 0]), 1)),
    "add-array-index": ("ones23", _update("add", np.array([1, 0]), np.float32([1.0, 2.0, 3.0]))),
    "add-bool-mask": ("arange4f", _update("add", np.array([True, False, True, False]), 1.0)),
    "subtract": ("arange4f", _update("subtract", 0, 2.0)), "mul": ("arange4f", _update("mul", slice(None, None, 2), 3.0)),
    "multiply": ("arange4f", _update("multiply", 1, 3.0)), "divide": ("arange4f", _update("divide", 3, 2.0)),
    "power": ("arange4f", _update("power", 2, 3)), "min": ("arange4f", _update("min", slice(1, None), 1.5)),
    "max-repeated": ("arange4f", _update("max", np.array([3, 3]), np.float32([1.0, 9.0]))),
    "get": ("arange4f", _update("get", 2)), "get-array": ("ones23", _update("get", (np.array([1, 0]), 2))),
    "apply": ("arange4f", _update("apply", 1, lambda v: v * 10)),
}
AT_OPERANDS = {"arange4f": lambda m: m.arange(4.0), "arange3i": lambda m: m.arange(3),
               "ones23": lambda m: m.arange(6.0).reshape(2, 3)}


@pytest.mark.parametrize("name", AT_UPDATES)
def test_at_update_matches_jax(name):
    operand, update = AT_UPDATES[name]
    x_lite, x_ref = AT_OPERANDS[operand](lnp), AT_OPERANDS[operand](jnp)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        ref = update(x_ref)
        lite = update(x_lite)
    assert_matches(lite, ref)
    assert_matches(x_lite, x_ref)


def test_at_update_is_differentiable_like_jax():
    def f(m, x, v):
        return (x.at[1:].set(v * x[:2]) ** 2).sum()
    x, v = np.float32([1.0, 2.0, 3.0]), np.float32(0.5)
    lite = jaxlite.grad(lambda a, b: f(lnp, a, b), (0, 1))(x, v)
    ref = jax.grad(lambda a, b: f(jnp, a, b), (0, 1))(x, v)
    for a, b in zip(lite, ref):
        assert_matches(a, b)


def test_at_repr_matches_jax():
    assert repr(lnp.arange(3.0).at) == repr(jnp.arange(3.0).at)
    assert repr(lnp.arange(3.0).at[1]) == repr(jnp.arange(3.0).at[1])


# ----------------------------------------------------------------------------------------------
# Attributes and methods

def test_shape_dtype_ndim_size_match_jax():
    for make in (lambda m: m.zeros((2, 3)), lambda m: m.arange(4), lambda m: m.asarray(2.0), lambda m: m.ones((0, 2), bool)):
        lite, ref = make(lnp), make(jnp)
        assert (lite.shape, lite.dtype, lite.ndim, lite.size, lite.weak_type) == \
            (ref.shape, ref.dtype, ref.ndim, ref.size, ref.weak_type)


def test_transposes_match_jax():
    x = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    assert_matches(lnp.asarray(x).T, jnp.asarray(x).T)
    assert_matches(lnp.asarray(x).mT, jnp.asarray(x).mT)
    assert_matches(lnp.asarray(x).transpose(1, 0, 2), jnp.asarray(x).transpose(1, 0, 2))
    assert_matches(lnp.asarray(x).transpose((2, 0, 1)), jnp.asarray(x).transpose((2, 0, 1)))
    assert_matches(lnp.arange(3).T, jnp.arange(3).T)


METHODS = {
    "astype": lambda x: x.astype(np.int32), "astype-scalar-type": lambda x: x.astype("float16"),
    "reshape": lambda x: x.reshape(3, 2), "ravel": lambda x: x.ravel(), "flatten": lambda x: x.flatten(),
    "squeeze": lambda x: x[None].squeeze(), "swapaxes": lambda x: x.swapaxes(0, 1),
    "sum": lambda x: x.sum(), "mean-axis": lambda x: x.mean(axis=1), "max-keepdims": lambda x: x.max(0, keepdims=True),
    "argmax": lambda x: x.argmax(), "cumsum": lambda x: x.cumsum(1), "std": lambda x: x.std(), "any": lambda x: x.any(),
    "clip": lambda x: x.clip(1.0, 4.0), "round": lambda x: (x / 3).round(2), "dot": lambda x: x.dot(x.T),
    "diagonal": lambda x: x.diagonal(), "trace": lambda x: x.trace(), "sort": lambda x: (-x).sort(),
    "argsort": lambda x: (-x).argsort(axis=0), "take": lambda x: x.take(np.array([0, 4])),
    "repeat": lambda x: x.repeat(2, axis=0), "conj": lambda x: x.conj(), "real": lambda x: x.real, "imag": lambda x: x.imag,
}


@pytest.mark.parametrize("name", METHODS)
def test_method_matches_jax(name):
    x = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    assert_matches(METHODS[name](lnp.asarray(x)), METHODS[name](jnp.asarray(x)))


COMPARISONS = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
               "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
               "eq-scalar": lambda a, b: a == 1, "gt-reflected": lambda a, b: 1.5 > a}


@pytest.mark.parametrize("name", COMPARISONS)
def test_comparison_operators_match_jax(name):
    x, y = np.float32([0.0, 1.0, 2.0]), np.float32([1.0, 1.0, 1.0])
    assert_matches(COMPARISONS[name](lnp.asarray(x), lnp.asarray(y)), COMPARISONS[name](jnp.asarray(x), jnp.asarray(y)))


def test_comparison_with_an_unrelated_object_is_false_like_jax():
    assert (lnp.arange(3) == None) is (jnp.arange(3) == None) is False  # noqa: E711
    assert (lnp.ones(2) == "a") is (jnp.ones(2) == "a") is False


def test_arrays_are_unhashable():
    with pytest.raises(TypeError, match="unhashable"):
        hash(lnp.ones(2))


# ----------------------------------------------------------------------------------------------
# NumPy interop and Python conversions

def test_numpy_asarray_gives_the_values_and_dtype():
    x = lnp.arange(6).reshape(2, 3)
    out = np.asarray(x)
    assert isinstance(out, np.ndarray) and out.dtype == np.int32
    np.testing.assert_array_equal(out, np.arange(6).reshape(2, 3))
    assert np.asarray(lnp.ones(3), np.float64).dtype == np.float64
    assert np.array(lnp.ones(2)).dtype == np.asarray(jnp.ones(2)).dtype


def test_numpy_asarray_is_a_read_only_view_like_jax():
    x = lnp.arange(3.0)
    for view in (np.asarray(x), np.asarray(jnp.arange(3.0))):
        assert not view.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            view[0] = 5.0
    assert float(x[0]) == 0.0
    scalar = np.asarray(lnp.float32(2.5))
    assert scalar.shape == () and scalar.dtype == np.float32 and scalar == 2.5
    copied = np.array(x)
    copied[0] = 5.0  # a copy is the user's to change
    assert float(x[0]) == 0.0


def test_numpy_functions_accept_arrays():
    np.testing.assert_allclose(np.sum(lnp.arange(4.0)), 6.0)
    np.testing.assert_allclose(np.sin(np.asarray(lnp.ones(2))), np.sin(np.ones(2)))


def test_block_until_ready_returns_the_array():
    x = lnp.ones(2)
    assert x.block_until_ready() is x
    assert jaxlite.block_until_ready({"a": x})["a"] is x


@pytest.mark.parametrize("convert", [float, int, bool, complex], ids=lambda f: f.__name__)
def test_scalar_conversion_matches_jax(convert):
    for make in (lambda m: m.array(2.7), lambda m: m.array(True), lambda m: m.int32(-4), lambda m: m.asarray(0.5)):
        assert convert(make(lnp)) == convert(make(jnp))


def test_truth_of_a_one_element_vector_matches_jax():
    assert bool(lnp.array([3])) is bool(jnp.array([3])) is True


@pytest.mark.parametrize("convert", [float, int], ids=lambda f: f.__name__)
def test_conversion_of_a_vector_to_a_python_number_fails_like_jax(convert):
    for x in (jnp.ones(2), jnp.arange(1)):
        with pytest.raises(TypeError):
            convert(x)
    for x in (lnp.ones(2), lnp.arange(1)):
        with pytest.raises(TypeError):
            convert(x)


def test_truth_of_a_longer_vector_is_ambiguous_like_jax():
    with pytest.raises(ValueError, match="ambiguous"):
        bool(lnp.ones(2))


def test_len_iteration_item_and_tolist_match_jax():
    x, ref = lnp.arange(6).reshape(2, 3), jnp.arange(6).reshape(2, 3)
    assert len(x) == len(ref) == 2
    for a, b in zip(lnp.arange(3), jnp.arange(3)):
        assert_matches(a, b)
    assert x.item(4) == ref.item(4) == 4
    assert x.tolist() == ref.tolist()
    with pytest.raises(TypeError):
        len(lnp.asarray(1.0))


def test_format_matches_jax():
    assert format(lnp.float32(2.5), ".2f") == format(jnp.float32(2.5), ".2f") == "2.50"
    assert f"{lnp.ones(2)}" == f"{jnp.ones(2)}"


def test_index_conversion_allows_integer_arrays_as_python_indices():
    assert [10, 20, 30][lnp.int32(1)] == 20
    with pytest.raises(TypeError):
        [10, 20, 30][lnp.float32(1)]


def test_arrays_and_tracers_are_instances_of_the_public_array_type():
    seen = []
    jaxlite.grad(lambda x: seen.append(isinstance(x, jaxlite.Array)) or x.sum())(np.ones(2, np.float32))
    assert isinstance(lnp.ones(2), jaxlite.Array) and seen == [True]


# ----------------------------------------------------------------------------------------------
# jnp.array of traced values

TRACED_LISTS = {
    "weak floats and a Python float": (lambda m: (lambda x, y: m.array([x, y, 1.0])), (2.0, 3.0)),
    "weak floats": (lambda m: (lambda x, y: m.array([x, y])), (2.0, 3.0)),
    "a weak int and a Python float": (lambda m: (lambda x, y: m.array([x, 1.5])), (2, 0)),
    "nested lists": (lambda m: (lambda x, y: m.array([[x, 1], [2, y]])), (2, 3)),
    "a tuple with a strong int8": (lambda m: (lambda x, y: m.array((x, m.int8(1)))), (2, 0)),
    "a bare weak scalar stays weak": (lambda m: (lambda x, y: m.array(x)), (2.0, 0)),
    "with a dtype": (lambda m: (lambda x, y: m.array([x, y], dtype=m.int8)), (2.5, 1.0)),
}


@pytest.mark.parametrize("name", list(TRACED_LISTS))
def test_jnp_array_of_traced_values_has_jax_dtype_and_weak_type(name):
    make, args = TRACED_LISTS[name]
    assert_matches(jaxlite.jit(make(lnp))(*args), jax.jit(make(jnp))(*args))
    assert str(jaxlite.make_jaxpr(make(lnp))(*args)) == str(jax.make_jaxpr(make(jnp))(*args))
