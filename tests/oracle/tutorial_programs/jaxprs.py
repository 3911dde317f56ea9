"""Jaxprs: what tracing records, constants, weak-typed literals, sub-jaxprs, the ClosedJaxpr object."""

PROGRAMS = {
    "jaxpr_of_simple_function": """
        import jax
        import jax.numpy as jnp

        def f(x, y):
            return jnp.sin(x) * y + 2.0

        print(jax.make_jaxpr(f)(1.0, jnp.ones(3)))
    """,
    "jaxpr_drops_python_side_effects": """
        import jax
        import jax.numpy as jnp
        seen = []

        def log_and_square(x):
            seen.append(x)
            return x ** 2

        print(jax.make_jaxpr(log_and_square)(3.0))
        print(len(seen))
    """,
    "jaxpr_of_closure_constant": """
        import jax
        import jax.numpy as jnp
        c = jnp.arange(3.0)
        print(jax.make_jaxpr(lambda x: x + c)(jnp.ones(3)))
    """,
    "jaxpr_integer_and_float_literals": """
        import jax
        print(jax.make_jaxpr(lambda x: x * 2 + 1.5)(1.0))
        print(jax.make_jaxpr(lambda i: i * 2 + 1)(1))
    """,
    "jaxpr_of_reductions_and_matmul": """
        import jax
        import jax.numpy as jnp
        print(jax.make_jaxpr(lambda w, x: jnp.sum(jnp.tanh(w @ x)))(jnp.ones((2, 3)), jnp.ones(3)))
    """,
    "jaxpr_of_grad": """
        import jax
        import jax.numpy as jnp
        print(jax.make_jaxpr(jax.grad(lambda x: jnp.sin(x) * 2.0))(1.0))
    """,
    "jaxpr_of_jit_inside": """
        import jax
        import jax.numpy as jnp
        inner = jax.jit(lambda x: x * 3.0)
        print(jax.make_jaxpr(lambda x: inner(x) + 1.0)(1.0))
    """,
    "jaxpr_static_argnums": """
        import jax
        print(jax.make_jaxpr(lambda x, n: x ** n, static_argnums=1)(2.0, 3))
    """,
    "closed_jaxpr_attributes": """
        import jax
        import jax.numpy as jnp
        closed = jax.make_jaxpr(lambda x: jnp.exp(x) + jnp.arange(2.0))(jnp.ones(2))
        jaxpr = closed.jaxpr
        print(type(closed).__name__, type(jaxpr).__name__)
        print(len(jaxpr.invars), len(jaxpr.outvars), len(jaxpr.constvars), len(closed.consts))
        for eqn in jaxpr.eqns:
            print(eqn.primitive, [v.aval for v in eqn.invars], [v.aval for v in eqn.outvars])
    """,
    "jaxpr_vars_and_avals": """
        import jax
        closed = jax.make_jaxpr(lambda x, y: x * y + 1.0)(1.0, 2.0)
        for v in closed.jaxpr.invars:
            print(v.aval, v.aval.shape, v.aval.dtype, v.aval.weak_type)
        eqn = closed.jaxpr.eqns[-1]
        print(eqn.invars[1], type(eqn.invars[1]).__name__, eqn.invars[1].val)
        print(closed.in_avals, closed.out_avals)
    """,
    "jaxpr_eqn_params": """
        import jax
        import jax.numpy as jnp
        closed = jax.make_jaxpr(lambda x: jnp.sum(x, axis=0))(jnp.ones((2, 3)))
        eqn = closed.jaxpr.eqns[0]
        print(eqn.primitive.name, sorted(eqn.params))
        print(eqn.params["axes"])
    """,
    "jaxpr_pytree_inputs_and_outputs": """
        import jax
        print(jax.make_jaxpr(lambda d: {"s": d["a"] + d["b"], "p": d["a"] * d["b"]})({"a": 1.0, "b": 2.0}))
    """,
    "jaxpr_of_vmap_of_grad": """
        import jax
        import jax.numpy as jnp
        print(jax.make_jaxpr(jax.vmap(jax.grad(lambda x: x ** 3)))(jnp.ones(3)))
    """,
    "eval_jaxpr_runs_it": """
        import jax
        import jax.numpy as jnp
        closed = jax.make_jaxpr(lambda x: jnp.cos(x) * x)(jnp.arange(3.0))
        print(jax.core.eval_jaxpr(closed.jaxpr, closed.consts, jnp.arange(3.0)))
    """,
    "jaxpr_of_cumsum_and_integer_pow": """
        import jax
        import jax.numpy as jnp
        print(jax.make_jaxpr(lambda x: jnp.cumsum(x ** 3))(jnp.ones(4)))
    """,
}

DIFFERS = {
    "jaxpr_of_cumsum_and_integer_pow":
        "JAX wraps jnp.cumsum in a jit sub-jaxpr; jaxlite binds cumsum directly (see JAXPR_COMPARISON.md)",
}
