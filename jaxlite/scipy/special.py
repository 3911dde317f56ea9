"""`jaxlite.scipy.special`: special functions (erf, logsumexp, xlogy, gammaln, ...).

Mirrors jax/_src/scipy/special.py and jax/_src/ops/special.py (logsumexp, shared with jax.nn).
Functions with a kink or a 0 * inf at an edge carry JAX's custom derivative rules.
"""
import functools

import numpy as np

from jaxlite import lax
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.custom_derivatives import custom_jvp
from jaxlite import numpy as jnp
from jaxlite.numpy.util import canonicalize_axes, constant_like, convert, promote_args_inexact


def erf(x):
    x, = promote_args_inexact(x)
    return lax.erf(x)


def erfc(x):
    x, = promote_args_inexact(x)
    return lax.erfc(x)


def erfinv(x):
    x, = promote_args_inexact(x)
    return lax.erf_inv(x)


def expit(x):
    """The logistic sigmoid 1 / (1 + exp(-x))."""
    x, = promote_args_inexact(x)
    return lax.logistic(x)


@custom_jvp
def logit(x):
    """log(x / (1 - x)), the inverse of expit."""
    x, = promote_args_inexact(x)
    return lax.log(lax.div(x, lax.sub(constant_like(x, 1), x)))


logit.defjvps(lambda g, ans, x: lax.div(g, lax.mul(x, lax.sub(constant_like(x, 1), x))))


@custom_jvp
def xlogy(x, y):
    """x * log(y), defined as 0 where x == 0 (even at y == 0); a NaN in y still propagates."""
    x, y = promote_args_inexact(x, y)
    keep = lax.bitwise_or(lax.ne(x, constant_like(x, 0)), jnp.isnan(y))
    return jnp.where(keep, lax.mul(x, lax.log(y)), jnp.zeros_like(x))


@xlogy.defjvp
def _xlogy_jvp(primals, tangents):
    """The derivative of x * log(y) itself, also at x == 0 (where the value was forced to 0)."""
    x, y = primals
    x_dot, y_dot = tangents
    result = xlogy(x, y)
    return result, jnp.asarray(x_dot * jnp.log(y) + y_dot * x / y, get_aval(result).dtype)


@custom_jvp
def xlog1py(x, y):
    """x * log1p(y), defined as 0 where x == 0 (even at y == -1); a NaN in y still propagates."""
    x, y = promote_args_inexact(x, y)
    keep = lax.bitwise_or(lax.ne(x, constant_like(x, 0)), jnp.isnan(y))
    return jnp.where(keep, lax.mul(x, lax.log1p(y)), jnp.zeros_like(x))


@xlog1py.defjvp
def _xlog1py_jvp(primals, tangents):
    x, y = primals
    x_dot, y_dot = tangents
    result = xlog1py(x, y)
    return result, jnp.asarray(x_dot * jnp.log1p(y) + y_dot * x / (1 + y), get_aval(result).dtype)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False, where=None):
    """log(sum(b * exp(a))) along `axis`, with the largest finite a subtracted first (outside
    differentiation) so that exp never overflows. With return_sign, the log of the absolute
    value and the sign of the sum; otherwise a negative sum gives NaN."""
    if where is not None:
        a = jnp.where(where, a, 0)
    if b is not None:
        a, b = promote_args_inexact(a, b)
        a = jnp.where(b != 0, a, -np.inf)
    else:
        a, = promote_args_inexact(a)
    dims = canonicalize_axes(axis, get_aval(a).ndim)
    amax = jnp.max(a, axis=dims, keepdims=keepdims, where=where, initial=-np.inf)
    amax = lax.stop_gradient(lax.select(jnp.isfinite(amax), amax, lax.full_like(amax, 0)))
    amax_with_dims = amax if keepdims else lax.expand_dims(amax, dims)
    exp_a = lax.exp(lax.sub(a, amax_with_dims))
    if b is not None:
        exp_a = lax.mul(exp_a, b)
    sumexp = jnp.sum(exp_a, axis=dims, keepdims=keepdims, where=where)
    sign = lax.sign(sumexp)
    out = lax.add(lax.log(lax.abs(sumexp)), amax)
    if return_sign:
        return out, sign
    if b is not None:
        out = jnp.where(sign < 0, jnp.array(np.nan, get_aval(out).dtype), out)
    return out


