"""`jaxlite.extend.core`: jaxprs, their variables and equations, and primitives, like `jax.extend.core`.

Mirrors jax/extend/core/__init__.py: the classes of jaxlite.core that a custom jaxpr interpreter uses
(`Literal` and `Var` to read operands, `JaxprEqn` to walk equations), under JAX's public names.
"""
from jaxlite.core import (ClosedJaxpr, Jaxpr, JaxprEqn, JaxprTypeError, Literal,  # noqa: F401
                          Primitive, Var, check_jaxpr, jaxpr_as_fun, jaxprs_in_params,
                          set_current_trace, valid_jaxtype)
from jaxlite.extend.core import primitives  # noqa: F401
