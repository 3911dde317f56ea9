"""jit as JAX's jit, where a learner sees it: indexing programs on both backends, float-to-int casts,
weak types through loops and branches, the trace cache, static arguments, jit's messages and the
stages API (trace, lower, compile)."""
import contextlib
import gc
import io
import logging
import re
import weakref

import jax
import jax.numpy as jnp_ref
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp

from .tables import assert_matches

BACKENDS = ["numpy", "xla"]
X4 = np.arange(4.0, dtype=np.float32)


# ----------------------------------------------------------------------------------------------
# Programs with gather and scatter compile on both backends

INDEXING = {
    "at-set": lambda np_, x: x.at[1].set(9.0),
    "at-add-repeated-indices": lambda np_, x: x.at[np_.array([0, 0, 2])].add(1.0),
    "fancy-index": lambda np_, x: x[np_.array([0, 2])],
    "take": lambda np_, x: np_.take(x, np_.array([3, 1])),
    "take_along_axis": lambda np_, x: np_.take_along_axis(x.reshape(2, 2), np_.array([[1], [0]]), axis=1),
    "fancy-index-2d": lambda np_, x: x.reshape(2, 2)[np_.array([1, 0]), np_.array([0, 0])],
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(INDEXING))
def test_jit_of_indexing_matches_jax(name, backend):
    fn = INDEXING[name]
    lite = jaxlite.jit(lambda x: fn(jnp, x), backend=backend)(jnp.asarray(X4))
    assert_matches(lite, jax.jit(lambda x: fn(jnp_ref, x))(X4))


@pytest.mark.parametrize("backend", BACKENDS)
def test_jit_of_grad_of_fancy_indexing_matches_jax(backend):
    def loss(np_):
        return lambda x: (x[np_.array([0, 2, 2])] ** 2).sum()
    lite = jaxlite.jit(jaxlite.grad(loss(jnp)), backend=backend)(jnp.asarray(X4))
    assert_matches(lite, jax.jit(jax.grad(loss(jnp_ref)))(X4))


def test_generated_source_binds_dimension_numbers_as_constants():
    text = jaxlite.jit(lambda x: x.at[1].set(9.0)).lower(jnp.asarray(X4)).as_text()
    source = text.split("# generated NumPy code\n", 1)[1]
    assert "ScatterDimensionNumbers(" not in source and "GatherScatterMode." not in source


# ----------------------------------------------------------------------------------------------
# Float-to-integer casts saturate as XLA's do, eagerly and under jit

CAST_VALUES = [np.nan, np.inf, -np.inf, 1e10, -1e10, 3.7, -3.7, 300.0, -300.0, 65535.5, 2.0 ** 31,
               2.0 ** 63, 2.0 ** 64, -0.5, 255.9, -128.5, 127.9]
FLOAT_TYPES = ["float16", "float32", "float64"]
INT_TYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


def _cast_under(mode):
    def cast(x, dtype):
        return x.astype(dtype)
    return cast if mode == "eager" else jaxlite.jit(cast, static_argnums=1, backend=mode)


@pytest.mark.parametrize("mode", ["eager"] + BACKENDS)
@pytest.mark.parametrize("int_type", INT_TYPES)
@pytest.mark.parametrize("float_type", FLOAT_TYPES)
def test_float_to_int_cast_saturates_like_jax(float_type, int_type, mode, x64):
    with np.errstate(over="ignore"):
        x = np.array(CAST_VALUES).astype(float_type)
    lite = _cast_under(mode)(jnp.asarray(x), int_type)
    assert_matches(lite, jax.lax.convert_element_type(jnp_ref.asarray(x), int_type))


def test_float_to_int32_cast_saturates_without_x64():
    x = np.array([np.nan, np.inf, -np.inf, 3e9, -3e9, -2.5], np.float32)
    assert_matches(jnp.asarray(x).astype(jnp.int32), jnp_ref.asarray(x).astype(jnp_ref.int32))


def test_python_float_converts_with_saturation_like_jax():
    for value in (float("nan"), 1e10, -1e10):
        assert_matches(jaxlite.lax.convert_element_type(value, np.int32),
                       jax.lax.convert_element_type(value, np.int32))


# ----------------------------------------------------------------------------------------------
# Weak types through loops and branches: a Python-scalar carry, branch outputs joined as in JAX

