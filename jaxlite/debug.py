"""`jax.debug`: printing and calling back to Python from inside transformed code.

Mirrors jax/_src/debugging.py. A Python `print` inside a jitted function runs once, while tracing, and
shows tracers; `debug.print` instead stages a `debug_print` equation, so the values are printed each
time the program runs, in program order. Its rules keep that promise under every transformation:
jvp prints the primal values only, vmap prints once per example, and the code generators call back
into Python at that point of the generated program.
"""
import string
import sys

import numpy as np

from jaxlite import api_util, core, tree_util
from jaxlite.array import ArrayImpl
from jaxlite.core import Primitive
from jaxlite.errors import with_hint
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.lowering import register_lowering

__all__ = ["callback", "print", "DebugEffect", "OrderedDebugEffect"]


class DebugEffect:
    """What a debug equation does besides computing: it must run, and never be deduplicated."""

    def __str__(self):
        return "Debug"

    __repr__ = __str__


class OrderedDebugEffect(DebugEffect):
    """A debug effect that must also keep its place relative to other ordered ones."""

    def __str__(self):
        return "OrderedDebug"

    __repr__ = __str__


debug_effect = DebugEffect()
ordered_debug_effect = OrderedDebugEffect()


def is_ordered(params):
    """Whether a debug equation (its params) asked to keep its order among ordered ones."""
    return params.get("ordered", False) or params.get("effect") is ordered_debug_effect


# ----------------------------------------------------------------------------------------------
# Arguments: arrays travel through the primitive, everything else is kept aside (static)

def _split_callback_args(args, kwargs):
    """(treedef of (args, kwargs), the array leaves, {leaf position: non-array leaf})."""
    leaves, in_tree = tree_util.tree_flatten((args, kwargs))
    dynamic, static = [], {}
    for i, leaf in enumerate(leaves):
        if core.valid_jaxtype(leaf):
            dynamic.append(leaf)
        else:
            static[i] = leaf
    return in_tree, dynamic, static


def _merge_callback_args(in_tree, dynamic, static):
    dynamic = iter(dynamic)
    static = dict(static)
    leaves = [static[i] if i in static else next(dynamic) for i in range(in_tree.num_leaves)]
    return tree_util.tree_unflatten(in_tree, leaves)


def _as_arrays(values):
    """Callbacks are handed jaxlite arrays, as JAX hands them jax.Arrays."""
    return [api_util.as_array(v) for v in values]


# ----------------------------------------------------------------------------------------------
# The primitives: debug_callback (any function) and debug_print (a format string)

def _debug_abstract_eval(*avals, **params):
    return []


def _debug_jvp(primitive):
    def jvp(primals, tangents, **params):
        return primitive.bind(*primals, **params), []
    return jvp


def _debug_transpose(cts, *args, **params):
    return [None] * len(args)


def _debug_batcher(primitive):
    """Unrolled over the mapped axis: one call per example, with that example's values."""
    from jaxlite import lax

    def rule(args, dims, **params):
        size = batching.axis_size_of(args, dims)
        for i in range(size):
            primitive.bind(*[x if d is batching.not_mapped else lax.index_in_dim(x, i, d, keepdims=False)
                             for x, d in zip(args, dims)], **params)
        return [], []
    return rule


def _debug_codegen(em, eqn, ins):
    """A call back into Python at this point of the generated code, with the values as arrays."""
    weak = [v.aval.weak_type for v in eqn.invars]
    params = eqn.params

    def host(*values):
        eqn.primitive.impl(*[ArrayImpl(np.asarray(v), w) for v, w in zip(values, weak)], **params)

    return [f"{em.constant(host, eqn.primitive.name)}({', '.join(ins)})"]


def _register_debug_primitive(primitive, impl):
    primitive.multiple_results = True
    primitive.has_side_effects = True  # dead-code elimination and CSE leave it alone
    primitive.def_impl(impl)
    primitive.def_abstract_eval(_debug_abstract_eval)
    ad.primitive_jvps[primitive] = _debug_jvp(primitive)
    ad.primitive_transposes[primitive] = _debug_transpose
    batching.primitive_batchers[primitive] = _debug_batcher(primitive)
    register_lowering(primitive, _debug_codegen, "numpy")
    register_lowering(primitive, _debug_on_xla, "xla")


def _debug_on_xla(ctx, *args, **params):
    """XLA calls back into Python, where the primitive's impl prints."""
    prim, params = ctx.eqn.primitive, ctx.eqn.params
    host = lambda *vals: prim.impl(*[ArrayImpl(np.asarray(v), False) for v in vals], **params) and None
    ctx.jax.debug.callback(host, *args, ordered=is_ordered(params))
    return []


def _debug_callback_impl(*args, callback, effect, partitioned):
    callback(*_as_arrays(args))
    return []


