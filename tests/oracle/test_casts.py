"""Casts as XLA makes them, against JAX, eagerly and under jit: floats to integers round towards
zero and saturate (NaN becomes 0, values beyond the range the nearest limit), where NumPy's cast
is undefined; integers to narrower integers wrap around."""
import numpy as np
import pytest

from .outcomes import assert_same_value

EDGES = np.array([np.nan, np.inf, -np.inf, 1e10, -1e10, 3e9, 2.7, -2.7, 0.5, -0.5, 127.9, 128.0, -129.0],
                 np.float32)

CASTS = {
    "float32-to-int32": (EDGES, np.int32),
    "float32-to-int8": (EDGES, np.int8),
    "float32-to-int16": (EDGES, np.int16),
    "float32-to-uint8": (EDGES, np.uint8),
    "float32-to-uint32": (EDGES, np.uint32),
    "float16-to-int8": (np.array([np.nan, np.inf, -np.inf, 6e4, -6e4, 2.7, -2.7, 127.9, -129.0], np.float16),
                        np.int8),
    "float32-to-bool": (EDGES, np.bool_),
    "int32-to-int8-wraps": (np.array([300, -200, 127, -129], np.int32), np.int8),
    "int32-to-uint8-wraps": (np.array([300, -1, 255], np.int32), np.uint8),
    "int32-to-float16": (np.array([70000, -70000, 3], np.int32), np.float16),
    "uint32-to-int32": (np.array([4294967295, 2147483648], np.uint32), np.int32),
    "bool-to-float32": (np.array([True, False]), np.float32),
}


@pytest.mark.parametrize("name", CASTS)
@pytest.mark.parametrize("how", ["astype", "lax", "jit"])
def test_casts_match_jax(how, name):
    values, dtype = CASTS[name]

    def program(J, jnp):
        x = jnp.asarray(values)
        if how == "astype":
            return x.astype(dtype)
        if how == "lax":
            return J.lax.convert_element_type(x, dtype)
        return J.jit(lambda a: a.astype(dtype))(x)
    assert_same_value(program)


def test_float64_to_int64_saturates_under_x64(x64):
    values = np.array([np.nan, 1e30, -1e30, 9.3e18, 2.5], np.float64)
    assert_same_value(lambda J, jnp: jnp.asarray(values).astype(jnp.int64))


def test_a_python_float_scalar_cast_to_int_saturates():
    assert_same_value(lambda J, jnp: jnp.asarray(1e10).astype(jnp.int32))


def test_the_derivative_through_a_cast_to_int_is_zero():
    assert_same_value(lambda J, jnp: J.grad(lambda x: x * x.astype(jnp.int32))(2.7))
