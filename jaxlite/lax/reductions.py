"""Reductions and contractions, with their rules: reduce_sum, reduce_max, reduce_min,
reduce_prod, reduce_and, reduce_or, argmax and argmin; dot_general and dot.

Mirrors part of jax/_src/lax/lax.py, where JAX keeps these with the other basic primitives (it has no
separate file for them).
"""
import builtins

import numpy as np

from jaxlite import dtypes, errors
from jaxlite.core import get_aval
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters.ad import Zero, defjvp, defjvp2, deflinear2, defzero, is_undefined_primal
from jaxlite.interpreters.batching import not_mapped
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to
from jaxlite.lax import conversions, lax, shapes
from jaxlite.lax.utils import check_dtypes, dtype_checked, to_array, never_weak, standard_primitive

__all__ = ["argmax", "argmin", "dot", "dot_general", "reduce_and", "reduce_max", "reduce_min", "reduce_or",
           "reduce_prod", "reduce_sum",
           "argmax_p", "argmin_p", "dot_general_p", "reduce_and_p", "reduce_max_p", "reduce_min_p",
           "reduce_or_p", "reduce_prod_p", "reduce_sum_p"]


# ----------------------------------------------------------------------------------------------
# Reductions

def _reduce_shape(a, axes, out_sharding=None):
    for ax in axes:
        if not 0 <= ax < a.ndim:
            raise ValueError(errors.with_hint(f"reduction axes {axes} out of range for shape {a.shape}",
                "reduce over axes of the operand: from 0 to its rank minus 1."))
    return tuple(s for i, s in enumerate(a.shape) if i not in axes)


def _reducer(name, fn, kinds, pp_sharding=False):
    """`fn` is a ufunc's reduce (np.add.reduce is what np.sum calls, without its wrapper)."""
    pp = (lambda p: {"axes": p["axes"], "out_sharding": None}) if pp_sharding else None
    prim = standard_primitive(name, lambda x, axes, out_sharding=None: fn(x, axis=axes),
                              _reduce_shape, dtype_checked(name, kinds), pp_params=pp)
    numpy_codegen.fresh_output.add(prim)

    def batcher(args, dims, axes, out_sharding=None):
        d = dims[0]
        new_axes = tuple(a + (a >= d) for a in axes)
        out_d = d - builtins.sum(1 for a in new_axes if a < d)
        return prim.bind(args[0], axes=new_axes), out_d
    batching.primitive_batchers[prim] = batcher
    return prim


reduce_sum_p = _reducer("reduce_sum", np.add.reduce, "iufcb", pp_sharding=True)
reduce_max_p = _reducer("reduce_max", np.maximum.reduce, "iufcb")
reduce_min_p = _reducer("reduce_min", np.minimum.reduce, "iufcb")
reduce_prod_p = _reducer("reduce_prod", np.multiply.reduce, "iufc")
reduce_and_p = _reducer("reduce_and", np.logical_and.reduce, "b")
reduce_or_p = _reducer("reduce_or", np.logical_or.reduce, "b")
defzero(reduce_and_p)
defzero(reduce_or_p)


def _reduce_sum_transpose(ct, x, axes, out_sharding=None):
    shape = x.aval.shape
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    return [shapes.broadcast_in_dim(ct, shape, kept)]


deflinear2(reduce_sum_p, _reduce_sum_transpose)


def _reduce_chooser_jvp(g, ans, operand, *, axes, out_sharding=None):
    """d max: the tangent at the argmax, averaged over ties (as JAX does)."""
    shape = get_aval(operand).shape
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    location = lax.eq(operand, _expand_to(ans, shape, kept))
    location = conversions.convert_element_type(location, get_aval(g).dtype)
    counts = reduce_sum(location, axes)
    return lax.div(reduce_sum(lax.mul(g, location), axes), counts)


def _expand_to(x, shape, kept):
    reshaped_shape = tuple(shape[i] if i in kept else 1 for i in range(len(shape)))
    return shapes.reshape(x, reshaped_shape)


