"""`jax.checkpoint` (`jax.remat`): trade memory for computation in reverse mode.

Mirrors jax/_src/ad_checkpoint.py. `checkpoint(f)` stages f as one `remat2` equation. Differentiating
it is where the work is: partial evaluation splits f's linearized jaxpr into the primal part, run now,
and the part the backward pass needs, which keeps as residuals only what a *policy* lets it save and
recomputes everything else. Transposing the staged part evaluates that recomputation first, so in the
jaxpr of `grad(checkpoint(f))` the forward equations appear a second time, inside the backward pass.
"""
import dataclasses
import functools
import types

import numpy as np

from jaxlite import api_util, core, errors, tree_util
from jaxlite.core import ClosedJaxpr, Jaxpr, Primitive, Var, get_aval, set_current_trace
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters import partial_eval as pe
from jaxlite.interpreters.ad import Zero
from jaxlite.interpreters.lowering import register_lowering

__all__ = ["checkpoint", "remat", "checkpoint_name", "checkpoint_policies", "print_saved_residuals"]


# ----------------------------------------------------------------------------------------------
# Policies: policy(primitive, *input_avals, **params) -> may this equation's output be saved?

def everything_saveable(*_, **__):
    """Save every residual: as if checkpoint were not used at all."""
    return True


def nothing_saveable(*_, **__):
    """Save only the inputs and recompute everything else (the default of jax.checkpoint)."""
    return False


@dataclasses.dataclass(frozen=True)
class DotsSaveable:
    """Save the results of matrix products (and convolutions), recompute the cheap elementwise rest."""
    only_if_no_batch_dims: bool

    def __call__(self, prim, *avals, **params):
        if self.only_if_no_batch_dims:
            if prim.name != "dot_general":
                return False
            (_, _), (lhs_batch, rhs_batch) = params["dimension_numbers"]
            return not lhs_batch and not rhs_batch
        return prim.name in ("dot_general", "conv_general_dilated")


dots_saveable = checkpoint_dots = DotsSaveable(False)
dots_with_no_batch_dims_saveable = checkpoint_dots_with_no_batch_dims = DotsSaveable(True)


@dataclasses.dataclass(frozen=True)
class SaveOnlyTheseNames:
    """Save only values named with checkpoint_name, and only these names."""
    saveable_names: frozenset

    def __call__(self, prim, *avals, **params):
        return prim is name_p and params["name"] in self.saveable_names


@dataclasses.dataclass(frozen=True)
class SaveAnyNamesButThese:
    """Save only values named with checkpoint_name, except these names."""
    names: frozenset

    def __call__(self, prim, *avals, **params):
        return prim is name_p and params["name"] not in self.names


def save_only_these_names(*names_which_can_be_saved):
    return SaveOnlyTheseNames(frozenset(names_which_can_be_saved))


def save_any_names_but_these(*names_not_to_save):
    return SaveAnyNamesButThese(frozenset(names_not_to_save))


def save_anything_except_these_names(*names_not_to_save):
    """As in JAX, this policy saves everything (its names are not consulted)."""
    return everything_saveable


def save_from_both_policies(policy_1, policy_2):
    """A value is saved if either policy saves it."""
    def policy(prim, *args, **params):
        out1, out2 = policy_1(prim, *args, **params), policy_2(prim, *args, **params)
        if not (isinstance(out1, bool) and isinstance(out2, bool)):
            raise ValueError(errors.with_hint("The return value of the policies should be a boolean. Got: "
                                              f"{out1} and {out2}. Please write a custom policy function "
                                              "directly, rather than using this helper function.",
                                              "a policy answers True (save) or False (recompute) for each value."))
        return out1 or out2
    return policy


def offload_dot_with_no_batch_dims(offload_src, offload_dst):
    """JAX moves these residuals to host memory; jaxlite's arrays are all in host memory already,
    so offloading a residual is saving it."""
    return dots_with_no_batch_dims_saveable


