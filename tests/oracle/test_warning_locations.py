"""Every warning jaxlite raises points at the user's line: its filename is the caller's file. Where
JAX's warning names the caller's file too, the two agree; where JAX 0.10.2's names one of its own
modules (astype, arange, scatter, complex casts), jaxlite still names the caller's."""
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

WARNINGS = {
    "int64-array": lambda J, N: N.array([1, 2], dtype=N.int64),
    "float64-zeros": lambda J, N: N.zeros(3, N.float64),
    "float64-astype": lambda J, N: N.arange(3).astype(N.float64),
    "float64-arange": lambda J, N: N.arange(3, dtype=N.float64),
    "float64-random": lambda J, N: J.random.uniform(J.random.key(0), (2,), N.float64),
    "scatter-float-into-int": lambda J, N: N.arange(3).at[0].set(1.5),
    "complex-to-real-astype": lambda J, N: N.array([1 + 2j]).astype(N.float32),
    "complex-to-real-lax": lambda J, N: J.lax.convert_element_type(N.array([1 + 2j]), N.float32),
}


def _filenames(program, J, N):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        program(J, N)
    return {w.filename for w in caught}


JAX_NAMES_THE_CALLER = ["int64-array", "float64-zeros", "float64-random"]


@pytest.mark.parametrize("case", JAX_NAMES_THE_CALLER)
def test_warning_names_the_callers_file_as_jaxs_does(case):
    ref = _filenames(WARNINGS[case], jax, jnp)
    assert ref == {__file__}
    assert _filenames(WARNINGS[case], jaxlite, lnp) == ref


@pytest.mark.parametrize("case", [c for c in WARNINGS if c not in JAX_NAMES_THE_CALLER])
def test_warning_names_the_callers_file_where_jaxs_names_its_own_module(case):
    ref = _filenames(WARNINGS[case], jax, jnp)
    assert len(ref) == 1 and "jax" in next(iter(ref))
    assert _filenames(WARNINGS[case], jaxlite, lnp) == {__file__}


def test_a_warning_inside_jit_names_the_callers_file():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jaxlite.jit(lambda x: x.astype(np.float64))(lnp.ones(2))
    assert {w.filename for w in caught} == {__file__}


def test_random_shuffles_deprecation_names_the_callers_file():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jaxlite.random.shuffle(jaxlite.random.PRNGKey(0), lnp.arange(3))
    assert {w.filename for w in caught} == {__file__}
