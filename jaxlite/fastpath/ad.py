"""Fast differentiation: the traces of jvp and linearize with less work per equation.

The plain traces (interpreters/ad.py's JVPTrace, interpreters/partial_eval.py's DynamicJaxprTrace
and PartialEvalTrace) say what happens to each primitive. Here the same steps are taken with the
common cases first: a primal operation on concrete arrays goes straight to the eager fast path
(fastpath/eager.py) instead of through the parent trace and a switch of the current trace; the
trace's own tracers are read without the general conversions; `add_any` of two tangents of one
type runs NumPy's add at once; the backward pass keeps ad.backward_pass's steps with its reads and
writes of cotangents inline. The equations recorded, their order and their types are the plain
traces' own. JAX keeps the like of this in C++ (jaxlib's dispatch of traced operations).
"""
import numpy as np

from jaxlite import core, dispatch
from jaxlite.ad_util import Zero, add_jaxvals_p, add_tangents, tangent_aval
from jaxlite.array import ArrayImpl
from jaxlite.core import JaxprEqn, Literal, Var, get_aval, set_current_trace
from jaxlite.fastpath import eager
from jaxlite.interpreters import ad, partial_eval as pe

_plain_jvp_process = ad.JVPTrace.process_primitive
_plain_stage = pe.DynamicJaxprTrace.process_primitive
_plain_pe_process = pe.PartialEvalTrace.process_primitive
_plain_backward_pass = ad.backward_pass
_UNSEEN = eager.UNSEEN
_plain_jvp_tracer_aval = ad.JVPTracer.aval
_JaxprTracer = pe.JaxprTracer
_eval_trace = core.eval_trace
_trace_ctx = core.trace_ctx
_new = object.__new__  # objects made as their __init__ makes them (the traces' hot path)


def _in_parent(trace, primitive, args, params):
    """What the plain traces do with an operation on known values: the parent computes it. On
    concrete arrays under the eval trace, the eager fast path computes it without the switch."""
    parent = trace.parent_trace
    if parent is _eval_trace:
        out = eager.apply(primitive, args, params)
        if out is not _UNSEEN:
            return out
    with set_current_trace(parent):
        return parent.process_primitive(primitive, args, params)


def jvp_process_primitive(self, primitive, tracers, params):
    """JVPTrace's (and so LinearizeTrace's): the same (primal, tangent) pairs and rules."""
    primals, tangents = [], []
    all_zero = True
    tracer_type = self.tracer_type
    for x in tracers:
        if type(x) is tracer_type and x._trace is self:
            primals.append(x.primal)
            tangents.append(x.tangent)
            all_zero = False
        elif type(x) is ArrayImpl:  # a constant: what to_primal_tangent gives it
            primals.append(x)
            tangents.append(Zero(tangent_aval(x.aval)))
        else:
            p, t = self.to_primal_tangent(x)
            primals.append(p)
            tangents.append(t)
            all_zero = all_zero and type(t) is Zero
    if all_zero:
        return _in_parent(self, primitive, primals, params)
    rule = ad.primitive_jvps.get(primitive)
    if rule is None:
        return _plain_jvp_process(self, primitive, tracers, params)  # raises the plain error
    ctx = _trace_ctx  # set_current_trace(self.rule_trace), without making a context manager
    prev, ctx.trace = ctx.trace, self.rule_trace
    try:
        primal_out, tangent_out = rule(primals, tangents, **params)
    finally:
        ctx.trace = prev
    if primitive.multiple_results:
        return [self.wrap(p, t) for p, t in zip(primal_out, tangent_out)]
    if type(tangent_out) is Zero:
        return primal_out
    out = _new(tracer_type)  # tracer_type(self, primal_out, tangent_out), without the call of __init__
    out._trace = self
    out.primal = primal_out
    out.tangent = tangent_out
    return out


def stage(self, primitive, tracers, params):
    """DynamicJaxprTrace's: one equation, its inputs read straight off this trace's tracers."""
    tracer_type = self.tracer_type
    atoms = [x.var if type(x) is tracer_type and x._trace is self else self.to_atom(x) for x in tracers]
    out_aval = primitive.abstract_eval(*[a.aval for a in atoms], **params)
    if primitive.multiple_results:
        outvars = [Var(a) for a in out_aval]
        self.eqns.append(JaxprEqn(atoms, outvars, primitive, params))
        return [tracer_type(self, v.aval, v) for v in outvars]
    outvar = Var(out_aval)
    eqn = _new(JaxprEqn)  # JaxprEqn(atoms, [outvar], primitive, params)
    eqn.invars = atoms
    eqn.outvars = [outvar]
    eqn.primitive = primitive
    eqn.params = params
    self.eqns.append(eqn)
    out = _new(tracer_type)  # tracer_type(self, out_aval, outvar)
    out._trace = self
    out._aval = out_aval
    out.var = outvar
    return out


