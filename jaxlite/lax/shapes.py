"""Shape primitives and their rules: broadcast_in_dim, reshape, transpose, squeeze and rev, with
broadcast and expand_dims built on them; iota.

Mirrors part of jax/_src/lax/lax.py, where JAX keeps these with the other basic primitives (it has no
separate file for them).
"""
import numpy as np

from jaxlite import core, dtypes, errors
from jaxlite.core import get_aval
from jaxlite.interpreters import batching
from jaxlite.interpreters.ad import Zero, deflinear2
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to
from jaxlite.lax import reductions
from jaxlite.lax.utils import to_array, never_weak, same_dtype, standard_primitive

__all__ = ["broadcast", "broadcast_in_dim", "broadcasted_iota", "expand_dims", "iota", "reshape", "rev",
           "squeeze", "transpose",
           "broadcast_in_dim_p", "iota_p", "reshape_p", "rev_p", "squeeze_p", "transpose_p"]


# ----------------------------------------------------------------------------------------------
# Shapes: broadcast_in_dim, reshape, transpose, squeeze, expand_dims

def _broadcast_in_dim_shape(a, shape, broadcast_dimensions, sharding=None):
    if any(d < 0 for d in shape):
        raise TypeError(errors.with_hint(f"broadcast_in_dim shape must have every element be nonnegative, got "
                                         f"{shape}.", "sizes in a shape are counts, 0 or more: -1 (infer) only "
                                         "works in reshape."))
    if len(broadcast_dimensions) != a.ndim:
        raise TypeError(errors.with_hint(f"broadcast_in_dim broadcast_dimensions must have length equal to operand "
                        f"ndim; got broadcast_dimensions {broadcast_dimensions} for operand ndim {a.ndim}.",
            "broadcast_dimensions says where each axis of the operand goes: one entry per operand axis."))
    for d, dim in zip(a.shape, broadcast_dimensions):
        if not (0 <= dim < len(shape)) or d not in (1, shape[dim]):
            raise TypeError(errors.with_hint(f"broadcast_in_dim operand dimension sizes must either be 1, or be equal "
                            f"to their corresponding dimensions in the target broadcast shape; got "
                            f"operand of shape {a.shape}, target broadcast shape {shape}, "
                            f"broadcast_dimensions {broadcast_dimensions} ",
                "an operand axis of size n may only go to a target axis of size n (or be 1): check "
                "broadcast_dimensions."))
    return tuple(shape)


def _broadcast_in_dim_impl(x, shape, broadcast_dimensions, sharding=None):
    x = np.asarray(x)
    expanded = np.reshape(x, [x.shape[broadcast_dimensions.index(i)] if i in broadcast_dimensions else 1
                              for i in range(len(shape))])
    return np.broadcast_to(expanded, shape)


def _pp_broadcast_in_dim(params):
    dims = params["broadcast_dimensions"]
    return {"broadcast_dimensions": dims} if dims else {}


broadcast_in_dim_p = standard_primitive(
    "broadcast_in_dim", _broadcast_in_dim_impl, _broadcast_in_dim_shape, same_dtype,
    pp_params=_pp_broadcast_in_dim)


def _broadcast_in_dim_transpose(ct, x, shape, broadcast_dimensions, sharding=None):
    if type(ct) is Zero:
        return [None]
    in_shape = x.aval.shape
    unit = tuple(i for i, d in enumerate(in_shape) if d == 1 and shape[broadcast_dimensions[i]] != 1)
    summed = tuple(i for i in range(len(shape)) if i not in broadcast_dimensions)
    summed += tuple(broadcast_dimensions[i] for i in unit)
    out = reductions.reduce_sum(ct, tuple(sorted(summed))) if summed else ct
    if unit:
        out = reshape(out, in_shape)
    return [out]


def _broadcast_in_dim_batcher(args, dims, shape, broadcast_dimensions, sharding=None):
    x, = args
    d, = dims
    x = batching.moveaxis(x, d, 0)
    size = get_aval(x).shape[0]
    new_shape = (size,) + tuple(shape)
    new_dims = (0,) + tuple(b + 1 for b in broadcast_dimensions)
    return broadcast_in_dim(x, new_shape, new_dims), 0


