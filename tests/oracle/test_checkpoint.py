"""`jax.checkpoint` / `jax.remat` against JAX: jaxprs, which values are saved and which recomputed
under each policy, and gradients under jit (both backends), vmap and jvp."""
import re

import jax
import jax.ad_checkpoint  # noqa: F401 - makes jax.ad_checkpoint an attribute
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

LIBS = [(jaxlite, lnp), (jax, jnp)]
RNG = np.random.default_rng(0)
W1 = RNG.normal(size=(5, 4)).astype(np.float32)
W2 = RNG.normal(size=(3, 5)).astype(np.float32)
X = RNG.normal(size=4).astype(np.float32)


def sin_sin(J, np_):
    return lambda x: np_.sin(np_.sin(x))


def mlp(J, np_):
    """Two layers whose pre-activations are named "a" and "b"."""
    name = J.ad_checkpoint.checkpoint_name

    def f(w1, w2, x):
        h = np_.sin(name(np_.dot(w1, x), "a"))
        return np_.sum(np_.tanh(name(np_.dot(w2, h), "b")))
    return f


def policies(J):
    P = J.checkpoint_policies
    return {
        "default": None,
        "everything_saveable": P.everything_saveable,
        "nothing_saveable": P.nothing_saveable,
        "dots_saveable": P.dots_saveable,
        "dots_with_no_batch_dims_saveable": P.dots_with_no_batch_dims_saveable,
        "save_only_a": P.save_only_these_names("a"),
        "save_any_but_a": P.save_any_names_but_these("a"),
        "save_from_both": P.save_from_both_policies(P.dots_saveable, P.save_only_these_names("a")),
    }


POLICIES = list(policies(jaxlite))


def remat_eqn(closed):
    """The one remat2 equation at the top of a jaxpr."""
    eqns = [e for e in closed.jaxpr.eqns if e.primitive.name == "remat2"]
    assert len(eqns) == 1
    return eqns[0]


def inner_primitives(closed):
    """The primitives inside that remat2's jaxpr."""
    return [e.primitive.name for e in remat_eqn(closed).params["jaxpr"].eqns]


def test_checkpoint_stages_one_remat2_equation_as_jax():
    texts = [str(J.make_jaxpr(J.checkpoint(sin_sin(J, np_)))(1.0)) for J, np_ in LIBS]
    assert texts[0] == texts[1]
    assert "remat2[" in texts[0] and "differentiated=False" in texts[0]


def test_remat_is_checkpoint_and_prevent_cse_shows_in_the_jaxpr():
    texts = [str(J.make_jaxpr(J.remat(sin_sin(J, np_), prevent_cse=False))(1.0)) for J, np_ in LIBS]
    assert texts[0] == texts[1]
    assert "prevent_cse=False" in texts[0]


def test_grad_jaxpr_recomputes_the_forward_pass_as_jax():
    texts = [str(J.make_jaxpr(J.grad(J.checkpoint(sin_sin(J, np_))))(1.0)) for J, np_ in LIBS]
    assert texts[0] == texts[1]


def test_grad_recomputes_what_it_did_not_save():
    for J, np_ in LIBS:
        closed = J.make_jaxpr(J.grad(J.checkpoint(sin_sin(J, np_))))(1.0)
        assert remat_eqn(closed).params["differentiated"] is True
        assert inner_primitives(closed).count("sin") == 1  # the forward sin, again
        plain = J.make_jaxpr(J.grad(sin_sin(J, np_)))(1.0)
        assert [e.primitive.name for e in plain.jaxpr.eqns].count("sin") == 2  # no recomputation


@pytest.mark.parametrize("policy", POLICIES)
def test_grad_jaxpr_under_a_policy_matches_jax(policy):
    texts = [str(J.make_jaxpr(J.grad(J.checkpoint(mlp(J, np_), policy=policies(J)[policy]), (0, 1)))(
        W1, W2, X)) for J, np_ in LIBS]
    assert texts[0] == texts[1]


@pytest.mark.parametrize("policy", POLICIES)
def test_policy_decides_what_the_backward_pass_recomputes(policy):
    """The same equations are recomputed as in JAX, from as many saved values."""
    found = []
    for J, np_ in LIBS:
        closed = J.make_jaxpr(J.grad(J.checkpoint(mlp(J, np_), policy=policies(J)[policy]), (0, 1)))(W1, W2, X)
        found.append((inner_primitives(closed), len(remat_eqn(closed).invars)))
    assert found[0] == found[1]


