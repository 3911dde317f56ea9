"""vmap's whole signature against jax.vmap: in_axes and out_axes in every form, axis_size, nesting,
composition with grad and the Jacobians built on vmap, its errors, and the seed article's examples."""
import jax
import numpy as np
import pytest

import jaxlite

rng = np.random.default_rng(0)


def f32(*shape):
    return rng.normal(size=shape).astype(np.float32)


A43, B34, V4, V3 = f32(4, 3), f32(3, 4), f32(4), f32(3)


def lib(J, tree):
    """NumPy leaves as arrays of library J."""
    return J.tree_util.tree_map(J.numpy.asarray, tree)


def assert_matches(lite, ref, rtol=1e-5, atol=1e-6):
    lite_leaves, lite_tree = jaxlite.tree_util.tree_flatten(lite)
    ref_leaves, ref_tree = jax.tree_util.tree_flatten(ref)
    assert str(lite_tree) == str(ref_tree)
    for a, b in zip(lite_leaves, ref_leaves):
        assert np.asarray(a).dtype == np.asarray(b).dtype
        assert a.shape == b.shape
        assert getattr(a, "weak_type", False) == getattr(b, "weak_type", False)
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


def both(make, *args):
    """make(J) -> function; its outputs on jaxlite and on JAX for the same arguments."""
    return make(jaxlite)(*lib(jaxlite, args)), make(jax)(*lib(jax, args))


# ----------------------------------------------------------------------------------------------
# in_axes


@pytest.mark.parametrize("in_axes, args", [
    (0, (A43,)),
    (1, (A43,)),
    (-1, (A43,)),
    (-2, (f32(2, 5, 3),)),
    ((0, None), (A43, B34)),
    ([1, 0], (B34, f32(4, 3))),
    ((None, 1), (V3, B34)),
    ((-1, -2), (A43, f32(3, 4))),
], ids=["int", "int1", "negative", "negative-2", "tuple-none", "list", "none-first", "negative-tuple"])
def test_in_axes_forms(in_axes, args):
    def make(J):
        return J.vmap(lambda *xs: sum(J.numpy.sin(x) for x in xs[:1]) * xs[-1].sum(), in_axes=in_axes)
    assert_matches(*both(make, *args))


def test_in_axes_dict_prefix():
    def make(J):
        return J.vmap(lambda d, s: d["w"] @ d["x"] + s, in_axes=({"w": None, "x": 1}, None))
    assert_matches(*both(make, {"w": f32(2, 3), "x": B34}, np.float32(0.5)))


def test_in_axes_nested_containers():
    def make(J):
        return J.vmap(lambda p: p[0][0] * p[0][1] + p[1]["b"], in_axes=(((0, None), {"b": 1}),))
    assert_matches(*both(make, ((A43, V3), {"b": B34})))


@pytest.mark.parametrize("J", [jaxlite, jax], ids=["jaxlite", "jax"])
def test_in_axes_custom_registered_node(J):
    @J.tree_util.register_pytree_node_class
    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def tree_flatten(self):
            return (self.x, self.y), None

        @classmethod
        def tree_unflatten(cls, aux, children):
            return cls(*children)

    out = J.vmap(lambda p: p.x * p.y, in_axes=(Point(0, None),))(Point(J.numpy.asarray(A43), J.numpy.asarray(V3)))
    np.testing.assert_allclose(np.asarray(out), A43 * V3, rtol=1e-6)
    out = J.vmap(lambda p: Point(p.y, p.x), in_axes=(Point(1, 0),), out_axes=Point(0, 1))(
        Point(J.numpy.asarray(B34), J.numpy.asarray(V4)))
    np.testing.assert_allclose(np.asarray(out.x), V4, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(out.y), B34, rtol=1e-6)


def test_keyword_arguments_are_mapped_over_axis_0():
    assert_matches(*both(lambda J: lambda a, b: J.vmap(lambda x, y: x * y)(a, y=b), A43, A43))


# ----------------------------------------------------------------------------------------------
# out_axes and axis_size


@pytest.mark.parametrize("out_axes", [0, 1, -1, 2])
def test_out_axes_int(out_axes):
    assert_matches(*both(lambda J: J.vmap(lambda x: x * 2.0, out_axes=out_axes), f32(4, 3, 2)))


def test_out_axes_none_for_an_unbatched_output():
    def make(J):
        return J.vmap(lambda x, y: (x * 2.0, y + 1.0), in_axes=(0, None), out_axes=(0, None))
    assert_matches(*both(make, A43, V3))


def test_out_axes_pytree():
    def make(J):
        return J.vmap(lambda x: {"a": x, "b": x.sum(), "c": (x, x[0])}, out_axes={"a": 1, "b": 0, "c": (-1, 0)})
    assert_matches(*both(make, A43))


def test_unbatched_output_is_broadcast_along_out_axis():
    assert_matches(*both(lambda J: J.vmap(lambda x, y: y * 2.0, in_axes=(0, None), out_axes=1), A43, V3))


