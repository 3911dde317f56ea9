"""jaxlite.random against jax.random: the same keys give the same bits, floats and integers.

Bits, keys, uniform, randint, bernoulli, categorical and permutations are compared bit for bit.
Samplers that end in a transcendental function (normal's erf_inv, gumbel's logs) are compared to
a tolerance: XLA computes those with its own polynomial approximations.
"""
import hypothesis.strategies as st
import jax
import jax.random as jr
import numpy as np
import pytest
from hypothesis import given, settings

import jaxlite
import jaxlite.lax as lax
from jaxlite import prng
from jaxlite import random

EDGE_SEEDS = [0, 1, -1, 2 ** 31 - 1, -2 ** 31]
seeds = st.one_of(st.sampled_from(EDGE_SEEDS), st.integers(-2 ** 31, 2 ** 31 - 1))
# A few shapes (odd sizes among them), reused so that JAX compiles each sampler only a few times.
SHAPES = [(), (2, 3), (1001,)]
shapes = st.sampled_from(SHAPES)
shapes_or_empty = st.sampled_from(SHAPES + [(0,)])
few = settings(max_examples=50, deadline=None)
some = settings(max_examples=20, deadline=None)


@pytest.fixture
def x64():
    old_jax, old_lite = jax.config.jax_enable_x64, jaxlite.config.read("jax_enable_x64")
    jax.config.update("jax_enable_x64", True)
    jaxlite.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", old_jax)
    jaxlite.config.update("jax_enable_x64", old_lite)


def assert_same(ours, theirs):
    """Bit-identical values, and the same shape, dtype and weak type."""
    a, b = np.asarray(ours), np.asarray(theirs)
    assert a.dtype == b.dtype
    assert a.shape == b.shape
    np.testing.assert_array_equal(a, b)
    assert getattr(ours, "weak_type", False) == getattr(theirs, "weak_type", False)


def assert_close(ours, theirs, rtol, atol=0.0):
    a, b = np.asarray(ours), np.asarray(theirs)
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def keys(seed):
    return random.PRNGKey(seed), jr.PRNGKey(seed)


# ----------------------------------------------------------------------------------------------
# The threefry2x32 primitive


@pytest.mark.parametrize("key, count, expected", [
    # Known-answer vectors of the Threefry-2x32 (20 rounds) reference implementation (Random123).
    ((0, 0), (0, 0), (0x6B200159, 0x99BA4EFE)),
    ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
    ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0)),
])
def test_threefry2x32_matches_known_answers(key, count, expected):
    out = prng.threefry2x32(*[np.uint32(v) for v in key + count])
    assert [int(o) for o in out] == list(expected)


def test_threefry2x32_broadcasts_scalar_keys_over_counts():
    counts = np.arange(6, dtype=np.uint32).reshape(2, 3)
    out = prng.threefry2x32(np.uint32(7), np.uint32(9), counts, counts[::-1])
    one_by_one = [prng.threefry2x32(np.uint32(7), np.uint32(9), np.uint32(a), np.uint32(b))
                  for a, b in zip(counts.ravel(), counts[::-1].ravel())]
    for i in range(2):
        np.testing.assert_array_equal(np.asarray(out[i]).ravel(), [int(o[i]) for o in one_by_one])


def test_threefry2x32_batches_over_keys():
    ks = np.arange(8, dtype=np.uint32).reshape(4, 2)
    counts = np.arange(5, dtype=np.uint32)
    batched = jaxlite.vmap(lambda k: prng.threefry2x32(k[0], k[1], counts, counts))(ks)
    for i, k in enumerate(ks):
        single = prng.threefry2x32(k[0], k[1], counts, counts)
        np.testing.assert_array_equal(np.asarray(batched[0])[i], np.asarray(single[0]))
        np.testing.assert_array_equal(np.asarray(batched[1])[i], np.asarray(single[1]))


def test_threefry2x32_rejects_non_uint32():
    with pytest.raises(TypeError, match="must have uint32 type"):
        jaxlite.make_jaxpr(lambda x: prng.threefry2x32(x, x, x, x))(np.zeros(2, np.int32))


