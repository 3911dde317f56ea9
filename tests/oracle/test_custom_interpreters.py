"""A jaxpr interpreter written against the public object model, run on jaxlite and on JAX.

The interpreters below are written once, as functions of the library `J`, the way JAX's guide to
custom jaxpr interpreters writes them: read `ClosedJaxpr.jaxpr` and `.literals`, walk `eqns`, look
operands up by `Var` (or take `Literal.val`), and rebind `eqn.primitive` with `eqn.params`.
"""
import re

import jax
import jax.extend.core  # noqa: F401 - makes jax.extend.core an attribute
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

LIBS = [(jaxlite, lnp), (jax, jnp)]


def evaluate(J, jaxpr, consts, *args):
    """Run a jaxpr equation by equation: each primitive is bound again on the values."""
    core = J.extend.core
    env = {}

    def read(v):
        return v.val if type(v) is core.Literal else env[v]

    env.update(zip(jaxpr.invars, args))
    env.update(zip(jaxpr.constvars, consts))
    for eqn in jaxpr.eqns:
        outs = eqn.primitive.bind(*[read(v) for v in eqn.invars], **eqn.params)
        env.update(zip(eqn.outvars, outs if eqn.primitive.multiple_results else [outs]))
    return [read(v) for v in jaxpr.outvars]


def inverse(J, np_, fun):
    """The inverse of a chain of invertible unary primitives, found by walking its jaxpr backwards
    and applying each primitive's inverse (exp -> log, tanh -> arctanh)."""
    core = J.extend.core
    inverses = {J.lax.exp_p: np_.log, J.lax.tanh_p: np_.arctanh}

    def inverse_jaxpr(jaxpr, consts, *args):
        env = {}
        read = lambda v: v.val if type(v) is core.Literal else env[v]
        env.update(zip(jaxpr.outvars, args))
        env.update(zip(jaxpr.constvars, consts))
        for eqn in reversed(jaxpr.eqns):
            if eqn.primitive not in inverses:
                raise NotImplementedError(f"{eqn.primitive} has no inverse")
            env[eqn.invars[0]] = inverses[eqn.primitive](*[read(v) for v in eqn.outvars])
        return [read(v) for v in jaxpr.invars]

    def inverted(*args):
        closed = J.make_jaxpr(fun)(*args)
        return inverse_jaxpr(closed.jaxpr, closed.literals, *args)[0]
    return inverted


def chain(np_):
    return lambda x: np_.exp(np_.tanh(x))


def with_constants(np_):
    c = np_.arange(3.0)
    return lambda x: np_.sin(x) * 2.0 + c


def test_evaluator_reproduces_the_function_on_both_libraries():
    x = np.linspace(-1, 1, 3).astype(np.float32)
    results = []
    for J, np_ in LIBS:
        closed = J.make_jaxpr(with_constants(np_))(x)
        results.append(evaluate(J, closed.jaxpr, closed.literals, x)[0])
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)
    np.testing.assert_allclose(results[0], np.sin(x) * 2 + np.arange(3.0), rtol=1e-6)


def test_evaluator_under_jit_and_grad_matches_jax():
    outs = []
    for J, np_ in LIBS:
        def f(x, J=J, np_=np_):
            closed = J.make_jaxpr(with_constants(np_))(x)
            return evaluate(J, closed.jaxpr, closed.literals, x)[0].sum()
        outs.append(J.jit(J.grad(f))(np.ones(3, np.float32)))
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-6)


def test_inverse_interpreter_inverts_the_chain():
    y = [inverse(J, np_, chain(np_))(chain(np_)(np.float32(0.5))) for J, np_ in LIBS]
    np.testing.assert_allclose(y[0], y[1], rtol=1e-6)
    np.testing.assert_allclose(y[0], 0.5, rtol=1e-5)


def test_jaxpr_of_the_inverse_matches_jax():
    texts = [str(J.make_jaxpr(inverse(J, np_, chain(np_)))(np.float32(1.5))) for J, np_ in LIBS]
    assert texts[0] == texts[1]


def test_inverse_composes_with_jit_vmap_and_grad():
    xs = (np.arange(5, dtype=np.float32) + 1) / 5
    outs = [J.jit(J.vmap(J.grad(inverse(J, np_, chain(np_)))))(xs) for J, np_ in LIBS]
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-5)


