"""The speed layer (jaxlite.fastpath) is switchable, and with it off jaxlite gives the same answers.

In-process: the same programs run with the layer on and off give equal values, dtypes, weak types,
errors and jaxprs. In a subprocess: a sample of the oracle suites runs with the layer off
(`pytest --reference-path`, which sets jax_jaxlite_fast_paths=False before jaxlite is used).
"""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import core, fastpath
from jaxlite.pjit import JitWrapped
from primitive_cases import CASES

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def reference_path():
    """The speed layer off for one test, restored afterwards."""
    before = jaxlite.config.read("jax_jaxlite_fast_paths")
    jaxlite.config.update("jax_jaxlite_fast_paths", False)
    try:
        yield
    finally:
        jaxlite.config.update("jax_jaxlite_fast_paths", before)


def test_the_layer_is_on_by_default():
    assert jaxlite.config.read("jax_jaxlite_fast_paths") is True
    assert fastpath.enabled
    assert core.Primitive.bind is fastpath.eager.bind
    assert core.EvalTrace.process_primitive is fastpath.eager.process_primitive
    assert JitWrapped.__call__ is fastpath.jit.call


def test_switching_it_off_puts_the_plain_path_back(reference_path):
    assert not fastpath.enabled
    assert core.Primitive.bind is fastpath.eager._plain_bind
    assert core.EvalTrace.process_primitive is fastpath.eager._plain_process_primitive
    assert JitWrapped.__call__ is fastpath.jit._plain_call
    assert not fastpath.codegen.RULES.keys() & jaxlite.interpreters.numpy_codegen.simplify_rules.keys()


def test_the_option_is_jaxlite_only_and_not_in_jax_config_values():
    assert "jax_jaxlite_fast_paths" not in jaxlite.config.values


def _outcome(fn):
    """What a program gives: its leaves as (bits, shape, dtype, weak type), or its error's class and first line."""
    try:
        out = fn()
    except Exception as err:  # noqa: BLE001 -- the error is the outcome compared
        return type(err), str(err).splitlines()[0]
    leaves = jaxlite.tree_util.tree_leaves(out)
    # The bits, not the numbers: a NaN is equal to itself here.
    return [(np.asarray(x).tobytes(), np.shape(x), np.asarray(x).dtype, bool(getattr(x, "weak_type", False)))
            for x in leaves]


def _both_modes(fn):
    on = _outcome(fn)
    jaxlite.config.update("jax_jaxlite_fast_paths", False)
    try:
        off = _outcome(fn)
    finally:
        jaxlite.config.update("jax_jaxlite_fast_paths", True)
    return on, off


@pytest.mark.parametrize("case", CASES[::7], ids=[c.id for c in CASES[::7]])
def test_each_sampled_primitive_case_gives_the_same_value_in_both_modes(case):
    args = [jnp.asarray(a) for a in case.args()]
    on, off = _both_modes(lambda: case.fn(jaxlite.lax, *args))
    assert on == off


def _mlp_loss(params, x):
    w1, w2 = params
    return jnp.sum(jnp.tanh(x @ w1) @ w2)


