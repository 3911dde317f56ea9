"""jaxlite.tree_util against jax.tree_util: leaves, structures, reprs, key paths and error texts must agree."""

import collections
import dataclasses
import functools

import jax.tree_util as jtu
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite.tree_util as ltu

# ---------------------------------------------------------------------------------------------------------------
# Node types registered with both libraries (each registry is independent, so the same class can be in both).

P = collections.namedtuple("P", ["a", "b"])
Q = collections.namedtuple("Q", ["a", "b"])


class Point:
    """The seed article's example: three children, no aux data."""

    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def __eq__(self, other):
        return type(other) is Point and (self.x, self.y, self.z) == (other.x, other.y, other.z)

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r}, {self.z!r})"

    def tree_flatten(self):
        return (self.x, self.y, self.z), None

    @classmethod
    def tree_unflatten(cls, aux_data, children):
        return cls(*children)


class Box:
    """Children in a list, and a tag kept as aux data."""

    def __init__(self, items, tag):
        self.items, self.tag = items, tag

    def __eq__(self, other):
        return type(other) is Box and (self.items, self.tag) == (other.items, other.tag)

    def __repr__(self):
        return f"Box({self.items!r}, {self.tag!r})"


@dataclasses.dataclass
class Params:
    w: object
    b: object
    name: str = dataclasses.field(default="p", metadata=dict(static=True))


@dataclasses.dataclass
class Tagged:
    value: object
    tag: str


class Static:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return type(other) is Static and self.v == other.v

    def __hash__(self):
        return hash(self.v)

    def __repr__(self):
        return f"Static({self.v!r})"


class Pair:
    """Registered with keys: its children are named .first and .second."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def __repr__(self):
        return f"Pair({self.first!r}, {self.second!r})"


def _pair_with_keys(tu, p):
    return ((tu.GetAttrKey("first"), p.first), (tu.GetAttrKey("second"), p.second)), "pair"


for _tu in (jtu, ltu):
    assert _tu.register_pytree_node_class(Point) is Point
    _tu.register_pytree_node(Box, lambda b: (b.items, b.tag), lambda tag, items: Box(list(items), tag))
    _tu.register_dataclass(Params)
    _tu.register_dataclass(Tagged, data_fields=["value"], meta_fields=["tag"])
    _tu.register_static(Static)
    _tu.register_pytree_with_keys(Pair, functools.partial(_pair_with_keys, _tu), lambda aux, ch: Pair(*ch))


def outcome(fn, *args, **kwargs):
    """What a call gives: ("ok", repr of the value) or (exception class name, message)."""
    try:
        return "ok", repr(fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - the exception is the value under test
        return type(e).__name__, str(e)


def without_hint(outcome_):
    """jaxlite's outcome with the one-line hint its error messages end with taken off (JAX has none)."""
    kind, text = outcome_
    if kind == "ok":
        return outcome_
    message, sep, hint = text.rpartition("\nHint: ")
    assert sep and "\n" not in hint, f"the message does not end with a one-line hint: {text!r}"
    return kind, message


def same_in_both(call):
    """call(tree_util_module) gives the same outcome with jaxlite as with jax; returns jaxlite's."""
    lite, real = without_hint(outcome(call, ltu)), outcome(call, jtu)
    assert lite == real
    return lite


TREES = [
    1, "leaf", None, (), [], {}, (1,), [1, 2],
    {"a": [1, 2, (3, None)], "b": 4},
    {"b": 1, "a": 2, "c": {"z": None, "y": ()}},
    {1: "x", 2: None, 0: [3]},
    [None, [None, (None,)]],
    ((), [[]], {"k": {}}),
    P(1, [2, 3]),
    P(P(1, 2), None),
    collections.OrderedDict([("b", 1), ("a", [2, 3])]),
    collections.defaultdict(list, {"b": 1, "a": [2]}),
    Point(1, [2], None),
    [Point(1, 2, 3), {"p": Point((4,), 5, 6)}],
    Box([1, (2, 3)], "tag"),
    Box([], ("t", 1)),
    Params([1.0, 2.0], 3.0, "dense"),
    Tagged({"v": 1}, "t"),
    [Static(3), 1, {"s": Static("x")}],
    Pair(1, [2, 3]),
]
TREE_IDS = [type(t).__name__ + str(i) for i, t in enumerate(TREES)]


