"""Devices and shardings against JAX on its CPU backend: jaxlite has one device, the host CPU."""
import jax
import jax.numpy as jnp
import pytest

import jaxlite
import jaxlite.numpy as lnp


def test_devices_list_one_cpu_device_printed_as_jax():
    assert repr(jaxlite.devices()) == repr(jax.devices()) == "[CpuDevice(id=0)]"
    assert str(jaxlite.devices()[0]) == str(jax.devices()[0]) == "cpu:0"
    assert repr(jaxlite.devices("cpu")) == repr(jax.devices("cpu"))


def test_device_attributes_match_jax():
    ours, theirs = jaxlite.devices()[0], jax.devices()[0]
    for attr in ("id", "platform", "device_kind", "process_index"):
        assert getattr(ours, attr) == getattr(theirs, attr)


def test_counts_and_backend_match_jax():
    for name in ("device_count", "local_device_count", "process_index", "process_count", "default_backend"):
        assert getattr(jaxlite, name)() == getattr(jax, name)()
    assert repr(jaxlite.local_devices()) == repr(jax.local_devices())


@pytest.mark.parametrize("backend", ["gpu", "foo"])
def test_unknown_backends_raise_jax_error(backend):
    messages = []
    for J in (jaxlite, jax):
        with pytest.raises(RuntimeError) as info:
            J.devices(backend)
        messages.append(str(info.value).splitlines()[0])
    assert messages[0] == messages[1]


def test_array_devices_and_device_match_jax():
    x, jx = lnp.ones(3), jnp.ones(3)
    assert repr(x.devices()) == repr(jx.devices()) == "{CpuDevice(id=0)}"
    assert repr(x.device) == repr(jx.device) and str(x.device) == str(jx.device)
    assert x.devices() == {jaxlite.devices()[0]}


def test_array_sharding_repr_matches_jax():
    x, jx = lnp.ones(3), jnp.ones(3)
    assert repr(x.sharding) == repr(jx.sharding)
    assert str(x.sharding) == str(jx.sharding)
    assert repr(x.sharding.device_set) == repr(jx.sharding.device_set)
    assert x.sharding.memory_kind == jx.sharding.memory_kind == "device"
    assert x.sharding.num_devices == jx.sharding.num_devices == 1


def test_sharding_equality_and_class_match_jax():
    x = lnp.ones(3)
    assert x.sharding == jaxlite.sharding.SingleDeviceSharding(jaxlite.devices()[0])
    assert isinstance(x.sharding, jaxlite.sharding.Sharding)
    assert type(x.sharding).__name__ == type(jnp.ones(3).sharding).__name__


def test_results_of_jit_are_on_the_same_device():
    assert repr(jaxlite.jit(lambda a: a * 2)(lnp.ones(2)).devices()) == \
        repr(jax.jit(lambda a: a * 2)(jnp.ones(2)).devices())


def test_addressability_matches_jax():
    x, jx = lnp.ones(3), jnp.ones(3)
    assert x.is_fully_addressable == jx.is_fully_addressable
    assert x.is_fully_replicated == jx.is_fully_replicated
