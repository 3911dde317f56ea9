"""cond and switch: one of several traced branches runs.

Mirrors jax/_src/lax/control_flow/conditionals.py. Every branch is traced to a jaxpr, and `cond_p`
carries them all; its rules transform each branch alike: jvp and vmap make new branches, linearize
splits each into a known and an unknown part sharing residual slots, transpose runs them backwards.
"""
import collections.abc

import numpy as np

from jaxlite import core, dtypes, tree_util
from jaxlite.core import Primitive, get_aval, set_current_trace
from jaxlite.errors import with_hint
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters import partial_eval as pe
from jaxlite.interpreters.ad import Zero
from jaxlite.interpreters.batching import not_mapped
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.lax import lax, selection
from jaxlite.lax.control_flow import common


def _check_branch_outputs(kind, funs, labels, trees, avals):
    """cond/switch: every branch must return the structure and types that branch 0 returns."""
    a = labels[0]
    for k in range(1, len(funs)):
        b = labels[k]
        where = f"{a} is {common.fun_where(funs[0])}\n{b} is {common.fun_where(funs[k])}\n"
        if trees[k] != trees[0]:
            t0, tk = common.python_type(trees[0]), common.python_type(trees[k])
            detail = (f"{a} output is {t0} but {b} output is {tk}, so their Python types differ."
                      if t0 != tk else f"{a} output has structure {trees[0]} but {b} output has "
                      f"structure {trees[k]}.")
            raise TypeError(with_hint(
                f"{kind} branch outputs must have the same pytree structure, but they "
                f"differ:\n\n{where}\n{detail}\n\nRevise {a} and/or {b} so that they "
                "have the same pytree structure.",
                f"make {_every_branch(kind)} return the same structure (the same tuple length, the same "
                "dict keys); where one has nothing to give, return a placeholder such as jnp.zeros(...)."))
        paths = common.leaf_paths(trees[0])
        diffs = [(path, x, y) for path, x, y in zip(paths, avals[0], avals[k])
                 if (x.shape, x.dtype) != (y.shape, y.dtype)]
        if diffs:
            at = lambda path: f" at path {path}" if trees[0].num_leaves > 1 or path else ""
            lines = [f"output of {a}{at(path)} has type {x.str_short(short_dtypes=False)} but the "
                     "corresponding output of "
                     f"{b} has type {y.str_short(short_dtypes=False)}, so the {common.what_differs(x, y)} do not match"
                     for path, x, y in diffs]
            detail = (f"The {lines[0]}." if len(lines) == 1 else
                      ";\n".join(f"  * the {line}" for line in lines) + ".")
            raise TypeError(with_hint(
                f"{kind} branches must have equal output types but they differ.\n\n"
                f"{where}\n{detail}\n\nRevise {a} and/or {b} so that all output types "
                "match.", _branch_types_hint(kind, diffs[0][1], diffs[0][2])))


def _every_branch(kind):
    return "both branches" if kind == "cond" else "every branch"


def _branch_types_hint(kind, x, y):
    if x.dtype != y.dtype:
        return (f"make {_every_branch(kind)} return the same dtype, e.g. cast with .astype(jnp.{x.dtype.name}) "
                "or use jnp.asarray(x, dtype).")
    return (f"make {_every_branch(kind)} return the same shape ({x.str_short()} here); to choose "
            "elementwise between arrays of different shapes, broadcast them and use jnp.where.")



# ----------------------------------------------------------------------------------------------
# cond and switch

cond_p = Primitive("cond")
cond_p.multiple_results = True


def _cond_impl(index, *args, branches):
    i = int(np.clip(int(np.asarray(index)), 0, len(branches) - 1))
    return common.typed_as(core.jaxpr_as_fun(branches[i])(*args), branches[0].out_avals)


def _cond_abstract_eval(index, *avals, branches):
    return branches[0].out_avals


cond_p.def_impl(_cond_impl)
cond_p.def_abstract_eval(_cond_abstract_eval)


def _cond_jvp(primals, tangents, *, branches):
    index, *ops = primals
    nonzeros = [type(t) is not Zero for t in tangents[1:]]
    new_branches = tuple(ad.jvp_jaxpr(br, nonzeros, instantiate=True)[0] for br in branches)
    outs = cond_p.bind(index, *ops, *[t for t in tangents[1:] if type(t) is not Zero],
                       branches=new_branches)
    n = len(branches[0].out_avals)
    return outs[:n], outs[n:]