# ---------------------------------------------------------------------------------------------------------------
# Flattening, structure and repr.


def test_flatten_of_nested_containers_gives_leaves_in_order_and_jax_repr():
    leaves, treedef = ltu.tree_flatten({"b": 4, "a": [1, 2, (3, None)]})
    assert leaves == [1, 2, 3, 4]
    assert repr(treedef) == "PyTreeDef({'a': [*, *, (*, None)], 'b': *})"


def test_leaf_and_none_structures_print_like_jax():
    assert repr(ltu.tree_structure(5)) == "PyTreeDef(*)"
    assert repr(ltu.tree_structure(None)) == "PyTreeDef(None)"
    assert ltu.tree_leaves(None) == []


def test_point_class_registered_with_decorator_prints_as_custom_node():
    @ltu.register_pytree_node_class
    class Point3:
        def __init__(self, x, y, z):
            self.x, self.y, self.z = x, y, z

        def tree_flatten(self):
            return (self.x, self.y, self.z), None

        @classmethod
        def tree_unflatten(cls, aux_data, children):
            return cls(*children)

    leaves, treedef = ltu.tree_flatten(Point3(1.0, 2.0, 3.0))
    assert leaves == [1.0, 2.0, 3.0]
    assert repr(treedef) == "PyTreeDef(CustomNode(Point3[None], [*, *, *]))"
    rebuilt = ltu.tree_unflatten(treedef, [4, 5, 6])
    assert (type(rebuilt), rebuilt.x, rebuilt.y, rebuilt.z) == (Point3, 4, 5, 6)


@pytest.mark.parametrize("tree", TREES, ids=TREE_IDS)
def test_leaves_match_jax(tree):
    assert ltu.tree_leaves(tree) == jtu.tree_leaves(tree)


@pytest.mark.parametrize("tree", TREES, ids=TREE_IDS)
def test_structure_repr_and_counts_match_jax(tree):
    mine, theirs = ltu.tree_structure(tree), jtu.tree_structure(tree)
    assert (repr(mine), mine.num_leaves, mine.num_nodes) == (repr(theirs), theirs.num_leaves, theirs.num_nodes)


@pytest.mark.parametrize("tree", TREES, ids=TREE_IDS)
def test_unflatten_rebuilds_what_jax_rebuilds(tree):
    leaves, treedef = ltu.tree_flatten(tree)
    rebuilt = ltu.tree_unflatten(treedef, leaves)
    assert repr(rebuilt) == repr(jtu.tree_unflatten(jtu.tree_structure(tree), leaves))
    assert type(rebuilt) is type(tree)


def test_unflatten_rebuilds_dicts_with_sorted_keys():
    rebuilt = ltu.tree_unflatten(ltu.tree_structure({"b": 1, "a": 2}), [10, 20])
    assert list(rebuilt.items()) == [("a", 10), ("b", 20)]


def test_ordered_dict_keeps_insertion_order():
    tree = collections.OrderedDict([("b", 1), ("a", 2)])
    leaves, treedef = ltu.tree_flatten(tree)
    assert leaves == [1, 2]
    assert repr(treedef) == "PyTreeDef(CustomNode(OrderedDict[('b', 'a')], [*, *]))"
    assert list(ltu.tree_unflatten(treedef, [3, 4]).items()) == [("b", 3), ("a", 4)]


def test_defaultdict_keeps_its_default_factory():
    rebuilt = ltu.tree_map(lambda x: x * 2, collections.defaultdict(list, {"b": 1, "a": 2}))
    assert rebuilt.default_factory is list
    assert dict(rebuilt) == {"a": 4, "b": 2}


def test_namedtuple_prints_as_namedtuple_custom_node():
    assert repr(ltu.tree_structure(P(1, None))) == "PyTreeDef(CustomNode(namedtuple[P], [*, None]))"


