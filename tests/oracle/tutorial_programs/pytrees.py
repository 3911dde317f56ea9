"""Pytrees: leaves and structures, tree_map, jax.tree, custom nodes, key paths, common pitfalls."""

PROGRAMS = {
    "tree_leaves_of_example_trees": """
        import jax
        import jax.numpy as jnp
        trees = [
            [1, "a", 2.5],
            (1, (2, 3), ()),
            [1, {"k1": 2, "k2": (3, 4)}, 5],
            {"a": 2, "b": (2, 3)},
            jnp.array([1, 2, 3]),
        ]
        for t in trees:
            print(f"{len(jax.tree_util.tree_leaves(t))} leaves: {jax.tree_util.tree_leaves(t)}")
    """,
    "tree_map_over_lists": """
        import jax
        list_of_lists = [[1, 2, 3], [1, 2], [1, 2, 3, 4]]
        print(jax.tree_util.tree_map(lambda x: x * 2, list_of_lists))
        print(jax.tree.map(lambda x, y: x + y, list_of_lists, list_of_lists))
    """,
    "tree_structure_repr": """
        import jax
        tree = {"b": [1, 2, (3, None)], "a": 4}
        print(jax.tree_util.tree_structure(tree))
        leaves, treedef = jax.tree_util.tree_flatten(tree)
        print(leaves)
        print(jax.tree_util.tree_unflatten(treedef, [10, 20, 30, 40]))
        print(treedef.num_leaves, treedef.num_nodes)
    """,
    "jax_tree_module": """
        import jax
        tree = {"x": [1.0, 2.0], "y": (3.0,)}
        print(jax.tree.leaves(tree))
        print(jax.tree.structure(tree))
        leaves, treedef = jax.tree.flatten(tree)
        print(jax.tree.unflatten(treedef, [v * 10 for v in leaves]))
        print(jax.tree.map(lambda v: -v, tree))
    """,
    "jax_tree_reduce_and_all": """
        import jax
        import operator
        tree = [1, (2, 3), {"a": 4}]
        print(jax.tree.reduce(operator.add, tree))
        print(jax.tree.reduce(operator.mul, tree, 1))
        print(jax.tree.all([True, (True, False)]), jax.tree.all([True, {"a": True}]))
    """,
    "jax_tree_transpose": """
        import jax
        pairs = [(1, "a"), (2, "b"), (3, "c")]
        outer = jax.tree.structure([0, 0, 0])
        inner = jax.tree.structure((0, 0))
        print(jax.tree.transpose(outer, inner, pairs))
    """,
    "tree_map_mlp_params_shapes": """
        import jax
        import jax.numpy as jnp

        def init_mlp(sizes):
            return [{"weights": jnp.ones((n_in, n_out)), "biases": jnp.zeros(n_out)}
                    for n_in, n_out in zip(sizes[:-1], sizes[1:])]

        params = init_mlp([1, 4, 2])
        print(jax.tree_util.tree_map(lambda x: x.shape, params))
        print(sum(x.size for x in jax.tree_util.tree_leaves(params)))
    """,
    "none_is_an_empty_subtree": """
        import jax
        print(jax.tree_util.tree_leaves([None, None, 1]))
        print(jax.tree_util.tree_structure([None, 1]))
        print(jax.tree.map(lambda x: x + 1, {"a": None, "b": 2}))
    """,
    "custom_pytree_class": """
        import jax
        import jax.numpy as jnp

        @jax.tree_util.register_pytree_node_class
        class Point:
            def __init__(self, x, y):
                self.x, self.y = x, y

            def __repr__(self):
                return f"Point({self.x}, {self.y})"

            def tree_flatten(self):
                return (self.x, self.y), None

            @classmethod
            def tree_unflatten(cls, aux, children):
                return cls(*children)

        p = Point(1.0, 2.0)
        print(jax.tree_util.tree_leaves(p))
        print(jax.tree_util.tree_map(lambda v: v * 10, p))
        print(jax.jit(lambda p: Point(p.y, p.x))(p))
        print(jax.grad(lambda p: p.x * p.y)(p))
    """,
    "register_pytree_node_with_functions": """
        import jax

        class Box:
            def __init__(self, value, label):
                self.value, self.label = value, label

        jax.tree_util.register_pytree_node(
            Box,
            lambda b: ((b.value,), b.label),
            lambda label, children: Box(children[0], label),
        )
        b = jax.tree_util.tree_map(lambda v: v + 1, Box(1.0, "weights"))
        print(b.value, b.label)
        print(jax.tree_util.tree_structure(Box(0, "w")))
    """,
    "namedtuple_is_a_pytree": """
        import collections
        import jax
        import jax.numpy as jnp
        Params = collections.namedtuple("Params", ["w", "b"])
        p = Params(jnp.ones(2), 0.5)
        print(jax.tree_util.tree_map(lambda v: v * 2, p))
        print(jax.tree_util.tree_structure(p))
    """,
    "tree_flatten_with_path": """
        import jax
        tree = {"layer": [1.0, {"w": 2.0}], "bias": 3.0}
        for path, leaf in jax.tree_util.tree_flatten_with_path(tree)[0]:
            print(jax.tree_util.keystr(path), leaf)
    """,
    "tree_map_with_path": """
        import jax
        tree = {"a": 1, "b": (2, 3)}
        print(jax.tree_util.tree_map_with_path(lambda path, x: f"{jax.tree_util.keystr(path)}={x}", tree))
    """,
    "tree_leaves_is_leaf": """
        import jax
        tree = [(1, 2), (3, 4)]
        print(jax.tree_util.tree_leaves(tree, is_leaf=lambda x: isinstance(x, tuple)))
        print(jax.tree_util.tree_map(lambda t: sum(t), tree, is_leaf=lambda x: isinstance(x, tuple)))
    """,
    "transpose_list_of_dicts_with_tree_map": """
        import jax
        records = [{"x": 1, "y": 2}, {"x": 3, "y": 4}]
        print(jax.tree.map(lambda *xs: list(xs), *records))
    """,
    "dict_keys_are_sorted": """
        import jax
        print(jax.tree_util.tree_leaves({"b": 1, "a": 2, "c": 3}))
        print(jax.tree_util.tree_structure({"b": 1, "a": 2}))
    """,
    "flatten_returns_list_not_tuple": """
        import jax

        class Pair:
            def __init__(self, a, b):
                self.a, self.b = a, b

        jax.tree_util.register_pytree_node(Pair, lambda p: ([p.a, p.b], None), lambda _, c: Pair(*c))
        print(jax.tree_util.tree_leaves(Pair(1, 2)))
        print(jax.tree_util.tree_map(lambda v: v * 3, Pair(1, 2)).b)
    """,
    "tree_util_all_leaves_are_arrays_after_jit": """
        import jax
        out = jax.jit(lambda t: t)({"a": 1, "b": [2.0, True]})
        print(jax.tree.map(lambda v: (v.dtype, v.shape), out))
    """,
}

DIFFERS = {
}
