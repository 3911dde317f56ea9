"""The two routes of linearize agree: JAX's direct linearize trace (jax_use_direct_linearize, the
default) and jvp under partial evaluation (the Autodidax route) give the same values and the same
linear jaxprs, for the generated programs of test_transform_stacks and for programs with jit,
control flow, custom derivatives and checkpointing."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.interpreters import ad
from tests.oracle.test_transform_stacks import expressions, program, transform


def by_route(direct, run):
    """`run()` with linearize's route set: direct (JAX's trace) or jvp + partial evaluation."""
    before = jaxlite.config.read("jax_use_direct_linearize")
    jaxlite.config.update("jax_use_direct_linearize", direct)
    try:
        return run()
    finally:
        jaxlite.config.update("jax_use_direct_linearize", before)


def linearized(f, args):
    """(primal outputs, linear jaxpr text, residuals, jaxpr text of grad, gradient) by the current route."""
    primals_out, jaxpr, consts = ad.linearize_flat(lambda *xs: [f(*xs)], list(args))
    scalar = lambda *xs: jnp.sum(f(*xs))
    grad = jaxlite.grad(scalar, argnums=tuple(range(len(args))))
    return (primals_out, str(jaxpr), consts, str(jaxlite.make_jaxpr(grad)(*args)), grad(*args))


def assert_routes_agree(f, *args):
    args = [jnp.asarray(a) for a in args]
    direct = by_route(True, lambda: linearized(f, args))
    staged = by_route(False, lambda: linearized(f, args))
    (d_out, d_jaxpr, d_consts, d_grad_jaxpr, d_grad), (s_out, s_jaxpr, s_consts, s_grad_jaxpr, s_grad) = \
        direct, staged
    assert d_jaxpr == s_jaxpr
    assert d_grad_jaxpr == s_grad_jaxpr
    for a, b in zip(d_out + d_consts + list(d_grad), s_out + s_consts + list(s_grad)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
        assert np.asarray(a).dtype == np.asarray(b).dtype


def test_the_direct_route_is_the_default_as_in_jax():
    assert jaxlite.config.read("jax_use_direct_linearize") is True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.lists(st.sampled_from(["vmap", "jit_numpy", "jvp"]), max_size=1), st.integers(0, 2 ** 16))
def test_generated_programs_linearize_alike_by_both_routes(expr, stack, seed):
    rng = np.random.default_rng(seed)
    x, y = (rng.uniform(-1.0, 1.0, (2, 3) if stack == ["vmap"] else (3,)).astype(np.float32) for _ in range(2))
    f = transform(stack, program(expr, jaxlite), jaxlite)
    assert_routes_agree(lambda x, y: jaxlite.tree_util.tree_leaves(f(x, y))[-1], x, y)


def _custom_jvp_softplus():
    @jaxlite.custom_jvp
    def softplus(x):
        return jnp.log1p(jnp.exp(x))
    softplus.defjvp(lambda primals, tangents: (softplus(primals[0]), tangents[0] * sigmoid(primals[0])))
    return softplus


def sigmoid(x):
    return 1.0 / (1.0 + jnp.exp(-x))


def _custom_vjp_clip():
    @jaxlite.custom_vjp
    def clip_gradient(x):
        return x
    clip_gradient.defvjp(lambda x: (x, None), lambda _, g: (jnp.clip(g, -0.5, 0.5),))
    return clip_gradient


PROGRAMS = {
    "jit": lambda x, y: jaxlite.jit(lambda a, b: jnp.sin(a) * b)(x, y) + x,
    "cond": lambda x, y: lax.cond(jnp.sum(x) > 0, lambda a, b: a * b, lambda a, b: a - jnp.cos(b), x, y),
    "scan": lambda x, y: lax.scan(lambda c, xy: (c * xy[0] + xy[1], jnp.sin(c)), 1.0, (x, y))[1],
    "fori_loop": lambda x, y: lax.fori_loop(0, 3, lambda i, c: c * y + jnp.tanh(c), x),
    "custom_jvp": lambda x, y: _custom_jvp_softplus()(x) * y,
    "custom_vjp": lambda x, y: _custom_vjp_clip()(x * y) * x,
    "checkpoint": lambda x, y: jaxlite.checkpoint(lambda a, b: jnp.sin(jnp.sin(a)) * b)(x, y),
    "vmap_inside": lambda x, y: jaxlite.vmap(lambda a, b: a * jnp.dot(a, b))(jnp.stack([x, y]), jnp.stack([y, x])),
    "integer_input": lambda x, y: x * jnp.arange(3) + y,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_programs_with_structured_primitives_linearize_alike_by_both_routes(name):
    x = np.array([0.3, -1.2, 0.7], np.float32)
    y = np.array([1.1, 0.4, -0.6], np.float32)
    assert_routes_agree(PROGRAMS[name], x, y)


def test_linearize_has_aux_gives_the_same_aux_and_tangents_by_both_routes():
    f = lambda x: (jnp.sin(x) * x, {"norm": jnp.sum(x * x)})
    x = jnp.asarray(np.array([0.5, 2.0], np.float32))

    def run():
        out, f_jvp, aux = jaxlite.linearize(f, x, has_aux=True)
        return out, f_jvp(jnp.ones(2)), aux["norm"]
    for a, b in zip(by_route(True, run), by_route(False, run)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_a_leaked_grad_tracer_is_a_linearize_tracer_by_both_routes():
    for direct in (True, False):
        leaked = []
        by_route(direct, lambda: jaxlite.grad(lambda x: leaked.append(x) or x * 2.0)(1.0))
        assert type(leaked[0]).__name__ == "LinearizeTracer"