deflinear2(broadcast_in_dim_p, _broadcast_in_dim_transpose)
batching.primitive_batchers[broadcast_in_dim_p] = _broadcast_in_dim_batcher


def broadcast_in_dim(x, shape, broadcast_dimensions):
    x = to_array(x)
    shape = tuple(int(s) for s in shape)
    dims = tuple(int(d) for d in broadcast_dimensions)
    if get_aval(x).shape == shape and dims == tuple(range(len(shape))) and not isinstance(x, core.Tracer):
        return x
    return broadcast_in_dim_p.bind(x, shape=shape, broadcast_dimensions=dims, sharding=None)


def broadcast(x, sizes):
    """Add leading dimensions of the given sizes."""
    x = to_array(x)
    ndim = get_aval(x).ndim
    return broadcast_in_dim(x, tuple(sizes) + get_aval(x).shape,
                            tuple(range(len(sizes), len(sizes) + ndim)))


register_lowering(broadcast_in_dim_p, lambda ctx, x, shape, broadcast_dimensions, **_: ctx.lax.broadcast_in_dim(
    x, shape, broadcast_dimensions), "xla")


def _reshape_shape(a, new_sizes, dimensions=None, sharding=None):
    if any(d < 0 for d in new_sizes):
        raise TypeError(errors.with_hint(f"reshape new_sizes must all be positive, got {tuple(new_sizes)}.",
            "sizes in a shape are counts, 0 or more."))
    if int(np.prod(new_sizes, dtype=np.int64)) != a.size:
        raise TypeError(errors.with_hint(f"reshape total size must be unchanged, got new_sizes {new_sizes} "
                        f"(of total size {int(np.prod(new_sizes))}) for shape {a.shape} "
                        f"(of total size {a.size}).",
            "a reshape keeps every element: the new sizes must multiply to the old total."))
    return tuple(new_sizes)


def _reshape_impl(x, new_sizes, dimensions=None, sharding=None):
    """`dimensions` is a transpose applied before reshaping, in row-major order."""
    return np.reshape(x if dimensions is None else np.transpose(x, dimensions), new_sizes)


def _pp_reshape(params):
    return {"dimensions": params.get("dimensions"), "new_sizes": params["new_sizes"], "sharding": None}


reshape_p = standard_primitive("reshape", _reshape_impl, _reshape_shape, same_dtype,
                               pp_params=_pp_reshape)


def _reshape_transpose(ct, x, new_sizes, dimensions=None, sharding=None):
    if dimensions is None:
        return [reshape(ct, x.aval.shape)]
    permuted = tuple(x.aval.shape[d] for d in dimensions)
    return [transpose(reshape(ct, permuted), tuple(np.argsort(dimensions).tolist()))]


deflinear2(reshape_p, _reshape_transpose)


def _reshape_batcher(args, dims, new_sizes, dimensions=None, sharding=None):
    x = batching.moveaxis(args[0], dims[0], 0)
    if dimensions is not None:
        dimensions = (0,) + tuple(d + 1 for d in dimensions)
    return reshape(x, (get_aval(x).shape[0],) + tuple(new_sizes), dimensions), 0


batching.primitive_batchers[reshape_p] = _reshape_batcher


def reshape(x, new_sizes, dimensions=None):
    x = to_array(x)
    new_sizes = tuple(int(s) for s in new_sizes)
    shape = get_aval(x).shape
    if dimensions is not None:
        dimensions = tuple(int(d) for d in dimensions)
        if dimensions == tuple(range(len(shape))):
            dimensions = None
    # As in JAX, a reshape to the same shape is skipped, except of a rank-0 tracer.
    if shape == new_sizes and dimensions is None and (shape or not isinstance(x, core.Tracer)):
        return x
    return reshape_p.bind(x, new_sizes=new_sizes, dimensions=dimensions, sharding=None)


register_lowering(reshape_p, lambda ctx, x, new_sizes, dimensions=None, **_: ctx.lax.reshape(x, new_sizes, dimensions),
                  "xla")

