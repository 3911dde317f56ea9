"""Indexing: basic and advanced indexing, the .at[] updates with repeated indices, take and
take_along_axis, gathers and scatters under jit and grad."""

PROGRAMS = {
    "basic_slicing": """
        import jax.numpy as jnp
        x = jnp.arange(12).reshape(3, 4)
        print(x[1], x[:, 2])
        print(x[1:, ::2])
    """,
    "integer_array_indexing": """
        import jax.numpy as jnp
        x = jnp.arange(6.0).reshape(2, 3)
        print(x[jnp.array([1, 0])])
        print(x[:, jnp.array([2, 0])])
    """,
    "scatter_add_repeated_indices": """
        import jax.numpy as jnp
        idx = jnp.array([0, 1, 1])
        print(jnp.zeros(3).at[idx].add(1.0))
    """,
    "segment_sum_by_scatter": """
        import jax
        import jax.numpy as jnp
        data = jnp.arange(5.0)
        segments = jnp.array([0, 0, 1, 2, 2])
        sums = jax.jit(lambda d, s: (jax.ops.segment_sum(d, s, num_segments=3), jnp.zeros(3).at[s].add(d)))
        print(sums(data, segments))
    """,
    "take_and_take_along_axis": """
        import jax.numpy as jnp
        x = jnp.array([[10, 30, 20], [60, 40, 50]])
        print(jnp.take(x, jnp.array([2, 0]), axis=1))
        print(jnp.take_along_axis(x, jnp.argsort(x, axis=1), axis=1))
    """,
    "gather_under_jit_and_grad": """
        import jax
        import jax.numpy as jnp
        idx = jnp.array([2, 0, 2])
        f = lambda x: jnp.sum(x[idx] * jnp.arange(3.0))
        print(jax.jit(f)(jnp.arange(3.0)))
        print(jax.jit(jax.grad(f))(jnp.arange(3.0)))
    """,
    "scatter_under_jit": """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def update(x, i, v):
            return x.at[i].set(v)

        print(update(jnp.zeros(3), 1, 5.0))
        print(update(jnp.zeros(3), jnp.array(2), 7.0))
    """,
    "dynamic_slice_and_update": """
        import jax
        import jax.numpy as jnp
        from jax import lax
        x = jnp.arange(6.0)
        print(lax.dynamic_slice(x, (2,), (3,)))
        print(lax.dynamic_update_slice(x, jnp.array([-1.0, -2.0]), (4,)))
        print(jax.jit(lambda x, i: lax.dynamic_slice_in_dim(x, i, 2))(x, 5))
    """,
    "traced_index_inside_jit": """
        import jax
        import jax.numpy as jnp
        print(jax.jit(lambda x, i: x[i])(jnp.arange(3.0), 1))
        print(jax.jit(lambda x, i: x[i:i + 2])(jnp.arange(3.0), 1))
    """,
    "vmap_of_indexing": """
        import jax
        import jax.numpy as jnp
        table = jnp.arange(12.0).reshape(4, 3)
        print(jax.jit(jax.vmap(lambda i: table[i]))(jnp.array([3, 0])))
    """,
    "at_update_with_slices_and_masks": """
        import jax
        import jax.numpy as jnp
        x = jnp.zeros((2, 3))
        f = lambda x: (x.at[:, 1:].set(1.0), x.at[0, ::2].add(jnp.array([1.0, 2.0])))
        print(jax.jit(f)(x))
        print(jnp.arange(3.0).at[jnp.array([True, False, True])].set(9.0))
    """,
    "out_of_bounds_negative_index_in_gather": """
        import jax
        import jax.numpy as jnp
        x = jnp.arange(4.0)
        print(jax.jit(lambda x, i: x[i])(x, -1))
        print(jax.jit(lambda x, i: x[i])(x, 10))
        print(jax.jit(lambda x, i: x.at[i].get(mode="fill", fill_value=0.0))(x, 10))
    """,
}

DIFFERS = {
}
