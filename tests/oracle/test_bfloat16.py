"""bfloat16 (from ml_dtypes, installed with JAX) against JAX: promotion with weak types, arrays and
their repr, arithmetic rounded as XLA rounds it on a CPU, reductions and products accumulated in
float32, derivatives, vmap, jit on both backends and the jaxpr text."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from . import tables

assert_matches = tables.assert_matches
X = [1.5, 2.25, 3.1, -0.7, 100.0, 1e-3]


def both(fn):
    """fn on a bfloat16 array in both libraries: (jaxlite result, JAX result)."""
    return fn(lnp, lnp.array(X, dtype=lnp.bfloat16)), fn(jnp, jnp.array(X, dtype=jnp.bfloat16))


def assert_same(lite, ref):
    """Exactly JAX's numbers: both libraries round every bfloat16 result the same way."""
    for a, b in zip(jaxlite.tree_util.tree_leaves(lite), jax.tree_util.tree_leaves(ref)):
        assert (a.shape, a.dtype, a.weak_type) == (b.shape, b.dtype, b.weak_type)
        np.testing.assert_array_equal(np.asarray(a).astype(np.float64), np.asarray(b).astype(np.float64))


def test_bfloat16_is_the_ml_dtypes_type():
    assert np.dtype(lnp.bfloat16) == np.dtype(jnp.bfloat16)
    assert lnp.dtype("bfloat16") == jnp.dtype("bfloat16")
    assert jaxlite.dtypes.issubdtype(lnp.bfloat16, lnp.floating)
    assert jaxlite.dtypes.issubdtype(lnp.bfloat16, lnp.inexact)


OTHERS = [np.float16, np.float32, np.int8, np.int16, np.int32, np.uint8, np.uint32, np.bool_, np.complex64]


@pytest.mark.parametrize("other", OTHERS, ids=lambda t: np.dtype(t).name)
def test_promote_types_matches_jax(other):
    assert lnp.promote_types(lnp.bfloat16, other) == jnp.promote_types(jnp.bfloat16, other)
    assert lnp.promote_types(other, lnp.bfloat16) == jnp.promote_types(other, jnp.bfloat16)


@pytest.mark.parametrize("operand", [2, 2.5, True, 1j, np.float32(2), np.int32(3)], ids=repr)
def test_result_type_with_scalars_matches_jax_weak_types(operand):
    lite = jaxlite.dtypes.result_type(lnp.zeros(2, lnp.bfloat16), operand, return_weak_type_flag=True)
    ref = jax.dtypes.result_type(jnp.zeros(2, jnp.bfloat16), operand, return_weak_type_flag=True)
    assert lite == ref


CREATION = {
    "array": lambda m: m.array([1.0, 2.3, -4.7], dtype=m.bfloat16),
    "scalar-type-call": lambda m: m.bfloat16(3.3),
    "zeros-by-name": lambda m: m.zeros(2, "bfloat16"), "ones": lambda m: m.ones((2, 2), m.bfloat16),
    "arange": lambda m: m.arange(5, dtype=m.bfloat16), "arange-step": lambda m: m.arange(0, 1, 0.25, dtype=m.bfloat16),
    "linspace": lambda m: m.linspace(0, 1, 5, dtype=m.bfloat16), "full": lambda m: m.full(3, 7.3, m.bfloat16),
    "astype": lambda m: m.array(X).astype(m.bfloat16), "back-to-float32": lambda m: m.array(X, m.bfloat16).astype(m.float32),
    "from-numpy": lambda m: m.asarray(np.array(X, np.dtype(m.bfloat16))),
    "eps": lambda m: m.array(m.finfo(m.bfloat16).eps),
}


@pytest.mark.parametrize("name", CREATION)
def test_creation_matches_jax(name):
    assert_same(CREATION[name](lnp), CREATION[name](jnp))


def test_repr_matches_jax():
    lite, ref = both(lambda m, x: x * 2)
    assert repr(lite) == repr(ref)


