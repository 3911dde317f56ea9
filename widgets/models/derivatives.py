"""Model of the function-and-derivatives plot: curves sampled once, and what depends on the point x0.

Derivatives are nested `grad`s of the chosen library, vmapped over the sample points and jitted, so the same
code runs on jaxlite and on real JAX and the two can be compared number by number.
"""
from dataclasses import dataclass

import numpy as np

from widgets import backends, safe_expr

MAX_ORDER = 4
NUM_SAMPLES = 400


@dataclass(frozen=True)
class Derivatives:
    """f and its derivatives under one library: `pointwise[k]` maps a scalar x to f^(k)(x), `sampled[k]` a vector,
    and `at_point` maps x to all of f(x), f'(x), ... at once."""
    backend: str
    order: int
    pointwise: tuple
    sampled: tuple
    at_point: object


@dataclass(frozen=True)
class Curves:
    """f, f', ... sampled on the x range: `values[k]` is f^(k) at `xs`."""
    xs: np.ndarray
    values: tuple

    @property
    def order(self) -> int:
        return len(self.values) - 1


@dataclass(frozen=True)
class PointReadout:
    """What depends on x0: the values f(x0), f'(x0), ... and the tangent line drawn over the x range."""
    x0: float
    values: tuple
    tangent_xs: np.ndarray
    tangent_ys: np.ndarray

    @property
    def slope(self) -> float:
        return self.values[1]


def to_function(f, lib: backends.Library):
    """A typed formula becomes a function through the safe reader; a callable gets its `jnp` if it asks."""
    if isinstance(f, str):
        return safe_expr.compile_expression(f, lib.numpy)
    if not callable(f):
        raise TypeError(f"expected a function of x or a formula as text, got {type(f).__name__}")
    return backends.bind(f, lib)


def derivatives(f, order: int, backend: str) -> Derivatives:
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"order must be between 1 and {MAX_ORDER}, got {order}")
    lib = backends.library(backend)
    fun = to_function(f, lib)
    out = lib.api.eval_shape(fun, lib.asarray(np.float32(0.0)))
    if getattr(out, "shape", None) != ():
        shape = getattr(out, "shape", type(out).__name__)
        raise TypeError(f"grad needs f to give one number for each x (a scalar output), but f(x) has shape {shape}")
    pointwise = [fun]
    for _ in range(order):
        pointwise.append(lib.api.grad(pointwise[-1]))
    # The curves are sampled once per formula, so tracing for jit would not pay off there; the readout at x0
    # runs on every slider move, so all derivatives at a point are one jitted function (one call, shared work).
    jit, vmap = lib.api.jit, lib.api.vmap
    at_point = jit(lambda x: tuple(g(x) for g in pointwise))
    return Derivatives(backend, order, tuple(pointwise), tuple(vmap(g) for g in pointwise), at_point)


def sample(derivs: Derivatives, x_range, num: int = NUM_SAMPLES) -> Curves:
    lib = backends.library(derivs.backend)
    xs = np.linspace(*x_range, num, dtype=np.float32)
    points = lib.asarray(xs)
    values = []
    for k, g in enumerate(derivs.sampled):
        ys = np.asarray(g(points), dtype=np.float64)
        if ys.shape != xs.shape:
            what = "f" if k == 0 else f"derivative {k}"
            raise TypeError(f"{what} should give one number per x, but gave shape {ys.shape} for {xs.shape}")
        values.append(ys)
    return Curves(xs.astype(np.float64), tuple(values))


def readout(derivs: Derivatives, x0: float, x_range) -> PointReadout:
    lib = backends.library(derivs.backend)
    point = lib.asarray(np.float32(x0))
    values = tuple(float(np.asarray(v)) for v in derivs.at_point(point))
    tangent_xs = np.array(x_range, dtype=np.float64)
    tangent_ys = values[0] + values[1] * (tangent_xs - x0)
    return PointReadout(float(x0), values, tangent_xs, tangent_ys)


def largest_difference(a: Curves, b: Curves) -> float:
    """The largest |a - b| over all sampled points of all curves both have (NaN-aware: NaN vs NaN is no difference)."""
    gaps = []
    for ya, yb in zip(a.values, b.values):
        both_nan = np.isnan(ya) & np.isnan(yb)
        gap = np.where(both_nan, 0.0, np.abs(ya - yb))
        gaps.append(np.max(np.where(np.isnan(gap), np.inf, gap)))
    return float(max(gaps))


def y_limits(values, margin: float = 0.08):
    """Limits that show one curve's shape: all of it, unless a few points (a pole, like tan's or log's near 0)
    reach far beyond the bulk; then the bulk, and the spike leaves the axes."""
    values = np.asarray(values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (-1.0, 1.0)
    low, high = float(finite.min()), float(finite.max())
    p_low, p_high = np.percentile(finite, [1, 99])
    if high - low > 3 * (p_high - p_low):  # a spike: the extreme 1% spans most of the range
        low, high = p_low, p_high
        q1, median, q3 = np.percentile(finite, [25, 50, 75])
        if q3 - q1 > 0 and high - low > 20 * (q3 - q1):  # still a pole's tail: keep to the bulk
            low, high = max(low, median - 8 * (q3 - q1)), min(high, median + 8 * (q3 - q1))
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    pad = margin * (high - low)
    return (float(low - pad), float(high + pad))


SUPERSCRIPTS = str.maketrans("0123456789()", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207d\u207e")


def derivative_label(k: int) -> str:
    """f, f\u2032, f\u2033, f\u2034, then f\u207d\u2074\u207e: primes as printed, a superscript order beyond three."""
    return ("f", "f\u2032", "f\u2033", "f\u2034")[k] if k <= 3 else "f" + f"({k})".translate(SUPERSCRIPTS)
