"""The errors a learner meets, against real JAX's: the same class (and bases), the same first line,
and jaxlite's one-line `Hint:` where JAX prints a link to its errors page.

Each mistake is written once as `program(J, jnp)` and run under both libraries.
"""
import operator

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.errors
import jaxlite.numpy as lnp

X3 = np.array([0.5, -1.0, 2.0], np.float32)


def raised(program):
    """(jaxlite's exception, JAX's exception) raised by `program(J, jnp)`."""
    errors = []
    for J, np_ in ((jaxlite, lnp), (jax, jnp)):
        with pytest.raises(Exception) as info:
            program(J, np_)
        errors.append(info.value)
    return errors


def lines(err):
    return str(err).splitlines()


def assert_same_first_line(program, cls):
    """Both raise `cls` (a builtin class, or a jaxlite.errors class and JAX's of the same name)."""
    lite, ref = raised(program)
    assert isinstance(lite, cls)
    assert isinstance(ref, getattr(jax.errors, cls.__name__) if cls.__module__ == "jaxlite.errors" else cls)
    assert type(lite).__name__ == type(ref).__name__
    assert lines(lite)[0] == lines(ref)[0]
    return lite, ref


def assert_jax_message_then_hint(lite, ref):
    """jaxlite's message is JAX's, word for word, then one `Hint:` line."""
    *message, hint = lines(lite)
    assert "\n".join(message) == str(ref)
    assert hint.startswith("Hint: ")


def assert_hint_in_place_of_link(lite, ref):
    assert any(line.startswith("See https://") for line in lines(ref))
    assert lines(lite)[-1].startswith("Hint: ") and "https://" not in str(lite)


# ----------------------------------------------------------------------------------------------
# The error classes

@pytest.mark.parametrize("name", ["JAXTypeError", "JAXIndexError", "ConcretizationTypeError",
                                  "TracerBoolConversionError", "TracerIntegerConversionError",
                                  "TracerArrayConversionError", "UnexpectedTracerError",
                                  "NonConcreteBooleanIndexError", "KeyReuseError", "JaxRuntimeError"])
def test_error_class_has_jax_bases(name):
    ours = [c.__name__ for c in getattr(jaxlite.errors, name).__mro__]
    theirs = [c.__name__ for c in getattr(jax.errors, name).__mro__]
    assert [n for n in ours if "Mixin" not in n] == [n for n in theirs if "Mixin" not in n]


def test_tracer_bool_conversion_error_is_a_concretization_type_error_is_a_type_error():
    err = jaxlite.errors.TracerBoolConversionError("message")
    assert isinstance(err, jaxlite.errors.ConcretizationTypeError)
    assert isinstance(err, TypeError)


def test_every_jaxlite_error_class_carries_a_hint():
    for name in ["ConcretizationTypeError", "TracerBoolConversionError", "TracerIntegerConversionError",
                 "TracerArrayConversionError", "UnexpectedTracerError", "NonConcreteBooleanIndexError",
                 "KeyReuseError"]:
        assert lines(getattr(jaxlite.errors, name)("message"))[-1].startswith("Hint: ")


# ----------------------------------------------------------------------------------------------
# grad

def test_grad_of_non_scalar_output():
    lite, ref = assert_same_first_line(lambda J, np_: J.grad(lambda x: x * 2.0)(X3), TypeError)
    assert lines(lite)[0] == "Gradient only defined for scalar-output functions. Output had shape: (3,)."
    assert lines(lite)[-1].startswith("Hint: ")


def test_grad_with_integer_input():
    lite, _ = assert_same_first_line(lambda J, np_: J.grad(lambda x: x * 2)(3), TypeError)
    assert "set allow_int to True" in lines(lite)[0]


@pytest.mark.parametrize("out", ["int", "bool"])
def test_grad_of_integer_or_boolean_output(out):
    def program(J, np_):
        f = (lambda x: (x > 1.0).astype(np_.int32)) if out == "int" else (lambda x: x > 1.0)
        return J.grad(f)(3.0)
    assert_same_first_line(program, TypeError)


def test_grad_argnums_beyond_the_arguments():
    assert_same_first_line(lambda J, np_: J.grad(lambda x: x, argnums=1)(1.0), TypeError)


