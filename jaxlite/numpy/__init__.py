"""`jaxlite.numpy`: NumPy's API on jaxlite arrays, traceable and differentiable (like `jax.numpy`)."""
import numpy as _np

from jaxlite.numpy.lax_numpy import *  # noqa: F401,F403
from jaxlite.numpy.lax_numpy import (array, asarray, getitem as _getitem, where, dot, matmul,  # noqa: F401
                                     concatenate, stack, reshape, transpose, shape, ndim, size)
from jaxlite.numpy.ufuncs import *  # noqa: F401,F403
from jaxlite.numpy.ufuncs import abs, round  # noqa: F401
from jaxlite.numpy.reductions import (sum, prod, max, min, amax, amin, all, any, mean, var, std,  # noqa: F401
                                      argmax, argmin, cumsum, cumprod)
from jaxlite.numpy import array_methods as _array_methods  # noqa: F401
from jaxlite.array import Array as ndarray  # noqa: F401
from jaxlite.dtypes import result_type, promote_types, issubdtype  # noqa: F401

pi = _np.pi
e = _np.e
inf = _np.inf
nan = _np.nan
newaxis = None

bool_ = _np.bool_
int8, int16, int32, int64 = _np.int8, _np.int16, _np.int32, _np.int64
uint8, uint16, uint32, uint64 = _np.uint8, _np.uint16, _np.uint32, _np.uint64
float16, float32, float64 = _np.float16, _np.float32, _np.float64
complex64, complex128 = _np.complex64, _np.complex128
integer, floating, inexact, number, signedinteger, unsignedinteger, complexfloating = (
    _np.integer, _np.floating, _np.inexact, _np.number, _np.signedinteger, _np.unsignedinteger,
    _np.complexfloating)
dtype = _np.dtype
finfo = _np.finfo
iinfo = _np.iinfo
