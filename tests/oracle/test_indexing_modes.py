"""Out-of-bounds indices as JAX treats them, against JAX: plain indexing clamps (eagerly too, with
static integers), `.at[].get` takes mode="fill"/"drop"/"clip"/"promise_in_bounds" and a
fill_value, `.at[].set/add/mul/min/max` drop out-of-bounds updates (or clip them), negative indices
count from the end first, and `jnp.take`/`take_along_axis` have their own modes."""
import warnings

import jax
import numpy as np
import pytest

import jaxlite
from .outcomes import assert_same_error, assert_same_value

X = np.arange(3, dtype=np.float32)
M = np.arange(12, dtype=np.float32).reshape(3, 4)
INDICES = np.array([0, 10, -1, -4], np.int32)


def _x(jnp):
    return jnp.asarray(X)


def _m(jnp):
    return jnp.asarray(M)


# ----------------------------------------------------------------------------------------------
# Plain indexing clamps out-of-bounds indices, static or traced

CLAMPED = {
    "static-int-past-the-end": lambda J, jnp: _x(jnp)[10],
    "static-int-before-the-start": lambda J, jnp: _x(jnp)[-10],
    "static-negative-in-range": lambda J, jnp: _x(jnp)[-3],
    "numpy-int": lambda J, jnp: _x(jnp)[np.int32(10)],
    "row-of-a-matrix": lambda J, jnp: _m(jnp)[5],
    "element-of-a-matrix": lambda J, jnp: _m(jnp)[1, 7],
    "column-of-a-matrix": lambda J, jnp: _m(jnp)[:, 7],
    "static-int-beside-a-scalar-array": lambda J, jnp: _m(jnp)[jnp.array(1), 9],
    "scalar-array": lambda J, jnp: _x(jnp)[jnp.array(10)],
    "negative-scalar-array": lambda J, jnp: _x(jnp)[jnp.array(-10)],
    "index-array": lambda J, jnp: _x(jnp)[jnp.array([0, 10, -1, -10])],
    "jit-with-a-static-index": lambda J, jnp: J.jit(lambda x: x[10])(_x(jnp)),
    "jit-with-a-traced-index": lambda J, jnp: J.jit(lambda x, i: x[i])(_x(jnp), 10),
    "slice-past-the-end": lambda J, jnp: _x(jnp)[1:10],
    "empty-slice": lambda J, jnp: _x(jnp)[10:],
    "get-without-a-mode": lambda J, jnp: _x(jnp).at[10].get(),
}


@pytest.mark.parametrize("name", CLAMPED)
def test_plain_indexing_clamps_as_jax(name):
    assert_same_value(CLAMPED[name])


@pytest.mark.parametrize("name", ["static-int-past-the-end", "static-int-before-the-start", "row-of-a-matrix",
                                  "element-of-a-matrix", "column-of-a-matrix"])
def test_static_out_of_bounds_index_stages_a_dynamic_slice_as_jax(name):
    lite = jaxlite.make_jaxpr(lambda *a: CLAMPED[name](jaxlite, jaxlite.numpy))()
    ref = jax.make_jaxpr(lambda *a: CLAMPED[name](jax, jax.numpy))()
    assert str(lite) == str(ref)


# ----------------------------------------------------------------------------------------------
# .at[].get with a mode

GETS = {
    "fill-with-a-value": lambda J, jnp: _x(jnp).at[10].get(mode="fill", fill_value=-1.0),
    "fill-default-is-nan": lambda J, jnp: _x(jnp).at[10].get(mode="fill"),
    "fill-default-for-ints-is-the-minimum": lambda J, jnp: jnp.arange(3).at[10].get(mode="fill"),
    "fill-of-an-index-array": lambda J, jnp: _x(jnp).at[jnp.array([0, 10, -1, -4])].get(
        mode="fill", fill_value=-1.0),
    "fill-of-a-negative-static-index": lambda J, jnp: _x(jnp).at[-10].get(mode="fill", fill_value=5.0),
    "fill-of-a-row": lambda J, jnp: _m(jnp).at[7].get(mode="fill", fill_value=0.0),
    "fill-of-a-slice-in-range": lambda J, jnp: _x(jnp).at[1:10].get(mode="fill"),
    "drop-fills-as-well": lambda J, jnp: _x(jnp).at[jnp.array([0, 10])].get(mode="drop"),
    "clip": lambda J, jnp: _x(jnp).at[jnp.array([0, 10, -1, -4])].get(mode="clip"),
    "clip-of-a-static-index": lambda J, jnp: _x(jnp).at[10].get(mode="clip"),
    "promise_in_bounds-clamps": lambda J, jnp: _x(jnp).at[jnp.array([0, 10])].get(mode="promise_in_bounds"),
    "default-clamps": lambda J, jnp: _x(jnp).at[jnp.array([0, 10])].get(),
    "indices_are_sorted": lambda J, jnp: _x(jnp).at[jnp.array([0, 1])].get(indices_are_sorted=True),
    "under-vmap": lambda J, jnp: J.vmap(lambda i: _x(jnp).at[i].get(mode="fill", fill_value=-1.0))(
        jnp.array([0, 5, -1])),
    "grad-is-zero-where-filled": lambda J, jnp: J.grad(
        lambda x: jnp.sum(x.at[jnp.array([0, 10, 2])].get(mode="fill", fill_value=0.0)))(_x(jnp)),
}


