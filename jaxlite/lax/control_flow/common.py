"""What cond, while_loop and scan share: tracing the user's functions to jaxprs, and error wording.

Mirrors jax/_src/lax/control_flow/common.py. Each construct traces its Python functions once, on
abstract values, to closed jaxprs whose constants become explicit operands of its primitive.
"""
import inspect

import numpy as np

from jaxlite import api_util, core, tree_util
from jaxlite.array import ArrayImpl
from jaxlite.config import config
from jaxlite.core import get_aval
from jaxlite.interpreters import partial_eval as pe
from jaxlite.lax import lax


def _to_arrays(out, out_leaves):
    return [lax.to_array(x) for x in out_leaves]


def initial_style_jaxpr(fun, in_tree, in_avals):
    """Trace `fun`, a function of the pytrees in `in_tree`, on abstract inputs: returns
    (closed jaxpr taking its constants first, those constants, output treedef). JAX's name."""
    flat, out_tree = api_util.flatten_fun_nokwargs(fun, in_tree, _to_arrays)
    closed, _ = pe.trace_to_jaxpr(flat, in_avals)
    return core.ClosedJaxpr(pe.convert_constvars_jaxpr(closed.jaxpr), ()), list(closed.consts), out_tree()


def avals_of(leaves):
    return [get_aval(lax.to_array(x)) for x in leaves]


def typed_as(outs, avals):
    """A construct's results carry the weak types of its abstract evaluation (a cond's branch 0,
    a loop body's outputs), whichever branch ran and however many iterations."""
    return [ArrayImpl(np.asarray(x), a.weak_type) if type(x) is ArrayImpl and x.weak_type != a.weak_type else x
            for x, a in zip(outs, avals)]


def runs_as_python(x):
    """Under jax_disable_jit, control flow on a concrete value runs as Python does (a traced one,
    under vmap say, still needs the primitive)."""
    return config.read("jax_disable_jit") and concrete_value(x) is not None


def concrete_value(x):
    return x.to_concrete_value() if isinstance(x, core.Tracer) else np.asarray(x)


# Type errors worded as JAX words them: the first line says what differs, then where and how.

def fun_where(fun):
    name = getattr(fun, "__name__", "<unnamed function>")
    where = pe.source_location(fun)
    return f"{name} at {where}" if where else name


def python_type(tree):
    sentinel = object()
    example = tree_util.tree_unflatten(tree, [sentinel] * tree.num_leaves)
    return "a pytree leaf" if example is sentinel else f"a {type(example)}"


def what_differs(a, b):
    parts = [w for w, same in (("shapes", a.shape == b.shape), ("dtypes", a.dtype == b.dtype))
             if not same]
    return " and ".join(parts)


def leaf_paths(tree):
    paths = tree_util.tree_flatten_with_path(tree_util.tree_unflatten(tree, range(tree.num_leaves)))[0]
    return [tree_util.keystr(p) for p, _ in paths]


def has_signature(fun):
    try:
        inspect.signature(fun)
        return True
    except (TypeError, ValueError):
        return False
