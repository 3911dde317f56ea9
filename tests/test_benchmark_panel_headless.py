"""The benchmark panel without a browser: set its controls, run a tiny benchmark in its background
thread, and read the drawn lines; load recorded results; every error lands in its status line."""

import json
import math

import numpy as np
import pytest

from widgets.benchmark_panel import BenchmarkPanel, parse_sizes, recorded_results
from widgets.perf import BenchmarkResult, Measurement
from widgets.themes import LIGHT_INKS, Theme


def _recorded():
    def m(system, size, median, first):
        return Measurement("matmul", size, system, median_s=median, q1_s=median, q3_s=median,
                           first_call_s=first, correct=True, roofline_fraction=median / 10)

    measurements = [m("numpy", 16, 1e-5, 1e-4), m("numpy", 256, 1e-3, 2e-3),
                    m("jax.jit[gpu]", 16, 3e-5, 0.4), m("jax.jit[gpu]", 256, 4e-5, 0.5),
                    Measurement("elementwise", 10, "numpy", median_s=2e-6, first_call_s=1e-5, correct=True)]
    meta = {"date": "2026-03-04T05:06:07+00:00", "device": "Test CPU, 16 cores + NVIDIA H200",
            "threads_per_system": 1, "limits": {"gpu_name": "NVIDIA H200"}}
    return BenchmarkResult(meta, measurements)


@pytest.fixture
def results_dir(tmp_path):
    _recorded().save(tmp_path / "gpu-test.json")
    (tmp_path / "targets.json").write_text(json.dumps({"meta": {}, "targets": []}))
    return tmp_path


@pytest.fixture(scope="module")
def finished_run():
    panel = BenchmarkPanel(results_dir=".")
    panel.workloads_select.value = ("elementwise",)
    panel.sizes_text.value = "10"
    panel.systems_select.value = ("numpy", "jaxlite")
    panel.rounds_slider.value = 2
    panel.run_button.click()
    assert panel.wait(timeout=240), "the benchmark did not finish"
    return panel


def test_a_tiny_run_plots_one_point_per_system(finished_run):
    panel = finished_run
    assert panel.status_text == "", getattr(panel, "last_traceback", "")
    for system in ("numpy", "jaxlite"):
        line = panel.lines[system]
        m = panel.result.find("elementwise", 10, system)
        assert line.get_visible()
        assert list(line.get_xdata()) == [10]
        assert line.get_ydata()[0] == m.median_s > 0
        assert m.correct
    assert not panel.lines["jax"].get_visible()


def test_a_tiny_run_fills_the_progress_bar(finished_run):
    assert finished_run.progress.max == 2
    assert finished_run.progress.value == 2
    assert "2/2" in finished_run.progress_label.value


def test_after_a_run_the_buttons_are_reset_and_the_figure_is_a_png(finished_run):
    assert not finished_run.run_button.disabled and finished_run.cancel_button.disabled
    assert bytes(finished_run.image_widget.value[:8]) == b"\x89PNG\r\n\x1a\n"
    assert "measured here" in finished_run.source_label.value


def test_first_call_bars_show_the_measured_first_calls(finished_run):
    view = finished_run.view
    shown = [bar for bar in view.bars if bar.get_visible()]
    assert [bar.get_width() for bar in shown] == [
        finished_run.result.find("elementwise", 10, s).first_call_s for s in ("numpy", "jaxlite")]
    assert list(view.steady.get_ydata()) == [0, 1]
    assert list(view.steady.get_xdata()) == [
        finished_run.result.find("elementwise", 10, s).median_s for s in ("numpy", "jaxlite")]


def test_cancel_stops_the_run_and_keeps_the_panel_usable():
    panel = BenchmarkPanel(results_dir=".")
    panel.sizes_text.value = "10, 100, 1000"
    panel.run_button.click()
    assert panel.running and not panel.cancel_button.disabled
    panel.cancel_button.click()
    assert panel.wait(timeout=60)
    assert panel.result.meta["cancelled"] is True
    assert len(panel.result.measurements) < 9
    assert panel.status_text.startswith("cancelled")
    assert not panel.run_button.disabled


def test_loading_a_recorded_result_draws_it(results_dir):
    panel = BenchmarkPanel.load(results_dir / "gpu-test.json")
    panel.shown_dropdown.value = "matmul"
    assert panel.status_text == ""
    assert list(panel.lines["jax.jit[gpu]"].get_xdata()) == [16, 256]
    assert list(panel.lines["jax.jit[gpu]"].get_ydata()) == [3e-5, 4e-5]
    assert list(panel.view.roof_lines["numpy"].get_ydata()) == pytest.approx([1e-6, 1e-4])
    assert "recorded (gpu-test.json)" in panel.source_label.value
    assert panel.view.title.get_text() == "matmul \u00b7 Test CPU, 16 cores + NVIDIA H200 \u00b7 2026-03-04"


