"""Linear algebra primitives: cholesky, eigh, lu, qr, svd and triangular_solve.

Mirrors jax/_src/lax/linalg.py. Each primitive works on the last two axes (leading axes are a
batch) with NumPy's LAPACK routines as its impl, and carries a jvp rule derived from the matrix
calculus of its factorisation. Only triangular_solve is linear (in its right-hand side), so it
alone has a transpose; reverse mode of the others comes from transposing their jvps.
"""
import functools

import numpy as np

from jaxlite.array import ArrayImpl
from jaxlite.core import Primitive, ShapedArray, get_aval
from jaxlite.errors import with_hint
from jaxlite.interpreters import ad, batching
from jaxlite.interpreters.ad import Zero
from jaxlite.interpreters.batching import not_mapped
from jaxlite.lax import lax, reductions, shapes, slicing, sorting
from jaxlite.lax.utils import check_dtypes, to_array
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.numpy_codegen import NumpyCall

__all__ = ["cholesky", "eigh", "lu", "qr", "svd", "triangular_solve",
           "cholesky_p", "eigh_p", "lu_p", "qr_p", "svd_p", "triangular_solve_p"]


# ----------------------------------------------------------------------------------------------
# Making linalg primitives: the rules see the matrix part of each shape; leading axes are a batch

def linalg_primitive(name, numpy_impl, ranks, result_shape, result_dtype, multiple_results=False):
    """A primitive over the trailing `ranks[i]` axes of operand i. `result_shape(*dims, **params)`
    and `result_dtype(dtype, **params)` give one value per result (a tuple when there are several)."""
    prim = Primitive(name)
    prim.multiple_results = multiple_results

    def abstract_eval(*avals, **params):
        batch_dims = []
        for i, (rank, aval) in enumerate(zip(ranks, avals)):
            if aval.ndim < rank:
                raise TypeError(with_hint(f"Input {i} to {name} must have rank at least {rank}, but got "
                                f"shape={aval.shape}",
                    "this decomposition works on matrices: give an array with at least two axes (batched matrices"
                    " are fine)."))
            batch_dims.append(aval.shape[:aval.ndim - rank])
        if len({len(b) for b in batch_dims}) > 1:
            raise TypeError(with_hint(f"All inputs to {name} must have the same number of batch dimensions, "
                            f"but got {[len(b) for b in batch_dims]} batch dimensions for the inputs.",
                "batch every input the same way: give them the same leading (batch) axes."))
        for i, aval in enumerate(avals):
            if aval.dtype.kind not in "fc":
                raise TypeError(with_hint(f"{name} does not accept dtype {aval.dtype.name} at position {i}. "
                                f"Accepted dtypes at position {i} are subtypes of floating, "
                                "complexfloating.",
                    "cast the input to a float or complex dtype first, e.g. x.astype(jnp.float32)."))
        check_dtypes(name, avals, None)
        dims = [a.shape[a.ndim - r:] for r, a in zip(ranks, avals)]
        shapes = result_shape(*dims, **params)
        dts = result_dtype(avals[0].dtype, **params)
        weak = all(a.weak_type for a in avals)
        outs = [ShapedArray(batch_dims[0] + tuple(s), d, weak) for s, d in
                zip(shapes if multiple_results else [shapes], dts if multiple_results else [dts])]
        return outs if multiple_results else outs[0]

    def impl(*args, **params):
        out_avals = abstract_eval(*[get_aval(a) for a in args], **params)
        outs = numpy_impl(*[np.asarray(a._value if type(a) is ArrayImpl else a) for a in args], **params)
        if not multiple_results:
            return ArrayImpl(np.asarray(outs).astype(out_avals.dtype, copy=False), out_avals.weak_type)
        return [ArrayImpl(np.asarray(o).astype(a.dtype, copy=False), a.weak_type)
                for o, a in zip(outs, out_avals)]

    prim.def_impl(impl)
    prim.def_abstract_eval(abstract_eval)
    prim.numpy_impl = numpy_impl  # what jit's NumPy code generator calls
    batching.primitive_batchers[prim] = functools.partial(_batch_at_front, prim)
    return prim


def _batch_at_front(prim, args, dims, **params):
    """Every operand's batch axis moved (or broadcast) to the front: the impls batch over
    leading axes anyway."""
    size = batching.axis_size_of(args, dims)
    args = [batching.bdim_at_front(x, d, size) for x, d in zip(args, dims)]
    out = prim.bind(*args, **params)
    return (out, [0] * len(out)) if prim.multiple_results else (out, 0)


def _same_dtype(dtype, **params):
    return dtype


