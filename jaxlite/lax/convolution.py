"""Convolutions: conv_general_dilated and the wrappers around it.

Mirrors jax/_src/lax/convolution.py. One primitive covers every convolution XLA knows: strides,
padding, lhs dilation (transposed convolution), rhs dilation (atrous convolution), any layout
(dimension numbers), and feature or batch groups. It is linear in each operand, and each
transpose is again a convolution.
"""
from typing import NamedTuple

import numpy as np

from jaxlite import dtypes
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.ad import Zero, is_undefined_primal
from jaxlite.interpreters.batching import not_mapped
from jaxlite.lax import lax, shapes
from jaxlite.lax.utils import check_dtypes, to_array, standard_primitive
from jaxlite.interpreters.lowering import register_lowering

__all__ = ["ConvDimensionNumbers", "conv_general_dilated", "conv", "conv_with_general_padding",
           "conv_dimension_numbers", "conv_general_permutations", "conv_transpose",
           "padtype_to_pads", "conv_general_dilated_p"]


class ConvDimensionNumbers(NamedTuple):
    """Where batch, feature and spatial dimensions sit in lhs, rhs and the output: each spec is
    (batch or out-feature dim, feature or in-feature dim, spatial dims...)."""
    lhs_spec: tuple
    rhs_spec: tuple
    out_spec: tuple


def conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers):
    """None, a ConvDimensionNumbers, or three layout strings like ("NHWC", "HWIO", "NHWC") as
    ConvDimensionNumbers."""
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        return dimension_numbers
    if len(lhs_shape) != len(rhs_shape):
        raise TypeError(with_hint(f"convolution requires lhs and rhs ndim to be equal, got {len(lhs_shape)} "
                        f"and {len(rhs_shape)}.",
            "the input and the kernel have the same rank: (batch, channels, *spatial) and (out, in, *spatial) by "
            "default."))
    if dimension_numbers is None:
        iota = tuple(range(len(lhs_shape)))
        return ConvDimensionNumbers(iota, iota, iota)
    if not isinstance(dimension_numbers, (list, tuple)):
        raise TypeError(with_hint(f"convolution dimension_numbers must be tuple/list or None, got "
                        f"{type(dimension_numbers)}.",
            "dimension_numbers is None or three strings such as ('NCHW', 'OIHW', 'NCHW'), or a "
            "ConvDimensionNumbers."))
    if len(dimension_numbers) != 3:
        raise TypeError(with_hint(f"convolution dimension_numbers list/tuple must be length 3, got "
                        f"{len(dimension_numbers)}.",
            "give three specifications: for the input, the kernel and the output, e.g. ('NHWC', 'HWIO', 'NHWC')."))
    if not all(isinstance(s, str) for s in dimension_numbers):
        raise TypeError(with_hint(f"convolution dimension_numbers elements must be strings, got "
                        f"{tuple(map(type, dimension_numbers))}.",
            "each specification is a string such as 'NCHW'."))
    for i, spec in enumerate(dimension_numbers):
        if len(spec) != len(lhs_shape):
            raise TypeError(with_hint(f"convolution dimension_numbers[{i}] must have len equal to the ndim of "
                            f"lhs and rhs, got {len(spec)} for lhs and rhs shapes {lhs_shape} and "
                            f"{rhs_shape}.",
                "each specification has one letter per axis of the arrays."))
    return ConvDimensionNumbers(*conv_general_permutations(dimension_numbers))


def conv_general_permutations(dimension_numbers):
    """The dimension permutations of three layout strings. Spatial dimensions are numbered in
    the order the kernel's layout string names them."""
    lhs, rhs, out = dimension_numbers
    pairs = (("N", "C"), ("O", "I"), ("N", "C"))
    for i, (a, b) in enumerate(pairs):
        spec = dimension_numbers[i]
        if not spec.count(a) == spec.count(b) == 1:
            raise TypeError(with_hint(f"convolution dimension_numbers[{i}] must contain the characters "
                            f"'{a}' and '{b}' exactly once, got {spec}.",
                "the input and output specifications have N (batch) and C (channels) once each; the kernel's has "
                "O and I."))
        if len(spec) != len(set(spec)):
            raise TypeError(with_hint(f"convolution dimension_numbers[{i}] cannot have duplicate characters, "
                            f"got {spec}.",
                "each letter stands for one axis, so it appears once in a specification."))
    if not set(lhs) - {"N", "C"} == set(rhs) - {"O", "I"} == set(out) - {"N", "C"}:
        raise TypeError(with_hint(f"convolution dimension_numbers elements must each have the same set of "
                        f"spatial characters, got {tuple(dimension_numbers)}.",
            "the three specifications use the same letters for the spatial axes, e.g. H and W in each."))
    spatial = [c for c in rhs if c not in "OI"]

    def perm(spec, pair):
        return (spec.index(pair[0]), spec.index(pair[1])) + tuple(spec.index(c) for c in spatial)
    return tuple(perm(spec, pair) for spec, pair in zip(dimension_numbers, pairs))


