"""`jaxlite.config` against `jax.config`: the same option names and defaults, JAX's errors for unknown
names and bad values, attribute reads, `values`, and the flag context managers."""
import importlib

import jax
import pytest

import jaxlite

lite_config = importlib.import_module("jaxlite.config")  # the module (jaxlite.config is the object)


def _reset(name):
    jaxlite.config.update(name, lite_config.DEFAULTS[name])


def test_every_option_jax_knows_is_known():
    assert set(jaxlite.config.values) == set(jax.config.values)


def test_defaults_are_jax_defaults():
    for name, value in jax.config.values.items():
        value = getattr(value, "value", value)  # JAX's enum-valued options
        ours = jaxlite.config.values[name]
        if isinstance(value, int) and not isinstance(value, bool) and isinstance(ours, str):
            continue  # jax_explicit_x64_dtypes: an enum of ints in JAX, its name in jaxlite
        assert ours == value, name


def test_unknown_option_is_refused_with_jax_error():
    for J in (jaxlite, jax):
        with pytest.raises(AttributeError) as err:
            J.config.update("jax_enable_x46", True)
        assert str(err.value).splitlines()[0] == "Unrecognized config option: jax_enable_x46"


def test_unknown_attribute_read_is_refused_as_jax_does():
    messages = []
    for J in (jaxlite, jax):
        with pytest.raises(AttributeError) as info:
            J.config.jax_not_an_option  # noqa: B018
        messages.append(str(info.value))
    assert messages[0] == messages[1] == "'Config' object has no attribute 'jax_not_an_option'"


def test_attribute_read_gives_the_updated_value():
    for J in (jaxlite, jax):
        J.config.update("jax_pprint_use_color", False)
        try:
            assert J.config.jax_pprint_use_color is False
            assert J.config.values["jax_pprint_use_color"] is False
        finally:
            J.config.update("jax_pprint_use_color", True)


def test_stored_options_keep_their_value_with_no_effect():
    for name, value in [("jax_platforms", "cpu"), ("jax_default_matmul_precision", "highest"),
                        ("jax_compilation_cache_dir", "/tmp/cache"), ("jax_num_cpu_devices", 4)]:
        jaxlite.config.update(name, value)
        try:
            assert jaxlite.config.read(name) == value
            assert (jaxlite.numpy.ones(2) @ jaxlite.numpy.ones(2)).item() == 2.0
        finally:
            _reset(name)


def test_boolean_options_store_a_bool_as_jax_does():
    for J in (jaxlite, jax):
        J.config.update("jax_log_compiles", 1)
        try:
            assert J.config.jax_log_compiles is True
        finally:
            J.config.update("jax_log_compiles", False)


@pytest.mark.parametrize("name, value", [("jax_numpy_rank_promotion", "bogus"),
                                         ("jax_default_matmul_precision", "fastest"),
                                         ("jax_numpy_rank_promotion", None),
                                         ("jax_num_cpu_devices", "four")])
def test_bad_values_are_refused_with_jax_error(name, value):
    messages = []
    for J in (jaxlite, jax):
        with pytest.raises(ValueError) as info:
            J.config.update(name, value)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("name, value", [("jax_default_prng_impl", "rbg"),
                                         ("jax_threefry_partitionable", False),
                                         ("jax_numpy_rank_promotion", "raise"),
                                         ("jax_numpy_dtype_promotion", "strict")])
def test_options_that_would_change_numbers_accept_only_the_default(name, value):
    with pytest.raises(NotImplementedError, match=f"jaxlite implements only {name}="):
        jaxlite.config.update(name, value)
    assert jaxlite.config.read(name) == lite_config.DEFAULT_ONLY[name]
    jaxlite.config.update(name, lite_config.DEFAULT_ONLY[name])


def test_values_is_a_fresh_dict_as_in_jax():
    for J in (jaxlite, jax):
        assert J.config.values is not J.config.values
        assert J.config.values["jax_enable_x64"] is False


def test_x64_enabled_property_and_read():
    for J in (jaxlite, jax):
        assert J.config.x64_enabled is False
        assert J.config.read("jax_enable_x64") is False


@pytest.mark.parametrize("context, name", [("enable_x64", "jax_enable_x64"),
                                           ("log_compiles", "jax_log_compiles"),
                                           ("explain_cache_misses", "jax_explain_cache_misses"),
                                           ("debug_nans", "jax_debug_nans"),
                                           ("disable_jit", "jax_disable_jit")])
def test_flag_context_managers_set_the_option_for_the_block(context, name):
    for J in (jaxlite, jax):
        with getattr(J, context)(True):
            assert getattr(J.config, name) is True
        assert getattr(J.config, name) is False


def test_enable_x64_block_makes_64_bit_arrays():
    with jaxlite.enable_x64(True):
        assert jaxlite.numpy.ones(2).dtype == jax.numpy.float64
    assert jaxlite.numpy.ones(2).dtype == jax.numpy.float32
