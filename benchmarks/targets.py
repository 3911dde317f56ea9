"""jaxlite's speed targets: each a ratio to a peer, both sides measured in this one run.

    python benchmarks/targets.py [--quick] [--out benchmarks/results/targets.json]

Every ratio is jaxlite's time over its peer's (NumPy, HIPS autograd, real JAX): the median of
interleaved rounds, each calibrated to >= 10 ms, so a slow spell of a shared machine hits both
sides alike. Also: how tracing, transposition and code generation scale with the number of
equations (the exponent of a power law fitted on log-log axes), peak memory of reverse mode, and a
profile of the slowest target to show where its time goes.
"""
import os

# One thread for every library, set before NumPy and JAX size their thread pools at import.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"
os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false").strip()
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jaxlite  # noqa: E402
import jaxlite.numpy as jnp  # noqa: E402
from jaxlite.interpreters import ad, numpy_codegen  # noqa: E402
from widgets import perf  # noqa: E402
from widgets.perf import workloads  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
MIN_ROUND_S = 0.01


# ----------------------------------------------------------------------------------------------
# Timing

def _calls_per_round(fn):
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - t0
        if elapsed >= MIN_ROUND_S:
            return number
        number *= 2 if elapsed == 0 else max(2, min(10, int(1.2 * MIN_ROUND_S / elapsed) + 1))


def side_by_side(fns, rounds):
    """Median seconds per call of each function, from interleaved rounds of >= 10 ms each."""
    for fn in fns.values():  # warm-up (first calls, caches)
        fn()
        fn()
    numbers = {name: _calls_per_round(fn) for name, fn in fns.items()}
    samples = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for _ in range(numbers[name]):
                fn()
            samples[name].append((time.perf_counter() - t0) / numbers[name])
    return {name: statistics.median(xs) for name, xs in samples.items()}


def once(fn, repeats=3):
    """Median time of a one-off action (tracing, a build), repeated from scratch."""
    times = []
    for _ in range(repeats):
        gc.collect()  # start each repeat clean: garbage of the last one is not this one's cost
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def ratio_target(name, what, ours, peer_name, peer, rounds, **extra):
    t = side_by_side({"jaxlite": ours, peer_name: peer}, rounds)
    return {"name": name, "what": what, "jaxlite_s": t["jaxlite"], "peer": peer_name,
            "peer_s": t[peer_name], "ratio": t["jaxlite"] / t[peer_name], "_run": ours, **extra}


# ----------------------------------------------------------------------------------------------
# The programs

