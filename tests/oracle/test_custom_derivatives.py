"""custom_jvp and custom_vjp against real JAX: values, jvp, grad, higher order, vmap, jit, jaxprs.

Each example is defined by a builder `make(J, jnp, custom_jvp, custom_vjp)`, so the same source is
decorated by each library's own custom_jvp/custom_vjp.
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from jaxlite.custom_derivatives import custom_jvp, custom_vjp
from oracle.test_api import assert_same

XS = np.array([-3.0, -0.5, 0.0, 0.7, 2.0], np.float32)
BIG = np.array([-1.0, 0.0, 100.0], np.float32)
LIBS = {"jaxlite": (jaxlite, lnp, custom_jvp, custom_vjp), "jax": (jax, jnp, jax.custom_jvp, jax.custom_vjp)}


def build(make):
    """{"jaxlite": ..., "jax": ...}: the example built with each library."""
    return {name: make(*lib) for name, lib in LIBS.items()}


def check(make, use, **tol):
    """`use(J, jnp, example)` gives the same results for both libraries' builds of `make`."""
    built = build(make)
    lite = use(jaxlite, lnp, built["jaxlite"])
    ref = use(jax, jnp, built["jax"])
    assert_same(lite, ref, **tol)


def log1pexp(J, np_, custom_jvp, custom_vjp):
    """log(1 + e^x) with a JVP rule that stays finite where e^x overflows."""
    @custom_jvp
    def log1pexp(x):
        return np_.log(1.0 + np_.exp(x))

    @log1pexp.defjvp
    def log1pexp_jvp(primals, tangents):
        x, = primals
        x_dot, = tangents
        return log1pexp(x), (1.0 - 1.0 / (1.0 + np_.exp(x))) * x_dot

    return log1pexp


def clip_gradient(J, np_, custom_jvp, custom_vjp):
    """The identity on x, whose gradient is clipped to [lo, hi] on the way back."""
    @custom_vjp
    def clip_gradient(lo, hi, x):
        return x

    def clip_gradient_fwd(lo, hi, x):
        return x, (lo, hi)

    def clip_gradient_bwd(res, g):
        lo, hi = res
        return None, None, np_.clip(g, lo, hi)

    clip_gradient.defvjp(clip_gradient_fwd, clip_gradient_bwd)
    return clip_gradient


def sin_scale(J, np_, custom_jvp, custom_vjp):
    """A custom_vjp of two arguments whose fwd saves several residuals."""
    @custom_vjp
    def sin_scale(x, y):
        return np_.sin(x) * y

    def sin_scale_fwd(x, y):
        return sin_scale(x, y), (np_.cos(x), np_.sin(x), y)

    def sin_scale_bwd(res, g):
        cos_x, sin_x, y = res
        return cos_x * g * y, sin_x * g

    sin_scale.defvjp(sin_scale_fwd, sin_scale_bwd)
    return sin_scale


def affine(J, np_, custom_jvp, custom_vjp):
    """A custom_vjp over dicts: residuals, inputs and outputs are pytrees, and bwd uses None."""
    @custom_vjp
    def affine(params, x):
        return {"y": params["w"] * x + params["b"], "norm": np_.sum(x ** 2)}

    def affine_fwd(params, x):
        return affine(params, x), {"w": params["w"], "x": x}

    def affine_bwd(res, g):
        grads = {"w": g["y"] * res["x"], "b": g["y"]}
        return grads, g["y"] * res["w"] + 2.0 * g["norm"] * res["x"]

    affine.defvjp(affine_fwd, affine_bwd)
    return affine


PARAMS = {"w": np.array([0.5, -1.0, 2.0, 0.1, 1.5], np.float32),
          "b": np.array([0.1, 0.2, 0.3, 0.4, 0.5], np.float32)}


def sum_of(f, np_):
    return lambda *args: np_.sum(f(*args))


# ----------------------------------------------------------------------------------------------
# custom_jvp

def test_custom_jvp_value():
    check(log1pexp, lambda J, np_, f: f(XS))


def test_custom_jvp_jvp_uses_the_rule():
    check(log1pexp, lambda J, np_, f: J.jvp(f, (XS,), (np.ones_like(XS),)))


