"""Special functions as primitives: erf, erfc and erf_inv; the incomplete gamma and beta functions
igamma, igammac, igamma_grad_a and regularized_incomplete_beta (lax.betainc).

Mirrors jax/_src/lax/special.py. Each is an elementwise primitive of floats, defined with its rules
like those in lax.py. The incomplete gamma and beta impls evaluate the classical series and continued
fractions in float64 NumPy and round to the operands' dtype; their edge cases (NaN outside the
domain, the values at 0 and infinity, an exponential prefactor that underflows in the operand's
dtype) are JAX's. The derivative with respect to a of igamma is a primitive of its own, computed
alongside the series by forward-mode differentiation; betainc has a derivative in x only, as in JAX.
"""
import math

import numpy as np

from jaxlite.errors import with_hint
from jaxlite.interpreters import batching, numpy_codegen
from jaxlite.interpreters.ad import defjvp, defjvp2
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to
from jaxlite.lax import lax
from jaxlite.lax.lax import const, unary, binop, exp, mul, neg, square, unop
from jaxlite.lax.utils import dtype_checked, named_broadcasting_shape, to_array, standard_primitive


def _erf_impl(x):
    return np.vectorize(math.erf, otypes=[x.dtype])(x) if np.ndim(x) else np.asarray(math.erf(x), x.dtype)


def _erfc_impl(x):
    """erfc directly (not 1 - erf, which rounds to 0 in float32 from x = 4 on)."""
    return np.vectorize(math.erfc, otypes=[x.dtype])(x) if np.ndim(x) else np.asarray(math.erfc(x), x.dtype)


def _erf_inv_impl(x):
    x = np.asarray(x)
    if x.dtype == np.float32:
        return _erf_inv_float32(x)
    return _erf_inv_numpy(x.astype(np.float64)).astype(x.dtype)


# Giles' single-precision polynomials ("Approximating the erfinv function", 2010), the same
# approximation XLA uses for float32: matching it keeps random.normal within 2 ulp of JAX's.
_ERF_INV_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                    -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_ERF_INV_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                 -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)


def _erf_inv_float32(x):
    f32 = np.float32
    with np.errstate(divide="ignore", invalid="ignore"):
        w = -np.log1p(-x * x)
        central = w - f32(2.5)
        tail = np.sqrt(w) - f32(3)
        p_central = np.full_like(x, f32(_ERF_INV_CENTRAL[0]))
        p_tail = np.full_like(x, f32(_ERF_INV_TAIL[0]))
        for a, b in zip(_ERF_INV_CENTRAL[1:], _ERF_INV_TAIL[1:]):
            p_central = f32(a) + p_central * central
            p_tail = f32(b) + p_tail * tail
        out = np.where(w < f32(5), p_central, p_tail) * x
    return np.where(np.abs(x) == 1, np.copysign(f32(np.inf), x), out).astype(np.float32)


def _erf_inv_numpy(y):
    """Inverse error function by Newton steps from a rational first guess (float64 throughout)."""
    erf = np.vectorize(math.erf, otypes=[np.float64])
    a = 0.147
    ln = np.log1p(-y * y)
    t = 2 / (np.pi * a) + ln / 2
    x = np.sign(y) * np.sqrt(np.sqrt(t * t - ln / a) - t)
    with np.errstate(invalid="ignore", over="ignore"):
        for _ in range(3):
            x = x - (erf(x) - y) / (2 / np.sqrt(np.pi) * np.exp(-x * x))
    return np.where(np.abs(y) == 1, np.sign(y) * np.inf, x)


erf_p = unop("erf", _erf_impl, kinds="f")
defjvp(erf_p, lambda g, x: mul(const(x, 2 / np.sqrt(np.pi)), mul(g, exp(neg(square(x))))))
erfc_p = unop("erfc", lambda x: _erfc_impl(x), kinds="f")
defjvp(erfc_p, lambda g, x: mul(const(x, -2 / np.sqrt(np.pi)), mul(g, exp(neg(square(x))))))
erf_inv_p = unop("erf_inv", _erf_inv_impl, kinds="f")
defjvp2(erf_inv_p, lambda g, ans, x: mul(g, mul(const(x, np.sqrt(np.pi) / 2), exp(square(ans)))))