def save_and_offload_only_these_names(*, names_which_can_be_saved, names_which_can_be_offloaded,
                                      offload_src, offload_dst):
    """Saved or offloaded (to host memory, where jaxlite keeps everything): both mean kept."""
    saved, offloaded = set(names_which_can_be_saved), set(names_which_can_be_offloaded)
    if saved & offloaded:
        raise ValueError(errors.with_hint(
            "The names should be exclusive and should not intersect in "
            "`names_which_can_be_saved` and `names_which_can_be_offloaded`. Got "
            f"names_which_can_be_saved={saved}, names_which_can_be_offloaded={offloaded} "
            f"and the intersection={saved & offloaded}", "list each name in one of the two only."))
    return save_only_these_names(*saved, *offloaded)


class _Policies(types.SimpleNamespace):
    """`jax.checkpoint_policies`: the policies by name, in a SimpleNamespace as JAX keeps them; a
    name that is not there gets Python's error for a SimpleNamespace, and a hint."""

    def __getattr__(self, name):
        raise AttributeError(errors.with_hint(
            f"'types.SimpleNamespace' object has no attribute {name!r}",
            f"jax.checkpoint_policies has {', '.join(sorted(vars(self)))}."))


checkpoint_policies = _Policies(
    everything_saveable=everything_saveable, nothing_saveable=nothing_saveable,
    dots_saveable=dots_saveable, checkpoint_dots=dots_saveable,
    dots_with_no_batch_dims_saveable=dots_with_no_batch_dims_saveable,
    checkpoint_dots_with_no_batch_dims=dots_with_no_batch_dims_saveable,
    offload_dot_with_no_batch_dims=offload_dot_with_no_batch_dims,
    save_anything_except_these_names=save_anything_except_these_names,
    save_any_names_but_these=save_any_names_but_these, save_only_these_names=save_only_these_names,
    save_from_both_policies=save_from_both_policies,
    save_and_offload_only_these_names=save_and_offload_only_these_names)


# ----------------------------------------------------------------------------------------------
# checkpoint_name: an identity that labels a value for the name-based policies

name_p = Primitive("name")
name_p.def_impl(lambda x, *, name: x)
name_p.def_abstract_eval(lambda aval, *, name: aval)
name_p.numpy_impl = lambda x, *, name: x


def _name_jvp(primals, tangents, *, name):
    (x,), (t,) = primals, tangents
    return name_p.bind(x, name=name), t  # the tangent is not named: policies look at primals


def _name_batcher(args, dims, *, name):
    return name_p.bind(args[0], name=name), dims[0]


ad.primitive_jvps[name_p] = _name_jvp
batching.primitive_batchers[name_p] = _name_batcher
numpy_codegen.simplify_rules[name_p] = lambda eqn, graph: eqn.invars[0]  # nothing to compute
register_lowering(name_p, numpy_codegen.NumpyCall(name_p.numpy_impl), "numpy")
register_lowering(name_p, lambda ctx, x, name: x, "xla")


def checkpoint_name(x, name):
    """`x` (a pytree of arrays) unchanged, each leaf labelled `name` for checkpoint policies."""
    return tree_util.tree_map(lambda leaf: name_p.bind(leaf, name=name), x)


# ----------------------------------------------------------------------------------------------
# The remat2 primitive

remat_p = Primitive("remat2")
remat_p.multiple_results = True


def _trace_open(fun, avals):
    """`fun` traced to a jaxpr without constvars: values it closes over become leading inputs,
    returned with it."""
    closed, _ = pe.trace_to_jaxpr(fun, avals)
    return pe.convert_constvars_jaxpr(closed.jaxpr), list(closed.consts)


def _remat_impl(*args, jaxpr, prevent_cse, differentiated, policy):
    return core.eval_jaxpr(jaxpr, (), *args)


def _remat_abstract_eval(*avals, jaxpr, prevent_cse, differentiated, policy):
    return [v.aval for v in jaxpr.outvars]