# Lanczos' approximation with g = 7 and nine coefficients (the set XLA's lgamma uses too).
_LANCZOS_G = 7.0
_LANCZOS_COEFFICIENTS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028,
                         771.32342877765313, -176.61502916214059, 12.507343278686905,
                         -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7)


def gammaln(x):
    """log|Gamma(x)|, from Lanczos' approximation for x >= 1/2 and the reflection formula
    Gamma(x) Gamma(1 - x) = pi / sin(pi x) below. Its derivative (digamma) comes from
    differentiating the same formula."""
    x, = promote_args_inexact(x)
    reflect = lax.lt(x, constant_like(x, 0.5))
    z = lax.sub(lax.select(reflect, lax.sub(constant_like(x, 1), x), x), constant_like(x, 1))
    series = constant_like(x, _LANCZOS_COEFFICIENTS[0])
    for k, c in enumerate(_LANCZOS_COEFFICIENTS[1:], start=1):
        series = lax.add(series, lax.div(constant_like(x, c), lax.add(z, constant_like(x, k))))
    t = lax.add(z, constant_like(x, _LANCZOS_G + 0.5))
    # log(t) as log(g + 1/2) + log1p(z / (g + 1/2)) keeps precision for z near 0.
    log_t = lax.add(constant_like(x, np.log(_LANCZOS_G + 0.5)),
                    lax.log1p(lax.div(z, constant_like(x, _LANCZOS_G + 0.5))))
    lanczos = lax.add(lax.add(constant_like(x, 0.5 * np.log(2 * np.pi)),
                              lax.mul(lax.sub(lax.add(z, constant_like(x, 0.5)), lax.div(t, log_t)),
                                      log_t)),
                      lax.log(series))
    # Where the reflection is not used, sin(pi x) may be 0 (x = 1, 2, ...): evaluate it at 1/2
    # there instead, or the unused branch's derivative (0 * inf) would make the gradient NaN.
    x_reflected = lax.select(reflect, x, lax.full_like(x, 0.5))
    reflected = lax.sub(lax.sub(constant_like(x, np.log(np.pi)), lax.log(_abs_sin_pi(x_reflected))),
                        lanczos)
    out = lax.select(reflect, reflected, lanczos)
    out = lax.select(lax.eq(lax.abs(x), constant_like(x, np.inf)), lax.full_like(x, np.inf), out)
    # One primitive in JAX (lgamma), whose result keeps the weak type of its operand.
    return convert(out, get_aval(x).dtype, get_aval(x).weak_type)


def _abs_sin_pi(x):
    """|sin(pi x)| from the distance of x to the nearest integer, exact at integers."""
    ax = lax.abs(x)
    frac = lax.sub(ax, lax.floor(ax))
    nearest = lax.select(lax.gt(frac, constant_like(x, 0.5)), lax.sub(constant_like(x, 1), frac), frac)
    return lax.sin(lax.mul(constant_like(x, np.pi), nearest))


def betaln(a, b):
    """log|B(a, b)| = gammaln(a) + gammaln(b) - gammaln(a + b), with b >= a. For b >= 8 the last
    two terms are combined through Stirling's series, so the large values cancelling in them
    never form (as SciPy's and JAX's algorithm does)."""
    a, b = promote_args_inexact(a, b)
    a, b = jnp.minimum(a, b), jnp.maximum(a, b)
    small_b = gammaln(a) + (gammaln(b) - gammaln(a + b))
    large_b = gammaln(a) + _lgamma_difference(a, jnp.maximum(b, constant_like(b, 8)))
    return jnp.where(b < 8, small_b, large_b)


# cdflib's coefficients for the difference of the Stirling remainders (routine algdiv).
_ALGDIV = (0.833333333333333e-01, -0.277777777760991e-02, 0.793650666825390e-03,
           -0.595202931351870e-03, 0.837308034031215e-03, -0.165322962780713e-02)