erf = unary(erf_p)
erfc = unary(erfc_p)
erf_inv = unary(erf_inv_p)

register_lowering(erf_p, lowers_to(lambda lax: lax.erf), "xla")
register_lowering(erfc_p, lowers_to(lambda lax: lax.erfc), "xla")
register_lowering(erf_inv_p, lowers_to(lambda lax: lax.erf_inv), "xla")

_EPS = np.finfo(np.float64).eps
_TINY = 1e-300  # keeps the continued fractions' denominators away from 0 (Lentz's method)
_MAX_ITERATIONS = 20000  # the series and fractions converge in O(sqrt(a)) steps


# ----------------------------------------------------------------------------------------------
# Float64 building blocks

def _float64_operands(*args):
    """The operands broadcast together and flattened, in float64, and the dtype of the result
    (float16 and bfloat16 are computed as float32 is, as XLA does)."""
    dtype = np.result_type(*args)
    shape = np.broadcast_shapes(*(np.shape(a) for a in args))
    flat = [np.broadcast_to(np.asarray(a, np.float64), shape).ravel() for a in args]
    compute = np.dtype(np.float64) if dtype == np.float64 else np.dtype(np.float32)
    return flat, shape, dtype, compute


def _result(out, shape, dtype):
    """The float64 result rounded to the operands' dtype, subnormals flushed to zero as XLA's CPU
    code does."""
    out = out.astype(dtype)
    out[np.abs(out) < np.finfo(dtype).tiny] = 0
    return out.reshape(shape)


def _lgamma(a):
    """log Gamma(a) for a >= 0 (other values only reach masked-out lanes)."""
    out = np.where(a == 0, np.inf, np.nan)
    ok = a > 0
    out[ok] = [math.lgamma(v) if v < np.inf else np.inf for v in a[ok]]
    return out


def _digamma(a):
    """psi(a) for a > 0: the recurrence psi(a) = psi(a + 1) - 1/a up to a >= 6, then the
    asymptotic series."""
    a = np.array(a, np.float64)
    shift = np.zeros_like(a)
    while True:
        small = a < 6
        if not small.any():
            break
        shift[small] -= 1 / a[small]
        a[small] += 1
    inv2 = 1 / (a * a)
    tail = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
    return shift + np.log(a) - 0.5 / a - tail


def _log_prefactor(a, x):
    """log(x^a e^-x / Gamma(a)), the factor in front of both the series and the fraction."""
    return a * np.log(x) - x - _lgamma(a)


def _igamma_series(a, x):
    """P(a, x) x^-a e^x Gamma(a + 1) as sum_n x^n / ((a+1) ... (a+n)), and its derivative in a
    (for x < a + 1). Scaled by Gamma(a + 1), not Gamma(a), its terms stay of order 1 as a -> 0."""
    term, dterm = np.ones(a.shape), np.zeros(a.shape)
    total, dtotal = term.copy(), dterm.copy()
    active = np.arange(a.size)
    for n in range(1, _MAX_ITERATIONS):
        if active.size == 0:
            break
        an, xa = a[active] + n, x[active]
        ratio = xa / an
        dterm[active] = ratio * (dterm[active] - term[active] / an)
        term[active] = term[active] * ratio
        total[active] += term[active]
        dtotal[active] += dterm[active]
        done = ((np.abs(term[active]) <= _EPS * np.abs(total[active]))
                & (np.abs(dterm[active]) <= _EPS * np.abs(dtotal[active])))
        done |= ~np.isfinite(total[active])
        active = active[~done]
    return total, dtotal