def test_grad_of_complex_output():
    assert_same_first_line(lambda J, np_: J.grad(lambda x: x * 1j)(1.0), TypeError)


def test_has_aux_function_must_return_a_pair():
    lite, ref = raised(lambda J, np_: J.grad(lambda x: x, has_aux=True)(1.0))
    assert type(lite) is type(ref) is TypeError
    prefix = "expected function with aux output to return a two-element tuple, but got type"
    assert lines(lite)[0].startswith(prefix) and lines(ref)[0].startswith(prefix)


def test_transforming_a_non_callable():
    assert_same_first_line(lambda J, np_: J.grad(3), TypeError)


# ----------------------------------------------------------------------------------------------
# Concrete values needed while tracing

def branchy(x, y):
    if x > 0:
        return y
    return x


def test_python_if_on_a_traced_value_names_the_argument():
    lite, ref = assert_same_first_line(lambda J, np_: J.make_jaxpr(branchy)(1.0, 2.0),
                                       jaxlite.errors.TracerBoolConversionError)
    assert isinstance(lite, jaxlite.errors.ConcretizationTypeError) and isinstance(lite, TypeError)
    assert lines(lite)[0] == "Attempted boolean conversion of traced array with shape bool[]."
    dependence = "This concrete value was not available in Python because it depends on the value " \
                 "of the argument x."
    assert dependence in lines(ref)[1] and dependence in lines(lite)[1]
    assert_hint_in_place_of_link(lite, ref)


def test_dependence_on_two_arguments_is_worded_as_jax():
    lite, ref = raised(lambda J, np_: J.make_jaxpr(lambda x, y: 1.0 if x + y > 0 else 2.0)(1.0, 2.0))
    assert lines(lite)[1].split(". ", 1)[1] == lines(ref)[1].split(". ", 1)[1]
    assert lines(lite)[1].endswith("depends on the values of the arguments x and y.")


def test_dependence_on_a_pytree_leaf_names_its_path():
    params = {"w": 1.0, "b": 2.0}
    lite, ref = raised(lambda J, np_: J.make_jaxpr(lambda p: 1.0 if p["w"] > 0 else 2.0)(params))
    assert lines(lite)[1].endswith("of the argument p['w'].") and lines(ref)[1].endswith("p['w'].")


def test_python_if_under_vmap():
    lite, ref = assert_same_first_line(lambda J, np_: J.vmap(lambda x: 1.0 if x > 0 else 2.0)(X3),
                                       jaxlite.errors.TracerBoolConversionError)
    assert_hint_in_place_of_link(lite, ref)


def test_python_if_under_grad_is_fine_because_values_are_concrete():
    f = lambda x: x * 3.0 if x > 0 else x
    assert float(jaxlite.grad(f)(2.0)) == float(jax.grad(f)(2.0)) == 3.0


@pytest.mark.parametrize("convert", ["int", "float"])
def test_int_or_float_of_a_tracer(convert):
    def program(J, np_):
        return J.make_jaxpr(lambda x: {"int": int, "float": float}[convert](x))(1.0)
    lite, ref = assert_same_first_line(program, jaxlite.errors.ConcretizationTypeError)
    assert lines(lite)[1] == lines(ref)[1]  # "The problem arose with the `int` function. ..."
    assert_hint_in_place_of_link(lite, ref)


def test_item_of_a_tracer():
    lite, ref = assert_same_first_line(lambda J, np_: J.make_jaxpr(lambda x: x.item())(1.0),
                                       jaxlite.errors.ConcretizationTypeError)
    assert lines(lite)[1] == lines(ref)[1]


def test_indexing_a_python_list_with_a_tracer():
    lite, ref = assert_same_first_line(lambda J, np_: J.make_jaxpr(lambda i: [1, 2, 3][i])(1),
                                       jaxlite.errors.TracerIntegerConversionError)
    assert_hint_in_place_of_link(lite, ref)


def test_numpy_function_on_a_tracer():
    lite, ref = assert_same_first_line(lambda J, np_: J.make_jaxpr(lambda x: np.sin(np.asarray(x)))(1.0),
                                       jaxlite.errors.TracerArrayConversionError)
    assert_hint_in_place_of_link(lite, ref)


