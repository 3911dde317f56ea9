"""Tracing Python functions into jaxprs, and partial evaluation.

Mirrors jax/_src/interpreters/partial_eval.py. `DynamicJaxprTrace` stages every primitive out as an
equation (make_jaxpr, jit). `PartialEvalTrace` stages out only what depends on unknown inputs and
evaluates the rest right away: run under jvp with known primals and unknown tangents, it is linearize.
"""
import functools
import inspect

import numpy as np

from jaxlite import core
from jaxlite.errors import display_name
from jaxlite.core import (ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Trace, Tracer, Var, get_aval,
                          set_current_trace)


class DynamicJaxprTracer(Tracer):
    """A value being staged out: it is a jaxpr variable with an abstract value."""

    __slots__ = ("_aval", "var")
    _tracer_name = "JitTracer"

    def __init__(self, trace, aval, var):
        self._trace = trace
        self._aval = aval
        self.var = var

    aval = property(lambda self: self._aval)


class JaxprTracer(DynamicJaxprTracer):
    """An unknown value of partial evaluation (linearize's tangents): JAX prints these as
    `Traced<float32[]:JaxprTrace>`."""

    __slots__ = ()

    def __repr__(self):
        return f"Traced<{self._repr_body()}:JaxprTrace>"


class DebugInfo:
    """What error messages say about the traced function: its name, where it lives, its arguments."""

    def __init__(self, what, fun=None, arg_names=None, static_hows=None):
        self.what = what
        self.static_hows = static_hows  # per argument leaf, how jit would make it static
        self.fun_name = getattr(fun, "__name__", "<unnamed function>")
        self.where = source_location(fun) or "<unknown>"
        self.arg_names = arg_names


def source_location(fun):
    """`file:line` where `fun` is defined (as JAX reads it, from the code object), or None."""
    while isinstance(fun, functools.partial):
        fun = fun.func
    code = getattr(inspect.unwrap(fun), "__code__", None)
    return None if code is None else f"{code.co_filename}:{code.co_firstlineno}"


def signature_arg_names(fun, args, kwargs):
    """Names for each flattened positional leaf, like JAX's `x`, `params['w']`."""
    from jaxlite import tree_util
    try:
        bound = inspect.signature(fun).bind(*args, **kwargs)
        items = list(bound.arguments.items())
    except (TypeError, ValueError):
        items = [(f"args[{i}]", a) for i, a in enumerate(args)]
    names = []
    for name, value in items:
        for path, _ in tree_util.tree_flatten_with_path(value)[0]:
            names.append(name + tree_util.keystr(path))
    return names


