"""Activation functions and the softmax family.

Mirrors jax/_src/nn/functions.py: the same formulas, chosen there for numerical stability (softmax
and logsumexp subtract the maximum, softplus is logaddexp(x, 0)) and with JAX's derivatives at
the kinks (relu'(0) = 0).
"""
import operator

import numpy as np

from jaxlite import dtypes, lax
from jaxlite.core import get_aval
from jaxlite.errors import with_hint
from jaxlite.custom_derivatives import custom_jvp
from jaxlite import numpy as jnp
from jaxlite.numpy.util import (asarray_arg, canonicalize_axes, check_concrete, constant_like,
                                strong_constant_like)
from jaxlite.scipy.special import logsumexp  # noqa: F401


def _relu(x):
    return jnp.maximum(x, 0)


# Staged as `custom_jvp_call[name=relu ...]`, as in JAX.
_relu.__name__ = "relu"
relu = custom_jvp(_relu)
relu.__doc__ = "max(x, 0), with the derivative at 0 taken to be 0 (JAX's choice) rather than 1/2."
relu.defjvps(lambda g, ans, x: lax.select(lax.gt(x, constant_like(x, 0)), g, lax.full_like(g, 0)))


def sigmoid(x):
    """1 / (1 + exp(-x)): the logistic primitive, stable at both ends."""
    return lax.logistic(x)


def softplus(x):
    """log(1 + exp(x)), computed as logaddexp(x, 0) so that large x do not overflow."""
    return jnp.logaddexp(x, 0)


def log_sigmoid(x):
    """log(sigmoid(x)) = -softplus(-x), finite even where sigmoid underflows to 0."""
    return -softplus(-asarray_arg(x))


def silu(x):
    """x * sigmoid(x), also called swish."""
    x = asarray_arg(x)
    return x * sigmoid(x)


swish = silu


def gelu(x, approximate=True):
    """The Gaussian error linear unit x * Phi(x): by default with JAX's tanh approximation,
    exactly (with erfc) when approximate=False."""
    x = asarray_arg(x)
    if approximate:
        sqrt_2_over_pi = strong_constant_like(x, np.sqrt(2 / np.pi))
        cdf = 0.5 * (1.0 + jnp.tanh(sqrt_2_over_pi * (x + 0.044715 * (x ** 3))))
        return x * cdf
    sqrt_half = strong_constant_like(x, np.sqrt(0.5))
    return 0.5 * x * lax.erfc(-x * sqrt_half)


def elu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x) - 1) otherwise; expm1 only ever sees x <= 0, so the unused
    branch cannot overflow (and put a NaN into the gradient)."""
    x = asarray_arg(x)
    safe_x = jnp.where(x > 0, 0.0, x)
    return jnp.where(x > 0, x, alpha * jnp.expm1(safe_x))


def leaky_relu(x, negative_slope=1e-2):
    x = asarray_arg(x)
    return jnp.where(x >= 0, x, negative_slope * x)


def _softmax_max(x, axis, where):
    """The maximum along `axis` (kept as size-1 axes), outside differentiation: subtracting it
    changes nothing mathematically and keeps exp from overflowing."""
    return lax.stop_gradient(jnp.max(x, axis, where=where, initial=-np.inf, keepdims=True))


def softmax(x, axis=-1, where=None):
    """exp(x) / sum(exp(x)) along `axis`, after subtracting the maximum."""
    x = asarray_arg(x)
    x_safe = x if where is None else jnp.where(where, x, -np.inf)
    unnormalized = jnp.exp(x_safe - _softmax_max(x, axis, where))
    result = unnormalized / jnp.sum(unnormalized, axis, where=where, keepdims=True)
    return result if where is None else jnp.where(where, result, 0)


def log_softmax(x, axis=-1, where=None):
    """x - logsumexp(x) along `axis`, with the maximum subtracted first."""
    x = asarray_arg(x)
    x_safe = x if where is None else jnp.where(where, x, -np.inf)
    shifted = x_safe - _softmax_max(x, axis, where)
    shifted_logsumexp = jnp.log(jnp.sum(jnp.exp(shifted), axis, where=where, keepdims=True))
    result = shifted - shifted_logsumexp
    return result if where is None else jnp.where(where, result, -np.inf)


def standardize(x, axis=-1, mean=None, variance=None, epsilon=1e-5, where=None, *, algorithm="fast"):
    """(x - mean) / sqrt(variance + epsilon). The default "fast" variance is
    mean(x**2) - mean(x)**2 clipped at 0, as JAX computes it; "stable" is mean((x - mean)**2)."""
    x = asarray_arg(x)
    if mean is None:
        mean = jnp.mean(x, axis, keepdims=True, where=where)
    if variance is None:
        if algorithm == "stable":
            variance = jnp.mean(jnp.square(jnp.subtract(x, mean)), axis, keepdims=True, where=where)
        elif algorithm == "fast":
            variance = jnp.mean(jnp.square(x), axis, keepdims=True, where=where) - jnp.square(mean)
            variance = jnp.clip(variance, 0)
        else:
            raise ValueError(with_hint(f"Unknown algorithm '{algorithm}'. Expected 'fast' or 'stable'.",
                "pass algorithm='fast' or algorithm='stable'."))
    return jnp.subtract(x, mean) * lax.rsqrt(variance + epsilon)


def one_hot(x, num_classes, *, dtype=None, axis=-1):
    """x[..., None] == arange(num_classes), as `dtype` (default float); indices outside
    [0, num_classes) give all zeros."""
    num_classes = operator.index(check_concrete(num_classes, "the jax.nn.one_hot argument 'num_classes'"))
    x = jnp.asarray(x)
    dtype = dtypes.default_float_dtype() if dtype is None else dtype
    out_axis = canonicalize_axes(axis, get_aval(x).ndim + 1)[0]
    lhs = lax.expand_dims(x, (out_axis,))
    rhs_shape = [1] * get_aval(x).ndim
    rhs_shape.insert(out_axis, num_classes)
    rhs = lax.broadcasted_iota(get_aval(x).dtype, rhs_shape, out_axis)
    return lax.convert_element_type(lax.eq(lhs, rhs), dtype)
