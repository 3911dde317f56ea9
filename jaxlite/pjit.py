"""jit: trace once per abstract signature, then run the jaxpr through a compiled backend.

Mirrors jax/_src/pjit.py. `jit(f)` traces f to a jaxpr for each new combination of shapes, dtypes,
weak types and static arguments (a cache shows hits and misses), and binds the `jit` primitive with
it. The primitive's rules make jit compose: under jvp, vmap or linearize the *jaxpr* is transformed
and a new `jit` is bound; evaluated eagerly, it runs the code a backend compiled from the jaxpr.
"""
import collections
import functools
import inspect

import numpy as np

from jaxlite import core, dispatch, tree_util
from jaxlite.array import ArrayImpl
from jaxlite.config import config
from jaxlite.core import ClosedJaxpr, Jaxpr, Primitive, Var, get_aval, set_current_trace
from jaxlite.interpreters import ad, batching, numpy_codegen
from jaxlite.interpreters import partial_eval as pe
from jaxlite.interpreters.ad import Zero

# ----------------------------------------------------------------------------------------------
# The jit primitive

jit_p = Primitive("jit")
jit_p.multiple_results = True
jit_p.pp_alias_jaxpr = "jaxpr"


def _pp_jit_params(params):
    return [("name", params["name"]), ("jaxpr", params["jaxpr"])]


jit_p.pp_params = _pp_jit_params

_compiled = {}  # id(closed jaxpr) -> (closed jaxpr, backend, compiled function)


def compiled_fun(closed, backend, name="jitted"):
    entry = _compiled.get((id(closed), backend))
    if entry is None:
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


def _jvp_jaxpr(closed, nonzeros):
    """A jaxpr computing (primals_out, tangents_out) from primals and the nonzero tangents."""
    n = len(closed.in_avals)

    def jvp_fun(*args):
        primals, nz_tangents = args[:n], iter(args[n:])
        tangents = [next(nz_tangents) if nz else Zero(ad.tangent_aval(a))
                    for nz, a in zip(nonzeros, closed.in_avals)]
        outs, touts = ad.jvp_flat(lambda *xs: core.eval_jaxpr(closed.jaxpr, closed.consts, *xs),
                                  primals, tangents)
        return list(outs) + [ad.instantiate_zeros(t) for t in touts]

    avals = list(closed.in_avals) + [ad.tangent_aval(a) for nz, a in zip(nonzeros, closed.in_avals) if nz]
    jaxpr, _ = pe.trace_to_jaxpr(jvp_fun, avals)
    return jaxpr


def _jit_jvp(primals, tangents, *, jaxpr, name, backend):
    nonzeros = [type(t) is not Zero for t in tangents]
    jvp_jaxpr = _jvp_jaxpr(jaxpr, nonzeros)
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
    inner = jaxpr.jaxpr
    nonlinear_vars = [v for v, lin in zip(inner.invars, linear) if not lin]
    linear_vars = [v for v, lin in zip(inner.invars, linear) if lin]
    lin_jaxpr = Jaxpr(inner.constvars + nonlinear_vars, linear_vars, inner.outvars, inner.eqns)
    cts = [ad.instantiate_zeros(ct) for ct in cts]
    n_res = len(residuals)

    def transposed(*res_and_cts):
        res, ct_vals = res_and_cts[:n_res], res_and_cts[n_res:]
        cts_in = ad.backward_pass(lin_jaxpr, list(jaxpr.consts) + list(res), ct_vals)
        return [ad.instantiate_zeros(ct) for ct in cts_in]

    avals = [get_aval(r) for r in residuals] + [get_aval(c) for c in cts]
    t_jaxpr, _ = pe.trace_to_jaxpr(transposed, avals)
    outs = iter(jit_p.bind(*residuals, *cts, jaxpr=t_jaxpr, name=name, backend=backend))
    return [next(outs) if lin else None for lin in linear]


def _jit_batcher(args, dims, *, jaxpr, name, backend):
    """A jit of the batched jaxpr; outputs that depend on no batched input stay unbatched."""
    size = batching.axis_size_of(args, dims)
    out_batched = batching.batched_outputs(jaxpr, [d is not batching.not_mapped for d in dims])
    out_dims = [0 if b else batching.not_mapped for b in out_batched]
    fun = batching.batch_flat(core.jaxpr_as_fun(jaxpr), size, dims, out_dims)
    batched, _ = pe.trace_to_jaxpr(fun, [get_aval(a) for a in args])
    outs = jit_p.bind(*args, jaxpr=batched, name=name, backend=backend)
    return outs, out_dims


ad.primitive_jvps[jit_p] = _jit_jvp
ad.primitive_transposes[jit_p] = _jit_transpose
pe.partial_eval_rules[jit_p] = _jit_partial_eval
batching.primitive_batchers[jit_p] = _jit_batcher
numpy_codegen.inline_rules[jit_p] = lambda params: params["jaxpr"]


# ----------------------------------------------------------------------------------------------
# The user-facing jit