def _cond_partial_eval(trace, tracers, *, branches):
    index, *ops = tracers
    if trace.is_unknown(index):
        return trace.stage(cond_p, tracers, dict(branches=branches))
    unknowns = [trace.is_unknown(t) for t in ops]
    # Outputs are unknown if any branch makes them so; every branch then agrees.
    out_uk = [False] * len(branches[0].out_avals)
    for br in branches:
        _, _, uk, _ = pe.partial_eval_jaxpr(br, unknowns)
        out_uk = [a or b for a, b in zip(out_uk, uk)]
    splits = [pe.partial_eval_jaxpr(br, unknowns, instantiate=out_uk) for br in branches]
    all_res, slots = _merge_residuals([k.out_avals[len(k.out_avals) - n:] for k, _, _, n in splits])
    n_known_out = sum(1 for u in out_uk if not u)
    known_ops = [t for t, u in zip(ops, unknowns) if not u]
    known_avals = [get_aval(t) for t in known_ops]

    def known_branch(k):
        known, _, _, n_res = splits[k]

        def fun(*xs):
            outs = core.jaxpr_as_fun(known)(*xs)
            mine = outs[len(outs) - n_res:]
            res = [None] * len(all_res)
            for i, r in zip(slots[k], mine):
                res[i] = r
            res = [lax.full(a.shape, 0, a.dtype) if r is None else r for r, a in zip(res, all_res)]
            return list(outs[:n_known_out]) + res
        return pe.trace_to_jaxpr(fun, known_avals)[0]

    def unknown_branch(k):
        _, unknown, _, n_res = splits[k]

        def fun(*xs):
            res, rest = xs[:len(all_res)], xs[len(all_res):]
            return core.jaxpr_as_fun(unknown)(*[res[i] for i in slots[k]], *rest)
        return pe.trace_to_jaxpr(fun, all_res + [get_aval(t) for t, u in zip(ops, unknowns) if u])[0]

    with set_current_trace(trace.parent_trace):
        known_outs = cond_p.bind(index, *known_ops,
                                 branches=tuple(known_branch(k) for k in range(len(branches))))
    residuals = known_outs[n_known_out:]
    unknown_outs = trace.stage(cond_p, [index] + list(residuals) + [t for t, u in zip(ops, unknowns) if u],
                               dict(branches=tuple(unknown_branch(k) for k in range(len(branches)))))
    known_it, unknown_it = iter(known_outs[:n_known_out]), iter(unknown_outs)
    return [next(unknown_it) if u else next(known_it) for u in out_uk]


def _merge_residuals(branch_res_avals):
    """One residual slot per type a branch needs, shared between branches (as JAX does): returns
    the slots' avals and, per branch, the slot of each of its residuals."""
    slot_of, avals, slots = {}, [], []
    for res_avals in branch_res_avals:
        seen, mine = {}, []
        for a in res_avals:
            tag = (a, seen.get(a, 0))
            seen[a] = tag[1] + 1
            if tag not in slot_of:
                slot_of[tag] = len(avals)
                avals.append(a)
            mine.append(slot_of[tag])
        slots.append(mine)
    return avals, slots


def _cond_transpose(cts, index, *ops, branches):
    linear = [ad.is_undefined_primal(o) for o in ops]
    res = [o for o, lin in zip(ops, linear) if not lin]
    cts = [ad.instantiate_zeros(ct) for ct in cts]
    new_branches = tuple(ad.transpose_jaxpr(br, linear) for br in branches)
    outs = iter(cond_p.bind(index, *res, *cts, branches=new_branches))
    return [None] + [next(outs) if lin else None for lin in linear]


