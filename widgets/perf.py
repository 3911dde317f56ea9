"""The performance side-by-side: one workload timed under NumPy, jaxlite and real JAX, fairly.

Model only (no ipywidgets): `run_benchmark(...)` returns a `BenchmarkResult`; `BenchmarkPanel`
draws it. Method: each system runs in its own process (so thread pools never fight), its result
is first checked against hand-written NumPy, warm-up and the first call (trace + compile) are
reported apart, and steady state is the median of interleaved rounds, each calibrated to >= 10 ms.

    python -m widgets.perf [--quick] [--gpu] --out benchmarks/results/cpu.json
"""
import argparse
import dataclasses
import datetime
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time

import numpy as np

SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit", "jaxlite.jit[xla]", "jax", "jax.jit", "jax.jit[gpu]",
           "autograd")
DEFAULT_SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit", "jaxlite.jit[xla]", "jax", "jax.jit")


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
    "elementwise": Workload("elementwise", "16 elementwise ops: y = sin(y) * 1.01 + x, 8 times",
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


def _rng_inputs(workload, size):
    rng = np.random.default_rng(0)
    f32 = lambda *shape: rng.standard_normal(shape).astype(np.float32)
    if workload == "elementwise":
        return [f32(size)]
    if workload == "matmul":
        return [f32(size, size), f32(size, size)]
    if workload == "logreg_grad":
        return [f32(3), f32(), f32(size, 3), (rng.random(size) > 0.5).astype(np.float32)]
    if workload == "mlp_grad":
        return [_mlp_params(rng, (256, 256, 10)), f32(size, 256), f32(size, 10)]
    if workload == "per_example_grads":
        return [_mlp_params(rng, (64, 64, 10)), f32(size, 64), f32(size, 10)]
    raise KeyError(workload)


def _mlp_params(rng, sizes):
    return [((rng.standard_normal((m, n)) / np.sqrt(m)).astype(np.float32), np.zeros(n, np.float32))
            for m, n in zip(sizes[:-1], sizes[1:])]


def flops_and_bytes(workload, size):
    """Arithmetic and memory traffic of one call (float32), for the roofline."""
    if workload == "elementwise":
        return 16 * 3 * size, 16 * 3 * 4 * size
    if workload == "matmul":
        return 2 * size ** 3, 3 * 4 * size * size
    if workload == "logreg_grad":
        return 20 * size * 3, 4 * size * 8
    if workload in ("mlp_grad", "per_example_grads"):
        dims = (256, 256, 10) if workload == "mlp_grad" else (64, 64, 10)
        weights = sum(m * n for m, n in zip(dims[:-1], dims[1:]))
        return 6 * size * weights, 4 * (3 * weights + 6 * size * sum(dims))
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
            d = (2 / out.size) * (out - y)
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
    if workload == "per_example_grads":
        raise NotImplementedError("autograd has no vmap")

    class _AutogradAsJax:
        @staticmethod
        def grad(fun, argnums=0):
            return autograd.grad(fun, argnum=argnums)

    return _jax_like_program(workload, _AutogradAsJax, anp)


# ----------------------------------------------------------------------------------------------
# One worker process per system

def _configure_threads(threads):
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                          f"intra_op_parallelism_threads={threads}")


def _build(system, workload, size):
    """(callable, args, block) for one system; `block` waits for asynchronous results."""
    inputs = _rng_inputs(workload, size)
    identity = lambda out: out
    if system == "numpy":
        return _numpy_program(workload), inputs, identity
    if system == "autograd":
        return _autograd_program(workload), inputs, identity
    if system.startswith("jaxlite"):
        import jaxlite
        import jaxlite.numpy as jnp
        fn = _jax_like_program(workload, jaxlite, jnp)
        if system == "jaxlite.jit":
            fn = jaxlite.jit(fn)
        elif system == "jaxlite.jit[xla]":
            fn = jaxlite.jit(fn, backend="xla")
        args = jaxlite.tree_util.tree_map(jnp.asarray, inputs)
        return fn, args, identity
    if system.startswith("jax"):
        if system != "jax.jit[gpu]":
            os.environ["JAX_PLATFORMS"] = "cpu"
        import jax
        import jax.numpy as jnp
        fn = _jax_like_program(workload, jax, jnp)
        if system in ("jax.jit", "jax.jit[gpu]"):
            fn = jax.jit(fn)
        device = jax.devices("gpu")[0] if system == "jax.jit[gpu]" else jax.devices("cpu")[0]
        args = jax.device_put(inputs, device)
        return fn, args, jax.block_until_ready
    raise KeyError(system)


def _leaves(tree):
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _leaves(item)]
    if isinstance(tree, dict):
        return [leaf for k in sorted(tree) for leaf in _leaves(tree[k])]
    return [tree]


