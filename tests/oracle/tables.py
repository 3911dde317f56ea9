"""The oracle for tables of cases: JAX evaluates every case of a table inside one jit, so a table
costs one XLA compilation instead of one per operation and shape (jit keeps dtypes and weak types).

A table maps a case name to (fn, args); fn takes the library namespace first (jax.numpy, or an
object bundling jax.nn and friends), so one table serves both JAX and jaxlite.
"""
import jax

_REFERENCES = {}
# Cheaper XLA compilation of these one-off programs (the results do not change).
_FAST_COMPILE = {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True}


def jax_reference(table, namespace):
    """Every case's JAX result, computed once per table."""
    if id(table) not in _REFERENCES:
        args = {name: case_args for name, (_, case_args) in table.items()}
        run = jax.jit(lambda a: {name: table[name][0](namespace, *a[name]) for name in table})
        _REFERENCES[id(table)] = run.lower(args).compile(_FAST_COMPILE)(args)
    return _REFERENCES[id(table)]
