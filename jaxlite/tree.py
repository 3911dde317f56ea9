"""`jax.tree`: the short names for working with pytrees (`jax.tree.map`, `jax.tree.leaves`, ...).

Mirrors jax/tree.py (and jax/_src/tree.py). Each function is the tree_util function of the longer name,
with the same signature; `broadcast`, `reduce_associative` and `static` are defined here.
"""
import dataclasses

from jaxlite import tree_util
from jaxlite.errors import with_hint
from jaxlite.tree_util import (tree_all as all, tree_flatten as flatten,  # noqa: F401
                               tree_flatten_with_path as flatten_with_path, tree_leaves as leaves,
                               tree_leaves_with_path as leaves_with_path, tree_map as map,
                               tree_map_with_path as map_with_path, tree_reduce as reduce,
                               tree_structure as structure, tree_transpose as transpose,
                               tree_unflatten as unflatten)

__all__ = ["all", "broadcast", "flatten", "flatten_with_path", "leaves", "leaves_with_path", "map",
           "map_with_path", "reduce", "reduce_associative", "static", "structure", "transpose",
           "unflatten"]

_NO_IDENTITY = object()


def broadcast(prefix_tree, full_tree, is_leaf=None):
    """`full_tree`'s structure, each leaf replaced by the leaf of `prefix_tree` above it:
    broadcast(1, [2, (3, 4)]) is [1, (1, 1)]."""
    prefix_leaves, prefix_def = tree_util.tree_flatten(prefix_tree, is_leaf)
    subtrees = tree_util._flatten_up_to(prefix_def, prefix_tree, full_tree, is_leaf,
                                        "broadcast_prefix prefix_tree")
    repeated = [x for x, sub in zip(prefix_leaves, subtrees)
                for _ in range(tree_util.tree_structure(sub).num_leaves)]
    return tree_util.tree_structure(full_tree).unflatten(repeated)


def reduce_associative(operation, tree, *, identity=_NO_IDENTITY, is_leaf=None):
    """Combine the leaves pairwise as a balanced tree, (a + b) + (c + d), which gives the same
    result as a left fold only because `operation` is associative."""
    def combine(xs):
        if not xs:
            if identity is _NO_IDENTITY:
                raise TypeError(with_hint("Must specify identity for parallel reduction of empty sequence.",
                    "pass an initializer for trees that may have no leaves."))
            return identity
        if len(xs) == 1:
            return xs[0]
        half = len(xs) // 2
        return operation(combine(xs[:half]), combine(xs[half:]))
    return combine(tree_util.tree_leaves(tree, is_leaf))


def static(**kwargs):
    """A dataclass field marked static, for `register_dataclass`: it goes into the treedef
    instead of being a leaf. Takes the arguments of `dataclasses.field`."""
    metadata = {"static": True, **(kwargs.pop("metadata", None) or {})}
    return dataclasses.field(metadata=metadata, **kwargs)
