"""Automatic differentiation: forward mode (jvp), linearize, and transposition (reverse mode).

Mirrors jax/_src/interpreters/ad.py. `jvp` pushes (primal, tangent) pairs through each primitive's
jvp rule. `linearize` evaluates the primals and records the tangent equations as a *linear* jaxpr,
by JAX's direct linearize trace or (jax_use_direct_linearize off) by jvp under partial evaluation.
`backward_pass` transposes that jaxpr, walking it backwards with each primitive's transpose rule:
vjp = linearize + transpose. `jvp_jaxpr` and `transpose_jaxpr` do the same to the jaxprs that jit,
cond, loops and checkpoint carry.
"""
import numpy as np

from jaxlite import core, dtypes, errors
from jaxlite.config import config
from jaxlite.ad_util import Zero, add_jaxvals, add_tangents, instantiate, tangent_aval  # noqa: F401
from jaxlite.core import Literal, Trace, Tracer, get_aval, set_current_trace
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.numpy_codegen import impl_call
from jaxlite.interpreters.xla import host_callback
from jaxlite.interpreters import partial_eval as pe

primitive_jvps = {}        # primitive -> rule(primals, tangents, **params) -> (primal_out, tangent_out)
primitive_transposes = {}  # primitive -> rule(cotangent, *args, **params) -> cotangent per arg (or None)


class UndefinedPrimal:
    """Marks a linear input of an equation during transposition: its value is what we solve for."""

    __slots__ = ("aval",)

    def __init__(self, aval):
        self.aval = aval

    def __repr__(self):
        return f"UndefinedPrimal({self.aval.str_short()})"


def is_undefined_primal(x):
    return type(x) is UndefinedPrimal


instantiate_zeros = instantiate  # a symbolic zero as an array of zeros; other tangents as they are


# ----------------------------------------------------------------------------------------------
# Forward mode

class JVPTracer(Tracer):
    __slots__ = ("primal", "tangent")
    _tracer_name = "JVPTracer"

    def __init__(self, trace, primal, tangent):
        self._trace = trace
        self.primal = primal
        self.tangent = tangent

    @property
    def aval(self):
        return get_aval(self.primal)

    def __float__(self):
        # JAX refuses float() under differentiation (it would silently drop the derivative),
        # while bool() and int() of a concrete primal are allowed.
        raise core.ConcretizationTypeError(
            f"Abstract tracer value encountered where concrete value is expected: traced array with "
            f"shape {self.aval.str_short(short_dtypes=False)}\nThe problem arose with the `float` function. "
            "If trying to "
            "convert the data type of a value, try using `x.astype(float)` or `jnp.array(x, float)` "
            "instead.", "a Python float would cut the value out of the derivative: keep it an array, and "
            "convert with x.astype(jnp.float32) if you need a float dtype.")

    def to_concrete_value(self):
        p = self.primal
        if isinstance(p, Tracer):
            return p.to_concrete_value()
        return np.asarray(p)

    def _repr_body(self):
        return f"primal={self.primal}, tangent={self.tangent}"


class LinearizeTracer(JVPTracer):
    """A JVPTracer of linearize (and so of grad and vjp), whose tangent is not known yet: JAX
    names these apart and prints them as GradTracer, with the tangent's type only."""

    __slots__ = ()
    _tracer_name = "GradTracer"

    def _repr_body(self):
        t = self.tangent
        t_aval = t.aval.str_short() if hasattr(t, "aval") else get_aval(t).str_short()
        return f"primal={self.primal}, typeof(tangent)={t_aval}"