@pytest.mark.filterwarnings("ignore:overflow encountered")
def test_custom_jvp_grad_stays_finite_where_autodiff_overflows():
    lite, ref = build(log1pexp)["jaxlite"], build(log1pexp)["jax"]
    g = jaxlite.grad(lambda x: lnp.sum(lite(x)))(BIG)
    assert np.isfinite(np.asarray(g)).all()
    assert_same(g, jax.grad(lambda x: jnp.sum(ref(x)))(BIG))


def test_custom_jvp_grad_of_grad():
    check(log1pexp, lambda J, np_, f: J.grad(J.grad(f))(0.3))


def test_custom_jvp_vmap_of_grad():
    check(log1pexp, lambda J, np_, f: J.vmap(J.grad(f))(XS))


def test_custom_jvp_grad_of_vmap():
    check(log1pexp, lambda J, np_, f: J.grad(lambda x: np_.sum(J.vmap(f)(x)))(XS))


def test_custom_jvp_linearize():
    def use(J, np_, f):
        out, f_jvp = J.linearize(f, XS)
        return out, f_jvp(XS * 2.0)
    check(log1pexp, use)


def test_custom_jvp_hessian():
    check(log1pexp, lambda J, np_, f: J.hessian(lambda x: np_.sum(f(x) * x))(XS[:3]))


def test_custom_jvp_under_jit_and_grad_of_jit():
    check(log1pexp, lambda J, np_, f: (J.jit(f)(XS), J.grad(lambda x: np_.sum(J.jit(f)(x)))(XS),
                                       J.jit(J.grad(sum_of(f, np_)))(XS)))


def test_custom_jvp_defjvps_sums_per_argument_rules():
    def make(J, np_, custom_jvp, custom_vjp):
        @custom_jvp
        def f(x, y):
            return np_.sin(x) * y

        f.defjvps(lambda x_dot, ans, x, y: np_.cos(x) * x_dot * y,
                  lambda y_dot, ans, x, y: np_.sin(x) * y_dot)
        return f
    check(make, lambda J, np_, f: (J.jvp(f, (XS, XS[::-1]), (XS * 0.5, XS)),
                                   J.grad(sum_of(f, np_), argnums=(0, 1))(XS, XS[::-1])))


def test_custom_jvp_defjvps_none_means_no_derivative():
    def make(J, np_, custom_jvp, custom_vjp):
        @custom_jvp
        def f(x, y):
            return x * y

        f.defjvps(lambda x_dot, ans, x, y: x_dot * y, None)
        return f
    check(make, lambda J, np_, f: J.grad(f, argnums=(0, 1))(2.0, 3.0))


def test_custom_jvp_nondiff_argnums_passes_a_function_through():
    def make(J, np_, custom_jvp, custom_vjp):
        @functools.partial(custom_jvp, nondiff_argnums=(0,))
        def apply(g, x):
            return g(x)

        @apply.defjvp
        def apply_jvp(g, primals, tangents):
            return apply(g, primals[0]), 2.0 * tangents[0]

        return apply
    check(make, lambda J, np_, f: (J.jvp(lambda x: f(np_.sin, x), (XS,), (XS,)),
                                   J.grad(lambda x: np_.sum(f(np_.sin, x)))(XS)))


def test_custom_jvp_keyword_arguments_resolve_to_positions():
    def make(J, np_, custom_jvp, custom_vjp):
        @custom_jvp
        def f(x, y=2.0):
            return x * y

        f.defjvp(lambda p, t: (f(*p), t[0] * p[1] + t[1] * p[0]))
        return f
    check(make, lambda J, np_, f: J.grad(lambda x: f(x, y=3.0))(1.5))


def test_custom_jvp_closing_over_an_array_stages_it_as_a_const():
    def make(J, np_, custom_jvp, custom_vjp):
        scale = np.arange(5.0, dtype=np.float32)

        @custom_jvp
        def f(x):
            return x * scale

        f.defjvp(lambda p, t: (f(p[0]), t[0] * scale))
        return f
    check(make, lambda J, np_, f: (f(XS), J.grad(sum_of(f, np_))(XS)))
    assert "num_consts=1" in str(jaxlite.make_jaxpr(build(make)["jaxlite"])(XS))


