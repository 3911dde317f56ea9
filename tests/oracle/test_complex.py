"""Complex numbers against JAX: the real/imag/complex/conj primitives, complex dtypes and promotion,
the complex-aware jnp functions, their derivatives (JAX's convention for real-valued functions of
complex inputs, and holomorphic=True), vmap, jit on both backends, and the jaxpr text."""
import jax
import numpy as np
import pytest

import jaxlite
from .outcomes import assert_same_error, assert_same_value, assert_same_warnings

Z = np.array([1 + 2j, 3 - 4j, -0.5 + 0.25j], np.complex64)
X = np.array([0.5, -1.0, 2.0], np.float32)
Z2 = np.array([[1 + 2j, 1 - 1j], [0.5j, -2 + 0j]], np.complex64)
TIES = np.array([1 + 2j, 1 - 2j, 3 + 0j, -1j], np.complex64)  # equal real parts: imag decides

# ----------------------------------------------------------------------------------------------
# Parts and conjugates

PARTS = {
    "real": lambda J, jnp: jnp.real(jnp.asarray(Z)),
    "imag": lambda J, jnp: jnp.imag(jnp.asarray(Z)),
    "conj": lambda J, jnp: jnp.conj(jnp.asarray(Z)),
    "conjugate": lambda J, jnp: jnp.conjugate(jnp.asarray(Z)),
    "real-attribute": lambda J, jnp: jnp.asarray(Z).real,
    "imag-attribute": lambda J, jnp: jnp.asarray(Z).imag,
    "conj-method": lambda J, jnp: jnp.asarray(Z).conj(),
    "real-of-floats-is-the-input": lambda J, jnp: jnp.real(jnp.asarray(X)),
    "imag-of-floats-is-zeros": lambda J, jnp: jnp.imag(jnp.asarray(X)),
    "conj-of-floats-is-the-input": lambda J, jnp: jnp.conj(jnp.asarray(X)),
    "real-of-ints": lambda J, jnp: jnp.real(jnp.arange(3)),
    "imag-of-ints": lambda J, jnp: jnp.imag(jnp.arange(3)),
    "real-of-a-python-complex-is-weak": lambda J, jnp: jnp.real(1.5 + 2j),
    "imag-of-a-python-float-is-weak": lambda J, jnp: jnp.imag(1.5),
    "conj-of-a-python-complex-is-weak": lambda J, jnp: jnp.conj(1.5 + 2j),
    "lax.complex": lambda J, jnp: J.lax.complex(jnp.asarray(X), jnp.asarray(X[::-1])),
    "lax.complex-of-python-floats-is-weak": lambda J, jnp: J.lax.complex(1.0, 2.0),
    "lax.complex-of-infinity-keeps-a-zero-real-part": lambda J, jnp: J.lax.complex(0.0, jnp.float32(np.inf)),
    "lax.conj-of-floats-is-complex": lambda J, jnp: J.lax.conj(jnp.asarray(X)),
    "lax.real": lambda J, jnp: J.lax.real(jnp.asarray(Z)),
    "lax.imag": lambda J, jnp: J.lax.imag(jnp.asarray(Z2)),
}


@pytest.mark.parametrize("name", PARTS)
def test_parts_and_conjugates_match_jax(name):
    assert_same_value(PARTS[name])


LAX_REFUSALS = {
    "real-of-floats": lambda J, jnp: J.lax.real(jnp.asarray(X)),
    "imag-of-floats": lambda J, jnp: J.lax.imag(jnp.asarray(X)),
    "conj-of-ints": lambda J, jnp: J.lax.conj(jnp.arange(3)),
    "complex-of-ints": lambda J, jnp: J.lax.complex(jnp.arange(3), jnp.arange(3)),
    "complex-of-float16": lambda J, jnp: J.lax.complex(jnp.ones(2, jnp.float16), jnp.ones(2, jnp.float16)),
    "complex-of-mixed-dtypes": lambda J, jnp: J.lax.complex(jnp.ones(2), jnp.ones(2, jnp.float16)),
}


