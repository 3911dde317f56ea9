"""The core: abstract values, primitives, traces and tracers, and jaxprs.

Mirrors jax/_src/core.py. A primitive's `bind` hands its operands to the *current trace*; the eval
trace computes with NumPy, and every transformation is a trace whose tracers wrap values of the trace
beneath it (its `parent_trace`). Jaxprs are the data that tracing to a program produces.
"""
import itertools
import math
import operator
import re
import threading

import numpy as np

from jaxlite import dispatch, dtypes, errors
from jaxlite.errors import (ConcretizationTypeError, TracerArrayConversionError,
                            TracerBoolConversionError, TracerIntegerConversionError,
                            UnexpectedTracerError)


# ----------------------------------------------------------------------------------------------
# Abstract values

ExtendedDType = dtypes.ExtendedDType


class ShapedArray:
    """What a tracer knows about its value: shape, dtype and whether it is weakly typed."""

    __slots__ = ("shape", "dtype", "weak_type", "_hash")

    def __init__(self, shape, dtype, weak_type=False):
        self.shape = shape if type(shape) is tuple else tuple(shape)
        self.dtype = dtype if isinstance(dtype, (np.dtype, ExtendedDType)) else np.dtype(dtype)
        self.weak_type = weak_type is True or bool(weak_type)

    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: math.prod(self.shape))

    def update(self, shape=None, dtype=None, weak_type=None):
        return ShapedArray(self.shape if shape is None else shape,
                           self.dtype if dtype is None else dtype,
                           self.weak_type if weak_type is None else weak_type)

    def strip_weak_type(self):
        return self.update(weak_type=False) if self.weak_type else self

    def str_short(self, short_dtypes=True):
        """The jaxpr spelling, `f32[3]`, `i32[2,3]`, `bool[]`, `key<fry>[]`; with short_dtypes=False
        the spelling of JAX's messages, `float32[3]` (JAX's own default is the long one)."""
        short = short_dtypes and not isinstance(self.dtype, ExtendedDType)
        name = dtypes.short_name(self.dtype) if short else self.dtype.name
        return f"{name}[{','.join(map(str, self.shape))}]"

    def __repr__(self):
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapedArray({self.str_short(short_dtypes=False)}{weak})"

    def __str__(self):
        """What `print(jax.typeof(x))` shows: `float32[3]`, `~float32[]` when weakly typed."""
        return f"{'~' if self.weak_type else ''}{self.str_short(short_dtypes=False)}"

    def __eq__(self, other):
        return (type(other) is ShapedArray and self.shape == other.shape
                and self.dtype == other.dtype and self.weak_type == other.weak_type)

    def __hash__(self):
        try:  # computed once: jit's dispatch hashes the avals of its arguments on every call
            return self._hash
        except AttributeError:
            self._hash = hash((self.shape, self.dtype, self.weak_type))
            return self._hash


def get_aval(x):
    """The abstract value of anything that can flow into a primitive."""
    aval = getattr(x, "aval", None)
    if aval is not None:
        return aval
    if isinstance(x, (np.ndarray, np.generic)):  # first: np.float64 is also a Python float
        return ShapedArray(np.shape(x), dtypes.canonicalize_dtype(x.dtype), False)
    if isinstance(x, (bool, int, float, complex)):
        dtype, weak = dtypes.dtype_and_weak(x)
        return ShapedArray((), dtype, weak)
    raise TypeError(errors.with_hint(f"Value {x!r} with type {type(x)} is not a valid JAX type",
        "jax works on arrays and numbers: convert this value (jnp.asarray), or keep it outside the computation."))


def valid_jaxtype(x):
    try:
        get_aval(x)
    except TypeError:
        return False
    return True


# ----------------------------------------------------------------------------------------------
# Primitives

