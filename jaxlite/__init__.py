"""jaxlite: JAX's core rebuilt in readable Python and NumPy, for learning how JAX works.

`import jaxlite as jax` runs the same code: grad, jvp, vjp, vmap, jit and make_jaxpr over pytrees,
built as JAX builds them (a stack of tracing interpreters, primitives with rules, jaxprs).
"""
import warnings as _warnings

from jaxlite.config import (config, debug_nans, debug_infs, disable_jit, enable_x64,  # noqa: F401
                            explain_cache_misses, log_compiles)
from jaxlite import dtypes, errors, tree_util, core  # noqa: F401
from jaxlite.array import Array  # noqa: F401
from jaxlite import lax  # noqa: F401
from jaxlite import numpy  # noqa: F401
from jaxlite.api import (jvp, linearize, vjp, grad, value_and_grad, jacfwd, jacrev, jacobian,  # noqa: F401
                         hessian, vmap, make_jaxpr, eval_shape, ShapeDtypeStruct, device_put,
                         device_get, block_until_ready, effects_barrier, devices, default_backend, typeof,
                         linear_transpose)
from jaxlite.lax import stop_gradient  # noqa: F401
from jaxlite.pjit import jit, clear_caches  # noqa: F401
from jaxlite.custom_derivatives import custom_jvp, custom_vjp  # noqa: F401
from jaxlite.tree_util import tree_map, tree_leaves, tree_structure  # noqa: F401
from jaxlite import nn, scipy, random  # noqa: F401,E402
from jaxlite import tree, extend, sharding, debug, ad_checkpoint, ops  # noqa: F401,E402
from jaxlite.ad_checkpoint import checkpoint, remat, checkpoint_policies  # noqa: F401,E402
from jaxlite.callback import pure_callback  # noqa: F401,E402
from jaxlite.xla_bridge import (local_devices, device_count, local_device_count,  # noqa: F401,E402
                                process_index, process_count)

# The speed layer stands in front of the plain path unless jax_jaxlite_fast_paths is off.
from jaxlite import fastpath as _fastpath  # noqa: E402
_fastpath.set_enabled(config.read("jax_jaxlite_fast_paths"))

# Like XLA, jaxlite computes inf and nan quietly (jnp.log(0.) is -inf): NumPy's RuntimeWarnings
# raised inside jaxlite's own code (and jit's generated code) are not shown.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"jaxlite(\.|$)")

__version__ = "0.1.0"
