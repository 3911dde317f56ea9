"""`jaxlite.ops`: segment reductions, like `jax.ops`."""
from jaxlite.ops.scatter import segment_max, segment_min, segment_prod, segment_sum  # noqa: F401