def test_threefry2x32_is_one_equation_with_two_outputs():
    """In the program jit runs, where random_bits has become its threefry computation."""
    closed = prng.physicalize(jaxlite.make_jaxpr(lambda k: random.bits(k, (3,)))(random.PRNGKey(0)))
    eqns = [e for e in closed.jaxpr.eqns if e.primitive is prng.threefry2x32_p]
    assert len(eqns) == 1
    assert [v.aval.str_short() for v in eqns[0].outvars] == ["u32[3]", "u32[3]"]


# ----------------------------------------------------------------------------------------------
# Keys


@few
@given(seeds)
def test_prng_key_matches_jax(seed):
    assert_same(*keys(seed))


def test_prng_key_without_x64_keeps_the_low_32_bits():
    for seed in [2 ** 31, 2 ** 40, -2 ** 40, 2 ** 63 - 1]:
        assert_same(*keys(seed))
    np.testing.assert_array_equal(random.PRNGKey(-1), [0, 4294967295])


@pytest.mark.parametrize("seed", [0, 1, -1, 2 ** 31 - 1, 2 ** 40, -2 ** 40, 2 ** 63 - 1])
def test_prng_key_with_x64_uses_the_int64_seed(x64, seed):
    assert_same(*keys(seed))


def test_prng_key_of_numpy_integer_seeds(x64):
    for seed in [np.int32(-5), np.uint32(4000000000), np.uint64(2 ** 64 - 1)]:
        assert_same(random.PRNGKey(seed), jr.PRNGKey(seed))


def test_key_data_of_a_typed_key_is_the_legacy_key():
    np.testing.assert_array_equal(random.key_data(random.key(42)), random.PRNGKey(42))
    np.testing.assert_array_equal(random.key_data(random.key(42)), jr.key_data(jr.key(42)))


@few
@given(seeds, st.sampled_from([2, 3, (2, 3), (0,)]))
def test_split_matches_jax(seed, num):
    k, jk = keys(seed)
    assert_same(random.split(k, num), jr.split(jk, num))


def test_split_facts():
    np.testing.assert_array_equal(random.split(random.PRNGKey(0)),
                                  [[1797259609, 2579123966], [928981903, 3453687069]])


@few
@given(seeds, st.integers(0, 2 ** 32 - 1))
def test_fold_in_matches_jax(seed, data):
    k, jk = keys(seed)
    assert_same(random.fold_in(k, data), jr.fold_in(jk, data))


def test_fold_in_rejects_out_of_range_python_ints():
    with pytest.raises(OverflowError, match="out of bounds for uint32"):
        random.fold_in(random.PRNGKey(0), -1)


def test_invalid_keys_raise_jax_errors():
    with pytest.raises(TypeError, match="expected key_data.dtype = uint32; got dtype=float32"):
        random.uniform(np.zeros(2, np.float32))
    with pytest.raises(TypeError, match=r"expected key_data.shape to end with \(2,\)"):
        random.uniform(np.zeros(3, np.uint32))
    with pytest.raises(ValueError, match=r"split accepts a single key, but was given a key array "
                                         r"of shape \(3, 2\) != \(\)"):
        random.split(random.split(random.PRNGKey(0), 3))
    with pytest.raises(TypeError, match="PRNGKey accepts a scalar seed"):
        random.PRNGKey(np.zeros(2, np.int32))
    with pytest.raises(TypeError, match="PRNG key seed must be an integer"):
        random.PRNGKey(1.5)


# ----------------------------------------------------------------------------------------------
# Bits, uniform, randint, bernoulli: bit for bit


@few
@given(seeds, shapes)
def test_bits_match_jax(seed, shape):
    k, jk = keys(seed)
    assert_same(random.bits(k, shape), jr.bits(jk, shape))


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_narrow_bits_match_jax(dtype):
    for seed in EDGE_SEEDS:
        k, jk = keys(seed)
        assert_same(random.bits(k, (2, 5), dtype), jr.bits(jk, (2, 5), dtype))


@pytest.mark.parametrize("seed", [0, -1, 2 ** 40])
def test_bits_uint64_with_x64(x64, seed):
    k, jk = keys(seed)
    assert_same(random.bits(k, (5,)), jr.bits(jk, (5,)))


@few
@given(seeds, shapes_or_empty)
def test_uniform_float32_matches_jax(seed, shape):
    k, jk = keys(seed)
    assert_same(random.uniform(k, shape), jr.uniform(jk, shape))


