"""The performance side-by-side: one workload timed under NumPy, jaxlite and real JAX, fairly.

Model only (no ipywidgets): `run_benchmark(...)` returns a `BenchmarkResult`, which
`widgets.benchmark_panel.BenchmarkPanel` draws. Method: each system runs in its own process (so
thread pools never fight), its result is first checked against hand-written NumPy, warm-up and the
first call (trace + compile) are reported apart, and steady state is the median of interleaved
rounds, each calibrated to >= 10 ms.

    python -m widgets.perf [--quick] [--gpu] --out benchmarks/results/cpu.json
"""
import argparse
import dataclasses
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

import numpy as np

SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit", "jaxlite.jit[xla]", "jaxlite.jit[xla-gpu]", "jax",
           "jax.jit", "jax.jit[gpu]", "autograd")
DEFAULT_SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit", "jaxlite.jit[xla]", "jax", "jax.jit")
GPU_SYSTEMS = ("jaxlite.jit[xla-gpu]", "jax.jit[gpu]")
MIN_ROUND_S = 0.01
NOISY_SPREAD = 0.25  # rounds whose quartiles lie further apart than this (relative to the median) are noisy
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ----------------------------------------------------------------------------------------------
# Workloads: each builds the same computation for every system, plus its flop and byte counts

@dataclasses.dataclass(frozen=True)
class Workload:
    name: str
    description: str
    sizes: tuple
    quick_sizes: tuple
    size_label: str


WORKLOADS = {
    "elementwise": Workload("elementwise", "24 elementwise ops: y = sin(y) * 1.01 + x, 8 times",
                            (10, 1_000, 100_000, 1_000_000), (10, 10_000), "elements"),
    "matmul": Workload("matmul", "A @ B for square float32 matrices", (16, 64, 256, 1024),
                       (16, 128), "n (n x n)"),
    "logreg_grad": Workload("logreg_grad", "gradient of the seed article's logistic-regression loss",
                            (4, 256, 16_384, 262_144), (4, 1024), "examples (3 features)"),
    "mlp_grad": Workload("mlp_grad", "gradient of a 256-256-10 tanh MLP's mean squared loss",
                         (1, 32, 1024), (1, 32), "batch"),
    "per_example_grads": Workload("per_example_grads",
                                  "per-example gradients of a 64-64-10 MLP (vmap of grad)",
                                  (8, 64, 512), (8, 32), "batch"),
}
MLP_DIMS = {"mlp_grad": (256, 256, 10), "per_example_grads": (64, 64, 10)}


def supported(system, workload):
    """Whether a system can express a workload at all (autograd has no vmap)."""
    return not (system == "autograd" and workload == "per_example_grads")


def _rng_inputs(workload, size):
    rng = np.random.default_rng(0)
    f32 = lambda *shape: rng.standard_normal(shape).astype(np.float32)
    if workload == "elementwise":
        return [f32(size)]
    if workload == "matmul":
        return [f32(size, size), f32(size, size)]
    if workload == "logreg_grad":
        return [f32(3), f32(), f32(size, 3), (rng.random(size) > 0.5).astype(np.float32)]
    if workload in MLP_DIMS:
        dims = MLP_DIMS[workload]
        return [_mlp_params(rng, dims), f32(size, dims[0]), f32(size, dims[-1])]
    raise KeyError(workload)


def _mlp_params(rng, sizes):
    return [((rng.standard_normal((m, n)) / np.sqrt(m)).astype(np.float32), np.zeros(n, np.float32))
            for m, n in zip(sizes[:-1], sizes[1:])]


def flops_and_bytes(workload, size):
    """Arithmetic of one call and its compulsory memory traffic (every input read once, every
    output written once, float32), for the roofline: no implementation can move less."""
    if workload == "elementwise":
        return 24 * size, 2 * 4 * size
    if workload == "matmul":
        return 2 * size ** 3, 3 * 4 * size * size
    if workload == "logreg_grad":
        return 20 * 3 * size, 4 * (4 * size + 2 * 4)
    if workload in MLP_DIMS:
        dims = MLP_DIMS[workload]
        params = sum(m * n + n for m, n in zip(dims[:-1], dims[1:]))
        grads = params * (size if workload == "per_example_grads" else 1)
        return 6 * size * (params - sum(dims[1:])), 4 * (params + size * (dims[0] + dims[-1]) + grads)
    raise KeyError(workload)