def test_a_rule_applying_the_custom_function_to_tangents_is_transposed():
    """The rule of a linear function reuses it on tangents: grad transposes the staged call."""
    def make(J, np_, custom_jvp, custom_vjp):
        @custom_jvp
        def double(x):
            return 2.0 * x

        double.defjvp(lambda p, t: (double(p[0]), double(t[0])))
        return double
    check(make, lambda J, np_, f: (J.grad(lambda x: np_.sin(f(x)))(1.0),
                                   J.grad(J.grad(lambda x: np_.sin(f(x))))(1.0)))
    built = build(make)
    lite, ref = (str(J.make_jaxpr(J.grad(lambda x: np_.sin(built[name](x))))(1.0))
                 for name, (J, np_, _, _) in LIBS.items())
    assert lite == ref


def test_evaluating_a_staged_custom_jvp_call_keeps_the_rule():
    """Binding the staged equation again (eval_jaxpr) dispatches to the trace like the call did."""
    f = build(log1pexp)["jaxlite"]
    closed = jaxlite.make_jaxpr(f)(BIG)
    g = jaxlite.grad(lambda x: lnp.sum(jaxlite.core.eval_jaxpr(closed.jaxpr, closed.consts, x)[0]))
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(np.asarray(g(BIG)), [0.26894143, 0.5, 1.0], rtol=1e-6)


# ----------------------------------------------------------------------------------------------
# custom_vjp

def test_custom_vjp_clips_the_gradient():
    check(clip_gradient, lambda J, np_, f: J.grad(lambda x: np_.sum(f(-0.5, 0.5, 3.0 * x)))(XS))


def test_custom_vjp_value_runs_the_function():
    check(sin_scale, lambda J, np_, f: f(XS, XS[::-1]))


def test_custom_vjp_grad_with_residuals():
    check(sin_scale, lambda J, np_, f: J.grad(sum_of(f, np_), argnums=(0, 1))(XS, XS[::-1]))


def test_custom_vjp_vjp_fun():
    def use(J, np_, f):
        out, vjp_fun = J.vjp(f, XS, XS[::-1])
        return out, vjp_fun(XS * 2.0)
    check(sin_scale, use)


def test_custom_vjp_grad_of_grad():
    check(sin_scale, lambda J, np_, f: J.grad(J.grad(f))(0.4, 1.5))


def test_custom_vjp_vmap_of_grad():
    check(sin_scale, lambda J, np_, f: J.vmap(J.grad(f, argnums=(0, 1)))(XS, XS[::-1]))


def test_custom_vjp_grad_of_vmap():
    check(sin_scale, lambda J, np_, f: J.grad(lambda x: np_.sum(J.vmap(f)(x, XS[::-1])))(XS))


def test_custom_vjp_grad_of_vmap_with_an_unbatched_input():
    check(sin_scale, lambda J, np_, f: J.grad(lambda y: np_.sum(J.vmap(f, in_axes=(0, None))(XS, y)))(2.0))


def test_custom_vjp_over_pytrees_with_none_cotangent():
    check(affine, lambda J, np_, f: J.grad(lambda p, x: np_.sum(f(p, x)["y"]) + f(p, x)["norm"],
                                           argnums=(0, 1))(PARAMS, XS))


def test_custom_vjp_bwd_none_gives_zero_cotangents():
    check(clip_gradient, lambda J, np_, f: J.grad(lambda lo, x: np_.sum(f(lo, 1.0, x)),
                                                  argnums=(0, 1))(-1.0, XS))


def test_custom_vjp_nondiff_argnums():
    def make(J, np_, custom_jvp, custom_vjp):
        @functools.partial(custom_vjp, nondiff_argnums=(1,))
        def scale(x, k):
            return x * k

        scale.defvjp(lambda x, k: (x * k, None), lambda k, res, g: (g * k,))
        return scale
    check(make, lambda J, np_, f: J.grad(lambda x: np_.sum(f(x, 3.0)))(XS))


def test_custom_vjp_under_jit_and_grad_of_jit():
    check(clip_gradient, lambda J, np_, f: (
        J.jit(J.grad(lambda x: np_.sum(f(-0.5, 0.5, 3.0 * x))))(XS),
        J.grad(lambda x: np_.sum(J.jit(f)(-0.5, 0.5, 3.0 * x)))(XS)))


