"""The lax functions the primitive cases call, written with NumPy alone: each case's NumPy reference.

`case.fn(numpy_lax, *args)` computes what `case.fn(jaxlite.lax, *args)` must give, independently of
jaxlite's implementation, so a primitive that JAX's lax lacks (add_any) is still checked. Only the
values are references: dtypes and weak types are JAX's to decide, and checked against JAX.
"""
import builtins
import enum
import math
import types

import numpy as np
import scipy.integrate
import scipy.special

_F = np.float64


def _f(fn):
    """An elementwise function computed in float64 and returned in the operand's dtype."""
    def wrapped(*xs):
        dtype = np.result_type(*[np.asarray(x) for x in xs])
        return np.asarray(fn(*[np.asarray(x, _F) if dtype.kind == "f" else np.asarray(x) for x in xs])).astype(dtype)
    return wrapped


add = add_any = np.add
sub = np.subtract
mul = np.multiply
neg = np.negative
max = np.maximum
min = np.minimum
exp = _f(np.exp)
exp2 = _f(np.exp2)
log = _f(np.log)
log1p = _f(np.log1p)
expm1 = _f(np.expm1)
sin, cos, tan = _f(np.sin), _f(np.cos), _f(np.tan)
sinh, cosh, tanh = _f(np.sinh), _f(np.cosh), _f(np.tanh)
asin, acos, atan = _f(np.arcsin), _f(np.arccos), _f(np.arctan)
asinh, acosh, atanh = _f(np.arcsinh), _f(np.arccosh), _f(np.arctanh)
atan2 = _f(np.arctan2)
sqrt, cbrt = _f(np.sqrt), _f(np.cbrt)
rsqrt = _f(lambda x: 1 / np.sqrt(x))
logistic = _f(lambda x: 1 / (1 + np.exp(-x)))
erf = _f(np.vectorize(math.erf))
erfc = _f(np.vectorize(math.erfc))
erf_inv = _f(scipy.special.erfinv)
igamma = _f(scipy.special.gammainc)
igammac = _f(scipy.special.gammaincc)
betainc = _f(scipy.special.betainc)


def _igamma_da(a, x):
    """d/da of P(a, x) = (1/G(a)) int_0^x t^(a-1) e^-t dt: the integral with a log t factor, less
    digamma(a) P(a, x), by quadrature."""
    integral = scipy.integrate.quad(lambda t: np.log(t) * t ** (a - 1) * np.exp(-t), 0, x)[0]
    return integral / scipy.special.gamma(a) - scipy.special.digamma(a) * scipy.special.gammainc(a, x)


igamma_grad_a = _f(np.vectorize(_igamma_da))
square = np.square
abs = np.abs
sign = np.sign
floor, ceil = np.floor, np.ceil
is_finite = np.isfinite
nextafter = np.nextafter
pow = _f(np.power)
eq, ne, lt, le, gt, ge = np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal
bitwise_and, bitwise_or, bitwise_xor = np.bitwise_and, np.bitwise_or, np.bitwise_xor
stop_gradient = np.asarray


def div(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if np.result_type(x, y).kind in "iu":  # C division: towards zero
        return (np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y))).astype(np.result_type(x, y))
    return np.true_divide(x, y)


def rem(x, y):
    return np.fmod(x, y)


def integer_pow(x, y):
    x = np.asarray(x)
    return np.power(x.astype(_F) if x.dtype.kind == "f" else x, y).astype(x.dtype)


class RoundingMethod(enum.IntEnum):
    AWAY_FROM_ZERO = 0
    TO_NEAREST_EVEN = 1


def round(x, rounding_method=RoundingMethod.AWAY_FROM_ZERO):
    x = np.asarray(x)
    if rounding_method == RoundingMethod.TO_NEAREST_EVEN:
        return np.rint(x)
    return (np.sign(x) * np.floor(np.abs(x).astype(_F) + 0.5)).astype(x.dtype)


def select_n(which, *cases):
    which = np.asarray(which)
    return np.choose(which.astype(int), cases) if which.ndim else cases[int(which)]