# ----------------------------------------------------------------------------------------------
# Leaked tracers

def leak_through_global(J, transform):
    stash = []

    def f(x):
        stash.append(x)
        return x

    transform(J, f)
    return stash[0]


@pytest.mark.parametrize("transform", ["make_jaxpr", "vmap"])
def test_tracer_leaked_through_a_global_and_used_later(transform):
    def program(J, np_):
        how = {"make_jaxpr": lambda J, f: J.make_jaxpr(f)(1.0), "vmap": lambda J, f: J.vmap(f)(X3)}
        return np_.sin(leak_through_global(J, how[transform]))
    lite, ref = assert_same_first_line(program, jaxlite.errors.UnexpectedTracerError)
    assert lines(lite)[1] == lines(ref)[1]
    assert_hint_in_place_of_link(lite, ref)


@pytest.mark.parametrize("transform, tracer", [("grad", "LinearizeTracer"), ("jvp", "JVPTracer")])
def test_tracer_leaked_from_autodiff_names_its_tracer_type(transform, tracer):
    how = {"grad": lambda J, f: J.grad(f)(1.0), "jvp": lambda J, f: J.jvp(f, (1.0,), (1.0,))}
    lite, ref = assert_same_first_line(lambda J, np_: np_.sin(leak_through_global(J, how[transform])),
                                       jaxlite.errors.UnexpectedTracerError)
    assert f"wrapped in a {tracer} to escape" in lines(lite)[0]


# ----------------------------------------------------------------------------------------------
# vmap

def test_vmap_inconsistent_sizes_lists_each_argument():
    def program(J, np_):
        return J.vmap(lambda a, b: a + b)(np_.ones(3), np_.ones(4))
    lite, ref = assert_same_first_line(program, ValueError)
    assert lines(lite)[:3] == lines(ref)[:3]
    assert lines(lite)[1] == "  * one axis had size 3: axis 0 of argument a of type float32[3];"
    assert lines(lite)[-1].startswith("Hint: ")


def test_vmap_inconsistent_sizes_names_pytree_paths():
    def program(J, np_):
        return J.vmap(lambda a, b: a["x"] + b)({"x": np_.ones(3)}, np_.ones((2, 4)))
    lite, ref = raised(program)
    assert lines(lite)[:3] == lines(ref)[:3]


def test_vmap_axis_beyond_rank():
    assert_same_first_line(lambda J, np_: J.vmap(lambda x: x, in_axes=1)(X3), ValueError)


def test_vmap_unbatched_out_axes_for_a_batched_output():
    lite, ref = assert_same_first_line(lambda J, np_: J.vmap(lambda x: x, out_axes=None)(X3), ValueError)
    assert lines(lite)[0] == "at vmap out_axes, got axis spec None but output was batched on axis 0"


def test_vmap_in_axes_tuple_of_the_wrong_length():
    assert_same_first_line(lambda J, np_: J.vmap(lambda x, y: x, in_axes=(0,))(X3, X3), ValueError)


# ----------------------------------------------------------------------------------------------
# jvp, linearize and vjp with mismatched arguments

@pytest.mark.parametrize("primals, tangents", [
    ((1.0,), ((1.0, 2.0),)),
    ((1.0,), (1.0, 2.0)),
], ids=["tree", "length"])
def test_jvp_mismatched_tree_structures(primals, tangents):
    lite, ref = assert_same_first_line(lambda J, np_: J.jvp(lambda x: x, primals, tangents), TypeError)
    assert_jax_message_then_hint(lite, ref)


def test_jvp_mismatched_shapes():
    lite, ref = assert_same_first_line(
        lambda J, np_: J.jvp(lambda x: x, (np_.ones(3),), (np_.ones(2),)), ValueError)
    assert_jax_message_then_hint(lite, ref)


@pytest.mark.parametrize("primal, tangent", [(np.float32, np.int32), (np.int32, np.float32)])
def test_jvp_mismatched_dtypes(primal, tangent):
    def program(J, np_):
        return J.jvp(lambda x: x, (np_.ones(3, primal),), (np_.ones(3, tangent),))
    lite, ref = assert_same_first_line(program, TypeError)
    assert_jax_message_then_hint(lite, ref)


