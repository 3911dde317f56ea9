"""`jaxlite.numpy`: NumPy's API on jaxlite arrays, traceable and differentiable (like `jax.numpy`)."""
import numpy as _np

from jaxlite.numpy.lax_numpy import (  # noqa: F401
    allclose, arange, argsort, argwhere, array, array_equal, array_split, asarray, astype, atleast_1d,
    atleast_2d, atleast_3d, bool_, broadcast_arrays, broadcast_to, clip, column_stack, complex64,
    complex128, complex_, concatenate, copy, count_nonzero, cross, diag, diagflat, diagonal, dot, double,
    dstack, einsum, empty, empty_like, expand_dims, eye, flatnonzero, flip, fliplr, flipud, float16, float32,
    float64, float_, full, full_like, hsplit, hstack, identity, inner, int8, int16, int32, int64, int_,
    iscomplexobj, isclose, kron, linspace, matmul, matrix_transpose, meshgrid, moveaxis, ndim,
    nonzero, ones, ones_like, outer, permute_dims, ravel, repeat, reshape, roll, rot90, searchsorted, shape, single,
    size, sort, split, squeeze, stack, swapaxes, take, take_along_axis, tensordot, tile, trace,
    transpose, tri, tril, triu, uint, uint8, uint16, uint32, uint64, vdot, vsplit, vstack, where, zeros,
    zeros_like,
)
from jaxlite.numpy.lax_numpy import getitem as _getitem  # noqa: F401
from jaxlite.numpy.lax_numpy import angle, iscomplex, isreal, isrealobj  # noqa: F401
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
    all, amax, amin, any, argmax, argmin, cumprod, cumsum, max, mean, min, prod, std, sum, var,
)
from jaxlite.numpy import linalg  # noqa: F401
from jaxlite.numpy.lax_numpy import append, convolve, correlate  # noqa: F401
from jaxlite.numpy.util import broadcast_shapes  # noqa: F401
from jaxlite.numpy.lax_numpy import bfloat16  # noqa: F401  (None without ml_dtypes)
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
