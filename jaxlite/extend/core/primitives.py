"""Every primitive by its JAX name (`exp_p`, `tanh_p`, `jit_p`, ...), like `jax.extend.core.primitives`.

Mirrors jax/extend/core/primitives.py: a custom interpreter keys its rules on these objects.
"""
from jaxlite import core as _core
from jaxlite.lax import control_flow as _control_flow, gather_scatter as _gather_scatter, lax as _lax
from jaxlite.lax import slicing as _slicing
from jaxlite.lax import (conversions as _conversions, reductions as _reductions, selection as _selection,
                         shapes as _shapes, sorting as _sorting)
from jaxlite import (ad_checkpoint as _ad_checkpoint, custom_derivatives as _custom_derivatives,
                     debug as _debug, pjit as _pjit, prng as _prng)
from jaxlite.interpreters import ad as _ad


def _primitives_of(module):
    return {name: value for name, value in vars(module).items()
            if name.endswith("_p") and not name.startswith("_") and isinstance(value, _core.Primitive)}


for _module in (_lax, _conversions, _selection, _shapes, _reductions, _sorting, _slicing, _gather_scatter,
                _control_flow, _pjit, _prng, _ad, _custom_derivatives, _ad_checkpoint, _debug):
    globals().update(_primitives_of(_module))