defjvp2(reduce_max_p, _reduce_chooser_jvp)
defjvp2(reduce_min_p, _reduce_chooser_jvp)


def _reduce_prod_jvp(g, ans, operand, *, axes, out_sharding=None):
    # d prod = sum_i g_i * prod_{j != i} x_j, computed with exclusive products to survive zeros.
    x = operand
    shape = get_aval(x).shape
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    perm = kept + tuple(axes)
    xt = shapes.transpose(x, perm)
    gt = shapes.transpose(g, perm)
    n_kept = len(kept)
    flat_shape = tuple(shape[i] for i in kept) + (-1,)
    flat_shape = flat_shape[:-1] + (int(np.prod([shape[a] for a in axes], dtype=np.int64)),)
    xf = shapes.reshape(xt, flat_shape)
    gf = shapes.reshape(gt, flat_shape)
    from jaxlite.lax import slicing
    axis = n_kept
    before = slicing.cumprod(xf, axis, reverse=False)
    after = slicing.cumprod(xf, axis, reverse=True)
    ones = lax.full_like(slicing.slice_in_dim(xf, 0, 1, axis=axis), 1)
    before = slicing.concatenate([ones, slicing.slice_in_dim(before, 0, flat_shape[-1] - 1, axis=axis)], axis)
    after = slicing.concatenate([slicing.slice_in_dim(after, 1, flat_shape[-1], axis=axis), ones], axis)
    return reduce_sum(lax.mul(gf, lax.mul(before, after)), (axis,))


defjvp2(reduce_prod_p, _reduce_prod_jvp)


def _argminmax(name, fn, comparison):
    def impl(x, axes, index_dtype):
        return fn(x, axis=axes[0]).astype(index_dtype)

    def dtype_rule(a, axes, index_dtype):
        # JAX finds the index with `comparison`, which does not order complex numbers.
        check_dtypes(comparison, [a, a], "iufb")
        return np.dtype(index_dtype)

    prim = standard_primitive(name, impl, lambda a, axes, index_dtype: _reduce_shape(a, axes),
                              dtype_rule, never_weak)

    def batcher(args, dims, axes, index_dtype):
        d = dims[0]
        new_axes = tuple(a + (a >= d) for a in axes)
        out_d = d - builtins.sum(1 for a in new_axes if a < d)
        return prim.bind(args[0], axes=new_axes, index_dtype=index_dtype), out_d
    batching.primitive_batchers[prim] = batcher
    defzero(prim)
    return prim


argmax_p = _argminmax("argmax", np.argmax, "gt")
argmin_p = _argminmax("argmin", np.argmin, "lt")


def _reduce(prim):
    def fn(x, axes):
        x = to_array(x)
        ndim = get_aval(x).ndim
        axes = tuple(sorted(int(a) % ndim if ndim else int(a) for a in axes))
        return prim.bind(x, axes=axes, out_sharding=None) if prim is reduce_sum_p else prim.bind(x, axes=axes)
    fn.__name__ = prim.name
    return fn


reduce_sum = _reduce(reduce_sum_p)
reduce_max = _reduce(reduce_max_p)
reduce_min = _reduce(reduce_min_p)
reduce_prod = _reduce(reduce_prod_p)
reduce_and = _reduce(reduce_and_p)
reduce_or = _reduce(reduce_or_p)


def argmax(x, axis, index_dtype):
    return argmax_p.bind(to_array(x), axes=(int(axis),), index_dtype=np.dtype(index_dtype))


def argmin(x, axis, index_dtype):
    return argmin_p.bind(to_array(x), axes=(int(axis),), index_dtype=np.dtype(index_dtype))


