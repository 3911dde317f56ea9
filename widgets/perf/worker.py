"""A worker process of the benchmark (see runner.py): it builds one system's program, makes its first call when
the parent says so, calibrates a round to >= MIN_ROUND_S, then times rounds until told to stop, answering in
JSON lines. It also measures the machine's limits (memory bandwidth, matmul rate) for the roofline."""
import dataclasses
import json
import os
import sys
import time

import numpy as np

from widgets.perf.workloads import autograd_program, check_output, inputs, jax_like_program, numpy_program, uses_gpu

MIN_ROUND_S = 0.01


def _select_jax_platform(system):
    """Pin real JAX to the CPU unless this system is the GPU one (set before JAX is imported)."""
    if uses_gpu(system):
        os.environ.pop("JAX_PLATFORMS", None)
    else:
        os.environ["JAX_PLATFORMS"] = "cpu"


def build(system, workload, size):
    """(callable, args, block) for one system; `block` waits for asynchronous results."""
    arrays = inputs(workload, size)
    identity = lambda out: out
    if system == "numpy":
        return numpy_program(workload), arrays, identity
    if system == "autograd":
        return autograd_program(workload), arrays, identity
    if system.startswith("jaxlite"):
        if system.startswith("jaxlite.jit[xla"):
            _select_jax_platform(system)
        import jaxlite
        import jaxlite.numpy as jnp
        fn = jax_like_program(workload, jaxlite, jnp)
        if system == "jaxlite.jit":
            fn = jaxlite.jit(fn)
        elif system.startswith("jaxlite.jit[xla"):
            # Import JAX and start its device now, as jax.jit's setup does, so that the first
            # call times tracing and compiling only; "gpu" raises where there is none.
            import jax
            jax.devices("gpu" if uses_gpu(system) else "cpu")
            fn = jaxlite.jit(fn, backend="xla")
        args = jaxlite.tree_util.tree_map(jnp.asarray, arrays)
        return fn, args, identity  # jaxlite's results are ready when returned, on either backend
    if system.startswith("jax"):
        _select_jax_platform(system)
        import jax
        import jax.numpy as jnp
        fn = jax_like_program(workload, jax, jnp)
        if system in ("jax.jit", "jax.jit[gpu]"):
            fn = jax.jit(fn)
        device = jax.devices("gpu")[0] if uses_gpu(system) else jax.devices("cpu")[0]
        args = jax.device_put(arrays, device)
        return fn, args, jax.block_until_ready
    raise KeyError(system)


# ----------------------------------------------------------------------------------------------
# Serving the parent

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


def _run_system(conn, system, workload, size):
    """Serve one (system, workload, size): build it, then on request make the first call and
    calibrate, then time rounds until told to stop.

    Building (importing JAX, say) overlaps with the other workers'; the first call waits for its
    turn, so that no other worker's import slows it down."""
    try:
        t0 = time.perf_counter()
        fn, args, block = build(system, workload, size)
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


def serve(argv):
    """The worker process's entry, given `--worker SYSTEM WORKLOAD SIZE` or `--limits [gpu]`."""
    conn = _ParentConnection()
    if argv[0] == "--limits":
        try:
            conn.send(device_limits(gpu=argv[1:] == ["gpu"]))
        except Exception as err:
            conn.send({"error": f"{type(err).__name__}: {err}"})
    else:
        _run_system(conn, argv[1], argv[2], int(argv[3]))


# ----------------------------------------------------------------------------------------------
# The machine's limits, for the roofline

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

