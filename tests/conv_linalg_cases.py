"""Cases for the convolution and linear-algebra primitives, in the format of primitive_cases.

`fn(lax, *args)` runs with `jax.lax` and `jaxlite.lax`. Matrices are drawn well conditioned
(symmetric positive definite where a factorisation needs it, with distinct eigenvalues and
singular values), so values and derivatives are stable under small perturbations.

Eigenvectors and singular vectors are only defined up to sign, and LAPACK builds may choose
differently; the eigh and svd cases therefore return them sign-normalised (each vector's largest
entry made positive), which both libraries then agree on exactly where the decompositions do.
"""
import numpy as np

from primitive_cases import Case, normal

CONV_CASES = []
LINALG_CASES = []


def _add(table, id, prim, fn, *makers, **kw):
    table.append(Case(id, prim, fn, lambda rng: [m(rng) for m in makers], **kw))


# ----------------------------------------------------------------------------------------------
# conv_general_dilated

def _conv(**kw):
    return lambda lax, x, w: lax.conv_general_dilated(x, w, **kw)


_CONVS = {
    "same": (dict(window_strides=(1, 1), padding="SAME"), (2, 3, 6, 5), (4, 3, 3, 2)),
    "valid-strided": (dict(window_strides=(2, 1), padding="VALID"), (2, 3, 7, 6), (4, 3, 3, 2)),
    "explicit-negative-padding": (dict(window_strides=(1, 2), padding=((2, 1), (0, -1))),
                                  (1, 2, 5, 6), (3, 2, 2, 3)),
    "lhs-dilation": (dict(window_strides=(1, 1), padding=((1, 1), (2, 0)), lhs_dilation=(2, 3)),
                     (2, 2, 4, 3), (3, 2, 3, 2)),
    "rhs-dilation": (dict(window_strides=(2, 1), padding="SAME", rhs_dilation=(2, 2)),
                     (2, 2, 7, 6), (3, 2, 2, 3)),
    "both-dilations-strided": (dict(window_strides=(2, 3), padding=((1, 2), (1, 1)), lhs_dilation=(2, 1),
                                    rhs_dilation=(1, 2)), (1, 2, 5, 7), (2, 2, 3, 2)),
    "nhwc-hwio": (dict(window_strides=(1, 2), padding="SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")),
                  (2, 6, 5, 3), (3, 2, 3, 4)),
    "mixed-layouts": (dict(window_strides=(2, 1), padding="VALID", dimension_numbers=("NWHC", "OHWI", "CNHW")),
                      (2, 6, 5, 3), (4, 2, 3, 3)),
    "feature-groups": (dict(window_strides=(1, 1), padding="SAME", feature_group_count=2),
                       (2, 4, 5, 5), (6, 2, 3, 3)),
    "feature-groups-depthwise": (dict(window_strides=(1, 1), padding="VALID", feature_group_count=3),
                                 (2, 3, 5, 4), (3, 1, 2, 2)),
    "batch-groups": (dict(window_strides=(1, 1), padding="VALID", batch_group_count=2),
                     (4, 3, 5, 4), (4, 3, 2, 2)),
    "1d": (dict(window_strides=(2,), padding="SAME"), (2, 3, 9), (4, 3, 3)),
    "3d": (dict(window_strides=(1, 2, 1), padding="SAME"), (1, 2, 4, 5, 3), (2, 2, 2, 3, 2)),
    "same-lower": (dict(window_strides=(2, 2), padding="SAME_LOWER"), (1, 2, 6, 5), (2, 2, 3, 2)),
}
for _name, (_kw, _lhs, _rhs) in _CONVS.items():
    _add(CONV_CASES, f"conv-{_name}", "conv_general_dilated", _conv(**_kw),
         normal(*_lhs), normal(*_rhs), diff=(0, 1), rtol=1e-4, atol=1e-5)
_add(CONV_CASES, "conv-dimension-numbers-object", "conv_general_dilated",
     lambda lax, x, w: lax.conv_general_dilated(
         x, w, (1, 1), "SAME", dimension_numbers=lax.ConvDimensionNumbers((0, 3, 1, 2), (3, 2, 0, 1), (0, 3, 1, 2))),
     normal(2, 5, 4, 3), normal(3, 2, 3, 2), diff=(0, 1), rtol=1e-4, atol=1e-5)
