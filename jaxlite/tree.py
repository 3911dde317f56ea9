"""`jax.tree`: the short names for working with pytrees (`jax.tree.map`, `jax.tree.leaves`, ...).

Mirrors jax/tree.py (and jax/_src/tree.py). Each function is its own, with jax.tree's signature,
and calls the tree_util function of the longer name (as in JAX, `jax.tree.map` is not
`jax.tree_util.tree_map`).
"""
import dataclasses as _dataclasses

from jaxlite import tree_util as _tree_util

__all__ = ["all", "broadcast", "flatten", "flatten_with_path", "leaves", "leaves_with_path", "map",
           "map_with_path", "reduce", "reduce_associative", "static", "structure", "transpose",
           "unflatten"]


def all(tree, *, is_leaf=None):
    """Whether every leaf is true."""
    return _tree_util.tree_all(tree, is_leaf=is_leaf)


def broadcast(prefix_tree, full_tree, is_leaf=None):
    """`full_tree`'s structure, each leaf replaced by the leaf of `prefix_tree` above it:
    broadcast(1, [2, (3, 4)]) is [1, (1, 1)]."""
    return _tree_util.tree_broadcast(prefix_tree, full_tree, is_leaf)


def flatten(tree, is_leaf=None):
    """The leaves, left to right, and the treedef that rebuilds the tree from them."""
    return _tree_util.tree_flatten(tree, is_leaf)


def flatten_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    """As flatten, each leaf paired with its key path."""
    return _tree_util.tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)


def leaves(tree, is_leaf=None):
    """The leaves, left to right."""
    return _tree_util.tree_leaves(tree, is_leaf)


def leaves_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    """The (key path, leaf) pairs, left to right."""
    return _tree_util.tree_leaves_with_path(tree, is_leaf, is_leaf_takes_path)


def map(f, tree, *rest, is_leaf=None):
    """f applied to the leaves of `tree` (and the matching leaves of each tree in `rest`)."""
    return _tree_util.tree_map(f, tree, *rest, is_leaf=is_leaf)


def map_with_path(f, tree, *rest, is_leaf=None, is_leaf_takes_path=False):
    """As map, f also receiving each leaf's key path first."""
    return _tree_util.tree_map_with_path(f, tree, *rest, is_leaf=is_leaf, is_leaf_takes_path=is_leaf_takes_path)


_NO_INITIALIZER = object()


def reduce(function, tree, initializer=_NO_INITIALIZER, is_leaf=None):
    """A left fold of `function` over the leaves."""
    if initializer is _NO_INITIALIZER:
        return _tree_util.tree_reduce(function, tree, is_leaf=is_leaf)
    return _tree_util.tree_reduce(function, tree, initializer, is_leaf)


def reduce_associative(operation, tree, *, identity=_NO_INITIALIZER, is_leaf=None):
    """A balanced fold of an associative `operation` over the leaves."""
    if identity is _NO_INITIALIZER:
        return _tree_util.tree_reduce_associative(operation, tree, is_leaf=is_leaf)
    return _tree_util.tree_reduce_associative(operation, tree, identity=identity, is_leaf=is_leaf)


def static(**kwargs):
    """A dataclass field marked static, for `register_dataclass`: it goes into the treedef
    instead of being a leaf. Takes the arguments of `dataclasses.field`."""
    metadata = {"static": True, **(kwargs.pop("metadata", None) or {})}
    return _dataclasses.field(metadata=metadata, **kwargs)


def structure(tree, is_leaf=None):
    """The treedef of `tree`."""
    return _tree_util.tree_structure(tree, is_leaf)


def transpose(outer_treedef, inner_treedef, pytree_to_transpose):
    """An outer tree of inner trees turned into an inner tree of outer trees."""
    return _tree_util.tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose)


def unflatten(treedef, leaves):
    """The tree of `treedef` with `leaves` put back in order."""
    return _tree_util.tree_unflatten(treedef, leaves)
