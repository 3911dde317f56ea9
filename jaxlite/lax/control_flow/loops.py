"""Loops: while_loop, fori_loop, scan and map.

Mirrors jax/_src/lax/control_flow/loops.py. A loop body is traced once to a jaxpr that `while_p` or
`scan_p` carries. Its rules find which carries a transformation touches (a fixed point over the body),
then transform the body: jvp adds tangent carries, vmap batches them, linearize splits a scan into a
known scan that stacks residuals and an unknown one that reads them, transpose runs a scan backwards.
"""
import inspect

import numpy as np

from jaxlite import core, dtypes, errors, tree_util
from jaxlite.array import ArrayImpl
from jaxlite.config import config
from jaxlite.core import ClosedJaxpr, Jaxpr, Primitive, get_aval, set_current_trace
from jaxlite.errors import with_hint
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters import partial_eval as pe
from jaxlite.interpreters.ad import Zero
from jaxlite.interpreters.batching import not_mapped
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.lax import lax
from jaxlite.lax.control_flow import common
from jaxlite.pjit import forward_known_inputs


def _check_carry(kind, fun, in_tree, in_avals, out_tree, out_avals):
    """scan/while_loop: the body must return a carry of the structure and types it was given."""
    params = list(inspect.signature(fun).parameters) if common.has_signature(fun) else []
    name = params[0] if params else "carry"
    if out_tree != in_tree:
        raise TypeError(with_hint(
            f"{kind} body function carry input and carry output must have the same "
            "pytree structure, but they differ:\n\n"
            f"The input carry {name} is {common.python_type(in_tree)} but the corresponding "
            f"component of the carry output is {common.python_type(out_tree)}, so their "
            "Python types differ.\n\nRevise the function so that the carry output has "
            "the same pytree structure as the carry input.",
            "return the new carry in the same structure as the initial one (the same tuple length and "
            "dict keys)" + (", and the per-step output second: return carry, y." if _loop(kind, fun) == "scan"
                            else ".")))
    paths = common.leaf_paths(in_tree)
    diffs = [(path, x, y) for path, x, y in zip(paths, in_avals, out_avals)
             if (x.shape, x.dtype) != (y.shape, y.dtype)]
    if diffs:
        what = lambda path: f"carry component {name}{path}" if path else f"carry {name}"
        lines = [f"input {what(path)} has type {x.str_short(short_dtypes=False)} but the corresponding output carry "
                 f"component has type {y.str_short(short_dtypes=False)}, so the "
                 f"{common.what_differs(x, y)} do not match"
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
    pred = np.asarray(core.jaxpr_as_fun(cond_jaxpr)(*cconsts, *carry)[0])
    while pred.any():
        new = core.jaxpr_as_fun(body_jaxpr)(*bconsts, *carry)
        carry = new if pred.ndim == 0 else [_where_rows(pred, n, c, a) for n, c, a in
                                            zip(new, carry, body_jaxpr.out_avals)]
        pred = np.asarray(core.jaxpr_as_fun(cond_jaxpr)(*cconsts, *carry)[0])
    return common.typed_as(carry, body_jaxpr.out_avals)


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
    n_bt, n_ct = sum(bconst_nz), sum(carry_nz)
    new_body, _ = ad.jvp_jaxpr(body_jaxpr, bconst_nz + carry_nz, instantiate=carry_nz)
    new_body = ad.rearrange_binders(new_body, [nb, nc], [n_bt, n_ct], [nc], [n_ct])
    cond_avals = cond_jaxpr.in_avals + [ad.tangent_aval(get_aval(x)) for x, z in zip(carry, carry_nz) if z]
    new_cond = pe.trace_to_jaxpr(lambda *args: core.jaxpr_as_fun(cond_jaxpr)(*args[:cond_nconsts + nc]),
                                 cond_avals)[0]
    init_t = [ad.instantiate_zeros(t) for t, z in zip(carry_t, carry_nz) if z]
    outs = while_p.bind(*cconsts, *bconsts, *[t for t in bconst_t if type(t) is not Zero], *carry,
                        *init_t, cond_jaxpr=new_cond, body_jaxpr=new_body, cond_nconsts=cond_nconsts,
                        body_nconsts=nb + n_bt)
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
    new_body, _ = batching.batch_jaxpr(body_jaxpr, size, list(bdims) + carry_dims, carry_dims)
    new_cond, _ = batching.batch_jaxpr(cond_jaxpr, size, list(cdims) + carry_dims,
                                       [0 if pred_batched else not_mapped])
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


core.pp_params_rules[while_p] = _pp_while
ad.primitive_jvps[while_p] = _while_jvp
pe.partial_eval_rules[while_p] = _while_partial_eval
# As in JAX, transposing a while loop (its trip count unknown) raises the same error.
ad.primitive_transposes[while_p] = lambda cts, *args, **params: _while_partial_eval(None, args, **params)
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
            val = tree_util.tree_map(lax.to_array, init_val)
            while cond_fun(val):
                val = tree_util.tree_map(lax.to_array, body_fun(val))
            return val
        except errors.ConcretizationTypeError:
            pass  # a traced predicate (under vmap, say): the loop needs the primitive
    raw, tree = tree_util.tree_flatten(init_val)
    leaves = [lax.to_array(x) for x in raw]
    args_tree = tree_util.tree_structure((init_val,))

    def trace_loop(avals):
        cond_jaxpr, cconsts, cond_tree = common.initial_style_jaxpr(cond_fun, args_tree, avals)
        out = cond_jaxpr.out_avals
        if len(out) != 1:
            raise TypeError(with_hint(f"cond_fun must return a boolean scalar, but got pytree {cond_tree}.",
                                      "cond_fun returns one bool saying whether to go on: combine conditions "
                                      "with & or jnp.logical_and."))
        if out[0].shape != () or out[0].dtype != np.bool_:
            raise TypeError(with_hint(f"cond_fun must return a boolean scalar, but got output type(s) {out}.",
                                      _while_cond_hint(out[0])))
        body_jaxpr, bconsts, body_tree = common.initial_style_jaxpr(body_fun, args_tree, avals)
        return cond_jaxpr, cconsts, body_jaxpr, bconsts, body_tree

    avals = common.avals_of(leaves)
    cond_jaxpr, cconsts, body_jaxpr, bconsts, body_tree = trace_loop(avals)
    if body_tree == tree:
        raw, changed = _promote_weak_carry(raw, avals, body_jaxpr.out_avals)
        if changed:
            leaves = [lax.to_array(x) for x in raw]
            avals = common.avals_of(leaves)
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
    return int(np.asarray(x))


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
        return lax.add(i, lax.const(i, 1)), upper_, body_fun(i, x)

    lower, upper = lax.to_array(lower), lax.to_array(upper)
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
    xs = [x if _is_keys(x) else np.asarray(x) for x in args[num_consts + num_carry:]]
    ys = []
    for t in range(length):
        i = length - 1 - t if reverse else t
        outs = core.jaxpr_as_fun(jaxpr)(*consts, *carry, *[x[i] if _is_keys(x) else ArrayImpl(x[i], False) for x in xs])
        carry, y = outs[:num_carry], outs[num_carry:]
        ys.append(y)
    if reverse:
        ys = ys[::-1]
    y_avals = jaxpr.out_avals[num_carry:]
    stacked = [_stacked_keys([y[k] for y in ys], a) if isinstance(a.dtype, dtypes.ExtendedDType) else
               ArrayImpl(np.stack([np.asarray(y[k]) for y in ys]) if ys else
                         np.zeros((0,) + a.shape, a.dtype), a.weak_type) for k, a in enumerate(y_avals)]
    return common.typed_as(carry, jaxpr.out_avals) + stacked


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
    n_y = len(jaxpr.out_avals) - nc
    n_kt, n_ct, n_xt = sum(const_nz), sum(carry_nz), sum(xs_nz)
    new_jaxpr, _ = ad.jvp_jaxpr(jaxpr, const_nz + carry_nz + xs_nz, instantiate=carry_nz + [True] * n_y)
    new_jaxpr = ad.rearrange_binders(new_jaxpr, [nk, nc, len(xs)], [n_kt, n_ct, n_xt], [nc, n_y], [n_ct, n_y])
    tan = ad.tangent_aval
    args = (list(consts) + [t for t in tangents[:nk] if type(t) is not Zero]
            + list(carry) + [ad.instantiate_zeros(t) for t, z in zip(tangents[nk:nk + nc], carry_nz) if z]
            + list(xs) + [t for t in tangents[nk + nc:] if type(t) is not Zero])
    outs = scan_p.bind(*args, jaxpr=new_jaxpr, length=length, reverse=reverse,
                       num_consts=nk + n_kt, num_carry=nc + n_ct, unroll=unroll)
    carry_out, ct_out = outs[:nc], iter(outs[nc:nc + n_ct])
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
    body_t = ad.transpose_jaxpr(jaxpr, lin)  # (nonlinear consts, nonlinear xs, ct carry, ct ys) -> cts
    n_rc, n_lc, n_y = len(res_consts), len(lin_const_avals), len(ct_ys)

    def step(*a):
        rc, acc, cc, cy, rx = (a[:n_rc], a[n_rc:n_rc + n_lc], a[n_rc + n_lc:n_rc + n_lc + nc],
                               a[n_rc + n_lc + nc:n_rc + n_lc + nc + n_y], a[n_rc + n_lc + nc + n_y:])
        outs = core.jaxpr_as_fun(body_t)(*rc, *rx, *cc, *cy)
        ct_consts, ct_carry_in, ct_xs = outs[:n_lc], outs[n_lc:n_lc + nc], outs[n_lc + nc:]
        acc = [lax.add_any(x, y) for x, y in zip(acc, ct_consts)]
        return list(acc) + list(ct_carry_in) + list(ct_xs)

    y_avals = [ad.tangent_aval(a) for a in jaxpr.out_avals[nc:]]
    avals = ([get_aval(r) for r in res_consts] + lin_const_avals + [ad.tangent_aval(a) for a in
                                                                   jaxpr.out_avals[:nc]]
             + y_avals + [v.aval for v, l in zip(jaxpr.jaxpr.invars[nk + nc:], xs_lin) if not l])
    t_jaxpr = pe.trace_to_jaxpr(step, avals)[0]
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
    new_jaxpr, _ = batching.batch_jaxpr(jaxpr, size, at_front(const_b + carry_b + xs_b), at_front(carry_b + ys_b))
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


core.pp_params_rules[scan_p] = _pp_scan
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
    x_leaves = [lax.to_array(x) for x in x_leaves]
    if config.read("jax_disable_jit"):
        return _python_scan(f, init, x_leaves, x_tree, n, reverse)
    c_raw, c_tree = tree_util.tree_flatten(init)
    c_leaves = [lax.to_array(x) for x in c_raw]
    x_avals = [get_aval(x).update(shape=get_aval(x).shape[1:]) for x in x_leaves]
    in_tree = tree_util.tree_structure((init, xs))

    def trace_body(c_avals):
        jaxpr, consts, out_tree = common.initial_style_jaxpr(f, in_tree, c_avals + x_avals)
        children = tree_util.treedef_children(out_tree)
        if len(children) != 2 or tree_util.treedef_is_leaf(out_tree):
            raise TypeError(with_hint(f"scan body output must be a pair, got {_avals_text(out_tree, jaxpr.out_avals)}.",
                                      "the scan body returns a pair, the new carry and this step's "
                                      "output: return carry, y (y may be None)."))
        return (jaxpr, consts), out_tree, children

    c_avals = common.avals_of(c_leaves)
    (jaxpr, consts), out_tree, (c_out_tree, _) = trace_body(c_avals)
    nc = len(c_leaves)
    if c_out_tree == c_tree:
        c_raw, changed = _promote_weak_carry(c_raw, c_avals, jaxpr.out_avals[:nc])
        if changed:
            c_leaves = [lax.to_array(x) for x in c_raw]
            c_avals = common.avals_of(c_leaves)
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
        return ("~" if avals[0].weak_type else "") + avals[0].str_short(short_dtypes=False)
    return str(tree_util.tree_unflatten(tree, avals))


def map(f, xs, *, batch_size=None):
    """`stack([f(x) for x in xs])`, as a scan with no carry."""
    _, ys = scan(lambda _, x: ((), f(x)), (), xs)
    return ys


# ----------------------------------------------------------------------------------------------
# On XLA (jit's xla backend): JAX's own while_loop and scan, with the bodies as functions.

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


register_lowering(while_p, _while_on_xla, "xla")
register_lowering(scan_p, _scan_on_xla, "xla")
