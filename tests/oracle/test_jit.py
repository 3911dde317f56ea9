"""jit against eager evaluation and real JAX: both backends, the trace cache, static arguments, the
generated source and its optimisations, jit composed with other transformations, and the errors
that tracing raises."""
import jax
import numpy as np
import pytest

import jaxlite
from jaxlite import errors

from .test_jaxpr_text import PROGRAMS

jnp = jaxlite.numpy
rng = np.random.default_rng(0)
X3 = rng.uniform(-1, 1, 3).astype(np.float32)
Y3 = rng.uniform(-1, 1, 3).astype(np.float32)
BACKENDS = ["numpy", "xla"]


def assert_matches(lite, ref, rtol=2e-5, atol=1e-6):
    """Same pytree, values, dtypes and weak types."""
    lite_leaves, lite_tree = jaxlite.tree_util.tree_flatten(lite)
    ref_leaves, ref_tree = jax.tree_util.tree_flatten(ref)
    assert str(lite_tree) == str(ref_tree)
    for a, b in zip(lite_leaves, ref_leaves):
        assert np.asarray(a).dtype == np.asarray(b).dtype
        assert getattr(a, "weak_type", False) == getattr(b, "weak_type", False)
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


# ----------------------------------------------------------------------------------------------
# Both backends on the programs of the jaxpr-text comparison


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_jit_matches_eager(name, backend):
    # Eager jaxlite is compared with JAX on the same programs in test_jaxpr_text.
    p = PROGRAMS[name]
    lite = jaxlite.jit(p.fun(jaxlite), backend=backend)(*p.args)
    assert_matches(lite, p.fun(jaxlite)(*[jnp.asarray(a) for a in p.args]))


@pytest.mark.parametrize("name", ["python_float_argument", "python_int_argument", "integer_arithmetic",
                                  "grad_mlp_layer", "vmap_of_grad", "scan_cumsum", "dict_output"])
def test_jit_matches_jax_jit(name):
    p = PROGRAMS[name]
    assert_matches(jaxlite.jit(p.fun(jaxlite))(*p.args), jax.jit(p.fun(jax))(*p.args))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", [np.float16, np.int8, np.uint8, np.int16, np.bool_])
def test_jit_keeps_small_dtypes(dtype, backend):
    x = np.array([1, 0, 3], dtype)

    def f(J):
        if dtype == np.bool_:
            return lambda x: (x * 2, J.numpy.sum(x), ~x, x & ~x)
        return lambda x: (x * 2, J.numpy.sum(x), x == 0, -x)
    assert_matches(jaxlite.jit(f(jaxlite), backend=backend)(x), jax.jit(f(jax))(x))


@pytest.mark.parametrize("backend", BACKENDS)
def test_jit_never_computes_in_float64_silently(backend):
    f = jaxlite.jit(lambda x: jnp.exp(x) / 3.0 + jnp.mean(x), backend=backend)
    out = f(np.linspace(0, 1, 5, dtype=np.float32))
    assert out.dtype == np.float32
    assert f(np.linspace(0, 1, 5)).dtype == np.float32  # a float64 input is canonicalised first


def test_jit_of_python_scalar_returns_weakly_typed_array():
    assert_matches(jaxlite.jit(lambda x: x * 2.0)(3.0), jax.jit(lambda x: x * 2.0)(3.0))


# ----------------------------------------------------------------------------------------------
# The trace cache: hits and misses as JAX's


