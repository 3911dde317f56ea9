"""The threefry2x32 counter-based generator: one primitive, and keys built from it.

Mirrors jax/_src/random/threefry2x32.py (with `jax_threefry_partitionable=True`) and, for key arrays,
jax/_src/random/prng.py. A key's data is two uint32 words; every random draw hashes the key together
with counters 0, 1, 2, ... so that the same key always gives the same numbers and no state is ever
updated. Keys come typed (`key<fry>` arrays, from `random.key`) or as raw uint32[2] arrays
(`random.PRNGKey`), as in JAX.
"""
import numpy as np

from jaxlite import core, dtypes, errors, lax
from jaxlite.array import ArrayImpl
from jaxlite.core import Primitive, ShapedArray, get_aval
from jaxlite.interpreters import ad, batching
from jaxlite.lax.utils import broadcasting_shape, to_array
from jaxlite.interpreters.lowering import register_lowering
from jaxlite.interpreters.numpy_codegen import NumpyCall, impl_call
from jaxlite.interpreters.xla import host_callback

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
    shape = broadcasting_shape(k1, k2, x1, x2, _name="threefry2x32")
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
batching.defbroadcasting(threefry2x32_p)  # elementwise in all four operands


def threefry2x32(k1, k2, x1, x2):
    return threefry2x32_p.bind(*[to_array(a) for a in (k1, k2, x1, x2)])


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


_SEED_HINT = "a seed is one integer, such as 0 or 42: pass an int, or convert with int(seed) or seed.astype(jnp.int32)."


def threefry_seed(seed):
    """A key from an integer seed: its high and low 32 bits (the high half is 0 for a 32-bit seed)."""
    seed_aval = get_aval(seed)
    if seed_aval.shape:
        raise TypeError(errors.with_hint(f"PRNG key seed must be a scalar; got {seed!r}.", _SEED_HINT))
    if seed_aval.dtype.kind not in "iu":
        raise TypeError(errors.with_hint(f"PRNG key seed must be an integer; got {seed!r}", _SEED_HINT))
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


def seed_array(seed):
    """A seed as an integer array. Python ints are read as int64 first, so with x64 off a large seed
    keeps only its low 32 bits (as JAX does) instead of overflowing."""
    if isinstance(seed, int) and not isinstance(seed, bool):
        seed = np.int64(seed)
    if isinstance(seed, (np.ndarray, np.generic)):
        seed = np.asarray(seed)
        return ArrayImpl(seed.astype(dtypes.canonicalize_dtype(seed.dtype)), False)
    if not isinstance(seed, (ArrayImpl, core.Tracer)):
        return to_array(seed)
    return seed


# ----------------------------------------------------------------------------------------------
# Typed keys: arrays whose elements are keys, of dtype key<fry>
#
# A key array of shape S holds key data of shape S + (2,) (uint32 words). Its dtype is not a NumPy
# dtype: key arrays can be split, folded, indexed, reshaped and passed through jit, vmap and
# control flow, but not added, multiplied or converted to NumPy. The random_* primitives work on
# them; jit runs the *physical* program, where every key value is its key data (see physicalize).

class PRNGImpl:
    """A generator: its key data shape and its functions on one key's data."""

    def __init__(self, name, tag, key_shape, seed, split, fold_in, random_bits):
        self.name, self.tag, self.key_shape = name, tag, key_shape
        self.seed, self.split, self.fold_in, self.random_bits = seed, split, fold_in, random_bits

    def __str__(self):
        return self.tag  # jaxprs print `impl=fry`

    __repr__ = __str__


threefry_prng_impl = PRNGImpl("threefry2x32", "fry", (2,), threefry_seed, threefry_split,
                              threefry_fold_in, threefry_random_bits)


class KeyTy(core.ExtendedDType):
    """The dtype of a key array: `key<fry>` for threefry keys."""

    kind = "V"
    type = dtypes.prng_key

    def __init__(self, impl):
        self._impl = impl

    name = property(lambda self: f"key<{self._impl.tag}>")

    def __str__(self):
        return self.name

    __repr__ = __str__

    def __eq__(self, other):
        return type(other) is KeyTy and other._impl is self._impl

    def __hash__(self):
        return hash(("key", self._impl.tag))


