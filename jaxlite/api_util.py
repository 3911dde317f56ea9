"""What the transformations do to their arguments and functions before tracing: check the leaves,
and turn functions of pytrees into functions of flat lists of leaves, which is what the interpreters trace.

Mirrors jax/_src/api_util.py (`flatten_fun`, `flatten_fun_nokwargs`, argument checks) and the `Store`
of jax/_src/linear_util.py. A flattened function leaves its output's treedef in a store, read once the
function has run (tracing runs it), so that the caller can rebuild the output pytree.
"""
import numpy as np

from jaxlite import core, dtypes, tree_util
from jaxlite.array import ArrayImpl
from jaxlite.errors import with_hint


def check_arg(x):
    """A leaf handed to a transformation must be an array or a scalar; NumPy values are made
    canonical (float64 -> float32 unless x64 is on), Python scalars stay weakly typed."""
    if isinstance(x, (np.ndarray, np.generic)):  # before float: np.float64 subclasses it
        return ArrayImpl(np.asarray(x, dtypes.canonicalize_dtype(x.dtype)), False)
    if isinstance(x, (ArrayImpl, core.Tracer, bool, int, float, complex)):
        return x
    raise TypeError(with_hint(f"Argument '{x}' of type {type(x)} is not a valid JAX type.",
                              _non_array_hint(x)))


def _non_array_hint(x):
    if callable(x):
        return ("a function is not an array: close over it, or bind it with functools.partial, "
                "instead of passing it to the transformed function.")
    if type(x).__module__ not in ("builtins", "numpy"):
        return (f"register {type(x).__name__} as a pytree (jax.tree_util.register_pytree_node_class) "
                "so that its arrays are traced, or pass the arrays themselves.")
    return ("only arrays, numbers and pytrees of them can be traced: close over other values, or "
            "bind them with functools.partial.")


def as_array(x):
    """Like check_arg, and Python scalars become (weakly typed) arrays too."""
    x = check_arg(x)
    if isinstance(x, (bool, int, float, complex)):
        dtype, weak = dtypes.dtype_and_weak(x)
        return ArrayImpl(np.asarray(x, dtype), weak)
    return x


class Store:
    """A value a function leaves behind when it runs (its output treedef); call it to read it."""

    __slots__ = ("val",)

    def __init__(self):
        self.val = None

    def store(self, val):
        self.val = val

    def __bool__(self):
        return self.val is not None

    def __call__(self):
        return self.val


def checked_outputs(out, out_leaves, kind="transformed"):
    """The leaves of a transformed function's output, each of them an array or a number, as JAX
    demands; `kind` names the function in the hint ("vmapped" for vmap's own wording)."""
    for x in out_leaves:
        if not core.valid_jaxtype(x):
            hint = (f"a {kind} function returns arrays (or pytrees of them): return other Python values "
                    "from a plain function around it.")
            if kind == "vmapped":
                raise TypeError(with_hint(f"Output from batched function {x!r} with type {type(x)} is not "
                                          "a valid JAX type", hint))
            raise TypeError(with_hint(f"Argument '{x}' of type {type(x)} is not a valid JAX type", hint))
    return out_leaves


def _leaves(out, check_output):
    out_leaves, out_tree = tree_util.tree_flatten(out)
    return (out_leaves if check_output is None else check_output(out, out_leaves)), out_tree


def flatten_fun(fun, in_tree, check_output=None):
    """`fun(*args, **kwargs)` as a function of the leaves of (args, kwargs), the pytree `in_tree`.

    Returns (flat_fun, out_tree): `out_tree()` is the output treedef once flat_fun has run.
    `check_output(out, out_leaves)`, if given, checks (and may convert) the output leaves."""
    out_tree = Store()

    def flat_fun(*leaves):
        args, kwargs = tree_util.tree_unflatten(in_tree, leaves)
        out_leaves, tree = _leaves(fun(*args, **kwargs), check_output)
        out_tree.store(tree)
        return out_leaves
    return flat_fun, out_tree


def flatten_fun_nokwargs(fun, in_tree, check_output=None):
    """`fun(*args)` as a function of the leaves of args, the tuple pytree `in_tree`; as flatten_fun."""
    out_tree = Store()

    def flat_fun(*leaves):
        out_leaves, tree = _leaves(fun(*tree_util.tree_unflatten(in_tree, leaves)), check_output)
        out_tree.store(tree)
        return out_leaves
    return flat_fun, out_tree


def flatten_fun_nokwargs2(fun, in_tree, split_aux, check_output=None):
    """Like flatten_fun_nokwargs for a function returning (output, aux): flat_fun returns
    (output leaves, aux leaves), and the store holds (output treedef, aux treedef).
    `split_aux(result)` takes the pair apart (and says what is wrong with a result that is none)."""
    out_trees = Store()

    def flat_fun(*leaves):
        out, aux = split_aux(fun(*tree_util.tree_unflatten(in_tree, leaves)))
        aux_leaves, aux_tree = tree_util.tree_flatten(aux)
        out_leaves, out_tree = _leaves(out, check_output)
        out_trees.store((out_tree, aux_tree))
        return out_leaves, aux_leaves
    return flat_fun, out_trees