def _worker(conn, system, workload, size, threads):
    """Serve timing requests for one (system, workload, size) until told to stop."""
    _configure_threads(threads)
    try:
        t0 = time.perf_counter()
        fn, args, block = _build(system, workload, size)
        setup = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = block(fn(*args))
        first_call = time.perf_counter() - t0
        got = [np.asarray(x) for x in _leaves(out)]
        reference = _leaves(_numpy_program(workload)(*_rng_inputs(workload, size)))
        dtypes = sorted({str(g.dtype) for g in got})
        ok = len(got) == len(reference) and all(
            g.shape == np.shape(r) and np.allclose(g, r, rtol=2e-3, atol=2e-3 * max(1, np.abs(r).max()))
            for g, r in zip(got, reference))
        if dtypes != ["float32"]:
            ok = False
        out = block(fn(*args))  # a second call, still warm-up
        number = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(number):
                block(fn(*args))
            elapsed = time.perf_counter() - t0
            if elapsed >= 0.01 or number >= 1 << 20:
                break
            number *= 2 if elapsed == 0 else max(2, min(10, int(0.012 / elapsed) + 1))
        conn.send({"ok": ok, "dtypes": dtypes, "first_call": first_call, "setup": setup,
                   "number": number})
        while conn.recv() == "round":
            t0 = time.perf_counter()
            for _ in range(number):
                block(fn(*args))
            conn.send((time.perf_counter() - t0) / number)
    except Exception as err:  # reported, not raised: one failing system must not stop the run
        conn.send({"error": f"{type(err).__name__}: {err}"})
    finally:
        conn.close()


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
    break_even_calls: float = float("nan")
    flops: float = 0.0
    bytes: float = 0.0
    roofline_fraction: float = float("nan")
    correct: bool = False
    error: str = ""


@dataclasses.dataclass
class BenchmarkResult:
    meta: dict
    measurements: list

    def to_json(self):
        return json.dumps({"meta": self.meta, "measurements": [dataclasses.asdict(m) for m in
                                                                 self.measurements]}, indent=1)

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        return cls(data["meta"], [Measurement(**m) for m in data["measurements"]])

    def table(self):
        """A markdown table: median time per system, as a ratio to NumPy in brackets."""
        systems = [s for s in SYSTEMS if any(m.system == s for m in self.measurements)]
        rows = ["| workload | size | " + " | ".join(systems) + " |",
                "|---|---:|" + "---:|" * len(systems)]
        keys = sorted({(m.workload, m.size) for m in self.measurements},
                      key=lambda k: (list(WORKLOADS).index(k[0]), k[1]))
        by = {(m.workload, m.size, m.system): m for m in self.measurements}
        for w, n in keys:
            base = by.get((w, n, "numpy"))
            cells = []
            for s in systems:
                m = by.get((w, n, s))
                if m is None or m.error or not m.correct:
                    cells.append("—" if m is None else ("error" if m.error else "wrong"))
                    continue
                ratio = f" ({m.median_s / base.median_s:.2g}x)" if base and base.correct else ""
                cells.append(f"{_fmt_time(m.median_s)}{ratio}")
            rows.append(f"| {w} | {n} | " + " | ".join(cells) + " |")
        return "\n".join(rows)


def _fmt_time(t):
    if t != t:
        return "nan"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def machine_info(threads):
    import numpy
    info = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(), "numpy": numpy.__version__,
            "machine": platform.machine(), "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(), "threads_per_system": threads}
    for mod in ("jax", "jaxlib", "autograd"):
        try:
            info[mod] = __import__(mod).__version__ if mod != "autograd" else "installed"
        except Exception:
            info[mod] = None
    try:
        import jaxlite
        info["jaxlite"] = jaxlite.__version__
    except Exception:
        info["jaxlite"] = None
    return info


def device_limits(gpu=False):
    """Measured peak memory bandwidth (a large copy) and matmul rate of the device, float32."""
    limits = {}
    a = np.ones(2 ** 24, np.float32)
    b = np.empty_like(a)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        np.copyto(b, a)
        times.append(time.perf_counter() - t0)
    limits["cpu_bandwidth_Bps"] = 2 * a.nbytes / min(times)
    m = np.ones((1024, 1024), np.float32)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        m @ m
        times.append(time.perf_counter() - t0)
    limits["cpu_matmul_flops"] = 2 * 1024 ** 3 / min(times)
    if gpu:
        try:
            import jax
            import jax.numpy as jnp
            dev = jax.devices("gpu")[0]
            x = jax.device_put(jnp.ones(2 ** 27, jnp.float32), dev)
            copy = jax.jit(lambda v: v + 1)
            copy(x).block_until_ready()
            t0 = time.perf_counter()
            for _ in range(20):
                copy(x).block_until_ready()
            limits["gpu_bandwidth_Bps"] = 20 * 2 * x.nbytes / (time.perf_counter() - t0)
            mm = jax.device_put(jnp.ones((8192, 8192), jnp.float32), dev)
            mat = jax.jit(lambda p: p @ p)
            mat(mm).block_until_ready()
            t0 = time.perf_counter()
            for _ in range(10):
                mat(mm).block_until_ready()
            limits["gpu_matmul_flops"] = 10 * 2 * 8192 ** 3 / (time.perf_counter() - t0)
            limits["gpu_name"] = dev.device_kind
        except Exception as err:
            limits["gpu_error"] = str(err)
    return limits


