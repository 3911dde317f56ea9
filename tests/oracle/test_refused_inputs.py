"""Inputs JAX refuses, and a few it accepts, outside jit, against JAX: the same exception class and
first line (or the same value), never an error from Python's or NumPy's insides. Covers negative
and traced shapes, integer powers, non-numeric arrays, float axes, pytree flatten functions,
lax's dtype checks with JAX's tips, has_aux pairs and the derivative of abs at zero."""
import jax
import numpy as np
import pytest

import jaxlite
from .outcomes import assert_same_error, assert_same_value

X = np.array([0.5, -1.0, 2.0], np.float32)

# ----------------------------------------------------------------------------------------------
# Accepted as JAX accepts them

ACCEPTED = {
    "grad-of-abs-at-zero-is-one": lambda J, jnp: J.grad(jnp.abs)(0.0),
    "grad-of-abs-at-minus-one": lambda J, jnp: J.grad(jnp.abs)(-1.0),
    "per-example-grads-of-abs": lambda J, jnp: J.vmap(J.grad(jnp.abs))(jnp.array([-1.0, 0.0, 2.0])),
    "jvp-of-abs-at-zero": lambda J, jnp: J.jvp(jnp.abs, (0.0,), (1.0,)),
    "float-to-a-negative-integer-power": lambda J, jnp: jnp.array(2.0) ** -1,
    "int-to-a-negative-float-power": lambda J, jnp: jnp.array(2) ** -1.0,
    "int-to-a-concrete-integer-array-power": lambda J, jnp: jnp.arange(4) ** jnp.array(2),
    "float-to-a-concrete-integer-array-power": lambda J, jnp: jnp.asarray(X) ** jnp.array(3),
    "axis-as-a-numpy-int": lambda J, jnp: jnp.sum(jnp.ones((2, 2)), axis=np.int64(1)),
    "axis-as-a-jax-int": lambda J, jnp: jnp.sum(jnp.ones((2, 2)), axis=jnp.array(1)),
    "has_aux-returning-a-list": lambda J, jnp: J.grad(lambda x: [x ** 2, x], has_aux=True)(jnp.float32(2)),
    "value_and_grad-has_aux-list": lambda J, jnp: J.value_and_grad(
        lambda x: [x ** 2, {"a": x}], has_aux=True)(jnp.float32(2)),
    "vjp-has_aux-list": lambda J, jnp: J.vjp(lambda x: [x ** 2, x], jnp.float32(2), has_aux=True)[2],
    "jacrev-has_aux-list": lambda J, jnp: J.jacrev(lambda x: [x ** 2, x], has_aux=True)(jnp.float32(2)),
    "arange-with-a-negative-stop-is-empty": lambda J, jnp: jnp.arange(-3),
    "complex-arctan2": lambda J, jnp: jnp.arctan2(jnp.asarray([1 + 2j, 3 - 4j]), jnp.asarray([0.5 - 1j, 2 + 0j])),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_as_jax(name):
    assert_same_value(ACCEPTED[name], rtol=2e-6)


def test_grad_of_abs_stages_jax_select():
    assert str(jaxlite.make_jaxpr(jaxlite.grad(jaxlite.numpy.abs))(1.0)) == \
        str(jax.make_jaxpr(jax.grad(jax.numpy.abs))(1.0))


# ----------------------------------------------------------------------------------------------
# Refused

REFUSED = {
    # integers to negative powers
    "int-array-to-minus-one": (lambda J, jnp: jnp.array(2) ** -1, "TypeError"),
    "int-vector-to-minus-two": (lambda J, jnp: jnp.arange(3) ** -2, "TypeError"),
    "jnp.power": (lambda J, jnp: jnp.power(jnp.array(2), -1), "TypeError"),
    "lax.integer_pow": (lambda J, jnp: J.lax.integer_pow(jnp.array(2), -1), "TypeError"),
    "concrete-integer-array-exponent": (lambda J, jnp: jnp.array(2) ** jnp.array(-1), "TypeError"),
    "python-int-base": (lambda J, jnp: 2 ** jnp.array(-1), "TypeError"),
    # arrays of what is not a number
    "array-of-a-string": (lambda J, jnp: jnp.array("abc"), "TypeError"),
    "array-of-a-list-of-strings": (lambda J, jnp: jnp.array(["abc"]), "TypeError"),
    "asarray-of-a-string": (lambda J, jnp: jnp.asarray("abc"), "TypeError"),
    "array-of-mixed-numbers-and-strings": (lambda J, jnp: jnp.array([1, "a"]), "TypeError"),
    "array-of-none": (lambda J, jnp: jnp.array(None), "ValueError"),
    "array-of-a-list-with-none": (lambda J, jnp: jnp.array([1.0, None]), "ValueError"),
    "array-of-a-dict": (lambda J, jnp: jnp.array({}), "TypeError"),
    # axes must be integers
    "sum-axis-float": (lambda J, jnp: jnp.sum(jnp.ones((2, 2)), axis=1.0), "TypeError"),
    "max-axis-float": (lambda J, jnp: jnp.max(jnp.ones((2, 2)), axis=1.0), "TypeError"),
    "mean-axis-float": (lambda J, jnp: jnp.mean(jnp.ones((2, 2)), axis=1.0), "TypeError"),
    "argmax-axis-float": (lambda J, jnp: jnp.argmax(jnp.ones((2, 2)), axis=1.0), "TypeError"),
    "cumsum-axis-float": (lambda J, jnp: jnp.cumsum(jnp.ones((2, 2)), axis=1.0), "TypeError"),
    "sum-axis-tuple-of-floats": (lambda J, jnp: jnp.sum(jnp.ones((2, 2)), axis=(1.0,)), "TypeError"),
    "sum-axis-out-of-range": (lambda J, jnp: jnp.sum(jnp.ones((2, 2)), axis=2), "ValueError"),
    # negative and non-integer shapes
    "zeros-of-minus-one": (lambda J, jnp: jnp.zeros(-1), "TypeError"),
    "ones-with-a-negative-size": (lambda J, jnp: jnp.ones((2, -3)), "TypeError"),
    "full-of-minus-one": (lambda J, jnp: jnp.full(-1, 1.0), "TypeError"),
    "empty-of-minus-two": (lambda J, jnp: jnp.empty(-2), "TypeError"),
    "zeros_like-with-a-negative-shape": (lambda J, jnp: jnp.zeros_like(jnp.ones(2), shape=(-1,)), "TypeError"),
    "broadcast_to-a-negative-shape": (lambda J, jnp: jnp.broadcast_to(jnp.ones(2), (-1, 2)), "TypeError"),
    "eye-of-minus-one": (lambda J, jnp: jnp.eye(-1), "ValueError"),
    "zeros-of-a-float-size": (lambda J, jnp: jnp.zeros(2.5), "TypeError"),
    "zeros-of-a-string-size": (lambda J, jnp: jnp.zeros("a"), "TypeError"),
    "reshape-to-the-wrong-size": (lambda J, jnp: jnp.ones(6).reshape(4, 2), "TypeError"),
    "reshape-minus-one-not-dividing": (lambda J, jnp: jnp.ones(6).reshape(-1, 4), "TypeError"),
    "reshape-two-minus-ones": (lambda J, jnp: jnp.ones(6).reshape(-1, -1), "TypeError"),
    "reshape-minus-two": (lambda J, jnp: jnp.ones(6).reshape(-2, 3), "TypeError"),
    "reshape-negative-sizes-of-the-right-product": (lambda J, jnp: jnp.ones(6).reshape(-3, -2), "TypeError"),
    "reshape-to-a-float-size": (lambda J, jnp: jnp.ones(6).reshape(2.0, 3), "TypeError"),
    "lax.reshape-negative": (lambda J, jnp: J.lax.reshape(jnp.ones(6), (-2, -3)), "TypeError"),
    "linspace-of-a-negative-count": (lambda J, jnp: jnp.linspace(0, 1, -1), "ValueError"),
    # lax wants one dtype, and says which jnp function promotes
    "lax.add-of-mixed-dtypes": (lambda J, jnp: J.lax.add(jnp.float32(1), jnp.int32(1)), "TypeError"),
    "lax.mul-of-mixed-dtypes": (lambda J, jnp: J.lax.mul(jnp.ones(1), jnp.arange(1)), "TypeError"),
    "lax.sub-of-mixed-dtypes": (lambda J, jnp: J.lax.sub(jnp.arange(1), jnp.ones(1)), "TypeError"),
    "lax.div-of-mixed-dtypes": (lambda J, jnp: J.lax.div(jnp.arange(1), jnp.ones(1)), "TypeError"),
    "lax.max-of-mixed-dtypes": (lambda J, jnp: J.lax.max(jnp.arange(1), jnp.ones(1)), "TypeError"),
    "lax.eq-of-mixed-dtypes": (lambda J, jnp: J.lax.eq(jnp.ones(1), jnp.arange(1)), "TypeError"),
    "lax.lt-of-mixed-dtypes-has-no-tip": (lambda J, jnp: J.lax.lt(jnp.ones(1), jnp.arange(1)), "TypeError"),
    "lax.select_n-of-mixed-dtypes": (lambda J, jnp: J.lax.select_n(True, jnp.ones(1), jnp.arange(1)), "TypeError"),
    "lax.concatenate-of-mixed-dtypes": (lambda J, jnp: J.lax.concatenate([jnp.ones(1), jnp.arange(1)], 0),
                                        "TypeError"),
    "lax.atan2-of-an-int": (lambda J, jnp: J.lax.atan2(jnp.ones(1), jnp.arange(1)), "TypeError"),
    "lax.rem-of-complex": (lambda J, jnp: J.lax.rem(jnp.ones(1, jnp.complex64), jnp.ones(1, jnp.complex64)),
                           "TypeError"),
    "lax.and-of-floats": (lambda J, jnp: J.lax.bitwise_and(jnp.ones(1), jnp.ones(1)), "TypeError"),
    "lax.shift_left-of-floats": (lambda J, jnp: J.lax.shift_left(jnp.ones(1), jnp.ones(1)), "TypeError"),
    "lax.sin-of-ints": (lambda J, jnp: J.lax.sin(jnp.arange(1)), "TypeError"),
    "lax.floor-of-ints": (lambda J, jnp: J.lax.floor(jnp.arange(1)), "TypeError"),
    "lax.abs-of-unsigned": (lambda J, jnp: J.lax.abs(jnp.ones(1, jnp.uint32)), "TypeError"),
    "lax.abs-of-bools": (lambda J, jnp: J.lax.abs(jnp.ones(1, bool)), "TypeError"),
    "lax.neg-of-bools": (lambda J, jnp: J.lax.neg(jnp.ones(1, bool)), "TypeError"),
    "lax.sign-of-bools": (lambda J, jnp: J.lax.sign(jnp.ones(1, bool)), "TypeError"),
    "lax.square-of-bools": (lambda J, jnp: J.lax.square(jnp.ones(1, bool)), "TypeError"),
    "lax.not-of-floats": (lambda J, jnp: J.lax.bitwise_not(jnp.ones(1)), "TypeError"),
    "lax.population_count-of-floats": (lambda J, jnp: J.lax.population_count(jnp.ones(1)), "TypeError"),
    "lax.nextafter-of-complex": (lambda J, jnp: J.lax.nextafter(jnp.ones(1, jnp.complex64),
                                                                jnp.ones(1, jnp.complex64)), "TypeError"),
    "transpose-axis-out-of-bounds": (lambda J, jnp: jnp.transpose(jnp.ones((2, 3)), (0, 2)), "ValueError"),
    "transpose-negative-axis-out-of-bounds": (lambda J, jnp: jnp.ones((2, 3)).transpose(1, -3), "ValueError"),
    "transpose-repeated-axis": (lambda J, jnp: jnp.transpose(jnp.ones((2, 3)), (-1, -1)), "TypeError"),
    "transpose-too-few-axes": (lambda J, jnp: jnp.transpose(jnp.ones((2, 3)), (0,)), "TypeError"),
    "tri-of-negative-size": (lambda J, jnp: jnp.tri(-1), "TypeError"),
    "tri-of-float-size": (lambda J, jnp: jnp.tri(2.5), "TypeError"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_refused_as_jax(name):
    program, error = REFUSED[name]
    assert_same_error(program, error)


# ----------------------------------------------------------------------------------------------
# Pytree flatten functions must return a (children, aux_data) tuple

class _Node:
    def __init__(self, a, b):
        self.a, self.b = a, b


def _node_type(J, flatten):
    """A fresh class per library and case: registering a type is once only."""
    cls = type("Node", (_Node,), {})
    J.tree_util.register_pytree_node(cls, flatten, lambda aux, children: cls(*children))
    return cls


FLATTENS = {
    "a-list-instead-of-a-tuple": lambda p: [[p.a, p.b], None],
    "children-that-are-not-iterable": lambda p: (p.a, p.b),
    "three-values": lambda p: ((p.a,), None, 3),
    "none": lambda p: None,
}


@pytest.mark.parametrize("name", FLATTENS)
def test_a_flatten_function_returning_other_than_a_pair_is_refused_as_jax(name):
    assert_same_error(lambda J, jnp: J.tree_util.tree_flatten(_node_type(J, FLATTENS[name])(1.0, 2.0)),
                      "ValueError")


def test_children_may_be_a_list():
    def program(J, jnp):
        node = _node_type(J, lambda p: ([p.a, p.b], None))(1.0, 2.0)
        leaves = J.tree_util.tree_leaves(node)
        grads = J.grad(lambda p: p.a * p.b)(node)
        return leaves, (grads.a, grads.b)
    lite, ref = (program(J, None) for J in (jaxlite, jax))
    assert lite[0] == ref[0] == [1.0, 2.0]
    assert [float(g) for g in lite[1]] == [float(g) for g in ref[1]] == [2.0, 1.0]


# ----------------------------------------------------------------------------------------------
# A traced size: JAX's message, then its tip about static_argnums

TRACED_SIZES = {
    "zeros": lambda J, jnp: J.jit(lambda n: jnp.zeros(n))(3),
    "ones-with-a-traced-size": lambda J, jnp: J.jit(lambda n: jnp.ones((n, 2)))(3),
    "full": lambda J, jnp: J.jit(lambda n: jnp.full(n, 1.0))(3),
    "reshape": lambda J, jnp: J.jit(lambda x, n: x.reshape(n))(jnp.ones(4), 4),
    "eye": lambda J, jnp: J.jit(lambda n: jnp.eye(n))(3),
}


@pytest.mark.parametrize("name", TRACED_SIZES)
def test_a_traced_size_gets_jax_message_and_tip(name):
    errors = []
    for J, jnp in ((jaxlite, jaxlite.numpy), (jax, jax.numpy)):
        with pytest.raises(TypeError) as info:
            TRACED_SIZES[name](J, jnp)
        errors.append(str(info.value).splitlines())
    lite, ref = errors
    assert lite[:2] == ref[:2]
    assert ref[1] == "If using `jit`, try using `static_argnums` or applying `jit` to smaller subfunctions."
    assert lite[-1].startswith("Hint: ")


# ----------------------------------------------------------------------------------------------
# An auxiliary output that is an input passed through

PASSED_THROUGH = {
    "grad-list-aux": lambda J: J.grad(lambda x: [x ** 2, x], has_aux=True)(3.0),
    "grad-nested-aux": lambda J: J.grad(lambda x: (x ** 2, {"a": [x, x], "b": 2.0}), has_aux=True)(3.0),
    "grad-holomorphic": lambda J: J.grad(lambda x: (x ** 2, x), has_aux=True, holomorphic=True)(3.0 + 1j),
    "grad-other-argument": lambda J: J.grad(lambda x, y: (x ** 2 * y, y), argnums=1, has_aux=True)(3.0, 2.0),
    "grad-undifferentiated-argument": lambda J: J.grad(lambda x, y: (x ** 2, y), has_aux=True)(3.0, 2),
    "value_and_grad": lambda J: J.value_and_grad(lambda x: (x ** 2, x), has_aux=True)(3.0),
    "jacrev": lambda J: J.jacrev(lambda x: (x ** 2, x), has_aux=True)(3.0),
    "jacfwd": lambda J: J.jacfwd(lambda x: (x ** 2, x), has_aux=True)(3.0),
    "linearize": lambda J: J.linearize(lambda x: (x ** 2, x), 3.0, has_aux=True)[2],
    "jvp": lambda J: J.jvp(lambda x: (x, x), (3.0,), (1.0,), has_aux=True),
}


@pytest.mark.parametrize("name", PASSED_THROUGH)
def test_aux_input_passed_through_comes_back_as_jax_gives_it(name):
    ours, theirs = PASSED_THROUGH[name](jaxlite), PASSED_THROUGH[name](jax)
    assert repr(ours) == repr(theirs)


def test_typed_float_is_a_float_with_a_dtype():
    aux = jaxlite.grad(lambda x: (x ** 2, x), has_aux=True)(3.0)[1]
    assert isinstance(aux, float) and aux.dtype == np.float32
    assert (aux + 1, str(aux), str(jaxlite.typeof(aux))) == (4.0, "3.0", "~float32[]")