OPS = {
    "mul-python-float": lambda m, x: x * 2.5, "add-python-int": lambda m, x: x + 3, "div": lambda m, x: x / 3,
    "with-float16-is-float32": lambda m, x: x + m.float16(1), "with-int32": lambda m, x: x + m.ones(6, m.int32),
    "with-float32": lambda m, x: m.float32(1) + x, "neg-abs-sign": lambda m, x: (-x, m.abs(x), m.sign(x)),
    "exp-log": lambda m, x: (m.exp(x / 50), m.log(m.abs(x))), "sin-cos-tanh": lambda m, x: (m.sin(x), m.cos(x), m.tanh(x)),
    "sqrt-rsqrt": lambda m, x: (m.sqrt(m.abs(x)), 1 / m.sqrt(m.abs(x))), "power": lambda m, x: m.abs(x) ** 1.5,
    "integer-power": lambda m, x: x ** 3, "maximum-minimum": lambda m, x: (m.maximum(x, 1.0), m.minimum(x, 1.0)),
    "comparisons": lambda m, x: (x > 2, x == x, m.isfinite(x / 0)), "where": lambda m, x: m.where(x > 2, x, 0),
    "floor-round": lambda m, x: (m.floor(x), m.round(x)), "clip": lambda m, x: m.clip(x, -1, 3),
    "logaddexp": lambda m, x: m.logaddexp(x, 2 * x), "isclose": lambda m, x: m.isclose(x, x + 0.01),
    "sort-with-signed-zeros": lambda m, x: m.sort(m.concatenate([x, m.array([0.0, -0.0], m.bfloat16)])),
    "argmax-argsort": lambda m, x: (m.argmax(x), m.argsort(x)),
    "sum-accumulates-in-float32": lambda m, x: m.sum(m.arange(1000, dtype=m.float32).astype(m.bfloat16)),
    "sum-mean-var": lambda m, x: (m.sum(x), m.mean(x), m.var(x)), "max-where": lambda m, x: m.max(x, where=x > 2, initial=-5.0),
    "prod-cumsum": lambda m, x: (m.prod(x[:4]), m.cumsum(x)), "matmul": lambda m, x: m.outer(x, x) @ m.outer(x, x),
    "dot": lambda m, x: m.dot(x, x), "einsum": lambda m, x: m.einsum("i,j->ij", x, x),
    "convolve": lambda m, x: m.convolve(x, x[:3]),
    "softmax": lambda m, x: (jax.nn if m is jnp else jaxlite.nn).softmax(x),
    "logsumexp": lambda m, x: (jax.scipy.special if m is jnp else jaxlite.scipy.special).logsumexp(x),
    "indexing": lambda m, x: (x[1:4], x[::-1], x.at[2].set(9.0), x.reshape(2, 3).T),
}


@pytest.mark.parametrize("name", OPS)
def test_operations_match_jax_exactly(name):
    assert_same(*both(OPS[name]))


DERIVATIVES = {
    "grad": lambda J, m, x: J.grad(lambda a: m.sum(m.sin(a) * a))(x),
    "grad-of-a-sum-of-squares": lambda J, m, x: J.grad(lambda a: m.sum(a * a))(x),
    "jvp": lambda J, m, x: J.jvp(m.tanh, (x,), (x,)),
    "vjp": lambda J, m, x: J.vjp(lambda a: m.exp(a / 100), x)[1](x),
    "jacfwd": lambda J, m, x: J.jacfwd(lambda a: a * a)(x[:3]),
    "vmap": lambda J, m, x: J.vmap(lambda a: a * m.exp(a / 100))(x),
    "grad-of-matmul": lambda J, m, x: J.grad(lambda a: m.sum(m.outer(a, a) @ a))(x),
}


@pytest.mark.parametrize("name", DERIVATIVES)
def test_transformations_match_jax(name):
    lite, ref = DERIVATIVES[name](jaxlite, lnp, lnp.array(X, lnp.bfloat16)), \
        DERIVATIVES[name](jax, jnp, jnp.array(X, jnp.bfloat16))
    # Derivative rules may round in a different order: equal to the last bit or two of bfloat16.
    assert_matches(lite, ref, rtol=2e-2, atol=1e-3, weak_type=False)
    for a, b in zip(jaxlite.tree_util.tree_leaves(lite), jax.tree_util.tree_leaves(ref)):
        assert a.dtype == b.dtype == np.dtype(jnp.bfloat16)


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("name", ["mul-python-float", "sin-cos-tanh", "sum-mean-var", "matmul",
                                  "sum-accumulates-in-float32", "where", "convolve"])
def test_jit_matches_jax(name, backend):
    fn = OPS[name]
    lite = jaxlite.jit(lambda x: fn(lnp, x), backend=backend)(lnp.array(X, lnp.bfloat16))
    ref = jax.jit(lambda x: fn(jnp, x))(jnp.array(X, jnp.bfloat16))
    assert_same(lite, ref)


def test_jaxpr_text_matches_jax():
    f = lambda m: lambda x: m.sin(x) * 2 + x.sum()
    lite = jaxlite.make_jaxpr(f(lnp))(lnp.array(X, lnp.bfloat16))
    ref = jax.make_jaxpr(f(jnp))(jnp.array(X, jnp.bfloat16))
    assert "bf16[6]" in str(lite)
    assert str(lite) == str(ref)


@pytest.mark.parametrize("name,kw", [("uniform", {}), ("uniform", dict(minval=-2.0, maxval=3.0)), ("normal", {}),
                                     ("truncated_normal", dict(lower=-1.0, upper=1.0)), ("exponential", {}),
                                     ("gumbel", {}), ("logistic", {})], ids=lambda v: str(v))
def test_random_numbers_match_jax_bit_for_bit(name, kw):
    """A mantissa of 7 bits is drawn from 8 random bits, as JAX draws it."""
    lite = getattr(jaxlite.random, name)(jaxlite.random.PRNGKey(3), shape=(100,), dtype=lnp.bfloat16, **kw)
    ref = getattr(jax.random, name)(jax.random.PRNGKey(3), shape=(100,), dtype=jnp.bfloat16, **kw)
    assert_same(lite, ref)
