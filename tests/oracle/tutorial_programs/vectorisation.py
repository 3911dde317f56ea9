"""Automatic vectorisation: vmap, in_axes and out_axes, batching over pytrees, per-example gradients."""

PROGRAMS = {
    "convolve_by_hand_then_vmap": """
        import jax
        import jax.numpy as jnp
        x = jnp.arange(5.0)
        w = jnp.array([2.0, 3.0, 4.0])

        def convolve(x, w):
            output = []
            for i in range(1, len(x) - 1):
                output.append(jnp.dot(x[i - 1:i + 2], w))
            return jnp.array(output)

        xs = jnp.stack([x, x + 1])
        ws = jnp.stack([w, w])
        print(jax.jit(jax.vmap(convolve))(xs, ws))
        print(jax.jit(jax.vmap(convolve, in_axes=[0, None]))(xs, w))
    """,
    "vmap_matrix_vector": """
        import jax
        import jax.numpy as jnp
        M = jnp.arange(6.0).reshape(2, 3)
        batch = jnp.arange(12.0).reshape(4, 3)
        print(jax.vmap(lambda v: M @ v)(batch))
        print(jax.vmap(jnp.dot, in_axes=(None, 0))(M, batch).shape)
    """,
    "vmap_in_axes_one": """
        import jax
        import jax.numpy as jnp
        x = jnp.arange(6.0).reshape(2, 3)
        print(jax.vmap(jnp.sum, in_axes=1)(x))
        print(jax.vmap(lambda r: r * 2, in_axes=1, out_axes=1)(x))
    """,
    "vmap_over_dict": """
        import jax
        import jax.numpy as jnp
        batch = {"a": jnp.arange(3.0), "b": jnp.ones((3, 2))}
        out = jax.vmap(lambda d: d["a"] * d["b"].sum())(batch)
        print(out)
        print(jax.vmap(lambda d: d, in_axes=({"a": 0, "b": None},))({"a": jnp.arange(2.0), "b": 5.0}))
    """,
    "vmap_returns_tuple": """
        import jax
        import jax.numpy as jnp
        f = lambda x: (x.sum(), x * 2)
        s, d = jax.vmap(f)(jnp.arange(6.0).reshape(3, 2))
        print(s)
        print(d)
    """,
    "nested_vmap_pairwise_distances": """
        import jax
        import jax.numpy as jnp
        pts = jnp.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
        dist = lambda a, b: jnp.sqrt(jnp.sum((a - b) ** 2))
        print(jax.jit(jax.vmap(jax.vmap(dist, (None, 0)), (0, None)))(pts, pts))
    """,
    "per_example_gradients": """
        import jax
        import jax.numpy as jnp
        w = jnp.array([0.5, -0.5])
        xs = jnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        ys = jnp.array([1.0, 0.0, 1.0])
        loss = lambda w, x, y: (jnp.dot(w, x) - y) ** 2
        print(jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0)))(w, xs, ys))
    """,
    "vmap_axis_size_for_no_mapped_inputs": """
        import jax
        import jax.numpy as jnp
        print(jax.vmap(lambda: jnp.ones(2), axis_size=3)())
    """,
    "vmap_with_random_keys": """
        import jax
        keys = jax.random.split(jax.random.PRNGKey(0), 3)
        print(jax.vmap(lambda k: jax.random.normal(k, (2,)))(keys))
    """,
    "vmap_of_where_and_cond": """
        import jax
        import jax.numpy as jnp
        f = lambda x: jax.lax.cond(x > 1.0, lambda v: v * 10, lambda v: -v, x)
        print(jax.vmap(f)(jnp.arange(3.0)))
    """,
    "vmap_make_jaxpr": """
        import jax
        import jax.numpy as jnp
        print(jax.make_jaxpr(jax.vmap(lambda x: jnp.sin(x) * 2.0))(jnp.ones((2, 3))))
    """,
    "vmap_batched_print_under_debug": """
        import jax
        import jax.numpy as jnp

        def f(x):
            jax.debug.print("x = {}", x)
            return x * 2

        print(jax.vmap(f)(jnp.arange(3.0)))
    """,
    "vmap_out_axes_none": """
        import jax
        import jax.numpy as jnp
        print(jax.vmap(lambda x: (x * 2, 7.0), out_axes=(0, None))(jnp.arange(3.0)))
    """,
}

DIFFERS = {
}
