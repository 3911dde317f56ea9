"""The benchmark panel: run the performance side-by-side from a lesson, or show a recorded run.

Model: `widgets.perf.BenchmarkResult`. View: `BenchmarkView`, three plots drawn once and updated in
place (time against size, first call against steady state, fraction of the machine's limit).
Controller: `BenchmarkPanel`, whose Run button times the chosen systems in a background thread.
"""
import html
import pathlib
import threading
import traceback

import ipywidgets
import numpy as np

from widgets import perf
from widgets._controls import SLACK_PX, LectureWidget, button
from widgets.views.figure import new_figure, render_png, themed

RESULTS_DIR = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "results"
PANEL_SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")  # a third cue beside colour and line style
LEGEND_CHARACTERS = max(len(s) for s in perf.SYSTEMS)  # the legend beside the top plot fits the longest name
NAME_CHARACTERS = LEGEND_CHARACTERS  # the bars' names, left of the first-call plot
SEPARATOR = " \u00b7 "


def recorded_results(directory=RESULTS_DIR):
    """The benchmark results (JSON files with measurements) saved in `directory`, by name."""
    found = []
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        try:
            result = perf.BenchmarkResult.load(path)
        except (OSError, ValueError, KeyError, TypeError):
            continue  # another kind of JSON (the speed targets, say)
        found.append((path, result))
    return found