def test_jvp_primals_must_be_a_tuple():
    assert_same_first_line(lambda J, np_: J.jvp(lambda x: x, 1.0, 1.0), TypeError)


@pytest.mark.parametrize("ct", [np.ones(2, np.float32), np.ones(3, np.int32)], ids=["shape", "dtype"])
def test_vjp_fun_called_with_the_wrong_type(ct):
    lite, ref = assert_same_first_line(lambda J, np_: J.vjp(lambda x: x * 2.0, np_.ones(3))[1](ct),
                                       ValueError)
    assert_jax_message_then_hint(lite, ref)


def test_vjp_fun_called_with_the_wrong_tree_structure():
    assert_same_first_line(lambda J, np_: J.vjp(lambda x: x * 2.0, np_.ones(3))[1]((np_.ones(3),)),
                           ValueError)


def test_vjp_fun_called_with_splatted_cotangents():
    lite, ref = raised(lambda J, np_: J.vjp(lambda x: (x, x), 1.0)[1](1.0, 1.0))
    assert type(lite) is type(ref) is TypeError
    ref_first = [line for line in lines(ref) if line][0]  # JAX's message starts with a blank line
    assert lines(lite)[0].startswith(ref_first.rstrip(","))


def test_linearized_function_called_with_the_wrong_tree():
    lite, ref = assert_same_first_line(lambda J, np_: J.linearize(lambda x: x, 1.0)[1](1.0, 2.0), TypeError)
    assert_jax_message_then_hint(lite, ref)


def test_linearized_function_called_with_the_wrong_shape():
    lite, ref = assert_same_first_line(
        lambda J, np_: J.linearize(lambda x: x, np_.ones(2))[1](np_.ones(3)), ValueError)
    assert_jax_message_then_hint(lite, ref)


# ----------------------------------------------------------------------------------------------
# Immutability

def test_item_assignment_on_an_array():
    lite, ref = raised(lambda J, np_: np_.ones(3).__setitem__(0, 1.0))
    assert type(lite) is type(ref) is TypeError
    assert lines(lite)[0].rstrip(".") == lines(ref)[0].split(": https://")[0]
    assert lines(lite)[-1].startswith("Hint: ")


def hint_of(err):
    """jaxlite's hint: the last line of its message, which must be the only `Hint:` line."""
    hints = [line for line in lines(err) if line.startswith("Hint: ")]
    assert len(hints) == 1 and lines(err)[-1] == hints[0]
    return hints[0]


def test_at_without_a_method_names_set():
    def program(J, np_):
        x = np_.ones(3)
        x.at[0] = 1.0
    lite, _ = assert_same_first_line(program, TypeError)
    assert ".at[idx].set(value)" in hint_of(lite)


def test_unknown_at_method_lists_the_methods():
    lite, _ = assert_same_first_line(lambda J, np_: np_.ones(3).at[0].sett(1.0), AttributeError)
    assert "set, add" in hint_of(lite)


# ----------------------------------------------------------------------------------------------
# Tracers as JAX names and prints them

@pytest.mark.parametrize("transform, printed", [
    ("grad", "GradTracer(primal=[1. 1.], typeof(tangent)=f32[2])"),
    ("jvp", "JVPTracer(primal=[1. 1.], tangent=[1. 1.])"),
])
def test_autodiff_tracer_prints_as_in_jax(transform, printed):
    seen = {}
    for J, np_ in ((jaxlite, lnp), (jax, jnp)):
        def f(x):
            seen[J.__name__] = repr(x)
            return x.sum()
        x = np_.ones(2)
        J.grad(f)(x) if transform == "grad" else J.jvp(f, (x,), (x,))
    assert seen["jaxlite"] == seen["jax"] == printed


def test_custom_jvp_rule_output_under_grad_prints_as_a_jaxpr_trace_value():
    def program(J, np_):
        f = J.custom_jvp(np_.sin)
        f.defjvp(lambda primals, tangents: np_.cos(primals[0]) * tangents[0])
        return J.grad(f)(1.0)
    lite, _ = assert_same_first_line(program, TypeError)
    assert lines(lite)[0].endswith("but got Traced<~float32[]:JaxprTrace>.")
    assert "primal_out, tangent_out" in hint_of(lite)


