"""jit's second backend: run a jaxlite jaxpr on XLA through real JAX's public API.

Mirrors the role of jax/_src/interpreters/mlir.py: JAX lowers each primitive to StableHLO; here each
jaxlite equation is replayed with the `jax.lax` function of the same name inside one `jax.jit`,
so a jaxpr that jaxlite traced runs on XLA (on a GPU where JAX sees one). Imported lazily: jaxlite
itself never needs JAX.
"""
import enum
import inspect

import numpy as np

from jaxlite.array import ArrayImpl
from jaxlite.core import Literal


def _jax():
    try:
        import jax
    except ImportError as err:
        raise ImportError("jit(..., backend='xla') needs real JAX: pip install jax") from err
    return jax


def _adapters(jax):
    """jax.lax calls whose signature differs from the primitive's params."""
    lax = jax.lax
    return {
        "add_any": lambda x, y: lax.add(x, y),
        "and": lambda x, y: lax.bitwise_and(x, y),
        "or": lambda x, y: lax.bitwise_or(x, y),
        "xor": lambda x, y: lax.bitwise_xor(x, y),
        "not": lambda x: lax.bitwise_not(x),
        # A complex-to-real conversion keeps the real part (quietly, as jaxlite's own does).
        "convert_element_type": lambda x, new_dtype, weak_type=False, **_: lax.convert_element_type(
            lax.real(x) if jax.numpy.iscomplexobj(x) and np.dtype(new_dtype).kind != "c" else x, new_dtype),
        "broadcast_in_dim": lambda x, shape, broadcast_dimensions, **_: lax.broadcast_in_dim(
            x, shape, broadcast_dimensions),
        "reshape": lambda x, new_sizes, dimensions=None, **_: lax.reshape(x, new_sizes, dimensions),
        # The primitives' start indices were made non-negative when they were bound.
        "dynamic_slice": lambda x, *starts, slice_sizes: lax.dynamic_slice(
            x, starts, slice_sizes, allow_negative_indices=False),
        "dynamic_update_slice": lambda x, update, *starts: lax.dynamic_update_slice(
            x, update, starts, allow_negative_indices=False),
        "reduce_sum": lambda x, axes, **_: lax.reduce_sum(x, axes),
        # Collectives reach a backend batched: their axes are positional by then.
        "psum": lambda x, axes, **_: lax.reduce_sum(x, axes),
        "pmax": lambda x, axes, **_: lax.reduce_max(x, axes),
        "pmin": lambda x, axes, **_: lax.reduce_min(x, axes),
        "argmax": lambda x, axes, index_dtype: lax.argmax(x, axes[0], index_dtype),
        "argmin": lambda x, axes, index_dtype: lax.argmin(x, axes[0], index_dtype),
        "dot_general": lambda x, y, dimension_numbers, preferred_element_type=None, **_: lax.dot_general(
            x, y, dimension_numbers, preferred_element_type=preferred_element_type),
        "iota": lambda dtype, shape, dimension, **_: lax.broadcasted_iota(dtype, shape, dimension),
        "select_n": lambda which, *cases: lax.select_n(which, *cases),
        "concatenate": lambda *xs, dimension: lax.concatenate(xs, dimension),
        "round": lambda x, rounding_method: lax.round(x, rounding_method),
        "copy": lambda x: x,
        "stop_gradient": lambda x: lax.stop_gradient(x),
        "top_k": lambda x, k, axis: list(lax.top_k(x, k, axis=axis)),
        "regularized_incomplete_beta": lambda a, b, x: lax.betainc(a, b, x),
        "sort": lambda *xs, dimension, is_stable, num_keys: lax.sort(xs, dimension=dimension,
                                                                      is_stable=is_stable,
                                                                      num_keys=num_keys),
        # jax.debug, jax.checkpoint and checkpoint_name: see _debug_callback and _remat below.
        "debug_callback": lambda *xs, **p: _debug_callback(jax, "debug_callback", xs, p),
        "debug_print": lambda *xs, **p: _debug_callback(jax, "debug_print", xs, p),
        "remat2": lambda *xs, jaxpr, prevent_cse, **_: _remat(jax, jaxpr, prevent_cse, xs),
        "name": lambda x, name: x,
        # Convolutions and linear algebra (jaxlite.lax.convolution, jaxlite.lax.linalg).
        "conv_general_dilated": lambda x, y, dimension_numbers, precision=None, out_sharding=None, **p:
            lax.conv_general_dilated(x, y, dimension_numbers=lax.ConvDimensionNumbers(*dimension_numbers),
                                     **p),
        "cholesky": lambda x: lax.linalg.cholesky(x, symmetrize_input=False),
        "eigh": lambda x, algorithm=None, **p: list(lax.linalg.eigh(x, symmetrize_input=False, **p)),
        "lu": lambda x: list(lax.linalg.lu(x)),
        "qr": lambda x, **p: list(lax.linalg.qr(x, **p)),
        "svd": lambda x, compute_uv, algorithm=None, **p: (
            [lax.linalg.svd(x, compute_uv=False, **p)] if not compute_uv
            else [lax.linalg.svd(x, **p)[i] for i in (1, 0, 2)]),  # jaxlite's primitive: s, u, vh
        "triangular_solve": lambda a, b, **p: lax.linalg.triangular_solve(a, b, **p),
    }


