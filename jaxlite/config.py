"""Global flags, like `jax.config`.

Mirrors jax/_src/config.py: `jaxlite.config.update(name, value)` knows every option name of JAX 0.10.2.
The options of ACTING take effect (x64, NaN and infinity checks, disable_jit, compile logging, cache-miss
explanations, the route of linearize). Those of DEFAULT_ONLY change JAX's numbers or errors in ways
jaxlite does not implement, so only their default is accepted. The rest (STORED) steer XLA, devices, caches, sharding
and logging: they are stored and read back, with no effect on NumPy. Options start from environment
variables of the same name in capitals (JAX_ENABLE_X64=1), as in JAX.
"""
import difflib
import os

from jaxlite.errors import with_hint

ACTING = {
    "jax_enable_x64": False,
    "jax_debug_nans": False,
    "jax_debug_infs": False,
    "jax_disable_jit": False,
    "jax_log_compiles": False,
    "jax_explain_cache_misses": False,
    "jax_use_direct_linearize": True,  # grad, vjp and linearize by JAX's direct linearize trace
}

DEFAULT_ONLY = {
    "jax_default_prng_impl": "threefry2x32",
    "jax_threefry_partitionable": True,
    "jax_random_seed_offset": 0,
    "jax_high_dynamic_range_gumbel": False,
    "jax_enable_custom_prng": False,
    "jax_legacy_prng_key": "allow",
    "jax_debug_key_reuse": False,
    "jax_numpy_dtype_promotion": "standard",
    "jax_numpy_rank_promotion": "allow",
    "jax_explicit_x64_dtypes": "warn",
    "jax_no_tracing": False,
    "jax_no_execution": False,
}

STORED = {
    "check_vma": False, "eager_constant_folding": False,
    "jax2tf_associative_scan_reductions": False, "jax2tf_default_native_serialization": True,
    "jax_allow_f16_reductions": True, "jax_array_garbage_collection_guard": None, "jax_auto_pcast": True,
    "jax_backend_target": "", "jax_bcoo_cusparse_lowering": False,
    "jax_captured_constants_report_frames": 0, "jax_captured_constants_warn_bytes": 2000000000,
    "jax_check_proxy_envs": True, "jax_check_static_indices": False, "jax_check_tracer_leaks": False,
    "jax_compilation_cache_check_contents": False, "jax_compilation_cache_dir": None,
    "jax_compilation_cache_expect_pgle": False, "jax_compilation_cache_include_metadata_in_key": False,
    "jax_compilation_cache_max_size": -1, "jax_compiler_detailed_logging_min_ops": 10,
    "jax_compiler_enable_remat_pass": True, "jax_cpu_collectives_implementation": "gloo",
    "jax_cpu_enable_async_dispatch": True, "jax_cpu_get_global_topology_timeout_minutes": 5,
    "jax_cpu_get_local_topology_timeout_minutes": 2, "jax_cross_host_transfer_socket_address": "",
    "jax_cross_host_transfer_timeout_seconds": None, "jax_cross_host_transfer_transfer_size": None,
    "jax_cross_host_transport_addresses": "", "jax_cuda_visible_devices": "all",
    "jax_custom_vjp3": False, "jax_debug_leaked_clients_on_clear_backends": False,
    "jax_debug_log_modules": "", "jax_default_device": None, "jax_default_matmul_precision": None,
    "jax_disable_bwd_checks": False, "jax_disable_most_optimizations": False,
    "jax_disable_vmap_shmap_error": False, "jax_disallow_mesh_context_manager": False,
    "jax_distributed_debug": False, "jax_dump_ir_modes": "stablehlo", "jax_dump_ir_to": "",
    "jax_embedded_constants_max_bytes": 32, "jax_enable_checks": False,
    "jax_enable_compilation_cache": True, "jax_enable_pgle": False, "jax_enable_preemption_service": True,
    "jax_enable_recoverability": False, "jax_error_checking_behavior_divide": "ignore",
    "jax_error_checking_behavior_nan": "ignore", "jax_error_checking_behavior_oob": "ignore",
    "jax_exec_time_optimization_effort": 0.0, "jax_experimental_unsafe_xla_runtime_errors": False,
    "jax_export_calling_convention_version": 10, "jax_export_ignore_forward_compatibility": False,
    "jax_force_dcn_cross_host_transfers": False, "jax_hlo_source_file_canonicalization_regex": None,
    "jax_include_debug_info_in_dumps": True, "jax_include_full_tracebacks_in_locations": True,
    "jax_log_checkpoint_residuals": False, "jax_logging_level": "NOTSET",
    "jax_memory_fitting_effort": 0.0, "jax_memory_fitting_level": "O2", "jax_mock_gpu_topology": "",
    "jax_mosaic_allow_hlo": False, "jax_mutable_array_checks": True, "jax_num_cpu_devices": -1,
    "jax_oneapi_visible_devices": "all", "jax_optimization_level": "UNKNOWN",
    "jax_pallas_enable_debug_checks": False, "jax_pallas_poison_buffers": False,
    "jax_pallas_use_mosaic_gpu": True, "jax_pallas_verbose_errors": False,
    "jax_persistent_cache_enable_xla_caches": "xla_gpu_per_fusion_autotune_cache_dir",
    "jax_persistent_cache_min_compile_time_secs": 1.0, "jax_persistent_cache_min_entry_size_bytes": 0,
    "jax_pgle_aggregation_percentile": 90, "jax_pgle_profiling_runs": 3,
    "jax_pjrt_client_create_options": None, "jax_platform_name": "", "jax_platforms": None,
    "jax_pprint_use_color": True, "jax_ragged_dot_use_gpu_pallas_triton_lowering": False,
    "jax_ragged_dot_use_ragged_dot_instruction": True, "jax_raise_persistent_cache_errors": False,
    "jax_refs_to_pins": False, "jax_remat3": False,
    "jax_remove_custom_partitioning_ptr_from_cache_key": False,
    "jax_remove_size_one_mesh_axis_from_type": False, "jax_rocm_visible_devices": "all",
    "jax_scan3": False, "jax_send_traceback_to_runtime": "off", "jax_serialization_version": 0,
    "jax_share_binary_between_hosts": False, "jax_share_binary_between_hosts_timeout_ms": 1200000,
    "jax_softmax_custom_jvp": False, "jax_sort_devices_by_process_index": True,
    "jax_source_url_schema": None, "jax_thread_guard": False, "jax_threefry_gpu_kernel_lowering": False,
    "jax_traceback_filtering": "auto", "jax_traceback_in_locations_limit": 100,
    "jax_tracer_error_num_traceback_frames": 5, "jax_transfer_guard": None,
    "jax_transfer_guard_device_to_device": None, "jax_transfer_guard_device_to_host": None,
    "jax_transfer_guard_host_to_device": None,
    "jax_use_emit_pipeline_primitive": False, "jax_use_magma": "auto", "jax_use_shardy_partitioner": True,
    "jax_use_simplified_jaxpr_constants": False, "jax_xla_backend": "", "jax_xla_profile_version": 0,
    "mock_num_gpu_processes": 0,
}