class JVPTrace(Trace):
    """Each value is a (primal, tangent) pair; primitives apply their jvp rule. Rules compute in
    `rule_trace`: for jvp, the trace below; for linearize, the trace that records tangents."""

    tracer_type = JVPTracer

    def __init__(self, parent_trace, rule_trace=None):
        super().__init__(parent_trace)
        self.rule_trace = parent_trace if rule_trace is None else rule_trace

    def to_primal_tangent(self, x):
        if isinstance(x, JVPTracer) and x._trace is self:
            return x.primal, x.tangent
        if isinstance(x, Tracer) and not x._trace.alive:
            raise core.escaped_tracer_error(x)
        return x, Zero.from_primal_value(x)

    def process_primitive(self, primitive, tracers, params):
        primals, tangents = [], []
        all_zero = True
        for x in tracers:
            p, t = self.to_primal_tangent(x)
            primals.append(p)
            tangents.append(t)
            all_zero = all_zero and type(t) is Zero
        if all_zero:
            with set_current_trace(self.parent_trace):
                return self.parent_trace.process_primitive(primitive, primals, params)
        rule = primitive_jvps.get(primitive)
        if rule is None:
            raise NotImplementedError(f"Differentiation rule for '{primitive}' not implemented")
        with set_current_trace(self.rule_trace):  # this trace interprets the rule's operations
            primal_out, tangent_out = rule(primals, tangents, **params)
        if primitive.multiple_results:
            return [self.wrap(p, t) for p, t in zip(primal_out, tangent_out)]
        return self.wrap(primal_out, tangent_out)

    def wrap(self, primal, tangent):
        return primal if type(tangent) is Zero else self.tracer_type(self, primal, tangent)

    def process_custom_jvp_call(self, primitive, fun, jvp, tracers):
        primals, tangents = zip(*map(self.to_primal_tangent, tracers)) if tracers else ((), ())
        if all(type(t) is Zero for t in tangents):
            with set_current_trace(self.parent_trace):
                return primitive.bind_with(fun, jvp, primals)
        with set_current_trace(self.rule_trace):
            tangents = [instantiate_zeros(t) for t in tangents]
            primals_out, tangents_out = jvp(primals, tangents)
        return [self.wrap(p, t) for p, t in zip(primals_out, tangents_out)]

    def process_custom_vjp_call(self, primitive, fun, fwd, bwd, tracers, out_trees):
        primals, tangents = zip(*map(self.to_primal_tangent, tracers)) if tracers else ((), ())
        with set_current_trace(self.parent_trace):
            if all(type(t) is Zero for t in tangents):
                return primitive.bind_with(fun, fwd, bwd, primals, out_trees)
            primals_out, residuals = fwd(*primals)
        with set_current_trace(self.rule_trace):
            tangents = [instantiate_zeros(t) for t in tangents]
            out_avals = [tangent_aval(get_aval(p)) for p in primals_out]
            tangents_out = custom_lin_p.bind(*residuals, *tangents, num_res=len(residuals),
                                             bwd=bwd, out_avals=tuple(out_avals))
        return [self.wrap(p, t) for p, t in zip(primals_out, tangents_out)]


def jvp_flat(fun, primals, tangents, has_aux=False, trace=None):
    """Forward mode on a function of flat lists; returns (primals_out, tangents_out).

    With `has_aux`, `fun` returns (outs, aux) and the primal values of `aux` come back third.
    float0 tangents (of integer inputs) are symbolic zeros: nothing can flow through them.
    `trace` is the JVPTrace to run in (linearize passes its own), a new one by default."""
    trace = JVPTrace(core.current_trace()) if trace is None else trace
    tracers = [p if _is_zero_tangent(t) else trace.tracer_type(trace, p, t)
               for p, t in zip(primals, tangents)]
    try:
        with set_current_trace(trace):
            outs = fun(*tracers)
            outs, aux = outs if has_aux else (outs, ())
        pairs = [trace.to_primal_tangent(x) for x in outs]
        aux = [x.primal if isinstance(x, JVPTracer) and x._trace is trace else x for x in aux]
    finally:
        trace.invalidate()
    primals_out, tangents_out = [p for p, _ in pairs], [t for _, t in pairs]
    return (primals_out, tangents_out, aux) if has_aux else (primals_out, tangents_out)


def _is_zero_tangent(t):
    return type(t) is Zero or get_aval(t).dtype == dtypes.float0