def _igammac_fraction(a, x):
    """Q(a, x) e^-L as Legendre's continued fraction (for x >= 1, x > a), by Lentz's method,
    and its derivative in a carried through every step."""
    b = x + 1 - a
    with np.errstate(divide="ignore", invalid="ignore"):
        d = 1 / b
    dd = d * d  # d/da of 1/b, as db/da = -1
    c, dc = np.full(a.shape, 1 / _TINY), np.zeros(a.shape)
    h, dh = d.copy(), dd.copy()
    active = np.arange(a.size)
    for i in range(1, _MAX_ITERATIONS):
        if active.size == 0:
            break
        aa = a[active]
        an, dan = -i * (i - aa), float(i)
        b[active] += 2
        bb = b[active]
        big_d = an * d[active] + bb
        dbig_d = dan * d[active] + an * dd[active] - 1
        big_d = np.where(np.abs(big_d) < _TINY, _TINY, big_d)
        big_c = bb + an / c[active]
        dbig_c = -1 + dan / c[active] - an * dc[active] / c[active] ** 2
        big_c = np.where(np.abs(big_c) < _TINY, _TINY, big_c)
        d[active], dd[active] = 1 / big_d, -dbig_d / big_d ** 2
        c[active], dc[active] = big_c, dbig_c
        delta = d[active] * c[active]
        ddelta = dd[active] * c[active] + d[active] * dc[active]
        dh[active] = dh[active] * delta + h[active] * ddelta
        h[active] = h[active] * delta
        scale = np.maximum(1.0, np.abs(dh[active] / h[active]))
        done = (np.abs(delta - 1) <= _EPS) & (np.abs(ddelta) <= _EPS * scale)
        done |= ~np.isfinite(h[active])
        active = active[~done]
    return h, dh


def _incomplete_gamma(a, x, compute):
    """P, Q and dP/da for flat float64 operands, NaN or 0/1 where JAX's impl selects them."""
    with np.errstate(all="ignore"):
        log_pre = _log_prefactor(a, x)
        underflow = log_pre < -np.log(np.finfo(compute).max)
        pre = np.exp(log_pre)
        use_fraction = (x >= 1) & (x > a)
        p, q, dp = np.zeros(a.shape), np.zeros(a.shape), np.zeros(a.shape)
        s = ~use_fraction & ~underflow
        if s.any():
            total, dtotal = _igamma_series(a[s], x[s])
            a1 = a[s] + 1
            pre1 = np.exp(a[s] * np.log(x[s]) - x[s] - _lgamma(a1))
            p[s] = pre1 * total
            q[s] = 1 - p[s]
            dp[s] = pre1 * (total * (np.log(x[s]) - _digamma(a1)) + dtotal)
        f = use_fraction & ~underflow
        if f.any():
            h, dh = _igammac_fraction(a[f], x[f])
            q[f] = pre[f] * h
            p[f] = 1 - q[f]
            dp[f] = -pre[f] * (h * (np.log(x[f]) - _digamma(np.where(a[f] > 0, a[f], 1.0))) + dh)
        # A prefactor below the dtype's range leaves P at 0 or 1 (XLA computes exp in that dtype).
        p[underflow] = use_fraction[underflow]
        q[underflow] = 1 - p[underflow]
    return p, q, dp


def _igamma_impl(a, x):
    (a, x), shape, dtype, compute = _float64_operands(a, x)
    p, _, _ = _incomplete_gamma(a, x, compute)
    # JAX's series divides by a: P(0, x) is NaN below x = 1 (and 1 from the fraction above).
    nan = np.isnan(a) | np.isnan(x) | (x < 0) | (a < 0) | ((a == 0) & (x < 1))
    p = np.where(x == 0, 0.0, np.where(x == np.inf, 1.0, p))
    return _result(np.where(nan, np.nan, p), shape, dtype)