@pytest.mark.parametrize("policy", POLICIES)
def test_gradients_under_every_policy_match_jax(policy):
    grads = [J.grad(J.checkpoint(mlp(J, np_), policy=policies(J)[policy]), (0, 1, 2))(W1, W2, X)
             for J, np_ in LIBS]
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("policy", ["default", "dots_saveable", "save_only_a"])
def test_gradients_under_jit_match_jax(policy, backend):
    grads = [J.jit(J.grad(J.checkpoint(mlp(J, np_), policy=policies(J)[policy]), (0, 1, 2)))(W1, W2, X)
             for J, np_ in LIBS]
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=1e-6)


def test_generated_code_keeps_the_recomputation_apart():
    text = jaxlite.jit(jaxlite.grad(jaxlite.checkpoint(sin_sin(jaxlite, lnp)))).lower(1.0).as_text()
    assert re.search(r"def _remat\d+\(", text)


def test_vmap_of_grad_and_jvp_match_jax(backend):
    xs = np.stack([X, 2 * X])
    outs = []
    for J, np_ in LIBS:
        f = J.checkpoint(mlp(J, np_), policy=policies(J)["dots_saveable"])
        outs.append((J.jit(J.vmap(J.grad(f, 2), in_axes=(None, None, 0)))(W1, W2, xs),
                     J.jvp(f, (W1, W2, X), (W1, W2, X))[1], J.jit(f)(W1, W2, X)))
    for ours, theirs in zip(*outs):
        np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=1e-6)


def test_vmap_of_checkpoint_stages_a_batched_remat2_as_jax():
    texts = [str(J.make_jaxpr(J.vmap(J.checkpoint(sin_sin(J, np_))))(np.ones(3, np.float32)))
             for J, np_ in LIBS]
    assert texts[0] == texts[1]


def test_checkpoint_name_stages_a_name_equation_as_jax():
    texts = [str(J.make_jaxpr(mlp(J, np_))(W1, W2, X)) for J, np_ in LIBS]
    assert texts[0] == texts[1]
    assert "name[name=a]" in texts[0]


def test_checkpoint_name_of_a_pytree_names_every_leaf():
    for J, np_ in LIBS:
        closed = J.make_jaxpr(lambda t, J=J: J.ad_checkpoint.checkpoint_name(t, "n"))(
            {"a": np.ones(2, np.float32), "b": np.float32(1)})
        assert [e.params["name"] for e in closed.jaxpr.eqns] == ["n", "n"]


def _stacked(np_):
    def f(x, n):
        for _ in range(n):
            x = np_.sin(x)
        return x
    return f


def test_static_argnums_make_an_argument_a_python_value():
    grads = [J.grad(J.checkpoint(_stacked(np_), static_argnums=(1,)))(0.5, 3) for J, np_ in LIBS]
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)
    texts = [str(J.make_jaxpr(J.checkpoint(_stacked(np_), static_argnums=1), static_argnums=1)(0.5, 2))
             for J, np_ in LIBS]
    assert texts[0] == texts[1]


@pytest.mark.parametrize("kwargs,args", [
    (dict(static_argnums=(2,)), (0.5, 2)),
    (dict(static_argnames="n"), (0.5, 2)),
    (dict(concrete=True), (0.5, 2)),
])
def test_checkpoint_arguments_are_checked_as_jax_checks_them(kwargs, args):
    outcomes = []
    for J, np_ in LIBS:
        try:
            outcomes.append(("ok", J.checkpoint(lambda x, n, np_=np_: np_.sin(x) * n, **kwargs)(*args)))
        except Exception as err:  # noqa: BLE001 - the outcome is compared, whatever it is
            outcomes.append((type(err), str(err).splitlines()[0]))
    if outcomes[1][0] == "ok":
        np.testing.assert_allclose(outcomes[0][1], outcomes[1][1], rtol=1e-6)
    else:
        assert outcomes[0] == outcomes[1]


def test_closed_over_values_become_inputs():
    c = np.arange(3.0, dtype=np.float32)
    texts = [str(J.make_jaxpr(J.grad(J.checkpoint(lambda x, np_=np_: np_.sum(np_.sin(x * c)))))(
        np.ones(3, np.float32))) for J, np_ in LIBS]
    assert texts[0] == texts[1]


