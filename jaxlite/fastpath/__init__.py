"""The speed layer: every cache and fast path, kept out of the code a student reads.

JAX's counterpart is its C++ dispatch (jaxlib's PjitFunction and the C++ fast path of eager
operations): the Python in jax/_src says what happens, C++ in front of it makes the common case
quick. Here the reading path (lax's primitives, dispatch.apply_primitive, the traces, pjit's
JitWrapped) is plain Python with no caches; this package puts faster versions in front of it:

- eager.py: `Primitive.bind` with a cache of checked operand types, so an eager `x * y` skips the
  rules it already ran for those types; memoized abstract evals for tracing; and the `+ - * /` of
  two concrete arrays of one dtype and weak type straight to NumPy's operator.
- ad.py: the traces of jvp, linearize and jaxpr tracing with the common cases first (a primal
  operation on concrete arrays straight to the eager fast path, a trace's own tracers read
  directly), add_any of like tangents at once, and a backward pass with its bookkeeping inline;
  the commonest primitives' linearize rules written out, and their transposes on concrete
  cotangents by the eager fast path.
- jit.py: `JitWrapped.__call__` with a second dispatch table, keyed on the arguments' structure and
  avals without building a treedef (what JAX's C++ PjitFunction does).
- codegen.py: the code generator's peephole rewrites (a reshape of a reshape is one reshape, ...).

On by default; `jax.config.update("jax_jaxlite_fast_paths", False)` (or JAXLITE_FAST_PATHS=0 in
the environment) puts the plain path back, so a lesson can step through it. Both give the same
values, dtypes, errors and jaxprs: the test suites run in both modes.
"""
from jaxlite.fastpath import ad, codegen, eager, jit

enabled = False


def set_enabled(on):
    """Install the fast versions in front of the plain ones (on), or take them away (off)."""
    global enabled
    on = bool(on)
    if on == enabled:
        return
    for part in (eager, ad, jit, codegen):
        part.install() if on else part.uninstall()
    enabled = on


def clear_caches(trace_cache=None):
    """Forget the fast tables (of one jitted function's trace cache, or all), as jax.clear_caches
    clears JAX's C++ caches too."""
    jit.clear(trace_cache)
    eager.clear()
