"""jit's fast call path: a dispatch table in front of JitWrapped.__call__.

The plain call flattens the arguments to a treedef and leaves, abstracts each leaf and looks the
trace up by (treedef, avals, static arguments, x64). For the common call (concrete arrays in tuples,
lists and dicts, no keywords, no static arguments) this table keys on the arguments' structure with
each leaf's aval in place, built in one walk, and runs the compiled program directly, as JAX's C++
PjitFunction does before it falls back to Python.
"""
import weakref

from jaxlite import core, dispatch
from jaxlite.array import ArrayImpl
from jaxlite.config import config
from jaxlite.pjit import JitWrapped, compiled_fun, jit_p

_plain_call = JitWrapped.__call__
_LIMIT = 4096
_tables = weakref.WeakKeyDictionary()  # a function's trace cache -> its dispatch table


def _structure(x, leaves):
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
            part = _structure(child, leaves)
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
            part = _structure(x[k], leaves)
            if part is None:
                return None
            parts.append(part)
        return tuple(parts)
    return None


def call(self, *args, **kwargs):
    values = config._values
    if kwargs or self.static_argnums or values["jax_disable_jit"]:
        return _plain_call(self, *args, **kwargs)
    leaves = []
    structure = _structure(args, leaves)
    if structure is None:
        return _plain_call(self, *args, **kwargs)
    try:
        table = self._fast_table
    except AttributeError:  # every jit of one function shares one table, as it shares the traces
        table = self._fast_table = _tables.setdefault(self._traces, {})
    key = (structure, values["jax_enable_x64"], self.backend or values["jax_default_jit_backend"])
    hit = table.get(key)
    if hit is None:
        entry, leaves = self._trace(args, kwargs)
        backend = self._backend()
        if not entry.n_tracer_consts:
            if len(table) > _LIMIT:
                table.clear()
            table[key] = (entry, backend)
        return entry.bind(leaves, self._name, backend)
    entry, backend = hit
    self.hits += 1
    if core.trace_ctx.trace is core.eval_trace and not dispatch.needs_check_special:
        outs = compiled_fun(entry.closed, backend, self._name)(*leaves)
    else:
        outs = jit_p.bind(*leaves, jaxpr=entry.closed, name=self._name, backend=backend)
    return entry.out_tree.unflatten(outs)


def install():
    JitWrapped.__call__ = call


def uninstall():
    JitWrapped.__call__ = _plain_call
    clear()


def clear(trace_cache=None):
    """Empty the tables (never drop them: each jitted function holds on to its own)."""
    for cache, table in list(_tables.items()):
        if trace_cache is None or cache is trace_cache:
            table.clear()
