"""Operators and methods of arrays and tracers (`x + y`, `x.sum()`, `x.at[i].set(v)`).

Mirrors jax/_src/numpy/array_methods.py: both the concrete ArrayImpl and every Tracer get the same
methods, all written with jaxlite.numpy, so traced code reads exactly like eager code.
"""
import numpy as np

from jaxlite import core
from jaxlite.errors import with_hint
from jaxlite.array import ArrayImpl
from jaxlite.numpy import array_creation, indexing, lax_numpy, reductions, tensor_contractions, ufuncs

_ACCEPTED = (ArrayImpl, core.Tracer, np.ndarray, np.generic, bool, int, float, complex)


def _defer_to_unrecognized(binary_op, swap=False):
    """Return NotImplemented for operands we cannot handle, so Python tries the other side."""
    def method(self, other):
        if type(other) is not ArrayImpl and not isinstance(other, _ACCEPTED):
            return NotImplemented
        return binary_op(other, self) if swap else binary_op(self, other)
    return method


_BINARY = {
    "add": ufuncs.add, "sub": ufuncs.subtract, "mul": ufuncs.multiply, "truediv": ufuncs.true_divide,
    "floordiv": ufuncs.floor_divide, "mod": ufuncs.remainder, "pow": ufuncs.power,
    "matmul": tensor_contractions.matmul, "and": ufuncs.bitwise_and, "or": ufuncs.bitwise_or,
    "xor": ufuncs.bitwise_xor, "lshift": ufuncs.left_shift, "rshift": ufuncs.right_shift,
    "divmod": ufuncs.divmod,
}
_COMPARE = {"eq": ufuncs.equal, "ne": ufuncs.not_equal, "lt": ufuncs.less, "le": ufuncs.less_equal,
            "gt": ufuncs.greater, "ge": ufuncs.greater_equal}


class _IndexUpdateHelper:
    """`x.at`: `x.at[idx]` gives an _IndexUpdateRef whose methods return updated copies."""

    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def __getitem__(self, idx):
        return _IndexUpdateRef(self.array, idx)

    def __setitem__(self, idx, value):
        raise TypeError(with_hint("'_IndexUpdateHelper' object does not support item assignment",
                                  "x.at[idx] is followed by a method that returns the new array: "
                                  "x = x.at[idx].set(value)."))

    def __repr__(self):
        return f"_IndexUpdateHelper({self.array!r})"


class _IndexUpdateRef:
    """`x.at[idx]`: each method returns a new array; x itself never changes."""

    __slots__ = ("array", "index")

    def __init__(self, array, index):
        self.array = array
        self.index = index

    def __repr__(self):
        return f"_IndexUpdateRef({self.array!r}, {self.index!r})"

    def __getattr__(self, name):
        raise AttributeError(with_hint(f"'_IndexUpdateRef' object has no attribute '{name}'",
                                       "x.at[idx] has the methods get, set, add, subtract, multiply, divide, "
                                       "power, min, max and apply."))

    # Every method takes JAX's keywords: `mode` says what out-of-bounds indices do ("fill" or
    # "drop", "clip", "promise_in_bounds"); a gather clamps and a scatter drops by default.

    def get(self, *, indices_are_sorted=False, unique_indices=False, mode=None, fill_value=None,
            out_sharding=None, wrap_negative_indices=True):
        _no_sharding(out_sharding)
        if mode is None and fill_value is None and not (indices_are_sorted or unique_indices) \
                and wrap_negative_indices:
            return indexing.getitem(self.array, self.index)
        return indexing.advanced_getitem(self.array, self.index, mode=mode, fill_value=fill_value,
                                         indices_are_sorted=indices_are_sorted,
                                         unique_indices=unique_indices,
                                         normalize_indices=wrap_negative_indices)

    def _update(self, combine, values, indices_are_sorted, unique_indices, mode, out_sharding,
                wrap_negative_indices, array=None):
        _no_sharding(out_sharding)
        return indexing.index_update(self.array if array is None else array, self.index, values,
                                     combine, indices_are_sorted=indices_are_sorted,
                                     unique_indices=unique_indices, oob_mode=mode,
                                     normalize_indices=wrap_negative_indices)

    def set(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None, out_sharding=None,
            wrap_negative_indices=True):
        return self._update("set", values, indices_are_sorted, unique_indices, mode, out_sharding,
                            wrap_negative_indices)

    def add(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None, out_sharding=None,
            wrap_negative_indices=True):
        return self._update("add", values, indices_are_sorted, unique_indices, mode, out_sharding,
                            wrap_negative_indices)

    def subtract(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None,
                 out_sharding=None, wrap_negative_indices=True):
        return self._update("add", ufuncs.negative(values), indices_are_sorted, unique_indices, mode,
                            out_sharding, wrap_negative_indices)

    def multiply(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None,
                 out_sharding=None, wrap_negative_indices=True):
        return self._update("mul", values, indices_are_sorted, unique_indices, mode, out_sharding,
                            wrap_negative_indices)

    mul = multiply

    def divide(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None,
               out_sharding=None, wrap_negative_indices=True):
        """x divided by ones with the divisors multiplied in, as JAX computes it."""
        divisors = self._update("mul", values, indices_are_sorted, unique_indices, mode, out_sharding,
                                wrap_negative_indices, array=array_creation.ones_like(self.array))
        return ufuncs.divide(self.array, divisors)

    def power(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None,
              out_sharding=None, wrap_negative_indices=True):
        exponents = self._update("mul", values, indices_are_sorted, unique_indices, mode, out_sharding,
                                 wrap_negative_indices, array=array_creation.ones_like(self.array))
        return ufuncs.power(self.array, exponents)

    def min(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None, out_sharding=None,
            wrap_negative_indices=True):
        return self._update("min", values, indices_are_sorted, unique_indices, mode, out_sharding,
                            wrap_negative_indices)

    def max(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None, out_sharding=None,
            wrap_negative_indices=True):
        return self._update("max", values, indices_are_sorted, unique_indices, mode, out_sharding,
                            wrap_negative_indices)

    def apply(self, func, *, indices_are_sorted=False, unique_indices=False, mode=None,
              wrap_negative_indices=True):
        return self._update("set", func(self.get()), indices_are_sorted, unique_indices, mode, None,
                            wrap_negative_indices)


