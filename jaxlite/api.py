"""The transformations as users call them: jvp, vjp, grad, jacobians, vmap, make_jaxpr.

Mirrors jax/_src/api.py. Each wrapper flattens pytrees of arguments to flat lists of arrays, runs
the flat transformation from jaxlite.interpreters, and rebuilds the output pytrees.
"""
import functools

import numpy as np

from jaxlite import core, dtypes, tree_util
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters import partial_eval as pe
from jaxlite.interpreters.ad import Zero


# ----------------------------------------------------------------------------------------------
# Flattening helpers

def _as_array(x):
    """Leaves handed to a transformation become arrays (Python scalars stay weakly typed)."""
    if isinstance(x, (ArrayImpl, core.Tracer)):
        return x
    if isinstance(x, (bool, int, float, complex)):
        dtype, weak = dtypes.dtype_and_weak(x)
        return ArrayImpl(np.asarray(x, dtype), weak)
    if isinstance(x, (np.ndarray, np.generic)):
        return ArrayImpl(np.asarray(x, dtypes.canonicalize_dtype(x.dtype)), False)
    raise TypeError(f"Argument '{x!r}' of type {type(x)} is not a valid JAX type.")


def flatten_fun(fun, in_tree, out_store):
    """A function of flat leaves that calls `fun` on pytrees and records the output's treedef."""
    def flat_fun(*leaves):
        args, kwargs = tree_util.tree_unflatten(in_tree, leaves)
        out = fun(*args, **kwargs)
        out_leaves, out_tree = tree_util.tree_flatten(out)
        out_store.append(out_tree)
        return [_check_output(x) for x in out_leaves]
    return flat_fun


def _check_output(x):
    if isinstance(x, (ArrayImpl, core.Tracer, bool, int, float, complex, np.ndarray, np.generic)):
        return x
    raise TypeError(f"Value {x!r} of type {type(x)} is not a valid JAX type: a transformed function "
                    "must return arrays (or pytrees of arrays).")


def _argnums_tuple(argnums, nargs, name="argnums"):
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    for n in nums:
        if not -nargs <= n < nargs:
            raise TypeError(f"differentiating with respect to {name}={argnums} requires at least "
                            f"{max(nums) + 1} positional arguments to be passed by the caller, but "
                            f"got only {nargs} positional arguments.")
    return single, tuple(n % nargs for n in nums)


# ----------------------------------------------------------------------------------------------
# Forward mode

