"""The warnings JAX gives about dtypes, against JAX: a 64-bit dtype asked for without x64 is
truncated to 32 bits with a UserWarning naming the function; Python's own types and 32-bit
dtypes give none; dtypes that are not numbers are refused."""
import warnings

import jax
import numpy as np
import pytest

import jaxlite
from .outcomes import LIBRARIES, assert_same_error, assert_same_value, assert_same_warnings, warnings_of

X = np.array([1.0, 2.0], np.float32)

TRUNCATED = {
    "array": lambda J, jnp: jnp.array([1.0, 2.0], dtype=jnp.float64),
    "array-with-numpy-float64": lambda J, jnp: jnp.array([1.0, 2.0], dtype=np.float64),
    "array-with-a-dtype-name": lambda J, jnp: jnp.array([1.0, 2.0], dtype="float64"),
    "array-int64": lambda J, jnp: jnp.array([1, 2], dtype=jnp.int64),
    "array-uint64": lambda J, jnp: jnp.array([1, 2], dtype=jnp.uint64),
    "asarray": lambda J, jnp: jnp.asarray([1.0, 2.0], dtype=jnp.float64),
    "asarray-of-an-array": lambda J, jnp: jnp.asarray(jnp.asarray(X), dtype=jnp.float64),
    "scalar-type-float64": lambda J, jnp: jnp.float64(1.0),
    "scalar-type-int64": lambda J, jnp: jnp.int64(1),
    "scalar-type-complex128": lambda J, jnp: jnp.complex128(1 + 2j),
    "zeros": lambda J, jnp: jnp.zeros(3, dtype=jnp.float64),
    "zeros-complex128": lambda J, jnp: jnp.zeros(2, jnp.complex128),
    "ones": lambda J, jnp: jnp.ones(3, dtype=jnp.float64),
    "empty": lambda J, jnp: jnp.empty(3, dtype=jnp.float64),
    "full": lambda J, jnp: jnp.full(3, 1.0, dtype=jnp.float64),
    "zeros_like": lambda J, jnp: jnp.zeros_like(jnp.asarray(X), dtype=jnp.float64),
    "ones_like": lambda J, jnp: jnp.ones_like(jnp.asarray(X), dtype=jnp.float64),
    "full_like": lambda J, jnp: jnp.full_like(jnp.asarray(X), 1, dtype=jnp.float64),
    "eye": lambda J, jnp: jnp.eye(2, dtype=jnp.float64),
    "identity": lambda J, jnp: jnp.identity(2, dtype=jnp.float64),
    "arange": lambda J, jnp: jnp.arange(3, dtype=jnp.int64),
    "arange-float64": lambda J, jnp: jnp.arange(3, dtype=jnp.float64),
    "linspace": lambda J, jnp: jnp.linspace(0, 1, 3, dtype=jnp.float64),
    "astype-method": lambda J, jnp: jnp.asarray(X).astype(jnp.float64),
    "astype-numpy-dtype": lambda J, jnp: jnp.asarray(X).astype(np.float64),
    "jnp.astype": lambda J, jnp: jnp.astype(jnp.asarray(X), jnp.float64),
    "sum-warns-twice": lambda J, jnp: jnp.sum(jnp.asarray(X), dtype=jnp.float64),
    "prod-warns-twice": lambda J, jnp: jnp.prod(jnp.asarray(X), dtype=jnp.float64),
    "mean": lambda J, jnp: jnp.mean(jnp.asarray(X), dtype=jnp.float64),
    "var": lambda J, jnp: jnp.var(jnp.asarray(X), dtype=jnp.float64),
    "std": lambda J, jnp: jnp.std(jnp.asarray(X), dtype=jnp.float64),
    "cumsum": lambda J, jnp: jnp.cumsum(jnp.asarray(X), dtype=jnp.float64),
    "cumprod": lambda J, jnp: jnp.cumprod(jnp.asarray(X), dtype=jnp.float64),
    "lax.convert_element_type": lambda J, jnp: J.lax.convert_element_type(jnp.asarray(X), jnp.float64),
    "lax.full": lambda J, jnp: J.lax.full((2,), 1.0, jnp.float64),
    "lax.iota": lambda J, jnp: J.lax.iota(jnp.int64, 2),
    "random.uniform": lambda J, jnp: J.random.uniform(J.random.PRNGKey(0), (2,), dtype=jnp.float64),
    "random.normal": lambda J, jnp: J.random.normal(J.random.PRNGKey(0), (2,), dtype=jnp.float64),
    "random.randint": lambda J, jnp: J.random.randint(J.random.PRNGKey(0), (2,), 0, 5, dtype=jnp.int64),
    "random.bits": lambda J, jnp: J.random.bits(J.random.PRNGKey(0), (2,), dtype=jnp.uint64),
    "random.exponential": lambda J, jnp: J.random.exponential(J.random.PRNGKey(0), (2,), dtype=jnp.float64),
    "random.rademacher": lambda J, jnp: J.random.rademacher(J.random.PRNGKey(0), (2,), dtype=jnp.int64),
    "under-jit": lambda J, jnp: J.jit(lambda x: jnp.array(x, dtype=jnp.float64))(jnp.asarray(X)),
}