def _cond_batcher(args, dims, *, branches):
    index, *ops = args
    index_dim, *op_dims = dims
    size = batching.axis_size_of(args, dims)
    if index_dim is not not_mapped:
        # A batched predicate: run every branch on the whole batch and select, as JAX does. Each
        # branch sees its operands through stop_gradient where it is not taken, so that reverse
        # mode gets no NaNs from a branch that was not taken.
        ops = [batching.bdim_at_front(o, d, size) for o, d in zip(ops, op_dims)]
        index = batching.moveaxis(index, index_dim, 0)
        outs = []
        for k, br in enumerate(branches):
            taken = lax.eq(index, lax.const(index, k))
            ops_k = [_select_batched(taken, lax.stop_gradient(o), o) for o in ops]
            case_outs, case_dims = batching.batch_fun(core.jaxpr_as_fun(br), size, [0] * len(ops))(*ops_k)
            outs.append([batching.move_out(o, d, 0, size) for o, d in zip(case_outs, case_dims)])
        results = [_select_batched(index, *case_outs) for case_outs in zip(*outs)]
        return results, [0] * len(results)
    # An output is batched if any branch makes it so; outputs no branch batches stay unbatched.
    op_batched = [d is not not_mapped for d in op_dims]
    out_batched = [any(bs) for bs in zip(*[batching.batched_outputs(br, op_batched) for br in branches])]
    out_dims = [0 if b else not_mapped for b in out_batched]
    new_branches = tuple(batching.batch_jaxpr(br, size, op_dims, out_dims)[0] for br in branches)
    outs = cond_p.bind(index, *ops, branches=new_branches)
    return outs, out_dims


def _select_batched(which, *cases):
    """select_n with a per-example `which` (shape (batch,)) broadcast over each example."""
    shape = get_aval(cases[0]).shape
    if len(shape) > 1:
        which = lax.broadcast_in_dim(which, shape, (0,))
    return selection.select_n(which, *cases)


def _cond_codegen(em, eqn, ins):
    index, *ops = ins
    names = [f"_branch{em.n_consts + k}" for k in range(len(eqn.params["branches"]))]
    em.n_consts += len(names)
    lines = []
    for name, br in zip(names, eqn.params["branches"]):
        lines += em.function(name, br)
    outs = ", ".join(em.name(v) for v in eqn.outvars) + ("," if len(eqn.outvars) == 1 else "")
    last = len(names) - 1
    lines.append(f"{outs} = ({', '.join(names)})[min(max(int({index}), 0), {last})]({', '.join(ops)})")
    return lines


ad.primitive_jvps[cond_p] = _cond_jvp
ad.primitive_transposes[cond_p] = _cond_transpose
pe.partial_eval_rules[cond_p] = _cond_partial_eval
batching.primitive_batchers[cond_p] = _cond_batcher
register_lowering(cond_p, _cond_codegen, "numpy")


_PRED_HINT = ("lax.cond takes one branch for the whole call: to choose elementwise use jnp.where(mask, x, y); "
              "for one decision reduce the mask with .any() or .all().")


def cond(pred, true_fun, false_fun, *operands, operand=None):
    """`true_fun(*operands)` if pred else `false_fun(*operands)`; both are traced, one runs."""
    if not (callable(true_fun) and callable(false_fun)):
        # JAX still reads the old form cond(pred, true_operand, true_fun, false_operand, false_fun).
        if callable(false_fun) and len(operands) == 2 and callable(operands[1]):
            x_true, f_true, x_false, f_false = true_fun, false_fun, *operands
            return cond(pred, lambda x, _: f_true(x), lambda _, x: f_false(x), x_true, x_false)
        raise TypeError(with_hint("lax.cond: true_fun and false_fun arguments should be callable.",
                                  "pass the branches as functions, e.g. lambda x: x + 1, followed by their "
                                  "operands: lax.cond(pred, true_fun, false_fun, x)."))
    operands = _operands(operands, operand)
    if pred is None:
        raise TypeError(with_hint("cond predicate is None",
                                  "the first argument is the predicate, a bool or a scalar array such as x > 0."))
    if isinstance(pred, collections.abc.Sequence):
        raise TypeError(with_hint(f"Pred must be a scalar, got {pred} of type {type(pred)}", _PRED_HINT))
    pred = lax.to_array(pred)
    aval = get_aval(pred)
    if aval.shape != ():
        raise TypeError(with_hint(f"Pred must be a scalar, got {pred} of shape {aval.shape}.", _PRED_HINT))
    if aval.dtype != np.bool_ and aval.dtype.kind not in "iuf":
        raise TypeError(with_hint(f"Pred type must be either boolean or number, got {aval.dtype.name}.",
                                  "compare to get a boolean predicate, e.g. x > 0."))
    if common.runs_as_python(pred):
        return true_fun(*operands) if common.concrete_value(pred) else false_fun(*operands)
    # A number is true when it is not zero (0.5 included), as in Python.
    index = lax.convert_element_type(pred if aval.dtype == np.bool_ else lax.ne(pred, lax.const(pred, 0)),
                                     np.int32)
    return _switch(index, (false_fun, true_fun), operands, "cond", ("false_fun", "true_fun"))


