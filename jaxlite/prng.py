"""The threefry2x32 counter-based generator: one primitive, and keys built from it.

Mirrors jax/_src/prng.py (the threefry part, with `jax_threefry_partitionable=True`). A key is a
uint32[2] array; every random draw hashes the key together with counters 0, 1, 2, ... so that the
same key always gives the same numbers and no state is ever updated.
"""
import numpy as np

from jaxlite import core, dtypes, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import Primitive, ShapedArray, get_aval
from jaxlite.interpreters import ad
from jaxlite.lax.lax import _broadcast_batcher, _broadcasting_shape, _to_array

UINT_DTYPES = {8: np.dtype(np.uint8), 16: np.dtype(np.uint16), 32: np.dtype(np.uint32),
               64: np.dtype(np.uint64)}

# ----------------------------------------------------------------------------------------------
# The primitive: Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as
# 1, 2, 3", 2011). Two uint32 key words and two uint32 counter words in, two uint32 words out.

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_KEY_PARITY = np.uint32(0x1BD11BDA)


def _rotate_left(x, r):
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _threefry2x32_numpy(k1, k2, x1, x2):
    """The cipher on NumPy uint32 arrays; additions wrap around modulo 2**32, as in XLA."""
    k1, k2, x1, x2 = np.broadcast_arrays(*[np.asarray(a, np.uint32) for a in (k1, k2, x1, x2)])
    ks = (k1, k2, k1 ^ k2 ^ _KEY_PARITY)
    with np.errstate(over="ignore"):
        x1, x2 = x1 + ks[0], x2 + ks[1]
        for block in range(5):
            for r in _ROTATIONS[block % 2]:
                x1 = x1 + x2
                x2 = _rotate_left(x2, r) ^ x1
            x1 = x1 + ks[(block + 1) % 3]
            x2 = x2 + ks[(block + 2) % 3] + np.uint32(block + 1)
    return np.asarray(x1, np.uint32), np.asarray(x2, np.uint32)


def _threefry2x32_abstract_eval(k1, k2, x1, x2):
    if any(a.dtype != np.uint32 for a in (k1, k2, x1, x2)):
        raise TypeError(f"Arguments to threefry2x32 must have uint32 type, got "
                        f"{[a.dtype.name for a in (k1, k2, x1, x2)]}")
    shape = _broadcasting_shape(k1, k2, x1, x2, _name="threefry2x32")
    return [ShapedArray(shape, np.uint32)] * 2


def _threefry2x32_impl(k1, k2, x1, x2):
    outs = _threefry2x32_numpy(*[x._value if type(x) is ArrayImpl else x for x in (k1, k2, x1, x2)])
    return [ArrayImpl(o, False) for o in outs]


threefry2x32_p = Primitive("threefry2x32")
threefry2x32_p.multiple_results = True
threefry2x32_p.def_impl(_threefry2x32_impl)
threefry2x32_p.def_abstract_eval(_threefry2x32_abstract_eval)
threefry2x32_p.numpy_impl = _threefry2x32_numpy  # what jit's NumPy code generator calls
ad.defzero(threefry2x32_p)  # bits are integers: nothing to differentiate
_broadcast_batcher(threefry2x32_p)  # elementwise in all four operands


def threefry2x32(k1, k2, x1, x2):
    return threefry2x32_p.bind(*[_to_array(a) for a in (k1, k2, x1, x2)])


# ----------------------------------------------------------------------------------------------
# Keys: seeding, splitting, folding in data, drawing bits

def key_halves(key):
    """The two uint32 words of a uint32[2] key, as scalars."""
    return [lax.squeeze(lax.slice(key, (i,), (i + 1,)), (0,)) for i in (0, 1)]


def iota_2x32_shape(shape):
    """The counters 0, 1, ..., size-1 laid out in `shape`, as 64-bit numbers split into (hi, lo)
    uint32 halves, so the scheme does not depend on the x64 flag."""
    size = int(np.prod(shape, dtype=np.int64))
    if size > 2 ** 32:
        raise NotImplementedError("random bits arrays with more than 2**32 elements")
    if not shape:
        lo = lax.full((), 0, np.uint32)
    elif len(shape) == 1:
        lo = lax.iota(np.uint32, size)
    else:
        lo = lax.reshape(lax.iota(np.uint32, size), shape)
    return lax.full(shape, 0, np.uint32), lo


