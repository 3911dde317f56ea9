"""Lecture widgets that show what JAX's transformations do (ipywidgets + matplotlib), on jaxlite or on real JAX.

Each widget keeps its model (a plain dataclass from a pure function, in widgets.models), its view (Matplotlib
or HTML, in widgets.views) and its controller (the ipywidgets wiring, in the modules below) apart.
"""
from widgets.benchmark_panel import BenchmarkPanel, benchmark_panel
from widgets.derivatives import FunctionDerivatives, plot_func_and_deriv
from widgets.jacobian import JacobianBuilder
from widgets.jaxpr import JaxprComparison, show_jaxpr
from widgets.pytree import PytreeView, show_pytree
from widgets.themes import Theme, theme
from widgets.training import GradientDescent
from widgets.vmap import VmapExplorer

__all__ = [
    "BenchmarkPanel", "benchmark_panel", "FunctionDerivatives", "GradientDescent", "JacobianBuilder", "JaxprComparison", "PytreeView", "Theme",
    "VmapExplorer", "plot_func_and_deriv", "show_jaxpr", "show_pytree", "theme",
]  # fmt: skip
