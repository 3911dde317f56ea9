"""View of the benchmark panel: a `widgets.perf.BenchmarkResult` in one of three plots of one figure (time per
call, first call against steady state, fraction of the machine's limit), its artists made once, updated in place."""
import html

import numpy as np

from widgets import perf
from widgets.views.figure import new_figure, render_png, themed

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")  # a third cue beside colour and line style
LEGEND_CHARACTERS = max(len(s) for s in perf.SYSTEMS)  # the legend beside the top plot fits the longest name
NAME_CHARACTERS = LEGEND_CHARACTERS  # the bars' names, left of the first-call plot
SEPARATOR = " \u00b7 "
PLOTS = ("time per call", "first call", "roofline")


class BenchmarkView:
    """One figure drawn at the width of the cell, showing one of three plots large enough for a projector:
    time per call against size, the first call against the steady state (a bar per system, its name beside it),
    or the fraction of the machine's limit. Every system keeps its colour, line style and marker in all three."""

    def __init__(self, theme, width_px, height_px, plot=PLOTS[0]):
        self.theme = theme
        self.width_px, self.height_px = width_px, height_px
        self.plot = plot
        self.figure = new_figure(theme, width_px, height_px, margins=(0, 0, 0, 0), nrows=0)
        with themed(theme):  # texts take the theme's sizes when they are made
            self.time_axes = self.figure.add_axes(self._box("time"))
            self.first_axes = self.figure.add_axes(self._box("first"))
            self.roof_axes = self.figure.add_axes(self._box("roof"))
            self._make_artists(theme)

    def _box(self, which):
        """Where an axes goes, as a figure fraction, from margins in CSS pixels sized for the texts."""
        font, width, height = self.theme.font_px, self.width_px, self.height_px
        legend = LEGEND_CHARACTERS * 0.62 * font + 3.5 * font
        bottom, top = 3.6 * font, height - 3.8 * font
        if which == "first":
            left, right = NAME_CHARACTERS * 0.62 * font + 1.0 * font, width - 1.5 * font
        else:
            left, right = 5.5 * font, width - legend
        return [left / width, bottom / height, max(right - left, 1) / width, max(top - bottom, 1) / height]

    def _make_artists(self, theme):
        self.lines, self.roof_lines = {}, {}
        for i, system in enumerate(perf.SYSTEMS):
            style = theme.style(i) | {"marker": MARKERS[i % len(MARKERS)], "markersize": 6 * theme.px,
                                      "visible": False}
            (self.lines[system],) = self.time_axes.plot([], [], label=system, **style)
            (self.roof_lines[system],) = self.roof_axes.plot([], [], label=system, **style)
        count = len(perf.SYSTEMS)
        self.bars = self.first_axes.barh(range(count), np.ones(count), height=0.7, label="first call",
                                         color=[theme.fill(i) for i in range(count)], edgecolor=theme.foreground,
                                         linewidth=theme.px)  # fmt: skip
        # A hollow diamond shows on every bar's colour, the dark one of NumPy's included.
        (self.steady,) = self.first_axes.plot([], [], linestyle="none", marker="D", markersize=9 * theme.px,
                                              markeredgewidth=2 * theme.px, markerfacecolor=theme.background,
                                              markeredgecolor=theme.foreground, label="steady state")  # fmt: skip
        self.limit_line = self.roof_axes.axhline(1.0, color=theme.muted, linestyle=":", linewidth=theme.px)
        for axes in (self.time_axes, self.roof_axes):
            axes.set_xscale("log")
            axes.set_yscale("log")
        self.first_axes.set_xscale("log")
        self.first_axes.invert_yaxis()  # the first system on top, as in the legend
        self.time_axes.set_ylabel("seconds per call")
        self.first_axes.set_xlabel("seconds")
        self.roof_axes.set_ylabel("fraction of the limit")
        self.title = self.figure.suptitle("", x=5.5 * theme.font_px / self.width_px, ha="left")
        self.legend = None  # one entry per system shown, beside the top plot

    @property
    def shown_axes(self):
        return dict(zip(PLOTS, (self.time_axes, self.first_axes, self.roof_axes)))[self.plot]

    def draw(self, result, workload, plot=None):
        """Show `workload`'s measurements from `result` in one plot (the last one chosen); returns PNG bytes."""
        if plot is not None:
            if plot not in PLOTS:
                raise ValueError(f"unknown plot {plot!r}: choose one of {', '.join(PLOTS)}")
            self.plot = plot
        with themed(self.theme):
            self._update(result, workload)
        for axes in (self.time_axes, self.first_axes, self.roof_axes):
            axes.set_visible(axes is self.shown_axes)
        if self.legend is not None:
            self.legend.set_visible(self.plot != "first call")
        return render_png(self.figure)

    def _update(self, result, workload):
        spec = perf.WORKLOADS.get(workload)
        systems = result.systems(workload)
        for system, line in self.lines.items():
            sizes, times = result.series(workload, system, "median_s")
            line.set_data(sizes, times)
            line.set_visible(system in systems and bool(sizes))
            sizes, fractions = result.series(workload, system, "roofline_fraction")
            self.roof_lines[system].set_data(sizes, fractions)
            self.roof_lines[system].set_visible(line.get_visible())
        self._draw_first_calls(result, workload, systems)
        label = spec.size_label if spec else "size"
        for axes, lines in ((self.time_axes, self.lines), (self.roof_axes, self.roof_lines)):
            axes.set_xlabel(label)
            _fit_log_limits(axes, [line for line in lines.values() if line.get_visible()])
        self.time_axes.set_title(f"time per call (median){': ' + spec.description if spec else ''}", loc="left")
        self.roof_axes.set_title("fraction of the machine\u2019s limit: 1 is as fast as the machine allows", loc="left")
        visible = [line for line in self.lines.values() if line.get_visible()]
        if self.legend is not None:
            self.legend.remove()
        top = self._box("time")
        self.legend = (self.figure.legend(handles=visible, loc="upper left", frameon=False,
                                          bbox_to_anchor=(top[0] + top[2] + 0.01, top[1] + top[3]))
                       if visible else None)  # fmt: skip
        self.title.set_text(f"{workload} \u00b7 {result.label.replace('(R)', '').replace('(TM)', '')}")

    def _draw_first_calls(self, result, workload, systems):
        sizes = result.sizes(workload)
        size = sizes[-1] if sizes else None
        shown = [s for s in systems if (m := result.find(workload, size, s)) is not None and m.ok]
        steady_x, steady_y = [], []
        for system, bar in zip(perf.SYSTEMS, self.bars):
            bar.set_visible(system in shown)
            if system in shown:
                m = result.find(workload, size, system)
                position = shown.index(system)
                bar.set_y(position - bar.get_height() / 2)
                bar.set_width(m.first_call_s)
                steady_x.append(m.median_s)
                steady_y.append(position)
        self.steady.set_data(steady_x, steady_y)
        self.first_axes.set_yticks(range(len(shown)), shown)
        self.first_axes.set_ylim(max(len(shown), 1) - 0.4, -0.6)
        widths = [w for w in steady_x + [b.get_width() for b in self.bars if b.get_visible()] if w > 0]
        if widths:
            self.first_axes.set_xlim(min(widths) / 3, max(widths) * 3)
        self.first_axes.set_title(f"first call (bar) against steady state (\u25c7), at size {size}" if size else
                                  "first call against steady state", loc="left")  # fmt: skip


