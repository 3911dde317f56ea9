"""Typed PRNG keys (`random.key`, dtype key<fry>) against JAX: reprs, shapes and dtypes, jaxprs,
the same numbers from typed and raw keys, keys through jit (both backends), vmap, grad and control
flow, and JAX's refusals (arithmetic, NumPy conversion)."""
import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as lnp
from jaxlite import prng
from jaxlite import random as lr

LIBS = [(jaxlite, lnp), (jax, jnp)]


def both(program):
    return program(jaxlite, lnp), program(jax, jnp)


def same_text(program):
    ours, theirs = both(program)
    assert str(ours) == str(theirs)
    return ours


def assert_same_values(ours, theirs):
    """Same pytree of results: key arrays by their data, other arrays bit for bit."""
    ours_l, theirs_l = jaxlite.tree_util.tree_leaves(ours), jax.tree_util.tree_leaves(theirs)
    assert len(ours_l) == len(theirs_l)
    for a, b in zip(ours_l, theirs_l):
        if isinstance(b, jax.Array) and jnp.issubdtype(b.dtype, jax.dtypes.prng_key):
            assert str(a.dtype) == str(b.dtype) == "key<fry>" and a.shape == b.shape
            a, b = lr.key_data(a), jr.key_data(b)
        assert np.asarray(a).dtype == np.asarray(b).dtype
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-6)


def same_values(program):
    assert_same_values(*both(program))


# ----------------------------------------------------------------------------------------------
# What a key is

def test_key_repr_shape_and_dtype_match_jax():
    ours, theirs = lr.key(0), jr.key(0)
    assert repr(ours) == repr(theirs) == "Array((), dtype=key<fry>) overlaying:\n[0 0]"
    assert str(ours) == str(theirs)
    assert (ours.shape, ours.ndim, ours.size) == (theirs.shape, theirs.ndim, theirs.size)
    assert str(ours.dtype) == repr(ours.dtype) == str(theirs.dtype)


def test_split_keys_repr_matches_jax():
    same_text(lambda J, np_: repr(J.random.split(J.random.key(0), 3)))
    same_text(lambda J, np_: repr(J.random.split(J.random.key(7), (2, 2))))


def test_typeof_a_key_matches_jax():
    same_text(lambda J, np_: (str(J.typeof(J.random.key(0))), repr(J.typeof(J.random.split(J.random.key(0))))))


@pytest.mark.parametrize("seed", [0, 1, -1, 2 ** 31 - 1, 2 ** 40])
def test_key_data_of_a_key_is_the_raw_key(seed):
    same_values(lambda J, np_: J.random.key_data(J.random.key(seed)))
    np.testing.assert_array_equal(lr.key_data(lr.key(seed)), lr.PRNGKey(seed))


def test_wrap_key_data_round_trips():
    same_text(lambda J, np_: repr(J.random.wrap_key_data(J.random.key_data(J.random.split(J.random.key(0))))))
    same_text(lambda J, np_: repr(J.random.wrap_key_data(np.array([0, 5], np.uint32))))


def test_key_data_of_raw_keys_is_the_raw_key():
    same_values(lambda J, np_: J.random.key_data(J.random.PRNGKey(3)))


def test_key_impl_and_clone():
    same_text(lambda J, np_: (J.random.key_impl(J.random.key(0)), repr(J.random.clone(J.random.key(1)))))


# ----------------------------------------------------------------------------------------------
# Every function takes typed and raw keys, and gives the same numbers from both

