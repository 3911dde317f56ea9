"""Control flow: Python control flow with jit, lax.cond/switch/select, while_loop, fori_loop, scan."""

PROGRAMS = {
    "cond_chooses_a_branch": """
        import jax
        from jax import lax
        operand = 1.0
        print(lax.cond(True, lambda x: x + 1, lambda x: x - 1, operand))
        print(lax.cond(False, lambda x: x + 1, lambda x: x - 1, operand))
    """,
    "cond_under_jit_with_traced_predicate": """
        import jax
        import jax.numpy as jnp
        from jax import lax

        @jax.jit
        def f(x):
            return lax.cond(x.sum() > 0, jnp.sin, jnp.cos, x)

        print(f(jnp.arange(3.0)))
        print(f(-jnp.arange(3.0)))
    """,
    "switch_over_branches": """
        from jax import lax
        branches = [lambda x: x * 0, lambda x: x * 10, lambda x: x * 100]
        for i in [0, 1, 2, 5, -1]:
            print(lax.switch(i, branches, 2.0))
    """,
    "select_elementwise": """
        import jax.numpy as jnp
        from jax import lax
        pred = jnp.array([True, False, True])
        print(lax.select(pred, jnp.ones(3), jnp.zeros(3)))
    """,
    "while_loop_counts": """
        from jax import lax
        print(lax.while_loop(lambda i: i < 10, lambda i: i + 1, 0))
    """,
    "while_loop_with_tuple_state": """
        import jax.numpy as jnp
        from jax import lax

        def cond(state):
            i, total = state
            return i < 5

        def body(state):
            i, total = state
            return i + 1, total + jnp.float32(i)

        print(lax.while_loop(cond, body, (0, jnp.float32(0))))
    """,
    "fori_loop_sum": """
        from jax import lax
        print(lax.fori_loop(0, 10, lambda i, x: x + i, 0))
        repr(lax.fori_loop(0, 10, lambda i, x: x + i, 0))
    """,
    "fori_loop_weak_float_carry": """
        from jax import lax
        out = lax.fori_loop(0, 4, lambda i, x: x + 0.5, 0)
        print(repr(out))
    """,
    "fori_loop_with_array_carry": """
        import jax.numpy as jnp
        from jax import lax
        print(lax.fori_loop(0, 3, lambda i, x: x.at[i].set(i * 2.0), jnp.zeros(3)))
    """,
    "scan_cumulative_sum": """
        import jax.numpy as jnp
        from jax import lax

        def step(carry, x):
            carry = carry + x
            return carry, carry

        total, partials = lax.scan(step, 0.0, jnp.arange(1.0, 5.0))
        print(total)
        print(partials)
    """,
    "scan_with_python_int_init": """
        import jax.numpy as jnp
        from jax import lax
        carry, ys = lax.scan(lambda c, x: (c + 1, c * x), 0, jnp.arange(3))
        print(repr(carry))
        print(ys)
    """,
    "scan_reverse_and_length": """
        import jax.numpy as jnp
        from jax import lax
        print(lax.scan(lambda c, x: (c + x, c), 0.0, jnp.arange(4.0), reverse=True))
        print(lax.scan(lambda c, _: (c * 2, c), 1.0, None, length=4))
    """,
    "scan_over_pytree_xs": """
        import jax.numpy as jnp
        from jax import lax
        xs = {"a": jnp.arange(3.0), "b": jnp.ones((3, 2))}
        carry, ys = lax.scan(lambda c, x: (c + x["a"], x["b"] * c), 0.0, xs)
        print(carry)
        print(ys)
    """,
    "python_loop_unrolled_in_jaxpr": """
        import jax

        def f(x):
            for i in range(3):
                x = x + i
            return x

        print(jax.make_jaxpr(f)(1.0))
    """,
    "grad_through_fori_loop_static_bounds": """
        import jax
        from jax import lax
        f = lambda x: lax.fori_loop(0, 3, lambda i, c: c * x, 1.0)
        print(f(2.0), jax.grad(f)(2.0))
    """,
    "grad_through_scan": """
        import jax
        import jax.numpy as jnp
        from jax import lax

        def loss(w):
            carry, _ = lax.scan(lambda h, x: (jnp.tanh(w * h + x), None), 0.0, jnp.arange(3.0))
            return carry

        print(jax.grad(loss)(0.5))
    """,
    "map_over_leading_axis": """
        import jax.numpy as jnp
        from jax import lax
        print(lax.map(lambda r: r.sum(), jnp.arange(6.0).reshape(3, 2)))
    """,
    "cond_jaxpr": """
        import jax
        from jax import lax
        print(jax.make_jaxpr(lambda p, x: lax.cond(p, lambda v: v + 1.0, lambda v: v * 2.0, x))(True, 1.0))
    """,
    "while_loop_jaxpr": """
        import jax
        from jax import lax
        print(jax.make_jaxpr(lambda n: lax.while_loop(lambda i: i < n, lambda i: i + 1, 0))(5))
    """,
    "scan_jaxpr": """
        import jax
        import jax.numpy as jnp
        from jax import lax
        print(jax.make_jaxpr(lambda xs: lax.scan(lambda c, x: (c + x, c * x), 0.0, xs))(jnp.ones(3)))
    """,
}

DIFFERS = {
}