def _remat_jvp(primals, tangents, *, jaxpr, prevent_cse, differentiated, policy):
    """One remat2 of the jvp jaxpr: primal and tangent computation stay inside the checkpoint."""
    nonzeros = [type(t) is not Zero for t in tangents]
    jvp_closed, _ = ad.jvp_jaxpr(ClosedJaxpr(jaxpr, ()), nonzeros, instantiate=True)
    jvp_jaxpr, consts = pe.convert_constvars_jaxpr(jvp_closed.jaxpr), jvp_closed.consts
    outs = remat_p.bind(*consts, *primals, *[t for t in tangents if type(t) is not Zero],
                        jaxpr=jvp_jaxpr, prevent_cse=prevent_cse, differentiated=differentiated,
                        policy=policy)
    return outs[:len(jaxpr.outvars)], outs[len(jaxpr.outvars):]


def _recompute(known, residuals, policy):
    """The equations of the known jaxpr to run again in the backward pass, so that of `residuals`
    only values the policy saves (or inputs and constants) are kept: each residual the policy does
    not save is recomputed from the values before it, back to values that are saved. Equations with
    side effects (jax.debug) are run again too unless the policy saves them, as in JAX.

    Returns (the equations to recompute, in order, and the residuals kept instead)."""
    producer = {v: eqn for eqn in known.eqns for v in eqn.outvars}
    saveable = lambda eqn: policy(eqn.primitive, *[v.aval for v in eqn.invars], **eqn.params)
    recompute, kept = set(), {}
    todo = list(residuals) + [v for e in known.eqns if e.primitive.has_side_effects
                              and not saveable(e) for v in e.invars]
    for e in known.eqns:
        if e.primitive.has_side_effects and not saveable(e):
            recompute.add(id(e))
    while todo:
        v = todo.pop(0)
        eqn = producer.get(v) if type(v) is Var else None
        if eqn is None or saveable(eqn):
            kept.setdefault(v, None)  # an input, a constant, a literal, or a value we may save
        elif id(eqn) not in recompute:
            recompute.add(id(eqn))
            todo.extend(eqn.invars)
    return [e for e in known.eqns if id(e) in recompute], list(kept)


def _round_residuals(jaxpr, residuals):
    """Each saved float value that the forward pass also reads goes through reduce_precision to
    its own format, as JAX does: on XLA it pins the value's rounding, so that the forward pass and
    the backward pass see the same number (NumPy has no excess precision; the equation is a no-op)."""
    from jaxlite import lax
    read = {v for e in jaxpr.eqns for v in e.invars if type(v) is Var}
    rounded = {}
    for v in residuals:
        if v.aval.dtype.kind == "f" and v in read:
            info = np.finfo(v.aval.dtype)
            rounded[v] = dict(exponent_bits=int(info.nexp), mantissa_bits=int(info.nmant))
    eqns = []
    for e in jaxpr.eqns:
        targets = [v for v in e.outvars if v in rounded]
        if not targets or (e.primitive is lax.reduce_precision_p and e.params == rounded[targets[0]]):
            eqns.append(e)
            continue
        fresh = {v: Var(v.aval) for v in targets}
        eqns.append(core.JaxprEqn(e.invars, [fresh.get(v, v) for v in e.outvars], e.primitive, e.params))
        eqns += [core.JaxprEqn([fresh[v]], [v], lax.reduce_precision_p, rounded[v]) for v in targets]
    return Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.outvars, eqns)


