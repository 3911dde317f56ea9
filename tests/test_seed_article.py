"""The examples of the article "A bird's-eye view of Google JAX" (Abhijit Gupta, 2021), run unchanged
under real JAX and under jaxlite, with the same results.

The article's code is kept as written, inside `article(J)` where J is the `jax` or the `jaxlite`
module; only `plot_func_and_deriv` (which draws) becomes a function that returns the curves, and
`sigmoid`, which the article leaves undefined, is the one from JAX's autodiff cookbook.
"""
import jax
import numpy as np
import pytest

import jaxlite

try:
    import jaxlite.random as lite_random
except ImportError:  # before jaxlite.random exists, both libraries draw the same fixed arrays
    lite_random = None


class FixedRandom:
    """Stands in for `random` (PRNGKey, split, normal) with NumPy draws determined by the key."""

    def __init__(self, J):
        self.J = J

    def PRNGKey(self, seed):
        return (seed,)

    def split(self, key, num=2):
        return [key + (i,) for i in range(num)]

    def normal(self, key, shape=()):
        seed = abs(hash(key)) % 2**32
        return self.J.numpy.asarray(np.random.default_rng(seed).normal(size=shape).astype(np.float32))


def article(J):
    jnp = J.numpy
    grad, jit, vmap = J.grad, J.jit, J.vmap
    random = J.random if lite_random is not None else FixedRandom(J)
    register_pytree_node_class = J.tree_util.register_pytree_node_class
    jvp, vjp = J.jvp, J.vjp
    results = {}

    # grad(f) is the function that computes the gradient, grad(f)(x) the gradient at x.
    def plot_func_and_deriv(f):
        xs = jnp.linspace(-3.0, 3.0, 25)
        return f(xs), vmap(grad(f))(xs), vmap(grad(grad(f)))(xs)

    results["x**3"] = plot_func_and_deriv(lambda x: x**3)
    results["grad at 2"] = grad(lambda x: x**3)(2.0), grad(grad(lambda x: x**3))(2.0)

    # vmap: by default the zero array axis is mapped over for all arguments.
    key = random.PRNGKey(0)
    mat = random.normal(key, (150, 100))
    batched_x = random.normal(key, (10, 100))

    results["vmap (None, 0)"] = vmap(lambda mat, v: jnp.dot(mat, v), (None, 0))(mat, batched_x)
    results["vmap 0"] = vmap(lambda v: jnp.dot(mat, v), 0)(batched_x)
    results["vmap 1, 0"] = (vmap(lambda v: jnp.dot(mat, v), 1, 0)(random.normal(key, (100, 10))))
    results["vmap 1, 1"] = (vmap(lambda v: jnp.dot(mat, v), 1, 1)(random.normal(key, (100, 10))))
    vv = lambda v1, v2: jnp.vdot(v1, v2)
    mv = vmap(vv, (0, None), 0)  # ([b,a], [a]) -> [b]
    mm = vmap(mv, (None, 1), 0)  # Note: (None, 0), normally. Here, we have unusual (10, None) shape
    results["mm"] = mm(mat, batched_x.T)
    results["vmap(mv)"] = vmap(mv, (None, 0), 0)(mat, batched_x)

    # A custom pytree: transformations accept and return Points.
    @register_pytree_node_class
    class Point:
        def __init__(self, x, y, z):
            self.x = x
            self.y = y
            self.z = z

        def __repr__(self):
            return f"Point({self.x}, {self.y}, {self.z})"

        def tree_flatten(self):
            return ((self.x, self.y, self.z), None)

        @classmethod
        def tree_unflatten(cls, aux_data, children):
            return cls(*children)

    def dist_orig(pt: Point):
        return jnp.sqrt(pt.x**2 + pt.y**2 + pt.z**2)

    g = grad(dist_orig)(Point(1., 2., 3.))
    results["grad(dist_orig)"] = (type(g).__name__, g.x, g.y, g.z)

    # Jacobian-vector products on a linear logistic model.
    def sigmoid(x):
        return 0.5 * (jnp.tanh(x / 2) + 1)

    def predict(W, b, inputs):
        return sigmoid(jnp.dot(inputs, W) + b)  # inputs is data matrix

    inputs = jnp.array([[0.52, 1.12, 0.77],
                        [0.88, -1.08, 0.15],
                        [0.52, 0.06, -1.39],
                        [0.74, -2.49, 1.39]])
    targets = jnp.array([True, True, False, True])

    def loss(W, b):  # loss is a scalar
        preds = predict(W, b, inputs)
        label_probs = preds * targets + (1 - preds) * (1 - targets)
        return -jnp.sum(jnp.log(label_probs))

    key, W_key, b_key = random.split(key, 3)
    W = random.normal(W_key, (3,))
    b = random.normal(b_key, ())
    results["loss"] = loss(W, b), grad(loss, argnums=(0, 1))(W, b)

    def f(W): return predict(W, b, inputs)  # isolate the function from the weights to the predictions
    key, subkey = random.split(key)
    v = random.normal(subkey, W.shape)
    # Push forward the vector `v` along `f` evaluated at `W`
    y, u = jvp(lambda W: predict(W, b, inputs), primals=(W,), tangents=(v,))
    results["jvp"] = y, u

    # Vector-Jacobian products: pull back a covector along `f` evaluated at `W`.
    y, vjp_fun = vjp(lambda W: predict(W, b, inputs), W)
    key, subkey = random.split(key)
    u = random.normal(subkey, y.shape)
    results["vjp u"] = vjp_fun(u)
    identity = jnp.eye(*y.shape, dtype=jnp.float32)
    # "Recovering Jacobian elements row-wise!"
    results["rows"] = [vjp_fun(identity[i]) for i in range(y.shape[0])]
    results["jacrev"] = J.jacrev(f)(W)
    results["jit(f)"] = jit(f)(W)
    return results


