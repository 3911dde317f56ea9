"""Fast differentiation: the traces of jvp and linearize with less work per equation.

The plain traces (interpreters/ad.py's JVPTrace, interpreters/partial_eval.py's DynamicJaxprTrace
and PartialEvalTrace) say what happens to each primitive. Here the same steps are taken with the
common cases first: a primal operation on concrete arrays goes straight to the eager fast path
(fastpath/eager.py) instead of through the parent trace and a switch of the current trace; the
trace's own tracers are read without the general conversions; `add_any` of two tangents of one
type runs NumPy's add at once; the backward pass keeps ad.backward_pass's steps with its reads and
writes of cotangents inline. Under grad's default route, the commonest primitives' linearize rules
are written out (`linearize_rules`: lax's jvp rules, step for step, without the calls in between),
and their transposes on concrete cotangents run on the eager fast path (`transpose_rules`). The
equations recorded, their order, their constants and their types are the plain traces' own
(tests/test_fast_paths.py compares both). JAX has no counterpart: its traces are Python too; the
written-out rules are what a C++ dispatch would hard-code, and lax's rules remain the definition.
"""
import numpy as np

from jaxlite import core, dispatch, dtypes
from jaxlite.ad_util import Zero, add_jaxvals_p, add_tangents, tangent_aval
from jaxlite.array import ArrayImpl
from jaxlite.core import JaxprEqn, Literal, Var, get_aval, set_current_trace
from jaxlite.fastpath import eager
from jaxlite.interpreters import ad, partial_eval as pe
from jaxlite.lax import lax, reductions, shapes

_plain_jvp_process = ad.JVPTrace.process_primitive
_plain_stage = pe.DynamicJaxprTrace.process_primitive
_plain_pe_process = pe.PartialEvalTrace.process_primitive
_plain_backward_pass = ad.backward_pass
_UNSEEN = eager.UNSEEN
_plain_jvp_tracer_aval = ad.JVPTracer.aval
_JaxprTracer = pe.JaxprTracer
_PartialEvalTrace = pe.PartialEvalTrace
_eval_trace = core.eval_trace
_trace_ctx = core.trace_ctx
_new = object.__new__  # objects made as their __init__ makes them (the traces' hot path)
_LIMIT = 4096  # entries of a table before it starts over


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
    fast = linearize_rules.get(primitive)
    if fast is not None and self.parent_trace is _eval_trace and type(self.rule_trace) is _PartialEvalTrace:
        out = fast(self.rule_trace, primals, tangents, params)
        if out is not None:
            primal_out, tangent_out = out
            tracer = _new(tracer_type)
            tracer._trace = self
            tracer.primal = primal_out
            tracer.tangent = tangent_out
            return tracer
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


# ----------------------------------------------------------------------------------------------
# Linearize rules of the commonest primitives, written out

# Under the direct linearize route (ad.direct_linearize: the linearize trace right above the eval
# trace, its tangents unknown tracers of a partial-evaluation trace), a jvp rule's operations
# reach that trace by bind: the primal ones are computed by the eval trace, the tangent ones staged.
# The rules below take the same steps in the same order, calling the trace's process_primitive and
# the eager fast path directly instead of passing through lax's functions, bind and the rule's
# closures: the same values, equations and constants. Each rule states the case it covers (every
# primal a concrete array, the tangents unknown tracers of the trace or symbolic zeros, shapes that
# need no broadcast) and gives None for anything else before it stages an equation, so the plain
# rule runs. (lax/lax.py, lax/reductions.py, lax/shapes.py: the rules transcribed.)

def _unknown(trace, t):
    return type(t) is _JaxprTracer and t._trace is trace


def _concrete(primals):
    for x in primals:
        if type(x) is not ArrayImpl:
            return False
    return True


def _lin_unary(primal_prim, tangent):
    """A rule `tangent(trace, t, x, out)` of a unary primitive with no params."""
    def rule(trace, primals, tangents, params):
        x, = primals
        t, = tangents
        if params or type(x) is not ArrayImpl or not _unknown(trace, t):
            return None
        out = _in_parent(trace, primal_prim, primals, params)
        return out, tangent(trace, t, x, out)
    return rule


def _staged(trace, prim, *args):
    return pe_process_primitive(trace, prim, args, {})


def _known(trace, prim, *args):
    return _in_parent(trace, prim, args, {})


def _lin_mul(trace, primals, tangents, params):
    """defjvp(mul_p, g * y, x * g) with one tangent nonzero."""
    x, y = primals
    tx, ty = tangents
    if params or not _concrete(primals):
        return None
    if _unknown(trace, tx) and type(ty) is Zero:
        return _known(trace, lax.mul_p, x, y), _staged(trace, lax.mul_p, tx, y)
    if type(tx) is Zero and _unknown(trace, ty):
        return _known(trace, lax.mul_p, x, y), _staged(trace, lax.mul_p, x, ty)
    return None