def _real_dtype(dtype):
    return np.dtype(np.float32 if dtype == np.complex64 else np.float64) if dtype.kind == "c" else dtype




# ----------------------------------------------------------------------------------------------
# Matrix helpers used by the rules (they stage ordinary lax primitives)

def _T(x):
    ndim = get_aval(x).ndim
    return lax.transpose(x, (*range(ndim - 2), ndim - 1, ndim - 2))


def _H(x):
    """The conjugate transpose (the transpose, for a real matrix)."""
    return lax.conj(_T(x)) if get_aval(x).dtype.kind == "c" else _T(x)


def _as(x, dtype):
    """x converted to dtype (a real factor meeting a complex matrix), or x if it has it."""
    return x if get_aval(x).dtype == dtype else lax.convert_element_type(x, dtype)


def _real(x):
    return lax.real(x) if get_aval(x).dtype.kind == "c" else x


def symmetrize(x):
    """(x + x^H) / 2: what the decompositions of symmetric (Hermitian) matrices see by default."""
    return lax.div(lax.add(x, _H(x)), lax.const(x, 2))


def _tri(shape, k):
    """A boolean mask of the entries on or below the k-th diagonal."""
    rows = lax.add(shapes.broadcasted_iota(np.int32, shape, 0), k)
    return lax.ge(rows, shapes.broadcasted_iota(np.int32, shape, 1))


def _broadcast(x, batch):
    """lax.broadcast, skipped (as JAX does) when there are no batch axes."""
    return shapes.broadcast(x, tuple(batch)) if len(batch) else x


def _tril(m, k=0):
    shape = get_aval(m).shape
    mask = _broadcast(_tri(shape[-2:], k), shape[:-2])
    return lax.select(mask, m, lax.full_like(m, 0))


def _triu(m, k=0):
    shape = get_aval(m).shape
    mask = _broadcast(_tri(shape[-2:], k - 1), shape[:-2])
    return lax.select(mask, lax.full_like(m, 0), m)


def _eye(dtype, n, m=None):
    m = n if m is None else m
    return lax.convert_element_type(lax.eq(shapes.broadcasted_iota(np.int32, (n, m), 0),
                                           shapes.broadcasted_iota(np.int32, (n, m), 1)), dtype)


def _batch_eye(dtype, n, batch):
    """The n x n identity, repeated over the batch axes."""
    return _broadcast(_eye(dtype, n), batch)


def _spread(v, shape, axis):
    """A batch of vectors v (..., k) broadcast along the rows (axis=-1) or the columns
    (axis=-2) of a batch of matrices of the given shape."""
    nb = len(shape) - 2
    return lax.broadcast_in_dim(v, tuple(shape), tuple(range(nb)) + (len(shape) + axis,))


def _matmul(a, b):
    """a @ b over the last two axes, with equal leading batch axes."""
    nb = get_aval(a).ndim - 2
    batch = tuple(range(nb))
    return reductions.dot_general(a, b, (((nb + 1,), (nb,)), (batch, batch)))


def _diagonal(x):
    from jaxlite.numpy import lax_numpy
    return lax_numpy.diagonal(x, axis1=-2, axis2=-1)


def _diag_matrix(d):
    """A (batched) diagonal matrix with d on its diagonal."""
    *batch, n = get_aval(d).shape
    return lax.mul(_spread(d, (*batch, n, n), -1), _batch_eye(get_aval(d).dtype, n, batch))


# ----------------------------------------------------------------------------------------------
# cholesky: A = L L^T with L lower triangular

def _cholesky_impl(x):
    """NumPy's Cholesky (LAPACK potrf, reading the lower triangle); a matrix that is not
    positive definite gives NaNs, as in JAX, where NumPy would raise."""
    try:
        return np.linalg.cholesky(x)
    except np.linalg.LinAlgError:
        flat = x.reshape((-1,) + x.shape[-2:])
        out = np.full_like(flat, np.nan)
        for i, matrix in enumerate(flat):
            try:
                out[i] = np.linalg.cholesky(matrix)
            except np.linalg.LinAlgError:
                pass
        return out.reshape(x.shape)


def _cholesky_shape(shape):
    if shape[0] != shape[1]:
        raise ValueError(with_hint(f"The input to cholesky must be a square matrix. Got shape {tuple(shape)}.",
            "cholesky factors square (symmetric positive definite) matrices: check the last two axes."))
    return shape


cholesky_p = linalg_primitive("cholesky", _cholesky_impl, (2,), _cholesky_shape, _same_dtype)