for _prim, _rule in [
    (reduce_sum_p, lambda ctx, x, axes, **_: ctx.lax.reduce_sum(x, axes)),
    (reduce_max_p, lowers_to(lambda lax: lax.reduce_max)),
    (reduce_min_p, lowers_to(lambda lax: lax.reduce_min)),
    (reduce_prod_p, lowers_to(lambda lax: lax.reduce_prod)),
    (reduce_and_p, lowers_to(lambda lax: lax.reduce_and)),
    (reduce_or_p, lowers_to(lambda lax: lax.reduce_or)),
    (argmax_p, lambda ctx, x, axes, index_dtype: ctx.lax.argmax(x, axes[0], index_dtype)),
    (argmin_p, lambda ctx, x, axes, index_dtype: ctx.lax.argmin(x, axes[0], index_dtype)),
]:
    register_lowering(_prim, _rule, "xla")


# ----------------------------------------------------------------------------------------------
# dot_general: contractions and batch dimensions in one primitive

def _dot_general_shape(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None,
                       out_sharding=None):
    (lc, rc), (lb, rb) = dimension_numbers
    for a, b in zip(lc, rc):
        if lhs.shape[a] != rhs.shape[b]:
            raise TypeError(errors.with_hint(f"dot_general requires contracting dimensions to have the same shape, "
                            f"got {tuple(lhs.shape[i] for i in lc)} and {tuple(rhs.shape[i] for i in rc)}.",
                "the contracting dimensions pair axes of equal size: check dimension_numbers and the shapes."))
    for a, b in zip(lb, rb):
        if lhs.shape[a] != rhs.shape[b]:
            raise TypeError(errors.with_hint("dot_general requires lhs batch dimensions and rhs batch dimensions to "
                            "have the same shape",
                "the batch dimensions pair axes of equal size in both operands: check dimension_numbers."))
    batch = tuple(lhs.shape[i] for i in lb)
    lfree = tuple(s for i, s in enumerate(lhs.shape) if i not in lc and i not in lb)
    rfree = tuple(s for i, s in enumerate(rhs.shape) if i not in rc and i not in rb)
    return batch + lfree + rfree


def _dot_general_dtype(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None,
                       out_sharding=None):
    if preferred_element_type is not None:
        return np.dtype(preferred_element_type)
    check_dtypes("dot_general", [lhs, rhs], None)
    return lhs.dtype


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _dot_general_impl(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None,
                      out_sharding=None):
    """BLAS where it applies (np.dot on transposed views, np.tensordot), einsum for batch dims:
    the same choice as jit's code generator, so eager and jitted code cost alike."""
    (lc, rc), (lb, rb) = dimension_numbers
    lhs, rhs = np.asarray(lhs), np.asarray(rhs)
    dtype = np.result_type(lhs, rhs) if preferred_element_type is None else np.dtype(preferred_element_type)
    if dtype == dtypes.bfloat16:  # accumulate in float32, round once at the end (as XLA on a CPU)
        return _dot_general_impl(lhs.astype(np.float32), rhs.astype(np.float32),
                                 dimension_numbers).astype(dtype)
    if lhs.dtype != dtype or rhs.dtype != dtype:  # accumulate in the promised type (int8 -> int32)
        lhs, rhs = lhs.astype(dtype), rhs.astype(dtype)
    if not lb:
        if lhs.ndim <= 2 and rhs.ndim <= 2 and len(lc) == 1 and lhs.ndim and rhs.ndim:
            return np.dot(lhs if lc[0] == lhs.ndim - 1 else lhs.T, rhs if rc[0] == 0 else rhs.T)
        return np.asarray(np.tensordot(lhs, rhs, axes=(list(lc), list(rc))))
    l_sub = list(_LETTERS[:lhs.ndim])
    r_sub = list(_LETTERS[lhs.ndim:lhs.ndim + rhs.ndim])
    for a, b in zip(lc, rc):
        r_sub[b] = l_sub[a]
    for a, b in zip(lb, rb):
        r_sub[b] = l_sub[a]
    out = ([l_sub[i] for i in lb] + [l_sub[i] for i in range(lhs.ndim) if i not in lc and i not in lb]
           + [r_sub[i] for i in range(rhs.ndim) if i not in rc and i not in rb])
    spec = f"{''.join(l_sub)},{''.join(r_sub)}->{''.join(out)}"
    return np.asarray(np.einsum(spec, lhs, rhs, optimize=lhs.ndim + rhs.ndim > 2))