def _lgamma_difference(a, b):
    """gammaln(b) - gammaln(a + b) for a <= b, b >= 8 (cdflib's algdiv): Stirling's formula
    with log(a + b) written as log b + log1p(a / b), and the remainders' difference as a short
    series in 1 / b^2 whose terms carry the partial sums (1 - x^n) / (1 - x), x = a / (a + b)."""
    x = a / (a + b)
    x2 = x * x
    partial = [jnp.ones_like(x)]  # s1, s3, s5, ... as 1 + x + x^2 s_(n-2)
    for _ in range(5):
        partial.append(1.0 + (x + x2 * partial[-1]))
    t = (1.0 / b) ** 2
    w = constant_like(b, _ALGDIV[5]) * partial[5]
    for c, s_n in zip(_ALGDIV[4:0:-1], partial[4:0:-1]):
        w = w * t + c * s_n
    w = (w * t + _ALGDIV[0]) * (x / b)
    u = (b + (a - 0.5)) * jnp.log1p(a / b)
    v = a * (jnp.log(b) - 1.0)
    return jnp.where(u <= v, (w - v) - u, (w - u) - v)


def _float_only(x, name, hint=True):
    x = jnp.asarray(x)
    if get_aval(x).dtype not in (np.float32, np.float64):
        suffix = ", see docstring for supported types." if hint else "."
        raise TypeError(with_hint(f"x.dtype={get_aval(x).dtype.name} is not supported{suffix}",
            "cast the input to a float dtype first, e.g. x.astype(jnp.float32)."))
    return x


def ndtr(x):
    """The standard normal CDF, (1 + erf(x / sqrt 2)) / 2, taken from erfc away from 0 so that
    both tails keep their relative precision."""
    x = _float_only(x, "ndtr")
    return _ndtr(x)


def _ndtr(x):
    t = get_aval(x).dtype.type
    half_sqrt_2 = t(0.5) * np.sqrt(t(2))
    w = x * half_sqrt_2
    z = lax.abs(w)
    y = lax.select(lax.lt(z, jnp.full_like(z, half_sqrt_2)), t(1) + lax.erf(w),
                   lax.select(lax.gt(w, jnp.zeros_like(w)), t(2) - lax.erfc(z), lax.erfc(z)))
    return t(0.5) * y


# Rational approximations of the normal quantile from Cephes' ndtri: one around p = 1/2 and two
# in the tails, in z = sqrt(-2 log p).
_NDTRI_P0 = (-5.99633501014107895267E1, 9.80010754185999661536E1, -5.66762857469070293439E1,
             1.39312609387279679503E1, -1.23916583867381258016E0)
_NDTRI_Q0 = (1.0, 1.95448858338141759834E0, 4.67627912898881538453E0, 8.63602421390890590575E1,
             -2.25462687854119370527E2, 2.00260212380060660359E2, -8.20372256168333339912E1,
             1.59056225126211695515E1, -1.18331621121330003142E0)
_NDTRI_P1 = (4.05544892305962419923E0, 3.15251094599893866154E1, 5.71628192246421288162E1,
             4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0,
             -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4)
_NDTRI_Q1 = (1.0, 1.57799883256466749731E1, 4.53907635128879210584E1, 4.13172038254672030440E1,
             1.50425385692907503408E1, 2.50464946208309415979E0, -1.42182922854787788574E-1,
             -3.80806407691578277194E-2, -9.33259480895457427372E-4)
_NDTRI_P2 = (3.23774891776946035970E0, 6.91522889068984211695E0, 3.93881025292474443415E0,
             1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2,
             3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9)
_NDTRI_Q2 = (1.0, 6.02427039364742014255E0, 3.67983563856160859403E0, 1.37702099489081330271E0,
             2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4,
             2.89247864745380683936E-6, 6.79019408009981274425E-9)


def _polyval(coefficients, x):
    t = get_aval(x).dtype.type
    out = jnp.zeros_like(x)
    for c in coefficients:
        out = out * x + t(c)
    return out


def ndtri(p):
    """The standard normal quantile (inverse of ndtr): -inf at 0, inf at 1."""
    p = _float_only(jnp.asarray(p), "ndtri")
    t = get_aval(p).dtype.type
    # Work with the smaller of p and 1 - p (for p near 1 the upper tail is the accurate one).
    upper = p > t(-np.expm1(-2.0))
    q = jnp.where(upper, t(1) - p, p)
    q = jnp.where(q == t(0), jnp.full_like(q, t(0.5)), q)
    w = q - t(0.5)
    ww = lax.square(w)
    central = (w + w * ww * (_polyval(_NDTRI_P0, ww) / _polyval(_NDTRI_Q0, ww))) * -t(np.sqrt(2 * np.pi))
    z = lax.sqrt(t(-2) * lax.log(q))
    first = z - lax.log(z) / z
    far = first - _polyval(_NDTRI_P2, 1 / z) / _polyval(_NDTRI_Q2, 1 / z) / z
    near = first - _polyval(_NDTRI_P1, 1 / z) / _polyval(_NDTRI_Q1, 1 / z) / z
    x = jnp.where(q > t(np.exp(-2.0)), central, jnp.where(z >= t(8), far, near))
    x = jnp.where(p > t(1 - np.exp(-2.0)), x, -x)
    inf = jnp.full_like(x, t(np.inf))
    return jnp.where(p == t(0), -inf, jnp.where(p == t(1), inf, x))