@pytest.mark.parametrize("name", LAX_REFUSALS)
def test_lax_complex_primitives_refuse_what_jax_refuses(name):
    assert_same_error(LAX_REFUSALS[name], "TypeError")


# ----------------------------------------------------------------------------------------------
# Dtypes and promotion

DTYPES = {
    "python-complex-is-weak-complex64": lambda J, jnp: jnp.array(1 + 2j),
    "numpy-complex128-becomes-complex64": lambda J, jnp: jnp.asarray(np.array([1 + 2j])),
    "float32-plus-python-complex": lambda J, jnp: jnp.ones(2) + 1j,
    "int32-plus-python-complex-stays-weak": lambda J, jnp: jnp.arange(2) + 1j,
    "float16-plus-python-complex": lambda J, jnp: jnp.ones(2, jnp.float16) + 1j,
    "bool-times-python-complex": lambda J, jnp: jnp.array(True) * 1j,
    "complex-times-python-float": lambda J, jnp: jnp.asarray(Z) * 2.0,
    "complex-times-float-array": lambda J, jnp: jnp.asarray(Z) * jnp.asarray(X),
    "complex-times-int-array": lambda J, jnp: jnp.asarray(Z) * jnp.arange(3),
    "zeros-complex": lambda J, jnp: jnp.zeros(2, complex),
    "array-with-complex-dtype": lambda J, jnp: jnp.array([1, 2], dtype=complex),
    "astype-complex64": lambda J, jnp: jnp.asarray(X).astype(jnp.complex64),
    "linspace-to-a-complex-end": lambda J, jnp: jnp.linspace(0, 1j, 3),
}


@pytest.mark.parametrize("name", DTYPES)
def test_complex_dtypes_and_promotion_match_jax(name):
    assert_same_value(DTYPES[name])


@pytest.mark.parametrize("name", ["python-complex-is-weak-complex64", "float32-plus-python-complex",
                                  "complex-times-float-array", "zeros-complex"])
def test_complex_dtypes_under_x64_match_jax(x64, name):
    assert_same_value(DTYPES[name])


def test_complex64_times_float64_is_complex128_under_x64(x64):
    assert_same_value(lambda J, jnp: jnp.ones(2, jnp.complex64) * jnp.ones(2, jnp.float64))


def test_repr_of_complex_arrays_matches_jax():
    for values in (Z, Z2, np.complex64(0.5j)):
        assert repr(jaxlite.numpy.asarray(values)) == repr(jax.numpy.asarray(values))


# ----------------------------------------------------------------------------------------------
# Ordering: lexicographic (real part, then imaginary part) where JAX orders complex numbers

ORDERED = {
    "greater": lambda J, jnp: jnp.asarray(TIES) > jnp.asarray(TIES[::-1]),
    "less-than-a-python-scalar": lambda J, jnp: jnp.asarray(TIES) < 1,
    "greater-equal": lambda J, jnp: jnp.greater_equal(jnp.asarray(TIES), jnp.asarray(TIES[::-1])),
    "less-equal": lambda J, jnp: jnp.less_equal(jnp.asarray(TIES), 1 - 2j),
    "equal": lambda J, jnp: jnp.asarray(TIES) == jnp.asarray(TIES),
    "max": lambda J, jnp: jnp.max(jnp.asarray(TIES)),
    "min": lambda J, jnp: jnp.min(jnp.asarray(TIES)),
    "max-along-an-axis": lambda J, jnp: jnp.max(jnp.asarray(Z2), axis=1),
    "maximum": lambda J, jnp: jnp.maximum(jnp.asarray(TIES), 1 + 0j),
    "sort": lambda J, jnp: jnp.sort(jnp.asarray(TIES)),
    "lax.max": lambda J, jnp: J.lax.max(jnp.asarray(TIES), jnp.asarray(TIES[::-1])),
    "cummax": lambda J, jnp: J.lax.cummax(jnp.asarray(TIES), 0),
}


