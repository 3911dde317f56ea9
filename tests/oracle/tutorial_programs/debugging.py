"""Debugging: jax.debug.print and jax.debug.callback under jit, vmap and grad, pure_callback,
printing tracers, debug_nans, explaining cache misses."""

PROGRAMS = {
    "debug_print_inside_jit": """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def f(x):
            jax.debug.print("x = {x}", x=x)
            y = jnp.sin(x)
            jax.debug.print("y = {}", y)
            return y

        print(f(jnp.arange(3.0)))
    """,
    "debug_print_called_each_time": """
        import jax

        @jax.jit
        def f(x):
            jax.debug.print("called with {}", x)
            return x + 1

        f(1.0)
        f(2.0)
        print("done")
    """,
    "debug_print_eagerly": """
        import jax
        import jax.numpy as jnp
        jax.debug.print("value {a} and {b}", a=jnp.array([1, 2]), b=3.5)
    """,
    "debug_print_under_vmap_ordered": """
        import jax
        import jax.numpy as jnp

        def f(x):
            jax.debug.print("elem {}", x)
            return x ** 2

        print(jax.vmap(f)(jnp.arange(3)))
    """,
    "debug_print_in_loop": """
        import jax
        from jax import lax

        def body(i, c):
            jax.debug.print("i={} c={}", i, c)
            return c + i

        print(jax.jit(lambda n: lax.fori_loop(0, n, body, 0))(3))
    """,
    "debug_print_under_grad": """
        import jax
        import jax.numpy as jnp

        def f(x):
            jax.debug.print("forward x={}", x)
            return jnp.sin(x)

        print(jax.grad(f)(1.0))
    """,
    "debug_print_formatting": """
        import jax
        import jax.numpy as jnp
        jax.jit(lambda x: jax.debug.print("{:.2f} / {}", x, x > 1))(jnp.float32(1.23456))
        print("ok")
    """,
    "debug_callback_receives_arrays": """
        import jax
        import jax.numpy as jnp
        import numpy as np
        seen = []

        def record(x):
            seen.append((type(x).__name__, x.tolist()))

        @jax.jit
        def f(x):
            jax.debug.callback(record, x * 2)
            return x

        f(jnp.arange(3.0))
        jax.effects_barrier()
        print(seen)
    """,
    "pure_callback_with_result_shape": """
        import jax
        import jax.numpy as jnp
        import numpy as np

        def host_sin(x):
            return np.sin(x).astype(x.dtype)

        @jax.jit
        def f(x):
            shape = jax.ShapeDtypeStruct(x.shape, x.dtype)
            return jax.pure_callback(host_sin, shape, x) * 2

        print(f(jnp.arange(3.0)))
        g = lambda x: jax.pure_callback(host_sin, jax.ShapeDtypeStruct((), x.dtype), x, vmap_method="sequential")
        print(jax.vmap(g)(jnp.arange(3.0)))
    """,
    "debug_nans_points_at_nan": """
        import jax
        import jax.numpy as jnp
        jax.config.update("jax_debug_nans", True)
        jax.jit(lambda x: jnp.log(x) * 0)(-1.0)
    """,
    "debug_nans_off_returns_nan": """
        import jax
        import jax.numpy as jnp
        print(jax.jit(lambda x: jnp.log(x) * 0)(-1.0))
    """,
    "disable_jit_runs_python": """
        import jax

        @jax.jit
        def f(x):
            print("value inside:", x)
            return x * 2

        with jax.disable_jit():
            print(f(3.0))
    """,
    "explain_cache_misses_flag": """
        import jax
        jax.config.update("jax_explain_cache_misses", True)
        print(jax.config.jax_explain_cache_misses)
    """,
}

DIFFERS = {
}
