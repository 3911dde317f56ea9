"""Pseudo-random numbers from explicit keys, like `jax.random`: split, fold_in, uniform, normal, ...

Mirrors jax/_src/random/core.py. There is no hidden state: a key goes in, numbers come out, and the same key always gives the same numbers, bit for bit the numbers JAX gives. Every sampler
turns the bits of jaxlite.prng's threefry2x32 into its distribution with lax operations, so samplers
work under vmap (over split keys), grad (through minval/maxval) and make_jaxpr.

Keys: `key(seed)` gives a typed key (dtype key<fry>), `PRNGKey(seed)` its raw uint32[2] data, as in
JAX; every function takes both, and split and fold_in answer in the form they were given.
"""
import math
import operator
import warnings
from collections.abc import Sequence

import numpy as np

from jaxlite import core, dtypes, errors, lax, prng
from jaxlite import numpy as jnp
from jaxlite.array import ArrayImpl
from jaxlite.core import get_aval
from jaxlite.numpy.util import canonicalize_axis, promote_dtypes_inexact

UINT_DTYPES = prng.UINT_DTYPES

# ----------------------------------------------------------------------------------------------
# Checking arguments


_SEED_NOT_KEY_HINT = ("random functions take a key, not a seed: make one with key = jax.random.key(0) (or jax.random.PRNGKey(0)) and pass key.")
_ONE_KEY_HINT = ("this function takes one key: vmap it over a batch of keys, e.g. "
                 "jax.vmap(lambda k: jax.random.normal(k, shape))(keys), or use one key and a bigger shape.")


def _check_prng_key(name, key, allow_batched=False):
    """(a typed key array, whether the caller gave raw key data): raw uint32[..., 2] keys are
    wrapped, with JAX's errors for anything else."""
    if isinstance(key, (np.ndarray, np.generic)):
        key = ArrayImpl(np.asarray(key), False)
    elif isinstance(key, (bool, int, float, complex)):
        raise TypeError(errors.with_hint("JAX encountered invalid PRNG key data: expected key_data to have "
                                         f"ndim, shape, and dtype attributes. Got {key}", _SEED_NOT_KEY_HINT))
    elif not isinstance(key, (ArrayImpl, core.Tracer)):
        raise TypeError(errors.with_hint(f"unexpected PRNG key type {type(key)}", _SEED_NOT_KEY_HINT))
    aval = get_aval(key)
    if prng.is_key_dtype(aval.dtype):
        if aval.ndim and not allow_batched:
            raise ValueError(errors.with_hint(f"{name} accepts a single key, but was given a key array of shape "
                                              f"{aval.shape} != (). Use jax.vmap for batching.", _ONE_KEY_HINT))
        return key, False
    prng.check_key_data(aval, prng.threefry_prng_impl)
    if aval.ndim > 1 and not allow_batched:
        raise ValueError(errors.with_hint(f"{name} accepts a single key, but was given a key array of shape "
                                          f"{aval.shape} != (). Use jax.vmap for batching.", _ONE_KEY_HINT))
    return prng.random_wrap_p.bind(key, impl=prng.threefry_prng_impl), True


def _return_prng_keys(was_wrapped, keys):
    """Keys back in the form they came in: raw key data for raw keys."""
    return prng.random_unwrap_p.bind(keys) if was_wrapped else keys


def _canonicalize_shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    try:
        return tuple(operator.index(d) for d in shape)
    except TypeError:
        raise TypeError(errors.with_hint(f"Shapes must be 1D sequences of concrete values of integer type, "
                                         f"got {shape}.", "the shape is a tuple of Python ints, e.g. (2, 3), "
                                         "known while tracing.")) from None


def _check_shape(name, shape, *param_shapes):
    """Parameters broadcast against `shape` must not make the result bigger than `shape`."""
    if param_shapes:
        broadcast = np.broadcast_shapes(shape, *param_shapes)
        if shape != broadcast:
            raise ValueError(errors.with_hint(
                f"{name} parameter shapes must be broadcast-compatible with shape "
                f"argument, and the result of broadcasting the shapes must equal the "
                f"shape argument, but got result {broadcast} for shape argument {shape}.",
                f"shape is the shape of the result, so it must include the parameters' shapes: here {broadcast}, "
                "or leave shape out."))