def test_has_aux_output_that_is_no_pair_shows_the_linearize_tracer():
    lite, ref = raised(lambda J, np_: J.grad(lambda x: x ** 2, has_aux=True)(3.0))
    assert type(lite) is type(ref) is TypeError
    assert lines(lite)[0].split("with value ")[1] == lines(ref)[0].split("with value ")[1] == \
        "GradTracer(primal=9.0, typeof(tangent)=f32[])"
    assert "LinearizeTracer" in lines(lite)[0] and "has_aux=True" in hint_of(lite)


@pytest.mark.parametrize("out", [lambda x: x, lambda x: (x, x, x)], ids=["scalar", "triple"])
def test_jvp_has_aux_unpacks_the_output_as_python_does(out):
    lite, _ = assert_same_first_line(lambda J, np_: J.jvp(out, (3.0,), (1.0,), has_aux=True),
                                     ValueError if out(0) == (0, 0, 0) else TypeError)
    assert "has_aux=True" in hint_of(lite)


# ----------------------------------------------------------------------------------------------
# Slices with traced bounds

@pytest.mark.parametrize("program", [
    lambda J, np_: J.jit(lambda x, n: x[n:n + 2])(np_.arange(3.0), 1),
    lambda J, np_: J.jit(lambda x, n: x[0, :n])(np_.ones((2, 3)), 2),
    lambda J, np_: J.jit(lambda x, n: x.at[:n].set(0.0))(np_.arange(3.0), 2),
], ids=["start_and_stop", "second_position", "at_update"])
def test_traced_slice_bound_under_jit_is_an_index_error_that_suggests_dynamic_slice(program):
    lite, _ = assert_same_first_line(program, IndexError)
    assert "lax.dynamic_slice" in hint_of(lite) and "static_argnums=1" in hint_of(lite)


def test_traced_slice_bound_under_vmap_does_not_suggest_a_static_argument():
    lite, _ = assert_same_first_line(lambda J, np_: J.vmap(lambda n: np_.arange(3.0)[:n])(np_.arange(3)),
                                     IndexError)
    assert "dynamic_slice" in hint_of(lite) and "static" not in hint_of(lite)


@pytest.mark.parametrize("program", [
    lambda J, np_: J.vmap(lambda n: np_.zeros(n))(np_.arange(3)),
    lambda J, np_: J.vmap(lambda x: x.tolist())(np_.arange(3)),
], ids=["traced_shape", "tolist"])
def test_concrete_value_needed_under_vmap_gets_a_vmap_hint(program):
    lite, ref = raised(program)
    assert type(lite).__name__ == type(ref).__name__ and lines(lite)[0] == lines(ref)[0]
    assert "under vmap" in hint_of(lite) and "static" not in hint_of(lite)


# ----------------------------------------------------------------------------------------------
# vmap's axis specifications

@pytest.mark.parametrize("out_axes, program", [
    (2, lambda J, np_, ax: J.vmap(lambda x: x, out_axes=ax)(np_.ones(2))),
    (-3, lambda J, np_, ax: J.vmap(lambda x: x, out_axes=ax)(np_.ones(2))),
    ((0, 2), lambda J, np_, ax: J.vmap(lambda x: (x, x), out_axes=ax)(np_.ones((2, 3)))),
], ids=["positive", "negative", "in_a_tuple"])
def test_out_axes_beyond_the_output_rank(out_axes, program):
    lite, _ = assert_same_first_line(lambda J, np_: program(J, np_, out_axes), ValueError)
    assert lines(lite)[0].startswith("axis ") and "out_axes" in hint_of(lite)


