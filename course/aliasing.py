"""`import jax` that means jaxlite, for the length of a `with` block.

The course runs one piece of code twice, once with real JAX and once with `import jaxlite as jax` applied to
every import the code makes (`import jax.numpy as jnp`, `from jax.tree_util import ...`). A meta-path finder
answers `jax` and `jax.*` with the jaxlite module of the same name; real JAX's modules are taken out of
`sys.modules` for the block and put back afterwards, so nothing leaks into code that runs later. jaxlite's
own imports of JAX (its `xla` jit backend runs on real JAX) still get real JAX inside the block.
"""
import builtins
import contextlib
import importlib
import importlib.abc
import importlib.util
import sys


def is_jax_name(name):
    """Whether a module name is JAX's: `jax` or `jax.X` (not `jaxlib`, not `jaxlite`)."""
    return name == "jax" or name.startswith("jax.")


def lite_name(name):
    """The jaxlite module that stands in for a `jax` module name: `jax.numpy` -> `jaxlite.numpy`."""
    return "jaxlite" + name[len("jax"):]


class _ExistingModule(importlib.abc.Loader):
    """Hands the import system a module that is already loaded, under another name.

    The import system stamps the `jax...` spec on the module it is handed; the module gets its own spec back, so
    that jaxlite still reads as jaxlite (its repr, `importlib.util.find_spec("jaxlite")`) during and after the block.
    """

    def __init__(self, module):
        self.module = module
        self.own_spec = module.__spec__

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        module.__spec__ = self.own_spec


class JaxliteFinder(importlib.abc.MetaPathFinder):
    """Resolves `jax` and `jax.X` to `jaxlite` and `jaxlite.X` (while `active`)."""

    active = True

    def find_spec(self, name, path=None, target=None):
        if not self.active or not is_jax_name(name):
            return None
        try:
            module = importlib.import_module(lite_name(name))
        except ModuleNotFoundError as err:
            if err.name != lite_name(name):
                raise
            raise ModuleNotFoundError(
                f"No module named {name!r} (jaxlite has no {lite_name(name)!r}: this part of JAX is not "
                "reimplemented)", name=name) from None
        return importlib.util.spec_from_loader(name, _ExistingModule(module))


def _is_public_jax_name(name):
    """A `jax` module a cell may import; real JAX's internals (`jax._src...`) stay in place for real JAX."""
    return is_jax_name(name) and name != "jax._src" and not name.startswith("jax._src.")


def _swap_jax_modules(modules):
    """Put `modules` in sys.modules in place of the public `jax` modules there, and return those."""
    current = {name: module for name, module in sys.modules.items() if _is_public_jax_name(name)}
    for name in current:
        del sys.modules[name]
    sys.modules.update(modules)
    return current


def _uses_real_jax(importer):
    """Whether a module of this name imports real JAX inside the block: jaxlite's own, and real JAX's own."""
    return importer == "jaxlite" or importer.startswith("jaxlite.") or is_jax_name(importer)


def _real_jax_for_jaxlite(real, finder, original_import):
    """An `__import__` that gives jaxlite (and JAX itself) real JAX, kept in `real`, and everyone else jaxlite."""

    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        if level or not is_jax_name(name) or not _uses_real_jax((globals or {}).get("__name__") or ""):
            return original_import(name, globals, locals, fromlist, level)
        lite = _swap_jax_modules(real)
        finder.active = False
        try:
            return original_import(name, globals, locals, fromlist, level)
        finally:
            finder.active = True
            real.update(_swap_jax_modules(lite))

    return import_


@contextlib.contextmanager
def jax_is_jaxlite():
    """Inside the block, every `import jax...` gives jaxlite; on exit real JAX's modules are back as they were."""
    real = _swap_jax_modules({})
    finder = JaxliteFinder()
    sys.meta_path.insert(0, finder)
    original_import = builtins.__import__
    builtins.__import__ = _real_jax_for_jaxlite(real, finder, original_import)
    try:
        yield
    finally:
        builtins.__import__ = original_import
        sys.meta_path.remove(finder)
        _swap_jax_modules(real)


def jax_available():
    """Whether real JAX can be imported here (it is absent in the browser and where it was never installed)."""
    if any(isinstance(finder, JaxliteFinder) for finder in sys.meta_path):
        return False
    if "jax" in sys.modules:
        return True
    try:
        return importlib.util.find_spec("jax") is not None
    except (ImportError, ValueError):
        return False
