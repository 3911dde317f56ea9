"""Python scalars that carry a dtype, like jax/_src/literals.py.

What vjp (and so grad) gives back for an auxiliary output that is a Python-number input passed
through unchanged: still a float (or int, or complex), now with the dtype it was traced with.
"""
import numpy as np

from jaxlite import core


class _Typed:
    __slots__ = ()

    @property
    def aval(self):
        return core.ShapedArray((), self.dtype, weak_type=True)

    def __repr__(self):
        return f"{type(self).__name__}({self._base(self)!r}, dtype={self.dtype.name})"

    def __str__(self):
        return str(self._base(self))

    def __getnewargs__(self):
        return (self._base(self), self.dtype)


class TypedInt(_Typed, int):
    _base = int

    def __new__(cls, value, dtype):
        v = super().__new__(cls, value)
        v.dtype = np.dtype(dtype)
        return v


class TypedFloat(_Typed, float):
    _base = float

    def __new__(cls, value, dtype):
        v = super().__new__(cls, value)
        v.dtype = np.dtype(dtype)
        return v


class TypedComplex(_Typed, complex):
    _base = complex

    def __new__(cls, value, dtype):
        v = super().__new__(cls, value)
        v.dtype = np.dtype(dtype)
        return v


def typed_scalar(value, dtype):
    """`value` (a Python bool, int, float or complex) as the typed scalar of its kind."""
    if isinstance(value, bool):
        return value
    kind = TypedInt if isinstance(value, int) else TypedFloat if isinstance(value, float) else TypedComplex
    return kind(value, dtype)
