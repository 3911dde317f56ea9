"""The immutable Array: a NumPy value plus a weak-type flag.

Mirrors jax/_src/array.py (ArrayImpl) and jax/_src/basearray.py (the public `Array` type, which tracers
also count as). Its arithmetic, indexing and `.at[...]` come from jaxlite.numpy.array_methods.
"""
import numpy as np

from jaxlite import core, xla_bridge
from jaxlite.errors import UNSIZED_HINT, with_hint
from jaxlite.sharding import SingleDeviceSharding


class _ArrayMeta(type):
    """`isinstance(x, Array)` is true of concrete arrays and tracers alike, as in JAX. The check
    lives on this metaclass so that ArrayImpl itself stays a plain class (fast isinstance)."""

    def __instancecheck__(cls, x):
        return isinstance(x, (ArrayImpl, core.Tracer))  # typed PRNG keys (a subclass) included

    def __subclasscheck__(cls, sub):
        return sub is cls or issubclass(sub, (ArrayImpl, core.Tracer))


class Array(metaclass=_ArrayMeta):
    """The public array type: `isinstance(x, jaxlite.Array)` holds for concrete arrays and tracers."""

    __slots__ = ()


class ArrayImpl:
    """A concrete array. The NumPy value is never handed out for writing: item assignment raises."""

    # `_device` is set only by jit's xla backend: the value as a jax array, kept so that the next
    # jitted call takes it as it is instead of copying the NumPy value to the device again.
    __slots__ = ("_value", "weak_type", "_aval", "_device")
    __array_priority__ = 100

    def __init__(self, value, weak_type=False, aval=None):
        self._value = value
        self.weak_type = weak_type
        self._aval = aval  # made on first use unless the maker knows it already

    @classmethod
    def _on_device(cls, device_value, aval):
        """A result of jit's xla backend. Its NumPy value views JAX's buffer (no copy on the CPU;
        on a GPU, the copy to the host that reading a JAX array makes). No attribute is computed
        lazily: a __getattr__ fallback would slow every attribute read of every array."""
        self = cls(np.asarray(device_value), aval.weak_type, aval)
        self._device = device_value
        return self

    @property
    def aval(self):
        """Made on first use and kept: the array never changes, so neither does its type."""
        aval = self._aval
        if aval is None:
            v = self._value
            aval = self._aval = core.ShapedArray(v.shape, v.dtype, self.weak_type)
        return aval

    shape = property(lambda self: self._value.shape if self._aval is None else self._aval.shape)
    dtype = property(lambda self: self._value.dtype if self._aval is None else self._aval.dtype)
    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: self._value.size if self._aval is None else int(np.prod(self._aval.shape)))
    itemsize = property(lambda self: self.dtype.itemsize)
    nbytes = property(lambda self: self.size * self.dtype.itemsize)

    def __getattr__(self, name):
        # Reached only for an empty slot: `_value` is emptied by delete().
        if name == "_value":
            raise RuntimeError(with_hint("Array has been deleted with shape="
                                         f"{self._aval.dtype.name}[{','.join(map(str, self._aval.shape))}].",
                                         "x.delete() freed this array: keep using a copy made before deleting it."))
        raise AttributeError(f"'ArrayImpl' object has no attribute '{name}'")

    def delete(self):
        """Frees the value; any later use of it raises, as in JAX (its shape and dtype remain)."""
        if not self.is_deleted():
            self.aval  # kept for the shape, dtype and the error message
            del self._value
            if hasattr(self, "_device"):
                del self._device

    def is_deleted(self):
        try:
            self._value
        except RuntimeError:
            return True
        return False

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self._value, dtype)
        if copy:
            return value.copy()
        if value is self._value:  # a read-only view, as JAX gives: the array never changes
            value = value.view()
            value.flags.writeable = False
        return value

    def __len__(self):
        if not self.shape:
            raise TypeError(with_hint("len() of unsized object", UNSIZED_HINT))
        return self.shape[0]

    def __iter__(self):
        if not self._value.shape:
            raise TypeError(with_hint("iteration over a 0-d array", UNSIZED_HINT))
        return (self[i] for i in range(self._value.shape[0]))

    def __bool__(self):
        try:
            return bool(self._value)
        except ValueError as err:
            hint = ("check for elements with x.size > 0." if self._value.size == 0 else
                    "`if` and `while` need one bool: reduce the comparison with jnp.any(...) or jnp.all(...).")
            raise ValueError(with_hint(str(err), hint)) from None

    def _scalar(self, convert):
        if self._value.ndim:
            raise TypeError(with_hint(
                f"Only scalar arrays can be converted to Python scalars; got arr.ndim={self._value.ndim}",
                f"{convert.__name__}() needs a scalar, one number: take one element (x[0]) or reduce the "
                "array (x.sum()) first; x.tolist() converts them all."))
        return convert(self._value)

    def __int__(self):
        return self._scalar(int)

    def __float__(self):
        return self._scalar(float)

    def __complex__(self):
        return self._scalar(complex)

    def __index__(self):
        if self._value.ndim or self._value.dtype.kind not in "iub":
            raise TypeError(with_hint("Only integer scalar arrays can be converted to a scalar index.",
                                      "an index is one integer: pass a 0-d integer array or a Python int "
                                      "(convert a float with x.astype(jnp.int32))."))
        return int(self._value)

    def __setitem__(self, idx, value):
        raise TypeError(core.IMMUTABLE_MSG.format("ArrayImpl"))

    def __hash__(self):
        raise TypeError(with_hint("unhashable type: 'ArrayImpl'",
                                  "an array cannot be a dict key or set member: use x.item() for one number, "
                                  "or tuple(x.tolist())."))

    def __reduce__(self):
        return (ArrayImpl, (np.array(self._value), self.weak_type))

    def __format__(self, spec):
        if self._value.ndim == 0:
            return format(self._value.item(), spec)
        return format(str(self), spec)

    def item(self, *args):
        try:
            return self._value.item(*args)
        except ValueError as err:
            raise ValueError(with_hint(str(err), "item() gives the one element of a size-1 array: index "
                                       "first, e.g. x[0].item(), or use x.tolist() for every element.")) from None

    def tolist(self):
        return self._value.tolist()

    def tobytes(self, order="C"):
        return self._value.tobytes(order)

    def block_until_ready(self):
        """The value is already there: NumPy computes eagerly, and a result of jit's xla backend
        was read back from XLA when it was made (JAX, in contrast, dispatches asynchronously)."""
        return self

    def copy(self):
        return ArrayImpl(np.array(self._value), self.weak_type)

    clone = copy

    # Asynchronous dispatch and device buffers, as they look when every value is computed eagerly
    # into host memory: always ready, one buffer (the array itself), its size that of the value.
    def is_ready(self):
        self._value  # a deleted array raises
        return True

    def copy_to_host_async(self):
        self._value

    def addressable_data(self, index):
        return ArrayImpl(self._value, self.weak_type, self._aval)

    def on_device_size_in_bytes(self):
        return self._value.nbytes

    def unsafe_buffer_pointer(self):
        return self._value.ctypes.data

    def platform(self):
        return xla_bridge.cpu_device.platform

    committed = property(lambda self: False)

    @property
    def flat(self):
        raise NotImplementedError(with_hint(
            "JAX Arrays do not implement the arr.flat property: consider arr.flatten() instead.",
            "iterate over x.flatten() (or x.ravel()) for the elements in order."))

    # Where the array lives: every jaxlite array is on the one NumPy device, the host CPU.
    def devices(self):
        return {xla_bridge.cpu_device}

    device = property(lambda self: xla_bridge.cpu_device)
    sharding = property(lambda self: SingleDeviceSharding(xla_bridge.cpu_device))
    is_fully_addressable = property(lambda self: True)
    is_fully_replicated = property(lambda self: True)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self.copy()

    def __str__(self):
        return str(np.asarray(self._value))

    def __repr__(self):
        value = np.asarray(self._value)
        dtype = f"dtype={value.dtype.name}" + (", weak_type=True" if self.weak_type else "")
        width = np.get_printoptions()["linewidth"]
        if value.size == 0:
            body = f"[], shape={value.shape}"
        else:
            body = np.array2string(value, max_line_width=width, separator=", ", prefix="Array(", suffix=",")
        # Where the dtype would overflow the last line, JAX pads with spaces instead of a space.
        last_line = len(body) - body.rfind("\n") + 1
        gap = " " * len("Array(") if last_line + len(dtype) + 2 > width else " "
        return f"Array({body},{gap}{dtype})"




