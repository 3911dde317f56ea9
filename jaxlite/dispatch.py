"""Running one primitive eagerly (`apply_primitive`), and the checks on eagerly computed results.

Mirrors jax/_src/dispatch.py. `apply_primitive` is the impl of every standard primitive: its abstract
eval checks the operands (as under tracing) and gives the result's type, then NumPy computes.
`jax_debug_nans` and `jax_debug_infs` (`check_special`, as in JAX's dispatch.py and api_util.py): with
a flag on, an operation whose result holds a NaN (or an infinity) raises FloatingPointError naming
the operation. A jitted function is checked on its outputs only; when one is bad, it is run again
equation by equation (the "de-optimized version"), so that the error names the equation.
"""
import numpy as np

from jaxlite.config import config
from jaxlite.errors import with_hint


def apply_primitive(prim, *args, **params):
    """Run a standard primitive on concrete arrays. A result NumPy widened (np.sum of int32 is
    int64) is cast back to the dtype the abstract eval promised."""
    from jaxlite.array import ArrayImpl
    from jaxlite.core import get_aval
    aval = prim.abstract_eval(*[get_aval(a) for a in args], **params)
    out = prim.numpy_impl(*[a._value if type(a) is ArrayImpl else a for a in args], **params)
    if out.dtype != aval.dtype:
        out = np.asarray(out).astype(aval.dtype)
    return ArrayImpl(out, aval.weak_type, aval)

needs_check_special = False  # kept equal to (jax_debug_nans or jax_debug_infs) by config.update

# JAX computes these three with their own impl rather than through a jit, so it raises for them
# without first announcing a rerun.
_QUIET = ("cond", "while", "scan")


def update_flags():
    global needs_check_special
    needs_check_special = bool(config.read("jax_debug_nans") or config.read("jax_debug_infs"))


def _special_kind(values):
    """'nan' or 'inf' if one of the float values holds one and its flag is on, else None."""
    for v in values:
        arr = np.asarray(getattr(v, "_value", v))
        if arr.dtype.kind not in "fc":
            continue
        if config.read("jax_debug_nans") and np.isnan(arr).any():
            return "nan"
        if config.read("jax_debug_infs") and np.isinf(arr).any():
            return "inf"
    return None


def apply_checked(primitive, args, params):
    """Run an eager primitive and check its result. cond, while and scan are checked as one
    operation, as JAX checks them: the equations of their bodies are not checked one by one."""
    global needs_check_special
    if primitive.name in _QUIET:
        needs_check_special = False
        try:
            out = primitive.impl(*args, **params)
        finally:
            update_flags()
    else:
        out = primitive.impl(*args, **params)
    check_special(primitive, args, params, out)
    return out


def check_special(primitive, args, params, out):
    """Raise FloatingPointError if an eager primitive made a NaN or inf (with its flag on)."""
    kind = _special_kind(out if primitive.multiple_results else [out])
    if kind is None:
        return
    if primitive.name not in _QUIET:
        print("Invalid nan value encountered in the output of a jax.jit function. Calling the "
              "de-optimized version.")
    if primitive.name == "jit":
        _rerun_deoptimized(params, args, kind)
    raise FloatingPointError(_hinted(f"invalid value ({kind}) encountered in {primitive.name}", kind))


def _rerun_deoptimized(params, args, kind):
    """Evaluate a jitted function's jaxpr equation by equation: the equation that makes the value
    raises. If none does (the value came in as an input, or only the compiled code made it), say so."""
    from jaxlite import core
    closed = params["jaxpr"]
    core.eval_jaxpr(closed.jaxpr, closed.consts, *args)
    where = ("jit(" + params["name"] + ")", kind)
    raise FloatingPointError(
        with_hint(f"{where}. Because jax_config.debug_nans.value and/or "
        "config.jax_debug_infs is set, the de-optimized function (i.e., the function as if the `jit` "
        "decorator were removed) was called in an attempt to get a more precise error message. "
        "However, the de-optimized function did not produce invalid values during its execution. "
        "This behavior can result from `jit` optimizations causing the invalid value to be produced. "
        "It may also arise from having nan/inf literals as inputs or outputs, like "
        "`jax.jit(lambda ...: jax.numpy.nan)(...)`. \n\nIt may be possible to avoid the invalid value "
        "by removing the `jit` decorator, at the cost of losing optimizations.",
        "jax_debug_nans is on and the jitted function gave a NaN or inf that its operations one by one do not: "
        "check its inputs and any nan/inf constants.")) from None


def _hinted(message, kind):
    what = "NaN" if kind == "nan" else "infinity"
    return (f"{message}\nHint: jax_debug_{kind}s is on, so the first operation that makes a {what} "
            "raises; look at its inputs (a log or sqrt of a negative number, 0/0, 1/0, an overflow).")


update_flags()