def _operands(operands, operand):
    """The operands, given positionally or (JAX's older form) as the one `operand=` keyword."""
    if operand is None:
        return operands
    if operands:
        raise TypeError(with_hint("if 'operand' keyword is passed then no positional operands can be "
                                  f"passed, got {operand=} and positional operands {operands}",
                                  "pass the operands either all positionally or as the one operand= keyword."))
    return (operand,)


def switch(index, branches, *operands, operand=None):
    """`branches[index](*operands)`, with index clamped into range as JAX does."""
    if not all(callable(branch) for branch in branches):
        raise TypeError(with_hint("lax.switch: branches argument should be a sequence of callables.",
                                  "pass a list of functions, e.g. [lambda x: x, lambda x: -x], then the operands."))
    operands = _operands(operands, operand)
    if np.ndim(index) != 0:
        raise TypeError(with_hint(f"Branch index must be scalar, got {index} of shape {np.shape(index)}.",
                                  "lax.switch takes one branch for the whole call: to pick per element, "
                                  "compute the branches and choose with jnp.choose or jnp.where."))
    index_dtype = dtypes.dtype(index)
    if index_dtype.kind not in "iu":
        raise TypeError(with_hint(f"Index type must be an integer, got {index} as {index_dtype}",
                                  "the branch index is an integer: convert it with index.astype(jnp.int32), "
                                  "or int(...) for a Python number."))
    branches = tuple(branches)
    if not branches:
        raise ValueError(with_hint("Empty branch sequence", "give lax.switch at least one branch function."))
    if common.runs_as_python(index):
        return branches[int(common.concrete_value(index))](*operands)
    index = lax.convert_element_type(lax.to_array(index), np.int32)
    if len(branches) == 1:
        return branches[0](*operands)
    index = selection.clamp(lax.const(index, 0), index, lax.const(index, len(branches) - 1))
    return _switch(index, branches, operands, "switch",
                   [f"branch {k}" for k in range(len(branches))])


def _switch(index, funs, operands, kind, labels):
    leaves, in_tree = tree_util.tree_flatten(operands)
    leaves = [lax.to_array(x) for x in leaves]
    avals = common.avals_of(leaves)
    # JAX traces cond's branches as (true_fun, false_fun), checks them and collects their constants
    # in that order: so does jaxlite (a branch's side effects at trace time come in that order too).
    order = [1, 0] if kind == "cond" else list(range(len(funs)))
    traced = [None] * len(funs)
    for k in order:
        traced[k] = common.initial_style_jaxpr(funs[k], in_tree, avals)
    out_trees = [t for _, _, t in traced]
    _check_branch_outputs(kind, [funs[k] for k in order], [labels[k] for k in order],
                          [out_trees[k] for k in order], [traced[k][0].out_avals for k in order])
    all_consts = [c for k in order for c in traced[k][1]]
    offset, spans = 0, {}
    for k in order:
        spans[k] = (offset, offset + len(traced[k][1]))
        offset = spans[k][1]
    branches = []
    for k, (jaxpr, _, _) in enumerate(traced):
        if not all_consts:
            branches.append(jaxpr)
            continue

        def fun(*xs, jaxpr=jaxpr, lo=spans[k][0], hi=spans[k][1]):
            return core.jaxpr_as_fun(jaxpr)(*xs[lo:hi], *xs[len(all_consts):])
        branches.append(pe.trace_to_jaxpr(fun, [get_aval(c) for c in all_consts] + avals)[0])
    outs = cond_p.bind(index, *all_consts, *leaves, branches=tuple(branches))
    return tree_util.tree_unflatten(out_trees[0], outs)


# ----------------------------------------------------------------------------------------------
# On XLA (jit's xla backend): JAX's own switch, with the branches as functions.

def _cond_on_xla(ctx, index, *args, branches):
    return ctx.lax.switch(index, [ctx.sub(b) for b in branches], *args)


register_lowering(cond_p, _cond_on_xla, "xla")
