"""JAX's error classes, with a short hint for learners where JAX prints a link.

Mirrors jax/errors.py: the same class names and base classes, so `except jax.errors.X` habits carry over.
"""


def with_hint(message, hint):
    """JAX's message, then jaxlite's one-line hint for learners."""
    return f"{message}\nHint: {hint}"


def without_hint(message):
    """A message without the hint `with_hint` gave it (to give it another one)."""
    return message.split("\nHint: ")[0]


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


# Hints that depend on where a traced value was needed (core.concretization_hint chooses): under
# jit the cure may be a static argument, named by position, or by name for an argument passed by
# keyword (static_argnums cannot reach those); under vmap no argument can be static.

_REMEDIES = {
    "bool": ("`if`/`while`/`and`/`or` need a concrete bool, but a traced array has none yet: use "
             "jnp.where, lax.cond or lax.while_loop"),
    "number": ("int()/float() need a concrete number, but a traced array has none yet: convert "
               "with x.astype(...) inside the function"),
    "index": ("a Python integer (for range, a slice bound, a shape) needs a concrete value: loop with "
              "lax.fori_loop, slice with lax.dynamic_slice"),
    "value": ("item() and tolist() need a concrete value, but a traced array has none yet: return the array "
              "and convert it outside the transformed function"),
    "shape": "a shape must be known while the function is traced: compute it from x.shape or Python ints",
    "slice": ("a slice's bounds set the result's shape, which must be known while the function is traced: "
              "slice with lax.dynamic_slice(x, (start,), (size,)) and a fixed size"),
}

_VMAP_REMEDIES = {
    "bool": ("under vmap each example has its own bool, so Python cannot branch on one: use "
             "jnp.where or lax.cond, which vmap applies per example."),
    "number": ("under vmap each example has its own value: convert with x.astype(...), which vmap "
               "applies per example."),
    "index": ("under vmap each example has its own integer: loop with lax.fori_loop or "
              "lax.while_loop, or index with jnp functions, which vmap applies per example."),
    "value": "under vmap each example has its own value: return the batched array and convert it outside vmap.",
    "shape": "under vmap every example has the same shape: keep one shape for all (pad, or mask with jnp.where).",
    "slice": ("under vmap every example gives the same shape: slice with lax.dynamic_slice and one fixed "
              "size, or keep the whole array and mask it with jnp.where."),
}


def traced_value_hint(kind, transform=None, static=None):
    """The hint for a traced value used where Python needs a concrete one (`kind`: bool, number,
    index, value or shape). `static` says how to make the argument it depends on static."""
    if transform == "vmap":
        return _VMAP_REMEDIES[kind]
    how = f": {static}" if static else " (static_argnums, or static_argnames for an argument passed by keyword)"
    return f"{_REMEDIES[kind]}, or make the argument static{how}."


UNSIZED_HINT = ("a 0-d array holds one number, with no axis to loop over or measure: use it directly, or make "
                "it 1-d with jnp.atleast_1d(x).")


def too_many_indices_hint(ndim):
    return (f"this array has {ndim} axes, so an index has at most {ndim} entries (plus None and ...): check "
            "x.shape; to pick several elements of one axis, index with an array, x[jnp.array([0, 2])].")


CUSTOM_VJP_FORWARD_HINT = ("a custom_vjp function has a reverse-mode rule only: differentiate it with jax.grad "
                           "or jax.vjp, or define it with jax.custom_jvp to get forward mode (jvp, jacfwd) too.")

SIZE_HINT = ("the number of nonzero entries depends on the values, and so would the output shape: give "
             "size= (and fill_value=) to jnp.nonzero, jnp.where(mask) or jnp.argwhere.")


def display_name(name):
    """A function's name as a learner writes it in `jit(f, ...)` (a lambda is `f`)."""
    return name if name.isidentifier() else "f"


def non_array_argument_hint(value, static):
    """For a jit argument that is no array; `static` is how to make it static (None for a value
    inside a pytree argument, which cannot be static by itself)."""
    if static is None:
        return ("a pytree argument may hold only arrays: take this value out of it and close over "
                "it, or pass it as an argument of its own marked static.")
    if callable(value):
        return f"a function cannot be traced: make it static with {static}, or bind it with functools.partial."
    if type(value).__module__ not in ("builtins", "numpy"):
        return (f"register {type(value).__name__} as a pytree (tree_util.register_pytree_node_class) so its "
                f"arrays are traced, or make it static with {static} (it must then be hashable).")
    return f"only arrays and pytrees of arrays are traced: make it static with {static}."


def user_stacklevel():
    """The `stacklevel` for warnings.warn that points at the first caller outside jaxlite (the
    user's line, as JAX's warnings do), however deep inside jaxlite the warning is raised."""
    import os
    import sys
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    return level
