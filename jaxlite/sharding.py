"""How an array is laid out over devices, like `jax.sharding`: in jaxlite, whole on the one CPU.

Mirrors jax/_src/sharding_impls.py's SingleDeviceSharding, the sharding of every array JAX puts on one
device: `x.sharding` of a jaxlite array is `SingleDeviceSharding(device=CpuDevice(id=0), memory_kind=device)`.
"""


class Sharding:
    """The base class, so that `isinstance(x.sharding, jax.sharding.Sharding)` holds."""


class SingleDeviceSharding(Sharding):
    """All of an array, on one device."""

    def __init__(self, device, *, memory_kind=None):
        self._device = device
        self._memory_kind = memory_kind

    device_set = property(lambda self: {self._device})
    addressable_devices = property(lambda self: {self._device})
    memory_kind = property(lambda self: self._memory_kind or "device")
    num_devices = property(lambda self: 1)
    is_fully_addressable = property(lambda self: True)
    is_fully_replicated = property(lambda self: True)

    def shard_shape(self, global_shape):
        return tuple(global_shape)

    def __repr__(self):
        return f"SingleDeviceSharding(device={self._device!r}, memory_kind={self.memory_kind})"

    def __eq__(self, other):
        return (isinstance(other, SingleDeviceSharding) and other._device == self._device
                and other.memory_kind == self.memory_kind)

    def __hash__(self):
        return hash((self._device, self.memory_kind))