class Primitive:
    """A named operation. Its rules (impl, abstract eval, jvp, transpose, batching, codegen) are
    registered beside it in jaxlite.lax; the interpreters look them up, never the name."""

    multiple_results = False
    has_side_effects = False  # dead-code elimination and CSE keep its equations
    numpy_impl = None  # the NumPy function that computes it, for eager dispatch and jit's NumPy code

    def __init__(self, name):
        self.name = name
        self.impl = None
        self.abstract_eval = None

    def __repr__(self):
        return self.name

    def def_impl(self, impl):
        self.impl = impl
        return impl

    def def_abstract_eval(self, rule):
        self.abstract_eval = rule
        return rule

    def bind(self, *args, **params):
        return trace_ctx.trace.process_primitive(self, args, params)


# ----------------------------------------------------------------------------------------------
# Traces and the current-trace context

class Trace:
    """Interprets primitives. Each transformation subclasses it; `parent_trace` is the trace whose
    values this trace's tracers wrap (the one below it in the stack)."""

    def __init__(self, parent_trace=None):
        self.parent_trace = parent_trace
        self.alive = True

    def process_primitive(self, primitive, tracers, params):
        raise NotImplementedError

    def process_custom_jvp_call(self, primitive, fun, jvp, tracers):
        raise NotImplementedError

    def process_custom_vjp_call(self, primitive, fun, fwd, bwd, tracers, out_trees):
        raise NotImplementedError

    def invalidate(self):
        """Called when the transformation returns: its tracers must not be used any more."""
        self.alive = False

    def __repr__(self):
        return type(self).__name__


class EvalTrace(Trace):
    """The bottom of the stack: primitives run on concrete NumPy values."""

    def process_primitive(self, primitive, args, params):
        for a in args:
            if isinstance(a, Tracer):
                raise escaped_tracer_error(a)
        if dispatch.needs_check_special:  # jax_debug_nans / jax_debug_infs
            return dispatch.apply_checked(primitive, args, params)
        return primitive.impl(*args, **params)

    def process_custom_jvp_call(self, primitive, fun, jvp, tracers):
        for a in tracers:
            if isinstance(a, Tracer):
                raise escaped_tracer_error(a)
        return fun(*tracers)

    def process_custom_vjp_call(self, primitive, fun, fwd, bwd, tracers, out_trees):
        return self.process_custom_jvp_call(primitive, fun, None, tracers)


class _TraceContext(threading.local):
    def __init__(self):
        self.trace = eval_trace


eval_trace = EvalTrace()
trace_ctx = _TraceContext()


class set_current_trace:
    """`with set_current_trace(t):` makes `t` interpret every `bind` inside the block."""

    __slots__ = ("trace", "prev")

    def __init__(self, trace):
        self.trace = trace

    def __enter__(self):
        self.prev = trace_ctx.trace
        trace_ctx.trace = self.trace

    def __exit__(self, *exc):
        trace_ctx.trace = self.prev


def current_trace():
    return trace_ctx.trace


def escaped_tracer_error(tracer):
    trace = tracer._trace
    info = getattr(trace, "debug_info", None)
    if info is not None:  # JAX names the function a jit or make_jaxpr was tracing
        where = (f"The function being traced when the value leaked was {info.fun_name} at {info.where} "
                 f"traced for {info.what}.")
    else:
        where = f"The {trace} that created this tracer {'has already finished' if not trace.alive else 'is not active here'}."
    return UnexpectedTracerError(
        "Encountered an unexpected tracer. A function transformed by JAX had a side effect, allowing "
        f"for a reference to an intermediate value with type {tracer.aval.str_short(short_dtypes=False)} wrapped in a "
        f"{type(tracer).__name__} to escape the scope of the transformation.\n"
        "JAX transformations require that functions explicitly return their outputs, and disallow "
        f"saving intermediate values to global state.\n{where}")


# ----------------------------------------------------------------------------------------------
# Tracers