def test_jvp_of_custom_vjp_is_an_error_as_in_jax():
    messages = []
    for J, np_, _, custom_vjp_ in LIBS.values():
        f = sin_scale(J, np_, None, custom_vjp_)
        with pytest.raises(TypeError) as info:
            J.jvp(f, (1.0, 2.0), (1.0, 1.0))
        messages.append(str(info.value).splitlines()[0])
    assert messages[0] == messages[1] == \
        "can't apply forward-mode autodiff (jvp) to a custom_vjp function."


def test_vmap_of_jvp_of_custom_vjp_is_the_same_error():
    f = sin_scale(jaxlite, lnp, None, custom_vjp)
    with pytest.raises(TypeError, match="can't apply forward-mode autodiff"):
        jaxlite.vmap(lambda x: jaxlite.jvp(f, (x, 2.0), (1.0, 1.0)))(XS)


# ----------------------------------------------------------------------------------------------
# Jaxprs: one custom_jvp_call / custom_vjp_call equation, printed as JAX prints it

JAXPR_CASES = {
    "custom_jvp": (log1pexp, lambda J, np_, f: f, (np.float32(1.0),)),
    "custom_jvp_of_array": (log1pexp, lambda J, np_, f: lambda x: f(x) + 1.0, (XS,)),
    "grad_of_custom_jvp": (log1pexp, lambda J, np_, f: J.grad(f), (np.float32(1.0),)),
    "jvp_of_custom_jvp": (log1pexp, lambda J, np_, f: lambda x: J.jvp(f, (x,), (x,)), (np.float32(1.0),)),
    "custom_vjp": (sin_scale, lambda J, np_, f: f, (np.float32(1.0), np.float32(2.0))),
    "grad_of_custom_vjp": (sin_scale, lambda J, np_, f: J.grad(f), (np.float32(1.0), np.float32(2.0))),
    "vjp_of_custom_vjp": (sin_scale, lambda J, np_, f: lambda x: J.vjp(f, x, 2.0)[1](1.0),
                          (np.float32(1.0),)),
}


@pytest.mark.parametrize("name", JAXPR_CASES)
def test_jaxpr_text_matches_jax(name):
    make, use, args = JAXPR_CASES[name]
    built = build(make)
    lite = str(jaxlite.make_jaxpr(use(jaxlite, lnp, built["jaxlite"]))(*args))
    ref = str(jax.make_jaxpr(use(jax, jnp, built["jax"]))(*args))
    assert lite == ref


def test_custom_call_prints_name_first_and_num_consts_only_when_closing_over_arrays():
    text = str(jaxlite.make_jaxpr(build(log1pexp)["jaxlite"])(XS))
    assert "custom_jvp_call[\n      name=log1pexp\n      call_jaxpr={" in text
    assert "jvp=log1pexp_jvp" in text and "num_consts" not in text


# ----------------------------------------------------------------------------------------------
# Mistakes in rules, reported as JAX reports them

def _first_lines(make, use):
    lines = []
    for name, (J, np_, cj, cv) in LIBS.items():
        with pytest.raises(Exception) as info:
            use(J, np_, make(J, np_, cj, cv))
        lines.append((type(info.value).__name__, str(info.value).splitlines()[0]))
    return lines


def test_missing_defjvp_is_an_attribute_error():
    lite, ref = _first_lines(lambda J, np_, cj, cv: cj(np_.sin), lambda J, np_, f: f(1.0))
    assert lite == ref == ("AttributeError", "No JVP defined for custom_jvp function sin using defjvp.")


def test_missing_defvjp_is_an_attribute_error():
    lite, ref = _first_lines(lambda J, np_, cj, cv: cv(np_.sin), lambda J, np_, f: f(1.0))
    assert lite == ref


def _rule(out):
    def make(J, np_, cj, cv):
        def f(x):
            return np_.sin(x)
        f = cj(f)
        f.defjvp(lambda p, t: out(np_, p[0], t[0]))
        return f
    return make


@pytest.mark.parametrize("out", [lambda np_, x, t: np_.sin(x),
                                 lambda np_, x, t: (np_.sin(x), np_.ones(3)),
                                 lambda np_, x, t: ((np_.sin(x),), t),
                                 lambda np_, x, t: (np_.ones(2), t)],
                         ids=["not-a-pair", "tangent-shape", "tree-mismatch", "primal-shape"])