def _pp_dot_general(params):
    """JAX prints precision and preferred_element_type only when they are set."""
    (lc, rc), (lb, rb) = params["dimension_numbers"]
    shown = {"dimension_numbers": f"(({list(lc)}, {list(rc)}), ({list(lb)}, {list(rb)}))"}
    for name in ("precision", "preferred_element_type"):
        value = params.get(name)
        if value is not None:
            shown[name] = value.name if isinstance(value, np.dtype) else value
    return shown


dot_general_p = standard_primitive("dot_general", _dot_general_impl, _dot_general_shape,
                                   _dot_general_dtype, pp_params=_pp_dot_general)


def _dot_general_codegen(em, eqn, ins):
    """Contractions without batch dimensions are np.dot or np.tensordot (BLAS), not einsum."""
    (lc, rc), (lb, rb) = eqn.params["dimension_numbers"]
    x, y = (v.aval for v in eqn.invars)
    if lb or x.dtype != eqn.outvars[0].aval.dtype or y.dtype != eqn.outvars[0].aval.dtype:
        return [em.generic(eqn, ins)]  # the impl accumulates in the promised dtype (int8 -> int32)
    if x.ndim <= 2 and y.ndim <= 2 and len(lc) == 1 and x.ndim and y.ndim:
        # A matrix (or vector) product: transposed views cost nothing, np.dot goes straight to BLAS.
        a = ins[0] if lc == (x.ndim - 1,) else f"{ins[0]}.T"
        b = ins[1] if rc == (0,) else f"{ins[1]}.T"
        return [em.assign(eqn, f"np.dot({a}, {b})")]
    return [em.assign(eqn, f"np.tensordot({ins[0]}, {ins[1]}, axes=({list(lc)}, {list(rc)}))")]


register_lowering(dot_general_p, _dot_general_codegen, "numpy")
numpy_codegen.fresh_output.add(dot_general_p)


def _ranges_like(*xs):
    start = 0
    for x in xs:
        yield tuple(range(start, start + len(x)))
        start += len(x)


def _remaining(original, *removed_lists):
    removed = set(i for r in removed_lists for i in r)
    return tuple(i for i in original if i not in removed)


def _argsort(seq):
    """np.argsort of a few axis numbers, without making arrays of them."""
    return tuple(sorted(range(len(seq)), key=seq.__getitem__))


def _dot_general_transpose_lhs(g, x, y, *, dimension_numbers, preferred_element_type=None,
                               swap_ans=False, precision=None, out_sharding=None):
    (x_contract, y_contract), (x_batch, y_batch) = dimension_numbers
    x_ndim = x.aval.ndim
    x_kept = _remaining(range(x_ndim), x_contract, x_batch)
    y_kept = _remaining(range(get_aval(y).ndim), y_contract, y_batch)
    if swap_ans:
        ans_batch, ans_y, _ = _ranges_like(x_batch, y_kept, x_kept)
    else:
        ans_batch, _, ans_y = _ranges_like(x_batch, x_kept, y_kept)
    dims = ((ans_y, y_kept), (ans_batch, y_batch))
    x_contract_sorted_by_y = tuple(x_contract[i] for i in _argsort(y_contract))
    out_axes = _argsort(tuple(x_batch) + x_kept + x_contract_sorted_by_y)
    out = shapes.transpose(dot_general(g, y, dims, preferred_element_type), tuple(out_axes))
    if get_aval(out).dtype != x.aval.dtype:
        out = conversions.convert_element_type(out, x.aval.dtype, x.aval.weak_type)
    return out


def _dot_general_transpose_rhs(g, x, y, *, dimension_numbers, preferred_element_type=None,
                               precision=None, out_sharding=None):
    (x_contract, y_contract), (x_batch, y_batch) = dimension_numbers
    swapped = ((y_contract, x_contract), (y_batch, x_batch))
    return _dot_general_transpose_lhs(g, y, x, dimension_numbers=swapped,
                                      preferred_element_type=preferred_element_type, swap_ans=True)


