"""Key concepts: jax.Array, dtypes and weak types, immutability, NumPy interop."""

PROGRAMS = {
    "array_print_and_repr": """
        import jax.numpy as jnp
        x = jnp.arange(5.0)
        print(x)
        x
    """,
    "array_type_and_attributes": """
        import jax
        import jax.numpy as jnp
        x = jnp.ones((2, 3))
        print(isinstance(x, jax.Array))
        print(x.shape, x.dtype, x.ndim, x.size)
    """,
    "numpy_and_jnp_side_by_side": """
        import numpy as np
        import jax.numpy as jnp
        x_np = np.linspace(0, 1, 5)
        x_jnp = jnp.linspace(0, 1, 5)
        print(x_np.dtype, x_jnp.dtype)
        print(np.allclose(x_np, x_jnp))
        print(type(np.asarray(x_jnp)).__name__)
    """,
    "default_dtypes": """
        import jax.numpy as jnp
        print(jnp.array(1).dtype, jnp.array(1.0).dtype, jnp.array(True).dtype)
        print(jnp.array([1, 2]).dtype, jnp.array([1.0, 2]).dtype)
        print(jnp.zeros(3).dtype, jnp.arange(3).dtype, jnp.arange(3.0).dtype)
    """,
    "weak_types_with_python_scalars": """
        import jax.numpy as jnp
        x = jnp.arange(3, dtype=jnp.float16)
        print((x * 2.0).dtype)
        print((jnp.arange(3) * 2.5).dtype)
        jnp.asarray(2.0)
    """,
    "weak_type_reprs": """
        import jax.numpy as jnp
        print(repr(jnp.asarray(3)))
        print(repr(jnp.float32(3)))
        print(repr(jnp.asarray(3.0) + 1))
    """,
    "promotion_between_dtypes": """
        import jax.numpy as jnp
        print(jnp.promote_types(jnp.int8, jnp.uint8), jnp.promote_types(jnp.int32, jnp.float16))
        print(jnp.result_type(jnp.int8, jnp.float32), jnp.result_type(jnp.uint8, 2.0))
        print((jnp.ones(2, dtype=jnp.int8) + jnp.ones(2, dtype=jnp.uint8)).dtype)
    """,
    "immutable_update_with_at": """
        import jax.numpy as jnp
        x = jnp.arange(6.0).reshape(2, 3)
        y = x.at[0, 1].set(10.0)
        print(x)
        print(y)
        print(x.at[:, 2].add(1.0))
    """,
    "at_min_max_and_get": """
        import jax.numpy as jnp
        x = jnp.array([3.0, -1.0, 4.0])
        print(x.at[0].min(1.0), x.at[1].max(0.0), x.at[1].multiply(5.0))
        print(x.at[2].get())
    """,
    "astype_and_casts": """
        import jax.numpy as jnp
        x = jnp.array([1.7, -1.7, 2.5])
        print(x.astype(jnp.int32))
        print(x.astype(jnp.bool_))
    """,
    "reshape_and_transpose": """
        import jax.numpy as jnp
        x = jnp.arange(6).reshape(2, 3)
        print(x.T)
        print(x.reshape(-1))
        print(jnp.expand_dims(x, 0).shape, x[None].shape, x[:, :, None].shape)
    """,
    "broadcasting_rules": """
        import jax.numpy as jnp
        row = jnp.arange(3.0)
        col = jnp.arange(2.0)[:, None]
        print(row + col)
        print(jnp.broadcast_to(row, (2, 3)).shape)
    """,
    "reductions": """
        import jax.numpy as jnp
        x = jnp.arange(6.0).reshape(2, 3)
        print(x.sum(), x.sum(axis=0), x.mean(axis=1))
        print(jnp.max(x, axis=1, keepdims=True))
        print(jnp.argmax(x, axis=0))
    """,
    "sorting_and_cumulative_sums": """
        import jax.numpy as jnp
        x = jnp.array([3, 1, 2])
        print(jnp.sort(x), jnp.argsort(x))
        print(jnp.cumsum(x))
    """,
    "elementwise_functions": """
        import jax.numpy as jnp
        x = jnp.array([-1.0, 0.5, 2.0])
        print(jnp.sin(x))
        print(jnp.exp(x))
        print(jnp.tanh(x))
        print(jnp.abs(x))
    """,
    "matrix_products": """
        import jax.numpy as jnp
        a = jnp.arange(6.0).reshape(2, 3)
        b = jnp.arange(3.0)
        print(a @ b)
        print(jnp.dot(a, a.T))
        print(jnp.einsum('ij,j->i', a, b))
    """,
    "stack_and_concatenate": """
        import jax.numpy as jnp
        a = jnp.zeros(3)
        b = jnp.ones(3)
        print(jnp.stack([a, b]))
        print(jnp.concatenate([a, b]))
    """,
    "array_creation": """
        import jax.numpy as jnp
        print(jnp.eye(3))
        print(jnp.full((2, 2), 7))
        print(jnp.tri(3))
    """,
    "where_and_logical": """
        import jax.numpy as jnp
        x = jnp.array([-2.0, 0.0, 3.0])
        print(jnp.where(x > 0, x, 0.0))
        print(jnp.any(x > 2), jnp.all(x > -3))
    """,
    "numpy_interop_conversions": """
        import numpy as np
        import jax.numpy as jnp
        x = jnp.array([1.0, 2.0])
        print(np.asarray(x) * 2)
        print(float(x[0]), int(x[1]), x.tolist())
        print(jnp.asarray(np.arange(3)).dtype)
        print(x[1].item())
    """,
    "float64_requested_without_x64": """
        import jax.numpy as jnp
        x = jnp.array([1.0, 2.0], dtype=jnp.float64)
        print(x.dtype)
    """,
    "float64_with_x64": """
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
        print(jnp.array(1.0).dtype, jnp.arange(3).dtype)
        print(jnp.array([1.0, 2.0], dtype=jnp.float64) / 3)
    """,
    "integer_division_and_modulo": """
        import jax.numpy as jnp
        a = jnp.array([7, -7, 7])
        b = jnp.array([2, 2, -2])
        print(a // b, a % b)
        print(a / b)
    """,
}

DIFFERS = {
}
