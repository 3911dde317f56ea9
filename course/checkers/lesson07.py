"""Checks for lesson 07's exercises (jit): notebooks/source/07_jit.ipynb."""
import numpy as np

from course import checks
from course.checks import jax, jnp


# 07.1: for each of eight calls of a jitted `total(x, scale)`, 1 if it traces and 0 if the cache serves it.
# The calls: (ones(3), 2.0), (zeros(3), 5.0), (ones(4), 2.0), (ones(3), 2), (arange(3.0), 3.0), (ones(4), 1.0),
# (ones(3), float32(2.0)), (arange(3), 2.0).

checks.predict("07.1", [1, 0, 1, 1, 0, 0, 1, 1], kind="value",
               hints=["The cache key is the type of each argument: its shape, its dtype, and whether it is weakly "
                      "typed. The values never matter.",
                      "`2.0` and `5.0` are both weakly typed float32 scalars; `2` is a weakly typed int32 scalar; "
                      "`jnp.float32(2.0)` is a float32 scalar that is not weakly typed.",
                      "A signature met once stays in the cache: `ones(4)` with a Python float was seen at the third "
                      "call. `jnp.arange(3)` holds integers."])


# 07.2: which arguments of tile_and_scale(x, reps, factor, mode) jit must get as Python values.

checks.predict("07.2", "reps and mode", kind="choice", choices=["reps", "mode", "reps and mode", "all three"],
               hints=["An argument must be static when Python needs its value while tracing: a shape, a count, or "
                      "something an `if` looks at.",
                      "`reps` decides the shape of `jnp.tile`'s result. `mode` is compared with a string by an "
                      "`if`, and a string is no array anyway.",
                      "`factor` is only multiplied: a tracer can do that. Static arrays are refused (an array is "
                      "not hashable)."])


# 07.3: Newton's square root with a traced number of steps, its Python loop turned into lax.fori_loop.

def _newton_sqrt(a, steps):
    return jax.lax.fori_loop(0, steps, lambda i, x: 0.5 * (x + a / x), a)


def _positives_and_step_counts(rng):
    """Three cases: a vector of positive numbers and a number of steps (an int32 scalar, traced under jit)."""
    return [(np.asarray(rng.uniform(0.5, 10.0, 3), dtype=np.float32), np.asarray(steps, dtype=np.int32))
            for steps in rng.integers(1, 7, size=3)]


checks.fix("07.3", _newton_sqrt, _positives_and_step_counts,
           hints=["Under `jit`, `steps` is a traced `int32[]`, and `range(steps)` needs a Python int. A loop whose "
                  "length is traced must be recorded as a loop.",
                  "`jax.lax.fori_loop(lower, upper, body, init)` runs `init = body(i, init)` for `i` from `lower` "
                  "to `upper - 1`, and returns the last value. `upper` may be traced.",
                  "The body is `lambda i, x: 0.5 * (x + a / x)`; it ignores `i`. Start from `x = a`."])


# 07.4: a running maximum written with lax.scan, checked on random vectors, also under jit.

def _running_max(xs):
    def step(best, x):
        best = jnp.maximum(best, x)
        return best, best
    return jax.lax.scan(step, xs[0], xs)[1]


checks.function("07.4", _running_max, checks.random_arrays((6,)), transforms=("jit",),
                hints=["The carry is the largest value seen so far; each step outputs it. `scan` stacks the "
                       "outputs into a vector as long as `xs`.",
                       "`step(carry, x)` returns `(new_carry, output)`: here both are `jnp.maximum(carry, x)`.",
                       "Start the carry at `xs[0]` (the maximum of the first entry alone), and return the second "
                       "result of `jax.lax.scan(step, xs[0], xs)`."])
