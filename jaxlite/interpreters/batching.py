"""Vectorisation: vmap by batching rules.

Mirrors jax/_src/interpreters/batching.py. A BatchTracer is a value with one extra axis, `batch_dim`,
that the function never sees. Each primitive's batching rule says how to compute the batched result
directly, so vmap(f) runs f once on whole batches instead of once per example.
"""
import functools

from jaxlite import core
from jaxlite.ad_util import add_jaxvals, add_jaxvals_p
from jaxlite.core import Trace, Tracer, get_aval, set_current_trace
from jaxlite.interpreters import partial_eval as pe

not_mapped = None
primitive_batchers = {}  # primitive -> rule(args, dims, **params) -> (out, out_dim)
# Moving, inserting and summing out a batch axis take four lax operations, `transpose(x, perm)`,
# `broadcast_in_dim(x, shape, dims)`, `reshape(x, shape)` and `reduce_sum(x, axes)`: lax builds on
# this module, so it registers them here beside its primitives.
axis_ops = {}
# Collectives (psum, axis_index, ...) need the axis they batch over, and see unbatched operands too:
# rule(axis_name, axis_size, args, dims, **params) -> (out, out_dim).
collective_batchers = {}

# The named axis of the BatchTrace whose rule is running: a rule that batches a sub-jaxpr (jit,
# cond, scan) batches it over that same axis, so collectives inside it still find their name.
_rule_axis_name = None


class BatchTracer(Tracer):
    __slots__ = ("val", "batch_dim")
    _tracer_name = "VmapTracer"

    def __init__(self, trace, val, batch_dim):
        self._trace = trace
        self.val = val
        self.batch_dim = batch_dim

    @property
    def aval(self):
        aval = get_aval(self.val)
        shape = aval.shape[:self.batch_dim] + aval.shape[self.batch_dim + 1:]
        return core.ShapedArray(shape, aval.dtype, aval.weak_type)

    def _repr_body(self):
        batched = get_aval(self.val).str_short(short_dtypes=False)
        return f"aval={self.aval.str_short(short_dtypes=False)}, batched={batched}"


class BatchTrace(Trace):
    def __init__(self, parent_trace, axis_size, axis_name=None):
        super().__init__(parent_trace)
        self.axis_size = axis_size
        self.axis_name = axis_name

    def to_batch_info(self, x):
        if isinstance(x, BatchTracer) and x._trace is self:
            return x.val, x.batch_dim
        if isinstance(x, Tracer) and not x._trace.alive:
            raise core.escaped_tracer_error(x)
        return x, not_mapped

    def process_primitive(self, primitive, tracers, params):
        vals, dims = [], []
        for x in tracers:
            v, d = self.to_batch_info(x)
            vals.append(v)
            dims.append(d)
        global _rule_axis_name
        with set_current_trace(self.parent_trace):
            collective = collective_batchers.get(primitive)
            if collective is not None:
                out, out_dim = collective(self.axis_name, self.axis_size, vals, dims, **params)
            elif all(d is not_mapped for d in dims):
                return primitive.bind(*vals, **params)
            else:
                rule = primitive_batchers.get(primitive)
                if rule is None:
                    raise NotImplementedError(f"Batching rule for '{primitive}' not implemented")
                outer, _rule_axis_name = _rule_axis_name, self.axis_name
                try:
                    out, out_dim = rule(vals, dims, **params)
                finally:
                    _rule_axis_name = outer
        if primitive.multiple_results:
            return [self.wrap(o, d) for o, d in zip(out, out_dim)]
        return self.wrap(out, out_dim)

    def wrap(self, val, dim):
        return val if dim is not_mapped else BatchTracer(self, val, dim)

    def process_custom_jvp_call(self, primitive, fun, jvp, tracers):
        vals, dims = zip(*map(self.to_batch_info, tracers)) if tracers else ((), ())
        size = self.axis_size
        out_dims = []  # set by whichever of fun and jvp the trace below runs first

        def batched_fun(*xs):
            outs, ds = run_batched(fun, size, dims, self.axis_name)(*xs)
            out_dims.append(ds)
            return outs

        def batched_jvp(primals, tangents):
            n = len(primals)
            flat = lambda *xs: _concat(*jvp(xs[:n], xs[n:]))
            outs, ds = run_batched(flat, size, tuple(dims) * 2, self.axis_name)(*primals, *tangents)
            half = len(outs) // 2
            # A primal output and its tangent are batched alike (if either is, both are).
            both = [_either(a, b) for a, b in zip(ds[:half], ds[half:])]
            outs = [match_axis(o, d, b, size) for o, d, b in zip(outs, ds, both * 2)]
            out_dims.append(both)
            return outs[:half], outs[half:]

        with set_current_trace(self.parent_trace):
            outs = primitive.bind_with(batched_fun, batched_jvp, vals)
        return [self.wrap(o, d) for o, d in zip(outs, out_dims[0])]

    def process_custom_vjp_call(self, primitive, fun, fwd, bwd, tracers, out_trees):
        vals, dims = zip(*map(self.to_batch_info, tracers)) if tracers else ((), ())
        size = self.axis_size
        out_dims, res_dims = [], []

        def batched_fun(*xs):
            outs, ds = run_batched(fun, size, dims, self.axis_name)(*xs)
            out_dims.append(ds)
            return outs

        def batched_fwd(*xs):
            n_out = []

            def flat_fwd(*ys):
                out, res = fwd(*ys)
                n_out.append(len(out))
                return list(out) + list(res)
            outs, ds = run_batched(flat_fwd, size, dims, self.axis_name)(*xs)
            out_dims.append(ds[:n_out[0]])
            res_dims.append(ds[n_out[0]:])
            return outs[:n_out[0]], outs[n_out[0]:]

        def batched_bwd(res, cts):
            # Cotangents come back where each input's batch axis is; an input that was not
            # batched (shared by all examples) gets the sum of its per-example cotangents.
            n_res = len(res)
            flat_bwd = lambda *ys: list(bwd(ys[:n_res], ys[n_res:]))
            ct_dims = [None if c is None else d for c, d in zip(cts, out_dims[0])]
            outs, ds = run_batched(flat_bwd, size, tuple(res_dims[0]) + tuple(ct_dims),
                                   self.axis_name)(*res, *cts)
            return [None if ct is None else _to_input_axis(ct, src, dst, size)
                    for ct, src, dst in zip(outs, ds, dims)]

        with set_current_trace(self.parent_trace):
            outs = primitive.bind_with(batched_fun, batched_fwd, batched_bwd, vals, out_trees)
        return [self.wrap(o, d) for o, d in zip(outs, out_dims[0])]


