"""The oracle for tables of cases: JAX evaluates every case of a table inside one jit, so a table
costs one XLA compilation instead of one per operation and shape (jit keeps dtypes and weak types).

A table maps a case name to (fn, args); fn takes the library namespace first (jax.numpy, or an
object bundling jax.nn and friends), so one table serves both JAX and jaxlite.
"""
import jax
import numpy as np

import jaxlite

_REFERENCES = {}
# Cheaper XLA compilation of these one-off programs (the results do not change).
_FAST_COMPILE = {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True}


def seeded_rng(kind, shape, seed):
    """The same (kind, shape, seed) always gives the same data, however often a case is built."""
    return np.random.default_rng([kind, seed, *shape])


def assert_matches(lite, ref, rtol=1e-5, atol=1e-6, weak_type=True):
    """Same pytree of arrays: each leaf a jaxlite Array with JAX's shape, dtype, weak type and values."""
    lite_leaves = jaxlite.tree_util.tree_leaves(lite)
    ref_leaves = jax.tree_util.tree_leaves(ref)
    assert len(lite_leaves) == len(ref_leaves)
    for a, b in zip(lite_leaves, ref_leaves):
        assert isinstance(a, jaxlite.Array), type(a)
        assert (a.shape, a.dtype) == (b.shape, b.dtype)
        if weak_type:
            assert a.weak_type == b.weak_type, f"weak_type {a.weak_type}, JAX has {b.weak_type}"
        # float16 keeps about three digits, and XLA may round its intermediate results differently.
        tolerance = (max(rtol, 2e-3), max(atol, 1e-3)) if a.dtype == np.float16 else (rtol, atol)
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), *tolerance, equal_nan=True)


def jax_reference(table, namespace):
    """Every case's JAX result, computed once per table."""
    if id(table) not in _REFERENCES:
        args = {name: case_args for name, (_, case_args) in table.items()}
        run = jax.jit(lambda a: {name: table[name][0](namespace, *a[name]) for name in table})
        _REFERENCES[id(table)] = run.lower(args).compile(_FAST_COMPILE)(args)
    return _REFERENCES[id(table)]


def assert_grad_matches_central_differences(fn, namespace, primals, weight, direction, atol):
    """jaxlite's gradient of a case against central differences in float64 (x64 on).

    The case's outputs are reduced to one number with fixed weights, `weight(shape)`; the gradient's
    inner product with a direction, `direction(shape)` per input, must match the difference quotient."""
    lnp = jaxlite.numpy
    primals = [np.asarray(p, np.float64) for p in primals]
    weights = [weight(np.shape(o)) for o in jaxlite.tree_util.tree_leaves(fn(namespace, *primals))]

    def scalar(*args):
        outs = jaxlite.tree_util.tree_leaves(fn(namespace, *args))
        return sum(lnp.sum(o * w) for o, w in zip(outs, weights))

    grads = jaxlite.grad(scalar, argnums=tuple(range(len(primals))))(*primals)
    directions = [direction(p.shape) for p in primals]
    eps = 1e-6
    plus = scalar(*[p + eps * d for p, d in zip(primals, directions)])
    minus = scalar(*[p - eps * d for p, d in zip(primals, directions)])
    numeric = (float(plus) - float(minus)) / (2 * eps)
    analytic = sum(float(np.sum(np.asarray(g) * d)) for g, d in zip(grads, directions))
    assert all(g.dtype == np.float64 for g in grads)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=atol)
