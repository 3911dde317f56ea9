"""The two libraries a widget can run on, jaxlite and real JAX, behind one small namespace.

Real JAX is imported only when a widget is switched to it, so a widget opens fast where JAX is absent or slow to load.
A function written the natural way, with `jax.numpy` or `jaxlite.numpy` names, runs under the other library with
those names bound to that library's modules (`rebind`), so a side-by-side widget shows both sides.
"""
import ast
import functools
import importlib
import inspect
import re
import types
from dataclasses import dataclass
from types import ModuleType

import numpy as np

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
    """f ready to run under lib: its `jnp` keyword filled in if it has one, else f with the other library's
    modules and functions in its globals and closure replaced by lib's (f itself where it names neither).

    A function written only with operators and array methods (`x ** 3`, `x.sum()`) runs under either library
    as it is; one written with `jnp.sin` runs under both once `jnp` means the library at hand."""
    if not takes_library(f):
        return rebind(f, lib.name)

    @functools.wraps(f)  # keeps f's name, which jit prints in a jaxpr
    def with_library(*args, **kwargs):
        return f(*args, jnp=lib.numpy, **kwargs)

    del with_library.__wrapped__  # its signature is f's without `jnp`, not f's own
    return with_library


HOW_TO_WRITE = (
    "to run f under both libraries, write it with jnp = jax.numpy or jaxlite.numpy (module names the widget "
    "can swap), or take the library as a keyword: def f(x, *, jnp): ..."
)

# Where a library's public functions live, to swap `from jax.numpy import sin` for jaxlite's sin.
PUBLIC_MODULES = ("", ".numpy", ".lax", ".nn", ".random", ".tree_util", ".numpy.linalg", ".scipy.special")


def library_of(value):
    """'jax' or 'jaxlite' for a module, function, class or array of that library, else None."""
    if isinstance(value, ModuleType):
        module = value.__name__
    else:
        module = getattr(value, "__module__", None)
        if not isinstance(module, str):
            module = type(value).__module__
    top = module.split(".", 1)[0]
    return "jax" if top == "jaxlib" else top if top in BACKENDS else None


def rebind(f, target: str):
    """f with every reference to the other library, in its globals, closure and defaults (and in the helper
    functions it calls), replaced by `target`'s module or function of the same name; f itself if it has none.

    Arrays of the other library become NumPy arrays, which both libraries take."""
    return _Rebinder(target).function(f)


class _Rebinder:
    def __init__(self, target):
        self.target = target
        self.done = {}

    def function(self, f):
        if not isinstance(f, types.FunctionType) or library_of(f) is not None:
            return f
        if id(f) in self.done:
            return self.done[id(f)]
        # The copy exists before its contents are rebound, so that a recursive call finds the copy.
        scope = dict(f.__globals__)
        cells = tuple(types.CellType() for _ in f.__closure__ or ())
        copy = types.FunctionType(f.__code__, scope, f.__name__, None, cells or None)
        self.done[id(f)] = copy
        changed = False

        def swap(old):
            nonlocal changed
            new = self.value(old)
            changed |= new is not old and new is not copy
            return new

        for name in _global_names(f.__code__) & scope.keys():
            scope[name] = swap(scope[name])
        for old, cell in zip(f.__closure__ or (), cells):
            if _filled(old):
                cell.cell_contents = swap(old.cell_contents)
        defaults = tuple(swap(v) for v in f.__defaults__ or ()) or None
        kwdefaults = {k: swap(v) for k, v in (f.__kwdefaults__ or {}).items()} or None
        if not changed:
            self.done[id(f)] = f
            return f
        copy.__defaults__, copy.__kwdefaults__ = defaults, kwdefaults
        copy.__qualname__, copy.__doc__, copy.__module__ = f.__qualname__, f.__doc__, f.__module__
        copy.__dict__.update(f.__dict__)
        return copy

    def value(self, value):
        source = library_of(value)
        if isinstance(value, types.FunctionType) and source is None:
            return self.function(value)
        if source is None or source == self.target:
            return value
        if isinstance(value, ModuleType):
            return _counterpart_module(value.__name__, source, self.target) or value
        if callable(value):
            return _counterpart_function(value, source, self.target) or value
        if hasattr(value, "shape") and hasattr(value, "dtype"):
            return np.asarray(value)
        return value


def _filled(cell):
    try:
        cell.cell_contents
    except ValueError:  # a cell whose variable is not assigned yet
        return False
    return True


def _global_names(code) -> set:
    """The global names a code object reads, its nested functions' and comprehensions' included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _counterpart_module(name, source, target):
    try:
        return importlib.import_module(target + name[len(source):])
    except ImportError:
        return None


def _counterpart_function(value, source, target):
    name = getattr(value, "__name__", None)
    for suffix in PUBLIC_MODULES:
        module = _counterpart_module(source + suffix, source, source)
        if name and module is not None and getattr(module, name, None) is value:
            other = _counterpart_module(target + suffix, target, target)
            return getattr(other, name, None) if other is not None else None
    return None


def describe(f) -> str:
    """A title for a function: `f(x) = x ** 3` for a lambda (read from its source), else `f = name`."""
    name = getattr(f, "__name__", None) or type(f).__name__
    if name != "<lambda>":
        return f"f = {name}"
    args = f.__code__.co_varnames[:f.__code__.co_argcount]
    body = _lambda_body(f, args)
    return f"f({', '.join(args)}) = {body}" if body else "f = <lambda>"


def _compiles_to(node, code):
    """Whether a lambda's source gives the function's own bytecode (the source read is all of it)."""
    try:
        module = compile(ast.Expression(node), "<lambda>", "eval")
    except (SyntaxError, ValueError):
        return False
    return any(getattr(c, "co_code", None) == code.co_code and c.co_varnames == code.co_varnames
               for c in module.co_consts)


def _lambda_body(f, args):
    """`x ** 3` for `lambda x: x**3`: the lambda read from its source lines, or None when the source is
    not available, ambiguous, or not the whole lambda (one that goes on over several lines)."""
    try:
        lines, _ = inspect.getsourcelines(f)
    except (OSError, TypeError):
        return None
    text = "".join(lines)
    bodies = set()
    for start in (m.start() for m in re.finditer(r"\blambda\b", text)):
        for end in range(len(text), start, -1):  # the longest piece from `lambda` that parses
            try:
                node = ast.parse(text[start:end].strip(), mode="eval").body
            except SyntaxError:
                continue
            if isinstance(node, ast.Lambda) and _compiles_to(node, f.__code__):
                bodies.add(ast.unparse(node.body))
            break
    return bodies.pop() if len(bodies) == 1 else None
