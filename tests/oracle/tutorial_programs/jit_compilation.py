"""Just-in-time compilation: jit, tracing, static arguments, caching, pure functions."""

PROGRAMS = {
    "jit_selu": """
        import jax
        import jax.numpy as jnp

        def selu(x, alpha=1.67, lmbda=1.05):
            return lmbda * jnp.where(x > 0, x, alpha * jnp.exp(x) - alpha)

        selu_jit = jax.jit(selu)
        x = jnp.arange(3.0) - 1.0
        print(selu(x))
        print(selu_jit(x))
    """,
    "tracing_prints_tracer": """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def f(x, y):
            print("Running f():")
            print(f"  x = {x}")
            print(f"  y = {y}")
            return jnp.dot(x + 1, y + 1)

        x = jnp.ones((2, 3))
        y = jnp.ones(3)
        print(f(x, y))
        print(f(x, y))
    """,
    "retrace_on_new_shape": """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def double(x):
            print("tracing with", x.shape, x.dtype)
            return 2 * x

        double(jnp.arange(3.0))
        double(jnp.arange(3.0) + 1)
        double(jnp.arange(4))
        print(double(jnp.arange(2.0)))
    """,
    "static_argnums_allows_python_control_flow": """
        import jax
        from functools import partial

        @partial(jax.jit, static_argnums=1)
        def power(x, n):
            result = 1.0
            for _ in range(n):
                result = result * x
            return result

        print(power(2.0, 3))
        print(power(2.0, 5))
    """,
    "static_argnames": """
        import jax
        import jax.numpy as jnp

        def scale(x, mode):
            return x * 2 if mode == "double" else x / 2

        scale_jit = jax.jit(scale, static_argnames="mode")
        print(scale_jit(jnp.arange(3.0), mode="double"))
        print(scale_jit(jnp.arange(3.0), mode="half"))
    """,
    "shape_is_static_inside_jit": """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def flatten_and_count(x):
            n = x.shape[0] * x.shape[1]
            return x.reshape(n), n

        flat, n = flatten_and_count(jnp.ones((2, 3)))
        print(flat.shape, n)
    """,
    "impure_global_read_at_trace_time": """
        import jax
        import jax.numpy as jnp

        g = 0.0

        def add_global(x):
            return x + g

        f = jax.jit(add_global)
        print(f(4.0))
        g = 10.0
        print(f(4.0))
        print(f(jnp.array([4.0])))
    """,
    "impure_print_runs_once": """
        import jax

        def noisy(x):
            print("side effect!")
            return x * 2

        f = jax.jit(noisy)
        print(f(1.0))
        print(f(2.0))
    """,
    "jit_twice_shares_cache": """
        import jax

        def f(x):
            print("tracing")
            return x + 1

        print(jax.jit(f)(1.0))
        print(jax.jit(f)(2.0))
    """,
    "jit_returns_pytree": """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def stats(x):
            return {"mean": jnp.mean(x), "max": jnp.max(x), "pair": (x[0], x[-1])}

        stats(jnp.arange(3.0))
    """,
    "jit_of_python_scalars_is_weak": """
        import jax
        f = jax.jit(lambda x, y: x * y)
        print(repr(f(2.0, 3.0)))
        print(repr(f(2, 3)))
    """,
    "jit_with_closure_constant": """
        import jax
        import jax.numpy as jnp
        w = jnp.array([1.0, 2.0, 3.0])

        @jax.jit
        def predict(x):
            return jnp.dot(w, x)

        predict(jnp.ones(3))
    """,
    "jit_nested": """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def inner(x):
            return jnp.sin(x) ** 2

        @jax.jit
        def outer(x):
            return inner(x) + inner(2 * x)

        outer(jnp.arange(3.0))
    """,
    "jit_gather_and_scatter": """
        import jax
        import jax.numpy as jnp
        x = jnp.arange(3.0)
        print(jax.jit(lambda x: x.at[1].set(9.0))(x))
        print(jax.jit(lambda x: x[jnp.array([0, 2])])(x))
        print(jax.jit(lambda x: jnp.take(x, jnp.array([2, 1])))(x))
    """,
    "jit_grad_of_fancy_indexing": """
        import jax
        import jax.numpy as jnp
        f = lambda x: jnp.sum(x[jnp.array([0, 0, 2])] ** 2)
        print(jax.jit(jax.grad(f))(jnp.arange(3.0)))
    """,
    "jit_take_along_axis": """
        import jax
        import jax.numpy as jnp
        x = jnp.array([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
        idx = jnp.argsort(x, axis=1)
        print(jax.jit(lambda x, i: jnp.take_along_axis(x, i, axis=1))(x, idx))
    """,
    "jit_static_argnum_with_keyword_call": """
        import jax

        def f(x, n):
            return x * n

        print(jax.jit(f, static_argnums=1)(2.0, n=3))
    """,
    "jit_float_to_int_cast_saturates": """
        import jax
        import jax.numpy as jnp
        x = jnp.array([jnp.nan, 1e10, -1e10, 2.7])
        print(x.astype(jnp.int32))
        print(jax.jit(lambda x: x.astype(jnp.int32))(x))
        print(jax.jit(lambda x: x.astype(jnp.uint8))(jnp.array([-3.0, 300.0])))
    """,
    "jit_donate_and_block": """
        import jax
        import jax.numpy as jnp
        y = jax.jit(lambda x: x * 2)(jnp.arange(3.0))
        print(y.block_until_ready())
        print(jax.block_until_ready({"a": y})["a"])
    """,
}

DIFFERS = {
}