def test_inverse_without_a_rule_raises():
    for J, np_ in LIBS:
        with pytest.raises(NotImplementedError, match="sin has no inverse"):
            inverse(J, np_, np_.sin)(np.float32(0.5))


def _jaxprs():
    x = np.ones(3, np.float32)
    return [J.make_jaxpr(with_constants(np_))(x) for J, np_ in LIBS]


def test_closed_jaxpr_literals_are_its_consts():
    ours, theirs = _jaxprs()
    assert len(ours.literals) == len(theirs.literals) == 1
    np.testing.assert_array_equal(ours.literals[0], theirs.literals[0])
    assert ours.literals is not None and list(ours.consts) == list(ours.literals)


def test_jaxpr_parts_have_the_same_shape():
    ours, theirs = _jaxprs()
    for attr in ("invars", "outvars", "constvars", "eqns"):
        assert len(getattr(ours.jaxpr, attr)) == len(getattr(theirs.jaxpr, attr))
    assert [str(e.primitive) for e in ours.jaxpr.eqns] == [str(e.primitive) for e in theirs.jaxpr.eqns]
    assert [e.primitive.name for e in ours.eqns] == [e.primitive.name for e in theirs.eqns]


def test_var_repr_is_jax_id_and_type():
    ours, theirs = _jaxprs()
    pattern = r"Var\(id=\d+\):float32\[3\]"
    assert re.fullmatch(pattern, repr(ours.jaxpr.invars[0]))
    assert re.fullmatch(pattern, repr(theirs.jaxpr.invars[0]))
    assert str(ours.jaxpr.invars[0]) == repr(ours.jaxpr.invars[0])


def test_literal_repr_value_and_aval_match_jax():
    ours, theirs = _jaxprs()
    lit, jlit = ours.jaxpr.eqns[1].invars[1], theirs.jaxpr.eqns[1].invars[1]
    assert isinstance(lit, jaxlite.extend.core.Literal) and isinstance(jlit, jax.extend.core.Literal)
    assert repr(lit) == repr(jlit) == "Literal(2.0)"
    assert float(lit.val) == float(jlit.val) == 2.0
    assert str(lit.aval) == str(jlit.aval) and repr(lit.aval) == repr(jlit.aval)


def test_var_aval_and_eqn_params_match_jax():
    x = np.ones((2, 3), np.float32)
    ours, theirs = [J.make_jaxpr(lambda a, np_=np_: np_.sum(a, axis=0))(x) for J, np_ in LIBS]
    assert repr(ours.jaxpr.invars[0].aval) == repr(theirs.jaxpr.invars[0].aval)
    assert ours.jaxpr.invars[0].aval.shape == theirs.jaxpr.invars[0].aval.shape == (2, 3)
    assert ours.jaxpr.eqns[0].params == theirs.jaxpr.eqns[0].params
    assert isinstance(ours.jaxpr.invars[0], jaxlite.extend.core.Var)


def test_eqn_repr_prints_the_equation_as_jax():
    ours, theirs = _jaxprs()
    assert [repr(e) for e in ours.jaxpr.eqns] == [repr(e) for e in theirs.jaxpr.eqns]


def test_extend_core_names_the_tutorial_uses_exist():
    for name in ("ClosedJaxpr", "Jaxpr", "JaxprEqn", "Literal", "Var", "Primitive", "jaxpr_as_fun",
                 "check_jaxpr", "primitives"):
        assert hasattr(jax.extend.core, name)
        assert hasattr(jaxlite.extend.core, name)
    assert jaxlite.extend.core.primitives.exp_p is jaxlite.lax.exp_p


def test_typeof_matches_jax():
    for x in (1.0, 3, np.ones(2), np.ones((2, 3), np.int32), np.bool_(True)):
        assert str(jaxlite.typeof(x)) == str(jax.typeof(x))
        assert repr(jaxlite.typeof(x)) == repr(jax.typeof(x))
    seen = []
    for J in (jaxlite, jax):
        J.jit(lambda x, J=J: seen.append(str(J.typeof(x))) or x)(np.float32(1.0))
    assert seen[0] == seen[1] == "float32[]"


def test_typeof_of_a_non_jax_value_raises_jax_error():
    for J, ending in ((jaxlite, r"\nHint: .*"), (jax, "")):
        with pytest.raises(TypeError, match=rf"^Argument 'a' of type <class 'str'> is not a valid JAX type{ending}$"):
            J.typeof("a")