def test_axis_size_with_no_mapped_input():
    assert_matches(*both(lambda J: J.vmap(lambda x: x * 2.0, in_axes=None, axis_size=5), V3))
    assert_matches(*both(lambda J: J.vmap(lambda: J.numpy.arange(3.0), axis_size=2)))


def test_scalar_outputs_stack_to_a_vector():
    assert_matches(*both(lambda J: J.vmap(lambda x: J.numpy.vdot(x, x)), A43))


# ----------------------------------------------------------------------------------------------
# Nesting and composition


def test_nested_vmap_builds_an_outer_product():
    make = lambda J: J.vmap(J.vmap(lambda x, y: x * y, in_axes=(0, None)), in_axes=(None, 0))
    assert_matches(*both(make, V4, V3))


def test_nested_vmap_over_different_axes():
    make = lambda J: J.vmap(J.vmap(lambda x: J.numpy.sum(x) * x, in_axes=1, out_axes=1), in_axes=2, out_axes=0)
    assert_matches(*both(make, f32(2, 3, 4)))


def test_vmap_of_grad_gives_per_example_gradients():
    def make(J):
        loss = lambda w, x, y: (J.numpy.tanh(x @ w) - y) ** 2
        return J.vmap(J.grad(loss), in_axes=(None, 0, 0))
    w, xs, ys = f32(3), f32(6, 3), f32(6)
    lite, ref = both(make, w, xs, ys)
    assert lite.shape == (6, 3)
    assert_matches(lite, ref)


def test_grad_of_vmap():
    make = lambda J: J.grad(lambda w: J.numpy.sum(J.vmap(lambda x: J.numpy.tanh(x @ w))(J.numpy.asarray(A43))))
    assert_matches(*both(make, f32(3, 2)))


def test_vmap_of_jvp():
    def make(J):
        f = lambda x: J.numpy.sin(x) * x.sum()
        return J.vmap(lambda t: J.jvp(f, (J.numpy.asarray(V3),), (t,))[1])
    assert_matches(*both(make, np.eye(3, dtype=np.float32)))


@pytest.mark.parametrize("jac", ["jacfwd", "jacrev"])
def test_jacobians_built_on_vmap(jac):
    make = lambda J: getattr(J, jac)(lambda x, y: J.numpy.sin(x)[:, None] * y, argnums=(0, 1))
    assert_matches(*both(make, V3, f32(2)), rtol=1e-5)


def test_hessian_is_jacfwd_of_jacrev():
    make = lambda J: J.hessian(lambda x: J.numpy.sum(J.numpy.tanh(x) ** 2) * x[0])
    assert_matches(*both(make, V4), rtol=1e-5)


def test_jacobian_of_pytree_input_and_output():
    make = lambda J: J.jacrev(lambda d: {"s": J.numpy.sum(d["a"] * d["b"]), "p": d["a"] * 2.0})
    assert_matches(*both(make, {"a": V3, "b": V3}))


# ----------------------------------------------------------------------------------------------
# Errors


def error_texts(make, *args):
    """Each library's error message, without the line jaxlite adds for learners (`Hint: ...`)."""
    texts = []
    for J in (jaxlite, jax):
        with pytest.raises(ValueError) as err:
            make(J)(*lib(J, args))
        texts.append([line for line in str(err.value).splitlines() if not line.startswith("Hint:")])
    return texts


def test_inconsistent_sizes_error_text_matches_jax():
    lite, ref = error_texts(lambda J: J.vmap(lambda x, y: x + y), A43, V3)
    assert lite == ref
    assert lite == ["vmap got inconsistent sizes for array axes to be mapped:",
                    "  * one axis had size 4: axis 0 of argument x of type float32[4,3];",
                    "  * one axis had size 3: axis 0 of argument y of type float32[3]"]


def test_inconsistent_sizes_error_names_pytree_leaves_and_kwargs():
    lite, ref = error_texts(lambda J: J.vmap(lambda d: d["a"] + d["b"]), {"a": V3, "b": V4})
    assert lite == ref
    lite, ref = error_texts(lambda J: lambda a, b: J.vmap(lambda x, y=None: x + y)(a, y=b), V3, V4)
    assert lite == ref


def test_inconsistent_sizes_with_axis_size_and_in_axes():
    lite, ref = error_texts(lambda J: J.vmap(lambda x, y: x * y, in_axes=(1, 0)), A43, V4)
    assert lite == ref


@pytest.mark.parametrize("make, args", [
    (lambda J: J.vmap(lambda x: x, in_axes=None), (V3,)),
    (lambda J: J.vmap(lambda x: x, in_axes=2), (A43,)),
    (lambda J: J.vmap(lambda x, y: x, in_axes=(0,)), (A43, A43)),
    (lambda J: J.vmap(lambda x: x, out_axes=None), (A43,)),
    (lambda J: J.vmap(lambda x: x), (np.float32(1.0),)),
], ids=["no-mapped-axis", "axis-out-of-range", "in-axes-length", "out-axes-none-batched", "scalar"])
def test_invalid_axes_raise_jax_errors(make, args):
    lite, ref = error_texts(make, *args)
    assert lite[0] == ref[0]