def _cholesky_jvp(primals, tangents):
    """From A = L L^H: L^-1 dA L^-H = L^-1 dL + (L^-1 dL)^H, whose lower triangle (diagonal
    halved) is L^-1 dL."""
    x, = primals
    sigma_dot, = tangents
    L = _tril(cholesky_p.bind(x))

    def phi(X):
        *batch, n, _ = get_aval(X).shape
        halve = lax.add(lax.const(X, 1), _batch_eye(get_aval(X).dtype, n, batch))
        return lax.div(_tril(X), halve)

    tmp = triangular_solve(L, sigma_dot, left_side=False, transpose_a=True, conjugate_a=True, lower=True)
    L_dot = _matmul(L, phi(triangular_solve(L, tmp, left_side=True, transpose_a=False, lower=True)))
    return L, L_dot


ad.primitive_jvps[cholesky_p] = _cholesky_jvp


# ----------------------------------------------------------------------------------------------
# eigh: A = V diag(w) V^T for symmetric A, eigenvalues ascending

def _eigh_impl(x, *, lower, sort_eigenvalues, subset_by_index, algorithm):
    n = x.shape[-1]
    if subset_by_index is not None and tuple(subset_by_index) != (0, n):
        raise NotImplementedError("subset_by_index not supported on CPU and GPU")
    w, v = np.linalg.eigh(x, UPLO="L" if lower else "U")
    return v, w


def _eigh_shape(shape, *, subset_by_index, **params):
    if shape[0] != shape[-1]:
        raise ValueError(with_hint(f"Argument to symmetric eigendecomposition must have shape [..., n, n], got "
                         f"shape {tuple(shape)}",
            "eigh takes square (symmetric or Hermitian) matrices: check the last two axes."))
    n = shape[0]
    d = n if subset_by_index is None else subset_by_index[1] - subset_by_index[0]
    return (n, d), (d,)


eigh_p = linalg_primitive("eigh", _eigh_impl, (2,), _eigh_shape,
                          lambda dtype, **p: (dtype, _real_dtype(dtype)), multiple_results=True)


def _eigh_jvp(primals, tangents, *, lower, sort_eigenvalues, subset_by_index, algorithm):
    """First-order perturbation theory, for distinct eigenvalues: with B = V^H dA V,
    dw = real(diag(B)) and dV = V (F * B), where F[i, j] = 1 / (w[j] - w[i]) off the diagonal."""
    a, = primals
    a_dot, = tangents
    n = get_aval(a).shape[-1]
    if not (subset_by_index is None or tuple(subset_by_index) == (0, n)):
        raise NotImplementedError("Derivatives not defined for partial eigen decomposition.")
    v, w = eigh_p.bind(symmetrize(a), lower=lower, sort_eigenvalues=sort_eigenvalues,
                       subset_by_index=subset_by_index, algorithm=algorithm)
    shape, dtype = get_aval(a).shape, get_aval(a).dtype
    eye = _batch_eye(dtype, n, shape[:-2])
    w_ = _as(w, dtype)
    gaps = lax.sub(_spread(w_, shape, -1), _spread(w_, shape, -2))  # gaps[i, j] = w[j] - w[i]
    # 1 / (eye + gaps) - eye: the reciprocal gaps, and 0 (not inf) on the diagonal
    F = lax.sub(lax.integer_pow(lax.add(eye, gaps), -1), eye)
    vh_adot_v = _matmul(_matmul(_H(v), a_dot), v)
    dv = _matmul(v, lax.mul(F, vh_adot_v))
    dw = _real(_diagonal(vh_adot_v))
    return [v, w], [dv, dw]


ad.primitive_jvps[eigh_p] = _eigh_jvp


# ----------------------------------------------------------------------------------------------
# lu: P A = L U with partial (row) pivoting

def _lu_impl(x):
    """Doolittle elimination with partial pivoting, as LAPACK's getrf: at step j the row with
    the largest |entry| in column j (the first one on ties) is swapped up. Vectorised over the
    batch; `pivots` records the swaps, `permutation` their result."""
    *batch, m, n = x.shape
    k = min(m, n)
    a = np.array(x, copy=True).reshape((-1, m, n))
    count = a.shape[0]
    pivots = np.zeros((count, k), np.int32)
    permutation = np.tile(np.arange(m, dtype=np.int32), (count, 1))
    rows = np.arange(count)
    for j in range(k):
        p = j + np.argmax(np.abs(a[:, j:, j]), axis=1)
        pivots[:, j] = p
        a[rows, j], a[rows, p] = a[rows, p], a[rows, j].copy()
        permutation[rows, j], permutation[rows, p] = permutation[rows, p], permutation[rows, j].copy()
        pivot = a[:, j, j:j + 1]
        # A zero pivot means the column is zero below it too: nothing to eliminate.
        a[:, j + 1:, j] /= np.where(pivot == 0, np.ones_like(pivot), pivot)
        a[:, j + 1:, j + 1:] -= a[:, j + 1:, j, None] * a[:, j, None, j + 1:]
    return (a.reshape(x.shape), pivots.reshape((*batch, k)), permutation.reshape((*batch, m)))