debug_callback_p = Primitive("debug_callback")
_register_debug_primitive(debug_callback_p, _debug_callback_impl)


def _pp_debug_callback_params(params):
    return [(k, str(v) if k == "callback" else v) for k, v in sorted(params.items())]


core.pp_params_rules[debug_callback_p] = _pp_debug_callback_params


def _format_message(fmt, np_printoptions, has_placeholders, args, kwargs):
    if not has_placeholders:
        return " ".join((fmt, *(str(a) for a in args)))
    with np.printoptions(**dict(np_printoptions)):
        return fmt.format(*args, **kwargs)


def _debug_print_impl(*args, fmt, ordered, partitioned, in_tree, static_args, np_printoptions,
                      has_placeholders, logging_record):
    c_args, c_kwargs = _merge_callback_args(in_tree, _as_arrays(args), static_args)
    sys.stdout.write(_format_message(fmt, np_printoptions, has_placeholders, c_args, c_kwargs) + "\n")
    return []


debug_print_p = Primitive("debug_print")
_register_debug_primitive(debug_print_p, _debug_print_impl)


# ----------------------------------------------------------------------------------------------
# The user-facing functions

def debug_callback(callback=None, *args, ordered=False, partitioned=False, **kwargs):
    """Call `callback(*args, **kwargs)` with the values of the arrays among the arguments, each time
    the program runs (under jit too). `callback(ordered=True)` returns the function to call."""
    def _debug_callback(callback, *c_args, **c_kwargs):
        if not callable(callback):
            raise TypeError(with_hint("first argument to jax.debug.callback must be callable, but got an "
                            f"object of type {type(callback)}",
                "pass the function to call first: jax.debug.callback(fn, *args)."))
        in_tree, dynamic, static = _split_callback_args(c_args, c_kwargs)

        def _flat_callback(*flat):
            f_args, f_kwargs = _merge_callback_args(in_tree, flat, static)
            callback(*f_args, **f_kwargs)
            return ()

        debug_callback_p.bind(*dynamic, callback=_flat_callback,
                              effect=ordered_debug_effect if ordered else debug_effect,
                              partitioned=partitioned)

    if callback is not None:
        _debug_callback(callback, *args, **kwargs)
        return None
    if args or kwargs:
        raise TypeError(with_hint("debug_callback received unexpected arguments in the two-call form: "
                        f"{args=} {kwargs=}",
            "call jax.debug.callback(fn, *args, **kwargs) in one go."))
    return _debug_callback


callback = debug_callback


class _FormatChecker(string.Formatter):
    """Formats nothing; only checks that every argument has a placeholder, before tracing on."""

    def format_field(self, value, format_spec):
        return ""

    def check_unused_args(self, used_args, args, kwargs):
        unused = [a for i, a in enumerate(args) if i not in used_args]
        if unused:
            raise ValueError(with_hint(f"Unused positional arguments to `jax.debug.print`: {unused}",
                "every positional argument fills a {} field: add a {} to the format string for each, or drop the "
                "extra arguments."))
        unused_kw = [k for k in kwargs if k not in used_args]
        if unused_kw:
            raise ValueError(
                with_hint(f"Unused keyword arguments to `jax.debug.print`: {unused_kw}. You may be passing an "
                'f-string (i.e, `f"{x}"`) into `jax.debug.print` and instead should pass in a regular '
                "string.",
                "pass values as arguments, jax.debug.print(\"x = {x}\", x=x), not inside an f-string (f\"{x}\" is"
                " formatted at trace time)."))


_format_checker = _FormatChecker()


def print(fmt=None, *args, ordered=False, partitioned=False, skip_format_check=False, **kwargs):  # noqa: A001
    """Print `fmt.format(*args, **kwargs)` with the arrays' values, each time the program runs:
    `jax.debug.print("x is {x}", x=x)` inside jit, vmap or grad shows numbers, not tracers."""
    def _debug_print(fmt, *c_args, **c_kwargs):
        if not skip_format_check:
            _format_checker.format(fmt, *c_args, **c_kwargs)
        has_placeholders = bool(fmt) and next(iter(string.Formatter().parse(fmt)))[1] is not None
        in_tree, dynamic, static = _split_callback_args(c_args, c_kwargs)
        debug_print_p.bind(*dynamic, fmt=fmt, ordered=ordered, partitioned=partitioned,
                           in_tree=in_tree, static_args=tuple(static.items()),
                           np_printoptions=tuple(np.get_printoptions().items()),
                           has_placeholders=has_placeholders, logging_record=None)

    if fmt is not None:
        _debug_print(fmt, *args, **kwargs)
        return None
    if args or kwargs:
        raise TypeError(with_hint(f"debug_print received unexpected arguments in the two-call form: "
                        f"{args=} {kwargs=}",
            "call jax.debug.print(fmt, *args, **kwargs) in one go."))
    return _debug_print
