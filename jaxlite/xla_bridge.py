"""The devices jaxlite computes on: one, the CPU that NumPy runs on.

Mirrors jax/_src/xla_bridge.py (`jax.devices()`, `jax.device_count()`, ...), answering honestly: every
jaxlite array lives in host memory, on `CpuDevice(id=0)`.
"""


class CpuDevice:
    """The host CPU as a device, printed as JAX prints its CPU device."""

    platform = "cpu"
    device_kind = "cpu"
    process_index = 0
    host_id = 0

    def __init__(self, id=0):
        self.id = id
        self.local_hardware_id = id

    def __repr__(self):
        return f"CpuDevice(id={self.id})"

    def __str__(self):
        return f"{self.platform}:{self.id}"

    def __eq__(self, other):
        return type(other) is CpuDevice and other.id == self.id

    def __hash__(self):
        return hash(("cpu", self.id))


cpu_device = CpuDevice(0)


def _backend_devices(backend):
    if backend is None or backend == "cpu":
        return [cpu_device]
    if backend == "gpu":
        raise RuntimeError("Unknown backend: 'gpu' requested, but no platforms that are instances of "
                           "gpu are present. Platforms present are: cpu")
    raise RuntimeError(f"Unknown backend {backend}. Available backends are ['cpu']")


def devices(backend=None):
    return _backend_devices(backend)


def local_devices(process_index=None, backend=None, host_id=None):
    return _backend_devices(backend)


def device_count(backend=None):
    return len(_backend_devices(backend))


def local_device_count(backend=None):
    return len(_backend_devices(backend))


def process_index(backend=None):
    return 0


def process_count(backend=None):
    return 1


def default_backend():
    return "cpu"
