"""How abstract values print, against JAX: `str` of a ShapedArray (`float32[3]`, `~float32[]` when
weakly typed), its repr, jax.typeof of arrays, Python scalars and keys, and the avals of jit's stages."""
import jax
import jax.numpy as jnp
import pytest

import jaxlite
import jaxlite.numpy as lnp

VALUES = {
    "array": lambda J, np_: np_.ones(3),
    "weak scalar": lambda J, np_: 2.0,
    "weak int array": lambda J, np_: np_.asarray(2),
    "bool matrix": lambda J, np_: np_.zeros((2, 3), bool),
    "typed key": lambda J, np_: J.random.key(0),
    "split keys": lambda J, np_: J.random.split(J.random.key(0), 4),
}


@pytest.mark.parametrize("name", list(VALUES))
def test_typeof_prints_as_jax(name):
    ours, theirs = jaxlite.typeof(VALUES[name](jaxlite, lnp)), jax.typeof(VALUES[name](jax, jnp))
    assert (str(ours), repr(ours)) == (str(theirs), repr(theirs))


STAGES = {
    "traced out_avals": lambda J, np_: J.jit(lambda a, b: (a * b, a.sum())).trace(np_.ones(3), 2.0).out_avals,
    "traced in_avals": lambda J, np_: J.jit(lambda a, b: a * b).trace(np_.ones(3), 2.0).in_avals,
    "jaxpr in and out avals": lambda J, np_: (lambda j: (j.in_avals, j.out_avals))(
        J.jit(lambda a, b: a * b).trace(np_.ones(3), 2.0).jaxpr),
    "str of invars' avals": lambda J, np_: [str(v.aval) for v in J.make_jaxpr(lambda a, b: a + b)(
        np_.ones(2), 1.0).jaxpr.invars],
    "lowered in_avals": lambda J, np_: J.jit(lambda a: a * 2).lower(np_.ones(3)).in_avals,
    "lowered out_info": lambda J, np_: J.jit(lambda a: a * 2).lower(np_.ones(3)).out_info,
}


@pytest.mark.parametrize("name", list(STAGES))
def test_stage_avals_print_as_jax(name):
    assert str(STAGES[name](jaxlite, lnp)) == str(STAGES[name](jax, jnp))