@some
@given(seeds, st.sampled_from([(0., 1.), (-2., 3.), (5., 5.5), (-1e-3, 0.)]))
def test_uniform_float16_with_bounds_matches_jax(seed, bounds):
    k, jk = keys(seed)
    assert_same(random.uniform(k, (1001,), np.float16, *bounds), jr.uniform(jk, (1001,), np.float16, *bounds))


@some
@given(seeds, st.sampled_from([(-1., 1.), (-4., 4.), (0.5, 2.5), (5., 5.5), (-3., -2.)]))
def test_uniform_float32_with_power_of_two_spans_matches_jax(seed, bounds):
    k, jk = keys(seed)
    assert_same(random.uniform(k, (1001,), np.float32, *bounds), jr.uniform(jk, (1001,), np.float32, *bounds))


@pytest.mark.parametrize("bounds", [(-2., 3.), (-1e-3, 0.), (-0.3, 0.3)])
def test_uniform_float32_with_other_bounds_within_a_rounding(bounds):
    # XLA:CPU fuses `floats * (maxval - minval) + minval` into one fused multiply-add (one rounding);
    # jaxlite rounds after the mul and after the add, so about a third of the values differ by one
    # rounding of the product (1 ulp at the bounds' scale).
    lo, hi = bounds
    k, jk = keys(3)
    ours = random.uniform(k, (1000,), minval=lo, maxval=hi)
    theirs = jr.uniform(jk, (1000,), minval=lo, maxval=hi)
    assert_close(ours, theirs, rtol=0, atol=np.spacing(np.float32(max(abs(lo), abs(hi)))))


def test_uniform_array_bounds_broadcast_like_jax():
    k, jk = keys(7)
    lo = np.array([0., -2., 1.], np.float32)
    hi = np.array([[1.], [2.]], np.float32)
    assert_close(random.uniform(k, (2, 3), minval=lo, maxval=hi),
                 jr.uniform(jk, (2, 3), minval=lo, maxval=hi), rtol=0, atol=np.spacing(np.float32(2)))


@pytest.mark.parametrize("seed", [0, -1, 2 ** 40])
def test_uniform_float64_with_x64(x64, seed):
    k, jk = keys(seed)
    assert_same(random.uniform(k, (1000,)), jr.uniform(jk, (1000,)))
    assert_same(random.uniform(k, (3,), np.float32), jr.uniform(jk, (3,), np.float32))


def test_uniform_rejects_integer_dtypes():
    with pytest.raises(ValueError, match="dtype argument to `uniform` must be a float dtype, got int32"):
        random.uniform(random.PRNGKey(0), dtype=np.int32)


RANDINT_CASES = [(0, 10, np.int32), (-5, 17, np.int32), (-2 ** 31, 2 ** 31 - 1, np.int32),
                 (3, 3, np.int32), (9, 2, np.int32), (-5, 300, np.uint8), (0, 256, np.uint8),
                 (-100, 100, np.int8), (0, 1000, np.int16), (1, 2 ** 31 - 1, np.uint32)]


@few
@given(seeds, st.sampled_from(RANDINT_CASES))
def test_randint_matches_jax(seed, case):
    lo, hi, dtype = case
    k, jk = keys(seed)
    assert_same(random.randint(k, (7,), lo, hi, dtype), jr.randint(jk, (7,), lo, hi, dtype))


@some
@given(seeds, shapes)
def test_randint_shapes_match_jax(seed, shape):
    k, jk = keys(seed)
    assert_same(random.randint(k, shape, -3, 1000), jr.randint(jk, shape, -3, 1000))


def test_randint_with_array_bounds():
    k, jk = keys(11)
    lo, hi = np.array([0, -10, 5]), np.array([[3], [100]])
    assert_same(random.randint(k, (2, 3), lo, hi), jr.randint(jk, (2, 3), lo, hi))


def test_randint_int64_with_x64(x64):
    k, jk = keys(2 ** 40)
    assert_same(random.randint(k, (50,), -2 ** 40, 2 ** 40), jr.randint(jk, (50,), -2 ** 40, 2 ** 40))


@few
@given(seeds, shapes, st.sampled_from([0.0, 0.3, 0.5, 1.0]))
def test_bernoulli_matches_jax(seed, shape, p):
    k, jk = keys(seed)
    assert_same(random.bernoulli(k, p, shape), jr.bernoulli(jk, p, shape))


