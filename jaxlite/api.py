"""The transformations as users call them: jvp, linearize, vjp, grad, jacobians, vmap, make_jaxpr.

Mirrors jax/_src/api.py. Each wrapper flattens pytrees of arguments to flat lists of arrays, runs
the flat transformation from jaxlite.interpreters, and rebuilds the output pytrees.
"""
import functools
import inspect

import numpy as np

from jaxlite import api_util, core, dtypes, tree_util, xla_bridge
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.errors import with_hint, without_hint
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters import partial_eval as pe
from jaxlite.interpreters.ad import Zero


# ----------------------------------------------------------------------------------------------
# Arguments and outputs

def _check_callable(fun):
    if not callable(fun):
        raise TypeError(with_hint(f"Expected a callable value, got {fun}",
                                  "pass the function itself, as in jax.grad(f), not the value of a call, "
                                  "as in jax.grad(f(x))."))


def _checked_batched_leaves(out, out_leaves):
    return api_util.checked_outputs(out, out_leaves, "vmapped")


def _flatten(fun, in_tree, has_aux=False, split_aux=None):
    """`fun` of the positional pytrees in `in_tree` as a function of flat leaves, its outputs
    checked; with `has_aux` it returns (out_leaves, aux_leaves). Returns (flat_fun, out_tree)."""
    if has_aux:
        return api_util.flatten_fun_nokwargs2(fun, in_tree, split_aux or _split_aux, api_util.checked_outputs)
    return api_util.flatten_fun_nokwargs(fun, in_tree, api_util.checked_outputs)


def _split_aux(out):
    """(output, aux): a pair, as a tuple or (as JAX also accepts) a list."""
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(with_hint("expected function with aux output to return a two-element tuple, but got "
                                  f"type {type(out)} with value {out!r}", _AUX_HINT))
    return out


_AUX_HINT = "with has_aux=True the function returns a pair: return value, aux (the value to differentiate first)."


def _unpack_aux(out):
    """(output, aux) unpacked as Python unpacks a pair (jvp's way), so a wrong shape gets Python's error."""
    try:
        value, aux = out
    except (TypeError, ValueError) as err:
        raise type(err)(with_hint(without_hint(str(err)), _AUX_HINT)) from None
    return value, aux


def _argnums_partial(fun, argnums, args, kwargs):
    """`fun` as a function of the positional arguments at `argnums` only, and those arguments."""
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums or not all(isinstance(i, int) for i in nums):
        raise TypeError(with_hint(f"argnums must be an int or a non-empty sequence of ints, got {argnums}.",
            "argnums is the position of the argument to differentiate (argnums=0) or a tuple of positions, e.g. "
            "argnums=(0, 1)."))
    if max(nums) >= len(args):
        raise TypeError(with_hint(
            f"differentiating with respect to {argnums=} requires at least "
            f"{max(nums) + 1} positional arguments to be passed by the caller, but "
            f"got only {len(args)} positional arguments.",
            f"argnums counts positional arguments from 0; this call passes {len(args)}, so argnums "
            f"can be 0 to {len(args) - 1} (arguments passed by keyword cannot be differentiated)."
            if args else "argnums counts positional arguments from 0, and this call passes none: pass "
            "the arguments to differentiate positionally."))
    dyn_args = tuple(args[i] for i in nums)

    def f_partial(*dyn):
        full = list(args)
        for i, d in zip(nums, dyn):
            full[i] = d
        return fun(*full, **kwargs)

    return f_partial, dyn_args


def _fun_name(fun):
    return getattr(fun, "__name__", type(fun).__name__)


# ----------------------------------------------------------------------------------------------
# Forward mode

def jvp(fun, primals, tangents, has_aux=False):
    """Evaluate `fun` at `primals` and push `tangents` forward: returns (out, tangent_out)
    (and aux with `has_aux`)."""
    _check_callable(fun)
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(with_hint("primal and tangent arguments to jax.jvp must be tuples or lists; found "
                                  f"{type(primals).__name__} and {type(tangents).__name__}.",
                                  "wrap them in tuples, one entry per argument of the function: "
                                  "jax.jvp(f, (x,), (v,))."))
    p_leaves, p_tree = tree_util.tree_flatten(primals)
    t_leaves, t_tree = tree_util.tree_flatten(tangents)
    if p_tree != t_tree:
        raise TypeError(with_hint("primal and tangent arguments to jax.jvp must have the same tree structure; "
                                  f"primals have tree structure {p_tree} whereas tangents have tree "
                                  f"structure {t_tree}.",
                                  "give one tangent per primal, in the same kind of container (a tuple for "
                                  "a tuple), each shaped like its primal."))
    p_leaves = [api_util.check_arg(p) for p in p_leaves]
    t_leaves = [api_util.check_arg(t) for t in t_leaves]
    for p, t in zip(p_leaves, t_leaves):
        _check_tangent(get_aval(p), get_aval(t))
    flat, out_tree = _flatten(fun, tree_util.tree_structure(tuple(primals)), has_aux, _unpack_aux)
    outs_p, outs_t, *aux = ad.jvp_flat(flat, p_leaves, t_leaves, has_aux)
    outs_t = [ad.instantiate_zeros(t) for t in outs_t]
    if has_aux:
        out_tree, aux_tree = out_tree()
        return (tree_util.tree_unflatten(out_tree, outs_p), tree_util.tree_unflatten(out_tree, outs_t),
                tree_util.tree_unflatten(aux_tree, aux[0]))
    return tree_util.tree_unflatten(out_tree(), outs_p), tree_util.tree_unflatten(out_tree(), outs_t)


