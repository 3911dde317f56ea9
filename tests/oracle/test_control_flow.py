"""lax.cond, switch, while_loop, fori_loop, scan and map against jax.lax: values, jvp, grad, vmap,
jit on both backends, and the errors JAX raises."""
import jax
import numpy as np
import pytest

import jaxlite

rng = np.random.default_rng(0)


def f32(*shape):
    return rng.uniform(-1.0, 1.0, shape).astype(np.float32)


X3, Y3, M34 = f32(3), f32(3), f32(3, 4)
C3 = np.array([0.5, -1.0, 2.0], np.float32)


def as_lib(J, tree):
    """NumPy leaves as arrays of library J (so Python-scalar weak types are not involved)."""
    return J.tree_util.tree_map(J.numpy.asarray, tree)


def assert_matches(lite, ref, rtol=2e-5, atol=1e-6):
    lite_leaves, lite_tree = jaxlite.tree_util.tree_flatten(lite)
    ref_leaves, ref_tree = jax.tree_util.tree_flatten(ref)
    assert str(lite_tree) == str(ref_tree)
    for a, b in zip(lite_leaves, ref_leaves):
        assert np.asarray(a).dtype == np.asarray(b).dtype
        assert getattr(a, "weak_type", False) == getattr(b, "weak_type", False)
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


class Case:
    def __init__(self, make, args, grad=True, batched=None):
        self.make = make          # J -> function of arrays
        self.args = args          # NumPy arrays
        self.grad = grad          # whether reverse mode applies (float args, static loops)
        self.batched = batched    # args with a leading batch axis for vmap (or None)


def _sum_leaves(J, out):
    return sum(J.numpy.sum(leaf) for leaf in J.tree_util.tree_leaves(out))


CASES = {
    "cond_true": Case(lambda J: lambda p, x: J.lax.cond(p > 0, J.numpy.sin, lambda x: x * x, x),
                      (np.float32(0.5), X3), batched=(f32(4), f32(4, 3))),
    "cond_false": Case(lambda J: lambda p, x: J.lax.cond(p > 0, J.numpy.sin, lambda x: x * x, x),
                       (np.float32(-0.5), X3)),
    "cond_int_pred": Case(lambda J: lambda n, x: J.lax.cond(n, lambda x: x + 1.0, lambda x: x - 1.0, x),
                          (np.int32(3), X3), grad=False),
    "cond_pytree_operands": Case(
        lambda J: lambda p, d: J.lax.cond(p > 0, lambda d: (d["a"] * d["b"], d["a"]),
                                          lambda d: (d["a"] - d["b"], d["b"] * 2.0), d),
        (np.float32(1.0), {"a": X3, "b": Y3}), batched=(f32(4), {"a": f32(4, 3), "b": f32(4, 3)})),
    "cond_closure": Case(lambda J: lambda p, x: J.lax.cond(p > 0, lambda x: x * J.numpy.asarray(C3),
                                                            lambda x: x + 1.0, x),
                         (np.float32(1.0), X3), batched=(f32(4), f32(4, 3))),
    "cond_several_operands": Case(
        lambda J: lambda p, x, y: J.lax.cond(p > 0, lambda x, y: x * y, lambda x, y: x - y, x, y),
        (np.float32(-1.0), X3, Y3), batched=(f32(4), f32(4, 3), f32(4, 3))),
    "switch": Case(lambda J: lambda i, x: J.lax.switch(i, [J.numpy.sin, J.numpy.cos, lambda x: x * 3.0], x),
                   (np.int32(1), X3), grad=False, batched=(np.array([0, 1, 2, 1], np.int32), f32(4, 3))),
    "switch_index_below_range": Case(
        lambda J: lambda i, x: J.lax.switch(i, [J.numpy.sin, J.numpy.cos, lambda x: x * 3.0], x),
        (np.int32(-4), X3), grad=False),
    "switch_index_above_range": Case(
        lambda J: lambda i, x: J.lax.switch(i, [J.numpy.sin, J.numpy.cos, lambda x: x * 3.0], x),
        (np.int32(9), X3), grad=False, batched=(np.array([-2, 0, 5, 1], np.int32), f32(4, 3))),
    "while_loop": Case(lambda J: lambda x: J.lax.while_loop(lambda c: J.numpy.sum(c) < 20.0,
                                                            lambda c: c * 2.0 + 1.0, x),
                       (X3,), grad=False, batched=(f32(5, 3),)),
    "while_loop_pytree_carry": Case(
        lambda J: lambda x: J.lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0] + 1, J.numpy.sin(c[1])),
                                             (0, x))[1],
        (X3,), grad=False, batched=(f32(4, 3),)),
    "while_loop_closure": Case(
        lambda J: lambda x, y: J.lax.while_loop(lambda c: J.numpy.max(c) < 3.0, lambda c: c + y * y + 0.1, x),
        (X3, Y3), grad=False, batched=(f32(4, 3), f32(4, 3))),
    "fori_loop_static": Case(lambda J: lambda x: J.lax.fori_loop(0, 4, lambda i, c: J.numpy.sin(c) * i + c, x),
                             (X3,), batched=(f32(4, 3),)),
    "fori_loop_pytree": Case(
        lambda J: lambda x, y: J.lax.fori_loop(1, 3, lambda i, c: (c[0] * c[1], c[1] + i), (x, y)),
        (X3, Y3)),
    "scan_cumsum": Case(lambda J: lambda m: J.lax.scan(lambda c, r: (c + r, c * r), J.numpy.zeros(4), m),
                        (M34,), batched=(f32(2, 3, 4),)),
    "scan_reverse": Case(lambda J: lambda m: J.lax.scan(lambda c, r: (c * 0.5 + r, J.numpy.sum(c)), 0.0 * m[0],
                                                         m, reverse=True),
                         (M34,), batched=(f32(2, 3, 4),)),
    "scan_no_xs": Case(lambda J: lambda x: J.lax.scan(lambda c, _: (J.numpy.sin(c), c * 2.0), x, None, length=5),
                       (X3,), batched=(f32(4, 3),)),
    "scan_pytree_carry_and_xs": Case(
        lambda J: lambda x, m: J.lax.scan(
            lambda c, xs: ({"s": c["s"] + xs[0], "p": c["p"] * xs[1]}, (xs[0] - c["s"], None)),
            {"s": x, "p": x * 0.0 + 1.0}, (m, m * 2.0)),
        (f32(4), M34), batched=(f32(2, 4), f32(2, 3, 4))),
    "scan_with_closure": Case(lambda J: lambda x, m: J.lax.scan(lambda c, r: (c * x + r, c), x, m)[0],
                              (f32(4), M34), batched=(f32(2, 4), f32(2, 3, 4))),
    "map": Case(lambda J: lambda m: J.lax.map(lambda r: J.numpy.sum(J.numpy.tanh(r)) * r, m),
                (M34,), batched=(f32(2, 3, 4),)),
}

