"""custom_jvp and custom_vjp: a Python function with a derivative rule written by its author.

Mirrors jax/_src/custom_derivatives.py. Calling a decorated function binds a primitive that carries
both the function and its rule, and the current trace decides which to use: evaluation runs the
function, jvp runs the rule, staging (make_jaxpr, jit) records one `custom_jvp_call` or
`custom_vjp_call` equation, vmap batches function and rule alike. For custom_vjp, jvp runs the
user's fwd and leaves a `custom_lin` equation whose transpose is the user's bwd.
"""
import functools
import inspect

from jaxlite import api_util, core, errors, tree_util
from jaxlite.core import get_aval
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters.lowering import register_lowering


# ----------------------------------------------------------------------------------------------
# The primitives

class CustomJVPCallPrimitive(core.Primitive):
    """Carries (fun, jvp): `bind_with` hands both to the current trace's process_custom_jvp_call."""

    multiple_results = True

    def bind_with(self, fun, jvp, args):
        return core.current_trace().process_custom_jvp_call(self, fun, jvp, args)

    def bind(self, *args, call_jaxpr, jvp_jaxpr_fun, num_consts, symbolic_zeros):
        """Binding a staged equation (eval_jaxpr) rebuilds the function from its jaxpr, whose
        first `num_consts` inputs are closed-over constants that the rule never sees."""
        fun = functools.partial(core.eval_jaxpr, call_jaxpr.jaxpr, call_jaxpr.consts)

        @functools.wraps(jvp_jaxpr_fun)
        def jvp(primals, tangents):
            return jvp_jaxpr_fun(primals[num_consts:], tangents[num_consts:])

        return self.bind_with(fun, jvp, args)


class CustomVJPCallPrimitive(core.Primitive):
    """Carries (fun, fwd, bwd): `bind_with` hands them to process_custom_vjp_call."""

    multiple_results = True

    def bind_with(self, fun, fwd, bwd, args, out_trees):
        return core.current_trace().process_custom_vjp_call(self, fun, fwd, bwd, args, out_trees)

    def bind(self, *args, call_jaxpr, fwd_jaxpr_thunk, bwd, num_consts, out_trees, symbolic_zeros):
        fun = functools.partial(core.eval_jaxpr, call_jaxpr.jaxpr, call_jaxpr.consts)
        const_avals = call_jaxpr.in_avals[:num_consts]

        @functools.wraps(fwd_jaxpr_thunk)
        def fwd(*xs):
            return fwd_jaxpr_thunk(*xs[num_consts:])

        @functools.wraps(bwd)
        def bwd_with_consts(residuals, cts):
            return [_zeros(aval) for aval in const_avals] + list(bwd(residuals, cts))

        return self.bind_with(fun, fwd, bwd_with_consts, args, out_trees)


def _call_impl(*args, call_jaxpr, **params):
    """What a backend that runs equations one by one (jit's code generator) does: the function."""
    return core.eval_jaxpr(call_jaxpr.jaxpr, call_jaxpr.consts, *args)


def _call_abstract_eval(*avals, call_jaxpr, **params):
    return call_jaxpr.out_avals


def _call_transpose(cts, *args, call_jaxpr, **params):
    """Used linearly (a rule applying a custom function to tangents), the call transposes as its
    jaxpr does: the known inputs become that jaxpr's constants."""
    jaxpr = call_jaxpr.jaxpr
    known = [(v, x) for v, x in zip(jaxpr.invars, args) if not ad.is_undefined_primal(x)]
    linear = [v for v, x in zip(jaxpr.invars, args) if ad.is_undefined_primal(x)]
    linear_jaxpr = core.Jaxpr([v for v, _ in known], linear, jaxpr.outvars, jaxpr.eqns)
    cts_linear = iter(ad.backward_pass(linear_jaxpr, [x for _, x in known], cts))
    return [next(cts_linear) if ad.is_undefined_primal(x) else None for x in args]


def _rule_name(rule, attr):
    return getattr(rule, attr, getattr(rule, "__name__", "<unknown>"))