def _remat_partial_eval(trace, tracers, *, jaxpr, prevent_cse, differentiated, policy):
    """Known values are computed now; the staged remat2 gets as residuals only what the policy
    saves, and recomputes the rest before the equations that need it."""
    unknown_in = [trace.is_unknown(t) for t in tracers]
    known, unknown, out_unknown, num_res = pe.partial_eval_jaxpr(ClosedJaxpr(jaxpr, ()), unknown_in)
    k = known.jaxpr
    n_known_outs = len(k.outvars) - num_res
    old_res = k.outvars[n_known_outs:]
    recompute, new_res = _recompute(k, old_res, policy or nothing_saveable)
    # The staged jaxpr reads the old residuals under the known jaxpr's names.
    inner = unknown.jaxpr
    rename = dict(zip(inner.invars[:num_res], old_res))
    sub = lambda v: rename.get(v, v) if type(v) is Var else v
    eqns = recompute + [core.JaxprEqn([sub(v) for v in e.invars], e.outvars, e.primitive, e.params)
                        for e in inner.eqns]
    # Inputs in their original order: the known ones under the known jaxpr's names.
    k_in, u_in = iter(k.invars), iter(inner.invars[num_res:])
    inputs = [next(u_in) if u else next(k_in) for u in unknown_in]
    input_set = set(inputs)
    res = [v for v in new_res if v not in input_set]
    staged = pe.dce_jaxpr(Jaxpr([], res + inputs, [sub(v) for v in inner.outvars], eqns))
    read = {v for e in staged.eqns for v in e.invars if type(v) is Var} | \
        {v for v in staged.outvars if type(v) is Var}
    res = [v for v in res if v in read]
    used = [v in read for v in inputs]
    staged = Jaxpr([], res + [v for v, u in zip(inputs, used) if u], staged.outvars, staged.eqns)
    # Now: the known outputs, and the residuals' values.
    known_vals = [t for t, u in zip(tracers, unknown_in) if not u]
    k_now = pe.dce_jaxpr(Jaxpr(k.constvars, k.invars, k.outvars[:n_known_outs] + res, k.eqns))
    k_now = _round_residuals(k_now, res)
    with set_current_trace(trace.parent_trace):
        outs = core.eval_jaxpr(k_now, known.consts, *known_vals)
    staged_args = outs[n_known_outs:] + [t for t, u in zip(tracers, used) if u]
    staged_outs = iter(trace.stage(remat_p, staged_args, dict(
        jaxpr=staged, prevent_cse=prevent_cse, differentiated=True, policy=policy)))
    known_outs = iter(outs[:n_known_outs])
    return [next(staged_outs) if u else next(known_outs) for u in out_unknown]


def _remat_transpose(cts, *args, jaxpr, prevent_cse, differentiated, policy):
    """A remat2 of the transposed jaxpr, which first recomputes the non-linear values (the forward
    pass, again) and then runs the backward pass through the linear equations."""
    linear = [ad.is_undefined_primal(a) for a in args]
    nonlinear = [a for a, lin in zip(args, linear) if not lin]
    known, unknown, out_unknown, num_res = pe.partial_eval_jaxpr(ClosedJaxpr(jaxpr, ()), linear)
    lin = unknown.jaxpr
    lin_jaxpr = Jaxpr(lin.invars[:num_res], lin.invars[num_res:], lin.outvars, lin.eqns)
    out_avals = [ad.tangent_aval(v.aval) for v in jaxpr.outvars]
    cts = [ad.instantiate_zeros(Zero(a) if type(ct) is Zero else ct) for ct, a in zip(cts, out_avals)]

    def transposed(*ins_and_cts):
        ins, cts_out = ins_and_cts[:len(nonlinear)], ins_and_cts[len(nonlinear):]
        recomputed = core.eval_jaxpr(known.jaxpr, known.consts, *ins)
        residuals = recomputed[len(recomputed) - num_res:] if num_res else []
        cts_lin = [ct for ct, u in zip(cts_out, out_unknown) if u]
        return [ad.instantiate_zeros(ct) for ct in ad.backward_pass(lin_jaxpr, residuals, cts_lin)]

    t_jaxpr, consts = _trace_open(transposed, [get_aval(a) for a in nonlinear] + out_avals)
    cts_in = iter(remat_p.bind(*consts, *nonlinear, *cts, jaxpr=t_jaxpr, prevent_cse=prevent_cse,
                               differentiated=True, policy=policy))
    return [next(cts_in) if lin else None for lin in linear]