def test_bernoulli_high_mode_matches_jax():
    for seed in EDGE_SEEDS:
        k, jk = keys(seed)
        assert_same(random.bernoulli(k, 1e-3, (1001,), "high"), jr.bernoulli(jk, 1e-3, (1001,), "high"))


def test_bernoulli_shape_from_p():
    k, jk = keys(3)
    p = np.array([[0.1, 0.9, 0.5]], np.float32)
    assert_same(random.bernoulli(k, p), jr.bernoulli(jk, p))
    assert_same(random.bernoulli(k, p, (4, 3)), jr.bernoulli(jk, p, (4, 3)))


@some
@given(seeds)
def test_rademacher_matches_jax(seed):
    k, jk = keys(seed)
    assert_same(random.rademacher(k, (2, 3)), jr.rademacher(jk, (2, 3)))


# ----------------------------------------------------------------------------------------------
# Normal and friends: XLA's erf_inv, log and log1p are approximations, so values agree to a tolerance


@few
@given(seeds, shapes)
def test_normal_matches_jax(seed, shape):
    # XLA's float32 erf_inv is a polynomial up to ~60 ulp off near +-1; jaxlite's is correctly rounded.
    k, jk = keys(seed)
    assert_close(random.normal(k, shape), jr.normal(jk, shape), rtol=2e-5)


def test_normal_is_sqrt2_erf_inv_of_the_same_uniform_as_jax():
    k, jk = keys(0)
    lo = np.nextafter(np.float32(-1), np.float32(0))
    u = jr.uniform(jk, (1000,), minval=lo, maxval=1.)
    expected = np.float32(np.sqrt(2)) * np.asarray(lax.erf_inv(np.asarray(u)))
    np.testing.assert_array_equal(random.normal(k, (1000,)), expected)


def test_normal_central_values_within_4_ulp():
    k, jk = keys(1)
    ours, theirs = np.asarray(random.normal(k, (1000,))), np.asarray(jr.normal(jk, (1000,)))
    central = np.abs(theirs) < 1.6
    np.testing.assert_array_max_ulp(ours[central], theirs[central], maxulp=4)


def test_normal_float64_with_x64(x64):
    k, jk = keys(2 ** 40)
    assert_close(random.normal(k, (1000,)), jr.normal(jk, (1000,)), rtol=1e-12)


def test_normal_complex_matches_jax():
    k, jk = keys(5)
    assert_close(random.normal(k, (2, 3), np.complex64), jr.normal(jk, (2, 3), np.complex64), rtol=2e-5)


def test_seed_article_usage_matches_jax():
    key, jkey = random.PRNGKey(0), jr.PRNGKey(0)
    key, W_key, b_key = random.split(key, 3)
    jkey, jW_key, jb_key = jr.split(jkey, 3)
    assert_same(key, jkey)
    assert_close(random.normal(W_key, (3,)), jr.normal(jW_key, (3,)), rtol=2e-5)
    assert_close(random.normal(b_key, ()), jr.normal(jb_key, ()), rtol=2e-5)
    assert_close(random.normal(key, (150, 100)), jr.normal(jkey, (150, 100)), rtol=2e-5)


@pytest.mark.parametrize("name", ["gumbel", "exponential", "laplace", "logistic", "cauchy"])
def test_uniform_transforms_match_jax(name):
    k, jk = keys(13)
    ours, theirs = getattr(random, name)(k, (1001,)), getattr(jr, name)(jk, (1001,))
    assert_close(ours, theirs, rtol=2e-6, atol=2e-6)


def test_gumbel_high_mode_matches_jax():
    k, jk = keys(4)
    assert_close(random.gumbel(k, (500,), mode="high"), jr.gumbel(jk, (500,), mode="high"),
                 rtol=2e-6, atol=2e-6)


def test_truncated_normal_matches_jax_and_stays_inside():
    k, jk = keys(6)
    ours = random.truncated_normal(k, -1.5, 2.0, (1000,))
    assert_close(ours, jr.truncated_normal(jk, -1.5, 2.0, (1000,)), rtol=5e-5, atol=1e-6)
    assert np.all((np.asarray(ours) > -1.5) & (np.asarray(ours) < 2.0))


