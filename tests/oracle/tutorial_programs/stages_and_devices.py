"""Ahead-of-time stages (trace, lower, compile), eval_shape, devices and sharding on one device,
device_put, the config flags a tutorial switches."""

PROGRAMS = {
    "jit_trace_stage": """
        import jax
        import jax.numpy as jnp
        traced = jax.jit(lambda x: jnp.sin(x) * 2.0).trace(jnp.ones(3))
        print(traced.jaxpr)
        print(traced.out_info)
    """,
    "jit_lower_compile_call": """
        import jax
        import jax.numpy as jnp
        f = jax.jit(lambda x, y: x @ y)
        compiled = f.lower(jnp.ones((2, 3)), jnp.ones(3)).compile()
        print(compiled(jnp.ones((2, 3)), jnp.arange(3.0)))
    """,
    "compiled_rejects_other_shapes": """
        import jax
        import jax.numpy as jnp
        compiled = jax.jit(lambda x: x * 2).lower(jnp.ones(3)).compile()
        compiled(jnp.ones(4))
    """,
    "eval_shape_without_computing": """
        import jax
        import jax.numpy as jnp
        out = jax.eval_shape(lambda x, y: jnp.dot(x, y), jnp.ones((2, 3)), jnp.ones((3, 5)))
        print(out)
        print(out.shape, out.dtype)
        print(jax.eval_shape(lambda x: {"a": x.sum()}, jax.ShapeDtypeStruct((4,), jnp.int32)))
    """,
    "shape_dtype_struct_repr": """
        import jax
        import jax.numpy as jnp
        print(jax.ShapeDtypeStruct((2, 3), jnp.float32))
        print(jax.ShapeDtypeStruct((), jnp.int32).dtype)
    """,
    "device_count_and_backend": """
        import jax
        print(len(jax.devices()), jax.device_count(), jax.local_device_count())
        print(jax.default_backend())
    """,
    "array_devices_and_sharding": """
        import jax
        import jax.numpy as jnp
        x = jnp.ones(3)
        print(len(x.devices()))
        print(x.devices() == {jax.devices()[0]})
        print(type(x.sharding).__name__)
        print(x.is_fully_addressable)
    """,
    "device_put_and_get": """
        import jax
        import numpy as np
        x = jax.device_put(np.arange(3.0))
        print(type(x).__name__ if isinstance(x, jax.Array) else "not an array", x.dtype)
        y = jax.device_get(x)
        print(type(y).__name__, y)
        print(jax.device_put({"a": 1.0})["a"])
    """,
    "jax_version_and_numpy_dtypes": """
        import jax.numpy as jnp
        import numpy as np
        print(jnp.float32 is not None, np.dtype(jnp.float32), jnp.dtype("int8"))
        print(jnp.issubdtype(jnp.float16, jnp.floating), jnp.issubdtype(jnp.int32, jnp.inexact))
    """,
}

DIFFERS = {
}
