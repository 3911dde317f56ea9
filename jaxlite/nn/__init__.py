"""`jaxlite.nn`: neural-network activations and the softmax family, like `jax.nn`."""
from jaxlite.nn.functions import (  # noqa: F401
    elu, gelu, leaky_relu, log_sigmoid, log_softmax, logsumexp, one_hot, relu, sigmoid, silu,
    softmax, softplus, standardize, swish,
)
from jaxlite.nn import initializers  # noqa: F401,E402
