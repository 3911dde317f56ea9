"""The lowering registry both jit backends read: for each backend, primitive -> lowering rule.

JAX keeps its registry in jax/_src/interpreters/mlir.py (`register_lowering(prim, rule, platform)`);
here a backend takes the place of a platform. Each primitive registers its rules beside itself in
lax, so neither backend ever names a primitive:
- "numpy": `rule(emitter, eqn, in_names) -> source lines` (numpy_codegen.py); a standard
  primitive's rule is a `numpy_codegen.NumpyCall` of its NumPy function, registered for it.
- "xla": `rule(ctx, *args, **params) -> result(s)` on jax arrays (xla.py), with `ctx.lax` the
  jax.lax module, `ctx.eqn` the equation and `ctx.sub(closed_jaxpr)` a sub-jaxpr as a function.
"""
BACKENDS = ("numpy", "xla")

_lowerings = {backend: {} for backend in BACKENDS}


def register_lowering(prim, rule, backend):
    if backend not in _lowerings:
        raise ValueError(f"unknown jit backend {backend!r}: one of {BACKENDS}")
    _lowerings[backend][prim] = rule
    return rule


def get_lowering(prim, backend):
    """The rule registered for `prim`, or None (a backend then has a fallback for it)."""
    return _lowerings[backend].get(prim)


def has_lowering(prim, backend):
    return prim in _lowerings[backend]
