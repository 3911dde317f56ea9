"""jaxlite's transformations against real JAX: values, output pytrees, dtypes and weak types.

Each program is written once as `program(J, jnp)`, where J is the `jax` or the `jaxlite` module and
jnp its numpy, so exactly the same code runs under both libraries.
"""
import collections
import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

RNG = np.random.default_rng(0)


def f32(*shape, low=-1.0, high=1.0):
    return RNG.uniform(low, high, shape).astype(np.float32)


X3, Y3, W3, C4 = f32(3), f32(3), f32(3), f32(4)
M23, M34 = f32(2, 3), f32(3, 4)
BATCH = f32(5, 3)


def both(program):
    """(jaxlite's result, JAX's result) of `program(J, jnp)`."""
    return program(jaxlite, lnp), program(jax, jnp)


def _dtype(x):
    return np.dtype(x.dtype) if hasattr(x, "dtype") else jnp.asarray(x).dtype


def _weak(x):
    weak = getattr(x, "weak_type", None)
    return isinstance(x, (bool, int, float, complex)) if weak is None else bool(weak)


def assert_same(lite, ref, rtol=1e-5, atol=1e-6):
    """Same pytree structure, and leaf by leaf the same shape, dtype, weak type and values."""
    lite_leaves, lite_tree = jaxlite.tree_util.tree_flatten(lite)
    ref_leaves, ref_tree = jax.tree_util.tree_flatten(ref)
    assert str(lite_tree) == str(ref_tree)
    for a, b in zip(lite_leaves, ref_leaves):
        assert np.shape(a) == np.shape(b)
        assert _dtype(a) == _dtype(b), (a, b)
        assert _weak(a) == _weak(b), (a, b)
        if _dtype(b) != jax.dtypes.float0:
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


def check(program, **tol):
    assert_same(*both(program), **tol)


def loss(J, jnp_):
    """A small logistic regression loss over a dict of parameters."""
    def f(params, x, y):
        logits = jnp_.dot(x, params["w"]) + params["b"]
        return jnp_.mean(jnp_.log1p(jnp_.exp(-y * logits)))
    return f


PARAMS = {"w": W3, "b": np.float32(0.1)}
LABELS = np.array([1.0, -1.0, 1.0, 1.0, -1.0], np.float32)