SAMPLERS = {
    "bits": lambda r, k: r.bits(k, (3,)),
    "uniform": lambda r, k: r.uniform(k, (3,), minval=-1.0, maxval=2.0),
    "normal": lambda r, k: r.normal(k, (3,)),
    "randint": lambda r, k: r.randint(k, (4,), 0, 10),
    "bernoulli": lambda r, k: r.bernoulli(k, 0.3, (4,)),
    "categorical": lambda r, k: r.categorical(k, np.zeros((2, 3), np.float32)),
    "permutation": lambda r, k: r.permutation(k, 6),
    "choice": lambda r, k: r.choice(k, 5, (3,), replace=False),
    "gumbel": lambda r, k: r.gumbel(k, (2,)),
    "exponential": lambda r, k: r.exponential(k, (2,)),
    "truncated_normal": lambda r, k: r.truncated_normal(k, -1.0, 1.0, (2,)),
    "laplace": lambda r, k: r.laplace(k, (2,)),
    "logistic": lambda r, k: r.logistic(k, (2,)),
    "cauchy": lambda r, k: r.cauchy(k, (2,)),
    "rademacher": lambda r, k: r.rademacher(k, (3,)),
}


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_samplers_take_typed_keys_and_match_jax(name):
    sample = SAMPLERS[name]
    ours, theirs = sample(lr, lr.key(3)), sample(jr, jr.key(3))
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-5)
    assert np.asarray(ours).dtype == np.asarray(theirs).dtype
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(sample(lr, lr.PRNGKey(3))))


def test_split_and_fold_in_answer_in_the_form_they_were_given():
    for make in ("key", "PRNGKey"):
        same_values(lambda J, np_, make=make: (J.random.split(getattr(J.random, make)(0)),
                                               J.random.fold_in(getattr(J.random, make)(0), 7)))
    assert type(lr.split(lr.key(0))).__name__ == "PRNGKeyArray"
    assert lr.split(lr.PRNGKey(0)).dtype == np.uint32


def test_unpacking_and_indexing_keys():
    def program(J, np_):
        k, sub = J.random.split(J.random.key(0))
        ks = J.random.split(J.random.key(1), 4)
        return k, sub, ks[2], ks[1:3], ks[::-1], ks[np.array([3, 0])], ks.reshape(2, 2), ks.reshape(2, 2).T
    same_values(program)


def test_batched_keys_are_refused_where_jax_refuses_them():
    for J, _ in LIBS:
        with pytest.raises(ValueError, match=r"uniform accepts a single key, but was given a key array "
                                             r"of shape \(3,\) != \(\)"):
            J.random.uniform(J.random.split(J.random.key(0), 3))


# ----------------------------------------------------------------------------------------------
# Jaxprs

@pytest.mark.parametrize("program", [
    lambda J: J.make_jaxpr(lambda s: J.random.key(s))(0),
    lambda J: J.make_jaxpr(J.random.PRNGKey)(0),
    lambda J: J.make_jaxpr(lambda k: J.random.split(k, 3))(J.random.key(0)),
    lambda J: J.make_jaxpr(lambda k: J.random.split(k)[1])(J.random.key(0)),
    lambda J: J.make_jaxpr(lambda k: J.random.fold_in(k, 3))(J.random.PRNGKey(0)),
    lambda J: J.make_jaxpr(lambda k: J.random.key_data(k))(J.random.PRNGKey(0)),
    lambda J: J.make_jaxpr(lambda k: J.random.bits(k, (2,), np.uint8))(J.random.key(0)),
    lambda J: J.make_jaxpr(lambda k: J.random.split(k, 4).reshape(2, 2))(J.random.key(0)),
    lambda J: J.make_jaxpr(J.vmap(lambda k: J.random.bits(k)))(J.random.split(J.random.key(0), 3)),
    lambda J: J.make_jaxpr(J.vmap(lambda k: J.random.split(k)[0]))(J.random.split(J.random.key(0), 3)),
    lambda J: J.make_jaxpr(lambda k: J.lax.fori_loop(0, 2, lambda i, k: J.random.split(k)[0], k))(J.random.key(0)),
], ids=["key", "PRNGKey", "split", "split then index", "fold_in raw", "key_data raw", "bits uint8",
        "reshape keys", "vmap bits", "vmap split", "fori_loop"])
def test_jaxprs_with_keys_match_jax(program):
    ours, theirs = str(program(jaxlite)), str(program(jax))
    assert ours == theirs