_add(CONV_CASES, "conv-int8-preferred-int32", "conv_general_dilated",
     lambda lax, x, w: lax.conv_general_dilated(x, w, (1,), "VALID", preferred_element_type=np.int32),
     lambda rng: rng.integers(-9, 9, (2, 2, 6)).astype(np.int8),
     lambda rng: rng.integers(-9, 9, (3, 2, 2)).astype(np.int8))
_add(CONV_CASES, "conv-wrapper", "conv_general_dilated", lambda lax, x, w: lax.conv(x, w, (1, 2), "VALID"),
     normal(2, 3, 5, 6), normal(2, 3, 2, 2), diff=(0, 1), rtol=1e-4, atol=1e-5)
_add(CONV_CASES, "conv-with-general-padding", "conv_general_dilated",
     lambda lax, x, w: lax.conv_with_general_padding(x, w, (2, 1), ((1, 0), (0, 2)), (1, 2), (2, 1)),
     normal(1, 2, 5, 4), normal(2, 2, 2, 3), diff=(0, 1), rtol=1e-4, atol=1e-5)
for _pad in ("SAME", "VALID"):
    for _tk in (False, True):
        _add(CONV_CASES, f"conv_transpose-{_pad.lower()}{'-transpose-kernel' if _tk else ''}",
             "conv_general_dilated",
             lambda lax, x, w, p=_pad, t=_tk: lax.conv_transpose(x, w, (2, 2), p, transpose_kernel=t),
             normal(2, 4, 3, 3), normal(3, 2, 3, 3), diff=(0, 1), rtol=1e-4, atol=1e-5)


# ----------------------------------------------------------------------------------------------
# Linear algebra

def spd(n, *batch):
    """Symmetric positive definite with well separated eigenvalues."""
    def make(rng):
        q, _ = np.linalg.qr(rng.normal(size=batch + (n, n)))
        w = np.arange(1, n + 1) * 1.5 + rng.uniform(0, 0.5, size=batch + (n,))
        return ((q * w[..., None, :]) @ np.swapaxes(q, -1, -2)).astype(np.float32)
    return make


def general(m, n, *batch):
    """Distinct singular values between 1 and about 3: far from rank deficiency."""
    def make(rng):
        u, _ = np.linalg.qr(rng.normal(size=batch + (m, m)))
        v, _ = np.linalg.qr(rng.normal(size=batch + (n, n)))
        k = min(m, n)
        s = np.linspace(3.0, 1.0, k) + rng.uniform(0, 0.2, size=batch + (k,))
        return (u[..., :, :k] * s[..., None, :] @ v[..., :k, :]).astype(np.float32)
    return make


def triangular(n, lower, *batch):
    def make(rng):
        a = rng.normal(size=batch + (n, n)) * 0.3 + 2 * np.eye(n)
        return (np.tril(a) if lower else np.triu(a)).astype(np.float32)
    return make


def _signs_of(v, axis, lax):
    """+1 or -1 per vector, making the vector's largest-magnitude entry positive (a max over
    |v| cannot tie on the random matrices of these cases)."""
    jnp = _numpy_of(lax)
    idx = jnp.argmax(jnp.abs(v), axis=axis, keepdims=True)
    rows = lax.broadcasted_iota(np.int32, v.shape, v.ndim + axis)
    return jnp.sign(jnp.sum(jnp.where(rows == idx, v, 0), axis=axis, keepdims=True))


def _numpy_of(lax):
    import jax
    import jaxlite
    return jax.numpy if lax is jax.lax else jaxlite.numpy


def eigh_normalised(lax, x, **kw):
    v, w = lax.linalg.eigh(x, **kw)
    return v * _signs_of(v, -2, lax), w


def svd_normalised(lax, x, **kw):
    u, s, vh = lax.linalg.svd(x, **kw)
    signs = _signs_of(u, -2, lax)  # one per column of u, that is per singular value
    k = s.shape[-1]
    return u[..., :, :k] * signs, s, vh[..., :k, :] * _numpy_of(lax).swapaxes(signs, -1, -2)


_add(LINALG_CASES, "cholesky", "cholesky", lambda lax, x: lax.linalg.cholesky(x), spd(4), diff=(0,),
     rtol=1e-4, atol=1e-5)
_add(LINALG_CASES, "cholesky-batched", "cholesky", lambda lax, x: lax.linalg.cholesky(x), spd(3, 2),
     diff=(0,), rtol=1e-4, atol=1e-5)