class Tracer:
    """A stand-in for an array while a trace interprets the program. Arithmetic on it comes from
    jaxlite.numpy (installed by array_methods), exactly as on a concrete Array."""

    __slots__ = ("_trace",)
    __array_priority__ = 1000

    aval = property(lambda self: NotImplemented)
    shape = property(lambda self: self.aval.shape)
    dtype = property(lambda self: self.aval.dtype)
    ndim = property(lambda self: len(self.aval.shape))
    size = property(lambda self: self.aval.size)
    weak_type = property(lambda self: self.aval.weak_type)

    def to_concrete_value(self):
        """The concrete NumPy value behind this tracer, or None when only its aval is known."""
        return None

    def __bool__(self):
        value = self.to_concrete_value()
        if value is None:
            raise TracerBoolConversionError(
                f"Attempted boolean conversion of traced array with shape {self.aval.str_short(short_dtypes=False)}."
                f"{why_not_concrete(self)}", concretization_hint(self, "bool"))
        return bool(value)

    def __int__(self):
        value = self.to_concrete_value()
        if value is None:
            raise ConcretizationTypeError(abstract_msg(self, _conversion_note("int")),
                                          concretization_hint(self, "number"))
        return int(value)

    def __float__(self):
        value = self.to_concrete_value()
        if value is None:
            raise ConcretizationTypeError(abstract_msg(self, _conversion_note("float")),
                                          concretization_hint(self, "number"))
        return float(value)

    def __complex__(self):
        value = self.to_concrete_value()
        if value is None:
            raise ConcretizationTypeError(abstract_msg(self, _conversion_note("complex")),
                                          concretization_hint(self, "number"))
        return complex(value)

    def __index__(self):
        value = self.to_concrete_value()
        if value is None:
            raise TracerIntegerConversionError(
                "The __index__() method was called on traced array with shape "
                f"{self.aval.str_short(short_dtypes=False)}"
                f"{why_not_concrete(self)}", concretization_hint(self, "index"))
        return operator.index(value)  # as JAX: a float is no index, even a concrete one

    def __array__(self, dtype=None, copy=None):
        # Never the concrete value, even where one is known (a primal under grad): a NumPy function
        # would compute on it and silently drop the derivative, so JAX refuses every tracer.
        raise TracerArrayConversionError(
            f"The numpy.ndarray conversion method __array__() was called on traced array with shape "
            f"{self.aval.str_short(short_dtypes=False)}{why_not_concrete(self)}")

    def __len__(self):
        if not self.shape:
            raise TypeError(errors.with_hint("len() of unsized object", errors.UNSIZED_HINT))
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise TypeError(errors.with_hint("iteration over a 0-d array", errors.UNSIZED_HINT))
        return (self[i] for i in range(self.shape[0]))

    def __hash__(self):
        raise TypeError(errors.with_hint(f"unhashable type: {type(self).__name__}",
            "a traced array cannot be a dict key, set member or static argument: use its value outside the trace,"
            " or a Python number."))

    def __setitem__(self, idx, value):
        raise TypeError(IMMUTABLE_MSG.format(type(self).__name__))

    def item(self):
        value = self.to_concrete_value()
        if value is None:
            raise ConcretizationTypeError(
                abstract_msg(self, "This occurred in the item() method of jax.Array"),
                concretization_hint(self, "value"))
        return np.asarray(value).item()

    def tolist(self):
        raise ConcretizationTypeError(abstract_msg(self, _method_note("tolist()", self)),
                                      concretization_hint(self, "value"))

    def tobytes(self, order="C"):
        raise ConcretizationTypeError(abstract_msg(self, _method_note("tobytes()", self)),
                                      concretization_hint(self, "value"))

    def __dlpack__(self, *args, **kwargs):
        raise ConcretizationTypeError(abstract_msg(self, _method_note("__dlpack__()", self)),
                                      concretization_hint(self, "value"))

    # NumPy reads these to borrow an array's memory; a tracer has none (hasattr is False).
    __array_interface__ = property(lambda self: _no_attribute(self, "__array_interface__"))
    __array_struct__ = property(lambda self: _no_attribute(self, "__array_struct__"))

    def __repr__(self):
        return f"{self._tracer_name}({self._repr_body()})"

    _tracer_name = "Tracer"

    def _repr_body(self):
        weak = "~" if self.aval.weak_type else ""
        return f"{weak}{self.aval.str_short(short_dtypes=False)}"


IMMUTABLE_MSG = ("JAX arrays are immutable and do not support in-place item assignment. Instead of "
                  "x[idx] = y, use x = x.at[idx].set(y) or another .at[] method.\n"
                  "Hint: a jax function never changes its inputs; .at[idx].set(y) returns a new array.")


