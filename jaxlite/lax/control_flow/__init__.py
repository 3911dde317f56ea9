"""Structured control flow: cond, switch, while_loop, fori_loop, scan, map.

Mirrors jax/_src/lax/control_flow/__init__.py: `common` traces the user's functions, `conditionals`
holds cond and switch, `loops` the loops. Each construct becomes one primitive carrying jaxprs.
"""
from jaxlite.lax.control_flow.conditionals import cond, cond_p, switch  # noqa: F401
from jaxlite.lax.control_flow.loops import fori_loop, map, scan, scan_p, while_loop, while_p  # noqa: F401