def test_custom_node_prints_aux_data_with_str():
    assert repr(ltu.tree_structure(Box([1], "hi"))) == "PyTreeDef(CustomNode(Box[hi], [*]))"
    assert same_in_both(lambda tu: tu.tree_structure(Box([1], "hi"))) == ("ok", "PyTreeDef(CustomNode(Box[hi], [*]))")


def test_unsortable_dict_keys_raise_value_error_like_jax():
    kind, message = same_in_both(lambda tu: tu.tree_flatten({1: 1, "a": 2}))
    assert (kind, message) == ("ValueError", "Comparator raised exception while sorting pytree dictionary keys.")


def test_is_leaf_stops_the_descent():
    is_pair = lambda x: isinstance(x, list) and len(x) == 2
    leaves, treedef = ltu.tree_flatten([1, [2, 3]], is_leaf=is_pair)
    assert (leaves, repr(treedef)) == ([[1, [2, 3]]], "PyTreeDef(*)")
    assert ltu.tree_leaves({"a": [1, 2], "b": [3]}, is_leaf=is_pair) == [[1, 2], 3]


def test_is_leaf_can_make_none_a_leaf():
    assert ltu.tree_leaves([1, None], is_leaf=lambda x: x is None) == [1, None]
    assert same_in_both(lambda tu: tu.tree_flatten([1, None], is_leaf=lambda x: x is None))[0] == "ok"


# ---------------------------------------------------------------------------------------------------------------
# PyTreeDef: equality, hashing, children, node data.


def test_treedefs_of_same_shape_are_equal_and_hash_equal():
    a, b = ltu.tree_structure({"a": [1, 2]}), ltu.tree_structure({"a": [3, 4]})
    assert a == b and hash(a) == hash(b)
    assert {a: "cached"}[b] == "cached"


@pytest.mark.parametrize("left, right", [
    ({"a": [1, 2]}, {"a": (1, 2)}),
    ({"a": 1}, {"b": 1}),
    (1, None),
    (P(1, 2), (1, 2)),
    (P(1, 2), Q(1, 2)),
    (collections.OrderedDict(a=1), {"a": 1}),
    (Box([1], "x"), Box([2], "x")),
    (Box([1], "x"), Box([1], "y")),
    (Tagged(1, "t"), Tagged(2, "u")),
    ([Static(1)], [Static(1)]),
    ([Static(1)], [Static(2)]),
])
def test_treedef_equality_matches_jax(left, right):
    mine = ltu.tree_structure(left) == ltu.tree_structure(right)
    assert mine == (jtu.tree_structure(left) == jtu.tree_structure(right))


def test_treedef_equality_compares_aux_data_with_eq():
    assert ltu.tree_structure(Box([1], ["unhashable"])) == ltu.tree_structure(Box([2], ["unhashable"]))
    assert ltu.tree_structure(Box([1], "a")) != ltu.tree_structure(Box([1], "b"))


def test_treedef_with_unhashable_aux_data_is_hashable():
    treedef = ltu.tree_structure(Box([1], ["l"]))
    assert hash(treedef) == hash(ltu.tree_structure(Box([2], ["l"])))


def test_treedef_is_not_equal_to_other_objects():
    assert ltu.tree_structure([1]) != [1]


@pytest.mark.parametrize("tree", TREES, ids=TREE_IDS)
def test_children_and_node_data_match_jax(tree):
    mine, theirs = ltu.tree_structure(tree), jtu.tree_structure(tree)
    assert [repr(c) for c in mine.children()] == [repr(c) for c in theirs.children()]
    assert repr(mine.node_data()) == repr(theirs.node_data())


def test_treedef_is_leaf_counts_nodes_so_none_is_a_leaf_treedef():
    results = [ltu.treedef_is_leaf(ltu.tree_structure(t)) for t in (1, None, (), [1])]
    assert results == [jtu.treedef_is_leaf(jtu.tree_structure(t)) for t in (1, None, (), [1])]
    assert results == [True, True, True, False]


def test_compose_puts_inner_treedef_at_every_leaf():
    composed = ltu.tree_structure([0, None]).compose(ltu.tree_structure((0, (0,))))
    assert repr(composed) == "PyTreeDef([(*, (*,)), None])"


