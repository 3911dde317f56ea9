"""`jax.pure_callback`: call a Python function on array values from inside transformed code.

Mirrors jax/_src/callback.py. The callback is staged as a `pure_callback` equation whose output shapes
and dtypes the caller declares up front (tracing cannot run it). Being pure, it may be deduplicated or
dropped like any other equation; under vmap, `vmap_method` says how to call it on a batch; it cannot
be differentiated (wrap it in custom_jvp / custom_vjp for that).
"""
import dataclasses

import numpy as np

from jaxlite import api_util, dtypes, tree_util
from jaxlite.array import ArrayImpl
from jaxlite.core import Primitive, ShapedArray
from jaxlite.errors import JaxRuntimeError, with_hint
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.numpy_codegen import impl_call
from jaxlite.interpreters.xla import host_callback

__all__ = ["pure_callback"]

_VMAP_METHODS = ["sequential", "sequential_unrolled", "expand_dims", "broadcast_all",
                 "legacy_vectorized", None]


@dataclasses.dataclass(frozen=True)
class _FlatCallback:
    """The user's function as a function of flat arrays; equal for the same function and argument
    structure, so that equal callback equations can be shared."""
    callback_func: object
    in_tree: object

    def __call__(self, *flat_args):
        args, kwargs = tree_util.tree_unflatten(self.in_tree, flat_args)
        return tree_util.tree_leaves(self.callback_func(*args, **kwargs))


def _callback_error(problem):
    return JaxRuntimeError(with_hint(
        "INTERNAL: CpuCallback error calling callback: Traceback (most recent call last):\n"
        f"RuntimeError: {problem}",
        "the callback must return arrays of exactly the shapes and dtypes given as "
        "result_shape_dtypes."))


def _pure_callback_impl(*args, callback, result_avals, sharding, vmap_method):
    outs = callback(*[api_util.as_array(a) for a in args])
    if len(outs) != len(result_avals):
        raise _callback_error(f"Mismatched number of outputs from callback. Expected: "
                              f"{len(result_avals)}, Actual: {len(outs)}")
    results = []
    for i, (out, aval) in enumerate(zip(outs, result_avals)):
        out = np.asarray(out)
        out = out.astype(dtypes.canonicalize_dtype(out.dtype), copy=False)
        if out.shape != aval.shape:
            raise _callback_error(f"Incorrect output shape for return value #{i}: Expected: "
                                  f"{aval.shape}, Actual: {out.shape}")
        if out.dtype != aval.dtype:
            raise _callback_error(f"Incorrect output dtype for return value #{i}: Expected: "
                                  f"{aval.dtype}, Actual: {out.dtype}")
        results.append(ArrayImpl(out, False))
    return results


def _pure_callback_abstract_eval(*avals, callback, result_avals, sharding, vmap_method):
    return list(result_avals)


def _pure_callback_jvp(primals, tangents, **params):
    raise ValueError(with_hint("Pure callbacks do not support JVP. Please use `jax.custom_jvp` to use "
                               "callbacks while taking gradients.", _CALLBACK_DERIVATIVE_HINT))


def _pure_callback_transpose(cts, *args, **params):
    raise ValueError(with_hint("Pure callbacks do not support transpose. Please use `jax.custom_vjp` to use "
                               "callbacks while taking gradients.", _CALLBACK_DERIVATIVE_HINT))


_CALLBACK_DERIVATIVE_HINT = ("JAX cannot see inside the Python callback to differentiate it: wrap the call in "
                             "a jax.custom_jvp (or custom_vjp) function whose rule gives its derivative.")