def abstract_msg(tracer, note):
    return (f"Abstract tracer value encountered where concrete value is expected: traced array with "
            f"shape {tracer.aval.str_short(short_dtypes=False)}\n{note}{why_not_concrete(tracer)}")


def _no_attribute(tracer, name):
    raise AttributeError(f"{type(tracer).__name__} has no attribute {name}")


def _method_note(method, tracer):
    return f"The {method} method was called on traced array with shape {tracer.aval.str_short(short_dtypes=False)}."


def _conversion_note(fn):
    return (f"The problem arose with the `{fn}` function. If trying to convert the data type of a "
            f"value, try using `x.astype({fn})` or `jnp.array(x, {fn})` instead.")


def why_not_concrete(tracer):
    describe = getattr(tracer._trace, "describe_dependence", None)
    return describe(tracer) if describe else ""


def concretization_hint(tracer, kind):
    """The hint for a traced value Python needed concretely: under vmap, what works per example;
    under jit, the static argument that would give the value (by position or by keyword)."""
    if tracer._tracer_name == "VmapTracer":
        return errors.traced_value_hint(kind, "vmap")
    fix = getattr(tracer._trace, "static_argument_fix", None)
    return errors.traced_value_hint(kind, static=fix(tracer) if fix else None)



# ----------------------------------------------------------------------------------------------
# Jaxprs

class Var:
    """A jaxpr variable. Names (a, b, ...) are given when printing, in order of binding."""

    __slots__ = ("aval", "count")
    _counter = itertools.count()

    def __init__(self, aval):
        self.aval = aval
        self.count = next(Var._counter)

    def __repr__(self):
        return f"Var(id={id(self)}):{self.aval.str_short(short_dtypes=False)}"


class Literal:
    """A scalar constant written inline in a jaxpr, like `2.0:f32[]`."""

    __slots__ = ("val", "aval")

    def __init__(self, val, aval):
        self.val = val
        self.aval = aval

    def __repr__(self):
        return f"Literal({self.val})"


class JaxprEqn:
    __slots__ = ("invars", "outvars", "primitive", "params")

    def __init__(self, invars, outvars, primitive, params):
        self.invars = invars
        self.outvars = outvars
        self.primitive = primitive
        self.params = params

    def __repr__(self):
        return format_doc(pp_eqn(self, VarNames()))


class Jaxpr:
    """A program in A-normal form: constvars and invars, a list of equations, outvars."""

    __slots__ = ("constvars", "invars", "outvars", "eqns")

    def __init__(self, constvars, invars, outvars, eqns):
        self.constvars = list(constvars)
        self.invars = list(invars)
        self.outvars = list(outvars)
        self.eqns = list(eqns)

    in_avals = property(lambda self: [v.aval for v in self.invars])
    out_avals = property(lambda self: [v.aval for v in self.outvars])

    def __str__(self):
        return pp_toplevel_jaxpr(self)

    __repr__ = __str__

    def pretty_print(self, width=80):
        return pp_toplevel_jaxpr(self, width)


class ClosedJaxpr:
    """A jaxpr together with the values of its constvars; `str()` is JAX's text."""

    __slots__ = ("jaxpr", "consts")

    def __init__(self, jaxpr, consts):
        self.jaxpr = jaxpr
        self.consts = list(consts)

    in_avals = property(lambda self: self.jaxpr.in_avals)
    out_avals = property(lambda self: self.jaxpr.out_avals)
    eqns = property(lambda self: self.jaxpr.eqns)
    literals = property(lambda self: self.consts)  # JAX's newer name for the constvars' values

    def __call__(self, *args):
        return eval_jaxpr(self.jaxpr, self.consts, *args)

    def __str__(self):
        return pp_toplevel_jaxpr(self.jaxpr)

    __repr__ = __str__

    def pretty_print(self, width=80):
        return pp_toplevel_jaxpr(self.jaxpr, width)


