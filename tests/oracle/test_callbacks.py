"""`jax.pure_callback` against JAX: values eagerly and under jit (both backends), each vmap_method
(what the callback is handed, and the jaxpr), and JAX's errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

LIBS = [(jaxlite, lnp), (jax, jnp)]
METHODS = ["sequential", "sequential_unrolled", "expand_dims", "broadcast_all", "legacy_vectorized"]


def host_sin(J):
    return lambda x: J.pure_callback(np.sin, J.ShapeDtypeStruct(x.shape, x.dtype), x)


def outcome(program, J):
    try:
        return program(J)
    except Exception as err:  # noqa: BLE001 - the outcome is compared, whatever it is
        return type(err).__name__, str(err).splitlines()[0]


def same_outcome(program):
    ours, theirs = outcome(program, jaxlite), outcome(program, jax)
    assert ours == theirs
    return ours


X = np.linspace(-1, 1, 3).astype(np.float32)


def test_eager_value_matches_jax():
    ours, theirs = [host_sin(J)(X) for J, _ in LIBS]
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert ours.dtype == theirs.dtype


def test_jit_value_matches_jax(backend):
    ours, theirs = [J.jit(host_sin(J))(X) for J, _ in LIBS]
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_jaxpr_matches_jax():
    texts = [str(J.make_jaxpr(host_sin(J))(X)) for J, _ in LIBS]
    assert texts[0] == texts[1]
    assert "pure_callback[" in texts[0]


def test_pytree_results_and_keyword_arguments():
    def program(J):
        shapes = (J.ShapeDtypeStruct((3,), np.float32), {"a": J.ShapeDtypeStruct((3,), np.float32)})
        out = J.pure_callback(lambda x, k: (x * k, {"a": x + k}), shapes, X, k=np.float32(2.0))
        return J.tree_util.tree_map(np.asarray, out)
    ours, theirs = program(jaxlite), program(jax)
    np.testing.assert_allclose(ours[0], theirs[0])
    np.testing.assert_allclose(ours[1]["a"], theirs[1]["a"])


def test_float64_results_are_made_float32_without_x64():
    ours, theirs = [J.pure_callback(lambda x: np.ones(3), J.ShapeDtypeStruct((3,), np.float32), X)
                    for J, _ in LIBS]
    assert ours.dtype == theirs.dtype == np.float32


@pytest.mark.parametrize("method", METHODS)
def test_vmap_methods_hand_the_callback_what_jax_hands_it(capsys, method):
    printed, values = [], []
    for J, np_ in LIBS:
        def host(x, y):
            print("callback got", np.shape(x), np.shape(y))
            return np.sin(x) + y

        g = lambda x, y, J=J: J.pure_callback(host, J.ShapeDtypeStruct(x.shape, x.dtype), x, y,
                                              vmap_method=method)
        values.append(J.vmap(g, in_axes=(0, None))(np.ones((2, 3), np.float32), np.ones(3, np.float32)))
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1]
    np.testing.assert_allclose(values[0], values[1], rtol=1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_vmap_jaxpr_matches_jax(method):
    texts = []
    for J, _ in LIBS:
        g = lambda x, y, J=J: J.pure_callback(np.add, J.ShapeDtypeStruct(x.shape, x.dtype), x, y,
                                              vmap_method=method)
        texts.append(str(J.make_jaxpr(J.vmap(g, in_axes=(0, None)))(np.ones((2, 3), np.float32),
                                                                    np.ones(3, np.float32))))
    assert texts[0] == texts[1]


@pytest.mark.parametrize("method", ["sequential", "expand_dims"])
def test_vmap_under_jit(method, backend):
    outs = []
    for J, _ in LIBS:
        g = lambda x, J=J: J.pure_callback(np.cos, J.ShapeDtypeStruct(x.shape, x.dtype), x,
                                           vmap_method=method)
        outs.append(J.jit(J.vmap(g))(np.ones((2, 3), np.float32)))
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-6)


def test_vmap_without_a_vmap_method_is_refused():
    assert same_outcome(lambda J: J.vmap(host_sin(J))(np.ones((2, 3), np.float32)))[0] == \
        "NotImplementedError"


def test_unknown_vmap_method_is_refused():
    same_outcome(lambda J: J.pure_callback(np.sin, J.ShapeDtypeStruct((3,), np.float32), X,
                                           vmap_method="bad"))


@pytest.mark.parametrize("transform", ["grad", "jvp", "linearize"])
def test_differentiating_a_callback_is_refused(transform):
    def program(J):
        f = host_sin(J)
        if transform == "grad":
            return J.grad(lambda x: f(x).sum())(X)
        if transform == "jvp":
            return J.jvp(f, (X,), (X,))
        return J.linearize(f, X)
    assert same_outcome(program)[0] == "ValueError"


def test_a_callback_inside_custom_jvp_can_be_differentiated(backend):
    def program(J):
        @J.custom_jvp
        def sin(x):
            return J.pure_callback(np.sin, J.ShapeDtypeStruct(x.shape, x.dtype), x)
        sin.defjvp(lambda p, t: (sin(p[0]), J.pure_callback(np.cos, J.ShapeDtypeStruct(p[0].shape, p[0].dtype),
                                                              p[0]) * t[0]))
        loss = lambda x: sin(x).sum()
        return J.grad(loss)(X), J.jit(J.grad(loss))(X)
    for ours, theirs in zip(program(jaxlite), program(jax)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_64_bit_result_types_are_refused_without_x64():
    same_outcome(lambda J: J.pure_callback(np.sin, J.ShapeDtypeStruct((3,), np.float64), X))


@pytest.mark.parametrize("result", [np.ones(4, np.float32), np.ones(3, np.int32), (X, X),
                                    np.ones((3, 1), np.float32)])
def test_a_result_of_the_wrong_type_raises_jax_error(result):
    outcome_ = same_outcome(lambda J: J.pure_callback(lambda x: result, J.ShapeDtypeStruct((3,), np.float32), X))
    assert outcome_[0] == "JaxRuntimeError"
