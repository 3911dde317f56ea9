"""`jaxlite.lax` offers the names `jax.lax` offers, and not the helpers its modules are built from."""
import types

import jax
import jaxlite

# Names jaxlite.lax has on purpose although jax.lax does not, each with its reason.
NOT_IN_JAX_LAX = {
    # The primitive grad sums tangents with (JAX keeps it in jax/_src/ad_util.py as add_jaxvals_p);
    # the primitive tests bind it through jaxlite.lax like every other primitive.
    "add_any",
}


def _public_names(module):
    return {name for name in dir(module) if not name.startswith("_")
            and not isinstance(getattr(module, name), types.ModuleType)}


def test_every_public_name_of_jaxlite_lax_is_in_jax_lax():
    assert _public_names(jaxlite.lax) - set(dir(jax.lax)) == NOT_IN_JAX_LAX


def test_each_exception_is_still_missing_from_jax_lax():
    assert NOT_IN_JAX_LAX & set(dir(jax.lax)) == set()