PROGRAMS = {
    "eager arithmetic": lambda: jnp.arange(6.0).reshape(2, 3) * 2.0 + 1,
    "mixed weak and strong": lambda: jnp.float32(2) * 3 + jnp.ones(3, jnp.int32),
    "grad of an mlp": lambda: jaxlite.grad(_mlp_loss)((jnp.ones((3, 4)), jnp.ones((4, 2))), jnp.ones((5, 3))),
    "jit twice, same types": lambda: [jaxlite.jit(lambda x: jnp.sin(x) @ x.T)(jnp.ones((2, 2))) for _ in range(2)],
    "jit of a reshape chain": lambda: jaxlite.jit(lambda x: x.reshape(6, 1).reshape(2, 3).sum(1, keepdims=True))(
        jnp.arange(6.0)),
    "vmap of a dot": lambda: jaxlite.vmap(jnp.dot)(jnp.ones((4, 3)), jnp.ones((4, 3))),
    "shape error": lambda: jnp.ones(3) + jnp.ones(4),
    "dtype error": lambda: jaxlite.lax.add(jnp.ones(3), jnp.ones(3, jnp.int32)),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_programs_give_the_same_values_and_errors_in_both_modes(name):
    on, off = _both_modes(PROGRAMS[name])
    assert on == off


def test_jaxprs_are_the_same_in_both_modes():
    f = jaxlite.grad(lambda x: jnp.sum(jnp.sin(x) * x ** 2))
    x = jnp.arange(3.0)
    on = str(jaxlite.make_jaxpr(f)(x))
    jaxlite.config.update("jax_jaxlite_fast_paths", False)
    try:
        off = str(jaxlite.make_jaxpr(f)(x))
    finally:
        jaxlite.config.update("jax_jaxlite_fast_paths", True)
    assert on == off


def test_clear_cache_empties_the_fast_table_too():
    f = jaxlite.jit(lambda x: x + 1)
    x = jnp.ones(2)
    f(x), f(x)
    f.clear_cache()
    f(x)
    assert f.cache_info() == (0, 1, 1)


SAMPLE = ["tests/oracle/test_primitives.py::test_value_dtype_and_weak_type_match_jax",
          "tests/oracle/test_jit.py"]


def test_a_sample_of_the_oracle_suites_passes_with_the_layer_off():
    env = dict(os.environ, JAXLITE_FAST_PATHS="0")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p", "no:cacheprovider",
         "--reference-path", *SAMPLE, "-k", "not hypothesis and not random"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


OPERANDS = {
    "float32": lambda: (jnp.arange(1.0, 4.0), jnp.arange(2.0, 5.0)),
    "float16": lambda: (jnp.ones(3, jnp.float16) * 3, jnp.ones(3, jnp.float16) / 7),
    "int32 overflowing": lambda: (jnp.full(3, 2**30, jnp.int32), jnp.full(3, 3, jnp.int32)),
    "uint8": lambda: (jnp.full(2, 200, jnp.uint8), jnp.full(2, 100, jnp.uint8)),
    "complex64": lambda: (jnp.ones(2, jnp.complex64) * 1j, jnp.ones(2, jnp.complex64) + 2),
    "bool": lambda: (jnp.array([True, False]), jnp.array([True, True])),
    "both weak scalars": lambda: (jnp.asarray(2.0), jnp.asarray(3.0)),
    "weak and strong": lambda: (jnp.asarray(2.0), jnp.float32(3)),
    "mixed dtypes": lambda: (jnp.ones(3), jnp.ones(3, jnp.int32)),
    "broadcasting shapes": lambda: (jnp.ones((2, 3)), jnp.arange(3.0)),
    "mismatched shapes": lambda: (jnp.ones(3), jnp.ones(4)),
    "a rank-0 array and a vector": lambda: (jnp.float32(3), jnp.arange(3, dtype=jnp.float32)),
    "size-1 axes on both sides": lambda: (jnp.arange(2.0).reshape(2, 1), jnp.arange(3.0).reshape(1, 3)),
    "a trailing axis that does not broadcast": lambda: (jnp.ones((2, 3)), jnp.ones(2)),
    "an empty axis and a size-1 one": lambda: (jnp.ones((0, 3)), jnp.ones((1, 3))),
    "rank-0 int arrays": lambda: (jnp.int32(7), jnp.int32(-2)),
    "zero divisors": lambda: (jnp.array([1.0, 0.0, -1.0]), jnp.zeros(3)),
    "int divisors": lambda: (jnp.array([7, -7, 1], jnp.int32), jnp.array([2, 2, 0], jnp.int32)),
    "an array and a NumPy array": lambda: (jnp.ones(3), np.ones(3, np.float32)),
}
OPERATORS = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y}


@pytest.mark.parametrize("op", list(OPERATORS))
@pytest.mark.parametrize("operands", list(OPERANDS))
def test_array_operators_give_the_same_values_types_and_errors_in_both_modes(operands, op):
    x, y = OPERANDS[operands]()
    on, off = _both_modes(lambda: OPERATORS[op](x, y))
    assert on == off


@pytest.mark.parametrize("op", list(OPERATORS))
def test_array_operators_under_transformations_are_traced_as_in_the_reference_mode(op):
    fn = OPERATORS[op]
    x = jnp.arange(1.0, 4.0)
    g = jaxlite.grad(lambda a: jnp.sum(fn(a, x)))
    programs = [lambda: g(x), lambda: jaxlite.jit(fn)(x, x), lambda: jaxlite.vmap(fn)(x, x),
                lambda: str(jaxlite.make_jaxpr(fn)(x, x))]
    for program in programs:
        on, off = _both_modes(program)
        assert on == off