transpose_p = standard_primitive(
    "transpose", lambda x, permutation: np.transpose(x, permutation),
    lambda a, permutation: tuple(a.shape[i] for i in permutation), same_dtype)
deflinear2(transpose_p, lambda ct, x, permutation: [transpose(ct, tuple(np.argsort(permutation).tolist()))])


def _transpose_batcher(args, dims, permutation):
    x, d = args[0], dims[0]
    perm = tuple(p if p < d else p + 1 for p in permutation)
    return transpose(x, (d,) + perm), 0


batching.primitive_batchers[transpose_p] = _transpose_batcher


def transpose(x, permutation):
    x = to_array(x)
    permutation = tuple(int(p) for p in permutation)
    if permutation == tuple(range(get_aval(x).ndim)):
        return x
    return transpose_p.bind(x, permutation=permutation)


register_lowering(transpose_p, lowers_to(lambda lax: lax.transpose), "xla")

squeeze_p = standard_primitive(
    "squeeze", lambda x, dimensions: np.squeeze(x, dimensions),
    lambda a, dimensions: tuple(s for i, s in enumerate(a.shape) if i not in dimensions), same_dtype)
deflinear2(squeeze_p, lambda ct, x, dimensions: [reshape(ct, x.aval.shape)])


def _squeeze_batcher(args, dims, dimensions):
    x = batching.moveaxis(args[0], dims[0], 0)
    return squeeze(x, tuple(d + 1 for d in dimensions)), 0


batching.primitive_batchers[squeeze_p] = _squeeze_batcher


def squeeze(x, dimensions):
    x = to_array(x)
    ndim = get_aval(x).ndim
    dimensions = tuple(sorted(int(d) % ndim for d in dimensions))
    if not dimensions:
        return x
    return squeeze_p.bind(x, dimensions=dimensions)


def expand_dims(x, dimensions):
    x = to_array(x)
    if not len(dimensions):
        return x
    aval = get_aval(x)
    ndim_out = aval.ndim + len(dimensions)
    dims = sorted(int(d) % ndim_out for d in dimensions)
    shape = list(aval.shape)
    for d in dims:
        shape.insert(d, 1)
    kept = tuple(i for i in range(ndim_out) if i not in dims)
    return broadcast_in_dim(x, tuple(shape), kept)


register_lowering(squeeze_p, lowers_to(lambda lax: lax.squeeze), "xla")

rev_p = standard_primitive("rev", lambda x, dimensions: np.flip(x, dimensions),
                           lambda a, dimensions: a.shape, same_dtype)
deflinear2(rev_p, lambda ct, x, dimensions: [rev(ct, dimensions)])
batching.primitive_batchers[rev_p] = lambda args, dims, dimensions: (
    rev(args[0], tuple(d + (d >= dims[0]) for d in dimensions)), dims[0])


def rev(operand, dimensions):
    return rev_p.bind(to_array(operand), dimensions=tuple(int(d) for d in dimensions))


register_lowering(rev_p, lowers_to(lambda lax: lax.rev), "xla")


def _iota_impl(dtype, shape, dimension, sharding=None):
    idx = np.arange(shape[dimension], dtype=dtype)
    view = [1] * len(shape)
    view[dimension] = shape[dimension]
    return np.broadcast_to(idx.reshape(view), shape)


iota_p = standard_primitive("iota", _iota_impl, lambda dtype, shape, dimension, sharding=None: shape,
                            lambda dtype, shape, dimension, sharding=None: np.dtype(dtype), never_weak)


def iota(dtype, size):
    return broadcasted_iota(dtype, (size,), 0)


def broadcasted_iota(dtype, shape, dimension):
    if any(type(s) is int and s < 0 for s in shape):
        raise TypeError(f"iota shape must have every element be nonnegative, got {tuple(shape)}.")
    return iota_p.bind(dtype=dtypes.check_user_dtype(dtype, "broadcasted_iota"),
                       shape=tuple(int(s) for s in shape), dimension=int(dimension), sharding=None)


register_lowering(iota_p, lambda ctx, dtype, shape, dimension, **_: ctx.lax.broadcasted_iota(dtype, shape, dimension),
                  "xla")