def test_the_dropdown_lists_recorded_results_only(results_dir):
    assert [path.name for path, _ in recorded_results(results_dir)] == ["gpu-test.json"]
    panel = BenchmarkPanel(results_dir=results_dir)
    labels = [label for label, _ in panel.recorded_dropdown.options]
    assert len(labels) == 2 and labels[1].startswith("gpu-test: Test CPU")
    panel.recorded_dropdown.value = str(results_dir / "gpu-test.json")
    assert panel.shown_dropdown.value == "elementwise"
    assert list(panel.lines["numpy"].get_xdata()) == [10]


def test_show_switches_the_plotted_workload(results_dir):
    panel = BenchmarkPanel.load(results_dir / "gpu-test.json")
    assert list(panel.shown_dropdown.options) == ["elementwise", "matmul"]
    panel.shown_dropdown.value = "matmul"
    assert list(panel.lines["numpy"].get_ydata()) == [1e-5, 1e-3]
    panel.shown_dropdown.value = "elementwise"
    assert list(panel.lines["numpy"].get_xdata()) == [10]
    assert not panel.lines["jax.jit[gpu]"].get_visible()


def test_systems_keep_okabe_ito_colours_with_their_own_line_styles_and_markers():
    panel = BenchmarkPanel(results_dir=".", theme=Theme())
    lines = list(panel.lines.values())
    assert [line.get_color() for line in lines[:8]] == list(LIGHT_INKS)
    assert len({(line.get_color(), str(line.get_linestyle())) for line in lines[:8]}) == 8
    assert len({line.get_marker() for line in lines}) == len(lines)
    assert [line.get_color() for line in lines] == [line.get_color() for line in panel.view.roof_lines.values()]


def test_a_missing_file_is_reported_in_the_status_line(tmp_path):
    panel = BenchmarkPanel.load(tmp_path / "nowhere.json", results_dir=tmp_path)
    assert panel.status.kind == "error"
    assert "FileNotFoundError" in panel.status_text


def test_bad_sizes_are_reported_not_raised():
    panel = BenchmarkPanel(results_dir=".")
    panel.sizes_text.value = "ten"
    panel.run_button.click()
    assert panel.thread is None
    assert "sizes must be whole numbers" in panel.status_text


def test_failed_measurements_are_named_in_the_status_line(results_dir):
    result = _recorded()
    result.measurements.append(Measurement("matmul", 16, "jaxlite.jit", error="TypeError: boom"))
    panel = BenchmarkPanel(result, results_dir=results_dir)
    assert panel.status.kind == "error"
    assert panel.status_text == "jaxlite.jit on matmul n=16: TypeError: boom"
    assert not panel.lines["jaxlite.jit"].get_visible()


def test_parse_sizes():
    assert parse_sizes(" 10, 1000 ") == (10, 1000)
    assert parse_sizes("") is None
    with pytest.raises(ValueError):
        parse_sizes("0")


def test_the_recorded_results_in_the_repository_load_and_are_correct():
    found = recorded_results()
    assert {path.name for path, _ in found} >= {"cpu-quick.json", "gpu-h200.json"}
    for path, result in found:
        assert result.measurements and not result.failures(), path.name
        assert all(math.isfinite(m.median_s) and np.isfinite(m.first_call_s) for m in result.measurements)


def test_switching_to_a_recorded_run_clears_the_finished_runs_progress(finished_run, results_dir):
    panel = finished_run
    panel.results_dir = results_dir
    panel.recorded_dropdown.options = panel._recorded_options()
    panel.recorded_dropdown.value = str(results_dir / "gpu-test.json")
    assert panel.progress_label.value == "" and panel.progress.value == 0
    assert "recorded (gpu-test.json)" in panel.source_label.value


def test_one_plot_is_shown_at_a_time(results_dir):
    panel = BenchmarkPanel.load(results_dir / "gpu-test.json")
    shown = {}
    for plot in ("time per call", "first call", "roofline"):
        panel.plot_buttons.value = plot
        axes = (panel.view.time_axes, panel.view.first_axes, panel.view.roof_axes)
        shown[plot] = [a.get_visible() for a in axes] + [panel.view.legend.get_visible()]
    assert shown == {"time per call": [True, False, False, True], "first call": [False, True, False, False],
                     "roofline": [False, False, True, True]}  # fmt: skip (the bars carry their names)


def test_a_result_folds_the_run_controls_and_an_empty_panel_opens_them(results_dir):
    assert BenchmarkPanel.load(results_dir / "gpu-test.json").measure.selected_index is None
    assert BenchmarkPanel(results_dir=results_dir).measure.selected_index == 0


def test_the_loaded_file_is_named_in_the_recorded_menu(results_dir):
    panel = BenchmarkPanel.load(results_dir / "gpu-test.json", results_dir=results_dir)
    assert panel.recorded_dropdown.value == str(results_dir / "gpu-test.json")


def test_the_figure_is_drawn_at_the_cells_width_with_texts_at_the_themes_size(results_dir):
    from widgets.views.figure import css_size, smallest_text_px

    panel = BenchmarkPanel.load(results_dir / "gpu-test.json", theme=Theme(scale=1.5, width_px=934))
    assert css_size(panel.figure)[0] == 926 and panel.image_widget.layout.width == "926px"
    assert smallest_text_px(panel.figure) == 18
