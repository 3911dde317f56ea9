"""jit: trace once per abstract signature, then run the jaxpr through a compiled backend.

Mirrors jax/_src/pjit.py. `jit(f)` traces f to a jaxpr for each new combination of shapes, dtypes,
weak types and static arguments (a cache shows hits and misses), and binds the `jit` primitive with
it. The primitive's rules make jit compose: under jvp, vmap or linearize the *jaxpr* is transformed
and a new `jit` is bound; evaluated eagerly, it runs the code a backend compiled from the jaxpr.
"""
import collections
import functools
import inspect
import logging
import operator
import os
import sys
import weakref


from jaxlite import api_util, core, errors, tree_util
from jaxlite.config import config
from jaxlite.core import ClosedJaxpr, Jaxpr, Primitive, Var, get_aval, set_current_trace
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters import partial_eval as pe
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.ad import Zero

# ----------------------------------------------------------------------------------------------
# The jit primitive

jit_p = Primitive("jit")
jit_p.multiple_results = True
core.pp_call_jaxpr_param[jit_p] = "jaxpr"


def _pp_jit_params(params):
    return [("name", params["name"]), ("jaxpr", params["jaxpr"])]


core.pp_params_rules[jit_p] = _pp_jit_params

_compiled = {}  # id(closed jaxpr) -> (closed jaxpr, backend, compiled function)


def compiled_fun(closed, backend, name="jitted"):
    entry = _compiled.get((id(closed), backend))
    if entry is None:
        if len(_compiled) > 4096:  # bounded: a jit of a fresh lambda per call compiles every time
            _compiled.clear()
        entry = _compiled[(id(closed), backend)] = (closed, compile_jaxpr(closed, backend, name))
    return entry[1]


def compile_jaxpr(closed, backend, name="jitted"):
    from jaxlite import prng
    return prng.physical_function(closed, lambda c: _compile_physical(c, backend, name))


def _compile_physical(closed, backend, name):
    """Backends compile programs on arrays only (typed PRNG keys are their key data by now)."""
    if backend == "xla":
        from jaxlite.interpreters import xla
        return xla.compile_jaxpr(closed)
    return numpy_codegen.compile_jaxpr(closed, name).fun


def _jit_impl(*args, jaxpr, name, backend):
    return compiled_fun(jaxpr, backend, name)(*args)


def _jit_abstract_eval(*avals, jaxpr, name, backend):
    return jaxpr.out_avals


jit_p.def_impl(_jit_impl)
jit_p.def_abstract_eval(_jit_abstract_eval)


def _jit_jvp(primals, tangents, *, jaxpr, name, backend):
    nonzeros = [type(t) is not Zero for t in tangents]
    jvp_jaxpr, _ = ad.jvp_jaxpr(jaxpr, nonzeros, instantiate=True)
    outs = jit_p.bind(*primals, *[t for t in tangents if type(t) is not Zero],
                      jaxpr=jvp_jaxpr, name=name, backend=backend)
    n = len(jaxpr.out_avals)
    return outs[:n], outs[n:]


def forward_known_inputs(known, num_res, forwardable):
    """A residual that is just one of the known inputs need not be an output of the known jaxpr:
    the caller passes the input on itself (JAX does the same). Returns the known jaxpr without
    those outputs and, per residual, the index of the input it is (or None)."""
    jaxpr = known.jaxpr
    n_out = len(jaxpr.outvars) - num_res
    position = {v: i for i, v in enumerate(jaxpr.invars) if forwardable[i]}
    fwd = [position.get(v) if type(v) is Var else None for v in jaxpr.outvars[n_out:]]
    kept = jaxpr.outvars[:n_out] + [v for v, f in zip(jaxpr.outvars[n_out:], fwd) if f is None]
    return ClosedJaxpr(Jaxpr(jaxpr.constvars, jaxpr.invars, kept, jaxpr.eqns), known.consts), fwd


