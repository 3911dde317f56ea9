"""The benchmark's runner: one worker process per system (worker.py), so that thread pools never fight; first
calls one at a time on a quiet machine, then every system timed once per round, interleaved, and the median
kept; break-even and roofline computed from the measurements. `run_benchmark` returns a BenchmarkResult."""
import datetime
import importlib.metadata
import json
import math
import os
import platform
import queue
import statistics
import subprocess
import sys
import threading
import time

from widgets.perf.results import BenchmarkResult, Measurement
from widgets.perf.worker import MIN_ROUND_S
from widgets.perf.workloads import DEFAULT_SYSTEMS, SYSTEMS, WORKLOADS, Check, flops_and_bytes, supported, uses_gpu

_WIDGETS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_ROOT = os.path.dirname(_WIDGETS)  # where jaxlite is, for a checkout used in place


def child_environment(threads):
    """Variables a worker must see before it imports NumPy or JAX: their thread pools size
    themselves once, at import, so the worker's parent sets them for it."""
    env = {var: str(threads) for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                           "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}
    env["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"  # two GPU workers share the card
    if threads == 1:
        env["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false").strip()
    return env


# A worker imports this package without running widgets/__init__.py (ipywidgets, matplotlib), so that nothing
# but NumPy and the library it times shares the process with the measurement.
_WORKER_MAIN = """\
import sys, types
widgets = sys.modules["widgets"] = types.ModuleType("widgets")
widgets.__path__ = [sys.argv.pop(1)]
from widgets.perf import worker
worker.serve(sys.argv[1:])
"""


class _Worker:
    """A worker process (worker.py) seen from the parent, talking JSON lines over its stdin and stdout."""

    def __init__(self, args, env):
        path = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", _WORKER_MAIN, _WIDGETS, *args], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=os.environ | env | {"PYTHONPATH": path})
        self.messages = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            try:
                self.messages.put(json.loads(line))
            except ValueError:
                continue
        self.messages.put(EOFError)

    def send(self, message):
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # it died; receive() says so

    def receive(self, cancelled=None, timeout=600):
        """The next message, or {"error": ...} if the worker died or took longer than `timeout`;
        raises Cancelled as soon as `cancelled()` is true."""
        deadline = time.monotonic() + timeout
        while True:
            if cancelled is not None and cancelled():
                raise Cancelled
            try:
                message = self.messages.get(timeout=0.05)
            except queue.Empty:
                if time.monotonic() > deadline:
                    return {"error": f"timed out after {timeout:.0f} s"}
                continue
            if message is EOFError:
                self.messages.put(EOFError)
                try:
                    code = self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    code = None
                return {"error": f"the worker process died (exit code {code})"}
            return message

    def stop(self, polite=True):
        """Tell the worker to stop (or, when the run was cancelled, end it at once)."""
        if polite:
            self.send("stop")
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


# ----------------------------------------------------------------------------------------------
# What the result records about the machine

def _cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        pass
    try:  # a checkout used in place, not installed
        return getattr(__import__(package), "__version__", None)
    except ImportError:
        return None


def machine_info(threads, note=""):
    cpu = f"{_cpu_model()}, {os.cpu_count()} cores"
    info = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "device": cpu, "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "machine": platform.machine(),
            "cpu_count": os.cpu_count(), "threads_per_system": threads}
    for package in ("numpy", "jax", "jaxlib", "autograd", "jaxlite"):
        info[package] = _version(package)
    if note:
        info["note"] = note
    return info


# ----------------------------------------------------------------------------------------------
# The run: one job per (workload, size), every system of a job timed in interleaved rounds

class Cancelled(Exception):
    """Raised inside a run when `cancelled()` turns true; run_benchmark returns what it has."""


def _stop(workers, polite=True):
    for worker in workers.values():
        worker.stop(polite)


def measure_limits(gpu=False, threads=1, cancelled=None):
    """device_limits measured in a fresh process with the systems' thread settings."""
    worker = _Worker(["--limits"] + (["gpu"] if gpu else []), child_environment(threads))
    try:
        return worker.receive(cancelled)
    finally:
        worker.stop(polite=False)


def time_job(w, n, systems, rounds, threads, limits, cancelled):
    """Measurements of every system on one (workload, size)."""
    flops, nbytes = flops_and_bytes(w, n)
    env = child_environment(threads)
    workers = {s: _Worker(["--worker", s, w, str(n)], env) for s in systems}
    job = {s: Measurement(w, n, s, flops=flops, bytes=nbytes) for s in systems}
    samples = {s: [] for s in systems}
    try:
        for s, worker in workers.items():
            info = worker.receive(cancelled)
            job[s].error, job[s].setup_s = info.get("error", ""), info.get("setup", math.nan)
        for s, worker in workers.items():  # first calls one at a time, on a quiet machine
            m = job[s]
            if m.error:
                continue
            worker.send("first")
            info = worker.receive(cancelled)
            if "error" in info:
                m.error = info["error"]
                continue
            check = Check(**info["check"])
            m.correct, m.max_error = check.ok, check.max_error
            m.first_call_s, m.calls_per_round = info["first_call"], info["number"]
            if not check.ok:
                m.error = f"result differs from NumPy: {check.reason}"
        for _ in range(rounds):  # interleaved: every system once per round
            for s, worker in workers.items():
                if job[s].error:
                    continue
                worker.send("round")
                x = worker.receive(cancelled)
                if isinstance(x, dict):
                    job[s].error = x["error"]
                else:
                    samples[s].append(x)
    except BaseException:
        _stop(workers, polite=False)
        raise
    _stop(workers)
    for s, m in job.items():
        if m.error or not samples[s]:
            continue
        xs = sorted(samples[s])
        m.median_s = statistics.median(xs)
        m.q1_s, m.q3_s = xs[len(xs) // 4], xs[(3 * len(xs)) // 4]
        m.roofline_fraction = roofline_fraction(m, limits, gpu=uses_gpu(s))
    for m in job.values():
        if m.ok:
            against = baseline(m.system, job)
            m.break_even_calls = break_even(m, against)
            m.break_even_vs = against.system if against is not None else ""
    return list(job.values())


def baseline(system, job):
    """What a system's compile cost is repaid against: running the same library eagerly
    (jaxlite for jaxlite.jit, jax for jax.jit), else hand-written NumPy."""
    eager = system.split(".jit")[0] if ".jit" in system else None
    for candidate in (eager, "numpy"):
        m = job.get(candidate)
        if candidate and candidate != system and m is not None and m.ok:
            return m
    return None


def run_benchmark(workloads=("elementwise",), sizes=None, systems=DEFAULT_SYSTEMS, rounds=7,
                  threads=1, quick=False, gpu=False, progress=None, cancelled=None, partial=None,
                  note=""):
    """Time every (workload, size, system).

    `progress(done, total, text)` reports after each measurement; `cancelled()` returning True
    stops early (the partial result is returned, with meta["cancelled"] set); `partial(result)`
    is called after each (workload, size) with the result so far."""
    systems = tuple(systems)
    unknown = [s for s in systems if s not in SYSTEMS] + [w for w in workloads if w not in WORKLOADS]
    if unknown:
        raise ValueError(f"unknown system or workload: {', '.join(unknown)}")
    gpu = gpu or any(uses_gpu(s) for s in systems)
    jobs = [(w, n) for w in workloads
            for n in (sizes or (WORKLOADS[w].quick_sizes if quick else WORKLOADS[w].sizes))]
    total = sum(supported(s, w) for w, _ in jobs for s in systems)
    result = BenchmarkResult(machine_info(threads, note) | {
        "rounds": rounds, "quick": quick, "cancelled": False,
        "method": f"median of {rounds} interleaved rounds, each >= {MIN_ROUND_S * 1000:.0f} ms; "
                  "one process per system; first call (trace + compile) reported apart"}, [])
    done = 0
    try:
        if progress:
            progress(0, total, "measuring the machine's limits")
        limits = result.meta["limits"] = measure_limits(gpu, threads, cancelled)
        if gpu and limits.get("gpu_name"):
            result.meta["device"] += f" + {limits['gpu_name']}"
        for w, n in jobs:
            runnable = tuple(s for s in systems if supported(s, w))
            for m in time_job(w, n, runnable, rounds, threads, limits, cancelled):
                result.measurements.append(m)
                done += 1
                if progress:
                    progress(done, total, f"{w} n={n} {m.system}")
            if partial:
                partial(result)
    except Cancelled:
        result.meta["cancelled"] = True
    return result


def break_even(m, baseline):
    """Calls after which a system's total time (its first call, then steady state) drops to the
    baseline's total: 1 if it is ahead from the first call, inf if it never catches up."""
    if baseline is None or not baseline.ok or m.system == baseline.system:
        return float("nan")
    head_start = m.first_call_s - baseline.first_call_s
    if head_start <= 0 and m.median_s <= baseline.median_s:
        return 1.0
    saving = baseline.median_s - m.median_s
    if saving <= 0:
        return float("inf")
    return 1.0 + head_start / saving


def roofline_fraction(m, limits, gpu=False):
    """The time the machine's limits allow for this work (compute- or memory-bound, whichever is
    slower) divided by the measured time: 1 means at the machine's limit."""
    peak_flops = limits.get("gpu_matmul_flops" if gpu else "cpu_matmul_flops")
    peak_bw = limits.get("gpu_bandwidth_Bps" if gpu else "cpu_bandwidth_Bps")
    if not peak_flops or not peak_bw or not m.median_s > 0:
        return float("nan")
    bound = max(m.flops / peak_flops, m.bytes / peak_bw)
    return bound / m.median_s