# Hand-written NumPy: the reference every system must match.

def _numpy_program(workload):
    if workload == "elementwise":
        def f(x):
            y = x
            for _ in range(8):
                y = np.sin(y) * np.float32(1.01) + x
            return y
        return f
    if workload == "matmul":
        return lambda a, b: a @ b
    if workload == "logreg_grad":
        def grad(W, b, inputs, targets):
            z = inputs @ W + b
            p = 1 / (1 + np.exp(-z))
            dz = (p - targets)  # d(-sum log likelihood)/dz for the sigmoid-Bernoulli pair
            return inputs.T @ dz, dz.sum(dtype=np.float32)
        return grad
    if workload == "mlp_grad":
        def grad(params, x, y):
            acts, h = [x], x
            for W, b in params[:-1]:
                h = np.tanh(h @ W + b)
                acts.append(h)
            W, b = params[-1]
            out = h @ W + b
            d = (np.float32(2 / out.size)) * (out - y)
            grads = []
            for i in range(len(params) - 1, -1, -1):
                W, _ = params[i]
                a = acts[i]
                grads.append((a.T @ d, d.sum(0)))
                if i:
                    d = (d @ W.T) * (1 - a * a)
            return grads[::-1]
        return grad
    if workload == "per_example_grads":
        mlp = _numpy_program("mlp_grad")

        def per_example(params, x, y):
            outs = [mlp(params, x[i:i + 1], y[i:i + 1]) for i in range(x.shape[0])]
            return [(np.stack([o[k][0] for o in outs]), np.stack([o[k][1] for o in outs]))
                    for k in range(len(params))]
        return per_example
    raise KeyError(workload)


def _jax_like_program(workload, jax, jnp):
    """The same workloads written once for any library with JAX's API (jax or jaxlite)."""
    if workload == "elementwise":
        def f(x):
            y = x
            for _ in range(8):
                y = jnp.sin(y) * 1.01 + x
            return y
        return f
    if workload == "matmul":
        return lambda a, b: a @ b
    if workload == "logreg_grad":
        def loss(W, b, inputs, targets):
            preds = 1 / (1 + jnp.exp(-(inputs @ W + b)))
            label_probs = preds * targets + (1 - preds) * (1 - targets)
            return -jnp.sum(jnp.log(label_probs))
        return jax.grad(loss, argnums=(0, 1))

    def mse(params, x, y):
        h = x
        for W, b in params[:-1]:
            h = jnp.tanh(h @ W + b)
        W, b = params[-1]
        return jnp.mean((h @ W + b - y) ** 2)

    if workload == "mlp_grad":
        return jax.grad(mse)
    if workload == "per_example_grads":
        one = lambda params, x, y: jax.grad(mse)(params, x[None], y[None])
        return jax.vmap(one, in_axes=(None, 0, 0))
    raise KeyError(workload)


def _autograd_program(workload):
    """The same programs through HIPS autograd (a tape of closures), an eager-autodiff peer."""
    import autograd
    import autograd.numpy as anp
    if not supported("autograd", workload):
        raise NotImplementedError("autograd has no vmap")

    class _AutogradAsJax:
        @staticmethod
        def grad(fun, argnums=0):
            return autograd.grad(fun, argnum=argnums)

    return _jax_like_program(workload, _AutogradAsJax, anp)


# ----------------------------------------------------------------------------------------------
# One worker process per system

