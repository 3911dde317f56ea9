"""The benchmark panel: run the performance side-by-side from a lesson, or show a recorded run.

Model: `widgets.perf.BenchmarkResult`. View: `BenchmarkView`, three plots drawn once and updated in
place (time against size, first call against steady state, fraction of the machine's limit).
Controller: `BenchmarkPanel`, whose Run button times the chosen systems in a background thread.
"""
import pathlib
import threading
import traceback

import ipywidgets
import numpy as np

from widgets import perf
from widgets._controls import LectureWidget, button
from widgets.views.figure import new_figure, render_png, themed

RESULTS_DIR = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "results"
PANEL_SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")  # a third cue beside colour and line style


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

class BenchmarkView:
    """One figure, three axes; every system keeps its colour and line style in all three."""

    def __init__(self, theme):
        self.theme = theme
        # Fixed margins (no layout engine on every redraw), with room on the right for the legend.
        self.figure = new_figure(theme, 14, 4.4, margins=(0.055, 0.22, 0.85, 0.86), ncols=3)
        self.figure.subplots_adjust(wspace=0.32)
        self.time_axes, self.first_axes, self.roof_axes = self.figure.axes
        with themed(theme):  # texts take the theme's sizes when they are made
            self._make_artists(theme)

    def _make_artists(self, theme):
        self.lines, self.roof_lines = {}, {}
        for i, system in enumerate(perf.SYSTEMS):
            style = theme.style(i) | {"marker": MARKERS[i % len(MARKERS)], "markersize": 5 * theme.scale,
                                      "visible": False}
            (self.lines[system],) = self.time_axes.plot([], [], label=system, **style)
            (self.roof_lines[system],) = self.roof_axes.plot([], [], label=system, **style)
        self.bars = self.first_axes.bar(range(len(perf.SYSTEMS)), np.ones(len(perf.SYSTEMS)),
                                        color=[theme.color(i) for i in range(len(perf.SYSTEMS))],
                                        label="first call")
        (self.steady,) = self.first_axes.plot([], [], linestyle="none", marker="_", markersize=22 * theme.scale,
                                              markeredgewidth=3 * theme.scale, color=theme.muted,
                                              label="steady state")
        self.limit_line = self.roof_axes.axhline(1.0, color=theme.muted, linestyle=":", linewidth=theme.scale)
        for axes in (self.time_axes, self.roof_axes):
            axes.set_xscale("log")
            axes.set_yscale("log")
        self.first_axes.set_yscale("log")
        self.time_axes.set_ylabel("time per call (s)")
        self.first_axes.set_ylabel("seconds")
        self.first_axes.set_title("first call vs steady state")
        self.roof_axes.set_ylabel("fraction of the machine's limit")
        self.roof_axes.set_title("roofline")
        self.title = self.figure.suptitle("")
        self.legend = None  # one entry per system shown, beside the three plots

    def draw(self, result, workload):
        """Show `workload`'s measurements from `result`; returns PNG bytes."""
        with themed(self.theme):
            self._update(result, workload)
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
        self.time_axes.set_title(workload)
        visible = [line for line in self.lines.values() if line.get_visible()]
        if self.legend is not None:
            self.legend.remove()
        self.legend = (self.figure.legend(handles=visible, loc="upper left", bbox_to_anchor=(0.86, 0.86))
                       if visible else None)
        self.title.set_text(f"{spec.description if spec else workload}  ·  {result.label}")

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
                bar.set_x(position - bar.get_width() / 2)
                bar.set_height(m.first_call_s)
                steady_x.append(position)
                steady_y.append(m.median_s)
        self.steady.set_data(steady_x, steady_y)
        self.first_axes.set_xticks(range(len(shown)), shown, rotation=30, ha="right")
        self.first_axes.set_xlim(-0.6, max(len(shown), 1) - 0.4)
        heights = [h for h in steady_y + [b.get_height() for b in self.bars if b.get_visible()] if h > 0]
        if heights:
            self.first_axes.set_ylim(min(heights) / 3, max(heights) * 3)
        self.first_axes.set_title(f"first call vs steady state (size {size})" if size else
                                  "first call vs steady state")
        if shown and not self.first_axes.get_legend():
            self.first_axes.legend(handles=[self.bars, self.steady], loc="upper left")


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
        self._cancel = threading.Event()
        self._draw_lock = threading.Lock()
        self.view = BenchmarkView(self.theme)
        self._build_controls(workloads, systems, rounds)
        self.children = [
            ipywidgets.HBox([self.workloads_select, self.systems_select,
                             ipywidgets.VBox([self.sizes_text, self.rounds_slider,
                                              ipywidgets.HBox([self.run_button, self.cancel_button]),
                                              ipywidgets.HBox([self.progress, self.progress_label])])]),
            ipywidgets.HBox([self.recorded_dropdown, self.shown_dropdown]),
            self.source_label,
            self.image_widget,
            self.status,
        ]
        if result is not None:
            self.guard(self.show_result, result, "recorded")

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
        self.recorded_dropdown = ipywidgets.Dropdown(description="recorded", options=self._recorded_options())
        self.shown_dropdown = ipywidgets.Dropdown(description="show", options=[])
        self.source_label = ipywidgets.HTML()
        self.image_widget = self.image(b"")
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
        """Show the result saved at `path` (errors go to the status line)."""
        name = pathlib.Path(path).name
        return self.guard(lambda: self.show_result(perf.BenchmarkResult.load(path), f"recorded ({name})"))

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
        self.source_label.value = self._note(f"{source}: <b>{result.label}</b>" + self._meta_note(result.meta))
        self._redraw()
        self._report_failures(result)

    def _meta_note(self, meta):
        parts = [f"{meta.get('threads_per_system', '?')} thread(s) per system"]
        if meta.get("note"):
            parts.append(str(meta["note"]))
        if meta.get("cancelled"):
            parts.append("cancelled before the end")
        return " · " + " · ".join(parts)

    def _note(self, text):
        return f'<div style="font-size:{self.theme.font_px:.0f}px; color:{self.theme.muted};">{text}</div>'

    def _redraw(self):
        if self.result is None:
            return
        workload = self.shown_dropdown.value or (self.result.workloads() or [None])[0]
        if workload is None:
            return
        with self._draw_lock:
            self.image_widget.value = self.view.draw(self.result, workload)
        self.image_widget.layout.display = None

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
        if change["new"]:
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
        except Exception as error:  # shown in the panel: the kernel never sees it
            self.status.error(error)
            self.last_traceback = traceback.format_exc()
        finally:
            self._set_running(False)

    def _on_progress(self, done, total, text):
        self.progress.max = max(total, 1)
        self.progress.value = done
        self.progress_label.value = self._note(f"{done}/{total} {text}")

    def _on_partial(self, result):
        self.show_result(result, "measuring here")

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