def jvp(fun, primals, tangents, has_aux=False):
    """Evaluate `fun` at `primals` and push `tangents` forward: returns (out, tangent_out)."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("primal and tangent arguments to jax.jvp must be tuples or lists; found "
                        f"{type(primals).__name__} and {type(tangents).__name__}.")
    if len(primals) != len(tangents):
        raise ValueError("jvp called with different primal and tangent lengths: "
                         f"{len(primals)} and {len(tangents)}")
    p_leaves, p_tree = tree_util.tree_flatten(tuple(primals))
    t_leaves, t_tree = tree_util.tree_flatten(tuple(tangents))
    if p_tree != t_tree:
        raise TypeError(f"primal and tangent arguments to jax.jvp must have the same tree structure; "
                        f"primals have tree structure {p_tree} whereas tangents have tree structure {t_tree}.")
    p_leaves = [_as_array(p) for p in p_leaves]
    t_leaves = [_as_array(t) for t in t_leaves]
    for p, t in zip(p_leaves, t_leaves):
        p_aval, t_aval = get_aval(p), get_aval(t)
        if p_aval.shape != t_aval.shape:
            raise ValueError("jvp called with different primal and tangent shapes;Got primal shape "
                             f"{p_aval.shape} and tangent shape as {t_aval.shape}")
        expected = ad.tangent_aval(p_aval).dtype
        if t_aval.dtype != expected:
            raise TypeError("primal and tangent arguments to jax.jvp do not match; dtypes must be equal, "
                            f"or in case of int/bool primal dtype the tangent dtype must be float0."
                            f"Got primal dtype {p_aval.dtype} and so expected tangent dtype {expected}, "
                            f"but got tangent dtype {t_aval.dtype} instead.")
    store = []
    in_tree = tree_util.tree_structure((tuple(primals), {}))
    flat = flatten_fun(lambda *a: fun(*a), in_tree, store)
    outs_p, outs_t = ad.jvp_flat(flat, p_leaves, t_leaves)
    out_tree = store[0]
    outs_t = [ad.instantiate_zeros(t) for t in outs_t]
    if has_aux:
        (out_p, aux), (out_t, _) = (tree_util.tree_unflatten(out_tree, outs_p),
                                    tree_util.tree_unflatten(out_tree, outs_t))
        return out_p, out_t, aux
    return tree_util.tree_unflatten(out_tree, outs_p), tree_util.tree_unflatten(out_tree, outs_t)


def linearize(fun, *primals, has_aux=False):
    """Evaluate `fun` at `primals` and return (out, f_jvp), where f_jvp applies the linear map
    (recorded once as a jaxpr) to new tangents without re-running `fun`."""
    p_leaves, in_tree = tree_util.tree_flatten((primals, {}))
    p_leaves = [_as_array(p) for p in p_leaves]
    store = []
    flat = flatten_fun(fun, in_tree, store)
    out_p, jaxpr, consts = ad.linearize_flat(flat, p_leaves)
    out_tree = store[0]
    primal_tree = tree_util.tree_structure(primals)

    def f_jvp(*tangents):
        t_leaves, t_tree = tree_util.tree_flatten(tangents)
        if t_tree != primal_tree:
            raise ValueError(f"linearized function called on tangent values inconsistent with the "
                             f"original primal values: got tree {t_tree}, expected {primal_tree}")
        outs = core.eval_jaxpr(jaxpr, consts, *[_as_array(t) for t in t_leaves])
        outs = tree_util.tree_unflatten(out_tree, outs)
        return outs[0] if has_aux else outs

    outs = tree_util.tree_unflatten(out_tree, out_p)
    if has_aux:
        out, aux = outs
        return out, f_jvp, aux
    return outs, f_jvp


# ----------------------------------------------------------------------------------------------
# Reverse mode

def vjp(fun, *primals, has_aux=False):
    """Evaluate `fun` at `primals`; return (out, vjp_fun), vjp_fun pulling a cotangent of the
    output back to one cotangent per primal. vjp = linearize, then transpose the linear jaxpr."""
    p_leaves, in_tree = tree_util.tree_flatten((primals, {}))
    p_leaves = [_as_array(p) for p in p_leaves]
    store = []
    flat = flatten_fun(fun, in_tree, store)
    out_p, jaxpr, consts = ad.linearize_flat(flat, p_leaves)
    out_tree = store[0]
    if has_aux:
        out_tree, aux_tree = out_tree.children()
        n_out = out_tree.num_leaves
        out_p, aux_leaves = out_p[:n_out], out_p[n_out:]
        jaxpr = core.Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.outvars[:n_out], jaxpr.eqns)
    primal_tree = tree_util.tree_structure(tuple(primals))
    out_avals = [get_aval(x) for x in out_p]

    def vjp_fun(ct):
        ct_leaves, ct_tree = tree_util.tree_flatten(ct)
        if ct_tree != out_tree:
            raise ValueError(f"unexpected tree structure of argument to vjp function: got {ct_tree}, "
                             f"but expected to match {out_tree}")
        for c, aval in zip(ct_leaves, out_avals):
            c_aval = get_aval(_as_array(c))
            if c_aval.shape != aval.shape:
                raise ValueError(f"unexpected JAX type (e.g. shape/dtype) for argument to vjp function: "
                                 f"got {c_aval.str_short()}, but expected {aval.str_short()} because the "
                                 f"corresponding output of the function had JAX type {aval.str_short()}")
        cts = ad.backward_pass(jaxpr, consts, [_as_array(c) for c in ct_leaves])
        cts = [_zeros_for(ct, p) for ct, p in zip(cts, p_leaves)]
        return tree_util.tree_unflatten(primal_tree, cts)

    out = tree_util.tree_unflatten(out_tree, out_p)
    if has_aux:
        return out, vjp_fun, tree_util.tree_unflatten(aux_tree, aux_leaves)
    return out, vjp_fun


def _zeros_for(ct, primal):
    if type(ct) is Zero:
        aval = ad.tangent_aval(get_aval(primal))
        return ad.instantiate_zeros(Zero(aval))
    return ct


def _check_grad_input(x, allow_int, holomorphic):
    dtype = get_aval(x).dtype
    if holomorphic:
        if dtype.kind != "c":
            raise TypeError(f"grad with holomorphic=True requires inputs with complex dtype, but got "
                            f"{dtype.name}.")
        return
    if dtype.kind not in "fc" and not allow_int:
        raise TypeError("grad requires real- or complex-valued inputs (input dtype that is a sub-dtype "
                        f"of np.inexact), but got {dtype.name}. If you want to use Boolean- or "
                        "integer-valued inputs, use vjp or set allow_int to True.")


def _check_scalar_output(x, holomorphic):
    aval = get_aval(x)
    if aval.shape != ():
        raise TypeError(f"Gradient only defined for scalar-output functions. Output had shape: "
                        f"{aval.shape}.")
    if holomorphic:
        if aval.dtype.kind != "c":
            raise TypeError(f"grad with holomorphic=True requires outputs with complex dtype, but got "
                            f"{aval.dtype.name}.")
    elif aval.dtype.kind == "c":
        raise TypeError("grad requires real-valued outputs (output dtype that is a sub-dtype of "
                        f"np.floating), but got {aval.dtype.name}. For holomorphic differentiation, "
                        "pass holomorphic=True. For differentiation of non-holomorphic functions "
                        "involving complex outputs, use jax.vjp directly.")
    elif aval.dtype.kind != "f":
        raise TypeError("grad requires real-valued outputs (output dtype that is a sub-dtype of "
                        f"np.floating), but got {aval.dtype.name}. For holomorphic differentiation, "
                        "pass holomorphic=True. For differentiation of non-holomorphic functions "
                        "involving complex outputs, or function with integer outputs, use jax.vjp "
                        "directly.")


def value_and_grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """A function returning both fun's value and its gradient with respect to `argnums`."""
    if not callable(fun):
        raise TypeError(f"Expected a callable value, got {fun!r}")

    @functools.wraps(fun)
    def value_and_grad_f(*args, **kwargs):
        single, nums = _argnums_tuple(argnums, len(args))
        diff_args = tuple(args[i] for i in nums)
        for leaf in tree_util.tree_leaves(diff_args):
            _check_grad_input(_as_array(leaf), allow_int, holomorphic)

        def partial_fun(*diff):
            full = list(args)
            for i, d in zip(nums, diff):
                full[i] = d
            return fun(*full, **kwargs)

        if has_aux:
            out, vjp_fun, aux = vjp(partial_fun, *diff_args, has_aux=True)
        else:
            out, vjp_fun = vjp(partial_fun, *diff_args)
        _check_scalar_output(out, holomorphic)
        one = ArrayImpl(np.ones((), get_aval(out).dtype), False)
        grads = vjp_fun(one)
        g = grads[0] if single else grads
        if has_aux:
            return (out, aux), g
        return out, g

    return value_and_grad_f


def grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """The gradient of a scalar-valued function, as a function: grad(f)(x) is df/dx at x."""
    vg = value_and_grad(fun, argnums, has_aux, holomorphic, allow_int)

    @functools.wraps(fun)
    def grad_f(*args, **kwargs):
        if has_aux:
            (_, aux), g = vg(*args, **kwargs)
            return g, aux
        _, g = vg(*args, **kwargs)
        return g

    return grad_f


# ----------------------------------------------------------------------------------------------
# Jacobians: vmap of jvp over basis vectors (columns), or vmap of vjp (rows)

def _std_basis(leaves):
    """The identity matrix laid out as a stack of tangents, one per input coordinate."""
    sizes = [get_aval(x).size for x in leaves]
    total = sum(sizes)
    dtype = dtypes.result_type(*[get_aval(x).dtype for x in leaves]) if leaves else np.float32
    eye = np.eye(total, dtype=dtype)
    out, start = [], 0
    for x, size in zip(leaves, sizes):
        block = eye[:, start:start + size].reshape((total,) + get_aval(x).shape)
        out.append(ArrayImpl(block.astype(get_aval(x).dtype), False))
        start += size
    return out


def _split_jac(flat, in_leaves, out_shape_leading=True):
    """Split a stacked Jacobian block (basis axis last or first) into one block per input leaf."""
    from jaxlite import numpy as jnp
    out, start = [], 0
    for x in in_leaves:
        size = get_aval(x).size
        shape = get_aval(x).shape
        out.append((start, size, shape))
        start += size
    return out


