"""jaxlite.numpy's scalar types: `jnp.float32(3)` makes an array, `np.dtype(jnp.float32)` is float32.

Mirrors jax/_src/numpy/scalar_types.py: JAX has no scalar objects, so each scalar type is a
class whose call makes a 0-d array of its dtype.
"""
import numpy as np

from jaxlite import dtypes
from jaxlite.numpy.array_constructors import asarray


class _ScalarMeta(type):
    """JAX has no scalar objects: calling a scalar type makes a 0-d array of that dtype. The type
    still works wherever NumPy expects a dtype, compares equal to NumPy's scalar type, and
    `isinstance(np.float32(1), jnp.float32)` holds."""

    @property
    def __numpy_dtype__(cls):
        return cls.dtype

    def __hash__(cls):
        return hash(cls.dtype.type)

    def __eq__(cls, other):
        return cls is other or cls.dtype.type == other

    def __ne__(cls, other):
        return not cls == other

    def __call__(cls, x):
        return asarray(x, dtype=cls.dtype)

    def __instancecheck__(cls, instance):
        return isinstance(instance, cls.dtype.type)


def _scalar_type(np_type):
    return _ScalarMeta(np_type.__name__, (object,), {"dtype": np.dtype(np_type),
                                                     "__module__": "jaxlite.numpy"})


bool_ = _scalar_type(np.bool_)
int8, int16, int32, int64 = (_scalar_type(t) for t in (np.int8, np.int16, np.int32, np.int64))
uint8, uint16, uint32, uint64 = (_scalar_type(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64))
float16, float32, float64 = (_scalar_type(t) for t in (np.float16, np.float32, np.float64))
complex64, complex128 = _scalar_type(np.complex64), _scalar_type(np.complex128)
single, double = float32, float64
bfloat16 = None if dtypes.bfloat16 is None else _scalar_type(dtypes.bfloat16.type)
int_, uint, float_, complex_ = int64, uint64, float64, complex128