def _igammac_impl(a, x):
    (a, x), shape, dtype, compute = _float64_operands(a, x)
    _, q, _ = _incomplete_gamma(a, x, compute)
    nan = np.isnan(a) | np.isnan(x) | (x < 0) | (a < 0) | ((a == 0) & (x == 0))
    q = np.where(x == 0, 1.0, np.where((x == np.inf) | (a == 0), 0.0, q))
    return _result(np.where(nan, np.nan, q), shape, dtype)


def _igamma_grad_a_impl(a, x):
    (a, x), shape, dtype, compute = _float64_operands(a, x)
    _, _, dp = _incomplete_gamma(a, x, compute)
    nan = np.isnan(a) | np.isnan(x) | (x < 0) | (a <= 0)
    dp = np.where(x == 0, 0.0, dp)
    return _result(np.where(nan, np.nan, dp), shape, dtype)


def _betainc_fraction(a, b, x):
    """The continued fraction of I_x(a, b) (DLMF 8.17.22) by Lentz's method."""
    c, d = np.ones(a.shape), 1 - (a + b) * x / (a + 1)
    d = 1 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d.copy()
    active = np.arange(a.size)
    for m in range(1, _MAX_ITERATIONS):
        if active.size == 0:
            break
        aa, bb, xx = a[active], b[active], x[active]
        for numerator in (m * (bb - m) * xx / ((aa + 2 * m - 1) * (aa + 2 * m)),
                          -(aa + m) * (aa + bb + m) * xx / ((aa + 2 * m) * (aa + 2 * m + 1))):
            dn = 1 + numerator * d[active]
            d[active] = 1 / np.where(np.abs(dn) < _TINY, _TINY, dn)
            cn = 1 + numerator / c[active]
            c[active] = np.where(np.abs(cn) < _TINY, _TINY, cn)
            delta = c[active] * d[active]
            h[active] *= delta
        done = (np.abs(delta - 1) <= _EPS) | ~np.isfinite(h[active])
        active = active[~done]
    return h


def _betainc_impl(a, b, x):
    (a, b, x), shape, dtype, compute = _float64_operands(a, b, x)
    with np.errstate(all="ignore"):
        # The fraction converges fast below the mean; above it, I_x(a, b) = 1 - I_(1-x)(b, a).
        direct = x < (a + 1) / (a + b + 2)
        a2, b2, x2 = np.where(direct, a, b), np.where(direct, b, a), np.where(direct, x, 1 - x)
        fraction = np.full(a.shape, np.nan)
        inside = (a2 > 0) & (b2 > 0) & (x2 > 0) & (x2 < 1)
        if inside.any():
            fraction[inside] = _betainc_fraction(a2[inside], b2[inside], x2[inside])
        # As a -> 0+, a Gamma(a) -> 1 keeps the prefactor finite.
        lbeta_small_a = _lgamma(b2) - _lgamma(a2 + b2)
        very_small = a2 < 2 * np.finfo(compute).tiny
        factor = np.where(very_small, np.exp(np.log1p(-x2) * b2 - lbeta_small_a),
                          np.exp(np.log(x2) * a2 + np.log1p(-x2) * b2 - _lgamma(a2) - lbeta_small_a) / a2)
        out = fraction * factor
        out = np.where(direct, out, 1 - out)
    a_zero, b_zero, x_zero, x_one = a == 0, b == 0, x == 0, x == 1
    out = np.where((b_zero & ~x_one) | (a_zero & x_zero) | ((x_zero | x_one) & ~(a_zero | b_zero)),
                   np.where(x_one, 1.0, 0.0), out)
    out = np.where((a_zero & ~x_zero) | (b_zero & x_one), 1.0, out)
    nan = ((a < 0) | (b < 0) | (x < 0) | (x > 1) | (a_zero & b_zero)
           | np.isnan(a) | np.isnan(b) | np.isnan(x))
    return _result(np.where(nan, np.nan, out), shape, dtype)


