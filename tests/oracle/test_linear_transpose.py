"""`jax.linear_transpose` against JAX: transposes of linear functions over pytrees, and JAX's
errors for functions that are not linear and for cotangents of the wrong type."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

LIBS = [(jaxlite, lnp), (jax, jnp)]
M = np.arange(6.0, dtype=np.float32).reshape(2, 3)


def assert_same_results(ours, theirs):
    ours_l, ours_t = jaxlite.tree_util.tree_flatten(ours)
    theirs_l, theirs_t = jax.tree_util.tree_flatten(theirs)
    assert str(ours_t) == str(theirs_t)
    for a, b in zip(ours_l, theirs_l):
        assert type(a).__name__ == type(b).__name__
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)
        assert np.asarray(a).dtype == np.asarray(b).dtype
        assert getattr(a, "weak_type", None) == getattr(b, "weak_type", None)


CASES = {
    "scale and sum": (lambda np_: lambda x: 2.0 * x + np_.sum(x), (np.ones(3, np.float32),),
                      np.arange(3.0, dtype=np.float32)),
    "matrix product": (lambda np_: lambda x: np_.dot(M, x), (np.ones(3, np.float32),), np.ones(2, np.float32)),
    "two inputs": (lambda np_: lambda x, y: x + 2 * y, (1.0, 1.0), 3.0),
    "docs example": (lambda np_: lambda x, y: 0.5 * x - 0.5 * y,
                     "scalars", 1.0),
    "pytree output": (lambda np_: lambda x: {"a": x, "b": (3.0 * x, -x)}, (np.ones(2, np.float32),),
                      {"a": np.ones(2, np.float32), "b": (np.ones(2, np.float32), np.full(2, 2.0, np.float32))}),
    "cumsum": (lambda np_: lambda x: np_.cumsum(x), (np.ones(3, np.float32),), np.arange(3.0, dtype=np.float32)),
    "constant offset is ignored": (lambda np_: lambda x: x + 1.0, (1.0,), 1.0),
    "output not depending on input": (lambda np_: lambda x: np_.zeros(3), (np.ones(2, np.float32),),
                                      np.ones(3, np.float32)),
    "identity": (lambda np_: lambda x: x, (1.0,), 2.0),
    "integers": (lambda np_: lambda x: 2 * x, (np.arange(3),), np.arange(3)),
    "complex": (lambda np_: lambda x: 1j * x, (1.0 + 0j,), 2.0 + 0j),
    "cast": (lambda np_: lambda x: x.astype(np_.float16), (np.ones(2, np.float32),), np.ones(2, np.float16)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_transpose_matches_jax(name):
    make, primals, ct = CASES[name]
    results = []
    for J, np_ in LIBS:
        args = primals if primals != "scalars" else (J.ShapeDtypeStruct((), np.float32),) * 2
        results.append(J.linear_transpose(make(np_), *args)(ct))
    assert_same_results(*results)


def test_transpose_is_the_matrix_transpose():
    ct = np.array([1.0, -2.0], np.float32)
    (out,) = jaxlite.linear_transpose(lambda x: lnp.dot(M, x), np.ones(3, np.float32))(ct)
    np.testing.assert_allclose(out, M.T @ ct)


def test_transposed_function_composes_with_jit_and_vmap():
    results = []
    for J, np_ in LIBS:
        t = J.linear_transpose(lambda x, np_=np_: np_.cumsum(3.0 * x), np.ones(3, np.float32))
        results.append((J.jit(t)(np.arange(3.0, dtype=np.float32)),
                        J.vmap(t)(np.ones((2, 3), np.float32))))
    assert_same_results(*results)


def outcomes(program):
    found = []
    for J, np_ in LIBS:
        try:
            found.append(program(J, np_))
        except Exception as err:  # noqa: BLE001 - the outcome is compared, whatever it is
            found.append((type(err), str(err).splitlines()[0]))
    return found


@pytest.mark.parametrize("program", [
    lambda J, np_: J.linear_transpose(lambda x: x, 1.0)(np.ones(2, np.float32)),
    lambda J, np_: J.linear_transpose(lambda x: x, 1.0)(np.float16(2.0)),
    lambda J, np_: J.linear_transpose(lambda x: x, 1.0)(1.0, 2.0),
    lambda J, np_: J.linear_transpose(lambda x: (x, x), 1.0)(1.0),
    lambda J, np_: J.linear_transpose(lambda x: np_.sin(x), 1.0)(1.0),
    lambda J, np_: J.linear_transpose(lambda x: x.astype(np_.int32), np.ones(3, np.float32))(np.arange(3)),
], ids=["wrong shape", "wrong dtype", "two cotangents", "wrong tree", "sin is not linear", "float to int"])
def test_errors_match_jax(program):
    ours, theirs = outcomes(program)
    assert ours == theirs


def test_a_product_of_inputs_is_refused():
    ours, theirs = outcomes(lambda J, np_: J.linear_transpose(lambda x: x * x, 1.0)(1.0))
    assert ours[0] is theirs[0] is AssertionError
    assert "not linear" in ours[1]