CacheInfo = collections.namedtuple("CacheInfo", "hits misses size")


class _CacheEntry:
    __slots__ = ("closed", "out_tree", "n_tracer_consts")

    def __init__(self, closed, out_tree, n_tracer_consts):
        self.closed = closed
        self.out_tree = out_tree
        self.n_tracer_consts = n_tracer_consts


def _hashable(x, what):
    try:
        hash(x)
    except TypeError:
        raise ValueError(f"Non-hashable static arguments are not supported. An error occurred while "
                         f"trying to hash an object of type {type(x)}, {x!r}. The error was:\n"
                         f"TypeError: unhashable type: '{type(x).__name__}'") from None
    return x


class JitWrapped:
    """What `jit(f)` returns: callable like f, with `.lower(...)` and a trace cache."""

    def __init__(self, fun, static_argnums=(), static_argnames=(), backend=None):
        if not callable(fun):
            raise TypeError(f"Expected a callable value, got {fun!r}")
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.static_argnums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)
        self.static_argnames = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
        self._signature = _signature_or_none(fun)
        if self._signature is not None:
            params = list(self._signature.parameters)
            for name in self.static_argnames:
                if name in params and params.index(name) not in self.static_argnums:
                    self.static_argnums += (params.index(name),)
        self.backend = backend
        self._name = getattr(fun, "__name__", "fun")
        self._cache = {}
        self._dispatch = {}  # see __call__: the call path for arrays in lists, tuples and dicts
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

    def _trace(self, args, kwargs):
        """Find or make the jaxpr for these arguments; returns (entry, flat dynamic leaves)."""
        from jaxlite.api import _as_array
        static, dyn_args, static_kw, dyn_kwargs = self._split(args, kwargs)
        leaves, in_tree = tree_util.tree_flatten((dyn_args, dyn_kwargs))
        leaves = [_as_array(x) for x in leaves]
        avals = tuple(get_aval(x) for x in leaves)
        key = (in_tree, avals, static, static_kw, config.read("jax_enable_x64"))
        entry = self._cache.get(key)
        if entry is not None:
            self.hits += 1
            return entry, leaves
        self.misses += 1
        if config.read("jax_log_compiles"):
            print(f"Compiling {getattr(self.fun, '__name__', 'fun')} for with global shapes and types "
                  f"{[a.str_short() for a in avals]}.")
        static_map, static_kw_map = dict(static), dict(static_kw)

        def with_static(*dyn, **kw):
            it = iter(dyn)
            n = len(dyn) + len(static_map)
            full = [static_map[i] if i in static_map else next(it) for i in range(n)]
            return self.fun(*full, **kw, **static_kw_map)

        store = []
        names = pe.signature_arg_names(self.fun, args, kwargs)
        debug = pe.DebugInfo("jit", self.fun, [n for i, n in enumerate(names)])
        closed, _ = pe.trace_to_jaxpr(_flat_fun(with_static, in_tree, store), list(avals), debug)
        closed, n_tracer_consts = _hoist_tracer_consts(closed)
        entry = _CacheEntry(closed, store[0], n_tracer_consts)
        if n_tracer_consts == 0:
            self._cache[key] = entry
        return entry, leaves

    def __call__(self, *args, **kwargs):
        # Fast path, what JAX's C++ dispatch does: arguments that are concrete arrays in builtin
        # containers give a key from their structure and avals alone, with no treedef built.
        if not kwargs and not self.static_argnums:
            leaves = []
            structure = _dispatch_structure(args, leaves)
            if structure is not None:
                key = (structure, config._values["jax_enable_x64"],
                       self.backend or config._values["jax_default_jit_backend"])
                hit = self._dispatch.get(key)
                if hit is not None:
                    entry, backend = hit
                    self.hits += 1
                    if core.trace_ctx.trace is core.eval_trace and not dispatch.needs_check_special:
                        outs = compiled_fun(entry.closed, backend, self._name)(*leaves)
                    else:
                        outs = jit_p.bind(*leaves, jaxpr=entry.closed, name=self._name, backend=backend)
                    return entry.out_tree.unflatten(outs)
        entry, leaves = self._trace(args, kwargs)
        consts = entry.closed.consts[:entry.n_tracer_consts] if entry.n_tracer_consts else []
        closed = entry.closed if not entry.n_tracer_consts else ClosedJaxpr(
            entry.closed.jaxpr, entry.closed.consts[entry.n_tracer_consts:])
        if not kwargs and not self.static_argnums and structure is not None and not consts:
            if len(self._dispatch) > 4096:
                self._dispatch.clear()
            self._dispatch[key] = (entry, self._backend())
        outs = jit_p.bind(*consts, *leaves, jaxpr=closed, name=self._name, backend=self._backend())
        return tree_util.tree_unflatten(entry.out_tree, outs)

    def lower(self, *args, **kwargs):
        entry, leaves = self._trace(args, kwargs)
        return Lowered(entry.closed, self._backend(), getattr(self.fun, "__name__", "fun"))

    def cache_info(self):
        """How often a call found its jaxpr already traced (hits) or had to trace (misses)."""
        return CacheInfo(self.hits, self.misses, len(self._cache))

    def _cache_size(self):
        return len(self._cache)

    def clear_cache(self):
        self._cache.clear()
        self._dispatch.clear()
        self.hits = self.misses = 0

    def eval_shape(self, *args, **kwargs):
        from jaxlite.api import ShapeDtypeStruct
        entry, _ = self._trace(args, kwargs)
        return tree_util.tree_unflatten(entry.out_tree, [ShapeDtypeStruct(a.shape, a.dtype)
                                                         for a in entry.closed.out_avals])


