"""jit's default backend: a jaxpr becomes straight-line Python/NumPy source, compiled once.

No counterpart file in JAX (there, jaxprs are lowered to StableHLO for XLA). Passes first inline
nested jits, fold constants, share common subexpressions and drop dead code; then each equation
becomes the lines its primitive's "numpy" lowering (interpreters/lowering.py) writes: for most,
one line, `c = sin(a)`, calling the primitive's NumPy function (a `NumpyCall`); primitives that
carry sub-jaxprs (cond, while, scan) write their Python control flow.
"""
import builtins
import keyword
import math

import numpy as np

from jaxlite import core, dtypes
from jaxlite.array import ArrayImpl
from jaxlite.core import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var
from jaxlite.interpreters.lowering import get_lowering

simplify_rules = {}  # primitive -> rule(eqn, graph) -> None, a replacement atom, or a new equation
inline_rules = {}   # primitive -> params -> ClosedJaxpr to inline in place of the equation


class NumpyCall:
    """The lowering of a primitive computed by one NumPy function: `out = fn(ins, **params)`."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, em, eqn, ins, out=None):
        if out is not None:  # the result takes over a dead input's buffer, as XLA's would
            return [em.call(eqn, eqn.primitive.name, self.fn, ins + [f"out={out}"])]
        return [em.generic(eqn, ins, self.fn)]


def impl_call(prim):
    """The lowering of a primitive with no NumPy function of its own: its impl, run on NumPy values."""
    return NumpyCall(_impl_on_numpy(prim))


def _lowering(prim):
    return get_lowering(prim, "numpy") or impl_call(prim)  # a primitive that registered none


class Compiled:
    __slots__ = ("source", "fun")

    def __init__(self, source, fun):
        self.source = source
        self.fun = fun


# ----------------------------------------------------------------------------------------------
# Passes over the jaxpr

def inline_calls(jaxpr, consts):
    """Replace nested `jit` equations by their bodies: generated code has no call overhead."""
    eqns, constvars, consts = [], list(jaxpr.constvars), list(consts)
    for eqn in jaxpr.eqns:
        get_inner = inline_rules.get(eqn.primitive)
        if get_inner is None:
            eqns.append(eqn)
            continue
        inner_closed = get_inner(eqn.params)
        inner, inner_consts = inline_calls(inner_closed.jaxpr, inner_closed.consts)
        rename = dict(zip(inner.invars, eqn.invars))
        for v, c in zip(inner.constvars, inner_consts):
            nv = Var(v.aval)
            rename[v] = nv
            constvars.append(nv)
            consts.append(c)
        sub = lambda v: v if type(v) is Literal else rename.get(v, v)
        for e in inner.eqns:
            new_out = [Var(v.aval) for v in e.outvars]
            rename.update(zip(e.outvars, new_out))
            eqns.append(JaxprEqn([sub(v) for v in e.invars], new_out, e.primitive, e.params))
        for outer, inner_out in zip(eqn.outvars, inner.outvars):
            eqns.append(_alias_eqn(outer, sub(inner_out)))
    return _forward_aliases(Jaxpr(constvars, jaxpr.invars, jaxpr.outvars, eqns)), consts


class _Alias:
    """Marker primitive for `out = in` produced while inlining; removed right after."""
    name = "alias"
    multiple_results = False


def _alias_eqn(out, src):
    return JaxprEqn([src], [out], _Alias, {})


def _forward_aliases(jaxpr):
    rename = {}
    sub = lambda v: v if type(v) is Literal else rename.get(v, v)
    eqns = []
    for e in jaxpr.eqns:
        if e.primitive is _Alias:
            rename[e.outvars[0]] = sub(e.invars[0])
            continue
        eqns.append(JaxprEqn([sub(v) for v in e.invars], e.outvars, e.primitive, e.params))
    return Jaxpr(jaxpr.constvars, jaxpr.invars, [sub(v) for v in jaxpr.outvars], eqns)


def _params_key(params):
    try:
        key = tuple(sorted(params.items()))
        hash(key)
        return key
    except TypeError:
        return None


def fold_and_share(jaxpr, consts):
    """Constant folding (equations of literals only) and common-subexpression elimination."""
    rename, seen, eqns = {}, {}, []
    constvars, consts = list(jaxpr.constvars), list(consts)
    sub = lambda v: v if type(v) is Literal else rename.get(v, v)
    for e in jaxpr.eqns:
        invars = [sub(v) for v in e.invars]
        if (not e.primitive.multiple_results and invars and all(type(v) is Literal for v in invars)
                and type(_lowering(e.primitive)) is NumpyCall and e.outvars[0].aval.size <= _FOLD_LIMIT):
            value = np.asarray(e.primitive.impl(*[_literal_array(v) for v in invars], **e.params)._value)
            if e.outvars[0].aval.shape == ():
                rename[e.outvars[0]] = Literal(value, e.outvars[0].aval)
            else:
                folded = Var(e.outvars[0].aval)
                constvars.append(folded)
                consts.append(value)
                rename[e.outvars[0]] = folded
            continue
        pkey = None if e.primitive.has_side_effects else _params_key(e.params)
        key = None if pkey is None else (e.primitive, tuple(_atom_key(v) for v in invars), pkey)
        if key is not None and key in seen:
            for old, new in zip(e.outvars, seen[key]):
                rename[old] = new
            continue
        if key is not None:
            seen[key] = e.outvars
        eqns.append(JaxprEqn(invars, e.outvars, e.primitive, e.params))
    return Jaxpr(constvars, jaxpr.invars, [sub(v) for v in jaxpr.outvars], eqns), consts


_FOLD_LIMIT = 100_000  # elements: larger constants are cheaper to recompute than to keep


def _literal_array(lit):
    return ArrayImpl(np.asarray(lit.val, lit.aval.dtype), lit.aval.weak_type)


def _atom_key(v):
    if type(v) is Literal:
        return ("lit", np.asarray(v.val).item(), v.aval.dtype)
    return v


class Graph:
    """What a simplification rule may ask about the program: who made a value, who reads it."""

    def __init__(self, jaxpr):
        self.producers = {}
        self.readers = {}
        for e in jaxpr.eqns:
            for v in e.invars:
                if type(v) is Var:
                    self.readers.setdefault(v, []).append(e)
        self.outputs = {v for v in jaxpr.outvars if type(v) is Var}

    def producer(self, v):
        return self.producers.get(v) if type(v) is Var else None

    def only_read_by(self, v, predicate):
        return v not in self.outputs and all(predicate(e) for e in self.readers.get(v, ()))


def simplify(jaxpr):
    """Peephole rewrites each primitive registers beside itself (a reshape of a reshape is one
    reshape; a sum over unit axes is a reshape; ...). Dead equations left behind go in dce."""
    graph = Graph(jaxpr)
    rename, eqns = {}, []
    sub = lambda v: v if type(v) is Literal else rename.get(v, v)
    for e in jaxpr.eqns:
        e = JaxprEqn([sub(v) for v in e.invars], e.outvars, e.primitive, e.params)
        for _ in range(4):  # a rewrite may enable another rule (sum over unit axes -> reshape -> ...)
            rule = simplify_rules.get(e.primitive)
            result = rule(e, graph) if rule else None
            if result is None or isinstance(result, JaxprEqn):
                if result is None:
                    break
                e = JaxprEqn(result.invars, e.outvars, result.primitive, result.params)
                continue
            rename[e.outvars[0]] = result
            e = None
            break
        if e is not None:
            eqns.append(e)
            for v in e.outvars:
                graph.producers[v] = e
    return Jaxpr(jaxpr.constvars, jaxpr.invars, [sub(v) for v in jaxpr.outvars], eqns)


def dce(jaxpr):
    from jaxlite.interpreters.partial_eval import dce_jaxpr
    return dce_jaxpr(jaxpr)


# ----------------------------------------------------------------------------------------------
# Emitting source

_RESERVED = set(keyword.kwlist) | set(dir(builtins))


class Emitter:
    """Writes Python lines; names variables like the jaxpr printer (a, b, c, ...), adding `_` to a
    name Python reserves or the module already uses (`if`, `min`, a function called `ge`)."""

    def __init__(self, namespace):
        self.names = core.VarNames()
        self.ns = namespace
        self.n_consts = 0
        self.source_names = {}
        self.used = set()  # every variable name written so far (a set: checks stay O(1))

    def name(self, v):
        name = self.source_names.get(v)
        if name is None:
            name = self.names(v)
            if name in _RESERVED or name in self.ns:
                name += "_"
            self.source_names[v] = name
            self.used.add(name)
        return name

    def call(self, eqn, fname, fn, args):
        """`out = fname(args)`, binding fn under fname (renamed if the name is taken), with the
        dtype cast that integer inputs may need."""
        if keyword.iskeyword(fname) or self.ns.get(fname, fn) is not fn or fname in self.used:
            fname = self.constant(fn, fname + "_")
        self.ns[fname] = fn
        return self.assign(eqn, f"{fname}({', '.join(args)})")

    def assign(self, eqn, expr):
        outs = eqn.outvars
        if eqn.primitive.multiple_results:
            lhs = ", ".join(self.name(v) for v in outs) + ("," if len(outs) == 1 else "")
            return f"{lhs} = {expr}"
        out = outs[0]
        if _may_change_dtype(eqn):
            self.ns[out.aval.dtype.name] = out.aval.dtype.type
            expr = f"_as({expr}, {out.aval.dtype.name})"
        return f"{self.name(out)} = {expr}"

    def atom(self, v):
        if type(v) is Literal:
            return self.literal(v)
        return self.name(v)

    def literal(self, lit):
        dtype = lit.aval.dtype
        short = dtypes.short_name(dtype)
        self.ns[short] = dtype.type
        val = lit.val._value if type(lit.val) is ArrayImpl else lit.val
        value = np.asarray(val, dtype)[()]
        if dtype.kind == "f":
            # The shortest text that reads back as the same float32: f32(0.9), not f32(0.8999999761581421).
            text = str(value)
            return f"{short}({text})" if np.isfinite(value) else f"{short}({text!r})"
        return f"{short}({value.item()!r})"

    def constant(self, value, hint="k"):
        name = f"_{hint}{self.n_consts}"
        self.n_consts += 1
        self.ns[name] = value
        return name

    def param(self, value):
        """A parameter as source text when it is a Python literal, else a named constant bound in
        the generated module (dimension numbers, enums, jaxprs: their repr is not source)."""
        if _is_literal(value):
            return repr(value)
        if isinstance(value, np.dtype):
            self.ns[value.name] = value.type
            return value.name
        return self.constant(value, "p")

    def function(self, name, jaxpr, indent=0):
        """Source lines of `def name(invars): ...; return outvars` (a ClosedJaxpr's consts become
        names in the generated module)."""
        if isinstance(jaxpr, ClosedJaxpr):
            for v, c in zip(jaxpr.jaxpr.constvars, jaxpr.consts):
                self.ns[self.name(v)] = np.asarray(c._value) if isinstance(c, ArrayImpl) else c
            jaxpr = jaxpr.jaxpr
        pad = " " * indent
        args = ", ".join(self.name(v) for v in jaxpr.invars)
        lines = [f"{pad}def {name}({args}):"]
        body = self.body(jaxpr, indent + 4)
        outs = ", ".join(self.atom(v) for v in jaxpr.outvars)
        lines += body or []
        lines.append(f"{pad}    return ({outs}{',' if len(jaxpr.outvars) == 1 else ''})")
        return lines

    def body(self, jaxpr, indent):
        pad = " " * indent
        lines = []
        last_use = _last_uses(jaxpr)
        in_place = _in_place_targets(jaxpr)
        for i, eqn in enumerate(jaxpr.eqns):
            ins = [self.atom(v) for v in eqn.invars]
            rule = _lowering(eqn.primitive)
            if i in in_place:
                lines += [pad + line for line in rule(self, eqn, ins, out=self.name(in_place[i]))]
            else:
                lines += [pad + line for line in rule(self, eqn, ins)]
            dead = last_use.get(i)
            if dead:
                # Large intermediates are freed after their last use, as XLA reuses buffers.
                lines.append(pad + "del " + ", ".join(self.name(v) for v in dead))
        return lines

    def generic(self, eqn, ins, fn=None):
        """`out = fn(ins, **params)`, fn being the primitive's NumPy function unless given."""
        prim = eqn.primitive
        fn = fn or prim.numpy_impl or _impl_on_numpy(prim)
        defaults = _defaults(fn)
        args = ins + [f"{k}={self.param(v)}" for k, v in sorted(eqn.params.items())
                      if not (k in defaults and defaults[k] is v)]
        return self.call(eqn, prim.name.replace("-", "_"), fn, args)