def _jax_param(jax, value):
    """A parameter as JAX's function takes it: jaxlite's dimension-number tuples and enums become
    JAX's classes of the same name (GatherDimensionNumbers, GatherScatterMode, RoundingMethod)."""
    is_enum, is_named = isinstance(value, enum.Enum), isinstance(value, tuple) and hasattr(value, "_fields")
    cls = getattr(jax.lax, type(value).__name__, None) if is_enum or is_named else None
    if cls is None or cls is type(value):
        return value
    return cls[value.name] if is_enum else cls(*value)


def _debug_callback(jax, name, args, params):
    """A jax.debug equation: XLA calls back into Python, where the primitive's impl prints."""
    from jaxlite import debug
    prim = {"debug_callback": debug.debug_callback_p, "debug_print": debug.debug_print_p}[name]
    host = lambda *vals: prim.impl(*[ArrayImpl(np.asarray(v), False) for v in vals], **params) and None
    jax.debug.callback(host, *args, ordered=debug.is_ordered(params))
    return []


def _remat(jax, jaxpr, prevent_cse, args):
    """A checkpointed block runs inside jax.checkpoint, so XLA sees JAX's own remat."""
    return jax.checkpoint(lambda *xs: eval_jaxpr(jax, jaxpr, [], xs), prevent_cse=prevent_cse)(*args)


def _call_by_name(jax, name, args, params):
    fn = getattr(jax.lax, name, None)
    if fn is None:
        return None
    try:
        accepted = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn(*args, **params)
    kwargs = {k: v for k, v in params.items() if k in accepted}
    return fn(*args, **kwargs)


def _callback(jax, eqn, args):
    """Any primitive JAX has no function for runs its NumPy impl as a host callback."""
    prim = eqn.primitive
    shapes = [jax.ShapeDtypeStruct(v.aval.shape, v.aval.dtype) for v in eqn.outvars]

    def host(*vals):
        out = prim.impl(*[ArrayImpl(np.asarray(v), False) for v in vals], **eqn.params)
        outs = out if prim.multiple_results else [out]
        return [np.asarray(o._value, dtype=v.aval.dtype) for o, v in zip(outs, eqn.outvars)]

    outs = jax.pure_callback(host, shapes, *args)
    return outs if prim.multiple_results else outs[0]


def eval_jaxpr(jax, jaxpr, consts, args):
    """Replay a jaxpr with jax.lax, recursing into control flow as JAX's own constructs."""
    env = {}
    read = lambda v: np.asarray(v.val, v.aval.dtype) if type(v) is Literal else env[v]
    env.update(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    adapters = _adapters(jax)
    for eqn in jaxpr.eqns:
        ins = [read(v) for v in eqn.invars]
        outs = _eval_eqn(jax, adapters, eqn, ins)
        outs = outs if eqn.primitive.multiple_results else [outs]
        env.update(zip(eqn.outvars, outs))
    return [read(v) for v in jaxpr.outvars]


def _sub(jax, closed):
    return lambda *xs: eval_jaxpr(jax, closed.jaxpr, [_const(c) for c in closed.consts], xs)


def _const(c):
    return np.asarray(c._value) if isinstance(c, ArrayImpl) else c


def _eval_eqn(jax, adapters, eqn, ins):
    name = eqn.primitive.name
    p = {k: _jax_param(jax, v) for k, v in eqn.params.items()}
    lax = jax.lax
    if name in ("jit", "custom_jvp_call", "custom_vjp_call"):
        closed = p.get("jaxpr") or p.get("call_jaxpr")
        return _sub(jax, closed)(*ins)
    if name == "cond":
        return lax.switch(ins[0], [_sub(jax, br) for br in p["branches"]], *ins[1:])
    if name == "while":
        nc, nb = p["cond_nconsts"], p["body_nconsts"]
        cc, bc, carry = ins[:nc], ins[nc:nc + nb], ins[nc + nb:]
        cond = _sub(jax, p["cond_jaxpr"])
        body = _sub(jax, p["body_jaxpr"])
        if eqn.params["cond_jaxpr"].out_avals[0].ndim == 0:
            return lax.while_loop(lambda c: cond(*cc, *c)[0], lambda c: body(*bc, *c), carry)
        return _batched_while(jax, lambda c: cond(*cc, *c)[0], lambda c: body(*bc, *c), carry)
    if name == "scan":
        nk, nc = p["num_consts"], p["num_carry"]
        consts, carry, xs = ins[:nk], ins[nk:nk + nc], ins[nk + nc:]
        body = _sub(jax, p["jaxpr"])

        def step(c, x):
            outs = body(*consts, *c, *x)
            return outs[:nc], outs[nc:]
        c, ys = lax.scan(step, carry, xs, length=p["length"], reverse=p["reverse"])
        return list(c) + list(ys)
    if name in adapters:
        return adapters[name](*ins, **p)
    out = _call_by_name(jax, name.replace("-", "_"), ins, p)
    return _callback(jax, eqn, ins) if out is None else out


def _batched_while(jax, cond, body, carry):
    """A while whose predicate vmap batched: loop while any element holds; elements that are
    done keep their carry (what XLA gets from JAX for the same jaxpr)."""
    jnp = jax.numpy

    def select(pred, new, old):
        return jnp.where(pred.reshape(pred.shape + (1,) * (old.ndim - pred.ndim)), new, old)

    def step(c):
        pred = cond(c)
        return [select(pred, n, o) for n, o in zip(body(c), c)]
    return jax.lax.while_loop(lambda c: jnp.any(cond(c)), step, list(carry))


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