class DynamicJaxprTrace(Trace):
    """Records each primitive applied to its tracers as a jaxpr equation."""

    tracer_type = DynamicJaxprTracer

    def __init__(self, parent_trace=None, debug_info=None):
        super().__init__(parent_trace)
        self.invars = []
        self.eqns = []
        self.consts = {}  # id(value) -> (constvar, value)
        self.debug_info = debug_info

    def new_arg(self, aval):
        var = Var(aval)
        self.invars.append(var)
        return self.tracer_type(self, aval, var)

    def to_atom(self, x):
        """The jaxpr operand for `x`: its variable, a literal, or a constvar for a closed-over value."""
        if isinstance(x, DynamicJaxprTracer) and x._trace is self:
            return x.var
        if isinstance(x, Tracer):
            if not x._trace.alive:
                raise core.escaped_tracer_error(x)
        else:
            aval = get_aval(x)
            if aval.shape == () and isinstance(aval.dtype, np.dtype):  # not a typed PRNG key
                # The value itself, not its NumPy payload: evaluating the jaxpr keeps weak types.
                return Literal(x, aval)
        entry = self.consts.get(id(x))
        if entry is None:
            entry = self.consts[id(x)] = (Var(get_aval(x)), x)
        return entry[0]

    def process_primitive(self, primitive, tracers, params):
        atoms = [self.to_atom(x) for x in tracers]
        out_avals = primitive.abstract_eval(*[a.aval for a in atoms], **params)
        if primitive.multiple_results:
            outvars = [Var(a) for a in out_avals]
            self.eqns.append(JaxprEqn(atoms, outvars, primitive, params))
            return [self.tracer_type(self, v.aval, v) for v in outvars]
        outvar = Var(out_avals)
        self.eqns.append(JaxprEqn(atoms, [outvar], primitive, params))
        return self.tracer_type(self, out_avals, outvar)

    def process_custom_jvp_call(self, primitive, fun, jvp, tracers):
        closed, _ = trace_to_jaxpr(fun, [get_aval(x) for x in tracers])
        consts = closed.consts
        inner = ClosedJaxpr(convert_constvars_jaxpr(closed.jaxpr), ())
        return self.process_primitive(
            primitive, list(consts) + list(tracers),
            dict(call_jaxpr=inner, jvp_jaxpr_fun=jvp, num_consts=len(consts), symbolic_zeros=False))

    def process_custom_vjp_call(self, primitive, fun, fwd, bwd, tracers, out_trees):
        closed, _ = trace_to_jaxpr(fun, [get_aval(x) for x in tracers])
        consts = closed.consts
        inner = ClosedJaxpr(convert_constvars_jaxpr(closed.jaxpr), ())
        return self.process_primitive(
            primitive, list(consts) + list(tracers),
            dict(call_jaxpr=inner, fwd_jaxpr_thunk=fwd, bwd=bwd, num_consts=len(consts),
                 out_trees=out_trees, symbolic_zeros=False))

    def to_jaxpr(self, outs):
        outvars = [self.to_atom(x) for x in outs]
        constvars = [var for var, _ in self.consts.values()]
        consts = [value for _, value in self.consts.values()]
        return Jaxpr(constvars, self.invars, outvars, self.eqns), consts

    def _dependent_args(self, tracer):
        """Indices of the arguments a traced value depends on (None without debug info)."""
        if self.debug_info is None or not isinstance(tracer, DynamicJaxprTracer) or tracer._trace is not self:
            return None
        deps = self._invar_dependence(tracer.var)
        return [i for i, v in enumerate(self.invars) if v in deps]

    def static_argument_fix(self, tracer):
        """`jit(f, static_argnums=1)` when a traced value depends on one argument jit could make
        static (named as it was passed: by position, or by keyword), else None."""
        deps, info = self._dependent_args(tracer), self.debug_info
        hows = {info.static_hows[i] for i in deps or () if info.static_hows and i < len(info.static_hows)}
        if len(hows) != 1:
            return None
        return f"jit({display_name(info.fun_name)}, {hows.pop()})"

    def describe_dependence(self, tracer):
        """Which arguments a value depends on, for ConcretizationTypeError messages."""
        deps = self._dependent_args(tracer)
        if deps is None:
            return ""
        info = self.debug_info
        names = info.arg_names or []
        args = [names[i] if i < len(names) else f"args[{i}]" for i in deps]
        text = (f"\nThe error occurred while tracing the function {info.fun_name} at {info.where} "
                f"for {info.what}.")
        if args:
            if len(args) == 1:
                which = f"value of the argument {args[0]}"
            elif len(args) == 2:
                which = f"values of the arguments {args[0]} and {args[1]}"
            else:
                which = f"values of the arguments {', '.join(args[:-1])}, and {args[-1]}"
            text += (" This concrete value was not available in Python because it depends on the "
                     f"{which}.")
        return text

    def _invar_dependence(self, var):
        producers = {v: e for e in self.eqns for v in e.outvars}
        seen, todo = set(), [var]
        while todo:
            v = todo.pop()
            if v in seen or type(v) is Literal:
                continue
            seen.add(v)
            eqn = producers.get(v)
            if eqn is not None:
                todo.extend(eqn.invars)
        return seen


def convert_constvars_jaxpr(jaxpr, which=None):
    """The jaxpr with its constvars (those marked in `which`, or all) moved to the front of its
    inputs, in order: a primitive carrying a sub-jaxpr passes its constants as operands."""
    if which is None:
        return Jaxpr([], jaxpr.constvars + jaxpr.invars, jaxpr.outvars, jaxpr.eqns)
    moved = [v for v, m in zip(jaxpr.constvars, which) if m]
    kept = [v for v, m in zip(jaxpr.constvars, which) if not m]
    return Jaxpr(kept, moved + jaxpr.invars, jaxpr.outvars, jaxpr.eqns)


# Primitives carrying sub-jaxprs (jit, cond, scan) split themselves into a known part, evaluated
# now, and an unknown part, staged: rule(trace, tracers, **params) -> outputs.
partial_eval_rules = {}


