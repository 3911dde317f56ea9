"""jaxlite.numpy's einsum: parse the subscripts, then reduce each operand and contract pairs.

Mirrors jax/_src/numpy/einsum.py: einsum is lowered to dot_general, reduce_sum and transpose,
contracting the operands pairwise from left to right.
"""
import builtins

import numpy as np

from jaxlite import dtypes, errors, lax
from jaxlite.core import get_aval
from jaxlite.numpy.util import asarray_arg, convert


def einsum(subscripts, *operands, out=None, optimize="auto", precision=None,
           preferred_element_type=None):
    """Einstein summation, lowered to dot_general, reduce_sum and transpose as JAX does.

    Each operand first loses its repeated labels (a diagonal, by masking and summing) and the
    labels nobody else needs (summed out); then operands are contracted pairwise, left to right,
    and the result is transposed into the requested order."""
    operands = [asarray_arg(o) for o in operands]
    inputs, output = _parse_einsum(subscripts, [get_aval(o).shape for o in operands])
    dtype, weak = dtypes.result_type(*operands, return_weak_type_flag=True) if operands else (None, False)
    if preferred_element_type is not None:
        dtype, weak = dtypes.canonicalize_dtype(preferred_element_type), False
    terms = [_einsum_single(o, labels, output, inputs[:i] + inputs[i + 1:], dtype)
             for i, (o, labels) in enumerate(zip(operands, inputs))]
    result, labels = terms[0]
    for k, (operand, op_labels) in enumerate(terms[1:], start=1):
        rest = "".join(lbl for _, lbl in terms[k + 1:]) + output
        final = k == len(terms) - 1
        result, labels = _einsum_pair(result, labels, operand, op_labels, rest,
                                      output if final else None, dtype)
    if labels != output:
        extra = tuple(i for i, c in enumerate(labels) if c not in output)
        if extra:
            result = lax.reduce_sum(convert(result, dtype), extra)
            labels = "".join(c for c in labels if c in output)
        result = lax.transpose(result, [labels.index(c) for c in output])
    return convert(result, dtype, weak)


def _parse_einsum(subscripts, shapes):
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        lhs, output = subscripts.split("->")
    else:
        lhs, output = subscripts, None
    inputs = lhs.split(",")
    if len(inputs) != len(shapes):
        raise ValueError(errors.with_hint(f"Number of einsum subscripts, {len(inputs)}, must be equal to the "
                         f"number of operands, {len(shapes)}.",
            "give one comma-separated subscript per operand, e.g. jnp.einsum('ij,jk->ik', a, b)."))
    used = set(subscripts) - set(".,->")
    free = iter(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in used)
    ellipsis_rank = builtins.max([len(s) - len(t.replace("...", "")) for t, s in zip(inputs, shapes)
                                  if "..." in t] or [0])
    ellipsis = "".join(next(free) for _ in range(ellipsis_rank))
    expanded = []
    for k, (term, shp) in enumerate(zip(inputs, shapes)):
        if "..." in term:
            n = len(shp) - len(term.replace("...", ""))
            term = term.replace("...", ellipsis[ellipsis_rank - n:] if n else "")
        if len(term) != len(shp):
            raise ValueError(errors.with_hint(
                f"Einstein sum subscript '{inputs[k]}' does not contain the correct "
                f"number of indices for operand {k}.",
                f"give operand {k} one letter per axis: it has {len(shp)} axes (shape {shp})."))
        expanded.append(term)
    sizes = {}
    for k, (term, shp) in enumerate(zip(expanded, shapes)):
        for c, n in zip(term, shp):
            if c in sizes and n != sizes[c] and 1 not in (n, sizes[c]):
                raise ValueError(errors.with_hint(
                    f"Size of label '{c}' for operand {k} ({sizes[c]}) does not match "
                    f"previous terms ({n}).",
                    f"a label stands for one axis length wherever it appears, and '{c}' is {sizes[c]} in one "
                    f"operand and {n} in another: fix the subscripts or transpose an operand."))
            sizes[c] = n if c not in sizes or sizes[c] == 1 else sizes[c]
    if output is None:
        counts = {}
        for c in "".join(expanded):
            counts[c] = counts.get(c, 0) + 1
        output = ellipsis + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ellipsis))
    else:
        output = output.replace("...", ellipsis)
    return expanded, output


def _einsum_single(x, labels, output, others, dtype):
    """Sum out the labels nobody else needs, then reduce each repeated label to its diagonal."""
    keep = set(output).union(*others) if others else set(output)
    uniques = tuple(i for i, c in enumerate(labels) if c not in keep and labels.count(c) == 1)
    if uniques:
        x = lax.reduce_sum(convert(x, dtype), uniques)
        labels = "".join(c for i, c in enumerate(labels) if i not in uniques)
    for c in sorted(set(labels), key=labels.index):
        axes = [i for i, d in enumerate(labels) if d == c]
        if len(axes) > 1:
            x = convert(x, dtype)
            x = lax.select(_axes_equal_mask(get_aval(x).shape, axes), x, lax.full_like(x, 0))
            summed = axes if c not in keep else axes[:-1]
            x = lax.reduce_sum(x, tuple(summed))
            labels = "".join(d for i, d in enumerate(labels) if i not in summed)
    return x, labels


def _axes_equal_mask(shape_, axes):
    """True where the indices along all of `axes` are equal (a generalised identity matrix)."""
    sub_shape = tuple(shape_[i] for i in axes)
    iotas = [lax.broadcasted_iota(np.uint32, sub_shape, k) for k in range(len(axes))]
    mask = lax.eq(iotas[0], iotas[1])
    for iota in iotas[2:]:
        mask = lax.bitwise_and(mask, lax.eq(iotas[0], iota))
    return mask if len(axes) == len(shape_) else lax.broadcast_in_dim(mask, shape_, tuple(axes))


def _einsum_pair(lhs, lhs_labels, rhs, rhs_labels, rest, output, dtype):
    """One dot_general: shared labels still needed later are batch axes, the others contract."""
    for labels, other, x, side in ((lhs_labels, rhs_labels, lhs, 0), (rhs_labels, lhs_labels, rhs, 1)):
        ones = tuple(i for i, c in enumerate(labels) if c in other and get_aval(x).shape[i] == 1
                     and get_aval(rhs if side == 0 else lhs).shape[other.index(c)] != 1)
        if ones:
            x = lax.squeeze(x, ones)
            labels = "".join(c for i, c in enumerate(labels) if i not in ones)
            if side == 0:
                lhs, lhs_labels = x, labels
            else:
                rhs, rhs_labels = x, labels
    shared = [c for c in lhs_labels if c in rhs_labels]
    batch = [c for c in shared if c in rest]
    contract = [c for c in shared if c not in rest]
    lhs_free = [c for c in lhs_labels if c not in shared]
    rhs_free = [c for c in rhs_labels if c not in shared]
    if output is not None and "".join(batch + lhs_free + rhs_free) != output \
            and "".join(batch + rhs_free + lhs_free) == output:
        lhs, rhs, lhs_labels, rhs_labels = rhs, lhs, rhs_labels, lhs_labels
        lhs_free, rhs_free = rhs_free, lhs_free
    dims = ((tuple(lhs_labels.index(c) for c in contract), tuple(rhs_labels.index(c) for c in contract)),
            (tuple(lhs_labels.index(c) for c in batch), tuple(rhs_labels.index(c) for c in batch)))
    return lax.dot_general(lhs, rhs, dims, dtype), "".join(batch + lhs_free + rhs_free)