NAMES = list(CASES)


def jax_jit(transform):
    """The JAX oracle of a transformation, compiled once (JAX's op-by-op dispatch is slow here)."""
    return lambda f: jax.jit(transform(f))
GRAD = [n for n in NAMES if CASES[n].grad]
BATCHED = [n for n in NAMES if CASES[n].batched is not None]


def run(name, J, args, transform=lambda f: f):
    return transform(CASES[name].make(J))(*as_lib(J, args))


@pytest.mark.parametrize("name", NAMES)
def test_value_matches_jax(name):
    args = CASES[name].args
    assert_matches(run(name, jaxlite, args), run(name, jax, args))


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", NAMES)
def test_jit_matches_eager(name, backend):
    args = CASES[name].args
    jitted = run(name, jaxlite, args, lambda f: jaxlite.jit(f, backend=backend))
    assert_matches(jitted, run(name, jaxlite, args))  # and eager is compared with JAX above


def _float_tangents(args):
    return jax.tree_util.tree_map(
        lambda a: (rng.normal(size=np.shape(a)).astype(np.float32) if np.asarray(a).dtype.kind == "f"
                   else np.zeros(np.shape(a), jax.dtypes.float0)), args)


@pytest.mark.parametrize("name", NAMES)
def test_jvp_matches_jax(name):
    args = CASES[name].args
    if any(np.asarray(a).dtype.kind != "f" for a in jax.tree_util.tree_leaves(args)):
        # jvp with respect to the float arguments only, the others closed over.
        fixed = [a for a in args if np.asarray(a).dtype.kind != "f"]
        args = tuple(a for a in args if np.asarray(a).dtype.kind == "f")

        def wrap(J):
            return lambda *xs: CASES[name].make(J)(*as_lib(J, fixed), *xs)
    else:
        wrap = CASES[name].make
    tangents = _float_tangents(args)
    lite = jaxlite.jvp(wrap(jaxlite), as_lib(jaxlite, args), as_lib(jaxlite, tangents))
    ref = jax.jvp(wrap(jax), as_lib(jax, args), as_lib(jax, tangents))
    assert_matches(lite, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", GRAD)
def test_grad_matches_jax(name):
    args = CASES[name].args
    argnums = tuple(range(len(args)))

    def loss(J):
        f = CASES[name].make(J)
        return J.grad(lambda *xs: _sum_leaves(J, f(*xs)), argnums=argnums)

    assert_matches(loss(jaxlite)(*as_lib(jaxlite, args)), jax.jit(loss(jax))(*as_lib(jax, args)),
                   rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", BATCHED)
def test_vmap_matches_jax(name):
    batched = CASES[name].batched
    assert_matches(run(name, jaxlite, batched, jaxlite.vmap), run(name, jax, batched, jax_jit(jax.vmap)),
                   rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", ["cond_true", "switch_index_above_range", "while_loop", "scan_cumsum"])
def test_jit_of_vmap_matches_jax(name, backend):
    batched = CASES[name].batched
    lite = run(name, jaxlite, batched, lambda f: jaxlite.jit(jaxlite.vmap(f), backend=backend))
    assert_matches(lite, run(name, jax, batched, jax_jit(jax.vmap)), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", ["cond_true", "fori_loop_static", "scan_reverse", "map"])
def test_jit_of_grad_matches_jax(name, backend):
    def grad_of(J):
        f = CASES[name].make(J)
        return J.grad(lambda *xs: _sum_leaves(J, f(*xs)), argnums=len(CASES[name].args) - 1)
    args = CASES[name].args
    lite = jaxlite.jit(grad_of(jaxlite), backend=backend)(*as_lib(jaxlite, args))
    assert_matches(lite, jax.jit(grad_of(jax))(*as_lib(jax, args)), rtol=1e-4, atol=1e-5)


def test_vmap_of_grad_of_cond_with_batched_predicate_matches_jax():
    def per_example(J):
        f = lambda p, x: J.numpy.sum(J.lax.cond(p > 0, J.numpy.sin, lambda x: x ** 3, x))
        return J.vmap(J.grad(f, argnums=1))
    p, x = f32(6), f32(6, 3)
    assert_matches(per_example(jaxlite)(p, x), jax.jit(per_example(jax))(p, x), rtol=1e-5)


def test_grad_through_untaken_branch_of_batched_cond_has_no_nan():
    def g(J):
        f = lambda x: J.lax.cond(x > 0, J.numpy.sqrt, lambda x: x, x)
        return J.vmap(J.grad(f))
    x = np.array([-1.0, 4.0], np.float32)
    assert_matches(g(jaxlite)(x), g(jax)(x))
    assert not np.isnan(np.asarray(g(jaxlite)(x))).any()


# ----------------------------------------------------------------------------------------------
# Loops with traced bounds, lengths and directions


@pytest.mark.parametrize("backend", ["numpy", "xla"])
def test_fori_loop_with_traced_upper_bound_under_jit(backend):
    def f(J, **kw):
        return J.jit(lambda x, n: J.lax.fori_loop(0, n, lambda i, c: c * 1.5 + i, x), **kw)
    for n in (0, 1, 4):
        assert_matches(f(jaxlite, backend=backend)(X3, np.int32(n)), f(jax)(X3, np.int32(n)))


def test_fori_loop_with_traced_bounds_is_a_while_loop():
    text = str(jaxlite.make_jaxpr(lambda x, n: jaxlite.lax.fori_loop(0, n, lambda i, c: c * 2.0, x))(X3, 3))
    assert " = while[" in text and "scan[" not in text


def test_fori_loop_with_static_bounds_is_a_scan():
    text = str(jaxlite.make_jaxpr(lambda x: jaxlite.lax.fori_loop(0, 3, lambda i, c: c * 2.0, x))(X3))
    assert " = scan[" in text and "length=3" in text


def test_fori_loop_with_empty_range_returns_init():
    for J in (jaxlite, jax):
        out = J.lax.fori_loop(5, 2, lambda i, c: c + 1.0, J.numpy.asarray(X3))
        np.testing.assert_array_equal(np.asarray(out), X3)


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_direction_orders_ys_like_jax(reverse):
    def f(J):
        return J.lax.scan(lambda c, x: (c + x, c), 0.0, J.numpy.arange(5.0), reverse=reverse)
    assert_matches(f(jaxlite), f(jax))


def test_scan_length_mismatch_raises_jax_error():
    msgs = []
    for J in (jaxlite, jax):
        with pytest.raises(ValueError) as err:
            J.lax.scan(lambda c, x: (c, x), 0.0, (J.numpy.ones(3), J.numpy.ones(4)))
        msgs.append(str(err.value).splitlines()[0])
    assert msgs[0] == msgs[1]


def test_scan_zero_length_gives_empty_ys():
    def f(J):
        return J.lax.scan(lambda c, x: (c + x, c * x), J.numpy.ones(2), J.numpy.zeros((0, 2)))
    assert_matches(f(jaxlite), f(jax))


def test_while_loop_weakly_typed_init_takes_the_body_type():
    def f(J):
        return J.lax.while_loop(lambda c: c < 10.0, lambda c: c * np.float32(3.0), 1.0)
    assert_matches(f(jaxlite), f(jax))


# ----------------------------------------------------------------------------------------------
# Errors worded as JAX words them (first line)


def first_lines(fn, error=TypeError):
    lines = []
    for J in (jaxlite, jax):
        with pytest.raises(error) as err:
            fn(J)
        lines.append(str(err.value).splitlines()[0])
    return lines


def test_while_loop_reverse_mode_raises_jax_error():
    def f(J):
        return J.grad(lambda x: J.numpy.sum(J.lax.while_loop(lambda c: J.numpy.sum(c) < 9.0,
                                                             lambda c: c * 2.0, x)))(J.numpy.asarray(C3))
    lite, ref = first_lines(f, ValueError)
    assert lite == ref
    assert lite.startswith("Reverse-mode differentiation does not work for lax.while_loop")


def test_fori_loop_with_traced_bound_reverse_mode_raises_jax_error():
    def f(J):
        g = J.grad(lambda x, n: J.numpy.sum(J.lax.fori_loop(0, n, lambda i, c: c * 2.0, x)))
        return J.jit(g)(J.numpy.asarray(C3), 3)
    lite, ref = first_lines(f, ValueError)
    assert lite == ref


def test_while_loop_forward_mode_works_where_reverse_does_not():
    def f(J):
        loop = lambda x: J.lax.while_loop(lambda c: J.numpy.sum(c) < 9.0, lambda c: c * 2.0, x)
        return J.jvp(loop, (J.numpy.asarray(C3),), (J.numpy.ones(3),))
    assert_matches(f(jaxlite), f(jax))


@pytest.mark.parametrize("false_branch", [lambda x: x[:2], lambda x: x.astype(np.int32),
                                          lambda x: (x, x)], ids=["shape", "dtype", "structure"])
def test_cond_branch_mismatch_error_matches_jax(false_branch):
    lite, ref = first_lines(lambda J: J.lax.cond(True, lambda x: x, false_branch, J.numpy.asarray(X3)))
    assert lite == ref


def test_cond_branch_mismatch_error_names_the_branches_and_types():
    with pytest.raises(TypeError) as err:
        jaxlite.lax.cond(True, lambda x: x, lambda x: x[:2], X3)
    msg = str(err.value)
    assert "true_fun is <lambda> at " in msg and "false_fun is <lambda> at " in msg
    assert ("The output of true_fun has type float32[3] but the corresponding output of false_fun has "
            "type float32[2], so the shapes do not match.") in msg


def test_switch_branch_mismatch_error_matches_jax():
    lite, ref = first_lines(lambda J: J.lax.switch(1, [lambda x: x, lambda x: J.numpy.sum(x)],
                                                   J.numpy.asarray(X3)))
    assert lite == ref


@pytest.mark.parametrize("body", [lambda c, x: (J_sum(c), x), lambda c, x: (c.astype(np.int32), x),
                                  lambda c, x: ((c, c), x)], ids=["shape", "dtype", "structure"])
def test_scan_carry_type_change_error_matches_jax(body):
    lite, ref = first_lines(lambda J: J.lax.scan(body, J.numpy.asarray(X3), J.numpy.asarray(M34.T)))
    assert lite == ref


def J_sum(c):
    return c.sum()


def test_scan_carry_error_names_the_carry_argument():
    with pytest.raises(TypeError) as err:
        jaxlite.lax.scan(lambda carry, x: (carry[:2], x), X3, M34.T)
    assert ("The input carry carry has type float32[3] but the corresponding output carry component "
            "has type float32[2], so the shapes do not match.") in str(err.value)


@pytest.mark.parametrize("body", [lambda c: c[:2], lambda c: c.astype(np.int32)], ids=["shape", "dtype"])
def test_while_loop_carry_type_change_error_matches_jax(body):
    lite, ref = first_lines(lambda J: J.lax.while_loop(lambda c: c.sum() < 10, body, J.numpy.asarray(X3)))
    assert lite == ref


def test_while_loop_non_boolean_predicate_error_matches_jax():
    lite, ref = first_lines(lambda J: J.lax.while_loop(lambda c: c.sum(), lambda c: c, J.numpy.asarray(X3)))
    assert lite == ref


def test_cond_non_scalar_predicate_error_matches_jax():
    lite, ref = first_lines(lambda J: J.lax.cond(np.array([True, False]), lambda x: x, lambda x: x, X3))
    assert lite == ref


# ----------------------------------------------------------------------------------------------
# jacfwd and hessian: vmap over tangents leaves the (unbatched) primal outputs unbatched


@pytest.mark.parametrize("name", ["cond_true", "switch", "while_loop", "fori_loop_static", "scan_cumsum",
                                  "scan_no_xs", "map"])
def test_jacfwd_matches_jax(name):
    args = CASES[name].args
    argnum = len(args) - 1
    lite = jaxlite.jacfwd(CASES[name].make(jaxlite), argnums=argnum)(*as_lib(jaxlite, args))
    ref = jax.jit(jax.jacfwd(CASES[name].make(jax), argnums=argnum))(*as_lib(jax, args))
    assert_matches(lite, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["cond_true", "fori_loop_static", "scan_reverse"])
def test_hessian_matches_jax(name):
    def h(J):
        f = CASES[name].make(J)
        n = len(CASES[name].args) - 1
        return J.hessian(lambda *xs: _sum_leaves(J, f(*xs)) ** 2, argnums=n)
    args = CASES[name].args
    assert_matches(h(jaxlite)(*as_lib(jaxlite, args)), jax.jit(h(jax))(*as_lib(jax, args)), rtol=1e-4, atol=1e-4)


def test_vmap_keeps_unbatched_loop_carries_unbatched():
    def f(x, y):
        # The counter never meets the batched y: it stays one scalar, not one per example.
        return jaxlite.lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * y), (0, x))
    text = str(jaxlite.make_jaxpr(jaxlite.vmap(f, in_axes=(None, 0)))(np.float32(1.0), X3))
    assert "d:i32[] e:f32[3] = while[" in text
    out = jaxlite.vmap(f, in_axes=(None, 0))(np.float32(1.0), X3)
    assert_matches(out, jax.vmap(lambda x, y: jax.lax.while_loop(
        lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * y), (0, x)), in_axes=(None, 0))(np.float32(1.0), X3))


def counted_doubling(J):
    return lambda x, n: J.lax.while_loop(lambda c: c[0] < n, lambda c: (c[0] + 1, c[1] * 2.0), (0, x))


@pytest.mark.parametrize("backend", [None, "numpy", "xla"])
def test_nested_vmap_of_while_with_batched_predicate_inside(backend):
    # The inner vmap batches the predicate (over n); the outer one batches only x, which the
    # predicate never reads: its axis goes after the predicate's.
    def make(J):
        f = J.vmap(J.vmap(counted_doubling(J), in_axes=(None, 0)), in_axes=(0, None))
        return f if J is jax or backend is None else jaxlite.jit(f, backend=backend)
    x, n = f32(4), np.array([1, 3, 0], np.int32)
    assert_matches(make(jaxlite)(x, n), make(jax)(x, n))


def test_nested_vmap_of_while_with_batched_predicate_outside():
    def make(J):
        return J.vmap(J.vmap(counted_doubling(J), in_axes=(0, None)), in_axes=(None, 0))
    x, n = f32(4), np.array([1, 3, 0], np.int32)
    assert_matches(make(jaxlite)(x, n), make(jax)(x, n))


def test_vmap_of_while_keeps_the_batched_predicate_in_the_primitive():
    f = jaxlite.vmap(lambda x: jaxlite.lax.while_loop(lambda c: jaxlite.numpy.sum(c) < 10.0,
                                                      lambda c: c + 1.0, x))
    text = str(jaxlite.make_jaxpr(f)(M34))
    assert "g:bool[3] = lt f 10.0:f32[]\n        in (g,) }" in text and "select_n" not in text


def test_cond_traces_true_fun_first_and_orders_constants_as_jax():
    """JAX traces (true_fun, false_fun) and passes the true branch's constants first."""
    seen = {}
    for J in (jax, jaxlite):
        order = []
        a, b = J.numpy.ones(2), J.numpy.arange(2.0)
        jaxpr = J.make_jaxpr(lambda x: J.lax.cond(
            x[0] > 0, lambda x: order.append("true") or x * a, lambda x: order.append("false") or x + b, x))(
            J.numpy.ones(2))
        seen[J.__name__] = (order, str(jaxpr))
    assert seen["jaxlite"] == seen["jax"]
    assert seen["jax"][0] == ["true", "false"]