def parse_sizes(text):
    """'10, 1000' -> (10, 1000); blank -> None (each workload's own quick sizes)."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts:
        return None
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(f"sizes must be whole numbers separated by commas, got {text!r}") from None
    if any(n < 1 for n in sizes):
        raise ValueError("sizes must be positive")
    return sizes


# ----------------------------------------------------------------------------------------------
# View

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


# ----------------------------------------------------------------------------------------------
# Controller

class BenchmarkPanel(LectureWidget):
    """Pick workloads, sizes and systems, then Run (in the background, cancellable), or choose a
    recorded result; `.result` is the result shown, `.figure` its figure, `.lines` its time curves."""

    def __init__(self, result=None, workloads=("elementwise",), systems=PANEL_SYSTEMS, rounds=5,
                 results_dir=RESULTS_DIR, theme=None):
        super().__init__(theme=theme)
        self.results_dir = pathlib.Path(results_dir)
        self.result = None
        self.thread = None
        self._quiet = False
        self._shown_file = None
        self._cancel = threading.Event()
        self._draw_lock = threading.Lock()
        self.view = self._new_view()
        self._build_controls(workloads, systems, rounds)
        buttons = ipywidgets.HBox([self.run_button, self.cancel_button])
        progress = ipywidgets.HBox([self.progress, self.progress_label])
        run_controls = ipywidgets.HBox([self.workloads_select, self.systems_select,
                                        ipywidgets.VBox([self.sizes_text, self.rounds_slider, buttons, progress])])
        run_controls.layout.flex_flow = "row wrap"
        # Open until there is something to show; a result takes the room, and the run's controls fold away.
        self.measure = ipywidgets.Accordion(children=[run_controls], titles=("measure on this machine",),
                                            selected_index=0)  # fmt: skip
        self.shown_row = ipywidgets.HBox([self.shown_dropdown, self.plot_buttons])
        self.shown_row.layout.display = "none"  # until there is a result to show
        source = ipywidgets.HBox([self.recorded_dropdown, self.source_label])
        for row in (self.shown_row, source):
            row.layout.flex_flow = "row wrap"
            row.layout.align_items = "center"
        self.set_body(self.shown_row, source, self.image_widget, self.measure)
        if result is not None:
            self.guard(self.show_result, result, "recorded")

    def _new_view(self):
        # Two rows of menus, the folded run controls, the status line.
        controls = round(3 * 36 * self.theme.scale + 1.6 * self.theme.font_px + 10 * self.theme.scale)
        return BenchmarkView(self.theme, self.theme.width_px - SLACK_PX, self.theme.height_px - controls)

    def redraw_for_theme(self):
        with self._draw_lock:
            self.view = self._new_view()
        self._redraw()

    @property
    def figure(self):
        return self.view.figure

    @property
    def lines(self):
        return self.view.lines

    @classmethod
    def load(cls, path, **kwargs):
        """A panel showing the result saved at `path`."""
        panel = cls(**kwargs)
        panel.show_file(path)
        return panel

    def _build_controls(self, workloads, systems, rounds):
        self.workloads_select = ipywidgets.SelectMultiple(
            options=list(perf.WORKLOADS), value=tuple(workloads), rows=5, description="workloads")
        self.systems_select = ipywidgets.SelectMultiple(
            options=list(perf.SYSTEMS), value=tuple(systems), rows=5, description="systems")
        self.sizes_text = ipywidgets.Text(description="sizes", placeholder="e.g. 10, 1000 (blank: quick sizes)")
        self.rounds_slider = ipywidgets.IntSlider(min=2, max=15, value=rounds, description="rounds")
        self.run_button = button("Run", "time the chosen systems on the chosen workloads", "play")
        self.cancel_button = button("Cancel", "stop the run; keep what was measured", "stop")
        self.cancel_button.disabled = True
        self.progress = ipywidgets.IntProgress(min=0, max=1, value=0, description="progress")
        self.progress_label = ipywidgets.HTML()
        compact = {"description_width": "initial"}
        self.recorded_dropdown = ipywidgets.Dropdown(description="recorded", options=self._recorded_options(),
                                                     style=compact)
        self.recorded_dropdown.layout.width = f"{round(22 * self.theme.font_px)}px"
        self.shown_dropdown = ipywidgets.Dropdown(description="show", options=[], style=compact)
        self.plot_buttons = ipywidgets.ToggleButtons(
            options=list(PLOTS), style={"button_width": "auto"},
            tooltips=["median time per call against size", "the first call (tracing, compiling) and the steady state",
                      "how close each system gets to the machine's limit"],
        )  # fmt: skip
        self.plot_buttons.observe(lambda change: self.guard(self._redraw), names="value")
        self.source_label = ipywidgets.HTML()
        self.image_widget = self.image()
        self.image_widget.layout.display = "none"  # until there is a result to draw
        self.run_button.on_click(lambda _: self.guard(self.run))
        self.cancel_button.on_click(lambda _: self.cancel())
        self.recorded_dropdown.observe(self._on_recorded, names="value")
        self.shown_dropdown.observe(lambda change: self._quiet or self.guard(self._redraw), names="value")

    def _recorded_options(self):
        options = [("(choose a recorded result)", None)]
        for path, result in recorded_results(self.results_dir):
            options.append((f"{path.stem}: {result.label}", str(path)))
        return options

    # -- showing a result ---------------------------------------------------------------------

    def show_file(self, path):
        """Show the result saved at `path` (errors go to the status line); the menu names it if it lists it."""
        name = pathlib.Path(path).name
        shown = self.guard(lambda: self.show_result(perf.BenchmarkResult.load(path), f"recorded ({name})"))
        if shown:
            self._select_recorded(str(path))
        return shown

    def _select_recorded(self, path):
        """Name in the menu the file shown (none for a result measured here), without loading it again."""
        listed = path in [value for _, value in self.recorded_dropdown.options]
        self._shown_file = path if listed else None
        self.recorded_dropdown.value = self._shown_file

    def show_result(self, result, source="measured here"):
        self.result = result
        workloads = result.workloads()
        if list(self.shown_dropdown.options) != workloads:
            self._quiet = True  # one drawing below, not one per change of the menu
            try:
                self.shown_dropdown.options = workloads
                if workloads and self.shown_dropdown.value not in workloads:
                    self.shown_dropdown.value = workloads[0]
            finally:
                self._quiet = False
        self.source_label.value = source_html(source, result)
        self._redraw()
        self._report_failures(result)
        if not self.running:
            self.measure.selected_index = None  # the result takes the room; the run's controls fold away

    def _redraw(self):
        if self.result is None:
            return
        workload = self.shown_dropdown.value or (self.result.workloads() or [None])[0]
        if workload is None:
            return
        with self._draw_lock:
            self.show_figure(self.image_widget, self.view.draw(self.result, workload, self.plot_buttons.value),
                             self.figure)  # fmt: skip
        self.image_widget.layout.display = self.shown_row.layout.display = None

    def _report_failures(self, result):
        failures = result.failures()
        if failures:
            m = failures[0]
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            self.status.error(f"{m.system} on {m.workload} n={m.size}: {m.error}{more}")
        elif result.meta.get("cancelled"):
            self.status.show(f"cancelled: showing the {len(result.measurements)} measurements made", "info")
        else:
            self.status.clear()

    def _on_recorded(self, change):
        if change["new"] and change["new"] != self._shown_file:
            if not self.running:  # what a finished run said is about that run, not this file
                self.progress.value, self.progress_label.value = 0, ""
            self.show_file(change["new"])

    # -- running ------------------------------------------------------------------------------

    @property
    def running(self):
        return self.thread is not None and self.thread.is_alive()

    def run(self):
        """Start timing the chosen workloads in a background thread; returns the thread."""
        if self.running:
            raise RuntimeError("a benchmark is already running: cancel it first")
        workloads, systems = tuple(self.workloads_select.value), tuple(self.systems_select.value)
        if not workloads or not systems:
            raise ValueError("choose at least one workload and one system")
        options = dict(workloads=workloads, sizes=parse_sizes(self.sizes_text.value), systems=systems,
                       rounds=self.rounds_slider.value)
        self._cancel.clear()
        self.status.show("running…", "info")
        self.progress.value, self.progress.max = 0, 1
        self._set_running(True)
        self.thread = threading.Thread(target=self._run, kwargs=options, daemon=True,
                                       name="benchmark panel")
        self.thread.start()
        return self.thread

    def _run(self, **options):
        # Not `guard`: it swaps the process-wide warning filters, which the kernel's main thread
        # goes on using while this thread runs.
        try:
            result = perf.run_benchmark(**options, progress=self._on_progress,
                                        cancelled=self._cancel.is_set, partial=self._on_partial)
            self.show_result(result)
            self._select_recorded(None)
            self.measure.selected_index = None
        except Exception as error:  # shown in the panel: the kernel never sees it
            self.status.error(error)
            self.last_traceback = traceback.format_exc()
        finally:
            self._set_running(False)

    def _on_progress(self, done, total, text):
        self.progress.max = max(total, 1)
        self.progress.value = done
        self.progress_label.value = f'<span class="jl-muted">{done}/{total} {html.escape(text)}</span>'

    def _on_partial(self, result):
        self.show_result(result, "measuring here")
        self._select_recorded(None)

    def _set_running(self, running):
        self.run_button.disabled = running
        self.cancel_button.disabled = not running

    def cancel(self):
        """Ask the run to stop; it ends within a fraction of a second and keeps what it measured."""
        self._cancel.set()

    def wait(self, timeout=None):
        """Block until the background run (if any) has finished; True if it has."""
        if self.thread is not None:
            self.thread.join(timeout)
        return not self.running


def benchmark_panel(path=None, **kwargs) -> BenchmarkPanel:
    """The benchmark panel, showing the recorded result at `path` if one is given."""
    return BenchmarkPanel.load(path, **kwargs) if path is not None else BenchmarkPanel(**kwargs)


__all__ = ["BenchmarkPanel", "BenchmarkView", "benchmark_panel", "recorded_results"]