def calls_and_cache_sizes(J):
    """The same calls on both libraries; the cache size after each, per jitted function."""
    sizes = []
    f = J.jit(lambda x, y: x * y)
    for x, y in [(np.ones(3, np.float32), 2.0),             # first: a miss
                 (np.zeros(3, np.float32), 3.0),            # same shapes and types: a hit
                 (np.ones(4, np.float32), 3.0),             # new shape
                 (np.ones(3, np.int32), 3.0),               # new dtype
                 (np.ones(3, np.float32), np.float32(3.0)),  # strong instead of weak type
                 (np.ones(3, np.float32), 3),               # int instead of float scalar
                 (np.ones(3, np.float64), 3)]:              # float64 canonicalised to float32: a hit
        f(x, y)
        sizes.append(f._cache_size())
    g = J.jit(lambda x, n: x * n, static_argnums=1)
    for n in (2, 2, 3):
        g(np.ones(3, np.float32), n)
        sizes.append(g._cache_size())
    h = J.jit(lambda x, n=1: x * n, static_argnames="n")
    for kwargs in ({"n": 2}, {"n": 2}, {"n": 3}, {}):
        h(np.ones(3, np.float32), **kwargs)
        sizes.append(h._cache_size())
    return sizes


def test_cache_sizes_follow_jax():
    assert calls_and_cache_sizes(jaxlite) == calls_and_cache_sizes(jax)


def test_cache_info_counts_hits_and_misses():
    f = jaxlite.jit(lambda x: jnp.sin(x) * 2.0)
    f(X3)
    f(Y3)
    f(np.ones(5, np.float32))
    f(np.ones(5, np.float32))
    assert tuple(f.cache_info()) == (2, 2, 2)


def test_cache_hit_does_not_trace_again():
    traced = []

    def f(x):
        traced.append(x.shape)
        return x + 1.0
    jf = jaxlite.jit(f)
    jf(X3)
    jf(Y3)
    jf(np.ones((2, 2), np.float32))
    assert traced == [(3,), (2, 2)]


def test_dispatch_path_counts_hits_and_keys_on_structure_and_avals():
    f = jaxlite.jit(lambda tree: tree["a"] * 2.0 + tree["b"][0])
    x, y = jnp.asarray(X3), jnp.asarray(Y3)
    f({"a": x, "b": [y]})
    f({"b": [x], "a": y})  # same structure and avals: the dispatch path
    f({"a": x, "b": (y,)})  # a tuple where a list was: a new trace, like JAX
    f({"a": x.astype(jnp.float16), "b": [y]})  # a new dtype: a new trace
    assert tuple(f.cache_info()) == (1, 3, 3)
    np.testing.assert_allclose(f({"b": [x], "a": y}), np.asarray(Y3) * 2 + X3, rtol=1e-6)


def test_dispatch_path_retraces_when_x64_changes():
    f = jaxlite.jit(lambda x: x * 2)
    x = jnp.asarray(np.arange(3))
    assert f(x).dtype == np.int32
    jaxlite.config.update("jax_enable_x64", True)
    try:
        assert f(jnp.asarray(np.arange(3))).dtype == np.int64
    finally:
        jaxlite.config.update("jax_enable_x64", False)
    assert f(x).dtype == np.int32


def test_dispatch_path_under_grad_binds_the_jit_primitive():
    c = jnp.asarray(X3)
    f = jaxlite.jit(lambda a: jnp.sin(a))
    f(c)  # cached: the dispatch path now knows c's signature
    g = jaxlite.grad(lambda x: jnp.sum(f(c) * x))(jnp.asarray(Y3))
    np.testing.assert_allclose(g, np.sin(X3), rtol=1e-6)
    assert "jit" in str(jaxlite.make_jaxpr(lambda x: f(c) * x)(jnp.asarray(Y3)))


def test_xla_results_keep_their_device_copy(monkeypatch):
    f = jaxlite.jit(lambda x: jnp.sin(x) * 2.0, backend="xla")
    out = f(X3)
    assert isinstance(out._device, jax.Array)
    assert out.aval == jaxlite.core.ShapedArray((3,), np.float32)
    puts = []
    real_put = jax.device_put
    monkeypatch.setattr(jax, "device_put", lambda *a, **k: puts.append(a) or real_put(*a, **k))
    again = f(out)  # handed back to XLA as it is, not copied to the device again
    assert puts == []
    np.testing.assert_allclose(again, np.sin(np.sin(X3) * 2) * 2, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(out), np.sin(X3) * 2, rtol=1e-6)
    assert repr(out).startswith("Array([") and (out + 1.0).dtype == np.float32
    import pickle
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(again)), np.asarray(again))
    tree = {"device": again, "host": jnp.ones(2)}
    assert jaxlite.block_until_ready(tree) is tree


