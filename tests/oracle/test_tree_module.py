"""`jaxlite.tree` against `jax.tree`: the same names, signatures, results and structure errors."""
import collections
import dataclasses
import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

Point = collections.namedtuple("Point", "x y")
TREE = {"w": [1.0, 2.0], "b": (3.0, None), "p": Point(4.0, 5.0)}


def both(program):
    return program(jaxlite), program(jax)


def outcome(program, lib):
    """The result of `program(lib)`, or the class and first line of the error it raises."""
    try:
        return program(lib)
    except Exception as err:  # noqa: BLE001 - the outcome is compared, whatever it is
        return type(err), str(err).splitlines()[0]


def same_outcome(program):
    ours, theirs = outcome(program, jaxlite), outcome(program, jax)
    assert ours == theirs


def test_the_module_has_every_public_name_of_jax_tree():
    public = lambda m: sorted(n for n in dir(m) if not n.startswith("_") and callable(getattr(m, n)))
    assert public(jaxlite.tree) == public(jax.tree)


@pytest.mark.parametrize("name", sorted(n for n in dir(jax.tree) if not n.startswith("_") and n != "static"))
def test_signatures_match_jax(name):
    ours = inspect.signature(getattr(jaxlite.tree, name)).parameters
    theirs = inspect.signature(getattr(jax.tree, name)).parameters
    assert [(p.name, p.kind) for p in ours.values()] == [(p.name, p.kind) for p in theirs.values()]


def test_map_over_several_trees():
    ours, theirs = both(lambda J: J.tree.map(lambda a, b: a * 10 + b, TREE, TREE))
    assert ours == theirs


def test_map_with_is_leaf_stops_at_tuples():
    program = lambda J: J.tree.map(lambda t: len(t) if isinstance(t, tuple) else t, TREE,
                                   is_leaf=lambda t: isinstance(t, tuple) and not hasattr(t, "_fields"))
    assert program(jaxlite) == program(jax)


def test_leaves_and_structure():
    assert jaxlite.tree.leaves(TREE) == jax.tree.leaves(TREE)
    assert str(jaxlite.tree.structure(TREE)) == str(jax.tree.structure(TREE))


def test_flatten_then_unflatten_round_trips():
    leaves, treedef = jaxlite.tree.flatten(TREE)
    assert leaves == jax.tree.flatten(TREE)[0]
    assert jaxlite.tree.unflatten(treedef, [x + 1 for x in leaves]) == \
        jax.tree.unflatten(jax.tree.structure(TREE), [x + 1 for x in leaves])


def test_reduce_with_and_without_initializer():
    assert jaxlite.tree.reduce(lambda a, b: a + b, TREE) == jax.tree.reduce(lambda a, b: a + b, TREE)
    assert jaxlite.tree.reduce(lambda a, b: a * b, [2, 3], 10) == jax.tree.reduce(lambda a, b: a * b, [2, 3], 10)


def test_reduce_associative_pairs_leaves_as_a_balanced_tree():
    program = lambda J: J.tree.reduce_associative(lambda a, b: (a, b), [1, 2, 3, 4, 5])
    assert program(jaxlite) == program(jax) == ((1, 2), (3, (4, 5)))


def test_reduce_associative_of_no_leaves():
    same_outcome(lambda J: J.tree.reduce_associative(lambda a, b: a + b, []))
    assert jaxlite.tree.reduce_associative(lambda a, b: a + b, [], identity=0) == 0


def test_all_is_true_of_truthy_leaves_only():
    for tree in ([1, 2], [1, 0], [], {"a": True, "b": (1, None)}):
        assert jaxlite.tree.all(tree) == jax.tree.all(tree)


def test_transpose_turns_a_list_of_pairs_into_a_pair_of_lists():
    program = lambda J: J.tree.transpose(J.tree.structure([0, 0, 0]), J.tree.structure((0, 0)),
                                         [(1, 2), (3, 4), (5, 6)])
    assert program(jaxlite) == program(jax)


def test_transpose_of_mismatched_leaves_is_refused():
    same_outcome(lambda J: J.tree.transpose(J.tree.structure([0, 0]), J.tree.structure((0, 0)),
                                            [(1, 2), (3,)]))


def test_flatten_with_path_and_leaves_with_path():
    ours = jaxlite.tree.flatten_with_path(TREE)[0]
    theirs = jax.tree.flatten_with_path(TREE)[0]
    assert [(jaxlite.tree_util.keystr(p), x) for p, x in ours] == \
        [(jax.tree_util.keystr(p), x) for p, x in theirs]
    assert [jaxlite.tree_util.keystr(p) for p, _ in jaxlite.tree.leaves_with_path(TREE)] == \
        [jax.tree_util.keystr(p) for p, _ in jax.tree.leaves_with_path(TREE)]


def test_map_with_path_passes_each_key_path():
    program = lambda J: J.tree.map_with_path(lambda p, x: (J.tree_util.keystr(p), x), TREE)
    assert program(jaxlite) == program(jax)


@pytest.mark.parametrize("prefix,full", [
    (1, [2, (3, 4)]),
    ([1, 2], [(3, 4), {"a": 5}]),
    ({"a": 0, "b": 1}, {"a": [1, 2], "b": (3, None, 4)}),
])
def test_broadcast_repeats_prefix_leaves_over_subtrees(prefix, full):
    assert jaxlite.tree.broadcast(prefix, full) == jax.tree.broadcast(prefix, full)


@pytest.mark.parametrize("prefix,full", [([1, 2], [3]), ((1, 2), [3, 4]), ({"a": 1}, {"b": 2})])
def test_broadcast_of_a_non_prefix_is_refused_as_jax_does(prefix, full):
    same_outcome(lambda J: J.tree.broadcast(prefix, full))


@pytest.mark.parametrize("a,b", [([1, 2], [1, 2, 3]), ({"a": 1}, {"b": 1}), ((1, 2), [1, 2]),
                                 (Point(1, 2), (1, 2)), ([1, None], [1, 2])])
def test_map_of_mismatched_structures_raises_jax_error(a, b):
    same_outcome(lambda J: J.tree.map(lambda x, y: x, a, b))


def test_unflatten_with_too_few_leaves():
    same_outcome(lambda J: J.tree.unflatten(J.tree.structure([0, 0]), [1]))


def test_map_over_arrays_matches_jax_values():
    ours = jaxlite.tree.map(lambda x: lnp.sin(x) * 2, {"a": lnp.arange(3.0), "b": lnp.ones(2)})
    theirs = jax.tree.map(lambda x: jnp.sin(x) * 2, {"a": jnp.arange(3.0), "b": jnp.ones(2)})
    for k in ("a", "b"):
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-6)
        assert ours[k].dtype == theirs[k].dtype


def test_static_fields_go_into_the_treedef():
    def program(J):
        @J.tree_util.register_dataclass
        @dataclasses.dataclass
        class Op:
            x: float
            op: str = J.tree.static(default="add")
        leaves, treedef = J.tree.flatten(Op(1.0))
        return leaves, str(treedef).replace("test_static_fields_go_into_the_treedef.<locals>.", "")
    assert program(jaxlite) == program(jax)
