"""Fixtures for comparing jaxlite with real JAX (the oracle)."""
import jax
import pytest

import jaxlite


@pytest.fixture
def x64():
    """float64 mode in both libraries for one test, restored afterwards."""
    lite_before = jaxlite.config.read("jax_enable_x64")
    jax_before = jax.config.jax_enable_x64
    jaxlite.config.update("jax_enable_x64", True)
    jax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jaxlite.config.update("jax_enable_x64", lite_before)
        jax.config.update("jax_enable_x64", jax_before)
