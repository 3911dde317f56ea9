"""Writing custom interpreters: walk a ClosedJaxpr's equations with an environment, bind primitives,
build an inverse interpreter."""

PROGRAMS = {
    "eval_jaxpr_by_hand": """
        import jax
        import jax.numpy as jnp
        from jax.extend import core

        def eval_jaxpr(jaxpr, consts, *args):
            env = {}

            def read(v):
                return v.val if isinstance(v, core.Literal) else env[v]

            def write(v, val):
                env[v] = val

            for v, val in zip(jaxpr.constvars, consts):
                write(v, val)
            for v, val in zip(jaxpr.invars, args):
                write(v, val)
            for eqn in jaxpr.eqns:
                outvals = eqn.primitive.bind(*map(read, eqn.invars), **eqn.params)
                if not eqn.primitive.multiple_results:
                    outvals = [outvals]
                for v, val in zip(eqn.outvars, outvals):
                    write(v, val)
            return [read(v) for v in jaxpr.outvars]

        f = lambda x: jnp.exp(jnp.tanh(x)) * 2.0 + 1.0
        closed = jax.make_jaxpr(f)(jnp.ones(3))
        print(eval_jaxpr(closed.jaxpr, closed.consts, jnp.arange(3.0)))
        print(jax.jit(lambda x: eval_jaxpr(closed.jaxpr, closed.consts, x)[0])(jnp.arange(3.0)))
        print(f(jnp.arange(3.0)))
    """,
    "count_primitives_in_a_jaxpr": """
        import collections
        import jax
        import jax.numpy as jnp

        def count(fn, *args):
            jaxpr = jax.make_jaxpr(fn)(*args).jaxpr
            return collections.Counter(str(e.primitive) for e in jaxpr.eqns)

        print(sorted(count(lambda x: jnp.sin(x) * jnp.sin(x) + jnp.cos(x), 1.0).items()))
    """,
    "inverse_interpreter": """
        import jax
        import jax.numpy as jnp
        from jax import core, lax

        inverse_rules = {lax.exp_p: jnp.log, lax.tanh_p: jnp.arctanh}

        def inverse(fn):
            def inverted(y):
                closed = jax.make_jaxpr(fn)(y)
                env = {closed.jaxpr.outvars[0]: y}
                for eqn in reversed(closed.jaxpr.eqns):
                    env[eqn.invars[0]] = inverse_rules[eqn.primitive](env[eqn.outvars[0]])
                return env[closed.jaxpr.invars[0]]
            return inverted

        f = lambda x: jnp.exp(jnp.tanh(x))
        print(inverse(f)(f(0.5)))
        print(jax.jit(inverse(f))(f(0.5)))
    """,
    "jaxpr_literal_and_var_reprs": """
        import jax
        from jax.extend import core
        closed = jax.make_jaxpr(lambda x: x * 3.0 + 1)(2.0)
        for eqn in closed.jaxpr.eqns:
            print([type(v).__name__ for v in eqn.invars], [v.aval for v in eqn.invars])
        literal = closed.jaxpr.eqns[0].invars[1]
        print(isinstance(literal, core.Literal), literal, literal.val, literal.aval)
        print(isinstance(closed.jaxpr.invars[0], core.Var))
    """,
    "primitive_names_and_multiple_results": """
        import jax
        import jax.numpy as jnp
        from jax import lax
        closed = jax.make_jaxpr(lambda xs: lax.scan(lambda c, x: (c + x, x), 0.0, xs))(jnp.ones(2))
        eqn = closed.jaxpr.eqns[0]
        print(eqn.primitive.name, eqn.primitive.multiple_results)
        print(lax.sin_p.name, lax.sin_p.multiple_results)
    """,
    "interpret_jaxpr_with_jax_core_eval": """
        import jax
        closed = jax.make_jaxpr(lambda x, y: (x * y, x + y))(1.0, 2.0)
        print(jax.core.eval_jaxpr(closed.jaxpr, closed.consts, 3.0, 4.0))
        print(closed.jaxpr.eqns[0].outvars[0].aval, closed.literals)
    """,
    "jaxpr_of_function_with_constant_array": """
        import jax
        import jax.numpy as jnp
        import numpy as np
        table = np.array([1.0, 2.0, 3.0], dtype=np.float32)
        closed = jax.make_jaxpr(lambda x: x * table)(jnp.ones(3))
        print(closed)
        print(len(closed.consts), np.asarray(closed.consts[0]))
    """,
}

DIFFERS = {
}
