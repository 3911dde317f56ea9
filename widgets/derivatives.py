"""Controller of the function-and-derivatives widget: a formula box, sliders for x0 and the order, a library toggle,
beside the plot so that the whole widget fits a projector's screen."""

import ipywidgets
import numpy as np
import traitlets

from widgets import backends
from widgets._controls import LectureWidget, beside, plot_width_beside
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
        self.view = self._new_view()
        self._build_controls()
        # By default a little right of the middle, where the tangent of most examples is not flat.
        start = 0.5 * sum(self.x_range) + 0.1 * (self.x_range[1] - self.x_range[0]) if x0 is None else x0
        with self.hold_trait_notifications():
            self.x0, self.order, self.backend = float(start), int(order), backend
            self.expression = f if isinstance(f, str) else ""
        self._link_controls()
        self.guard(self._replot)
        side = ipywidgets.VBox([self.expression_text, self.backend_toggle, self.x0_slider, self.order_slider,
                                self.readout, self.tangent_note, self.comparison, self.status])  # fmt: skip
        self.set_body(beside(self.image_widget, side, self.theme), status=False)

    def _new_view(self):
        return DerivativePlot(self.theme, self.x_range, plot_width_beside(self.theme), self.theme.height_px - 16)

    def redraw_for_theme(self):
        self.view = self._new_view()
        self._replot()

    @property
    def figure(self):
        return self.view.figure

    @property
    def lines(self) -> dict:
        return self.view.lines

    def _build_controls(self):
        low, high = self.x_range
        compact = {"description_width": "initial"}
        self.expression_text = ipywidgets.Text(
            description="f(x) =", placeholder=f"a formula of x, e.g. {EXAMPLE}", continuous_update=False,
            style=compact, layout={"width": "100%"},
        )  # fmt: skip
        self.backend_toggle = ipywidgets.ToggleButtons(
            options=[("jaxlite", "jaxlite"), ("JAX", "jax")], style={"button_width": "auto"},
            tooltips=["derivatives by jaxlite", "derivatives by real JAX (compared with jaxlite)"],
        )  # fmt: skip
        self.x0_slider = ipywidgets.FloatSlider(
            min=low, max=high, step=(high - low) / 200, description="x0", readout_format=".2f",
            style=compact, layout={"width": "100%"},
        )  # fmt: skip
        self.order_slider = ipywidgets.IntSlider(min=1, max=model.MAX_ORDER, description="order", style=compact,
                                                 layout={"width": "100%"})  # fmt: skip
        self.image_widget = self.image()
        self.readout = ipywidgets.HTML()
        self.tangent_note = ipywidgets.HTML(note_html("dotted: the tangent at x0, whose slope is f\u2032(x0)"))
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
        name = f"f(x) = {source}" if isinstance(source, str) else backends.describe(source)
        return f"{name}   ({'JAX' if self.backend == 'jax' else 'jaxlite'})"

    def _key(self, backend):
        source = self._source()
        return (source if isinstance(source, str) else id(source), self.order, backend)

    def _derivatives_and_curves(self, backend):
        source, key = self._source(), self._key(backend)
        if key not in self._cache:
            derivs = model.derivatives(source, self.order, backend)
            self._cache[key] = (derivs, model.sample(derivs, self.x_range))
        return self._cache[key]

    def _replot(self):
        if self._key(self.backend) not in self._cache and self.backend == "jax":
            self.status.busy("loading JAX and tracing f\u2019s derivatives (the first time takes a few seconds)\u2026")
        derivs, curves = self._derivatives_and_curves(self.backend)
        point = model.readout(derivs, self.x0, self.x_range)
        self.difference = self._compare_libraries(curves)
        self.derivs, self.curves, self.point = derivs, curves, point
        self.show_figure(self.image_widget, self.view.draw_curves(curves, point, self._title()), self.figure)
        self._show_point(point)

    def _compare_libraries(self, curves):
        """With JAX chosen, the largest gap between the libraries' curves (jaxlite's come from the cache)."""
        if self.backend != "jax":
            self.comparison.value = note_html("switch to JAX to compare its derivatives with jaxlite\u2019s")
            return None
        _, ours = self._derivatives_and_curves("jaxlite")
        gap = model.largest_difference(ours, curves)
        self.comparison.value = note_html(
            f"largest |jaxlite \u2212 JAX| over the {len(curves.values)} curves: <b>{gap:.3g}</b>")
        return gap

    def _move_point(self):
        if self.curves is None:
            return self._replot()
        point = model.readout(self.derivs, self.x0, self.x_range)
        self.point = point
        self.image_widget.value = self.view.draw_point(point)
        self._show_point(point)

    def _show_point(self, point):
        self.readout.value = readout_html(point)
        bad = [model.derivative_label(k) for k, v in enumerate(point.values) if not np.isfinite(v)]
        if bad:
            self.status.error(
                f"{', '.join(bad)} is not a finite number at x0 = {point.x0:.3g} "
                "(outside the function's domain?)"
            )
        else:
            self.status.clear()


def note_html(text: str) -> str:
    """A secondary line of the widget, in the page's muted colour."""
    return f'<div class="jl-muted">{text}</div>'


def plot_func_and_deriv(f=EXAMPLE, x_range=(-3, 3), order=1, backend="jaxlite", **kwargs) -> FunctionDerivatives:
    """f (a function of x, or a formula as text) with its derivatives up to `order` and the tangent at x0."""
    return FunctionDerivatives(f, x_range=x_range, order=order, backend=backend, **kwargs)


__all__ = ["FunctionDerivatives", "plot_func_and_deriv"]
