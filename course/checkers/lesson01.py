"""Checks for lesson 01's exercises (JAX's NumPy: .at, dtypes, explicit random keys, asynchronous dispatch).

None of these exercises runs under jit: lesson 01 comes before jit, and the answers are checked as written.
"""
import numpy as np

from course import checks
from course.checks import jax, jnp


def _swap_ends(x):
    x = jnp.asarray(x)
    return x.at[0].set(x[-1]).at[-1].set(x[0])


checks.function("01.1", _swap_ends, checks.random_arrays((5,)),
                hints=["`x` may arrive as a NumPy array, which has no `.at`: start with `x = jnp.asarray(x)`.",
                       "`x.at[0].set(v)` is a new array; `x` itself keeps its old values, so you can still read "
                       "`x[0]` and `x[-1]` afterwards.",
                       "Chain two updates: `x.at[0].set(...).at[-1].set(...)`."])

checks.predict("01.2", "float32", kind="dtype",
               hints=["Dividing integers with `/` gives a float, in JAX as in NumPy.",
                      "Which float? NumPy's default is float64; is JAX's the same?"])

checks.predict("01.3", "float16", kind="dtype",
               hints=["`2.0` is a Python number: does it have a dtype of its own?",
                      "A weakly typed Python number takes the dtype of the array it meets."])


def _one_hot(labels):
    return (jnp.asarray(labels)[:, None] == jnp.arange(4)).astype(jnp.float32)


def _labels(rng):
    return [(rng.integers(0, 4, size=6).astype(np.int32),) for _ in range(3)]


checks.fix("01.4", _one_hot, _labels, transforms=(),
           hints=["The loop writes one element at a time into `out`; a JAX array cannot be written into.",
                  "`.at[rows, cols].set(1.0)` sets many elements at once, with `rows` and `cols` arrays of "
                  "indices.",
                  "The rows are `jnp.arange(len(labels))` and the columns are the labels themselves."])

checks.predict("01.5", "t2", kind="choice", choices=["t1", "t2"],
               hints=["When `f(x)` returns, has its result been computed?",
                      "Only `block_until_ready()` waits until the value exists."])


# 01.6 is checked by what the answer does, not by its numbers: any way of splitting the key is right as long as
# each sample gets a key of its own and the given key is only split. The facts come back as a tuple of booleans,
# in the order the exercise lists them, so that a "not yet" table stays one short line per key.
FACTS = ("shapes", "repeatable", "key matters", "independent", "key only split")


def _samples(two_samples, key):
    """The answer's two samples as NumPy arrays, or None when it returned something else."""
    result = two_samples(key)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return None
    try:
        arrays = [np.asarray(sample) for sample in result]
    except Exception:
        return None
    if any(array.dtype.kind != "f" for array in arrays):
        return None
    return arrays


def _facts(two_samples, key):
    first = _samples(two_samples, key)
    if first is None:
        return (False,) * len(FACTS)
    again = _samples(two_samples, key)
    other = _samples(two_samples, key + np.array([0, 1], dtype=np.uint32))
    a, b = (sample.ravel() for sample in first)
    from_key = np.asarray(jax.random.normal(key, (4,)))
    return (
        [sample.shape for sample in first] == [(3,), (2, 2)],
        again is not None and all(np.array_equal(x, y) for x, y in zip(first, again)),
        other is not None and not any(np.array_equal(x, y) for x, y in zip(first, other)),
        np.intersect1d(a, b).size == 0,
        np.intersect1d(np.concatenate([a, b]), from_key).size == 0,
    )


def _keys(rng):
    return [(np.array([0, seed], dtype=np.uint32),) for seed in rng.integers(0, 2**31, size=2)]


checks.extend("01.6", _facts, lambda key: (True,) * len(FACTS), _keys,
              label=f"two_samples(key): {', '.join(FACTS)}",
              hints=["Split first: `k1, k2 = random.split(key)`, then draw each sample from its own key.",
                     "`random.normal(k, shape)` draws normal numbers of that shape; the same `k` always gives "
                     "the same numbers, so one key per sample.",
                     "Return a tuple `(a, b)` with `a.shape == (3,)` and `b.shape == (2, 2)`; do not call "
                     "`random.normal(key, ...)` with the `key` you were given."])
