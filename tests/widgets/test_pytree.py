"""show_pytree: containers and leaves as a tree, the flatten order, the PyTreeDef text, tree_map."""
import collections
import dataclasses

import jax
import numpy as np
import pytest
import traitlets

import jaxlite
from widgets import show_pytree
from widgets.models import pytree as model
from widgets.views.pytree import layout

Point = collections.namedtuple("Point", "x y")


def example():
    return {"w": np.ones((3, 2), np.float32), "b": (1.0, None, Point(2, np.zeros(3, np.float32))),
            "layers": [{"k": 3}, []]}  # fmt: skip


def test_leaves_and_treedef_text_match_jax():
    w = show_pytree(example())
    assert w.treedef_text == str(jax.tree_util.tree_structure(example()))
    expected = jax.tree_util.tree_leaves(example())
    assert len(w.leaves) == len(expected) == 5
    for ours, theirs in zip(w.leaves, expected):
        np.testing.assert_array_equal(ours, theirs)


def test_leaf_labels_give_shape_and_dtype():
    m = model.build(example())
    labels = [n.label for n in m.root.walk() if n.is_leaf]
    assert labels == ["float 1.0", "int 2", "f32[3]", "int 3", "f32[3,2]"]
    assert [n.leaf_index for n in m.root.walk() if n.is_leaf] == [0, 1, 2, 3, 4]


def test_containers_none_and_empty_lists_are_nodes_without_leaves():
    m = model.build(example())
    containers = [(n.key, n.label) for n in m.root.walk() if not n.is_leaf]
    assert ("[1]", "None") in containers
    assert ("[1]", "list") in containers
    assert ("['b']", "tuple") in containers and ("[2]", "Point") in containers


def test_paths_are_the_keys_flatten_reports():
    m = model.build(example())
    assert m.paths == tuple(jax.tree_util.keystr(p) for p, _ in jax.tree_util.tree_flatten_with_path(example())[0])


def test_registered_class_is_drawn_as_a_node():
    @dataclasses.dataclass
    class Layer:
        weight: np.ndarray
        bias: np.ndarray

    jaxlite.tree_util.register_dataclass(Layer, data_fields=["weight", "bias"], meta_fields=[])
    m = model.build([Layer(np.ones(2, np.float32), np.zeros(1, np.float32))])
    layer = m.root.children[0]
    assert layer.label == "Layer"
    assert [c.key for c in layer.children] == [".weight", ".bias"]


def test_map_dropdown_applies_tree_map():
    w = show_pytree({"a": np.ones(2, np.float32), "b": 3})
    assert "'b': 6" in w.model.mapped_text
    w.map_dropdown.value = "jnp.shape"
    assert w.map_function == "jnp.shape"
    assert w.model.mapped_text == "{'a': (2,), 'b': ()}"
    assert "tree_map(jnp.shape, tree)" in w.texts.value


def test_map_that_fails_on_a_leaf_is_shown_as_text():
    m = model.build({"s": "text"}, map_name="lambda leaf: leaf * 2")
    assert m.mapped_text == "{'s': 'texttext'}"
    m = model.build({"s": object()}, map_name="lambda leaf: leaf * 2")
    assert m.mapped_text.startswith("TypeError")


def test_layout_puts_leaves_left_to_right_in_flatten_order():
    m = model.build(example())
    positions = layout(m.root)
    leaves = [n for n in m.root.walk() if n.is_leaf]
    xs = [positions[id(n)][0] for n in leaves]
    assert xs == sorted(xs)
    root_x, root_depth = positions[id(m.root)]
    assert root_depth == 0


def test_figure_has_a_box_per_node_and_numbers_per_leaf():
    w = show_pytree(example())
    texts = [t.get_text() for t in w.figure.axes[0].texts]
    assert [t for t in texts if t.startswith("leaf ")] == [f"leaf {i}" for i in range(5)]
    assert "dict" in texts and "Point" in texts


def test_map_function_is_one_of_the_offered_choices():
    w = show_pytree({"a": 1})
    with pytest.raises(traitlets.TraitError):
        w.map_function = "os.system"
    with pytest.raises(ValueError, match="unknown function 'os.system'"):
        model.build({"a": 1}, map_name="os.system")


@pytest.mark.parametrize("tree,count", [(None, 0), ((), 0), (1.5, 1), ([1, [2, [3]]], 3)])
def test_edge_cases_flatten_like_jax(tree, count):
    w = show_pytree(tree)
    assert len(w.leaves) == count == len(jax.tree_util.tree_leaves(tree))
    assert w.treedef_text == str(jax.tree_util.tree_structure(tree))


def test_the_diagram_shows_what_tree_map_makes_of_each_leaf():
    w = show_pytree({"a": np.ones((3, 2), np.float32), "b": 3})
    texts = [t.get_text() for t in w.figure.axes[0].texts if t.get_text().startswith("\u2192")]
    assert texts == ["\u2192 f32[3,2]: 2, \u2026", "\u2192 6"]
    png = w.image_widget.value
    w.map_function = "jnp.shape"
    texts = [t.get_text() for t in w.figure.axes[0].texts if t.get_text().startswith("\u2192")]
    assert texts == ["\u2192 (3, 2)", "\u2192 ()"]
    assert w.image_widget.value != png


def test_a_leaf_the_function_fails_on_shows_the_error_in_the_diagram():
    m = model.build({"s": object()}, map_name="lambda leaf: leaf * 2")
    assert m.mapped_leaves == ("TypeError",)


def test_every_label_of_the_diagram_is_the_themes_size():
    import widgets

    widgets.theme(scale=1.5)
    w = show_pytree(example())
    assert {t.get_fontsize() * 100 / 72 for t in w.figure.axes[0].texts} == {18.0}


def test_tree_map_sits_above_the_diagram_and_the_texts_side_by_side_below():
    w = show_pytree(example())
    assert w.children[:2] == (w.map_dropdown, w.image_widget)
    assert w.children[2].children == (w.leaves_text, w.texts)
    assert "tree_flatten: the leaves in order" in w.leaves_text.value
