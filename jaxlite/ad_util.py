"""What differentiation needs below the interpreters: symbolic zeros, adding tangents, zeros.

Mirrors jax/_src/ad_util.py. The interpreters (ad, partial_eval, batching) and lax both build on this
module, so none of them has to reach up into lax: `add_jaxvals_p` (printed `add_any`) is the primitive
that sums tangents and cotangents, and lax registers its derivative and batching rules beside its
other primitives; `zeros_like_aval` builds zeros through the makers lax registers per abstract type.
"""
import numpy as np

from jaxlite import core, dtypes
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval


def tangent_aval(aval):
    """Integer and boolean values have no tangent space: JAX gives them float0 tangents.
    A weakly typed primal has a weakly typed tangent, so grad(f)(3.0) is weak as in JAX."""
    if dtypes.kind(aval.dtype) in "fc":
        return aval
    return core.ShapedArray(aval.shape, dtypes.float0)


class Zero:
    """A symbolic zero tangent or cotangent: no array is built, and rules can skip the work."""

    __slots__ = ("aval",)

    def __init__(self, aval):
        self.aval = aval

    @staticmethod
    def from_primal_value(x):
        return Zero(tangent_aval(get_aval(x)))

    def __repr__(self):
        return f"Zero({self.aval.str_short()})"


# ----------------------------------------------------------------------------------------------
# Adding tangents: one primitive, so that the sums are equations of the linear jaxpr

add_jaxvals_p = core.Primitive("add_any")


def _add_jaxvals_impl(x, y):
    """Both operands belong to one tangent space: the sum keeps its dtype."""
    x_aval, y_aval = get_aval(x), get_aval(y)
    out = np.add(np.asarray(x), np.asarray(y))
    if out.dtype != x_aval.dtype:
        out = np.asarray(out, x_aval.dtype)
    return ArrayImpl(out, x_aval.weak_type and y_aval.weak_type)


def _add_jaxvals_abstract_eval(x, y):
    return core.ShapedArray(x.shape, x.dtype, x.weak_type and y.weak_type)


add_jaxvals_p.def_impl(_add_jaxvals_impl)
add_jaxvals_p.def_abstract_eval(_add_jaxvals_abstract_eval)


def add_jaxvals(x, y):
    return add_jaxvals_p.bind(x, y)


def add_tangents(x, y):
    """The sum of two tangents, either of which may be a symbolic zero."""
    if type(x) is Zero:
        return y
    if type(y) is Zero:
        return x
    return add_jaxvals(x, y)


# ----------------------------------------------------------------------------------------------
# Zeros

aval_zeros_likers = {}  # type of abstract value -> maker(aval) -> zeros of that type (lax fills it)


def zeros_like_aval(aval):
    """Zeros of the type `aval`; float0 zeros (integer inputs' tangents) are plain NumPy values."""
    if aval.dtype == dtypes.float0:
        return np.zeros(aval.shape, dtypes.float0)
    return aval_zeros_likers[type(aval)](aval)


def instantiate(t):
    """A tangent as a value: a symbolic zero becomes an array of zeros."""
    return zeros_like_aval(t.aval) if type(t) is Zero else t