def run_benchmark(workloads=("elementwise",), sizes=None, systems=DEFAULT_SYSTEMS, rounds=7,
                  threads=1, quick=False, gpu=False, progress=None, cancelled=None):
    """Time every (workload, size, system); `progress(done, total, text)` reports, and
    `cancelled()` returning True stops early (the partial result is returned)."""
    ctx = multiprocessing.get_context("spawn")
    limits = device_limits(gpu)
    meta = machine_info(threads) | {"limits": limits, "rounds": rounds, "quick": quick,
                                    "method": "median of interleaved rounds, each >= 10 ms; "
                                              "one process per system; first call reported apart"}
    measurements = []
    jobs = []
    for w in workloads:
        wl = WORKLOADS[w]
        for n in (sizes or (wl.quick_sizes if quick else wl.sizes)):
            jobs.append((w, n))
    total = len(jobs) * len(systems)
    done = 0
    for w, n in jobs:
        if cancelled and cancelled():
            break
        flops, nbytes = flops_and_bytes(w, n)
        workers, pending = {}, {}
        for s in systems:
            parent, child = ctx.Pipe()
            p = ctx.Process(target=_worker, args=(child, s, w, n, threads), daemon=True)
            p.start()
            workers[s] = (p, parent)
        for s, (p, conn) in workers.items():
            m = Measurement(w, n, s, flops=flops, bytes=nbytes)
            info = conn.recv() if conn.poll(600) else {"error": "timed out"}
            if "error" in info:
                m.error = info["error"]
            else:
                m.correct = bool(info["ok"])
                m.first_call_s = info["first_call"]
                if not m.correct:
                    m.error = f"result differs from NumPy (dtypes {info['dtypes']})"
            pending[s] = m
        samples = {s: [] for s in pending if not pending[s].error}
        for _ in range(rounds):  # interleaved: every system once per round
            for s in samples:
                workers[s][1].send("round")
                samples[s].append(workers[s][1].recv())
        for s, (p, conn) in workers.items():
            try:
                conn.send("stop")
            except (BrokenPipeError, OSError):
                pass
            p.join(timeout=10)
        for s, m in pending.items():
            if s in samples and samples[s]:
                xs = sorted(samples[s])
                m.median_s = statistics.median(xs)
                m.q1_s, m.q3_s = xs[len(xs) // 4], xs[(3 * len(xs)) // 4]
                m.break_even_calls = _break_even(m, pending.get("numpy"))
                m.roofline_fraction = _roofline(m, limits, gpu=s.endswith("[gpu]"))
            measurements.append(m)
            done += 1
            if progress:
                progress(done, total, f"{w} n={n} {s}")
    return BenchmarkResult(meta, measurements)


def _break_even(m, numpy_m):
    """Calls after which the one-off first-call cost is repaid against NumPy (inf if never)."""
    if numpy_m is None or numpy_m.median_s != numpy_m.median_s or m.system == "numpy":
        return float("nan")
    saving = numpy_m.median_s - m.median_s
    extra = m.first_call_s - m.median_s
    return extra / saving if saving > 0 else float("inf")


def _roofline(m, limits, gpu):
    peak_flops = limits.get("gpu_matmul_flops" if gpu else "cpu_matmul_flops")
    peak_bw = limits.get("gpu_bandwidth_Bps" if gpu else "cpu_bandwidth_Bps")
    if not peak_flops or not peak_bw:
        return float("nan")
    bound = max(m.flops / peak_flops, m.bytes / peak_bw)
    return bound / m.median_s


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m widgets.perf", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (a minute or two)")
    parser.add_argument("--gpu", action="store_true", help="also time jax.jit on the GPU")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--systems", default=None)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default=None, help="write the JSON result here")
    args = parser.parse_args(argv)
    systems = tuple(args.systems.split(",")) if args.systems else DEFAULT_SYSTEMS + (
        ("jax.jit[gpu]",) if args.gpu else ())
    result = run_benchmark(tuple(args.workloads.split(",")), systems=systems, rounds=args.rounds,
                           threads=args.threads, quick=args.quick, gpu=args.gpu,
                           progress=lambda d, t, s: print(f"[{d}/{t}] {s}", file=sys.stderr))
    if args.out:
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w") as fh:
            fh.write(result.to_json())
    print(result.table())
    return result


if __name__ == "__main__":
    main()