def _child_environment(threads):
    """Variables a worker must see before it imports NumPy or JAX: their thread pools size
    themselves once, at import, so the worker's parent sets them for it."""
    env = {var: str(threads) for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                           "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}
    env["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"  # two GPU workers share the card
    if threads == 1:
        env["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false").strip()
    return env


def _uses_gpu(system):
    return system in GPU_SYSTEMS


def _select_jax_platform(system):
    """Pin real JAX to the CPU unless this system is the GPU one (set before JAX is imported)."""
    if _uses_gpu(system):
        os.environ.pop("JAX_PLATFORMS", None)
    else:
        os.environ["JAX_PLATFORMS"] = "cpu"


def _build(system, workload, size):
    """(callable, args, block) for one system; `block` waits for asynchronous results."""
    inputs = _rng_inputs(workload, size)
    identity = lambda out: out
    if system == "numpy":
        return _numpy_program(workload), inputs, identity
    if system == "autograd":
        return _autograd_program(workload), inputs, identity
    if system.startswith("jaxlite"):
        if system.startswith("jaxlite.jit[xla"):
            _select_jax_platform(system)
        import jaxlite
        import jaxlite.numpy as jnp
        fn = _jax_like_program(workload, jaxlite, jnp)
        if system == "jaxlite.jit":
            fn = jaxlite.jit(fn)
        elif system.startswith("jaxlite.jit[xla"):
            # Import JAX and start its device now, as jax.jit's setup does, so that the first
            # call times tracing and compiling only; "gpu" raises where there is none.
            import jax
            jax.devices("gpu" if _uses_gpu(system) else "cpu")
            fn = jaxlite.jit(fn, backend="xla")
        args = jaxlite.tree_util.tree_map(jnp.asarray, inputs)
        return fn, args, identity  # jaxlite's results are ready when returned, on either backend
    if system.startswith("jax"):
        _select_jax_platform(system)
        import jax
        import jax.numpy as jnp
        fn = _jax_like_program(workload, jax, jnp)
        if system in ("jax.jit", "jax.jit[gpu]"):
            fn = jax.jit(fn)
        device = jax.devices("gpu")[0] if _uses_gpu(system) else jax.devices("cpu")[0]
        args = jax.device_put(inputs, device)
        return fn, args, jax.block_until_ready
    raise KeyError(system)


def _leaves(tree):
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _leaves(item)]
    if isinstance(tree, dict):
        return [leaf for k in sorted(tree) for leaf in _leaves(tree[k])]
    return [tree]


@dataclasses.dataclass
class Check:
    """How one system's output compares with the hand-written NumPy reference."""
    ok: bool
    dtypes: list
    max_error: float
    reason: str = ""


def check_output(workload, size, out):
    """Same structure, same shapes, float32 everywhere, and values within float32 round-off
    (relative to each output's largest entry) of the NumPy reference."""
    got = [np.asarray(x) for x in _leaves(out)]
    reference = [np.asarray(r) for r in _leaves(_numpy_program(workload)(*_rng_inputs(workload, size)))]
    dtypes = sorted({str(g.dtype) for g in got})
    if len(got) != len(reference):
        return Check(False, dtypes, math.inf, f"{len(got)} outputs, NumPy gives {len(reference)}")
    shapes = [(g.shape, r.shape) for g, r in zip(got, reference) if g.shape != r.shape]
    if shapes:
        return Check(False, dtypes, math.inf, f"shape {shapes[0][0]} where NumPy gives {shapes[0][1]}")
    error = max((_relative_error(g, r) for g, r in zip(got, reference)), default=0.0)
    if dtypes != ["float32"]:
        return Check(False, dtypes, error, f"dtypes {dtypes}, not float32")
    if not error <= 2e-3:
        return Check(False, dtypes, error, f"differs from NumPy by {error:.2g} (relative)")
    return Check(True, dtypes, error)


def _relative_error(got, reference):
    """Largest absolute difference, relative to the reference's largest entry (or to 1)."""
    scale = max(1.0, float(np.max(np.abs(reference), initial=0.0)))
    return float(np.max(np.abs(got.astype(np.float64) - reference), initial=0.0)) / scale


def _calibrate(fn, args, block):
    """Calls per round so that a round lasts at least MIN_ROUND_S."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            block(fn(*args))
        elapsed = time.perf_counter() - t0
        if elapsed >= MIN_ROUND_S or number >= 1 << 20:
            return number
        number *= 2 if elapsed == 0 else max(2, min(10, int(1.2 * MIN_ROUND_S / elapsed) + 1))


def _worker(conn, system, workload, size):
    """Serve one (system, workload, size): build it, then on request make the first call and
    calibrate, then time rounds until told to stop.

    Building (importing JAX, say) overlaps with the other workers'; the first call waits for its
    turn, so that no other worker's import slows it down."""
    try:
        t0 = time.perf_counter()
        fn, args, block = _build(system, workload, size)
        conn.send({"setup": time.perf_counter() - t0})
        if conn.recv() != "first":
            return
        t0 = time.perf_counter()
        out = block(fn(*args))
        first_call = time.perf_counter() - t0
        check = check_output(workload, size, out)
        block(fn(*args))  # a second call, still warm-up
        number = _calibrate(fn, args, block)
        conn.send({"check": dataclasses.asdict(check), "first_call": first_call, "number": number})
        while conn.recv() == "round":
            t0 = time.perf_counter()
            for _ in range(number):
                block(fn(*args))
            conn.send((time.perf_counter() - t0) / number)
    except Exception as err:  # reported, not raised: one failing system must not stop the run
        conn.send({"error": f"{type(err).__name__}: {err}"})


class _ParentConnection:
    """A worker's end of its pipes: JSON lines in on stdin, out on the original stdout.

    Anything a library prints goes to stderr instead, so it cannot garble a message."""

    def __init__(self):
        self._out = os.fdopen(os.dup(1), "w", buffering=1)
        os.dup2(2, 1)
        sys.stdout = sys.stderr

    def send(self, message):
        self._out.write(json.dumps(message) + "\n")
        self._out.flush()

    def recv(self):
        line = sys.stdin.readline()
        if not line:
            raise EOFError("the parent closed the pipe")
        return json.loads(line)


def _serve(argv):
    """The worker process's entry: `perf.py --worker SYSTEM WORKLOAD SIZE` or `--limits [gpu]`."""
    conn = _ParentConnection()
    if argv[0] == "--limits":
        try:
            conn.send(device_limits(gpu=argv[1:] == ["gpu"]))
        except Exception as err:
            conn.send({"error": f"{type(err).__name__}: {err}"})
    else:
        _worker(conn, argv[1], argv[2], int(argv[3]))


class _Worker:
    """A worker process seen from the parent: this file run as a script (so the child imports
    nothing but NumPy and what its system needs), talking JSON lines over its stdin and stdout."""

    def __init__(self, args, env):
        path = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-P", os.path.abspath(__file__), *args], stdin=subprocess.PIPE,
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
# Results

@dataclasses.dataclass
class Measurement:
    workload: str
    size: int
    system: str
    median_s: float = float("nan")
    q1_s: float = float("nan")
    q3_s: float = float("nan")
    first_call_s: float = float("nan")
    setup_s: float = float("nan")
    calls_per_round: int = 0
    break_even_calls: float = float("nan")
    break_even_vs: str = ""
    flops: float = 0.0
    bytes: float = 0.0
    roofline_fraction: float = float("nan")
    correct: bool = False
    max_error: float = float("nan")
    error: str = ""

    @property
    def ok(self):
        return self.correct and not self.error and self.median_s == self.median_s

    @property
    def spread(self):
        """The rounds' interquartile range relative to their median: how much one run's number can move."""
        return (self.q3_s - self.q1_s) / self.median_s if self.median_s > 0 else float("nan")

    @property
    def noisy(self):
        """Whether the rounds disagreed by more than NOISY_SPREAD: a ratio to this number is not to be trusted."""
        return self.spread > NOISY_SPREAD


_FIELDS = {f.name for f in dataclasses.fields(Measurement)}
_FLOAT_FIELDS = {f.name for f in dataclasses.fields(Measurement) if f.type in (float, "float")}


def _json_number(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None if value != value else ("inf" if value > 0 else "-inf")
    return value


def _read_number(field, value):
    if field in _FLOAT_FIELDS:
        return math.nan if value is None else float(value)
    return value


@dataclasses.dataclass
class BenchmarkResult:
    meta: dict
    measurements: list

    def to_json(self):
        """Strict JSON: a missing number (NaN) is written as null, an infinite one as "inf"."""
        return json.dumps({"meta": self.meta, "measurements": [
            {k: _json_number(v) for k, v in dataclasses.asdict(m).items()} for m in self.measurements]},
            indent=1, allow_nan=False)

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        return cls(data["meta"], [Measurement(**{k: _read_number(k, v) for k, v in m.items() if k in _FIELDS})
                                  for m in data["measurements"]])

    @classmethod
    def load(cls, path):
        with open(path) as fh:
            return cls.from_json(fh.read())

    def save(self, path):
        os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
        with open(path, "w") as fh:
            fh.write(self.to_json() + "\n")

    @property
    def label(self):
        """Where and when it was measured, as a reader needs it beside a plot."""
        return machine_label(self.meta)

    def workloads(self):
        names = {m.workload for m in self.measurements}
        return [w for w in WORKLOADS if w in names] + sorted(names - set(WORKLOADS))

    def systems(self, workload=None):
        names = {m.system for m in self.measurements if workload in (None, m.workload)}
        return [s for s in SYSTEMS if s in names] + sorted(names - set(SYSTEMS))

    def sizes(self, workload):
        return sorted({m.size for m in self.measurements if m.workload == workload})

    def find(self, workload, size, system):
        return next((m for m in self.measurements
                     if (m.workload, m.size, m.system) == (workload, size, system)), None)

    def series(self, workload, system, field="median_s"):
        """(sizes, values) of one system's good measurements of a workload, by increasing size."""
        ms = sorted((m for m in self.measurements
                     if m.workload == workload and m.system == system and m.ok), key=lambda m: m.size)
        return [m.size for m in ms], [getattr(m, field) for m in ms]

    def failures(self):
        return [m for m in self.measurements if not m.ok]

    def table(self, field="median_s"):
        """A markdown table: `field` (median or first-call time) per system, with the steady-state
        ratio to NumPy in brackets."""
        systems = self.systems()
        rows = ["| workload | size | " + " | ".join(systems) + " |",
                "|---|---:|" + "---:|" * len(systems)]
        keys = sorted({(m.workload, m.size) for m in self.measurements},
                      key=lambda k: (self.workloads().index(k[0]), k[1]))
        for w, n in keys:
            base = self.find(w, n, "numpy")
            cells = []
            for s in systems:
                m = self.find(w, n, s)
                if m is None or not m.ok:
                    cells.append("—" if m is None else ("wrong" if m.error.startswith("result")
                                                        else "error"))
                    continue
                ratio = (f" ({ratio_text(m.median_s / base.median_s)})"
                         if field == "median_s" and base is not None and base.ok else "")
                cells.append(f"{_fmt_time(getattr(m, field))}{ratio}")
            rows.append(f"| {w} | {n} | " + " | ".join(cells) + " |")
        return "\n".join(rows)

    def workload_table(self, workload, field="median_s"):
        """A narrow markdown table for one workload: a row per system, a column per size. Steady-state cells
        give the ratio to NumPy ("430\u00d7" is 430 times NumPy's time); "~" marks a measurement whose rounds
        (or NumPy's did) by more than NOISY_SPREAD, so that a ratio near 1 is not read as a difference."""
        sizes = self.sizes(workload)
        rows = ["| system | " + " | ".join(f"{n:,}" for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]
        for system in self.systems(workload):
            cells = []
            for n in sizes:
                m, base = self.find(workload, n, system), self.find(workload, n, "numpy")
                if m is None or not m.ok:
                    cells.append("\u2014" if m is None else "error")
                    continue
                mark = "~" if field == "median_s" and (m.noisy or (base is not None and base.noisy)) else ""
                if field == "median_s" and system != "numpy" and base is not None and base.ok:
                    cells.append(f"{mark}{ratio_text(m.median_s / base.median_s)}")
                else:
                    cells.append(f"{mark}{_fmt_time(getattr(m, field))}")
            rows.append(f"| {system} | " + " | ".join(cells) + " |")
        return "\n".join(rows)


def first_call_table(result):
    """A markdown table of first calls (trace + compile + run) at each workload's largest size: a row per system."""
    largest = {w: max(result.sizes(w)) for w in result.workloads()}
    rows = ["| system | " + " | ".join(largest) + " |", "|---|" + "---:|" * len(largest),
            "| *size* | " + " | ".join(f"*{n:,}*" for n in largest.values()) + " |"]
    for system in result.systems():
        cells = []
        for w, n in largest.items():
            m = result.find(w, n, system)
            cells.append("\u2014" if m is None else _fmt_time(m.first_call_s) if m.ok else "error")
        rows.append(f"| {system} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def ratio_text(ratio):
    """A ratio as a reader says it: 430\u00d7, 18\u00d7, 1.8\u00d7, 0.077\u00d7 (never 4.3e+02x)."""
    if ratio != ratio:
        return "nan"
    if ratio >= 10:
        return f"{ratio:,.0f}\u00d7"
    return f"{ratio:.2g}\u00d7"


def _fmt_time(t):
    if t != t:
        return "nan"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


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


def machine_label(meta):
    """'<device> · <date>' from a result's meta (older files may lack the device)."""
    device = meta.get("device") or meta.get("processor") or meta.get("machine") or "unknown machine"
    gpu = meta.get("limits", {}).get("gpu_name")
    if gpu and gpu not in device:
        device = f"{device} + {gpu}"
    date = str(meta.get("date", ""))[:10] or "undated"
    return f"{device} · {date}"


def _best_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def device_limits(gpu=False):
    """Measured peak memory bandwidth (a large copy) and matmul rate of the device, float32.

    Measured with the same thread settings as the systems, so a one-thread system is compared
    with what one thread can do."""
    limits = {}
    a = np.ones(2 ** 24, np.float32)
    b = np.empty_like(a)
    limits["cpu_bandwidth_Bps"] = 2 * a.nbytes / _best_time(lambda: np.copyto(b, a), 5)
    m = np.ones((1024, 1024), np.float32)
    limits["cpu_matmul_flops"] = 2 * 1024 ** 3 / _best_time(lambda: m @ m, 3)
    if gpu:
        try:
            _select_jax_platform("jax.jit[gpu]")
            import jax
            import jax.numpy as jnp
            dev = jax.devices("gpu")[0]
            x = jax.device_put(jnp.ones(2 ** 27, jnp.float32), dev)
            copy = jax.jit(lambda v: v + 1)
            copy(x).block_until_ready()
            limits["gpu_bandwidth_Bps"] = 2 * x.nbytes / _best_time(lambda: copy(x).block_until_ready(), 20)
            mm = jax.device_put(jnp.ones((8192, 8192), jnp.float32), dev)
            mat = jax.jit(lambda p: p @ p)
            mat(mm).block_until_ready()
            limits["gpu_matmul_flops"] = 2 * 8192 ** 3 / _best_time(lambda: mat(mm).block_until_ready(), 10)
            limits["gpu_name"] = dev.device_kind
        except Exception as err:
            limits["gpu_error"] = f"{type(err).__name__}: {err}"
    return limits


# ----------------------------------------------------------------------------------------------
# The run: one job per (workload, size), every system of a job timed in interleaved rounds

class Cancelled(Exception):
    pass


def _stop(workers, polite=True):
    for worker in workers.values():
        worker.stop(polite)


def measure_limits(gpu=False, threads=1, cancelled=None):
    """device_limits measured in a fresh process with the systems' thread settings."""
    worker = _Worker(["--limits"] + (["gpu"] if gpu else []), _child_environment(threads))
    try:
        return worker.receive(cancelled)
    finally:
        worker.stop(polite=False)


def _time_job(w, n, systems, rounds, threads, limits, cancelled):
    """Measurements of every system on one (workload, size)."""
    flops, nbytes = flops_and_bytes(w, n)
    env = _child_environment(threads)
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
        m.roofline_fraction = roofline_fraction(m, limits, gpu=_uses_gpu(s))
    for m in job.values():
        if m.ok:
            baseline = _baseline(m.system, job)
            m.break_even_calls = break_even(m, baseline)
            m.break_even_vs = baseline.system if baseline is not None else ""
    return list(job.values())


def _baseline(system, job):
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
    gpu = gpu or any(_uses_gpu(s) for s in systems)
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
            for m in _time_job(w, n, runnable, rounds, threads, limits, cancelled):
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


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] in (["--worker"], ["--limits"]):
        return _serve(argv)
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


if __name__ == "__main__":
    sys.path.append(_ROOT)  # run as a script (the workers are): jaxlite sits beside this package
    main()