def _remat_batcher(args, dims, *, jaxpr, **params):
    size = batching.axis_size_of(args, dims)
    out_batched = batching.batched_outputs(jaxpr, [d is not batching.not_mapped for d in dims])
    out_dims = [0 if b else batching.not_mapped for b in out_batched]
    batched, _ = batching.batch_jaxpr(ClosedJaxpr(jaxpr, ()), size, dims, out_dims)
    return remat_p.bind(*batched.consts, *args, jaxpr=pe.convert_constvars_jaxpr(batched.jaxpr),
                        **params), out_dims


def _remat_codegen(em, eqn, ins):
    """The block becomes a nested function: like XLA's optimisation barrier, this keeps the
    recomputation from being merged with the forward values it repeats."""
    name = f"_remat{em.n_consts}"
    em.n_consts += 1
    lines = em.function(name, eqn.params["jaxpr"])
    outs = ", ".join(em.name(v) for v in eqn.outvars) + ("," if len(eqn.outvars) == 1 else "")
    lines.append(f"{outs} = {name}({', '.join(ins)})" if eqn.outvars else f"{name}({', '.join(ins)})")
    return lines


def _pp_remat_params(params):
    return [(k, v if k != "policy" or v is None else str(v)) for k, v in sorted(params.items())]


remat_p.def_impl(_remat_impl)
remat_p.def_abstract_eval(_remat_abstract_eval)
core.pp_params_rules[remat_p] = _pp_remat_params
ad.primitive_jvps[remat_p] = _remat_jvp
ad.primitive_transposes[remat_p] = _remat_transpose
pe.partial_eval_rules[remat_p] = _remat_partial_eval
batching.primitive_batchers[remat_p] = _remat_batcher
register_lowering(remat_p, _remat_codegen, "numpy")
# On XLA a checkpointed block runs inside jax.checkpoint, so XLA sees JAX's own remat.
register_lowering(remat_p, lambda ctx, *xs, jaxpr, prevent_cse, **_: ctx.jax.checkpoint(
    ctx.sub(jaxpr), prevent_cse=prevent_cse)(*xs), "xla")


# ----------------------------------------------------------------------------------------------
# The user-facing functions

def checkpoint(fun, *, prevent_cse=True, policy=None, static_argnums=(), static_argnames=(),
               concrete=None):
    """`fun`, made to recompute its intermediate values in the backward pass instead of storing
    them (except those `policy` saves). Values are unchanged; only what grad keeps in memory is.

    `static_argnames` is accepted and, as in JAX 0.10, not used: only `static_argnums` makes an
    argument static."""
    if concrete is not None:
        raise NotImplementedError(
            "The `concrete` option to `jax.checkpoint` was deprecated in JAX v0.8.2, and removed in "
            "JAX v0.10.0. In its place please use `static_argnums`; for details refer to "
            "https://docs.jax.dev/en/latest/jep/11830-new-remat-checkpoint.html.")
    if not isinstance(prevent_cse, bool):
        raise NotImplementedError("jax.checkpoint with one prevent_cse flag per argument is not "
                                  "supported by jaxlite; pass prevent_cse=True or False")
    static_argnums = (static_argnums,) if type(static_argnums) is int else static_argnums
    if not (type(static_argnums) is tuple and all(type(d) is int for d in static_argnums)):
        raise TypeError(errors.with_hint("the `static_argnums` argument to `jax.checkpoint` / `jax.remat` must be "
                                         f"an int, tuple of ints or, bool, but got value {static_argnums}",
                                         "give the positions of the static arguments, e.g. static_argnums=(1,)."))

    @functools.wraps(fun)
    def fun_remat(*args, **kwargs):
        if not all(-len(args) <= d < len(args) for d in static_argnums):
            raise ValueError(errors.with_hint(
                "the `static_argnums` argument to `jax.checkpoint` / `jax.remat` can only "
                "take integer values greater than or equal to `-len(args)` and less than "
                f"`len(args)`, but got {static_argnums}, while `len(args)` = {len(args)}",
                f"static_argnums counts the positional arguments of this call from 0, here 0 to {len(args) - 1}."))
        static = {d % len(args) for d in static_argnums}
        dyn_args = tuple(a for i, a in enumerate(args) if i not in static)

        def with_static(*dyn, **kw):
            it = iter(dyn)
            return fun(*[args[i] if i in static else next(it) for i in range(len(args))], **kw)

        leaves, in_tree = tree_util.tree_flatten((dyn_args, kwargs))
        leaves = [api_util.as_array(x) for x in leaves]
        flat, out_tree = api_util.flatten_fun(with_static, in_tree, api_util.checked_outputs)
        jaxpr, consts = _trace_open(flat, [get_aval(x) for x in leaves])
        outs = remat_p.bind(*consts, *leaves, jaxpr=jaxpr, prevent_cse=prevent_cse,
                            differentiated=False, policy=policy)
        return tree_util.tree_unflatten(out_tree(), outs)

    return fun_remat