def _pp_custom_jvp_call(params):
    """JAX prints the function's name first, then the other params sorted, num_consts if any."""
    jvp = params["jvp_jaxpr_fun"]
    items = [("name", _rule_name(jvp, "fun_name")), ("call_jaxpr", params["call_jaxpr"]),
             ("jvp", _rule_name(jvp, "__name__"))]
    if params["num_consts"]:
        items.append(("num_consts", params["num_consts"]))
    return items + [("symbolic_zeros", params["symbolic_zeros"])]


def _pp_custom_vjp_call(params):
    fwd = params["fwd_jaxpr_thunk"]
    items = [("name", _rule_name(fwd, "fun_name")), ("bwd", _rule_name(params["bwd"], "__name__")),
             ("call_jaxpr", params["call_jaxpr"]), ("fwd", _rule_name(fwd, "__name__"))]
    if params["num_consts"]:
        items.append(("num_consts", params["num_consts"]))
    return items + [("symbolic_zeros", params["symbolic_zeros"])]


custom_jvp_call_p = CustomJVPCallPrimitive("custom_jvp_call")
custom_jvp_call_p.def_impl(_call_impl)
custom_jvp_call_p.def_abstract_eval(_call_abstract_eval)
core.pp_params_rules[custom_jvp_call_p] = _pp_custom_jvp_call
ad.primitive_transposes[custom_jvp_call_p] = _call_transpose

custom_vjp_call_p = CustomVJPCallPrimitive("custom_vjp_call")
custom_vjp_call_p.def_impl(_call_impl)
custom_vjp_call_p.def_abstract_eval(_call_abstract_eval)
core.pp_params_rules[custom_vjp_call_p] = _pp_custom_vjp_call
ad.primitive_transposes[custom_vjp_call_p] = _call_transpose
for _prim in (custom_jvp_call_p, custom_vjp_call_p):  # a backend runs the function itself
    register_lowering(_prim, numpy_codegen.impl_call(_prim), "numpy")
    register_lowering(_prim, lambda ctx, *xs, call_jaxpr, **_: ctx.sub(call_jaxpr)(*xs), "xla")


def _custom_lin_batcher(args, dims, **params):
    raise TypeError(errors.with_hint("can't apply forward-mode autodiff (jvp) to a custom_vjp function.",
                                     errors.CUSTOM_VJP_FORWARD_HINT))


batching.primitive_batchers[ad.custom_lin_p] = _custom_lin_batcher


# ----------------------------------------------------------------------------------------------
# Shared helpers

def _resolve_args(fun, args, kwargs):
    """Keyword arguments become positional ones and defaults are filled in, so that nondiff_argnums
    count them and the rules receive them (as JAX does)."""
    try:
        signature = inspect.signature(fun)
    except (TypeError, ValueError):  # no signature to read (some builtins): take the call as given
        if kwargs:
            raise TypeError("keyword arguments could not be resolved to positions") from None
        return tuple(args)
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    if bound.kwargs:
        raise TypeError(errors.with_hint("keyword arguments could not be resolved to positions",
            "pass the arguments of a custom_jvp/custom_vjp function positionally."))
    return tuple(bound.args)


def _nondiff_argnums(fun, argnums, argnames):
    nums = set(argnums)
    if argnames:
        params = list(inspect.signature(fun).parameters)
        nums.update(params.index(name) for name in argnames)
    return tuple(sorted(nums))


def _split_args(args, nondiff_argnums):
    nondiff = tuple(args[i] for i in nondiff_argnums)
    diff = tuple(a for i, a in enumerate(args) if i not in nondiff_argnums)
    return nondiff, diff


def _merge_args(nondiff_argnums, nondiff, diff):
    total = len(nondiff) + len(diff)
    nondiff, diff = iter(nondiff), iter(diff)
    return [next(nondiff) if i in nondiff_argnums else next(diff) for i in range(total)]


def _check_leaves(leaves):
    for x in leaves:
        if not core.valid_jaxtype(x):
            raise TypeError(errors.with_hint(
                f"Argument '{x}' of type {type(x)} is not a valid JAX type.",
                "a custom_jvp/custom_vjp function takes arrays (or pytrees of them): pass other values "
                "through nondiff_argnums, or close over them."))


