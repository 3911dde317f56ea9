"""Hypothesis-generated programs under stacks of transformations, against the same stack in JAX.

A program is a small expression over two float32 vectors x and y built from jnp operations; it is
wrapped in one to three transformations, innermost first, drawn from vmap, grad (of the summed
output), jvp, jit with the numpy backend and jit with the xla backend (jax.jit on the JAX side).
"""
import jax
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jaxlite

UNARY = {
    "sin": lambda J, a: J.numpy.sin(a),
    "cos": lambda J, a: J.numpy.cos(a),
    "tanh": lambda J, a: J.numpy.tanh(a),
    "exp": lambda J, a: J.numpy.exp(J.numpy.tanh(a)),
    "log1p_square": lambda J, a: J.numpy.log1p(a * a),
    "sqrt_1p": lambda J, a: J.numpy.sqrt(a * a + 1.0),
    "square": lambda J, a: J.numpy.square(a),
    "neg": lambda J, a: -a,
    "affine": lambda J, a: a * 2.0 + 1.0,
    "plus_sum": lambda J, a: a * 0.5 + J.numpy.sum(a),
    "minus_max": lambda J, a: a - J.numpy.max(a),
    "normalise": lambda J, a: a / (1.0 + J.numpy.mean(a * a, keepdims=True)),
    "reverse": lambda J, a: a[::-1],
    "cumsum": lambda J, a: J.numpy.cumsum(a),
}
BINARY = {
    "add": lambda J, a, b: a + b,
    "sub": lambda J, a, b: a - b,
    "mul": lambda J, a, b: a * b,
    "div": lambda J, a, b: a / (1.0 + b * b),
    "maximum": lambda J, a, b: J.numpy.maximum(a, b),
    "where": lambda J, a, b: J.numpy.where(a > b, a, b * 2.0),
    "dot_scale": lambda J, a, b: J.numpy.dot(a, b) * a,
    "splice": lambda J, a, b: J.numpy.concatenate([a[:1], b[1:]]),
}
TRANSFORMS = ["vmap", "grad", "jvp", "jit_numpy", "jit_xla"]

expressions = st.recursive(
    st.sampled_from(["x", "y"]),
    lambda sub: st.one_of(st.tuples(st.sampled_from(sorted(UNARY)), sub),
                          st.tuples(st.sampled_from(sorted(BINARY)), sub, sub)),
    max_leaves=5)
stacks = st.lists(st.sampled_from(TRANSFORMS), min_size=1, max_size=3)


def evaluate(expr, J, env):
    if isinstance(expr, str):
        return env[expr]
    op, *args = expr
    table = UNARY if len(args) == 1 else BINARY
    return table[op](J, *[evaluate(a, J, env) for a in args])


def program(expr, J):
    return lambda x, y: evaluate(expr, J, {"x": x, "y": y})


def sum_leaves(J, tree):
    return sum(J.numpy.sum(leaf) for leaf in J.tree_util.tree_leaves(tree))


def transform(stack, f, J):
    """Apply the stack, innermost first; JAX's jit stands in for both jaxlite backends."""
    for t in stack:
        if t == "vmap":
            f = J.vmap(f)
        elif t == "grad":
            f = J.grad(lambda *a, f=f: sum_leaves(J, f(*a)))
        elif t == "jvp":
            f = (lambda f: lambda *a: J.jvp(f, a, tuple(J.numpy.cos(x) for x in a)))(f)
        elif J is jax:
            f = jax.jit(f)
        else:
            f = jaxlite.jit(f, backend=t.split("_")[1])
    return f


def inputs(stack, seed):
    """x and y of shape (3,), with one leading batch axis per vmap (the outermost first)."""
    shape = (3,)
    for size, t in zip((2, 4, 5), stack):
        if t == "vmap":
            shape = (size,) + shape
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.0, 1.0, shape).astype(np.float32) for _ in range(2)]


def assert_matches(lite, ref):
    lite_leaves, lite_tree = jaxlite.tree_util.tree_flatten(lite)
    ref_leaves, ref_tree = jax.tree_util.tree_flatten(ref)
    assert str(lite_tree) == str(ref_tree)
    for a, b in zip(lite_leaves, ref_leaves):
        assert np.asarray(a).dtype == np.asarray(b).dtype
        assert np.shape(a) == np.shape(b)
        assert getattr(a, "weak_type", False) == getattr(b, "weak_type", False)
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-4, atol=2e-5)


def check(expr, stack, seed):
    x, y = inputs(stack, seed)
    lite = transform(stack, program(expr, jaxlite), jaxlite)(jaxlite.numpy.asarray(x), jaxlite.numpy.asarray(y))
    ref = transform(stack, program(expr, jax), jax)(jax.numpy.asarray(x), jax.numpy.asarray(y))
    assert_matches(lite, ref)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, stacks, st.integers(0, 2 ** 16))
def test_transformation_stacks_match_jax(expr, stack, seed):
    check(expr, stack, seed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.permutations(["vmap", "grad", "jit_numpy"]), st.integers(0, 2 ** 16))
def test_vmap_grad_jit_in_every_order_match_jax(expr, stack, seed):
    check(expr, stack, seed)


def test_a_known_deep_stack_matches_jax():
    expr = ("mul", ("sin", "x"), ("div", "y", ("cumsum", "x")))
    for stack in (["jvp", "vmap", "jit_xla"], ["grad", "grad", "vmap"], ["jit_numpy", "jvp", "grad"]):
        check(expr, stack, 0)
