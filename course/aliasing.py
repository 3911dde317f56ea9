"""`import jax` that means jaxlite, for the length of a `with` block.

The course runs one piece of code twice, once with real JAX and once with `import jaxlite as jax` applied to
every import the code makes (`import jax.numpy as jnp`, `from jax.tree_util import ...`). A meta-path finder
answers `jax` and `jax.*` with the jaxlite module of the same name; real JAX's modules are taken out of
`sys.modules` for the block and put back afterwards, so nothing leaks into code that runs later.
"""
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
    """Resolves `jax` and `jax.X` to `jaxlite` and `jaxlite.X`."""

    def find_spec(self, name, path=None, target=None):
        if not is_jax_name(name):
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


@contextlib.contextmanager
def jax_is_jaxlite():
    """Inside the block, every `import jax...` gives jaxlite; on exit real JAX's modules are back as they were."""
    real = {name: module for name, module in sys.modules.items() if is_jax_name(name)}
    for name in real:
        del sys.modules[name]
    finder = JaxliteFinder()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for name in [name for name in sys.modules if is_jax_name(name)]:
            del sys.modules[name]
        sys.modules.update(real)


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