# ----------------------------------------------------------------------------------------------
# The primitives and their rules

def _nonscalar_broadcasting_shape(name):
    """Scalars broadcast to any shape; JAX's message lists the other shapes only."""
    rule = named_broadcasting_shape(name)
    return lambda *avals, **params: rule(*([a for a in avals if a.ndim] or avals[:1]), **params)


igamma_p = binop("igamma", _igamma_impl, kinds="f")
igammac_p = binop("igammac", _igammac_impl, kinds="f")
igamma_grad_a_p = binop("igamma_grad_a", _igamma_grad_a_impl, kinds="f")

regularized_incomplete_beta_p = standard_primitive(
    "regularized_incomplete_beta", _betainc_impl, _nonscalar_broadcasting_shape("regularized_incomplete_beta"),
    dtype_checked("regularized_incomplete_beta", "f"))
numpy_codegen.broadcasts_like_numpy.add(regularized_incomplete_beta_p)
batching.defbroadcasting(regularized_incomplete_beta_p)


def _bind(prim):
    """The lax function of a primitive. Unlike lax.add's, its Python-scalar operands take their
    own default dtype (not the other operands'), as in JAX."""
    def fn(*args):
        return prim.bind(*(to_array(v) for v in args))
    fn.__name__ = prim.name
    return fn


igamma = _bind(igamma_p)
igammac = _bind(igammac_p)
igamma_grad_a = _bind(igamma_grad_a_p)
betainc = _bind(regularized_incomplete_beta_p)
betainc.__name__ = "betainc"
betainc.__doc__ = "The regularised incomplete beta function I_x(a, b), elementwise."


def _lgamma_traced(a):
    from jaxlite.scipy.special import gammaln  # jaxlite.scipy imports lax: bound when first used
    return gammaln(a)


def _igamma_gradx(g, a, x):
    """d/dx P(a, x) = x^(a-1) e^-x / Gamma(a)."""
    one = lax.const(a, 1)
    return lax.mul(g, lax.exp(lax.sub(lax.add(lax.neg(x), lax.mul(lax.sub(a, one), lax.log(x))),
                                      _lgamma_traced(a))))


defjvp(igamma_p, lambda g, a, x: lax.mul(g, igamma_grad_a(a, x)), _igamma_gradx)
defjvp(igammac_p, lambda g, a, x: lax.neg(lax.mul(g, igamma_grad_a(a, x))),
       lambda g, a, x: lax.neg(_igamma_gradx(g, a, x)))


def _betainc_grad_not_implemented(g, a, b, x):
    raise ValueError(with_hint("Betainc gradient with respect to a and b not supported.",
                               "betainc is differentiable in x only: hold a and b fixed "
                               "(e.g. lax.stop_gradient) or differentiate with respect to x."))


def _betainc_gradx(g, a, b, x):
    """d/dx I_x(a, b) = x^(a-1) (1-x)^(b-1) / B(a, b)."""
    one = lax.const(a, 1)
    lbeta = lax.sub(lax.add(_lgamma_traced(a), _lgamma_traced(b)), _lgamma_traced(lax.add(a, b)))
    log_density = lax.add(lax.mul(lax.sub(b, one), lax.log1p(lax.neg(x))),
                          lax.mul(lax.sub(a, one), lax.log(x)))
    return lax.mul(lax.exp(lax.sub(log_density, lbeta)), g)


defjvp(regularized_incomplete_beta_p, _betainc_grad_not_implemented, _betainc_grad_not_implemented,
       _betainc_gradx)

register_lowering(igamma_p, lowers_to(lambda lax: lax.igamma), "xla")
register_lowering(igammac_p, lowers_to(lambda lax: lax.igammac), "xla")
register_lowering(igamma_grad_a_p, lowers_to(lambda lax: lax.igamma_grad_a), "xla")
register_lowering(regularized_incomplete_beta_p, lowers_to(lambda lax: lax.betainc), "xla")