def jvp_jaxpr(closed, nonzeros, instantiate):
    """The jvp of a closed jaxpr, as a closed jaxpr: it takes the primals, then the tangents of
    the inputs marked in `nonzeros`, and returns the primal outputs, then the output tangents that
    are not symbolic zeros or that `instantiate` (a bool, or one per output) asks for.
    Returns (jvp jaxpr, which outputs have a tangent). This is how jit, cond, while, scan and
    remat differentiate the jaxprs they carry."""
    n_out = len(closed.out_avals)
    force = [instantiate] * n_out if isinstance(instantiate, bool) else list(instantiate)
    out_nonzeros = []

    def jvp_fun(*args):
        n = len(nonzeros)
        nz_tangents = iter(args[n:])
        tangents = [next(nz_tangents) if nz else Zero(tangent_aval(a))
                    for nz, a in zip(nonzeros, closed.in_avals)]
        outs, touts = jvp_flat(core.jaxpr_as_fun(closed), args[:n], tangents)
        out_nonzeros[:] = [type(t) is not Zero or f for t, f in zip(touts, force)]
        return list(outs) + [instantiate_zeros(t) for t, nz in zip(touts, out_nonzeros) if nz]

    avals = list(closed.in_avals) + [tangent_aval(a) for nz, a in zip(nonzeros, closed.in_avals) if nz]
    jaxpr, _ = pe.trace_to_jaxpr(jvp_fun, avals)
    return jaxpr, out_nonzeros


# ----------------------------------------------------------------------------------------------
# Linearize: evaluate the primals, record the tangent equations as a linear jaxpr

class LinearizeTrace(JVPTrace):
    """jvp whose tangents are unknown: each is a tracer of a partial-evaluation trace that records
    the equations touching it into a jaxpr and computes everything else at once."""

    tracer_type = LinearizeTracer


def linearize_flat(fun, primals, has_aux=False):
    """Evaluate `fun` at `primals` and record its tangent equations as a linear jaxpr.

    Returns (primals_out, linear_jaxpr, consts): the jaxpr maps input tangents to output tangents,
    and `consts` are the residuals (values of the primal computation that the tangents need).
    With `has_aux`, `fun` returns (outs, aux) and the primal values of `aux` come back fourth.
    Two routes give the same jaxpr; the option jax_use_direct_linearize chooses, as in JAX."""
    route = direct_linearize if config.read("jax_use_direct_linearize") else partial_eval_linearize
    return route(fun, primals, has_aux)


def direct_linearize(fun, primals, has_aux=False):
    """JAX's route (its default): the linearize trace sits right above the current trace, which
    evaluates every primal operation at once; only the jvp rules' tangent operations go to the
    tangent trace, which records them (and computes there what needs primals only)."""
    parent = core.current_trace()
    tangent_trace = pe.PartialEvalTrace(parent)
    return _linearize(fun, primals, has_aux, tangent_trace, LinearizeTrace(parent, tangent_trace))


def partial_eval_linearize(fun, primals, has_aux=False):
    """Autodidax's route: plain jvp run on top of partial evaluation, with the primals known and
    the tangents unknown. Every operation, primal or tangent, passes through the partial-evaluation
    trace, which computes the known ones now and stages the rest."""
    pe_trace = pe.PartialEvalTrace(core.current_trace())
    return _linearize(fun, primals, has_aux, pe_trace, LinearizeTrace(pe_trace))


def _linearize(fun, primals, has_aux, tangent_trace, trace):
    tangents = [tangent_trace.new_arg(tangent_aval(get_aval(p))) for p in primals]
    # Integer inputs keep their (float0) jaxpr input, but their tangent is a symbolic zero.
    tangents_in = [Zero(t.aval) if t.aval.dtype == dtypes.float0 else t for t in tangents]
    aux = []
    try:
        with set_current_trace(trace.parent_trace):
            primals_out, tangents_out, *aux = jvp_flat(fun, primals, tangents_in, has_aux, trace)
        for p in primals_out:
            if isinstance(p, pe.DynamicJaxprTracer) and p._trace is tangent_trace:
                raise TypeError("a primal output depends on a tangent input: the jvp rules are not linear")
        tangents_out = [instantiate_zeros(t) if type(t) is Zero else t for t in tangents_out]
        jaxpr, consts = tangent_trace.to_jaxpr(tangents_out)
    finally:
        tangent_trace.invalidate()
    return (primals_out, jaxpr, consts, *aux)