def _float_dtype(name, dtype, kinds="f"):
    dtype = dtypes.check_user_dtype(float if dtype is None else dtype)
    if dtypes.kind(dtype) not in kinds:
        what = "a float or complex" if "c" in kinds else "a float"
        raise ValueError(errors.with_hint(f"dtype argument to `{name}` must be {what} dtype, got {dtype}",
                                          f"{name} draws real numbers: ask for a float dtype (jnp.float32), "
                                          "or use jax.random.randint for integers."))
    return dtype


def _broadcast_to_rank(x, rank):
    ndim = get_aval(x).ndim
    return x if ndim >= rank else lax.broadcast(x, (1,) * (rank - ndim))


# ----------------------------------------------------------------------------------------------
# Keys


def PRNGKey(seed, *, impl=None):
    """A raw key from an integer seed: the uint32[2] data `[seed >> 32, seed & 0xFFFFFFFF]` of the
    seed as int64 (with x64 off the seed is first truncated to int32)."""
    return prng.random_unwrap_p.bind(_key("PRNGKey", seed))


def key(seed, *, impl=None):
    """A typed key from an integer seed: an array of dtype key<fry>, which random functions take
    and which refuses arithmetic (its data is `key_data(key)`)."""
    return _key("key", seed)


def _key(ctor_name, seed):
    if np.ndim(seed):
        raise TypeError(errors.with_hint(
            f"{ctor_name} accepts a scalar seed, but was given an array of shape "
            f"{np.shape(seed)} != (). Use jax.vmap for batching",
            f"one seed makes one key: for many, vmap it, jax.vmap(jax.random.{ctor_name})(seeds), or split "
            "one key with jax.random.split(key, n)."))
    return prng.random_seed_p.bind(prng.seed_array(seed), impl=prng.threefry_prng_impl)


def key_data(keys):
    """The uint32 data of a key array (shape keys.shape + (2,)); raw keys are their own data."""
    keys, _ = _check_prng_key("key_data", keys, allow_batched=True)
    return prng.random_unwrap_p.bind(keys)


def wrap_key_data(key_bits_array, *, impl=None):
    """A typed key array from uint32 key data of shape (..., 2)."""
    if isinstance(key_bits_array, (np.ndarray, np.generic)):
        key_bits_array = ArrayImpl(np.asarray(key_bits_array), False)
    return prng.random_wrap_p.bind(key_bits_array, impl=prng.threefry_prng_impl)


def key_impl(keys):
    _check_prng_key("key_impl", keys, allow_batched=True)
    return "threefry2x32"


def clone(key):
    return key


def split(key, num=2):
    """`num` new keys (an int or a shape), stacked along new leading axes: typed keys of shape
    `num`, or raw key data of shape `(*num, 2)` for a raw key."""
    key, wrapped = _check_prng_key("split", key)
    shape = tuple(num) if isinstance(num, Sequence) else (num,)
    return _return_prng_keys(wrapped, _split(key, tuple(operator.index(d) for d in shape)))


def fold_in(key, data):
    """A new key that depends on the key and a 32-bit integer (a step number, a device id...)."""
    key, wrapped = _check_prng_key("fold_in", key)
    if np.ndim(data):
        raise TypeError(errors.with_hint(f"fold_in accepts a scalar, but was given an array of"
                        f"shape {np.shape(data)} != (). Use jax.vmap for batching.",
            "fold_in takes one integer: vmap it over an array of them."))
    if isinstance(data, (ArrayImpl, core.Tracer)):
        data = lax.convert_element_type(data, np.uint32)
    else:
        data = ArrayImpl(np.asarray(data, np.uint32), False)  # raises on Python ints out of range
    return _return_prng_keys(wrapped, prng.random_fold_in_p.bind(key, data))


def _split(key, num=2):
    """Typed keys of shape `num` (an int or a shape) from a typed key."""
    return prng.random_split_p.bind(key, shape=(num,) if isinstance(num, int) else tuple(num))


def _random_bits(key, bit_width, shape):
    return prng.random_bits_p.bind(key, bit_width=bit_width, shape=tuple(shape))


