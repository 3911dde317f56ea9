"""Special functions as primitives: erf, erfc and erf_inv.

Mirrors jax/_src/lax/special.py (where JAX keeps these and the gamma family). Each is an elementwise
primitive of floats, defined with its rules like those in lax.py.
"""
import math

import numpy as np

from jaxlite.interpreters.ad import defjvp, defjvp2
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.xla import lowers_to
from jaxlite.lax.lax import _const, _unary, exp, mul, neg, square, unop


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
defjvp(erf_p, lambda g, x: mul(_const(x, 2 / np.sqrt(np.pi)), mul(g, exp(neg(square(x))))))
erfc_p = unop("erfc", lambda x: _erfc_impl(x), kinds="f")
defjvp(erfc_p, lambda g, x: mul(_const(x, -2 / np.sqrt(np.pi)), mul(g, exp(neg(square(x))))))
erf_inv_p = unop("erf_inv", _erf_inv_impl, kinds="f")
defjvp2(erf_inv_p, lambda g, ans, x: mul(g, mul(_const(x, np.sqrt(np.pi) / 2), exp(square(ans)))))


erf = _unary(erf_p)
erfc = _unary(erfc_p)
erf_inv = _unary(erf_inv_p)

register_lowering(erf_p, lowers_to(lambda lax: lax.erf), "xla")
register_lowering(erfc_p, lowers_to(lambda lax: lax.erfc), "xla")
register_lowering(erf_inv_p, lowers_to(lambda lax: lax.erf_inv), "xla")