def remat(fun, *, prevent_cse=True, policy=None, static_argnums=(), concrete=None):
    """Another name of `checkpoint` (a function of its own, as in JAX, without static_argnames)."""
    return checkpoint(fun, prevent_cse=prevent_cse, policy=policy, static_argnums=static_argnums,
                      concrete=concrete)


# ----------------------------------------------------------------------------------------------
# What reverse mode keeps: the residuals of linearize, and where each comes from

def saved_residuals(f, *args, **kwargs):
    """[(aval, where it comes from)] for each value that vjp of f stores for the backward pass."""
    leaves, in_tree = tree_util.tree_flatten((args, kwargs))
    leaves = [api_util.as_array(x) for x in leaves]
    names = pe.signature_arg_names(f, args, kwargs)

    def residuals_of(*xs):
        flat, _ = api_util.flatten_fun(f, in_tree, api_util.checked_outputs)
        _, _, consts = ad.linearize_flat(flat, list(xs))
        return consts

    closed, _ = pe.trace_to_jaxpr(residuals_of, [get_aval(x) for x in leaves])
    return _describe_residuals(closed.jaxpr, names)


def _describe_residuals(jaxpr, arg_names):
    from jaxlite import lax
    # A value rounded by reduce_precision comes from the equation before it.
    rounded = {e.outvars[0]: e.invars[0] for e in jaxpr.eqns if e.primitive is lax.reduce_precision_p}
    res_vars = {rounded.get(v, v) for v in jaxpr.outvars if type(v) is Var}
    results = [(v.aval, "from a literal") for v in jaxpr.outvars if type(v) is not Var]
    results += [(v.aval, "from a constant") for v in jaxpr.constvars if v in res_vars]
    results += [(v.aval, f"from the argument {name}" if name else
                 f"from the argument at flattened index {i}")
                for i, (v, name) in enumerate(zip(jaxpr.invars, arg_names)) if v in res_vars]
    for eqn in jaxpr.eqns:
        for v in eqn.outvars:
            if v in res_vars:
                if eqn.primitive is name_p:
                    results.append((v.aval, f"named '{eqn.params['name']}'"))
                elif eqn.primitive.name == "jit":
                    results.append((v.aval, f"output of jitted function '{eqn.params['name']}'"))
                else:
                    results.append((v.aval, f"output of {eqn.primitive.name}"))
    return results


def print_saved_residuals(f, *args, **kwargs):
    """One line per residual, as JAX prints them (jaxlite records no source lines, so the
    `from file:line` of JAX's lines is left out)."""
    for aval, source in saved_residuals(f, *args, **kwargs):
        print(f"{aval.str_short()} {source}")
