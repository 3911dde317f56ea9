"""Model of the live gradient-descent widget: two small problems, their losses, and plain gradient steps.

`logistic`: the seed article's logistic regression (four inputs with three features, boolean targets), with a
small weight decay. Without it the loss has no floor of curvature: far from the optimum it is nearly linear, so
gradient descent cannot diverge however large the rate, and on these separable inputs it runs to a loss float32
rounds to 0. With it the loss is strongly convex, and a rate past 2 / curvature (here about 5) really diverges.
`mlp`: a two-layer tanh network separating two interleaved half-moons in the plane.
Parameters start from NumPy's seeded generator, so jaxlite and JAX start from the same numbers and can be
switched mid-training (the parameters are handed over as NumPy arrays).
"""
from dataclasses import dataclass, field

import numpy as np

from widgets import backends
from widgets.models.jacobian import SEED_INPUTS, SEED_TARGETS

PROBLEMS = ("logistic", "mlp")
GRID = 48  # decision-function image resolution per side
HIDDEN = 16
WEIGHT_DECAY = 0.2  # the logistic loss adds WEIGHT_DECAY / 2 * |W|^2


@dataclass(frozen=True)
class Dataset:
    inputs: np.ndarray
    targets: np.ndarray  # float32 0/1


def moons(n=80, noise=0.12, seed=0) -> Dataset:
    """Two interleaved half-circles with Gaussian noise, labelled 0 and 1."""
    rng = np.random.default_rng(seed)
    half = n // 2
    angles = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(angles[:half]), np.sin(angles[:half])], axis=1)
    lower = np.stack([1 - np.cos(angles[half:]), 0.5 - np.sin(angles[half:])], axis=1)
    points = np.concatenate([upper, lower]) + rng.normal(0, noise, (n, 2))
    labels = np.concatenate([np.zeros(half), np.ones(n - half)])
    return Dataset(points.astype(np.float32), labels.astype(np.float32))


def dataset(problem: str) -> Dataset:
    if problem == "logistic":
        return Dataset(SEED_INPUTS, SEED_TARGETS.astype(np.float32))
    if problem == "mlp":
        return moons()
    raise ValueError(f"unknown problem {problem!r}: choose one of {', '.join(PROBLEMS)}")


def init_params(problem: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    if problem == "logistic":
        return {"W": rng.normal(size=3).astype(np.float32), "b": np.float32(rng.normal())}
    sizes = [(2, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, 1)]
    return [
        {"W": (rng.normal(size=s) / np.sqrt(s[0])).astype(np.float32), "b": np.zeros(s[1], np.float32)}
        for s in sizes
    ]


def logits(problem, params, inputs, jnp):
    if problem == "logistic":
        return jnp.dot(inputs, params["W"]) + params["b"]
    h = inputs
    for layer in params[:-1]:
        h = jnp.tanh(jnp.dot(h, layer["W"]) + layer["b"])
    return (jnp.dot(h, params[-1]["W"]) + params[-1]["b"])[..., 0]


def loss(problem, params, inputs, targets, jnp):
    """The seed's loss for logistic regression (-sum of log label probabilities) plus the weight decay; mean
    cross-entropy for the MLP. -log sigmoid(s) is computed as logaddexp(0, -s), which stays finite where the
    seed's formula takes the log of a probability float32 rounds to 0."""
    z = logits(problem, params, inputs, jnp)
    minus_log_probs = jnp.logaddexp(0.0, -(2 * targets - 1) * z)
    if problem == "logistic":
        return jnp.sum(minus_log_probs) + WEIGHT_DECAY / 2 * jnp.sum(params["W"] ** 2)
    return jnp.mean(minus_log_probs)


@dataclass(frozen=True)
class TrainState:
    params: object  # NumPy arrays, in the problem's pytree
    losses: tuple = ()  # the loss before each step taken, then after the last
    steps: int = 0


@dataclass
class Trainer:
    """One problem under one library: a jitted value-and-gradient, and the step rule."""
    problem: str
    backend: str
    data: Dataset = field(init=False)

    def __post_init__(self):
        self.lib = backends.library(self.backend)
        self.data = dataset(self.problem)
        jnp, api = self.lib.numpy, self.lib.api
        inputs, targets = self.lib.asarray(self.data.inputs), self.lib.asarray(self.data.targets)
        problem = self.problem

        def objective(params):
            return loss(problem, params, inputs, targets, jnp)

        self._value_and_grad = api.jit(api.value_and_grad(objective))
        self._objective = api.jit(objective)
        self._logits = api.jit(lambda params, x: logits(problem, params, x, jnp))

    def _lib_params(self, params):
        return self.lib.api.tree_util.tree_map(self.lib.asarray, params)

    def start(self, seed: int = 0) -> TrainState:
        params = init_params(self.problem, seed)
        return TrainState(params, (float(self._objective(self._lib_params(params))),), 0)

    def run(self, state: TrainState, learning_rate: float, steps: int = 1) -> TrainState:
        """`steps` gradient steps; raises FloatingPointError (state untouched) if the loss stops being finite."""
        params = self._lib_params(state.params)
        losses = list(state.losses)
        for _ in range(steps):
            _, grads = self._value_and_grad(params)
            params = self.lib.api.tree_util.tree_map(lambda p, g: p - learning_rate * g, params, grads)
            value = float(self._objective(params))
            if not np.isfinite(value):
                raise FloatingPointError(
                    f"the loss became {value} at step {state.steps + len(losses) - len(state.losses) + 1}: "
                    "gradient descent diverged, the learning rate is too large; lower it and press reset"
                )
            losses.append(value)
        numpy_params = self.lib.api.tree_util.tree_map(lambda p: np.asarray(p), params)
        return TrainState(numpy_params, tuple(losses), state.steps + steps)

    def probabilities(self, params, inputs) -> np.ndarray:
        z = np.asarray(self._logits(self._lib_params(params), self.lib.asarray(inputs)), dtype=np.float64)
        return 1 / (1 + np.exp(-z))

    def grid(self, params, resolution: int = GRID):
        """(extent, probabilities on a resolution x resolution grid) covering the data with a margin."""
        low, high = self.data.inputs.min(axis=0) - 0.5, self.data.inputs.max(axis=0) + 0.5
        xs, ys = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
        points = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2).astype(np.float32)
        values = self.probabilities(params, points).reshape(resolution, resolution)
        return (low[0], high[0], low[1], high[1]), values
