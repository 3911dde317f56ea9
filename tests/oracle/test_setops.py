"""jnp.unique (and its array-API variants), append, broadcast_shapes, convolve and correlate
against JAX: values, dtypes, weak types, tracing, gradients and errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from jaxlite import errors
from . import tables

assert_matches = tables.assert_matches

X = np.array([3, 1, 2, 3, 1, 5], np.int32)
M = np.array([[1, 2], [3, 4], [1, 2]], np.int32)
F = np.array([1.0, np.nan, np.nan, 2.0, 1.0, -0.0, 0.0], np.float32)
ALL = dict(return_index=True, return_inverse=True, return_counts=True)


def _eager(fn, *args):
    """Outside jit (unique without size= needs concrete values), on both libraries."""
    return fn(lnp, *[lnp.asarray(a) for a in args]), fn(jnp, *args)


UNIQUE = {
    "values": (lambda m, x: m.unique(x), (X,)),
    "all-outputs": (lambda m, x: m.unique(x, **ALL), (X,)),
    "index-only": (lambda m, x: m.unique(x, return_index=True), (X,)),
    "inverse-of-a-matrix-has-its-shape": (lambda m, x: m.unique(x, return_inverse=True), (M,)),
    "axis-0": (lambda m, x: m.unique(x, axis=0, **ALL), (M,)),
    "axis-1": (lambda m, x: m.unique(x, axis=1, return_counts=True), (M,)),
    "size-larger-pads-with-the-smallest": (lambda m, x: m.unique(x, size=8, **ALL), (X,)),
    "size-smaller-truncates": (lambda m, x: m.unique(x, size=3, **ALL), (X,)),
    "size-with-fill-value": (lambda m, x: m.unique(x, size=8, fill_value=-1, **ALL), (X,)),
    "axis-with-size-and-fill": (lambda m, x: m.unique(x, axis=1, size=3, fill_value=9), (M,)),
    "nans-equal": (lambda m, x: m.unique(x, **ALL), (F,)),
    "nans-distinct": (lambda m, x: m.unique(x, equal_nan=False, return_counts=True), (F,)),
    "python-scalar-stays-weak": (lambda m: m.unique(2.0), ()),
    "zero-d": (lambda m, x: m.unique(x), (np.float32(3.0),)),
    "empty": (lambda m, x: m.unique(x, **ALL), (np.zeros(0, np.float32),)),
    "empty-with-size-and-fill": (lambda m, x: m.unique(x, size=2, fill_value=0.5), (np.zeros(0, np.float32),)),
    "unique_all": (lambda m, x: tuple(m.unique_all(x)), (M,)),
    "unique_counts": (lambda m, x: tuple(m.unique_counts(x)), (F,)),
    "unique_inverse": (lambda m, x: tuple(m.unique_inverse(x)), (X,)),
    "unique_values": (lambda m, x: m.unique_values(x, size=5, fill_value=0), (X,)),
    "bools": (lambda m, x: m.unique(x, return_counts=True), (np.array([True, False, True]),)),
}


@pytest.mark.parametrize("name", UNIQUE)
def test_unique_matches_jax(name):
    fn, args = UNIQUE[name]
    lite, ref = _eager(fn, *args)
    assert_matches(lite, ref)


def test_unique_all_has_jax_field_names():
    assert lnp.unique_all(X)._fields == jnp.unique_all(X)._fields


@pytest.mark.parametrize("name", [n for n in UNIQUE if "size" in n or n == "unique_values"])
def test_unique_with_a_size_traces_to_the_same_values(name):
    fn, args = UNIQUE[name]
    closed = jaxlite.make_jaxpr(lambda *a: fn(lnp, *a))(*args)
    lite = jaxlite.tree_util.tree_unflatten(jaxlite.tree_util.tree_structure(fn(lnp, *args)),
                                            jaxlite.core.jaxpr_as_fun(closed)(*args))
    assert_matches(lite, fn(jnp, *args))


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", [n for n in UNIQUE if "size" in n or n == "unique_values"])
def test_unique_with_a_size_under_jit_matches_jax(name, backend):
    fn, args = UNIQUE[name]
    lite = jaxlite.jit(lambda *a: fn(lnp, *a), backend=backend)(*args)
    assert_matches(lite, jax.jit(lambda *a: fn(jnp, *a))(*args))


@pytest.mark.parametrize("backend", ["numpy", "xla"])
def test_jit_of_grad_through_unique_with_a_size_matches_jax(backend):
    x = np.array([2.0, 1.0, 2.0, 4.0], np.float32)
    lite = jaxlite.jit(jaxlite.grad(lambda a: lnp.sum(lnp.unique(a, size=3) ** 2)), backend=backend)(x)
    assert_matches(lite, jax.jit(jax.grad(lambda a: jnp.sum(jnp.unique(a, size=3) ** 2)))(x))


def test_vmap_of_unique_with_a_size_matches_jax():
    xs = np.stack([X, X[::-1] * 2, np.ones(6, np.int32)])
    f = lambda m: (jax if m is jnp else jaxlite).vmap(lambda x: m.unique(x, size=4, **ALL))
    assert_matches(f(lnp)(xs), f(jnp)(xs))


def test_grad_flows_through_unique_values_as_in_jax():
    x = np.array([2.0, 1.0, 2.0, 4.0], np.float32)
    lite = jaxlite.grad(lambda a: lnp.sum(lnp.unique(a, size=3) ** 2))(x)
    ref = jax.grad(lambda a: jnp.sum(jnp.unique(a, size=3) ** 2))(x)
    assert_matches(lite, ref)


def _error(f):
    with pytest.raises(Exception) as info:
        f()
    return type(info.value), str(info.value).split("\n")


def test_unique_under_jit_without_size_raises_jax_concretization_error():
    lite_cls, lite_lines = _error(lambda: jaxlite.jit(lnp.unique)(X))
    ref_cls, ref_lines = _error(lambda: jax.jit(jnp.unique)(X))
    assert lite_cls is errors.ConcretizationTypeError
    assert ref_cls.__name__ == "ConcretizationTypeError"
    assert lite_lines[:2] == ref_lines[:2]
    assert "size=" in lite_lines[-1] and lite_lines[-1].startswith("Hint:")


def test_unique_of_empty_input_with_size_needs_a_fill_value_as_in_jax():
    lite = _error(lambda: lnp.unique(lnp.zeros(0), size=2))
    ref = _error(lambda: jnp.unique(jnp.zeros(0), size=2))
    assert (lite[0].__name__, lite[1][0]) == (ref[0].__name__, ref[1][0])


# ----------------------------------------------------------------------------------------------
# append and broadcast_shapes

APPEND = {
    "flattens-without-axis": (lambda m, a, b: m.append(a, b), (M, X)),
    "along-an-axis": (lambda m, a, b: m.append(a, b, axis=0), (M, M[:1])),
    "axis-1": (lambda m, a, b: m.append(a, b, axis=1), (M, M)),
    "python-float-promotes-weakly": (lambda m, a: m.append(a, 2.5), (X,)),
    "mixed-dtypes": (lambda m, a, b: m.append(a, b), (X, F)),
}


@pytest.mark.parametrize("name", APPEND)
def test_append_matches_jax(name):
    fn, args = APPEND[name]
    assert_matches(fn(lnp, *args), tables.jax_reference(APPEND, jnp)[name])


@pytest.mark.parametrize("shapes", [((2, 3), (3,)), ((1,), ()), (), ((4, 1, 3), (2, 1), (1,)), (3, (2, 3))],
                         ids=str)
def test_broadcast_shapes_matches_jax(shapes):
    assert lnp.broadcast_shapes(*shapes) == jnp.broadcast_shapes(*shapes)


def test_broadcast_shapes_error_matches_jax():
    lite_cls, lite_lines = _error(lambda: lnp.broadcast_shapes((2, 3), (4,)))
    assert (lite_cls, lite_lines[:-1]) == _error(lambda: jnp.broadcast_shapes((2, 3), (4,)))
    assert lite_lines[-1].startswith("Hint: ")


def test_broadcast_arrays_matches_jax():
    assert_matches(lnp.broadcast_arrays(M, X[:2], 1.5), jnp.broadcast_arrays(M, X[:2], 1.5))


# ----------------------------------------------------------------------------------------------
# convolve and correlate

A5, V3 = np.float32([1.0, -2.0, 0.5, 3.0, 1.5]), np.float32([0.2, 1.0, -0.5])
CONVOLVE = {f"{op}-{mode}-{order}": (lambda m, a, v, op=op, mode=mode: getattr(m, op)(a, v, mode),
                                     (A5, V3) if order == "long-first" else (V3, A5))
            for op in ("convolve", "correlate") for mode in ("full", "same", "valid")
            for order in ("long-first", "short-first")}
CONVOLVE.update({
    "convolve-default-mode": (lambda m, a, v: m.convolve(a, v), (A5, V3)),
    "correlate-default-mode": (lambda m, a, v: m.correlate(a, v), (A5, V3)),
    "convolve-ints-compute-in-float": (lambda m, a, v: m.convolve(a, v), (X, X[:3])),
    "convolve-ints-preferred-int32": (lambda m, a, v: m.convolve(a, v, preferred_element_type=np.int32),
                                      (X, X[:3])),
    "convolve-python-scalar-kernel-weak": (lambda m, a: m.convolve(a, m.array([2.0])), (A5,)),
    "convolve-length-one": (lambda m, a, v: m.convolve(a, v, "same"), (A5, V3[:1])),
})


@pytest.mark.parametrize("name", CONVOLVE)
def test_convolve_and_correlate_match_jax(name):
    fn, args = CONVOLVE[name]
    assert_matches(fn(lnp, *args), tables.jax_reference(CONVOLVE, jnp)[name], rtol=1e-5, atol=1e-6)


def _grad_case(name):
    fn, args = CONVOLVE[name]
    return lambda m, a, v: (jax if m is jnp else jaxlite).grad(
        lambda x, y: m.sum(fn(m, x, y) * m.arange(1.0, 1.0 + fn(m, x, y).shape[0])), argnums=(0, 1))(a, v)


CONVOLVE_GRADS = {name: (_grad_case(name), CONVOLVE[name][1]) for name in CONVOLVE
                  if name.startswith(("convolve-", "correlate-")) and "ints" not in name
                  and "scalar" not in name}


@pytest.mark.parametrize("name", CONVOLVE_GRADS)
def test_convolve_and_correlate_gradients_match_jax(name):
    fn, args = CONVOLVE_GRADS[name]
    assert_matches(fn(lnp, *args), tables.jax_reference(CONVOLVE_GRADS, jnp)[name], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["convolve-full-long-first", "correlate-same-short-first"])
def test_convolve_gradients_match_central_differences(name, x64):
    fn, args = CONVOLVE[name]
    tables.assert_grad_matches_central_differences(
        fn, lnp, args, weight=lambda shape: np.linspace(-1, 1, int(np.prod(shape))).reshape(shape),
        direction=lambda shape: np.cos(np.arange(int(np.prod(shape)))).reshape(shape), atol=1e-8)


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", ["convolve-same-long-first", "correlate-full-short-first"])
def test_convolve_under_jit_matches_jax(name, backend):
    fn, args = CONVOLVE[name]
    assert_matches(jaxlite.jit(lambda *a: fn(lnp, *a), backend=backend)(*args),
                   tables.jax_reference(CONVOLVE, jnp)[name], rtol=1e-5, atol=1e-6)


CONVOLVE_ERRORS = {
    "two-d": lambda m: m.convolve(m.ones((2, 2)), m.ones(2)),
    "empty": lambda m: m.correlate(m.ones(3), m.ones(0)),
    "bad-mode": lambda m: m.convolve(m.ones(3), m.ones(2), "wide"),
}


@pytest.mark.parametrize("name", CONVOLVE_ERRORS)
def test_convolve_errors_match_jax(name):
    lite, ref = _error(lambda: CONVOLVE_ERRORS[name](lnp)), _error(lambda: CONVOLVE_ERRORS[name](jnp))
    assert (lite[0], lite[1][0]) == (ref[0], ref[1][0])
