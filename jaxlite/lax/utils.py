"""Making primitives: `standard_primitive` and the small rules its abstract eval is built from.

Mirrors jax/_src/lax/utils.py. A standard primitive is computed by one NumPy function; its abstract
eval is three rules (shape, dtype, weak type), which also check the operands, eagerly as under tracing.
"""
from functools import partial

import numpy as np

from jaxlite import dispatch
from jaxlite.core import Primitive, ShapedArray
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.numpy_codegen import NumpyCall


def standard_primitive(name, numpy_impl, shape_rule, dtype_rule, weak_type_rule=None, pp_params=None):
    """A primitive whose impl runs `numpy_impl` on NumPy values (dispatch.apply_primitive) and whose
    abstract eval is `standard_abstract_eval` of the three rules; jit's NumPy code calls numpy_impl
    (its "numpy" lowering). Its "xla" lowering is registered beside it."""
    prim = Primitive(name)
    prim.numpy_impl = numpy_impl
    prim.def_impl(partial(dispatch.apply_primitive, prim))
    prim.def_abstract_eval(partial(standard_abstract_eval, shape_rule, dtype_rule,
                                   weak_type_rule or all_weak))
    register_lowering(prim, NumpyCall(numpy_impl), "numpy")
    if pp_params is not None:
        prim.pp_params = pp_params
    return prim


def standard_abstract_eval(shape_rule, dtype_rule, weak_type_rule, *avals, **params):
    return ShapedArray(shape_rule(*avals, **params), dtype_rule(*avals, **params),
                       weak_type_rule(*avals, **params))


def all_weak(*avals, **params):
    """JAX's default: the result is weakly typed when every operand is (`2.0 * 3.0`)."""
    return all(a.weak_type for a in avals)


def never_weak(*avals, **params):
    return False


def operand_weak(operand, *rest, **params):
    """As weakly typed as the first operand (slices and gathers of it)."""
    return operand.weak_type


def same_dtype(*avals, **params):
    return avals[0].dtype


def bool_dtype(*avals, **params):
    return np.dtype(bool)
