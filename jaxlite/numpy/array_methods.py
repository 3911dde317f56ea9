"""Operators and methods of arrays and tracers (`x + y`, `x.sum()`, `x.at[i].set(v)`).

Mirrors jax/_src/numpy/array_methods.py: both the concrete ArrayImpl and every Tracer get the same
methods, all written with jaxlite.numpy, so traced code reads exactly like eager code.
"""
import numpy as np

from jaxlite import core
from jaxlite.array import ArrayImpl
from jaxlite.numpy import lax_numpy, reductions, ufuncs


def _defer_to_unrecognized(binary_op, swap=False):
    """Return NotImplemented for operands we cannot handle, so Python tries the other side."""
    def method(self, other):
        if not isinstance(other, _ACCEPTED):
            return NotImplemented
        return binary_op(other, self) if swap else binary_op(self, other)
    return method


_ACCEPTED = (ArrayImpl, core.Tracer, np.ndarray, np.generic, bool, int, float, complex)


def _matmul(a, b):
    return lax_numpy.matmul(a, b)


_BINARY = {
    "add": ufuncs.add, "sub": ufuncs.subtract, "mul": ufuncs.multiply, "truediv": ufuncs.true_divide,
    "floordiv": ufuncs.floor_divide, "mod": ufuncs.remainder, "pow": ufuncs.power,
    "matmul": _matmul, "and": ufuncs.bitwise_and, "or": ufuncs.bitwise_or, "xor": ufuncs.bitwise_xor,
    "lshift": ufuncs.left_shift, "rshift": ufuncs.right_shift,
}
_COMPARE = {"eq": ufuncs.equal, "ne": ufuncs.not_equal, "lt": ufuncs.less, "le": ufuncs.less_equal,
            "gt": ufuncs.greater, "ge": ufuncs.greater_equal}


class _IndexUpdateHelper:
    """`x.at` : `x.at[idx]` gives an _IndexUpdateRef whose methods return updated copies."""

    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def __getitem__(self, idx):
        return _IndexUpdateRef(self.array, idx)

    def __repr__(self):
        return f"_IndexUpdateHelper({self.array!r})"


class _IndexUpdateRef:
    __slots__ = ("array", "index")

    def __init__(self, array, index):
        self.array = array
        self.index = index

    def get(self, **kwargs):
        return lax_numpy.getitem(self.array, self.index)

    def _update(self, mode, values):
        from jaxlite.numpy import indexing
        return indexing.index_update(self.array, self.index, values, mode)

    def set(self, values, **kwargs):
        return self._update("set", values)

    def add(self, values, **kwargs):
        return self._update("add", values)

    def subtract(self, values, **kwargs):
        return self._update("add", ufuncs.negative(values))

    def mul(self, values, **kwargs):
        return self._update("mul", values)

    multiply = mul

    def divide(self, values, **kwargs):
        return self._update("mul", ufuncs.reciprocal(values))

    def power(self, values, **kwargs):
        current = self.get()
        return self._update("set", ufuncs.power(current, values))

    def min(self, values, **kwargs):
        return self._update("min", values)

    def max(self, values, **kwargs):
        return self._update("max", values)

    def apply(self, func, **kwargs):
        return self._update("set", func(self.get()))


def _astype(self, dtype, copy=False):
    from jaxlite import lax
    return lax.convert_element_type(self, dtype)


def _reshape(self, *shape, order="C"):
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = shape[0]
    return lax_numpy.reshape(self, shape, order)


def _transpose(self, *axes):
    if len(axes) == 1 and not isinstance(axes[0], int):
        axes = axes[0]
    return lax_numpy.transpose(self, axes or None)


def _install(cls):
    for name, fn in _BINARY.items():
        setattr(cls, f"__{name}__", _defer_to_unrecognized(fn))
        setattr(cls, f"__r{name}__", _defer_to_unrecognized(fn, swap=True))
    for name, fn in _COMPARE.items():
        setattr(cls, f"__{name}__", _defer_to_unrecognized(fn))
    cls.__neg__ = lambda self: ufuncs.negative(self)
    cls.__pos__ = lambda self: self
    cls.__abs__ = lambda self: ufuncs.absolute(self)
    cls.__invert__ = lambda self: ufuncs.invert(self)
    cls.__getitem__ = lambda self, idx: lax_numpy.getitem(self, idx)
    cls.__hash__ = None if cls is not core.Tracer else cls.__hash__
    cls.at = property(_IndexUpdateHelper)
    cls.T = property(lambda self: lax_numpy.transpose(self))
    cls.mT = property(lambda self: lax_numpy.matrix_transpose(self))
    cls.real = property(lambda self: self)
    cls.astype = _astype
    cls.reshape = _reshape
    cls.transpose = _transpose
    cls.ravel = lambda self, order="C": lax_numpy.ravel(self, order)
    cls.flatten = cls.ravel
    cls.squeeze = lambda self, axis=None: lax_numpy.squeeze(self, axis)
    cls.swapaxes = lambda self, a, b: lax_numpy.swapaxes(self, a, b)
    cls.dot = lambda self, other: lax_numpy.dot(self, other)
    for name in ("sum", "prod", "max", "min", "mean", "var", "std", "all", "any", "argmax", "argmin",
                 "cumsum", "cumprod"):
        setattr(cls, name, getattr(reductions, name))
    cls.clip = lambda self, min=None, max=None: __import__("jaxlite.numpy", fromlist=["clip"]).clip(self, min, max)
    cls.conj = lambda self: self
    cls.round = lambda self, decimals=0: ufuncs.round(self, decimals)


_install(ArrayImpl)
_install(core.Tracer)
ArrayImpl.__hash__ = None
