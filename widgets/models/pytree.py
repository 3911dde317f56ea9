"""Model of the pytree view: the tree of containers and leaves, the order flatten puts the leaves in, the
PyTreeDef text, and tree_map applied to the tree.

All of it comes from the library's own tree_util (jaxlite's by default), so registered classes show up as that
library sees them.
"""
from dataclasses import dataclass

import numpy as np

from widgets import backends

# The functions a class can map over the leaves: name shown -> function.
MAP_FUNCTIONS = {
    "lambda leaf: leaf * 2": lambda leaf: leaf * 2,
    "jnp.shape": np.shape,
    "jnp.ndim": np.ndim,
    "lambda leaf: type(leaf).__name__": lambda leaf: type(leaf).__name__,
}


@dataclass(frozen=True)
class Node:
    """A node of the drawn tree: a container (with children) or a leaf (with its flatten position)."""
    label: str
    key: str  # how the parent reaches it: ['a'], [0], .field
    children: tuple = ()
    leaf_index: int | None = None

    @property
    def is_leaf(self) -> bool:
        return self.leaf_index is not None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class PytreeModel:
    root: Node
    leaves: tuple
    paths: tuple  # keystr of each leaf, in flatten order
    treedef_text: str
    map_name: str
    mapped_text: str
    mapped_leaves: tuple = ()  # tree_map's result leaf by leaf, described as the diagram writes it


def describe_leaf(leaf) -> str:
    """f32[3] for an array (as a jaxpr writes types), the value for a Python scalar, the type for anything else."""
    if hasattr(leaf, "shape") and hasattr(leaf, "dtype"):
        dtype = np.dtype(leaf.dtype)
        short = {"f": "f", "i": "i", "u": "u", "b": "bool", "c": "c"}.get(dtype.kind, dtype.name)
        name = short if short == "bool" else f"{short}{dtype.itemsize * 8}"
        return f"{name}[{','.join(str(d) for d in leaf.shape)}]"
    if isinstance(leaf, (bool, int, float, complex)):
        return f"{type(leaf).__name__} {leaf!r}"
    return type(leaf).__name__


def _container_label(node) -> str:
    return "None" if node is None else type(node).__name__


def _build(node, key, tree_util, counter) -> Node:
    treedef = tree_util.tree_structure(node)
    if treedef.num_nodes == 1 and treedef.num_leaves == 1:  # None and [] are nodes with no leaves
        index = counter[0]
        counter[0] += 1
        return Node(describe_leaf(node), key, leaf_index=index)
    # One level down: every child counts as a leaf, so flatten_with_path names exactly the root's children.
    pairs, _ = tree_util.tree_flatten_with_path(node, is_leaf=lambda child: child is not node)
    children = tuple(_build(child, tree_util.keystr(path), tree_util, counter) for path, child in pairs)
    return Node(_container_label(node), key, children)


def build(tree, map_name: str = "lambda leaf: leaf * 2", backend: str = "jaxlite") -> PytreeModel:
    tree_util = backends.library(backend).api.tree_util
    root = _build(tree, "", tree_util, [0])
    pairs, treedef = tree_util.tree_flatten_with_path(tree)
    leaves = tuple(leaf for _, leaf in pairs)
    paths = tuple(tree_util.keystr(path) for path, _ in pairs)
    if map_name not in MAP_FUNCTIONS:
        raise ValueError(f"unknown function {map_name!r}: choose one of {', '.join(MAP_FUNCTIONS)}")
    function = MAP_FUNCTIONS[map_name]
    try:
        mapped_text = _short_repr(tree_util.tree_map(function, tree))
    except Exception as error:  # the lesson includes functions that do not apply to every leaf
        mapped_text = f"{type(error).__name__}: {error}"
    mapped = tuple(_mapped_leaf(function, leaf) for leaf in leaves)
    return PytreeModel(root, leaves, paths, str(treedef), map_name, mapped_text, mapped)


def _mapped_leaf(function, leaf) -> str:
    """What tree_map puts in this leaf's place, as the diagram writes it (an error's class if it fails)."""
    try:
        value = function(leaf)
    except Exception as error:  # shown in the diagram, like the failing tree_map in the text
        return type(error).__name__
    if hasattr(value, "shape") and hasattr(value, "dtype") and np.ndim(value) > 0:
        first = np.asarray(value).reshape(-1)[:1]
        return describe_leaf(value) + (f": {first[0]:.3g}, \u2026" if first.size else "")
    text = repr(value.item() if hasattr(value, "item") else value)
    return text if len(text) <= 12 else text[:11] + "\u2026"


def _short_repr(value) -> str:
    with np.printoptions(precision=3, threshold=8, edgeitems=2):
        return repr(value)