# ----------------------------------------------------------------------------------------------
# Static arguments


@pytest.mark.parametrize("backend", BACKENDS)
def test_static_argnums_allows_python_control_flow(backend):
    def f(x, n):
        for _ in range(n):
            x = jnp.sin(x)
        return x if n % 2 else -x
    for n in (1, 2, 3):
        ref = jax.jit(lambda x, n: f_jax(x, n), static_argnums=1)(X3, n)
        assert_matches(jaxlite.jit(f, static_argnums=1, backend=backend)(X3, n), ref)


def f_jax(x, n):
    for _ in range(n):
        x = jax.numpy.sin(x)
    return x if n % 2 else -x


def test_static_argnames_by_keyword_and_by_position():
    def f(x, mode="sin"):
        return jnp.sin(x) if mode == "sin" else jnp.cos(x)
    jf = jaxlite.jit(f, static_argnames="mode")
    np.testing.assert_allclose(jf(X3, mode="cos"), np.cos(X3), rtol=1e-6)
    np.testing.assert_allclose(jf(X3, "cos"), np.cos(X3), rtol=1e-6)
    np.testing.assert_allclose(jf(X3), np.sin(X3), rtol=1e-6)


def test_negative_static_argnums_count_from_the_end():
    f = jaxlite.jit(lambda x, k: x * k, static_argnums=-1)
    assert_matches(f(X3, 3), jax.jit(lambda x, k: x * k, static_argnums=-1)(X3, 3))


def test_non_hashable_static_argument_raises_jax_error():
    msgs = []
    for J in (jaxlite, jax):
        with pytest.raises(ValueError) as err:
            J.jit(lambda x, s: x, static_argnums=1)(X3, [1, 2])
        msgs.append(str(err.value).splitlines()[:2])
    assert msgs[0] == msgs[1]


def test_traced_value_used_as_a_shape_raises_like_jax():
    for J in (jaxlite, jax):
        with pytest.raises(TypeError, match="Shapes must be 1D sequences of concrete values of integer"):
            J.jit(lambda x, n: J.numpy.zeros(n) + x)(X3, 3)


# ----------------------------------------------------------------------------------------------
# lower().as_text(): the jaxpr and the generated source


def generated_source(f, *args):
    text = jaxlite.jit(f).lower(*args).as_text()
    return text.split("# generated NumPy code\n", 1)[1]


def test_as_text_shows_the_jaxpr_then_the_source():
    def scale(x, y):
        return jnp.sin(x) * y + 1.0
    text = jaxlite.jit(scale).lower(X3, Y3).as_text()
    jaxpr = str(jaxlite.make_jaxpr(scale)(X3, Y3))
    assert text == f"# jaxpr\n{jaxpr}\n\n# generated NumPy code\n" + "\n".join([
        "def scale(a, b):",
        "    c = sin(a)",
        "    d = mul(c, b)",
        "    e = add(d, f32(1.0))",
        "    return (e,)"])


def test_source_computes_a_repeated_expression_once():
    src = generated_source(lambda x: jnp.sin(x) * jnp.sin(x) + jnp.sin(x), X3)
    assert src.count("sin(") == 1


def test_source_writes_dead_large_intermediates_in_place_and_never_a_view():
    big = rng.uniform(-1, 1, (200, 100)).astype(np.float32)  # 20,000 elements: worth reusing

    def f(x):
        y = jnp.sin(x) * 2.0
        view = y.T  # y is read through a view later: it must not be overwritten
        w = jnp.cos(y) + 1.0
        u = jnp.tanh(x * 3.0) - 0.5  # x * 3.0 dies here: its buffer can take the result
        return view + w.T + u.T
    jitted = jaxlite.jit(f)
    source = jitted.lower(big).as_text()
    assert "out=" in source
    kept = big.copy()
    np.testing.assert_allclose(jitted(big), f(jnp.asarray(big)), rtol=1e-6)
    np.testing.assert_array_equal(big, kept)  # arguments are never written


