"""Gradient checkpointing: jax.checkpoint / jax.remat, policies, checkpoint_name, what the jaxpr shows."""

PROGRAMS = {
    "checkpoint_gives_the_same_gradient": """
        import jax
        import jax.numpy as jnp

        def layer(w, x):
            return jnp.sin(jnp.dot(w, x))

        def net(w, x):
            return jnp.sum(jax.checkpoint(layer)(w, layer(w, x)))

        w = jnp.array([[0.5, -0.2], [0.1, 0.3]])
        x = jnp.array([1.0, 2.0])
        print(jax.jit(jax.grad(net))(w, x))
        print(jax.jit(jax.grad(lambda w, x: jnp.sum(layer(w, layer(w, x)))))(w, x))
    """,
    "remat_is_checkpoint": """
        import jax
        print(jax.remat is jax.checkpoint)
        f = jax.remat(lambda x: x ** 3)
        print(jax.grad(f)(2.0))
    """,
    "checkpoint_as_decorator_with_static_argnums": """
        import jax
        from functools import partial

        @partial(jax.checkpoint, static_argnums=(1,))
        def power(x, n):
            for _ in range(n):
                x = x * x
            return x

        print(jax.grad(power)(1.5, 2))
    """,
    "checkpoint_jaxpr_shows_remat": """
        import jax
        import jax.numpy as jnp
        f = jax.checkpoint(lambda x: jnp.sin(jnp.sin(x)))
        print(jax.make_jaxpr(f)(1.0))
    """,
    "checkpoint_grad_jaxpr_recomputes": """
        import jax
        import jax.numpy as jnp
        f = jax.checkpoint(lambda x: jnp.sin(jnp.sin(x)))
        print(jax.make_jaxpr(jax.grad(f))(1.0))
    """,
    "checkpoint_policy_dots_saveable": """
        import jax
        import jax.numpy as jnp
        policy = jax.checkpoint_policies.dots_with_no_batch_dims_saveable
        f = jax.checkpoint(lambda w, x: jnp.sum(jnp.tanh(w @ x)), policy=policy)
        print(jax.grad(f)(jnp.ones((2, 2)), jnp.ones(2)))
    """,
    "checkpoint_name_and_save_only_these": """
        import jax
        import jax.numpy as jnp
        from jax.ad_checkpoint import checkpoint_name

        def f(x):
            y = checkpoint_name(jnp.sin(x), "y")
            return jnp.sum(jnp.cos(y))

        policy = jax.checkpoint_policies.save_only_these_names("y")
        print(jax.grad(jax.checkpoint(f, policy=policy))(jnp.arange(2.0)))
        print(jax.make_jaxpr(f)(jnp.arange(2.0)))
    """,
    "print_saved_residuals": """
        import jax
        import jax.numpy as jnp
        from jax.ad_checkpoint import print_saved_residuals
        print_saved_residuals(jax.checkpoint(lambda x: jnp.sin(jnp.cos(x))), 1.0)
    """,
    "checkpoint_everything_saveable_policy": """
        import jax
        import jax.numpy as jnp
        f = jax.checkpoint(lambda x: jnp.exp(jnp.sin(x)), policy=jax.checkpoint_policies.everything_saveable)
        print(jax.grad(f)(0.5))
        print(jax.value_and_grad(f)(0.5))
    """,
}

DIFFERS = {
}
