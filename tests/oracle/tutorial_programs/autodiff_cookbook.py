"""The autodiff cookbook: gradients of models, directional derivatives, Jacobians, Hessian-vector products."""

PROGRAMS = {
    "logistic_model_gradients_by_argument": """
        import jax
        import jax.numpy as jnp

        def model(W, b, x):
            return jnp.tanh(jnp.dot(x, W) + b)

        def loss(W, b):
            x = jnp.array([[0.2, -0.4], [1.0, 0.5], [-0.3, 0.8]])
            y = jnp.array([1.0, -1.0, 1.0])
            return jnp.mean((model(W, b, x) - y) ** 2)

        W, b = jnp.array([0.3, -0.1]), 0.2
        W_grad, b_grad = jax.jit(jax.grad(loss, (0, 1)))(W, b)
        print(W_grad, b_grad)
    """,
    "check_gradient_against_finite_differences": """
        import jax
        import jax.numpy as jnp
        f = lambda x: jnp.sum(jnp.sin(x) * x)

        @jax.jit
        def check(x, v, eps=1e-3):
            numerical = (f(x + eps * v / 2) - f(x - eps * v / 2)) / eps
            return jnp.abs(numerical - jnp.vdot(jax.grad(f)(x), v)) < 1e-2

        print(check(jnp.array([0.5, 1.0]), jnp.array([1.0, -1.0])))
    """,
    "hessian_vector_product": """
        import jax
        import jax.numpy as jnp
        f = lambda x: jnp.sum(x ** 3)

        def hvp(f, x, v):
            return jax.grad(lambda x: jnp.vdot(jax.grad(f)(x), v))(x)

        def hvp_forward_over_reverse(f, x, v):
            return jax.jvp(jax.grad(f), (x,), (v,))[1]

        x, v = jnp.array([1.0, 2.0]), jnp.array([1.0, 0.0])
        print(hvp(f, x, v))
        print(jax.jit(lambda x, v: hvp_forward_over_reverse(f, x, v))(x, v))
    """,
    "jacobian_of_dict_input": """
        import jax
        import jax.numpy as jnp
        f = lambda p: jnp.stack([p["a"] * p["b"], p["a"] + p["b"]])
        print(jax.jit(jax.jacrev(f))({"a": 2.0, "b": 3.0}))
    """,
    "jacobian_shapes": """
        import jax
        import jax.numpy as jnp
        f = lambda x: jnp.outer(x, x)
        print(jax.jit(jax.jacfwd(f))(jnp.ones(2)).shape)
        print(jax.jit(jax.hessian(lambda x: jnp.sum(jnp.sin(x))))(jnp.ones(2)))
    """,
    "vjp_with_pytree_cotangent": """
        import jax
        import jax.numpy as jnp
        f = lambda x: {"sq": x ** 2, "sum": jnp.sum(x)}
        out, f_vjp = jax.vjp(f, jnp.arange(3.0))
        print(f_vjp({"sq": jnp.ones(3), "sum": 2.0}))
    """,
    "grad_of_grad_per_example": """
        import jax
        import jax.numpy as jnp
        d2 = jax.vmap(jax.grad(jax.grad(jnp.sin)))
        print(jax.jit(d2)(jnp.arange(3.0)))
    """,
    "linear_transpose": """
        import jax
        import jax.numpy as jnp
        f = lambda x: 2.0 * x[::-1]
        f_t = jax.linear_transpose(f, jnp.zeros(3))
        print(f_t(jnp.arange(3.0)))
    """,
    "grad_of_norm_at_zero_is_nan": """
        import jax
        import jax.numpy as jnp
        print(jax.grad(lambda x: jnp.sqrt(jnp.sum(x ** 2)))(jnp.zeros(2)))
        print(jax.grad(jnp.linalg.norm)(jnp.array([3.0, 4.0])))
    """,
    "holomorphic_grad": """
        import jax
        import jax.numpy as jnp
        print(jax.jit(jax.grad(lambda z: z ** 2 + jnp.sin(z), holomorphic=True))(1.0 + 1.0j))
    """,
    "grad_of_real_function_of_complex_input": """
        import jax
        import jax.numpy as jnp
        f = lambda z: jnp.real(z * jnp.conj(z))
        print(jax.jit(jax.grad(f))(3.0 + 4.0j))
    """,
    "jacrev_of_complex_function_requires_holomorphic": """
        import jax
        jax.jacrev(lambda z: z ** 2)(1.0 + 1.0j)
    """,
    "optimiser_step_with_tree_map": """
        import jax
        import jax.numpy as jnp
        params = {"w": jnp.array([1.0, 2.0]), "b": 0.5}
        loss = lambda p: jnp.sum(p["w"] ** 2) + p["b"] ** 2

        @jax.jit
        def step(p):
            g = jax.grad(loss)(p)
            return jax.tree.map(lambda a, b: a - 0.1 * b, p, g)

        for _ in range(3):
            params = step(params)
        print(params)
    """,
}

DIFFERS = {
}