def _concat(a, b):
    return list(a) + list(b)


def _either(a, b):
    return 0 if a is not not_mapped or b is not not_mapped else not_mapped


def batch_fun(fun, axis_size, in_dims, axis_name=None):
    """`fun` on batched arguments (batched at `in_dims`, None where not): the function returning
    (its outputs, the batch axis of each as it comes out, None where vmap did not touch it). This is
    vmap's body; the axis is named `axis_name`, or as the axis of the rule that runs this."""
    axis_name = _rule_axis_name if axis_name is None else axis_name

    def batched(*args):
        trace = BatchTrace(core.current_trace(), axis_size, axis_name)
        tracers = [a if d is not_mapped or a is None else BatchTracer(trace, a, d)
                   for a, d in zip(args, in_dims)]
        try:
            with set_current_trace(trace):
                outs = fun(*tracers)
            infos = [(None, not_mapped) if o is None else trace.to_batch_info(o) for o in outs]
        finally:
            trace.invalidate()
        return [v for v, _ in infos], [d for _, d in infos]
    return batched


def run_batched(fun, axis_size, in_dims, axis_name=None):
    """Like batch_fun, with each batched output's axis moved to 0."""
    def run(*args):
        outs, dims = batch_fun(fun, axis_size, in_dims, axis_name)(*args)
        return ([o if d is not_mapped else moveaxis(o, d, 0) for o, d in zip(outs, dims)],
                [not_mapped if d is not_mapped else 0 for d in dims])
    return run


def batch_jaxpr(closed, axis_size, in_dims, out_dims=None):
    """The batched version of a closed jaxpr, as a closed jaxpr taking its inputs batched at
    `in_dims`: returns (batched jaxpr, the batch axis of each output). Outputs go to `out_dims`
    (an int for all, or one entry per output: an axis, or None for an output that must not be
    batched), or with out_dims None, those that come out batched go to axis 0 and the others
    stay unbatched (JAX's batch_jaxpr with instantiate=False)."""
    found = []

    def fun(*args):
        outs, dims = batch_fun(core.jaxpr_as_fun(closed), axis_size, in_dims)(*args)
        targets = ([0 if d is not not_mapped else not_mapped for d in dims] if out_dims is None else
                   out_dims if isinstance(out_dims, (list, tuple)) else [out_dims] * len(outs))
        found.append(list(targets))
        return [move_out(o, d, t, axis_size) for o, d, t in zip(outs, dims, targets)]

    in_avals = [_batched_aval(a, d, axis_size) for a, d in zip(closed.in_avals, in_dims)]
    batched, _ = pe.trace_to_jaxpr(fun, in_avals)
    return batched, found[0]


def _batched_aval(aval, dim, size):
    if dim is not_mapped:
        return aval
    return aval.update(shape=aval.shape[:dim] + (size,) + aval.shape[dim:])


def match_axis(x, src, dst, size):
    """`x` (batched at `src`, or not) batched at `dst`, broadcasting if it was not."""
    if dst is not_mapped or src == dst:
        return x
    return broadcast_dim(x, size, dst) if src is not_mapped else moveaxis(x, src, dst)


def _to_input_axis(ct, src, dst, size):
    if dst is not_mapped:
        return ct if src is not_mapped else axis_ops["reduce_sum"](ct, (src,))
    return match_axis(ct, src, dst, size)