@pytest.mark.parametrize("program", [
    lambda J, np_: J.vmap(lambda x, y: x, in_axes=[0, (0,)])(np_.ones(2), np_.ones(2)),
    lambda J, np_: J.vmap(lambda x: x, in_axes=({"a": 0},))([1.0]),
    lambda J, np_: J.vmap(lambda x: x, out_axes={"a": 0})(np_.ones(2)),
], ids=["tuple_for_a_leaf", "dict_for_a_list", "out_axes_dict"])
def test_axis_specification_that_is_no_prefix_of_the_value(program):
    lite, _ = assert_same_first_line(program, ValueError)
    assert "Mismatch details" in lines(lite)[1] and "mirrors the structure" in hint_of(lite)


def test_vmapped_function_returning_a_non_array_in_a_tuple():
    lite, _ = assert_same_first_line(lambda J, np_: J.vmap(lambda x: (x, "s"))(np_.ones(2)), TypeError)
    assert lines(lite)[0].startswith("Output from batched function 's'") and "return" in hint_of(lite)


# ----------------------------------------------------------------------------------------------
# Control flow

def test_cond_with_a_non_callable_branch():
    lite, _ = assert_same_first_line(lambda J, np_: J.lax.cond(True, 1.0, 2.0), TypeError)
    assert "functions" in hint_of(lite)


def test_cond_in_its_old_five_argument_form_gives_jax_value():
    lite, ref = (J.lax.cond(False, 1.0, lambda x: x, 2.0, lambda x: -x) for J in (jaxlite, jax))
    assert float(lite) == float(ref) == -2.0


@pytest.mark.parametrize("program", [
    lambda J, np_: J.lax.cond(True, lambda x: x, lambda x: -x, 1.0, operand=2.0),
    lambda J, np_: J.lax.cond(None, lambda: 1.0, lambda: 1.0),
    lambda J, np_: J.lax.cond("a", lambda: 1.0, lambda: 1.0),
    lambda J, np_: J.lax.cond(np_.complex64(1), lambda: 1.0, lambda: 1.0),
    lambda J, np_: J.lax.switch(0, [1.0, lambda: 1.0]),
    lambda J, np_: J.lax.switch(np_.array([0, 1]), [lambda: 1.0, lambda: 1.0]),
], ids=["operand_twice", "none_predicate", "string_predicate", "complex_predicate", "non_callable_branch",
        "array_index"])
def test_cond_and_switch_argument_errors(program):
    lite, _ = assert_same_first_line(program, TypeError)
    assert hint_of(lite)


def test_while_cond_returning_a_tuple_names_the_pytree():
    lite, _ = assert_same_first_line(
        lambda J, np_: J.lax.while_loop(lambda c: (c < 1, c < 2), lambda c: c + 1, 0.0), TypeError)
    assert lines(lite)[0].endswith("but got pytree PyTreeDef((*, *)).") and "&" in hint_of(lite)


@pytest.mark.parametrize("xs, cls", [(np.float32(1), IndexError), ((1.0, np.ones(2, np.float32), 2), ValueError)],
                         ids=["scalar_array", "python_scalars"])
def test_scan_over_values_without_a_leading_axis(xs, cls):
    lite, _ = assert_same_first_line(lambda J, np_: J.lax.scan(lambda c, x: (c, x), 0.0, xs), cls)
    assert "leading axis" in hint_of(lite)


def test_scan_length_disagreeing_with_several_leaves():
    lite, _ = assert_same_first_line(
        lambda J, np_: J.lax.scan(lambda c, x: (c, x), 0.0, (np_.ones(2), np_.ones(3)), length=2), ValueError)
    assert lines(lite)[0].endswith("leading axis sizes [2, 3].")


def test_fori_loop_carry_type_hint_is_about_fori_loop_not_scan():
    lite, _ = assert_same_first_line(
        lambda J, np_: J.lax.fori_loop(0, 3, lambda i, c: np_.zeros(2) + c, 0.0), TypeError)
    assert "preallocate" in hint_of(lite) and "scan" not in hint_of(lite)


# ----------------------------------------------------------------------------------------------
# jax.numpy arguments and conversions

@pytest.mark.parametrize("name, args", [
    ("mean", ([1.0, 2.0],)), ("std", ([1.0, 2.0],)), ("argmax", ([1, 2],)), ("cumsum", ((1, 2),)),
    ("maximum", ([1.0], 2.0)), ("sin", ([0.0],)),
])
def test_jnp_function_given_a_sequence_refuses_it_as_jax_does(name, args):
    lite, _ = assert_same_first_line(lambda J, np_: getattr(np_, name)(*args), TypeError)
    assert "jnp.asarray" in hint_of(lite)