def _check_tangent(p_aval, t_aval):
    expected = ad.tangent_aval(p_aval).dtype
    if t_aval.dtype != expected:
        raise TypeError(with_hint(
            "primal and tangent arguments to jax.jvp do not match; dtypes must be equal, "
            "or in case of int/bool primal dtype the tangent dtype must be float0."
            f"Got primal dtype {p_aval.dtype} and so expected tangent dtype {expected}, "
            f"but got tangent dtype {t_aval.dtype} instead.",
            f"give the tangent the primal's dtype, e.g. v.astype(jnp.{p_aval.dtype.name})."
            if expected != dtypes.float0 else
            "an integer primal has no tangent space: pass a float primal (x.astype(float)), or a "
            "float0 tangent, np.zeros(x.shape, dtype=jax.dtypes.float0)."))
    if p_aval.shape != t_aval.shape:
        raise ValueError(with_hint("jvp called with different primal and tangent shapes;Got primal shape "
                                   f"{p_aval.shape} and tangent shape as {t_aval.shape}",
                                   "a tangent is a direction at the primal point: give it the primal's "
                                   f"shape {p_aval.shape}, e.g. jnp.ones_like(x)."))


def _linearize_tree(fun, primals, has_aux):
    """linearize on pytrees: the primal outputs and the linear jaxpr that both `linearize` and
    `vjp` start from (vjp then transposes it)."""
    _check_callable(fun)
    p_leaves, p_tree = tree_util.tree_flatten(primals)
    p_leaves = [api_util.as_array(p) for p in p_leaves]
    flat, out_trees = _flatten(fun, p_tree, has_aux)
    out_p, jaxpr, consts, *aux = ad.linearize_flat(flat, p_leaves, has_aux)
    out_tree, aux_tree = out_trees() if has_aux else (out_trees(), None)
    return p_leaves, p_tree, out_p, jaxpr, consts, out_tree, aux_tree, aux


def linearize(fun, *primals, has_aux=False):
    """Evaluate `fun` at `primals` and return (out, f_jvp): f_jvp applies the linear map, recorded
    once as a jaxpr of tangent equations, to new tangents without re-running `fun`."""
    p_leaves, p_tree, out_p, jaxpr, consts, out_tree, aux_tree, aux = _linearize_tree(
        fun, primals, has_aux)
    p_avals = [get_aval(p) for p in p_leaves]

    def f_jvp(*tangents):
        t_leaves, t_tree = tree_util.tree_flatten(tangents)
        if t_tree != p_tree:
            raise TypeError(with_hint(f"expected {p_tree}, got {t_tree}",
                                      "call the linearized function with one tangent per primal "
                                      "argument of linearize, as separate arguments."))
        t_leaves = [api_util.as_array(t) for t in t_leaves]
        for p_aval, t in zip(p_avals, t_leaves):
            expected, t_aval = ad.tangent_aval(p_aval), get_aval(t)
            if (expected.shape, expected.dtype) != (t_aval.shape, t_aval.dtype):
                raise ValueError(with_hint(
                    "linearized function called on tangent values inconsistent with "
                    f"the original primal values:\nGot tangent aval {t_aval.str_short(short_dtypes=False)} "
                    f"for primal aval {p_aval.str_short(short_dtypes=False)} "
                    f"but expected {expected.str_short(short_dtypes=False)}.",
                    f"each tangent must have its primal's shape and dtype, here {expected.str_short()}."))
        return tree_util.tree_unflatten(out_tree, core.eval_jaxpr(jaxpr, consts, *t_leaves))

    out = tree_util.tree_unflatten(out_tree, out_p)
    if has_aux:
        return out, f_jvp, tree_util.tree_unflatten(aux_tree, _inputs_as_given(aux[0], primals, p_leaves))
    return out, f_jvp


# ----------------------------------------------------------------------------------------------
# Reverse mode