LOOPS = {
    "fori-python-int-plus-half": lambda lax, np_: lax.fori_loop(0, 5, lambda i, x: x + 0.5, 0),
    "fori-python-int-plus-counter": lambda lax, np_: lax.fori_loop(0, 10, lambda i, x: x + i, 0),
    "fori-python-float-plus-counter": lambda lax, np_: lax.fori_loop(0, 10, lambda i, x: x + i, 0.0),
    "fori-python-float-times-two": lambda lax, np_: lax.fori_loop(0, 3, lambda i, x: x * 2, 1.0),
    "fori-float32-plus-counter": lambda lax, np_: lax.fori_loop(0, 3, lambda i, x: x + i, np_.float32(0)),
    "fori-float-bounds": lambda lax, np_: lax.fori_loop(0.0, 3.0, lambda i, x: x + i, 0),
    "fori-int16-bound-counter": lambda lax, np_: lax.fori_loop(np_.int16(0), np_.int16(4),
                                                               lambda i, x: x + i, np_.int16(1)),
    "while-python-int": lambda lax, np_: lax.while_loop(lambda x: x < 10, lambda x: x + 1, 0),
    "while-python-int-plus-float": lambda lax, np_: lax.while_loop(lambda x: x < 10, lambda x: x + 1.5, 0),
    "while-python-float": lambda lax, np_: lax.while_loop(lambda x: x < 10, lambda x: x * 2.0, 1.0),
    "while-python-float-plus-float32": lambda lax, np_: lax.while_loop(
        lambda x: x < 10, lambda x: x + np_.float32(1), 1.0),
    "while-python-int-plus-float32": lambda lax, np_: lax.while_loop(
        lambda x: x < 10, lambda x: x + np_.float32(1), 1),
    "while-tuple-of-python-scalars": lambda lax, np_: lax.while_loop(
        lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * 1.5), (0, 1.0)),
    "scan-python-int": lambda lax, np_: lax.scan(lambda c, x: (c + x, c * 2), 0, np_.arange(3)),
    "scan-python-float": lambda lax, np_: lax.scan(lambda c, x: (c + x, c), 0.0, np_.arange(3.0)),
    "scan-python-int-plus-floats": lambda lax, np_: lax.scan(lambda c, x: (c + x, c), 0, np_.arange(3.0)),
    "scan-python-int-plus-half": lambda lax, np_: lax.scan(lambda c, _: (c + 0.5, c), 0, None, length=3),
    "scan-weak-carry-becomes-strong": lambda lax, np_: lax.scan(
        lambda c, _: (c + np_.float32(1), c), 0.0, None, length=3),
    "scan-list-output": lambda lax, np_: lax.scan(lambda c, x: [c + x, x], 0.0, np_.arange(3.0)),
    "cond-weak-and-strong-branches": lambda lax, np_: lax.cond(True, lambda: 1.0, lambda: np_.float32(2)),
    "cond-weak-branches": lambda lax, np_: lax.cond(False, lambda: 1.0, lambda: 2.0),
    "cond-strong-false-branch-taken-true": lambda lax, np_: lax.cond(True, lambda: np_.float32(1), lambda: 2.0),
    "switch-branch-zero-gives-weak-type": lambda lax, np_: lax.switch(
        1, [lambda: 1.0, lambda: np_.float32(2), lambda: 3.0]),
    "cond-float-predicate": lambda lax, np_: lax.cond(1.0, lambda: 1, lambda: 2),
    "cond-float-predicate-half": lambda lax, np_: lax.cond(np_.float32(0.5), lambda: 1, lambda: 2),
    "cond-float-predicate-zero": lambda lax, np_: lax.cond(np_.float32(0.0), lambda: 1, lambda: 2),
}


@pytest.mark.parametrize("jitted", [False, True], ids=["eager", "jit"])
@pytest.mark.parametrize("name", list(LOOPS))
def test_loop_result_dtype_and_weak_type_match_jax(name, jitted):
    fn = LOOPS[name]
    lite = (jaxlite.jit(lambda: fn(jaxlite.lax, jnp)) if jitted else lambda: fn(jaxlite.lax, jnp))()
    ref = (jax.jit(lambda: fn(jax.lax, jnp_ref)) if jitted else lambda: fn(jax.lax, jnp_ref))()
    assert type(lite).__name__ == type(ref).__name__  # a tuple, list or array as in JAX
    assert_matches(lite, ref)