def test_treedef_tuple_and_treedef_children_match_jax():
    mine = ltu.treedef_tuple([ltu.tree_structure([0, None]), ltu.tree_structure(1)])
    assert repr(mine) == repr(jtu.treedef_tuple([jtu.tree_structure([0, None]), jtu.tree_structure(1)]))
    assert [repr(c) for c in ltu.treedef_children(mine)] == ["PyTreeDef([*, None])", "PyTreeDef(*)"]


# ---------------------------------------------------------------------------------------------------------------
# Unflatten and flatten_up_to errors.


@pytest.mark.parametrize("leaves, message", [
    ([1], "Too few leaves for PyTreeDef; expected 3, got 1"),
    ([1, 2, 3, 4], "Too many leaves for PyTreeDef; expected 3."),
])
def test_unflatten_with_wrong_leaf_count_raises_value_error_like_jax(leaves, message):
    assert same_in_both(lambda tu: tu.tree_unflatten(tu.tree_structure([1, [2, 3]]), leaves)) == ("ValueError", message)


def test_flatten_up_to_returns_subtrees_at_leaves():
    assert ltu.tree_structure([1, 2]).flatten_up_to([(1, 2), {"a": 3}]) == [(1, 2), {"a": 3}]


@pytest.mark.parametrize("prefix, full", [
    ([1, 2], [1, 2, 3]),
    ([1, 2], "ab"),
    ([1, (2, 3)], [1, 2]),
    ([1, (2, 3)], [1, (2, 3, 4)]),
    ({"a": 1, "c": 2}, {"z": 1, "b": 2}),
    ({"a": 1}, collections.OrderedDict(a=1)),
    (P(1, 2), Q(1, 2)),
    (P(1, 2), (1, 2)),
    ((1, 2), P(1, 2)),
    (None, 1),
    (collections.OrderedDict(a=1, b=2), collections.OrderedDict(b=1, a=2)),
    (Box([1, 2], "hi"), Box([1, 2, 3], "hi")),
    (Box([1, 2], "hi"), Box([1, 2], "ho")),
    (Box([1], "hi"), Point(1, 2, 3)),
    (Tagged(1, "q"), Tagged(1, "r")),
    (Tagged(1, "q"), Params(1, 2)),
])
def test_flatten_up_to_mismatch_message_matches_jax(prefix, full):
    kind, message = same_in_both(lambda tu: tu.tree_structure(prefix).flatten_up_to(full))
    assert kind == "ValueError" and message


def test_flatten_up_to_names_the_tuple_arity_mismatch():
    kind, message = without_hint(outcome(ltu.tree_structure([1, (2, 3)]).flatten_up_to, [1, (2, 3, 4)]))
    assert (kind, message) == ("ValueError", "Tuple arity mismatch: 3 != 2; tuple: (2, 3, 4).")


# ---------------------------------------------------------------------------------------------------------------
# tree_map and friends.


def test_tree_map_applies_f_to_matching_leaves_of_several_trees():
    out = ltu.tree_map(lambda a, b, c: a + b * c, {"x": [1, 2]}, {"x": [10, 20]}, {"x": [2, 3]})
    assert out == {"x": [21, 62]}


def test_tree_map_passes_whole_subtrees_where_first_tree_has_leaves():
    out = ltu.tree_map(lambda a, b: (a, b), [1, 2], [[1, 2], (3,)])
    assert out == [(1, [1, 2]), (2, (3,))]


def test_tree_map_keeps_none_as_an_empty_node():
    assert ltu.tree_map(lambda x: x + 1, {"x": None, "y": 1}) == {"x": None, "y": 2}


def test_tree_map_with_is_leaf_maps_whole_lists():
    out = ltu.tree_map(len, {"a": [1, 2], "b": [3]}, is_leaf=lambda x: isinstance(x, list))
    assert out == {"a": 2, "b": 1}


