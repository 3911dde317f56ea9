"""JAX's error classes, with a short hint for learners where JAX prints a link.

Mirrors jax/errors.py: the same class names and base classes, so `except jax.errors.X` habits carry over.
"""


def with_hint(message, hint):
    """JAX's message, then jaxlite's one-line hint for learners."""
    return f"{message}\nHint: {hint}"


class _JaxliteErrorMixin:
    """Appends a one-line teaching hint to the message, where JAX would link to its errors page."""

    hint = ""

    def __init__(self, message, hint=None):
        hint = self.hint if hint is None else hint
        super().__init__(with_hint(message, hint) if hint else message)


class JAXTypeError(_JaxliteErrorMixin, TypeError):
    pass


class JAXIndexError(_JaxliteErrorMixin, IndexError):
    pass


class ConcretizationTypeError(JAXTypeError):
    hint = ("this value is only known abstractly (a shape and dtype) while the function is traced; "
            "use jnp.where or lax.cond instead of Python control flow, or mark the argument static.")


class TracerBoolConversionError(ConcretizationTypeError):
    hint = ("`if`/`while`/`and`/`or` need a concrete bool, but a traced array has none yet: "
            "use jnp.where, lax.cond or lax.while_loop, or make the argument static.")


class TracerIntegerConversionError(JAXTypeError):
    hint = "int()/indexing with a traced value needs a concrete number: keep shapes and indices static."


class TracerArrayConversionError(JAXTypeError):
    hint = ("NumPy functions cannot see inside a traced array: use jaxlite.numpy (jnp) instead of numpy "
            "inside transformed functions.")


class UnexpectedTracerError(JAXTypeError):
    hint = ("a value from inside grad/jit/vmap was stored outside it (a global, a list, self.x): "
            "return it from the function instead.")


class NonConcreteBooleanIndexError(JAXIndexError):
    hint = "a boolean mask gives a data-dependent shape: use jnp.where(mask, x, 0) instead of x[mask]."


class KeyReuseError(JAXTypeError):
    hint = "a PRNG key gives the same numbers every time: split it (random.split) and use each subkey once."


class JaxRuntimeError(RuntimeError):
    """Raised by JAX when a computation fails at run time (jaxlite computes with NumPy)."""