def eval_jaxpr(jaxpr, consts, *args):
    """Run a jaxpr by binding each equation's primitive under whatever trace is current, so that
    evaluating a jaxpr inside grad/vmap/jit transforms it."""
    env = {}
    read = lambda v: v.val if type(v) is Literal else env[v]
    for v, x in zip(jaxpr.constvars, consts):
        env[v] = x
    if len(args) != len(jaxpr.invars):
        raise TypeError(errors.with_hint(f"jaxpr takes {len(jaxpr.invars)} arguments, got {len(args)}",
            "call eval_jaxpr(jaxpr, consts, *args) with one argument per input variable of the jaxpr."))
    for v, x in zip(jaxpr.invars, args):
        env[v] = x
    for eqn in jaxpr.eqns:
        outs = eqn.primitive.bind(*map(read, eqn.invars), **eqn.params)
        if not eqn.primitive.multiple_results:
            outs = (outs,)
        for v, x in zip(eqn.outvars, outs):
            env[v] = x
    return [read(v) for v in jaxpr.outvars]


def jaxpr_as_fun(closed_jaxpr):
    return lambda *args: eval_jaxpr(closed_jaxpr.jaxpr, closed_jaxpr.consts, *args)


class JaxprTypeError(TypeError):
    pass


def check_jaxpr(jaxpr):
    """Validate a jaxpr: every variable bound once before use, and every equation's output types
    equal to what its primitive's abstract-eval rule computes from the input types."""
    bound = set()

    def bind(v, where):
        if v in bound:
            raise JaxprTypeError(f"variable {v} bound twice ({where})")
        bound.add(v)

    def read(v, where):
        if type(v) is Literal:
            return
        if v not in bound:
            raise JaxprTypeError(f"variable {v} used before it is bound ({where})")

    for v in itertools.chain(jaxpr.constvars, jaxpr.invars):
        bind(v, "inputs")
    for i, eqn in enumerate(jaxpr.eqns):
        where = f"equation {i}: {eqn.primitive}"
        for v in eqn.invars:
            read(v, where)
        in_avals = [v.aval for v in eqn.invars]
        outs = eqn.primitive.abstract_eval(*in_avals, **eqn.params)
        outs = outs if eqn.primitive.multiple_results else [outs]
        for v, aval in zip(eqn.outvars, outs):
            if (v.aval.shape, v.aval.dtype) != (aval.shape, aval.dtype):
                raise JaxprTypeError(f"{where} outputs {v.aval.str_short()} but its rule says "
                                     f"{aval.str_short()}")
            bind(v, where)
        for sub in jaxprs_in_params(eqn.params):
            check_jaxpr(sub.jaxpr if isinstance(sub, ClosedJaxpr) else sub)
    for v in jaxpr.outvars:
        read(v, "outputs")


def jaxprs_in_params(params):
    for value in params.values():
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, (Jaxpr, ClosedJaxpr)):
                yield item


# ----------------------------------------------------------------------------------------------
# Printing jaxprs in JAX's text format
#
# A jaxpr is first described as a document of text, breaks, groups and nesting, then laid out
# the way JAX's pretty printer does it (Wadler's "prettier printer"): a group prints flat, with
# its breaks as their text, if the whole group fits in what is left of the line; otherwise each of
# its breaks starts a new line, indented by the nesting around it. Only the group itself must fit,
# not the text after it.

def _text(s):
    return ("text", s)


def _brk(s=" "):
    return ("brk", s)


def _group(doc):
    return ("group", doc)


def _nest(n, doc):
    return ("nest", n, doc)


def _concat(*docs):
    return ("concat", docs)


def _join(sep, docs):
    out = []
    for i, d in enumerate(docs):
        out += [sep, d] if i else [d]
    return ("concat", tuple(out))


def _fits(doc, width):
    agenda = [doc]
    while width >= 0 and agenda:
        d = agenda.pop()
        if d[0] in ("text", "brk"):
            width -= len(d[1])
        elif d[0] == "concat":
            agenda.extend(reversed(d[1]))
        else:
            agenda.append(d[-1])
    return width >= 0


