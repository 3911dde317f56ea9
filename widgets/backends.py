"""The two libraries a widget can run on, jaxlite and real JAX, behind one small namespace.

Real JAX is imported only when a widget is switched to it, so a widget opens fast where JAX is absent or slow to load.
"""
import functools
import inspect
from dataclasses import dataclass
from types import ModuleType

BACKENDS = ("jaxlite", "jax")


@dataclass(frozen=True)
class Library:
    """A library's name, its top-level module (grad, vmap, jit, ...) and its NumPy namespace."""
    name: str
    api: ModuleType
    numpy: ModuleType

    def asarray(self, x):
        import numpy as np

        return self.numpy.asarray(np.asarray(x))


@functools.cache
def library(name: str) -> Library:
    if name == "jaxlite":
        import jaxlite
        import jaxlite.numpy

        return Library("jaxlite", jaxlite, jaxlite.numpy)
    if name == "jax":
        try:
            import jax
            import jax.numpy
        except ImportError as error:
            raise RuntimeError("real JAX is not installed here: only the jaxlite backend is available") from error
        return Library("jax", jax, jax.numpy)
    raise ValueError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")


def takes_library(f) -> bool:
    """Whether f asks for the NumPy namespace, as in `def f(x, *, jnp): return jnp.sin(x)`."""
    try:
        parameter = inspect.signature(f).parameters.get("jnp")
    except (TypeError, ValueError):
        return False
    return parameter is not None and parameter.kind is inspect.Parameter.KEYWORD_ONLY


def bind(f, lib: Library):
    """f ready to run under lib: its `jnp` keyword filled in if it has one, else f itself.

    A function written only with operators and array methods (`x ** 3`, `x.sum()`) runs under either library
    as it is; one that calls a library's functions takes them through a keyword-only `jnp` parameter."""
    if not takes_library(f):
        return f

    @functools.wraps(f)  # keeps f's name, which jit prints in a jaxpr
    def with_library(*args, **kwargs):
        return f(*args, jnp=lib.numpy, **kwargs)

    del with_library.__wrapped__  # its signature is f's without `jnp`, not f's own
    return with_library


def describe(f) -> str:
    """A short name for a function, for titles."""
    name = getattr(f, "__name__", None) or type(f).__name__
    return "f" if name == "<lambda>" else name