def pe_process_primitive(self, primitive, tracers, params):
    """PartialEvalTrace's: an unknown input stages the equation (or hands it to the primitive's
    partial-evaluation rule), all known ones compute it now. (This trace's tracers are all of its
    tracer_type, JaxprTracer.)"""
    for x in tracers:
        if type(x) is _JaxprTracer and x._trace is self:
            rule = pe.partial_eval_rules.get(primitive)
            if rule is not None:
                return rule(self, tracers, **params)
            return stage(self, primitive, tracers, params)
    return _in_parent(self, primitive, tracers, params)


def jvp_tracer_aval(self):
    """JVPTracer.aval: its primal's, read off a concrete array without two calls in between."""
    p = self.primal
    if type(p) is ArrayImpl:
        aval = p._aval
        return p.aval if aval is None else aval
    return get_aval(p)


def backward_pass(jaxpr, consts, cotangents_out):
    """ad.backward_pass with its reads and writes of cotangents inline: the same rules called
    with the same operands in the same order, so the same cotangents."""
    linear = set(jaxpr.invars)
    env = dict(zip(jaxpr.constvars, consts))
    for eqn in jaxpr.eqns:
        for v in eqn.invars:
            if type(v) is not Literal and v in linear:
                linear.update(eqn.outvars)
                break
        else:
            outs = eqn.primitive.bind(*[v.val if type(v) is Literal else env[v] for v in eqn.invars],
                                      **eqn.params)
            env.update(zip(eqn.outvars, outs if eqn.primitive.multiple_results else [outs]))
    ct_env = {}
    for v, ct in zip(jaxpr.outvars, cotangents_out):
        _write(ct_env, linear, v, ct)
    transposes = ad.primitive_transposes
    for eqn in reversed(jaxpr.eqns):
        prim = eqn.primitive
        if prim.multiple_results:
            cts = [ct_env.pop(v, None) for v in eqn.outvars]
            if all(ct is None for ct in cts):
                continue
            cts_arg = [Zero(v.aval) if ct is None else ct for ct, v in zip(cts, eqn.outvars)]
        else:
            cts_arg = ct_env.pop(eqn.outvars[0], None)
            if cts_arg is None:
                continue
        rule = transposes.get(prim)
        if rule is None:
            return _plain_backward_pass(jaxpr, consts, cotangents_out)  # raises the plain error
        args = []
        for v in eqn.invars:
            if type(v) is Literal:
                args.append(v.val)
            elif v in linear:
                args.append(ad.UndefinedPrimal(v.aval))
            else:
                args.append(env[v])
        for v, ct in zip(eqn.invars, rule(cts_arg, *args, **eqn.params)):
            if ct is not None and type(v) is not Literal and type(ct) is not Zero and v in linear:
                old = ct_env.get(v)
                ct_env[v] = ct if old is None else add_tangents(old, ct)
    return [ct_env.get(v, Zero(v.aval)) for v in jaxpr.invars]


def _write(ct_env, linear, v, ct):
    if type(v) is Literal or v not in linear or ct is None or type(ct) is Zero:
        return
    ct_env[v] = add_tangents(ct_env[v], ct) if v in ct_env else ct


def add_any(x, y):
    """add_any of two concrete tangents of one dtype and shape: NumPy's add, typed as the plain
    impl types it (the dtype kept, weak if both are); UNSEEN for anything else."""
    if type(x) is ArrayImpl and type(y) is ArrayImpl and not dispatch.needs_check_special:
        xv, yv = x._value, y._value
        if xv.dtype is yv.dtype and xv.shape == yv.shape and type(xv) is np.ndarray:
            out = np.add(xv, yv)
            if out.dtype is xv.dtype:
                return ArrayImpl(out, x.weak_type and y.weak_type)
    return _UNSEEN


def install():
    ad.JVPTrace.process_primitive = jvp_process_primitive
    pe.DynamicJaxprTrace.process_primitive = stage
    pe.PartialEvalTrace.process_primitive = pe_process_primitive
    ad.backward_pass = backward_pass
    ad.JVPTracer.aval = property(jvp_tracer_aval)
    eager.direct_impls[add_jaxvals_p] = add_any


def uninstall():
    ad.JVPTrace.process_primitive = _plain_jvp_process
    pe.DynamicJaxprTrace.process_primitive = _plain_stage
    pe.PartialEvalTrace.process_primitive = _plain_pe_process
    ad.backward_pass = _plain_backward_pass
    ad.JVPTracer.aval = _plain_jvp_tracer_aval
    eager.direct_impls.pop(add_jaxvals_p, None)

