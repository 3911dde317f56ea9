"""Settings shared by every test: real JAX (the oracle) runs on the CPU, hypothesis runs without deadlines."""

import os

# Set before anything imports jax, so the oracle is the same on a laptop, in CI and on a GPU machine.
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import hypothesis

# A first call into JAX compiles, which blows hypothesis' default 200 ms deadline on a small machine.
hypothesis.settings.register_profile("dev", deadline=None)
hypothesis.settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis.settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


def pytest_addoption(parser):
    parser.addoption("--reference-path", action="store_true",
                     help="run with jaxlite's speed layer off (jax_jaxlite_fast_paths=False): the plain path only")


def pytest_configure(config):
    if config.getoption("--reference-path"):
        os.environ["JAXLITE_FAST_PATHS"] = "0"
        import jaxlite
        jaxlite.config.update("jax_jaxlite_fast_paths", False)