def _jit_partial_eval(trace, tracers, *, jaxpr, name, backend):
    """Under linearize: one jit for the known part (with residuals), one staged for the rest."""
    unknowns = [trace.is_unknown(t) for t in tracers]
    known, unknown, out_unknowns, num_res = pe.partial_eval_jaxpr(jaxpr, unknowns)
    known_in = [t for t, u in zip(tracers, unknowns) if not u]
    known, res_fwd = forward_known_inputs(known, num_res, [True] * len(known_in))
    with set_current_trace(trace.parent_trace):
        known_outs = jit_p.bind(*known_in, jaxpr=known, name=name, backend=backend)
    n_known = len(known_outs) - sum(f is None for f in res_fwd)
    res_outs = iter(known_outs[n_known:])
    residuals = [next(res_outs) if f is None else known_in[f] for f in res_fwd]
    unknown_outs = trace.stage(jit_p, list(residuals) + [t for t, u in zip(tracers, unknowns) if u],
                               dict(jaxpr=unknown, name=name, backend=backend))
    known_it, unknown_it = iter(known_outs[:n_known]), iter(unknown_outs)
    return [next(unknown_it) if u else next(known_it) for u in out_unknowns]


def _jit_transpose(cts, *args, jaxpr, name, backend):
    """Transpose the inner linear jaxpr into a new jaxpr, and jit that."""
    linear = [ad.is_undefined_primal(a) for a in args]
    residuals = [a for a, lin in zip(args, linear) if not lin]
    cts = [ad.instantiate_zeros(ct) for ct in cts]
    t_jaxpr = ad.transpose_jaxpr(jaxpr, linear)
    outs = iter(jit_p.bind(*residuals, *cts, jaxpr=t_jaxpr, name=name, backend=backend))
    return [next(outs) if lin else None for lin in linear]


def _jit_batcher(args, dims, *, jaxpr, name, backend):
    """A jit of the batched jaxpr; outputs that depend on no batched input stay unbatched."""
    batched, out_dims = batching.batch_jaxpr(jaxpr, batching.axis_size_of(args, dims), dims)
    return jit_p.bind(*args, jaxpr=batched, name=name, backend=backend), out_dims


ad.primitive_jvps[jit_p] = _jit_jvp
ad.primitive_transposes[jit_p] = _jit_transpose
pe.partial_eval_rules[jit_p] = _jit_partial_eval
batching.primitive_batchers[jit_p] = _jit_batcher
numpy_codegen.inline_rules[jit_p] = lambda params: params["jaxpr"]
register_lowering(jit_p, numpy_codegen.impl_call(jit_p), "numpy")
register_lowering(jit_p, lambda ctx, *xs, jaxpr, **_: ctx.sub(jaxpr)(*xs), "xla")


# ----------------------------------------------------------------------------------------------
# The user-facing jit

CacheInfo = collections.namedtuple("CacheInfo", "hits misses size")


class _CacheEntry:
    __slots__ = ("closed", "out_tree", "n_tracer_consts", "in_tree", "arg_names")

    def __init__(self, closed, out_tree, n_tracer_consts, in_tree, arg_names):
        self.closed = closed
        self.out_tree = out_tree
        self.n_tracer_consts = n_tracer_consts
        self.in_tree = in_tree       # of the dynamic (args, kwargs)
        self.arg_names = arg_names   # one per dynamic leaf, as JAX names them

    def bind(self, leaves, name, backend):
        """Run the traced jaxpr on the dynamic leaves (binding jit, so it composes)."""
        n = self.n_tracer_consts
        closed = self.closed if not n else ClosedJaxpr(self.closed.jaxpr, self.closed.consts[n:])
        outs = jit_p.bind(*self.closed.consts[:n], *leaves, jaxpr=closed, name=name, backend=backend)
        return tree_util.tree_unflatten(self.out_tree, outs)


def _hashable(x, what):
    try:
        hash(x)
    except TypeError:
        raise ValueError(errors.with_hint(
            f"Non-hashable static arguments are not supported. An error occurred while "
            f"trying to hash an object of type {type(x)}, {x!r}. The error was:\n"
            f"TypeError: unhashable type: '{type(x).__name__}'", _unhashable_hint(x))) from None
    return x


def _unhashable_hint(x):
    """What to pass instead of an unhashable static argument (jit keys its cache on the value)."""
    if isinstance(x, list):
        return "jit keys its cache on static values, which must be hashable: pass a tuple, e.g. tuple(n)."
    if isinstance(x, dict):
        return ("jit keys its cache on static values, which must be hashable: pass a tuple of items, or "
                "pass the dict as a traced argument if it holds arrays.")
    if hasattr(x, "shape"):
        return ("an array is not hashable: pass it as an ordinary (traced) argument, or as a tuple of "
                "Python numbers if its values must be static.")
    return ("jit keys its cache on static values, which must be hashable: give the class __hash__ and "
            "__eq__, or pass its arrays as traced arguments.")


