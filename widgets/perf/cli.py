"""The performance side-by-side from a terminal: time the workloads, print the tables, save the JSON.

    python -m widgets.perf [--quick] [--gpu] [--workloads W,...] [--systems S,...] --out benchmarks/results/NAME.json
"""
import argparse
import sys

from widgets.perf.runner import run_benchmark
from widgets.perf.workloads import DEFAULT_SYSTEMS, GPU_SYSTEMS, WORKLOADS


def main(argv=None):
    """Run the benchmark the command line asks for, print its tables, and return its BenchmarkResult."""
    parser = argparse.ArgumentParser(prog="python -m widgets.perf", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (a few minutes)")
    parser.add_argument("--gpu", action="store_true", help="also time jax.jit and jaxlite.jit[xla] on the GPU")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--systems", default=None)
    parser.add_argument("--sizes", default=None, help="comma-separated sizes for every workload")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--note", default="", help="a remark stored with the result (the machine's load, ...)")
    parser.add_argument("--out", default=None, help="write the JSON result here (after every job)")
    args = parser.parse_args(argv)
    systems = tuple(args.systems.split(",")) if args.systems else DEFAULT_SYSTEMS + (
        GPU_SYSTEMS if args.gpu else ())
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else None
    save = (lambda result: result.save(args.out)) if args.out else None
    result = run_benchmark(tuple(args.workloads.split(",")), sizes=sizes, systems=systems,
                           rounds=args.rounds, threads=args.threads, quick=args.quick, gpu=args.gpu,
                           progress=lambda d, t, s: print(f"[{d}/{t}] {s}", file=sys.stderr),
                           partial=save, note=args.note)
    if save:
        save(result)
    print(f"{result.label}\n\nSteady state (median; ratio to NumPy)\n\n{result.table()}\n\n"
          f"First call (trace + compile + run)\n\n{result.table('first_call_s')}")
    for m in result.failures():
        print(f"{m.workload} n={m.size} {m.system}: {m.error}", file=sys.stderr)
    return result

