"""jit's second backend: run a jaxlite jaxpr on XLA through real JAX's public API.

Mirrors the role of jax/_src/interpreters/mlir.py: JAX lowers each primitive to StableHLO; here each
jaxlite equation is replayed inside one `jax.jit` by its primitive's "xla" lowering rule (registered
beside the primitive, see lowering.py), which calls jax.lax; so a jaxpr that jaxlite traced runs on
XLA (on a GPU where JAX sees one). Real JAX is imported lazily: jaxlite itself never needs it.
"""
import enum
import inspect

import numpy as np

from jaxlite.array import ArrayImpl
from jaxlite.core import ClosedJaxpr, Literal
from jaxlite.interpreters.lowering import get_lowering


def _jax():
    try:
        import jax
    except ImportError as err:
        raise ImportError("jit(..., backend='xla') needs real JAX: pip install jax") from err
    return jax


class LoweringContext:
    """What an "xla" lowering rule sees besides its operands: real JAX, the equation, and
    `sub(jaxpr)`, a sub-jaxpr (of cond, scan, a nested jit) as a function on jax arrays."""

    __slots__ = ("jax", "lax", "eqn")

    def __init__(self, jax, eqn):
        self.jax, self.lax, self.eqn = jax, jax.lax, eqn

    def sub(self, jaxpr):
        if isinstance(jaxpr, ClosedJaxpr):
            return lambda *xs: eval_jaxpr(self.jax, jaxpr.jaxpr, [_const(c) for c in jaxpr.consts], xs)
        return lambda *xs: eval_jaxpr(self.jax, jaxpr, [], xs)


def lowers_to(get_fn):
    """The rule of a primitive that is one jax.lax function, `get_fn(jax.lax)`: called with the
    operands and those params it takes (jaxlite's sharding annotations are left out)."""
    def rule(ctx, *args, **params):
        fn = get_fn(ctx.lax)
        return fn(*args, **_accepted(fn, params))
    return rule


def _accepted(fn, params):
    try:
        accepted = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return params
    return {k: v for k, v in params.items() if k in accepted}


def host_callback(ctx, *args, **params):
    """The rule of a primitive JAX has no function for: its NumPy impl runs as a host callback."""
    eqn = ctx.eqn
    prim = eqn.primitive
    shapes = [ctx.jax.ShapeDtypeStruct(v.aval.shape, v.aval.dtype) for v in eqn.outvars]

    def host(*vals):
        out = prim.impl(*[ArrayImpl(np.asarray(v), False) for v in vals], **eqn.params)
        outs = out if prim.multiple_results else [out]
        return [np.asarray(o._value, dtype=v.aval.dtype) for o, v in zip(outs, eqn.outvars)]

    outs = ctx.jax.pure_callback(host, shapes, *args)
    return outs if prim.multiple_results else outs[0]


def _jax_param(jax, value):
    """A parameter as JAX's function takes it: jaxlite's dimension-number tuples and enums become
    JAX's classes of the same name (GatherDimensionNumbers, GatherScatterMode, RoundingMethod)."""
    is_enum, is_named = isinstance(value, enum.Enum), isinstance(value, tuple) and hasattr(value, "_fields")
    cls = getattr(jax.lax, type(value).__name__, None) if is_enum or is_named else None
    if cls is None or cls is type(value):
        return value
    return cls[value.name] if is_enum else cls(*value)


def eval_jaxpr(jax, jaxpr, consts, args):
    """Replay a jaxpr with each equation's "xla" lowering rule (inside one jax.jit)."""
    env = {}
    read = lambda v: np.asarray(v.val, v.aval.dtype) if type(v) is Literal else env[v]
    env.update(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    for eqn in jaxpr.eqns:
        rule = get_lowering(eqn.primitive, "xla") or host_callback  # a primitive that registered none
        params = {k: _jax_param(jax, v) for k, v in eqn.params.items()}
        outs = rule(LoweringContext(jax, eqn), *[read(v) for v in eqn.invars], **params)
        env.update(zip(eqn.outvars, outs if eqn.primitive.multiple_results else [outs]))
    return [read(v) for v in jaxpr.outvars]


def _const(c):
    return np.asarray(c._value) if isinstance(c, ArrayImpl) else c


def jax_function(closed):
    """The jitted JAX function computing a closed jaxpr (its arguments and results are jax arrays)."""
    jax = _jax()
    consts = [_const(c) for c in closed.consts]
    return jax.jit(lambda *args: eval_jaxpr(jax, closed.jaxpr, consts, args))


def compile_jaxpr(closed):
    """Arguments go in as jax arrays: an array's device copy is made once and kept with it, and a
    result keeps the jax array it came from, so a result passed to the next jitted call is not
    copied again."""
    jax = _jax()
    fn = jax_function(closed)
    out_avals = closed.out_avals

    def to_device(x):
        if type(x) is not ArrayImpl:
            return np.asarray(x)
        try:
            return x._device
        except AttributeError:
            device = x._device = jax.device_put(x._value)
            return device

    on_device = ArrayImpl._on_device

    def run(*args):
        try:  # the steady state: every argument already has its device copy
            device_args = [a._device for a in args]
        except AttributeError:
            device_args = [to_device(a) for a in args]
        outs = fn(*device_args)
        return [on_device(out, aval) if out.dtype == aval.dtype
                # JAX without x64 under jaxlite with it: widen on the host
                else ArrayImpl(np.asarray(out).astype(aval.dtype), aval.weak_type)
                for out, aval in zip(outs, out_avals)]
    return run


def describe(closed):
    """What `lower(...).as_text()` shows for this backend: the StableHLO JAX generates."""
    jax = _jax()
    fn = jax_function(closed)
    args = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in closed.in_avals]
    return fn.lower(*args).as_text()


def compiled_text(closed):
    """What `compile().as_text()` shows for this backend: the module XLA compiled."""
    jax = _jax()
    fn = jax_function(closed)
    args = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in closed.in_avals]
    return fn.lower(*args).compile().as_text()