lu_p = linalg_primitive("lu", _lu_impl, (2,), lambda shape: (shape, (min(shape),), (shape[0],)),
                        lambda dtype: (dtype, np.dtype(np.int32), np.dtype(np.int32)),
                        multiple_results=True)


def _lu_jvp_single(lu, a_dot, permutation):
    """For one matrix: from P A = L U, L^-1 P dA U^-1 = L^-1 dL + dU U^-1, a strictly lower
    plus an upper triangular part; so dL = L tril(.., -1) and dU = triu(..) U."""
    m, n = get_aval(a_dot).shape
    k = min(m, n)
    dtype = get_aval(a_dot).dtype
    zero = lax.const(lu, 0)
    l = slicing.pad(_tril(lu[:, :k], -1), zero, ((0, 0, 0), (0, m - k, 0)))
    l = lax.add(l, _eye(dtype, m))
    u_eye = slicing.pad(_eye(dtype, n - k), zero, ((k, 0, 0), (k, 0, 0)))
    u = lax.add(slicing.pad(_triu(lu[:k, :]), zero, ((0, n - k, 0), (0, 0, 0))), u_eye)
    la = triangular_solve(l, a_dot[permutation], left_side=True, transpose_a=False, lower=True,
                          unit_diagonal=True)
    lau = triangular_solve(u, la, left_side=False, transpose_a=False, lower=False)
    return lax.add(_matmul(l, _tril(lau, -1)), _matmul(_triu(lau), u))


def _lu_jvp(primals, tangents):
    from jaxlite import api
    a, = primals
    a_dot, = tangents
    lu, pivots, permutation = lu_p.bind(a)
    rule = _lu_jvp_single
    for _ in get_aval(a).shape[:-2]:
        rule = api.vmap(rule)
    lu_dot = rule(lu, a_dot, permutation)
    return [lu, pivots, permutation], [lu_dot, Zero.from_primal_value(pivots),
                                       Zero.from_primal_value(permutation)]


ad.primitive_jvps[lu_p] = _lu_jvp


def _lu_solve_single(lu, permutation, b, trans):
    """Solve A x = b (trans=0) or A^T x = b (trans=1) for one matrix from its LU factors;
    b is (m, k)."""
    if trans == 0:
        x = b[permutation, :]
        x = triangular_solve(lu, x, left_side=True, lower=True, unit_diagonal=True)
        return triangular_solve(lu, x, left_side=True, lower=False)
    x = triangular_solve(lu, b, left_side=True, lower=False, transpose_a=True)
    x = triangular_solve(lu, x, left_side=True, lower=True, unit_diagonal=True, transpose_a=True)
    m = get_aval(permutation).shape[0]
    _, inverse = sorting.sort_key_val(permutation, shapes.iota(np.int32, m))
    return x[inverse, :]


def lu_solve(lu, permutation, b, trans=0):
    """x with A x = b, from lu and permutation of lu(A); b is (..., m) or (..., m, k)."""
    from jaxlite import api
    lu_shape, b_shape = get_aval(lu).shape, get_aval(b).shape
    vector = len(lu_shape) == len(b_shape) + 1
    if vector:
        b = shapes.expand_dims(b, (len(b_shape),))
        b_shape = get_aval(b).shape
    batch = np.broadcast_shapes(lu_shape[:-2], get_aval(permutation).shape[:-1], b_shape[:-2])
    lu = _broadcast_batch(lu, batch, 2)
    permutation = _broadcast_batch(permutation, batch, 1)
    b = _broadcast_batch(b, batch, 2)
    fn = functools.partial(_lu_solve_single, trans=trans)
    for _ in batch:
        fn = api.vmap(fn)
    x = fn(lu, permutation, b)
    return x[..., 0] if vector else x


def _broadcast_batch(x, batch, rank):
    shape = get_aval(x).shape
    target = tuple(batch) + shape[len(shape) - rank:]
    if shape == target:
        return x
    return lax.broadcast_in_dim(x, target, tuple(range(len(target) - len(shape), len(target))))


# ----------------------------------------------------------------------------------------------
# triangular_solve: op(A) X = B or X op(A) = B with A triangular