def _no_sharding(out_sharding):
    if out_sharding is not None:
        raise NotImplementedError("jaxlite runs on one NumPy device: .at[] takes no out_sharding.")


def _astype(self, dtype, copy=False, device=None):
    return lax_numpy.astype(self, dtype, copy=copy, device=device)


def _reshape(self, *shape, order="C"):
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = shape[0]
    return lax_numpy.reshape(self, shape, order)


def _transpose(self, *axes):
    if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
        axes = axes[0]
    return lax_numpy.transpose(self, axes or None)


def _imag(self):
    return ufuncs.imag(self)


_METHODS = {
    "astype": _astype, "reshape": _reshape, "transpose": _transpose,
    "ravel": lambda self, order="C": lax_numpy.ravel(self, order),
    "flatten": lambda self, order="C": lax_numpy.ravel(self, order),
    "squeeze": lambda self, axis=None: lax_numpy.squeeze(self, axis),
    "swapaxes": lambda self, axis1, axis2: lax_numpy.swapaxes(self, axis1, axis2),
    "dot": lambda self, b, *, precision=None, preferred_element_type=None:
        tensor_contractions.dot(self, b, preferred_element_type=preferred_element_type),
    "clip": lambda self, min=None, max=None: lax_numpy.clip(self, min, max),
    "conj": lambda self: ufuncs.conj(self),
    "conjugate": lambda self: ufuncs.conj(self),
    "round": lambda self, decimals=0, out=None: ufuncs.round(self, decimals),
    "diagonal": lambda self, offset=0, axis1=0, axis2=1: lax_numpy.diagonal(self, offset, axis1, axis2),
    "trace": lambda self, offset=0, axis1=0, axis2=1, dtype=None, out=None:
        lax_numpy.trace(self, offset, axis1, axis2, dtype),
    "sort": lambda self, axis=-1, *, kind=None, order=None, stable=True, descending=False:
        lax_numpy.sort(self, axis, stable=stable, descending=descending),
    "argsort": lambda self, axis=-1, *, kind=None, order=None, stable=True, descending=False:
        lax_numpy.argsort(self, axis, stable=stable, descending=descending),
    "take": lambda self, indices, axis=None, out=None, mode=None:
        lax_numpy.take(self, indices, axis, mode=mode),
    "repeat": lambda self, repeats, axis=None, *, total_repeat_length=None:
        lax_numpy.repeat(self, repeats, axis),
    "nonzero": lambda self, *, size=None, fill_value=None:
        lax_numpy.nonzero(self, size=size, fill_value=fill_value),
}


def _install(cls):
    for name, fn in _BINARY.items():
        setattr(cls, f"__{name}__", _defer_to_unrecognized(fn))
        setattr(cls, f"__r{name}__", _defer_to_unrecognized(fn, swap=True))
    for name, fn in _COMPARE.items():
        setattr(cls, f"__{name}__", _defer_to_unrecognized(fn))
    cls.__neg__ = lambda self: ufuncs.negative(self)
    cls.__pos__ = lambda self: ufuncs.positive(self)
    cls.__abs__ = lambda self: ufuncs.absolute(self)
    cls.__invert__ = lambda self: ufuncs.invert(self)
    cls.__round__ = lambda self, ndigits=None: ufuncs.round(self, ndigits or 0)
    cls.__getitem__ = lambda self, idx: indexing.getitem(self, idx)
    cls.at = property(_IndexUpdateHelper)
    cls.T = property(lambda self: lax_numpy.transpose(self))
    cls.mT = property(lambda self: lax_numpy.matrix_transpose(self))
    cls.real = property(lambda self: ufuncs.real(self))
    cls.imag = property(_imag)
    for name, fn in _METHODS.items():
        setattr(cls, name, fn)
    for name in ("sum", "prod", "max", "min", "mean", "var", "std", "all", "any", "argmax", "argmin",
                 "cumsum", "cumprod"):
        setattr(cls, name, getattr(reductions, name))


_install(ArrayImpl)
_install(core.Tracer)
ArrayImpl.__hash__ = None