def test_in_place_code_gives_eager_gradients():
    params = [(rng.standard_normal((128, 96)).astype(np.float32), np.zeros(96, np.float32))]
    x = rng.standard_normal((256, 128)).astype(np.float32)

    def loss(params, x):
        (W, b), = params
        return jnp.mean(jnp.tanh(x @ W + b) ** 2)
    grad = jaxlite.grad(loss)
    assert "out=" in jaxlite.jit(grad).lower(params, x).as_text()
    for got, want in zip(jaxlite.tree_util.tree_leaves(jaxlite.jit(grad)(params, x)),
                         jaxlite.tree_util.tree_leaves(grad(params, x))):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_source_drops_unused_computation():
    def f(x):
        jnp.cos(x) * 2.0  # result unused
        return jnp.tanh(x)
    src = generated_source(f, X3)
    assert "cos" not in src and "tanh(a)" in src


def test_source_folds_constants():
    src = generated_source(lambda x: x * jnp.add(1.0, 2.0), X3)
    assert "mul(a, f32(3.0))" in src and "add(" not in src


def test_source_inlines_nested_jit():
    inner = jaxlite.jit(lambda y: jnp.exp(y) * 2.0)
    src = generated_source(lambda x: inner(x) + 1.0, X3)
    assert "exp(a)" in src and "jit" not in src


def test_xla_backend_as_text_shows_stablehlo():
    text = jaxlite.jit(lambda x: jnp.sin(x) * 2.0, backend="xla").lower(X3).as_text()
    assert text.startswith("# jaxpr\n") and "stablehlo.sine" in text


def test_compiled_function_returns_the_output_structure_like_jax():
    def f(J):
        return J.jit(lambda x, y: {"out": x * y + 1.0}).lower(X3, Y3).compile()(X3, Y3)
    assert_matches(f(jaxlite), f(jax))


def test_long_program_compiles_with_python_keywords_avoided():
    def f(x):
        for _ in range(120):
            x = jnp.where(x >= 0.5, x * 0.9, x + 0.1)
        return x
    assert_matches(jaxlite.jit(f)(X3), f(jnp.asarray(X3)))


# ----------------------------------------------------------------------------------------------
# jit composed with grad, vmap and itself


@pytest.mark.parametrize("backend", BACKENDS)
def test_jit_of_grad(backend):
    f = lambda J: J.grad(lambda x: J.numpy.sum(J.numpy.tanh(x) * x))
    assert_matches(jaxlite.jit(f(jaxlite), backend=backend)(X3), jax.jit(f(jax))(X3))


@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_of_jit(backend):
    def g(J, **kw):
        return J.grad(J.jit(lambda x, y: J.numpy.sum(J.numpy.sin(x) * y), **kw), argnums=(0, 1))
    assert_matches(g(jaxlite, backend=backend)(X3, Y3), g(jax)(X3, Y3))


@pytest.mark.parametrize("backend", BACKENDS)
def test_vmap_of_jit(backend):
    m = rng.normal(size=(4, 3)).astype(np.float32)

    def v(J, **kw):
        return J.vmap(J.jit(lambda r, s: J.numpy.dot(r, s) * r, **kw), in_axes=(0, None))
    assert_matches(v(jaxlite, backend=backend)(m, X3), v(jax)(m, X3))


@pytest.mark.parametrize("backend", BACKENDS)
def test_jit_of_vmap(backend):
    m = rng.normal(size=(4, 3)).astype(np.float32)
    v = lambda J: J.vmap(lambda r: J.numpy.max(r) - r)
    assert_matches(jaxlite.jit(v(jaxlite), backend=backend)(m), jax.jit(v(jax))(m))


