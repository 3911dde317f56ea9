"""`jaxlite.lax`: the primitives as functions, like `jax.lax`.

Each primitive and its rules live in one module here, beside the function that binds it. JAX keeps
most of these in jax/_src/lax/lax.py; jaxlite splits that file in six: lax.py for elementwise math
and comparisons, selection.py for select_n and clamp, conversions.py for dtypes and complex
numbers, shapes.py for broadcasting and reshapes, reductions.py for reductions and dot_general,
sorting.py for sort and top_k. JAX's jax/_src/lax/slicing.py is two files here: slicing.py for
slices, pads and dynamic slices, gather_scatter.py for gathers and scatters. As in jax/_src/lax:
special.py for erf and its kin; control_flow for cond, while_loop and scan; convolution.py,
linalg.py and parallel.py. utils.py makes primitives (`standard_primitive`) and holds the rules
they share. Each module's `__all__` names what it adds here: only names `jax.lax` has.
"""
from jaxlite.lax.lax import *  # noqa: F401,F403
from jaxlite.lax.selection import *  # noqa: F401,F403
from jaxlite.lax.conversions import *  # noqa: F401,F403
from jaxlite.lax.shapes import *  # noqa: F401,F403
from jaxlite.lax.reductions import *  # noqa: F401,F403
from jaxlite.lax.sorting import *  # noqa: F401,F403
from jaxlite.lax.special import erf, erf_inv, erfc  # noqa: F401
from jaxlite.lax import slicing  # noqa: F401
from jaxlite.lax.slicing import *  # noqa: F401,F403
from jaxlite.lax.gather_scatter import *  # noqa: F401,F403
from jaxlite.lax.control_flow import cond, switch, while_loop, fori_loop, scan, map  # noqa: F401,E402
from jaxlite.lax.convolution import (ConvDimensionNumbers, conv, conv_dimension_numbers,  # noqa: F401,E402
                                     conv_general_dilated, conv_general_permutations,
                                     conv_transpose, conv_with_general_padding, padtype_to_pads)
from jaxlite.lax import linalg  # noqa: F401,E402
from jaxlite.lax.parallel import all_gather, axis_index, pmax, pmean, pmin, psum  # noqa: F401,E402
from jaxlite.lax.special import betainc, igamma, igamma_grad_a, igammac  # noqa: F401,E402
