"""Complex numbers: dtypes, real/imag/conj/abs/angle, comparisons, reductions, grad conventions."""

PROGRAMS = {
    "complex_array_basics": """
        import jax.numpy as jnp
        z = jnp.array([1.0 + 2.0j, -3.0 + 0.5j])
        print(z, z.dtype)
        print(jnp.real(z), jnp.imag(z))
        print(z.real, z.imag)
    """,
    "conjugate_abs_angle": """
        import jax.numpy as jnp
        z = jnp.array([3.0 + 4.0j, -1.0j])
        print(jnp.conj(z), z.conj())
        print(jnp.abs(z), jnp.angle(z))
        print(z * jnp.conj(z))
    """,
    "complex_from_parts": """
        import jax.numpy as jnp
        from jax import lax
        re = jnp.array([1.0, 2.0])
        im = jnp.array([0.5, -0.5])
        print(lax.complex(re, im))
        print(re + 1j * im)
    """,
    "complex_arithmetic_and_functions": """
        import jax.numpy as jnp
        z = jnp.array(1.0 + 1.0j)
        print(z * z, z / (1 - 1j), jnp.exp(z))
    """,
    "complex_reductions": """
        import jax.numpy as jnp
        z = jnp.array([1 + 1j, 2 - 1j, 3 + 0j])
        print(jnp.sum(z), jnp.vdot(z, z))
    """,
    "complex_comparison_and_max": """
        import jax.numpy as jnp
        z = jnp.array([1 + 1j, 2 - 1j])
        print(jnp.max(z))
        print(z > 1)
    """,
    "grad_of_real_valued_complex_function": """
        import jax
        import jax.numpy as jnp
        print(jax.grad(lambda z: jnp.abs(z) ** 2)(3.0 + 4.0j))
    """,
    "complex_under_jit_and_vmap": """
        import jax
        import jax.numpy as jnp
        z = jnp.array([1 + 2j, 3 - 4j])
        print(jax.jit(lambda z: jnp.conj(z) * 2)(z))
        print(jax.vmap(jnp.abs)(z))
        print(jax.jit(lambda z: (z.real, z.imag))(z))
    """,
    "complex_dtype_promotion": """
        import jax.numpy as jnp
        print((jnp.ones(2) + 1j).dtype, jnp.array(1j).dtype)
        print((jnp.ones(2, jnp.complex64) * 2.0).dtype, jnp.zeros(2, jnp.complex64))
    """,
}

DIFFERS = {
}
