"""Slicing, concatenation, padding, gathers and scatters, and cumulative reductions.

Mirrors jax/_src/lax/slicing.py (and the cumulative reductions of jax/_src/lax/control_flow/loops.py).
"""
import numpy as np

from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.ad import Zero, deflinear, defjvp, is_undefined_primal
from jaxlite.lax import lax
from jaxlite.lax.lax import _to_array, standard_primitive, _same_dtype

__all__ = ["slice", "slice_in_dim", "concatenate", "cumsum", "cumprod", "cummax", "cummin"]


def _slice_shape(a, start_indices, limit_indices, strides):
    strides = strides or (1,) * a.ndim
    return tuple((hi - lo + s - 1) // s for lo, hi, s in zip(start_indices, limit_indices, strides))


def _slice_impl(x, start_indices, limit_indices, strides):
    strides = strides or (1,) * len(start_indices)
    return np.asarray(x)[tuple(np.s_[lo:hi:s] for lo, hi, s in zip(start_indices, limit_indices, strides))]


slice_p = standard_primitive("slice", _slice_impl, _slice_shape, _same_dtype)


def _slice_transpose(ct, x, start_indices, limit_indices, strides):
    shape = x.aval.shape
    strides = strides or (1,) * len(shape)
    lo = start_indices
    hi = tuple(s - l - ((ct_s - 1) * st + 1) for s, l, ct_s, st in zip(shape, lo, get_aval(ct).shape, strides))
    interior = tuple(st - 1 for st in strides)
    return [pad(ct, lax.full((), 0, get_aval(ct).dtype), tuple(zip(lo, hi, interior)))]


deflinear(slice_p, _slice_transpose)


def _slice_batcher(args, dims, start_indices, limit_indices, strides):
    x, d = args[0], dims[0]
    shape = get_aval(x).shape
    start = start_indices[:d] + (0,) + start_indices[d:]
    limit = limit_indices[:d] + (shape[d],) + limit_indices[d:]
    st = None if strides is None else strides[:d] + (1,) + strides[d:]
    return slice_p.bind(x, start_indices=start, limit_indices=limit, strides=st), d


batching.primitive_batchers[slice_p] = _slice_batcher


def slice(operand, start_indices, limit_indices, strides=None):
    return slice_p.bind(_to_array(operand), start_indices=tuple(map(int, start_indices)),
                        limit_indices=tuple(map(int, limit_indices)),
                        strides=None if strides is None else tuple(map(int, strides)))


def slice_in_dim(operand, start_index, limit_index, stride=1, axis=0):
    shape = get_aval(operand).shape
    start = [0] * len(shape)
    limit = list(shape)
    strides = [1] * len(shape)
    start[axis], limit[axis], strides[axis] = start_index, limit_index, stride
    return slice(operand, start, limit, None if stride == 1 else strides)


def _pad_shape(a, padding_value, padding_config):
    out = []
    for d, (lo, hi, interior) in zip(a.shape, padding_config):
        out.append(lo + hi + d + builtins_max(0, d - 1) * interior)
    return tuple(out)


def builtins_max(a, b):
    return a if a > b else b


def _pad_impl(x, padding_value, padding_config):
    x = np.asarray(x)
    shape = _pad_shape(get_aval(x), None, padding_config)
    out = np.full(tuple(s + builtins_max(0, -lo) + builtins_max(0, -hi) for s, (lo, hi, _) in
                        zip(shape, padding_config)), padding_value, dtype=x.dtype)
    idx = tuple(np.s_[builtins_max(lo, 0): builtins_max(lo, 0) + (d - 1) * (i + 1) + 1 if d else builtins_max(lo, 0): i + 1]
                for d, (lo, hi, i) in zip(x.shape, padding_config))
    out[idx] = x
    crop = tuple(np.s_[builtins_max(0, -lo): builtins_max(0, -lo) + s] for s, (lo, hi, _) in zip(shape, padding_config))
    return out[crop]


pad_p = standard_primitive("pad", _pad_impl, _pad_shape, lambda a, pv, padding_config: a.dtype)


def _pad_transpose(ct, operand, padding_value, padding_config):
    if type(ct) is Zero:
        return [None, None]
    lo = [l for l, _, _ in padding_config]
    hi = [h for _, h, _ in padding_config]
    interior = [i for _, _, i in padding_config]
    unpadded = pad(ct, lax.full((), 0, get_aval(ct).dtype),
                   tuple((-l, -h, 0) for l, h in zip(lo, hi)))
    shape = get_aval(unpadded).shape
    t_op = slice(unpadded, [0] * len(shape), shape, [i + 1 for i in interior])
    t_pv = lax.sub(lax.reduce_sum(ct, tuple(range(len(shape)))), lax.reduce_sum(t_op, tuple(range(len(shape)))))
    return [t_op if is_undefined_primal(operand) else None,
            t_pv if is_undefined_primal(padding_value) else None]


ad.primitive_jvps[pad_p] = lambda primals, tangents, padding_config: (
    pad_p.bind(*primals, padding_config=padding_config),
    pad_p.bind(*[ad.instantiate_zeros(t) for t in tangents], padding_config=padding_config))
ad.primitive_transposes[pad_p] = _pad_transpose


def pad(operand, padding_value, padding_config):
    operand = _to_array(operand)
    padding_value = _to_array(padding_value, get_aval(operand))
    return pad_p.bind(operand, padding_value,
                      padding_config=tuple((int(l), int(h), int(i)) for l, h, i in padding_config))


def _concatenate_shape(*avals, dimension):
    shape = list(avals[0].shape)
    shape[dimension] = sum(a.shape[dimension] for a in avals)
    return tuple(shape)


concatenate_p = standard_primitive(
    "concatenate", lambda *xs, dimension: np.concatenate(xs, axis=dimension), _concatenate_shape,
    lambda *avals, dimension: avals[0].dtype)


def _concatenate_transpose(ct, *operands, dimension):
    out = []
    start = 0
    for op in operands:
        size = (op.aval if is_undefined_primal(op) else get_aval(op)).shape[dimension]
        out.append(slice_in_dim(ct, start, start + size, axis=dimension) if is_undefined_primal(op) else None)
        start += size
    return out


def _concatenate_jvp(primals, tangents, dimension):
    out = concatenate_p.bind(*primals, dimension=dimension)
    if all(type(t) is Zero for t in tangents):
        return out, Zero.from_primal_value(out)
    tangents = [ad.instantiate_zeros(t) for t in tangents]
    return out, concatenate_p.bind(*tangents, dimension=dimension)


ad.primitive_jvps[concatenate_p] = _concatenate_jvp
ad.primitive_transposes[concatenate_p] = _concatenate_transpose


def _concatenate_batcher(args, dims, dimension):
    size = batching.axis_size_of(args, dims)
    args = [batching.bdim_at_front(x, d, size) for x, d in zip(args, dims)]
    return concatenate_p.bind(*args, dimension=dimension + 1), 0


batching.primitive_batchers[concatenate_p] = _concatenate_batcher


def concatenate(operands, dimension):
    operands = [_to_array(o) for o in operands]
    if len(operands) == 1:
        return operands[0]
    return concatenate_p.bind(*operands, dimension=int(dimension))


def _cumulative(name, np_fn):
    def impl(x, axis, reverse):
        x = np.asarray(x)
        if reverse:
            return np.flip(np_fn(np.flip(x, axis), axis=axis), axis)
        return np_fn(x, axis=axis)
    prim = standard_primitive(name, impl, lambda a, axis, reverse: a.shape, _same_dtype)

    def batcher(args, dims, axis, reverse):
        d = dims[0]
        return prim.bind(args[0], axis=axis + (axis >= d), reverse=reverse), d
    batching.primitive_batchers[prim] = batcher
    return prim


cumsum_p = _cumulative("cumsum", np.cumsum)
cumprod_p = _cumulative("cumprod", np.cumprod)
cummax_p = _cumulative("cummax", np.maximum.accumulate)
cummin_p = _cumulative("cummin", np.minimum.accumulate)
deflinear(cumsum_p, lambda ct, x, axis, reverse: [cumsum(ct, axis, not reverse)])


def cumsum(x, axis=0, reverse=False):
    return cumsum_p.bind(_to_array(x), axis=int(axis), reverse=bool(reverse))


def cumprod(x, axis=0, reverse=False):
    return cumprod_p.bind(_to_array(x), axis=int(axis), reverse=bool(reverse))


def cummax(x, axis=0, reverse=False):
    return cummax_p.bind(_to_array(x), axis=int(axis), reverse=bool(reverse))


def cummin(x, axis=0, reverse=False):
    return cummin_p.bind(_to_array(x), axis=int(axis), reverse=bool(reverse))