_add(LINALG_CASES, "cholesky-no-symmetrize", "cholesky",
     lambda lax, x: lax.linalg.cholesky(x, symmetrize_input=False), spd(3), diff=(0,), rtol=1e-4,
     atol=1e-5, fd=False)  # only the lower triangle is read: not a function of the whole matrix
_add(LINALG_CASES, "eigh", "eigh", eigh_normalised, spd(4), diff=(0,), rtol=1e-4, atol=1e-4)
_add(LINALG_CASES, "eigh-batched-upper", "eigh", lambda lax, x: eigh_normalised(lax, x, lower=False),
     spd(3, 2), diff=(0,), rtol=1e-4, atol=1e-4)
_add(LINALG_CASES, "eigh-values", "eigh", lambda lax, x: lax.linalg.eigh(x)[1], spd(5), diff=(0,),
     rtol=1e-4, atol=1e-4)
for _shape in ((4, 4), (5, 3), (3, 5)):
    _id = "x".join(map(str, _shape))
    _add(LINALG_CASES, f"lu-{_id}", "lu", lambda lax, x: lax.linalg.lu(x), general(*_shape), diff=(0,),
         rtol=1e-4, atol=1e-5)
    _add(LINALG_CASES, f"qr-reduced-{_id}", "qr", lambda lax, x: lax.linalg.qr(x, full_matrices=False),
         general(*_shape), diff=(0,), rtol=1e-4, atol=1e-4)
    _add(LINALG_CASES, f"svd-values-{_id}", "svd", lambda lax, x: lax.linalg.svd(x, compute_uv=False),
         general(*_shape), diff=(0,), rtol=1e-4, atol=1e-5)
    _add(LINALG_CASES, f"svd-reduced-{_id}", "svd",
         lambda lax, x: svd_normalised(lax, x, full_matrices=False), general(*_shape), diff=(0,),
         rtol=1e-4, atol=1e-4)
_add(LINALG_CASES, "lu-batched", "lu", lambda lax, x: lax.linalg.lu(x), general(3, 3, 2), diff=(0,),
     rtol=1e-4, atol=1e-5)
_add(LINALG_CASES, "qr-complete-tall", "qr", lambda lax, x: lax.linalg.qr(x, full_matrices=True),
     general(5, 3), diff=(0,), rtol=1e-4, atol=1e-4)
_add(LINALG_CASES, "qr-complete-square-batched", "qr", lambda lax, x: lax.linalg.qr(x), general(3, 3, 2),
     diff=(0,), rtol=1e-4, atol=1e-4)
_add(LINALG_CASES, "svd-full-square", "svd", lambda lax, x: svd_normalised(lax, x), general(4, 4),
     diff=(0,), rtol=1e-4, atol=1e-4)
_add(LINALG_CASES, "svd-values-batched", "svd", lambda lax, x: lax.linalg.svd(x, compute_uv=False),
     general(4, 3, 2), diff=(0,), rtol=1e-4, atol=1e-5)
for _left in (True, False):
    for _lower in (True, False):
        for _trans in (False, True):
            _side = "left" if _left else "right"
            _b = normal(4, 3) if _left else normal(3, 4)
            _add(LINALG_CASES, f"triangular_solve-{_side}-{'lower' if _lower else 'upper'}"
                 f"{'-transposed' if _trans else ''}", "triangular_solve",
                 lambda lax, a, b, l=_left, lo=_lower, t=_trans: lax.linalg.triangular_solve(
                     a, b, left_side=l, lower=lo, transpose_a=t),
                 triangular(4, _lower), _b, diff=(0, 1), rtol=1e-4, atol=1e-5)
_add(LINALG_CASES, "triangular_solve-unit-diagonal", "triangular_solve",
     lambda lax, a, b: lax.linalg.triangular_solve(a, b, left_side=True, lower=True, unit_diagonal=True),
     triangular(4, True), normal(4, 2), diff=(0, 1), rtol=1e-4, atol=1e-5)
_add(LINALG_CASES, "triangular_solve-vector", "triangular_solve",
     lambda lax, a, b: lax.linalg.triangular_solve(a, b, left_side=True, lower=False),
     triangular(4, False), normal(4), diff=(0, 1), rtol=1e-4, atol=1e-5)
_add(LINALG_CASES, "triangular_solve-batched", "triangular_solve",
     lambda lax, a, b: lax.linalg.triangular_solve(a, b, left_side=True, lower=True),
     triangular(3, True, 2), normal(2, 3, 2), diff=(0, 1), rtol=1e-4, atol=1e-5)
