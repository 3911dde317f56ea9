"""The sharp bits: pure functions, in-place updates, out-of-bounds indexing, non-array inputs, NaNs,
dtypes, dynamic shapes, iterators and state inside transformations."""

PROGRAMS = {
    "out_of_bounds_gather_clamps": """
        import jax.numpy as jnp
        x = jnp.arange(10.0)
        print(x[11])
        print(jnp.arange(3)[-4])
    """,
    "out_of_bounds_at_get_fill": """
        import jax.numpy as jnp
        x = jnp.arange(5.0)
        print(x.at[10].get(mode="fill", fill_value=-1.0))
        print(x.at[jnp.array([0, 7])].get(mode="fill", fill_value=jnp.nan))
        print(x.at[7].get(mode="clip"))
    """,
    "out_of_bounds_update_is_dropped": """
        import jax.numpy as jnp
        x = jnp.arange(5.0)
        print(x.at[10].set(23.0))
        print(x.at[10].add(1.0, mode="drop"))
        print(x.at[jnp.array([1, 9])].set(-1.0))
    """,
    "out_of_bounds_update_clip_mode": """
        import jax.numpy as jnp
        print(jnp.zeros(3).at[5].set(7.0, mode="clip"))
        print(jnp.zeros(3).at[1].set(7.0, mode="promise_in_bounds"))
    """,
    "dynamic_shape_workaround_with_where": """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def positive_sum(x):
            return jnp.where(x > 0, x, 0.0).sum()

        print(positive_sum(jnp.array([-1.0, 2.0, 3.0])))
    """,
    "boolean_mask_outside_jit_is_fine": """
        import jax.numpy as jnp
        x = jnp.array([-1.0, 2.0, 3.0])
        print(x[x > 0])
    """,
    "nonzero_with_size_under_jit": """
        import jax
        import jax.numpy as jnp
        f = jax.jit(lambda x: jnp.nonzero(x > 0, size=3, fill_value=-1))
        print(f(jnp.array([-1.0, 2.0, 3.0, -4.0])))
        print(jax.jit(lambda x: jnp.where(x > 0, size=2))(jnp.array([1.0, -1.0, 1.0])))
    """,
    "nan_from_division_by_zero": """
        import jax.numpy as jnp
        print(jnp.array(0.0) / 0.0, jnp.log(0.0), jnp.sqrt(-1.0))
    """,
    "debug_nans_flag": """
        import jax
        import jax.numpy as jnp
        jax.config.update("jax_debug_nans", True)
        jnp.log(-1.0)
    """,
    "integer_overflow_wraps": """
        import jax.numpy as jnp
        x = jnp.array(2 ** 31 - 1, dtype=jnp.int32)
        print(x + 1)
        print(jnp.array(250, dtype=jnp.uint8) + jnp.uint8(10))
    """,
    "float64_zeros_truncated": """
        import jax.numpy as jnp
        print(jnp.zeros(2, dtype="float64").dtype)
        print(jnp.arange(3, dtype=jnp.int64).dtype)
        print(jnp.ones(2).astype(jnp.float64).dtype)
    """,
    "int_array_set_to_float_warns": """
        import jax.numpy as jnp
        print(jnp.arange(3).at[0].set(1.5))
    """,
    "weak_type_survives_through_jit": """
        import jax
        import jax.numpy as jnp
        f = jax.jit(lambda x: x + 1)
        print(repr(f(1.0)), repr(f(jnp.float16(1.0))))
    """,
    "copying_a_numpy_array_into_jax": """
        import numpy as np
        import jax.numpy as jnp
        a = np.zeros(3)
        b = jnp.asarray(a)
        a[0] = 5.0
        print(b)
    """,
}

DIFFERS = {
}