def test_jit_runs_the_program_on_key_data():
    physical = prng.physicalize(jaxlite.make_jaxpr(lambda k: lr.split(k)[1])(lr.key(0)))
    assert str(physical.in_avals[0]) == "uint32[2]"
    assert not any("key" in str(v.aval) for e in physical.jaxpr.eqns for v in e.outvars)


# ----------------------------------------------------------------------------------------------
# Keys through transformations

def test_jit_with_keys_in_and_out(backend):
    same_values(lambda J, np_: J.jit(lambda k: (J.random.split(k), J.random.key_data(k),
                                                J.random.uniform(k, (3,)), J.random.fold_in(k, 7)))(J.random.key(0)))


def test_jit_indexes_keys(backend):
    same_values(lambda J, np_: J.jit(lambda k: (J.random.split(k)[1], J.random.split(k, 4)[::-1],
                                                J.random.split(k, 4).reshape(2, 2)))(J.random.key(0)))


def test_jit_makes_keys_from_seeds(backend):
    same_values(lambda J, np_: (J.jit(J.random.key)(3), J.jit(lambda s: J.random.normal(J.random.key(s), (2,)))(3)))


def test_jit_closes_over_keys(backend):
    def program(J, np_):
        k = J.random.key(0)
        ks = J.random.split(k, 2)
        return J.jit(lambda x: x * J.random.normal(ks[0], (2,)))(np.ones(2, np.float32)), \
            J.jit(lambda x: J.random.normal(k, (2,)) * x)(np.ones(2, np.float32))
    same_values(program)


def test_vmap_over_keys():
    def program(J, np_):
        ks = J.random.split(J.random.key(0), 3)
        return (J.vmap(lambda k: J.random.normal(k, (2,)))(ks), J.vmap(lambda k: J.random.split(k)[0])(ks),
                J.vmap(J.random.key_data)(ks), J.vmap(J.random.key)(np_.arange(3)),
                J.vmap(lambda i: J.random.fold_in(J.random.key(0), i))(np_.arange(3)),
                J.vmap(J.random.fold_in)(ks, np_.arange(3)),
                J.vmap(lambda k: J.random.randint(k, (2,), 0, 10))(ks),
                J.vmap(lambda k: J.random.permutation(k, 4))(ks))
    same_values(program)


def test_vmap_of_split_under_jit(backend):
    same_values(lambda J, np_: J.jit(J.vmap(lambda k: J.random.split(k)))(J.random.split(J.random.key(0), 3)))


def step(J):
    def body(carry, _):
        k, total = carry
        k, sub = J.random.split(k)
        return (k, total + J.random.uniform(sub)), J.random.bits(sub)
    return body


def test_scan_and_fori_loop_carry_keys(backend):
    def program(J, np_):
        k = J.random.key(0)
        return (J.lax.scan(step(J), (k, 0.0), None, length=3),
                J.jit(lambda k: J.lax.scan(step(J), (k, 0.0), None, length=3))(k),
                J.lax.fori_loop(0, 3, lambda i, k: J.random.split(k)[0], k),
                J.jit(lambda k: J.lax.fori_loop(0, 3, lambda i, k: J.random.split(k)[0], k))(k))
    same_values(program)


def test_cond_returns_keys(backend):
    def program(J, np_):
        k = J.random.key(0)
        branches = (lambda k: J.random.split(k)[0], lambda k: k)
        return J.jit(lambda k, p: J.lax.cond(p, *branches, k))(k, True), J.lax.cond(False, *branches, k)
    same_values(program)


def test_grad_with_a_key_argument(backend):
    loss = lambda J: lambda x, k: (x * J.random.normal(k, (2,))).sum()
    same_values(lambda J, np_: (J.grad(loss(J))(np.ones(2, np.float32), J.random.key(0)),
                                J.jit(J.grad(loss(J)))(np.ones(2, np.float32), J.random.key(0))))


def test_keys_are_pytree_leaves():
    same_text(lambda J, np_: repr(J.tree_util.tree_leaves({"k": J.random.key(0), "x": 1})))


# ----------------------------------------------------------------------------------------------
# What keys refuse