# ----------------------------------------------------------------------------------------------
# Transposition

def linear_vars_and_constants(jaxpr, consts):
    """The first, forward walk of a transposition: which variables are linear (depend on the jaxpr's
    inputs), and the values of the others. An equation of constants only (a rule's staged helper)
    is evaluated here, so the backward walk finds its result."""
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
    return linear, env


def backward_pass(jaxpr, consts, cotangents_out):
    """Transpose a linear jaxpr: given cotangents of its outputs, return cotangents of its inputs.

    Every equation in a linear jaxpr has at least one linear input (one that depends on the jaxpr's
    inputs); the other inputs are constants. Walking the equations backwards, each transpose rule
    turns its output cotangents into cotangents for its linear inputs, and they accumulate by adding."""
    linear, env = linear_vars_and_constants(jaxpr, consts)
    ct_env = {}

    def write_ct(v, ct):
        if type(v) is Literal or v not in linear or ct is None or type(ct) is Zero:
            return
        ct_env[v] = add_tangents(ct_env[v], ct) if v in ct_env else ct

    def read_input(v):
        if type(v) is Literal:
            return v.val
        if v in linear:
            return UndefinedPrimal(v.aval)
        return env[v]

    for v, ct in zip(jaxpr.outvars, cotangents_out):
        write_ct(v, ct)
    for eqn in reversed(jaxpr.eqns):
        prim = eqn.primitive
        if prim.multiple_results:
            cts = [ct_env.pop(v, None) for v in eqn.outvars]
            if all(ct is None for ct in cts):
                continue
            cts_arg = [Zero(v.aval) if ct is None else ct for ct, v in zip(cts, eqn.outvars)]
        else:  # most equations: one output, checked without building lists
            cts_arg = ct_env.pop(eqn.outvars[0], None)
            if cts_arg is None:
                continue
        rule = primitive_transposes.get(prim)
        if rule is None:
            raise NotImplementedError(f"Transpose rule (for reverse-mode differentiation) for "
                                      f"'{prim}' not implemented")
        cts_in = rule(cts_arg, *[read_input(v) for v in eqn.invars], **eqn.params)
        for v, ct in zip(eqn.invars, cts_in):
            write_ct(v, ct)
    return [ct_env.get(v, Zero(v.aval)) for v in jaxpr.invars]


def rearrange_binders(closed, primals_in, tangents_in, primals_out, tangents_out):
    """jvp_jaxpr's jaxpr (all primals, then all tangents) with its inputs and outputs regrouped:
    given the sizes of the groups of primals and of their tangents, each group of primals is
    followed by its tangents, the layout a loop's operands have (consts, their tangents, carries,
    theirs...). Only the order of the binders changes."""
    def regroup(binders, primal_sizes, tangent_sizes):
        primals, tangents = binders[:sum(primal_sizes)], binders[sum(primal_sizes):]
        out, i, j = [], 0, 0
        for p, t in zip(primal_sizes, tangent_sizes):
            out += primals[i:i + p] + tangents[j:j + t]
            i, j = i + p, j + t
        return out
    jaxpr = closed.jaxpr
    return core.ClosedJaxpr(core.Jaxpr(jaxpr.constvars, regroup(jaxpr.invars, primals_in, tangents_in),
                                       regroup(jaxpr.outvars, primals_out, tangents_out), jaxpr.eqns),
                            closed.consts)


def transpose_jaxpr(closed, linear):
    """The transpose of a closed jaxpr that is linear in the inputs marked in `linear`, as a
    closed jaxpr: it takes the other (non-linear) inputs, then one cotangent per output, and returns
    the cotangents of the linear inputs (zeros included). jit, cond and scan transpose with it.
    (JAX keeps its transpose_jaxpr in jax/_src/ad_checkpoint.py.)"""
    inner = closed.jaxpr
    nonlin_vars = [v for v, lin in zip(inner.invars, linear) if not lin]
    lin_vars = [v for v, lin in zip(inner.invars, linear) if lin]
    lin_jaxpr = core.Jaxpr(inner.constvars + nonlin_vars, lin_vars, inner.outvars, inner.eqns)
    n_nonlin = len(nonlin_vars)

    def transposed(*args):
        res, cts = args[:n_nonlin], args[n_nonlin:]
        return [instantiate_zeros(c) for c in backward_pass(lin_jaxpr, list(closed.consts) + list(res), cts)]

    avals = [v.aval for v in nonlin_vars] + [tangent_aval(a) for a in closed.out_avals]
    return pe.trace_to_jaxpr(transposed, avals)[0]