def _lin_add_sub(prim):
    """_add_jvp and _sub_jvp where the output has the shape of every nonzero tangent."""
    def rule(trace, primals, tangents, params):
        tx, ty = tangents
        if params or not _concrete(primals):
            return None
        x_zero, y_zero = type(tx) is Zero, type(ty) is Zero
        if not ((x_zero or _unknown(trace, tx)) and (y_zero or _unknown(trace, ty))):
            return None
        out = eager.apply(lax.add_p if prim is add_jaxvals_p else prim, primals, params)
        if out is _UNSEEN:
            return None
        if not (x_zero or y_zero):  # both tangents: added (or subtracted) as they are
            return out, _staged(trace, lax.sub_p if prim is lax.sub_p else lax.add_p, tx, ty)
        shape = out._value.shape
        if (not x_zero and tx._aval.shape != shape) or (not y_zero and ty._aval.shape != shape):
            return None
        if x_zero:
            return out, (ty if prim is not lax.sub_p else _staged(trace, lax.neg_p, ty))
        return out, tx
    return rule


def _lin_dot_general(trace, primals, tangents, params):
    """defjvp(dot_general_p, dot_general(g, y), dot_general(x, g)): lax.dot_general's params for
    each product, the two summed by add_any where both operands have tangents."""
    x, y = primals
    tx, ty = tangents
    x_zero, y_zero = type(tx) is Zero, type(ty) is Zero
    if not _concrete(primals) or not ((x_zero or _unknown(trace, tx)) and (y_zero or _unknown(trace, ty))):
        return None
    (lc, rc), (lb, rb) = params["dimension_numbers"]
    pref = params.get("preferred_element_type")
    product = {"dimension_numbers": ((tuple(int(i) for i in lc), tuple(int(i) for i in rc)),
                                     (tuple(int(i) for i in lb), tuple(int(i) for i in rb))),
               "precision": None,
               "preferred_element_type": None if pref is None else dtypes.canonicalize_dtype(pref),
               "out_sharding": None}
    out = _in_parent(trace, reductions.dot_general_p, primals, params)
    total = None if x_zero else pe_process_primitive(trace, reductions.dot_general_p, (tx, y), product)
    if not y_zero:
        term = pe_process_primitive(trace, reductions.dot_general_p, (x, ty), product)
        total = term if total is None else pe_process_primitive(trace, add_jaxvals_p, (total, term), {})
    return out, total


def _lin_div(trace, primals, tangents, params):
    """defjvp(div_p, g / y, ...) with the divisor's tangent zero."""
    x, y = primals
    tx, ty = tangents
    if params or not _concrete(primals) or not _unknown(trace, tx) or type(ty) is not Zero:
        return None
    return _known(trace, lax.div_p, x, y), _staged(trace, lax.div_p, tx, y)


def _lin_square(trace, primals, tangents, params):
    """_integer_pow_jvp for y=2: g * (2 * x)."""
    x, = primals
    t, = tangents
    if params.get("y") != 2 or type(x) is not ArrayImpl or not _unknown(trace, t):
        return None
    out = _in_parent(trace, lax.integer_pow_p, primals, params)
    return out, _staged(trace, lax.mul_p, t, _known(trace, lax.mul_p, lax.const(x, 2), x))


def _lin_tanh(trace, t, x, ans):
    """defjvp2(tanh_p, (g + g * ans) * (1 - ans))."""
    g_ans = _staged(trace, lax.add_p, t, _staged(trace, lax.mul_p, t, ans))
    return _staged(trace, lax.mul_p, g_ans, _known(trace, lax.sub_p, lax.const(ans, 1), ans))


def _lin_linear(prim):
    """deflinear2's jvp of a one-operand linear primitive (reduce_sum, reshape, ...)."""
    def rule(trace, primals, tangents, params):
        x, = primals
        t, = tangents
        if type(x) is not ArrayImpl or not _unknown(trace, t):
            return None
        return _in_parent(trace, prim, primals, params), pe_process_primitive(trace, prim, [t], params)
    return rule


