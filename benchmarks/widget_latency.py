"""How fast the lecture widgets answer, measured in the kernel (no browser): the redraw after a move of the
x0 slider of plot_func_and_deriv (median of many moves, PNG encoding included), and the first render in a
fresh Python where `import jax` is blocked (what a student without JAX waits for).

    python benchmarks/widget_latency.py [--moves 300] [--runs 5] [--out benchmarks/results/widget_latency.json]

Targets: a median redraw of at most 30 ms, a first render under 1 s without JAX.
"""
import argparse
import datetime
import importlib.metadata
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FORMULA = "sin(x) * x**2"
REDRAW_TARGET_MS = 30.0
FIRST_RENDER_TARGET_S = 1.0

# Run in a fresh interpreter: refuse `import jax`, then time importing the widgets and building the first one.
FIRST_RENDER_SCRIPT = f"""
import importlib.abc, json, sys, time
start = time.perf_counter()

class BlockJax(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "jax" or name.startswith("jax.") or name == "jaxlib" or name.startswith("jaxlib."):
            raise ImportError("jax is blocked for this measurement")
        return None

sys.meta_path.insert(0, BlockJax())
sys.path.insert(0, {str(REPO)!r})
import widgets
imported = time.perf_counter()
w = widgets.plot_func_and_deriv({FORMULA!r}, order=2)
rendered = time.perf_counter()
assert w.status_text == "", w.status_text
assert w.image_widget.value[:4] == b"\\x89PNG"
assert "jax" not in sys.modules
print(json.dumps({{"import_s": imported - start, "first_render_s": rendered - imported,
                  "total_s": rendered - start}}))
"""


def redraw_latencies(moves: int, order: int, backend: str):
    """Seconds for each move of x0 (readout, tangent, blit, PNG, image value), after a warm-up."""
    import widgets

    w = widgets.plot_func_and_deriv(FORMULA, order=order, backend=backend)
    assert w.status_text == "", w.status_text
    low, high = w.x_range
    positions = np.linspace(low + 0.05, high - 0.05, 37)
    for x in positions[:10]:  # warm-up: jit traces, first blits
        w.x0 = float(x)
    times = []
    for i in range(moves):
        x = float(positions[(i * 7) % len(positions)])  # jump around, as a hand on a slider does
        if x == w.x0:
            x += 1e-3
        start = time.perf_counter()
        w.x0 = x
        times.append(time.perf_counter() - start)
        assert w.status_text == "", w.status_text
    png = w.image_widget.value
    return times, len(png)


def replot_latency(rounds: int = 10):
    """Seconds to take a new formula: trace, sample 400 points of f, f', f'', full draw."""
    import widgets

    w = widgets.plot_func_and_deriv(FORMULA, order=2)
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        w.expression = f"sin(x) * x**2 + {i + 1}"
        times.append(time.perf_counter() - start)
    return times


def first_render(runs: int):
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", FIRST_RENDER_SCRIPT], capture_output=True, text=True, check=True,
                             env={**os.environ, "MPLBACKEND": "agg"}, cwd=REPO)  # fmt: skip
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in results) for key in results[0]} | {"runs": runs}


def summary_ms(times):
    ms = np.asarray(times) * 1000
    return {"median_ms": float(np.median(ms)), "p90_ms": float(np.percentile(ms, 90)), "min_ms": float(ms.min()),
            "moves": len(ms)}  # fmt: skip


def versions():
    names = ["numpy", "matplotlib", "ipywidgets", "jax", "jaxlib", "pillow", "anywidget"]
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters for the first-render time")
    parser.add_argument("--jax", action="store_true", help="also time the redraw with the JAX backend")
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "benchmarks" / "results" / "widget_latency.json")
    args = parser.parse_args(argv)

    redraw = {}
    for order in (1, 2, 4):
        times, png_bytes = redraw_latencies(args.moves, order, "jaxlite")
        redraw[f"jaxlite_order{order}"] = summary_ms(times) | {"png_bytes": png_bytes}
    if args.jax:
        times, png_bytes = redraw_latencies(args.moves, 2, "jax")
        redraw["jax_order2"] = summary_ms(times) | {"png_bytes": png_bytes}
    replot = summary_ms(replot_latency())
    cold = first_render(args.runs)

    result = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            "threads": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
            "versions": versions(),
            "formula": FORMULA,
            "figure_px": [640, 400],
        },
        "targets": {"redraw_median_ms": REDRAW_TARGET_MS, "first_render_without_jax_s": FIRST_RENDER_TARGET_S},
        "x0_redraw": redraw,
        "formula_replot": replot,
        "first_render_without_jax": cold,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")

    print(f"{'measurement':38} {'median':>10} {'p90':>10}  target")
    for name, row in redraw.items():
        ok = "ok" if row["median_ms"] <= REDRAW_TARGET_MS else "MISSED"
        print(f"{'x0 redraw, ' + name:38} {row['median_ms']:8.2f}ms {row['p90_ms']:8.2f}ms  <= 30 ms {ok}")
    print(f"{'new formula (trace, sample, full draw)':38} {replot['median_ms']:8.2f}ms {replot['p90_ms']:8.2f}ms")
    print(f"{'import widgets without JAX':38} {cold['import_s'] * 1000:8.1f}ms")
    ok = "ok" if cold["first_render_s"] < FIRST_RENDER_TARGET_S else "MISSED"
    print(f"{'first render without JAX':38} {cold['first_render_s'] * 1000:8.1f}ms {'':10}  < 1 s {ok}")
    print(f"{'import + first render':38} {cold['total_s'] * 1000:8.1f}ms")
    print(f"written to {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")


if __name__ == "__main__":
    main()
