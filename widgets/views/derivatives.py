"""View of f and its derivatives: one axes per order, stacked and sharing x (small multiples), so that each curve
has its own y range and none is flattened by a steeper one; the tangent at x0 on f's axes, and in every axes a
point at x0 on a vertical line, so the eye can go down from f's slope to the value f' reports.

Every artist is created once per order; moving x0 only moves the tangent, the points and the line over a saved
background."""
import html

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from widgets.models.derivatives import Curves, PointReadout, derivative_label, y_limits
from widgets.themes import Theme
from widgets.views.figure import BlitRenderer, new_figure, place, themed

F_WEIGHT = 1.6  # f's axes are this much taller than a derivative's


def number_text(value: float) -> str:
    """A tick or readout number as printed: up to four significant digits, a true minus sign."""
    return "NaN" if np.isnan(value) else f"{value:.4g}".replace("-", "\u2212")


class DerivativePlot:
    def __init__(self, theme: Theme, x_range, width_px: int, height_px: int):
        self.theme = theme
        self.x_range = x_range
        font = theme.font_px
        self.margins = (6.2 * font, 3.2 * font, 0.8 * font, 2.2 * font)
        self.figure = new_figure(theme, width_px, height_px, margins=self.margins, nrows=0)
        self.order = None
        self.axes = []
        self.curve_lines, self.points, self.markers = [], [], []
        self.tangent = self.title = self.renderer = None

    def _build(self, order: int):
        """Axes and artists for f and its derivatives up to `order` (made again only when the order changes)."""
        theme, figure = self.theme, self.figure
        figure.clear()
        with themed(theme):
            self.axes = list(np.atleast_1d(figure.subplots(
                order + 1, 1, sharex=True, gridspec_kw={"height_ratios": [F_WEIGHT] + [1] * order})))  # fmt: skip
            place(figure, self.margins, hspace_px=0.9 * theme.font_px)
            self.curve_lines, self.points, self.markers = [], [], []
            for k, ax in enumerate(self.axes):
                ink = theme.color(k)
                ax.axhline(0.0, color=theme.grid, linewidth=theme.px, zorder=0)
                (line,) = ax.plot([], [], label=derivative_label(k), **theme.style(k))
                self.curve_lines.append(line)
                self.markers.append(ax.axvline(0.0, color=theme.muted, linewidth=theme.px))
                (point,) = ax.plot([], [], marker="o", markersize=7 * theme.px, linestyle="none", color=ink,
                                   markeredgecolor=theme.foreground, markeredgewidth=theme.px)  # fmt: skip
                self.points.append(point)
                ax.set_ylabel(derivative_label(k), rotation=0, ha="right", va="center", color=ink,
                              fontweight="bold")  # fmt: skip
                ax.yaxis.set_major_locator(MaxNLocator(nbins=4 if k == 0 else 3, min_n_ticks=2))
                ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3g}".replace("-", "\u2212")))
                ax.tick_params(labelbottom=ax is self.axes[-1])
            self.axes[0].set_xlim(*self.x_range)
            self.axes[-1].set_xlabel("x")
            (self.tangent,) = self.axes[0].plot([], [], label="tangent at x0", **theme.style(6))
            self.tangent.set_linewidth(2.5 * theme.px)
            self.title = self.axes[0].set_title("", loc="left")
        self.order = order
        self.renderer = BlitRenderer(figure, [self.tangent, *self.points, *self.markers])

    @property
    def lines(self) -> dict:
        """The artists by name, for tests and for anyone who wants to read the plotted data."""
        named = {derivative_label(k): line for k, line in enumerate(self.curve_lines)}
        return {**named, "tangent": self.tangent, "point": self.points[0] if self.points else None}

    def draw_curves(self, curves: Curves, point: PointReadout, title: str) -> bytes:
        if curves.order != self.order:
            self._build(curves.order)
        for k, (ax, line) in enumerate(zip(self.axes, self.curve_lines)):
            line.set_data(curves.xs, curves.values[k])
            ax.set_ylim(*y_limits(curves.values[k]))
        self.title.set_text(title)
        self._place(point)
        return self.renderer.full()

    def draw_point(self, point: PointReadout) -> bytes:
        self._place(point)
        return self.renderer.moved()

    def _place(self, point: PointReadout):
        self.tangent.set_data(point.tangent_xs, point.tangent_ys)
        for k, (marker, dot) in enumerate(zip(self.markers, self.points)):
            marker.set_xdata([point.x0, point.x0])
            dot.set_data([point.x0], [point.values[k]])


def readout_html(point: PointReadout) -> str:
    """f(x0) = ..., f'(x0) = ..., one per line, each in its curve's ink (a CSS class: the page sets the colour)."""
    items = "".join(
        f'<li class="jl-ink-{k}">{derivative_label(k)}({html.escape(number_text(point.x0))}) = '
        f"<b>{html.escape(number_text(value))}</b></li>"
        for k, value in enumerate(point.values)
    )
    return f'<ul class="jaxlite-readout jl-values jl-mono">{items}</ul>'