linearize_rules = {
    lax.sin_p: _lin_unary(lax.sin_p, lambda trace, t, x, out: _staged(
        trace, lax.mul_p, t, _known(trace, lax.cos_p, x))),
    lax.cos_p: _lin_unary(lax.cos_p, lambda trace, t, x, out: _staged(
        trace, lax.neg_p, _staged(trace, lax.mul_p, t, _known(trace, lax.sin_p, x)))),
    lax.exp_p: _lin_unary(lax.exp_p, lambda trace, t, x, out: _staged(trace, lax.mul_p, t, out)),
    lax.log_p: _lin_unary(lax.log_p, lambda trace, t, x, out: _staged(trace, lax.div_p, t, x)),
    lax.tanh_p: _lin_unary(lax.tanh_p, _lin_tanh),
    lax.neg_p: _lin_unary(lax.neg_p, lambda trace, t, x, out: _staged(trace, lax.neg_p, t)),
    lax.mul_p: _lin_mul,
    lax.add_p: _lin_add_sub(lax.add_p),
    lax.sub_p: _lin_add_sub(lax.sub_p),
    add_jaxvals_p: _lin_add_sub(add_jaxvals_p),
    lax.div_p: _lin_div,
    reductions.dot_general_p: _lin_dot_general,
    lax.integer_pow_p: _lin_square,
    reductions.reduce_sum_p: _lin_linear(reductions.reduce_sum_p),
    shapes.broadcast_in_dim_p: _lin_linear(shapes.broadcast_in_dim_p),
    shapes.reshape_p: _lin_linear(shapes.reshape_p),
    shapes.transpose_p: _lin_linear(shapes.transpose_p),
}


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
    linear, env = ad.linear_vars_and_constants(jaxpr, consts)
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
        fast = transpose_rules.get(prim)
        if fast is not None and type(cts_arg) is ArrayImpl and _trace_ctx.trace is _eval_trace:
            cts_in = fast(cts_arg, eqn.invars, linear, env, **eqn.params)
            if cts_in is not None:
                for v, ct in zip(eqn.invars, cts_in):
                    if ct is not None:  # a cotangent of a linear input, a concrete array
                        old = ct_env.get(v)
                        ct_env[v] = ct if old is None else _sum(old, ct)
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


# Transpose rules of the commonest linear primitives on a concrete cotangent, outside any
# transformation: the plain rule's operations (lax's _mul_transpose, _div_transpose, _add_transpose,
# _sub_transpose, neg's, _dot_general_transpose, _reduce_sum_transpose, _broadcast_in_dim_transpose)
# in the same order, by the eager fast path. Each gives the cotangents of the equation's inputs
# (None for the constant ones), or None where the plain rule must run; what it computed before is
# dropped (eager operations have no effects).

def _constant(v, linear, env):
    """The value of a constant operand (None for a linear one: the plain rule says what then)."""
    if type(v) is Literal:
        return v.val
    return None if v in linear else env[v]


def _product(ct, const, x_aval, ct_first):
    out = eager.apply(lax.mul_p, (ct, const) if ct_first else (const, ct), {})
    if out is _UNSEEN or out._value.shape != x_aval.shape:
        return None
    return out


def _transpose_mul(ct, invars, linear, env, **params):
    x, y = invars
    if type(x) is not Literal and x in linear:
        c = _constant(y, linear, env)
        out = _product(ct, c, x.aval, True) if type(c) is ArrayImpl else None
        return None if out is None else (out, None)
    c = _constant(x, linear, env)
    out = _product(ct, c, y.aval, False) if type(c) is ArrayImpl else None
    return None if out is None else (None, out)


def _transpose_div(ct, invars, linear, env, **params):
    x, y = invars
    if type(x) is Literal or x not in linear:
        return None
    c = _constant(y, linear, env)
    if type(c) is not ArrayImpl:
        return None
    out = eager.apply(lax.div_p, (ct, c), {})
    if out is _UNSEEN or out._value.shape != x.aval.shape:
        return None
    return out, None


_dot_transposes = {}  # (dimension_numbers, ndims, which operand is linear) -> (dimension_numbers, permutation)


def _dot_transpose_dims(dimension_numbers, x_ndim, y_ndim, swap):
    """What reductions._dot_general_transpose_lhs computes from the operands' ranks: the product's
    dimension numbers and the permutation of its result (x the linear operand, y the constant)."""
    (x_contract, y_contract), (x_batch, y_batch) = dimension_numbers
    x_kept = tuple(i for i in range(x_ndim) if i not in x_contract and i not in x_batch)
    y_kept = tuple(i for i in range(y_ndim) if i not in y_contract and i not in y_batch)
    n_batch = len(x_batch)
    ans_batch = tuple(range(n_batch))
    start = n_batch if swap else n_batch + len(x_kept)
    ans_y = tuple(range(start, start + len(y_kept)))
    by_y = sorted(range(len(y_contract)), key=y_contract.__getitem__)
    order = tuple(x_batch) + x_kept + tuple(x_contract[i] for i in by_y)
    perm = tuple(sorted(range(len(order)), key=order.__getitem__))
    return ((ans_y, y_kept), (ans_batch, tuple(y_batch))), None if perm == tuple(range(len(perm))) else perm