def _dispatch_structure(x, leaves):
    """The shape of an argument tree as nested tuples with each leaf's aval in its place, appending
    the leaves; None unless every node is a tuple, list or dict (string keys) and every leaf a
    concrete array."""
    t = type(x)
    if t is ArrayImpl:
        leaves.append(x)
        return x.aval
    if t is tuple or t is list:
        parts = [t]
        for child in x:
            part = _dispatch_structure(child, leaves)
            if part is None:
                return None
            parts.append(part)
        return tuple(parts)
    if t is dict:
        keys = list(x)
        for k in keys:
            if type(k) is not str:
                return None
        keys.sort()
        parts = [dict, tuple(keys)]
        for k in keys:
            part = _dispatch_structure(x[k], leaves)
            if part is None:
                return None
            parts.append(part)
        return tuple(parts)
    return None


def _flat_fun(fun, in_tree, store):
    """`fun(*args, **kwargs)` as a function of the flat leaves of (args, kwargs); it appends
    the output treedef to `store`."""
    def flat(*leaves):
        args, kwargs = tree_util.tree_unflatten(in_tree, leaves)
        out_leaves, out_tree = tree_util.tree_flatten(fun(*args, **kwargs))
        for x in out_leaves:
            if not core.valid_jaxtype(x):
                raise TypeError(f"Argument '{x}' of type {type(x)} is not a valid JAX type")
        store.append(out_tree)
        return out_leaves
    return flat


def _hoist_tracer_consts(closed):
    """Closed-over tracers (from a transformation around the jit) must be passed as arguments."""
    jaxpr = closed.jaxpr
    is_tracer = [isinstance(c, core.Tracer) for c in closed.consts]
    if not any(is_tracer):
        return closed, 0
    tracer_vars = [v for v, t in zip(jaxpr.constvars, is_tracer) if t]
    other_vars = [v for v, t in zip(jaxpr.constvars, is_tracer) if not t]
    consts = [c for c, t in zip(closed.consts, is_tracer) if t] + \
        [c for c, t in zip(closed.consts, is_tracer) if not t]
    new = Jaxpr(other_vars, tracer_vars + jaxpr.invars, jaxpr.outvars, jaxpr.eqns)
    return ClosedJaxpr(new, consts), len(tracer_vars)


def _signature_or_none(fun):
    try:
        return inspect.signature(fun)
    except (TypeError, ValueError):
        return None


class Lowered:
    """What `jit(f).lower(*args)` returns: the traced jaxpr and the code a backend made from it."""

    def __init__(self, closed, backend, name):
        self.jaxpr = closed
        self.backend = backend
        self.name = name

    def as_text(self):
        from jaxlite import prng
        physical = prng.physicalize(self.jaxpr)  # what the backend compiles (keys as key data)
        if self.backend == "xla":
            from jaxlite.interpreters import xla
            return f"# jaxpr\n{self.jaxpr}\n\n# runs on XLA through jax.lax\n{xla.describe(physical)}"
        compiled = numpy_codegen.compile_jaxpr(physical, self.name)
        return f"# jaxpr\n{self.jaxpr}\n\n# generated NumPy code\n{compiled.source}"

    def compile(self):
        fun = compile_jaxpr(self.jaxpr, self.backend, self.name)
        return Compiled(fun, self)


class Compiled:
    def __init__(self, fun, lowered):
        self.fun = fun
        self.lowered = lowered

    def __call__(self, *args):
        from jaxlite.api import _as_array
        leaves = [_as_array(x) for x in tree_util.tree_leaves(args)]
        return self.fun(*leaves)

    def as_text(self):
        return self.lowered.as_text()


def jit(fun=None, *, static_argnums=(), static_argnames=(), donate_argnums=(), donate_argnames=(),
        backend=None, inline=False, keep_unused=False, device=None):
    """Compile `fun`: trace it to a jaxpr per input signature and run generated code.

    `backend="numpy"` (default) generates NumPy source from the jaxpr; `backend="xla"` runs the
    jaxpr with jax.lax inside jax.jit (real JAX must be installed), on a GPU where JAX has one."""
    if fun is None:
        return lambda f: jit(f, static_argnums=static_argnums, static_argnames=static_argnames,
                             backend=backend)
    return JitWrapped(fun, static_argnums, static_argnames, backend)