def _is_literal(value):
    """Whether repr(value) is Python source for an equal value: exact builtin types only (a
    namedtuple or an IntEnum is a tuple or an int, but its repr names its class)."""
    t = type(value)
    if t is float:
        return math.isfinite(value)
    if t is tuple:
        return all(_is_literal(x) for x in value)
    return t in (bool, int, str, type(None))


_FREE_AT = 10_000  # elements: smaller arrays are left to Python's own clean-up, keeping code short


def _last_uses(jaxpr):
    """equation index -> large variables whose last reader it is (never inputs or outputs)."""
    keep = set(jaxpr.invars) | set(jaxpr.constvars) | {v for v in jaxpr.outvars if type(v) is Var}
    last = {}
    for i, eqn in enumerate(jaxpr.eqns):
        for v in eqn.invars:
            if type(v) is Var and v not in keep and v.aval.size >= _FREE_AT:
                last[v] = i
    by_eqn = {}
    for v, i in last.items():
        by_eqn.setdefault(i, []).append(v)
    return by_eqn


_IN_PLACE_AT = 1_000  # elements: below this, a fresh array costs no more than reusing one


def _writes_in_place(eqn):
    """An elementwise ufunc emitted as a plain call, so it can be given `out=`."""
    rule = _lowering(eqn.primitive)
    return (type(rule) is NumpyCall and isinstance(rule.fn, np.ufunc)
            and not eqn.params and not _may_change_dtype(eqn))


