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