def jacfwd(fun, argnums=0, has_aux=False, holomorphic=False):
    """Jacobian by forward mode: one jvp per input coordinate, batched with vmap."""
    from jaxlite import numpy as jnp

    def jacfun(*args, **kwargs):
        single, nums = _argnums_tuple(argnums, len(args))
        diff_args = tuple(args[i] for i in nums)

        def partial_fun(*diff):
            full = list(args)
            for i, d in zip(nums, diff):
                full[i] = d
            return fun(*full, **kwargs)

        in_leaves, in_tree = tree_util.tree_flatten(diff_args)
        in_leaves = [_as_array(x) for x in in_leaves]
        for x in in_leaves:
            _check_jac_input(x, holomorphic, "jacfwd")
        basis = _std_basis(in_leaves)

        def push(*t_leaves):
            tangents = tree_util.tree_unflatten(in_tree, t_leaves)
            primals = tree_util.tree_unflatten(in_tree, in_leaves)
            if has_aux:
                y, t, aux = jvp(partial_fun, primals, tangents, has_aux=True)
                return y, t, aux
            y, t = jvp(partial_fun, primals, tangents)
            return y, t

        outs = vmap(push, in_axes=0, out_axes=-1)(*basis)
        y, t = outs[0], outs[1]
        y = tree_util.tree_map(lambda a: a[..., 0], y)
        pieces = _pieces(in_leaves)

        def unstack(tangent_stack):
            blocks = [jnp.reshape(tangent_stack[..., s:s + n], tangent_stack.shape[:-1] + shape)
                      for s, n, shape in pieces]
            tree = tree_util.tree_unflatten(in_tree, blocks)
            return tree[0] if single else tree

        jac = tree_util.tree_map(unstack, t)
        if has_aux:
            aux = tree_util.tree_map(lambda a: a[..., 0], outs[2])
            return jac, aux
        return jac

    return jacfun


def _pieces(leaves):
    out, start = [], 0
    for x in leaves:
        aval = get_aval(x)
        out.append((start, aval.size, aval.shape))
        start += aval.size
    return out


def _check_jac_input(x, holomorphic, name):
    dtype = get_aval(x).dtype
    if holomorphic and dtype.kind != "c":
        raise TypeError(f"{name} with holomorphic=True requires inputs with complex dtype, but got "
                        f"{dtype.name}.")
    if not holomorphic and dtype.kind not in "fc":
        raise TypeError(f"{name} requires real-valued inputs (input dtype that is a sub-dtype of "
                        f"np.floating), but got {dtype.name}. For holomorphic differentiation, pass "
                        "holomorphic=True. For differentiation of non-holomorphic functions involving "
                        f"complex inputs or integer inputs, use jax.jvp directly.")


