"""`lax.top_k`, `jnp.cross`, `jnp.flatnonzero` and `jnp.tri` against JAX: values, dtypes, ties and
NaNs, derivatives, vmap, jit on both backends, jaxprs and JAX's errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from .outcomes import assert_same_error, assert_same_value

X = np.array([[3.0, 1.0, 4.0, 1.0, 5.0], [9.0, 2.0, 6.0, 5.0, 3.0]], np.float32)


TOP_K = {
    "rows": lambda J, np_: J.lax.top_k(np_.asarray(X), 3),
    "along axis 0": lambda J, np_: J.lax.top_k(np_.asarray(X), 1, axis=0),
    "ties keep the lower index first": lambda J, np_: J.lax.top_k(np_.array([1, 3, 3, 2]), 2),
    "nan is the largest": lambda J, np_: J.lax.top_k(np_.array([np.nan, 1.0, 2.0]), 2),
    "k of zero": lambda J, np_: J.lax.top_k(np_.arange(4.0), 0),
    "weak input": lambda J, np_: J.lax.top_k(np_.asarray(2.0) * np_.arange(3.0), 1),
    "gradient": lambda J, np_: J.grad(lambda x: J.lax.top_k(x, 2)[0].sum())(np_.asarray(X[0])),
    "forward jacobian": lambda J, np_: J.jacfwd(lambda x: J.lax.top_k(x, 2)[0])(np_.asarray(X[1])),
    "vmap": lambda J, np_: J.vmap(lambda x: J.lax.top_k(x, 2))(np_.asarray(X)),
    "vmap over axis 1": lambda J, np_: J.vmap(lambda x: J.lax.top_k(x, 1), in_axes=1)(np_.asarray(X)),
}


@pytest.mark.parametrize("name", list(TOP_K))
def test_top_k_matches_jax(name):
    assert_same_value(TOP_K[name])


def test_top_k_under_jit(backend):
    assert_same_value(lambda J, np_: J.jit(lambda x: J.lax.top_k(x, 2, axis=0))(np_.asarray(X)))


def test_top_k_jaxpr_matches_jax():
    ours = jaxlite.make_jaxpr(lambda x: jaxlite.lax.top_k(x, 2))(X)
    assert str(ours) == str(jax.make_jaxpr(lambda x: jax.lax.top_k(x, 2))(X))


@pytest.mark.parametrize("program", [
    lambda J, np_: J.lax.top_k(np_.asarray(X), 6),
    lambda J, np_: J.lax.top_k(np_.asarray(X), -1),
    lambda J, np_: J.lax.top_k(np_.float32(1.0), 1),
], ids=["k too large", "negative k", "scalar"])
def test_top_k_errors_match_jax(program):
    assert_same_error(program)


A, B = np.array([1.0, 2.0, 3.0], np.float32), np.array([4.0, 5.0, 6.0], np.float32)

CROSS = {
    "3-vectors": lambda J, np_: np_.cross(np_.asarray(A), np_.asarray(B)),
    "2-vectors give a scalar": lambda J, np_: np_.cross(np_.asarray(A[:2]), np_.asarray(B[:2])),
    "a 3-vector and a 2-vector": lambda J, np_: np_.cross(np_.asarray(A), np_.asarray(B[:2])),
    "broadcast rows": lambda J, np_: np_.cross(np_.ones((2, 3)), np_.arange(3.0)),
    "along axis 0": lambda J, np_: np_.cross(np_.arange(6.0).reshape(3, 2), np_.ones((3, 2)), axis=0),
    "axisa and axisc": lambda J, np_: np_.cross(np_.arange(6.0).reshape(3, 2), np_.ones((2, 3)), axisa=0, axisc=0),
    "integers": lambda J, np_: np_.cross(np_.array([1, 2, 3]), np_.array([4, 5, 6])),
    "gradient": lambda J, np_: J.grad(lambda a: np_.cross(a, np_.asarray(B)).sum())(np_.asarray(A)),
    "under jit": lambda J, np_: J.jit(np_.cross)(np_.asarray(A), np_.asarray(B)),
}


@pytest.mark.parametrize("name", list(CROSS))
def test_cross_matches_jax(name):
    assert_same_value(CROSS[name])


def test_cross_of_4_vectors_is_refused():
    assert_same_error(lambda J, np_: np_.cross(np_.ones(4), np_.ones(4)), "ValueError")


FLATNONZERO = {
    "matrix": lambda J, np_: np_.flatnonzero(np_.array([[0, 1], [2, 0]])),
    "size and fill_value": lambda J, np_: np_.flatnonzero(np_.array([0, 1, 0, 3]), size=3, fill_value=-1),
    "under jit with a size": lambda J, np_: J.jit(lambda x: np_.flatnonzero(x, size=2))(np_.array([0.0, 2.0, 3.0])),
}


@pytest.mark.parametrize("name", list(FLATNONZERO))
def test_flatnonzero_matches_jax(name):
    assert_same_value(FLATNONZERO[name])


def test_flatnonzero_under_jit_without_size_is_refused():
    assert_same_error(lambda J, np_: J.jit(np_.flatnonzero)(np_.ones(3)), "ConcretizationTypeError")


TRI = {
    "square": lambda J, np_: np_.tri(3),
    "rectangular above the diagonal": lambda J, np_: np_.tri(2, 3, k=1, dtype=int),
    "below the diagonal": lambda J, np_: np_.tri(3, 2, -1),
    "bool": lambda J, np_: np_.tri(3, dtype=bool),
}


@pytest.mark.parametrize("name", list(TRI))
def test_tri_matches_jax(name):
    assert_same_value(TRI[name])


def test_tri_jaxpr_matches_jax():
    assert str(jaxlite.make_jaxpr(lambda: lnp.tri(3))()) == str(jax.make_jaxpr(lambda: jnp.tri(3))())