# What the code generator may assume of a primitive, registered beside it in jaxlite.lax:
fresh_output: set = set()  # its NumPy function returns a new array, never a view of an operand
broadcasts_like_numpy: set = set()  # its NumPy function broadcasts its operands as NumPy does


def _in_place_targets(jaxpr):
    """equation index -> an input variable whose buffer the result can be written into: a large
    intermediate that a ufunc, reduction or dot made fresh (its primitive is in `fresh_output`), that
    only such equations read (so no view of it exists) and that is dead after this equation."""
    keep = set(jaxpr.invars) | set(jaxpr.constvars) | {v for v in jaxpr.outvars if type(v) is Var}
    fresh, last, viewed = set(), {}, set()
    for i, eqn in enumerate(jaxpr.eqns):
        makes_fresh = eqn.primitive in fresh_output
        for v in eqn.invars:
            if type(v) is Var:
                last[v] = i
                if not makes_fresh:
                    viewed.add(v)  # a transpose or reshape may hand out a view of v
        if makes_fresh and not eqn.primitive.multiple_results:
            fresh.add(eqn.outvars[0])
    targets = {}
    for i, eqn in enumerate(jaxpr.eqns):
        if not _writes_in_place(eqn):
            continue
        out = eqn.outvars[0].aval
        for v in eqn.invars:
            if (type(v) is Var and v in fresh and v not in keep and v not in viewed and last[v] == i
                    and v.aval.size >= _IN_PLACE_AT and v.aval.shape == out.shape and v.aval.dtype == out.dtype):
                targets[i] = v
                break
    return targets