def _transpose_dot_general(ct, invars, linear, env, *, dimension_numbers, preferred_element_type=None,
                           precision=None, out_sharding=None):
    """_dot_general_transpose: the cotangent times the constant operand, its axes put back."""
    x, y = invars
    if type(x) is not Literal and x in linear:
        lin, const, swap = x, _constant(y, linear, env), False
        dn = dimension_numbers
    else:
        lin, const, swap = y, _constant(x, linear, env), True
        (xc, yc), (xb, yb) = dimension_numbers
        dn = ((yc, xc), (yb, xb))
    if type(const) is not ArrayImpl:
        return None
    key = (dn, lin.aval.ndim, const._value.ndim, swap)
    dims = _dot_transposes.get(key)
    if dims is None:
        if len(_dot_transposes) > _LIMIT:
            _dot_transposes.clear()
        dims = _dot_transposes[key] = _dot_transpose_dims(dn, lin.aval.ndim, const._value.ndim, swap)
    new_dn, perm = dims
    if preferred_element_type is not None:
        preferred_element_type = dtypes.canonicalize_dtype(preferred_element_type)
    out = eager.apply(reductions.dot_general_p, (ct, const),
                      {"dimension_numbers": new_dn, "precision": None,
                       "preferred_element_type": preferred_element_type, "out_sharding": None})
    if out is not _UNSEEN and perm is not None:
        out = eager.apply(shapes.transpose_p, (out,), {"permutation": perm})
    if out is _UNSEEN or out._value.dtype != lin.aval.dtype:
        return None
    return (out, None) if not swap else (None, out)


def _transpose_reduce_sum(ct, invars, linear, env, *, axes, out_sharding=None):
    """_reduce_sum_transpose: the cotangent broadcast back over the summed axes."""
    shape = invars[0].aval.shape
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    if ct._value.shape == shape and kept == tuple(range(len(shape))):
        return (ct,)
    out = eager.apply(shapes.broadcast_in_dim_p, (ct,),
                      {"shape": shape, "broadcast_dimensions": kept, "sharding": None})
    return None if out is _UNSEEN else (out,)


def _transpose_broadcast_in_dim(ct, invars, linear, env, *, shape, broadcast_dimensions, sharding=None):
    """_broadcast_in_dim_transpose: the cotangent summed over the new and the stretched axes."""
    in_shape = invars[0].aval.shape
    unit = tuple(i for i, d in enumerate(in_shape) if d == 1 and shape[broadcast_dimensions[i]] != 1)
    summed = tuple(i for i in range(len(shape)) if i not in broadcast_dimensions)
    summed += tuple(broadcast_dimensions[i] for i in unit)
    out = ct
    if summed:
        out = eager.apply(reductions.reduce_sum_p, (ct,), {"axes": tuple(sorted(summed)), "out_sharding": None})
    if unit and out is not _UNSEEN and out._value.shape != in_shape:
        out = eager.apply(shapes.reshape_p, (out,), {"new_sizes": in_shape, "dimensions": None, "sharding": None})
    return None if out is _UNSEEN else (out,)


def _transpose_add_sub(negate):
    def rule(ct, invars, linear, env, **params):
        shape = ct._value.shape
        out = []
        for i, v in enumerate(invars):
            if type(v) is Literal or v not in linear:
                out.append(None)
            elif negate and i == 1:
                neg = eager.apply(lax.neg_p, (ct,), {})
                if neg is _UNSEEN:
                    return None
                out.append(neg if v.aval.shape == shape else lax.unbroadcast(v.aval, neg))
            else:
                out.append(ct if v.aval.shape == shape else lax.unbroadcast(v.aval, ct))
        return out
    return rule


def _transpose_neg(ct, invars, linear, env, **params):
    out = eager.apply(lax.neg_p, (ct,), {})
    return None if out is _UNSEEN else (out,)


transpose_rules = {lax.mul_p: _transpose_mul, lax.add_p: _transpose_add_sub(False),
                   add_jaxvals_p: _transpose_add_sub(False), lax.sub_p: _transpose_add_sub(True),
                   lax.neg_p: _transpose_neg, lax.div_p: _transpose_div,
                   reductions.dot_general_p: _transpose_dot_general,
                   reductions.reduce_sum_p: _transpose_reduce_sum,
                   shapes.broadcast_in_dim_p: _transpose_broadcast_in_dim}


def _sum(x, y):
    """add_tangents of two concrete cotangents, as bind of add_any would give it."""
    out = add_any(x, y)
    return add_tangents(x, y) if out is _UNSEEN else out


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

