"""Dtypes: 32-bit defaults, weakly typed Python scalars, and JAX's promotion lattice.

Mirrors jax/_src/dtypes.py. A Python scalar is *weakly typed*: it takes the dtype of whatever it
meets (`f16_array * 2.0` stays float16). Promotion is the least upper bound in a small lattice.
"""
import functools
import warnings

import numpy as np

from jaxlite.config import x64_enabled
from jaxlite.errors import user_stacklevel, with_hint

class extended:
    """The scalar type of every dtype jaxlite defines itself (as `jax.dtypes.extended`):
    `jnp.issubdtype(key.dtype, jax.dtypes.extended)` holds for typed PRNG keys."""


class prng_key(extended):
    """The scalar type of typed PRNG keys' dtypes (`key<fry>`), as `jax.dtypes.prng_key`."""


class ExtendedDType:
    """A dtype jaxlite defines itself, not a NumPy one: `key<fry>`, the dtype of typed PRNG keys
    (jaxlite.prng). It has a `name` and a scalar `type`, and arrays of it cannot be converted to
    NumPy or promoted with other dtypes."""

    name = "extended"
    type = extended


bool_ = np.dtype(np.bool_)
int8, int16, int32, int64 = (np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64))
uint8, uint16, uint32, uint64 = (np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64))
float16, float32, float64 = (np.dtype(t) for t in (np.float16, np.float32, np.float64))
complex64, complex128 = np.dtype(np.complex64), np.dtype(np.complex128)

# The weak nodes of the lattice: what a Python int, float or complex is before it meets an array.
WEAK_INT, WEAK_FLOAT, WEAK_COMPLEX = "i*", "f*", "c*"

# Each node lists the nodes directly above it; promotion walks upwards to the first common node.
_LATTICE = {
    bool_: [WEAK_INT],
    WEAK_INT: [uint8, int8],
    uint8: [int16, uint16], uint16: [int32, uint32], uint32: [int64, uint64], uint64: [WEAK_FLOAT],
    int8: [int16], int16: [int32], int32: [int64], int64: [WEAK_FLOAT],
    WEAK_FLOAT: [WEAK_COMPLEX, float16],
    float16: [float32], float32: [float64, complex64], float64: [complex128],
    WEAK_COMPLEX: [complex64], complex64: [complex128], complex128: [],
}


# bfloat16 (8 exponent bits, 7 mantissa bits) comes from ml_dtypes, JAX's own dtype package, when
# it is installed; jaxlite works without it. It sits beside float16 in the lattice (so that the two
# meet at float32) and counts as a float everywhere jaxlite asks `kind(dtype)`: NumPy itself files
# it under kind "V" (void).
try:
    import ml_dtypes as _ml_dtypes
except ImportError:
    bfloat16 = None
else:
    bfloat16 = np.dtype(_ml_dtypes.bfloat16)
    _LATTICE[WEAK_FLOAT].append(bfloat16)
    _LATTICE[bfloat16] = [float32]


def kind(dtype):
    """dtype.kind, except that bfloat16 is a float ("f") as in JAX (and a key dtype is "V")."""
    if isinstance(dtype, ExtendedDType):
        return "V"
    dtype = np.dtype(dtype)
    return "f" if dtype == bfloat16 else dtype.kind


def _upper_bounds(node):
    seen, todo = set(), [node]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(_LATTICE[n])
    return seen


_UPPER = {n: frozenset(_upper_bounds(n)) for n in _LATTICE}

_TO_32 = {int64: int32, uint64: uint32, float64: float32, complex128: complex64}


def canonicalize_dtype(dtype):
    """The dtype an array really gets: 64-bit types shrink to 32 bits unless x64 is on."""
    if isinstance(dtype, ExtendedDType):
        return dtype
    try:
        dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(with_hint(str(err), _not_a_dtype_hint(dtype))) from None
    if not x64_enabled():
        return _TO_32.get(dtype, dtype)
    return dtype


def _not_a_dtype_hint(value):
    from jaxlite import core  # core imports this module
    if isinstance(value, core.ExtendedDType):  # a typed PRNG key's dtype
        return ("a typed PRNG key is not a number: use jax.random functions on it, or random.key_data(key) "
                "for its raw bits.")
    return "a dtype is a name such as jnp.float32, jnp.int32 or 'float32' (or float, int, bool)."


def check_user_dtype(dtype, fun_name=None):
    """A dtype a user asked for, as JAX reads it: Python's bool, int, float and complex mean the
    default dtypes; dtypes that are not numbers or bools are refused; a 64-bit dtype without x64 is
    truncated to 32 bits, with JAX's warning (a silent truncation would surprise)."""
    for python_type, default in _PYTHON_TYPE_DEFAULTS:
        if dtype is python_type:
            return default()
    try:
        np_dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(with_hint(str(err), _not_a_dtype_hint(dtype))) from None
    where = f" in {fun_name}" if fun_name else ""
    if np_dtype.kind not in "biufc" and np_dtype.name != "bfloat16":
        raise TypeError(with_hint(f"JAX only supports number, bool, and string dtypes, got dtype {dtype}{where}",
            "jax arrays hold numbers and bools: choose a dtype such as jnp.float32, jnp.int32 or jnp.bool_."))
    canonical = canonicalize_dtype(np_dtype)
    if canonical != np_dtype:
        requested = f" requested in {fun_name}" if fun_name else ""
        warnings.warn(f"Explicitly requested dtype {np_dtype.name}{requested} is not available, and will "
                      f"be truncated to dtype {canonical.name}. To enable more dtypes, set the "
                      "jax_enable_x64 configuration option or the JAX_ENABLE_X64 shell environment "
                      "variable. See https://github.com/jax-ml/jax#current-gotchas for more.",
                      UserWarning, stacklevel=user_stacklevel())
    return canonical