def test_array_operators_of_a_closed_over_array_inside_grad_stay_eager():
    x, y = jnp.arange(3.0), jnp.ones(3)
    # x * y does not depend on the argument: computed at once in both modes, same bits.
    on, off = _both_modes(lambda: jaxlite.grad(lambda a: jnp.sum(a * (x * y)))(jnp.ones(3)))
    assert on == off


def test_array_operators_check_nans_as_the_reference_mode_does():
    x = jnp.zeros(2)
    with jaxlite.debug_nans(True):
        on, off = _both_modes(lambda: x / x)
    assert on == off
    assert on[0] is FloatingPointError


def test_array_operators_refuse_prng_keys_as_the_reference_mode_does():
    k = jaxlite.random.key(0)
    on, off = _both_modes(lambda: k * k)
    assert on == off
    assert isinstance(on, tuple)


def _linear_jaxpr(fn, *args):
    _, f_jvp = jaxlite.linearize(fn, *args)
    return str(jaxlite.make_jaxpr(f_jvp)(*args))


@jaxlite.custom_jvp
def _clipped(x):
    return jnp.clip(x, -1.0, 1.0)


_clipped.defjvp(lambda primals, tangents: (_clipped(primals[0]), 2.0 * tangents[0]))


@jaxlite.custom_vjp
def _scaled(x):
    return 3.0 * x


_scaled.defvjp(lambda x: (3.0 * x, x), lambda x, ct: (ct * x,))

DERIVATIVES = {
    "grad of a chain": lambda: jaxlite.grad(lambda x: jnp.sum(jnp.sin(jnp.sin(x) * 0.5 + x)))(jnp.arange(3.0)),
    "grad of weak scalars": lambda: jaxlite.grad(lambda x: x * 2.0 + x ** 3)(1.5),
    "grad with mixed dtypes": lambda: jaxlite.grad(lambda x, n: jnp.sum(x * n), allow_int=True)(
        jnp.ones(3, jnp.float16), jnp.arange(3)),
    "grad of float64 and float32": lambda: jaxlite.grad(lambda x: jnp.sum(x * np.float64(2) + x))(jnp.ones(2)),
    "grad of an int input": lambda: jaxlite.grad(lambda x: x * 2, allow_int=True)(3),
    "grad of an int input refused": lambda: jaxlite.grad(lambda x: x * 2)(3),
    "grad of a non-scalar output": lambda: jaxlite.grad(lambda x: x * 2)(jnp.ones(2)),
    "grad of grad": lambda: jaxlite.grad(jaxlite.grad(lambda x: jnp.sin(x) * x))(0.7),
    "jvp": lambda: jaxlite.jvp(lambda x: jnp.tanh(x) @ x, (jnp.ones((2, 2)),), (jnp.ones((2, 2)),)),
    "jvp with a zero tangent input": lambda: jaxlite.jvp(lambda x, y: x * y, (1.0, 2.0), (1.0, 0.0)),
    "vjp with broadcasting": lambda: jaxlite.vjp(lambda x, b: x + b, jnp.ones((2, 3)), jnp.ones(3))[1](
        jnp.ones((2, 3))),
    "grad of a custom_jvp": lambda: jaxlite.grad(lambda x: jnp.sum(_clipped(x) * x))(jnp.arange(3.0)),
    "grad of a custom_vjp": lambda: jaxlite.grad(lambda x: jnp.sum(_scaled(x) ** 2))(jnp.arange(3.0)),
    "grad through jit": lambda: jaxlite.grad(jaxlite.jit(lambda x: jnp.sum(jnp.exp(x))))(jnp.arange(2.0)),
    "grad through cond": lambda: jaxlite.grad(lambda x: jaxlite.lax.cond(x > 0, jnp.sin, jnp.cos, x))(0.5),
    "grad of an mlp, batch 4": lambda: jaxlite.grad(_mlp_loss)((jnp.ones((3, 4)), jnp.ones((4, 2))),
                                                              jnp.ones((4, 3))),
    "vmap of grad": lambda: jaxlite.vmap(jaxlite.grad(lambda x: jnp.sin(x) * x))(jnp.arange(3.0)),
    "grad with an escaped tracer": lambda: _escaped_tracer_program(),
    "grad of a missing rule": lambda: jaxlite.grad(lambda x: jnp.sum(jnp.argmax(x) * x))(jnp.ones(3)),
    "grad of a shape error": lambda: jaxlite.grad(lambda x: jnp.sum(x + jnp.ones(4)))(jnp.ones(3)),
    "grad with keys closed over": lambda: jaxlite.grad(
        lambda x: jnp.sum(x * jaxlite.random.normal(jaxlite.random.key(0), (3,))))(jnp.ones(3)),
    "linear_transpose": lambda: jaxlite.linear_transpose(lambda x: (2.0 * x).sum(0), jnp.ones((2, 3)))(
        jnp.arange(3.0)),
    "linear_transpose of a non-linear function": lambda: jaxlite.linear_transpose(lambda x: x * x, 1.0)(1.0),
    "vjp with a constant equation in the linear jaxpr": lambda: jaxlite.vjp(
        lambda x: x * jnp.cos(jnp.float32(2)), jnp.ones(2))[1](jnp.ones(2)),
    "key reshapes": lambda: jaxlite.random.key_data(jnp.reshape(jaxlite.random.split(jaxlite.random.key(1), 4), (2, 2))),
}