@pytest.mark.parametrize("program", [
    lambda J, np_: np_.add(2 ** 33, np_.arange(3)),
    lambda J, np_: np_.arange(3) * 2 ** 33,
    lambda J, np_: np_.sin(2 ** 40),
    lambda J, np_: np_.where(True, 2 ** 33, np_.arange(3)),
], ids=["add_x", "multiply_y", "sin", "where"])
def test_python_int_too_large_for_a_jnp_function_names_the_argument(program):
    lite, _ = assert_same_first_line(program, OverflowError)
    assert "argument path is" in lines(lite)[0] and "x64" in hint_of(lite)


def test_python_int_too_large_for_a_lax_function():
    lite, _ = assert_same_first_line(lambda J, np_: J.lax.add(np_.arange(3), 2 ** 33), OverflowError)
    assert "int32 holds integers" in hint_of(lite)


@pytest.mark.parametrize("convert", [int, float, complex, operator.index])
def test_converting_a_vector_to_a_python_scalar(convert):
    lite, _ = assert_same_first_line(lambda J, np_: convert(np_.arange(3)), TypeError)
    assert "x[0]" in hint_of(lite) or "index" in hint_of(lite)


def test_zeros_with_the_shape_as_two_arguments():
    lite, ref = assert_same_first_line(lambda J, np_: np_.zeros(2, 3), TypeError)
    assert_jax_message_then_hint(lite, ref)


@pytest.mark.parametrize("program", [
    lambda J, np_: np_.broadcast_to(np_.ones(2), ()),
    lambda J, np_: np_.ones(3).at[0].set(np_.ones(2)),
], ids=["broadcast_to", "at_set"])
def test_broadcasting_to_fewer_dimensions(program):
    lite, _ = assert_same_first_line(program, ValueError)
    assert "fewer dimensions" in lines(lite)[0] and hint_of(lite)


def test_transpose_with_a_repeated_axis():
    lite, _ = assert_same_first_line(lambda J, np_: np_.transpose(np_.ones((2, 3)), (0, 0)), TypeError)
    assert "permutation of (0, 1)" in hint_of(lite)


def test_dynamic_slice_of_negative_size():
    lite, _ = assert_same_first_line(lambda J, np_: J.lax.dynamic_slice(np_.arange(3.0), (0,), (-1,)),
                                     TypeError)
    assert "0 or more" in hint_of(lite)


@pytest.mark.parametrize("b_shape", [(3,), (3, 1)])
def test_solve_with_a_right_hand_side_of_the_wrong_length(b_shape):
    lite, _ = assert_same_first_line(lambda J, np_: np_.linalg.solve(np_.eye(2), np_.ones(b_shape)), ValueError)
    assert "shapes" in hint_of(lite)


def test_jacfwd_holomorphic_of_a_real_output():
    lite, _ = assert_same_first_line(lambda J, np_: J.jacfwd(lambda z: z.real, holomorphic=True)(1.0 + 0j),
                                     TypeError)
    assert "complex output" in hint_of(lite)


# ----------------------------------------------------------------------------------------------
# Pytrees, config and checkpoint policies

def test_tree_map_meeting_none_in_a_later_tree_explains_none():
    lite, ref = assert_same_first_line(
        lambda J, np_: J.tree_util.tree_map(lambda a, b: a * b, {"w": 1.0}, {"w": None}), TypeError)
    assert "None is an empty subtree in the first tree only" in hint_of(lite)


def test_unknown_config_option_suggests_the_close_one():
    lite, _ = assert_same_first_line(lambda J, np_: J.config.update("jax_enable_x65", True), AttributeError)
    assert hint_of(lite) == "Hint: check the option's name: did you mean 'jax_enable_x64'?"


def test_unknown_checkpoint_policy_lists_the_policies():
    lite, _ = assert_same_first_line(lambda J, np_: J.checkpoint_policies.save_everything, AttributeError)
    assert "everything_saveable" in hint_of(lite)