@pytest.mark.parametrize("tree, other", [
    ([1, 2], [1, 2, 3]),
    ([1, 2], (1, 2)),
    ({"a": 1}, {"b": 1}),
    ({"a": 1}, {"a": 1, "b": 2}),
    ({"a": 1, "b": [1]}, {"a": 1, "b": [1, 2]}),
    ([1, [2]], [1, 2]),
    ([1, None], [1, 2]),
    (P(1, 2), (1, 2)),
    (collections.OrderedDict(a=1, b=2), collections.OrderedDict(b=1, a=2)),
    (collections.OrderedDict(a=1, b=2), collections.OrderedDict(a=1)),
    (Box([1], "a"), Box([1, 2], "a")),
    (Box([1], "a"), Box([2], "b")),
    (Tagged(1, "q"), Tagged(1, "r")),
    ([1, (1, 2)], [None, (3,)]),
])
def test_tree_map_structure_error_matches_jax(tree, other):
    kind, message = same_in_both(lambda tu: tu.tree_map(lambda a, b: a, tree, other))
    assert kind == "ValueError" and message.startswith("pytree structure error:")


def test_tree_map_error_names_the_key_path_and_the_lengths():
    kind, message = without_hint(outcome(ltu.tree_map, lambda a, b: a, {"a": 1, "b": [1]}, {"a": 1, "b": [1, 2]}))
    assert kind == "ValueError"
    assert message == (
        "pytree structure error: different lengths of list at key path\n"
        "    tree_map tree['b']\n"
        "At that key path, the prefix pytree tree_map tree has a subtree of type list of length 1, "
        "but the full pytree has a subtree of the same type but of length 2.")


def test_tree_map_error_with_is_leaf_points_at_the_real_mismatch():
    # Deliberately unlike JAX 0.10, which forgets is_leaf below the root and blames ['a'] (a leaf here).
    is_list = lambda x: isinstance(x, list)
    kind, message = outcome(ltu.tree_map, lambda a, b: a, {"a": [1, 2], "b": (1, 2)}, {"a": [1, 2, 3], "b": [1, 2]},
                            is_leaf=is_list)
    assert kind == "ValueError"
    assert message.splitlines()[:2] == ["pytree structure error: different types at key path", "    tree_map tree['b']"]


def test_tree_map_error_reports_the_first_mismatching_tree():
    kind, message = same_in_both(lambda tu: tu.tree_map(lambda *a: a, [1, 2], [1, 2], [1, (1,)], [1, 2, 3]))
    assert "of length 3" in message


def test_tree_reduce_folds_leaves_left_to_right():
    assert ltu.tree_reduce(lambda acc, x: acc + [x], {"b": 2, "a": [1]}, []) == [1, 2]
    assert ltu.tree_reduce(lambda a, b: a * b, [2, (3, 4)]) == 24


def test_tree_reduce_of_empty_tree_without_initializer_raises_type_error():
    kind, message = same_in_both(lambda tu: tu.tree_reduce(lambda a, b: a + b, []))
    assert kind == "TypeError" and "empty" in message


def test_tree_all_is_true_when_every_leaf_is_truthy():
    assert [ltu.tree_all(t) for t in ([1, True, []], [1, 0], [None], {"a": [1, 2]})] == [True, False, True, True]


def test_all_leaves_treats_none_and_empty_containers_as_nodes():
    cases = [([1, 2], None), ([1, None], None), ([()], None), ([[1]], None),
             ([[1]], lambda x: isinstance(x, list)), ([None], lambda x: x is None)]
    mine = [ltu.all_leaves(xs, is_leaf) for xs, is_leaf in cases]
    assert mine == [jtu.all_leaves(xs, is_leaf) for xs, is_leaf in cases]
    assert mine == [True, False, False, False, False, True]


def test_tree_transpose_turns_list_of_tuples_into_tuple_of_lists():
    outer, inner = ltu.tree_structure([0, 0]), ltu.tree_structure((0, 0, 0))
    assert ltu.tree_transpose(outer, inner, [(1, 2, 3), (4, 5, 6)]) == ([1, 4], [2, 5], [3, 6])
    assert ltu.tree_transpose(outer, None, [(1, 2, 3), (4, 5, 6)]) == ([1, 4], [2, 5], [3, 6])


