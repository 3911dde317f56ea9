"""`jaxlite.scipy.linalg`: SciPy's linear algebra on jaxlite's linalg primitives.

Mirrors jax/_src/scipy/linalg.py: triangular solves, Cholesky and LU factorisations and the
solves that reuse them, and SciPy's spellings of det, inv, solve, eigh and svd.
"""
import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.custom_derivatives import custom_jvp
from jaxlite.lax import linalg as lax_linalg
from jaxlite import numpy as jnp
from jaxlite.numpy import linalg as np_linalg
from jaxlite.numpy.util import asarray_arg, promote_dtypes_inexact


def _batched_solve(a, b, **params):
    """triangular_solve of (..., n, n) a with b of shape (n,) or (..., n, k), the batch axes
    broadcast against each other."""
    a_shape, b_shape = get_aval(a).shape, get_aval(b).shape
    vector = len(b_shape) == 1
    if vector:
        b = lax.expand_dims(b, (1,))
        b_shape = get_aval(b).shape
    batch = np.broadcast_shapes(a_shape[:-2], b_shape[:-2])
    a = jnp.broadcast_to(a, batch + a_shape[-2:])
    b = jnp.broadcast_to(b, batch + b_shape[-2:])
    out = lax_linalg.triangular_solve(a, b, left_side=True, **params)
    return out[..., 0] if vector else out


def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False, debug=None,
                     check_finite=True):
    """x with a @ x = b (trans=0 or "N") or a.T @ x = b (1, "T", 2, "C") for triangular a."""
    if trans in (0, "N"):
        transpose_a, conjugate_a = False, False
    elif trans in (1, "T"):
        transpose_a, conjugate_a = True, False
    elif trans in (2, "C"):
        transpose_a, conjugate_a = True, True
    else:
        raise ValueError(with_hint(f"Invalid 'trans' value {trans}",
            "trans is 0 ('N'), 1 ('T') or 2 ('C')."))
    a, b = promote_dtypes_inexact(asarray_arg(a), asarray_arg(b))
    return _batched_solve(a, b, lower=lower, transpose_a=transpose_a, conjugate_a=conjugate_a,
                          unit_diagonal=unit_diagonal)


def cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    """SciPy's default is the upper factor U with a = U.T @ U."""
    a, = promote_dtypes_inexact(asarray_arg(a))
    L = lax_linalg.cholesky(a if lower else jnp.matrix_transpose(a), symmetrize_input=False)
    return L if lower else jnp.matrix_transpose(L)


def cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    """(c, lower): the Cholesky factor and which triangle it is, for cho_solve."""
    return cholesky(a, lower=lower), lower


def cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True):
    """x with a @ x = b, from cho_factor(a): two triangular solves."""
    c, lower = c_and_lower
    c, b = promote_dtypes_inexact(asarray_arg(c), asarray_arg(b))
    b = _batched_solve(c, b, lower=lower, transpose_a=not lower, conjugate_a=not lower)
    return _batched_solve(c, b, lower=lower, transpose_a=lower, conjugate_a=lower)


def _pivots_to_permutation(pivots, m):
    """The permutation of range(m) that LAPACK's row swaps (pivots) make, for one matrix."""
    perm = jnp.arange(m, dtype=np.int32)
    for j in range(get_aval(pivots).shape[0]):
        p = pivots[j]
        row_j, row_p = perm[j], perm[p]
        perm = perm.at[p].set(row_j).at[j].set(row_p)
    return perm


def lu_factor(a, overwrite_a=False, check_finite=True):
    """(lu, piv): L below and U on and above the diagonal, and the row swaps."""
    a, = promote_dtypes_inexact(asarray_arg(a))
    lu, pivots, _ = lax_linalg.lu(a)
    return lu, pivots


