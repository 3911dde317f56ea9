"""The jax.Array methods about buffers and dispatch (is_ready, delete, addressable_data, sizes, ...)
against JAX's, and the public names of an array against JAX's."""
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp


def _public(x):
    return {n for n in dir(x) if not n.startswith("_")}


# Deprecated buffers, sharding internals with no NumPy meaning, and jnp functions jaxlite lacks.
NOT_MIRRORED = {"addressable_shards", "global_shards", "device_buffer", "device_buffers", "format", "traceback",
                "to_device", "argpartition", "byteswap", "choose", "compress", "ptp", "searchsorted", "view"}


def test_array_has_jaxs_public_names_but_the_listed_few():
    assert _public(jnp.ones(3)) - _public(lnp.ones(3)) == NOT_MIRRORED
    assert _public(lnp.ones(3)) <= _public(jnp.ones(3))


@pytest.mark.parametrize("method", ["is_ready", "is_deleted", "on_device_size_in_bytes", "copy_to_host_async",
                                    "platform"])
def test_method_returns_what_jax_returns(method):
    for make in (lambda m: m.arange(3.0), lambda m: m.ones((2, 2), m.int8), lambda m: m.float32(2)):
        assert getattr(make(lnp), method)() == getattr(make(jnp), method)()


@pytest.mark.parametrize("name", ["itemsize", "nbytes", "committed", "is_fully_addressable", "is_fully_replicated"])
def test_property_matches_jax(name):
    for make in (lambda m: m.arange(3.0), lambda m: m.ones((2, 5), m.int16), lambda m: m.float32(2)):
        assert getattr(make(lnp), name) == getattr(make(jnp), name)


def test_addressable_data_is_an_equal_array():
    lite, ref = lnp.arange(3.0).addressable_data(0), jnp.arange(3.0).addressable_data(0)
    assert type(lite) is type(lnp.arange(3.0)) and repr(lite) == repr(ref)


def test_clone_is_an_equal_array():
    assert repr(lnp.arange(3.0).clone()) == repr(jnp.arange(3.0).clone())


def test_unsafe_buffer_pointer_is_an_address():
    assert lnp.arange(3.0).unsafe_buffer_pointer() > 0


def test_flat_raises_jaxs_error():
    with pytest.raises(NotImplementedError) as ref:
        jnp.arange(3.0).flat
    with pytest.raises(NotImplementedError) as lite:
        lnp.arange(3.0).flat
    assert str(lite.value).splitlines()[0] == str(ref.value).splitlines()[0]


USES = {"add": lambda x: x + 1, "repr": repr, "sum": lambda x: x.sum(), "index": lambda x: x[0],
        "tolist": lambda x: x.tolist(), "addressable_data": lambda x: x.addressable_data(0),
        "copy_to_host_async": lambda x: x.copy_to_host_async(), "asarray": np.asarray}


@pytest.mark.parametrize("use", USES, ids=list(USES))
def test_use_after_delete_raises_jaxs_runtime_error(use):
    ref, lite = jnp.ones(3), lnp.ones(3)
    ref.delete()
    lite.delete()
    with pytest.raises(RuntimeError) as ref_err:
        USES[use](ref)
    with pytest.raises(RuntimeError) as lite_err:
        USES[use](lite)
    assert str(lite_err.value).splitlines()[0] == str(ref_err.value).splitlines()[0]


def test_deleted_array_keeps_its_shape_dtype_and_size():
    ref, lite = jnp.ones((2, 3)), lnp.ones((2, 3))
    ref.delete()
    lite.delete()
    assert (lite.is_deleted(), lite.shape, lite.dtype, lite.ndim, lite.size, lite.nbytes, len(lite)) == \
        (ref.is_deleted(), ref.shape, ref.dtype, ref.ndim, ref.size, ref.nbytes, len(ref))


def test_delete_twice_is_allowed_as_in_jax():
    ref, lite = jnp.ones(3), lnp.ones(3)
    ref.delete()
    lite.delete()
    assert lite.delete() is ref.delete() is None


def test_deleting_a_jit_result_of_the_xla_backend_frees_its_device_copy():
    out = jaxlite.jit(lambda x: x * 2, backend="xla")(lnp.ones(3))
    out.delete()
    assert out.is_deleted()
    with pytest.raises(RuntimeError):
        jaxlite.jit(lambda x: x * 2, backend="xla")(out)