def default_int_dtype():
    return int64 if x64_enabled() else int32


def default_float_dtype():
    return float64 if x64_enabled() else float32


def default_complex_dtype():
    return complex128 if x64_enabled() else complex64


def _node(dtype, weak):
    if weak:
        kind = dtype.kind
        if kind in "iu":
            return WEAK_INT
        if kind == "f":
            return WEAK_FLOAT
        if kind == "c":
            return WEAK_COMPLEX
    return dtype


@functools.lru_cache(maxsize=None)
def _join(nodes):
    common = functools.reduce(frozenset.intersection, (_UPPER[n] for n in nodes))
    # The least upper bound is the common node that lies below every other common node.
    for n in common:
        if common <= _UPPER[n]:
            return n
    raise TypeError(f"no common type for {nodes}")


_PYTHON_TYPE_DEFAULTS = ((bool, lambda: bool_), (int, default_int_dtype), (float, default_float_dtype),
                         (complex, default_complex_dtype))


def _weak_default(node):
    return {WEAK_INT: default_int_dtype, WEAK_FLOAT: default_float_dtype,
            WEAK_COMPLEX: default_complex_dtype}[node]()


@functools.lru_cache(maxsize=4096)
def _result_type(pairs):
    nodes = tuple(_node(d, w) for d, w in pairs)
    node = _join(tuple(sorted(set(nodes), key=str)))
    if isinstance(node, str):
        return _weak_default(node), True
    return canonicalize_dtype(node), False


def result_type_and_weak(*pairs):
    """Promote (dtype, weak_type) pairs; returns the result's (dtype, weak_type)."""
    extended_ = [d for d, _ in pairs if isinstance(d, ExtendedDType)]
    if extended_:
        if len(extended_) == len(pairs) and all(d == extended_[0] for d in extended_):
            return extended_[0], False
        raise ValueError(f"dtype={extended_[0]} is not a valid dtype for JAX type promotion.")
    return _result_type(tuple((np.dtype(d), bool(w)) for d, w in pairs))


def dtype_and_weak(x):
    """(dtype, weak_type) of anything jaxlite accepts as an array operand."""
    aval = getattr(x, "aval", None)
    if aval is not None:
        return aval.dtype, aval.weak_type
    if isinstance(x, bool):
        return bool_, True
    if isinstance(x, int):
        return default_int_dtype(), True
    if isinstance(x, float):
        return default_float_dtype(), True
    if isinstance(x, complex):
        return default_complex_dtype(), True
    if isinstance(x, (np.ndarray, np.generic)):
        return canonicalize_dtype(x.dtype), False
    return canonicalize_dtype(np.asarray(x).dtype), False


def result_type(*args, return_weak_type_flag=False):
    """Like `jnp.result_type`: the dtype that mixing these operands produces."""
    pairs = []
    for a in args:
        if isinstance(a, (np.dtype, type, str)):
            pairs.append((np.dtype(a), False))
        else:
            pairs.append(dtype_and_weak(a))
    dtype, weak = result_type_and_weak(*pairs)
    return (dtype, weak) if return_weak_type_flag else dtype


def promote_types(a, b):
    """Like `jnp.promote_types`: the join of two dtypes as they are, not made canonical (float32
    and float64 give float64 even without x64, and Python's float means float64)."""
    a, b = np.dtype(a), np.dtype(b)
    return a if a == b else _join(tuple(sorted({a, b}, key=str)))


def is_weakly_typed(x):
    return dtype_and_weak(x)[1]


def issubdtype(a, b):
    if isinstance(a, ExtendedDType) or isinstance(b, ExtendedDType):
        return a == b or (isinstance(b, type) and issubclass(getattr(a, "type", type(None)), b))
    if bfloat16 is not None and np.dtype(a) == bfloat16 and b in (np.floating, np.inexact, np.number):
        return True
    return np.issubdtype(a, b)


def dtype(x):
    """The dtype `x` would have as a jaxlite array (Python floats become float32)."""
    if isinstance(x, (np.dtype, type, str)):
        return canonicalize_dtype(x)
    return dtype_and_weak(x)[0]



def float0_like_dtype():
    """JAX gives integer inputs float0 tangents; jaxlite keeps a plain bool-sized stand-in."""
    return np.dtype([("float0", np.void, 0)])


float0 = float0_like_dtype()

_SHORT = {"bool": "bool", "float16": "f16", "float32": "f32", "float64": "f64", "bfloat16": "bf16",
          "int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64",
          "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64",
          "complex64": "c64", "complex128": "c128"}


def short_name(dt):
    """The dtype as jaxpr text spells it: f32, i32, bool, u32, ..."""
    if dt == float0:
        return "float0"
    return _SHORT.get(np.dtype(dt).name, np.dtype(dt).name)


def clear_caches():
    _result_type.cache_clear()
