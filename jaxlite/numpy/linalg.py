"""`jaxlite.numpy.linalg`: decompositions, solves, determinants, inverses and norms.

Mirrors jax/_src/numpy/linalg.py. Everything is built on the primitives of jaxlite.lax.linalg
(cholesky, eigh, lu, qr, svd, triangular_solve), so it batches over leading axes and
differentiates through their rules; det, slogdet, solve and pinv carry JAX's custom jvp rules.
"""
import operator
from typing import NamedTuple

import numpy as np

from jaxlite import lax
from jaxlite.errors import with_hint
from jaxlite.core import get_aval
from jaxlite.custom_derivatives import custom_jvp
from jaxlite.lax import linalg as lax_linalg
from jaxlite.numpy import (array_constructors, array_creation, lax_numpy, reductions, tensor_contractions,
                           ufuncs, util)
from jaxlite.numpy.util import (asarray_arg, canonicalize_axis, constant_like, promote_dtypes_inexact,
                                to_inexact_dtype)


def norm(x, ord=None, axis=None, keepdims=False):
    """A vector norm over one axis or a matrix norm over two; with axis=None, the Frobenius
    norm of everything when ord is None, otherwise the norm of a 1-D or 2-D x."""
    x, = promote_dtypes_inexact(x)
    ndim = get_aval(x).ndim
    if axis is None:
        if ord is None:
            return _two_norm(lax_numpy.ravel(x), 0, keepdims, ndim)
        axis = tuple(range(ndim))
    elif isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    axis = tuple(canonicalize_axis(a, ndim) for a in axis)
    if len(axis) == 1:
        return _vector_norm(x, ord, axis[0], keepdims)
    if len(axis) == 2:
        return _matrix_norm(x, ord, axis, keepdims)
    raise ValueError(with_hint(f"Improper number of axes for norm: axis={axis}. Pass one axis to compute a "
                               "vector-norm, or two axes to compute a matrix-norm.",
                               "norm takes one axis (a vector norm) or two (a matrix norm)."))


def _two_norm(x, axis, keepdims, original_ndim=None):
    """sqrt of the sum of squares, staged as JAX stages it (`mul x x`, reduce_sum, sqrt)."""
    out = lax.sqrt(reductions.sum(lax.mul(x, x), axis=axis, keepdims=keepdims))
    if keepdims and original_ndim is not None:
        out = lax.reshape(out, (1,) * original_ndim)
    return out


