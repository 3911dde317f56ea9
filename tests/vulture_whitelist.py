"""Names the dead-code check (vulture, run by tests/test_lint.py) must not report: each is used, but not in a way
a reader of one file can see. Every name here was reviewed; a name that is simply unused belongs deleted, not here.

Not Python to run: vulture reads it as source in which these names are used (ruff skips the file).
"""

# Arguments a signature must accept and may ignore: JAX's own signatures (accepted for compatibility, with no
# effect on a CPU-only NumPy library), Python's protocols, and callbacks whose caller fixes the arguments.
check_finite, overwrite_a, overwrite_b, turbo, lapack_driver  # jax.scipy.linalg's signatures
spmd_axis_name, donate_argnums, donate_argnames, inline, keep_unused  # jax.vmap, jax.jit
dialect, compiler_options  # Lowered.as_text, Lowered.compile
batch_size  # lax.map
total_repeat_length, promote_integers  # jnp.repeat, jnp.sum
optimize_remat  # custom_vjp.defvjp
offload_src, offload_dst  # jax.checkpoint_policies.offload_dot_with_no_batch_dims
host_id, process_index  # jax.local_devices
memo, exc, objtype, format_spec  # __deepcopy__, __exit__, __get__, string.Formatter.format_field
signum  # a signal handler
transient  # IPython's display publisher
file  # warnings.showwarning
aux_data  # a pytree class's tree_unflatten(cls, aux_data, children)
ans  # custom_jvp.defjvps rules receive the primal output

# Parameters of a primitive, passed to every rule as keywords whether the rule needs them or not.
update_consts  # scatter
effect, logging_record  # debug_callback

# pytest fixtures a test requests for their effect (float64 mode; a kernel that colours jaxprs).
x64
jax_colours_its_jaxprs
reference_path  # the speed layer switched off for one test

# Python protocols, called by the interpreter, never by name.
__instancecheck__, __subclasscheck__, __numpy_dtype__, __call__, __eq__, __ne__
_.__neg__, _.__pos__, _.__abs__, _.__invert__, _.__round__, _.__hash__

# Fields of the named tuples JAX's functions return (jnp.linalg.eigh, slogdet, svd; jnp.unique_all, unique_inverse).
eigenvectors, logabsdet, Vh, inverse_indices

# Public names that mirror JAX's, for users; nothing inside the repository calls them.
device_get  # jax
debug_infs, explain_cache_misses, log_compiles  # jax's config context managers
KeyReuseError  # jax.errors
checkpoint_dots, checkpoint_dots_with_no_batch_dims  # jax.checkpoint_policies
elu, gelu, leaky_relu, log_sigmoid, log_softmax, swish  # jax.nn
kaiming_normal, kaiming_uniform, lecun_uniform, xavier_normal, xavier_uniform  # jax.nn.initializers
newaxis, complex_, float_, int_, diagflat, flipud, kron, permute_dims, amin  # jax.numpy
around, float_power, heaviside, logical_xor, radians, sinc  # jax.numpy
vector_norm  # jax.numpy.linalg
segment_min, segment_prod  # jax.ops
erfinv  # jax.scipy.special
pdf, pmf, isf  # jax.scipy.stats.*
device_count, local_device_count, process_count  # jax
_.local_hardware_id  # jax.Device
_.addressable_devices, _.shard_shape  # jax.sharding.SingleDeviceSharding
_.strip_weak_type  # jax.core.ShapedArray
AWAY_FROM_ZERO  # jax.lax.RoundingMethod
ONE_HOT  # jax.lax.GatherScatterMode
_.is_ready, _.on_device_size_in_bytes, _.committed  # jax.Array