def padtype_to_pads(in_shape, window_shape, window_strides, padding):
    """'VALID' is no padding; 'SAME' (and 'SAME_LOWER') pad so that the output has
    ceil(in / stride) elements, the odd element at the end (at the start for SAME_LOWER)."""
    kind = padding.upper() if isinstance(padding, str) else padding
    if kind == "VALID":
        return [(0, 0)] * len(in_shape)
    if kind not in ("SAME", "SAME_LOWER"):
        raise RuntimeError(with_hint(f"Unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', "
                                     f"got {padding}.", "padding is 'VALID', 'SAME' or 'SAME_LOWER', or explicit "
                                     "(low, high) pairs per spatial axis, e.g. [(1, 1), (1, 1)]."))
    pads = []
    for n, k, s in zip(in_shape, window_shape, window_strides):
        out = -(-n // s)
        total = max((out - 1) * s + k - n, 0)
        small, large = total // 2, total - total // 2
        pads.append((small, large) if kind == "SAME" else (large, small))
    return pads


# ----------------------------------------------------------------------------------------------
# The primitive

def _dilate(n, d):
    return 0 if n == 0 else 1 + d * (n - 1)


def _conv_shape(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                dimension_numbers, feature_group_count, batch_group_count, **_):
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    if lhs.ndim != rhs.ndim:
        raise ValueError(with_hint(f"conv_general_dilated lhs and rhs must have the same number of dimensions, "
                                   f"but got {lhs.shape} and {rhs.shape}.",
                                   "the input is (batch, channels, *spatial) and the kernel (out, in, *spatial) "
                                   "by default: add the missing axes, e.g. x[None] for a batch of one."))
    if feature_group_count < 1:
        raise ValueError(with_hint(f"conv_general_dilated feature_group_count must be a positive integer, "
                         f"got {feature_group_count}.",
            "feature_group_count is 1 (a plain convolution) or a positive number of groups."))
    features = lhs.shape[lhs_spec[1]]
    if features % feature_group_count:
        raise ValueError(with_hint(f"conv_general_dilated feature_group_count must divide lhs feature "
                         f"dimension size, but {feature_group_count} does not divide {features}.",
            "feature_group_count must divide the number of input channels."))
    if features // feature_group_count != rhs.shape[rhs_spec[1]]:
        raise ValueError(with_hint(
            f"conv_general_dilated lhs feature dimension size divided by "
            f"feature_group_count must equal the rhs input feature dimension size, but "
            f"{features} // {feature_group_count} != {rhs.shape[rhs_spec[1]]}.",
            f"the kernel's input-feature axis must match the input's channels ({features} here): check the "
            "kernel's shape, or the dimension_numbers that say which axis is which."))
    out_features = rhs.shape[rhs_spec[0]]
    if out_features % feature_group_count:
        raise ValueError(with_hint(f"conv_general_dilated rhs output feature dimension size must be a multiple "
                         f"of feature_group_count, but {out_features} is not a multiple of "
                         f"{feature_group_count}.",
            "the kernel's output features must be a multiple of feature_group_count."))
    if batch_group_count < 1:
        raise ValueError(with_hint(f"conv_general_dilated batch_group_count must be a positive integer, "
                         f"got {batch_group_count}.",
            "batch_group_count is 1 or a positive number of groups."))
    batch = lhs.shape[lhs_spec[0]]
    if batch_group_count > 1 and batch % batch_group_count:
        raise ValueError(with_hint(f"conv_general_dilated batch_group_count must divide lhs batch dimension "
                         f"size, but {batch_group_count} does not divide {batch}.",
            "batch_group_count must divide the batch size."))
    if out_features % batch_group_count:
        raise ValueError(with_hint(f"conv_general_dilated rhs output feature dimension size must be a multiple "
                         f"of batch_group_count, but {out_features} is not a multiple of "
                         f"{batch_group_count}.",
            "the kernel's output features must be a multiple of batch_group_count."))
    if batch_group_count > 1 and feature_group_count > 1:
        raise ValueError(with_hint(f"At most one of batch_group_count and feature_group_count may be > 1, got "
                         f"batch_group_count={batch_group_count} and "
                         f"feature_group_count={feature_group_count}",
            "group either the features or the batch, not both."))
    if len(rhs_spec) - 2 != len(window_strides):
        raise ValueError(with_hint(f"conv_general_dilated window and window_strides must have the same number "
                         f"of dimensions, but got {len(rhs_spec) - 2} and {len(window_strides)}",
            "give one stride per spatial axis of the kernel."))
    if len(padding) != lhs.ndim - 2:
        raise TypeError(with_hint(f"Wrong number of explicit pads for convolution: expected {lhs.ndim - 2}, "
                        f"got {len(padding)}.",
            "give one (low, high) padding pair per spatial axis."))
    spatial = []
    for i in range(lhs.ndim - 2):
        n = _dilate(lhs.shape[lhs_spec[i + 2]], lhs_dilation[i]) + sum(padding[i])
        k = _dilate(rhs.shape[rhs_spec[i + 2]], rhs_dilation[i])
        if n < 0:
            raise ValueError(with_hint(f"Negative padding is larger than the size of the corresponding "
                             f"dimension: got padding={padding} for lhs_shape[2:]="
                             f"{tuple(lhs.shape[d] for d in lhs_spec[2:])}",
                "negative padding crops: it can remove at most the whole axis."))
        spatial.append(0 if n < k else (n - k) // window_strides[i] + 1)
    canonical = (batch // batch_group_count, out_features, *spatial)
    out = [0] * lhs.ndim
    for i, d in enumerate(out_spec):
        out[d] = canonical[i]
    return tuple(out)


def _conv_dtype(lhs, rhs, *, preferred_element_type, **_):
    check_dtypes("conv_general_dilated", [lhs, rhs], None)
    return lhs.dtype if preferred_element_type is None else np.dtype(preferred_element_type)


def _dilate_and_pad(x, dilation, padding):
    """Spatial axes (2, 3, ...) of x with dilation-1 zeros between elements, then low/high
    padding with zeros (negative padding crops)."""
    shape = x.shape[:2] + tuple(_dilate(n, d) for n, d in zip(x.shape[2:], dilation))
    dilated = np.zeros(shape, x.dtype)
    dilated[(Ellipsis, *[slice(None, None, d) for d in dilation])] = x
    widths = [(0, 0), (0, 0)] + [(max(lo, 0), max(hi, 0)) for lo, hi in padding]
    padded = np.pad(dilated, widths)
    crop = tuple(slice(max(-lo, 0), n - max(-hi, 0))
                 for (lo, hi), n in zip(padding, padded.shape[2:]))
    return padded[(slice(None), slice(None), *crop)]


def _conv_impl(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation, dimension_numbers,
               feature_group_count, batch_group_count, precision=None, preferred_element_type=None,
               out_sharding=None):
    """im2col: every output position's window as an axis of a strided view, contracted with the
    kernel by einsum. Computed in canonical layout (N, C, spatial...), then laid out as asked."""
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    dtype = np.result_type(lhs) if preferred_element_type is None else np.dtype(preferred_element_type)
    # bfloat16 accumulates in float32 and is rounded once at the end, as XLA does on a CPU.
    compute = np.dtype(np.float32) if dtype == dtypes.bfloat16 else dtype
    x = np.transpose(np.asarray(lhs), lhs_spec).astype(compute)
    w = np.transpose(np.asarray(rhs), rhs_spec).astype(compute)
    x = _dilate_and_pad(x, lhs_dilation, padding)
    w = _dilate_and_pad(w, rhs_dilation, [(0, 0)] * (w.ndim - 2))
    nsp = x.ndim - 2
    window = w.shape[2:]
    if any(n < k for n, k in zip(x.shape[2:], window)):  # no complete window: an empty output
        x = x[(Ellipsis, *[slice(0, 0)] * nsp)]
        patches = np.zeros(x.shape + window, compute)
    else:
        patches = np.lib.stride_tricks.sliding_window_view(x, window, axis=tuple(range(2, x.ndim)))
        patches = patches[(slice(None), slice(None), *[slice(None, None, s) for s in window_strides])]
    n, c = patches.shape[:2]
    o = w.shape[0]
    sp = "".join(chr(ord("p") + i) for i in range(nsp))   # output positions
    kw = "".join(chr(ord("h") + i) for i in range(nsp))   # offsets in the window
    if batch_group_count > 1:
        # The batch splits into groups; group g meets the g-th block of output features.
        g = batch_group_count
        patches = patches.reshape((g, n // g, c) + patches.shape[2:])
        w = w.reshape((g, o // g) + w.shape[1:])
        out = np.einsum(f"gnc{sp}{kw},gfc{kw}->ngf{sp}", patches, w, optimize=True)
        out = out.reshape((n // g, o) + out.shape[3:])
    else:
        # Input features split into groups; group g gives the g-th block of output features.
        g = feature_group_count
        patches = patches.reshape((n, g, c // g) + patches.shape[2:])
        w = w.reshape((g, o // g) + w.shape[1:])
        out = np.einsum(f"ngc{sp}{kw},gfc{kw}->ngf{sp}", patches, w, optimize=True)
        out = out.reshape((n, o) + out.shape[3:])
    return np.ascontiguousarray(np.transpose(out, np.argsort(out_spec))).astype(dtype)


conv_general_dilated_p = standard_primitive("conv_general_dilated", _conv_impl, _conv_shape, _conv_dtype)


# ----------------------------------------------------------------------------------------------
# Derivatives. Ignoring space, a convolution is the product [n, c] x [c, o] -> [n, o]; its
# transposes are products too: [n, o] x [o, c] -> [n, c] for the lhs, [c, n] x [n, o] -> [c, o] for
# the rhs, with the spatial windows flipped or swapped and the paddings worked out below.

def _swap_first_two(spec):
    return (spec[1], spec[0]) + tuple(spec[2:])


def _reshape_axis_into(src, dst, x):
    """Merge axis `src` into axis `dst` (numbered without src) as its major part."""
    shape = get_aval(x).shape
    perm = [i for i in range(len(shape)) if i != src]
    perm.insert(dst, src)
    new_shape = [shape[i] for i in range(len(shape)) if i != src]
    new_shape[dst] *= shape[src]
    return lax.reshape(x, new_shape, perm)


def _reshape_axis_out_of(src, size, x):
    """Split axis `src` into (size, rest)."""
    shape = list(get_aval(x).shape)
    shape[src:src + 1] = [size, shape[src] // size]
    return lax.reshape(x, shape)


def _lhs_transpose_padding(in_shape, window, strides, out_shape, padding, lhs_dilation, rhs_dilation):
    """The cotangent, spread out by the strides, is padded so that the flipped kernel slides over
    every position of the (dilated) input."""
    pads = []
    for n, k, s, m, (lo, _), ld, rd in zip(in_shape, window, strides, out_shape, padding,
                                           lhs_dilation, rhs_dilation):
        before = _dilate(k, rd) - lo - 1
        after = _dilate(n, ld) + _dilate(k, rd) - 1 - _dilate(m, s) - before
        pads.append((before, after))
    return tuple(pads)


def _rhs_transpose_padding(in_shape, window, strides, out_shape, padding, lhs_dilation, rhs_dilation):
    """The input is padded as in the forward pass at the start, and at the end so that the
    spread-out cotangent, used as a kernel, yields exactly the kernel's (dilated) size."""
    pads = []
    for n, k, s, m, (lo, _), ld, rd in zip(in_shape, window, strides, out_shape, padding,
                                           lhs_dilation, rhs_dilation):
        pads.append((lo, _dilate(m, s) - _dilate(n, ld) + _dilate(k, rd) - lo - 1))
    return tuple(pads)


def _conv_transpose_lhs(ct, lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                        dimension_numbers, feature_group_count, batch_group_count, precision=None,
                        preferred_element_type=None, out_sharding=None):
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    lhs_shape, rhs_shape, ct_shape = lhs.aval.shape, get_aval(rhs).shape, get_aval(ct).shape
    groups = max(feature_group_count, batch_group_count)
    if groups > 1:
        # Each group's block of output features becomes that group's block of input features.
        rhs = _reshape_axis_out_of(rhs_spec[0], groups, rhs)
        rhs = _reshape_axis_into(rhs_spec[0], rhs_spec[1], rhs)
    pads = _lhs_transpose_padding(
        [lhs_shape[d] for d in lhs_spec[2:]], [rhs_shape[d] for d in rhs_spec[2:]], window_strides,
        [ct_shape[d] for d in out_spec[2:]], padding, lhs_dilation, rhs_dilation)
    flipped = shapes.rev(rhs, tuple(rhs_spec[2:]))
    out = conv_general_dilated(
        ct, flipped, window_strides=lhs_dilation, padding=pads, lhs_dilation=window_strides,
        rhs_dilation=rhs_dilation,
        dimension_numbers=ConvDimensionNumbers(out_spec, _swap_first_two(rhs_spec), lhs_spec),
        feature_group_count=groups, batch_group_count=1,
        preferred_element_type=preferred_element_type)
    if get_aval(out).dtype != lhs.aval.dtype:
        out = lax.convert_element_type(out, lhs.aval.dtype)
    if batch_group_count > 1:
        out = _reshape_axis_out_of(lhs_spec[1], batch_group_count, out)
        out = _reshape_axis_into(lhs_spec[1], lhs_spec[0], out)
    return out


def _conv_transpose_rhs(ct, lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                        dimension_numbers, feature_group_count, batch_group_count, precision=None,
                        preferred_element_type=None, out_sharding=None):
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    lhs_shape, rhs_shape, ct_shape = get_aval(lhs).shape, rhs.aval.shape, get_aval(ct).shape
    # Feature groups of the forward pass are batch groups here, and the other way round.
    feature_groups, batch_groups = batch_group_count, feature_group_count
    pads = _rhs_transpose_padding(
        [lhs_shape[d] for d in lhs_spec[2:]], [rhs_shape[d] for d in rhs_spec[2:]], window_strides,
        [ct_shape[d] for d in out_spec[2:]], padding, lhs_dilation, rhs_dilation)
    out = conv_general_dilated(
        lhs, ct, window_strides=rhs_dilation, padding=pads, lhs_dilation=lhs_dilation,
        rhs_dilation=window_strides,
        dimension_numbers=ConvDimensionNumbers(_swap_first_two(lhs_spec), _swap_first_two(out_spec),
                                               _swap_first_two(rhs_spec)),
        feature_group_count=feature_groups, batch_group_count=batch_groups,
        preferred_element_type=preferred_element_type)
    if get_aval(out).dtype != rhs.aval.dtype:
        out = lax.convert_element_type(out, rhs.aval.dtype)
    return out


def _conv_transpose_rule(ct, lhs, rhs, **params):
    if type(ct) is Zero:
        return [None, None]
    if is_undefined_primal(lhs):
        return [_conv_transpose_lhs(ct, lhs, rhs, **params), None]
    return [None, _conv_transpose_rhs(ct, lhs, rhs, **params)]


def _rebind(params):
    """The parameters as conv_general_dilated's keyword arguments."""
    return {k: params[k] for k in ("window_strides", "padding", "lhs_dilation", "rhs_dilation",
                                   "dimension_numbers", "feature_group_count", "batch_group_count",
                                   "preferred_element_type")}


ad.defjvp(conv_general_dilated_p,
          lambda g, lhs, rhs, **p: conv_general_dilated(g, rhs, **_rebind(p)),
          lambda g, lhs, rhs, **p: conv_general_dilated(lhs, g, **_rebind(p)))
ad.primitive_transposes[conv_general_dilated_p] = _conv_transpose_rule


def _conv_batcher(args, dims, **params):
    """The vmapped axis is folded into a dimension the convolution already maps over: the lhs
    batch, the rhs output features, or (both batched) one more feature or batch group each."""
    lhs, rhs = args
    ld, rd = dims
    lhs_spec, rhs_spec, out_spec = params["dimension_numbers"]
    kw = _rebind(params)
    fgc, bgc = params["feature_group_count"], params["batch_group_count"]
    if ld is not not_mapped and rd is not not_mapped:
        size = get_aval(lhs).shape[ld]
        if bgc > 1:
            lhs = _reshape_axis_into(ld, lhs_spec[0], lhs)
            kw["batch_group_count"] = bgc * size
        else:
            lhs = _reshape_axis_into(ld, lhs_spec[1], lhs)
            kw["feature_group_count"] = fgc * size
        rhs = _reshape_axis_into(rd, rhs_spec[0], rhs)
        out = conv_general_dilated(lhs, rhs, **kw)
        return _reshape_axis_out_of(out_spec[1], size, out), out_spec[1]
    if ld is not not_mapped:
        size = get_aval(lhs).shape[ld]
        if bgc == 1:
            lhs = _reshape_axis_into(ld, lhs_spec[0], lhs)
        else:
            # Keep the batch groups outermost: the vmapped axis goes inside each group.
            lhs = _reshape_axis_out_of(lhs_spec[0] + (ld <= lhs_spec[0]), bgc, lhs)
            lhs = _reshape_axis_into(ld + (lhs_spec[0] < ld), lhs_spec[0] + 1, lhs)
            lhs = _reshape_axis_into(lhs_spec[0], lhs_spec[0], lhs)
        out = conv_general_dilated(lhs, rhs, **kw)
        return _reshape_axis_out_of(out_spec[0], size, out), out_spec[0]
    size = get_aval(rhs).shape[rd]
    if fgc == 1 and bgc == 1:
        rhs = _reshape_axis_into(rd, rhs_spec[0], rhs)
        out = conv_general_dilated(lhs, rhs, **kw)
        return _reshape_axis_out_of(out_spec[1], size, out), out_spec[1]
    # Groups stay outermost in the output features; the vmapped axis goes inside each group.
    groups = max(fgc, bgc)
    rhs = _reshape_axis_out_of(rhs_spec[0] + (rd <= rhs_spec[0]), groups, rhs)
    rhs = _reshape_axis_into(rd + (rhs_spec[0] < rd), rhs_spec[0] + 1, rhs)
    rhs = _reshape_axis_into(rhs_spec[0], rhs_spec[0], rhs)
    out = conv_general_dilated(lhs, rhs, **kw)
    out = _reshape_axis_out_of(out_spec[1], groups, out)
    out = _reshape_axis_out_of(out_spec[1] + 1, size, out)
    return _reshape_axis_into(out_spec[1], out_spec[1] + 1, out), out_spec[1]


batching.primitive_batchers[conv_general_dilated_p] = _conv_batcher


# ----------------------------------------------------------------------------------------------
# The functions users call

def conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation=None, rhs_dilation=None,
                         dimension_numbers=None, feature_group_count=1, batch_group_count=1,
                         precision=None, preferred_element_type=None, out_sharding=None):
    """An n-d convolution of `lhs` (inputs) with `rhs` (kernels). `padding` is 'SAME', 'VALID',
    'SAME_LOWER' or one (low, high) pair per spatial dimension."""
    lhs, rhs = to_array(lhs), to_array(rhs)
    lhs_shape, rhs_shape = get_aval(lhs).shape, get_aval(rhs).shape
    dnums = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    nsp = len(lhs_shape) - 2
    if lhs_dilation is None:
        lhs_dilation = (1,) * nsp
    elif isinstance(padding, str) and any(d != 1 for d in lhs_dilation):
        raise ValueError(with_hint("String padding is not implemented for transposed convolution using this "
                         "op. Please either exactly specify the required padding or use "
                         "conv_transpose.",
            "give explicit (low, high) padding pairs for a transposed convolution."))
    if rhs_dilation is None:
        rhs_dilation = (1,) * nsp
    if isinstance(padding, str):
        window = [_dilate(rhs_shape[d], r) for d, r in zip(dnums.rhs_spec[2:], rhs_dilation)]
        padding = padtype_to_pads([lhs_shape[d] for d in dnums.lhs_spec[2:]], window,
                                  window_strides, padding)
    else:
        try:
            padding = tuple((int(lo), int(hi)) for lo, hi in padding)
        except (ValueError, TypeError) as err:
            raise ValueError(with_hint(f"padding argument to conv_general_dilated should be a string or a "
                             f"sequence of (low, high) pairs, got {padding}",
                "padding is 'VALID', 'SAME' or a sequence of (low, high) pairs, one per spatial axis.")) from err
    if preferred_element_type is not None:
        preferred_element_type = dtypes.canonicalize_dtype(preferred_element_type)
    return conv_general_dilated_p.bind(
        lhs, rhs, window_strides=tuple(int(s) for s in window_strides),
        padding=tuple(tuple(p) for p in padding),
        lhs_dilation=tuple(int(d) for d in lhs_dilation),
        rhs_dilation=tuple(int(d) for d in rhs_dilation),
        dimension_numbers=ConvDimensionNumbers(*(tuple(int(i) for i in s) for s in dnums)),
        feature_group_count=int(feature_group_count), batch_group_count=int(batch_group_count),
        precision=None, preferred_element_type=preferred_element_type, out_sharding=None)


def conv(lhs, rhs, window_strides, padding, precision=None, preferred_element_type=None):
    """conv_general_dilated in the default NCHW / OIHW layout, without dilation."""
    return conv_general_dilated(lhs, rhs, window_strides, padding, precision=precision,
                                preferred_element_type=preferred_element_type)


def conv_with_general_padding(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation,
                              precision=None, preferred_element_type=None):
    return conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation=lhs_dilation,
                                rhs_dilation=rhs_dilation, precision=precision,
                                preferred_element_type=preferred_element_type)


def _conv_transpose_padding(k, s, padding):
    """Low and high padding of the dilated input of a transposed convolution, per dimension."""
    if padding == "SAME":
        total = k + s - 2
        low = k - 1 if s > k - 1 else -(-total // 2)
    elif padding == "VALID":
        total = k + s - 2 + max(k - s, 0)
        low = k - 1
    elif isinstance(padding, (tuple, list)):
        low, high = (k - p - 1 for p in padding)
        total = low + high
    else:
        raise ValueError(with_hint(f"Invalid padding mode: {padding}",
            "padding is 'VALID', 'SAME' or 'SAME_LOWER', or explicit (low, high) pairs."))
    return low, total - low


def conv_transpose(lhs, rhs, strides, padding, rhs_dilation=None, dimension_numbers=None,
                   transpose_kernel=False, precision=None, preferred_element_type=None,
                   use_consistent_padding=False):
    """The transposed ("deconvolution") convolution: lhs is spread out by `strides` and convolved
    with rhs; with transpose_kernel the kernel is flipped and its feature axes swapped, making
    this the gradient of conv_general_dilated with respect to its input."""
    lhs, rhs = to_array(lhs), to_array(rhs)
    lhs_shape, rhs_shape = get_aval(lhs).shape, get_aval(rhs).shape
    ndim = len(lhs_shape)
    if dimension_numbers is None:
        defaults = {2: ("NC", "IO", "NC"), 3: ("NHC", "HIO", "NHC"), 4: ("NHWC", "HWIO", "NHWC"),
                    5: ("NHWDC", "HWDIO", "NHWDC")}
        if ndim not in defaults:
            raise ValueError(with_hint("No 4+ dimensional dimension_number defaults.",
                "give dimension_numbers explicitly for convolutions with more than two spatial axes."))
        dimension_numbers = defaults[ndim]
    dn = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    if rhs_dilation is None:
        rhs_dilation = (1,) * (ndim - 2)
    if use_consistent_padding or (isinstance(padding, str) and padding in ("SAME", "VALID")):
        window = [_dilate(rhs_shape[d], r) for d, r in zip(dn.rhs_spec[2:], rhs_dilation)]
        per_dim = [padding] * len(strides) if isinstance(padding, str) else padding
        pads = [_conv_transpose_padding(k, s, p) for k, s, p in zip(window, strides, per_dim)]
    else:
        pads = padding
    if transpose_kernel:  # flip each spatial axis (one rev each, as JAX stages it), swap I and O
        for axis in dn.rhs_spec[2:]:
            rhs = shapes.rev(rhs, (axis,))
        rhs = _swap_kernel_features(rhs, dn.rhs_spec)
    return conv_general_dilated(lhs, rhs, (1,) * (ndim - 2), pads, strides, rhs_dilation, dn,
                                precision=precision, preferred_element_type=preferred_element_type)


def _swap_kernel_features(rhs, rhs_spec):
    perm = list(range(get_aval(rhs).ndim))
    perm[rhs_spec[0]], perm[rhs_spec[1]] = perm[rhs_spec[1]], perm[rhs_spec[0]]
    return lax.transpose(rhs, perm)


def _conv_on_xla(ctx, x, y, dimension_numbers, precision=None, out_sharding=None, **params):
    lax = ctx.lax
    return lax.conv_general_dilated(x, y, dimension_numbers=lax.ConvDimensionNumbers(*dimension_numbers), **params)


register_lowering(conv_general_dilated_p, _conv_on_xla, "xla")
