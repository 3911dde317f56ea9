"""NumPy cannot see inside a tracer: every door NumPy uses to reach an array's data (`__array__`,
`np.asarray`, ufuncs, `tolist`, `tobytes`, ...) is closed under grad, jvp, vmap and jit, with JAX's
error, while concrete arrays keep working with NumPy."""
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from .outcomes import assert_same_error, assert_same_value

X3 = np.array([0.5, -1.0, 2.0], np.float32)

TRANSFORMS = {
    "grad": lambda J, f: J.grad(lambda x: J.numpy.sum(f(x))),
    "jvp": lambda J, f: lambda x: J.jvp(f, (x,), (J.numpy.ones_like(x),)),
    "vjp": lambda J, f: lambda x: J.vjp(f, x)[1](J.numpy.ones_like(x)),
    "vmap": lambda J, f: J.vmap(f),
    "jit": lambda J, f: J.jit(f),
}

NUMPY_DOORS = {
    "np.sin": lambda x: np.sin(x),
    "np.asarray": lambda x: np.asarray(x) * 2,
    "np.array": lambda x: np.array(x),
    "np.exp-of-product": lambda x: np.exp(x * 2),
    "np.dot": lambda x: np.dot(np.ones_like(X3), x),
    "np.where": lambda x: np.where(x > 0, x, 0),
    "np.concatenate": lambda x: np.concatenate([x, x]),
}


@pytest.mark.parametrize("door", NUMPY_DOORS)
@pytest.mark.parametrize("transform", TRANSFORMS)
def test_numpy_on_a_tracer_raises_tracer_array_conversion_error(transform, door):
    assert_same_error(lambda J, jnp: TRANSFORMS[transform](J, NUMPY_DOORS[door])(jnp.asarray(X3)),
                      "TracerArrayConversionError")


@pytest.mark.parametrize("transform", ["vmap", "jit"])
def test_a_numpy_array_indexed_by_a_tracer_raises_tracer_array_conversion_error(transform):
    f = lambda x: np.arange(3.0)[x.astype(int)]  # noqa: E731
    assert_same_error(lambda J, jnp: TRANSFORMS[transform](J, f)(jnp.asarray(X3)), "TracerArrayConversionError")


def test_grad_of_np_sin_is_refused_not_zero():
    assert_same_error(lambda J, jnp: J.grad(lambda x: np.sin(x))(1.0), "TracerArrayConversionError")


def test_jvp_of_np_sin_is_refused_not_a_zero_tangent():
    assert_same_error(lambda J, jnp: J.jvp(np.sin, (1.0,), (1.0,)), "TracerArrayConversionError")


def test_sum_of_squares_through_np_asarray_is_refused_not_zeros():
    assert_same_error(lambda J, jnp: J.grad(lambda x: jnp.sum(np.asarray(x) ** 2))(jnp.ones(3)),
                      "TracerArrayConversionError")


def test_the_hint_says_to_use_jnp():
    with pytest.raises(jaxlite.errors.TracerArrayConversionError) as err:
        jaxlite.grad(lambda x: np.sin(x))(1.0)
    assert str(err.value).splitlines()[-1].startswith("Hint: ")
    assert "jnp" in str(err.value).splitlines()[-1]


@pytest.mark.parametrize("method", ["tolist", "tobytes", "__dlpack__"])
@pytest.mark.parametrize("transform", ["grad", "vmap", "jit"])
def test_data_methods_of_a_tracer_raise_concretization_type_error(transform, method):
    def f(x):
        getattr(x, method)()
        return x
    assert_same_error(lambda J, jnp: TRANSFORMS[transform](J, f)(jnp.asarray(X3)), "ConcretizationTypeError")


@pytest.mark.parametrize("attribute", ["__array_interface__", "__array_struct__"])
def test_a_tracer_has_no_array_interface(attribute):
    def f(x):
        getattr(x, attribute)
        return x
    assert_same_error(lambda J, jnp: J.jit(f)(jnp.asarray(X3)), "AttributeError")


def test_memoryview_of_a_tracer_is_refused():
    assert_same_error(lambda J, jnp: J.jit(lambda x: (memoryview(x), x)[1])(jnp.asarray(X3)), "TypeError")


# What JAX allows on tracers stays allowed: NumPy calls that defer to the array's own methods,
# arithmetic with NumPy arrays (the tracer's __array_priority__ wins), and iteration.

ALLOWED = {
    "np.sum-calls-the-sum-method": lambda x: np.sum(x),
    "numpy-array-plus-tracer": lambda x: np.ones(3, np.float32) + x,
    "numpy-array-times-tracer": lambda x: np.ones(3, np.float32) * x,
    "numpy-array-matmul-tracer": lambda x: np.ones(3, np.float32) @ x,
    "numpy-scalar-times-tracer": lambda x: np.float32(2.0) * x,
    "iteration": lambda x: sum(list(x)),
    "np.shape-as-value": lambda x: x * np.shape(x)[0] * np.ndim(x) * np.size(x),
}


@pytest.mark.parametrize("case", ALLOWED)
@pytest.mark.parametrize("transform", ["grad", "jit"])
def test_what_jax_allows_on_tracers_still_works(transform, case):
    assert_same_value(lambda J, jnp: TRANSFORMS[transform](J, ALLOWED[case])(jnp.asarray(X3)))


@pytest.mark.parametrize("conversion", ["item", "int", "bool"])
def test_concrete_conversions_under_grad_work_as_in_jax(conversion):
    def f(x):
        {"item": lambda: x.item(), "int": lambda: int(x), "bool": lambda: bool(x)}[conversion]()
        return x * x
    assert_same_value(lambda J, jnp: J.grad(f)(1.5))


def test_float_under_grad_is_refused():
    assert_same_error(lambda J, jnp: J.grad(lambda x: float(x) * x)(1.5), "ConcretizationTypeError")


# Concrete arrays keep every NumPy door open.

def test_numpy_functions_take_concrete_arrays():
    x = lnp.asarray(X3)
    np.testing.assert_allclose(np.sin(x), np.sin(X3))
    np.testing.assert_allclose(np.asarray(x) ** 2, X3 ** 2)
    np.testing.assert_allclose(np.concatenate([x, x]), np.concatenate([X3, X3]))
    assert x.tolist() == X3.tolist()
    assert x.tobytes() == X3.tobytes()
    assert np.asarray(x).dtype == np.float32


def test_numpy_view_of_a_concrete_array_is_read_only():
    view = np.asarray(lnp.asarray(X3))
    assert not view.flags.writeable