def _zeros(aval):
    return ad.instantiate_zeros(ad.Zero(ad.tangent_aval(aval)))


def _same_type(aval, expected):
    return (aval.shape, aval.dtype) == (expected.shape, expected.dtype)


# ----------------------------------------------------------------------------------------------
# custom_jvp

class custom_jvp:
    """Decorate a function to give it a hand-written JVP rule: `f.defjvp(f_jvp)` where
    `f_jvp(primals, tangents)` returns `(primal_out, tangent_out)`. Reverse mode comes for free:
    grad linearizes the rule and transposes it."""

    def __init__(self, fun, nondiff_argnums=(), nondiff_argnames=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = _nondiff_argnums(fun, nondiff_argnums, nondiff_argnames)
        self.jvp = None
        self.symbolic_zeros = False

    def defjvp(self, jvp, symbolic_zeros=False):
        """Set the rule `jvp(*nondiff_args, primals, tangents) -> (primal_out, tangent_out)`;
        returns it, so that `@f.defjvp` works as a decorator."""
        if symbolic_zeros:
            raise NotImplementedError("jaxlite's custom_jvp supports only symbolic_zeros=False")
        self.jvp = jvp
        return jvp

    def defjvps(self, *jvps):
        """One rule per argument, `rule(tangent, primal_out, *primals)`, or None for an argument
        with no derivative; the output tangent is the sum of the contributions."""
        if self.nondiff_argnums:
            raise TypeError(errors.with_hint("Can't use ``defjvps`` with ``nondiff_argnums``.",
                "with nondiff_argnums, give the rule with defjvp, which receives the non-differentiable arguments"
                " first."))

        def jvp(primals, tangents):
            primal_out = self(*primals)
            parts = [rule(t, primal_out, *primals) for rule, t in zip(jvps, tangents)
                     if rule is not None]
            if not parts:
                return primal_out, tree_util.tree_map(lambda x: _zeros(get_aval(x)), primal_out)
            return primal_out, tree_util.tree_map(lambda *ts: functools.reduce(ad.add_tangents, ts),
                                                  *parts)

        self.defjvp(jvp)

    def __call__(self, *args, **kwargs):
        name = getattr(self.fun, "__name__", str(self.fun))
        if self.jvp is None:
            raise AttributeError(errors.with_hint(
                f"No JVP defined for custom_jvp function {name} using defjvp.",
                f"give {name} its rule before calling it: {name}.defjvp(rule), or decorate the rule with "
                f"@{name}.defjvp."))
        args = _resolve_args(self.fun, args, kwargs)
        nums = self.nondiff_argnums
        nondiff, diff = _split_args(args, nums)
        leaves, in_tree = tree_util.tree_flatten(diff)
        _check_leaves(leaves)
        fun, out_tree = api_util.flatten_fun_nokwargs(lambda *d: self.fun(*_merge_args(nums, nondiff, d)),
                                                      in_tree)
        jvp = _flat_jvp(self.jvp, nondiff, in_tree, out_tree, name)
        outs = custom_jvp_call_p.bind_with(fun, jvp, leaves)
        return tree_util.tree_unflatten(out_tree(), outs)


def _flat_jvp(rule, nondiff, in_tree, out_tree, fun_name):
    """The user's rule on flat lists: (primals, tangents) -> (primals_out, tangents_out), checked.
    It carries the names that the staged equation prints."""
    rule_name = getattr(rule, "__name__", str(rule))

    def flat_jvp(primals, tangents):
        out = rule(*nondiff, tree_util.tree_unflatten(in_tree, primals),
                   tree_util.tree_unflatten(in_tree, tangents))
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError(errors.with_hint(
                f"Custom JVP rule {rule_name} for function {fun_name} must produce a pair "
                "(list or tuple of length two) representing primal and tangent outputs, "
                f"but got {out}.",
                "the rule returns both the primal output and its tangent: return primal_out, "
                "tangent_out (e.g. return f(x), jnp.cos(x) * t)."))
        p_leaves, p_tree = tree_util.tree_flatten(out[0])
        t_leaves, t_tree = tree_util.tree_flatten(out[1])
        if p_tree != t_tree:
            raise TypeError(errors.with_hint(
                f"Custom JVP rule {rule_name} for function {fun_name} must produce primal "
                "and tangent outputs with equal container (pytree) structures, but got "
                f"{p_tree} and {t_tree} respectively.",
                "the tangent output mirrors the primal output: one tangent per output, in the same "
                "tuple or dict."))
        _check_tangents_out(p_leaves, t_leaves)
        out_tree.store(p_tree)
        return p_leaves, t_leaves

    flat_jvp.__name__ = rule_name
    flat_jvp.fun_name = fun_name
    return flat_jvp


def _check_tangents_out(primals, tangents):
    triples = [(get_aval(p), ad.tangent_aval(get_aval(p)), get_aval(t)) for p, t in zip(primals, tangents)]
    bad = [(p, e, t) for p, e, t in triples if not _same_type(t, e)]
    if not bad:
        return
    p, e, t = bad[0]
    if p.shape != t.shape:
        hint = (f"each output tangent must have its primal output's shape ({p.str_short()} here): check the "
                "primal output the rule returns and the tangent it computes (a sum, a broadcast).")
    else:
        hint = (f"each output tangent must have its primal output's dtype: cast it, e.g. "
                f"tangent.astype(jnp.{e.dtype.name}), or compute it from float values.")
    if len(triples) == 1:
        raise TypeError(errors.with_hint(
            "Custom JVP rule must produce primal and tangent outputs with corresponding "
            f"shapes and dtypes. Expected {e.str_short(short_dtypes=False)} (tangent type of "
            f"{p.str_short(short_dtypes=False)}) but "
            f"got {t.str_short(short_dtypes=False)}.", hint))
    raise TypeError(errors.with_hint(
        "Custom JVP rule must produce primal and tangent outputs with corresponding "
        "shapes and dtypes, but got:\n" + "\n".join(
            f"  primal {p.str_short(short_dtypes=False)} with tangent {t.str_short(short_dtypes=False)}, "
            f"expecting tangent {e.str_short(short_dtypes=False)}"
            for p, e, t in bad), hint))


# ----------------------------------------------------------------------------------------------
# custom_vjp

class custom_vjp:
    """Decorate a function to give it a hand-written VJP: `f.defvjp(fwd, bwd)`, where
    `fwd(*args) -> (out, residuals)` and `bwd(residuals, out_cotangent)` returns a tuple with one
    cotangent per argument (None for zero)."""

    def __init__(self, fun, nondiff_argnums=(), nondiff_argnames=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = _nondiff_argnums(fun, nondiff_argnums, nondiff_argnames)
        self.fwd = None
        self.bwd = None

    def defvjp(self, fwd, bwd, symbolic_zeros=False, optimize_remat=False):
        if symbolic_zeros:
            raise NotImplementedError("jaxlite's custom_vjp supports only symbolic_zeros=False")
        self.fwd = fwd
        self.bwd = bwd

    def __call__(self, *args, **kwargs):
        name = getattr(self.fun, "__name__", str(self.fun))
        if self.fwd is None:
            raise AttributeError(errors.with_hint(
                f"No VJP defined for custom_vjp function {name} using defvjp.",
                f"give {name} its rules before calling it: {name}.defvjp(fwd, bwd)."))
        args = _resolve_args(self.fun, args, kwargs)
        nums = self.nondiff_argnums
        nondiff, diff = _split_args(args, nums)
        leaves, in_tree = tree_util.tree_flatten(diff)
        _check_leaves(leaves)
        in_avals = [get_aval(x) for x in leaves]
        trees = {}  # "out": output treedef, "res": residuals treedef, from whichever rule ran
        fun, out_tree = api_util.flatten_fun_nokwargs(lambda *d: self.fun(*_merge_args(nums, nondiff, d)),
                                                      in_tree)
        fwd = _flat_fwd(self.fwd, nums, nondiff, in_tree, trees, name)
        bwd = _flat_bwd(self.bwd, nondiff, in_tree, in_avals, trees)
        outs = custom_vjp_call_p.bind_with(fun, fwd, bwd, leaves, lambda: (trees["out"], trees["res"]))
        return tree_util.tree_unflatten(out_tree() if out_tree else trees["out"], outs)


def _flat_fwd(rule, nums, nondiff, in_tree, trees, fun_name):
    rule_name = getattr(rule, "__name__", str(rule))

    def flat_fwd(*leaves):
        out = rule(*_merge_args(nums, nondiff, tree_util.tree_unflatten(in_tree, leaves)))
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError(errors.with_hint(
                f"Custom VJP fwd rule {rule_name} for function {fun_name} must produce a "
                "pair (list or tuple of length two) where the first element represents the "
                "primal output (equal to those of the custom_vjp-decorated function "
                f"{fun_name}) and the second element represents residuals (i.e. values "
                "stored from the forward pass for use on the backward pass), but instead of "
                f"a pair the fwd rule {rule_name} produced {out}.",
                "fwd returns the output and what bwd will need: return out, residuals (residuals may "
                "be None or a tuple of arrays)."))
        out_leaves, trees["out"] = tree_util.tree_flatten(out[0])
        res_leaves, trees["res"] = tree_util.tree_flatten(out[1])
        return out_leaves, res_leaves

    flat_fwd.__name__ = rule_name
    flat_fwd.fun_name = fun_name
    return flat_fwd


def _flat_bwd(rule, nondiff, in_tree, in_avals, trees):
    """The user's bwd on flat lists: (residuals, output cotangents) -> one cotangent per input leaf,
    None (for a whole argument or any subtree) meaning zeros."""
    def flat_bwd(residuals, cts):
        cts_in = rule(*nondiff, tree_util.tree_unflatten(trees["res"], residuals),
                      tree_util.tree_unflatten(trees["out"], cts))
        if not isinstance(cts_in, tuple) or len(cts_in) != len(in_tree.children()):
            n = len(in_tree.children())
            raise TypeError(errors.with_hint(
                "Custom VJP bwd rule must produce an output with the same container "
                "(pytree) structure as the args tuple of the primal function, and in "
                "particular must produce a tuple of length equal to the number of arguments "
                "to the primal function, but got bwd output structure "
                f"{tree_util.tree_structure(cts_in)} for primal input structure {in_tree}.",
                f"bwd returns a tuple with one cotangent per argument of the function ({n} here), "
                f"None for an argument with no gradient{': return (ct,) for one argument' if n == 1 else ''}."))
        return _cotangent_leaves(cts_in, in_tree, in_avals)

    flat_bwd.__name__ = getattr(rule, "__name__", str(rule))
    return flat_bwd


def _cotangent_leaves(cts_in, in_tree, in_avals):
    leaves = []
    for arg_tree, ct in zip(in_tree.children(), cts_in):
        if ct is None:
            leaves.extend([None] * arg_tree.num_leaves)
        else:
            leaves.extend(arg_tree.flatten_up_to(ct))
    paths = [p for p, _ in tree_util.tree_flatten_with_path(tree_util.tree_unflatten(in_tree, in_avals))[0]]
    out = []
    for ct, aval, path in zip(leaves, in_avals, paths):
        if ct is None:
            out.append(_zeros(aval))
            continue
        ct_aval, expected = get_aval(ct), ad.tangent_aval(aval)
        if not _same_type(ct_aval, expected):
            what = "shapes" if ct_aval.shape != expected.shape else "dtypes"
            raise ValueError(errors.with_hint(
                "Custom VJP bwd rule must produce an output with the same type as the args "
                f"tuple of the primal function, but at output{tree_util.keystr(path)} the "
                f"bwd rule produced an output of type {ct_aval.str_short(short_dtypes=False)} corresponding to an "
                f"input of type {aval.str_short(short_dtypes=False)}, so the {what} do not match",
                f"bwd must give each argument a cotangent of the argument's shape ({expected.str_short()} "
                "here): broadcast a reduced one back, e.g. jnp.broadcast_to(g, shape) with the shape "
                "saved as a residual." if what == "shapes" else
                f"bwd must give each argument a cotangent of the argument's dtype: cast it with "
                f".astype(jnp.{expected.dtype.name})."))
        out.append(ct)
    return out