def format_doc(doc, width=80):
    lines, line, column = [], [], 0
    agenda = [(0, False, doc)]  # (indent, flat, doc); outside any group, breaks are newlines
    while agenda:
        indent, flat, d = agenda.pop()
        kind = d[0]
        if kind == "text" or (kind == "brk" and flat):
            line.append(d[1])
            column += len(d[1])
        elif kind == "brk":
            lines.append("".join(line))
            line, column = [" " * indent], indent
        elif kind == "concat":
            agenda.extend((indent, flat, c) for c in reversed(d[1]))
        elif kind == "nest":
            agenda.append((indent + d[1], flat, d[2]))
        else:
            agenda.append((indent, _fits(d[1], width - column), d[1]))
    lines.append("".join(line))
    return "\n".join(lines)


class VarNames:
    """Hands out a, b, ..., z, ba, bb, ... in order of first use, across a jaxpr and its sub-jaxprs;
    also remembers which sub-jaxprs are printed once, up front, under a name."""

    def __init__(self, preset=None):
        self.names = dict(preset or {})
        self.count = 0
        self.shared = {}  # Jaxpr -> name of a jaxpr printed as `let name = ... in`

    def __call__(self, var):
        name = self.names.get(var)
        if name is None:
            name = _encode(self.count)
            self.count += 1
            while name in self.shared.values():
                name = _encode(self.count)
                self.count += 1
            self.names[var] = name
        return name

    def suggest(self, inner_vars, outer_atoms):
        """A sub-jaxpr's variables printed with the names of the outer values they stand for."""
        taken = set()
        for inner, outer in zip(inner_vars, outer_atoms):
            if (type(outer) is Var and outer not in taken and type(inner) is Var
                    and inner not in self.names):
                taken.add(outer)
                self.names[inner] = self(outer)


def _encode(n):
    letters = "abcdefghijklmnopqrstuvwxyz"
    s = letters[n % 26]
    n //= 26
    while n:
        s = letters[n % 26] + s
        n //= 26
    return s


def _unused_vars(jaxpr):
    """Equation outputs nobody reads: JAX prints them as `_` (in the top-level jaxpr only)."""
    used = {v for eqn in jaxpr.eqns for v in eqn.invars if type(v) is Var}
    used.update(v for v in jaxpr.outvars if type(v) is Var)
    return {v: "_" for eqn in jaxpr.eqns for v in eqn.outvars if v not in used}


def pp_literal(lit):
    val = np.asarray(lit.val)
    if val.dtype == np.bool_:
        text = "True" if val else "False"
    elif val.dtype.kind == "f":
        text = repr(float(val))
    elif val.dtype.kind in "iu":
        text = str(int(val))
    else:
        text = str(val.item())
    return f"{text}:{lit.aval.str_short()}"


def _pp_atom(v, names):
    return pp_literal(v) if type(v) is Literal else names(v)


def _pp_vars(vs, names, separator="", shapes=False):
    docs = [_text(f"{names(v)}:{v.aval.str_short()}" if shapes else _pp_atom(v, names)) for v in vs]
    return _nest(2, _group(_join(_concat(_text(separator), _group(_brk())), docs)))


def pp_param_value(value, names):
    if isinstance(value, (Jaxpr, ClosedJaxpr)):
        return pp_jaxpr(value.jaxpr if isinstance(value, ClosedJaxpr) else value, names)
    if type(value) is tuple and value and all(isinstance(x, (Jaxpr, ClosedJaxpr)) for x in value):
        inner = _join(_brk(), [pp_param_value(x, names) for x in value])
        return _group(_concat(_nest(2, _concat(_text("("), _brk(""), inner)), _brk(""), _text(")")))
    if isinstance(value, np.dtype):
        return _text(value.name)
    if isinstance(value, type) and issubclass(value, np.generic):
        return _text(np.dtype(value).name)
    if callable(value) and hasattr(value, "__name__"):
        return _text(value.__name__)
    # Object addresses change from run to run: JAX prints them as 0xXXXX...
    return _text(re.sub(r" at 0x([0-9a-fA-F]+)", lambda m: " at 0x" + "X" * len(m.group(1)), str(value)))


def _pp_params(pairs, names):
    if not pairs:
        return _text("")
    items = [_concat(_text(f"{k}="), pp_param_value(v, names)) for k, v in pairs]
    return _group(_concat(_nest(2, _concat(_text("["), _brk(""), _join(_brk(), items))),
                          _brk(""), _text("]")))