@pytest.mark.parametrize("backend", BACKENDS)
def test_hessian_through_jit(backend):
    h = lambda J, **kw: J.hessian(J.jit(lambda x: J.numpy.sum(J.numpy.sin(x) ** 2), **kw))
    assert_matches(h(jaxlite, backend=backend)(X3), h(jax)(X3), rtol=1e-5)


def test_jit_inside_jit_is_a_named_sub_jaxpr_like_jax():
    def program(J):
        inner = J.jit(lambda y: J.numpy.cos(y) * y)
        return J.jit(lambda x: inner(x) + 1.0)
    lite = str(jaxlite.make_jaxpr(program(jaxlite))(X3))
    assert lite == str(jax.make_jaxpr(program(jax))(X3))
    assert "jit[\n      name=<lambda>" in lite and lite.count("jit[") == 2


def test_grad_of_jit_jaxpr_matches_jax():
    g = lambda J: J.grad(J.jit(lambda x: J.numpy.sum(J.numpy.sin(x) * x)))
    assert str(jaxlite.make_jaxpr(g(jaxlite))(X3)) == str(jax.make_jaxpr(g(jax))(X3))


# ----------------------------------------------------------------------------------------------
# Errors while tracing


def first_lines(fn, error, n=1):
    """The first n lines of the error (named like `TracerBoolConversionError`) each library raises."""
    lines = []
    for J in (jaxlite, jax):
        with pytest.raises(getattr(J.errors, error)) as err:
            fn(J)
        lines.append(str(err.value).splitlines()[:n])
    return lines


def branchy(x, threshold):
    if x.sum() > threshold:
        return x
    return -x


def test_python_if_on_traced_value_raises_like_jax():
    lite, ref = first_lines(lambda J: J.jit(branchy)(X3, 1.0), "TracerBoolConversionError", 2)
    assert issubclass(errors.TracerBoolConversionError, errors.ConcretizationTypeError)
    assert lite[0] == ref[0] == "Attempted boolean conversion of traced array with shape bool[]."
    # The second line names the function, where it is defined, and the arguments it depends on.
    assert lite[1] == ref[1]
    assert "tracing the function branchy at " in lite[1] and "arguments x and threshold" in lite[1]


def signed(x, sign):
    if sign > 0:
        return x
    return -x


def test_python_if_on_static_argument_is_fine():
    for sign in (1.0, -1.0):
        assert_matches(jaxlite.jit(signed, static_argnums=1)(X3, sign),
                       jax.jit(signed, static_argnums=1)(X3, sign))


def test_python_if_depending_on_one_argument_names_only_it():
    def f(x, y):
        if y > 0:
            return x
        return x * 2
    lite, ref = first_lines(lambda J: J.jit(f)(X3, np.float32(1.0)), "TracerBoolConversionError", 2)
    assert lite == ref
    assert "depends on the value of the argument y." in lite[1]


def to_int(x):
    return int(x)


def test_int_of_tracer_raises_concretization_error_like_jax():
    lite, ref = first_lines(lambda J: J.jit(to_int)(np.float32(2.0)), "ConcretizationTypeError", 2)
    assert lite == ref
    assert lite[0].startswith("Abstract tracer value encountered where concrete value is expected")


def test_leaked_tracer_raises_unexpected_tracer_error_like_jax():
    def use_leaked(J):
        store = []

        def leak(x):
            store.append(x * 2.0)
            return x
        J.jit(leak)(X3)
        return J.numpy.sin(store[0])
    lite, ref = first_lines(use_leaked, "UnexpectedTracerError")
    assert lite == ref
    assert "escape the scope of the transformation" in lite[0]


def test_leaked_tracer_from_grad_raises_unexpected_tracer_error():
    store = []

    def leak(x):
        store.append(x * 2.0)
        return jnp.sum(x)
    jaxlite.grad(leak)(X3)
    with pytest.raises(errors.UnexpectedTracerError):
        jaxlite.jit(lambda y: y + store[0])(X3)