def outcome(program, J, np_):
    try:
        return ("ok", repr(program(J, np_)))
    except Exception as err:  # noqa: BLE001 - the outcome is compared, whatever it is
        return type(err), str(err).splitlines()[0]


@pytest.mark.parametrize("program", [
    lambda J, np_: J.random.key(0) + 1,
    lambda J, np_: 1 + J.random.key(0),
    lambda J, np_: J.random.key(0) * 2,
    lambda J, np_: -J.random.key(0),
    lambda J, np_: J.random.key(0) > J.random.key(0),
    lambda J, np_: np.asarray(J.random.key(0)),
    lambda J, np_: float(J.random.key(0)),
    lambda J, np_: hash(J.random.key(0)),
    lambda J, np_: J.random.key(0) == J.random.key(0),
    lambda J, np_: J.random.split(J.random.key(0)) != J.random.split(J.random.key(1)),
    lambda J, np_: J.grad(lambda k: J.random.uniform(k))(J.random.key(0)),
    lambda J, np_: J.random.key(1.5),
    lambda J, np_: J.random.key(np.zeros(2, np.int32)),
    lambda J, np_: J.random.wrap_key_data(np.zeros(3, np.uint32)),
    lambda J, np_: J.random.wrap_key_data(np.zeros(2, np.float32)),
    lambda J, np_: J.random.fold_in(J.random.key(0), np_.arange(2)),
    lambda J, np_: J.random.key(0).astype(np_.float32),
], ids=["add", "radd", "mul", "neg", "compare", "to numpy", "float", "hash", "equal", "not equal",
        "grad wrt key", "float seed", "array seed", "bad key data shape", "bad key data dtype",
        "fold_in array", "astype"])
def test_keys_refuse_what_jax_refuses(program):
    ours, theirs = outcome(program, jaxlite, lnp), outcome(program, jax, jnp)
    assert ours[0] == theirs[0]
    if ours[0] == "ok" or "PRNGImpl" not in theirs[1]:  # JAX prints its PRNGImpl object in full
        assert ours[1] == theirs[1]


def test_lowered_text_shows_the_program_on_key_data():
    text = jaxlite.jit(lambda k: lr.split(k)).lower(lr.key(0)).as_text()
    assert "key<fry>[2] = random_split" in text  # the jaxpr, on keys
    assert "threefry2x32(" in text  # the generated code, on key data


# ----------------------------------------------------------------------------------------------
# Keys in jnp functions: moved around like arrays, refused by numerical functions

KEYS_IN_JNP = {
    "jnp.add with an int": lambda J, np_: np_.add(J.random.key(0), 1),
    "jnp.add of an int and a key": lambda J, np_: np_.add(1, J.random.key(0)),
    "jnp.add of two keys": lambda J, np_: np_.add(J.random.key(0), J.random.key(1)),
    "key plus one under jit": lambda J, np_: J.jit(lambda k: k + 1)(J.random.key(0)),
    "jnp.multiply": lambda J, np_: np_.multiply(J.random.key(0), 2.0),
    "jnp.logical_and": lambda J, np_: np_.logical_and(J.random.key(0), True),
    "lax.add of two keys": lambda J, np_: J.lax.add(J.random.key(0), J.random.key(0)),
    "jnp.sum": lambda J, np_: np_.sum(J.random.key(0)),
    "jnp.sum under jit": lambda J, np_: J.jit(np_.sum)(J.random.split(J.random.key(0))),
    "jnp.mean": lambda J, np_: np_.mean(J.random.split(J.random.key(0))),
    "jnp.max": lambda J, np_: np_.max(J.random.split(J.random.key(0))),
    "jnp.cumsum": lambda J, np_: np_.cumsum(J.random.split(J.random.key(0))),
    "jnp.argmax": lambda J, np_: np_.argmax(J.random.split(J.random.key(0))),
    "jnp.all": lambda J, np_: np_.all(J.random.split(J.random.key(0))),
    "jnp.exp": lambda J, np_: np_.exp(J.random.key(0)),
    "sum method": lambda J, np_: J.random.split(J.random.key(0)).sum(),
    "mean method": lambda J, np_: J.random.split(J.random.key(0)).mean(),
    "item method": lambda J, np_: J.random.key(0).item(),
    "real attribute": lambda J, np_: J.random.key(0).real,
    "concatenate with floats": lambda J, np_: np_.concatenate([J.random.split(J.random.key(0)), np_.ones(2)]),
    "jnp.equal of keys": lambda J, np_: np_.equal(J.random.split(J.random.key(0)), J.random.key(0)),
    "not_equal under jit": lambda J, np_: J.jit(lambda a, b: a != b)(J.random.split(J.random.key(0), 3),
                                                                     J.random.key(0)),
    "equal under vmap": lambda J, np_: J.vmap(lambda a, b: a == b)(J.random.split(J.random.key(0)),
                                                                  J.random.split(J.random.key(1))),
}