class _TraceCache:
    """The traces of one function, shared by every `jit` of it: JAX keys its cache on the
    function object, the static arguments and the signature, so `jit(f)` twice traces once."""
    __slots__ = ("entries", "__weakref__")

    def __init__(self):
        self.entries = {}


# Weak keys, as JAX holds the function weakly: a cache does not keep a function alive, and it
# goes when the function does (a jit of a fresh lambda or bound method traces every time).
_trace_caches = weakref.WeakKeyDictionary()


def _trace_cache_for(fun):
    try:
        cache = _trace_caches.get(fun)
        if cache is None:
            cache = _trace_caches[fun] = _TraceCache()
        return cache
    except TypeError:  # not weakly referenceable, or not hashable: this jit keeps its own
        return _TraceCache()


def clear_caches():
    """Forget every traced jaxpr and compiled program, as `jax.clear_caches` does (the speed
    layer's tables too, as JAX clears its C++ caches)."""
    from jaxlite import fastpath
    for cache in list(_trace_caches.values()):
        cache.entries.clear()
    _compiled.clear()
    fastpath.clear_caches()


def _index_tuple(x):
    try:
        return (operator.index(x),)
    except TypeError:
        return tuple(map(operator.index, x))


def _str_tuple(x):
    if isinstance(x, str):
        return (x,)
    names = tuple(x)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(errors.with_hint(f"argument is not a string: {name}",
                                             "static_argnames takes parameter names as strings, e.g. "
                                             "static_argnames=('n',); positions go in static_argnums."))
    return names


