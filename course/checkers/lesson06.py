"""Checks for lesson 06's exercises (jaxprs): notebooks/source/06_jaxprs.ipynb."""
import numpy as np

from course import checks
from course.checks import jax, jnp


# 06.1: the reduce_sum line of make_jaxpr(lambda x: jnp.sum(x * 2.0, axis=1))(jnp.ones((2, 3))).

checks.predict("06.1", "c:f32[2] = reduce_sum[axes=(1,) out_sharding=None] b", kind="jaxpr",
               hints=["Binders are letters handed out in order: `a` is the input, `b` the product. The sum binds "
                      "the next one, and reads `b`.",
                      "Summing a (2, 3) array over axis 1 leaves one number per row: what type is that?",
                      "Start from the lesson's `reduce_sum` line, and change its binder, type, axis and operand."])


# 06.2: the number of equations in make_jaxpr(grad(lambda x: jnp.sin(jnp.sin(x))))(1.0).

checks.predict("06.2", 6, kind="value",
               hints=["The lesson's `grad(f)` records a forward pass, then a backward one. Count them apart.",
                      "Forward: each `sin` is recorded, and its derivative rule records a `cos` of the same input. "
                      "`make_jaxpr` keeps the outer `sin` even though `grad` does not return it.",
                      "Backward: the seed `1.0` is multiplied by the outer `cos`, then by the inner one, one `mul` "
                      "each."])


# 06.3: a vector clipped to length at most 1, with an `if` that jit cannot trace, rewritten without it.

def _clip_norm(v):
    return v * jnp.minimum(1.0, 1.0 / jnp.sqrt(jnp.sum(v ** 2)))


def _vectors_short_and_long(rng):
    """Three vectors of 3: one shorter than 1, one longer, one either (the `if` takes both ways)."""
    lengths = [rng.uniform(0.2, 0.9), rng.uniform(1.5, 4.0), rng.uniform(0.2, 4.0)]
    directions = rng.standard_normal((3, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    return [(np.asarray(length * direction, dtype=np.float32),) for length, direction in zip(lengths, directions)]


checks.fix("06.3", _clip_norm, _vectors_short_and_long,
           hints=["Under `jit`, `norm > 1.0` is a tracer of type `bool[]`: Python's `if` cannot use it. Compute "
                  "both results and let an array operation choose.",
                  "`jnp.where(condition, a, b)` is `a` where the condition holds and `b` elsewhere; a `bool[]` "
                  "condition chooses for the whole vector. `jax.lax.cond(condition, f, g, v)` works too.",
                  "`jnp.where(norm > 1.0, v / norm, v)`."])


# 06.4: count the primitives of a jaxpr, including those inside the sub-jaxprs of jit and cond, on random small
# functions of x: f32[3] built from a few pieces. Their sources are written with short names (`sin` for jnp.sin,
# `cond` for jax.lax.cond) so that a "not yet" table stays narrow; a constant predicate keeps the cond equation
# (lax.cond records both branches whatever it is given) without the equations that compute a traced one.

_PIECES = ["sin({})", "cos({})", "exp({})", "tanh({})", "{} * 2.0"]
_NESTING = ["jit(sin)({})", "cond(True, sin, cos, {})"]
_X = np.linspace(-1.0, 1.0, 3, dtype=np.float32)


def _random_functions(rng):
    """Three sources `lambda x: ...`: one with a cond, one with a jit, one with both, among plain pieces."""
    sources = []
    for nesting in ([_NESTING[1]], [_NESTING[0]], list(_NESTING)):
        pieces = [_PIECES[i] for i in rng.integers(0, len(_PIECES), size=3 - len(nesting))] + nesting
        rng.shuffle(pieces)
        body = "x"
        for piece in pieces:
            body = piece.format(body)
        sources.append(("lambda x: " + body,))
    return sources


def _trace(source):
    names = {"sin": jnp.sin, "cos": jnp.cos, "exp": jnp.exp, "tanh": jnp.tanh, "jit": jax.jit,
             "cond": jax.lax.cond}
    return jax.make_jaxpr(eval(source, names))(_X)


def _count(jaxpr, counts=None):
    counts = {} if counts is None else counts
    for eqn in jaxpr.eqns:
        counts[eqn.primitive.name] = counts.get(eqn.primitive.name, 0) + 1
        for value in eqn.params.values():
            for inner in value if isinstance(value, (tuple, list)) else [value]:
                if hasattr(inner, "eqns"):
                    _count(inner, counts)
    return counts


checks.extend("06.4", lambda count_primitives, source: count_primitives(_trace(source)),
              lambda source: _count(_trace(source)), _random_functions,
              label="count_primitives(jax.make_jaxpr(f)(x))", input_names=("f",),
              hints=["Start with the top level: `for eqn in closed.jaxpr.eqns`, and add one to "
                     "`counts[eqn.primitive.name]`.",
                     "The inner programs are params: `jit` has one in `eqn.params['jaxpr']`, `cond` a tuple of "
                     "them in `eqn.params['branches']`. Both a `ClosedJaxpr` and a `Jaxpr` have `.eqns`.",
                     "Write a helper that walks any object with `.eqns`, and call it again on each param value "
                     "(or each item of a tuple param) that has `.eqns` itself."])