# primitive -> a function of its params giving the params JAX prints (a dict, or a list of pairs in JAX's order)
pp_params_rules: dict = {}
# call primitive -> the name of the param holding its jaxpr, whose variables print with the caller's names
pp_call_jaxpr_param: dict = {}


def pp_eqn(eqn, names):
    lhs = _pp_vars(eqn.outvars, names, shapes=True)
    pp_params = pp_params_rules.get(eqn.primitive)
    params = pp_params(eqn.params) if pp_params else eqn.params
    # Params print sorted by name, unless a primitive's rule gives its own order (a list).
    pairs = list(params) if isinstance(params, list) else sorted(params.items())
    alias = pp_call_jaxpr_param.get(eqn.primitive)
    if alias is not None:
        _suggest_call_names(dict(pairs)[alias], eqn, names)
    rhs = _concat(_text(eqn.primitive.name), _pp_params(pairs, names),
                  _text(" "), _pp_vars(eqn.invars, names))
    return _concat(lhs, _text(" = "), rhs) if eqn.outvars else rhs


def _suggest_call_names(closed, eqn, names):
    """JAX prints a jit's inner jaxpr with the caller's names for its inputs and outputs."""
    inner = closed.jaxpr if isinstance(closed, ClosedJaxpr) else closed
    if inner not in names.shared:
        names.suggest(inner.invars, eqn.invars)
        names.suggest(inner.outvars, eqn.outvars)


def pp_jaxpr(jaxpr, names):
    """The document for a jaxpr (or just its name, if it is printed up front)."""
    if jaxpr in names.shared:
        return _text(names.shared[jaxpr])
    return _pp_skeleton(jaxpr, names)


def _pp_skeleton(jaxpr, names):
    constvars = _pp_vars(jaxpr.constvars, names, shapes=True)
    invars = _pp_vars(jaxpr.invars, names, shapes=True)
    eqns = _join(_brk("; "), [pp_eqn(e, names) for e in jaxpr.eqns])
    outs = _concat(_text("("), _pp_vars(jaxpr.outvars, names, separator=","),
                   _text(",)" if len(jaxpr.outvars) == 1 else ")"))
    body = _concat(_text("{ lambda "), constvars, _text("; "), invars, _text(". let"),
                   _nest(2, _concat(_brk(), eqns)), _brk(), _text("in "), outs)
    return _group(_concat(_nest(2, body), _text(" }")))


def _sub_jaxprs(eqn):
    for value in eqn.params.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, ClosedJaxpr):
                yield item.jaxpr
            elif isinstance(item, Jaxpr):
                yield item


def _shared_jaxprs(top):
    """Sub-jaxprs met more than once, or longer than 10 equations, are printed once, up front, as
    `let name = { ... } in`, named after the `name` param of the equation carrying them."""
    counts, names, todo = {}, {}, [top]
    while todo:
        jaxpr = todo.pop(0)
        counts[jaxpr] = counts.get(jaxpr, 0) + 1 + (jaxpr is not top and len(jaxpr.eqns) > 10)
        for eqn in jaxpr.eqns:
            name = eqn.params.get("name")
            for sub in _sub_jaxprs(eqn):
                todo.append(sub)
                if isinstance(name, str):
                    names.setdefault(sub, name.strip("<>"))
    shared, taken = {}, {}
    for jaxpr, count in counts.items():
        if count > 1:
            name = names.get(jaxpr, "jaxpr")
            n = taken.get(name, 0)
            taken[name] = n + 1
            if n:
                name += str(n)
                taken[name] = taken.get(name, 0) + 1
            shared[jaxpr] = name
    return shared


def pp_toplevel_jaxpr(jaxpr, width=80):
    names = VarNames(_unused_vars(jaxpr))
    names.shared = _shared_jaxprs(jaxpr)
    docs = [_concat(_text(f"let {name} = "), _pp_skeleton(sub, names), _text(" in"), _brk())
            for sub, name in names.shared.items()]
    docs.append(pp_jaxpr(jaxpr, names))
    return format_doc(_concat(*docs), width)
