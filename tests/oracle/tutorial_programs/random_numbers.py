"""Pseudorandom numbers: explicit keys, split and fold_in, typed keys, samplers, reproducibility."""

PROGRAMS = {
    "prng_key_is_two_uint32": """
        import jax
        key = jax.random.PRNGKey(42)
        print(key)
        print(key.dtype, key.shape)
        key
    """,
    "same_key_same_numbers": """
        import jax
        key = jax.random.PRNGKey(0)
        print(jax.random.normal(key))
        print(jax.random.normal(key))
    """,
    "split_into_subkeys": """
        import jax
        key = jax.random.PRNGKey(0)
        key, subkey = jax.random.split(key)
        print(key, subkey)
        print(jax.random.split(key, 3))
        print(jax.random.uniform(subkey, (3,)))
    """,
    "fold_in_a_step_number": """
        import jax
        base = jax.random.PRNGKey(7)
        for step in range(3):
            print(jax.random.randint(jax.random.fold_in(base, step), (), 0, 100))
    """,
    "sampler_shapes_and_dtypes": """
        import jax
        key = jax.random.PRNGKey(1)
        print(jax.random.normal(key, (2, 2)).dtype)
        print(jax.random.randint(key, (3,), 0, 10).dtype)
        print(jax.random.bernoulli(key, 0.5, (4,)))
        print(jax.random.uniform(key, (2,), minval=-1.0, maxval=1.0))
    """,
    "choice_permutation_shuffle": """
        import jax
        import jax.numpy as jnp
        key = jax.random.PRNGKey(3)
        print(jax.random.permutation(key, 5))
        print(jax.random.choice(key, jnp.arange(10), (3,), replace=False))
    """,
    "more_distributions": """
        import jax
        key = jax.random.PRNGKey(5)
        print(jax.random.truncated_normal(key, -1.0, 1.0, (3,)))
        print(jax.random.exponential(key, (2,)))
        print(jax.random.gumbel(key, (2,)))
        print(jax.random.laplace(key, (2,)))
    """,
    "random_inside_jit_is_the_same": """
        import jax
        key = jax.random.PRNGKey(11)
        print(jax.random.normal(key, (3,)))
        print(jax.jit(lambda k: jax.random.normal(k, (3,)))(key))
    """,
    "numpy_global_state_versus_jax": """
        import numpy as np
        import jax
        np.random.seed(0)
        a = np.random.uniform()
        np.random.seed(0)
        print(a == np.random.uniform())
        key = jax.random.PRNGKey(0)
        print(jax.random.uniform(key) == jax.random.uniform(key))
    """,
    "typed_key_repr": """
        import jax
        key = jax.random.key(0)
        print(key)
        print(key.dtype, key.shape)
        print(repr(jax.random.split(key, 2)))
    """,
    "typed_key_data_and_wrap": """
        import jax
        key = jax.random.key(1)
        data = jax.random.key_data(key)
        print(data)
        print(jax.random.wrap_key_data(data))
        print(jax.random.normal(key) == jax.random.normal(jax.random.PRNGKey(1)))
    """,
    "typeof_a_key": """
        import jax
        print(jax.typeof(jax.random.key(0)))
        print(jax.typeof(jax.numpy.ones(3)))
    """,
    "negative_seed": """
        import jax
        print(jax.random.PRNGKey(-1))
        print(jax.random.PRNGKey(2 ** 31 - 1))
    """,
    "dropout_mask": """
        import jax
        import jax.numpy as jnp
        key = jax.random.PRNGKey(2)
        x = jnp.ones(6)
        keep = jax.random.bernoulli(key, 0.5, x.shape)
        print(jnp.where(keep, x / 0.5, 0.0))
    """,
    "random_float64_without_x64": """
        import jax
        import jax.numpy as jnp
        print(jax.random.normal(jax.random.PRNGKey(0), (2,), dtype=jnp.float64).dtype)
    """,
}

DIFFERS = {
}
