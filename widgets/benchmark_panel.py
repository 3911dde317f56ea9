"""Controller of the benchmark panel: run the performance side-by-side from a lesson, or show a recorded run.

Model: `widgets.perf.BenchmarkResult`. View: `widgets.views.benchmark_panel.BenchmarkView`, three plots drawn
once and updated in place. Controller: `BenchmarkPanel`, whose Run button times the chosen systems in a
background thread.
"""
import html
import pathlib
import threading
import traceback

import ipywidgets

from widgets import perf
from widgets._controls import SLACK_PX, LectureWidget, button
from widgets.views.benchmark_panel import PLOTS, BenchmarkView, source_html

RESULTS_DIR = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "results"
PANEL_SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit")


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
