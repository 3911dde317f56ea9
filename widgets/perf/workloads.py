"""The benchmark's workloads: each one computation, written once as hand-written NumPy (the reference every
system must match) and once for any library with JAX's API (jax, jaxlite, HIPS autograd), with its flop and
byte counts for the roofline. Imports NumPy only: a worker process loads the library it times itself."""
import dataclasses
import math

import numpy as np

SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit", "jaxlite.jit[xla]", "jaxlite.jit[xla-gpu]", "jax",
           "jax.jit", "jax.jit[gpu]", "autograd")
DEFAULT_SYSTEMS = ("numpy", "jaxlite", "jaxlite.jit", "jaxlite.jit[xla]", "jax", "jax.jit")
GPU_SYSTEMS = ("jaxlite.jit[xla-gpu]", "jax.jit[gpu]")


def uses_gpu(system):
    return system in GPU_SYSTEMS


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


def inputs(workload, size):
    """The workload's arguments at `size`: float32 NumPy arrays, the same on every call (seed 0)."""
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

def numpy_program(workload):
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
        mlp = numpy_program("mlp_grad")

        def per_example(params, x, y):
            outs = [mlp(params, x[i:i + 1], y[i:i + 1]) for i in range(x.shape[0])]
            return [(np.stack([o[k][0] for o in outs]), np.stack([o[k][1] for o in outs]))
                    for k in range(len(params))]
        return per_example
    raise KeyError(workload)


def jax_like_program(workload, jax, jnp):
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


def autograd_program(workload):
    """The same programs through HIPS autograd (a tape of closures), an eager-autodiff peer."""
    import autograd
    import autograd.numpy as anp
    if not supported("autograd", workload):
        raise NotImplementedError("autograd has no vmap")

    class _AutogradAsJax:
        @staticmethod
        def grad(fun, argnums=0):
            return autograd.grad(fun, argnum=argnums)

    return jax_like_program(workload, _AutogradAsJax, anp)


# ----------------------------------------------------------------------------------------------
# Checking a system's output against the reference

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
    reference = [np.asarray(r) for r in _leaves(numpy_program(workload)(*inputs(workload, size)))]
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

