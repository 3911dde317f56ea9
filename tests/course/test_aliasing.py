"""`with jax_is_jaxlite():` makes the code's own `import jax` lines give jaxlite, and only inside the block."""
import sys

import pytest

import jaxlite
from course.aliasing import jax_is_jaxlite


def test_import_jax_gives_jaxlite_inside_the_block():
    with jax_is_jaxlite():
        import jax
        import jax.numpy as jnp
        from jax import grad
        from jax.tree_util import tree_leaves
    assert jax is jaxlite
    assert jnp is jaxlite.numpy
    assert grad is jaxlite.grad
    assert tree_leaves is jaxlite.tree_util.tree_leaves


def test_real_jax_is_back_after_the_block():
    import jax as real_before
    with jax_is_jaxlite():
        import jax
        assert jax is jaxlite
    import jax
    assert jax is real_before
    assert sys.modules["jax.numpy"] is real_before.numpy


def test_real_jax_is_back_after_an_exception():
    import jax as real_before
    with pytest.raises(ZeroDivisionError):
        with jax_is_jaxlite():
            import jax  # noqa: F401
            1 / 0
    import jax
    assert jax is real_before


def test_jaxlite_modules_do_not_stay_under_jax_names():
    with jax_is_jaxlite():
        import jax.scipy.special  # noqa: F401
    assert all(not getattr(module, "__name__", "").startswith("jaxlite")
               for name, module in sys.modules.items() if name == "jax" or name.startswith("jax."))


def test_a_part_of_jax_that_jaxlite_lacks_is_a_clear_import_error():
    with jax_is_jaxlite():
        with pytest.raises(ModuleNotFoundError, match=r"No module named 'jax\.experimental' \(jaxlite has no 'jaxlite\.experimental'"):
            import jax.experimental.sparse  # noqa: F401


def test_jaxlite_modules_keep_their_own_spec():
    with jax_is_jaxlite():
        import jax.numpy  # noqa: F401
        assert jaxlite.numpy.__spec__.name == "jaxlite.numpy"
    assert jaxlite.__spec__.name == "jaxlite"
    assert repr(jaxlite).startswith("<module 'jaxlite' from ")


def test_jaxlite_itself_still_imports_real_jax_inside_the_block():
    import jax as real
    jaxlite_module = {"__name__": "jaxlite.interpreters.xla"}
    with jax_is_jaxlite():
        import jax
        exec("import jax\nimport jax.numpy", jaxlite_module)
        import jax.numpy as jnp
    assert jaxlite_module["jax"] is real
    assert jaxlite_module["jax"].numpy is real.numpy
    assert (jax, jnp) == (jaxlite, jaxlite.numpy)


def test_real_jax_modules_first_imported_by_jaxlite_inside_the_block_stay_real():
    jaxlite_module = {"__name__": "jaxlite.interpreters.xla"}
    with jax_is_jaxlite():
        exec("import jax.scipy.linalg", jaxlite_module)
        import jax.scipy.special  # noqa: F401
    import jax.scipy.linalg
    assert jax.scipy.linalg.__name__ == "jax.scipy.linalg"
    assert jaxlite_module["jax"].scipy.linalg is jax.scipy.linalg


def test_real_jax_importing_its_own_modules_inside_the_block_gets_them():
    import jax as real
    real_jax_module = {"__name__": "jax._src.dispatch"}
    with jax_is_jaxlite():
        exec("from jax import numpy", real_jax_module)
    assert real_jax_module["numpy"] is real.numpy


def test_real_jax_computes_inside_the_block_for_jaxlite():
    jaxlite_module = {"__name__": "jaxlite.interpreters.xla"}
    with jax_is_jaxlite():
        exec("import jax\nresult = jax.jit(lambda x: x * 2.0)(3.0)", jaxlite_module)
    assert type(jaxlite_module["result"]).__module__.startswith("jax")
    assert float(jaxlite_module["result"]) == 6.0
