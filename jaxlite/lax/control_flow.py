"""Structured control flow: cond, switch, while_loop, fori_loop, scan, map.

Mirrors jax/_src/lax/control_flow/{conditionals,loops}.py. Each construct traces its Python
functions to jaxprs once and becomes one primitive carrying them as params. Its rules transform
those jaxprs: jvp and vmap make new jaxprs, linearize splits them into known and unknown parts,
transpose runs them backwards, and the code generator writes the matching Python statement.
"""
import collections.abc
import inspect

import numpy as np

from jaxlite import core, dtypes, errors, tree_util
from jaxlite.config import config
from jaxlite.array import ArrayImpl
from jaxlite.core import ClosedJaxpr, Jaxpr, Primitive, get_aval, set_current_trace
from jaxlite.errors import with_hint
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters import partial_eval as pe
from jaxlite.interpreters.ad import Zero
from jaxlite.interpreters.batching import not_mapped
from jaxlite.lax import lax
from jaxlite.pjit import forward_known_inputs
from jaxlite.interpreters.lowering import register_lowering


# ----------------------------------------------------------------------------------------------
# Tracing user functions to jaxprs

def _trace(fun, in_tree, avals, what):
    """Trace a pytree function on abstract inputs: (closed jaxpr, out_tree)."""
    store = []

    def flat(*leaves):
        out = fun(*tree_util.tree_unflatten(in_tree, leaves))
        out_leaves, out_tree = tree_util.tree_flatten(out)
        store.append(out_tree)
        return [lax._to_array(x) for x in out_leaves]

    closed, _ = pe.trace_to_jaxpr(flat, avals)
    return _hoist_consts(closed), store[0]


def _hoist_consts(closed):
    """Make every const an explicit input: (jaxpr without consts, consts to pass as operands)."""
    jaxpr = closed.jaxpr
    return (ClosedJaxpr(Jaxpr([], jaxpr.constvars + jaxpr.invars, jaxpr.outvars, jaxpr.eqns), ()),
            list(closed.consts))


def _avals(leaves):
    return [get_aval(lax._to_array(x)) for x in leaves]


# Type errors worded as JAX words them: the first line says what differs, then where and how.

def _fun_where(fun):
    name = getattr(fun, "__name__", "<unnamed function>")
    where = pe.source_location(fun)
    return f"{name} at {where}" if where else name


def _python_type(tree):
    sentinel = object()
    example = tree_util.tree_unflatten(tree, [sentinel] * tree.num_leaves)
    return "a pytree leaf" if example is sentinel else f"a {type(example)}"


def _what_differs(a, b):
    parts = [w for w, same in (("shapes", a.shape == b.shape), ("dtypes", a.dtype == b.dtype))
             if not same]
    return " and ".join(parts)


def _leaf_paths(tree):
    paths = tree_util.tree_flatten_with_path(tree_util.tree_unflatten(tree, range(tree.num_leaves)))[0]
    return [tree_util.keystr(p) for p, _ in paths]


