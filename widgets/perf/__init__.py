"""The performance side-by-side: one workload timed under NumPy, jaxlite and real JAX, fairly.

Method: each system runs in its own process (so thread pools never fight), its result is first checked against
hand-written NumPy, warm-up and the first call (trace + compile) are reported apart, and steady state is the
median of interleaved rounds, each calibrated to >= 10 ms. `run_benchmark(...)` returns a `BenchmarkResult`,
which `widgets.BenchmarkPanel` draws.

    workloads.py  the model's computations: each workload as NumPy and as JAX-API code, its flops and bytes
    results.py    the model's results: Measurement, BenchmarkResult, their JSON format, tables and labels
    runner.py     the parent: a worker process per system, interleaved rounds, break-even and roofline
    worker.py     a worker process: build one system, first call, calibrate, time rounds; the machine's limits
    cli.py        python -m widgets.perf [--quick] [--gpu] --out benchmarks/results/cpu.json
"""
from widgets.perf.cli import main
from widgets.perf.results import (NOISY_SPREAD, BenchmarkResult, Measurement, first_call_table, format_time,
                                  machine_label, ratio_text)
from widgets.perf.runner import (Cancelled, break_even, machine_info, measure_limits, roofline_fraction,
                                 run_benchmark)
from widgets.perf.worker import MIN_ROUND_S, device_limits
from widgets.perf.workloads import (DEFAULT_SYSTEMS, GPU_SYSTEMS, MLP_DIMS, SYSTEMS, WORKLOADS, Check, Workload,
                                    check_output, flops_and_bytes, supported)

__all__ = [
    "BenchmarkResult", "Cancelled", "Check", "DEFAULT_SYSTEMS", "GPU_SYSTEMS", "MIN_ROUND_S", "MLP_DIMS",
    "Measurement", "NOISY_SPREAD", "SYSTEMS", "WORKLOADS", "Workload", "break_even", "check_output",
    "device_limits", "first_call_table", "flops_and_bytes", "format_time", "machine_info", "machine_label",
    "main", "measure_limits", "ratio_text", "roofline_fraction", "run_benchmark", "supported",
]