def _pure_callback_batcher(args, dims, *, callback, result_avals, sharding, vmap_method):
    """How the callback sees a batch depends on vmap_method: one call per example (sequential),
    or one call on the whole batch, unbatched arguments given a leading axis of size 1
    (expand_dims) or of the batch size (broadcast_all)."""
    from jaxlite import lax
    size = batching.axis_size_of(args, dims)
    args = [x if d is batching.not_mapped else batching.moveaxis(x, d, 0) for x, d in zip(args, dims)]
    batched_avals = tuple(ShapedArray((size,) + a.shape, a.dtype) for a in result_avals)
    params = dict(callback=callback, sharding=sharding, vmap_method=vmap_method)
    if vmap_method == "legacy_vectorized":
        outs = pure_callback_p.bind(*args, result_avals=batched_avals, **params)
    elif vmap_method in ("expand_dims", "broadcast_all"):
        lead = (size,) if vmap_method == "broadcast_all" else (1,)
        args = [lax.broadcast(x, lead) if d is batching.not_mapped else x for x, d in zip(args, dims)]
        outs = pure_callback_p.bind(*args, result_avals=batched_avals, **params)
    elif vmap_method in ("sequential", "sequential_unrolled"):
        from jaxlite.lax import control_flow
        batched = [d is not batching.not_mapped for d in dims]
        fixed = [x for x, b in zip(args, batched) if not b]

        def one_example(carry, xs):
            it_fixed, it_xs = iter(fixed), iter(xs)
            merged = [next(it_xs) if b else next(it_fixed) for b in batched]
            return carry, pure_callback_p.bind(*merged, result_avals=result_avals, **params)

        _, outs = control_flow.scan(one_example, (), [x for x, b in zip(args, batched) if b],
                                    unroll=size if vmap_method == "sequential_unrolled" else 1)
    else:
        raise NotImplementedError(with_hint(
            "vmap is only supported for the pure_callback primitive when vmap_method is one of "
            "'sequential', 'sequential_unrolled', 'expand_dims', 'broadcast_all', or "
            f"'legacy_vectorized'. Got vmap_method={vmap_method!r}.",
            "tell pure_callback how to batch: vmap_method='sequential' calls it once per example, "
            "'expand_dims' once with the whole batch (when the callback handles a leading batch axis)."))
    return list(outs), [0] * len(outs)


pure_callback_p = Primitive("pure_callback")
pure_callback_p.multiple_results = True
pure_callback_p.def_impl(_pure_callback_impl)
pure_callback_p.def_abstract_eval(_pure_callback_abstract_eval)
ad.primitive_jvps[pure_callback_p] = _pure_callback_jvp
ad.primitive_transposes[pure_callback_p] = _pure_callback_transpose
batching.primitive_batchers[pure_callback_p] = _pure_callback_batcher


def _result_aval(shape_dtype):
    dtype = np.dtype(shape_dtype.dtype)
    if dtypes.canonicalize_dtype(dtype) != dtype:
        raise ValueError(with_hint("result_shape_dtypes cannot specify 64-bit types when `jax_enable_x64` is "
                                   "disabled", "ask for 32-bit results (jnp.float32, jnp.int32) and cast in the "
                                   "callback, or turn on jax_enable_x64."))
    return ShapedArray(tuple(shape_dtype.shape), dtype)


def pure_callback(callback, result_shape_dtypes, *args, sharding=None, vmap_method=None, **kwargs):
    """`callback(*args, **kwargs)` run on the arguments' values, under jit and vmap too; it must
    return arrays shaped as `result_shape_dtypes` (a pytree of ShapeDtypeStructs) says."""
    if vmap_method not in _VMAP_METHODS:
        raise ValueError(with_hint(f"vmap_method must be on of the allowed methods {_VMAP_METHODS}, but got: "
                                   f"{vmap_method}", "pass one of those names, e.g. vmap_method='sequential'."))
    flat_args, in_tree = tree_util.tree_flatten((args, kwargs))
    flat_args = [api_util.check_arg(x) for x in flat_args]
    avals, out_tree = tree_util.tree_flatten(tree_util.tree_map(_result_aval, result_shape_dtypes))
    outs = pure_callback_p.bind(*flat_args, callback=_FlatCallback(callback, in_tree),
                                result_avals=tuple(avals), sharding=sharding, vmap_method=vmap_method)
    return tree_util.tree_unflatten(out_tree, outs)


# The callback runs on the host under either backend.
register_lowering(pure_callback_p, impl_call(pure_callback_p), "numpy")
register_lowering(pure_callback_p, host_callback, "xla")
