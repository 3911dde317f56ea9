"""The errors a learner meets, against real JAX's: the same class (and bases), the same first line,
and jaxlite's one-line `Hint:` where JAX prints a link to its errors page.

Each mistake is written once as `program(J, jnp)` and run under both libraries.
"""
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