def test_tree_transpose_with_wrong_leaf_count_raises_type_error_like_jax():
    kind, message = same_in_both(lambda tu: tu.tree_transpose(
        tu.tree_structure([0, 0]), tu.tree_structure((0, 0)), [(1, 2, 3), (4, 5, 6)]))
    assert kind == "TypeError" and message.startswith("Mismatch\nPyTreeDef([(*, *, *), (*, *, *)])")


# ---------------------------------------------------------------------------------------------------------------
# Key paths.


def test_keystr_prints_dict_and_sequence_keys_and_attributes():
    paths = [p for p, _ in ltu.tree_leaves_with_path({"a": [1], "b": P(2, 3)})]
    assert [ltu.keystr(p) for p in paths] == ["['a'][0]", "['b'].a", "['b'].b"]


@pytest.mark.parametrize("tree", TREES, ids=TREE_IDS)
def test_key_paths_match_jax(tree):
    mine = [(repr(p), ltu.keystr(p), ltu.keystr(p, simple=True, separator="/"), leaf)
            for p, leaf in ltu.tree_leaves_with_path(tree)]
    theirs = [(repr(p), jtu.keystr(p), jtu.keystr(p, simple=True, separator="/"), leaf)
              for p, leaf in jtu.tree_leaves_with_path(tree)]
    assert mine == theirs


def test_key_entries_print_like_jax():
    for name in ("SequenceKey", "DictKey", "GetAttrKey", "FlattenedIndexKey"):
        arg = "x" if name in ("DictKey", "GetAttrKey") else 2
        mine, theirs = getattr(ltu, name)(arg), getattr(jtu, name)(arg)
        assert (str(mine), repr(mine)) == (str(theirs), repr(theirs))


def test_key_entries_compare_by_class_and_value():
    assert ltu.DictKey("a") == ltu.DictKey("a") and hash(ltu.DictKey("a")) == hash(ltu.DictKey("a"))
    assert ltu.SequenceKey(0) != ltu.FlattenedIndexKey(0)
    assert ltu.DictKey("a") != "a"


def test_flatten_with_path_gives_same_treedef_as_flatten():
    tree = {"a": [1, (2, None)], "b": Point(3, 4, 5)}
    assert ltu.tree_flatten_with_path(tree)[1] == ltu.tree_flatten(tree)[1]


def test_is_leaf_can_take_the_path():
    is_leaf = lambda path, x: len(path) == 1 and isinstance(x, list)
    assert same_in_both(lambda tu: tu.tree_flatten_with_path([1, [2, 3]], is_leaf, is_leaf_takes_path=True)) == \
        ("ok", "([((SequenceKey(idx=0),), 1), ((SequenceKey(idx=1),), [2, 3])], PyTreeDef([*, *]))")


def test_tree_map_with_path_passes_key_path_first():
    out = ltu.tree_map_with_path(lambda p, x, y: (ltu.keystr(p), x + y), {"a": [1, 2]}, {"a": [10, 20]})
    assert out == {"a": [("['a'][0]", 11), ("['a'][1]", 22)]}


def test_tree_map_with_path_error_names_itself():
    kind, message = same_in_both(lambda tu: tu.tree_map_with_path(lambda p, x, y: x, {"a": [1]}, {"a": [1, 2]}))
    assert kind == "ValueError" and "tree_map_with_path tree['a']" in message


def test_custom_node_without_keys_uses_flattened_index_keys():
    paths = [ltu.keystr(p) for p, _ in ltu.tree_leaves_with_path(Point(1, 2, 3))]
    assert paths == ["[<flat index 0>]", "[<flat index 1>]", "[<flat index 2>]"]


# ---------------------------------------------------------------------------------------------------------------
# Registration.


def test_registering_a_type_twice_raises_value_error_like_jax():
    kind, message = same_in_both(lambda tu: tu.register_pytree_node(Box, lambda b: (b.items, b.tag), lambda a, c: c))
    assert (kind, message) == ("ValueError", f"Duplicate custom PyTreeDef type registration for {Box}.")