@pytest.mark.parametrize("name", GETS)
def test_get_with_a_mode_matches_jax(name):
    assert_same_value(GETS[name])


STAGED_GETS = {
    "fill-of-a-static-index": lambda x: x.at[10].get(mode="fill", fill_value=-1.0),
    "fill-of-an-index-array": lambda x, i: x.at[i].get(mode="fill", fill_value=-1.0),
    "clip-of-an-index-array": lambda x, i: x.at[i].get(mode="clip"),
}


@pytest.mark.parametrize("name", STAGED_GETS)
def test_get_with_a_mode_stages_jax_gather(name):
    args = (X, INDICES)[:STAGED_GETS[name].__code__.co_argcount]
    assert str(jaxlite.make_jaxpr(STAGED_GETS[name])(*args)) == str(jax.make_jaxpr(STAGED_GETS[name])(*args))


def test_an_unknown_mode_is_refused():
    assert_same_error(lambda J, jnp: _x(jnp).at[1].get(mode="wrap"), "ValueError")


@pytest.mark.parametrize("method", ["get", "set"])
def test_an_unknown_keyword_is_refused(method):
    def program(J, jnp):
        ref = _x(jnp).at[0]
        return ref.get(foo=1) if method == "get" else ref.set(5.0, foo=1)
    assert_same_error(program, "TypeError")


# ----------------------------------------------------------------------------------------------
# Updates: out-of-bounds updates are dropped by default, not an IndexError

UPDATES = {
    "set-static-past-the-end": lambda J, jnp: _x(jnp).at[10].set(1.0),
    "set-static-before-the-start": lambda J, jnp: _x(jnp).at[-10].set(1.0),
    "set-negative-in-range": lambda J, jnp: _x(jnp).at[-1].set(9.0),
    "add": lambda J, jnp: _x(jnp).at[10].add(1.0),
    "subtract": lambda J, jnp: _x(jnp).at[10].subtract(1.0),
    "mul": lambda J, jnp: _x(jnp).at[10].mul(2.0),
    "divide": lambda J, jnp: _x(jnp).at[jnp.array([1, 10])].divide(4.0),
    "power": lambda J, jnp: _x(jnp).at[jnp.array([2, 10])].power(3.0),
    "min": lambda J, jnp: _x(jnp).at[10].min(-1.0),
    "max": lambda J, jnp: _x(jnp).at[10].max(9.0),
    "set-index-array": lambda J, jnp: _x(jnp).at[jnp.array([0, 10, -1, -4])].set(9.0),
    "add-index-array": lambda J, jnp: _x(jnp).at[jnp.array([0, 10, 0])].add(jnp.array([1.0, 2.0, 3.0])),
    "set-row": lambda J, jnp: _m(jnp).at[5].set(-1.0),
    "set-element": lambda J, jnp: _m(jnp).at[1, 7].set(-1.0),
    "set-column": lambda J, jnp: _m(jnp).at[:, 7].set(-1.0),
    "set-clip": lambda J, jnp: _x(jnp).at[jnp.array([0, 10, -4])].set(jnp.array([7.0, 8.0, 9.0]), mode="clip"),
    "add-clip-of-a-static-index": lambda J, jnp: _x(jnp).at[10].add(1.0, mode="clip"),
    "set-drop": lambda J, jnp: _x(jnp).at[jnp.array([0, 10])].set(9.0, mode="drop"),
    "set-fill": lambda J, jnp: _x(jnp).at[jnp.array([0, 10])].set(9.0, mode="fill"),
    "set-promise_in_bounds": lambda J, jnp: _x(jnp).at[jnp.array([0, 10])].set(9.0, mode="promise_in_bounds"),
    "set-unique_indices": lambda J, jnp: _x(jnp).at[jnp.array([0, 1])].set(5.0, unique_indices=True),
    "under-vmap": lambda J, jnp: J.vmap(lambda i: _x(jnp).at[i].set(9.0))(jnp.array([0, 5, -1])),
    "grad-through-a-dropped-set": lambda J, jnp: J.grad(lambda x: jnp.sum(x.at[10].set(1.0)))(_x(jnp)),
    "grad-through-a-dropped-add": lambda J, jnp: J.grad(
        lambda x: jnp.sum(x.at[jnp.array([1, 10])].add(x[0]) ** 2))(_x(jnp)),
}