def jacrev(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """Jacobian by reverse mode: one vjp per output coordinate, batched with vmap."""
    from jaxlite import numpy as jnp

    def jacfun(*args, **kwargs):
        single, nums = _argnums_tuple(argnums, len(args))
        diff_args = tuple(args[i] for i in nums)

        def partial_fun(*diff):
            full = list(args)
            for i, d in zip(nums, diff):
                full[i] = d
            return fun(*full, **kwargs)

        for leaf in tree_util.tree_leaves(diff_args):
            if not allow_int:
                _check_jac_input(_as_array(leaf), holomorphic, "jacrev")
        if has_aux:
            y, pullback, aux = vjp(partial_fun, *diff_args, has_aux=True)
        else:
            y, pullback = vjp(partial_fun, *diff_args)
        out_leaves, out_tree = tree_util.tree_flatten(y)
        basis = _std_basis(out_leaves)
        cts = vmap(lambda *c: pullback(tree_util.tree_unflatten(out_tree, c)))(*basis)
        # cts: per diff arg, per input leaf, stacked over all output coordinates (axis 0).
        in_leaves, in_tree = tree_util.tree_flatten(cts)
        pieces = _pieces([_as_array(x) for x in out_leaves])

        def per_output(stack):
            rest = stack.shape[1:]
            return [jnp.reshape(stack[s:s + n], shape + rest) for s, n, shape in pieces]

        split = [per_output(leaf) for leaf in in_leaves]  # [in_leaf][out_leaf]
        jac_per_out = []
        for k in range(len(out_leaves)):
            tree = tree_util.tree_unflatten(in_tree, [split[i][k] for i in range(len(in_leaves))])
            jac_per_out.append(tree[0] if single else tree)
        jac = tree_util.tree_unflatten(out_tree, jac_per_out)
        if has_aux:
            return jac, aux
        return jac

    return jacfun


jacobian = jacrev


def hessian(fun, argnums=0, has_aux=False, holomorphic=False):
    """Second derivatives: forward over reverse, jacfwd(jacrev(f))."""
    return jacfwd(jacrev(fun, argnums, has_aux=has_aux, holomorphic=holomorphic), argnums,
                  has_aux=has_aux, holomorphic=holomorphic)


# ----------------------------------------------------------------------------------------------
# vmap

def _flatten_axes(what, tree, axes):
    """Broadcast an in_axes/out_axes prefix over the leaves of `tree`."""
    try:
        expanded = tree_util.tree_map(lambda ax, sub: _Repeat(ax, len(tree_util.tree_leaves(sub))),
                                      axes, tree, is_leaf=lambda x: x is None)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{what} specification must be a tree prefix of the corresponding value, got "
                         f"specification {axes} for value tree {tree_util.tree_structure(tree)}.") from err
    flat = []
    for rep in tree_util.tree_leaves(expanded, is_leaf=lambda x: isinstance(x, _Repeat)):
        flat.extend([rep.axis] * rep.count)
    return flat


class _Repeat:
    __slots__ = ("axis", "count")

    def __init__(self, axis, count):
        self.axis = axis
        self.count = count


def vmap(fun, in_axes=0, out_axes=0, axis_name=None, axis_size=None, spmd_axis_name=None):
    """Vectorise `fun` over a new leading axis (or the axes `in_axes` names)."""
    if not callable(fun):
        raise TypeError(f"vmap requires a callable, got {fun!r}")
    if isinstance(in_axes, list) and not all(isinstance(a, int) or a is None for a in in_axes):
        pass
    if not (in_axes is None or isinstance(in_axes, (int, tuple, list, dict)) or
            tree_util.all_leaves([in_axes]) is False):
        raise TypeError(f"vmap in_axes must be an int, None, or a tuple of entries corresponding to "
                        f"the positional arguments passed to the function, but got {in_axes}.")

    @functools.wraps(fun)
    def vmap_f(*args, **kwargs):
        if isinstance(in_axes, tuple) and len(in_axes) != len(args):
            raise ValueError(f"vmap in_axes must be an int, None, or a tuple of entries corresponding "
                             f"to the positional arguments passed to the function, but got "
                             f"len(in_axes)={len(in_axes)}, len(args)={len(args)}")
        leaves, in_tree = tree_util.tree_flatten((args, kwargs))
        leaves = [_as_array(x) for x in leaves]
        axes_prefix = (in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args), 0)
        flat_axes = _flatten_axes("vmap in_axes", (args, kwargs), axes_prefix)
        dims = []
        for x, ax in zip(leaves, flat_axes):
            if ax is None:
                dims.append(None)
                continue
            ndim = get_aval(x).ndim
            if not -ndim <= ax < ndim:
                raise ValueError(f"vmap was requested to map its argument along axis {ax}, which "
                                 f"implies that its rank should be at least {ax + 1 if ax >= 0 else -ax}, "
                                 f"but is only {ndim} (its shape is {get_aval(x).shape})")
            dims.append(ax % ndim)
        size = _mapped_axis_size(fun, leaves, dims, axis_size, in_tree, args)
        store = []
        flat = flatten_fun(fun, in_tree, store)
        out_dims = []

        def flat_with_axes(*xs):
            outs = flat(*xs)
            out_dims.extend(_flatten_axes("vmap out_axes",
                                          tree_util.tree_unflatten(store[0], outs), out_axes))
            return outs

        trace = batching.BatchTrace(core.current_trace(), size, axis_name)
        tracers = [x if d is None else batching.BatchTracer(trace, x, d) for x, d in zip(leaves, dims)]
        try:
            with core.set_current_trace(trace):
                outs = flat_with_axes(*tracers)
            infos = [trace.to_batch_info(o) for o in outs]
        finally:
            trace.invalidate()
        results = []
        for (v, d), od in zip(infos, out_dims):
            if od is not None:
                nd = get_aval(v).ndim + (d is None)
                if not -nd <= od < nd:
                    raise ValueError(f"vmap out_axes specification {od} is out of bounds for an output "
                                     f"of rank {nd - 1}")
            if od is None and d is not None:
                raise ValueError("vmap has mapped output but out_axes is None")
            results.append(batching.move_out(_as_array(v), d, od, size))
        return tree_util.tree_unflatten(store[0], results)

    return vmap_f


