"""`jaxlite.extend`: the names for writing new transformations and primitives, like `jax.extend`.

Mirrors jax/extend/: `jaxlite.extend.core` holds the jaxpr classes a custom interpreter walks.
"""
from jaxlite.extend import core  # noqa: F401