class Point:
    """A user class registered as a pytree with both libraries."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def tree_flatten(self):
        return (self.x, self.y), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children)


jax.tree_util.register_pytree_node_class(Point)
jaxlite.tree_util.register_pytree_node_class(Point)
Pair = collections.namedtuple("Pair", ["a", "b"])


# ----------------------------------------------------------------------------------------------
# grad and value_and_grad

def test_grad_of_python_float_is_weakly_typed_float32():
    lite, ref = both(lambda J, np_: J.grad(lambda x: x * x)(3.0))
    assert ref.weak_type and lite.weak_type and lite.dtype == np.float32
    assert_same(lite, ref)


def test_grad_of_float32_array_is_strongly_typed():
    check(lambda J, np_: J.grad(lambda x: np_.sum(np_.sin(x) * x))(X3))


def test_grad_of_numpy_float64_scalar_is_strong_float32():
    check(lambda J, np_: J.grad(lambda x: x * 2.0)(np.float64(3.0)))


def test_grad_argnums_tuple_returns_tuple():
    check(lambda J, np_: J.grad(lambda x, y: np_.sum(x * y ** 2), argnums=(0, 1))(X3, Y3))


def test_grad_argnums_list_and_negative():
    check(lambda J, np_: (J.grad(lambda x, y: np_.sum(x * y), argnums=[0, 1])(X3, Y3),
                          J.grad(lambda x, y: np_.sum(x * y), argnums=-1)(X3, Y3)))


def test_grad_argnums_int_skips_other_arguments():
    check(lambda J, np_: J.grad(lambda x, y: np_.sum(x * y ** 2), argnums=1)(X3, Y3))


def test_grad_passes_keyword_arguments_through_undifferentiated():
    check(lambda J, np_: J.grad(lambda x, scale: np_.sum(x) * scale)(X3, scale=2.0))


def test_grad_has_aux_returns_gradient_and_aux():
    check(lambda J, np_: J.grad(lambda x: (np_.sum(x ** 2), {"norm": np_.sqrt(np_.sum(x ** 2))}),
                                has_aux=True)(X3))


def test_value_and_grad_returns_value_and_gradient():
    check(lambda J, np_: J.value_and_grad(loss(J, np_))(PARAMS, BATCH, LABELS))


def test_value_and_grad_has_aux_nests_value_and_aux():
    check(lambda J, np_: J.value_and_grad(lambda x: (np_.sum(x ** 3), x * 2), has_aux=True)(X3))


def test_grad_over_dict_list_and_none_leaves():
    def program(J, np_):
        f = lambda p: np_.sum(p["a"] * p["b"][0]) + p["b"][1] * 3.0
        return J.grad(f)({"a": X3, "b": [Y3, 2.0], "c": None})
    check(program)


def test_grad_over_namedtuple():
    check(lambda J, np_: J.grad(lambda p: np_.sum(p.a * np_.exp(p.b)))(Pair(X3, Y3)))


def test_grad_over_registered_class():
    lite, ref = both(lambda J, np_: J.grad(lambda p: np_.sum(p.x ** 2 * p.y))(Point(X3, Y3)))
    assert isinstance(lite, Point)
    assert_same((lite.x, lite.y), (ref.x, ref.y))


def test_grad_of_unused_input_is_zero_with_its_dtype():
    check(lambda J, np_: J.grad(lambda x, y: np_.sum(y * 2.0), argnums=(0, 1))(X3, 2.0))


def test_grad_allow_int_gives_float0_for_integer_input():
    lite, ref = both(lambda J, np_: J.grad(lambda x, n: x * n, argnums=(0, 1), allow_int=True)(2.0, 3))
    assert lite[1].dtype == jax.dtypes.float0 == ref[1].dtype
    assert_same(lite, ref)


def test_grad_of_grad_of_grad():
    check(lambda J, np_: J.grad(J.grad(J.grad(lambda x: np_.sin(x) * x * x * x)))(0.7))


def test_grad_of_grad_of_two_argument_function():
    check(lambda J, np_: J.grad(J.grad(lambda x, y: x * x * np_.cos(y), argnums=1))(1.5, 0.3))


def test_grad_of_integer_power_of_python_float_is_weak():
    check(lambda J, np_: J.grad(lambda x: x ** 3)(2.0))


# ----------------------------------------------------------------------------------------------
# jvp and linearize

def test_jvp_over_pytrees():
    def program(J, np_):
        f = lambda p: {"s": np_.sin(p["a"]) * p["b"], "t": [np_.sum(p["a"])]}
        return J.jvp(f, ({"a": X3, "b": Y3},), ({"a": W3, "b": X3},))
    check(program)


def test_jvp_has_aux_returns_aux_values():
    check(lambda J, np_: J.jvp(lambda x: (np_.tanh(x), np_.sum(x)), (X3,), (Y3,), has_aux=True))


def test_jvp_returns_python_scalars_it_was_given_unchanged():
    lite, ref = both(lambda J, np_: J.jvp(lambda x: (x, 2.0 * x, 1.0), (3.0,), (1.0,)))
    assert type(lite[0][0]) is float and type(ref[0][0]) is float
    assert_same(lite, ref)


def test_jvp_of_integer_input_with_float0_tangent():
    t = np.zeros((), jax.dtypes.float0)
    check(lambda J, np_: J.jvp(lambda x, n: x * n, (2.0, 3), (1.0, t)))


def test_jvp_keyword_primals_and_tangents():
    check(lambda J, np_: J.jvp(lambda x: np_.exp(x), primals=(X3,), tangents=(Y3,)))


def test_linearize_value_and_linear_map():
    def program(J, np_):
        out, f_jvp = J.linearize(lambda x, y: np_.sin(x) * y, X3, Y3)
        return out, f_jvp(W3, X3), f_jvp(Y3, W3)
    check(program)


def test_linearize_has_aux():
    def program(J, np_):
        out, f_jvp, aux = J.linearize(lambda x: (np_.cos(x), x.shape[0]), X3, has_aux=True)
        return out, f_jvp(Y3), aux
    check(program)


# ----------------------------------------------------------------------------------------------
# vjp

def test_vjp_fun_returns_one_cotangent_per_primal():
    def program(J, np_):
        out, vjp_fun = J.vjp(lambda x, p: np_.dot(x, p["m"]) * p["s"], X3, {"m": M34, "s": 2.0})
        return out, vjp_fun(C4)
    lite, ref = both(program)
    assert isinstance(lite[1], tuple) and len(lite[1]) == 2
    assert_same(lite, ref)


def test_vjp_pulls_back_a_pytree_cotangent():
    def program(J, np_):
        out, vjp_fun = J.vjp(lambda x: (np_.sin(x), {"c": np_.sum(x ** 2)}), X3)
        return vjp_fun((Y3, {"c": 2.0}))
    check(program)


def test_vjp_has_aux():
    def program(J, np_):
        out, vjp_fun, aux = J.vjp(lambda x: (np_.exp(x), np_.max(x)), X3, has_aux=True)
        return out, vjp_fun(Y3), aux
    check(program)


def test_vjp_cotangent_weak_type_follows_the_computation():
    def program(J, np_):
        _, vjp_fun = J.vjp(lambda x, y: (x * y, x), 1.0, 2.0)
        return vjp_fun((1.0, 1.0))
    check(program)


# ----------------------------------------------------------------------------------------------
# Jacobians and Hessians

@pytest.mark.parametrize("jac", ["jacfwd", "jacrev"])
def test_jacobian_of_array_function(jac):
    check(lambda J, np_: getattr(J, jac)(lambda x: np_.tanh(np_.dot(M23, x)) * x[0])(X3))


@pytest.mark.parametrize("jac", ["jacfwd", "jacrev"])
def test_jacobian_layout_for_dict_inputs_and_outputs(jac):
    def program(J, np_):
        f = lambda d: {"o": d["a"] * np_.sum(d["b"]), "p": [d["a"] ** 2, np_.sin(d["b"])]}
        return getattr(J, jac)(f)({"a": np.float32(2.0), "b": X3})
    check(program)


@pytest.mark.parametrize("jac", ["jacfwd", "jacrev"])
def test_jacobian_argnums_tuple(jac):
    check(lambda J, np_: getattr(J, jac)(lambda x, y: np_.outer(x, y), argnums=(0, 1))(X3, Y3[:2]))


@pytest.mark.parametrize("jac", ["jacfwd", "jacrev"])
def test_jacobian_has_aux(jac):
    check(lambda J, np_: getattr(J, jac)(lambda x: (np_.exp(x), np_.sum(x)), has_aux=True)(X3))


@pytest.mark.parametrize("jac", ["jacfwd", "jacrev"])
def test_jacobian_of_python_float_is_weak(jac):
    check(lambda J, np_: getattr(J, jac)(lambda x: x ** 3)(2.0))


def test_jacrev_allow_int_gives_zeros_of_the_integer_dtype():
    check(lambda J, np_: J.jacrev(lambda x, n: x * n, argnums=(0, 1), allow_int=True)(X3, np.arange(3)))


def test_jacobian_is_alias_of_jacrev():
    check(lambda J, np_: J.jacobian(lambda x: np_.cumsum(x ** 2))(X3))


def test_jacfwd_of_jacrev_equals_hessian():
    check(lambda J, np_: J.jacfwd(J.jacrev(lambda x: np_.sum(np_.sin(x) * x ** 2)))(X3))


def test_hessian_of_array_function():
    check(lambda J, np_: J.hessian(lambda x: np_.sum(np_.exp(x) * x[::-1]))(X3))


def test_hessian_of_pytree_input():
    def program(J, np_):
        f = lambda d: np_.sum(d["b"] ** 3) * d["a"] + np_.sum(d["b"]) * d["a"] ** 2
        return J.hessian(f)({"a": np.float32(1.5), "b": X3})
    check(program)


def test_hessian_argnums_tuple():
    check(lambda J, np_: J.hessian(lambda x, y: np_.sum(x ** 2 * y), argnums=(0, 1))(X3, Y3))


# ----------------------------------------------------------------------------------------------
# vmap with differentiation

def test_per_example_gradients_vmap_of_grad():
    def program(J, np_):
        example_loss = lambda p, x, y: loss(J, np_)(p, x[None], y[None])
        return J.vmap(J.grad(example_loss), in_axes=(None, 0, 0))(PARAMS, BATCH, LABELS)
    check(program)


def test_grad_of_vmap():
    def program(J, np_):
        f = lambda w: np_.sum(J.vmap(lambda x: np_.tanh(np_.dot(x, w)))(BATCH))
        return J.grad(f)(W3)
    check(program)


def test_vmap_of_jacrev():
    check(lambda J, np_: J.vmap(J.jacrev(lambda x: np_.sin(x) * np_.sum(x)))(BATCH))


def test_vmap_of_hessian():
    check(lambda J, np_: J.vmap(J.hessian(lambda x: np_.sum(x ** 3)))(BATCH[:2]))


def test_vmap_of_jvp_with_batched_tangents():
    check(lambda J, np_: J.vmap(lambda t: J.jvp(np_.sin, (X3,), (t,)))(BATCH))


def test_vmap_in_axes_dict_prefix_and_out_axes():
    def program(J, np_):
        f = lambda p, x: {"y": p["w"] * x, "z": np_.sum(x)}
        return J.vmap(f, in_axes=({"w": None}, 1), out_axes={"y": 1, "z": 0})({"w": W3}, M34)
    check(program)


def test_vmap_axis_size_with_no_mapped_inputs():
    check(lambda J, np_: J.vmap(lambda x: x * 2.0, in_axes=None, axis_size=3)(X3))


# ----------------------------------------------------------------------------------------------
# Finite differences in float64 mode

def central_difference(f, x, eps=1e-6):
    x = np.asarray(x, np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (float(f(x + step)) - float(f(x - step))) / (2 * eps)
    return grad


def test_grad_matches_central_differences_in_x64(x64):
    f = lambda x: lnp.sum(lnp.tanh(x) * lnp.exp(x / 3.0)) / (1.0 + lnp.sum(x ** 2))
    x = RNG.normal(size=4)
    g = jaxlite.grad(f)(x)
    assert g.dtype == np.float64
    np.testing.assert_allclose(np.asarray(g), central_difference(f, x), rtol=1e-6, atol=1e-8)


def test_hessian_matches_differences_of_gradients_in_x64(x64):
    f = lambda x: lnp.sum(lnp.sin(x) * x[0] ** 2)
    x = RNG.normal(size=3)
    hess = np.asarray(jaxlite.hessian(f)(x))
    for i in range(3):
        row = central_difference(lambda y: jaxlite.grad(f)(y)[i], x)
        np.testing.assert_allclose(hess[i], row, rtol=1e-6, atol=1e-8)


# ----------------------------------------------------------------------------------------------
# Signatures

@pytest.mark.parametrize("name", ["grad", "value_and_grad", "jacfwd", "jacrev", "jacobian", "hessian",
                                  "jvp", "vjp", "linearize", "vmap", "make_jaxpr"])
def test_signature_parameters_match_jax(name):
    ours = list(inspect.signature(getattr(jaxlite, name)).parameters)
    theirs = [p for p in inspect.signature(getattr(jax, name)).parameters
              if p not in ("reduce_axes", "sum_match")]
    assert ours == theirs


def test_grad_keeps_the_function_name():
    def my_loss(x):
        return x ** 2
    assert jaxlite.grad(my_loss).__name__ == jax.grad(my_loss).__name__ == "my_loss"


def test_eval_shape_reports_shapes_and_dtypes():
    out = jaxlite.eval_shape(lambda x, y: {"d": lnp.dot(x, y), "s": x.sum()}, M23, M34)
    ref = jax.eval_shape(lambda x, y: {"d": jnp.dot(x, y), "s": x.sum()}, M23, M34)
    assert [(s.shape, s.dtype) for s in jaxlite.tree_util.tree_leaves(out)] == \
        [(s.shape, s.dtype) for s in jax.tree_util.tree_leaves(ref)]