@pytest.fixture(scope="module")
def results():
    return article(jaxlite), article(jax)


def assert_close(lite, ref, rtol=2e-5, atol=2e-6):
    lite_leaves = jaxlite.tree_util.tree_leaves(lite)
    ref_leaves = jax.tree_util.tree_leaves(ref)
    assert len(lite_leaves) == len(ref_leaves)
    for a, b in zip(lite_leaves, ref_leaves):
        if isinstance(b, str):
            assert a == b
            continue
        assert np.shape(a) == np.shape(b) and np.asarray(a).dtype == np.asarray(b).dtype
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", ["x**3", "grad at 2", "vmap (None, 0)", "vmap 0", "vmap 1, 0",
                                  "vmap 1, 1", "mm", "vmap(mv)", "grad(dist_orig)", "loss", "jvp",
                                  "vjp u", "rows", "jacrev", "jit(f)"])
def test_article_example_matches_jax(results, name):
    lite, ref = results
    # Sums of 100 products of normals: XLA and NumPy round differently, by about 1e-6 of the terms.
    atol = 1e-4 if name.startswith(("vmap", "mm")) else 2e-6
    assert_close(lite[name], ref[name], atol=atol)


def test_derivatives_of_x_cubed_are_3x2_and_6x(results):
    lite, _ = results
    xs = np.linspace(-3.0, 3.0, 25, dtype=np.float32)
    f, df, ddf = (np.asarray(a) for a in lite["x**3"])
    np.testing.assert_allclose(df, 3 * xs ** 2, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ddf, 6 * xs, rtol=1e-5, atol=1e-5)
    assert [float(a) for a in lite["grad at 2"]] == [12.0, 12.0]


def test_grad_of_dist_orig_is_a_point_of_unit_direction(results):
    lite, _ = results
    name, *g = lite["grad(dist_orig)"]
    assert name == "Point"
    np.testing.assert_allclose([float(c) for c in g], np.array([1.0, 2.0, 3.0]) / np.sqrt(14.0), rtol=1e-6)


def test_vjp_rows_recover_the_jacobian(results):
    lite, _ = results
    rows = np.stack([np.asarray(r[0]) for r in lite["rows"]])
    np.testing.assert_allclose(rows, np.asarray(lite["jacrev"]), rtol=1e-6, atol=1e-7)


def test_vmap_examples_agree_with_a_matrix_product(results):
    lite, _ = results
    np.testing.assert_allclose(np.asarray(lite["mm"]), np.asarray(lite["vmap (None, 0)"]), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(lite["vmap(mv)"]), np.asarray(lite["vmap 0"]), rtol=1e-5)