def clamp(lo, x, hi):
    return np.minimum(np.maximum(x, lo), hi)


def convert_element_type(x, dtype):
    return np.asarray(x).astype(dtype)


def reduce_precision(x, exponent_bits, mantissa_bits):
    return np.asarray(x).astype(np.float16) if (exponent_bits, mantissa_bits) == (5, 10) else np.asarray(x)


def bitcast_convert_type(x, dtype):
    return np.asarray(x).view(dtype)


def broadcast_in_dim(x, shape, dims):
    x = np.asarray(x)
    return np.broadcast_to(x.reshape([x.shape[dims.index(i)] if i in dims else 1 for i in range(len(shape))]), shape)


def expand_dims(x, dims):
    return np.expand_dims(x, dims)


def reshape(x, shape, dimensions=None):
    return np.reshape(np.transpose(x, dimensions) if dimensions else x, shape)


def transpose(x, perm):
    return np.transpose(x, perm)


def squeeze(x, dims):
    return np.squeeze(x, tuple(dims))


def rev(x, dims):
    return np.flip(x, dims)


def iota(dtype, n):
    return np.arange(n, dtype=dtype)


def broadcasted_iota(dtype, shape, dim):
    return np.broadcast_to(np.arange(shape[dim], dtype=dtype).reshape([-1 if i == dim else 1 for i in range(len(shape))]),
                           shape)


def reduce_sum(x, axes):
    return np.sum(x, tuple(axes))


def reduce_max(x, axes):
    return np.max(x, tuple(axes))


def reduce_min(x, axes):
    return np.min(x, tuple(axes))


def reduce_prod(x, axes):
    return np.prod(x, tuple(axes))


def reduce_and(x, axes):
    return np.all(x, tuple(axes))


def reduce_or(x, axes):
    return np.any(x, tuple(axes))


def dot_general(x, y, dimension_numbers, preferred_element_type=None):
    (lc, rc), (lb, rb) = dimension_numbers
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    xs = [next(letters) for _ in range(np.ndim(x))]
    ys = [next(letters) for _ in range(np.ndim(y))]
    for a, b in zip(lc + lb, rc + rb):
        ys[b] = xs[a]
    out = ([xs[i] for i in lb] + [s for i, s in enumerate(xs) if i not in lc and i not in lb]
           + [s for i, s in enumerate(ys) if i not in rc and i not in rb])
    dtype = preferred_element_type or np.result_type(x, y)
    return np.einsum(f"{''.join(xs)},{''.join(ys)}->{''.join(out)}", np.asarray(x, dtype), np.asarray(y, dtype))


def concatenate(xs, dim):
    return np.concatenate(xs, dim)


def slice(x, start, limit, strides=None):
    return np.asarray(x)[tuple(np.s_[a:b:s] for a, b, s in zip(start, limit, strides or [1] * len(start)))]


def pad(x, padding_value, padding_config):
    """Axis by axis: the elements spread `interior` apart after `low` fill values and before `high`
    ones; a negative low or high edge crops that many instead."""
    out = np.asarray(x)
    value = np.asarray(padding_value).astype(out.dtype)
    for axis, (low, high, interior) in enumerate(padding_config):
        n = out.shape[axis]
        size = builtins.max(low, 0) + builtins.max(high, 0) + n + builtins.max(n - 1, 0) * interior
        grown = np.full(out.shape[:axis] + (size,) + out.shape[axis + 1:], value, out.dtype)
        where = [np.s_[:]] * out.ndim
        where[axis] = builtins.max(low, 0) + np.arange(n) * (interior + 1)
        grown[tuple(where)] = out
        where[axis] = np.s_[builtins.max(-low, 0):size - builtins.max(-high, 0)]
        out = grown[tuple(where)]
    return out


def cumsum(x, axis=0, reverse=False):
    return np.flip(np.cumsum(np.flip(x, axis), axis), axis) if reverse else np.cumsum(x, axis)


def cumprod(x, axis=0, reverse=False):
    return np.flip(np.cumprod(np.flip(x, axis), axis), axis) if reverse else np.cumprod(x, axis)


