"""Automatic differentiation: grad, higher derivatives, value_and_grad, has_aux, jvp, vjp, stop_gradient."""

PROGRAMS = {
    "grad_of_tanh": """
        import jax
        import jax.numpy as jnp
        dtanh = jax.grad(jnp.tanh)
        print(dtanh(2.0))
        print(jax.jit(jax.grad(jax.grad(jnp.tanh)))(2.0))
    """,
    "grad_of_polynomial_and_derivatives": """
        import jax
        f = lambda x: x ** 3 + 2 * x ** 2 - 3 * x + 1
        dfdx = jax.grad(f)
        d2fdx = jax.grad(dfdx)
        d3fdx = jax.grad(d2fdx)
        print(jax.jit(lambda x: (dfdx(x), d2fdx(x), d3fdx(x)))(1.0))
    """,
    "logistic_regression_gradient": """
        import jax
        import jax.numpy as jnp

        def predict(W, b, inputs):
            return jax.nn.sigmoid(jnp.dot(inputs, W) + b)

        inputs = jnp.array([[0.5, 1.0, -0.5], [0.1, -1.2, 0.3], [1.5, 0.2, 0.7]])
        targets = jnp.array([True, False, True])

        def loss(W, b):
            preds = predict(W, b, inputs)
            label_probs = preds * targets + (1 - preds) * (1 - targets)
            return -jnp.sum(jnp.log(label_probs))

        W = jnp.array([0.1, -0.2, 0.3])
        W_grad, b_grad = jax.jit(jax.grad(loss, argnums=(0, 1)))(W, 0.1)
        print(W_grad)
        print(b_grad)
    """,
    "value_and_grad": """
        import jax
        import jax.numpy as jnp
        f = lambda w: jnp.sum(jnp.sin(w) * 2.0)
        value, g = jax.value_and_grad(f)(jnp.arange(3.0))
        print(value)
        print(g)
    """,
    "grad_has_aux": """
        import jax
        import jax.numpy as jnp

        def loss_with_aux(w):
            pred = w * 2.0
            return jnp.sum(pred ** 2), {"pred": pred}

        g, aux = jax.grad(loss_with_aux, has_aux=True)(jnp.arange(3.0))
        print(g)
        print(aux)
    """,
    "grad_of_dict_params": """
        import jax
        import jax.numpy as jnp
        params = {"w": jnp.array([1.0, -1.0]), "b": jnp.array(0.5)}

        def loss(p, x):
            return jnp.sum((p["w"] * x + p["b"]) ** 2)

        grads = jax.jit(jax.grad(loss))(params, jnp.array([2.0, 3.0]))
        print(grads)
        print(jax.tree_util.tree_map(lambda p, g: p - 0.1 * g, params, grads))
    """,
    "grad_of_python_float_is_float32": """
        import jax
        g = jax.grad(lambda x: x * x)(3.0)
        print(g, g.dtype)
        repr(g)
    """,
    "jvp_forward_mode": """
        import jax
        import jax.numpy as jnp
        primal, tangent = jax.jvp(jnp.sin, (jnp.arange(3.0),), (jnp.ones(3),))
        print(primal)
        print(tangent)
    """,
    "vjp_reverse_mode": """
        import jax
        import jax.numpy as jnp
        y, f_vjp = jax.vjp(lambda x: jnp.sin(x) * 2.0, jnp.arange(3.0))
        print(y)
        print(f_vjp(jnp.ones(3)))
    """,
    "linearize_then_apply": """
        import jax
        import jax.numpy as jnp
        y, f_jvp = jax.linearize(lambda x: jnp.exp(x) * x, 1.0)
        print(y)
        print(f_jvp(1.0), f_jvp(2.0))
    """,
    "stop_gradient_blocks_flow": """
        import jax
        import jax.numpy as jnp
        f = lambda x: x * jax.lax.stop_gradient(x)
        print(jax.grad(f)(3.0))
        print(jax.grad(lambda x: jnp.sum(jax.lax.stop_gradient(x ** 2) + x))(jnp.arange(2.0)))
    """,
    "grad_of_relu_at_zero_and_abs": """
        import jax
        import jax.numpy as jnp
        print(jax.grad(jax.nn.relu)(0.0), jax.grad(jax.nn.relu)(1.0))
        print(jax.grad(jnp.abs)(0.0), jax.grad(jnp.abs)(-2.0))
    """,
    "grad_of_where_is_nan_safe_pattern": """
        import jax
        import jax.numpy as jnp

        def unsafe(x):
            return jnp.where(x > 0, jnp.sqrt(x), 0.0)

        def safe(x):
            safe_x = jnp.where(x > 0, x, 1.0)
            return jnp.where(x > 0, jnp.sqrt(safe_x), 0.0)

        print(jax.grad(unsafe)(0.0))
        print(jax.grad(safe)(0.0))
    """,
    "grad_allow_int": """
        import jax
        g = jax.grad(lambda x, n: x * n, argnums=(0, 1), allow_int=True)(2.0, 3)
        print(g[0])
        print(g[1].dtype)
    """,
    "jacobians_forward_and_reverse": """
        import jax
        import jax.numpy as jnp
        f = lambda x: jnp.stack([x[0] ** 2, x[0] * x[1], jnp.sin(x[1])])
        x = jnp.array([1.0, 2.0])
        print(jax.jit(jax.jacfwd(f))(x))
        print(jax.jit(jax.jacrev(f))(x))
    """,
    "hessian_of_quadratic": """
        import jax
        import jax.numpy as jnp
        A = jnp.array([[2.0, 1.0], [1.0, 3.0]])
        f = lambda x: x @ A @ x / 2
        print(jax.jit(jax.hessian(f))(jnp.ones(2)))
    """,
    "grad_through_loop_and_python_control_flow": """
        import jax

        def f(x):
            if x < 3:
                return 3.0 * x ** 2
            return -4.0 * x

        print(jax.grad(f)(2.0))
        print(jax.grad(f)(4.0))
    """,
    "grad_of_softmax_cross_entropy": """
        import jax
        import jax.numpy as jnp
        logits = jnp.array([1.0, 2.0, 0.5])
        xent = lambda z: -jax.nn.log_softmax(z)[1]
        print(jax.jit(lambda z: (jax.grad(xent)(z), jax.nn.softmax(z)))(logits))
    """,
}

DIFFERS = {
}