def test_builtin_node_types_cannot_be_registered_again():
    for nodetype in (tuple, list, dict, type(None)):
        register_again = lambda tu: tu.register_pytree_node(nodetype, lambda x: ((), None), lambda a, c: None)
        kind, message = same_in_both(register_again)
        assert (kind, message) == ("ValueError", f"Duplicate custom PyTreeDef type registration for {nodetype}.")


def test_jaxlite_registry_is_independent_of_jax():
    class OnlyInJax:
        pass

    jtu.register_pytree_node(OnlyInJax, lambda x: ((1, 2), None), lambda aux, ch: OnlyInJax())
    assert ltu.tree_leaves(OnlyInJax()) != jtu.tree_leaves(OnlyInJax())
    assert repr(ltu.tree_structure(OnlyInJax())) == "PyTreeDef(*)"


def test_registered_namedtuple_class_becomes_a_plain_custom_node():
    R = collections.namedtuple("R", ["a", "b"])
    for tu in (ltu, jtu):
        tu.register_pytree_node(R, lambda r: (list(r), None), lambda aux, ch: R(*ch))
    assert same_in_both(lambda tu: tu.tree_structure(R(1, 2))) == ("ok", "PyTreeDef(CustomNode(R[None], [*, *]))")


def test_register_pytree_with_keys_names_children():
    assert [ltu.keystr(p) for p, _ in ltu.tree_leaves_with_path(Pair(1, [2]))] == [".first", ".second[0]"]


def test_register_pytree_with_keys_uses_a_separate_flatten_when_given():
    calls = []

    class Counted(Pair):
        pass

    ltu.register_pytree_with_keys(Counted, functools.partial(_pair_with_keys, ltu), lambda aux, ch: Counted(*ch),
                                  flatten_func=lambda p: (calls.append(p) or (p.first, p.second), "pair"))
    assert ltu.tree_leaves(Counted(1, 2)) == [1, 2] and len(calls) == 1
    assert len(ltu.tree_leaves_with_path(Counted(1, 2))) == 2 and len(calls) == 1


def test_register_pytree_with_keys_class_uses_its_methods():
    @ltu.register_pytree_with_keys_class
    class Special:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def tree_flatten_with_keys(self):
            return ((ltu.GetAttrKey("x"), self.x), (ltu.GetAttrKey("y"), self.y)), None

        @classmethod
        def tree_unflatten(cls, aux_data, children):
            return cls(*children)

    assert [(ltu.keystr(p), v) for p, v in ltu.tree_leaves_with_path(Special(1, 2))] == [(".x", 1), (".y", 2)]
    assert ltu.tree_map(lambda v: v * 10, Special(1, 2)).y == 20


def test_register_dataclass_from_field_metadata_keeps_static_fields_as_aux_data():
    leaves, treedef = ltu.tree_flatten(Params([1, 2], 3, "dense"))
    assert leaves == [1, 2, 3]
    assert repr(treedef) == "PyTreeDef(CustomNode(Params[('dense',)], [[*, *], *]))"
    assert ltu.tree_unflatten(treedef, [7, 8, 9]) == Params([7, 8], 9, "dense")


def test_register_dataclass_paths_are_attribute_keys():
    assert [ltu.keystr(p) for p, _ in ltu.tree_leaves_with_path(Params(1, 2))] == [".w", ".b"]


@pytest.mark.parametrize("data_fields, meta_fields", [(["x"], []), (["x", "m"], ["m"]), (["x", "m", "z"], []),
                                                      (["x"], None)])
def test_register_dataclass_with_bad_fields_raises_like_jax(data_fields, meta_fields):
    @dataclasses.dataclass
    class F:
        x: int
        m: str

    kind, message = same_in_both(lambda tu: tu.register_dataclass(F, data_fields, meta_fields))
    assert kind in ("ValueError", "TypeError") and "fields" in message


def test_register_dataclass_needs_fields_for_a_plain_class():
    class Plain:
        pass

    kind, message = same_in_both(lambda tu: tu.register_dataclass(Plain))
    assert kind == "TypeError" and "not a dataclass" in message