def test_nested_checkpoints_give_jax_gradients():
    def program(J, np_):
        def body(c, x):
            return J.checkpoint(lambda c: np_.sin(c) * x)(c), None
        scan = lambda c: J.lax.scan(J.checkpoint(body), c, np_.arange(3.0))[0]
        return J.grad(scan)(0.5), J.jit(J.grad(scan))(0.7), J.grad(lambda c: J.checkpoint(body)(c, 2.0)[0])(0.5)
    for ours, theirs in zip(*[program(J, np_) for J, np_ in LIBS]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_hessian_through_checkpoint_matches_jax():
    hs = [J.hessian(J.checkpoint(lambda x, np_=np_: np_.sum(np_.sin(x) ** 2)))(np.ones(2, np.float32))
          for J, np_ in LIBS]
    np.testing.assert_allclose(hs[0], hs[1], rtol=1e-5)


def test_debug_print_inside_checkpoint_runs_again_in_the_recomputation(capsys):
    texts = []
    for J, np_ in LIBS:
        def f(x, J=J, np_=np_):
            J.debug.print("x={}", x)
            return np_.sin(x)
        J.grad(J.checkpoint(f))(1.0)
        if J is jax:
            jax.effects_barrier()
        texts.append(capsys.readouterr().out)
    assert texts[0] == texts[1] == "x=1.0\nx=1.0\n"


@pytest.mark.parametrize("policy", ["default", "dots_saveable", "save_only_a", None])
def test_print_saved_residuals_matches_jax_without_source_lines(capsys, policy):
    """JAX ends each line with the source line of the equation; jaxlite records none."""
    printed = []
    for J, np_ in LIBS:
        f = mlp(J, np_) if policy is None else J.checkpoint(mlp(J, np_), policy=policies(J)[policy])
        J.ad_checkpoint.print_saved_residuals(f, W1, W2, X)
        printed.append([line.split(" from /")[0] for line in capsys.readouterr().out.splitlines()])
    assert printed[0] == printed[1]
    assert printed[0][:3] == ["f32[5,4] from the argument w1", "f32[3,5] from the argument w2",
                              "f32[4] from the argument x"]


def test_policy_names_match_jax():
    ours = {n for n in dir(jaxlite.checkpoint_policies) if not n.startswith("_")}
    theirs = {n for n in dir(jax.checkpoint_policies) if not n.startswith("_")}
    assert ours == theirs
    for name in ("dots_saveable", "dots_with_no_batch_dims_saveable"):
        assert repr(getattr(jaxlite.checkpoint_policies, name)) == repr(getattr(jax.checkpoint_policies, name))
    assert repr(jaxlite.checkpoint_policies.save_only_these_names("a")) == \
        repr(jax.checkpoint_policies.save_only_these_names("a"))


def test_save_from_both_policies_refuses_non_boolean_answers():
    for J, np_ in LIBS:
        both = J.checkpoint_policies.save_from_both_policies(lambda *a, **k: "yes", lambda *a, **k: False)
        with pytest.raises(ValueError, match="The return value of the policies should be a boolean"):
            J.grad(J.checkpoint(lambda x, np_=np_: np_.sin(x), policy=both))(1.0)


@pytest.mark.parametrize("exponent_bits,mantissa_bits", [(5, 10), (8, 7), (8, 1), (4, 3), (8, 23)])
def test_reduce_precision_rounds_as_xla(exponent_bits, mantissa_bits):
    x = np.array([1e-5, 6.2e-5, 6.0e-5, 65504, 65520, 1.0, 1.1, 1.25, 1.75, 3.3e38, 1e-39, np.nan, -2.5],
                 np.float32)
    ours = [jaxlite.lax.reduce_precision(x, exponent_bits, mantissa_bits),
            jaxlite.jit(lambda v: jaxlite.lax.reduce_precision(v, exponent_bits, mantissa_bits))(x)]
    theirs = np.asarray(jax.lax.reduce_precision(x, exponent_bits, mantissa_bits))
    for out in ours:
        np.testing.assert_array_equal(np.asarray(out), theirs)


def test_reduce_precision_is_linear_and_refuses_integers():
    for J, _ in LIBS:
        assert float(J.grad(lambda v, J=J: J.lax.reduce_precision(v, 5, 2))(1.1)) == 1.0
        with pytest.raises(TypeError, match="reduce_precision does not accept dtype int32"):
            J.lax.reduce_precision(np.arange(3, dtype=np.int32), 5, 10)