# jaxlite's own options: the backend jit runs jaxprs on ("numpy", or "xla" where JAX is installed),
# and whether the speed layer (jaxlite.fastpath: caches and fast paths) stands in front of the plain path.
JAXLITE_ONLY = {"jax_default_jit_backend": os.environ.get("JAXLITE_JIT_BACKEND", "numpy"),
                "jax_jaxlite_fast_paths": os.environ.get("JAXLITE_FAST_PATHS", "1").strip().lower()
                not in ("0", "false", "no", "off", "f", "n")}

_TRANSFER_GUARD = ["allow", "log", "disallow", "log_explicit", "disallow_explicit"]
_LEVELS = ["UNKNOWN", "O0", "O1", "O2", "O3"]
# The options whose value is one of a few names; None is accepted where JAX's default is None.
CHOICES = {
    "jax_array_garbage_collection_guard": ["allow", "log", "fatal"],
    "jax_cpu_collectives_implementation": ["gloo", "mpi", "megascale"],
    "jax_default_matmul_precision": [
        "default", "high", "highest", "bfloat16", "tensorfloat32", "float32", "ANY_F8_ANY_F8_F32",
        "ANY_F8_ANY_F8_F32_FAST_ACCUM", "ANY_F8_ANY_F8_ANY", "ANY_F8_ANY_F8_ANY_FAST_ACCUM", "F16_F16_F16",
        "F16_F16_F32", "BF16_BF16_BF16", "BF16_BF16_F32", "BF16_BF16_F32_X3", "BF16_BF16_F32_X6",
        "BF16_BF16_F32_X9", "TF32_TF32_F32", "TF32_TF32_F32_X3", "F32_F32_F32", "F64_F64_F64"],
    "jax_default_prng_impl": ["threefry2x32", "threefry4x32", "rbg", "unsafe_rbg", "philox2x32",
                              "philox4x32"],
    "jax_error_checking_behavior_divide": ["ignore", "raise"],
    "jax_error_checking_behavior_nan": ["ignore", "raise"],
    "jax_error_checking_behavior_oob": ["ignore", "raise"],
    "jax_explicit_x64_dtypes": ["warn", "error", "allow"],
    "jax_legacy_prng_key": ["allow", "warn", "error"],
    "jax_logging_level": ["NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
    "jax_memory_fitting_level": _LEVELS,
    "jax_numpy_dtype_promotion": ["standard", "strict"],
    "jax_numpy_rank_promotion": ["allow", "warn", "raise"],
    "jax_optimization_level": _LEVELS,
    "jax_send_traceback_to_runtime": ["off", "on", "full"],
    "jax_traceback_filtering": ["off", "tracebackhide", "remove_frames", "quiet_remove_frames", "auto"],
    "jax_transfer_guard": _TRANSFER_GUARD,
    "jax_transfer_guard_device_to_device": _TRANSFER_GUARD,
    "jax_transfer_guard_device_to_host": _TRANSFER_GUARD,
    "jax_transfer_guard_host_to_device": _TRANSFER_GUARD,
    "jax_use_magma": ["off", "on", "auto"],
}

DEFAULTS = {**ACTING, **DEFAULT_ONLY, **STORED, **JAXLITE_ONLY}


def _parse(name, value):
    """A value as JAX stores it: bools as bools, ints checked, names checked against the choices."""
    default = DEFAULTS[name]
    if isinstance(default, bool):
        return bool(value)
    if name in CHOICES:
        if value is None and default is None:
            return value
        if value not in CHOICES[name]:
            none = "None or " if default is None else ""
            raise ValueError(f"new enum value must be {none}in {CHOICES[name]}, got {value} of type "
                             f"{type(value)}.")
        return value
    if isinstance(default, int) and not (value is None or isinstance(value, int)):
        raise ValueError(f"new int config value must be None or of type int, got {value} of type "
                         f"{type(value)}")
    return value


def _from_environment(name, default):
    text = os.environ.get(name.upper())
    if text is None or name in JAXLITE_ONLY:
        return default
    if isinstance(default, bool):
        return text.strip().lower() in ("1", "true", "yes", "on", "t", "y")
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        return float(text)
    return text


class Config:
    """Every option by name; `update` refuses names it does not know, as JAX does, and
    `config.jax_enable_x64` reads one."""

    def __init__(self):
        self._values = {name: _from_environment(name, default) for name, default in DEFAULTS.items()}

    def update(self, name, value):
        if name not in self._values:
            close = difflib.get_close_matches(str(name), self._values, n=1)
            raise AttributeError(with_hint(f"Unrecognized config option: {name}",
                                           f"check the option's name: did you mean {close[0]!r}?" if close else
                                           "jaxlite knows the option names of jax.config (jax_enable_x64, "
                                           "jax_debug_nans, jax_disable_jit, ...)."))
        value = _parse(name, value)
        if name in DEFAULT_ONLY and value != DEFAULT_ONLY[name]:
            raise NotImplementedError(
                f"jaxlite implements only {name}={DEFAULT_ONLY[name]!r} (JAX's default); {value!r} would "
                "change JAX's numbers or errors in a way jaxlite does not reproduce.")
        self._values[name] = value
        if name == "jax_enable_x64":
            from jaxlite import dtypes
            dtypes.clear_caches()
        if name in ("jax_debug_nans", "jax_debug_infs"):
            from jaxlite import dispatch
            dispatch.update_flags()
        if name == "jax_jaxlite_fast_paths":
            from jaxlite import fastpath
            fastpath.set_enabled(value)

    def read(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"Unrecognized config option: {name}") from None

    @property
    def values(self):
        """Every option and its value, as a new dict (as JAX's `config.values`)."""
        return {name: value for name, value in self._values.items() if name not in JAXLITE_ONLY}

    @property
    def x64_enabled(self):
        return self._values["jax_enable_x64"]

    def __getattr__(self, name):
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"'Config' object has no attribute '{name}'") from None


config = Config()


def x64_enabled():
    return config._values["jax_enable_x64"]


class _FlagContext:
    """`with jaxlite.debug_nans(True):` sets a flag for the block, as JAX's flag context managers do."""

    def __init__(self, name, value=True):
        self.name, self.value = name, value

    def __enter__(self):
        self.before = config.read(self.name)
        config.update(self.name, self.value)

    def __exit__(self, *exc):
        config.update(self.name, self.before)


def debug_nans(new_val=True):
    return _FlagContext("jax_debug_nans", new_val)


def debug_infs(new_val=True):
    return _FlagContext("jax_debug_infs", new_val)


def disable_jit(disable=True):
    """`with jax.disable_jit():` runs jitted functions (and cond, switch, while_loop, scan) as plain
    Python on concrete values, so `print` shows numbers, as `jax.disable_jit` does."""
    return _FlagContext("jax_disable_jit", disable)


def enable_x64(new_val=True):
    return _FlagContext("jax_enable_x64", new_val)


def log_compiles(new_val=True):
    return _FlagContext("jax_log_compiles", new_val)


def explain_cache_misses(new_val=True):
    return _FlagContext("jax_explain_cache_misses", new_val)