# ----------------------------------------------------------------------------------------------
# Uniform bits, floats and integers


def bits(key, shape=(), dtype=None):
    """Uniformly random unsigned integers (uint32, or uint64 with x64 on)."""
    key, _ = _check_prng_key("bits", key)
    dtype = dtypes.canonicalize_dtype(np.uint64) if dtype is None else dtypes.check_user_dtype(dtype)
    if dtype.kind != "u":
        raise ValueError(errors.with_hint(f"dtype argument to `bits` must be an unsigned int dtype, got {dtype}",
            "ask bits for an unsigned dtype, e.g. jnp.uint32."))
    return _random_bits(key, dtype.itemsize * 8, _canonicalize_shape(shape))


def uniform(key, shape=(), dtype=None, minval=0., maxval=1.):
    """Floats in [minval, maxval): random mantissa bits under the exponent of 1.0 give a float in
    [1, 2); subtract 1, then scale and shift."""
    key, _ = _check_prng_key("uniform", key)
    dtype = _float_dtype("uniform", dtype)
    return _uniform(key, minval, maxval, _canonicalize_shape(shape), dtype)


def _uniform(key, minval, maxval, shape, dtype):
    minval = _broadcast_to_rank(lax.convert_element_type(minval, dtype), len(shape))
    maxval = _broadcast_to_rank(lax.convert_element_type(maxval, dtype), len(shape))
    finfo = np.finfo(dtype)
    nbits, nmant = finfo.bits, finfo.nmant
    uint_dtype = UINT_DTYPES[nbits]
    # A mantissa of fewer than 8 bits (bfloat16's 7) is drawn from 8 random bits, as in JAX.
    rng_bits = 8 if nmant < 8 else nbits
    random = _random_bits(key, rng_bits, shape)
    if rng_bits != nbits:
        random = lax.convert_element_type(random, uint_dtype)
    mantissa = lax.shift_right_logical(random, np.asarray(rng_bits - nmant, uint_dtype))
    one_to_two = lax.bitwise_or(mantissa, np.asarray(1.0, dtype).view(uint_dtype))
    floats = lax.sub(lax.bitcast_convert_type(one_to_two, dtype), np.asarray(1.0, dtype))
    scaled = lax.add(lax.mul(floats, lax.sub(maxval, minval)), minval)
    if get_aval(scaled).shape != shape:
        scaled = lax.reshape(scaled, shape)
    return lax.max(minval, scaled)


def randint(key, shape, minval, maxval, dtype=int):
    """Integers in [minval, maxval): two words of random bits reduced modulo the span (slightly
    biased when the span is not a power of 2, as in JAX)."""
    key, _ = _check_prng_key("randint", key)
    dtype = dtypes.check_user_dtype(dtype)
    shape = _canonicalize_shape(shape)
    if dtype.kind not in "iu":
        raise TypeError(errors.with_hint(f"randint only accepts integer dtypes, got {dtype}",
            "randint draws integers: ask for an integer dtype (jnp.int32), or use jax.random.uniform for floats."))
    info = np.iinfo(dtype)
    if info.bits < 32:  # sample in 32 bits: small spans would otherwise be badly biased
        clip = lambda v, hi: lax.clamp(int(info.min), jnp.asarray(v).astype(np.int32), hi)
        out = _randint(key, clip(minval, int(info.max)), clip(maxval, int(info.max) + 1), shape,
                       np.dtype(np.int32))
        return lax.convert_element_type(out, dtype)
    return _randint(key, minval, maxval, shape, dtype)


def _convert_and_clip_integer(val, dtype):
    """Convert an integer array to `dtype`, saturating at its limits instead of wrapping around."""
    src, dst = np.iinfo(get_aval(val).dtype), np.iinfo(dtype)
    lo, hi = max(src.min, dst.min), min(src.max, dst.max)
    clipped = lax.clamp(np.asarray(lo, src.dtype), val, np.asarray(hi, src.dtype))
    return lax.convert_element_type(clipped, dtype)


