"""Every primitive's batching rule against jax.vmap, with random in_axes (some None, some negative)
and random out_axes."""
import jax
import numpy as np
import pytest

import jaxlite
import jaxlite.lax as llax
from primitive_cases import JAX_CASES as CASES, assert_matches_jax, to_jax, to_lite

BATCH = 3
BATCH_CASES = [c for c in CASES if c.batch and c.args()]


def _axes_and_batched_args(case, seed):
    """Random in_axes (at least one mapped) and arguments stacked from independent draws."""
    rng = np.random.default_rng(seed)
    draws = [case.args(seed=100 * seed + k) for k in range(BATCH)]
    in_axes = []
    for a in draws[0]:
        ndim = np.ndim(a)
        choices = [None] + list(range(-(ndim + 1), ndim + 1))
        in_axes.append(choices[rng.integers(len(choices))])
    if all(ax is None for ax in in_axes):
        in_axes[int(rng.integers(len(in_axes)))] = 0
    args = [draws[0][k] if ax is None else np.stack([d[k] for d in draws], axis=ax)
            for k, ax in enumerate(in_axes)]
    return tuple(in_axes), args, rng


@pytest.mark.parametrize("seed,case", list(enumerate(BATCH_CASES)), ids=[c.id for c in BATCH_CASES])
def test_vmap_matches_jax(case, seed):
    in_axes, args, rng = _axes_and_batched_args(case, seed)
    out_ndim = max(np.ndim(o) for o in jax.tree_util.tree_leaves(
        jax.eval_shape(lambda *a: case.fn(jax.lax, *a), *case.args())))
    out_axes = int(rng.integers(-(out_ndim + 1), out_ndim + 1))
    lite = jaxlite.vmap(lambda *a: case.fn(llax, *a), in_axes, out_axes)(*to_lite(args))
    ref = jax.vmap(lambda *a: case.fn(jax.lax, *a), in_axes, out_axes)(*to_jax(args))
    assert_matches_jax(lite, ref, case.rtol, case.atol)


def _first_case_per_primitive(cases):
    seen = set()
    return [c for c in cases if not (c.prim in seen or seen.add(c.prim))]


# Per-example gradients of the primitives whose derivative rules emit other structured primitives.
GRAD_BATCH_CASES = _first_case_per_primitive(
    [c for c in BATCH_CASES if c.diff and c.id.startswith(
        ("gather", "scatter", "dynamic", "sort", "cum", "clamp", "pad", "dot_general", "select_n",
         "reduce", "concatenate", "slice", "rev", "transpose", "broadcast_in_dim"))])


@pytest.mark.parametrize("case", GRAD_BATCH_CASES, ids=[c.id for c in GRAD_BATCH_CASES])
def test_vmap_of_grad_matches_jax(case):
    """Per-example gradients: the batching rules of the jvp and transpose rules' primitives."""
    in_axes, args, _ = _axes_and_batched_args(case, 7)
    k = case.diff[0]
    if in_axes[k] is None:
        in_axes = in_axes[:k] + (0,) + in_axes[k + 1:]
        args[k] = np.stack([case.args(seed=700 + j)[k] for j in range(BATCH)])

    def loss(lax, *a):
        return sum(jax.numpy.sum(o) if lax is jax.lax else jaxlite.numpy.sum(o)
                   for o in (jax.tree_util.tree_leaves(case.fn(lax, *a))))
    lite = jaxlite.vmap(jaxlite.grad(lambda *a: loss(llax, *a), argnums=k), in_axes)(*to_lite(args))
    ref = jax.vmap(jax.grad(lambda *a: loss(jax.lax, *a), argnums=k), in_axes)(*to_jax(args))
    assert_matches_jax(lite, ref, max(case.rtol, 1e-5), 1e-5, weak_type=False)
