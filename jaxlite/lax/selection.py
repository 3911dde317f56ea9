"""select_n, select and clamp: elementwise choices between arrays, with their rules.

Mirrors part of jax/_src/lax/lax.py, where JAX keeps these with the other basic primitives (it has no
separate file for them). `jnp.where` is built on select_n.
"""
import numpy as np

from jaxlite import errors
from jaxlite.core import get_aval
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.ad import Zero, defjvp, is_undefined_primal
from jaxlite.interpreters.batching import not_mapped
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to
from jaxlite.lax import lax, shapes
from jaxlite.lax.utils import check_dtypes, dtype_checked, to_array, standard_primitive

__all__ = ["clamp", "select", "select_n", "clamp_p", "select_n_p"]


# ----------------------------------------------------------------------------------------------
# select_n: pick from cases by an integer or boolean selector (jnp.where is built on it)

def _select_n_impl(which, *cases):
    if which.dtype == bool:
        return np.where(which, cases[1], cases[0]) if len(cases) == 2 else cases[0]
    return np.choose(which, cases) if np.ndim(which) else cases[int(which)]


def _select_n_shape(which, *cases, **params):
    case_shapes = {c.shape for c in cases}
    if len(case_shapes) != 1:
        raise TypeError(errors.with_hint(f"select_n cases must have the same shapes, got {[c.shape for c in cases]}.",
            "every case of select_n must have the same shape: broadcast them first."))
    shape = cases[0].shape
    if which.shape and which.shape != shape:
        raise TypeError(errors.with_hint(f"select_n `which` must be scalar or have the same shape as cases, got "
                        f"`which` shape {which.shape} but case shape {shape}.",
            "give `which` the shape of the cases (or one scalar), e.g. with jnp.broadcast_to."))
    return shape


def _select_n_dtype(which, *cases, **params):
    check_dtypes("select", cases, None)  # JAX's message names lax.select
    return cases[0].dtype


select_n_p = standard_primitive("select_n", _select_n_impl, _select_n_shape, _select_n_dtype,
                                lambda which, *cases: all(c.weak_type for c in cases))


def _select_n_jvp(primals, tangents):
    which, *cases = primals
    _, *case_tangents = tangents
    out = select_n(which, *cases)
    if all(type(t) is Zero for t in case_tangents):
        return out, Zero.from_primal_value(out)
    case_tangents = [ad.instantiate_zeros(t) for t in case_tangents]
    return out, select_n(which, *case_tangents)


def _select_n_transpose(ct, which, *cases):
    if type(ct) is Zero:
        return [None] * (1 + len(cases))
    zeros = lax.full_like(ct, 0)
    return [None] + [select_n(which, *[ct if j == i else zeros for j in range(len(cases))])
                     if is_undefined_primal(c) else None for i, c in enumerate(cases)]


def _select_n_batcher(args, dims):
    which, *cases = args
    which_dim, *case_dims = dims
    size = batching.axis_size_of(args, dims)
    if which_dim is not_mapped and get_aval(which).ndim == 0:
        cases = [batching.bdim_at_front(c, d, size) for c, d in zip(cases, case_dims)]
        return select_n(which, *cases), 0
    args = [batching.bdim_at_front(x, d, size) for x, d in zip(args, dims)]
    which, *cases = args
    shape = get_aval(cases[0]).shape
    if get_aval(which).shape != shape:
        which = shapes.broadcast_in_dim(which, shape, tuple(range(get_aval(which).ndim)))
    return select_n(which, *cases), 0


ad.primitive_jvps[select_n_p] = _select_n_jvp
ad.primitive_transposes[select_n_p] = _select_n_transpose
batching.primitive_batchers[select_n_p] = _select_n_batcher


def select_n(which, *cases):
    if not cases:
        raise ValueError(errors.with_hint("select_n must have at least one case",
            "give select_n at least one case."))
    return select_n_p.bind(to_array(which), *[to_array(c) for c in cases])


def select(pred, on_true, on_false):
    """`lax.select`: on_true where pred, else on_false."""
    return select_n(pred, on_false, on_true)


register_lowering(select_n_p, lambda ctx, which, *cases: ctx.lax.select_n(which, *cases), "xla")


# ----------------------------------------------------------------------------------------------
# clamp

def _clamp_shape(lo, x, hi):
    for name, bound in (("min", lo), ("max", hi)):
        if bound.shape and bound.shape != x.shape:
            raise TypeError(errors.with_hint(f"clamp requires {name}.shape == operand.shape or {name}.shape == (), "
                            f"got {bound.shape}.",
                "clamp's bounds are scalars or arrays of the operand's shape: broadcast them first."))
    return x.shape


clamp_p = standard_primitive("clamp", lambda lo, x, hi: np.minimum(np.maximum(x, lo), hi),
                             _clamp_shape, dtype_checked("clamp", None))


def _clamp_jvp_bound(picked):
    """The tangent of a bound flows where that bound is the answer (JAX's tie rules)."""
    def rule(g, lo, x, hi):
        shape = get_aval(x).shape
        return select(picked(lo, x, hi), lax.maybe_broadcast(shape, g), lax.full_like(x, 0, shape=shape))
    return rule


defjvp(clamp_p,
       _clamp_jvp_bound(lambda lo, x, hi: lax.bitwise_and(lax.gt(lo, x), lax.lt(lo, hi))),
       lambda g, lo, x, hi: select(lax.bitwise_and(lax.gt(x, lo), lax.lt(x, hi)), g, lax.full_like(g, 0)),
       _clamp_jvp_bound(lambda lo, x, hi: lax.lt(hi, x)))


def _clamp_batcher(args, dims):
    lo, x, hi = args
    if dims[0] is not_mapped and dims[2] is not_mapped and not get_aval(lo).shape \
            and not get_aval(hi).shape:
        return clamp(lo, x, hi), dims[1]
    size = batching.axis_size_of(args, dims)
    x = batching.bdim_at_front(x, dims[1], size)
    shape = get_aval(x).shape

    def bound(b, d):
        if d is not_mapped and not get_aval(b).shape:
            return b
        b = batching.bdim_at_front(b, d, size)
        return b if get_aval(b).shape == shape else shapes.broadcast_in_dim(b, shape, (0,))
    return clamp(bound(lo, dims[0]), x, bound(hi, dims[2])), 0


batching.primitive_batchers[clamp_p] = _clamp_batcher


def clamp(min, x, max):
    """`min <= x <= max` elementwise; the bounds may be scalars."""
    x = to_array(x)
    return clamp_p.bind(to_array(min, get_aval(x)), x, to_array(max, get_aval(x)))


register_lowering(clamp_p, lowers_to(lambda lax: lax.clamp), "xla")
