"""Collectives over a named vmap axis: psum, pmean, pmax, pmin, axis_index, all_gather.

Mirrors jax/_src/lax/parallel.py (the vmap part; jaxlite has no pmap or shard_map). Inside
`vmap(f, axis_name="i")`, `psum(x, "i")` is the sum of x over all the examples. Each collective is a
primitive whose `axes` name vmap axes (or, once batched, positional axes); its batching rule, given
the axis its BatchTrace maps over, turns a named axis into a reduction over the batch dimension, so
the jaxpr of a vmapped psum shows `psum[axes=(0,)]`. Outside any vmap of that name, JAX's NameError.
"""
import numpy as np

from jaxlite import core, dtypes, errors, tree_util
from jaxlite.core import Primitive, ShapedArray, get_aval
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.batching import not_mapped
from jaxlite.lax import lax, shapes, utils
from jaxlite.literals import typed_scalar
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters import numpy_codegen
from jaxlite.interpreters.xla import lowers_to

_HINT = ("collectives combine the examples of a vmap: call them inside vmap(f, axis_name=...) "
         "with the same name.")


def _bound_axis_names():
    """The names of the vmap axes the current trace is inside."""
    names, trace = set(), core.current_trace()
    while trace is not None:
        names.add(getattr(trace, "axis_name", None))
        trace = trace.parent_trace
    return names


def _axis_size(axes):
    """The number of examples along the named vmap axes (the product, for several)."""
    size, trace = 1, core.current_trace()
    while trace is not None:
        if getattr(trace, "axis_name", None) in axes:
            size *= trace.axis_size
        trace = trace.parent_trace
    return size


def _check_axis_names(axes, api_name, eager_text=False):
    bound = _bound_axis_names()
    for name in axes:
        if not isinstance(name, int) and name not in bound:
            plain = api_name is None or (eager_text and core.current_trace() is core.eval_trace)
            message = (f"unbound axis name: {name}" if plain else
                       f"Found an unbound axis name: {name}. To fix this, please call {api_name} "
                       "under `jax.shard_map`.")
            raise NameError(errors.with_hint(message, _HINT))


def _as_axes(axis_name):
    return tuple(axis_name) if isinstance(axis_name, (tuple, list)) else (axis_name,)


def _positional(axes):
    return tuple(a for a in axes if isinstance(a, int))


# ----------------------------------------------------------------------------------------------
# psum, pmax, pmin: all-reduce primitives

def _allreduce_impl(reduce):
    def impl(x, *, axes, axis_index_groups):
        named = [a for a in axes if not isinstance(a, int)]
        if named:
            raise NameError(f"unbound axis name: {named[0]}")
        return reduce(x, axis=_positional(axes))
    return impl


def _allreduce_shape(aval, *, axes, axis_index_groups):
    positional = _positional(axes)
    return tuple(s for i, s in enumerate(aval.shape) if i not in positional)


def _allreduce_primitive(name, reduce):
    prim = utils.standard_primitive(name, _allreduce_impl(reduce), _allreduce_shape, utils.same_dtype)
    numpy_codegen.fresh_output.add(prim)
    return prim


psum_p = _allreduce_primitive("psum", np.add.reduce)
pmax_p = _allreduce_primitive("pmax", np.maximum.reduce)
pmin_p = _allreduce_primitive("pmin", np.minimum.reduce)


def _psum_transpose(ct, x, *, axes, axis_index_groups):
    """Positional axes broadcast the cotangent back; named axes sum it over the examples again
    (a psum is a sum followed by a broadcast to every example)."""
    positional = _positional(axes)
    if positional:
        shape = x.aval.shape
        ct = lax.broadcast_in_dim(ct, shape, tuple(i for i in range(len(shape)) if i not in positional))
    named = tuple(a for a in axes if not isinstance(a, int))
    return [psum_p.bind(ct, axes=named, axis_index_groups=axis_index_groups) if named else ct]


ad.deflinear2(psum_p, _psum_transpose)


