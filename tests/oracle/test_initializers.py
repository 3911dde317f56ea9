"""`jax.nn.initializers` against JAX: for a given key, the same numbers, dtype and shape from every
initializer, with JAX's signatures and errors; and `random.orthogonal`, which `orthogonal` draws from."""
import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

FAMILY = ["glorot_uniform", "glorot_normal", "xavier_uniform", "xavier_normal", "lecun_uniform",
          "lecun_normal", "he_uniform", "he_normal", "kaiming_uniform", "kaiming_normal", "orthogonal",
          "delta_orthogonal", "variance_scaling", "uniform", "normal", "truncated_normal", "constant",
          "zeros", "ones"]


def assert_same(ours, theirs, rtol=1e-5):
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=rtol, atol=1e-6)


def both(make, shape, seed=0, dtype=None):
    out = []
    for J in (jaxlite, jax):
        init = make(J.nn.initializers)
        args = (J.random.PRNGKey(seed), shape) + (() if dtype is None else (dtype,))
        out.append(init(*args))
    return out


@pytest.mark.parametrize("name", FAMILY)
def test_signature_matches_jax(name):
    ours = inspect.signature(getattr(jaxlite.nn.initializers, name))
    theirs = inspect.signature(getattr(jax.nn.initializers, name))
    assert list(ours.parameters) == list(theirs.parameters)
    assert [p.default for p in ours.parameters.values()] == [p.default for p in theirs.parameters.values()]


@pytest.mark.parametrize("name", ["glorot_uniform", "glorot_normal", "xavier_uniform", "xavier_normal",
                                  "lecun_uniform", "lecun_normal", "he_uniform", "he_normal",
                                  "kaiming_uniform", "kaiming_normal", "orthogonal"])
@pytest.mark.parametrize("shape", [(3, 4), (5, 2), (2, 3, 4)])
def test_scaled_initializers_give_jax_numbers(name, shape):
    assert_same(*both(lambda I: getattr(I, name)(), shape, seed=7))


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg", "fan_geo_avg"])
@pytest.mark.parametrize("distribution", ["truncated_normal", "normal", "uniform"])
def test_variance_scaling_modes_and_distributions(mode, distribution):
    assert_same(*both(lambda I: I.variance_scaling(0.5, mode, distribution), (4, 6), seed=1))


@pytest.mark.parametrize("distribution", ["truncated_normal", "normal", "uniform"])
def test_variance_scaling_of_complex_weights(distribution):
    assert_same(*both(lambda I: I.variance_scaling(1.0, "fan_in", distribution), (3, 3), dtype=np.complex64))


def test_convolution_kernel_fans_count_the_receptive_field():
    assert_same(*both(lambda I: I.he_normal(in_axis=-2, out_axis=-1), (3, 3, 4, 8)))
    assert_same(*both(lambda I: I.glorot_uniform(in_axis=0, out_axis=1, batch_axis=2), (2, 3, 5)))


@pytest.mark.parametrize("make", [lambda I: I.normal(0.5), lambda I: I.uniform(2.0),
                                  lambda I: I.truncated_normal(1.0, lower=-1.0, upper=3.0),
                                  lambda I: I.constant(-7), lambda I: I.zeros, lambda I: I.ones])
def test_simple_initializers(make):
    assert_same(*both(make, (2, 3)))


def test_dtype_argument_and_default_dtype():
    assert_same(*both(lambda I: I.lecun_normal(dtype=jnp.float16), (3, 3)), rtol=2e-3)
    assert_same(*both(lambda I: I.zeros, (2,), dtype=jnp.int32))
    assert both(lambda I: I.glorot_normal(), (2, 2))[0].dtype == np.float32


def test_orthogonal_columns_and_rows():
    for shape, axis in [((2, 5), -1), ((2, 5), 0), ((3, 2, 4), -1)]:
        assert_same(*both(lambda I: I.orthogonal(scale=2.0, column_axis=axis), shape))


def test_delta_orthogonal_kernel():
    assert_same(*both(lambda I: I.delta_orthogonal(), (3, 2, 4)))
    assert_same(*both(lambda I: I.delta_orthogonal(), (3, 3, 2, 2)))


def test_typed_keys_and_jit():
    ours = jaxlite.jit(lambda k: jaxlite.nn.initializers.he_normal()(k, (2, 3)))(jaxlite.random.key(3))
    theirs = jax.jit(lambda k: jax.nn.initializers.he_normal()(k, (2, 3)))(jax.random.key(3))
    assert_same(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda I, k: I.glorot_normal()(k, (3,)),
    lambda I, k: I.variance_scaling(1.0, "fan_x", "normal")(k, (2, 2)),
    lambda I, k: I.variance_scaling(1.0, "fan_in", "laplace")(k, (2, 2)),
    lambda I, k: I.orthogonal()(k, (3,)),
    lambda I, k: I.delta_orthogonal()(k, (3, 3)),
    lambda I, k: I.delta_orthogonal()(k, (3, 4, 2)),
])
def test_bad_shapes_and_names_raise_jax_errors(call):
    messages = []
    for J in (jaxlite, jax):
        with pytest.raises(ValueError) as info:
            call(J.nn.initializers, J.random.PRNGKey(0))
        messages.append(str(info.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("n, shape, m", [(3, (), None), (2, (2,), 4), (4, (), 2)])
def test_random_orthogonal_matches_jax(n, shape, m):
    ours = jaxlite.random.orthogonal(jaxlite.random.PRNGKey(3), n, shape, m=m)
    theirs = jax.random.orthogonal(jax.random.PRNGKey(3), n, shape, m=m)
    assert_same(ours, theirs)
    q = np.asarray(ours).reshape(-1, *ours.shape[-2:])
    small = min(q.shape[-2:])
    gram = q @ np.swapaxes(q, -1, -2) if q.shape[-2] == small else np.swapaxes(q, -1, -2) @ q
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(small), gram.shape), atol=1e-5)


def test_arrays_of_the_initializers_are_jaxlite_arrays():
    assert isinstance(jaxlite.nn.initializers.ones(None, (2,)), jaxlite.Array)
    assert lnp.allclose(jaxlite.nn.initializers.constant(2.5)(None, (2,)), 2.5)
