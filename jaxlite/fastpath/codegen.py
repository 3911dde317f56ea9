"""The code generator's peephole rewrites, registered with numpy_codegen.simplify_rules.

Each rule sees one equation of the optimised jaxpr (never what users see printed) and returns None,
an atom to use in place of its result, or a cheaper equation. They are optimisations, so they
belong to the speed layer: with it off, jit's code is the jaxpr translated line by line.
"""
import numpy as np

from jaxlite import core, lax
from jaxlite.interpreters import numpy_codegen


def _simplify_reshape(eqn, graph):
    x, = eqn.invars
    if x.aval.shape == tuple(eqn.params["new_sizes"]) and eqn.params.get("dimensions") is None:
        return x
    src = graph.producer(x)
    # Two reshapes are one only if neither transposes (`dimensions` permutes its own input's axes).
    if (src is not None and src.primitive is lax.reshape_p and src.params.get("dimensions") is None
            and eqn.params.get("dimensions") is None):
        return core.JaxprEqn(src.invars, eqn.outvars, lax.reshape_p, eqn.params)
    return None


def _simplify_reduce_sum(eqn, graph):
    x, = eqn.invars
    if all(x.aval.shape[a] == 1 for a in eqn.params["axes"]):
        shape = eqn.outvars[0].aval.shape
        return core.JaxprEqn([x], eqn.outvars, lax.reshape_p,
                             dict(new_sizes=shape, dimensions=None, sharding=None))
    return None


def _simplify_transpose(eqn, graph):
    """(a . b)^T of a matrix product is b^T . a^T: one contraction with its operands swapped."""
    x, = eqn.invars
    src = graph.producer(x)
    if (src is None or src.primitive is not lax.dot_general_p or eqn.params["permutation"] != (1, 0)
            or len(graph.readers.get(x, ())) != 1 or x in graph.outputs):
        return None
    (lc, rc), (lb, rb) = src.params["dimension_numbers"]
    if lb or any(v.aval.ndim != 2 for v in src.invars):
        return None
    params = dict(src.params, dimension_numbers=((rc, lc), (rb, lb)))
    return core.JaxprEqn(src.invars[::-1], eqn.outvars, lax.dot_general_p, params)


def _simplify_broadcast_in_dim(eqn, graph):
    """Broadcasting a scalar, or adding leading unit axes, is what NumPy's broadcasting does anyway
    when every reader is elementwise and has another operand at least as big."""
    x, = eqn.invars
    out = eqn.outvars[0]
    lead = out.aval.ndim - x.aval.ndim
    leading_only = (out.aval.shape == (1,) * lead + x.aval.shape
                    and eqn.params["broadcast_dimensions"] == tuple(range(lead, out.aval.ndim)))
    if not (x.aval.ndim == 0 or leading_only):
        return None

    def covered(e):
        if e.primitive not in numpy_codegen.broadcasts_like_numpy:
            return False
        others = [v.aval.shape for v in e.invars if v is not out]
        return any(len(o) == out.aval.ndim and np.broadcast_shapes(o, out.aval.shape) == o
                   for o in others)

    return x if graph.only_read_by(out, covered) else None

def _simplify_reduce_precision(eqn, graph):
    return eqn.invars[0] if _reduce_precision_is_exact(eqn) else None


def _reduce_precision_is_exact(eqn):
    """To a format at least as wide as the dtype: nothing to do (no excess precision in NumPy)."""
    info = np.finfo(eqn.outvars[0].aval.dtype)
    return eqn.params["exponent_bits"] >= info.nexp and eqn.params["mantissa_bits"] >= info.nmant


RULES = {lax.reshape_p: _simplify_reshape, lax.reduce_sum_p: _simplify_reduce_sum,
         lax.transpose_p: _simplify_transpose, lax.broadcast_in_dim_p: _simplify_broadcast_in_dim,
         lax.reduce_precision_p: _simplify_reduce_precision}


def install():
    numpy_codegen.simplify_rules.update(RULES)


def uninstall():
    for prim in RULES:
        numpy_codegen.simplify_rules.pop(prim, None)