def test_bad_jvp_rule_output(out):
    lite, ref = _first_lines(_rule(out), lambda J, np_, f: J.jvp(f, (1.0,), (1.0,)))
    if "must produce a pair" in ref[1]:  # it prints the primal value: NumPy and XLA differ in the last digit
        lite, ref = (lite[0], lite[1].rsplit(" but got ", 1)[0]), (ref[0], ref[1].rsplit(" but got ", 1)[0])
    assert lite == ref


def _vjp_rules(fwd, bwd):
    def make(J, np_, cj, cv):
        def h(x, y):
            return x * y
        h = cv(h)
        h.defvjp(lambda x, y: fwd(np_, x, y), lambda res, g: bwd(np_, res, g))
        return h
    return make


@pytest.mark.parametrize("fwd, bwd", [
    (lambda np_, x, y: x * y, lambda np_, r, g: (g, g)),
    (lambda np_, x, y: (x * y, (x, y)), lambda np_, r, g: g),
    (lambda np_, x, y: (x * y, (x, y)), lambda np_, r, g: (g,)),
    (lambda np_, x, y: (x * y, (x, y)), lambda np_, r, g: (g, np_.ones(3))),
], ids=["fwd-not-a-pair", "bwd-not-a-tuple", "bwd-too-short", "bwd-wrong-shape"])
def test_bad_vjp_rule_output(fwd, bwd):
    lite, ref = _first_lines(_vjp_rules(fwd, bwd), lambda J, np_, f: J.grad(f, argnums=(0, 1))(1.0, 2.0))
    assert lite == ref


# ----------------------------------------------------------------------------------------------
# Default values of arguments left out of the call

def scaled_with_default(J, np_, custom_jvp, custom_vjp):
    """x * n with n static and defaulted: the rule receives the default."""
    @functools.partial(custom_jvp, nondiff_argnums=(1,))
    def scaled(x, n=3):
        return x * n

    @scaled.defjvp
    def scaled_jvp(n, primals, tangents):
        return scaled(primals[0], n), tangents[0] * n

    return scaled


def weighted_with_default(J, np_, custom_jvp, custom_vjp):
    """x * w with a defaulted differentiable w: the rule receives it as a primal."""
    @custom_jvp
    def weighted(x, w=2.0):
        return x * w

    weighted.defjvp(lambda p, t: (weighted(*p), t[0] * p[1] + p[0] * t[1]))
    return weighted


def vjp_with_default(J, np_, custom_jvp, custom_vjp):
    @custom_vjp
    def scaled(x, s=2.0):
        return x * s

    scaled.defvjp(lambda x, s: (x * s, s), lambda s, g: (g * s, None))
    return scaled


DEFAULT_USES = {
    "call": lambda J, np_, f: f(2.0),
    "grad": lambda J, np_, f: J.grad(f)(2.0),
    "jit": lambda J, np_, f: J.jit(f)(np_.arange(3.0)),
    "vmap-of-grad": lambda J, np_, f: J.vmap(J.grad(f))(np_.arange(3.0)),
}


@pytest.mark.parametrize("use", list(DEFAULT_USES) + ["jvp"])
@pytest.mark.parametrize("make", [scaled_with_default, weighted_with_default],
                         ids=["nondiff-default", "diff-default"])
def test_defaults_of_omitted_arguments_reach_the_jvp_rule(make, use):
    check(make, DEFAULT_USES.get(use, lambda J, np_, f: J.jvp(f, (2.0,), (1.0,))))


@pytest.mark.parametrize("use", list(DEFAULT_USES))
def test_defaults_of_omitted_arguments_reach_the_vjp_rules(use):
    check(vjp_with_default, DEFAULT_USES[use])


def test_defaults_with_keyword_arguments():
    check(scaled_with_default, lambda J, np_, f: (f(2.0, n=5), J.grad(lambda x: f(x, n=5))(2.0)))


def test_log_ndtr_takes_its_series_order_default_through_its_rule():
    check(lambda *lib: None, lambda J, np_, _: (J.scipy.special.log_ndtr(-12.0),
                                                 J.grad(J.scipy.special.log_ndtr)(-12.0),
                                                 J.scipy.special.log_ndtr(-30.0, 5)))