def _reduction_batcher(prim, if_unmapped):
    """The batching rule of an all-reduce over the axis `frame` of size `size`: the batch
    dimension becomes positional axis 0 of the reduction; an unbatched operand is the same in
    every example (`if_unmapped` gives its sum, or itself for a max). Names of other vmaps stay."""
    def rule(frame, size, args, dims, *, axes, axis_index_groups):
        (x,), (d,) = args, dims
        if axis_index_groups is not None:
            raise NotImplementedError("axis_index_groups not supported in vmap collectives. Please "
                                      "open a feature request!")
        if d is not_mapped:
            if frame not in axes:
                return prim.bind(x, axes=axes, axis_index_groups=None), not_mapped
            others = tuple(a for a in axes if a != frame)
            if others:
                x = prim.bind(x, axes=others, axis_index_groups=None)
            return if_unmapped(x, size), not_mapped
        x = batching.moveaxis(x, d, 0)
        new_axes = tuple(0 if a == frame else a + 1 if isinstance(a, int) else a for a in axes)
        return prim.bind(x, axes=new_axes, axis_index_groups=None), (0 if frame not in axes else not_mapped)
    return rule


def _sum_of_copies(x, n):
    """The psum of a value every example shares: n times it (a Python number stays one)."""
    return type(x)(n * x) if type(x) in (int, float, complex) else lax.mul(lax.const(x, n), x)


def _one_of_copies(x, n):
    """The pmax (or pmin) of a value every example shares: itself, a Python number typed as JAX types it."""
    return typed_scalar(x, dtypes.dtype(x)) if type(x) in (int, float, complex) else x


batching.collective_batchers[psum_p] = _reduction_batcher(psum_p, _sum_of_copies)
batching.collective_batchers[pmax_p] = _reduction_batcher(pmax_p, _one_of_copies)
batching.collective_batchers[pmin_p] = _reduction_batcher(pmin_p, _one_of_copies)


def _allreduce(prim, x, axis_name, axis_index_groups, api_name, eager_text):
    axes = _as_axes(axis_name)
    if not axes:
        return x
    _check_axis_names(axes, api_name, eager_text)
    return tree_util.tree_map(lambda leaf: prim.bind(leaf, axes=axes, axis_index_groups=axis_index_groups), x)


def psum(x, axis_name, *, axis_index_groups=None):
    """The sum of `x` (a pytree) over the examples of the vmap axis `axis_name`."""
    return _allreduce(psum_p, x, axis_name, axis_index_groups, "psum", eager_text=True)


def pmax(x, axis_name, *, axis_index_groups=None):
    return _allreduce(pmax_p, x, axis_name, axis_index_groups, "psum", eager_text=False)


def pmin(x, axis_name, *, axis_index_groups=None):
    return _allreduce(pmin_p, x, axis_name, axis_index_groups, "psum", eager_text=False)


def pmean(x, axis_name, *, axis_index_groups=None):
    """psum divided by the number of examples (itself a psum of 1)."""
    total = psum(x, axis_name, axis_index_groups=axis_index_groups)
    n = psum(1, axis_name, axis_index_groups=axis_index_groups)
    return tree_util.tree_map(lambda v: v / n, total)


# ----------------------------------------------------------------------------------------------
# axis_index: which example this is

axis_index_p = Primitive("axis_index")


def _axis_index_impl(*, axis_name):
    raise NameError(f"unbound axis name: {axis_name}")


axis_index_p.def_impl(_axis_index_impl)
axis_index_p.def_abstract_eval(lambda *, axis_name: ShapedArray((), np.dtype(np.int32)))


def _axis_index_batcher(frame, size, args, dims, *, axis_name):
    if frame != axis_name:
        return axis_index_p.bind(axis_name=axis_name), not_mapped
    return shapes.iota(np.int32, size), 0


batching.collective_batchers[axis_index_p] = _axis_index_batcher


def axis_index(axis_name):
    """The position of the current example along the vmap axis `axis_name` (an int32)."""
    _check_axis_names((axis_name,), "axis_index")
    return axis_index_p.bind(axis_name=axis_name)


# ----------------------------------------------------------------------------------------------
# all_gather: every example's value, stacked

all_gather_p = Primitive("all_gather")


def _all_gather_impl(x, *, all_gather_dimension, axis_name, axis_index_groups, axis_size, tiled):
    raise NameError(f"unbound axis name: {axis_name}")