def chain(np_, length):
    """An elementwise chain of `length` operations ending in a sum (sin, scale, add, repeated)."""
    def f(x):
        y = x
        for i in range((length - 1) // 3):
            y = np_.sin(y) * 0.5 + x
        return np_.sum(y)
    return f


def mlp_inputs(batch):
    return workloads.inputs("mlp_grad", batch)


def jaxlite_inputs(inputs):
    return jaxlite.tree_util.tree_map(jnp.asarray, inputs)


def mlp_grad(library, np_):
    return workloads.jax_like_program("mlp_grad", library, np_)


def _autograd():
    import autograd
    import autograd.numpy as anp
    return autograd, anp


# ----------------------------------------------------------------------------------------------
# The targets

def eager_targets(rounds):
    autograd, anp = _autograd()
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(10).astype(np.float32), rng.standard_normal(10).astype(np.float32)
    lx, ly = jnp.asarray(x), jnp.asarray(y)
    out = [ratio_target("eager_mul_10", "eager x * y on 10 float32", lambda: lx * ly,
                        "numpy", lambda: x * y, rounds)]

    f_ours, f_theirs = jaxlite.grad(chain(jnp, 151)), autograd.grad(chain(anp, 151))
    n_eqns = len(jaxlite.make_jaxpr(chain(jnp, 151))(lx).eqns)
    out.append(ratio_target("eager_grad_chain_151", f"eager grad of a {n_eqns}-op elementwise chain (10 float32)",
                            lambda: f_ours(lx), "autograd", lambda: f_theirs(x), rounds, equations=n_eqns))
    ours, theirs = mlp_grad(jaxlite, jnp), workloads.autograd_program("mlp_grad")
    for batch in (1, 32):
        inputs = mlp_inputs(batch)
        args = jaxlite_inputs(inputs)
        out.append(ratio_target(f"eager_grad_mlp_b{batch}", f"eager grad of the 256-256-10 MLP, batch {batch}",
                                lambda a=args: ours(*a), "autograd", lambda i=inputs: theirs(*i), rounds))
    return out


def dispatch_layers(rounds):
    """Where the time of an eager `x * y` goes: each layer of the call, timed side by side.

    NumPy alone; wrapping NumPy's result in an ArrayImpl (what any array type costs); the primitive's
    impl (rules checked once per operand type); `bind` through the current trace (the EvalTrace);
    jnp.multiply; the `*` operator."""
    from jaxlite.array import ArrayImpl
    from jaxlite.lax import lax as lax_module
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(10).astype(np.float32), rng.standard_normal(10).astype(np.float32)
    lx, ly = jnp.asarray(x), jnp.asarray(y)
    mul_p = lax_module.mul_p
    t = side_by_side({
        "numpy": lambda: x * y,
        "wrap numpy's result": lambda: ArrayImpl(np.multiply(lx._value, ly._value), False),
        "mul_p.impl": lambda: mul_p.impl(lx, ly),
        "mul_p.bind": lambda: mul_p.bind(lx, ly),
        "jnp.multiply": lambda: jnp.multiply(lx, ly),
        "x * y": lambda: lx * ly}, rounds)
    return {"name": "eager_mul_10_layers", "what": "eager x * y on 10 float32, layer by layer",
            "seconds": t, "ratio_to_numpy": {k: v / t["numpy"] for k, v in t.items()}}


def jit_targets(rounds, batches):
    out = []
    reference = workloads.numpy_program("mlp_grad")
    for batch in batches:
        inputs = mlp_inputs(batch)
        args = jaxlite_inputs(inputs)
        jitted = jaxlite.jit(mlp_grad(jaxlite, jnp))
        out.append(ratio_target(f"jit_numpy_mlp_b{batch}",
                                f"jit (NumPy backend) of the MLP gradient, batch {batch}, vs hand-written NumPy",
                                lambda a=args, f=jitted: f(*a), "numpy", lambda i=inputs: reference(*i), rounds))
    args = jaxlite_inputs(mlp_inputs(32))
    build = once(lambda: jaxlite.jit(mlp_grad(jaxlite, jnp))(*args), repeats=5)
    out.append({"name": "jit_numpy_mlp_first_call_ms", "what": "first call of a fresh jit of the MLP gradient "
                "(trace + optimise + generate + compile + run), batch 32", "jaxlite_ms": build * 1e3})
    return out


def xla_targets(rounds, batches):
    import jax
    import jax.numpy as jjnp
    out = []
    for batch in batches:
        inputs = mlp_inputs(batch)
        args = jaxlite_inputs(inputs)
        ours = jaxlite.jit(mlp_grad(jaxlite, jnp), backend="xla")
        theirs = jax.jit(mlp_grad(jax, jjnp))
        jargs = jax.device_put(inputs)
        out.append(ratio_target(f"jit_xla_mlp_b{batch}", f"jit (xla backend) of the MLP gradient, batch {batch}, "
                                "vs jax.jit, steady state", lambda a=args, f=ours: jaxlite.block_until_ready(f(*a)), "jax.jit",
                                lambda a=jargs, f=theirs: jax.block_until_ready(f(*a)), rounds))
    return out


def make_jaxpr_target(rounds):
    import jax
    import jax.numpy as jjnp
    inputs = mlp_inputs(32)
    args = jaxlite_inputs(inputs)
    ours = jaxlite.make_jaxpr(mlp_grad(jaxlite, jnp))
    theirs = jax.make_jaxpr(mlp_grad(jax, jjnp))
    record = ratio_target("make_jaxpr_mlp_grad", "make_jaxpr of the MLP gradient, batch 32, vs jax.make_jaxpr",
                          lambda: ours(*args), "jax", lambda: theirs(*inputs), rounds,
                          equations=len(ours(*args).eqns))
    record["jaxlite_ms"] = record["jaxlite_s"] * 1e3
    return record


def memory_target(batch=1024):
    """Peak bytes allocated (NumPy's buffers included) while taking the MLP's gradient."""
    inputs = mlp_inputs(batch)
    args = jaxlite_inputs(inputs)
    ours, theirs = mlp_grad(jaxlite, jnp), workloads.autograd_program("mlp_grad")
    ours(*args), theirs(*inputs)

    def peak(fn):
        tracemalloc.start()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        fn()
        peak_bytes = tracemalloc.get_traced_memory()[1] - before
        tracemalloc.stop()
        return peak_bytes

    p_ours = statistics.median(peak(lambda: ours(*args)) for _ in range(3))
    p_theirs = statistics.median(peak(lambda: theirs(*inputs)) for _ in range(3))
    activations = 4 * batch * (256 + 256 + 256 + 10)
    return {"name": f"reverse_mode_peak_memory_mlp_b{batch}", "what": f"peak memory while taking the MLP's "
            f"gradient at batch {batch} (tracemalloc), vs autograd", "jaxlite_bytes": p_ours, "peer": "autograd",
            "peer_bytes": p_theirs, "ratio": p_ours / p_theirs, "activation_bytes": activations}


# ----------------------------------------------------------------------------------------------
# Scaling with the number of equations

def elementwise_chain(n):
    """n equations: sin and a scaling by a constant, alternately."""
    def f(x):
        y = x
        for i in range(n):
            y = jnp.sin(y) if i % 2 == 0 else y * 1.01
        return y
    return f


def fit_exponent(ns, times):
    """The power p in time ~ c * n**p, least squares on log-log axes."""
    return float(np.polyfit(np.log(ns), np.log(times), 1)[0])


def scaling(ns, repeats=5):
    x = jnp.ones(4, jnp.float32)
    rows = []
    for n in ns:
        f = elementwise_chain(n)
        traced = jaxlite.make_jaxpr(f)(x)
        t_trace = once(lambda: jaxlite.make_jaxpr(f)(x), repeats)
        _, linear, consts = ad.linearize_flat(lambda v: [f(v)], [x])
        ct = [jnp.ones(4, jnp.float32)]
        t_transpose = once(lambda: ad.backward_pass(linear, consts, ct), repeats)
        t_codegen = once(lambda: numpy_codegen.compile_jaxpr(traced), repeats)
        rows.append({"equations": len(traced.eqns), "linear_equations": len(linear.eqns),
                     "trace_s": t_trace, "transpose_s": t_transpose, "codegen_s": t_codegen})
    eqns = [r["equations"] for r in rows]
    return {"rows": rows, "exponents": {stage: fit_exponent(eqns, [r[f"{stage}_s"] for r in rows])
                                        for stage in ("trace", "transpose", "codegen")}}


# ----------------------------------------------------------------------------------------------
# Profile, report

def profile(target, seconds=1.0):
    """cProfile of jaxlite's side of a target, top 15 functions by own time."""
    run = target["_run"]
    calls = max(1, int(seconds / max(target["jaxlite_s"], 1e-6)))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        run()
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
    text = stream.getvalue()
    for prefix in sorted({str(ROOT) + os.sep, sys.prefix + os.sep, sys.base_prefix + os.sep}, key=len,
                         reverse=True):
        text = text.replace(prefix, "")
    header = (f"# {target['name']}: {target['what']}\n# jaxlite/{target['peer']} = {target['ratio']:.3g}; "
              f"{calls} calls profiled\n")
    return header + text


def report(targets, scale):
    lines = ["| target | jaxlite | peer | ratio |", "|---|---:|---:|---:|"]
    for t in targets:
        if "ratio" in t and "jaxlite_s" in t:
            lines.append(f"| {t['name']} | {perf.format_time(t['jaxlite_s'])} | {t['peer']} "
                         f"{perf.format_time(t['peer_s'])} | {t['ratio']:.3g}x |")
        elif "jaxlite_bytes" in t:
            lines.append(f"| {t['name']} | {t['jaxlite_bytes'] / 2**20:.2f} MiB | {t['peer']} "
                         f"{t['peer_bytes'] / 2**20:.2f} MiB | {t['ratio']:.3g}x |")
        else:
            lines.append(f"| {t['name']} | {t['jaxlite_ms']:.3g} ms | | |")
    lines += ["", "| equations | trace | transpose | codegen |", "|---:|---:|---:|---:|"]
    for r in scale["rows"]:
        lines.append(f"| {r['equations']} | {perf.format_time(r['trace_s'])} | "
                     f"{perf.format_time(r['transpose_s'])} | {perf.format_time(r['codegen_s'])} |")
    ex = scale["exponents"]
    lines.append(f"| exponent | {ex['trace']:.2f} | {ex['transpose']:.2f} | {ex['codegen']:.2f} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, up to 3,000 equations")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--note", default="")
    parser.add_argument("--out", default=str(RESULTS / "targets.json"))
    args = parser.parse_args(argv)
    rounds = args.rounds or (5 if args.quick else 9)
    ns = (100, 300, 1000, 3000) if args.quick else (100, 300, 1000, 3000, 10000)

    targets = eager_targets(rounds)
    layers = dispatch_layers(rounds)
    targets += jit_targets(rounds, (1, 32, 1024))
    targets += xla_targets(rounds, (1, 32, 1024))
    targets.append(make_jaxpr_target(rounds))
    targets.append(memory_target())
    scale = scaling(ns)

    slowest = max((t for t in targets if "_run" in t), key=lambda t: t["ratio"])
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    (out.parent / f"profile_{slowest['name']}.txt").write_text(profile(slowest))
    meta = perf.machine_info(threads=1, note=args.note) | {
        "rounds": rounds, "method": f"median of {rounds} interleaved rounds (jaxlite and its peer "
                                    f"alternating), each >= {MIN_ROUND_S * 1e3:.0f} ms; one process, one thread",
        "ratio": "jaxlite time / peer time (or bytes): lower is better, 1 is parity",
        "slowest_target": slowest["name"]}
    public = [{k: v for k, v in t.items() if not k.startswith("_")} for t in targets]
    out.write_text(json.dumps({"meta": meta, "targets": public, "eager_mul_layers": layers, "scaling": scale},
                              indent=1) + "\n")
    layer_lines = "\n".join(f"| {k} | {perf.format_time(v)} | {layers['ratio_to_numpy'][k]:.2f}x |"
                             for k, v in layers["seconds"].items())
    print(f"{perf.machine_label(meta)}\n\n{report(targets, scale)}\n\n| eager x * y, layer | time | vs NumPy |\n"
          f"|---|---:|---:|\n{layer_lines}\n\nprofile of the slowest target: "
          f"{out.parent / ('profile_' + slowest['name'] + '.txt')}")
    return {"meta": meta, "targets": public, "eager_mul_layers": layers, "scaling": scale}


if __name__ == "__main__":
    main()