def _check_branch_outputs(kind, funs, labels, trees, avals):
    """cond/switch: every branch must return the structure and types that branch 0 returns."""
    a = labels[0]
    for k in range(1, len(funs)):
        b = labels[k]
        where = f"{a} is {_fun_where(funs[0])}\n{b} is {_fun_where(funs[k])}\n"
        if trees[k] != trees[0]:
            t0, tk = _python_type(trees[0]), _python_type(trees[k])
            detail = (f"{a} output is {t0} but {b} output is {tk}, so their Python types differ."
                      if t0 != tk else f"{a} output has structure {trees[0]} but {b} output has "
                      f"structure {trees[k]}.")
            raise TypeError(with_hint(
                f"{kind} branch outputs must have the same pytree structure, but they "
                f"differ:\n\n{where}\n{detail}\n\nRevise {a} and/or {b} so that they "
                "have the same pytree structure.",
                f"make {_every_branch(kind)} return the same structure (the same tuple length, the same "
                "dict keys); where one has nothing to give, return a placeholder such as jnp.zeros(...)."))
        paths = _leaf_paths(trees[0])
        diffs = [(path, x, y) for path, x, y in zip(paths, avals[0], avals[k])
                 if (x.shape, x.dtype) != (y.shape, y.dtype)]
        if diffs:
            at = lambda path: f" at path {path}" if trees[0].num_leaves > 1 or path else ""
            lines = [f"output of {a}{at(path)} has type {x._long()} but the corresponding output of "
                     f"{b} has type {y._long()}, so the {_what_differs(x, y)} do not match"
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


def _check_carry(kind, fun, in_tree, in_avals, out_tree, out_avals):
    """scan/while_loop: the body must return a carry of the structure and types it was given."""
    params = list(inspect.signature(fun).parameters) if _has_signature(fun) else []
    name = params[0] if params else "carry"
    if out_tree != in_tree:
        raise TypeError(with_hint(
            f"{kind} body function carry input and carry output must have the same "
            "pytree structure, but they differ:\n\n"
            f"The input carry {name} is {_python_type(in_tree)} but the corresponding "
            f"component of the carry output is {_python_type(out_tree)}, so their "
            "Python types differ.\n\nRevise the function so that the carry output has "
            "the same pytree structure as the carry input.",
            "return the new carry in the same structure as the initial one (the same tuple length and "
            "dict keys)" + (", and the per-step output second: return carry, y." if _loop(kind, fun) == "scan"
                            else ".")))
    paths = _leaf_paths(in_tree)
    diffs = [(path, x, y) for path, x, y in zip(paths, in_avals, out_avals)
             if (x.shape, x.dtype) != (y.shape, y.dtype)]
    if diffs:
        what = lambda path: f"carry component {name}{path}" if path else f"carry {name}"
        lines = [f"input {what(path)} has type {x._long()} but the corresponding output carry "
                 f"component has type {y._long()}, so the {_what_differs(x, y)} do not match"
                 for path, x, y in diffs]
        detail = (f"The {lines[0]}." if len(lines) == 1 else
                  ";\n".join(f"  * the {line}" for line in lines) + ".")
        raise TypeError(with_hint(
            f"{kind} body function carry input and carry output must have equal types, "
            f"but they differ:\n\n{detail}\n\nRevise the function so that all output "
            "types match the corresponding input types.",
            _carry_types_hint(_loop(kind, fun), diffs[0][1], diffs[0][2])))


def _loop(kind, body):
    """The loop a learner wrote: fori_loop with static bounds runs as a scan of its own `step`."""
    return "fori_loop" if getattr(body, "__qualname__", "") == "fori_loop.<locals>.step" else kind


def _carry_types_hint(kind, x, y):
    if x.dtype != y.dtype:
        return (f"the carry keeps its dtype from step to step: start from an initial value of dtype "
                f"{y.dtype.name} (e.g. jnp.{y.dtype.name}(0)), or cast the new carry with .astype(jnp.{x.dtype.name}).")
    grow = ("return the growing values as scan's per-step output instead (carry, y)" if kind == "scan"
            else "preallocate the full array and fill it with .at[i].set(...)")
    return f"the carry keeps its shape ({x.str_short()}) from step to step: {grow}."


def _has_signature(fun):
    try:
        inspect.signature(fun)
        return True
    except (TypeError, ValueError):
        return False


def _eval(closed, *args):
    return core.eval_jaxpr(closed.jaxpr, closed.consts, *args)


def _typed_as(outs, avals):
    """A construct's results carry the weak types of its abstract evaluation (a cond's branch 0,
    a loop body's outputs), whichever branch ran and however many iterations."""
    return [ArrayImpl(x._value, a.weak_type) if type(x) is ArrayImpl and x.weak_type != a.weak_type else x
            for x, a in zip(outs, avals)]


def _trace_flat(fun, avals):
    """Trace a function of flat arguments (a rule's helper, closing over no tracers) into a
    closed jaxpr; returns (closed jaxpr, []) so it reads like `_trace`."""
    closed, _ = pe.trace_to_jaxpr(fun, avals)
    if any(isinstance(c, core.Tracer) for c in closed.consts):
        return _hoist_consts(closed)
    return closed, []


# ----------------------------------------------------------------------------------------------
# cond and switch

cond_p = Primitive("cond")
cond_p.multiple_results = True


def _cond_impl(index, *args, branches):
    i = int(np.clip(int(np.asarray(getattr(index, "_value", index))), 0, len(branches) - 1))
    return _typed_as(_eval(branches[i], *args), branches[0].out_avals)


def _cond_abstract_eval(index, *avals, branches):
    return branches[0].out_avals


cond_p.def_impl(_cond_impl)
cond_p.def_abstract_eval(_cond_abstract_eval)


def _cond_jvp(primals, tangents, *, branches):
    index, *ops = primals
    nonzeros = [type(t) is not Zero for t in tangents[1:]]

    def jvp_branch(br):
        def fun(*args):
            n = len(ops)
            prim, nz = args[:n], iter(args[n:])
            tans = [next(nz) if z else Zero(ad.tangent_aval(get_aval(p))) for p, z in zip(prim, nonzeros)]
            outs, touts = ad.jvp_flat(lambda *xs: _eval(br, *xs), prim, tans)
            return list(outs) + [ad.instantiate_zeros(t) for t in touts]
        avals = [get_aval(o) for o in ops] + [ad.tangent_aval(get_aval(o)) for o, z in zip(ops, nonzeros) if z]
        return _trace_flat(fun, avals)

    new_branches = tuple(jvp_branch(br)[0] for br in branches)
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
            outs = _eval(known, *xs)
            mine = outs[len(outs) - n_res:]
            res = [None] * len(all_res)
            for i, r in zip(slots[k], mine):
                res[i] = r
            res = [lax.full(a.shape, 0, a.dtype) if r is None else r for r, a in zip(res, all_res)]
            return list(outs[:n_known_out]) + res
        return _trace_flat(fun, known_avals)[0]

    def unknown_branch(k):
        _, unknown, _, n_res = splits[k]

        def fun(*xs):
            res, rest = xs[:len(all_res)], xs[len(all_res):]
            return _eval(unknown, *[res[i] for i in slots[k]], *rest)
        return _trace_flat(fun, all_res + [get_aval(t) for t, u in zip(ops, unknowns) if u])[0]

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


def _transpose_jaxpr(closed, linear):
    """A jaxpr (non-linear inputs, output cotangents) -> cotangents of the linear inputs."""
    inner = closed.jaxpr
    nonlin_vars = [v for v, lin in zip(inner.invars, linear) if not lin]
    lin_vars = [v for v, lin in zip(inner.invars, linear) if lin]
    lin_jaxpr = Jaxpr(inner.constvars + nonlin_vars, lin_vars, inner.outvars, inner.eqns)
    n_nonlin = len(nonlin_vars)

    def fun(*args):
        res, cts = args[:n_nonlin], args[n_nonlin:]
        cts_in = ad.backward_pass(lin_jaxpr, list(closed.consts) + list(res), cts)
        return [ad.instantiate_zeros(c) for c in cts_in]

    avals = [v.aval for v in nonlin_vars] + [ad.tangent_aval(a) for a in closed.out_avals]
    return _trace_flat(fun, avals)[0]


def _cond_transpose(cts, index, *ops, branches):
    linear = [ad.is_undefined_primal(o) for o in ops]
    res = [o for o, lin in zip(ops, linear) if not lin]
    cts = [ad.instantiate_zeros(ct) for ct in cts]
    new_branches = tuple(_transpose_jaxpr(br, linear) for br in branches)
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
            taken = lax.eq(index, lax._const(index, k))
            ops_k = [_select_batched(taken, lax.stop_gradient(o), o) for o in ops]
            outs.append(batching.batch_flat(lambda *xs, br=br: _eval(br, *xs), size,
                                            [0] * len(ops), 0)(*ops_k))
        results = [_select_batched(index, *case_outs) for case_outs in zip(*outs)]
        return results, [0] * len(results)
    # An output is batched if any branch makes it so; outputs no branch batches stay unbatched.
    op_batched = [d is not not_mapped for d in op_dims]
    out_batched = [any(bs) for bs in zip(*[batching.batched_outputs(br, op_batched) for br in branches])]
    out_dims = [0 if b else not_mapped for b in out_batched]
    new_branches = tuple(
        _trace_flat(batching.batch_flat(lambda *xs, br=br: _eval(br, *xs), size, op_dims, out_dims),
                    [get_aval(o) for o in ops])[0] for br in branches)
    outs = cond_p.bind(index, *ops, branches=new_branches)
    return outs, out_dims


def _select_batched(which, *cases):
    """select_n with a per-example `which` (shape (batch,)) broadcast over each example."""
    shape = get_aval(cases[0]).shape
    if len(shape) > 1:
        which = lax.broadcast_in_dim(which, shape, (0,))
    return lax.select_n(which, *cases)


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
    if operand is not None:
        if operands:
            raise TypeError(with_hint("if 'operand' keyword is passed then no positional operands can be "
                                      f"passed, got {operand=} and positional operands {operands}",
                                      "pass the operands either all positionally or as the one operand= keyword."))
        operands = (operand,)
    if pred is None:
        raise TypeError(with_hint("cond predicate is None",
                                  "the first argument is the predicate, a bool or a scalar array such as x > 0."))
    if isinstance(pred, collections.abc.Sequence):
        raise TypeError(with_hint(f"Pred must be a scalar, got {pred} of type {type(pred)}", _PRED_HINT))
    pred = lax._to_array(pred)
    aval = get_aval(pred)
    if aval.shape != ():
        raise TypeError(with_hint(f"Pred must be a scalar, got {pred} of shape {aval.shape}.", _PRED_HINT))
    if aval.dtype != np.bool_ and aval.dtype.kind not in "iuf":
        raise TypeError(with_hint(f"Pred type must be either boolean or number, got {aval.dtype.name}.",
                                  "compare to get a boolean predicate, e.g. x > 0."))
    if _runs_as_python(pred):
        return true_fun(*operands) if _concrete_value(pred) else false_fun(*operands)
    # A number is true when it is not zero (0.5 included), as in Python.
    index = lax.convert_element_type(pred if aval.dtype == np.bool_ else lax.ne(pred, lax._const(pred, 0)),
                                     np.int32)
    return _switch(index, (false_fun, true_fun), operands, "cond", ("false_fun", "true_fun"))


def switch(index, branches, *operands, operand=None):
    """`branches[index](*operands)`, with index clamped into range as JAX does."""
    if not all(callable(branch) for branch in branches):
        raise TypeError(with_hint("lax.switch: branches argument should be a sequence of callables.",
                                  "pass a list of functions, e.g. [lambda x: x, lambda x: -x], then the operands."))
    if operand is not None:
        if operands:
            raise TypeError(with_hint("if 'operand' keyword is passed then no positional operands can be "
                                      f"passed, got {operand=} and positional operands {operands}",
                                      "pass the operands either all positionally or as the one operand= keyword."))
        operands = (operand,)
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
    if _runs_as_python(index):
        return branches[int(_concrete_value(index))](*operands)
    index = lax.convert_element_type(lax._to_array(index), np.int32)
    if len(branches) == 1:
        return branches[0](*operands)
    index = lax.clamp(lax._const(index, 0), index, lax._const(index, len(branches) - 1))
    return _switch(index, branches, operands, "switch",
                   [f"branch {k}" for k in range(len(branches))])


def _runs_as_python(x):
    """Under jax_disable_jit, control flow on a concrete value runs as Python does (a traced one,
    under vmap say, still needs the primitive)."""
    return config.read("jax_disable_jit") and _concrete_value(x) is not None


def _concrete_value(x):
    return x.to_concrete_value() if isinstance(x, core.Tracer) else np.asarray(getattr(x, "_value", x))


def _switch(index, funs, operands, kind, labels):
    leaves, in_tree = tree_util.tree_flatten(operands)
    leaves = [lax._to_array(x) for x in leaves]
    avals = _avals(leaves)
    traced = [_trace(f, in_tree, avals, "branch") for f in funs]
    out_trees = [t for _, t in traced]
    # JAX reports cond's branches as (true_fun, false_fun): check in that order.
    order = [1, 0] if kind == "cond" else list(range(len(funs)))
    _check_branch_outputs(kind, [funs[k] for k in order], [labels[k] for k in order],
                          [out_trees[k] for k in order], [traced[k][0][0].out_avals for k in order])
    all_consts = [c for (_, cs), _ in traced for c in cs]
    offsets = np.cumsum([0] + [len(cs) for (_, cs), _ in traced]).tolist()
    branches = []
    for k, ((jaxpr, cs), _) in enumerate(traced):
        if not all_consts:
            branches.append(jaxpr)
            continue

        def fun(*xs, jaxpr=jaxpr, lo=offsets[k], hi=offsets[k + 1]):
            return _eval(jaxpr, *xs[lo:hi], *xs[len(all_consts):])
        branches.append(_trace_flat(fun, [get_aval(c) for c in all_consts] + avals)[0])
    outs = cond_p.bind(index, *all_consts, *leaves, branches=tuple(branches))
    return tree_util.tree_unflatten(out_trees[0], outs)


# ----------------------------------------------------------------------------------------------
# while_loop and fori_loop

while_p = Primitive("while")
while_p.multiple_results = True


# The predicate may be batched (vmap makes it so, as in JAX): an array of booleans whose shape
# leads every carry's. The loop then runs while any element holds, and only the carries where
# it holds take the body's new values.

def _while_impl(*args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cconsts = args[:cond_nconsts]
    bconsts = args[cond_nconsts:cond_nconsts + body_nconsts]
    carry = list(args[cond_nconsts + body_nconsts:])
    pred = np.asarray(_eval(cond_jaxpr, *cconsts, *carry)[0])
    while pred.any():
        new = _eval(body_jaxpr, *bconsts, *carry)
        carry = new if pred.ndim == 0 else [_where_rows(pred, n, c, a) for n, c, a in
                                            zip(new, carry, body_jaxpr.out_avals)]
        pred = np.asarray(_eval(cond_jaxpr, *cconsts, *carry)[0])
    return _typed_as(carry, body_jaxpr.out_avals)


def _where_rows(pred, new, old, aval):
    """`new` where the batched predicate holds, else `old` (pred's shape leads the carry's)."""
    mask = pred.reshape(pred.shape + (1,) * (aval.ndim - pred.ndim))
    return ArrayImpl(np.where(mask, np.asarray(new), np.asarray(old)).astype(aval.dtype), aval.weak_type)


def _while_abstract_eval(*avals, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    return body_jaxpr.out_avals


while_p.def_impl(_while_impl)
while_p.def_abstract_eval(_while_abstract_eval)


def _while_jvp(primals, tangents, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cconsts = primals[:cond_nconsts]
    bconsts = primals[cond_nconsts:cond_nconsts + body_nconsts]
    carry = primals[cond_nconsts + body_nconsts:]
    bconst_t = tangents[cond_nconsts:cond_nconsts + body_nconsts]
    carry_t = tangents[cond_nconsts + body_nconsts:]
    bconst_nz = [type(t) is not Zero for t in bconst_t]
    # Carries that can be differentiated all get tangents, so the loop's types stay fixed.
    carry_nz = [get_aval(c).dtype.kind in "fc" for c in carry]
    nb, nc = len(bconsts), len(carry)

    def body(*args):
        bc, bct, c, ct = (args[:nb], args[nb:nb + sum(bconst_nz)],
                          args[nb + sum(bconst_nz):nb + sum(bconst_nz) + nc], args[nb + sum(bconst_nz) + nc:])
        bct_it, ct_it = iter(bct), iter(ct)
        t_bc = [next(bct_it) if z else Zero(ad.tangent_aval(get_aval(x))) for x, z in zip(bc, bconst_nz)]
        t_c = [next(ct_it) if z else Zero(ad.tangent_aval(get_aval(x))) for x, z in zip(c, carry_nz)]
        outs, touts = ad.jvp_flat(lambda *xs: _eval(body_jaxpr, *xs), list(bc) + list(c), t_bc + t_c)
        return list(outs) + [ad.instantiate_zeros(t) for t, z in zip(touts, carry_nz) if z]

    body_avals = ([get_aval(x) for x in bconsts] + [ad.tangent_aval(get_aval(x)) for x, z in
                                                    zip(bconsts, bconst_nz) if z]
                  + [get_aval(x) for x in carry] + [ad.tangent_aval(get_aval(x)) for x, z in
                                                    zip(carry, carry_nz) if z])
    new_body = _trace_flat(body, body_avals)[0]
    n_ct = sum(carry_nz)
    new_cond = _trace_flat(lambda *args: _eval(cond_jaxpr, *args[:cond_nconsts + nc]),
                           [get_aval(x) for x in cconsts] + [get_aval(x) for x in carry]
                           + [ad.tangent_aval(get_aval(x)) for x, z in zip(carry, carry_nz) if z])[0]
    init_t = [ad.instantiate_zeros(t) for t, z in zip(carry_t, carry_nz) if z]
    outs = while_p.bind(*cconsts, *bconsts, *[t for t in bconst_t if type(t) is not Zero], *carry,
                        *init_t, cond_jaxpr=new_cond, body_jaxpr=new_body, cond_nconsts=cond_nconsts,
                        body_nconsts=nb + sum(bconst_nz))
    primal_out, tangent_out = outs[:nc], iter(outs[nc:nc + n_ct])
    return primal_out, [next(tangent_out) if z else Zero(ad.tangent_aval(get_aval(c)))
                        for c, z in zip(carry, carry_nz)]


def _while_partial_eval(trace, tracers, **params):
    raise ValueError(with_hint("Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop "
                               "with dynamic start/stop values. Try using lax.scan, or using fori_loop with "
                               "static start/stop.",
                               "reverse mode must store every step, so the number of steps must be known: "
                               "loop a fixed number of times with lax.scan or fori_loop(0, n, ...) with a "
                               "Python int n, or use forward mode (jax.jacfwd, jax.jvp)."))


# As in JAX, transposing a while loop (its trip count unknown) raises the same error.
ad.primitive_transposes[while_p] = lambda cts, *args, **params: _while_partial_eval(None, args, **params)


def _while_batcher(args, dims, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    size = batching.axis_size_of(args, dims)
    nk = cond_nconsts + body_nconsts
    cconsts, bconsts, carry = args[:cond_nconsts], args[cond_nconsts:nk], args[nk:]
    cdims, bdims = dims[:cond_nconsts], dims[cond_nconsts:nk]
    is_batched = lambda ds: [d is not not_mapped for d in ds]
    carry_b = _batched_carries(body_jaxpr, is_batched(bdims), is_batched(dims[nk:]), [])
    pred_batched = batching.batched_outputs(cond_jaxpr, is_batched(cdims) + carry_b)[0]
    if pred_batched:
        # Every carry is batched, at axis 0 like the predicate; the primitive does the rest.
        carry_b, carry_dim = [True] * len(carry), 0
    else:
        # The batch axis goes after the (already batched) predicate's axes, which lead each carry.
        carry_dim = cond_jaxpr.out_avals[0].ndim
    carry = [_batch_axis_at(c, d, size, carry_dim) if b else c for c, d, b in zip(carry, dims[nk:], carry_b)]
    carry_dims = [carry_dim if b else not_mapped for b in carry_b]
    body_fun = batching.batch_flat(lambda *xs: _eval(body_jaxpr, *xs), size, list(bdims) + carry_dims,
                                   carry_dims)
    cond_fun = batching.batch_flat(lambda *xs: _eval(cond_jaxpr, *xs), size, list(cdims) + carry_dims,
                                   [0 if pred_batched else not_mapped])
    new_cond = _trace_flat(cond_fun, [get_aval(x) for x in cconsts] + [get_aval(x) for x in carry])[0]
    new_body = _trace_flat(body_fun, [get_aval(x) for x in bconsts] + [get_aval(x) for x in carry])[0]
    outs = while_p.bind(*cconsts, *bconsts, *carry, cond_jaxpr=new_cond, body_jaxpr=new_body,
                        cond_nconsts=cond_nconsts, body_nconsts=body_nconsts)
    return outs, carry_dims


def _batch_axis_at(x, d, size, dst):
    if d is not_mapped:
        return batching.broadcast_dim(x, size, dst)
    return batching.moveaxis(x, d, dst)


def _batched_carries(body, consts_b, carry_b, xs_b):
    """Which loop carries vmap must batch: those batched on entry, and those the body makes
    batched from batched inputs, repeated until nothing changes (a fixed point, as JAX finds)."""
    nc = len(carry_b)
    while True:
        out_b = batching.batched_outputs(body, consts_b + carry_b + xs_b)
        new = [a or b for a, b in zip(carry_b, out_b[:nc])]
        if new == carry_b:
            return carry_b
        carry_b = new


def _while_codegen(em, eqn, ins):
    p = eqn.params
    nc, nb = p["cond_nconsts"], p["body_nconsts"]
    k = em.n_consts
    em.n_consts += 1
    cond_name, body_name = f"_cond{k}", f"_body{k}"
    lines = em.function(cond_name, p["cond_jaxpr"]) + em.function(body_name, p["body_jaxpr"])
    cc, bc, carry = ins[:nc], ins[nc:nc + nb], ins[nc + nb:]
    outs = [em.name(v) for v in eqn.outvars]
    lhs = ", ".join(outs) + ("," if len(outs) == 1 else "")
    lines.append(f"{lhs} = ({', '.join(carry)}{',' if len(carry) == 1 else ''})")
    rank = p["cond_jaxpr"].out_avals[0].ndim
    if rank == 0:
        lines.append(f"while {cond_name}({', '.join(cc + outs)})[0]:")
        lines.append(f"    {lhs} = {body_name}({', '.join(bc + outs)})")
        return lines
    # A batched predicate: examples that are done keep their carry.
    pred, new = f"_pred{k}", f"_new{k}"
    lines.append(f"{pred} = {cond_name}({', '.join(cc + outs)})[0]")
    lines.append(f"while {pred}.any():")
    lines.append(f"    {new} = {body_name}({', '.join(bc + outs)})")
    for i, (name, v) in enumerate(zip(outs, eqn.outvars)):
        mask = f"{pred}.reshape({pred}.shape + {(1,) * (v.aval.ndim - rank)!r})"
        lines.append(f"    {name} = np.where({mask}, {new}[{i}], {name})")
    lines.append(f"    {pred} = {cond_name}({', '.join(cc + outs)})[0]")
    return lines


def _pp_while(params):
    return {k: params[k] for k in ("body_jaxpr", "body_nconsts", "cond_jaxpr", "cond_nconsts")}


while_p.pp_params = _pp_while
ad.primitive_jvps[while_p] = _while_jvp
pe.partial_eval_rules[while_p] = _while_partial_eval
batching.primitive_batchers[while_p] = _while_batcher
register_lowering(while_p, _while_codegen, "numpy")


def _while_cond_hint(aval):
    if aval.shape != ():
        return ("cond_fun must give one bool for the whole loop: reduce with jnp.all(...) or jnp.any(...), "
                "or compare a scalar.")
    return "cond_fun must return a bool: compare, e.g. x < 3.0, rather than return a number."


def while_loop(cond_fun, body_fun, init_val):
    """Repeat `body_fun` while `cond_fun` holds; the carry keeps one type throughout."""
    if config.read("jax_disable_jit"):
        try:
            val = tree_util.tree_map(lax._to_array, init_val)
            while cond_fun(val):
                val = tree_util.tree_map(lax._to_array, body_fun(val))
            return val
        except errors.ConcretizationTypeError:
            pass  # a traced predicate (under vmap, say): the loop needs the primitive
    raw, tree = tree_util.tree_flatten(init_val)
    leaves = [lax._to_array(x) for x in raw]
    args_tree = tree_util.tree_structure((init_val,))

    def trace_loop(avals):
        (cond_jaxpr, cconsts), cond_tree = _trace(cond_fun, args_tree, avals, "cond_fun")
        out = cond_jaxpr.out_avals
        if len(out) != 1:
            raise TypeError(with_hint(f"cond_fun must return a boolean scalar, but got pytree {cond_tree}.",
                                      "cond_fun returns one bool saying whether to go on: combine conditions "
                                      "with & or jnp.logical_and."))
        if out[0].shape != () or out[0].dtype != np.bool_:
            raise TypeError(with_hint(f"cond_fun must return a boolean scalar, but got output type(s) {out}.",
                                      _while_cond_hint(out[0])))
        (body_jaxpr, bconsts), body_tree = _trace(body_fun, args_tree, avals, "body_fun")
        return cond_jaxpr, cconsts, body_jaxpr, bconsts, body_tree

    avals = _avals(leaves)
    cond_jaxpr, cconsts, body_jaxpr, bconsts, body_tree = trace_loop(avals)
    if body_tree == tree:
        raw, changed = _promote_weak_carry(raw, avals, body_jaxpr.out_avals)
        if changed:
            leaves = [lax._to_array(x) for x in raw]
            avals = _avals(leaves)
            cond_jaxpr, cconsts, body_jaxpr, bconsts, body_tree = trace_loop(avals)
    _check_carry("while_loop", body_fun, tree, avals, body_tree, body_jaxpr.out_avals)
    # A carry the body passes on unchanged and the predicate never reads is a constant of the
    # body (JAX does the same: vmap then need not batch it along with the carry).
    nb = len(bconsts)
    passed_on = [f == nb + i for i, f in enumerate(_forwarding(body_jaxpr.jaxpr))]
    read = _used_inputs(cond_jaxpr.jaxpr)[len(cconsts):]
    to_const = [p and not r for p, r in zip(passed_on, read)]
    if any(to_const):
        cond_jaxpr = _drop_inputs(cond_jaxpr, [False] * len(cconsts) + to_const)
        body_jaxpr = _carries_to_consts(body_jaxpr, nb, to_const)
        bconsts = [x for x, m in zip(leaves, to_const) if m] + list(bconsts)
        leaves = [x for x, m in zip(leaves, to_const) if not m]
    outs = while_p.bind(*cconsts, *bconsts, *leaves, cond_jaxpr=cond_jaxpr, body_jaxpr=body_jaxpr,
                        cond_nconsts=len(cconsts), body_nconsts=len(bconsts))
    outs = _merge(to_const, outs, raw)
    return tree_util.tree_unflatten(tree, outs)


def _forwarding(jaxpr):
    """For each output of a jaxpr, the index of the input it simply is (or None)."""
    position = {v: i for i, v in enumerate(jaxpr.invars)}
    return [position.get(v) if type(v) is core.Var else None for v in jaxpr.outvars]


def _used_inputs(jaxpr):
    live_part = pe.dce_jaxpr(jaxpr)
    live = {v for v in live_part.outvars if type(v) is core.Var}
    for eqn in live_part.eqns:
        live.update(v for v in eqn.invars if type(v) is core.Var)
    return [v in live for v in jaxpr.invars]


def _drop_inputs(closed, drop):
    """The jaxpr without its dead equations and without the (unused) inputs marked in `drop`."""
    inner = pe.dce_jaxpr(closed.jaxpr)
    invars = [v for v, d in zip(inner.invars, drop) if not d]
    return ClosedJaxpr(Jaxpr(inner.constvars, invars, inner.outvars, inner.eqns), closed.consts)


def _carries_to_consts(closed, n_consts, to_const):
    """A loop body with the carries marked in `to_const` turned into its first constants."""
    inner = closed.jaxpr
    nc = len(to_const)
    carry = inner.invars[n_consts:n_consts + nc]
    invars = ([v for v, m in zip(carry, to_const) if m] + inner.invars[:n_consts]
              + [v for v, m in zip(carry, to_const) if not m] + inner.invars[n_consts + nc:])
    outvars = [v for v, m in zip(inner.outvars[:nc], to_const) if not m] + inner.outvars[nc:]
    return ClosedJaxpr(Jaxpr(inner.constvars, invars, outvars, inner.eqns), closed.consts)


def _merge(to_const, outs, init):
    """Loop outputs back in carry order: a carry the body passes on unchanged comes out as the
    initial value it was (a Python scalar stays one, as in JAX)."""
    outs = iter(outs)
    return [x if m else next(outs) for m, x in zip(to_const, init)]


def _promote_weak_carry(leaves, in_avals, out_avals):
    """JAX's rule for a weakly typed initial carry (a Python scalar) whose body returns another
    type: it starts as the type the two promote to, strongly typed, and the body is traced again.
    Returns (leaves, whether any changed)."""
    out, changed = [], False
    for x, a, o in zip(leaves, in_avals, out_avals):
        if a.weak_type and (a.shape, a.dtype) != (o.shape, o.dtype):
            dtype, _ = dtypes.result_type_and_weak((a.dtype, True), (o.dtype, o.weak_type))
            x, changed = lax.convert_element_type(x, dtype), True
        out.append(x)
    return out, changed


def _concrete_int(x):
    if isinstance(x, core.Tracer):
        value = x.to_concrete_value()
        return None if value is None else int(value)
    return int(np.asarray(getattr(x, "_value", x)))


def _fori_bounds_dtype(lower, upper):
    """Both bounds have one dtype, except that a weakly typed signed integer (a Python int)
    takes the other bound's signed integer type, as in JAX."""
    lo_dtype, hi_dtype = dtypes.dtype(lower), dtypes.dtype(upper)
    if lo_dtype == hi_dtype:
        return lo_dtype
    if lo_dtype.kind == "i" and hi_dtype.kind == "i":
        lo_weak, hi_weak = dtypes.is_weakly_typed(lower), dtypes.is_weakly_typed(upper)
        if lo_weak and not hi_weak:
            return hi_dtype
        if hi_weak and not lo_weak:
            return lo_dtype
    raise TypeError(with_hint("lower and upper arguments to fori_loop must have equal types, got "
                    f"{lo_dtype.name} and {hi_dtype.name}",
        "give lower and upper the same dtype, e.g. both Python ints, or cast one with .astype(...)."))


def fori_loop(lower, upper, body_fun, init_val, *, unroll=None):
    """`for i in range(lower, upper): val = body_fun(i, val)`. With concrete bounds it is a scan
    over Python-int counters (so reverse-mode works, and `i` is weakly typed as in JAX); with
    traced bounds, a while_loop."""
    if not callable(body_fun):
        raise TypeError(with_hint("lax.fori_loop: body_fun argument should be callable.",
                                  "pass the loop body as a function of (i, val), e.g. lambda i, x: x + i."))
    dtype = _fori_bounds_dtype(lower, upper)
    lo, hi = _concrete_int(lower), _concrete_int(upper)
    if lo is not None and hi is not None:
        def step(loop_carry, _):  # the name JAX's messages give the carry
            i, x = loop_carry
            return (i + 1, body_fun(i, x)), None

        if hi <= lo and config.read("jax_disable_jit"):
            return init_val
        (_, result), _ = scan(step, (lo, init_val), None, length=max(hi - lo, 0))
        return result
    if unroll is not None and unroll is not False and unroll != 1:
        raise ValueError(with_hint("Can only use `unroll` in `fori_loop` if the loop bounds are statically known.",
            "unroll needs loop bounds known while tracing: pass Python ints as lower and upper, or drop unroll."))

    def cond_fun(loop_carry):
        i, upper_, _ = loop_carry
        return lax.lt(i, upper_)

    def body(loop_carry):
        i, upper_, x = loop_carry
        return lax.add(i, lax._const(i, 1)), upper_, body_fun(i, x)

    lower, upper = lax._to_array(lower), lax._to_array(upper)
    if get_aval(lower).dtype != dtype:
        lower = lax.convert_element_type(lower, dtype)
    if get_aval(upper).dtype != dtype:
        upper = lax.convert_element_type(upper, dtype)
    return while_loop(cond_fun, body, (lower, upper, init_val))[2]


# ----------------------------------------------------------------------------------------------
# scan and map

scan_p = Primitive("scan")
scan_p.multiple_results = True


def _scan_impl(*args, jaxpr, length, reverse, num_consts, num_carry, unroll=1):
    consts = args[:num_consts]
    carry = list(args[num_consts:num_consts + num_carry])
    # Rows of NumPy values, or of typed key arrays (whose rows are key arrays).
    xs = [x if _is_keys(x) else np.asarray(getattr(x, "_value", x)) for x in args[num_consts + num_carry:]]
    ys = []
    for t in range(length):
        i = length - 1 - t if reverse else t
        outs = _eval(jaxpr, *consts, *carry, *[x[i] if _is_keys(x) else ArrayImpl(x[i], False) for x in xs])
        carry, y = outs[:num_carry], outs[num_carry:]
        ys.append(y)
    if reverse:
        ys = ys[::-1]
    y_avals = jaxpr.out_avals[num_carry:]
    stacked = [_stacked_keys([y[k] for y in ys], a) if isinstance(a.dtype, dtypes.ExtendedDType) else
               ArrayImpl(np.stack([np.asarray(y[k]._value) for y in ys]) if ys else
                         np.zeros((0,) + a.shape, a.dtype), a.weak_type) for k, a in enumerate(y_avals)]
    return _typed_as(carry, jaxpr.out_avals) + stacked


def _is_keys(x):
    return isinstance(get_aval(x).dtype, dtypes.ExtendedDType)


def _stacked_keys(rows, aval):
    from jaxlite import prng
    impl = aval.dtype._impl
    data = np.stack([r._value for r in rows]) if rows else np.zeros((0,) + aval.shape + impl.key_shape, np.uint32)
    return prng.PRNGKeyArray(impl, data)


def _scan_abstract_eval(*avals, jaxpr, length, reverse, num_consts, num_carry, unroll=1):
    outs = jaxpr.out_avals
    return outs[:num_carry] + [a.update(shape=(length,) + a.shape) for a in outs[num_carry:]]


scan_p.def_impl(_scan_impl)
scan_p.def_abstract_eval(_scan_abstract_eval)


def _scan_jvp(primals, tangents, *, jaxpr, length, reverse, num_consts, num_carry, unroll=1):
    nk, nc = num_consts, num_carry
    consts, carry, xs = primals[:nk], primals[nk:nk + nc], primals[nk + nc:]
    const_nz = [type(t) is not Zero for t in tangents[:nk]]
    xs_nz = [type(t) is not Zero for t in tangents[nk + nc:]]
    carry_nz = [get_aval(c).dtype.kind in "fc" for c in carry]
    x_avals = jaxpr.in_avals[nk + nc:]

    def body(*args):
        it = iter(args)
        c_ = [next(it) for _ in consts]
        ct_ = [next(it) if z else None for z in const_nz]
        k_ = [next(it) for _ in carry]
        kt_ = [next(it) if z else None for z in carry_nz]
        x_ = [next(it) for _ in xs]
        xt_ = [next(it) if z else None for z in xs_nz]
        prim = c_ + k_ + x_
        tans = [t if t is not None else Zero(ad.tangent_aval(get_aval(p))) for p, t in
                zip(prim, ct_ + kt_ + xt_)]
        outs, touts = ad.jvp_flat(lambda *a: _eval(jaxpr, *a), prim, tans)
        carry_out, ys = outs[:nc], outs[nc:]
        ct_out = [ad.instantiate_zeros(t) for t, z in zip(touts[:nc], carry_nz) if z]
        yt_out = [ad.instantiate_zeros(t) for t in touts[nc:]]
        return list(carry_out) + ct_out + list(ys) + yt_out

    tan = ad.tangent_aval
    avals = ([get_aval(c) for c in consts] + [tan(get_aval(c)) for c, z in zip(consts, const_nz) if z]
             + [get_aval(c) for c in carry] + [tan(get_aval(c)) for c, z in zip(carry, carry_nz) if z]
             + list(x_avals) + [tan(a) for a, z in zip(x_avals, xs_nz) if z])
    new_jaxpr = _trace_flat(body, avals)[0]
    args = (list(consts) + [t for t in tangents[:nk] if type(t) is not Zero]
            + list(carry) + [ad.instantiate_zeros(t) for t, z in zip(tangents[nk:nk + nc], carry_nz) if z]
            + list(xs) + [t for t in tangents[nk + nc:] if type(t) is not Zero])
    n_ct = sum(carry_nz)
    outs = scan_p.bind(*args, jaxpr=new_jaxpr, length=length, reverse=reverse,
                       num_consts=nk + sum(const_nz), num_carry=nc + n_ct, unroll=unroll)
    carry_out, ct_out = outs[:nc], iter(outs[nc:nc + n_ct])
    n_y = len(jaxpr.out_avals) - nc
    ys, yts = outs[nc + n_ct:nc + n_ct + n_y], outs[nc + n_ct + n_y:]
    carry_t = [next(ct_out) if z else Zero(tan(get_aval(c))) for c, z in zip(carry_out, carry_nz)]
    return list(carry_out) + list(ys), carry_t + list(yts)


def _scan_partial_eval(trace, tracers, *, jaxpr, length, reverse, num_consts, num_carry, unroll=1):
    """Known iterations run now and save their residuals as stacked outputs; the unknown scan
    (the tangent part under linearize) reads them back as extra xs."""
    nk, nc = num_consts, num_carry
    unknowns = [trace.is_unknown(t) for t in tracers]
    carry_uk = unknowns[nk:nk + nc]
    while True:  # a carry is unknown if it starts unknown or the body makes it so
        _, _, out_uk, _ = pe.partial_eval_jaxpr(jaxpr, unknowns[:nk] + carry_uk + unknowns[nk + nc:])
        new = [a or b for a, b in zip(carry_uk, out_uk[:nc])]
        if new == carry_uk:
            break
        carry_uk = new
    in_uk = unknowns[:nk] + carry_uk + unknowns[nk + nc:]
    n_y = len(jaxpr.out_avals) - nc
    known, unknown, out_uk, n_res = pe.partial_eval_jaxpr(jaxpr, in_uk, instantiate=carry_uk + [False] * n_y)
    tracers = [t for t in tracers]
    for i, (u, was) in enumerate(zip(carry_uk, unknowns[nk:nk + nc])):
        if u and not was:
            tracers[nk + i] = _make_unknown(trace, tracers[nk + i])
    known_in = [t for t, u in zip(tracers, in_uk) if not u]
    k_consts = sum(1 for u in in_uk[:nk] if not u)
    k_carry = sum(1 for u in carry_uk if not u)
    # A residual that is one of the known xs is passed on as it is, not stacked again.
    known, res_fwd = forward_known_inputs(known, n_res, [i >= k_consts + k_carry
                                                         for i in range(len(known_in))])
    with set_current_trace(trace.parent_trace):
        known_outs = scan_p.bind(*known_in, jaxpr=known, length=length, reverse=reverse,
                                 num_consts=k_consts, num_carry=k_carry, unroll=unroll)
    n_known_out = len(known_outs) - sum(f is None for f in res_fwd)
    res_outs = iter(known_outs[n_known_out:])
    residuals = [next(res_outs) if f is None else known_in[f] for f in res_fwd]
    # The unknown jaxpr takes (residuals, unknown inputs): residuals move to the end, as xs.
    uk_in = [t for t, u in zip(tracers, in_uk) if u]
    u_consts = sum(1 for u in in_uk[:nk] if u)
    u_carry = sum(1 for u in carry_uk if u)
    inner = unknown.jaxpr
    res_vars, rest = inner.invars[:n_res], inner.invars[n_res:]
    unknown = ClosedJaxpr(Jaxpr([], rest + res_vars, inner.outvars, inner.eqns), ())
    args = uk_in + list(residuals)
    unknown_outs = trace.stage(scan_p, args, dict(jaxpr=unknown, length=length, reverse=reverse,
                                                  num_consts=u_consts, num_carry=u_carry, unroll=unroll))
    known_it, unknown_it = iter(known_outs[:n_known_out]), iter(unknown_outs)
    return [next(unknown_it) if u else next(known_it) for u in out_uk]


def _make_unknown(trace, x):
    """A known value entering an unknown position: stage a copy so it becomes a jaxpr variable."""
    return trace.stage(lax.copy_p, [x], {})


def _scan_transpose(cts, *args, jaxpr, length, reverse, num_consts, num_carry, unroll=1):
    nk, nc = num_consts, num_carry
    carry_given = [ad.is_undefined_primal(a) for a in args[nk:nk + nc]]
    # Carries are transposed as linear even when one starts from a constant (a known zero
    # tangent made unknown by the body): its cotangent is simply not returned.
    lin = [ad.is_undefined_primal(a) for a in args[:nk]] + [True] * nc + \
        [ad.is_undefined_primal(a) for a in args[nk + nc:]]
    const_lin, xs_lin = lin[:nk], lin[nk + nc:]
    res_consts = [a for a, l in zip(args[:nk], const_lin) if not l]
    res_xs = [a for a, l in zip(args[nk + nc:], xs_lin) if not l]
    ct_carry = [ad.instantiate_zeros(c) for c in cts[:nc]]
    ct_ys = [ad.instantiate_zeros(c) for c in cts[nc:]]
    lin_const_avals = [a.aval for a, l in zip(args[:nk], const_lin) if l]
    body_t = _transpose_jaxpr(jaxpr, lin)  # (nonlinear consts, nonlinear xs, ct carry, ct ys) -> cts
    n_rc = len(res_consts)
    n_lc = len(lin_const_avals)

    n_y = len(ct_ys)

    def step(*a):
        rc, acc, cc, cy, rx = (a[:n_rc], a[n_rc:n_rc + n_lc], a[n_rc + n_lc:n_rc + n_lc + nc],
                               a[n_rc + n_lc + nc:n_rc + n_lc + nc + n_y], a[n_rc + n_lc + nc + n_y:])
        outs = _eval(body_t, *rc, *rx, *cc, *cy)
        ct_consts, ct_carry_in, ct_xs = outs[:n_lc], outs[n_lc:n_lc + nc], outs[n_lc + nc:]
        acc = [lax.add_any(x, y) for x, y in zip(acc, ct_consts)]
        return list(acc) + list(ct_carry_in) + list(ct_xs)

    y_avals = [ad.tangent_aval(a) for a in jaxpr.out_avals[nc:]]
    avals = ([get_aval(r) for r in res_consts] + lin_const_avals + [ad.tangent_aval(a) for a in
                                                                   jaxpr.out_avals[:nc]]
             + y_avals + [v.aval for v, l in zip(jaxpr.jaxpr.invars[nk + nc:], xs_lin) if not l])
    t_jaxpr = _trace_flat(step, avals)[0]
    init_acc = [lax.full(a.shape, 0, a.dtype) for a in lin_const_avals]
    outs = scan_p.bind(*res_consts, *init_acc, *ct_carry, *ct_ys, *res_xs, jaxpr=t_jaxpr, length=length,
                       reverse=not reverse, num_consts=n_rc, num_carry=n_lc + nc, unroll=unroll)
    ct_consts, ct_init, ct_xs = outs[:n_lc], outs[n_lc:n_lc + nc], outs[n_lc + nc:]
    ct_consts_it, ct_xs_it = iter(ct_consts), iter(ct_xs)
    return ([next(ct_consts_it) if l else None for l in const_lin]
            + [ct if given else None for ct, given in zip(ct_init, carry_given)]
            + [next(ct_xs_it) if l else None for l in xs_lin])


def _scan_batcher(args, dims, *, jaxpr, length, reverse, num_consts, num_carry, unroll=1):
    size = batching.axis_size_of(args, dims)
    nk, nc = num_consts, num_carry
    is_batched = lambda ds: [d is not not_mapped for d in ds]
    const_b, xs_b = is_batched(dims[:nk]), is_batched(dims[nk + nc:])
    carry_b = _batched_carries(jaxpr, const_b, is_batched(dims[nk:nk + nc]), xs_b)
    ys_b = batching.batched_outputs(jaxpr, const_b + carry_b + xs_b)[nc:]
    consts = [batching.moveaxis(a, d, 0) if b else a for a, d, b in zip(args[:nk], dims[:nk], const_b)]
    carry = [batching.bdim_at_front(a, d, size) if b else a
             for a, d, b in zip(args[nk:nk + nc], dims[nk:nk + nc], carry_b)]
    xs = [batching.moveaxis(a, d, 1) if b else a for a, d, b in zip(args[nk + nc:], dims[nk + nc:], xs_b)]
    at_front = lambda bs: [0 if b else not_mapped for b in bs]
    body = batching.batch_flat(lambda *a: _eval(jaxpr, *a), size, at_front(const_b + carry_b + xs_b),
                               at_front(carry_b + ys_b))
    avals = ([get_aval(c) for c in consts] + [get_aval(c) for c in carry]
             + [get_aval(x).update(shape=get_aval(x).shape[1:]) for x in xs])
    new_jaxpr = _trace_flat(body, avals)[0]
    outs = scan_p.bind(*consts, *carry, *xs, jaxpr=new_jaxpr, length=length, reverse=reverse,
                       num_consts=nk, num_carry=nc, unroll=unroll)
    # Stacked ys carry the batch axis second, after the scanned one.
    return outs, at_front(carry_b) + [1 if b else not_mapped for b in ys_b]


def _scan_codegen(em, eqn, ins):
    p = eqn.params
    nk, nc, length = p["num_consts"], p["num_carry"], p["length"]
    k = em.n_consts
    em.n_consts += 1
    body = f"_scan_body{k}"
    lines = em.function(body, p["jaxpr"])
    consts, carry, xs = ins[:nk], ins[nk:nk + nc], ins[nk + nc:]
    outs = [em.name(v) for v in eqn.outvars]
    carry_out, ys_out = outs[:nc], outs[nc:]
    c = f"_c{k}"
    ys = f"_ys{k}"
    lines.append(f"{c} = [{', '.join(carry)}]")
    lines.append(f"{ys} = []")
    order = f"reversed(range({length}))" if p["reverse"] else f"range({length})"
    lines.append(f"for _i in {order}:")
    xs_i = [f"{x}[_i]" for x in xs]
    lines.append(f"    _o = {body}({', '.join(consts + [f'*{c}'] + xs_i)})")
    lines.append(f"    {c} = _o[:{nc}]")
    lines.append(f"    {ys}.append(_o[{nc}:])")
    if p["reverse"]:
        lines.append(f"{ys}.reverse()")
    for name, v in zip(carry_out, range(nc)):
        lines.append(f"{name} = {c}[{v}]")
    y_avals = p["jaxpr"].out_avals[nc:]
    for j, (name, aval) in enumerate(zip(ys_out, y_avals)):
        dt = em.param(aval.dtype)
        lines.append(f"{name} = np.stack([_y[{j}] for _y in {ys}]).astype({dt}) if {ys} else "
                     f"np.zeros({(0,) + aval.shape!r}, {dt})")
    return lines


def _pp_scan(params):
    return {k: params[k] for k in ("jaxpr", "length", "num_carry", "num_consts", "reverse", "unroll")}


scan_p.pp_params = _pp_scan
ad.primitive_jvps[scan_p] = _scan_jvp
ad.primitive_transposes[scan_p] = _scan_transpose
pe.partial_eval_rules[scan_p] = _scan_partial_eval
batching.primitive_batchers[scan_p] = _scan_batcher
register_lowering(scan_p, _scan_codegen, "numpy")


_NO_LEADING_AXIS_HINT = ("scan and lax.map step along the leading axis of xs, and a scalar has none: give it one "
                         "(jnp.atleast_1d(x)), or close over the scalar instead of scanning over it.")


def _scan_length(xs, length):
    """The number of steps: the leading axis size shared by every leaf of xs, or `length`."""
    if any(not hasattr(x, "shape") for x in xs):
        raise ValueError(with_hint("scan got value with no leading axis to scan over: "
                                   f"{', '.join(str(x) for x in xs if not hasattr(x, 'shape'))}.",
                                   _NO_LEADING_AXIS_HINT))
    if any(not x.shape for x in xs):
        raise IndexError(with_hint("tuple index out of range", _NO_LEADING_AXIS_HINT))
    lengths = [x.shape[0] for x in xs]
    if length is not None:
        if any(n != length for n in lengths):
            raise ValueError(with_hint(f"scan got `length` argument of {length} which disagrees with leading "
                                       f"axis sizes {lengths}.",
                                       "length must equal the leading axis size of every leaf of xs; leave "
                                       "it out when xs is given."))
        return int(length)
    if len(set(lengths)) > 1:
        raise ValueError(with_hint(f"scan got values with different leading axis sizes: "
                                   f"{', '.join(str(n) for n in lengths)}.",
                                   "every leaf of xs is sliced along its leading axis at each step, so all "
                                   "must have the same length; pad or trim them to one length."))
    if not lengths:
        raise ValueError(with_hint("scan got no values to scan over and `length` not provided.",
                                   "without xs, scan needs the number of steps: pass length=n."))
    return lengths[0]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loop `carry, y = f(carry, x)` over the leading axis of xs; returns (carry, stacked ys)."""
    x_leaves, x_tree = tree_util.tree_flatten(xs)
    n = _scan_length(x_leaves, length)
    x_leaves = [lax._to_array(x) for x in x_leaves]
    if config.read("jax_disable_jit"):
        return _python_scan(f, init, x_leaves, x_tree, n, reverse)
    c_raw, c_tree = tree_util.tree_flatten(init)
    c_leaves = [lax._to_array(x) for x in c_raw]
    x_avals = [get_aval(x).update(shape=get_aval(x).shape[1:]) for x in x_leaves]
    in_tree = tree_util.tree_structure((init, xs))

    def trace_body(c_avals):
        store = []

        def body(*leaves):
            carry, x = tree_util.tree_unflatten(in_tree, leaves)
            out_leaves, out_tree = tree_util.tree_flatten(f(carry, x))
            out_leaves = [lax._to_array(v) for v in out_leaves]
            store.append((out_tree, [get_aval(v) for v in out_leaves]))
            return out_leaves

        closed, _ = pe.trace_to_jaxpr(body, c_avals + x_avals)
        out_tree, out_avals = store[0]
        children = tree_util.treedef_children(out_tree)
        if len(children) != 2 or tree_util.treedef_is_leaf(out_tree):
            raise TypeError(with_hint(f"scan body output must be a pair, got {_avals_text(out_tree, out_avals)}.",
                                      "the scan body returns a pair, the new carry and this step's "
                                      "output: return carry, y (y may be None)."))
        return _hoist_consts(closed), out_tree, children

    c_avals = _avals(c_leaves)
    (jaxpr, consts), out_tree, (c_out_tree, _) = trace_body(c_avals)
    nc = len(c_leaves)
    if c_out_tree == c_tree:
        c_raw, changed = _promote_weak_carry(c_raw, c_avals, jaxpr.out_avals[:nc])
        if changed:
            c_leaves = [lax._to_array(x) for x in c_raw]
            c_avals = _avals(c_leaves)
            (jaxpr, consts), out_tree, (c_out_tree, _) = trace_body(c_avals)
    _check_carry("scan", f, c_tree, c_avals, c_out_tree, jaxpr.out_avals[:nc])
    # As JAX does: a carry passed on unchanged becomes a constant, and a y that is just the
    # current x is not stacked again (xs itself is returned).
    nk = len(consts)
    to_const = [f == nk + i for i, f in enumerate(_forwarding(jaxpr.jaxpr)[:nc])]
    if any(to_const):
        jaxpr = _carries_to_consts(jaxpr, nk, to_const)
        consts = [x for x, m in zip(c_leaves, to_const) if m] + list(consts)
        c_leaves = [x for x, m in zip(c_leaves, to_const) if not m]
    n_carry, n_in = len(c_leaves), len(consts) + len(c_leaves)
    y_from_x = [f - n_in if f is not None and f >= n_in else None
                for f in _forwarding(jaxpr.jaxpr)[n_carry:]]
    inner = jaxpr.jaxpr
    outvars = inner.outvars[:n_carry] + [v for v, f in zip(inner.outvars[n_carry:], y_from_x) if f is None]
    jaxpr = ClosedJaxpr(Jaxpr(inner.constvars, inner.invars, outvars, inner.eqns), jaxpr.consts)
    outs = scan_p.bind(*consts, *c_leaves, *x_leaves, jaxpr=jaxpr, length=n, reverse=bool(reverse),
                       num_consts=len(consts), num_carry=n_carry, unroll=unroll)
    carry = _merge(to_const, outs[:n_carry], c_raw)
    ys = iter(outs[n_carry:])
    ys = [next(ys) if f is None else x_leaves[f] for f in y_from_x]
    # The result has the structure the body returns: a (carry, ys) tuple, or a list or dict of two.
    return tree_util.tree_unflatten(out_tree, carry + ys)


def _python_scan(f, carry, x_leaves, x_tree, length, reverse):
    """scan under jax_disable_jit: a Python loop over the rows of xs, the ys stacked at the end."""
    if length == 0:
        raise ValueError("zero-length scan is not supported in disable_jit() mode because the output "
                         "type is unknown.")
    steps = range(length - 1, -1, -1) if reverse else range(length)
    ys = []
    for i in steps:
        xs = tree_util.tree_unflatten(x_tree, [x[i] for x in x_leaves])
        carry, y = f(carry, xs)
        ys.append(y)
    if reverse:
        ys.reverse()
    from jaxlite import numpy as jnp
    return carry, tree_util.tree_map(lambda *rows: jnp.stack(rows), *ys)


def _avals_text(tree, avals):
    """A traced output as JAX names it in an error: `float32[3]`, `~float32[]` (weakly typed),
    a tuple of ShapedArray reprs, `None`."""
    if tree_util.treedef_is_leaf(tree) and tree.num_leaves == 1:
        return ("~" if avals[0].weak_type else "") + avals[0]._long()
    return str(tree_util.tree_unflatten(tree, avals))


def map(f, xs, *, batch_size=None):
    """`stack([f(x) for x in xs])`, as a scan with no carry."""
    _, ys = scan(lambda _, x: ((), f(x)), (), xs)
    return ys


# ----------------------------------------------------------------------------------------------
# On XLA (jit's xla backend): JAX's own cond, while_loop and scan, with the bodies as functions.

def _cond_on_xla(ctx, index, *args, branches):
    return ctx.lax.switch(index, [ctx.sub(b) for b in branches], *args)


def _while_on_xla(ctx, *args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cc, bc, carry = args[:cond_nconsts], args[cond_nconsts:cond_nconsts + body_nconsts], \
        args[cond_nconsts + body_nconsts:]
    cond, body = ctx.sub(cond_jaxpr), ctx.sub(body_jaxpr)
    cond_fun, body_fun = lambda c: cond(*cc, *c)[0], lambda c: body(*bc, *c)
    if cond_jaxpr.out_avals[0].ndim == 0:
        return ctx.lax.while_loop(cond_fun, body_fun, list(carry))
    # A predicate vmap batched: loop while any element holds; elements that are done keep their
    # carry (what XLA gets from JAX for the same jaxpr).
    jnp = ctx.jax.numpy

    def select(pred, new, old):
        return jnp.where(pred.reshape(pred.shape + (1,) * (old.ndim - pred.ndim)), new, old)

    def step(c):
        pred = cond_fun(c)
        return [select(pred, n, o) for n, o in zip(body_fun(c), c)]
    return ctx.lax.while_loop(lambda c: jnp.any(cond_fun(c)), step, list(carry))


def _scan_on_xla(ctx, *args, jaxpr, num_consts, num_carry, length, reverse, **_):
    consts, carry, xs = args[:num_consts], args[num_consts:num_consts + num_carry], args[num_consts + num_carry:]
    body = ctx.sub(jaxpr)

    def step(c, x):
        outs = body(*consts, *c, *x)
        return outs[:num_carry], outs[num_carry:]
    c, ys = ctx.lax.scan(step, list(carry), list(xs), length=length, reverse=reverse)
    return list(c) + list(ys)


register_lowering(cond_p, _cond_on_xla, "xla")
register_lowering(while_p, _while_on_xla, "xla")
register_lowering(scan_p, _scan_on_xla, "xla")