def test_fori_loop_with_int32_and_python_bounds_counts_with_python_ints_as_jax():
    # Eagerly only: under JAX's jit, jnp.int32(0) is a tracer without a value, so JAX takes the
    # while_loop path there; jaxlite's jnp.int32(0) stays concrete.
    def fn(lax, np_):
        return lax.fori_loop(np_.int32(0), 3, lambda i, x: x + i, 0)
    assert_matches(fn(jaxlite.lax, jnp), fn(jax.lax, jnp_ref))


def test_fori_loop_with_traced_upper_bound_matches_jax():
    def fn(lax):
        return lambda n: (lax.fori_loop(0, n, lambda i, x: x + 0.5, 0), lax.fori_loop(0, n, lambda i, x: x + i, 0))
    assert_matches(jaxlite.jit(fn(jaxlite.lax))(5), jax.jit(fn(jax.lax))(5))


def test_forwarded_python_scalar_carry_comes_back_as_given():
    lite = jaxlite.lax.scan(lambda c, x: (c, x), 0.0, jnp.arange(3.0))[0]
    ref = jax.lax.scan(lambda c, x: (c, x), 0.0, jnp_ref.arange(3.0))[0]
    assert type(lite) is type(ref) is float


def first_line(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return type(e), str(e).splitlines()[0]
    return None


LOOP_ERRORS = {
    "fori-int32-carry-plus-float": lambda lax, np_: lax.fori_loop(0, 3, lambda i, x: x + 1.5, np_.int32(0)),
    "fori-float-and-int-bounds": lambda lax, np_: lax.fori_loop(0.0, 3, lambda i, x: x + i, 0),
    "fori-not-callable": lambda lax, np_: lax.fori_loop(0, 3, 5, 0),
    "scan-int32-carry-plus-half": lambda lax, np_: lax.scan(lambda c, _: (c + 0.5, c), np_.int32(0), None,
                                                            length=3),
    "scan-float32-carry-to-float16": lambda lax, np_: lax.scan(lambda c, _: (c.astype(np_.float16), c),
                                                               np_.float32(0), None, length=3),
    "scan-carry-changes-shape": lambda lax, np_: lax.scan(lambda c, x: (np_.stack([c, c]), x), np_.float32(0),
                                                          np_.arange(3.0)),
    "scan-python-scalar-carry-becomes-vector": lambda lax, np_: lax.scan(
        lambda c, x: (c + np_.ones(2), x), 0.0, np_.arange(3.0)),
    "scan-tuple-component-dtype-changes": lambda lax, np_: lax.scan(
        lambda c, x: ((c[0], c[1].astype(np_.int32)), x), (0.0, np_.float32(1)), np_.arange(3.0)),
    "scan-body-returns-one-value": lambda lax, np_: lax.scan(lambda c, x: c + x, 0.0, np_.arange(3.0)),
    "scan-body-returns-an-array": lambda lax, np_: lax.scan(lambda c, x: np_.ones(3), 0.0, np_.arange(3.0)),
    "scan-body-returns-a-triple": lambda lax, np_: lax.scan(lambda c, x: (c, x, x), 0.0, np_.arange(3.0)),
    "scan-body-returns-one-tuple": lambda lax, np_: lax.scan(lambda c, x: (c,), 0.0, np_.arange(3.0)),
    "scan-body-returns-none": lambda lax, np_: lax.scan(lambda c, x: None, 0.0, np_.arange(3.0)),
    "while-carry-changes-shape": lambda lax, np_: lax.while_loop(
        lambda c: c.sum() < 10, lambda c: np_.concatenate([c, c]), np_.ones(2)),
    "while-carry-changes-dtype": lambda lax, np_: lax.while_loop(
        lambda c: c < 3, lambda c: (c + 1).astype(np_.float32), np_.int32(0)),
    "while-carry-changes-structure": lambda lax, np_: lax.while_loop(
        lambda c: c[0] < 3, lambda c: [c[0] + 1, c[1]], (0, 1.0)),
    "while-cond-returns-int": lambda lax, np_: lax.while_loop(lambda c: c, lambda c: c - 1, 3),
    "while-cond-returns-vector": lambda lax, np_: lax.while_loop(lambda c: c < 3, lambda c: c + 1, np_.zeros(2)),
    "cond-branches-int-and-float32": lambda lax, np_: lax.cond(True, lambda: 1, lambda: np_.float32(2)),
    "cond-branches-float32-and-float16": lambda lax, np_: lax.cond(True, lambda: np_.float32(1),
                                                                   lambda: np_.float16(2)),
    "cond-vector-predicate": lambda lax, np_: lax.cond(np_.array([1.0]), lambda: 1, lambda: 2),
    "cond-none-predicate": lambda lax, np_: lax.cond(None, lambda: 1, lambda: 2),
    "switch-float-index": lambda lax, np_: lax.switch(1.0, [lambda: 1.0, lambda: 2.0]),
    "switch-float32-index": lambda lax, np_: lax.switch(np_.float32(1.0), [lambda: 1.0, lambda: 2.0]),
    "switch-bool-index": lambda lax, np_: lax.switch(True, [lambda: 1.0, lambda: 2.0]),
    "switch-vector-index": lambda lax, np_: lax.switch(np_.array([1]), [lambda: 1.0, lambda: 2.0]),
}


@pytest.mark.parametrize("name", list(LOOP_ERRORS))
def test_loop_refused_with_jax_error(name):
    fn = LOOP_ERRORS[name]
    ref = first_line(lambda: fn(jax.lax, jnp_ref))
    assert ref is not None
    assert first_line(lambda: fn(jaxlite.lax, jnp)) == ref


def test_switch_on_traced_float_index_refused_as_jax():
    def fn(lax):
        return lambda i: lax.switch(i, [lambda: 1.0, lambda: 2.0])
    assert first_line(lambda: jaxlite.jit(fn(jaxlite.lax))(1.0)) == first_line(lambda: jax.jit(fn(jax.lax))(1.0))


def test_cond_on_traced_float_predicate_accepted_as_jax():
    def fn(lax):
        return lambda p: lax.cond(p, lambda: 1, lambda: 2)
    for p in (0.0, 2.5):
        assert_matches(jaxlite.jit(fn(jaxlite.lax))(p), jax.jit(fn(jax.lax))(p))


# ----------------------------------------------------------------------------------------------
# One trace cache per function, as JAX's: what impure functions print is what JAX prints

def printed(fn):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        fn()
    return buffer.getvalue()


def global_read_at_trace_time(J):
    namespace = {"offset": 0.0}

    def add_offset(x):
        return x + namespace["offset"]
    print(J.jit(add_offset)(4.0))
    namespace["offset"] = 10.0
    print(J.jit(add_offset)(5.0))  # a second jit of the same function: the old trace
    print(J.jit(add_offset)(J.numpy.array([4.0])))  # a new shape: traced again, reading 10.0


def print_on_first_call_only(J):
    def noisy(x):
        print("tracing noisy")
        return x * 2
    print(J.jit(noisy)(4.0))
    print(J.jit(noisy)(5.0))
    print(J.jit(noisy)(J.numpy.array([5.0])))


def fresh_lambda_each_time(J):
    for _ in range(2):
        J.jit(lambda x: print("tracing lambda") or x)(1.0)


def static_by_position_then_keyword(J):
    def scale(x, n):
        print("tracing scale")
        return x * n
    J.jit(scale, static_argnums=1)(1.0, 2)
    J.jit(scale, static_argnames="n")(1.0, 2)  # the same static signature: no trace
    J.jit(scale, static_argnums=1)(1.0, n=3)  # static by keyword: a new entry
    J.jit(scale, static_argnames="n")(1.0, n=3)


def clear_cache_is_shared(J):
    def f(x):
        print("tracing f")
        return x
    a, b = J.jit(f), J.jit(f)
    a(1.0)
    b(1.0)
    print(a._cache_size(), b._cache_size())
    a.clear_cache()
    print(b._cache_size())
    b(1.0)


@pytest.mark.parametrize("program", [global_read_at_trace_time, print_on_first_call_only, fresh_lambda_each_time,
                                     static_by_position_then_keyword, clear_cache_is_shared])
def test_impure_function_prints_what_jax_prints(program):
    assert printed(lambda: program(jaxlite)) == printed(lambda: program(jax))


def test_jit_cache_does_not_keep_the_function_alive():
    def double(x):
        return x * 2
    ref = weakref.ref(double)
    jaxlite.jit(double)(1.0)
    del double
    gc.collect()
    assert ref() is None


# ----------------------------------------------------------------------------------------------
# static_argnums and static_argnames: checked against the signature, inferred from each other

def _two(x, n):
    return x * n


def _star(x, *args):
    return x


def _kwargs(x, **kw):
    return x


def _positional_only(x, n, /):
    return x * n


STATIC_REFUSED = {
    "argnums-past-the-end": lambda J: J.jit(_two, static_argnums=2),
    "argnums-too-negative": lambda J: J.jit(_two, static_argnums=-3),
    "argnames-unknown": lambda J: J.jit(_two, static_argnames="m"),
    "argnames-positional-only": lambda J: J.jit(_positional_only, static_argnames="n"),
    "argnums-a-string": lambda J: J.jit(_two, static_argnums="n"),
    "argnames-an-int": lambda J: J.jit(_two, static_argnames=1),
    "static-list-argument": lambda J: J.jit(_two, static_argnums=1)(1.0, [1]),
}


@pytest.mark.parametrize("name", list(STATIC_REFUSED))
def test_bad_static_arguments_refused_as_jax(name):
    fn = STATIC_REFUSED[name]
    ref = first_line(lambda: fn(jax))
    assert ref is not None
    assert first_line(lambda: fn(jaxlite)) == ref


def test_bad_static_argnums_refused_when_jit_is_called_as_jax():
    with pytest.raises(ValueError):
        jax.jit(_two, static_argnums=2)
    with pytest.raises(ValueError):
        jaxlite.jit(_two, static_argnums=2)


STATIC_ACCEPTED = {
    "argnums-by-keyword": lambda J: J.jit(lambda x, n: x if n > 2 else -x, static_argnums=1)(1.0, n=3),
    "argnames-by-position": lambda J: J.jit(lambda x, n: x if n > 2 else -x, static_argnames="n")(1.0, 3),
    "negative-argnums": lambda J: J.jit(lambda x, n: x if n > 2 else -x, static_argnums=-1)(1.0, 1),
    "argnums-into-star-args": lambda J: J.jit(_star, static_argnums=5)(1.0, 2),
    "argnames-into-kwargs": lambda J: J.jit(_kwargs, static_argnames="m")(1.0, m=2),
    "both-given": lambda J: J.jit(_two, static_argnums=1, static_argnames="n")(1.0, n=3),
}


@pytest.mark.parametrize("name", list(STATIC_ACCEPTED))
def test_static_arguments_accepted_as_jax(name):
    fn = STATIC_ACCEPTED[name]
    assert_matches(fn(jaxlite), fn(jax))


# ----------------------------------------------------------------------------------------------
# jit's messages: non-array arguments and outputs, concretization tips, leaked tracers, hints

def without_addresses(text):
    return re.sub(r" at 0x[0-9a-f]+", "", text)


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class and text are what is compared
        return e
    raise AssertionError("no error")


class Opaque:
    pass


def _two_modes(x, mode):
    return x


NON_ARRAYS = {
    "string-argument": (lambda J: J.jit(_two_modes)(1.0, "train"), "static_argnums=1"),
    "object-argument": (lambda J: J.jit(_two_modes)(1.0, Opaque()), "register Opaque as a pytree"),
    "function-argument": (lambda J: J.jit(_two_modes)(1.0, len), "functools.partial"),
    "string-keyword-argument": (lambda J: J.jit(_two_modes)(1.0, mode="train"), "static_argnames='mode'"),
    "string-inside-a-dict": (lambda J: J.jit(lambda p: p["a"])({"a": 1.0, "b": "x"}), "close over it"),
    "string-in-star-args": (lambda J: J.jit(lambda x, *args: x)(1.0, 2.0, "x"), "static_argnums=2"),
    "string-in-star-kwargs": (lambda J: J.jit(lambda x, **kw: x)(1.0, m="x"), "static_argnames='m'"),
}


@pytest.mark.parametrize("name", list(NON_ARRAYS))
def test_non_array_argument_named_by_path_as_jax(name):
    fn, hint = NON_ARRAYS[name]
    lite, ref = error_of(lambda: fn(jaxlite)), error_of(lambda: fn(jax))
    assert type(lite) is type(ref) is TypeError
    lite_lines, ref_lines = without_addresses(str(lite)).splitlines(), without_addresses(str(ref)).splitlines()
    assert lite_lines[:2] == ref_lines[:2]
    assert lite_lines[-1].startswith("Hint: ") and hint in lite_lines[-1]


@pytest.mark.parametrize("output", ["string-in-a-tuple", "object"])
def test_non_array_output_message_matches_jax(output):
    def fn(J):
        if output == "object":
            return J.jit(lambda x: Opaque())(1.0)
        return J.jit(lambda x: (x, "done"))(1.0)
    lite, ref = error_of(lambda: fn(jaxlite)), error_of(lambda: fn(jax))
    assert type(lite) is type(ref)
    assert str(lite).splitlines()[0] == str(ref).splitlines()[0]
    assert "Argument" not in str(lite)


def _branch_on(x, n):
    if n > 0:
        return x
    return -x


def _branch_on_keyword(x, *, n):
    if n > 0:
        return x
    return -x


def _count_to(x, n):
    return x * len(range(n))


def _int_of(x, n):
    return x * int(n)


def _item_of(x, n):
    return x * n.item()


def _arange_of(x, n):
    return jnp.arange(n) * x


CONCRETIZATIONS = {
    "bool-of-positional-argument": (lambda J: J.jit(_branch_on)(1.0, 3), "jit(_branch_on, static_argnums=1)"),
    "bool-of-keyword-argument": (lambda J: J.jit(_branch_on)(1.0, n=3), "jit(_branch_on, static_argnames='n')"),
    "bool-of-keyword-only-argument": (lambda J: J.jit(_branch_on_keyword)(1.0, n=3),
                                      "jit(_branch_on_keyword, static_argnames='n')"),
    "int-of-argument": (lambda J: J.jit(_int_of)(1.0, 3), "astype"),
    "range-of-argument": (lambda J: J.jit(_count_to)(1.0, 3), "fori_loop"),
    "item-of-argument": (lambda J: J.jit(_item_of)(1.0, 3), "outside the transformed function"),
}


@pytest.mark.parametrize("name", list(CONCRETIZATIONS))
def test_concretization_error_keeps_jax_tip_and_hints_the_static_argument(name):
    fn, hint = CONCRETIZATIONS[name]
    lite, ref = error_of(lambda: fn(jaxlite)), error_of(lambda: fn(jax))
    assert type(lite).__name__ == type(ref).__name__
    assert str(lite).splitlines()[0] == str(ref).splitlines()[0]
    tip = [line for line in str(ref).splitlines() if "depends on the value of the argument" in line]
    assert tip and tip[0] in str(lite)
    assert hint in str(lite).splitlines()[-1]


def test_shape_from_a_traced_argument_hints_the_static_argument():
    text = str(error_of(lambda: jaxlite.jit(_arange_of)(1.0, 3)))
    assert "jit(_arange_of, static_argnums=1)" in text.splitlines()[-1]


VMAP_CONCRETIZATIONS = {
    "bool": (lambda J, np_: J.vmap(lambda x: x if x > 0 else -x)(np_.arange(3.0)), "jnp.where"),
    "int": (lambda J, np_: J.vmap(lambda x: int(x))(np_.arange(3.0)), "astype"),
    "range": (lambda J, np_: J.vmap(lambda n: sum(range(n)))(np_.arange(3)), "fori_loop"),
}


@pytest.mark.parametrize("name", list(VMAP_CONCRETIZATIONS))
def test_concretization_under_vmap_hints_what_works_per_example(name):
    fn, hint = VMAP_CONCRETIZATIONS[name]
    lite, ref = error_of(lambda: fn(jaxlite, jnp)), error_of(lambda: fn(jax, jnp_ref))
    assert type(lite).__name__ == type(ref).__name__
    assert str(lite).splitlines()[0] == str(ref).splitlines()[0]
    last = str(lite).splitlines()[-1]
    assert hint in last and "static" not in last


@pytest.mark.parametrize("call", ["where-one-argument", "nonzero", "argwhere"])
def test_data_dependent_size_under_jit_hints_size_not_where(call):
    fn = {"where-one-argument": lambda np_: (lambda x: np_.where(x > 0)),
          "nonzero": lambda np_: np_.nonzero, "argwhere": lambda np_: np_.argwhere}[call]
    x = np.array([-1.0, 0.0, 2.0], np.float32)
    lite, ref = error_of(lambda: jaxlite.jit(fn(jnp))(x)), error_of(lambda: jax.jit(fn(jnp_ref))(x))
    assert type(lite).__name__ == type(ref).__name__
    assert str(lite).splitlines()[:2] == str(ref).splitlines()[:2]
    last = str(lite).splitlines()[-1]
    assert "size=" in last and "use jnp.where" not in last


@pytest.mark.parametrize("call", ["nonzero", "nonzero-fill", "where-one-argument", "argwhere", "vmap-nonzero"])
def test_nonzero_with_size_under_a_transformation_matches_jax(call):
    x = np.array([[0.0, 2.0, 0.0], [3.0, 0.0, 4.0]], np.float32)

    def fn(J, np_):
        return {"nonzero": lambda: J.jit(lambda x: np_.nonzero(x, size=4))(x),
                "nonzero-fill": lambda: J.jit(lambda x: np_.nonzero(x, size=8, fill_value=-1))(x),
                "where-one-argument": lambda: J.jit(lambda x: np_.where(x > 1, size=2))(x[1]),
                "argwhere": lambda: J.jit(lambda x: np_.argwhere(x, size=5, fill_value=-1))(x),
                "vmap-nonzero": lambda: J.vmap(lambda r: np_.nonzero(r, size=2))(x)}[call]()
    assert_matches(fn(jaxlite, jnp), fn(jax, jnp_ref))


def test_leaked_tracer_names_the_traced_function_as_jax():
    def program(J):
        saved = []

        def keep(x):
            saved.append(x * 2)
            return x
        J.jit(keep)(1.0)
        return error_of(lambda: saved[0] + 1)
    lite, ref = program(jaxlite), program(jax)
    assert type(lite).__name__ == type(ref).__name__ == "UnexpectedTracerError"
    line = next(line for line in str(ref).splitlines() if line.startswith("The function being traced"))
    assert line in str(lite).splitlines()


# ----------------------------------------------------------------------------------------------
# The ahead-of-time stages: trace, lower, compile

def _stage_of(J, stage):
    jitted = J.jit(lambda x, y: {"prod": x * y, "sum": [y.sum()]})
    traced = jitted.trace(1.0, J.numpy.ones(3))
    return {"traced": traced, "lowered": traced.lower(), "compiled": traced.lower().compile()}[stage]


def test_traced_jaxpr_is_the_jaxpr_jax_traces():
    lite, ref = _stage_of(jaxlite, "traced"), _stage_of(jax, "traced")
    assert str(lite.jaxpr) == str(ref.jaxpr)
    assert lite.fun_name == ref.fun_name == "<lambda>"


@pytest.mark.parametrize("stage", ["traced", "lowered", "compiled"])
def test_stage_in_avals_and_out_info_match_jax(stage):
    lite, ref = _stage_of(jaxlite, stage), _stage_of(jax, stage)
    assert repr(lite.in_avals) == repr(ref.in_avals)
    assert str(lite.in_tree) == str(ref.in_tree) and str(lite.out_tree) == str(ref.out_tree)
    lite_info, ref_info = jaxlite.tree_util.tree_leaves(lite.out_info), jax.tree_util.tree_leaves(ref.out_info)
    assert [(i.shape, i.dtype, i.weak_type) for i in lite_info] == [(i.shape, i.dtype, i.weak_type) for i in ref_info]


def test_traced_args_info_repr_matches_jax():
    assert repr(_stage_of(jaxlite, "traced").args_info) == repr(_stage_of(jax, "traced").args_info)


@pytest.mark.parametrize("stage", ["traced", "compiled"])
def test_stage_called_like_the_function_matches_jax(stage):
    lite = _stage_of(jaxlite, stage)(2.0, jnp.arange(3.0))
    assert_matches(lite, _stage_of(jax, stage)(2.0, jnp_ref.arange(3.0)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_compiled_leaves_static_arguments_out_as_jax(backend):
    def f(J, **kw):
        return J.jit(lambda x, n: x * n, static_argnums=1, **kw).lower(1.0, 3).compile()
    assert_matches(f(jaxlite, backend=backend)(2.0), f(jax)(2.0))
    assert first_line(lambda: f(jaxlite, backend=backend)(2.0, 3)) == first_line(lambda: f(jax)(2.0, 3))


COMPILED_CALLS = {
    "other-shape": lambda np_: (2.0, np_.ones(4)),
    "too-few": lambda np_: (2.0,),
    "int-for-float": lambda np_: (2, np_.ones(3)),
    "strong-float32": lambda np_: (np_.float32(2), np_.ones(3)),
    "numpy-float64": lambda np_: (np.float64(2), np.ones(3)),
}


@pytest.mark.parametrize("args", list(COMPILED_CALLS))
def test_compiled_call_checks_arguments_as_jax(args):
    def call(J, np_):
        return _stage_of(J, "compiled")(*COMPILED_CALLS[args](np_))
    ref = first_line(lambda: call(jax, jnp_ref))
    assert first_line(lambda: call(jaxlite, jnp)) == ref
    if ref is None:
        assert_matches(call(jaxlite, jnp), call(jax, jnp_ref))


def test_compiled_type_mismatch_names_the_argument_as_jax():
    def text(J, np_):
        return str(error_of(lambda: _stage_of(J, "compiled")(2.0, np_.ones(4)))).splitlines()[1]
    assert text(jaxlite, jnp) == text(jax, jnp_ref)


@pytest.mark.parametrize("backend", BACKENDS)
def test_compiled_as_text_shows_the_code_that_runs(backend):
    compiled = jaxlite.jit(lambda x: jnp.sin(x) * 2.0, backend=backend).lower(jnp.ones(3)).compile()
    text = compiled.as_text()
    assert ("def <lambda>" not in text) and ("sin(" in text if backend == "numpy" else "sine" in text)


# ----------------------------------------------------------------------------------------------
# jax_explain_cache_misses: a retrace logs why, at WARNING level, in JAX's words

def cache_miss_shapes_and_types(J):
    def scale(x, y):
        return x * y
    f = J.jit(scale)
    f(1.0, J.numpy.ones(2))
    f(2.0, J.numpy.ones(2))  # a hit: nothing logged
    f(1.0, J.numpy.ones(3))
    f(J.numpy.ones(3), J.numpy.ones(3, J.numpy.int32))
    f(1, J.numpy.ones(3, J.numpy.int32))


def cache_miss_structures(J):
    pick = J.jit(lambda t: t[0])
    pick((1.0, 2.0))
    pick([1.0, 2.0])
    pick((1.0,))
    first = J.jit(lambda d: d["a"])
    first({"a": 1.0})
    first({"a": 1.0, "b": 2.0})
    maybe = J.jit(lambda t, u: t)
    maybe(1.0, None)
    maybe(1.0, 2.0)


def cache_miss_redefined_each_time(J):
    for _ in range(3):
        J.jit(lambda x: x)(1.0)


def cache_miss_x64(J):
    f = J.jit(lambda x: x + 1)
    f(1)
    J.config.update("jax_enable_x64", True)
    try:
        f(1)
    finally:
        J.config.update("jax_enable_x64", False)


def logged_misses(J, program, caplog):
    J.config.update("jax_explain_cache_misses", True)
    caplog.clear()
    try:
        with caplog.at_level(logging.WARNING):
            program(J)
    finally:
        J.config.update("jax_explain_cache_misses", False)
    return [re.sub(r"id=\d+", "id=N", r.getMessage()) for r in caplog.records
            if r.getMessage().startswith("TRACING CACHE MISS")]


@pytest.mark.parametrize("program", [cache_miss_shapes_and_types, cache_miss_structures,
                                     cache_miss_redefined_each_time, cache_miss_x64])
def test_cache_misses_explained_as_jax(program, caplog):
    lite = logged_misses(jaxlite, program, caplog)
    assert lite and lite == logged_misses(jax, program, caplog)


def test_cache_misses_not_explained_unless_asked(caplog):
    with caplog.at_level(logging.WARNING):
        jaxlite.jit(lambda x: x)(1.0)
    assert not caplog.records