def test_truncated_normal_shape_from_bounds():
    k, jk = keys(6)
    lower, upper = np.array([-1., 0., 1.], np.float32), np.float32(3.)
    assert_close(random.truncated_normal(k, lower, upper), jr.truncated_normal(jk, lower, upper),
                 rtol=5e-5, atol=1e-6)


@some
@given(seeds, st.sampled_from([(-1, None), (0, (5, 7))]))
def test_categorical_matches_jax(seed, axis_shape):
    axis, shape = axis_shape
    logits = np.random.default_rng(0).normal(size=(4, 7)).astype(np.float32)
    k, jk = keys(seed)
    assert_same(random.categorical(k, logits, axis, shape), jr.categorical(jk, logits, axis, shape))


# ----------------------------------------------------------------------------------------------
# Permutations and choice


@some
@given(seeds, st.sampled_from([0, 7, 1700]))
def test_permutation_of_range_matches_jax(seed, n):
    # 1700 elements take two sorting rounds, as in JAX.
    k, jk = keys(seed)
    assert_same(random.permutation(k, n), jr.permutation(jk, n))


@pytest.mark.parametrize("axis, independent", [(0, False), (1, False), (1, True)])
def test_permutation_of_array_matches_jax(axis, independent):
    x = np.arange(12.).reshape(3, 4).astype(np.float32)
    k, jk = keys(5)
    assert_same(random.permutation(k, x, axis, independent), jr.permutation(jk, x, axis, independent))


def test_shuffle_is_deprecated_independent_permutation():
    x = np.arange(12).reshape(3, 4)
    k, jk = keys(2)
    with pytest.warns(DeprecationWarning):
        ours = random.shuffle(k, x, 1)
    assert_same(ours, jr.permutation(jk, x, 1, independent=True))


@some
@given(seeds, st.sampled_from([(), (4,), (2, 3)]), st.sampled_from([1, 5, 10]))
def test_choice_from_range_matches_jax(seed, shape, n):
    k, jk = keys(seed)
    assert_same(random.choice(k, n, shape), jr.choice(jk, n, shape))


@pytest.mark.parametrize("shape, axis", [((5,), 0), ((2, 5), 1)])
def test_choice_from_array_matches_jax(shape, axis):
    x = np.arange(12.).reshape(3, 4).astype(np.float32)
    k, jk = keys(9)
    assert_same(random.choice(k, x, shape, axis=axis), jr.choice(jk, x, shape, axis=axis))


def test_choice_without_replacement_matches_jax():
    k, jk = keys(9)
    assert_same(random.choice(k, 10, (4,), replace=False), jr.choice(jk, 10, (4,), replace=False))


def test_choice_with_probabilities_matches_jax():
    p = np.array([.1, .2, .3, .4], np.float32)
    k, jk = keys(9)
    assert_same(random.choice(k, 4, (6,), p=p), jr.choice(jk, 4, (6,), p=p))


def test_choice_with_probabilities_without_replacement_matches_jax():
    p = np.array([.1, .2, .3, .4], np.float32)
    k, jk = keys(9)
    assert_same(random.choice(k, 4, (3,), replace=False, p=p), jr.choice(jk, 4, (3,), replace=False, p=p))


def test_categorical_without_replacement_matches_jax():
    logits = np.random.default_rng(1).normal(size=(3, 6)).astype(np.float32)
    k, jk = keys(9)
    assert_same(random.categorical(k, logits, shape=(2, 3), replace=False),
                jr.categorical(jk, logits, shape=(2, 3), replace=False))


def test_choice_errors():
    k = random.PRNGKey(0)
    with pytest.raises(ValueError, match=r"Cannot take a larger sample \(size 4\) than population"):
        random.choice(k, 3, (4,), replace=False)
    with pytest.raises(TypeError, match="must be a sequence, got 4"):
        random.choice(k, 3, 4)


# ----------------------------------------------------------------------------------------------
# Under transformations


def test_vmap_uniform_over_split_keys_matches_jax():
    k, jk = keys(3)
    ours = jaxlite.vmap(lambda key: random.uniform(key, (3,)))(random.split(k, 4))
    assert_same(ours, jax.vmap(lambda key: jr.uniform(key, (3,)))(jr.split(jk, 4)))