def _escaped_tracer_program():
    leaked = []
    jaxlite.grad(lambda x: leaked.append(x) or x * 2.0)(1.0)
    return leaked[0] * 2.0


@pytest.mark.parametrize("name", list(DERIVATIVES))
def test_derivatives_give_the_same_values_types_and_errors_in_both_modes(name):
    on, off = _both_modes(DERIVATIVES[name])
    assert on == off


LINEARIZED = {
    "a chain": (lambda x: jnp.sum(jnp.sin(jnp.sin(x) * 0.5 + x)), (jnp.arange(3.0),)),
    "weak scalars": (lambda x: x * 2.0 + x ** 3, (1.5,)),
    "an mlp": (_mlp_loss, ((jnp.ones((3, 4)), jnp.ones((4, 2))), jnp.ones((5, 3)))),
    "a custom_jvp": (lambda x: _clipped(x) * x, (jnp.arange(3.0),)),
    "a broadcast sum of tangents": (lambda x, b: (x + b) * (x + b), (jnp.ones((2, 3)), jnp.ones(3))),
}


@pytest.mark.parametrize("name", list(LINEARIZED))
def test_linearized_jaxprs_are_the_same_in_both_modes(name):
    fn, args = LINEARIZED[name]
    on = _linear_jaxpr(fn, *args)
    jaxlite.config.update("jax_jaxlite_fast_paths", False)
    try:
        off = _linear_jaxpr(fn, *args)
    finally:
        jaxlite.config.update("jax_jaxlite_fast_paths", True)
    assert on == off


@pytest.mark.parametrize("name", list(LINEARIZED))
def test_jaxprs_of_grad_are_the_same_in_both_modes(name):
    fn, args = LINEARIZED[name]
    g = jaxlite.grad(lambda *a: jnp.sum(fn(*a)))
    on = str(jaxlite.make_jaxpr(g)(*args))
    jaxlite.config.update("jax_jaxlite_fast_paths", False)
    try:
        off = str(jaxlite.make_jaxpr(g)(*args))
    finally:
        jaxlite.config.update("jax_jaxlite_fast_paths", True)
    assert on == off


def test_add_any_of_tangents_of_two_shapes_gives_the_reference_result():
    from jaxlite.ad_util import add_jaxvals
    x, y = jnp.ones((2, 3)), jnp.arange(3.0)
    on, off = _both_modes(lambda: add_jaxvals(x, y))
    assert on == off
    on, off = _both_modes(lambda: add_jaxvals(jnp.asarray(1.0), jnp.asarray(2.0)))
    assert on == off


def test_switching_it_off_puts_the_plain_traces_and_operators_back(reference_path):
    from jaxlite.array import ArrayImpl
    from jaxlite.interpreters import ad, partial_eval as pe
    assert ad.JVPTrace.process_primitive is fastpath.ad._plain_jvp_process
    assert pe.DynamicJaxprTrace.process_primitive is fastpath.ad._plain_stage
    assert pe.PartialEvalTrace.process_primitive is fastpath.ad._plain_pe_process
    assert ad.backward_pass is fastpath.ad._plain_backward_pass
    assert ad.JVPTracer.aval is fastpath.ad._plain_jvp_tracer_aval
    assert not fastpath.eager.direct_impls
    assert all(getattr(ArrayImpl, name) is plain for name, plain in fastpath.eager._plain_operators.items())


