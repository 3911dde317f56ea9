"""Running one function under either library: a `jnp` keyword, or the other library's names rebound."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from numpy.testing import assert_allclose

import jaxlite
import jaxlite.numpy as lnp
from jax.numpy import cos as jax_cos
from widgets import backends
from widgets.backends import library, rebind

X = np.linspace(-1, 1, 3, dtype=np.float32)


def helper(x):
    return lnp.tanh(x) + 1.0


def natural(x):
    return helper(x) * 2.0


def countdown(x, n):
    return x if n == 0 else countdown(jnp.sin(x), n - 1)


def test_a_function_that_names_neither_library_is_returned_as_it_is():
    f = lambda x: x**3 + x.sum()  # noqa: E731
    assert rebind(f, "jax") is f and rebind(f, "jaxlite") is f


def test_a_function_already_written_for_the_target_is_returned_as_it_is():
    f = lambda x: lnp.sin(x)  # noqa: E731
    assert rebind(f, "jaxlite") is f


def test_a_module_alias_in_the_globals_is_swapped():
    f = rebind(lambda x: lnp.sin(x), "jax")
    assert f.__globals__["lnp"] is jax.numpy
    assert type(jax.make_jaxpr(f)(X)).__module__.startswith("jax")


def test_a_dotted_module_name_is_swapped_at_its_root():
    f = rebind(lambda x: jaxlite.numpy.sin(x), "jax")
    assert f.__globals__["jaxlite"] is jax
    assert_allclose(np.asarray(jax.jit(f)(X)), np.sin(X), rtol=1e-6)


def test_a_function_imported_by_name_is_swapped_for_the_other_librarys():
    f = rebind(lambda x: jax_cos(x), "jaxlite")
    assert f.__globals__["jax_cos"] is jaxlite.numpy.cos
    assert str(jaxlite.make_jaxpr(f)(X)) == "{ lambda ; a:f32[3]. let b:f32[3] = cos a in (b,) }"


def test_helpers_the_function_calls_are_rebound_too():
    f = rebind(natural, "jax")
    assert f.__globals__["helper"].__globals__["lnp"] is jax.numpy
    assert_allclose(np.asarray(jax.grad(lambda x: f(x).sum())(X)), 2 / np.cosh(X) ** 2, rtol=1e-5)


def test_a_recursive_function_is_rebound_once():
    f = rebind(countdown, "jaxlite")
    assert f.__globals__["countdown"] is f
    assert_allclose(np.asarray(f(lnp.asarray(X), 2)), np.sin(np.sin(X)), rtol=1e-6)


def test_closure_cells_and_defaults_are_rebound():
    def make(np_module):
        def f(x, shift=lnp.float32(1.0), *, lib=lnp):
            return np_module.sin(x) + lib.cos(x) + shift
        return f

    f = rebind(make(lnp), "jax")
    assert f.__closure__[0].cell_contents is jax.numpy
    assert f.__kwdefaults__ == {"lib": jax.numpy}
    assert_allclose(np.asarray(jax.jit(f)(X)), np.sin(X) + np.cos(X) + 1, rtol=1e-6)


def test_an_array_of_the_other_library_becomes_a_numpy_array():
    weights = lnp.asarray(X)
    f = rebind(lambda x: x * weights, "jax")
    assert type(f.__closure__[0].cell_contents) is np.ndarray
    assert_allclose(np.asarray(jax.jit(f)(X)), X * X)


def test_rebinding_leaves_the_original_function_untouched():
    before = natural.__globals__["helper"]
    rebind(natural, "jax")
    assert natural.__globals__["helper"] is before is helper
    assert helper.__globals__["lnp"] is lnp


def test_bind_fills_a_jnp_keyword_and_rebinds_everything_else():
    keyword = backends.bind(lambda x, *, jnp: jnp.sin(x), library("jax"))
    natural_way = backends.bind(lambda x: lnp.sin(x), library("jax"))
    assert_allclose(np.asarray(keyword(X)), np.asarray(natural_way(X)))
    assert type(natural_way(X)).__module__.startswith("jax")


@pytest.mark.parametrize("value,expected", [
    (jax, "jax"), (jnp, "jax"), (jnp.sin, "jax"), (jnp.ones(2), "jax"), (jnp.float32, "jax"),
    (jaxlite, "jaxlite"), (lnp, "jaxlite"), (lnp.sin, "jaxlite"), (lnp.ones(2), "jaxlite"),
    (np, None), (np.sin, None), (natural, None), (1.0, None),
])  # fmt: skip
def test_library_of_tells_which_library_a_value_belongs_to(value, expected):
    assert backends.library_of(value) == expected


def test_a_lambda_is_titled_by_its_formula():
    cube = lambda x: x**3  # noqa: E731
    assert backends.describe(cube) == "f(x) = x ** 3"


def test_a_named_function_is_titled_by_its_name():
    def decay(t):
        return t

    assert backends.describe(decay) == "f = decay"


def test_a_lambda_whose_source_is_unreadable_is_titled_plainly():
    typed_at_a_console = eval("lambda x: x + 1")
    assert backends.describe(typed_at_a_console) == "f = <lambda>"


def test_a_lambda_over_several_lines_is_not_titled_by_its_first_line():
    table = {"f": lambda x: x
             + 1}
    assert backends.describe(table["f"]) == "f = <lambda>"
