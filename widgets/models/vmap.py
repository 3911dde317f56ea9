"""Model of the vmap explorer: which axis of each argument is mapped, what one example looks like, what comes out.

The shapes come from `eval_shape` of the chosen library's vmap, so an inconsistent mapping produces JAX's own
error message, shown in place of a result.
"""
import ast
from dataclasses import dataclass

import numpy as np

from widgets import backends

MAX_AXES_TEXT = 100


@dataclass(frozen=True)
class ArgumentPlan:
    """One argument: its full shape, the axis vmap maps over (None: shared by every example), one example's shape."""
    name: str
    shape: tuple
    dtype: str
    axis: int | None

    @property
    def example_shape(self) -> tuple:
        if self.axis is None:
            return self.shape
        return self.shape[: self.axis] + self.shape[self.axis + 1 :]

    @property
    def size(self):
        return None if self.axis is None else self.shape[self.axis]


@dataclass(frozen=True)
class VmapPlan:
    arguments: tuple
    in_axes: object
    out_axes: object
    result_shape: object = None  # a shape tuple, or a pytree of them for several outputs
    result_axis: int | None = None
    error: str | None = None

    @property
    def per_example_call(self) -> str:
        """f(a[i], b) style: which arguments are sliced for example i and which are passed whole."""
        parts = []
        for arg in self.arguments:
            if arg.axis is None:
                parts.append(arg.name)
            else:
                index = ", ".join(["i" if d == arg.axis else ":" for d in range(len(arg.shape))])
                parts.append(f"{arg.name}[{index}]")
        return f"f({', '.join(parts)})"


class AxesError(ValueError):
    """Text typed as in_axes/out_axes that is not a valid axes specification."""


def parse_axes(text: str):
    """An int, None, or a tuple/list of those (nested at most once), read with ast.literal_eval: nothing runs."""
    text = text.strip()
    if len(text) > MAX_AXES_TEXT:
        raise AxesError(f"too long: at most {MAX_AXES_TEXT} characters")
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise AxesError(f"{text!r} is not an axes specification: type an int, None, or a tuple like (0, None)") from None
    _check_axes(value, depth=0)
    return tuple(value) if isinstance(value, list) else value


def _check_axes(value, depth):
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        if value is not None and abs(value) > 32:
            raise AxesError(f"axis {value} is out of any reasonable range")
        return
    if isinstance(value, (tuple, list)) and depth < 2 and len(value) <= 16:
        for item in value:
            _check_axes(item, depth + 1)
        return
    raise AxesError(f"axes must be ints, None, or tuples of them, got {value!r}")


def _per_argument_axes(in_axes, count):
    if isinstance(in_axes, tuple):
        return in_axes if len(in_axes) == count else (None,) * count
    return (in_axes,) * count


def _normalize(axis, rank):
    if isinstance(axis, int) and -rank <= axis < rank:
        return axis % rank
    return None


def argument_names(count):
    return ["x", "y", "z", "w"][:count] if count <= 4 else [f"a{i}" for i in range(count)]


def plan(f, args, in_axes=0, out_axes=0, backend="jaxlite") -> VmapPlan:
    lib = backends.library(backend)
    arrays = tuple(np.asarray(a) for a in args)
    axes = _per_argument_axes(in_axes, len(arrays))
    arguments = tuple(
        ArgumentPlan(name, a.shape, str(a.dtype), _normalize(axis, a.ndim) if isinstance(axis, int) else None)
        for name, a, axis in zip(argument_names(len(arrays)), arrays, axes)
    )
    try:
        mapped = lib.api.vmap(backends.bind(f, lib), in_axes=in_axes, out_axes=out_axes)
        out = lib.api.eval_shape(mapped, *(lib.asarray(a) for a in arrays))
    except Exception as error:  # vmap's own complaint (inconsistent sizes, bad axes) is the lesson here
        return VmapPlan(arguments, in_axes, out_axes, error=f"{type(error).__name__}: {error}")
    shapes = lib.api.tree_util.tree_map(lambda s: tuple(s.shape), out)
    result_axis = _normalize(out_axes, len(shapes)) if isinstance(shapes, tuple) and isinstance(out_axes, int) else None
    return VmapPlan(arguments, in_axes, out_axes, shapes, result_axis)