# The linearize rules written out (fastpath.ad.linearize_rules) and the transposes on concrete
# cotangents (fastpath.ad.transpose_rules), each case next to the ones that fall back to the plain rule.
_C = jnp.asarray(np.array([0.5, -2.0, 3.0], np.float32))
FAST_RULES = {
    "sin": (lambda x: jnp.sin(x), (jnp.arange(3.0),)),
    "sin of a scalar (its cosine a literal)": (lambda x: jnp.sin(x), (jnp.float32(0.3),)),
    "cos": (lambda x: jnp.cos(x), (jnp.arange(3.0),)),
    "exp": (lambda x: jnp.exp(x), (jnp.arange(3.0),)),
    "log": (lambda x: jnp.log(x), (jnp.arange(1.0, 4.0),)),
    "tanh": (lambda x: jnp.tanh(x), (jnp.arange(3.0),)),
    "neg": (lambda x: -x, (jnp.arange(3.0),)),
    "sin of a weak scalar": (lambda x: jnp.sin(x) * x, (1.5,)),
    "float16": (lambda x: jnp.tanh(jnp.sin(x)) * x, (jnp.ones(3, jnp.float16),)),
    "mul by a constant": (lambda x: x * _C, (jnp.arange(3.0),)),
    "a constant times": (lambda x: _C * x, (jnp.arange(3.0),)),
    "mul by a literal": (lambda x: x * 0.5, (jnp.arange(3.0),)),
    "mul of two tangents (plain rule)": (lambda x: x * x, (jnp.arange(3.0),)),
    "mul broadcast": (lambda x: x * _C, (jnp.ones((2, 3)),)),
    "add of two tangents": (lambda x, y: x + y, (jnp.arange(3.0), jnp.ones(3))),
    "add of a constant": (lambda x: x + _C, (jnp.arange(3.0),)),
    "a constant plus": (lambda x: _C + x, (jnp.arange(3.0),)),
    "add of two tangents broadcast": (lambda x, b: x + b, (jnp.ones((2, 3)), jnp.ones(3))),
    "add of a tangent broadcast to a constant (plain rule)": (lambda b: jnp.ones((2, 3)) + b, (jnp.ones(3),)),
    "add of a scalar tangent broadcast (plain rule)": (lambda x, s: x + s, (jnp.ones(3), 2.0)),
    "sub of two tangents": (lambda x, y: x - y, (jnp.arange(3.0), jnp.ones(3))),
    "sub of a constant": (lambda x: x - _C, (jnp.arange(3.0),)),
    "a constant minus": (lambda x: _C - x, (jnp.arange(3.0),)),
    "sub broadcast (plain rule)": (lambda x, b: b - x, (jnp.ones((2, 3)), jnp.ones(3))),
    "reduce_sum": (lambda x: jnp.sum(x, axis=0), (jnp.ones((2, 3)),)),
    "mean (div by a literal)": (lambda x: jnp.mean(x), (jnp.arange(6.0),)),
    "div by a constant": (lambda x: x / _C, (jnp.arange(3.0),)),
    "div by a tangent (plain rule)": (lambda x: _C / x, (jnp.arange(1.0, 4.0),)),
    "square": (lambda x: x ** 2, (jnp.arange(3.0),)),
    "cube (plain rule)": (lambda x: x ** 3, (jnp.arange(3.0),)),
    "reshape": (lambda x: jnp.reshape(x, (3, 2)) * 2.0, (jnp.ones((2, 3)),)),
    "transpose": (lambda x: x.T * _C[:2], (jnp.ones((2, 3)),)),
    "broadcast_in_dim": (lambda x: jnp.broadcast_to(x, (2, 3)) * _C, (jnp.arange(3.0),)),
    "broadcast of a unit axis": (lambda x: jaxlite.lax.broadcast_in_dim(x, (2, 3), (0, 1)) * _C,
                                 (jnp.arange(3.0).reshape(1, 3),)),
    "broadcast of a unit axis and a new one": (lambda x: jaxlite.lax.broadcast_in_dim(x, (4, 2, 3), (1, 2)),
                                               (jnp.arange(2.0).reshape(2, 1),)),
    "sum keeping an axis": (lambda x: jnp.sum(x, axis=1, keepdims=True) * 2.0, (jnp.ones((2, 3)),)),
    "sum of a scalar": (lambda x: jnp.sum(x) * 2.0, (jnp.float32(3.0),)),
    "matmul of a constant and a tangent": (lambda w: jnp.ones((2, 3)) @ w, (jnp.ones((3, 4)),)),
    "matmul of a tangent and a constant": (lambda x: x @ jnp.ones((3, 4)), (jnp.ones((2, 3)),)),
    "matmul of two tangents": (lambda a, b: a @ b, (jnp.arange(6.0).reshape(2, 3), jnp.ones((3, 4)))),
    "a sub of a broadcast tangent": (lambda x, b: x - b, (jnp.ones((2, 3)), jnp.arange(3.0))),
    "matmul of a vector": (lambda x: jnp.ones((4, 3)) @ x, (jnp.ones(3),)),
    "batched matmul": (lambda x: x @ jnp.ones((2, 3, 4)), (jnp.ones((2, 5, 3)),)),
    "batched matmul of a constant": (lambda w: jnp.ones((2, 5, 3)) @ w, (jnp.ones((2, 3, 4)),)),
    "dot_general with contraction out of order": (lambda x: jaxlite.lax.dot_general(
        x, jnp.ones((4, 2, 3)), (((0, 1), (2, 1)), ((), ()))), (jnp.ones((3, 2, 5)),)),
    "dot_general with a preferred type": (lambda x: jaxlite.lax.dot_general(
        x, jnp.ones((3, 2), jnp.float16), (((1,), (0,)), ((), ())), preferred_element_type=jnp.float32),
        (jnp.ones((4, 3), jnp.float16),)),
    "matmul, bias, tanh": (lambda w, b: jnp.tanh(jnp.ones((2, 3)) @ w + b), (jnp.ones((3, 4)), jnp.ones(4))),
    "a tangent used twice": (lambda x: jnp.sin(x) + jnp.cos(x) * x, (jnp.arange(3.0),)),
}