class _Primitive:
    """A primitive bound directly (`lax.copy_p.bind(x)`), as NumPy computes it."""

    def __init__(self, fn):
        self.bind = fn


copy_p = _Primitive(np.copy)


def top_k(x, k):
    order = np.argsort(-np.asarray(x), axis=-1, kind="stable")[..., :k]
    return [np.take_along_axis(x, order, -1), order.astype(np.int32)]


bitwise_not = np.invert
real, imag, conj = np.real, np.imag, np.conj
shift_left = np.left_shift
shift_right_arithmetic = np.right_shift


def complex(x, y):
    return np.asarray(x) + 1j * np.asarray(y)


def shift_right_logical(x, y):
    x = np.asarray(x)
    unsigned = x.view(f"u{x.dtype.itemsize}")
    return np.where(np.asarray(y) >= 8 * x.dtype.itemsize, 0, unsigned >> np.asarray(y).astype(unsigned.dtype)).astype(
        unsigned.dtype).view(x.dtype)


def population_count(x):
    x = np.asarray(x)
    return np.bitwise_count(x.view(f"u{x.dtype.itemsize}")).astype(x.dtype)


def argmax(x, axis, index_dtype):
    return np.argmax(x, axis).astype(index_dtype)


def argmin(x, axis, index_dtype):
    return np.argmin(x, axis).astype(index_dtype)


def cummax(x, axis=0, reverse=False):
    return np.flip(np.maximum.accumulate(np.flip(x, axis), axis), axis) if reverse else np.maximum.accumulate(x, axis)


def cummin(x, axis=0, reverse=False):
    return np.flip(np.minimum.accumulate(np.flip(x, axis), axis), axis) if reverse else np.minimum.accumulate(x, axis)


def sort(x, dimension=-1, is_stable=True, num_keys=1):
    if isinstance(x, (tuple, list)):
        order = np.lexsort([np.asarray(k) for k in x[:num_keys]][::-1], axis=dimension)
        return tuple(np.take_along_axis(np.asarray(v), order, dimension) for v in x)
    return np.sort(x, dimension, kind="stable")


def sort_key_val(keys, values, dimension=-1, is_stable=True):
    return sort((keys, values), dimension, is_stable, num_keys=1)


def dynamic_slice(x, starts, sizes):
    x = np.asarray(x)
    starts = [int(np.clip(s + (d if s < 0 else 0), 0, d - n)) for s, d, n in zip(starts, x.shape, sizes)]
    return x[tuple(np.s_[s:s + n] for s, n in zip(starts, sizes))]


def dynamic_update_slice(x, update, starts):
    x, update = np.array(x), np.asarray(update)
    starts = [int(np.clip(s + (d if s < 0 else 0), 0, d - n)) for s, d, n in zip(starts, x.shape, update.shape)]
    x[tuple(np.s_[s:s + n] for s, n in zip(starts, update.shape))] = update
    return x


# ----------------------------------------------------------------------------------------------
# Gather and scatter, element by element from XLA's definition of the dimension numbers

def _dimension_numbers(**defaults):
    """The cases give dimension numbers by keyword; the batching dims default to none."""
    return lambda **given: types.SimpleNamespace(**{**defaults, **given})


GatherDimensionNumbers = _dimension_numbers(operand_batching_dims=(), start_indices_batching_dims=())
ScatterDimensionNumbers = _dimension_numbers(operand_batching_dims=(), scatter_indices_batching_dims=())


def _window_start(operand_shape, index_vector, batch_index, index_map, operand_batching_dims,
                  indices_batching_dims):
    """Where one slice (or update window) starts in the operand: the index vector gives the start
    along the dims of `index_map`, the batch index itself along the batching dims, 0 elsewhere."""
    start = [0] * len(operand_shape)
    for k, d in enumerate(index_map):
        start[d] = int(index_vector[k])
    for operand_dim, indices_dim in zip(operand_batching_dims, indices_batching_dims):
        start[operand_dim] = batch_index[indices_dim]
    return start


def _fits(start, sizes, shape):
    return all(0 <= s <= d - n for s, n, d in zip(start, sizes, shape))