def test_register_static_makes_an_object_part_of_the_structure():
    leaves, treedef = ltu.tree_flatten([Static(1), 2])
    assert leaves == [2]
    assert repr(treedef) == "PyTreeDef([CustomNode(Static[Static(1)], []), *])"
    assert ltu.tree_unflatten(treedef, [5]) == [Static(1), 5]
    assert ltu.tree_structure([Static(1)]) != ltu.tree_structure([Static(2)])


# ---------------------------------------------------------------------------------------------------------------
# Partial.


def _add3(a, b, c=0):
    return a + b + c


def test_partial_bound_arguments_are_leaves_and_function_is_static():
    p = ltu.Partial(_add3, 1, c=3)
    assert p(2) == 6
    assert ltu.tree_leaves(p) == [1, 3]
    assert repr(ltu.tree_structure(p)) == repr(jtu.tree_structure(jtu.Partial(_add3, 1, c=3)))


def test_tree_map_over_partial_gives_a_partial():
    p = ltu.tree_map(lambda x: x * 10, ltu.Partial(_add3, 1, c=3))
    assert type(p) is ltu.Partial and p(2) == 42


def test_partial_of_a_partial_keeps_the_inner_arguments_static():
    nested = ltu.Partial(ltu.Partial(_add3, 1), 2)
    assert nested() == 3
    assert ltu.tree_leaves(nested) == jtu.tree_leaves(jtu.Partial(jtu.Partial(_add3, 1), 2)) == [2]


def test_partials_of_the_same_function_have_equal_structures():
    assert ltu.tree_structure(ltu.Partial(_add3, 1)) == ltu.tree_structure(ltu.Partial(_add3, 2))
    assert ltu.tree_structure(ltu.Partial(_add3, 1)) != ltu.tree_structure(ltu.Partial(max, 2))


# ---------------------------------------------------------------------------------------------------------------
# Generated trees.

KEYS = st.text("abcd", min_size=1, max_size=2)


def _nodes(children):
    return st.one_of(
        st.lists(children, max_size=3).map(tuple),
        st.lists(children, max_size=3),
        st.dictionaries(KEYS, children, max_size=3),
        st.builds(P, children, children),
        st.builds(Point, children, children, children),
        st.builds(Box, st.lists(children, max_size=2), st.sampled_from(["s", "t"])),
        st.dictionaries(KEYS, children, max_size=3).map(collections.OrderedDict),
        st.dictionaries(KEYS, children, max_size=2).map(lambda d: collections.defaultdict(int, d)),
        st.builds(Tagged, children, st.sampled_from(["s", "t"])),
    )


TREE_STRATEGY = st.recursive(st.none() | st.integers(-9, 9) | st.text("xy", max_size=2), _nodes, max_leaves=12)


@settings(max_examples=200)
@given(TREE_STRATEGY)
def test_generated_trees_round_trip_and_match_jax(tree):
    leaves, treedef = ltu.tree_flatten(tree)
    jax_leaves, jax_treedef = jtu.tree_flatten(tree)
    assert leaves == jax_leaves
    assert (repr(treedef), treedef.num_leaves, treedef.num_nodes) == \
        (repr(jax_treedef), jax_treedef.num_leaves, jax_treedef.num_nodes)
    rebuilt = ltu.tree_unflatten(treedef, leaves)
    assert rebuilt == tree
    assert repr(rebuilt) == repr(jtu.tree_unflatten(jax_treedef, leaves))


@settings(max_examples=200)
@given(TREE_STRATEGY)
def test_generated_trees_have_jax_key_paths(tree):
    mine = [(ltu.keystr(p), leaf) for p, leaf in ltu.tree_leaves_with_path(tree)]
    assert mine == [(jtu.keystr(p), leaf) for p, leaf in jtu.tree_leaves_with_path(tree)]


@settings(max_examples=100)
@given(TREE_STRATEGY)
def test_generated_trees_map_to_the_same_structure_as_jax(tree):
    mapped = ltu.tree_map(str, tree)
    assert ltu.tree_structure(mapped) == ltu.tree_structure(tree)
    assert repr(mapped) == repr(jtu.tree_map(str, tree))
    assert ltu.tree_map(lambda a, b: a, tree, mapped) == tree