@pytest.mark.parametrize("name", TRUNCATED)
def test_a_64_bit_dtype_without_x64_warns_as_jax(name):
    assert_same_warnings(TRUNCATED[name])


@pytest.mark.parametrize("name", TRUNCATED)
def test_a_64_bit_dtype_without_x64_is_truncated_to_32_bits_as_jax(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert_same_value(TRUNCATED[name])


def test_the_truncation_warning_is_a_user_warning_naming_the_function():
    with pytest.warns(UserWarning, match="Explicitly requested dtype float64 requested in zeros is not "
                                         "available, and will be truncated to dtype float32"):
        jaxlite.numpy.zeros(2, jaxlite.numpy.float64)


@pytest.mark.parametrize("name", ["array", "zeros", "arange", "astype-method", "random.normal"])
def test_no_warning_with_x64_on(x64, name):
    assert [warnings_of(TRUNCATED[name], J, jnp) for J, jnp in LIBRARIES] == [[], []]
    assert_same_value(TRUNCATED[name])


UNWARNED = {
    "python-float-type": lambda J, jnp: jnp.array([1.0, 2.0], dtype=float),
    "python-int-type": lambda J, jnp: jnp.zeros(2, dtype=int),
    "python-complex-type": lambda J, jnp: jnp.zeros(2, dtype=complex),
    "astype-python-float": lambda J, jnp: jnp.asarray(X).astype(float),
    "float32": lambda J, jnp: jnp.ones(2, dtype=jnp.float32),
    "float16": lambda J, jnp: jnp.array([1.0], dtype=jnp.float16),
    "numpy-float64-values-without-a-dtype": lambda J, jnp: jnp.asarray(np.ones(2)),
    "random-without-a-dtype": lambda J, jnp: J.random.normal(J.random.PRNGKey(0), (2,)),
}


@pytest.mark.parametrize("name", UNWARNED)
def test_no_warning_where_jax_gives_none(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_same_value(UNWARNED[name])


REFUSED = {
    "zeros-of-object": lambda J, jnp: jnp.zeros(2, dtype=object),
    "zeros-of-str": lambda J, jnp: jnp.zeros(2, dtype=str),
    "zeros-of-a-string-dtype": lambda J, jnp: jnp.zeros(2, dtype="U3"),
    "astype-object": lambda J, jnp: jnp.asarray(X).astype(object),
    "array-with-object-dtype": lambda J, jnp: jnp.array([1], dtype=object),
    "an-unknown-dtype-name": lambda J, jnp: jnp.zeros(2, dtype="xyz"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_dtypes_that_are_not_numbers_are_refused_as_jax(name):
    assert_same_error(REFUSED[name], "TypeError")


PROMOTIONS = [("float32", "float64"), ("complex64", "float64"), ("int32", "int64"), ("int8", "uint8"),
              ("int64", "int64"), (bool, int), (int, float), (float, complex), ("float16", "complex64")]


@pytest.mark.parametrize("a, b", PROMOTIONS)
def test_promote_types_joins_dtypes_as_they_are_as_jax(a, b):
    assert jaxlite.numpy.promote_types(a, b) == jax.numpy.promote_types(a, b)
