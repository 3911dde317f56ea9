"""check_grads: derivatives against central finite differences, in the style of autograd's.

Forward mode is checked directly (jvp against a difference quotient); reverse mode through the
identity <ct, J v> = <J^T ct, v>. With order=2 the same checks run on the jvp and vjp functions
themselves, which exercises the jvp rules of the jvp rules and the transposes of the linear parts.
Use float64 (x64 mode): float32 differences are too noisy to be worth checking.
"""
import contextlib

import numpy as np

import jaxlite
from jaxlite import tree_util


@contextlib.contextmanager
def x64_mode():
    """jaxlite in x64 mode inside the block, whatever it was before."""
    before = jaxlite.config.read("jax_enable_x64")
    jaxlite.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jaxlite.config.update("jax_enable_x64", before)


def _np(tree):
    return tree_util.tree_map(lambda x: np.asarray(x, np.float64), tree)


def _random_like(tree, rng):
    return tree_util.tree_map(lambda x: rng.normal(size=np.shape(x)), _np(tree))


def _inner(a, b):
    return sum(float(np.sum(x * y)) for x, y in zip(tree_util.tree_leaves(_np(a)),
                                                    tree_util.tree_leaves(_np(b))))


def _as_arrays(args):
    return [jaxlite.numpy.asarray(np.asarray(a)) for a in args]


def numerical_jvp(f, args, tangents, eps):
    plus = f(*_as_arrays([a + eps * t for a, t in zip(args, tangents)]))
    minus = f(*_as_arrays([a - eps * t for a, t in zip(args, tangents)]))
    return tree_util.tree_map(lambda p, m: (p - m) / (2 * eps), _np(plus), _np(minus))


def _assert_close(actual, expected, rtol, atol, what):
    for a, e in zip(tree_util.tree_leaves(_np(actual)), tree_util.tree_leaves(_np(expected))):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=what)


def check_jvp(f, args, rng, eps=1e-5, rtol=1e-5, atol=1e-5):
    tangents = _random_like(args, rng)
    _, tangent_out = jaxlite.jvp(f, _as_arrays(args), _as_arrays(tangents))
    _assert_close(tangent_out, numerical_jvp(f, args, tangents, eps), rtol, atol, "jvp vs finite differences")


def check_vjp(f, args, rng, eps=1e-5, rtol=1e-5, atol=1e-5):
    tangents = _random_like(args, rng)
    out, vjp_fun = jaxlite.vjp(f, *_as_arrays(args))
    cotangent = _random_like(out, rng)
    cotangents_in = vjp_fun(tree_util.tree_map(jaxlite.numpy.asarray, cotangent))
    lhs = _inner(cotangent, numerical_jvp(f, args, tangents, eps))
    rhs = _inner(cotangents_in, tangents)
    np.testing.assert_allclose(rhs, lhs, rtol=rtol, atol=atol, err_msg="vjp vs finite differences")


def check_grads(f, args, order=2, modes=("fwd", "rev"), seed=0, eps=1e-5, rtol=1e-5, atol=1e-5):
    """Check f's derivatives at `args` (a list of float64 arrays) up to `order`."""
    rng = np.random.default_rng(seed)
    args = [np.asarray(a, np.float64) for a in args]
    if "fwd" in modes:
        check_jvp(f, args, rng, eps, rtol, atol)
        if order > 1:
            tangents = _as_arrays(_random_like(args, rng))
            check_grads(lambda *a: jaxlite.jvp(f, list(a), tangents)[1], args, order - 1, modes,
                        seed + 1, eps, rtol, atol)
    if "rev" in modes:
        check_vjp(f, args, rng, eps, rtol, atol)
        if order > 1:
            out = f(*_as_arrays(args))
            cotangent = tree_util.tree_map(jaxlite.numpy.asarray, _random_like(out, rng))
            check_grads(lambda *a: jaxlite.vjp(f, *a)[1](cotangent), args, order - 1, modes,
                        seed + 2, eps, rtol, atol)