def _linearized(fn, args):
    from jaxlite.interpreters import ad
    leaves, tree = jaxlite.tree_util.tree_flatten(args)
    flat = lambda *xs: jaxlite.tree_util.tree_leaves(fn(*jaxlite.tree_util.tree_unflatten(tree, xs)))
    outs, jaxpr, consts = ad.linearize_flat(flat, [jnp.asarray(x) for x in leaves])
    return str(jaxpr), _outcome(lambda: outs), _outcome(lambda: consts)


@pytest.mark.parametrize("name", list(FAST_RULES))
def test_written_out_linearize_rules_give_the_plain_jaxprs_constants_and_primals(name):
    fn, args = FAST_RULES[name]
    on, off = _both_modes(lambda: _linearized(fn, args))
    assert on == off


@pytest.mark.parametrize("name", list(FAST_RULES))
def test_direct_transposes_give_the_plain_gradients(name):
    fn, args = FAST_RULES[name]
    grad = jaxlite.grad(lambda *a: jnp.sum(fn(*a)), argnums=tuple(range(len(args))))
    on, off = _both_modes(lambda: grad(*args))
    assert on == off


def test_written_out_rules_check_nans_as_the_reference_mode_does():
    def program():
        with jaxlite.debug_nans(True):
            return jaxlite.grad(lambda x: jnp.sum(jnp.log(x) * 2.0))(jnp.asarray([1.0, -1.0]))
    on, off = _both_modes(program)
    assert on == off
    assert on[0] is FloatingPointError


def test_written_out_rules_are_not_used_under_jit_or_the_partial_eval_route():
    fn = lambda x: jnp.sum(jnp.sin(x) * _C + x)
    on, off = _both_modes(lambda: str(jaxlite.make_jaxpr(jaxlite.grad(fn))(jnp.arange(3.0))))
    assert on == off
    before = jaxlite.config.read("jax_use_direct_linearize")
    jaxlite.config.update("jax_use_direct_linearize", False)
    try:
        on, off = _both_modes(lambda: _linearized(fn, (jnp.arange(3.0),)))
    finally:
        jaxlite.config.update("jax_use_direct_linearize", before)
    assert on == off


@pytest.mark.parametrize("fn", [lambda x: x * x, lambda x: x / x, lambda x: x @ x.T],
                         ids=["mul", "div", "dot_general"])
def test_direct_transposes_of_two_linear_operands_give_the_plain_outcome(fn):
    from jaxlite.interpreters import ad
    closed = jaxlite.make_jaxpr(fn)(jnp.ones((2, 2)))
    on, off = _both_modes(lambda: ad.backward_pass(closed.jaxpr, closed.consts, [jnp.ones((2, 2))]))
    assert on == off
