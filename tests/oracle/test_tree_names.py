"""The names of jax.tree and jax.tree_util against JAX's, and the tree_util functions JAX has
beyond the common ones (one level of flattening, is_tree_node, broadcasting, key-path types)."""
import inspect
from collections import namedtuple

import jax
import pytest

import jaxlite


def _public(module):
    return {n for n in dir(module) if not n.startswith("_")}


@pytest.mark.parametrize("name", ["tree", "tree_util"])
def test_module_has_exactly_jaxs_public_names(name):
    assert _public(getattr(jaxlite, name)) == _public(getattr(jax, name))


@pytest.mark.parametrize("name", sorted(_public(jax.tree)))
def test_tree_function_is_its_own_with_jaxs_signature(name):
    lite, ref = getattr(jaxlite.tree, name), getattr(jax.tree, name)
    assert lite is not getattr(jaxlite.tree_util, f"tree_{name}", None)
    assert list(inspect.signature(lite).parameters) == list(inspect.signature(ref).parameters)


Point = namedtuple("Point", "x y")
TREES = {"dict": {"b": (2, 3), "a": 1}, "list": [1, (2,)], "tuple": (1, 2), "none": None,
         "namedtuple": Point(1, [2])}


@pytest.mark.parametrize("tree", TREES, ids=list(TREES))
def test_flatten_one_level_matches_jax(tree):
    assert repr(jaxlite.tree_util.flatten_one_level(TREES[tree])) == repr(jax.tree_util.flatten_one_level(TREES[tree]))


# JAX 0.10.2 names every field of a namedtuple by the first one here: jaxlite keeps the right keys.
@pytest.mark.parametrize("tree", [t for t in TREES if t != "namedtuple"])
def test_flatten_one_level_with_keys_matches_jax(tree):
    lite = jaxlite.tree_util.flatten_one_level_with_keys(TREES[tree])
    assert repr(lite) == repr(jax.tree_util.flatten_one_level_with_keys(TREES[tree]))


def test_flatten_one_level_of_a_leaf_raises_jaxs_error():
    with pytest.raises(ValueError) as ref:
        jax.tree_util.flatten_one_level(1)
    with pytest.raises(ValueError) as lite:
        jaxlite.tree_util.flatten_one_level(1)
    assert str(lite.value).splitlines()[0] == str(ref.value).splitlines()[0]


@pytest.mark.parametrize("typ", [int, float, list, tuple, dict, type(None), Point, str])
def test_is_tree_node_matches_jax(typ):
    assert jaxlite.tree_util.is_tree_node(typ) == jax.tree_util.is_tree_node(typ)


def test_is_tree_node_of_a_registered_class():
    class Box:
        pass
    jaxlite.tree_util.register_pytree_node(Box, lambda b: ((), None), lambda _, __: Box())
    assert jaxlite.tree_util.is_tree_node(Box) and jaxlite.tree_util.default_registry.is_node(Box)


def test_tree_broadcast_matches_jax():
    args = ({"a": 1, "b": (2, 3)}, {"a": [4, 5], "b": ({"c": 6}, 7)})
    assert jaxlite.tree_util.tree_broadcast(*args) == jax.tree_util.tree_broadcast(*args)


def test_tree_reduce_associative_matches_jax():
    fn = lambda a, b: (a, b)  # noqa: E731
    tree = [1, 2, 3, 4, 5]
    assert jaxlite.tree_util.tree_reduce_associative(fn, tree) == jax.tree_util.tree_reduce_associative(fn, tree)


def test_key_path_types_match_jax():
    assert repr(jaxlite.tree_util.KeyEntry) == repr(jax.tree_util.KeyEntry)
    assert repr(jaxlite.tree_util.KeyPath) == repr(jax.tree_util.KeyPath)