# ----------------------------------------------------------------------------------------------
# The seed article's examples (random.normal replaced by fixed NumPy arrays)

MAT = np.random.default_rng(1).normal(size=(150, 100)).astype(np.float32)
BATCHED_X = np.random.default_rng(2).normal(size=(10, 100)).astype(np.float32)
X_100_10 = np.random.default_rng(3).normal(size=(100, 10)).astype(np.float32)


def test_seed_matrix_times_batched_vectors_in_axes_none_0():
    lite, ref = both(lambda J: J.vmap(lambda mat, v: J.numpy.dot(mat, v), (None, 0)), MAT, BATCHED_X)
    assert lite.shape == (10, 150)
    assert_matches(lite, ref, rtol=1e-4, atol=1e-4)


def test_seed_closed_over_matrix_in_axes_0():
    make = lambda J: J.vmap(lambda v: J.numpy.dot(J.numpy.asarray(MAT), v), 0)
    assert_matches(*both(make, BATCHED_X), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("in_axes, out_axes, shape", [(1, 0, (10, 150)), (1, 1, (150, 10))])
def test_seed_in_axes_1_with_out_axes(in_axes, out_axes, shape):
    make = lambda J: J.vmap(lambda v: J.numpy.dot(J.numpy.asarray(MAT), v), in_axes, out_axes)
    lite, ref = both(make, X_100_10)
    assert lite.shape == shape
    assert_matches(lite, ref, rtol=1e-4, atol=1e-4)


def seed_products(J):
    vv = lambda v1, v2: J.numpy.vdot(v1, v2)
    mv = J.vmap(vv, (0, None), 0)   # ([b,a], [a]) -> [b]
    mm = J.vmap(mv, (None, 1), 0)   # ([b,a], [a,c]) -> [c,b]
    return vv, mv, mm


def test_seed_vv_mv_mm_with_vdot():
    lite_vv, lite_mv, lite_mm = seed_products(jaxlite)
    ref_vv, ref_mv, ref_mm = seed_products(jax)
    v1, v2 = MAT[0], BATCHED_X[0]
    assert_matches(lite_vv(v1, v2), ref_vv(v1, v2), rtol=1e-4)
    assert_matches(lite_mv(MAT, v2), ref_mv(MAT, v2), rtol=1e-4, atol=1e-4)
    lite = lite_mm(MAT, BATCHED_X.T)
    assert lite.shape == (10, 150)
    assert_matches(lite, ref_mm(MAT, BATCHED_X.T), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.asarray(lite), BATCHED_X @ MAT.T, rtol=1e-4, atol=1e-4)


def test_seed_vmap_of_mv_over_batched_x():
    lite_mv, ref_mv = seed_products(jaxlite)[1], seed_products(jax)[1]
    lite = jaxlite.vmap(lite_mv, (None, 0), 0)(MAT, BATCHED_X)
    assert_matches(lite, jax.vmap(ref_mv, (None, 0), 0)(MAT, BATCHED_X), rtol=1e-4, atol=1e-4)


# ----------------------------------------------------------------------------------------------
# Custom derivatives under vmap: outputs batched only where an input is, cotangents of shared
# (unbatched) inputs summed over the batch


def softplus(J):
    @J.custom_jvp
    def f(x):
        return J.numpy.log1p(J.numpy.exp(x))

    f.defjvp(lambda primals, tangents: (f(primals[0]), tangents[0] / (1.0 + J.numpy.exp(-primals[0]))))
    return f


def scaled_sin(J):
    @J.custom_vjp
    def f(x, k):
        return J.numpy.sin(x) * k

    f.defvjp(lambda x, k: (J.numpy.sin(x) * k, (x, k)),
             lambda res, g: (J.numpy.cos(res[0]) * res[1] * g, J.numpy.sum(J.numpy.sin(res[0]) * g)))
    return f


def test_jacfwd_and_hessian_of_custom_jvp():
    assert_matches(*both(lambda J: J.jacfwd(softplus(J)), V3))
    assert_matches(*both(lambda J: J.hessian(lambda x: J.numpy.sum(softplus(J)(x) * x)), V3), rtol=1e-5)


def test_vmap_of_custom_jvp_with_an_unbatched_input_keeps_it_unbatched():
    make = lambda J: J.vmap(lambda x, y: (softplus(J)(y), softplus(J)(x)), in_axes=(0, None))
    assert_matches(*both(make, A43, V3))


def test_grad_of_vmap_of_custom_vjp_sums_the_shared_input_cotangent():
    make = lambda J: J.grad(lambda k: J.numpy.sum(J.vmap(scaled_sin(J), in_axes=(0, None))(
        J.numpy.asarray(V4), k)))
    assert_matches(*both(make, np.float32(2.0)))


def test_grad_of_vmap_of_custom_vjp_over_axis_1():
    make = lambda J: J.grad(lambda x: J.numpy.sum(J.vmap(scaled_sin(J), in_axes=(1, None))(x, 3.0) ** 2))
    assert_matches(*both(make, B34))