@pytest.mark.parametrize("name", ORDERED)
def test_ordering_of_complex_numbers_matches_jax(name):
    assert_same_value(ORDERED[name])


UNORDERED = {
    "argmax": (lambda J, jnp: jnp.argmax(jnp.asarray(Z)), "TypeError"),
    "argmin": (lambda J, jnp: jnp.argmin(jnp.asarray(Z)), "TypeError"),
    "lax.gt": (lambda J, jnp: J.lax.gt(jnp.asarray(Z), jnp.asarray(Z)), "TypeError"),
    "lax.lt": (lambda J, jnp: J.lax.lt(jnp.asarray(Z), jnp.asarray(Z)), "TypeError"),
    "clip": (lambda J, jnp: jnp.clip(jnp.asarray(Z), 0, 1), "ValueError"),
    "floor": (lambda J, jnp: jnp.floor(jnp.asarray(Z)), "TypeError"),
    "remainder": (lambda J, jnp: jnp.asarray(Z) % 2, "TypeError"),
    "floor_divide": (lambda J, jnp: jnp.asarray(Z) // 2, "TypeError"),
    "hypot": (lambda J, jnp: jnp.hypot(jnp.asarray(Z), jnp.asarray(Z)), "ValueError"),
    "isposinf": (lambda J, jnp: jnp.isposinf(jnp.asarray(Z)), "ValueError"),
    "isneginf": (lambda J, jnp: jnp.isneginf(jnp.asarray(Z)), "ValueError"),
    "signbit": (lambda J, jnp: jnp.signbit(jnp.asarray(Z)), "ValueError"),
    "copysign": (lambda J, jnp: jnp.copysign(jnp.asarray(Z), jnp.asarray(Z)), "TypeError"),
    "cbrt": (lambda J, jnp: jnp.cbrt(jnp.asarray(Z)), "TypeError"),
    "is_finite": (lambda J, jnp: J.lax.is_finite(jnp.asarray(Z)), "TypeError"),
}


@pytest.mark.parametrize("name", UNORDERED)
def test_what_jax_refuses_for_complex_numbers_is_refused(name):
    program, error = UNORDERED[name]
    assert_same_error(program, error)


# ----------------------------------------------------------------------------------------------
# Arithmetic and functions

FUNCTIONS = {
    "abs": lambda J, jnp: jnp.abs(jnp.asarray(Z)),
    "abs-builtin": lambda J, jnp: abs(jnp.asarray(Z)),
    "angle": lambda J, jnp: jnp.angle(jnp.asarray(Z)),
    "angle-in-degrees": lambda J, jnp: jnp.angle(jnp.asarray(Z), deg=True),
    "angle-of-floats": lambda J, jnp: jnp.angle(jnp.asarray(X)),
    "angle-of-a-python-float": lambda J, jnp: jnp.angle(-1.0),
    "exp": lambda J, jnp: jnp.exp(jnp.asarray(Z)),
    "log": lambda J, jnp: jnp.log(jnp.asarray(Z)),
    "sqrt": lambda J, jnp: jnp.sqrt(jnp.asarray(Z)),
    "sqrt-of-a-negative-real": lambda J, jnp: jnp.sqrt(jnp.asarray(-4 + 0j)),
    "multiply": lambda J, jnp: jnp.asarray(Z) * jnp.asarray(Z[::-1]),
    "divide": lambda J, jnp: jnp.asarray(Z) / (1 + 1j),
    "reciprocal": lambda J, jnp: jnp.reciprocal(jnp.asarray(Z)),
    "square": lambda J, jnp: jnp.square(jnp.asarray(Z)),
    "integer-power": lambda J, jnp: jnp.asarray(Z) ** 3,
    "sign": lambda J, jnp: jnp.sign(jnp.asarray(Z)),
    "sin": lambda J, jnp: jnp.sin(jnp.asarray(Z)),
    "tanh": lambda J, jnp: jnp.tanh(jnp.asarray(Z)),
    "log10": lambda J, jnp: jnp.log10(jnp.asarray(Z)),
    "dot": lambda J, jnp: jnp.dot(jnp.asarray(Z), jnp.asarray(Z)),
    "vdot-conjugates-its-first-argument": lambda J, jnp: jnp.vdot(jnp.asarray(Z), jnp.asarray(Z)),
    "matmul": lambda J, jnp: jnp.asarray(Z2) @ jnp.asarray(Z2),
    "matrix-times-vector": lambda J, jnp: jnp.asarray(Z2) @ jnp.asarray(Z[:2]),
    "sum": lambda J, jnp: jnp.sum(jnp.asarray(Z)),
    "mean": lambda J, jnp: jnp.mean(jnp.asarray(Z)),
    "prod": lambda J, jnp: jnp.prod(jnp.asarray(Z)),
    "cumsum": lambda J, jnp: jnp.cumsum(jnp.asarray(Z)),
    "var-is-real": lambda J, jnp: jnp.var(jnp.asarray(Z)),
    "var-with-ddof": lambda J, jnp: jnp.var(jnp.asarray(Z), ddof=1),
    "std-is-real": lambda J, jnp: jnp.std(jnp.asarray(Z2), axis=0),
    "round": lambda J, jnp: jnp.round(jnp.asarray(Z) / 3, 2),
    "rint": lambda J, jnp: jnp.rint(jnp.asarray(Z) * 1.3),
    "logaddexp": lambda J, jnp: jnp.logaddexp(jnp.asarray(Z), jnp.asarray(Z[::-1])),
    "logaddexp2": lambda J, jnp: jnp.logaddexp2(jnp.asarray(Z), jnp.asarray(Z)),
    "where": lambda J, jnp: jnp.where(jnp.asarray(X) > 0, jnp.asarray(Z), 0),
    "isnan": lambda J, jnp: jnp.isnan(jnp.asarray([1 + 1j, complex(np.nan, 1)])),
    "isfinite": lambda J, jnp: jnp.isfinite(jnp.asarray([1 + 1j, complex(np.inf, 0), complex(0, np.nan)])),
    "isinf": lambda J, jnp: jnp.isinf(jnp.asarray([1 + 1j, complex(np.inf, 0), complex(0, -np.inf)])),
    "iscomplex": lambda J, jnp: jnp.iscomplex(jnp.asarray([1 + 1j, 2 + 0j])),
    "isreal": lambda J, jnp: jnp.isreal(jnp.asarray([1 + 1j, 2 + 0j])),
    "isclose": lambda J, jnp: jnp.isclose(jnp.asarray(Z), jnp.asarray(Z) + 1e-7),
    "allclose": lambda J, jnp: jnp.allclose(jnp.asarray(Z), jnp.asarray(Z)),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_complex_functions_match_jax(name):
    assert_same_value(FUNCTIONS[name], rtol=2e-6)


def test_iscomplexobj_and_isrealobj_match_jax():
    for J, jnp in ((jaxlite, jaxlite.numpy), (jax, jax.numpy)):
        assert jnp.iscomplexobj(jnp.asarray(Z)) and not jnp.isrealobj(jnp.asarray(Z))
        assert jnp.isrealobj(jnp.asarray(X)) and not jnp.iscomplexobj(jnp.asarray(X))


# ----------------------------------------------------------------------------------------------
# Casts from complex

def test_astype_from_complex_to_real_keeps_the_real_part_with_jax_deprecation_warning():
    program = lambda J, jnp: jnp.asarray(Z).astype(jnp.float32)  # noqa: E731
    assert_same_warnings(program)
    with pytest.warns(DeprecationWarning, match="Casting from complex to real dtypes"):
        assert_same_value(program)


def test_astype_from_complex_to_bool_is_true_where_either_part_is_nonzero():
    assert_same_value(lambda J, jnp: jnp.asarray([0j, 1j, 1 + 0j]).astype(bool))


def test_lax_convert_from_complex_to_real_gives_numpy_complex_warning():
    program = lambda J, jnp: J.lax.convert_element_type(jnp.asarray(Z), jnp.float32)  # noqa: E731
    assert_same_warnings(program)
    with pytest.warns(np.exceptions.ComplexWarning):
        assert_same_value(program)


# ----------------------------------------------------------------------------------------------
# Derivatives. JAX's grad of a real-valued f at z is conj(df/dz) + ..., i.e. the vjp of 1.0 with
# no conjugation in the transposes: grad(|z|**2)(3+4j) is 6-8j.

GRADS = {
    "abs-squared": lambda J, jnp: J.grad(lambda z: jnp.abs(z) ** 2)(3 + 4j),
    "abs": lambda J, jnp: J.grad(jnp.abs)(3 + 4j),
    "abs-at-zero": lambda J, jnp: J.grad(jnp.abs)(0j),
    "real": lambda J, jnp: J.grad(jnp.real)(3 + 4j),
    "imag": lambda J, jnp: J.grad(jnp.imag)(3 + 4j),
    "real-of-z-squared": lambda J, jnp: J.grad(lambda z: jnp.real(z * z))(3 + 4j),
    "real-of-conj-z-times-z": lambda J, jnp: J.grad(lambda z: jnp.real(jnp.conj(z) * z))(3 + 4j),
    "conj": lambda J, jnp: J.grad(lambda z: jnp.real(jnp.conj(z) * (1 + 2j)))(3 + 4j),
    "angle": lambda J, jnp: J.grad(jnp.angle)(3 + 4j),
    "log-abs": lambda J, jnp: J.grad(lambda z: jnp.real(jnp.log(z)))(3 + 4j),
    "abs-of-sqrt": lambda J, jnp: J.grad(lambda z: jnp.abs(jnp.sqrt(z)))(3 + 4j),
    "abs-of-reciprocal": lambda J, jnp: J.grad(lambda z: jnp.abs(1 / z))(3 + 4j),
    "abs-of-exp": lambda J, jnp: J.grad(lambda z: jnp.abs(jnp.exp(z)))(jnp.asarray(1 + 1j)),
    "real-of-dot": lambda J, jnp: J.grad(lambda z: jnp.real(jnp.dot(z, z)))(jnp.asarray(Z)),
    "mean-of-abs-squared": lambda J, jnp: J.grad(lambda z: jnp.mean(jnp.abs(z) ** 2))(jnp.asarray(Z)),
    "var": lambda J, jnp: J.grad(jnp.var)(jnp.asarray(Z)),
    "real-of-max": lambda J, jnp: J.grad(lambda z: jnp.real(jnp.max(z)))(jnp.asarray(TIES)),
    "both-parts-of-lax.complex": lambda J, jnp: J.grad(lambda x, y: jnp.abs(J.lax.complex(x, y)),
                                                       argnums=(0, 1))(3.0, 4.0),
    "real-input-through-complex-numbers": lambda J, jnp: J.grad(lambda x: jnp.abs(x * (1 + 1j)) ** 2)(2.0),
    "real-part-of-exp-i-x": lambda J, jnp: J.grad(lambda x: jnp.real(jnp.exp(1j * x)))(2.0),
}


@pytest.mark.parametrize("name", GRADS)
def test_grad_with_complex_numbers_matches_jax(name):
    assert_same_value(GRADS[name], rtol=1e-5, atol=1e-6)


FORWARD_AND_VJP = {
    "jvp-of-z-squared": lambda J, jnp: J.jvp(lambda z: z * z, (3 + 4j,), (1 + 0j,)),
    "jvp-of-abs": lambda J, jnp: J.jvp(jnp.abs, (3 + 4j,), (1 + 1j,)),
    "vjp-of-z-squared": lambda J, jnp: J.vjp(lambda z: z * z, 3 + 4j)[1](1 + 0j),
    "vjp-of-real": lambda J, jnp: J.vjp(jnp.real, 3 + 4j)[1](1.0),
    "vjp-of-abs": lambda J, jnp: J.vjp(jnp.abs, 3 + 4j)[1](1.0),
    "vjp-of-conj": lambda J, jnp: J.vjp(jnp.conj, jnp.asarray(Z))[1](jnp.asarray(Z[::-1])),
    "linearize-of-exp": lambda J, jnp: J.linearize(jnp.exp, jnp.asarray(Z))[1](jnp.asarray(Z)),
}


@pytest.mark.parametrize("name", FORWARD_AND_VJP)
def test_jvp_and_vjp_with_complex_numbers_match_jax(name):
    assert_same_value(FORWARD_AND_VJP[name])


HOLOMORPHIC = {
    "grad-of-z-squared": lambda J, jnp: J.grad(lambda z: z * z, holomorphic=True)(3 + 4j),
    "grad-of-sin": lambda J, jnp: J.grad(jnp.sin, holomorphic=True)(3 + 4j),
    "grad-of-exp": lambda J, jnp: J.grad(jnp.exp, holomorphic=True)(jnp.asarray(1 + 1j)),
    "value_and_grad-of-z-cubed": lambda J, jnp: J.value_and_grad(lambda z: z ** 3, holomorphic=True)(1 + 1j),
    "jacfwd": lambda J, jnp: J.jacfwd(lambda z: z * z, holomorphic=True)(jnp.asarray(Z)),
    "jacrev": lambda J, jnp: J.jacrev(lambda z: z * z, holomorphic=True)(jnp.asarray(Z)),
    "hessian": lambda J, jnp: J.hessian(lambda z: z ** 3, holomorphic=True)(jnp.asarray(1 + 1j)),
    "jacrev-of-a-complex-input-real-output": lambda J, jnp: J.jacrev(jnp.abs)(jnp.asarray(Z)),
    "jacfwd-of-a-real-input-complex-output": lambda J, jnp: J.jacfwd(lambda x: x * (1 + 1j))(jnp.asarray(X)),
}


@pytest.mark.parametrize("name", HOLOMORPHIC)
def test_holomorphic_derivatives_match_jax(name):
    assert_same_value(HOLOMORPHIC[name], rtol=2e-6)


DERIVATIVE_REFUSALS = {
    "grad-of-a-complex-output": lambda J, jnp: J.grad(lambda z: z * z)(3 + 4j),
    "grad-of-a-complex-output-from-a-real-input": lambda J, jnp: J.grad(lambda x: x * 1j)(1.0),
    "holomorphic-grad-of-a-real-input": lambda J, jnp: J.grad(lambda z: z * z, holomorphic=True)(3.0),
    "holomorphic-grad-of-a-real-output": lambda J, jnp: J.grad(jnp.abs, holomorphic=True)(3 + 4j),
    "holomorphic-jacfwd-of-a-real-input": lambda J, jnp: J.jacfwd(lambda z: z, holomorphic=True)(jnp.asarray(X)),
    "holomorphic-jacrev-of-a-real-input": lambda J, jnp: J.jacrev(lambda z: z, holomorphic=True)(jnp.asarray(X)),
    "holomorphic-jacfwd-of-a-real-output": lambda J, jnp: J.jacfwd(jnp.abs, holomorphic=True)(jnp.asarray(Z)),
    "holomorphic-jacrev-of-a-real-output": lambda J, jnp: J.jacrev(jnp.abs, holomorphic=True)(jnp.asarray(Z)),
    "jacfwd-of-a-complex-input": lambda J, jnp: J.jacfwd(lambda z: z * z)(jnp.asarray(Z)),
    "jacrev-of-a-complex-output": lambda J, jnp: J.jacrev(lambda z: z * z)(jnp.asarray(Z)),
}


@pytest.mark.parametrize("name", DERIVATIVE_REFUSALS)
def test_derivative_refusals_match_jax(name):
    assert_same_error(DERIVATIVE_REFUSALS[name], "TypeError")


# ----------------------------------------------------------------------------------------------
# vmap, jit and the jaxpr text

VMAPPED = {
    "real": lambda J, jnp: J.vmap(jnp.real)(jnp.asarray(Z2)),
    "imag-over-axis-1": lambda J, jnp: J.vmap(jnp.imag, in_axes=1)(jnp.asarray(Z2)),
    "conj": lambda J, jnp: J.vmap(jnp.conj)(jnp.asarray(Z)),
    "lax.complex-with-one-unbatched-part": lambda J, jnp: J.vmap(J.lax.complex, in_axes=(0, None))(
        jnp.asarray(X), jnp.float32(2.0)),
    "per-example-grads": lambda J, jnp: J.vmap(J.grad(lambda z: jnp.abs(z) ** 2))(jnp.asarray(Z)),
}


@pytest.mark.parametrize("name", VMAPPED)
def test_vmap_with_complex_numbers_matches_jax(name):
    assert_same_value(VMAPPED[name])


def _mixed(J, jnp):
    def f(z, x):
        return (jnp.real(z) * x + jnp.imag(jnp.conj(z)) + jnp.abs(J.lax.complex(x, x))
                + jnp.real(jnp.conj(x) * z))
    return f


@pytest.mark.parametrize("backend", ["numpy", "xla"])
def test_jit_of_complex_primitives_matches_jax(backend):
    def program(J, jnp):
        kwargs = {"backend": backend} if J is jaxlite else {}
        f = _mixed(J, jnp)
        return J.jit(f, **kwargs)(jnp.asarray(Z), jnp.asarray(X)), J.jit(J.grad(
            lambda z, x: jnp.sum(f(z, x))), **kwargs)(jnp.asarray(Z), jnp.asarray(X))
    assert_same_value(program)


JAXPRS = {
    "real": (lambda J, jnp: jnp.real, (Z,)),
    "imag": (lambda J, jnp: jnp.imag, (Z,)),
    "conj": (lambda J, jnp: jnp.conj, (Z,)),
    "real-of-floats-is-no-equation": (lambda J, jnp: jnp.real, (X,)),
    "imag-of-floats-is-zeros": (lambda J, jnp: jnp.imag, (X,)),
    "lax.conj-of-floats": (lambda J, jnp: J.lax.conj, (X,)),
    "lax.complex": (lambda J, jnp: J.lax.complex, (X, X)),
    "abs": (lambda J, jnp: jnp.abs, (Z,)),
    "greater": (lambda J, jnp: lambda a, b: a > b, (Z, Z)),
    "max": (lambda J, jnp: jnp.max, (Z,)),
    "complex-times-floats": (lambda J, jnp: lambda a, b: a * b, (Z, X)),
    "floats-plus-python-complex": (lambda J, jnp: lambda a: a + 1j, (X,)),
    "complex-literal": (lambda J, jnp: lambda a: a * (1 + 2j), (Z,)),
    "isfinite": (lambda J, jnp: jnp.isfinite, (Z,)),
    "vdot": (lambda J, jnp: jnp.vdot, (Z, Z)),
    "grad-of-abs-squared": (lambda J, jnp: J.grad(lambda z: jnp.abs(z) ** 2), (3 + 4j,)),
    "grad-of-real": (lambda J, jnp: J.grad(jnp.real), (3 + 4j,)),
    "grad-of-imag": (lambda J, jnp: J.grad(jnp.imag), (3 + 4j,)),
}


@pytest.mark.parametrize("name", JAXPRS)
def test_jaxpr_text_with_complex_numbers_matches_jax(name):
    make, args = JAXPRS[name]
    lite = jaxlite.make_jaxpr(make(jaxlite, jaxlite.numpy))(*args)
    ref = jax.make_jaxpr(make(jax, jax.numpy))(*args)
    assert str(lite) == str(ref)
