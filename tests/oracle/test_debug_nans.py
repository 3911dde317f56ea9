"""`jax_debug_nans` and `jax_debug_infs` against JAX: which operation raises FloatingPointError, with
JAX's first line, eagerly, under jit (rerun equation by equation), grad, vmap and control flow."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

LIBS = [(jaxlite, lnp), (jax, jnp)]


NAN_PROGRAMS = {
    "log of a negative number": lambda J, np_: np_.log(-1.0),
    "zero over zero": lambda J, np_: np_.array(0.0) / 0.0,
    "sqrt of an array": lambda J, np_: np_.sqrt(np_.array([-1.0, 2.0])),
    "mean of nothing": lambda J, np_: np_.mean(np_.array([])),
    "inside jit": lambda J, np_: J.jit(lambda x: np_.log(x) * 2)(-1.0),
    "inside nested jit": lambda J, np_: J.jit(lambda x: J.jit(np_.log)(x) + 1)(-1.0),
    "under grad": lambda J, np_: J.grad(np_.sqrt)(-1.0),
    "gradient of x/x at 0": lambda J, np_: J.grad(lambda x: np_.sum(x / x))(0.0),
    "under vmap": lambda J, np_: J.vmap(np_.log)(np_.array([1.0, -1.0])),
    "in a scan": lambda J, np_: J.lax.scan(lambda c, x: (c + np_.log(x), None), 0.0, np_.array([1.0, -1.0]))[0],
    "in a scan under jit": lambda J, np_: J.jit(
        lambda xs: J.lax.scan(lambda c, x: (c + np_.log(x), None), 0.0, xs)[0])(np_.array([1.0, -1.0])),
    "in a cond": lambda J, np_: J.lax.cond(True, np_.log, lambda x: x, -1.0),
    "in a fori_loop": lambda J, np_: J.lax.fori_loop(0, 2, lambda i, c: np_.sqrt(c - 2.0), 1.0),
}
INF_PROGRAMS = {
    "log of zero": lambda J, np_: np_.log(0.0),
    "one over zero": lambda J, np_: np_.array(1.0) / 0.0,
    "inside jit": lambda J, np_: J.jit(lambda x: np_.log(x) * 2)(np.float32(0.0)),
    "overflow": lambda J, np_: np_.exp(np_.array(100.0)),
}
FINE = {
    "finite values": lambda J, np_: np_.log(2.0),
    "integers": lambda J, np_: np_.array([1, 2]) // 1,
    "NaN made and dropped inside jit": lambda J, np_: J.jit(
        lambda x: np_.where(x > 0, x, 0.0))(np.float32(-1.0)),
    "tracing only": lambda J, np_: J.make_jaxpr(np_.log)(-1.0) is not None,
}


def run(program, capsys, flags):
    """(error class, first line, what was printed) under jaxlite and under JAX, each with `flags`
    on only while its own program runs (jaxlite's xla backend runs on JAX, whose flags stay off)."""
    found = []
    for J, np_ in LIBS:
        # JAX reruns a failing jit de-optimized, and its message depends on what earlier tests left in its
        # caches: each program starts from empty caches, as in a fresh process.
        J.clear_caches()
        for name in flags:
            J.config.update(name, True)
        try:
            result = program(J, np_)
            found.append(("no error", np.asarray(result).tolist(), capsys.readouterr().out))
        except FloatingPointError as err:
            found.append((type(err), str(err).splitlines()[0], capsys.readouterr().out))
        finally:
            for name in flags:
                J.config.update(name, False)
    return found


@pytest.mark.parametrize("name", list(NAN_PROGRAMS))
def test_nans_raise_where_jax_raises(name, capsys, backend):
    ours, theirs = run(NAN_PROGRAMS[name], capsys, ["jax_debug_nans"])
    assert ours == theirs
    assert ours[0] is FloatingPointError


@pytest.mark.parametrize("name", list(INF_PROGRAMS))
def test_infs_raise_where_jax_raises(name, capsys, backend):
    ours, theirs = run(INF_PROGRAMS[name], capsys, ["jax_debug_infs"])
    assert ours == theirs
    assert ours[0] is FloatingPointError


@pytest.mark.parametrize("name", list(FINE))
@pytest.mark.parametrize("flag", ["jax_debug_nans", "jax_debug_infs"])
def test_no_error_without_a_bad_value(name, capsys, flag):
    ours, theirs = run(FINE[name], capsys, [flag])
    assert ours == theirs
    assert ours[0] == "no error"


def test_infinities_pass_with_only_debug_nans(capsys):
    jaxlite.config.update("jax_debug_nans", True)
    try:
        assert float(lnp.log(0.0)) == -np.inf
    finally:
        jaxlite.config.update("jax_debug_nans", False)


def test_a_nan_input_passed_through_jit_is_named_by_the_equation_that_returns_it():
    """JAX reruns the Python function, jaxlite the jaxpr: with an array input both name the add."""
    outcomes = []
    for J, np_ in LIBS:
        x = np_.array(np.nan)
        with J.debug_nans(True):
            with pytest.raises(FloatingPointError) as info:
                J.jit(lambda v: v + 1)(x)
        outcomes.append(str(info.value).splitlines()[0])
    assert outcomes[0] == outcomes[1] == "invalid value (nan) encountered in add"


def test_flags_read_and_context_managers_restore_them():
    for J, np_ in LIBS:
        assert J.config.jax_debug_nans is False and J.config.jax_debug_infs is False
        with J.debug_nans(True):
            assert J.config.jax_debug_nans is True
            with pytest.raises(FloatingPointError):
                np_.log(-1.0)
        assert J.config.jax_debug_nans is False
        assert np.isnan(np_.log(-1.0))


def test_jaxlite_adds_a_hint():
    with jaxlite.debug_nans(True):
        with pytest.raises(FloatingPointError, match="Hint: jax_debug_nans is on"):
            lnp.log(-1.0)