# ----------------------------------------------------------------------------------------------
# Helpers that lax uses to state the batching rule of an elementwise primitive in one line

def defvectorized(prim):
    """A primitive of one operand that works elementwise: the batch axis stays where it is."""
    primitive_batchers[prim] = functools.partial(vectorized_batcher, prim)


def vectorized_batcher(prim, args, dims, **params):
    (x,), (d,) = args, dims
    return prim.bind(x, **params), d


def defbroadcasting(prim):
    """An elementwise primitive whose operands broadcast (rank-0 and size-1 axes)."""
    primitive_batchers[prim] = functools.partial(broadcast_batcher, prim)


def broadcast_batcher(prim, args, dims, **params):
    """Operands batched alike keep their batch axis; otherwise every batch axis moves to the front
    and unbatched operands gain a size-1 axis there (rank-0 scalars stay as they are)."""
    shapes = {(get_aval(x).shape, d) for x, d in zip(args, dims) if get_aval(x).ndim}
    if len(shapes) == 1 and all(d is not_mapped or get_aval(x).ndim for x, d in zip(args, dims)):
        (shape, d), = shapes
        if all(d2 == d or (d2 is not_mapped and get_aval(x).ndim == 0) for x, d2 in zip(args, dims)):
            out = prim.bind(*args, **params)
            return (out, [d] * len(out)) if prim.multiple_results else (out, d)
    args = [moveaxis(x, d, 0) if d is not not_mapped else x for x, d in zip(args, dims)]
    ndim = max(get_aval(x).ndim + (d is not_mapped and get_aval(x).ndim > 0) for x, d in zip(args, dims))
    args = [_rank_promoted(x, d, ndim) for x, d in zip(args, dims)]
    out = prim.bind(*args, **params)
    return (out, [0] * len(out)) if prim.multiple_results else (out, 0)


def _rank_promoted(x, d, ndim):
    aval = get_aval(x)
    if d is not_mapped and aval.ndim == 0:
        return x
    if d is not_mapped:
        return axis_ops["broadcast_in_dim"](x, (1,) + aval.shape, tuple(range(1, aval.ndim + 1)))
    if aval.ndim < ndim:
        return axis_ops["reshape"](x, aval.shape[:1] + (1,) * (ndim - aval.ndim) + aval.shape[1:])
    return x


def move_out(x, src, dst, size):
    """Put a result's batch axis where out_axes says, broadcasting results that vmap never touched."""
    if dst is None:
        if src is not not_mapped:
            raise ValueError("vmap has mapped output but out_axes is None")
        return x
    if src is not_mapped:
        return broadcast_dim(x, size, dst)
    return moveaxis(x, src, dst)


def moveaxis(x, src, dst):
    ndim = get_aval(x).ndim
    dst = dst % ndim if ndim else 0
    if src == dst:
        return x
    perm = [i for i in range(ndim) if i != src]
    perm.insert(dst, src)
    return axis_ops["transpose"](x, tuple(perm))


def broadcast_dim(x, size, dim):
    """Insert a new axis of length `size` at `dim` (for an unbatched value meeting a batched one)."""
    aval = get_aval(x)
    dim = dim % (aval.ndim + 1)
    shape = aval.shape[:dim] + (size,) + aval.shape[dim:]
    dims = tuple(i for i in range(aval.ndim + 1) if i != dim)
    return axis_ops["broadcast_in_dim"](x, shape, dims)


def bdim_at_front(x, d, size):
    """The value with its batch axis first, materialising the axis for unbatched values."""
    if d is not_mapped:
        return broadcast_dim(x, size, 0)
    return moveaxis(x, d, 0)


def batched_outputs(jaxpr, batched):
    """Which outputs of a jaxpr depend on a batched input: those vmap must batch, the others it
    leaves alone (JAX's batch_jaxpr with instantiate=False). A walk over the equations."""
    jaxpr = jaxpr.jaxpr if isinstance(jaxpr, core.ClosedJaxpr) else jaxpr
    depends = {v for v, b in zip(jaxpr.invars, batched) if b}
    for eqn in jaxpr.eqns:
        if any(type(v) is core.Var and v in depends for v in eqn.invars):
            depends.update(eqn.outvars)
    return [type(v) is core.Var and v in depends for v in jaxpr.outvars]


def _add_jaxvals_batcher(args, dims):
    """Summing tangents of one example with a batch of them: both get the batch axis, in one place."""
    (x, y), (dx, dy) = args, dims
    if dx == dy:
        return add_jaxvals(x, y), dx
    size = axis_size_of(args, dims)
    d = dx if dy is not_mapped else dy
    return add_jaxvals(match_axis(x, dx, d, size), match_axis(y, dy, d, size)), d


primitive_batchers[add_jaxvals_p] = _add_jaxvals_batcher


def axis_size_of(args, dims):
    for x, d in zip(args, dims):
        if d is not not_mapped:
            return get_aval(x).shape[d]
    raise ValueError("no batched argument")