def vjp(fun, *primals, has_aux=False):
    """Evaluate `fun` at `primals`; return (out, vjp_fun), vjp_fun pulling a cotangent of the
    output back to a tuple with one cotangent per primal. vjp = linearize, then transpose."""
    p_leaves, p_tree, out_p, jaxpr, consts, out_tree, aux_tree, aux = _linearize_tree(
        fun, primals, has_aux)
    out_avals = [get_aval(x) for x in out_p]

    def vjp_fun(*args):
        if len(args) != 1:
            raise TypeError(with_hint(
                f"The function returned by `jax.vjp` applied to {_fun_name(fun)} was "
                f"called with {len(args)} arguments, but functions returned by `jax.vjp` "
                "must be called with a single argument corresponding to the single value "
                "returned by the function being differentiated (even if that returned "
                "value is a tuple or other container).",
                "pass one cotangent shaped like the function's output; for a tuple output, pass "
                "one tuple: f_vjp((ct1, ct2))."))
        ct_leaves, ct_tree = tree_util.tree_flatten(args[0])
        if ct_tree != out_tree:
            raise ValueError(with_hint(
                "unexpected tree structure.\n\nThe argument to a VJP function returned by "
                "`jax.vjp` must match the pytree structure of the differentiated function "
                f"{_fun_name(fun)}.\n\nBut the tree structures differ: the function "
                f"returned {out_tree}, the cotangent has {ct_tree}.",
                "build the cotangent like the output, e.g. jax.tree_util.tree_map(jnp.ones_like, y) "
                "for the y that jax.vjp returned."))
        cts = [_check_cotangent(api_util.as_array(c), aval) for c, aval in zip(ct_leaves, out_avals)]
        cts_in = ad.backward_pass(jaxpr, consts, cts)
        cts_in = [ad.instantiate_zeros(Zero(ad.tangent_aval(get_aval(p)))) if type(ct) is Zero else ct
                  for ct, p in zip(cts_in, p_leaves)]
        return tree_util.tree_unflatten(p_tree, cts_in)

    out = tree_util.tree_unflatten(out_tree, out_p)
    if has_aux:
        return out, vjp_fun, tree_util.tree_unflatten(aux_tree, _typed_inputs(aux[0], primals, p_leaves))
    return out, vjp_fun


def _inputs_as_given(aux, primals, p_leaves):
    """Auxiliary outputs that are inputs passed through come back as they were given (linearize)."""
    given = {id(p): x for x, p in zip(tree_util.tree_leaves(primals), p_leaves)}
    return [given.get(id(a), a) for a in aux]


def _typed_inputs(aux, primals, p_leaves):
    """Auxiliary outputs that are Python-number inputs passed through come back as numbers with
    the dtype they were traced with (`TypedFloat(3.0, dtype=float32)`), as in JAX."""
    from jaxlite.literals import typed_scalar
    typed = {id(p): typed_scalar(x, get_aval(p).dtype)
             for x, p in zip(tree_util.tree_leaves(primals), p_leaves) if type(x) in (int, float, complex)}
    return [typed.get(id(a), a) for a in aux]


def _check_cotangent(ct, out_aval):
    """The cotangent of an output has the output's tangent type; integer outputs take any
    cotangent (they have no tangent space) and contribute nothing."""
    expected = ad.tangent_aval(out_aval)
    if expected.dtype == dtypes.float0:
        return Zero(expected)
    ct_aval = get_aval(ct)
    if (ct_aval.shape, ct_aval.dtype) != (expected.shape, expected.dtype):
        raise ValueError(with_hint(
            "unexpected JAX type (e.g. shape/dtype) for argument to VJP function: got "
            f"{ct_aval.str_short(short_dtypes=False)}, but expected "
            f"{expected.str_short(short_dtypes=False)} because the "
            "corresponding output of the differentiated function had JAX type "
            f"{out_aval.str_short(short_dtypes=False)}",
            f"the cotangent must have the output's shape and dtype, {expected.str_short()}: "
            "e.g. jnp.ones_like(y) for the y that jax.vjp returned."))
    return ct


def _check_input_dtype_revderiv(name, holomorphic, allow_int, x):
    dtype = get_aval(api_util.as_array(x)).dtype
    if holomorphic and dtype.kind != "c":
        raise TypeError(with_hint(f"{name} with holomorphic=True requires inputs with complex dtype, but got "
                                  f"{dtype.name}.", _HOLOMORPHIC_INPUT_HINT))
    if (dtype.kind in "iub" or isinstance(dtype, core.ExtendedDType)) and not allow_int:
        raise TypeError(with_hint(
            f"{name} requires real- or complex-valued inputs (input dtype that is a sub-dtype of "
            f"np.inexact), but got {dtype.name}. If you want to use Boolean- or integer-valued "
            "inputs, use vjp or set allow_int to True.",
            "integers have no derivative; pass floats, e.g. 3.0 rather than 3, or x.astype(float)."))


_HOLOMORPHIC_INPUT_HINT = ("holomorphic=True differentiates complex functions of complex inputs: pass "
                           "complex values, e.g. x + 0j or x.astype(jnp.complex64).")
_HOLOMORPHIC_OUTPUT_HINT = ("holomorphic=True needs a complex output; for a real-valued function, drop "
                            "holomorphic=True.")