def _all_gather_abstract_eval(aval, *, all_gather_dimension, axis_name, axis_index_groups, axis_size,
                              tiled):
    shape = list(aval.shape)
    if tiled:
        shape[all_gather_dimension] *= axis_size
    else:
        shape.insert(all_gather_dimension, axis_size)
    return ShapedArray(tuple(shape), aval.dtype, aval.weak_type)


all_gather_p.def_impl(_all_gather_impl)
all_gather_p.def_abstract_eval(_all_gather_abstract_eval)


def _all_gather_batcher(frame, size, args, dims, *, all_gather_dimension, axis_name, axis_index_groups,
                        axis_size, tiled):
    (x,), (d,) = args, dims
    params = dict(axis_name=axis_name, axis_index_groups=axis_index_groups, axis_size=axis_size,
                  tiled=tiled)
    if frame not in _as_axes(axis_name):
        if d is not_mapped:
            return all_gather_p.bind(x, all_gather_dimension=all_gather_dimension, **params), not_mapped
        if d <= all_gather_dimension:
            all_gather_dimension += 1
        elif not tiled:
            d += 1
        return all_gather_p.bind(x, all_gather_dimension=all_gather_dimension, **params), d
    if axis_index_groups is not None:
        raise NotImplementedError("axis_index_groups not supported in vmap")
    if d is not_mapped:
        shape = list(get_aval(x).shape)
        shape.insert(all_gather_dimension, size)
        y = lax.broadcast_in_dim(x, tuple(shape),
                                 tuple(i for i in range(len(shape)) if i != all_gather_dimension))
    else:
        y = batching.moveaxis(x, d, all_gather_dimension)
    if tiled:
        shape = list(get_aval(y).shape)
        k = all_gather_dimension
        y = lax.reshape(y, tuple(shape[:k]) + (shape[k] * shape[k + 1],) + tuple(shape[k + 2:]))
    return y, not_mapped


batching.collective_batchers[all_gather_p] = _all_gather_batcher


def _all_gather_transpose(ct, x, *, all_gather_dimension, axis_name, axis_index_groups, axis_size, tiled):
    """Each example's own part of the summed cotangent (what JAX's psum_scatter computes)."""
    from jaxlite.lax import slicing
    summed = psum(ad.instantiate_zeros(ct), axis_name, axis_index_groups=axis_index_groups)
    size = x.aval.shape[all_gather_dimension] if tiled else 1
    part = slicing.dynamic_slice_in_dim(summed, axis_index(axis_name) * size, size, all_gather_dimension)
    return [part if tiled else shapes.squeeze(part, (all_gather_dimension,))]


ad.deflinear2(all_gather_p, _all_gather_transpose)


def all_gather(x, axis_name, *, axis_index_groups=None, axis=0, tiled=False):
    """Every example's `x` stacked along a new axis `axis` (or concatenated along it, `tiled`)."""
    axes = _as_axes(axis_name)
    _check_axis_names(axes, None)  # JAX finds the axis size first, with its plain message
    size = _axis_size(axes)

    def gather(leaf):
        leaf = lax.to_array(leaf)
        ndim = get_aval(leaf).ndim
        dim = axis % (ndim if tiled else ndim + 1) if ndim or not tiled else axis
        return all_gather_p.bind(leaf, all_gather_dimension=dim, axis_name=axis_name,
                                 axis_index_groups=axis_index_groups, axis_size=size, tiled=tiled)
    return tree_util.tree_map(gather, x)


# On a backend, collectives arrive batched: their axes are positional by then.
for _prim, _rule in [
    (psum_p, lambda ctx, x, axes, **_: ctx.lax.reduce_sum(x, axes)),
    (pmax_p, lambda ctx, x, axes, **_: ctx.lax.reduce_max(x, axes)),
    (pmin_p, lambda ctx, x, axes, **_: ctx.lax.reduce_min(x, axes)),
    (axis_index_p, lowers_to(lambda lax: lax.axis_index)),
    (all_gather_p, lowers_to(lambda lax: lax.all_gather)),
]:
    register_lowering(_prim, _rule, "xla")
for _prim in (axis_index_p, all_gather_p):
    register_lowering(_prim, numpy_codegen.impl_call(_prim), "numpy")
