"""View of f and its derivatives: one axes, a line per derivative, the tangent at x0 and its point.

Every artist is created once; moving x0 only moves the tangent and the point over a saved background."""
import numpy as np

from widgets.models.derivatives import MAX_ORDER, Curves, PointReadout, derivative_label, y_limits
from widgets.themes import Theme
from widgets.views.figure import BlitRenderer, new_figure, themed


class DerivativePlot:
    def __init__(self, theme: Theme, x_range, title: str = ""):
        self.theme = theme
        self.figure = new_figure(theme, 6.4, 4.0, margins=(0.09, 0.12, 0.98, 0.91))
        self.axes = self.figure.axes[0]
        self.axes.set_xlim(*x_range)
        self.axes.set_xlabel("x")
        self.axes.axhline(0.0, color=theme.muted, linewidth=0.8 * theme.scale)
        self.curve_lines = [
            self.axes.plot([], [], label=derivative_label(k), **theme.style(k))[0] for k in range(MAX_ORDER + 1)
        ]
        self.tangent = self.axes.plot([], [], label="tangent at x0", **theme.style(6))[0]
        self.tangent.set_linewidth(1.5 * theme.scale)
        self.point = self.axes.plot(
            [], [], marker="o", markersize=8 * theme.scale, linestyle="none", color=theme.color(6), label="_point"
        )[0]
        self.title = self.axes.set_title(title)
        self.renderer = BlitRenderer(self.figure, [self.tangent, self.point])

    @property
    def lines(self) -> dict:
        """The artists by name, for tests and for anyone who wants to read the plotted data."""
        named = {derivative_label(k): line for k, line in enumerate(self.curve_lines)}
        return {**named, "tangent": self.tangent, "point": self.point}

    def draw_curves(self, curves: Curves, point: PointReadout, title: str) -> bytes:
        for k, line in enumerate(self.curve_lines):
            if k <= curves.order:
                line.set_data(curves.xs, curves.values[k])
            line.set_visible(k <= curves.order)
        self.axes.set_ylim(*y_limits(curves))
        self.title.set_text(title)
        with themed(self.theme):
            visible = [line for line in self.curve_lines if line.get_visible()] + [self.tangent]
            self.axes.legend(handles=visible, loc="upper left", ncols=min(3, len(visible)))
        self._place(point)
        return self.renderer.full()

    def draw_point(self, point: PointReadout) -> bytes:
        self._place(point)
        return self.renderer.moved()

    def _place(self, point: PointReadout):
        self.tangent.set_data(point.tangent_xs, point.tangent_ys)
        self.point.set_data([point.x0], [point.values[0]])


def readout_html(point: PointReadout, theme: Theme) -> str:
    """f(x0) = ..., f'(x0) = ..., each in its curve's colour, at the theme's font size."""
    parts = []
    for k, value in enumerate(point.values):
        text = "NaN" if np.isnan(value) else f"{value:.4g}"
        parts.append(
            f'<span style="color:{theme.color(k)}; white-space:nowrap;">'
            f"{derivative_label(k)}({point.x0:.3g}) = <b>{text}</b></span>"
        )
    style = f"font-size:{theme.font_px:.0f}px; font-family:monospace;"
    return f'<div class="jaxlite-readout" style="{style}">{" &nbsp; ".join(parts)}</div>'