def _clamp(start, sizes, shape):
    return [builtins.min(builtins.max(s, 0), d - n) for s, n, d in zip(start, sizes, shape)]


def _gather_fill_value(dtype):
    if dtype.kind in "fc":
        return np.nan
    if dtype.kind in "iu":
        return np.iinfo(dtype).min if dtype.kind == "i" else np.iinfo(dtype).max
    return True


def gather(operand, start_indices, dimension_numbers, slice_sizes, *, unique_indices=False,
           indices_are_sorted=False, mode=None, fill_value=None):
    """For each batch index b (the indices' dims but the last): the slice of the operand starting at
    start_indices[b], its collapsed and batching dims dropped, its other dims at offset_dims of the
    output. "clip" and "promise_in_bounds" clamp the start so the slice fits; "fill" gives the
    fill value for the whole slice where it does not fit."""
    x, indices = np.asarray(operand), np.asarray(start_indices)
    dn = dimension_numbers
    window_dims = [d for d in range(x.ndim)
                   if d not in dn.collapsed_slice_dims and d not in dn.operand_batching_dims]
    batch_shape = indices.shape[:-1]
    rank = len(batch_shape) + len(dn.offset_dims)
    batch_dims = [i for i in range(rank) if i not in dn.offset_dims]
    out_shape = [0] * rank
    for i, n in zip(batch_dims, batch_shape):
        out_shape[i] = n
    for i, d in zip(dn.offset_dims, window_dims):
        out_shape[i] = slice_sizes[d]
    out = np.empty(out_shape, x.dtype)
    fill = _gather_fill_value(x.dtype) if fill_value is None else fill_value
    for b in np.ndindex(*batch_shape):
        start = _window_start(x.shape, indices[b], b, dn.start_index_map, dn.operand_batching_dims,
                              dn.start_indices_batching_dims)
        filled = mode == "fill" and not _fits(start, slice_sizes, x.shape)
        start = _clamp(start, slice_sizes, x.shape)
        for w in np.ndindex(*[slice_sizes[d] for d in window_dims]):
            source, target = list(start), [0] * rank
            for d, i, offset in zip(window_dims, dn.offset_dims, w):
                source[d] += offset
                target[i] = offset
            for i, bi in zip(batch_dims, b):
                target[i] = bi
            out[tuple(target)] = fill if filled else x[tuple(source)]
    return out


def _scatter(combine):
    """A scatter: each element of `updates` meets the operand element it addresses through `combine`
    (old, new) -> value, in the updates' order. An update's window starts at scatter_indices[b] (b:
    its dims but update_window_dims); "clip" clamps the start so the window fits, other modes drop a
    window that does not fit."""
    def scatter(operand, scatter_indices, updates, dimension_numbers, *, indices_are_sorted=False,
                unique_indices=False, mode=None):
        out, indices, updates = np.array(operand), np.asarray(scatter_indices), np.asarray(updates)
        dn = dimension_numbers
        window_dims = [d for d in range(out.ndim)
                       if d not in dn.inserted_window_dims and d not in dn.operand_batching_dims]
        batch_dims = [i for i in range(updates.ndim) if i not in dn.update_window_dims]
        sizes = [1] * out.ndim
        for d, i in zip(window_dims, dn.update_window_dims):
            sizes[d] = updates.shape[i]
        for u in np.ndindex(*updates.shape):
            b = tuple(u[i] for i in batch_dims)
            start = _window_start(out.shape, indices[b], b, dn.scatter_dims_to_operand_dims,
                                  dn.operand_batching_dims, dn.scatter_indices_batching_dims)
            if mode == "clip":
                start = _clamp(start, sizes, out.shape)
            elif not _fits(start, sizes, out.shape):
                continue
            target = list(start)
            for d, i in zip(window_dims, dn.update_window_dims):
                target[d] += u[i]
            out[tuple(target)] = combine(out[tuple(target)], updates[u])
        return out
    return scatter


scatter = _scatter(lambda old, new: new)
scatter_add = _scatter(np.add)
scatter_mul = _scatter(np.multiply)
scatter_min = _scatter(np.minimum)
scatter_max = _scatter(np.maximum)