def is_key_dtype(dtype):
    return type(dtype) is KeyTy


def keys_aval(impl, shape):
    return ShapedArray(tuple(shape), KeyTy(impl))


def _key_op_error(name, *operands):
    names = ", ".join(str(dtypes.dtype(x) if not isinstance(x, ArrayImpl) else get_aval(x).dtype)
                      for x in operands)
    return TypeError(errors.with_hint(f"{name} does not accept dtypes {names}.", KEY_ARITHMETIC_HINT))


KEY_ARITHMETIC_HINT = ("a typed PRNG key is not a number: derive new keys with jax.random.split or "
                       "jax.random.fold_in(key, n), and read its raw bits with jax.random.key_data(key).")


class PRNGKeyArray(ArrayImpl):
    """A concrete key array. `_value` holds the key data (uint32, shape + (2,)); everything the user
    sees is in terms of keys: shape, dtype key<fry>, indexing, and JAX's refusals."""

    __slots__ = ("_impl",)

    def __init__(self, impl, key_data):
        key_data = np.asarray(key_data, np.uint32)
        super().__init__(key_data, False, keys_aval(impl, key_data.shape[:-len(impl.key_shape)]))
        self._impl = impl

    shape = property(lambda self: self._aval.shape)
    dtype = property(lambda self: self._aval.dtype)
    ndim = property(lambda self: len(self._aval.shape))
    size = property(lambda self: int(np.prod(self._aval.shape, dtype=np.int64)))
    T = property(lambda self: self.transpose())

    def key_data(self):
        return ArrayImpl(self._value, False)

    def __repr__(self):
        return f"Array({self.shape}, dtype={self.dtype}) overlaying:\n{self._value}"

    __str__ = __repr__

    def __format__(self, spec):
        return format(repr(self), spec)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(errors.with_hint("JAX array with PRNGKey dtype cannot be converted to a NumPy array. Use "
                        "jax.random.key_data(arr) if you wish to extract the underlying integer array.",
            "keys are not numbers: use jax.random.key_data(key) for the integers inside a key."))

    def __len__(self):
        if not self.shape:
            raise TypeError(errors.with_hint("len() of unsized object",
                "a single key has no length; split it with jax.random.split(key, n) to get n keys."))
        return self.shape[0]

    # Indexing (inherited) and these reshapes go through lax's shape primitives, which take keys.
    def reshape(self, *shape, order="C"):
        shape = tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int) else shape
        if -1 in shape:  # the one unknown size makes the total agree
            known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
            shape = tuple(self.size // known if d == -1 else d for d in shape)
        return lax.reshape(self, shape)

    def transpose(self, *axes):
        axes = axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes
        return lax.transpose(self, tuple(axes) if axes else tuple(reversed(range(self.ndim))))

    def ravel(self):
        return self.reshape(self.size)

    flatten = ravel

    def copy(self):
        return PRNGKeyArray(self._impl, np.array(self._value))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self.copy()

    def __reduce__(self):
        return (PRNGKeyArray, (self._impl, np.array(self._value)))

    def __eq__(self, other):
        if not isinstance(other, PRNGKeyArray):
            raise _key_op_error("equal", self, other)
        from jaxlite import numpy as jnp
        return jnp.all(jnp.equal(self.key_data(), other.key_data()), axis=-1)

    def __ne__(self, other):
        from jaxlite import numpy as jnp
        return jnp.logical_not(self == other)

    def __hash__(self):
        raise TypeError(errors.with_hint("unhashable type: 'PRNGKeyArray'",
            "a key cannot be a dict key or a static argument: use its seed, or jax.random.key_data(key).tolist()."))

    def __bool__(self):
        raise TypeError(errors.with_hint("bool() argument must be a string or a real number, not 'PRNGKeyArray'",
            "a key has no truth value: compare key_data(key) if you need to test it."))

    def __float__(self):
        raise TypeError(errors.with_hint("float() argument must be a string or a real number, not 'PRNGKeyArray'",
            "a key is not a number: use jax.random.key_data(key) for its integers."))

    def __int__(self):
        raise TypeError(errors.with_hint("int() argument must be a string, a bytes-like object or a real number, not "
                        "'PRNGKeyArray'",
            "a key is not a number: use jax.random.key_data(key) for its integers."))

    def __neg__(self):
        raise TypeError(errors.with_hint("neg does not accept dtype key<fry>. Accepted dtypes are subtypes of "
                                         "integer, floating, complexfloating.", KEY_ARITHMETIC_HINT))


def _abstract_method(name):
    def method(self, *args, **kwargs):
        raise NotImplementedError(f"Cannot call abstract method {name}")
    method.__name__ = name
    return method


# As in JAX, a key array has the shape methods (reshape, ravel, flatten, squeeze, swapaxes, take,
# transpose, T, at) and no numerical ones.
for _name in ("all", "any", "argmax", "argmin", "argsort", "astype", "clip", "conj", "conjugate",
              "cumprod", "cumsum", "diagonal", "dot", "item", "max", "mean", "min", "nonzero", "prod",
              "repeat", "round", "sort", "std", "sum", "tolist", "trace", "var"):
    setattr(PRNGKeyArray, _name, _abstract_method(_name))
PRNGKeyArray.real = property(_abstract_method("real"))
PRNGKeyArray.imag = property(_abstract_method("imag"))


def _refuse(name, reflected=False):
    def method(self, other):
        raise _key_op_error(name, *((other, self) if reflected else (self, other)))
    return method


for _dunder, _name in [("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
                       ("truediv", "true_divide"), ("floordiv", "floor_divide"), ("mod", "remainder"),
                       ("pow", "power"), ("matmul", "matmul"), ("and", "bitwise_and"),
                       ("or", "bitwise_or"), ("xor", "bitwise_xor"), ("lshift", "left_shift"),
                       ("rshift", "right_shift")]:
    setattr(PRNGKeyArray, f"__{_dunder}__", _refuse(_name))
    setattr(PRNGKeyArray, f"__r{_dunder}__", _refuse(_name, reflected=True))
for _dunder in ("lt", "le", "gt", "ge"):
    def _compare(self, other, _dunder=_dunder):
        raise TypeError(errors.with_hint(f"{_dunder} does not accept dtype key<fry> at position 0. Accepted "
                                         "dtypes at position 0 are subtypes of integer, floating, bool.",
                                         KEY_ARITHMETIC_HINT))
    setattr(PRNGKeyArray, f"__{_dunder}__", _compare)


def _wrap(impl, key_data):
    """A key array from key data (a concrete array; tracers are wrapped by random_wrap_p)."""
    return PRNGKeyArray(impl, np.asarray(key_data._value if isinstance(key_data, ArrayImpl) else key_data))


def key_data_of(x):
    """The key data behind a key value: concrete keys hold it; anything else passes unchanged."""
    return x.key_data() if type(x) is PRNGKeyArray else x


# ----------------------------------------------------------------------------------------------
# The key primitives, with their rules. Each works on whole key arrays: random_bits of keys of
# shape S gives bits of shape S + shape; the physical functions map the one-key functions above
# over the keys with vmap.

def _map_over_keys(fn, key_data, key_ndim, *others):
    """`fn(one_key_data, *others)` for every key of `key_data` (shape S + (2,)), stacked to S + ..."""
    lead = get_aval(key_data).shape[:get_aval(key_data).ndim - key_ndim]
    if not lead:
        return fn(key_data, *others)
    from jaxlite.api import vmap
    n = int(np.prod(lead, dtype=np.int64))
    flat = lax.reshape(key_data, (n,) + get_aval(key_data).shape[len(lead):])
    flat_others = [lax.reshape(o, (n,)) for o in others]
    out = vmap(fn)(flat, *flat_others) if n else _empty_like_mapped(fn, flat, flat_others)
    return lax.reshape(out, lead + get_aval(out).shape[1:])


def _empty_like_mapped(fn, flat, others):
    from jaxlite.api import eval_shape
    one = eval_shape(fn, *[ShapedArray(get_aval(x).shape[1:], get_aval(x).dtype) for x in (flat, *others)])
    return lax.full((0,) + one.shape, 0, one.dtype)


def _check_keys(name, aval):
    if not is_key_dtype(aval.dtype):
        raise TypeError(errors.with_hint(f"{name} expects a key array, got {aval.str_short()}",
            "pass a key made by jax.random.key(seed)."))
    return aval.dtype._impl


def _key_primitive(name):
    prim = Primitive(name)
    ad.defzero(prim)  # keys and bits have no tangent space
    return prim


# random_seed: integer seeds -> keys
def _seed_physical(seeds, impl):
    if not get_aval(seeds).shape:
        return impl.seed(seeds)
    from jaxlite.api import vmap
    flat = lax.reshape(seeds, (get_aval(seeds).size,))
    return lax.reshape(vmap(impl.seed)(flat), get_aval(seeds).shape + impl.key_shape)


def _seed_abstract_eval(seeds, *, impl):
    if seeds.dtype.kind not in "iu":
        # JAX traces the seed (random.key is jitted there), so its message shows the tracer.
        raise TypeError(errors.with_hint(f"PRNG key seed must be an integer; got JitTracer({seeds})",
                                         _SEED_HINT))
    return keys_aval(impl, seeds.shape)


random_seed_p = _key_primitive("random_seed")
def _seed_impl(seeds, *, impl):
    _seed_abstract_eval(get_aval(seeds), impl=impl)
    return _wrap(impl, _seed_physical(seeds, impl))


random_seed_p.def_impl(_seed_impl)
random_seed_p.def_abstract_eval(_seed_abstract_eval)
batching.primitive_batchers[random_seed_p] = lambda args, dims, *, impl: (
    random_seed_p.bind(batching.moveaxis(args[0], dims[0], 0), impl=impl), 0)


# random_split: keys -> keys.shape + shape new keys
def _split_physical(key_data, impl, shape):
    return _map_over_keys(lambda k: impl.split(k, shape), key_data, len(impl.key_shape))


def _split_abstract_eval(keys, *, shape):
    _check_keys("random_split", keys)
    return ShapedArray(keys.shape + tuple(shape), keys.dtype)


random_split_p = _key_primitive("random_split")
random_split_p.def_impl(lambda keys, *, shape: _wrap(keys._impl, _split_physical(keys.key_data(), keys._impl, shape)))
random_split_p.def_abstract_eval(_split_abstract_eval)


# random_fold_in: keys, uint32 data -> keys
def _fold_in_physical(key_data, msgs, impl):
    return _map_over_keys(impl.fold_in, key_data, len(impl.key_shape), msgs)


def _fold_in_abstract_eval(keys, msgs):
    _check_keys("random_fold_in", keys)
    if msgs.dtype != np.uint32:
        raise TypeError(f"random_fold_in expects uint32 data, got {msgs.str_short()}")
    return ShapedArray(broadcasting_shape(keys, msgs, _name="random_fold_in"), keys.dtype)


def _fold_in_impl(keys, msgs):
    shape = _fold_in_abstract_eval(keys.aval, get_aval(msgs)).shape
    data = lax.broadcast_in_dim(keys.key_data(), shape + keys._impl.key_shape,
                                tuple(range(len(shape) - keys.ndim, len(shape) + 1)))
    msgs = lax.broadcast_in_dim(msgs, shape, tuple(range(len(shape) - get_aval(msgs).ndim, len(shape))))
    return _wrap(keys._impl, _fold_in_physical(data, msgs, keys._impl))


random_fold_in_p = _key_primitive("random_fold_in")
random_fold_in_p.def_impl(_fold_in_impl)
random_fold_in_p.def_abstract_eval(_fold_in_abstract_eval)


# random_bits: keys -> uint bits of keys.shape + shape
def _bits_physical(key_data, impl, bit_width, shape):
    return _map_over_keys(lambda k: impl.random_bits(k, bit_width, shape), key_data, len(impl.key_shape))


def _bits_abstract_eval(keys, *, bit_width, shape):
    _check_keys("random_bits", keys)
    if bit_width not in UINT_DTYPES:
        raise TypeError("requires 8-, 16-, 32- or 64-bit field width.")
    return ShapedArray(keys.shape + tuple(shape), dtypes.canonicalize_dtype(UINT_DTYPES[bit_width]))


random_bits_p = _key_primitive("random_bits")
random_bits_p.def_impl(lambda keys, *, bit_width, shape: _bits_physical(keys.key_data(), keys._impl,
                                                                        bit_width, shape))
random_bits_p.def_abstract_eval(_bits_abstract_eval)


# random_wrap / random_unwrap: key data <-> keys
def check_key_data(aval, impl):
    if aval.dtype != np.uint32:
        raise TypeError(errors.with_hint(f"JAX encountered invalid PRNG key data: expected key_data.dtype = uint32; "
                        f"got dtype={aval.dtype}",
            "key data is uint32, as jax.random.key_data gives it: make keys with jax.random.key or PRNGKey."))
    if aval.shape[-len(impl.key_shape):] != impl.key_shape:
        raise TypeError(errors.with_hint(f"JAX encountered invalid PRNG key data: expected key_data.shape to end "
                        f"with {impl.key_shape}; got shape={aval.shape} for impl={impl.name}",
            "key data ends with two uint32 words per key: make keys with jax.random.key or PRNGKey."))


def _wrap_abstract_eval(key_data, *, impl):
    check_key_data(key_data, impl)
    return keys_aval(impl, key_data.shape[:-len(impl.key_shape)])


random_wrap_p = _key_primitive("random_wrap")
def _wrap_impl(key_data, *, impl):
    check_key_data(get_aval(key_data), impl)
    return _wrap(impl, key_data)


random_wrap_p.def_impl(_wrap_impl)
random_wrap_p.def_abstract_eval(_wrap_abstract_eval)


def _unwrap_abstract_eval(keys):
    impl = _check_keys("random_unwrap", keys)
    return ShapedArray(keys.shape + impl.key_shape, np.uint32)


random_unwrap_p = _key_primitive("random_unwrap")
random_unwrap_p.def_impl(lambda keys: keys.key_data())
random_unwrap_p.def_abstract_eval(_unwrap_abstract_eval)


def _keys_to_front(keys, dim, size):
    """Key values with their batch axis first (made for unbatched ones), via their key data."""
    if dim == 0:
        return keys
    data = random_unwrap_p.bind(keys)
    data = batching.bdim_at_front(data, dim, size)
    return random_wrap_p.bind(data, impl=get_aval(keys).dtype._impl)


def _keys_batcher(prim):
    """Key primitives map over key arrays: batch axis first, then the primitive as it is."""
    def rule(args, dims, **params):
        size = batching.axis_size_of(args, dims)
        args = [_keys_to_front(x, d, size) if is_key_dtype(get_aval(x).dtype)
                else batching.bdim_at_front(x, d, size) for x, d in zip(args, dims)]
        return prim.bind(*args, **params), 0
    return rule


for _prim in (random_split_p, random_fold_in_p, random_bits_p):
    batching.primitive_batchers[_prim] = _keys_batcher(_prim)
batching.primitive_batchers[random_unwrap_p] = lambda args, dims: (random_unwrap_p.bind(args[0]), dims[0])
batching.primitive_batchers[random_wrap_p] = lambda args, dims, *, impl: (
    random_wrap_p.bind(batching.moveaxis(args[0], dims[0], 0), impl=impl), 0)


# ----------------------------------------------------------------------------------------------
# Shape primitives on key arrays: each one's rule on key data, which has one more trailing axis.
# Concrete key arrays use them directly; jit uses them to rewrite its jaxpr (physicalize).

def _physical_shape_rules():
    from jaxlite.lax import gather_scatter, slicing
    K = threefry_prng_impl.key_shape  # every generator here has two-word keys

    def slice_rule(args, is_key, out_avals, *, start_indices, limit_indices, strides):
        return [slicing.slice(args[0], start_indices + (0,), limit_indices + K,
                              None if strides is None else strides + (1,))]

    def squeeze_rule(args, is_key, out_avals, *, dimensions):
        return [lax.squeeze(args[0], dimensions)]

    def reshape_rule(args, is_key, out_avals, *, new_sizes, dimensions, **_):
        ndim = len(get_aval(args[0]).shape) - 1
        return [lax.reshape(args[0], tuple(new_sizes) + K,
                            None if dimensions is None else tuple(dimensions) + (ndim,))]

    def broadcast_rule(args, is_key, out_avals, *, shape, broadcast_dimensions, sharding=None):
        return [lax.broadcast_in_dim(args[0], tuple(shape) + K, tuple(broadcast_dimensions) + (len(shape),))]

    def transpose_rule(args, is_key, out_avals, *, permutation):
        return [lax.transpose(args[0], tuple(permutation) + (len(permutation),))]

    def rev_rule(args, is_key, out_avals, *, dimensions):
        return [lax.rev(args[0], dimensions)]

    def concatenate_rule(args, is_key, out_avals, *, dimension):
        return [slicing.concatenate(args, dimension)]

    def copy_rule(args, is_key, out_avals):
        return [lax.copy_p.bind(args[0])]

    def select_rule(args, is_key, out_avals):
        which, *cases = args
        shape = get_aval(cases[0]).shape
        if get_aval(which).shape:
            which = lax.broadcast_in_dim(which, shape, tuple(range(len(shape) - 1)))
        return [lax.select_n(which, *cases)]

    def dynamic_slice_rule(args, is_key, out_avals, *, slice_sizes):
        operand, *starts = args
        zero = lax.full((), 0, get_aval(starts[0]).dtype if starts else np.int32)
        return [slicing.dynamic_slice_p.bind(operand, *starts, zero, slice_sizes=tuple(slice_sizes) + K)]

    def dynamic_update_slice_rule(args, is_key, out_avals):
        operand, update, *starts = args
        zero = lax.full((), 0, get_aval(starts[0]).dtype if starts else np.int32)
        return [slicing.dynamic_update_slice_p.bind(operand, update, *starts, zero)]

    def gather_rule(args, is_key, out_avals, *, dimension_numbers, slice_sizes, **params):
        dn = dimension_numbers._replace(offset_dims=tuple(dimension_numbers.offset_dims)
                                        + (out_avals[0].ndim,))
        return [gather_scatter.gather_p.bind(*args, dimension_numbers=dn,
                                             slice_sizes=tuple(slice_sizes) + K, **params)]

    def scatter_rule(args, is_key, out_avals, *, dimension_numbers, **params):
        operand, indices, updates = args
        dn = dimension_numbers._replace(update_window_dims=tuple(dimension_numbers.update_window_dims)
                                        + (get_aval(updates).ndim - 1,))
        return [gather_scatter.scatter_p.bind(operand, indices, updates, dimension_numbers=dn, **params)]

    def compare_rule(args, is_key, out_avals, *, prim, any_word):
        shape = out_avals[0].shape + K  # a scalar key meets an array of keys: broadcast its data
        args = [a if get_aval(a).shape == shape else
                lax.broadcast_in_dim(a, shape, tuple(range(len(shape) - get_aval(a).ndim, len(shape))))
                for a in args]
        words = prim.bind(*args)
        last = (get_aval(words).ndim - 1,)
        return [lax.reduce_or(words, last) if any_word else lax.reduce_and(words, last)]

    return {lax.eq_p: lambda *a, **p: compare_rule(*a, prim=lax.eq_p, any_word=False, **p),
            lax.ne_p: lambda *a, **p: compare_rule(*a, prim=lax.ne_p, any_word=True, **p),
            slicing.slice_p: slice_rule, gather_scatter.scatter_p: scatter_rule, lax.squeeze_p: squeeze_rule, lax.reshape_p: reshape_rule,
            lax.broadcast_in_dim_p: broadcast_rule, lax.transpose_p: transpose_rule,
            lax.rev_p: rev_rule, slicing.concatenate_p: concatenate_rule, lax.copy_p: copy_rule,
            lax.select_n_p: select_rule, slicing.dynamic_slice_p: dynamic_slice_rule,
            slicing.dynamic_update_slice_p: dynamic_update_slice_rule, gather_scatter.gather_p: gather_rule}


def _key_physical_rules():
    """The key primitives as computations on key data."""
    def impl_of(avals):
        return next(a.dtype._impl for a in avals if is_key_dtype(a.dtype))

    return {
        random_seed_p: lambda args, in_avals, *, impl: [_seed_physical(args[0], impl)],
        random_split_p: lambda args, in_avals, *, shape: [_split_physical(args[0], impl_of(in_avals), shape)],
        random_fold_in_p: lambda args, in_avals: [_fold_in_physical(*_broadcast_fold_in(args, in_avals),
                                                                    impl_of(in_avals))],
        random_bits_p: lambda args, in_avals, *, bit_width, shape: [
            _bits_physical(args[0], impl_of(in_avals), bit_width, shape)],
        random_wrap_p: lambda args, in_avals, *, impl: [args[0]],
        random_unwrap_p: lambda args, in_avals: [args[0]],
    }


def _broadcast_fold_in(args, in_avals):
    data, msgs = args
    shape = _fold_in_abstract_eval(*in_avals).shape
    k = len(threefry_prng_impl.key_shape)
    data = lax.broadcast_in_dim(data, shape + threefry_prng_impl.key_shape,
                                tuple(range(len(shape) - in_avals[0].ndim, len(shape) + k)))
    msgs = lax.broadcast_in_dim(msgs, shape, tuple(range(len(shape) - in_avals[1].ndim, len(shape))))
    return data, msgs


shape_rules = _physical_shape_rules()
key_rules = _key_physical_rules()


def _key_aware_impl(prim, impl):
    """A shape primitive's impl that also takes concrete key arrays, through its key-data rule."""
    rule = shape_rules[prim]

    def checked_impl(*args, **params):
        for a in args:  # a loop, not any(...): shape primitives run on every eager operation
            if type(a) is PRNGKeyArray:
                break
        else:
            return impl(*args, **params)
        is_key = [type(a) is PRNGKeyArray for a in args]
        key_impl = next(a._impl for a in args if type(a) is PRNGKeyArray)
        out_avals = prim.abstract_eval(*[get_aval(a) for a in args], **params)
        out_avals = out_avals if prim.multiple_results else [out_avals]
        outs = rule([key_data_of(a) for a in args], is_key, out_avals, **params)
        outs = [_wrap(key_impl, o) if is_key_dtype(a.dtype) else o for o, a in zip(outs, out_avals)]
        return outs if prim.multiple_results else outs[0]
    checked_impl.__wrapped__ = impl  # on arrays that are not keys it is impl (the speed layer reads this)
    return checked_impl


for _prim in shape_rules:
    _prim.def_impl(_key_aware_impl(_prim, _prim.impl))


# ----------------------------------------------------------------------------------------------
# physicalize: a jaxpr on keys as a jaxpr on key data, which is what jit's backends run

def physical_aval(aval):
    if is_key_dtype(aval.dtype):
        return ShapedArray(aval.shape + aval.dtype._impl.key_shape, np.uint32)
    return aval


def _has_keys(jaxpr):
    avals = [v.aval for v in jaxpr.invars + jaxpr.outvars + jaxpr.constvars]
    avals += [v.aval for e in jaxpr.eqns for v in e.invars + e.outvars]
    if any(is_key_dtype(a.dtype) for a in avals):
        return True
    return any(_has_keys(sub.jaxpr if isinstance(sub, core.ClosedJaxpr) else sub)
               for e in jaxpr.eqns for sub in core.jaxprs_in_params(e.params))


def _physicalize_param(value):
    if isinstance(value, core.ClosedJaxpr):
        return physicalize(value)
    if isinstance(value, core.Jaxpr):
        closed = physicalize(core.ClosedJaxpr(value, ()))
        if closed.consts:
            raise NotImplementedError("jaxlite cannot run this program on key data under jit: a "
                                      "nested jaxpr would need constants")
        return closed.jaxpr
    if type(value) is tuple and value and all(isinstance(v, (core.Jaxpr, core.ClosedJaxpr)) for v in value):
        return tuple(_physicalize_param(v) for v in value)
    return value


def _physical_eqn(eqn, args):
    in_avals = [v.aval for v in eqn.invars]
    touches_keys = any(is_key_dtype(a.dtype) for a in in_avals + [v.aval for v in eqn.outvars])
    if eqn.primitive in key_rules:
        return key_rules[eqn.primitive](args, in_avals, **eqn.params)
    if touches_keys and eqn.primitive in shape_rules:
        return shape_rules[eqn.primitive](args, [is_key_dtype(a.dtype) for a in in_avals],
                                          [v.aval for v in eqn.outvars], **eqn.params)
    subs = list(core.jaxprs_in_params(eqn.params))
    if touches_keys and not subs:
        raise TypeError(errors.with_hint(f"{eqn.primitive} does not accept dtype key<fry>.",
            "operations on keys are jax.random functions (split, fold_in, key_data), not arithmetic."))
    params = {k: _physicalize_param(v) for k, v in eqn.params.items()} if subs else eqn.params
    outs = eqn.primitive.bind(*args, **params)
    return outs if eqn.primitive.multiple_results else [outs]


def physicalize(closed):
    """The same program with every key value replaced by its key data (uint32[..., 2]): key
    primitives become threefry computations and shape primitives act on the data's leading axes."""
    if not _has_keys(closed.jaxpr):
        return closed
    jaxpr = closed.jaxpr

    def run(*args):
        env = dict(zip(jaxpr.constvars, [key_data_of(c) for c in closed.consts]))
        env.update(zip(jaxpr.invars, args))
        read = lambda v: v.val if type(v) is core.Literal else env[v]
        for eqn in jaxpr.eqns:
            env.update(zip(eqn.outvars, _physical_eqn(eqn, [read(v) for v in eqn.invars])))
        return [read(v) for v in jaxpr.outvars]

    from jaxlite.interpreters import partial_eval as pe
    physical, _ = pe.trace_to_jaxpr(run, [physical_aval(v.aval) for v in jaxpr.invars])
    return physical


def physical_function(closed, compile_physical):
    """`compile_physical` applied to the physical program, called with key arrays' data and
    returning key arrays where the program returns keys."""
    if not _has_keys(closed.jaxpr):
        return compile_physical(closed)
    run = compile_physical(physicalize(closed))
    out_keys = [v.aval.dtype._impl if is_key_dtype(v.aval.dtype) else None for v in closed.jaxpr.outvars]

    def run_on_keys(*args):
        outs = run(*[key_data_of(a) for a in args])
        return [o if impl is None else _wrap(impl, o) for o, impl in zip(outs, out_keys)]
    return run_on_keys


# Backends compile programs on key data (prng.physicalize): the key primitives reach them only
# as their impls, which run on the host.
register_lowering(threefry2x32_p, NumpyCall(threefry2x32_p.numpy_impl), "numpy")
for _prim in (threefry2x32_p, random_seed_p, random_split_p, random_fold_in_p, random_bits_p,
              random_wrap_p, random_unwrap_p):
    register_lowering(_prim, host_callback, "xla")
for _prim in (random_seed_p, random_split_p, random_fold_in_p, random_bits_p, random_wrap_p, random_unwrap_p):
    register_lowering(_prim, impl_call(_prim), "numpy")