def _vector_norm(x, ord, axis, keepdims):
    if ord is None or ord == 2:
        return _two_norm(x, axis, keepdims)
    if isinstance(ord, str):
        raise ValueError(with_hint(f"Invalid order '{ord}' for vector norm.",
                                   f"ord='{ord}' is a norm of matrices (2-D arrays): for a vector, use "
                                   "ord=None (the 2-norm), 1, jnp.inf or another number."))
    if ord == np.inf:
        return reductions.max(ufuncs.abs(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return reductions.min(ufuncs.abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        nonzero = lax.convert_element_type(lax.ne(x, constant_like(x, 0)), get_aval(x).dtype)
        return reductions.sum(nonzero, axis=axis, keepdims=keepdims)
    if ord == 1:
        return reductions.sum(ufuncs.abs(x), axis=axis, keepdims=keepdims)
    p = constant_like(x, ord)
    total = reductions.sum(lax.pow(ufuncs.abs(x), p), axis=axis, keepdims=keepdims)
    return lax.pow(total, lax.div(constant_like(x, 1), p))


def _matrix_norm(x, ord, axis, keepdims):
    row_axis, col_axis = axis
    if row_axis == col_axis:
        raise ValueError(with_hint(f"Duplicate axes given: {axis}", "a matrix norm takes two different axes."))
    if ord is None or ord == "fro":
        return _two_norm(x, axis, keepdims)
    if ord in (1, -1, np.inf, -np.inf):
        # 1-norms take column sums (over rows), inf-norms take row sums (over columns).
        summed_axis, kept_axis = (row_axis, col_axis) if ord in (1, -1) else (col_axis, row_axis)
        reduce = reductions.max if ord > 0 else reductions.min
        sums = reductions.sum(ufuncs.abs(x), axis=summed_axis, keepdims=True)
        out = reduce(sums, axis=kept_axis, keepdims=True)
        return out if keepdims else lax.squeeze(out, tuple(sorted(axis)))
    if ord in (2, -2, "nuc"):
        s = svd(lax_numpy.moveaxis(x, axis, (-2, -1)), compute_uv=False)
        if ord == 2:
            out = reductions.max(s, axis=-1, initial=0)
        elif ord == -2:
            out = reductions.min(s, axis=-1)
        else:
            out = reductions.sum(s, axis=-1)
        return lax.expand_dims(out, tuple(sorted(axis))) if keepdims else out
    raise ValueError(with_hint(f"Invalid order '{ord}' for matrix norm.",
                               "a matrix norm's ord is None or 'fro', 'nuc', 1, -1, 2, -2, jnp.inf or -jnp.inf."))


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    x, = promote_dtypes_inexact(x)
    if axis is None:
        out = _vector_norm(lax_numpy.ravel(x), ord, 0, False)
        return lax.reshape(out, (1,) * get_aval(x).ndim) if keepdims else out
    if isinstance(axis, (int, np.integer)):
        return _vector_norm(x, ord, canonicalize_axis(axis, get_aval(x).ndim), keepdims)
    raise NotImplementedError("vector_norm over several axes is not supported.")


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)


# ----------------------------------------------------------------------------------------------
# Results with field names, as JAX returns them

class EighResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


class QRResult(NamedTuple):
    Q: object
    R: object


class SlogdetResult(NamedTuple):
    sign: object
    logabsdet: object


class SVDResult(NamedTuple):
    U: object
    S: object
    Vh: object


def _inexact(a):
    a, = promote_dtypes_inexact(asarray_arg(a))
    return a


def _T(x):
    return lax_numpy.swapaxes(x, -1, -2)


def _H(x):
    """The conjugate transpose (the transpose, for real matrices)."""
    return ufuncs.conj(_T(x)) if get_aval(x).dtype.kind == "c" else _T(x)


# ----------------------------------------------------------------------------------------------
# Decompositions

def cholesky(a, *, upper=False, symmetrize_input=True):
    """L with a = L @ L^H (or U = L^H with upper=True); NaNs if a is not positive definite."""
    a = _inexact(a)
    L = lax_linalg.cholesky(a, symmetrize_input=symmetrize_input)
    return _H(L) if upper else L


def eigh(a, UPLO=None, symmetrize_input=True):
    """Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix."""
    if UPLO is None or UPLO == "L":
        lower = True
    elif UPLO == "U":
        lower = False
    else:
        raise ValueError(with_hint(f"UPLO must be one of None, 'L', or 'U', got {UPLO}",
            "pass UPLO='L' or 'U' (or leave it out)."))
    a = _inexact(a)
    v, w = lax_linalg.eigh(a, lower=lower, symmetrize_input=symmetrize_input)
    return EighResult(w, v)


def eigvalsh(a, UPLO="L", *, symmetrize_input=True):
    return eigh(a, UPLO, symmetrize_input=symmetrize_input).eigenvalues


def svd(a, full_matrices=True, compute_uv=True, hermitian=False, subset_by_index=None):
    """U, S, Vh with a = U @ diag(S) @ Vh and S descending (only S without compute_uv). With
    hermitian=True the singular values come from an eigendecomposition, as in JAX."""
    a = _inexact(a)
    if hermitian:
        v, w = lax_linalg.eigh(a, subset_by_index=subset_by_index)
        s = ufuncs.abs(w)
        if not compute_uv:
            return lax.rev(lax.sort(s, dimension=-1), (get_aval(s).ndim - 1,))
        sign = lax.sign(w)
        last = get_aval(s).ndim - 1
        idxs = lax.broadcasted_iota(np.int32, get_aval(s).shape, last)
        s, idxs, sign = lax.sort((s, idxs, sign), dimension=-1, num_keys=1)
        s, idxs, sign = (lax.rev(t, (last,)) for t in (s, idxs, sign))
        u = lax_numpy.take_along_axis(v, lax.expand_dims(idxs, (last,)), axis=-1)
        vh = _H(u * lax.expand_dims(sign, (last,)).astype(get_aval(u).dtype))
        return SVDResult(u, s, vh)
    if compute_uv:
        return SVDResult(*lax_linalg.svd(a, full_matrices=full_matrices, compute_uv=True,
                                         subset_by_index=subset_by_index))
    return lax_linalg.svd(a, full_matrices=full_matrices, compute_uv=False,
                          subset_by_index=subset_by_index)


def svdvals(x, /):
    return svd(x, compute_uv=False)


def qr(a, mode="reduced"):
    """Q (orthonormal columns) and R (upper triangular) with a = Q @ R; mode "complete" gives a
    square Q, mode "r" only R."""
    a = _inexact(a)
    if mode == "raw":
        raise NotImplementedError("jaxlite's qr does not implement mode='raw' (Householder "
                                  "reflectors): use mode='reduced' or 'complete'.")
    if mode in ("reduced", "r", "full"):
        full_matrices = False
    elif mode == "complete":
        full_matrices = True
    else:
        raise ValueError(with_hint(f"Unsupported QR decomposition mode '{mode}'",
            "mode is 'reduced' (the default), 'complete' or 'r'."))
    q, r = lax_linalg.qr(a, pivoting=False, full_matrices=full_matrices)
    return r if mode == "r" else QRResult(q, r)


# ----------------------------------------------------------------------------------------------
# Solves and inverses

@custom_jvp
def _solve(a, b):
    """x with a @ x = b, from an LU factorisation of a."""
    lu_, _, permutation = lax_linalg.lu(a)
    return lax_linalg.lu_solve(lu_, permutation, b)


@_solve.defjvp
def _solve_jvp(primals, tangents):
    """From a x = b: a dx = db - da x, one more solve with the same matrix."""
    a, b = primals
    a_dot, b_dot = tangents
    x = _solve(a, b)
    vector = get_aval(b).ndim == get_aval(a).ndim - 1
    a_dot_x = (tensor_contractions.matmul(a_dot, x[..., None])[..., 0] if vector
               else tensor_contractions.matmul(a_dot, x))
    return x, _solve(a, b_dot - a_dot_x)


def solve(a, b):
    """x with a @ x = b: b is a vector (..., m) or a matrix (..., m, k) of right-hand sides."""
    a, b = promote_dtypes_inexact(asarray_arg(a), asarray_arg(b))
    a_shape, b_shape = get_aval(a).shape, get_aval(b).shape
    if len(a_shape) < 2:
        raise ValueError(with_hint(f"left hand array must be at least two dimensional; got a.shape={a_shape}",
                                   "solve(a, b) takes the matrix a first, then the right-hand side b."))
    if (len(b_shape) > 1 and len(a_shape) == len(b_shape) + 1 and a_shape[-1] == b_shape[-1]
            and a_shape[-1] != b_shape[-2]):
        raise ValueError(with_hint(f"Invalid shapes for solve: {a_shape}, {b_shape}. Prior to JAX v0.5.0, this "
                                   "would have been treated as a batched 1-dimensional solve. To recover this "
                                   "behavior, use solve(a, b[..., None]).squeeze(-1).",
                                   "for a batch of vectors, solve(a, b[..., None])[..., 0] solves each one."))
    vector = len(b_shape) == 1
    core_a, core_b = a_shape[-2:], b_shape[-1:] if vector else b_shape[-2:]
    signature = "(m,m),(m)->(m)" if vector else "(m,m),(m,n)->(m,n)"
    for size in (core_a[1], core_b[0]):  # as jnp.vectorize reads the core dimensions: a's, then b's
        if size != core_a[0]:
            raise ValueError(with_hint(
                f"inconsistent size for core dimension 'm': {size} vs {core_a[0]} on vectorized function with "
                f"excluded=frozenset() and signature={signature!r}",
                f"solve(a, b) needs shapes a (m, m) and b (m,) or (m, k); here a is {a_shape} and b is {b_shape}: "
                "for a non-square a, jnp.linalg.pinv(a) @ b gives the least-squares solution."))
    batch = np.broadcast_shapes(a_shape[:-2], b_shape[:-len(core_b)])
    a = util.broadcast_to(a, batch + core_a)
    b = util.broadcast_to(b, batch + core_b)
    return _solve(a, b)


def inv(a):
    """The inverse matrix, as the solve of a @ x = I."""
    a = asarray_arg(a)
    shape = get_aval(a).shape
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(with_hint(f"Argument to inv must have shape [..., n, n], got {shape}.",
                                   "only square matrices have inverses: for a non-square one, jnp.linalg.pinv "
                                   "gives the pseudo-inverse."))
    eye = lax_numpy.eye(shape[-1], dtype=to_inexact_dtype(get_aval(a).dtype))
    return solve(a, lax.broadcast(eye, shape[:-2]) if shape[:-2] else eye)


def pinv(a, rtol=None, hermitian=False, *, rcond=None):
    """The Moore-Penrose pseudo-inverse from the SVD; singular values below
    rtol * largest (default 10 * max(m, n) * eps) count as zero."""
    if rcond is not None:
        if rtol is not None:
            raise ValueError(with_hint("pinv: only one of rtol and rcond may be specified.",
                "give rtol only (rcond is its older name)."))
        rtol = rcond
    return _pinv(asarray_arg(a), rtol, hermitian)


def _pinv_value(a, rtol, hermitian):
    a = _inexact(a)
    m, n = get_aval(a).shape[-2:]
    dtype = get_aval(a).dtype
    if m == 0 or n == 0:
        return array_creation.zeros(get_aval(a).shape[:-2] + (n, m), dtype)
    if rtol is None:
        rtol = 10.0 * max(m, n) * float(np.finfo(dtype).eps)
    # The pseudo-inverse of a is the conjugate of that of conj(a) written with transposes only.
    u, s, vh = svd(ufuncs.conj(a), full_matrices=False, hermitian=hermitian)
    rtol = array_constructors.asarray(rtol, get_aval(s).dtype)
    cutoff = lax_numpy.expand_dims(rtol, tuple(range(get_aval(rtol).ndim, get_aval(s).ndim))) * s[..., 0:1]
    s = lax_numpy.where(s > cutoff, s, np.inf).astype(dtype)
    return tensor_contractions.matmul(_T(vh), ufuncs.divide(_T(u), s[..., None]))


_pinv = custom_jvp(_pinv_value, nondiff_argnums=(1, 2))


@_pinv.defjvp
def _pinv_jvp(rtol, hermitian, primals, tangents):
    """Golub and Pereyra's derivative of the pseudo-inverse P of A:
    dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P."""
    a, = primals
    a_dot, = tangents
    p = _pinv(a, rtol, hermitian)
    if hermitian:
        a, a_dot = (a + _H(a)) / 2, (a_dot + _H(a_dot)) / 2
    mm = tensor_contractions.matmul
    m, n = get_aval(a).shape[-2:]
    if m >= n:
        s = mm(mm(p, _H(p)), _H(a_dot))
        t = mm(mm(_H(a_dot), _H(p)), p)
        p_dot = -mm(mm(p, a_dot), p) + s - mm(mm(s, a), p) + t - mm(mm(p, a), t)
    else:
        s = mm(p, mm(_H(p), _H(a_dot)))
        t = mm(_H(a_dot), mm(_H(p), p))
        p_dot = -mm(p, mm(a_dot, p)) + s - mm(s, mm(a, p)) + t - mm(p, mm(a, t))
    return p, p_dot


def matrix_power(a, n):
    """a @ a @ ... (n times) by repeated squaring; n = 0 gives the identity, n < 0 powers of
    the inverse."""
    a = asarray_arg(a)
    shape = get_aval(a).shape
    if len(shape) < 2:
        raise TypeError(with_hint(f"{len(shape)}-dimensional array given. Array must be at least two-dimensional",
            "matrix_power works on square matrices: give an array with at least two axes."))
    if shape[-2] != shape[-1]:
        raise TypeError(with_hint("Last 2 dimensions of the array must be square",
            "matrix_power works on square matrices: the last two axes must be equal."))
    try:
        n = operator.index(n)
    except TypeError as err:
        raise TypeError(with_hint(f"exponent must be an integer, got {n}",
            "matrix_power takes an integer exponent; for other powers, use an eigendecomposition.")) from err
    if n == 0:
        eye = lax_numpy.eye(shape[-1], dtype=get_aval(a).dtype)
        return util.broadcast_to(eye, shape)
    if n < 0:
        a, n = inv(a), -n
    if n == 1:
        return a
    if n == 2:
        return a @ a
    if n == 3:
        return (a @ a) @ a
    z = result = None
    while n > 0:
        z = a if z is None else z @ z
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else result @ z
    return result


# ----------------------------------------------------------------------------------------------
# Determinants

def _det_2x2(a):
    return a[..., 0, 0] * a[..., 1, 1] - a[..., 0, 1] * a[..., 1, 0]


def _det_3x3(a):
    return (a[..., 0, 0] * a[..., 1, 1] * a[..., 2, 2] + a[..., 0, 1] * a[..., 1, 2] * a[..., 2, 0]
            + a[..., 0, 2] * a[..., 1, 0] * a[..., 2, 1] - a[..., 0, 2] * a[..., 1, 1] * a[..., 2, 0]
            - a[..., 0, 0] * a[..., 1, 2] * a[..., 2, 1] - a[..., 0, 1] * a[..., 1, 0] * a[..., 2, 2])


@custom_jvp
def _det(a):
    sign, logdet = slogdet(a)
    return sign * ufuncs.exp(logdet).astype(get_aval(sign).dtype)


@_det.defjvp
def _det_jvp(primals, tangents):
    """d det(A) = trace(adj(A) dA) (Jacobi's formula), with the adjugate adj(A) = det(A) A^-1
    taken from the LU factors so that it stays finite for singular A."""
    x, = primals
    g, = tangents
    y, z = _cofactor_solve(x, g)
    return y, lax_numpy.trace(z, axis1=-1, axis2=-2)


def _cofactor_solve(a, b):
    """(det(a), adj(a) @ b), for any square a. With P a = L U, adj(a) b = det(a) U^-1 L^-1 P b.
    When a has rank n - 1, only U's last diagonal entry u_nn is 0: det(a) / u_nn is the product
    of the others, so u_nn is replaced by its inverse and the last row of L^-1 P b is left
    unscaled. When the rank is lower still, the adjugate is zero."""
    n = get_aval(a).shape[-1]
    if n == 1:
        return a[..., 0, 0], b
    lu_, pivots, permutation = lax_linalg.lu(a)
    dtype = get_aval(a).dtype
    diag = lax_numpy.diagonal(lu_, axis1=-2, axis2=-1)
    iota = lax_numpy.arange(n, dtype=np.int32)
    swaps = reductions.count_nonzero(pivots != iota, axis=-1)
    sign = array_constructors.asarray(-2 * (swaps % 2) + 1, dtype=dtype)
    partial_det = reductions.cumprod(diag, axis=-1) * sign[..., None]  # last: det(a)
    lu_ = lu_.at[..., -1, -1].set(1.0 / partial_det[..., -2])
    solve_upper = lambda rhs: lax_linalg.triangular_solve(lu_, rhs, left_side=True, lower=False)
    probe = solve_upper(array_creation.ones(get_aval(b).shape[:-1], dtype))
    low_rank = reductions.any(~ufuncs.isfinite(probe), axis=-1)[..., None, None]
    x = lax_numpy.where(low_rank, array_creation.zeros_like(b), b)
    x = lax_numpy.take_along_axis(x, permutation[..., :, None], axis=-2)
    x = lax_linalg.triangular_solve(lu_, x, left_side=True, lower=True, unit_diagonal=True)
    x = lax_numpy.concatenate([x[..., :-1, :] * partial_det[..., -1, None, None], x[..., -1:, :]], axis=-2)
    x = solve_upper(x)
    return partial_det[..., -1], lax_numpy.where(low_rank, array_creation.zeros_like(x), x)


def det(a):
    """The determinant: closed forms for 2x2 and 3x3 matrices, else from slogdet."""
    a = _inexact(a)
    shape = get_aval(a).shape
    if len(shape) >= 2 and shape[-2:] == (2, 2):
        return _det_2x2(a)
    if len(shape) >= 2 and shape[-2:] == (3, 3):
        return _det_3x3(a)
    if len(shape) >= 2 and shape[-1] == shape[-2]:
        return _det(a)
    raise ValueError(with_hint(f"Argument to _det() must have shape [..., n, n], got {shape}",
                               "a determinant is defined for square matrices (..., n, n) only: reshape the "
                               "values into one, e.g. x.reshape(n, n)."))


def _slogdet_small_value(a):
    det_ = a[..., 0, 0] if get_aval(a).shape[-1] == 1 else _det_2x2(a)
    return ufuncs.sign(det_), ufuncs.real(ufuncs.log(ufuncs.abs(det_)))


def _sign_and_logdet_tangents(sign, ans_dot):
    """For a complex matrix the sign turns with the imaginary part of d log det; a real sign is
    piecewise constant."""
    if get_aval(ans_dot).dtype.kind == "c":
        return (ans_dot - ufuncs.real(ans_dot).astype(get_aval(ans_dot).dtype)) * sign, ufuncs.real(ans_dot)
    return array_creation.zeros_like(sign), ans_dot


@custom_jvp
def _slogdet_small(a):
    """slogdet of 1x1 and 2x2 matrices from the closed-form determinant."""
    return _slogdet_small_value(a)


@_slogdet_small.defjvp
def _slogdet_small_jvp(primals, tangents):
    x, = primals
    g, = tangents
    sign, ans = _slogdet_small(x)
    if get_aval(x).shape[-1] == 1:
        ans_dot = g[..., 0, 0] / x[..., 0, 0]
    else:
        ans_dot = ((g[..., 0, 0] * x[..., 1, 1] - g[..., 0, 1] * x[..., 1, 0]
                    - g[..., 1, 0] * x[..., 0, 1] + g[..., 1, 1] * x[..., 0, 0]) / _det_2x2(x))
    return (sign, ans), _sign_and_logdet_tangents(sign, ans_dot)


@custom_jvp
def _slogdet_lu(a):
    """sign and log|det| from the diagonal of U and the parity of the row swaps (for a complex
    matrix the sign is the product of the diagonal's phases)."""
    dtype = get_aval(a).dtype
    lu_, pivots, _ = lax_linalg.lu(a)
    diag = lax_numpy.diagonal(lu_, axis1=-2, axis2=-1)
    is_zero = reductions.any(diag == 0, axis=-1)
    iota = lax.expand_dims(lax_numpy.arange(get_aval(a).shape[-1], dtype=np.int32),
                           tuple(range(get_aval(pivots).ndim - 1)))
    parity = reductions.count_nonzero(pivots != iota, axis=-1)
    if dtype.kind == "c":
        sign = reductions.prod(diag / ufuncs.abs(diag).astype(dtype), axis=-1)
    else:
        sign = array_constructors.array(1, dtype)
        parity = parity + reductions.count_nonzero(diag < 0, axis=-1)
    sign = lax_numpy.where(is_zero, array_constructors.array(0, dtype),
                           sign * array_constructors.array(-2 * (parity % 2) + 1, dtype=dtype))
    logdet = lax_numpy.where(is_zero, array_constructors.array(-np.inf, dtype),
                             reductions.sum(ufuncs.log(ufuncs.abs(diag)).astype(dtype), axis=-1))
    return sign, ufuncs.real(logdet)


@_slogdet_lu.defjvp
def _slogdet_jvp(primals, tangents):
    """d log|det A| = trace(A^-1 dA); the sign is piecewise constant."""
    x, = primals
    g, = tangents
    sign, ans = slogdet(x)
    return (sign, ans), _sign_and_logdet_tangents(sign, lax_numpy.trace(solve(x, g), axis1=-1, axis2=-2))


def slogdet(a, *, method=None):
    """(sign, log|det|) of a square matrix, well defined where det itself under- or overflows."""
    a = _inexact(a)
    shape = get_aval(a).shape
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(with_hint(f"Argument to slogdet() must have shape [..., n, n], got {shape}",
                                   "a determinant is defined for square matrices (..., n, n) only."))
    if method is None or method == "lu":
        if shape[-1] in (1, 2):
            return SlogdetResult(*_slogdet_small(a))
        return SlogdetResult(*_slogdet_lu(a))
    if method == "qr":
        raise NotImplementedError("jaxlite's slogdet implements method='lu' only.")
    raise ValueError(with_hint(f"Unknown slogdet method '{method}'. Supported methods are 'lu' (`None`), "
                     "and 'qr'.",
        "method is 'lu' (the default) or 'qr'."))


# ----------------------------------------------------------------------------------------------
# Built on the above

def matrix_rank(M, rtol=None, *, hermitian=False, tol=None):
    """The number of singular values above rtol * largest * max(m, n) (default: eps)."""
    if tol is not None:
        if rtol is not None:
            raise ValueError(with_hint("matrix_rank: only one of tol or rtol may be specified.",
                "give rtol only (tol is the absolute threshold, an alternative to it)."))
        rtol = tol
    M = _inexact(M)
    if get_aval(M).ndim < 2:
        return lax.convert_element_type(reductions.any(M != 0), np.int32)
    S = svd(M, full_matrices=False, compute_uv=False, hermitian=hermitian)
    dtype = get_aval(S).dtype
    if rtol is None:
        rtol = reductions.max(S, axis=-1) * np.asarray(max(get_aval(M).shape[-2:]), dtype) \
            * np.asarray(np.finfo(dtype).eps, dtype)
    rtol = lax_numpy.expand_dims(rtol, util.ndim(rtol))
    return reductions.sum(S > rtol, axis=-1)


def cond(x, p=None):
    """The condition number: largest over smallest singular value, or the p-norm of x times
    that of its inverse."""
    x = asarray_arg(x)
    shape = get_aval(x).shape
    if len(shape) < 2:
        raise ValueError(with_hint(f"jnp.linalg.cond: input array must be at least 2D; got arr.shape={shape}",
            "cond works on matrices: give an array with at least two axes."))
    if shape[-1] == 0 or shape[-2] == 0:
        raise ValueError(with_hint(f"jnp.linalg.cond: input array must not be empty; got arr.shape={shape}",
            "give cond a matrix with at least one element."))
    if p is None or p == 2:
        s = svdvals(x)
        return s[..., 0] / s[..., -1]
    if p == -2:
        s = svdvals(x)
        r = s[..., -1] / s[..., 0]
    else:
        if shape[-2] != shape[-1]:
            raise ValueError(with_hint(f"jnp.linalg.cond: for p={p}, array must be square; got arr.shape={shape}",
                "this p-norm condition number needs a square matrix; p=None or 2 also works for non-square ones."))
        r = norm(x, ord=p, axis=(-2, -1)) * norm(inv(x), ord=p, axis=(-2, -1))
    return lax_numpy.where(ufuncs.isnan(r) & ~reductions.any(ufuncs.isnan(x), axis=(-2, -1)),
                           np.inf, r)


def lstsq(a, b, rcond=None, *, numpy_resid=False):
    """(x, residuals, rank, singular values) of the least-squares solution of a @ x = b, from
    the SVD of a (2-d a; b a vector or a matrix)."""
    a, b = promote_dtypes_inexact(asarray_arg(a), asarray_arg(b))
    if get_aval(a).shape[0] != get_aval(b).shape[0]:
        raise ValueError(with_hint("Leading dimensions of input arrays must match",
            "batch both arguments the same way: give them the same leading axes."))
    b_vector = get_aval(b).ndim == 1
    if b_vector:
        b = b[:, None]
    if get_aval(a).ndim != 2:
        raise TypeError(with_hint(f"{get_aval(a).ndim}-dimensional array given. Array must be two-dimensional",
            "this function takes a matrix: give a two-dimensional array."))
    if get_aval(b).ndim != 2:
        raise TypeError(with_hint(f"{get_aval(b).ndim}-dimensional array given. Array must be one or "
                        "two-dimensional",
            "the right-hand side is a vector or a matrix (one or two axes)."))
    m, n = get_aval(a).shape
    dtype = get_aval(a).dtype
    if get_aval(a).size == 0:
        s = array_creation.zeros((0,), dtype)
        rank = array_constructors.array(0)
        x = array_creation.zeros((n, *get_aval(b).shape[1:]), dtype)
    else:
        eps = float(np.finfo(dtype).eps)
        rcond = eps * max(n, m) if rcond is None else lax_numpy.where(rcond < 0, eps, rcond)
        u, s, vt = svd(a, full_matrices=False)
        mask = (s > 0) & (s >= array_constructors.asarray(rcond, get_aval(s).dtype) * s[0])
        rank = reductions.sum(mask)
        safe_s = lax_numpy.where(mask, s, 1).astype(dtype)
        s_inv = lax_numpy.where(mask, 1 / safe_s, 0)[:, None]
        x = tensor_contractions.matmul(_H(vt), s_inv * tensor_contractions.matmul(_H(u), b))
    if numpy_resid and (int(rank) < n or m <= n):
        resid = array_constructors.asarray(np.zeros((0,), dtype))
    else:
        resid = norm(b - tensor_contractions.matmul(a, x), axis=0) ** 2
    if b_vector:
        x = lax_numpy.ravel(x)
    return x, resid, rank, s


def multi_dot(arrays, *, precision=None):
    """The product of a chain of matrices (the first and last may be vectors), left to right."""
    arrays = [asarray_arg(a) for a in arrays]
    if len(arrays) < 2:
        raise ValueError(with_hint(f"multi_dot requires at least two arrays; got len(arrays)={len(arrays)}",
            "pass the arrays as one list of at least two: jnp.linalg.multi_dot([a, b])."))
    out = arrays[0]
    for a in arrays[1:]:
        out = tensor_contractions.matmul(out, a)
    return out


# The array API's spellings of functions jnp already has.

def matmul(x1, x2, /, *, precision=None, preferred_element_type=None):
    return tensor_contractions.matmul(x1, x2, preferred_element_type=preferred_element_type)


def matrix_transpose(x, /):
    return lax_numpy.matrix_transpose(x)


def outer(x1, x2, /):
    x1, x2 = asarray_arg(x1), asarray_arg(x2)
    if get_aval(x1).ndim != 1 or get_aval(x2).ndim != 1:
        raise ValueError(with_hint(f"Input arrays must be one-dimensional, but they are "
                         f"x1.ndim={get_aval(x1).ndim} and x2.ndim={get_aval(x2).ndim}",
            "pass two vectors (1-D arrays)."))
    return tensor_contractions.outer(x1, x2)


def trace(x, /, *, offset=0, dtype=None):
    return lax_numpy.trace(x, offset=offset, axis1=-2, axis2=-1, dtype=dtype)


def diagonal(x, /, *, offset=0):
    return lax_numpy.diagonal(x, offset=offset, axis1=-2, axis2=-1)


def tensordot(x1, x2, /, *, axes=2, precision=None, preferred_element_type=None):
    return tensor_contractions.tensordot(x1, x2, axes, preferred_element_type=preferred_element_type)


def vecdot(x1, x2, /, *, axis=-1, precision=None, preferred_element_type=None):
    """The dot product of vectors along `axis`, broadcasting the others."""
    x1, x2 = asarray_arg(x1), asarray_arg(x2)
    x1, x2 = util.broadcast_arrays(x1, x2)
    x1 = lax_numpy.moveaxis(x1, axis, -1)
    x2 = lax_numpy.moveaxis(x2, axis, -1)
    return reductions.sum(ufuncs.conj(x1) * x2, axis=-1)
