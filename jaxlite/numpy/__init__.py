"""`jaxlite.numpy`: NumPy's API on jaxlite arrays, traceable and differentiable (like `jax.numpy`)."""
import numpy as _np

from jaxlite.numpy.scalar_types import (  # noqa: F401
    bool_, complex64, complex128, complex_, double, float16, float32, float64, float_, int8, int16, int32,
    int64, int_, single, uint, uint8, uint16, uint32, uint64,
)
from jaxlite.numpy.scalar_types import bfloat16  # noqa: F401  (None without ml_dtypes)
from jaxlite.numpy.array_constructors import array, asarray  # noqa: F401
from jaxlite.numpy.array_creation import (  # noqa: F401
    empty, empty_like, full, full_like, linspace, ones, ones_like, zeros, zeros_like,
)
from jaxlite.numpy.lax_numpy import (  # noqa: F401
    allclose, angle, append, arange, argsort, argwhere, array_equal, array_split, astype, atleast_1d,
    atleast_2d, atleast_3d, clip, column_stack, concatenate, convolve, copy, correlate, cross, diag, diagflat,
    diagonal, dstack, expand_dims, eye, flatnonzero, flip, fliplr, flipud, hsplit, hstack, identity,
    iscomplex, iscomplexobj, isclose, isreal, isrealobj, kron, matrix_transpose, meshgrid, moveaxis, nonzero,
    permute_dims, ravel, repeat, reshape, roll, rot90, searchsorted, sort, split, squeeze, stack, swapaxes,
    take, take_along_axis, tile, trace, transpose, tri, tril, triu, vsplit, vstack, where,
)
from jaxlite.numpy.tensor_contractions import dot, inner, matmul, outer, tensordot, vdot  # noqa: F401
from jaxlite.numpy.einsum import einsum  # noqa: F401
from jaxlite.numpy.indexing import getitem as _getitem  # noqa: F401
from jaxlite.numpy.ufuncs import (  # noqa: F401
    abs, absolute, add, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, around, bitwise_and,
    bitwise_not, bitwise_or, bitwise_xor, cbrt, ceil, conj, conjugate, copysign, cos, cosh, deg2rad,
    degrees, divide, divmod, equal, exp, exp2, expm1, fix, float_power, floor, floor_divide, fmod,
    greater, greater_equal, heaviside, hypot, imag, invert, isfinite, isinf, isnan, isneginf,
    isposinf, left_shift, less, less_equal, log, log1p, log2, log10, logaddexp, logaddexp2,
    logical_and, logical_not, logical_or, logical_xor, maximum, minimum, mod, multiply, negative,
    nextafter, not_equal, positive, power, rad2deg, radians, real, reciprocal, remainder,
    right_shift, rint, round, sign, signbit, sin, sinc, sinh, sqrt, square, subtract, tan, tanh,
    true_divide, trunc,
)
from jaxlite.numpy.reductions import (  # noqa: F401
    all, amax, amin, any, argmax, argmin, count_nonzero, cumprod, cumsum, max, mean, min, prod, std, sum,
    var,
)
from jaxlite.numpy import linalg  # noqa: F401
from jaxlite.numpy.util import broadcast_arrays, broadcast_shapes, broadcast_to, ndim, shape, size  # noqa: F401
from jaxlite.numpy.setops import (unique, unique_all, unique_counts, unique_inverse,  # noqa: F401
                                  unique_values)
from jaxlite.numpy import array_methods as _array_methods  # noqa: F401
from jaxlite.array import Array as ndarray  # noqa: F401
from jaxlite.dtypes import result_type, promote_types, issubdtype  # noqa: F401

pi = _np.pi
e = _np.e
euler_gamma = _np.euler_gamma
inf = _np.inf
nan = _np.nan
newaxis = None

generic, number, inexact, floating, complexfloating = (
    _np.generic, _np.number, _np.inexact, _np.floating, _np.complexfloating)
integer, signedinteger, unsignedinteger = _np.integer, _np.signedinteger, _np.unsignedinteger
dtype = _np.dtype
finfo = _np.finfo
iinfo = _np.iinfo
