"""The performance harness: every system computes what hand-written NumPy computes, and the
arithmetic around the timings (break-even, roofline, tables, JSON) is right. Nothing here is timed."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from widgets import perf
from widgets.perf import results, runner, worker, workloads
from widgets.perf import BenchmarkResult, Measurement

CPU_SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit", "jaxlite.jit[xla]", "jax", "jax.jit", "autograd")
TINY = {"elementwise": 5, "matmul": 4, "logreg_grad": 6, "mlp_grad": 2, "per_example_grads": 3}
CASES = [(w, s) for w in perf.WORKLOADS for s in CPU_SYSTEMS if perf.supported(s, w)]


@pytest.mark.parametrize("workload,system", CASES, ids=[f"{w}-{s}" for w, s in CASES])
def test_every_system_matches_the_numpy_reference_in_float32(workload, system):
    fn, args, block = worker.build(system, workload, TINY[workload])
    check = perf.check_output(workload, TINY[workload], block(fn(*args)))
    assert check.ok, check.reason
    assert check.dtypes == ["float32"]
    assert check.max_error <= 2e-3


def test_autograd_is_not_asked_for_per_example_gradients():
    assert not perf.supported("autograd", "per_example_grads")
    assert all(perf.supported(s, "per_example_grads") for s in perf.SYSTEMS if s != "autograd")


def _numpy_output(workload, size):
    return workloads.numpy_program(workload)(*workloads.inputs(workload, size))


def test_check_rejects_float64_outputs():
    out = _numpy_output("matmul", 4).astype(np.float64)
    check = perf.check_output("matmul", 4, out)
    assert not check.ok and "float64" in check.reason


def test_check_rejects_wrong_values():
    out = _numpy_output("elementwise", 5) + np.float32(0.1)
    check = perf.check_output("elementwise", 5, out)
    assert not check.ok
    assert check.max_error == pytest.approx(0.1 / max(1.0, np.abs(_numpy_output("elementwise", 5)).max()), rel=1e-3)


def test_check_rejects_wrong_shapes_and_missing_outputs():
    assert "shape" in perf.check_output("matmul", 4, np.zeros((4, 5), np.float32)).reason
    grads = _numpy_output("logreg_grad", 6)
    assert "1 outputs" in perf.check_output("logreg_grad", 6, [grads[0]]).reason


def test_check_accepts_float32_round_off():
    out = _numpy_output("mlp_grad", 2)
    nudged = [(w * np.float32(1 + 1e-6), b) for w, b in out]
    assert perf.check_output("mlp_grad", 2, nudged).ok


def test_worker_setup_runs_in_a_child_environment_with_the_chosen_threads():
    env = runner.child_environment(1)
    assert env["OPENBLAS_NUM_THREADS"] == env["OMP_NUM_THREADS"] == "1"
    assert "--xla_cpu_multi_thread_eigen=false" in env["XLA_FLAGS"]
    assert "XLA_FLAGS" not in runner.child_environment(4)


# ----------------------------------------------------------------------------------------------
# Arithmetic on synthetic measurements

def _m(system, median, first, workload="mlp_grad", size=32, **kw):
    return Measurement(workload, size, system, median_s=median, q1_s=median, q3_s=median,
                       first_call_s=first, correct=True, **kw)


def test_break_even_is_where_the_total_times_meet():
    eager, jitted = _m("jaxlite", 1.0, 1.0), _m("jaxlite.jit", 0.5, 3.0)
    calls = perf.break_even(jitted, eager)
    assert calls == pytest.approx(5.0)
    assert jitted.first_call_s + (calls - 1) * jitted.median_s == pytest.approx(
        eager.first_call_s + (calls - 1) * eager.median_s)


def test_break_even_is_one_call_when_ahead_from_the_start():
    assert perf.break_even(_m("jax.jit", 0.1, 2.0), _m("jax", 1.0, 5.0)) == 1.0


def test_break_even_is_never_when_steady_state_is_slower():
    assert perf.break_even(_m("jaxlite.jit[xla]", 2.0, 3.0), _m("jaxlite", 1.0, 1.0)) == math.inf


def test_break_even_without_a_baseline_is_nan():
    assert math.isnan(perf.break_even(_m("jaxlite.jit", 0.5, 3.0), None))


def test_jit_is_repaid_against_the_same_library_run_eagerly():
    job = {s: _m(s, 1.0, 1.0) for s in ("numpy", "jaxlite", "jax")}
    assert runner.baseline("jaxlite.jit", job).system == "jaxlite"
    assert runner.baseline("jaxlite.jit[xla]", job).system == "jaxlite"
    assert runner.baseline("jax.jit[gpu]", job).system == "jax"
    assert runner.baseline("autograd", job).system == "numpy"
    assert runner.baseline("numpy", job) is None
    del job["jaxlite"]
    assert runner.baseline("jaxlite.jit", job).system == "numpy"


def test_roofline_fraction_uses_the_slower_of_compute_and_memory():
    limits = {"cpu_matmul_flops": 1e10, "cpu_bandwidth_Bps": 1e9,
              "gpu_matmul_flops": 1e12, "gpu_bandwidth_Bps": 1e11}
    compute_bound = _m("numpy", 0.2, 0.2, flops=1e9, bytes=1e6)  # 0.1 s of arithmetic, 1 ms of traffic
    memory_bound = _m("numpy", 0.2, 0.2, flops=1e6, bytes=1e8)  # 1 ms of arithmetic, 0.1 s of traffic
    assert perf.roofline_fraction(compute_bound, limits) == pytest.approx(0.5)
    assert perf.roofline_fraction(memory_bound, limits) == pytest.approx(0.5)
    assert perf.roofline_fraction(compute_bound, limits, gpu=True) == pytest.approx(0.005)
    assert math.isnan(perf.roofline_fraction(compute_bound, {}))


def test_flops_and_compulsory_bytes_of_the_workloads():
    assert perf.flops_and_bytes("matmul", 8) == (2 * 8 ** 3, 3 * 4 * 64)
    assert perf.flops_and_bytes("elementwise", 100) == (2400, 800)
    flops_1, bytes_1 = perf.flops_and_bytes("per_example_grads", 1)
    flops_8, bytes_8 = perf.flops_and_bytes("per_example_grads", 8)
    params = 64 * 64 + 64 + 64 * 10 + 10
    assert flops_8 == 8 * flops_1
    assert bytes_8 - bytes_1 == 4 * 7 * (params + 64 + 10)  # one gradient of every parameter per example


# ----------------------------------------------------------------------------------------------
# Results: JSON and tables

def _result():
    ms = [_m("numpy", 1e-3, 2e-3, "matmul", 16), _m("jaxlite", 4e-3, 1e-2, "matmul", 16),
          _m("jax.jit", 5e-4, 0.3, "matmul", 16, break_even_calls=math.inf),
          Measurement("matmul", 16, "autograd", error="result differs from NumPy: dtypes ['float64']"),
          Measurement("matmul", 16, "jaxlite.jit", error="TypeError: boom"),
          _m("numpy", 2e-3, 3e-3, "elementwise", 10)]
    meta = {"date": "2026-01-02T03:04:05+00:00", "device": "Test CPU, 2 cores", "threads_per_system": 1,
            "limits": {"cpu_matmul_flops": 1e10, "cpu_bandwidth_Bps": 1e9}}
    return BenchmarkResult(meta, ms)


def test_json_round_trip_keeps_every_measurement():
    result = _result()
    back = BenchmarkResult.from_json(result.to_json())
    assert back.meta == result.meta
    assert len(back.measurements) == len(result.measurements)
    for a, b in zip(result.measurements, back.measurements):
        for field in results.FIELDS:
            x, y = getattr(a, field), getattr(b, field)
            assert (x == y) or (x != x and y != y), field


def test_json_is_strict_json_without_nan_or_infinity():
    def refuse(constant):
        raise ValueError(constant)

    data = json.loads(_result().to_json(), parse_constant=refuse)
    jax_jit = next(m for m in data["measurements"] if m["system"] == "jax.jit")
    assert jax_jit["break_even_calls"] == "inf"
    assert data["measurements"][3]["median_s"] is None


def test_save_and_load(tmp_path):
    path = tmp_path / "sub" / "r.json"
    _result().save(path)
    assert BenchmarkResult.load(path).find("matmul", 16, "jaxlite").median_s == 4e-3


def test_json_from_an_older_harness_loads():
    text = json.dumps({"meta": {"date": "2025-05-05", "processor": "x86_64"}, "measurements": [
        {"workload": "matmul", "size": 4, "system": "numpy", "median_s": 1.0, "correct": True,
         "retired_field": 3}]})
    result = BenchmarkResult.from_json(text)
    assert result.measurements[0].median_s == 1.0
    assert result.label == "x86_64 · 2025-05-05"


def test_table_lists_systems_in_order_with_ratios_to_numpy():
    lines = _result().table().splitlines()
    assert lines[0] == "| workload | size | numpy | jaxlite | jaxlite.jit | jax.jit | autograd |"
    assert lines[2].startswith("| elementwise | 10 | 2 ms (1\u00d7) | — |")
    assert lines[3] == "| matmul | 16 | 1 ms (1\u00d7) | 4 ms (4\u00d7) | error | 500 µs (0.5\u00d7) | wrong |"


@pytest.mark.parametrize("ratio,text", [(430.2, "430\u00d7"), (18.4, "18\u00d7"), (1.84, "1.8\u00d7"), (1.0, "1\u00d7"),
                                        (0.0772, "0.077\u00d7"), (12345.0, "12,345\u00d7")])  # fmt: skip
def test_ratios_are_written_as_a_reader_says_them(ratio, text):
    assert perf.ratio_text(ratio) == text


def test_workload_table_has_a_row_per_system_and_a_column_per_size():
    result = _result()
    result.measurements.append(_m("numpy", 8e-3, 9e-3, "matmul", 256))
    result.measurements.append(_m("jaxlite", 4e-3, 9e-3, "matmul", 256))
    lines = result.workload_table("matmul").splitlines()
    assert lines[0] == "| system | 16 | 256 |"
    assert lines[2] == "| numpy | 1 ms | 8 ms |"
    assert lines[3] == "| jaxlite | 4\u00d7 | 0.5\u00d7 |"
    assert lines[4] == "| jaxlite.jit | error | \u2014 |"


def test_workload_table_marks_a_noisy_measurement():
    noisy = _m("jaxlite", 4e-3, 1e-2, "matmul", 16)
    noisy.q1_s, noisy.q3_s = 2e-3, 5e-3
    result = BenchmarkResult({}, [_m("numpy", 1e-3, 2e-3, "matmul", 16), noisy])
    assert noisy.noisy and noisy.spread == pytest.approx(0.75)
    assert result.workload_table("matmul").splitlines()[3] == "| jaxlite | ~4\u00d7 |"


def test_first_call_table_gives_each_workloads_largest_size():
    lines = perf.first_call_table(_result()).splitlines()
    assert lines[0] == "| system | elementwise | matmul |"
    assert lines[2] == "| *size* | *10* | *16* |"
    assert lines[3] == "| numpy | 3 ms | 2 ms |"
    assert lines[4] == "| jaxlite | \u2014 | 10 ms |"


def test_first_call_table_has_no_ratios():
    line = _result().table("first_call_s").splitlines()[3]
    assert line == "| matmul | 16 | 2 ms | 10 ms | error | 300 ms | wrong |"


def test_series_and_failures():
    result = _result()
    assert result.series("matmul", "jaxlite") == ([16], [4e-3])
    assert result.series("matmul", "jaxlite.jit") == ([], [])
    assert {m.system for m in result.failures()} == {"autograd", "jaxlite.jit"}
    assert result.workloads() == ["elementwise", "matmul"]


def test_label_names_the_device_and_the_date():
    result = _result()
    assert result.label == "Test CPU, 2 cores · 2026-01-02"
    result.meta["limits"]["gpu_name"] = "NVIDIA H200"
    assert result.label == "Test CPU, 2 cores + NVIDIA H200 · 2026-01-02"


# ----------------------------------------------------------------------------------------------
# The run itself (worker processes), on the smallest inputs

def test_a_failing_system_is_reported_not_raised():
    job = runner.time_job("per_example_grads", 2, ("numpy", "autograd"), 2, 1, {}, None)
    by = {m.system: m for m in job}
    assert by["numpy"].ok and by["numpy"].median_s > 0 and by["numpy"].calls_per_round >= 1
    assert by["autograd"].error == "NotImplementedError: autograd has no vmap"
    assert not by["autograd"].ok


def test_a_cancelled_run_returns_at_once_with_what_it_has():
    result = perf.run_benchmark(("matmul",), sizes=(4,), systems=("numpy",), cancelled=lambda: True)
    assert result.meta["cancelled"] is True
    assert result.measurements == []


def test_a_run_cancelled_midway_keeps_the_finished_measurements():
    done = []
    result = perf.run_benchmark(("matmul",), sizes=(4, 8), systems=("numpy",), rounds=2,
                                progress=lambda d, total, text: done.append((d, total)),
                                cancelled=lambda: len(done) > 1)
    assert done == [(0, 2), (1, 2)]
    assert result.meta["cancelled"] is True
    assert [(m.size, m.system, m.correct) for m in result.measurements] == [(4, "numpy", True)]


def test_unknown_systems_are_refused():
    with pytest.raises(ValueError, match="tensorflow"):
        perf.run_benchmark(("matmul",), systems=("numpy", "tensorflow"))


def test_command_line_writes_json_and_prints_tables(tmp_path, capsys):
    out = tmp_path / "r.json"
    result = perf.main(["--workloads", "matmul", "--sizes", "4", "--systems", "numpy",
                        "--rounds", "2", "--note", "a test", "--out", str(out)])
    printed = capsys.readouterr().out
    saved = BenchmarkResult.load(out)
    assert "| matmul | 4 | " in printed and "First call" in printed
    assert [(m.system, m.correct) for m in saved.measurements] == [("numpy", True)]
    assert saved.meta["note"] == "a test" and saved.meta["rounds"] == 2
    assert saved.meta["limits"]["cpu_matmul_flops"] > 0
    assert result.measurements[0].roofline_fraction > 0


def test_a_worker_process_loads_neither_ipywidgets_nor_matplotlib():
    listing = runner._WORKER_MAIN.replace(
        "worker.serve(sys.argv[1:])", "print(' '.join(sorted(m for m in sys.modules if '.' not in m)))")
    done = subprocess.run([sys.executable, "-P", "-c", listing, runner._WIDGETS], capture_output=True, text=True)
    loaded = set(done.stdout.split())
    assert {"widgets", "numpy"} <= loaded, done.stderr
    assert not loaded & {"ipywidgets", "matplotlib", "IPython", "jax", "jaxlite"}
