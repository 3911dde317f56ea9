"""Numerical building blocks the tutorials reach for: jnp.linalg with gradients, convolutions,
jax.scipy.stats and special functions, jax.nn, unique/append/broadcast_shapes, bfloat16."""

PROGRAMS = {
    "linalg_inverse_determinant_solve": """
        import jax.numpy as jnp
        A = jnp.array([[4.0, 1.0], [2.0, 3.0]])
        print(jnp.linalg.inv(A))
        print(jnp.linalg.det(A))
        print(jnp.linalg.solve(A, jnp.array([1.0, 2.0])))
        print(jnp.linalg.slogdet(A))
    """,
    "linalg_cholesky_and_eigh": """
        import jax.numpy as jnp
        S = jnp.array([[4.0, 2.0], [2.0, 3.0]])
        print(jnp.linalg.cholesky(S))
        w, v = jnp.linalg.eigh(S)
        print(w)
        print(jnp.abs(v))
    """,
    "linalg_svd_and_qr": """
        import jax.numpy as jnp
        A = jnp.array([[3.0, 0.0], [4.0, 5.0], [0.0, 1.0]])
        print(jnp.linalg.svd(A, compute_uv=False))
        q, r = jnp.linalg.qr(A)
        print(q.shape, r.shape)
        print(jnp.allclose(q @ r, A, atol=1e-5))
    """,
    "linalg_norms": """
        import jax
        import jax.numpy as jnp
        x = jnp.array([3.0, -4.0])
        M = jnp.array([[1.0, 2.0], [3.0, 4.0]])
        print(jnp.linalg.norm(x))
        norms = lambda x, M: (jnp.linalg.norm(x, ord=1), jnp.linalg.norm(x, ord=jnp.inf), jnp.linalg.norm(M),
                              jnp.linalg.norm(M, axis=1))
        print(jax.jit(norms)(x, M))
    """,
    "grad_of_log_determinant": """
        import jax
        import jax.numpy as jnp
        A = jnp.array([[4.0, 1.0], [2.0, 3.0]])
        print(jax.jit(jax.grad(lambda A: jnp.linalg.slogdet(A)[1]))(A))
    """,
    "grad_of_solve_and_inverse": """
        import jax
        import jax.numpy as jnp
        A = jnp.array([[4.0, 1.0], [2.0, 3.0]])
        b = jnp.array([1.0, 2.0])
        print(jax.jit(jax.grad(lambda b: jnp.sum(jnp.linalg.solve(A, b))))(b))
        print(jax.jit(jax.grad(lambda A: jnp.trace(jnp.linalg.inv(A))))(A))
    """,
    "grad_of_cholesky_and_eigh": """
        import jax
        import jax.numpy as jnp
        S = jnp.array([[4.0, 2.0], [2.0, 3.0]])
        print(jax.jit(jax.grad(lambda S: jnp.sum(jnp.linalg.cholesky(S))))(S))
        print(jax.jit(jax.grad(lambda S: jnp.linalg.eigh(S)[0][1]))(S))
    """,
    "convolve_one_dimensional": """
        import jax
        import jax.numpy as jnp
        x = jnp.array([1.0, 2.0, 3.0, 4.0])
        k = jnp.array([1.0, 0.0, -1.0])
        print(jnp.convolve(x, k))
        print(jax.jit(lambda x, k: (jnp.convolve(x, k, mode="same"), jnp.convolve(x, k, mode="valid")))(x, k))
    """,
    "conv_general_dilated_image": """
        import jax.numpy as jnp
        from jax import lax
        img = jnp.arange(16.0).reshape(1, 1, 4, 4)
        kernel = jnp.ones((1, 1, 2, 2))
        out = lax.conv_general_dilated(img, kernel, window_strides=(1, 1), padding="VALID")
        print(out.shape)
        print(out[0, 0])
    """,
    "conv_with_dimension_numbers": """
        import jax.numpy as jnp
        from jax import lax
        img = jnp.ones((1, 5, 5, 2))
        kernel = jnp.ones((3, 3, 2, 4))
        dn = lax.conv_dimension_numbers(img.shape, kernel.shape, ("NHWC", "HWIO", "NHWC"))
        print(dn)
        out = lax.conv_general_dilated(img, kernel, (1, 1), "SAME", dimension_numbers=dn)
        print(out.shape, out[0, 0, 0])
    """,
    "grad_of_convolution": """
        import jax
        import jax.numpy as jnp
        from jax import lax
        img = jnp.arange(9.0).reshape(1, 1, 3, 3)
        loss = lambda k: jnp.sum(lax.conv_general_dilated(img, k, (1, 1), "VALID") ** 2)
        print(jax.jit(jax.grad(loss))(jnp.ones((1, 1, 2, 2))))
    """,
    "scipy_stats_norm": """
        import jax
        import jax.numpy as jnp
        from jax.scipy.stats import norm
        x = jnp.array([-1.0, 0.0, 1.0])
        print(norm.pdf(x))
        print(jax.jit(lambda x: (norm.logpdf(x, loc=1.0, scale=2.0), norm.cdf(x), norm.ppf(x / 4 + 0.5)))(x))
    """,
    "scipy_stats_multivariate_normal": """
        import jax
        import jax.numpy as jnp
        from jax.scipy.stats import multivariate_normal
        mean = jnp.zeros(2)
        cov = jnp.array([[1.0, 0.5], [0.5, 2.0]])
        densities = lambda x: (multivariate_normal.logpdf(x, mean, cov), multivariate_normal.pdf(x, mean, cov))
        print(jax.jit(densities)(jnp.array([0.5, -0.5])))
    """,
    "scipy_stats_other_distributions": """
        import jax
        import jax.numpy as jnp
        from jax.scipy import stats
        x = jnp.array([0.5, 1.5, 2.5])
        print(stats.logistic.pdf(x), stats.expon.logpdf(x))
        print(jax.jit(lambda x: (stats.logistic.cdf(x), stats.uniform.pdf(x), stats.gamma.logpdf(x, 2.0)))(x))
    """,
    "scipy_special_functions": """
        import jax
        import jax.numpy as jnp
        from jax.scipy.special import logsumexp, erf, gammaln, expit, xlogy
        x = jnp.array([1.0, 2.0, 3.0])
        print(logsumexp(x))
        print(jax.jit(lambda x: (logsumexp(x, b=x - 1), erf(x), gammaln(x), expit(x), xlogy(x - 1, x)))(x))
    """,
    "nn_activations": """
        import jax
        import jax.numpy as jnp
        x = jnp.array([-2.0, 0.0, 2.0])
        print(jax.nn.relu(x), jax.nn.sigmoid(x))
        print(jax.jit(lambda x: (jax.nn.gelu(x), jax.nn.softplus(x), jax.nn.silu(x), jax.nn.log_sigmoid(x)))(x))
        print(jax.nn.one_hot(jnp.array([0, 2]), 3))
    """,
    "nn_initializers": """
        import jax
        init = jax.nn.initializers.glorot_normal()
        w = init(jax.random.PRNGKey(0), (2, 3))
        print(w.shape, w.dtype)
        print(jax.nn.initializers.zeros(jax.random.PRNGKey(0), (2,)))
    """,
    "unique_and_unique_with_size": """
        import jax
        import jax.numpy as jnp
        x = jnp.array([3, 1, 3, 2, 1])
        print(jnp.unique(x))
        print(jax.jit(lambda x: jnp.unique(x, size=4, fill_value=0))(x))
    """,
    "append_and_broadcast_shapes": """
        import jax.numpy as jnp
        print(jnp.append(jnp.arange(3), 7))
        print(jnp.append(jnp.ones((2, 2)), jnp.zeros((1, 2)), axis=0))
        print(jnp.broadcast_shapes((2, 1), (1, 3)), jnp.broadcast_shapes((3,), ()))
    """,
    "bfloat16_dtype": """
        import jax.numpy as jnp
        x = jnp.array([1.0, 2.5], dtype=jnp.bfloat16)
        print(x, x.dtype)
        print((x * 2).dtype, (x + jnp.float32(1)).dtype)
        print(jnp.finfo(jnp.bfloat16).eps)
    """,
}

DIFFERS = {
}
