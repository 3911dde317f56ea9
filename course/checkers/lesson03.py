"""Checks for lesson 03's exercises (jvp and vjp): notebooks/source/03_jvp_vjp.ipynb."""
import functools

import numpy as np

from course import checks
from course.checks import jax, jnp

# The seed article's data, as the exercise notebook defines it.
INPUTS = np.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.39], [0.74, -2.49, 1.39]],
                  dtype=np.float32)  # fmt: skip


def _predict(W, b, inputs):
    return 1 / (1 + jnp.exp(-(jnp.dot(inputs, W) + b)))


def _sensitivity(W, b):
    _, change = jax.jvp(lambda W: _predict(W, b, INPUTS), (W,), (jnp.ones_like(W),))
    return change


# Random smooth functions to differentiate: one family per exercise, each case with a fresh matrix A. Answers
# and references run under jit with A as an argument, so each compiles once for all cases (real JAX would
# otherwise compile every small operation of a nested derivative on its own, which takes seconds).
def _vector_family(A, x):
    return jnp.tanh(A @ x) * jnp.sum(x**2)


def _scalar_family(A, x):
    return jnp.sum(jnp.sin(A @ x)) * jnp.sum(x**2)


_FAMILY_NAMES = {_vector_family: "tanh(A @ x) * sum(x ** 2)", _scalar_family: "sum(sin(A @ x)) * sum(x ** 2)"}


def random_functions(family, m, n, vectors=1):
    """An `inputs` function: cases (f, x, ...) with f = family(A, .) for a random m x n matrix A."""
    def inputs(rng):
        check = object()  # what the cases of one check share: its answer is compiled once, afresh for each check
        cases = []
        for _ in range(3):
            A = rng.standard_normal((m, n)).astype(np.float32) / np.float32(np.sqrt(n))
            points = tuple(rng.standard_normal(n).astype(np.float32) for _ in range(vectors))
            cases.append((_bound(family, A, check),) + points)
        return cases
    return inputs


def _bound(family, A, check):
    """x -> family(A, x), named after its formula, carrying what `_compiled` needs."""
    A_array = jnp.asarray(A)

    def f(x):
        return family(A_array, x)

    f.__name__ = f.__qualname__ = _FAMILY_NAMES[family]
    f.family, f.A, f.check = family, A, check
    return f


@functools.lru_cache(maxsize=8)
def _compiled(apply, answer, family, check):
    """jit of (A, *vectors) -> apply(answer, family(A, .), *vectors): one compile for all cases of a check."""
    return jax.jit(lambda A, *vectors: apply(answer, lambda x: family(A, x), *vectors))


def _use(apply):
    """`use` for an answer that takes a function: apply(answer, f, *vectors), compiled."""
    return lambda answer, f, *vectors: _compiled(apply, answer, f.family, f.check)(f.A, *vectors)


def _reference(apply):
    return lambda f, *vectors: _compiled(apply, None, f.family, f.check)(f.A, *vectors)


def _jacobian_of(my_jac, f, x):
    return my_jac(f)(x)


def _hvp_of(hvp, f, x, v):
    return hvp(f, x, v)


def _jacfwd(_, f, x):
    return jax.jacfwd(f)(x)


def _jacrev(_, f, x):
    return jax.jacrev(f)(x)


def _hessian_times(_, f, x, v):
    return jax.hessian(f)(x) @ v


checks.predict("03.1", (4, 4, 3), kind="shape", hints=[
    "A Jacobian's shape is the output's shape followed by the shape of the argument you differentiate.",
    "`argnums=2` picks `inputs`, of shape (4, 3); `predict` returns one number per example.",
])

checks.fix("03.2", _sensitivity, checks.random_arrays((3,), ()), hints=[
    "Read the error: a tangent must have the shape of its primal.",
    "The primal here is `W`; `len(inputs)` counts the examples, which is the shape of the output.",
    "`jnp.ones_like(W)` has W's shape and dtype.",
])

checks.extend("03.3", _use(_jacobian_of), _reference(_jacfwd),
              random_functions(_vector_family, 4, 3), label="my_jacfwd(f)(x)", input_names=("f", "x"), hints=[
    "`jax.jvp(f, (x,), (e,))` returns `(f(x), J @ e)`: with a one-hot `e`, that is one column of J.",
    "The rows of `jnp.eye(x.size, dtype=x.dtype)` are all the one-hot tangents; `jax.vmap` pushes them "
    "through at once.",
    "vmap stacks the columns along axis 0: transpose the result (or ask vmap for `out_axes=1`) so that it has "
    "shape (m, n).",
])

checks.extend("03.4", _use(_jacobian_of), _reference(_jacrev),
              random_functions(_vector_family, 2, 5), label="my_jacrev(f)(x)", input_names=("f", "x"), hints=[
    "`jax.vjp(f, x)` returns `f(x)` and a pullback; `pullback(u)` is the tuple `(u @ J,)`.",
    "The rows of `jnp.eye(y.size, dtype=y.dtype)` are the one-hot cotangents, one per output: map the "
    "pullback over them with `jax.vmap`.",
    "The pullback returns a tuple of one array: unpack it.",
])

checks.predict("03.5", "jacfwd", kind="choice", choices=["jacfwd", "jacrev"], hints=[
    "Count the calls: jacfwd makes one jvp per input, jacrev one vjp per output.",
    "Here n = 3 inputs and m = 10,000 outputs.",
])

checks.extend("03.6", _use(_hvp_of), _reference(_hessian_times),
              random_functions(_scalar_family, 4, 3, vectors=2), label="hvp(f, x, v)",
              input_names=("f", "x", "v"), rtol=1e-4, atol=1e-5, hints=[
    "H v is how the gradient changes when x moves along v: a jvp of the function `jax.grad(f)`.",
    "`jax.jvp(g, (x,), (v,))` returns `(g(x), J_g v)`; for g = grad(f), J_g is the Hessian of f.",
])
