"""Checks for lesson 05's exercises (pytrees): notebooks/source/05_pytrees.ipynb."""
import numpy as np

from course import checks
from course.checks import jax, jnp


def _random_trees(rng):
    """Three small trees of parameters with random sizes: a dict, a list of dicts, and a dict holding a tuple with
    a None in it beside a scalar."""
    def draw(*shape):
        return np.asarray(rng.standard_normal(shape), dtype=np.float32)

    n, m = (int(size) for size in rng.integers(1, 3, size=2))
    return [({"W": draw(1, n), "b": draw()},),
            ([{"w": draw(n)}, {"w": draw()}],),
            ({"layer": (draw(m), None), "scale": draw()},)]


# 05.1: the number of leaves of a nested structure with None, (), a Python int and a list in it.

checks.predict("05.1", 5, kind="value",
               hints=["Containers are lists, tuples, dicts and `None`; everything else is a leaf, a Python "
                      "number too.",
                      "`None` and `()` are containers with nothing inside: they give no leaf.",
                      "Count the two arrays, the step and the two numbers in `scale`."])


# 05.2: which PyTreeDef jax.tree.structure prints for {"b": [1.0, None], "a": (2.0,)}.

checks.predict("05.2", "b", kind="choice", choices=["a", "b", "c", "d"],
               hints=["In which order does a dict give its keys to flatten?",
                      "`None` is not a leaf, so it is not a `*`.",
                      "A tuple stays a tuple in a `PyTreeDef`: `(*,)`, with its comma."])


# 05.3: the global norm of a tree of parameters, on trees of three structures.

def _global_norm(tree):
    return jnp.sqrt(sum(jnp.sum(jnp.square(leaf)) for leaf in jax.tree.leaves(tree)))


checks.function("05.3", _global_norm, _random_trees, transforms=("jit",),
                hints=["`jax.tree.leaves(tree)` gives the arrays; the `None` entries are already left out.",
                       "Square every entry and add them all up: `jnp.sum(leaf ** 2)` for one leaf, then a Python "
                       "`sum` over the leaves.",
                       "The global norm is the square root of that total: `jnp.sqrt(...)`."])


# 05.4: an optimiser's state with the structure of the parameters (the broken cell flattened it into a list).

def _init_velocity(params):
    return jax.tree.map(jnp.zeros_like, params)


checks.fix("05.4", _init_velocity, _random_trees,
           hints=["Read the error: at the root, one tree is a `dict` and the other a `list`. Which of the trees "
                  "given to `jax.tree.map` is the list?",
                  "`jax.tree.leaves` throws the structure away. The velocity needs the structure of `params`, "
                  "with zeros in place of each leaf.",
                  "`jax.tree.map` keeps the structure: map `jnp.zeros_like` over `params`."])


# 05.5: a class of the student's own, registered with register_pytree_node_class, its label as aux data.

LABEL = "ring"


def _reach(circle):
    """How far the circle's farthest point is from the origin."""
    return jnp.linalg.norm(circle.center) + circle.radius


def _short(value):
    try:
        return np.array2string(np.asarray(value), precision=4, separator=", ")
    except (TypeError, ValueError):
        return repr(value)


def _use_circle(Circle, center, radius):
    circle = Circle(center, radius, LABEL)
    leaves, treedef = jax.tree.flatten(circle)
    if len(leaves) != 2:
        kinds = ", ".join(type(leaf).__name__ for leaf in leaves)
        raise ValueError(f"flattening Circle(center, radius, {LABEL!r}) gave {len(leaves)} leaves ({kinds}); "
                         "a Circle has 2, the center and the radius.")
    rebuilt = jax.tree.unflatten(treedef, [2 * leaf for leaf in leaves])
    if not isinstance(rebuilt, Circle):
        raise ValueError(f"unflattening a Circle gave a {type(rebuilt).__name__}, not a Circle.")
    if getattr(rebuilt, "label", None) != LABEL:
        raise ValueError(f"a Circle labelled {LABEL!r}, flattened and unflattened, came back labelled "
                         f"{getattr(rebuilt, 'label', None)!r}.")
    for name, doubled in (("center", 2 * center), ("radius", 2 * radius)):
        got = getattr(rebuilt, name, None)
        if np.shape(got) != np.shape(doubled) or not np.allclose(got, doubled):
            raise ValueError(f"a Circle flattened, its leaves doubled and unflattened, came back with {name} "
                             f"{_short(got)}, not 2 * {name} = {_short(doubled)}.")
    gradient = jax.grad(_reach)(circle)
    return {"leaves": tuple(leaves), "grad": (gradient.center, gradient.radius)}


def _expected(center, radius):
    by_center, by_radius = jax.grad(lambda c, r: jnp.linalg.norm(c) + r, argnums=(0, 1))(center, radius)
    return {"leaves": (center, radius), "grad": (by_center, by_radius)}


checks.extend("05.5", _use_circle, _expected, checks.random_arrays((2,), (), low=0.5, high=2.0),
              label=f"Circle(center, radius, {LABEL!r}) flattened, unflattened and differentiated",
              input_names=("center", "radius"),
              hints=["`tree_flatten` returns a pair: first a tuple of the children (the arrays), then the aux "
                     "data (what is not an array).",
                     "The children are `(self.center, self.radius)`, in that order, and the label is the aux data.",
                     "`tree_unflatten` is given the aux data and the children: build `cls(center, radius, label)` "
                     "from them."])