def _dot_general_transpose(ct, lhs, rhs, **params):
    if type(ct) is Zero:
        return [None, None]
    if is_undefined_primal(lhs):
        return [_dot_general_transpose_lhs(ct, lhs, rhs, **params), None]
    return [None, _dot_general_transpose_rhs(ct, lhs, rhs, **params)]


defjvp(dot_general_p,
       lambda g, x, y, **p: dot_general(g, y, p["dimension_numbers"], p.get("preferred_element_type")),
       lambda g, x, y, **p: dot_general(x, g, p["dimension_numbers"], p.get("preferred_element_type")))
ad.primitive_transposes[dot_general_p] = _dot_general_transpose


def _dot_general_batcher(args, dims, dimension_numbers, precision=None, preferred_element_type=None,
                         out_sharding=None):
    """Batched operands gain a batch dimension in dot_general's own batch dimensions."""
    lhs, rhs = args
    ld, rd = dims
    (lc, rc), (lb, rb) = dimension_numbers
    shift = lambda dims_, d: tuple(i + (d is not not_mapped and i >= d) for i in dims_)
    if ld is not not_mapped and rd is not not_mapped:
        lhs = batching.moveaxis(lhs, ld, 0)
        rhs = batching.moveaxis(rhs, rd, 0)
        new_dn = ((shift(lc, 0), shift(rc, 0)), ((0,) + shift(lb, 0), (0,) + shift(rb, 0)))
        return dot_general(lhs, rhs, new_dn, preferred_element_type), 0
    if ld is not not_mapped:
        lhs_c, lhs_b = shift(lc, ld), shift(lb, ld)
        new_dn = ((lhs_c, rc), (lhs_b, rb))
        out = dot_general(lhs, rhs, new_dn, preferred_element_type)
        # Where the batch axis lands: after batch dims, among lhs's free dims in order.
        lhs_free = [i for i in range(get_aval(lhs).ndim) if i not in lhs_c and i not in lhs_b]
        return out, len(lb) + lhs_free.index(ld)
    rhs_c, rhs_b = shift(rc, rd), shift(rb, rd)
    new_dn = ((lc, rhs_c), (lb, rhs_b))
    out = dot_general(lhs, rhs, new_dn, preferred_element_type)
    lhs_free = get_aval(lhs).ndim - len(lc) - len(lb)
    rhs_free = [i for i in range(get_aval(rhs).ndim) if i not in rhs_c and i not in rhs_b]
    return out, len(lb) + lhs_free + rhs_free.index(rd)


batching.primitive_batchers[dot_general_p] = _dot_general_batcher


def dot_general(lhs, rhs, dimension_numbers, preferred_element_type=None, precision=None):
    (lc, rc), (lb, rb) = dimension_numbers
    dn = ((tuple(int(i) for i in lc), tuple(int(i) for i in rc)),
          (tuple(int(i) for i in lb), tuple(int(i) for i in rb)))
    lhs, rhs = to_array(lhs), to_array(rhs)
    if preferred_element_type is not None:
        preferred_element_type = dtypes.canonicalize_dtype(preferred_element_type)
    return dot_general_p.bind(lhs, rhs, dimension_numbers=dn, precision=None,
                              preferred_element_type=preferred_element_type, out_sharding=None)


def dot(lhs, rhs, preferred_element_type=None, precision=None):
    lhs, rhs = to_array(lhs), to_array(rhs)
    contract = get_aval(lhs).ndim - 1
    return dot_general(lhs, rhs, (((contract,), (0,)), ((), ())), preferred_element_type)


register_lowering(dot_general_p, lambda ctx, x, y, dimension_numbers, preferred_element_type=None, **_: ctx.lax.dot_general(
    x, y, dimension_numbers, preferred_element_type=preferred_element_type), "xla")