def _triangular_solve_impl(a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    """Only the `lower` (or upper) triangle of a is read; with unit_diagonal its diagonal is
    taken to be 1. A zero on the diagonal gives infinities and NaNs, as XLA's solver does."""
    n = a.shape[-1]
    tri = np.tril(a) if lower else np.triu(a)
    if unit_diagonal:
        tri = tri.copy()
        tri[..., np.arange(n), np.arange(n)] = 1
    if conjugate_a:
        tri = np.conj(tri)
    if transpose_a:
        tri, lower = np.swapaxes(tri, -1, -2), not lower
    if not left_side:  # X A = B is A^T X^T = B^T
        tri, b, lower = np.swapaxes(tri, -1, -2), np.swapaxes(b, -1, -2), not lower
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            x = np.linalg.solve(tri, b)
        except np.linalg.LinAlgError:
            x = _substitute(tri, b, lower)
    return x if left_side else np.swapaxes(x, -1, -2)


def _substitute(tri, b, lower):
    """Forward (lower) or back (upper) substitution, one row at a time."""
    n = tri.shape[-1]
    x = np.zeros(np.broadcast_shapes(tri.shape[:-2], b.shape[:-2]) + b.shape[-2:], b.dtype)
    for i in (range(n) if lower else range(n - 1, -1, -1)):
        done = slice(0, i) if lower else slice(i + 1, n)
        rest = b[..., i, :] - np.einsum("...j,...jk->...k", tri[..., i, done], x[..., done, :])
        x[..., i, :] = rest / tri[..., i, i, None]
    return x


def _triangular_solve_shape(a_shape, b_shape, *, left_side=False, **params):
    if a_shape[0] != a_shape[1]:
        raise ValueError(with_hint(f"The first input to triangular_solve must be a square matrix. Got shape "
                         f"{tuple(a_shape)}.",
            "triangular_solve's first argument is a square triangular matrix."))
    common = -2 if left_side else -1
    if a_shape[-1] != b_shape[common]:
        raise ValueError(with_hint(f"Incompatible shapes for arguments to triangular_solve: {tuple(a_shape)} "
                         f"and {tuple(b_shape)}.",
            "the right-hand side has as many rows as the matrix (or columns, with left_side=False)."))
    return b_shape


triangular_solve_p = linalg_primitive("triangular_solve", _triangular_solve_impl, (2, 2),
                                      _triangular_solve_shape, _same_dtype)


def _triangular_solve_jvp_a(g_a, ans, a, b, *, left_side, lower, transpose_a, conjugate_a,
                            unit_diagonal):
    """d(A^-1 B) = -A^-1 dA A^-1 B = -A^-1 dA X, with dA restricted to the triangle read
    (the diagonal dropped when it is taken as 1)."""
    m, n = get_aval(b).shape[-2:]
    k = 1 if unit_diagonal else 0
    g_a = lax.neg(_tril(g_a, -k) if lower else _triu(g_a, k))
    g_a = _T(g_a) if transpose_a else g_a
    g_a = lax.conj(g_a) if conjugate_a else g_a
    params = dict(left_side=left_side, lower=lower, transpose_a=transpose_a, conjugate_a=conjugate_a,
                  unit_diagonal=unit_diagonal)
    solve = lambda rhs: triangular_solve(a, rhs, **params)
    # Whichever order is cheaper: a solve costs about as much as a product.
    if left_side:
        return solve(_matmul(g_a, ans)) if m > n else _matmul(solve(g_a), ans)
    return solve(_matmul(ans, g_a)) if m < n else _matmul(ans, solve(g_a))


def _triangular_solve_transpose(ct, a, b, *, left_side, lower, transpose_a, conjugate_a,
                                unit_diagonal):
    """Linear in b like a matrix product with A^-1, so the transpose solves with op(A)^T."""
    if type(ct) is Zero:
        return [None, None]
    return [None, triangular_solve(a, ct, left_side=left_side, lower=lower,
                                   transpose_a=not transpose_a, conjugate_a=conjugate_a,
                                   unit_diagonal=unit_diagonal)]


ad.defjvp2(triangular_solve_p, _triangular_solve_jvp_a,
           lambda g_b, ans, a, b, **params: triangular_solve_p.bind(a, g_b, **params))
ad.primitive_transposes[triangular_solve_p] = _triangular_solve_transpose


def _triangular_solve_batcher(args, dims, **params):
    """With one matrix for the whole batch, the batch joins the columns of b (rows, for a
    solve from the right): one solve instead of many."""
    a, b = args
    da, db = dims
    if da is not_mapped:
        if params["left_side"]:
            b = batching.moveaxis(b, db, -1)
            moved = get_aval(b).shape
            flat = lax.reshape(b, moved[:-2] + (moved[-2] * moved[-1],))
            out_dim = len(moved) - 1
        else:
            b = batching.moveaxis(b, db, -2)
            moved = get_aval(b).shape
            flat = lax.reshape(b, moved[:-3] + (moved[-3] * moved[-2], moved[-1]))
            out_dim = len(moved) - 2
        out = triangular_solve_p.bind(a, flat, **params)
        return lax.reshape(out, moved), out_dim
    size = batching.axis_size_of(args, dims)
    a, b = batching.bdim_at_front(a, da, size), batching.bdim_at_front(b, db, size)
    return triangular_solve_p.bind(a, b, **params), 0


batching.primitive_batchers[triangular_solve_p] = _triangular_solve_batcher


# ----------------------------------------------------------------------------------------------
# qr: A = Q R with Q orthogonal and R upper triangular

def _qr_impl(x, *, pivoting, full_matrices, use_magma):
    if pivoting:
        raise NotImplementedError("jaxlite's qr does not implement column pivoting (pivoting=True).")
    return np.linalg.qr(x, mode="complete" if full_matrices else "reduced")


def _qr_shape(shape, *, pivoting, full_matrices, **params):
    m, n = shape
    k = m if full_matrices else min(m, n)
    return ((m, k), (k, n), (n,)) if pivoting else ((m, k), (k, n))


qr_p = linalg_primitive("qr", _qr_impl, (2,), _qr_shape,
                        lambda dtype, pivoting, **p: (dtype, dtype, np.dtype(np.int32)) if pivoting
                        else (dtype, dtype), multiple_results=True)


def _thin_qr_jvp(q, r, dx):
    """For m >= n and the reduced factors: with C = Q^H dX R^-1, dR R^-1 is upper triangular
    and Q^H dQ anti-Hermitian, which splits C into the two (for complex matrices the diagonal
    of Q^H dQ keeps C's imaginary part)."""
    dx_rinv = triangular_solve(r, dx)
    qt_dx_rinv = _matmul(_H(q), dx_rinv)
    lower = _tril(qt_dx_rinv, -1)
    do = lax.sub(lower, _H(lower))
    if get_aval(q).dtype.kind == "c":
        eye = _batch_eye(get_aval(q).dtype, get_aval(q).shape[-1], get_aval(q).shape[:-2])
        do = lax.add(do, lax.mul(eye, lax.sub(qt_dx_rinv, _as(lax.real(qt_dx_rinv), get_aval(q).dtype))))
    dq = lax.add(_matmul(q, lax.sub(do, qt_dx_rinv)), dx_rinv)
    dr = _matmul(lax.sub(qt_dx_rinv, do), r)
    return dq, dr


def _qr_jvp(primals, tangents, *, pivoting, full_matrices, use_magma):
    x, = primals
    dx, = tangents
    q, r = qr_p.bind(x, pivoting=pivoting, full_matrices=full_matrices, use_magma=use_magma)
    *_, m, n = get_aval(x).shape
    last = get_aval(x).ndim - 1
    if m < n:
        # A wide X = [X1 X2] = Q [R1 R2]: X1 = Q R1 is a square QR, and R2 = Q^T X2.
        dq, dr1 = _thin_qr_jvp(q, r[..., :, :m], dx[..., :, :m])
        dr2 = lax.add(_matmul(_H(dq), x[..., :, m:]), _matmul(_H(q), dx[..., :, m:]))
        return [q, r], [dq, slicing.concatenate([dr1, dr2], last)]
    q_mn = q[..., :, :n] if full_matrices else q
    r_nn = r[..., :n, :n] if full_matrices else r
    dq_mn, dr_nn = _thin_qr_jvp(q_mn, r_nn, dx)
    if not full_matrices or m == n:
        return [q, r], [dq_mn, dr_nn]
    if get_aval(x).dtype.kind == "c":
        raise NotImplementedError("jaxlite does not differentiate the complete QR (mode='complete') "
                                  "of a tall complex matrix: use mode='reduced'.")
    # The complete Q of a tall X: its last m - n columns move so that Q stays orthogonal; with
    # Z = Q_pn (Q_nn - I)^-1 (blocks of the first n columns), as in arXiv:2409.13374.
    q_nn, q_pn, q_mp = q_mn[..., :n, :], q_mn[..., n:, :], q[..., :, n:]
    dq_nn, dq_pn = dq_mn[..., :n, :], dq_mn[..., n:, :]
    shifted = lax.sub(q_nn, _batch_eye(get_aval(q).dtype, n, get_aval(q).shape[:-2]))
    lu_factor, _, perm = lu(shifted)
    z_pn_t = lu_solve(lu_factor, perm, _T(q_pn), trans=1)
    z_pn = _T(z_pn_t)
    dq_mp = lax.sub(_matmul(dq_mn, z_pn_t),
                    _matmul(lax.add(q_mn, _matmul(q_mp, z_pn)), _T(lax.sub(dq_pn, _matmul(z_pn, dq_nn)))))
    zeros = lax.full((*get_aval(dr_nn).shape[:-2], m - n, n), 0, get_aval(dr_nn).dtype)
    return [q, r], [slicing.concatenate([dq_mn, dq_mp], last),
                    slicing.concatenate([dr_nn, zeros], last - 1)]


ad.primitive_jvps[qr_p] = _qr_jvp


# ----------------------------------------------------------------------------------------------
# svd: A = U diag(s) V^T, singular values descending

def _svd_impl(x, *, full_matrices, compute_uv, subset_by_index, algorithm):
    k = min(x.shape[-2:])
    if subset_by_index is not None and tuple(subset_by_index) != (0, k):
        raise NotImplementedError("jaxlite's svd does not implement subset_by_index.")
    if not compute_uv:
        return (np.linalg.svd(x, compute_uv=False),)
    u, s, vt = np.linalg.svd(x, full_matrices=full_matrices)
    return s, u, vt


def _svd_shape(shape, *, full_matrices, compute_uv, subset_by_index, **params):
    m, n = shape
    rank = min(m, n)
    if subset_by_index is not None:
        if full_matrices and tuple(subset_by_index) != (0, rank):
            raise ValueError(with_hint("full_matrices and subset_by_index cannot both be set",
                "ask for either full matrices or a subset of the eigenvalues, not both."))
        rank = min(rank, subset_by_index[1] - subset_by_index[0])
    if not compute_uv:
        return ((rank,),)
    return (rank,), (m, m if full_matrices else rank), (n if full_matrices else rank, n)


svd_p = linalg_primitive("svd", _svd_impl, (2,), _svd_shape,
                         lambda dtype, compute_uv, **p: (_real_dtype(dtype), dtype, dtype)
                         if compute_uv else (_real_dtype(dtype),), multiple_results=True)


def _svd_jvp(primals, tangents, *, full_matrices, compute_uv, subset_by_index, algorithm):
    """With dS = U^H dA V: ds = real(diag(dS)); dU and dV from the off-diagonal part, divided by
    s_j^2 - s_i^2 (F below), plus for a non-square A the part outside the span of U or V."""
    A, = primals
    dA, = tangents
    s, U, Vt = svd_p.bind(A, full_matrices=False, compute_uv=True, subset_by_index=subset_by_index,
                          algorithm=algorithm)
    m, n = get_aval(A).shape[-2:]
    if compute_uv and full_matrices and m != n:
        raise NotImplementedError("Singular value decomposition JVP not implemented for full matrices")
    Ut, V = _H(U), _H(Vt)
    dS = _matmul(_matmul(Ut, dA), V)
    ds = _real(_diagonal(dS))
    if not compute_uv:
        return [s], [ds]
    *batch, k = get_aval(s).shape
    s_row, s_col = _spread(s, (*batch, k, k), -1), _spread(s, (*batch, k, k), -2)
    s_diffs = lax.mul(lax.add(s_row, s_col), lax.sub(s_row, s_col))  # s_j^2 - s_i^2
    eye = _batch_eye(get_aval(s).dtype, k, batch)
    F = lax.sub(lax.div(lax.const(s, 1), lax.add(s_diffs, eye)), eye)
    dtype = get_aval(A).dtype
    dSS = lax.mul(_as(s_row, dtype), dS)
    SdS = lax.mul(_as(s_col, dtype), dS)
    s_zeros = lax.convert_element_type(lax.eq(s, lax.full_like(s, 0)), get_aval(s).dtype)
    s_inv = lax.sub(lax.div(lax.const(s, 1), lax.add(s, s_zeros)), s_zeros)
    dUdV_diag = lax.mul(lax.mul(lax.const(dS, 0.5), lax.sub(dS, _H(dS))), _as(_diag_matrix(s_inv), dtype))
    F = _as(F, dtype)
    dU = _matmul(U, lax.add(lax.mul(F, lax.add(dSS, _H(dSS))), dUdV_diag))
    dV = _matmul(V, lax.mul(F, lax.add(SdS, _H(SdS))))
    if m > n:
        dAV = _matmul(dA, V)
        rest = lax.sub(dAV, _matmul(U, _matmul(Ut, dAV)))
        dU = lax.add(dU, lax.div(rest, _as(_spread(s, get_aval(rest).shape, -1), dtype)))
    if n > m:
        dAhU = _matmul(_H(dA), U)
        rest = lax.sub(dAhU, _matmul(V, _matmul(Vt, dAhU)))
        dV = lax.add(dV, lax.div(rest, _as(_spread(s, get_aval(rest).shape, -1), dtype)))
    return [s, U, Vt], [ds, dU, _H(dV)]


ad.primitive_jvps[svd_p] = _svd_jvp


# ----------------------------------------------------------------------------------------------
# The functions users call

def cholesky(x, *, symmetrize_input=True):
    """The lower-triangular L with x = L L^T (NaNs if x is not positive definite)."""
    x = to_array(x)
    if symmetrize_input:
        x = symmetrize(x)
    return _tril(cholesky_p.bind(x))


def eigh(x, *, lower=True, symmetrize_input=True, sort_eigenvalues=True, subset_by_index=None,
         implementation=None):
    """(v, w): eigenvectors as the columns of v, eigenvalues w in ascending order."""
    x = to_array(x)
    if symmetrize_input:
        x = symmetrize(x)
    v, w = eigh_p.bind(x, lower=bool(lower), sort_eigenvalues=bool(sort_eigenvalues),
                       subset_by_index=None if subset_by_index is None else tuple(subset_by_index),
                       algorithm=implementation)
    return v, w


def lu(x):
    """(lu, pivots, permutation): L (unit diagonal, not stored) below and U on and above the
    diagonal of lu, with x[permutation] = L @ U."""
    return lu_p.bind(to_array(x))


def qr(x, *, pivoting=False, full_matrices=True, use_magma=None):
    q, r, *p = qr_p.bind(to_array(x), pivoting=bool(pivoting), full_matrices=bool(full_matrices),
                         use_magma=use_magma)
    return (q, r, p[0]) if pivoting else (q, r)


def svd(x, *, full_matrices=True, compute_uv=True, subset_by_index=None, algorithm=None):
    """(u, s, vh) with x = u @ diag(s) @ vh and s descending; only s without compute_uv."""
    out = svd_p.bind(to_array(x), full_matrices=bool(full_matrices), compute_uv=bool(compute_uv),
                     subset_by_index=None if subset_by_index is None else tuple(subset_by_index),
                     algorithm=algorithm)
    if compute_uv:
        s, u, vh = out
        return u, s, vh
    return out[0]


def triangular_solve(a, b, *, left_side=False, lower=False, transpose_a=False, conjugate_a=False,
                     unit_diagonal=False):
    """X with op(a) X = b (left_side) or X op(a) = b, reading one triangle of a; op transposes
    a if transpose_a. b may be one vector less than a matrix."""
    a, b = to_array(a), to_array(b)
    conjugate_a = bool(conjugate_a) and get_aval(a).dtype.kind == "c"
    vector = get_aval(b).ndim == get_aval(a).ndim - 1
    if vector:
        b = shapes.expand_dims(b, (get_aval(b).ndim if left_side else get_aval(b).ndim - 1,))
    out = triangular_solve_p.bind(a, b, left_side=bool(left_side), lower=bool(lower),
                                  transpose_a=bool(transpose_a), conjugate_a=conjugate_a,
                                  unit_diagonal=bool(unit_diagonal))
    if vector:
        out = out[..., 0] if left_side else out[..., 0, :]
    return out


# ----------------------------------------------------------------------------------------------
# Lowerings: NumPy's (and LAPACK's) routines in jit's NumPy code, jax.lax.linalg's on XLA. The
# primitives take their inputs as they are: symmetrizing was done before binding.

def _svd_on_xla(ctx, x, compute_uv, algorithm=None, **params):
    svd = ctx.lax.linalg.svd
    if not compute_uv:
        return [svd(x, compute_uv=False, **params)]
    s_u_vh = svd(x, **params)
    return [s_u_vh[i] for i in (1, 0, 2)]  # jaxlite's primitive gives s, u, vh


for _prim, _rule in [
    (cholesky_p, lambda ctx, x: ctx.lax.linalg.cholesky(x, symmetrize_input=False)),
    (eigh_p, lambda ctx, x, algorithm=None, **p: list(ctx.lax.linalg.eigh(x, symmetrize_input=False, **p))),
    (lu_p, lambda ctx, x: list(ctx.lax.linalg.lu(x))),
    (qr_p, lambda ctx, x, **p: list(ctx.lax.linalg.qr(x, **p))),
    (svd_p, _svd_on_xla),
    (triangular_solve_p, lambda ctx, a, b, **p: ctx.lax.linalg.triangular_solve(a, b, **p)),
]:
    register_lowering(_prim, NumpyCall(_prim.numpy_impl), "numpy")
    register_lowering(_prim, _rule, "xla")