def _check_output_dtype_revderiv(name, holomorphic, x):
    dtype = get_aval(x).dtype
    if holomorphic:
        if dtype.kind != "c":
            raise TypeError(with_hint(f"{name} with holomorphic=True requires outputs with complex dtype, "
                                      f"but got {dtype.name}.", _HOLOMORPHIC_OUTPUT_HINT))
    elif dtype.kind == "c":
        raise TypeError(with_hint(
            f"{name} requires real-valued outputs (output dtype that is a sub-dtype of "
            f"np.floating), but got {dtype.name}. For holomorphic differentiation, pass "
            "holomorphic=True. For differentiation of non-holomorphic functions involving "
            "complex outputs, use jax.vjp directly.",
            "for a complex-differentiable function pass holomorphic=True (with complex inputs); "
            "otherwise differentiate a real value, such as jnp.abs(z) ** 2 or z.real."))
    elif dtypes.kind(dtype) != "f":
        raise TypeError(with_hint(
            f"{name} requires real-valued outputs (output dtype that is a sub-dtype of "
            f"np.floating), but got {dtype.name}. For differentiation of functions with "
            "integer outputs, use jax.vjp directly.",
            "an integer or boolean output (a cast with astype(int), argmax, a comparison) is piecewise "
            "constant: differentiate a float value computed before it."))


def _check_scalar(x):
    msg = "Gradient only defined for scalar-output functions. Output {}."
    if not core.valid_jaxtype(x):
        raise TypeError(with_hint(msg.format(f"was {x}"), _non_scalar_output_hint(x)))
    if get_aval(x).shape != ():
        raise TypeError(with_hint(
            msg.format(f"had shape: {get_aval(x).shape}"),
            "grad needs one number out; reduce the output (e.g. jnp.sum) or use jax.jacrev for "
            "the whole Jacobian."))


def _non_scalar_output_hint(out):
    if out is None:
        return "the function returned None: end it with `return` and the scalar to differentiate."
    if isinstance(out, (tuple, list)):
        return ("to return more than the scalar to differentiate, pass has_aux=True and return a pair "
                "(scalar, aux).")
    return ("grad needs one scalar out: reduce the output to one number, or use jax.jacrev for the "
            "derivative of every output.")


def _one_like(x):
    """The seed cotangent 1.0, with the output's dtype and weak type (as JAX's grad uses)."""
    aval = get_aval(x)
    return ArrayImpl(np.ones((), aval.dtype), aval.weak_type)


def value_and_grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """A function returning both fun's value and its gradient with respect to `argnums`."""
    _check_callable(fun)

    @functools.wraps(fun)
    def value_and_grad_f(*args, **kwargs):
        f_partial, dyn_args = _argnums_partial(fun, argnums, args, kwargs)
        for leaf in tree_util.tree_leaves(dyn_args):
            _check_input_dtype_revderiv("grad", holomorphic, allow_int, leaf)
        ans, vjp_fun, *aux = vjp(f_partial, *dyn_args, has_aux=has_aux)
        _check_scalar(ans)
        _check_output_dtype_revderiv("grad", holomorphic, ans)
        g = vjp_fun(_one_like(ans))
        g = g[0] if isinstance(argnums, int) else g
        return ((ans, aux[0]) if has_aux else ans), g

    return value_and_grad_f


def grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """The gradient of a scalar-valued function, as a function: grad(f)(x) is df/dx at x."""
    value_and_grad_f = value_and_grad(fun, argnums, has_aux, holomorphic, allow_int)

    @functools.wraps(fun)
    def grad_f(*args, **kwargs):
        value, g = value_and_grad_f(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return grad_f


def linear_transpose(fun, *primals, reduce_axes=()):
    """The transpose of a linear function: for f(x) = A x, a function computing A^T ct. `fun` is
    traced once, to a jaxpr, at `primals` (arrays or ShapeDtypeStructs: only their types matter),
    and the jaxpr is transposed as reverse mode transposes a linearized jaxpr."""
    if reduce_axes:
        raise NotImplementedError("reduce_axes argument to transpose is deprecated")
    leaves, in_tree = tree_util.tree_flatten(primals)
    in_avals = [core.ShapedArray(x.shape, x.dtype) if isinstance(x, ShapeDtypeStruct)
                else get_aval(api_util.as_array(x)) for x in leaves]
    flat, out_tree = _flatten(fun, in_tree)
    closed, _ = pe.trace_to_jaxpr(flat, in_avals)
    jaxpr = pe.dce_jaxpr(closed.jaxpr)
    out_avals = tuple(closed.out_avals)
    in_dtypes, out_dtypes = [a.dtype for a in in_avals], [a.dtype for a in out_avals]
    if not (all(d.kind in "fc" for d in in_dtypes + out_dtypes)
            or all(d.kind in "iu" for d in in_dtypes + out_dtypes)):
        raise TypeError(with_hint("linear_transpose only supports [float or complex] -> [float or complex], and "
                        f"integer -> integer functions, but got {in_dtypes} -> {out_dtypes}.",
            "transpose a function of floats to floats (or of integers to integers): cast the inputs first."))

    def transposed_fun(consts, out_cotangent):
        out_cts, ct_tree = tree_util.tree_flatten(out_cotangent)
        if ct_tree != out_tree():
            raise TypeError(with_hint("cotangent tree does not match function output, expected "
                            f"{out_tree()} but got {ct_tree}",
                "give the transposed function one cotangent shaped like the function's output, in the same "
                "structure."))
        if not all((a.shape, a.dtype) == (get_aval(api_util.as_array(ct)).shape, get_aval(api_util.as_array(ct)).dtype)
                   for a, ct in zip(out_avals, out_cts)):
            raise TypeError(with_hint(f"cotangent type does not match function output, expected {out_avals} "
                            f"but got {out_cts}",
                "each cotangent has its output's shape and dtype: build it with jnp.ones_like(y) or "
                "jnp.zeros_like(y)."))
        _check_linear(jaxpr)
        cts_in = ad.backward_pass(jaxpr, consts, out_cts)
        # As in JAX, a cotangent that went through an equation is an array; an input that is
        # itself an output hands back the cotangent it was given.
        cts_in = [ad.instantiate_zeros(Zero(a)) if type(ct) is Zero else
                  ct if v in direct_outputs else api_util.as_array(ct)
                  for ct, a, v in zip(cts_in, in_avals, jaxpr.invars)]
        return tree_util.tree_unflatten(in_tree, cts_in)

    direct_outputs = set(jaxpr.outvars)

    return tree_util.Partial(transposed_fun, closed.consts)


_BILINEAR = ("mul", "div", "dot_general", "conv_general_dilated")


def _check_linear(jaxpr):
    """A product of two values that both depend on the inputs is not linear: JAX's transpose rule
    fails an assertion there; say why."""
    linear = set(jaxpr.invars)
    for eqn in jaxpr.eqns:
        lin_in = [type(v) is core.Var and v in linear for v in eqn.invars]
        if any(lin_in):
            linear.update(eqn.outvars)
            if eqn.primitive.name in _BILINEAR and (all(lin_in) or eqn.primitive.name == "div" and lin_in[1]):
                raise AssertionError(with_hint(
                    f"linear_transpose: the function is not linear: {eqn.primitive.name} combines "
                    "two values that both depend on its inputs",
                    "linear_transpose needs f(a*x + b*y) == a*f(x) + b*f(y); use jax.vjp for "
                    "other functions."))


# ----------------------------------------------------------------------------------------------
# Jacobians: vmap of jvp over the standard basis (columns), or vmap of vjp (rows)

def jacfwd(fun, argnums=0, has_aux=False, holomorphic=False):
    """Jacobian by forward mode: one jvp per input coordinate, batched with vmap. Each leaf has
    shape out_leaf.shape + in_leaf.shape and the output leaf's dtype."""
    _check_callable(fun)

    @functools.wraps(fun)
    def jacfun(*args, **kwargs):
        f_partial, dyn_args = _argnums_partial(fun, argnums, args, kwargs)
        for leaf in tree_util.tree_leaves(dyn_args):
            _check_input_dtype_jacfwd(holomorphic, leaf)

        def pushfwd(basis):
            return jvp(f_partial, dyn_args, basis, has_aux=has_aux)

        out_axes = (None, -1, None) if has_aux else (None, -1)
        y, jac, *aux = vmap(pushfwd, out_axes=out_axes)(_std_basis(dyn_args))
        for leaf in tree_util.tree_leaves(y):
            _check_output_dtype_jacfwd(holomorphic, leaf)
        example_args = dyn_args[0] if isinstance(argnums, int) else dyn_args
        jac_tree = tree_util.tree_map(
            lambda y_leaf, j: _unravel_array_into_pytree(example_args, -1, y_leaf, j), y, jac)
        return (jac_tree, aux[0]) if has_aux else jac_tree

    return jacfun


def _check_input_dtype_jacfwd(holomorphic, x):
    dtype = get_aval(api_util.as_array(x)).dtype
    if holomorphic:
        if dtype.kind != "c":
            raise TypeError(with_hint("jacfwd with holomorphic=True requires inputs with complex dtype, but "
                                      f"got {dtype.name}.", _HOLOMORPHIC_INPUT_HINT))
    elif dtypes.kind(dtype) != "f":
        raise TypeError(with_hint(
            "jacfwd requires real-valued inputs (input dtype that is a sub-dtype of "
            f"np.floating), but got {dtype.name}. For holomorphic differentiation, pass "
            "holomorphic=True. For differentiation of non-holomorphic functions involving "
            "complex inputs or integer inputs, use jax.jvp directly.",
            "for a complex-differentiable function pass holomorphic=True; otherwise differentiate with "
            "respect to z.real and z.imag as two real inputs." if dtype.kind == "c" else
            "integers have no derivative; pass floats, e.g. 3.0 rather than 3, or x.astype(float)."))


def _check_output_dtype_jacfwd(holomorphic, x):
    dtype = get_aval(api_util.as_array(x)).dtype
    if holomorphic and dtype.kind != "c":
        raise TypeError(with_hint("jacfwd with holomorphic=True requires outputs with complex dtype, but "
                                  f"got {dtype.name}.", _HOLOMORPHIC_OUTPUT_HINT))


def jacrev(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """Jacobian by reverse mode: one vjp per output coordinate, batched with vmap. Each leaf has
    shape out_leaf.shape + in_leaf.shape and the input leaf's dtype."""
    _check_callable(fun)

    @functools.wraps(fun)
    def jacfun(*args, **kwargs):
        f_partial, dyn_args = _argnums_partial(fun, argnums, args, kwargs)
        for leaf in tree_util.tree_leaves(dyn_args):
            _check_input_dtype_revderiv("jacrev", holomorphic, allow_int, leaf)
        y, pullback, *aux = vjp(f_partial, *dyn_args, has_aux=has_aux)
        for leaf in tree_util.tree_leaves(y):
            _check_output_dtype_revderiv("jacrev", holomorphic, leaf)
        jac = vmap(pullback)(_std_basis(y))
        jac = jac[0] if isinstance(argnums, int) else jac
        example_args = dyn_args[0] if isinstance(argnums, int) else dyn_args
        jac_tree = tree_util.tree_map(
            lambda x_leaf, j: _unravel_array_into_pytree(y, 0, x_leaf, j), example_args, jac)
        jac_tree = tree_util.tree_transpose(tree_util.tree_structure(example_args),
                                            tree_util.tree_structure(y), jac_tree)
        return (jac_tree, aux[0]) if has_aux else jac_tree

    return jacfun


def jacobian(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """Alias of jacrev."""
    return jacrev(fun, argnums, has_aux, holomorphic, allow_int)


def hessian(fun, argnums=0, has_aux=False, holomorphic=False):
    """Second derivatives: forward over reverse, jacfwd(jacrev(f))."""
    return jacfwd(jacrev(fun, argnums, has_aux=has_aux, holomorphic=holomorphic), argnums,
                  has_aux=has_aux, holomorphic=holomorphic)


def _std_basis(pytree):
    """The identity matrix as a pytree like `pytree`, each leaf with a leading axis of length n
    (the total number of coordinates): row i is the i-th unit vector."""
    leaves, tree = tree_util.tree_flatten(pytree)
    leaves = [api_util.as_array(x) for x in leaves]
    avals = [get_aval(x) for x in leaves]
    total = sum(a.size for a in avals)
    dtype = dtypes.result_type(*leaves) if leaves else np.float32
    eye = np.eye(total, dtype=dtype)
    blocks, start = [], 0
    for aval in avals:
        block = eye[:, start:start + aval.size].reshape((total,) + aval.shape)
        blocks.append(ArrayImpl(block.astype(ad.tangent_aval(aval).dtype), aval.weak_type))
        start += aval.size
    return tree_util.tree_unflatten(tree, blocks)


def _unravel_array_into_pytree(pytree, axis, example, arr):
    """Split `arr` along `axis` into one block per leaf of `pytree`, giving each block that leaf's
    shape in place of the axis, and the dtype and weak type of `example`."""
    from jaxlite import lax
    leaves, tree = tree_util.tree_flatten(pytree)
    shape = get_aval(arr).shape
    axis = axis % len(shape)
    target = get_aval(api_util.as_array(example))
    parts, start = [], 0
    for leaf in leaves:
        leaf_shape = get_aval(api_util.as_array(leaf)).shape
        size = int(np.prod(leaf_shape, dtype=np.int64))
        part = arr if len(leaves) == 1 else lax.slice_in_dim(arr, start, start + size, axis=axis)
        part = lax.reshape(part, shape[:axis] + leaf_shape + shape[axis + 1:])
        parts.append(_cast_like(part, target))
        start += size
    return tree_util.tree_unflatten(tree, parts)


def _cast_like(x, aval):
    from jaxlite import lax
    x_aval = get_aval(x)
    if x_aval.dtype == aval.dtype and x_aval.weak_type == aval.weak_type:
        return x
    if x_aval.dtype == dtypes.float0:  # jacrev(allow_int=True) of an integer input: zeros
        return ArrayImpl(np.zeros(x_aval.shape, aval.dtype), aval.weak_type)
    if x_aval.dtype.kind == "c" and aval.dtype.kind != "c":
        x = lax.real(x)
    return lax.convert_element_type(x, aval.dtype, aval.weak_type)


# ----------------------------------------------------------------------------------------------
# vmap

def vmap(fun, in_axes=0, out_axes=0, axis_name=None, axis_size=None, spmd_axis_name=None):
    """Vectorise `fun` over a new axis of its arguments (the axes `in_axes` names), putting the
    mapped axis of each output where `out_axes` says."""
    _check_callable(fun)
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)  # as JAX does: a list and a tuple of per-argument axes agree
    if not (in_axes is None or type(in_axes) in (int, tuple)):
        raise TypeError(with_hint("vmap in_axes must be an int, None, or a tuple of entries corresponding to "
                                  f"the positional arguments passed to the function, but got {in_axes}.",
                                  _AXIS_SPEC_HINT.format("in_axes")))
    for what, axes in (("in_axes", in_axes), ("out_axes", out_axes)):
        if not all(type(a) is int for a in tree_util.tree_leaves(axes)):
            raise TypeError(with_hint(f"vmap {what} must be an int, None, or (nested) container with those "
                                      f"types as leaves, but got {axes}.", _AXIS_SPEC_HINT.format(what)))

    @functools.wraps(fun)
    def vmap_f(*args, **kwargs):
        if isinstance(in_axes, tuple) and len(in_axes) != len(args):
            raise ValueError(with_hint("vmap in_axes must be an int, None, or a tuple of entries corresponding "
                                       "to the positional arguments passed to the function, but got "
                                       f"len(in_axes)={len(in_axes)}, len(args)={len(args)}",
                                       f"give in_axes one entry per positional argument ({len(args)} here), "
                                       "None for an argument that is not mapped."))
        leaves, in_tree = tree_util.tree_flatten((args, kwargs))
        leaves = [api_util.as_array(x) for x in leaves]
        # Keyword arguments are always mapped along axis 0, as in JAX.
        arg_dims = _flatten_axes("vmap in_axes", args, in_axes)
        dims = [_normalize_axis(x, d) for x, d in zip(leaves, arg_dims + [0] * (len(leaves) - len(arg_dims)))]
        size = _mapped_axis_size(fun, args, kwargs, leaves, dims, axis_size)
        flat, out_tree = api_util.flatten_fun(fun, in_tree, _checked_batched_leaves)
        vals, srcs = batching.batch_fun(flat, size, dims, axis_name)(*leaves)
        out = tree_util.tree_unflatten(out_tree(), vals)
        out_dims = _flatten_axes("vmap out_axes", out, out_axes)
        for (path, v), src, dst in zip(tree_util.tree_flatten_with_path(out)[0], srcs, out_dims):
            _check_out_axis(path, get_aval(v).ndim - (src is not None), src, dst)  # one example's rank
        # An output vmap never touched, with out_axes None, comes back as the function returned it
        # (a Python float stays a float, a NumPy array an array), as in JAX.
        results = [v if dst is None and src is None else batching.move_out(api_util.as_array(v), src, dst, size)
                   for v, src, dst in zip(vals, srcs, out_dims)]
        return tree_util.tree_unflatten(out_tree(), results)

    return vmap_f


def _normalize_axis(x, axis):
    if axis is None:
        return None
    ndim = get_aval(x).ndim
    if not -ndim <= axis < ndim:
        raise ValueError(with_hint(
            f"vmap was requested to map its argument along axis {axis}, which implies "
            f"that its rank should be at least {axis + 1 if axis >= 0 else -axis}, but "
            f"is only {ndim} (its shape is {get_aval(x).shape})",
            "vmap maps over an axis of each argument: pass in_axes=None for an argument that every "
            "example shares (a scalar has no axis to map over)." if ndim == 0 else
            f"in_axes names an axis of the argument itself, which has {ndim} dimension{'s' if ndim > 1 else ''}: "
            f"use {'0' if ndim == 1 else f'0 to {ndim - 1}'} (or a negative axis), or None not to map it."))
    return axis % ndim


def _check_out_axis(path, ndim, src, dst):
    if dst is None and src is not None:
        raise ValueError(with_hint(f"at vmap out_axes{tree_util.keystr(path)}, got axis spec None but output "
                                   f"was batched on axis {src}",
                                   "out_axes=None is for outputs that are the same for every example; "
                                   "this output differs per example, so give it an axis (e.g. out_axes=0)."))
    if dst is not None and not -(ndim + 1) <= dst < ndim + 1:
        raise ValueError(with_hint(f"axis {dst} is out of bounds for array of dimension {ndim + 1}",
                                   "out_axes says where the mapped axis goes in the output: this one has "
                                   f"{ndim + 1} dimension{'s' if ndim else ''} with it, so give an axis "
                                   f"from {-(ndim + 1)} to {ndim}."))


_AXIS_SPEC_HINT = ("{} takes an int axis (0, 1, -1), None for no mapped axis, or a tuple/dict of those "
                   "shaped like the arguments.")


def _flatten_axes(what, tree, axes):
    """Broadcast an in_axes/out_axes prefix over the leaves of `tree`: one axis (or None) per leaf."""
    axes_leaves, axes_tree = tree_util.tree_flatten(axes, is_leaf=lambda x: x is None)
    try:
        subtrees = axes_tree.flatten_up_to(tree)
    except ValueError:
        detail = tree_util._prefix_error(what, axes, tree, lambda x: x is None)
        details = f"\n  Mismatch details (1 found):\n  {detail}" if detail else ""
        raise ValueError(with_hint(
            f"{what} specification must be a tree prefix of the corresponding value; {details}",
            f"{what.split()[-1]} mirrors the structure of the {'arguments' if 'in_' in what else 'outputs'}: "
            "one entry per element (a dict with the same keys for a dict), or one int or None for a "
            "whole subtree.")) from None
    return [ax for ax, sub in zip(axes_leaves, subtrees) for _ in tree_util.tree_leaves(sub)]


def _mapped_axis_size(fun, args, kwargs, leaves, dims, axis_size):
    sizes = {get_aval(x).shape[d] for x, d in zip(leaves, dims) if d is not None}
    if axis_size is not None:
        sizes.add(axis_size)
    if len(sizes) == 1:
        return sizes.pop()
    if not sizes:
        raise ValueError(with_hint("vmap must have at least one non-None value in in_axes or axis_size must "
                                   "be specified", "map at least one argument (in_axes=0), or give the "
                                   "number of examples with axis_size=n."))
    try:
        params = list(inspect.signature(fun).parameters)
    except (TypeError, ValueError):
        params = []
    lines = []
    leaf_dims = iter(dims)
    for path, x in tree_util.tree_flatten_with_path(args)[0]:
        d = next(leaf_dims)
        i = path[0].idx
        name = (f"argument {params[i]}{tree_util.keystr(path[1:])}" if i < len(params)
                else f"args{tree_util.keystr(path)}")
        lines.append(_size_line(x, d, name))
    for path, x in tree_util.tree_flatten_with_path(kwargs)[0]:
        lines.append(_size_line(x, next(leaf_dims), f"kwargs{tree_util.keystr(path)}"))
    raise ValueError(with_hint(
        "vmap got inconsistent sizes for array axes to be mapped:\n"
        + ";\n".join(line for line in lines if line),
        "every mapped axis must have the same length; use in_axes=None for arguments "
        "shared by all examples."))


def _size_line(x, d, name):
    if d is None:
        return None
    aval = get_aval(x)
    return f"  * one axis had size {aval.shape[d]}: axis {d} of {name} of type {aval.str_short(short_dtypes=False)}"


# ----------------------------------------------------------------------------------------------
# make_jaxpr

def make_jaxpr(fun, static_argnums=(), axis_env=None, return_shape=False):
    """A function that traces `fun` on abstract versions of its arguments and returns the jaxpr."""
    _check_callable(fun)
    if axis_env is not None:
        raise NotImplementedError("make_jaxpr's axis_env is not supported by jaxlite")
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)

    @functools.wraps(fun)
    def make_jaxpr_f(*args, **kwargs):
        static = {i % len(args) for i in static_argnums} if args else set()
        dyn_args = tuple(a for i, a in enumerate(args) if i not in static)

        def with_static(*dyn, **kw):
            it = iter(dyn)
            return fun(*[args[i] if i in static else next(it) for i in range(len(args))], **kw)

        leaves, in_tree = tree_util.tree_flatten((dyn_args, kwargs))
        flat, out_tree = api_util.flatten_fun(with_static, in_tree, api_util.checked_outputs)
        debug = pe.DebugInfo("jit", fun, pe.signature_arg_names(fun, args, kwargs))
        closed, _ = pe.trace_to_jaxpr(flat, [shaped_abstractify(x) for x in leaves], debug)
        if return_shape:
            shapes = [ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type)
                      for a in closed.out_avals]
            return closed, tree_util.tree_unflatten(out_tree(), shapes)
        return closed

    return make_jaxpr_f