def _randint(key, minval, maxval, shape, dtype):
    _check_shape("randint", shape, np.shape(minval), np.shape(maxval))
    minval, maxval = jnp.asarray(minval), jnp.asarray(maxval)
    if get_aval(minval).dtype.kind not in "iu":
        minval = minval.astype(int)
    if get_aval(maxval).dtype.kind not in "iu":
        maxval = maxval.astype(int)
    # maxval beyond the dtype (randint(key, s, 0, 256, uint8)) makes the span one larger.
    dtype_max = _convert_and_clip_integer(ArrayImpl(np.asarray(np.iinfo(dtype).max, dtype)),
                                          get_aval(maxval).dtype)
    maxval_out_of_range = lax.gt(maxval, dtype_max)
    minval = _broadcast_to_rank(_convert_and_clip_integer(minval, dtype), len(shape))
    maxval = _broadcast_to_rank(_convert_and_clip_integer(maxval, dtype), len(shape))
    nbits = np.iinfo(dtype).bits

    k1, k2 = _split(key)
    higher_bits, lower_bits = _random_bits(k1, nbits, shape), _random_bits(k2, nbits, shape)

    unsigned = UINT_DTYPES[nbits]
    span = lax.convert_element_type(lax.sub(maxval, minval), unsigned)
    span = lax.select(lax.le(maxval, minval), lax.full_like(span, 1), span)  # empty range: minval
    span = lax.select(lax.bitwise_and(maxval_out_of_range, lax.gt(maxval, minval)),
                      lax.add(span, np.asarray(1, unsigned)), span)
    # (hi * 2**nbits + lo) % span, without overflow: 2**nbits % span is the square of 2**(nbits/2) % span.
    multiplier = lax.rem(np.asarray(2 ** (nbits // 2), unsigned), span)
    multiplier = lax.rem(lax.mul(multiplier, multiplier), span)
    offset = lax.add(lax.mul(lax.rem(higher_bits, span), multiplier), lax.rem(lower_bits, span))
    offset = lax.rem(offset, span)
    return lax.add(minval, lax.convert_element_type(offset, dtype))


# ----------------------------------------------------------------------------------------------
# Permutations and sampling from arrays


def permutation(key, x, axis=0, independent=False):
    """A shuffled copy of `x` along `axis` (of `arange(x)` for an integer `x`)."""
    key, _ = _check_prng_key("permutation", key)
    if isinstance(x, (list, tuple)):
        raise TypeError(errors.with_hint(f"permutation requires ndarray or scalar arguments, got {type(x)} at "
                                         "position 0.", "convert a list first: jax.random.permutation(key, "
                                         "jnp.asarray(x))."))
    axis = canonicalize_axis(axis, np.ndim(x) or 1)
    if not np.ndim(x):
        if dtypes.dtype(x).kind not in "iu":
            raise TypeError(errors.with_hint("x must be an integer or at least 1-dimensional",
                "permute an array, or pass an integer n to permute jnp.arange(n)."))
        return _shuffle(key, jnp.arange(operator.index(x)), axis)
    x = jnp.asarray(x)
    if independent or x.ndim == 1:
        return _shuffle(key, x, axis)
    order = _shuffle(key, jnp.arange(x.shape[axis]), 0)
    return jnp.take(x, order, axis)


def _shuffle(key, x, axis):
    """Sort by random 32-bit keys, a few rounds with fresh keys: once every pair of elements has
    been told apart by some round, the shuffle is uniform. The number of rounds is a fixed heuristic
    in the size (one round up to about 1600 elements), the same as JAX's, so results are identical."""
    exponent = 3
    uint32max = np.iinfo(np.uint32).max
    num_rounds = int(np.ceil(exponent * np.log(max(1, get_aval(x).size)) / np.log(uint32max)))
    for _ in range(num_rounds):
        key, subkey = _split(key)
        sort_keys = _random_bits(subkey, 32, get_aval(x).shape)
        _, x = lax.sort_key_val(sort_keys, x, axis)
    return x


def shuffle(key, x, axis=0):
    """Deprecated in JAX (and gone from JAX 0.10): `permutation(key, x, axis, independent=True)`."""
    warnings.warn("jax.random.shuffle is deprecated and will be removed in a future release. "
                  "Use jax.random.permutation with independent=True.", DeprecationWarning,
                  stacklevel=errors.user_stacklevel())
    key, _ = _check_prng_key("shuffle", key)
    x = jnp.asarray(x)
    return _shuffle(key, x, canonicalize_axis(axis, x.ndim or 1))


def choice(key, a, shape=(), replace=True, p=None, axis=0, mode=None):
    """Draws from `a` (or `arange(a)`): uniform with replacement by randint, without replacement by
    a permutation, weighted with replacement by inverting the cumulative weights, weighted without
    replacement by the Gumbel top-k trick."""
    key, _ = _check_prng_key("choice", key)
    if not isinstance(shape, Sequence):
        raise TypeError(errors.with_hint(f"shape argument of jax.random.choice must be a sequence, got {shape}",
                                         f"give the shape as a tuple, e.g. shape=({shape},)."))
    arr = jnp.asarray(a)
    if arr.ndim == 0:
        n_inputs = operator.index(a)
    else:
        axis = canonicalize_axis(axis, arr.ndim)
        n_inputs = arr.shape[axis]
    n_draws = math.prod(shape)
    if n_draws == 0:
        return jnp.zeros(shape, dtype=arr.dtype)
    if n_inputs <= 0:
        raise ValueError(errors.with_hint("a must be greater than 0 unless no samples are taken",
            "choose from a non-empty population, or draw no samples (shape with a 0)."))
    if not replace and n_draws > n_inputs:
        raise ValueError(errors.with_hint(f"Cannot take a larger sample (size {n_draws}) than population (size "
                                          f"{n_inputs}) when 'replace=False'",
                                          f"without replacement each element is drawn once: draw at most "
                                          f"{n_inputs}, or pass replace=True."))
    if p is None and replace:
        ind = randint(key, shape, 0, n_inputs)
        result = ind if arr.ndim == 0 else jnp.take(arr, ind, axis)
    elif p is None:
        slices = (slice(None),) * axis + (slice(n_draws),)
        result = permutation(key, n_inputs if arr.ndim == 0 else arr, axis)[slices]
    else:
        p_arr, = promote_dtypes_inexact(p)
        if p_arr.shape != (n_inputs,):
            raise ValueError(errors.with_hint(f"p must be None or a 1D vector with the same size as a.shape[axis]. "
                             f"p has shape {p_arr.shape} and a.shape[axis] is {n_inputs}.",
                "give p one probability per element of a along axis, as a 1-D array."))
        if replace:
            p_cuml = jnp.cumsum(p_arr)
            r = p_cuml[-1] * (1 - uniform(key, shape, dtype=p_cuml.dtype))
            ind = jnp.searchsorted(p_cuml, r).astype(int)
        else:
            g = gumbel(key, (n_inputs,), dtype=p_arr.dtype, mode=mode) + jnp.log(p_arr)
            ind = lax.top_k(g, k=n_draws)[1].astype(int)
        result = ind if arr.ndim == 0 else jnp.take(arr, ind, axis)
    out_shape = shape if arr.ndim == 0 else arr.shape[:axis] + tuple(shape) + arr.shape[axis + 1:]
    return result.reshape(out_shape)


# ----------------------------------------------------------------------------------------------
# Continuous distributions, all built on uniform


def normal(key, shape=(), dtype=None):
    """Standard normal samples: sqrt(2) * erf_inv(u) for u uniform in (-1, 1)."""
    key, _ = _check_prng_key("normal", key)
    dtype = _float_dtype("normal", dtype, kinds="fc")
    shape = _canonicalize_shape(shape)
    if dtype.kind == "c":
        real_dtype = np.finfo(dtype).dtype
        key_re, key_im = _split(key)
        re = lax.convert_element_type(_normal_real(key_re, shape, real_dtype), dtype)
        im = lax.convert_element_type(_normal_real(key_im, shape, real_dtype), dtype)
        return lax.div(lax.add(re, lax.mul(im, 1j)), np.asarray(np.sqrt(2), dtype))
    return _normal_real(key, shape, dtype)


def _normal_real(key, shape, dtype):
    lo = np.nextafter(np.asarray(-1., dtype), np.asarray(0., dtype))  # erf_inv(-1) would be -inf
    u = uniform(key, shape, dtype, lo, np.asarray(1., dtype))
    return lax.mul(np.asarray(np.sqrt(2), dtype), lax.erf_inv(u))


def truncated_normal(key, lower, upper, shape=None, dtype=None):
    """Normal samples restricted to (lower, upper): invert the normal CDF on a uniform draw
    between the CDF's values at the bounds."""
    if shape is not None:
        shape = _canonicalize_shape(shape)
    key, _ = _check_prng_key("truncated_normal", key)
    dtype = _float_dtype("truncated_normal", dtype)
    if shape is None:
        shape = np.broadcast_shapes(np.shape(lower), np.shape(upper))
    else:
        _check_shape("truncated_normal", shape, np.shape(lower), np.shape(upper))
    sqrt2 = np.asarray(np.sqrt(2), dtype)
    lower = lax.convert_element_type(lower, dtype)
    upper = lax.convert_element_type(upper, dtype)
    a = lax.erf(lax.div(lower, sqrt2))
    b = lax.erf(lax.div(upper, sqrt2))
    out = lax.mul(sqrt2, lax.erf_inv(uniform(key, shape, dtype, minval=a, maxval=b)))
    # Rounding could land on a bound: clamp into the open interval.
    return jnp.clip(out, lax.nextafter(lax.stop_gradient(lower), np.asarray(np.inf, dtype)),
                    lax.nextafter(lax.stop_gradient(upper), np.asarray(-np.inf, dtype)))


def orthogonal(key, n, shape=(), dtype=None, m=None):
    """Random n x m matrices with orthonormal columns (or rows, where n < m), distributed uniformly:
    the Q of a Gaussian matrix's QR, each column's sign fixed by R's diagonal (Mezzadri's recipe)."""
    key, _ = _check_prng_key("orthogonal", key)
    dtype = _float_dtype("orthogonal", dtype, kinds="fc")
    shape = _canonicalize_shape(shape)
    m = n if m is None else m
    n, m = operator.index(n), operator.index(m)
    z = normal(key, (*shape, max(n, m), min(n, m)), dtype)
    q, r = jnp.linalg.qr(z)
    q = q * jnp.expand_dims(jnp.sign(jnp.diagonal(r, axis1=-2, axis2=-1)), -2)
    return jnp.swapaxes(q, -1, -2) if n < m else q


def exponential(key, shape=(), dtype=None):
    """-log(1 - u): 1 - u lies in (0, 1], so the log is finite."""
    key, _ = _check_prng_key("exponential", key)
    dtype = _float_dtype("exponential", dtype)
    u = uniform(key, _canonicalize_shape(shape), dtype)
    return lax.neg(lax.log1p(lax.neg(u)))


def gumbel(key, shape=(), dtype=None, mode=None):
    """-log(-log(u)) for u uniform in [tiny, 1). mode="high" spends two uniforms per sample for
    more resolution near 0 (larger maximum values)."""
    key, _ = _check_prng_key("gumbel", key)
    dtype = _float_dtype("gumbel", dtype)
    shape = _canonicalize_shape(shape)
    mode = "low" if mode is None else mode
    if mode not in ("highest", "high", "low"):
        raise ValueError(errors.with_hint(f"Must provide valid mode for gumbel got: {mode}",
            "pass mode='low' (the default) or mode='high'."))
    if mode == "highest":
        raise NotImplementedError("gumbel(mode='highest') is not implemented in jaxlite")
    info = np.finfo(dtype)
    if mode == "high":
        high, low = _uniform(key, 0., 1., (2,) + shape, dtype)
        x = jnp.where(high >= 0.5, high, high + 2 ** -int(info.nmant) * low + info.tiny)
        return -jnp.log(-jnp.log1p(-x))
    u = _uniform(key, info.tiny, 1., shape, dtype)
    return lax.neg(lax.log(lax.neg(lax.log(u))))


def laplace(key, shape=(), dtype=None):
    key, _ = _check_prng_key("laplace", key)
    dtype = _float_dtype("laplace", dtype)
    u = uniform(key, _canonicalize_shape(shape), dtype,
                minval=-1. + np.finfo(dtype).epsneg, maxval=1.)
    return lax.mul(lax.sign(u), lax.log1p(lax.neg(lax.abs(u))))


def logistic(key, shape=(), dtype=None):
    key, _ = _check_prng_key("logistic", key)
    dtype = _float_dtype("logistic", dtype)
    x = uniform(key, _canonicalize_shape(shape), dtype, minval=np.finfo(dtype).tiny, maxval=1.)
    return lax.sub(lax.log(x), lax.log1p(lax.neg(x)))


def cauchy(key, shape=(), dtype=None):
    key, _ = _check_prng_key("cauchy", key)
    dtype = _float_dtype("cauchy", dtype)
    u = uniform(key, _canonicalize_shape(shape), dtype, minval=np.finfo(dtype).eps, maxval=1.)
    return lax.tan(lax.mul(np.asarray(np.pi, dtype), lax.sub(u, np.asarray(0.5, dtype))))


# ----------------------------------------------------------------------------------------------
# Discrete distributions


def bernoulli(key, p=0.5, shape=None, mode="low"):
    """True with probability p: u < p for u uniform in [0, 1). mode="high" adds a second uniform
    below the first one's resolution, for tiny p."""
    if shape is not None:
        shape = _canonicalize_shape(shape)
    if mode not in ("high", "low"):
        raise ValueError(errors.with_hint(f"got {mode=}, expected 'high' or 'low'",
            "pass mode='low' or mode='high'."))
    key, _ = _check_prng_key("bernoulli", key)
    dtype = dtypes.dtype(p)
    if dtype.kind != "f":
        raise TypeError(errors.with_hint(f"bernoulli probability `p` must have a floating dtype, got {dtype}.",
            "p is a probability: give it a float dtype, e.g. jnp.float32(p)."))
    p = lax.convert_element_type(p, dtype)
    if shape is None:
        shape = get_aval(p).shape
    else:
        _check_shape("bernoulli", shape, get_aval(p).shape)
    if mode == "high":
        u1, u2 = uniform(key, (2, *shape), dtype)
        u2 = u2 * 2 ** -int(np.finfo(dtype).nmant)
        return u2 < p - u1
    return uniform(key, shape, dtype) < p


def rademacher(key, shape=(), dtype=int):
    """-1 or +1 with equal probability."""
    key, _ = _check_prng_key("rademacher", key)
    dtype = dtypes.check_user_dtype(dtype)
    samples = bernoulli(key, 0.5, _canonicalize_shape(shape)).astype(dtype)
    return (2 * samples - 1).astype(dtype)


def categorical(key, logits, axis=-1, shape=None, replace=True, mode=None):
    """Draws category indices with probabilities softmax(logits): the argmax of logits plus Gumbel
    noise (the Gumbel-max trick); without replacement, the top k of them."""
    key, _ = _check_prng_key("categorical", key)
    logits_arr = jnp.asarray(logits)
    ndim = logits_arr.ndim
    batch_shape = tuple(np.delete(logits_arr.shape, axis))
    if shape is None:
        shape = batch_shape
    else:
        shape = _canonicalize_shape(shape)
        _check_shape("categorical", shape, batch_shape)
    shape_prefix = shape[:len(shape) - len(batch_shape)]
    if replace:
        if axis >= 0:
            axis -= ndim
        logits_shape = list(shape[len(shape) - len(batch_shape):])
        logits_shape.insert(axis % ndim, logits_arr.shape[axis])
        noise = gumbel(key, (*shape_prefix, *logits_shape), logits_arr.dtype, mode=mode)
        return jnp.argmax(noise + lax.expand_dims(logits_arr, tuple(range(len(shape_prefix)))),
                          axis=axis)
    logits_arr = logits_arr + gumbel(key, logits_arr.shape, logits_arr.dtype, mode=mode)
    k = math.prod(shape_prefix)
    if k > logits_arr.shape[axis]:
        raise ValueError(errors.with_hint(f"Number of samples without replacement ({k}) cannot exceed number of "
                         f"categories ({logits_arr.shape[axis]}).",
            "without replacement, draw at most as many samples as there are categories, or pass replace=True."))
    _, indices = lax.top_k(jnp.moveaxis(logits_arr, axis, -1), k)
    dimensions = (indices.ndim - 1, *range(indices.ndim - 1))
    return lax.reshape(indices, shape, dimensions)
