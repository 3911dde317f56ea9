"""Running one program under both libraries and comparing what happens: the value (shape, dtype,
weak type, numbers), or the exception (class and first line), or the warnings.

A program is written once as `program(J, jnp)`, with J the library (jaxlite or jax) and jnp its
numpy module, so that the two runs differ only in the library.
"""
import warnings

import jax
import jax.numpy as jnp

import jaxlite
import jaxlite.numpy as lnp

from .tables import assert_matches

LIBRARIES = ((jaxlite, lnp), (jax, jnp))


def error_of(program, J, np_):
    """(class name, first line of the message) of what `program` raises, or None."""
    try:
        program(J, np_)
    except Exception as err:  # noqa: BLE001 - comparing whatever each library raises
        return type(err).__name__, (str(err).splitlines() or [""])[0]
    return None


def assert_same_error(program, name=None):
    """Both libraries raise an exception of the same class name with the same first line."""
    lite, ref = (error_of(program, J, np_) for J, np_ in LIBRARIES)
    assert ref is not None, "JAX raised nothing"
    assert lite == ref
    if name is not None:
        assert lite[0] == name
    return lite


def assert_same_value(program, rtol=1e-5, atol=1e-6, weak_type=True):
    """Both libraries return the same pytree of arrays (shapes, dtypes, weak types, values)."""
    lite, ref = (program(J, np_) for J, np_ in LIBRARIES)
    assert_matches(lite, ref, rtol, atol, weak_type)
    return lite


def warnings_of(program, J, np_):
    """(category name, message) of each warning `program` gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        program(J, np_)
    return [(w.category.__name__, str(w.message)) for w in caught]


def assert_same_warnings(program):
    lite, ref = (warnings_of(program, J, np_) for J, np_ in LIBRARIES)
    assert ref, "JAX gave no warning"
    assert lite == ref
    return lite