@pytest.mark.parametrize("name", UPDATES)
def test_out_of_bounds_updates_match_jax(name):
    assert_same_value(UPDATES[name])


STAGED_UPDATES = {
    "set-static-past-the-end": lambda x: x.at[10].set(1.0),
    "set-negative-in-range": lambda x: x.at[-1].set(9.0),
    "set-index-array": lambda x, i: x.at[i].set(9.0),
    "set-clip": lambda x, i: x.at[i].set(9.0, mode="clip"),
    "add-clip-of-a-static-index": lambda x: x.at[10].add(1.0, mode="clip"),
}


@pytest.mark.parametrize("name", STAGED_UPDATES)
def test_out_of_bounds_updates_stage_jax_scatter(name):
    args = (X, INDICES)[:STAGED_UPDATES[name].__code__.co_argcount]
    assert str(jaxlite.make_jaxpr(STAGED_UPDATES[name])(*args)) == str(jax.make_jaxpr(STAGED_UPDATES[name])(*args))


# ----------------------------------------------------------------------------------------------
# jnp.take and jnp.take_along_axis

TAKES = {
    "default-fills-with-nan": lambda J, jnp: jnp.take(_x(jnp), INDICES),
    "fill": lambda J, jnp: jnp.take(_x(jnp), INDICES, mode="fill"),
    "fill-with-a-value": lambda J, jnp: jnp.take(_x(jnp), INDICES, mode="fill", fill_value=7.0),
    "clip-does-not-wrap-negative-indices": lambda J, jnp: jnp.take(_x(jnp), INDICES, mode="clip"),
    "wrap": lambda J, jnp: jnp.take(_x(jnp), INDICES, mode="wrap"),
    "ints-fill-with-the-minimum": lambda J, jnp: jnp.take(jnp.arange(3), jnp.array([0, 10])),
    "static-index": lambda J, jnp: jnp.take(_x(jnp), 10),
    "along-an-axis": lambda J, jnp: jnp.take(_m(jnp), jnp.array([0, 7]), axis=1),
    "take_along_axis": lambda J, jnp: jnp.take_along_axis(_m(jnp), jnp.array([[0], [7], [-1]]), axis=1),
    "take_along_axis-clip": lambda J, jnp: jnp.take_along_axis(_m(jnp), jnp.array([[0], [7], [-9]]), axis=1,
                                                               mode="clip"),
    "take_along_axis-fill": lambda J, jnp: jnp.take_along_axis(_m(jnp), jnp.array([[0], [7], [-9]]), axis=1,
                                                               mode="fill", fill_value=-1.0),
    "grad": lambda J, jnp: J.grad(lambda x: jnp.sum(jnp.take(x, INDICES, mode="fill", fill_value=0.0)))(_x(jnp)),
}


@pytest.mark.parametrize("name", TAKES)
def test_take_modes_match_jax(name):
    assert_same_value(TAKES[name])


@pytest.mark.parametrize("mode, error", [("raise", "NotImplementedError"), ("promise_in_bounds", "ValueError"),
                                         ("nearest", "ValueError")])
def test_take_refuses_the_modes_jax_refuses(mode, error):
    assert_same_error(lambda J, jnp: jnp.take(_x(jnp), INDICES, mode=mode), error)


# ----------------------------------------------------------------------------------------------
# The dtype of an update

def test_setting_a_float_into_an_int_array_warns_as_jax():
    def program(J, jnp):
        return jnp.arange(3).at[1].set(7.5)
    with pytest.warns(FutureWarning, match="scatter inputs have incompatible types"):
        lite = program(jaxlite, jaxlite.numpy)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ref = program(jax, jax.numpy)
    assert [str(w.message) for w in caught if w.category is FutureWarning] == [
        "scatter inputs have incompatible types: cannot safely cast value from dtype=float32 to dtype=int32 "
        "with jax_numpy_dtype_promotion=standard. In future JAX releases this will result in an error."]
    np.testing.assert_array_equal(lite, ref)
    assert lite.dtype == ref.dtype