def source_html(source, result) -> str:
    """Where a result comes from, on one line, with the run's own note folded under it (the machine and the date
    are in the figure's title)."""
    meta = result.meta
    parts = [f"<b>{html.escape(source)}</b>", f"{meta.get('threads_per_system', '?')} thread(s) per system"]
    if meta.get("cancelled"):
        parts.append("cancelled before the end")
    note = ""
    if meta.get("note"):
        note = f"<details><summary>about this run</summary>{html.escape(str(meta['note']))}</details>"
    return f'<div class="jl-muted">{SEPARATOR.join(parts)}{note}</div>'


def _fit_log_limits(axes, lines):
    """Limits around the lines' finite positive points (log axes cannot autoscale over none)."""
    xs = np.concatenate([np.asarray(line.get_xdata(), float) for line in lines] or [np.ones(0)])
    ys = np.concatenate([np.asarray(line.get_ydata(), float) for line in lines] or [np.ones(0)])
    good = np.isfinite(xs) & np.isfinite(ys) & (xs > 0) & (ys > 0)
    if not good.any():
        axes.set_xlim(1, 10)
        axes.set_ylim(1e-3, 1)
        return
    axes.set_xlim(xs[good].min() / 2, xs[good].max() * 2)
    axes.set_ylim(ys[good].min() / 3, ys[good].max() * 3)