# ----------------------------------------------------------------------------------------------
# Helpers that lax uses to state rules in one line

def defjvp(primitive, *partial_rules):
    """One rule per argument: `rule(tangent, *primals, **params)` gives that argument's contribution
    to the output tangent (None for arguments with no derivative). Zero tangents are skipped."""
    def jvp(primals, tangents, **params):
        out = primitive.bind(*primals, **params)
        total = None
        for rule, t in zip(partial_rules, tangents):
            if rule is not None and type(t) is not Zero:
                term = rule(t, *primals, **params)
                total = term if total is None else add_tangents(total, term)
        return out, Zero(tangent_aval(get_aval(out))) if total is None else total
    primitive_jvps[primitive] = jvp


def defjvp2(primitive, *partial_rules):
    """Like defjvp, but each rule also sees the primal output: `rule(tangent, ans, *primals)`."""
    def jvp(primals, tangents, **params):
        out = primitive.bind(*primals, **params)
        total = None
        for rule, t in zip(partial_rules, tangents):
            if rule is not None and type(t) is not Zero:
                term = rule(t, out, *primals, **params)
                total = term if total is None else add_tangents(total, term)
        return out, Zero(tangent_aval(get_aval(out))) if total is None else total
    primitive_jvps[primitive] = jvp


def deflinear2(primitive, transpose_rule):
    """A linear primitive is its own jvp, applied to the tangents; `transpose_rule(ct, *args,
    **params)` sees the operands (UndefinedPrimal for the linear ones), as JAX's deflinear2."""
    def jvp(primals, tangents, **params):
        out = primitive.bind(*primals, **params)
        tangents = [instantiate_zeros(t) for t in tangents]
        return out, primitive.bind(*tangents, **params)
    primitive_jvps[primitive] = jvp
    primitive_transposes[primitive] = transpose_rule


def defzero(primitive):
    """Piecewise-constant primitives (comparisons, sign, floor...): zero derivative everywhere."""
    def jvp(primals, tangents, **params):
        out = primitive.bind(*primals, **params)
        if primitive.multiple_results:
            return out, [Zero.from_primal_value(o) for o in out]
        return out, Zero.from_primal_value(out)
    primitive_jvps[primitive] = jvp


# ----------------------------------------------------------------------------------------------
# custom_vjp's linear stand-in: transposing it calls the user's bwd

custom_lin_p = core.Primitive("custom_lin")
custom_lin_p.multiple_results = True


def _custom_lin_impl(*args, num_res, bwd, out_avals):
    raise TypeError(errors.with_hint("can't apply forward-mode autodiff (jvp) to a custom_vjp function.",
                                     errors.CUSTOM_VJP_FORWARD_HINT))


def _custom_lin_abstract_eval(*avals, num_res, bwd, out_avals):
    return list(out_avals)


def _custom_lin_transpose(cts_out, *args, num_res, bwd, out_avals):
    residuals = args[:num_res]
    cts_out = [instantiate_zeros(ct) for ct in cts_out]
    cts_in = bwd(residuals, cts_out)
    return [None] * num_res + list(cts_in)


custom_lin_p.def_impl(_custom_lin_impl)
custom_lin_p.def_abstract_eval(_custom_lin_abstract_eval)
primitive_transposes[custom_lin_p] = _custom_lin_transpose
# Transposition replaces it before any backend sees it; were it run, its impl raises JAX's error.
register_lowering(custom_lin_p, impl_call(custom_lin_p), "numpy")
register_lowering(custom_lin_p, host_callback, "xla")
