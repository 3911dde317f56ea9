"""NumPy indexing of jaxlite arrays (`x[idx]`, `x.at[idx].set/add/mul/min/max`) against JAX:
values, dtypes, jaxpr text, gradients and vmap, for every kind of index."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from jaxlite.errors import NonConcreteBooleanIndexError
from primitive_cases import assert_matches_jax

SHAPE = (4, 5, 6)

# Each index is built by a function of the array module, so both libraries get their own arrays.
INDICES = {
    "int-array": lambda m: m.array([0, 2, 3]),
    "int-array-negative-then-slice-then-int": lambda m: (m.array([0, -1]), slice(None), 2),
    "slice-then-2d-array": lambda m: (slice(None), m.array([[0, 1], [2, 4]])),
    "separated-arrays-go-first": lambda m: (m.array([0, 1]), slice(None), m.array([1, 5])),
    "none-between-arrays": lambda m: (m.array([0, 2]), None, m.array([1, 1])),
    "newaxis-array-ellipsis": lambda m: (None, m.array([1, 2]), Ellipsis),
    "ellipsis-array": lambda m: (Ellipsis, m.array([0, 5])),
    "reversed-slice-and-array": lambda m: (slice(None, None, -1), m.array([1])),
    "strided-slices-and-array": lambda m: (slice(1, None, 2), m.array([0, 3]), slice(None, None, -2)),
    "static-int-and-array": lambda m: (1, m.array([0, 2])),
    "numpy-int-array": lambda m: np.array([0, 2]),
    "uint8-array": lambda m: m.array([1, 3], dtype=m.uint8),
    "broadcast-arrays": lambda m: (m.array([[0], [3]]), m.array([1, 2, 4])),
    "boolean-mask": lambda m: np.array([True, False, True, True]),
    "boolean-mask-second-axis": lambda m: (slice(None), np.array([True, False, True, False, True])),
    "boolean-mask-2d": lambda m: np.arange(20).reshape(4, 5) % 3 == 0,
    "scalar-array": lambda m: m.array(2),
    "negative-scalar-array-and-slice": lambda m: (m.array(-1), slice(1, 4)),
    "scalar-array-and-step": lambda m: (m.array(1), slice(None, None, 2)),
    "empty-array": lambda m: m.array([], dtype=m.int32),
}
# Where the jaxpr is not compared: jaxlite spells these index kinds with other (equivalent) steps.
SCALAR_BOOL = {"scalar-true": lambda m: True, "scalar-false-in-tuple": lambda m: (0, False)}
UNIQUE = [k for k in INDICES if k not in ("broadcast-arrays", "none-between-arrays")]


def _x(seed=0, shape=SHAPE):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


@pytest.mark.parametrize("name", list(INDICES) + list(SCALAR_BOOL))
def test_getitem_matches_jax(name):
    make = {**INDICES, **SCALAR_BOOL}[name]
    x = _x()
    assert_matches_jax(lnp.asarray(x)[make(lnp)], jnp.asarray(x)[make(jnp)])


@pytest.mark.parametrize("name", INDICES)
def test_getitem_jaxpr_matches_jax(name):
    x = _x()
    lite = jaxlite.make_jaxpr(lambda a: a[INDICES[name](lnp)])(lnp.asarray(x))
    ref = jax.make_jaxpr(lambda a: a[INDICES[name](jnp)])(jnp.asarray(x))
    assert str(lite) == str(ref)


@pytest.mark.parametrize("name", INDICES)
def test_grad_of_getitem_matches_jax(name):
    x = _x()
    w = np.random.default_rng(1).normal(size=np.shape(jnp.asarray(x)[INDICES[name](jnp)])).astype(np.float32)
    lite = jaxlite.grad(lambda a: lnp.sum(a[INDICES[name](lnp)] * w))(lnp.asarray(x))
    ref = jax.grad(lambda a: jnp.sum(a[INDICES[name](jnp)] * w))(jnp.asarray(x))
    assert_matches_jax(lite, ref)


@pytest.mark.parametrize("name", INDICES)
def test_vmap_of_getitem_over_the_array_matches_jax(name):
    xs = _x(shape=(2,) + SHAPE)
    lite = jaxlite.vmap(lambda a: a[INDICES[name](lnp)], in_axes=0, out_axes=-1)(lnp.asarray(xs))
    ref = jax.vmap(lambda a: a[INDICES[name](jnp)], in_axes=0, out_axes=-1)(jnp.asarray(xs))
    assert_matches_jax(lite, ref)


def test_vmap_over_index_arrays_matches_jax():
    x = _x()
    idx = np.array([[0, 3, 1], [2, 2, 0]], np.int32)
    f = lambda m: (lambda a, i: a[i, :, m.array([1, 5, 0])])
    assert_matches_jax(jaxlite.vmap(f(lnp), (None, 0))(lnp.asarray(x), lnp.asarray(idx)),
                       jax.vmap(f(jnp), (None, 0))(jnp.asarray(x), jnp.asarray(idx)))


def test_vmap_over_traced_scalar_index_matches_jax():
    x = _x()
    idx = np.array([3, -1, 0], np.int32)
    f = lambda a, i: a[i, 1:3]
    assert_matches_jax(jaxlite.vmap(f, (None, 0))(lnp.asarray(x), lnp.asarray(idx)),
                       jax.vmap(f, (None, 0))(jnp.asarray(x), jnp.asarray(idx)))


TRACED_SCALAR = {
    "int-then-slice": lambda a, i: a[i, 2:],
    "int-then-reversed-slice": lambda a, i: a[i, ::-1],
    "two-traced-ints": lambda a, i: a[i, i],
    "traced-and-static-ints": lambda a, i: a[i, -1],
    "new-axis-and-ellipsis": lambda a, i: a[None, ..., i],
    "slice-reversed-then-int": lambda a, i: a[1:3, i, ::-1],
}


@pytest.mark.parametrize("index_arg", ["int32-array", "python-int"])
@pytest.mark.parametrize("name", TRACED_SCALAR)
def test_traced_scalar_index_becomes_dynamic_slice_like_jax(name, index_arg):
    """A Python int argument is a weakly typed tracer: JAX converts it before normalising."""
    f, x = TRACED_SCALAR[name], _x()
    lite_i, ref_i = (lnp.int32(-2), jnp.int32(-2)) if index_arg == "int32-array" else (-2, -2)
    assert str(jaxlite.make_jaxpr(f)(lnp.asarray(x), lite_i)) == str(jax.make_jaxpr(f)(jnp.asarray(x), ref_i))
    assert_matches_jax(f(lnp.asarray(x), lite_i), f(jnp.asarray(x), ref_i))


def test_traced_boolean_mask_raises_nonconcrete_boolean_index_error():
    x = lnp.asarray(_x())
    with pytest.raises(NonConcreteBooleanIndexError, match=r"Array boolean indices must be concrete; got bool\[4\]"):
        jaxlite.make_jaxpr(lambda a, m: a[m])(x, lnp.asarray(np.array([True, False, True, True])))


def test_traced_boolean_mask_in_update_raises_nonconcrete_boolean_index_error():
    x = lnp.asarray(_x())
    with pytest.raises(NonConcreteBooleanIndexError):
        jaxlite.make_jaxpr(lambda a, m: a.at[m].set(0.0))(x, lnp.asarray(np.array([True, False, True, True])))


def test_list_index_raises_type_error_like_jax():
    with pytest.raises(TypeError, match="non-tuple sequence for multidimensional indexing"):
        lnp.asarray(_x())[[0, 1]]


def test_float_index_raises_type_error_like_jax():
    with pytest.raises(TypeError, match="Indexer must have integer or boolean type, got indexer with type float32"):
        lnp.asarray(_x())[lnp.array([0.0, 1.0])]


def test_mask_of_the_wrong_shape_raises_index_error():
    with pytest.raises(IndexError, match="boolean index did not match"):
        lnp.asarray(_x())[np.array([True, False])]


def test_too_many_indices_raise_index_error_like_jax():
    with pytest.raises(IndexError, match="Too many indices: array is 3-dimensional, but 4 were indexed"):
        lnp.asarray(_x())[lnp.array([0]), 0, 0, 0]


# ----------------------------------------------------------------------------------------------
# x.at[idx] updates

MODES = ["set", "add", "mul", "min", "max"]


def _values(name, seed=2):
    shape = np.shape(jnp.asarray(_x())[INDICES[name](jnp)])
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", UNIQUE)
def test_at_update_matches_jax(name, mode):
    x, v = _x(), _values(name)
    lite = getattr(lnp.asarray(x).at[INDICES[name](lnp)], mode)(lnp.asarray(v))
    ref = getattr(jnp.asarray(x).at[INDICES[name](jnp)], mode)(jnp.asarray(v))
    assert_matches_jax(lite, ref)


@pytest.mark.parametrize("mode", MODES)
def test_at_update_with_repeated_indices_matches_jax(mode):
    x = _x(shape=(5,))
    v = np.array([1.0, -2.0, 3.0, 0.5], np.float32)
    idx = np.array([1, 3, 1, 1])
    if mode == "set":
        v = np.full(4, 2.5, np.float32)  # which repeated update wins is unspecified; make them agree
    assert_matches_jax(getattr(lnp.asarray(x).at[idx], mode)(lnp.asarray(v)),
                       getattr(jnp.asarray(x).at[idx], mode)(jnp.asarray(v)))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["int-array", "static-int-and-array", "boolean-mask", "scalar-array",
                                  "strided-slices-and-array", "newaxis-array-ellipsis"])
def test_at_update_jaxpr_matches_jax(name, mode):
    x = _x()
    lite = jaxlite.make_jaxpr(lambda a: getattr(a.at[INDICES[name](lnp)], mode)(2.0))(lnp.asarray(x))
    ref = jax.make_jaxpr(lambda a: getattr(a.at[INDICES[name](jnp)], mode)(2.0))(jnp.asarray(x))
    assert str(lite) == str(ref)


@pytest.mark.parametrize("index", [0, -1, (1, slice(None), 2), slice(1, 3), (Ellipsis, 1)])
@pytest.mark.parametrize("mode", MODES)
def test_at_update_with_static_index_matches_jax(index, mode):
    x = _x()
    lite = jaxlite.make_jaxpr(lambda a: getattr(a.at[index], mode)(3.0))(lnp.asarray(x))
    ref = jax.make_jaxpr(lambda a: getattr(a.at[index], mode)(3.0))(jnp.asarray(x))
    assert str(lite) == str(ref)
    assert_matches_jax(getattr(lnp.asarray(x).at[index], mode)(3.0), getattr(jnp.asarray(x).at[index], mode)(3.0))


@pytest.mark.parametrize("mode", ["set", "add", "min", "max"])
def test_at_update_on_integers_keeps_the_dtype(mode):
    x = np.arange(6, dtype=np.int32)
    idx = np.array([0, 4])
    assert_matches_jax(getattr(lnp.asarray(x).at[idx], mode)(7), getattr(jnp.asarray(x).at[idx], mode)(7))


@pytest.mark.parametrize("mode", ["set", "add", "mul", "min", "max"])
@pytest.mark.parametrize("name", ["int-array", "separated-arrays-go-first", "boolean-mask", "scalar-array",
                                  "strided-slices-and-array"])
def test_grad_of_at_update_matches_jax(name, mode):
    x, v = _x(), _values(name)
    w = _x(seed=3)

    def loss(m, a, b):
        return m.sum(getattr(a.at[INDICES[name](m)], mode)(b) * w)
    # As in JAX, scatter-mul differentiates in its updates only where indices are unique.
    argnums = (0,) if mode == "mul" and name != "scalar-array" else (0, 1)
    lite = jaxlite.grad(lambda a, b: loss(lnp, a, b), argnums=argnums)(lnp.asarray(x), lnp.asarray(v))
    ref = jax.grad(lambda a, b: loss(jnp, a, b), argnums=argnums)(jnp.asarray(x), jnp.asarray(v))
    assert_matches_jax(lite, ref, weak_type=False)


@pytest.mark.parametrize("mode", MODES)
def test_vmap_of_at_update_matches_jax(mode):
    xs = _x(shape=(3, 4, 5))
    vs = np.random.default_rng(4).normal(size=(2, 3)).astype(np.float32)
    idx = np.array([[0, 2], [3, 1], [1, 1]], np.int32)
    if mode == "set":
        idx = np.array([[0, 2], [3, 1], [1, 0]], np.int32)

    def f(a, i, b):
        return getattr(a.at[i, 2], mode)(b)
    assert_matches_jax(jaxlite.vmap(f, (0, 0, 1))(lnp.asarray(xs), lnp.asarray(idx), lnp.asarray(vs)),
                       jax.vmap(f, (0, 0, 1))(jnp.asarray(xs), jnp.asarray(idx), jnp.asarray(vs)))


def test_grad_of_at_mul_in_its_values_needs_unique_indices_like_jax():
    x, v = lnp.asarray(_x()), lnp.asarray(_values("int-array"))
    with pytest.raises(NotImplementedError, match="unique_indices=True"):
        jaxlite.grad(lambda b: lnp.sum(x.at[lnp.array([0, 2, 3])].mul(b)))(v)


def test_at_get_matches_getitem():
    x = _x()
    idx = (lnp.array([0, 3]), slice(None, None, -1))
    np.testing.assert_array_equal(np.asarray(lnp.asarray(x).at[idx].get()), np.asarray(lnp.asarray(x)[idx]))


TRACED_SLICES = {
    "traced start and stop under jit": lambda J, x: J.jit(lambda x, i: x[i:i + 2])(x, 1),
    "traced step": lambda J, x: J.jit(lambda x, i: x[::i])(x, 1),
    "traced bound after None": lambda J, x: J.jit(lambda x, i: x[None, :i])(x, 1),
    "traced bound after an Ellipsis": lambda J, x: J.jit(lambda x, i: x[..., :i])(x, 1),
    "traced bound after an integer array": lambda J, x: J.jit(lambda x, i: x[J.numpy.array([0]), :i])(x, 1),
    "traced bound in an update": lambda J, x: J.jit(lambda x, i: x.at[:i].set(0.0))(x, 1),
    "traced bound under vmap": lambda J, x: J.vmap(lambda i: x[i:])(J.numpy.arange(2)),
}


@pytest.mark.parametrize("name", list(TRACED_SLICES))
def test_slice_with_traced_bounds_raises_jax_index_error(name):
    lines = []
    for J, m in ((jaxlite, lnp), (jax, jnp)):
        with pytest.raises(IndexError) as info:
            TRACED_SLICES[name](J, m.ones((3, 3)))
        assert type(info.value) is IndexError
        lines.append(str(info.value).splitlines()[0])
    assert lines[0] == lines[1]
    assert lines[0].startswith("Slice entries must be static integers. Got slice(")


def test_slice_with_concrete_array_bounds_is_static():
    assert lnp.arange(3)[lnp.array(1):].tolist() == jnp.arange(3)[jnp.array(1):].tolist() == [1, 2]
    ours = jaxlite.grad(lambda y, i: y[i:].sum())(lnp.ones(3), 1)
    assert ours.tolist() == jax.grad(lambda y, i: y[i:].sum())(jnp.ones(3), 1).tolist()
