"""jit as JAX's jit, where a learner sees it: indexing programs on both backends, float-to-int casts,
weak types through loops and branches, the trace cache, static arguments, jit's messages and the
stages API (trace, lower, compile)."""
import jax
import jax.numpy as jnp_ref
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp

from .tables import assert_matches

BACKENDS = ["numpy", "xla"]
X4 = np.arange(4.0, dtype=np.float32)


# ----------------------------------------------------------------------------------------------
# Programs with gather and scatter compile on both backends

INDEXING = {
    "at-set": lambda np_, x: x.at[1].set(9.0),
    "at-add-repeated-indices": lambda np_, x: x.at[np_.array([0, 0, 2])].add(1.0),
    "fancy-index": lambda np_, x: x[np_.array([0, 2])],
    "take": lambda np_, x: np_.take(x, np_.array([3, 1])),
    "take_along_axis": lambda np_, x: np_.take_along_axis(x.reshape(2, 2), np_.array([[1], [0]]), axis=1),
    "fancy-index-2d": lambda np_, x: x.reshape(2, 2)[np_.array([1, 0]), np_.array([0, 0])],
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(INDEXING))
def test_jit_of_indexing_matches_jax(name, backend):
    fn = INDEXING[name]
    lite = jaxlite.jit(lambda x: fn(jnp, x), backend=backend)(jnp.asarray(X4))
    assert_matches(lite, jax.jit(lambda x: fn(jnp_ref, x))(X4))


@pytest.mark.parametrize("backend", BACKENDS)
def test_jit_of_grad_of_fancy_indexing_matches_jax(backend):
    def loss(np_):
        return lambda x: (x[np_.array([0, 2, 2])] ** 2).sum()
    lite = jaxlite.jit(jaxlite.grad(loss(jnp)), backend=backend)(jnp.asarray(X4))
    assert_matches(lite, jax.jit(jax.grad(loss(jnp_ref)))(X4))


def test_generated_source_binds_dimension_numbers_as_constants():
    text = jaxlite.jit(lambda x: x.at[1].set(9.0)).lower(jnp.asarray(X4)).as_text()
    source = text.split("# generated NumPy code\n", 1)[1]
    assert "ScatterDimensionNumbers(" not in source and "GatherScatterMode." not in source


# ----------------------------------------------------------------------------------------------
# Float-to-integer casts saturate as XLA's do, eagerly and under jit

CAST_VALUES = [np.nan, np.inf, -np.inf, 1e10, -1e10, 3.7, -3.7, 300.0, -300.0, 65535.5, 2.0 ** 31,
               2.0 ** 63, 2.0 ** 64, -0.5, 255.9, -128.5, 127.9]
FLOAT_TYPES = ["float16", "float32", "float64"]
INT_TYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


def _cast_under(mode):
    def cast(x, dtype):
        return x.astype(dtype)
    return cast if mode == "eager" else jaxlite.jit(cast, static_argnums=1, backend=mode)


@pytest.mark.parametrize("mode", ["eager"] + BACKENDS)
@pytest.mark.parametrize("int_type", INT_TYPES)
@pytest.mark.parametrize("float_type", FLOAT_TYPES)
def test_float_to_int_cast_saturates_like_jax(float_type, int_type, mode, x64):
    with np.errstate(over="ignore"):
        x = np.array(CAST_VALUES).astype(float_type)
    lite = _cast_under(mode)(jnp.asarray(x), int_type)
    assert_matches(lite, jax.lax.convert_element_type(jnp_ref.asarray(x), int_type))


def test_float_to_int32_cast_saturates_without_x64():
    x = np.array([np.nan, np.inf, -np.inf, 3e9, -3e9, -2.5], np.float32)
    assert_matches(jnp.asarray(x).astype(jnp.int32), jnp_ref.asarray(x).astype(jnp_ref.int32))


def test_python_float_converts_with_saturation_like_jax():
    for value in (float("nan"), 1e10, -1e10):
        assert_matches(jaxlite.lax.convert_element_type(value, np.int32),
                       jax.lax.convert_element_type(value, np.int32))