def _mapped_axis_size(fun, leaves, dims, axis_size, in_tree, args):
    sizes = {get_aval(x).shape[d] for x, d in zip(leaves, dims) if d is not None}
    if not sizes:
        if axis_size is None:
            raise ValueError("vmap must have at least one non-None value in in_axes")
        return axis_size
    if axis_size is not None:
        sizes.add(axis_size)
    if len(sizes) == 1:
        return sizes.pop()
    names = pe.signature_arg_names(fun, args, {})
    lines = []
    for i, (x, d) in enumerate(zip(leaves, dims)):
        if d is None:
            continue
        aval = get_aval(x)
        name = names[i] if i < len(names) else f"args[{i}]"
        lines.append(f"  * one axis had size {aval.shape[d]}: axis {d} of argument {name} of type "
                     f"{aval.dtype.name}{list(aval.shape)};".replace(", ", ","))
    msg = "vmap got inconsistent sizes for array axes to be mapped:\n" + "\n".join(lines)
    raise ValueError(msg)


# ----------------------------------------------------------------------------------------------
# make_jaxpr

def make_jaxpr(fun, static_argnums=(), return_shape=False):
    """A function that traces `fun` on abstract versions of its arguments and returns the jaxpr."""
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)

    @functools.wraps(fun)
    def make_jaxpr_f(*args, **kwargs):
        static = set(i % len(args) for i in static_argnums) if args else set()
        dyn_args = tuple(a for i, a in enumerate(args) if i not in static)

        def with_static(*dyn, **kw):
            it = iter(dyn)
            full = [args[i] if i in static else next(it) for i in range(len(args))]
            return fun(*full, **kw)

        leaves, in_tree = tree_util.tree_flatten((dyn_args, kwargs))
        leaves = [_as_array(x) for x in leaves]
        store = []
        flat = flatten_fun(with_static, in_tree, store)
        names = pe.signature_arg_names(fun, args, kwargs)
        debug = pe.DebugInfo("make_jaxpr", fun, names)
        closed, outs = pe.trace_to_jaxpr(flat, [get_aval(x) for x in leaves], debug)
        if return_shape:
            shapes = [ShapeDtypeStruct(a.shape, a.dtype) for a in closed.out_avals]
            return closed, tree_util.tree_unflatten(store[0], shapes)
        return closed

    return make_jaxpr_f


class ShapeDtypeStruct:
    """A shape and dtype without data, as `jax.ShapeDtypeStruct`."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: int(np.prod(self.shape)))

    def __repr__(self):
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name})"

    def __eq__(self, other):
        return (isinstance(other, ShapeDtypeStruct) and self.shape == other.shape
                and self.dtype == other.dtype)

    def __hash__(self):
        return hash((self.shape, self.dtype))


def eval_shape(fun, *args, **kwargs):
    closed, shapes = make_jaxpr(fun, return_shape=True)(*args, **kwargs)
    return shapes


# ----------------------------------------------------------------------------------------------
# Small utilities of the jax namespace

def device_put(x, device=None):
    return tree_util.tree_map(_as_array, x)


def device_get(x):
    return tree_util.tree_map(lambda a: np.asarray(a) if isinstance(a, ArrayImpl) else a, x)


def block_until_ready(x):
    """jaxlite computes eagerly with NumPy; kept so benchmark code written for JAX runs unchanged."""
    return x


def devices():
    return ["cpu:0 (NumPy)"]


def default_backend():
    return "cpu"
