"""Model of the Jacobian builder: the Jacobian of f: R^n -> R^m filled in one jvp (a column) or one vjp (a row)
at a time, with one-hot tangents or cotangents, counting the calls.

Forward mode needs n calls and reverse mode m: the whole cost lesson of jacfwd against jacrev.
"""
from dataclasses import dataclass, replace

import numpy as np

from widgets import backends

MODES = ("jvp", "vjp")

# The seed example: a logistic model's predictions for four inputs, as a function of the weights W.
SEED_INPUTS = np.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.39], [0.74, -2.49, 1.39]],
                       dtype=np.float32)  # fmt: skip
SEED_TARGETS = np.array([True, True, False, True])
SEED_W = np.array([0.3, -0.6, 0.9], dtype=np.float32)
SEED_B = np.float32(0.1)


def predict(W, *, jnp):
    """sigmoid(inputs @ W + b): R^3 -> R^4."""
    return 1 / (1 + jnp.exp(-(jnp.dot(jnp.asarray(SEED_INPUTS), W) + SEED_B)))


@dataclass(frozen=True)
class Problem:
    """f at x under one library, with what both modes need: a jvp at x, and the vjp function from one forward pass."""
    lib: backends.Library
    f: object
    x: object
    n: int
    m: int
    vjp_fun: object
    scalar_out: bool = False  # f returns a scalar: m = 1, and its cotangent has shape ()

    def jvp_column(self, j):
        tangent = self.lib.asarray(np.eye(self.n, dtype=np.float32)[j])
        _, column = self.lib.api.jvp(self.f, (self.x,), (tangent,))
        return np.asarray(column, dtype=np.float64).reshape(self.m)

    def vjp_row(self, i):
        cotangent = self.lib.asarray(np.eye(self.m, dtype=np.float32)[i]).reshape(self.out_shape)
        (row,) = self.vjp_fun(cotangent)
        return np.asarray(row, dtype=np.float64).reshape(self.n)

    @property
    def out_shape(self):
        return () if self.scalar_out else (self.m,)


@dataclass(frozen=True)
class Progress:
    """How far the build is: `partial` is the m x n Jacobian with NaN where no call has filled it yet."""
    mode: str
    partial: np.ndarray
    calls: int

    @property
    def m(self):
        return self.partial.shape[0]

    @property
    def n(self):
        return self.partial.shape[1]

    @property
    def total(self) -> int:
        """Calls this mode needs: one per input (jvp) or one per output (vjp)."""
        return self.n if self.mode == "jvp" else self.m

    @property
    def done(self) -> bool:
        return self.calls >= self.total


def problem(f, x, backend="jaxlite") -> Problem:
    lib = backends.library(backend)
    fun = backends.bind(f, lib)
    x = lib.asarray(np.asarray(x, dtype=np.float32))
    if x.ndim > 1:
        raise ValueError(f"x must be a vector (f: R^n -> R^m), got shape {tuple(x.shape)}")
    if x.ndim == 0:
        x = x.reshape(1)
    y, vjp_fun = lib.api.vjp(fun, x)
    if y.ndim > 1:
        raise ValueError(f"f(x) must be a vector (f: R^n -> R^m), got shape {tuple(y.shape)}")
    return Problem(lib, fun, x, int(x.shape[0]), int(np.size(y)), vjp_fun, scalar_out=y.ndim == 0)


def start(prob: Problem, mode: str) -> Progress:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    return Progress(mode, np.full((prob.m, prob.n), np.nan), 0)


def step(prob: Problem, progress: Progress) -> Progress:
    """One more call: the next column by jvp with a one-hot tangent, or the next row by vjp with a one-hot cotangent."""
    if progress.done:
        return progress
    partial = progress.partial.copy()
    k = progress.calls
    if progress.mode == "jvp":
        partial[:, k] = prob.jvp_column(k)
    else:
        partial[k, :] = prob.vjp_row(k)
    return replace(progress, partial=partial, calls=k + 1)


def reference(prob: Problem, mode: str) -> np.ndarray:
    """The library's own jacfwd (for jvp) or jacrev (for vjp), for checking a finished build."""
    build = prob.lib.api.jacfwd if mode == "jvp" else prob.lib.api.jacrev
    return np.asarray(build(prob.f)(prob.x), dtype=np.float64).reshape(prob.m, prob.n)


def magnitude(prob: Problem) -> float:
    """The largest |entry| of the whole Jacobian: the colour scale, fixed before the first call."""
    return float(np.max(np.abs(reference(prob, "jvp")), initial=0.0))


def cost_lesson(n: int, m: int) -> str:
    if n < m:
        verdict = f"n = {n} < m = {m}: forward mode (jacfwd, {n} jvps) is cheaper here"
    elif m < n:
        verdict = f"m = {m} < n = {n}: reverse mode (jacrev, {m} vjps) is cheaper here; for a scalar loss, " \
                  "m = 1, which is why grad is built on vjp"
    else:
        verdict = f"n = m = {n}: both modes need the same number of calls here"
    return f"A jvp gives one column, so the Jacobian takes n = {n} jvps; a vjp gives one row, so m = {m} vjps. {verdict}."
