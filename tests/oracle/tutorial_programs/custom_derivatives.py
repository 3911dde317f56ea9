"""Custom derivative rules: custom_jvp and custom_vjp, numerical stability, clipping gradients,
nondiff_argnums, defjvps, rules that go wrong."""

PROGRAMS = {
    "log1pexp_naive_gradient_is_nan": """
        import jax
        import jax.numpy as jnp
        log1pexp = lambda x: jnp.log(1.0 + jnp.exp(x))
        print(jax.jit(lambda x: (log1pexp(x), jax.grad(log1pexp)(x)))(100.0))
    """,
    "custom_jvp_fixes_log1pexp": """
        import jax
        import jax.numpy as jnp

        @jax.custom_jvp
        def log1pexp(x):
            return jnp.log(1.0 + jnp.exp(x))

        @log1pexp.defjvp
        def log1pexp_jvp(primals, tangents):
            x, = primals
            x_dot, = tangents
            return log1pexp(x), (1 - 1 / (1 + jnp.exp(x))) * x_dot

        print(jax.jit(jax.grad(log1pexp))(100.0))
        print(jax.jit(jax.vmap(jax.grad(log1pexp)))(jnp.arange(3.0)))
    """,
    "custom_jvp_with_defjvps": """
        import jax
        import jax.numpy as jnp

        @jax.custom_jvp
        def f(x, y):
            return jnp.sin(x) * y

        f.defjvps(lambda x_dot, primal_out, x, y: jnp.cos(x) * x_dot * y,
                  lambda y_dot, primal_out, x, y: jnp.sin(x) * y_dot)
        print(jax.jit(lambda x, y: (f(x, y), jax.grad(f)(x, y), jax.grad(f, 1)(x, y)))(2.0, 3.0))
    """,
    "custom_jvp_second_derivative": """
        import jax
        import jax.numpy as jnp

        @jax.custom_jvp
        def f(x):
            return x ** 3

        @f.defjvp
        def f_jvp(primals, tangents):
            x, = primals
            t, = tangents
            return f(x), 3 * x ** 2 * t

        print(jax.grad(f)(2.0), jax.grad(jax.grad(f))(2.0))
    """,
    "custom_vjp_clip_gradient": """
        import jax
        import jax.numpy as jnp
        from functools import partial

        @partial(jax.custom_vjp, nondiff_argnums=(0, 1))
        def clip_gradient(lo, hi, x):
            return x

        def clip_fwd(lo, hi, x):
            return x, None

        def clip_bwd(lo, hi, res, g):
            return (jnp.clip(g, lo, hi),)

        clip_gradient.defvjp(clip_fwd, clip_bwd)
        f = lambda x: clip_gradient(-0.75, 0.75, jnp.sin(x))
        print(jax.vmap(jax.grad(f))(jnp.arange(3.0)))
    """,
    "custom_vjp_with_residuals": """
        import jax
        import jax.numpy as jnp

        @jax.custom_vjp
        def f(x, y):
            return jnp.sin(x) * y

        def f_fwd(x, y):
            return f(x, y), (jnp.cos(x), jnp.sin(x), y)

        def f_bwd(res, g):
            cos_x, sin_x, y = res
            return (cos_x * g * y, sin_x * g)

        f.defvjp(f_fwd, f_bwd)
        print(jax.grad(f, (0, 1))(2.0, 3.0))
        print(jax.jit(jax.grad(f))(2.0, 3.0))
    """,
    "custom_jvp_under_make_jaxpr": """
        import jax
        import jax.numpy as jnp

        @jax.custom_jvp
        def f(x):
            return jnp.sin(x)

        f.defjvp(lambda p, t: (f(p[0]), jnp.cos(p[0]) * t[0]))
        print(jax.make_jaxpr(f)(1.0))
    """,
    "custom_vjp_under_make_jaxpr": """
        import jax

        @jax.custom_vjp
        def f(x):
            return x * 3.0

        f.defvjp(lambda x: (f(x), None), lambda _, g: (3.0 * g,))
        print(jax.make_jaxpr(jax.grad(f))(1.0))
    """,
    "safe_norm_custom_jvp_at_zero": """
        import jax
        import jax.numpy as jnp

        @jax.custom_jvp
        def safe_norm(x):
            return jnp.sqrt(jnp.sum(x ** 2))

        @safe_norm.defjvp
        def safe_norm_jvp(primals, tangents):
            x, = primals
            t, = tangents
            n = safe_norm(x)
            return n, jnp.where(n == 0, 0.0, jnp.dot(x, t) / jnp.where(n == 0, 1.0, n))

        g = jax.jit(jax.grad(safe_norm))
        print(g(jnp.zeros(2)), g(jnp.array([3.0, 4.0])))
    """,
    "custom_vjp_with_pytree_argument": """
        import jax
        import jax.numpy as jnp

        @jax.custom_vjp
        def scale(p, x):
            return p["a"] * x

        scale.defvjp(lambda p, x: (scale(p, x), (p, x)),
                     lambda res, g: ({"a": jnp.sum(g * res[1])}, g * res[0]["a"]))
        print(jax.grad(lambda p: jnp.sum(scale(p, jnp.arange(3.0))))({"a": 2.0}))
    """,
    "custom_jvp_nondiff_argnums": """
        import jax
        from functools import partial

        @partial(jax.custom_jvp, nondiff_argnums=(0,))
        def apply_twice(fn, x):
            return fn(fn(x))

        @apply_twice.defjvp
        def apply_twice_jvp(fn, primals, tangents):
            x, = primals
            t, = tangents
            return apply_twice(fn, x), 4.0 * t

        print(jax.grad(lambda x: apply_twice(lambda v: v * 2, x))(1.0))
    """,
}

DIFFERS = {
}