class PartialEvalTrace(DynamicJaxprTrace):
    """Known inputs (anything but this trace's tracers) are computed now, in the parent trace;
    only equations touching an unknown input are staged. JAX calls this JaxprTrace."""

    tracer_type = JaxprTracer

    def process_primitive(self, primitive, tracers, params):
        for x in tracers:
            if isinstance(x, DynamicJaxprTracer) and x._trace is self:
                rule = partial_eval_rules.get(primitive)
                if rule is not None:
                    return rule(self, tracers, **params)
                return super().process_primitive(primitive, tracers, params)
        with set_current_trace(self.parent_trace):  # all known: computed now by the parent
            return self.parent_trace.process_primitive(primitive, tracers, params)

    def is_unknown(self, x):
        return isinstance(x, DynamicJaxprTracer) and x._trace is self

    def stage(self, primitive, tracers, params):
        """Record an equation even if some inputs are known (they become constants of the jaxpr)."""
        return DynamicJaxprTrace.process_primitive(self, primitive, tracers, params)

    def _all_known(self, tracers):
        return not any(isinstance(x, DynamicJaxprTracer) and x._trace is self for x in tracers)

    def process_custom_jvp_call(self, primitive, fun, jvp, tracers):
        if self._all_known(tracers):
            with set_current_trace(self.parent_trace):
                return primitive.bind_with(fun, jvp, tracers)
        return super().process_custom_jvp_call(primitive, fun, jvp, tracers)

    def process_custom_vjp_call(self, primitive, fun, fwd, bwd, tracers, out_trees):
        if self._all_known(tracers):
            with set_current_trace(self.parent_trace):
                return primitive.bind_with(fun, fwd, bwd, tracers, out_trees)
        return super().process_custom_vjp_call(primitive, fun, fwd, bwd, tracers, out_trees)


def trace_to_jaxpr(fun, in_avals, debug_info=None):
    """Trace a function of flat arguments into a ClosedJaxpr; returns (closed_jaxpr, outs_are_tracers)."""
    trace = DynamicJaxprTrace(core.current_trace(), debug_info)
    args = [trace.new_arg(aval) for aval in in_avals]
    try:
        with set_current_trace(trace):
            outs = fun(*args)
        jaxpr, consts = trace.to_jaxpr(outs)
    finally:
        trace.invalidate()
    return ClosedJaxpr(jaxpr, consts), outs


def partial_eval_jaxpr(closed, unknowns, instantiate=False):
    """Split a closed jaxpr by which inputs are unknown.

    Returns (known, unknown, out_unknowns, num_res): `known` maps the known inputs to the known
    outputs followed by residuals; `unknown` maps residuals followed by the unknown inputs to the
    unknown outputs. `instantiate` (a bool or one per output) forces outputs to be unknown."""
    in_avals = closed.in_avals
    out_unknowns, unknown_parts = [], []
    n_out = len(closed.out_avals)
    force = [instantiate] * n_out if isinstance(instantiate, bool) else list(instantiate)

    def known_fun(*known_args):
        trace = PartialEvalTrace(core.current_trace())
        it = iter(known_args)
        args = [trace.new_arg(aval) if u else next(it) for aval, u in zip(in_avals, unknowns)]
        try:
            with set_current_trace(trace):
                outs = core.eval_jaxpr(closed.jaxpr, closed.consts, *args)
            flags = [trace.is_unknown(o) or f for o, f in zip(outs, force)]
            jaxpr, residuals = trace.to_jaxpr([o for o, u in zip(outs, flags) if u])
        finally:
            trace.invalidate()
        out_unknowns.extend(flags)
        unknown_parts.append((jaxpr, len(residuals)))
        return [o for o, u in zip(outs, flags) if not u] + list(residuals)

    known_avals = [aval for aval, u in zip(in_avals, unknowns) if not u]
    known, _ = trace_to_jaxpr(known_fun, known_avals)
    jaxpr, num_res = unknown_parts[0]
    unknown = ClosedJaxpr(convert_constvars_jaxpr(jaxpr), ())
    return known, unknown, out_unknowns, num_res


def dce_jaxpr(jaxpr, used_outputs=None):
    """Drop equations whose results nobody uses, unless they have side effects (jax.debug's)."""
    outvars = jaxpr.outvars if used_outputs is None else \
        [v for v, u in zip(jaxpr.outvars, used_outputs) if u]
    live = {v for v in outvars if type(v) is not Literal}
    kept = []
    for eqn in reversed(jaxpr.eqns):
        if any(v in live for v in eqn.outvars) or eqn.primitive.has_side_effects:
            kept.append(eqn)
            live.update(v for v in eqn.invars if type(v) is not Literal)
    return Jaxpr(jaxpr.constvars, jaxpr.invars, outvars, kept[::-1])