def shaped_abstractify(x):
    """The abstract value tracing sees for an argument: a ShapeDtypeStruct stands for an array."""
    if isinstance(x, ShapeDtypeStruct):
        return core.ShapedArray(x.shape, x.dtype, x.weak_type)
    return get_aval(api_util.as_array(x))


class ShapeDtypeStruct:
    """A shape and dtype without data, as `jax.ShapeDtypeStruct`."""

    __slots__ = ("shape", "dtype", "weak_type")

    def __init__(self, shape, dtype, weak_type=False):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.weak_type = weak_type

    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: int(np.prod(self.shape)))

    def __repr__(self):
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name}{weak})"

    def __eq__(self, other):
        return (isinstance(other, ShapeDtypeStruct) and self.shape == other.shape
                and self.dtype == other.dtype and self.weak_type == other.weak_type)

    def __hash__(self):
        return hash((self.shape, self.dtype, self.weak_type))


def typeof(x):
    """The abstract value of a value or tracer (its shape, dtype and weak type): `float32[3]`."""
    try:
        return get_aval(x)
    except TypeError:
        raise TypeError(with_hint(f"Argument '{x}' of type {type(x)} is not a valid JAX type",
            "jax.typeof takes an array, a number or a tracer.")) from None


def eval_shape(fun, *args, **kwargs):
    """The shapes and dtypes of fun's outputs, found by tracing (nothing is computed)."""
    _, shapes = make_jaxpr(fun, return_shape=True)(*args, **kwargs)
    return shapes