def _resolve_static(sig, static_argnums, static_argnames):
    """JAX's reading of static_argnums/static_argnames: the one not given is inferred from the
    signature (so `static_argnums=1` makes the parameter static by keyword too), and both are
    checked against it."""
    if sig is None:  # some builtins have no signature: nothing to infer or check
        return (() if static_argnums is None else _index_tuple(static_argnums),
                () if static_argnames is None else _str_tuple(static_argnames))
    params = sig.parameters
    if static_argnums is None and static_argnames is None:
        return (), ()
    if static_argnames is None:
        static_argnums = _index_tuple(static_argnums)
        static_argnames = tuple(k for i, (k, p) in enumerate(params.items())
                                if p.kind is p.POSITIONAL_OR_KEYWORD and i in static_argnums)
    elif static_argnums is None:
        static_argnames = _str_tuple(static_argnames)
        static_argnums = tuple(i for i, (k, p) in enumerate(params.items())
                               if p.kind is p.POSITIONAL_OR_KEYWORD and k in static_argnames)
    else:
        static_argnums, static_argnames = _index_tuple(static_argnums), _str_tuple(static_argnames)
    kinds = [p.kind for p in params.values()]
    if inspect.Parameter.VAR_POSITIONAL not in kinds:
        n_pos = sum(k in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                    for k in kinds)
        if static_argnums and (-min(static_argnums) > n_pos or max(static_argnums) >= n_pos):
            raise ValueError(errors.with_hint(
                f"Jitted function has static_argnums={static_argnums}, "
                f"but only accepts {n_pos} positional arguments.",
                f"static_argnums counts the function's positional parameters from 0, here 0 to {n_pos - 1}; "
                "name parameters with static_argnames instead." if n_pos else
                "this function takes no positional parameters: name them with static_argnames instead."))
    positional_only = {k for k, p in params.items()
                       if p.kind in (p.POSITIONAL_ONLY, p.VAR_POSITIONAL)} & set(static_argnames)
    if positional_only:
        raise ValueError(errors.with_hint(
            f"Jitted function has invalid argnames {positional_only} in static_argnames. "
            "These are positional-only", "a positional-only parameter has no name to give: mark it "
            "with static_argnums, by its position."))
    if inspect.Parameter.VAR_KEYWORD not in kinds:
        unknown = set(static_argnames) - {k for k, p in params.items()
                                          if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        if unknown:
            raise ValueError(errors.with_hint(
                f"Jitted function has invalid argnames {unknown} in static_argnames. "
                "Function does not take these args.",
                "static_argnames must name parameters of the function, which takes "
                f"({', '.join(params)})."))
    return static_argnums, static_argnames


class JitWrapped:
    """What `jit(f)` returns: callable like f, with `.lower(...)`, `.trace(...)` and a trace
    cache shared with every other jit of the same function."""

    def __init__(self, fun, static_argnums=None, static_argnames=None, backend=None):
        if not callable(fun):
            raise TypeError(errors.with_hint(f"Expected a callable value, got {fun!r}",
                                             "pass the function itself, as in jax.jit(f), not the value "
                                             "of a call, as in jax.jit(f(x))."))
        functools.update_wrapper(self, fun)
        self.fun = fun
        self._signature = _signature_or_none(fun)
        self.static_argnums, self.static_argnames = _resolve_static(
            self._signature, static_argnums, static_argnames)
        self.backend = backend
        self._name = getattr(fun, "__name__", "fun")
        self._traces = _trace_cache_for(fun)
        self._cache = self._traces.entries
        self.hits = 0
        self.misses = 0

    def __get__(self, obj, objtype=None):
        return self if obj is None else functools.partial(self, obj)

    def _backend(self):
        b = self.backend or config.read("jax_default_jit_backend")
        return "xla" if b in ("xla", "cpu", "gpu", "cuda", "tpu") else "numpy"

    def _split(self, args, kwargs):
        static_pos = {i % len(args) for i in self.static_argnums if -len(args) <= i < len(args)}
        static = tuple((i, _hashable(args[i], "arg")) for i in sorted(static_pos))
        dyn_args = tuple(a for i, a in enumerate(args) if i not in static_pos)
        static_kw = tuple(sorted((k, _hashable(v, "kwarg")) for k, v in kwargs.items()
                                 if k in self.static_argnames))
        dyn_kwargs = {k: v for k, v in kwargs.items() if k not in self.static_argnames}
        return static, dyn_args, static_kw, dyn_kwargs

    def _arg_info(self, args, kwargs, static, static_kw):
        """For each dynamic leaf: its path as JAX names it (`x`, `params['w']`, `args[1]`) and how
        the argument it belongs to would be made static (`static_argnums=1`, `static_argnames='n'`)."""
        params = list(self._signature.parameters.values()) if self._signature is not None else []
        positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        varargs = next((p.name for p in params if p.kind is p.VAR_POSITIONAL), None)
        named = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        varkw = next((p.name for p in params if p.kind is p.VAR_KEYWORD), None)
        static_pos, static_names = dict(static), dict(static_kw)
        names, hows = [], []

        def add(base, how, value):
            for path, _ in tree_util.tree_flatten_with_path(value)[0]:
                names.append(base + tree_util.keystr(path))
                hows.append(how if not path else None)  # a part of an argument cannot be static alone
        for i, a in enumerate(args):
            if i in static_pos:
                continue
            base = (positional[i] if i < len(positional) else
                    f"{varargs}[{i - len(positional)}]" if varargs else f"args[{i}]")
            add(base, f"static_argnums={i}", a)
        for k in sorted(kwargs):
            if k not in static_names:
                add(k if k in named or varkw is None else f"{varkw}['{k}']", f"static_argnames='{k}'",
                    kwargs[k])
        return names, hows

    def _refuse_args(self, leaves, args, kwargs, static, static_kw):
        """A leaf that is no array (a string, a function, an object of an unregistered class) is
        refused with JAX's message, naming its path."""
        for i, x in enumerate(leaves):
            try:
                api_util.as_array(x)
                continue
            except TypeError:
                pass
            names, hows = self._arg_info(args, kwargs, static, static_kw)
            raise TypeError(errors.with_hint(
                f"Error interpreting argument to {self.fun!r} as an abstract array. The problematic "
                f"value is of type {type(x)} and was passed to the function at path {names[i]}.\n"
                "This typically means that a jit-wrapped function was called with a non-array "
                "argument, and this argument was not marked as static using the static_argnums or "
                "static_argnames parameters of jax.jit.", errors.non_array_argument_hint(
                    x, hows[i] and f"jit({errors.display_name(self._name)}, {hows[i]})")))

    def _trace(self, args, kwargs, abstract=False):
        """Find or make the jaxpr for these arguments; returns (entry, flat dynamic leaves). The
        ahead-of-time stages (`abstract`) also take ShapeDtypeStructs in place of arrays."""
        from jaxlite.api import ShapeDtypeStruct, shaped_abstractify
        static, dyn_args, static_kw, dyn_kwargs = self._split(args, kwargs)
        leaves, in_tree = tree_util.tree_flatten((dyn_args, dyn_kwargs))
        try:
            leaves = [x if abstract and isinstance(x, ShapeDtypeStruct) else api_util.as_array(x) for x in leaves]
        except TypeError:
            self._refuse_args(leaves, args, kwargs, static, static_kw)
            raise
        avals = tuple(shaped_abstractify(x) for x in leaves)
        key = (in_tree, avals, static, static_kw, config.read("jax_enable_x64"))
        entry = self._cache.get(key)
        if entry is not None:
            self.hits += 1
            return entry, leaves
        self.misses += 1
        if config.read("jax_explain_cache_misses"):
            _explain_cache_miss(self.fun, self._cache, key, self._arg_info(args, kwargs, static, static_kw)[0])
        if config.read("jax_log_compiles"):
            print(f"Compiling {getattr(self.fun, '__name__', 'fun')} for with global shapes and types "
                  f"{[a.str_short() for a in avals]}.")
        static_map, static_kw_map = dict(static), dict(static_kw)

        def with_static(*dyn, **kw):
            it = iter(dyn)
            n = len(dyn) + len(static_map)
            full = [static_map[i] if i in static_map else next(it) for i in range(n)]
            return self.fun(*full, **kw, **static_kw_map)

        names, hows = self._arg_info(args, kwargs, static, static_kw)
        debug = pe.DebugInfo("jit", self.fun, names, static_hows=hows)
        flat, out_tree = api_util.flatten_fun(with_static, in_tree, lambda out, leaves: _checked_outputs(
            out, leaves, debug))
        closed, _ = pe.trace_to_jaxpr(flat, list(avals), debug)
        closed, n_tracer_consts = _hoist_tracer_consts(closed)
        entry = _CacheEntry(closed, out_tree(), n_tracer_consts, in_tree, names)
        if n_tracer_consts == 0:
            self._cache[key] = entry
        return entry, leaves

    def __call__(self, *args, **kwargs):
        if config.read("jax_disable_jit"):
            return self.fun(*args, **kwargs)
        entry, leaves = self._trace(args, kwargs)
        return entry.bind(leaves, self._name, self._backend())

    def trace(self, *args, **kwargs):
        """JAX's first ahead-of-time stage: the jaxpr for these arguments (`.jaxpr`), ready to lower."""
        entry, _ = self._trace(args, kwargs, abstract=True)
        return Traced(entry, self._backend(), self._name)

    def lower(self, *args, **kwargs):
        """Traced and lowered for these arguments: `.as_text()` shows the code, `.compile()` runs it."""
        return self.trace(*args, **kwargs).lower()

    def cache_info(self):
        """How often a call found its jaxpr already traced (hits) or had to trace (misses)."""
        return CacheInfo(self.hits, self.misses, len(self._cache))

    def _cache_size(self):
        return len(self._cache)

    def clear_cache(self):
        from jaxlite import fastpath
        self._cache.clear()
        fastpath.clear_caches(self._traces)
        self.hits = self.misses = 0

    def eval_shape(self, *args, **kwargs):
        from jaxlite.api import ShapeDtypeStruct
        entry, _ = self._trace(args, kwargs, abstract=True)
        return tree_util.tree_unflatten(entry.out_tree, [ShapeDtypeStruct(a.shape, a.dtype)
                                                         for a in entry.closed.out_avals])


# ----------------------------------------------------------------------------------------------
# jax_explain_cache_misses: why a call traced again, logged at WARNING level as JAX logs it

_logger = logging.getLogger(__name__)
_JAXLITE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_callsites_with_misses = set()


def _user_callsite():
    """`file:line:column (function)` of the innermost frame outside jaxlite."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_JAXLITE_DIR):
        frame = frame.f_back
    if frame is None:
        return "unknown"
    positions = list(frame.f_code.co_positions())[frame.f_lasti // 2]
    line, column = frame.f_lineno, positions[2]
    at = f"{line}:{column}" if column else f"{line}"
    return f"{frame.f_code.co_filename}:{at} ({frame.f_code.co_name})"


def _explain_cache_miss(fun, cache, key, arg_names):
    debug = pe.DebugInfo("jit", fun)
    if debug.where.startswith(_JAXLITE_DIR):  # jaxlite's own jits are not the user's to explain
        return
    callsite = _user_callsite()
    lines = [f"TRACING CACHE MISS at {callsite}:"]
    where = f" defined at {debug.where}" if debug.where != "<unknown>" else ""
    if not cache:
        lines.append(f"  never seen function:\n    {debug.fun_name} id={id(fun)}{where}")
        if callsite in _callsites_with_misses:
            lines.append("  but seen another function defined on the same line; maybe the function is\n"
                         "  being re-defined repeatedly, preventing caching?")
        _callsites_with_misses.add(callsite)
    else:
        lines.append(f"  for {debug.fun_name}{where}")
        lines.append("  all previously seen cache keys differ. For the closest previous key:")
        lines.append("  " + min(_key_difference(key, old, arg_names) for old in cache)[-1])
    _logger.warning("\n".join(lines))


def _key_difference(new, old, arg_names):
    """(severity, number of differences, explanation) between two cache keys, as JAX ranks them:
    the configuration first, then the argument structure (static values included), then types."""
    (new_tree, new_avals, new_static, new_static_kw, new_x64) = new
    (old_tree, old_avals, old_static, old_static_kw, old_x64) = old
    if new_x64 != old_x64:
        return (0, 1, "Tracing context doesn't match, e.g. due to config or context manager.\n"
                      f"  * jax_enable_x64 differs: now {new_x64} and before {old_x64}")
    diffs = list(_tree_differences(new_tree, old_tree, ""))
    new_s, old_s = dict(new_static), dict(old_static)
    diffs += [f"  * at input path [0][{i}], now static argument {new_s.get(i)!r} and before static "
              f"argument {old_s.get(i)!r}, so the static values differ"
              for i in sorted(set(new_s) | set(old_s)) if new_s.get(i, _absent) != old_s.get(i, _absent)]
    new_k, old_k = dict(new_static_kw), dict(old_static_kw)
    diffs += [f"  * at input path [1]['{k}'], now static argument {new_k.get(k)!r} and before static "
              f"argument {old_k.get(k)!r}, so the static values differ"
              for k in sorted(set(new_k) | set(old_k)) if new_k.get(k, _absent) != old_k.get(k, _absent)]
    if diffs:
        return (1, len(diffs), "different input pytree:\n" + "\n".join(diffs))
    diffs, weak = [], False
    for name, a, b in zip(arg_names, new_avals, old_avals):
        if a == b:
            continue
        now, before = a.str_short(), b.str_short()
        if a.ndim != b.ndim:  # JAX shows the (empty) sharding spec when the ranks differ
            now, before = now + "({})", before + "({})"
        if a.weak_type != b.weak_type:
            weak = True
            now, before = now + f"{{weak_type={a.weak_type}}}", before + f"{{weak_type={b.weak_type}}}"
        diffs.append(f"  * at {name}, now {now} and before {before}")
    if diffs:
        text = "different input types:\n" + "\n".join(diffs)
        return (3, len(diffs), text + ("https://docs.jax.dev/en/latest/type_promotion.html#weak-types" if weak else ""))
    return (4, 0, "cache miss explanation unavailable")


_absent = object()


def _tree_differences(new, old, path):
    """JAX's account of where two argument structures first differ, one line per difference."""
    if new == old or (new.num_nodes == 1 == old.num_nodes and not new.children() and not old.children()
                      and new.node_data() is None and old.node_data() is None):
        return
    describe = lambda t: "pytree leaf" if t.node_data() is None else str(t.node_data()[0])
    if new.node_data() is None or old.node_data() is None or new.node_data()[0] is not old.node_data()[0]:
        yield f"  * at input path {path}, now {describe(new)} and before {describe(old)}, so their Python types differ"
        return
    node_type, new_data = new.node_data()
    new_children, old_children = new.children(), old.children()
    if node_type in (tuple, list) and len(new_children) != len(old_children):
        yield (f"  * at input path {path}, now {node_type.__name__} of length {len(new_children)} and before "
               f"{node_type.__name__} of length {len(old_children)}, so the lengths do not match")
        return
    old_data = old.node_data()[1]
    if len(new_children) != len(old_children):
        children = lambda n: f"{n} child{'ren' if n > 1 else ''}"
        keys = (" ".join(repr(k) for k in set(new_data) ^ set(old_data))
                if node_type is dict else "")
        yield (f"  * at input path {path}, now {node_type} with {children(len(new_children))} and before "
               f"{node_type} with {children(len(old_children))}, so the numbers of children do not match"
               + (f", with the symmetric difference of key sets: {{{keys}}}" if keys else ""))
        return
    if new_data != old_data:
        yield (f"  * at input path {path}, now {node_type} with pytree metadata {new_data} and before "
               f"{node_type} with pytree metadata {old_data}, so the pytree node metadata does not match")
        return
    keys = [f"['{k}']" if node_type is dict else f"[{i}]" for i, k in
            enumerate(new_data if node_type is dict else range(len(new_children)))]
    for k, a, b in zip(keys, new_children, old_children):
        yield from _tree_differences(a, b, path + k)




def _checked_outputs(out, out_leaves, debug):
    if not all(core.valid_jaxtype(x) for x in out_leaves):
        _refuse_output(out, debug)
    return out_leaves


def _refuse_output(out, debug):
    """JAX's message for an output that is no array, naming its place in the output tree."""
    for path, x in tree_util.tree_flatten_with_path(out)[0]:
        if not core.valid_jaxtype(x):
            at = f" at output component {tree_util.keystr(path)}" if path else ""
            raise TypeError(errors.with_hint(
                f"function {debug.fun_name} at {debug.where} traced for {debug.what} returned a value "
                f"of type {type(x)}{at}, which is not a valid JAX type",
                "a jitted function returns arrays (or pytrees of them): return other Python values "
                "from a plain function around it."))


def _hoist_tracer_consts(closed):
    """Closed-over tracers (from a transformation around the jit) must be passed as arguments:
    returns the jaxpr taking them first, and how many there are."""
    is_tracer = [isinstance(c, core.Tracer) for c in closed.consts]
    if not any(is_tracer):
        return closed, 0
    consts = [c for c, t in zip(closed.consts, is_tracer) if t] + \
        [c for c, t in zip(closed.consts, is_tracer) if not t]
    return ClosedJaxpr(pe.convert_constvars_jaxpr(closed.jaxpr, is_tracer), consts), sum(is_tracer)


def _signature_or_none(fun):
    try:
        return inspect.signature(fun)
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------------------------
# Ahead-of-time stages, as jax/_src/stages.py: jit(f).trace(*args) -> Traced, .lower() ->
# Lowered, .compile() -> Compiled. Each knows the argument and output structure it was made for.

class ArgInfo:
    """One dynamic argument leaf of a stage: its aval (jaxlite donates no buffers)."""
    __slots__ = ("_aval", "donated")

    def __init__(self, aval, donated=False):
        self._aval = aval
        self.donated = donated

    shape = property(lambda self: self._aval.shape)
    dtype = property(lambda self: self._aval.dtype)

    def __repr__(self):
        return f"ArgInfo(_aval={self._aval!r}, donated={self.donated})"


class _Stage:
    """What every stage shares: the traced entry, the backend, the function's name."""

    def __init__(self, entry, backend, name):
        self._entry = entry
        self.backend = backend
        self.name = name

    jaxpr = property(lambda self: self._entry.closed)
    in_tree = property(lambda self: self._entry.in_tree)
    out_tree = property(lambda self: self._entry.out_tree)
    fun_name = property(lambda self: self.name)

    def _in_avals_flat(self):
        return self._entry.closed.in_avals[self._entry.n_tracer_consts:]

    @property
    def in_avals(self):
        return self.in_tree.unflatten(self._in_avals_flat())

    @property
    def args_info(self):
        return self.in_tree.unflatten([ArgInfo(a) for a in self._in_avals_flat()])

    def _out_info(self, weak_type):
        from jaxlite.api import ShapeDtypeStruct
        return self.out_tree.unflatten([ShapeDtypeStruct(a.shape, a.dtype, weak_type and a.weak_type)
                                        for a in self._entry.closed.out_avals])


class Traced(_Stage):
    """What `jit(f).trace(*args)` returns: the jaxpr traced for these argument types."""

    out_info = property(lambda self: self._out_info(True))
    out_avals = property(lambda self: self.out_tree.unflatten(self._entry.closed.out_avals))

    def lower(self, **_):
        return Lowered(self._entry, self.backend, self.name)

    def __call__(self, *args, **kwargs):
        return self._entry.bind(_checked_leaves(self, args, kwargs), self.name, self.backend)


class Lowered(_Stage):
    """What `jit(f).lower(*args)` returns: the traced jaxpr and the code a backend makes from it
    (`as_text()` shows both, as JAX shows StableHLO)."""

    out_info = property(lambda self: self._out_info(False))

    def as_text(self, dialect=None, **_):
        from jaxlite import prng
        physical = prng.physicalize(self.jaxpr)  # what the backend compiles (keys as key data)
        if self.backend == "xla":
            from jaxlite.interpreters import xla
            return f"# jaxpr\n{self.jaxpr}\n\n# runs on XLA through jax.lax\n{xla.describe(physical)}"
        compiled = numpy_codegen.compile_jaxpr(physical, self.name)
        return f"# jaxpr\n{self.jaxpr}\n\n# generated NumPy code\n{compiled.source}"

    def compile(self, compiler_options=None, **_):
        """The backend's compiled function; XLA's compiler options do not apply to NumPy code."""
        return Compiled(self._entry, self.backend, self.name)


class Compiled(_Stage):
    """What `lower(...).compile()` returns: callable on arguments of the types it was compiled
    for (static arguments left out), refusing others as JAX does."""

    out_info = property(lambda self: self._out_info(False))

    def __call__(self, *args, **kwargs):
        return self._entry.bind(_checked_leaves(self, args, kwargs), self.name, self.backend)

    def as_text(self):
        """The code that runs: the generated NumPy source, or the module XLA compiled."""
        from jaxlite import prng
        physical = prng.physicalize(self.jaxpr)
        if self.backend == "xla":
            from jaxlite.interpreters import xla
            return xla.compiled_text(physical)
        return numpy_codegen.compile_jaxpr(physical, self.name).source


def _checked_leaves(stage, args, kwargs):
    """The dynamic leaves of a call of a stage, after JAX's checks of structure and types (weak
    types may differ: a Python float fits a float32 argument)."""
    leaves, in_tree = tree_util.tree_flatten((args, kwargs))
    if in_tree != stage.in_tree:
        n_args = len(tree_util.treedef_children(tree_util.treedef_children(stage.in_tree)[0]))
        if n_args != len(args):
            detail = (f"at args, seen tuple of length {n_args} but now given tuple of length "
                      f"{len(args)}, so the lengths do not match")
        else:
            detail = f"seen {stage.in_tree} but now given {in_tree}"
        raise TypeError(errors.with_hint(
            "Function compiled with input pytree does not match the input pytree it was "
            f"called with. There are 1 mismatches, including:\n    * {detail}", _COMPILED_HINT))
    leaves = [api_util.as_array(x) for x in leaves]
    mismatches = [f"Argument '{name}' compiled with {a.str_short(short_dtypes=False)} and called with "
                  f"{get_aval(x).str_short(short_dtypes=False)}"
                  for name, a, x in zip(stage._entry.arg_names, stage._in_avals_flat(), leaves)
                  if (a.shape, a.dtype) != (get_aval(x).shape, get_aval(x).dtype)]
    if mismatches:
        raise TypeError(errors.with_hint(
            "Argument types differ from the types for which this computation was compiled. "
            "Perhaps you are calling the compiled executable with a different enable_x64 mode "
            "than when it was AOT compiled? The mismatches are:\n" + "\n".join(mismatches), _COMPILED_HINT))
    return leaves


_COMPILED_HINT = ("a compiled function runs only on arguments like those it was lowered with: lower it again "
                  "for these, or call the jitted function itself, which compiles once per signature.")


def jit(fun=None, *, static_argnums=None, static_argnames=None, donate_argnums=None,
        donate_argnames=None, backend=None, inline=False, keep_unused=False, device=None):
    """Compile `fun`: trace it to a jaxpr per input signature and run generated code.

    `backend="numpy"` (default) generates NumPy source from the jaxpr; `backend="xla"` runs the
    jaxpr with jax.lax inside jax.jit (real JAX must be installed), on a GPU where JAX has one."""
    if fun is None:
        return lambda f: jit(f, static_argnums=static_argnums, static_argnames=static_argnames,
                             backend=backend)
    return JitWrapped(fun, static_argnums, static_argnames, backend)