@functools.partial(custom_jvp, nondiff_argnums=(1,))
def log_ndtr(x, series_order=3):
    """log ndtr(x): -ndtr(-x) above an upper segment (log(1 - e) ~ -e), log(ndtr(x)) in the
    middle, and the asymptotic series of the lower tail below a lower segment."""
    if not isinstance(series_order, int):
        raise TypeError(with_hint("series_order must be a Python integer.",
            "series_order is a Python int, known before tracing."))
    if series_order < 0:
        raise ValueError(with_hint("series_order must be non-negative.",
            "series_order is a count, 0 or more."))
    if series_order > 30:
        raise ValueError(with_hint("series_order must be <= 30.",
            "ask for at most 30 terms of the series."))
    x = jnp.asarray(x)
    dtype = get_aval(x).dtype
    if dtype not in (np.float32, np.float64):
        raise TypeError(with_hint(f"x.dtype={dtype.name} is not supported.",
            "cast the input to a float dtype first, e.g. x.astype(jnp.float32)."))
    t = dtype.type
    lower, upper = (t(-20), t(8)) if dtype == np.float64 else (t(-10), t(5))
    above = lax.gt(x, jnp.full_like(x, upper))
    # Both ndtr branches from one call; the clamps keep the unused branches finite (their
    # derivatives would otherwise multiply zeros by infinities).
    res = _ndtr(jnp.where(above, -x, lax.max(x, jnp.full_like(x, lower))))
    tail = _log_ndtr_lower(lax.min(x, jnp.full_like(x, lower)), series_order)
    return jnp.where(above, -res, jnp.where(lax.gt(x, jnp.full_like(x, lower)), lax.log(res), tail))


def _log_ndtr_lower(x, series_order):
    """log ndtr(x) for x << -1: log(exp(-x^2/2) / (-x sqrt(2 pi))) + log(1 + sum), with
    sum_n (-1)^n (2n - 1)!! / x^(2n)."""
    t = get_aval(x).dtype.type
    x_2 = lax.square(x)
    log_scale = -t(0.5) * x_2 - lax.log(-x) - t(0.5 * np.log(2 * np.pi))
    total, power, double_factorial = jnp.ones_like(x), x_2, 1
    for n in range(1, series_order + 1):
        term = t(double_factorial) / power
        total = total - term if n % 2 else total + term
        double_factorial *= 2 * n + 1
        power = power * x_2
    return log_scale + lax.log(total)


@log_ndtr.defjvp
def _log_ndtr_jvp(series_order, primals, tangents):
    """d log ndtr(x) = pdf(x) / ndtr(x), computed as exp(log pdf - log ndtr) to survive the tails."""
    x, = primals
    t, = tangents
    ans = log_ndtr(x, series_order)
    log_pdf = lax.sub(lax.mul(constant_like(x, -0.5), lax.square(x)), constant_like(x, 0.5 * np.log(2 * np.pi)))
    return ans, lax.mul(t, lax.exp(lax.sub(log_pdf, ans)))


def gammainc(a, x):
    """The regularised lower incomplete gamma function P(a, x)."""
    a, x = promote_args_inexact(a, x)
    return lax.igamma(a, x)


def gammaincc(a, x):
    """The regularised upper incomplete gamma function Q(a, x) = 1 - P(a, x)."""
    a, x = promote_args_inexact(a, x)
    return lax.igammac(a, x)


def betainc(a, b, x):
    """The regularised incomplete beta function I_x(a, b)."""
    a, b, x = promote_args_inexact(a, b, x)
    return lax.betainc(a, b, x)


def entr(x):
    """-x log x for x > 0, 0 at 0, -inf below."""
    x, = promote_args_inexact(x)
    return jnp.where(lax.lt(x, constant_like(x, 0)), jnp.full_like(x, -np.inf),
                     lax.neg(xlogy(x, x)))
