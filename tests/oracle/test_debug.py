"""`jax.debug.print` and `jax.debug.callback` against JAX: what is printed, when, how often and in
which order, under jit (both backends), vmap, grad and jvp; and the jaxprs they stage."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

LIBS = [(jaxlite, lnp), (jax, jnp)]


def printed(capsys, program):
    """What `program(J, jnp)` writes to stdout under jaxlite, then under JAX, and the results."""
    texts, results = [], []
    for J, np_ in LIBS:
        results.append(program(J, np_))
        if J is jax:
            jax.effects_barrier()
        texts.append(capsys.readouterr().out)
    return texts, results


def same_printing(capsys, program):
    (ours, theirs), results = printed(capsys, program)
    assert ours == theirs
    assert ours  # something was printed
    return results


def affine(J, np_):
    def f(x):
        J.debug.print("x is {x}", x=x)
        y = x * 2.0 + 1.0
        J.debug.print("y {} from {}", y, x)
        return y
    return f


def test_eager_print_formats_like_str_format(capsys):
    same_printing(capsys, lambda J, np_: affine(J, np_)(1.5))


def test_print_of_arrays_uses_numpy_formatting(capsys):
    same_printing(capsys, lambda J, np_: J.debug.print("{} | {a}", np_.arange(3.0),
                                                       a=np_.ones((2, 2), np_.int32)))


def test_jit_prints_values_on_every_call(capsys, backend):
    def program(J, np_):
        f = J.jit(affine(J, np_))
        return [f(np.float32(1.0)), f(np.float32(2.0))]
    ours, theirs = same_printing(capsys, program)
    np.testing.assert_allclose(ours, theirs)


def test_jit_prints_in_program_order_without_merging_equal_prints(capsys, backend):
    same_printing(capsys, lambda J, np_: J.jit(
        lambda: (J.debug.print("same"), J.debug.print("same"), J.debug.print("other {}", "text")))())


def test_vmap_prints_once_per_example_in_order(capsys):
    same_printing(capsys, lambda J, np_: J.vmap(affine(J, np_))(np_.arange(3.0)))


def test_vmap_under_jit_prints_once_per_example(capsys, backend):
    same_printing(capsys, lambda J, np_: J.jit(J.vmap(
        lambda x, y: J.debug.print("{} {}", x, y), in_axes=(0, None)))(np_.arange(2.0), 5.0))


def test_grad_prints_the_primal_once(capsys):
    ours, theirs = same_printing(capsys, lambda J, np_: J.grad(affine(J, np_))(1.0))
    assert float(ours) == float(theirs) == 2.0


def test_grad_under_jit_prints_the_primal_once(capsys, backend):
    same_printing(capsys, lambda J, np_: J.jit(J.grad(J.jit(affine(J, np_))))(0.5))


def test_jvp_prints_the_primal(capsys):
    same_printing(capsys, lambda J, np_: J.jvp(affine(J, np_), (1.0,), (3.0,)))


def test_print_inside_loops_and_branches_under_jit(capsys, backend):
    def program(J, np_):
        def body(i, c):
            J.debug.print("i={i} c={c}", i=i, c=c)
            return c + 1
        branch = lambda name: lambda x: (J.debug.print(name + " {}", x), x)[1]
        loop = J.jit(lambda x: J.lax.fori_loop(0, 3, body, x))(1.0)
        cond = [J.jit(lambda x: J.lax.cond(x > 0, branch("pos"), branch("neg"), x))(v) for v in (1.0, -1.0)]
        return loop, cond
    same_printing(capsys, program)


def test_print_in_scan_body(capsys, backend):
    def step(J):
        def g(c, x):
            J.debug.print("c={} x={}", c, x)
            return c + x, c * x
        return g
    same_printing(capsys, lambda J, np_: J.jit(lambda xs: J.lax.scan(step(J), 0.0, xs))(np_.arange(3.0)))


def test_two_call_form_and_ordered(capsys, backend):
    same_printing(capsys, lambda J, np_: J.jit(
        lambda x: J.debug.print(ordered=True)("ordered {}", x))(np.int32(3)))


def test_callback_gets_arrays_and_static_arguments(capsys, backend):
    def program(J, np_):
        seen = lambda x, tag, y: print("cb", type(x).__name__ in ("ArrayImpl",), tag, x, y)
        J.debug.callback(seen, np_.ones(2), "eager", y=3.0)
        J.jit(lambda x: J.debug.callback(seen, x, "jit", y=x * 2))(np.float32(1.5))
        J.vmap(lambda x: J.debug.callback(seen, x, "vmap", y=x))(np_.arange(2.0))
    same_printing(capsys, program)


def test_callback_returns_none():
    for J, np_ in LIBS:
        assert J.debug.callback(lambda x: None, 1.0) is None
        assert J.debug.print("{}", 1.0) is None


def _print_jaxpr(J, np_):
    return str(J.make_jaxpr(affine(J, np_))(1.0))


def test_jaxpr_of_debug_print_matches_jax():
    assert _print_jaxpr(jaxlite, lnp) == _print_jaxpr(jax, jnp)
    assert "debug_print[" in _print_jaxpr(jaxlite, lnp)


def test_jaxpr_of_ordered_print_matches_jax():
    texts = [str(J.make_jaxpr(lambda x, J=J: J.debug.print("x {}", x, ordered=True))(1.0))
             for J, _ in LIBS]
    assert texts[0] == texts[1]
    assert "ordered=True" in texts[0]


def test_jaxpr_of_grad_keeps_one_print_of_primals():
    texts = [str(J.make_jaxpr(J.grad(affine(J, np_)))(1.0)) for J, np_ in LIBS]
    assert texts[0] == texts[1]
    assert texts[0].count("debug_print[") == 2


def test_jaxpr_of_debug_callback_matches_jax():
    texts = [str(J.make_jaxpr(lambda x, J=J: J.debug.callback(lambda v: None, x))(1.0)) for J, _ in LIBS]
    assert texts[0] == texts[1]
    assert "debug_callback[" in texts[0] and "effect=Debug" in texts[0]


def test_print_is_not_removed_as_dead_code_under_jit(capsys, backend):
    same_printing(capsys, lambda J, np_: J.jit(lambda x: (J.debug.print("unused {}", x * 3), x)[1])(2.0))


@pytest.mark.parametrize("call", [
    lambda J: J.debug.print("{x}", y=1),
    lambda J: J.debug.print("{}", 1, 2),
    lambda J: J.debug.print("plain", x=1),
    lambda J: J.debug.print(x=3),
    lambda J: J.debug.callback(3),
    lambda J: J.debug.callback(x=3),
])
def test_bad_calls_raise_jax_errors(call):
    outcomes = []
    for J, _ in LIBS:
        with pytest.raises(Exception) as info:
            call(J)
        outcomes.append((type(info.value), str(info.value).splitlines()[0]))
    assert outcomes[0] == outcomes[1]


def test_effect_classes_print_as_jax():
    assert str(jaxlite.debug.debug_effect) == "Debug"
    assert str(jaxlite.debug.ordered_debug_effect) == "OrderedDebug"
    assert {"DebugEffect", "OrderedDebugEffect", "callback", "print"} <= set(dir(jax.debug))
