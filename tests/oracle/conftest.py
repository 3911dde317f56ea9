"""Fixtures for comparing jaxlite with real JAX (the oracle)."""
import os

# The oracle compiles thousands of one-off programs (every eager op is one): XLA's cheapest
# compilation gives the same results in a fraction of the time. Set before JAX starts its backend.
os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true")

import jax  # noqa: E402
import pytest  # noqa: E402

import jaxlite  # noqa: E402


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


@pytest.fixture(params=["numpy", "xla"])
def backend(request):
    """Each of jaxlite's jit backends in turn, restored afterwards."""
    before = jaxlite.config.read("jax_default_jit_backend")
    jaxlite.config.update("jax_default_jit_backend", request.param)
    yield request.param
    jaxlite.config.update("jax_default_jit_backend", before)
