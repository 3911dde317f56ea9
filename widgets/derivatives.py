"""Controller of the function-and-derivatives widget: a formula box, sliders for x0 and the order, a library toggle."""

import ipywidgets
import numpy as np
import traitlets

from widgets import backends
from widgets._controls import LectureWidget
from widgets.models import derivatives as model
from widgets.views.derivatives import DerivativePlot, readout_html

EXAMPLE = "sin(x) * x**2"


class FunctionDerivatives(LectureWidget):
    """f and its derivatives up to `order`, with the tangent at x0; every control is also a trait here."""

    x0 = traitlets.Float(0.0)
    order = traitlets.Int(1)
    backend = traitlets.Enum(backends.BACKENDS, "jaxlite")
    expression = traitlets.Unicode("")

    def __init__(self, f=EXAMPLE, x_range=(-3.0, 3.0), order=1, backend="jaxlite", x0=None, theme=None):
        super().__init__(theme=theme)
        self.x_range = (float(x_range[0]), float(x_range[1]))
        if not self.x_range[0] < self.x_range[1]:
            raise ValueError(f"x_range must be increasing, got {x_range}")
        self._function = f if callable(f) else None
        self._cache = {}
        self.derivs = self.curves = self.point = None
        self.difference = None
        self.view = DerivativePlot(self.theme, self.x_range)
        self._build_controls()
        # By default a little right of the middle, where the tangent of most examples is not flat.
        start = 0.5 * sum(self.x_range) + 0.1 * (self.x_range[1] - self.x_range[0]) if x0 is None else x0
        with self.hold_trait_notifications():
            self.x0, self.order, self.backend = float(start), int(order), backend
            self.expression = f if isinstance(f, str) else ""
        self._link_controls()
        self.guard(self._replot)
        self.children = [
            ipywidgets.HBox([self.expression_text, self.backend_toggle]),
            ipywidgets.HBox([self.x0_slider, self.order_slider]),
            self.image_widget,
            self.readout,
            self.comparison,
            self.status,
        ]

    @property
    def figure(self):
        return self.view.figure

    @property
    def lines(self) -> dict:
        return self.view.lines

    def _build_controls(self):
        low, high = self.x_range
        self.expression_text = ipywidgets.Text(
            description="f(x) =", placeholder=f"type a formula of x, e.g. {EXAMPLE}", continuous_update=False
        )
        self.expression_text.layout.width = "28em"
        self.backend_toggle = ipywidgets.ToggleButtons(
            options=[("jaxlite", "jaxlite"), ("JAX", "jax")],
            tooltips=["derivatives by jaxlite", "derivatives by real JAX (compared with jaxlite)"],
        )
        self.x0_slider = ipywidgets.FloatSlider(
            min=low, max=high, step=(high - low) / 200, description="x0", readout_format=".2f"
        )
        self.order_slider = ipywidgets.IntSlider(min=1, max=model.MAX_ORDER, description="order")
        self.image_widget = self.image(b"")
        self.readout = ipywidgets.HTML()
        self.comparison = ipywidgets.HTML()

    def _link_controls(self):
        traitlets.link((self, "x0"), (self.x0_slider, "value"))
        traitlets.link((self, "order"), (self.order_slider, "value"))
        traitlets.link((self, "backend"), (self.backend_toggle, "value"))
        traitlets.link((self, "expression"), (self.expression_text, "value"))
        self.observe(lambda change: self.guard(self._move_point), names="x0")
        self.observe(lambda change: self.guard(self._replot), names=["order", "backend", "expression"])

    def _source(self):
        if self.expression.strip() or self._function is None:
            return self.expression
        return self._function

    def _title(self):
        source = self._source()
        name = f"f(x) = {source}" if isinstance(source, str) else f"f = {backends.describe(source)}"
        return f"{name}   ({'JAX' if self.backend == 'jax' else 'jaxlite'})"

    def _derivatives_and_curves(self, backend):
        source = self._source()
        key = (source if isinstance(source, str) else id(source), self.order, backend)
        if key not in self._cache:
            derivs = model.derivatives(source, self.order, backend)
            self._cache[key] = (derivs, model.sample(derivs, self.x_range))
        return self._cache[key]

    def _replot(self):
        derivs, curves = self._derivatives_and_curves(self.backend)
        point = model.readout(derivs, self.x0, self.x_range)
        self.difference = self._compare_libraries(curves)
        self.derivs, self.curves, self.point = derivs, curves, point
        self.image_widget.value = self.view.draw_curves(curves, point, self._title())
        self._show_point(point)

    def _compare_libraries(self, curves):
        """With JAX chosen, the largest gap between the libraries' curves (jaxlite's come from the cache)."""
        if self.backend != "jax":
            self.comparison.value = self._note("switch to JAX to compare jaxlite's derivatives with JAX's")
            return None
        _, ours = self._derivatives_and_curves("jaxlite")
        gap = model.largest_difference(ours, curves)
        self.comparison.value = self._note(
            f"largest |jaxlite \u2212 JAX| over all {len(curves.values)} curves: <b>{gap:.3g}</b>"
        )
        return gap

    def _note(self, text):
        return f'<div style="font-size:{self.theme.font_px:.0f}px; color:{self.theme.muted};">{text}</div>'

    def _move_point(self):
        if self.curves is None:
            return self._replot()
        point = model.readout(self.derivs, self.x0, self.x_range)
        self.point = point
        self.image_widget.value = self.view.draw_point(point)
        self._show_point(point)

    def _show_point(self, point):
        self.readout.value = readout_html(point, self.theme)
        bad = [model.derivative_label(k) for k, v in enumerate(point.values) if not np.isfinite(v)]
        if bad:
            self.status.error(
                f"{', '.join(bad)} is not a finite number at x0 = {point.x0:.3g} "
                "(outside the function's domain?)"
            )
        else:
            self.status.clear()


def plot_func_and_deriv(f=EXAMPLE, x_range=(-3, 3), order=1, backend="jaxlite", **kwargs) -> FunctionDerivatives:
    """f (a function of x, or a formula as text) with its derivatives up to `order` and the tangent at x0."""
    return FunctionDerivatives(f, x_range=x_range, order=order, backend=backend, **kwargs)


__all__ = ["FunctionDerivatives", "plot_func_and_deriv"]