@pytest.mark.parametrize("name", list(KEYS_IN_JNP))
def test_keys_in_jnp_functions_as_jax(name):
    ours, theirs = outcome(KEYS_IN_JNP[name], jaxlite, lnp), outcome(KEYS_IN_JNP[name], jax, jnp)
    assert ours == theirs


def test_key_refusals_end_with_a_hint():
    with pytest.raises(TypeError, match="Hint: .*key_data"):
        lnp.add(lr.key(0), 1)


KEYS_MOVED = {
    "at set": lambda J, np_: J.random.split(J.random.key(0), 3).at[1].set(J.random.key(5)),
    "at set under jit": lambda J, np_: J.jit(lambda ks, k: ks.at[0].set(k))(J.random.split(J.random.key(0), 3),
                                                                           J.random.key(7)),
    "stack": lambda J, np_: np_.stack([J.random.key(0), J.random.key(1)]),
    "stack under jit": lambda J, np_: J.jit(lambda a, b: np_.stack([a, b], axis=0))(J.random.key(0),
                                                                                   J.random.key(1)),
    "concatenate": lambda J, np_: np_.concatenate([J.random.split(J.random.key(0)), J.random.split(J.random.key(1))]),
    "where": lambda J, np_: np_.where(np_.array([True, False]), J.random.split(J.random.key(0)),
                                      J.random.split(J.random.key(1))),
    "zeros_like": lambda J, np_: np_.zeros_like(J.random.split(J.random.key(0))),
    "ones_like under jit": lambda J, np_: J.jit(np_.ones_like)(J.random.split(J.random.key(0))),
    "full_like of a key": lambda J, np_: np_.full_like(J.random.split(J.random.key(0)), J.random.key(3)),
    "scan over keys": lambda J, np_: J.lax.scan(lambda c, k: (J.random.fold_in(c, 1), J.random.split(k)),
                                                J.random.key(0), J.random.split(J.random.key(1), 3)),
    "scan stacking keys": lambda J, np_: J.lax.scan(lambda c, x: (J.random.split(c)[0], c), J.random.key(0),
                                                    None, length=3),
    "lax.map of samplers": lambda J, np_: J.lax.map(lambda k: J.random.normal(k), J.random.split(J.random.key(2))),
}


@pytest.mark.parametrize("name", list(KEYS_MOVED))
def test_keys_move_through_jnp_functions_as_in_jax(name):
    same_values(KEYS_MOVED[name])


def test_keys_are_jax_arrays_of_the_prng_key_dtype():
    key = lr.key(0)
    assert isinstance(key, jaxlite.Array) and isinstance(jr.key(0), jax.Array)
    assert lnp.issubdtype(key.dtype, jaxlite.dtypes.prng_key)
    assert lnp.issubdtype(key.dtype, jaxlite.dtypes.extended)
    assert not lnp.issubdtype(key.dtype, lnp.integer)
    assert not lnp.issubdtype(lnp.float32, jaxlite.dtypes.prng_key)
    assert jaxlite.dtypes.prng_key.__name__ == jax.dtypes.prng_key.__name__