def test_vmap_split_and_randint_over_keys_match_jax():
    k, jk = keys(8)
    ks, jks = random.split(k, 5), jr.split(jk, 5)
    assert_same(jaxlite.vmap(lambda key: random.split(key, 3))(ks),
                jax.vmap(lambda key: jr.split(key, 3))(jks))
    assert_same(jaxlite.vmap(lambda key: random.randint(key, (2,), 0, 9))(ks),
                jax.vmap(lambda key: jr.randint(key, (2,), 0, 9))(jks))


def test_vmap_over_seeds_and_fold_in_data_matches_jax():
    seeds_ = np.arange(-3, 4)
    assert_same(jaxlite.vmap(random.PRNGKey)(seeds_), jax.vmap(jr.PRNGKey)(seeds_))
    k, jk = keys(1)
    data = np.arange(6)
    assert_same(jaxlite.vmap(lambda d: random.fold_in(k, d))(data),
                jax.vmap(lambda d: jr.fold_in(jk, d))(data))


def test_vmap_permutation_and_categorical_over_keys_match_jax():
    k, jk = keys(6)
    ks, jks = random.split(k, 3), jr.split(jk, 3)
    assert_same(jaxlite.vmap(lambda key: random.permutation(key, 9))(ks),
                jax.vmap(lambda key: jr.permutation(key, 9))(jks))
    logits = np.random.default_rng(0).normal(size=(4, 7)).astype(np.float32)
    assert_same(jaxlite.vmap(lambda key: random.categorical(key, logits))(ks),
                jax.vmap(lambda key: jr.categorical(key, logits))(jks))


def test_vmap_uniform_over_bounds_matches_jax():
    k, jk = keys(2)
    lo = np.linspace(-1, 1, 4).astype(np.float32)
    assert_same(jaxlite.vmap(lambda m: random.uniform(k, (3,), minval=m, maxval=m + 2))(lo),
                jax.vmap(lambda m: jr.uniform(jk, (3,), minval=m, maxval=m + 2))(lo))


def test_jit_of_keys_and_samplers_matches_eager():
    k = random.PRNGKey(5)
    np.testing.assert_array_equal(jaxlite.jit(random.PRNGKey)(np.int32(-1)), random.PRNGKey(-1))
    np.testing.assert_array_equal(jaxlite.jit(lambda key: random.split(key, 3))(k), random.split(k, 3))
    np.testing.assert_array_equal(jaxlite.jit(random.fold_in)(k, 7), random.fold_in(k, 7))
    np.testing.assert_array_equal(jaxlite.jit(lambda key: random.bits(key, (4,)))(k), random.bits(k, (4,)))
    np.testing.assert_array_equal(jaxlite.jit(lambda key: random.normal(key, (5,)))(k), random.normal(k, (5,)))
    np.testing.assert_array_equal(jaxlite.jit(lambda key: random.permutation(key, 9))(k),
                                  random.permutation(k, 9))


def test_grad_of_uniform_through_its_bounds_matches_jax():
    k, jk = keys(3)
    f = lambda lo, hi: (random.uniform(k, (5,), minval=lo, maxval=hi) ** 2).sum()
    jf = lambda lo, hi: (jr.uniform(jk, (5,), minval=lo, maxval=hi) ** 2).sum()
    args = (np.float32(-1.), np.float32(2.))
    for ours, theirs in zip(jaxlite.grad(f, (0, 1))(*args), jax.jit(jax.grad(jf, (0, 1)))(*args)):
        assert_close(ours, theirs, rtol=1e-5)


def test_grad_of_normal_sample_scaled_by_a_parameter():
    k = random.PRNGKey(4)
    z = random.normal(k, (6,))
    g = jaxlite.grad(lambda s: (s * random.normal(k, (6,))).sum())(np.float32(2.))
    np.testing.assert_allclose(g, np.sum(np.asarray(z)), rtol=1e-6)


def test_jvp_through_the_key_is_zero():
    k = random.PRNGKey(0)
    f = lambda lo: random.uniform(k, (3,), minval=lo, maxval=lo + 1.)
    _, tangent = jaxlite.jvp(f, (np.float32(0.),), (np.float32(1.),))
    np.testing.assert_allclose(tangent, np.ones(3, np.float32), rtol=1e-6)