_DEFAULTS = {}


def _defaults(fn):
    """Keyword defaults of a NumPy impl: params equal to them are left out of the source."""
    found = _DEFAULTS.get(fn)
    if found is None:
        import inspect
        try:
            found = {k: p.default for k, p in inspect.signature(fn).parameters.items()
                     if p.default is not inspect.Parameter.empty}
        except (TypeError, ValueError):
            found = {}
        _DEFAULTS[fn] = found
    return found


def _may_change_dtype(eqn):
    """NumPy keeps float dtypes through these ops, but widens small integers (np.sum of int32 is
    int64): a result computed from integers or bools is cast back to the dtype jaxlite promised."""
    out = eqn.outvars[0].aval.dtype
    return out.kind not in "b" and any(v.aval.dtype.kind in "iub" for v in eqn.invars)


def _as(x, dtype):
    x = np.asarray(x)
    return x if x.dtype == dtype else x.astype(dtype)


def _impl_on_numpy(prim):
    """Fallback for primitives without a NumPy function: run the impl and unwrap."""
    def fn(*args, **params):
        out = prim.impl(*[ArrayImpl(np.asarray(a), False) for a in args], **params)
        if prim.multiple_results:
            return [np.asarray(o._value) if isinstance(o, ArrayImpl) else o for o in out]
        return np.asarray(out._value)
    return fn


# ----------------------------------------------------------------------------------------------

def optimize(closed):
    jaxpr, consts = inline_calls(closed.jaxpr, closed.consts)
    jaxpr, consts = fold_and_share(simplify(jaxpr), consts)
    return dce(jaxpr), consts


def compile_jaxpr(closed, name="jitted"):
    """Generate, compile and wrap the source for a closed jaxpr; returns Compiled(source, fun)."""
    jaxpr, consts = optimize(closed)
    ns = {"np": np, "_as": _as, "__name__": "jaxlite.jit"}
    em = Emitter(ns)
    for v in jaxpr.invars:  # the arguments keep the jaxpr's first names
        em.name(v)
    for v, c in zip(jaxpr.constvars, consts):
        ns[em.name(v)] = np.asarray(c._value) if isinstance(c, ArrayImpl) else c
    fname = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name) or "jitted"
    if fname[0].isdigit() or fname in _RESERVED:
        fname = "_" + fname
    lines = em.function(fname, jaxpr)
    taken = set(ns) | em.used
    while fname in taken:  # the jitted function is called like one of the functions it calls
        fname += "_"
    lines[0] = f"def {fname}({lines[0].split('(', 1)[1]}"

    source = "\n".join(lines)
    exec(compile(source, f"<jaxlite jit {name}>", "exec"), ns)
    raw = ns[fname]
    out_types = [(aval.dtype, aval.weak_type) for aval in jaxpr.out_avals]

    def run(*args):
        outs = raw(*[a._value if type(a) is ArrayImpl else np.asarray(a) for a in args])
        return [ArrayImpl(o if type(o) is np.ndarray and o.dtype is dtype else _as(o, dtype), weak)
                for o, (dtype, weak) in zip(outs, out_types)]

    return Compiled(source, run)
