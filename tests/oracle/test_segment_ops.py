"""`jax.ops` segment reductions against JAX: values and dtypes, empty and out-of-range segments,
buckets, under jit, grad and vmap, and JAX's errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp

OPS = ["segment_sum", "segment_prod", "segment_max", "segment_min"]
IDS = np.array([0, 0, 2, 3, -1, 1])


def both(f):
    return f(jaxlite, lnp), f(jax, jnp)


def assert_same(ours, theirs):
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_values_with_empty_and_dropped_segments(op, dtype):
    data = np.arange(1, 7).astype(dtype)
    assert_same(*both(lambda J, np_: getattr(J.ops, op)(np_.asarray(data), np_.asarray(IDS), 5)))


@pytest.mark.parametrize("op", OPS)
def test_rows_of_a_matrix(op):
    data = np.arange(12.0).reshape(6, 2)
    assert_same(*both(lambda J, np_: getattr(J.ops, op)(np_.asarray(data), np_.asarray(IDS), 4)))


def test_number_of_segments_defaults_to_the_largest_id_plus_one():
    assert_same(*both(lambda J, np_: J.ops.segment_sum(np_.arange(4.0), np_.array([0, 2, 2, 1]))))


@pytest.mark.parametrize("op", ["segment_sum", "segment_prod"])
def test_bucket_size(op):
    data = np.arange(1.0, 7.0)
    assert_same(*both(lambda J, np_: getattr(J.ops, op)(np_.asarray(data), np_.array([0, 0, 1, 1, 1, 2]),
                                                        3, bucket_size=4)))


def test_clip_mode_clamps_out_of_range_ids():
    assert_same(*both(lambda J, np_: J.ops.segment_sum(np_.arange(4.0), np_.array([0, 5, -2, 1]), 2,
                                                       mode="clip")))


def test_bool_segment_min_and_max():
    for op in ("segment_min", "segment_max"):
        assert_same(*both(lambda J, np_: getattr(J.ops, op)(np_.array([True, False]), np_.array([0, 0]), 2)))


def test_under_jit_with_static_number_of_segments():
    assert_same(*both(lambda J, np_: J.jit(lambda d, s: J.ops.segment_max(d, s, num_segments=4))(
        np_.arange(6.0), np_.asarray(IDS))))


def test_gradient_of_segment_max_goes_to_the_maxima():
    assert_same(*both(lambda J, np_: J.grad(lambda d: J.ops.segment_max(d, np_.array([0, 0, 1, 1]), 2).sum())(
        np_.array([1.0, 3.0, 2.0, -1.0]))))


def test_gradient_of_segment_sum_is_one_per_kept_row():
    assert_same(*both(lambda J, np_: J.grad(lambda d: J.ops.segment_sum(d, np_.asarray(IDS), 4).sum())(
        np_.arange(6.0))))


def test_under_vmap():
    assert_same(*both(lambda J, np_: J.vmap(lambda d: J.ops.segment_sum(d, np_.asarray(IDS), 4))(
        np_.arange(12.0).reshape(2, 6))))


def test_traced_number_of_segments_is_refused_as_in_jax():
    messages = []
    for J, np_ in ((jaxlite, lnp), (jax, jnp)):
        with pytest.raises(J.errors.ConcretizationTypeError) as info:
            J.jit(lambda d, s: J.ops.segment_sum(d, s))(np_.arange(3.0), np_.array([0, 1, 1]))
        messages.append(str(info.value).splitlines()[:2])
    assert messages[0] == messages[1]


def test_negative_number_of_segments_is_refused():
    for J, np_ in ((jaxlite, lnp), (jax, jnp)):
        with pytest.raises(ValueError, match="^num_segments must be non-negative.$"):
            J.ops.segment_sum(np_.arange(3.0), np_.array([0, 1, 1]), -1)


def test_a_list_is_refused_with_jax_error():
    messages = []
    for J, np_ in ((jaxlite, lnp), (jax, jnp)):
        with pytest.raises(TypeError) as info:
            J.ops.segment_sum([1.0, 2.0], np_.array([0, 1]), 2)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_jaxpr_is_a_scatter_add_as_in_jax():
    ours, theirs = both(lambda J, np_: str(J.make_jaxpr(lambda d, s: J.ops.segment_sum(d, s, 3))(
        np_.arange(5.0), np_.array([0, 0, 1, 2, 2]))))
    assert ours == theirs