def threefry_seed(seed):
    """A key from an integer seed: its high and low 32 bits (the high half is 0 for a 32-bit seed)."""
    seed_aval = get_aval(seed)
    if seed_aval.shape:
        raise TypeError(f"PRNG key seed must be a scalar; got {seed!r}.")
    if seed_aval.dtype.kind not in "iu":
        raise TypeError(f"PRNG key seed must be an integer; got {seed!r}")
    hi = lax.shift_right_logical(seed, np.asarray(32, seed_aval.dtype))
    as_word = lambda k: lax.reshape(lax.convert_element_type(k, np.uint32), (1,))
    return lax.concatenate([as_word(hi), as_word(seed)], 0)


def threefry_2x32(key, count):
    """Hash an array of uint32 counts under a key: the first half of the (flattened, zero-padded)
    counts pairs with the second half."""
    k1, k2 = key_halves(key)
    shape = get_aval(count).shape
    flat = lax.reshape(count, (int(np.prod(shape, dtype=np.int64)),))
    odd = get_aval(flat).shape[0] % 2
    if odd:
        flat = lax.concatenate([flat, lax.full((1,), 0, np.uint32)], 0)
    half = get_aval(flat).shape[0] // 2
    x1, x2 = lax.slice(flat, (0,), (half,)), lax.slice(flat, (half,), (2 * half,))
    out = lax.concatenate(threefry2x32(k1, k2, x1, x2), 0)
    if odd:
        out = lax.slice(out, (0,), (2 * half - 1,))
    return lax.reshape(out, shape)


def threefry_split(key, shape):
    """`shape` new keys: the two hash words of each counter become the two words of a key."""
    k1, k2 = key_halves(key)
    bits1, bits2 = threefry2x32(k1, k2, *iota_2x32_shape(shape))
    ndim = len(shape)
    as_column = lambda b: lax.broadcast_in_dim(b, (*shape, 1), tuple(range(ndim)))
    return lax.concatenate([as_column(bits1), as_column(bits2)], ndim)


def threefry_fold_in(key, data):
    """A new key from a key and a uint32 scalar: hash the scalar's seed words under the key."""
    return threefry_2x32(key, threefry_seed(data))


def threefry_random_bits(key, bit_width, shape):
    """Unsigned integers of `bit_width` bits: 32-bit draws xor the two hash words of each counter;
    64-bit draws put them side by side; 8- and 16-bit draws keep the low bits of the 32-bit xor."""
    if bit_width not in UINT_DTYPES:
        raise TypeError("requires 8-, 16-, 32- or 64-bit field width.")
    k1, k2 = key_halves(key)
    bits1, bits2 = threefry2x32(k1, k2, *iota_2x32_shape(shape))
    dtype = UINT_DTYPES[bit_width]
    if bit_width == 64:
        hi = lax.convert_element_type(bits1, dtype)
        lo = lax.convert_element_type(bits2, dtype)
        return lax.bitwise_or(lax.shift_left(hi, np.asarray(32, dtype)), lo)
    bits = lax.bitwise_xor(bits1, bits2)
    return bits if bit_width == 32 else lax.convert_element_type(bits, dtype)


def random_seed(seed):
    """A key from a seed. Python ints are read as int64 first, so with x64 off a large seed keeps
    only its low 32 bits (as JAX does) instead of overflowing."""
    if isinstance(seed, int) and not isinstance(seed, bool):
        seed = np.int64(seed)
    if isinstance(seed, (np.ndarray, np.generic)):
        seed = np.asarray(seed)
        seed = ArrayImpl(seed.astype(dtypes.canonicalize_dtype(seed.dtype)), False)
    elif not isinstance(seed, (ArrayImpl, core.Tracer)):
        seed = _to_array(seed)
    return threefry_seed(seed)