def lu_solve(lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True):
    """x with a @ x = b (trans=0) or a.T @ x = b (trans=1 or 2), from lu_factor(a)."""
    from jaxlite import api
    lu, pivots = lu_and_piv
    lu, b = promote_dtypes_inexact(asarray_arg(lu), asarray_arg(b))
    pivots = asarray_arg(pivots)
    m = get_aval(lu).shape[-2]
    to_perm = lambda p: _pivots_to_permutation(p, m)
    for _ in get_aval(pivots).shape[:-1]:
        to_perm = api.vmap(to_perm)
    return lax_linalg.lu_solve(lu, to_perm(pivots), b, trans=min(int(trans), 1))


def lu(a, permute_l=False, overwrite_a=False, check_finite=True):
    """(p, l, u) with a = p @ l @ u, or (p @ l, u) with permute_l."""
    a, = promote_dtypes_inexact(asarray_arg(a))
    lu_, _, permutation = lax_linalg.lu(a)
    dtype = get_aval(a).dtype
    m, n = get_aval(a).shape[-2:]
    k = min(m, n)
    real = np.finfo(dtype).dtype if dtype.kind == "c" else dtype  # as JAX: p is real
    p = jnp.asarray(permutation[None, :] == jnp.arange(m, dtype=np.int32)[:, None], real)
    l = jnp.tril(lu_, -1)[:, :k] + jnp.eye(m, k, dtype=dtype)
    u = jnp.triu(lu_)[:k, :]
    return (jnp.matmul(p, l), u) if permute_l else (p, l, u)


def det(a, overwrite_a=False, check_finite=True):
    return np_linalg.det(a)


def inv(a, overwrite_a=False, check_finite=True):
    return np_linalg.inv(a)


def solve(a, b, lower=False, overwrite_a=False, overwrite_b=False, debug=False, check_finite=True,
          assume_a="gen"):
    """x with a @ x = b; assume_a="pos" solves by Cholesky, the others by LU."""
    valid = ["gen", "sym", "her", "pos"]
    if assume_a not in valid:
        raise ValueError(with_hint(f"Expected assume_a to be one of {valid}; got {assume_a!r}",
            "assume_a is one of those: 'gen' for a general matrix."))
    if assume_a != "pos":
        return np_linalg.solve(a, b)
    a, b = promote_dtypes_inexact(asarray_arg(a), asarray_arg(b))
    return _solve_positive_definite(a, b, lower)


def _solve_pos_value(a, b, lower):
    return cho_solve(cho_factor(a, lower=lower), b)


_solve_positive_definite = custom_jvp(_solve_pos_value, nondiff_argnums=(2,))


@_solve_positive_definite.defjvp
def _solve_pos_jvp(lower, primals, tangents):
    """As for any solve: a dx = db - da x, solved with the same Cholesky factor (the value reads
    one triangle of a, the derivative takes a as given, as JAX's custom_linear_solve does)."""
    a, b = primals
    a_dot, b_dot = tangents
    factors = cho_factor(a, lower=lower)
    x = cho_solve(factors, b)
    vector = get_aval(b).ndim == get_aval(a).ndim - 1
    a_dot_x = jnp.matmul(a_dot, x[..., None])[..., 0] if vector else jnp.matmul(a_dot, x)
    return x, cho_solve(factors, b_dot - a_dot_x)


def eigh(a, b=None, lower=True, eigvals_only=False, overwrite_a=False, overwrite_b=False,
         turbo=True, eigvals=None, type=1, check_finite=True):
    """(w, v) of a symmetric a (only w with eigvals_only); generalised problems are not
    implemented, as in JAX."""
    if b is not None:
        raise NotImplementedError("Only the b=None case of eigh is implemented")
    if type != 1:
        raise NotImplementedError("Only the type=1 case of eigh is implemented.")
    if eigvals is not None:
        raise NotImplementedError("Only the eigvals=None case of eigh is implemented.")
    a, = promote_dtypes_inexact(asarray_arg(a))
    v, w = lax_linalg.eigh(a, lower=lower)
    return w if eigvals_only else (w, v)


def svd(a, full_matrices=True, compute_uv=True, overwrite_a=False, check_finite=True,
        lapack_driver="gesdd"):
    a, = promote_dtypes_inexact(asarray_arg(a))
    return lax_linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)