# ----------------------------------------------------------------------------------------------
# Small utilities of the jax namespace

def device_put(x, device=None):
    return tree_util.tree_map(_put, x)


def _put(leaf):
    if isinstance(leaf, (np.ndarray, np.generic, ArrayImpl, core.Tracer, bool, int, float, complex)):
        return api_util.as_array(leaf)
    raise TypeError(with_hint(f"Argument '{leaf}' of type {type(leaf)} is not a valid JAX type",
                              "device_put takes arrays, numbers or pytrees of them; a "
                              f"{type(leaf).__name__} has no array form."))


def device_get(x):
    return tree_util.tree_map(lambda a: np.asarray(a) if isinstance(a, ArrayImpl) else a, x)


def block_until_ready(x):
    """jaxlite's values are computed by the time they are returned (NumPy is eager, and the xla
    backend reads its results back); kept so that code written for JAX runs unchanged."""
    return x


def effects_barrier():
    """Wait for every pending callback: jaxlite runs jax.debug callbacks as it meets them, so none
    is ever pending; kept so that code written for JAX runs unchanged."""


def devices(backend=None):
    """The one device jaxlite computes on: `[CpuDevice(id=0)]`, the host that NumPy runs on."""
    return xla_bridge.devices(backend)


default_backend = xla_bridge.default_backend
