"""Every primitive jaxlite defines has every rule it needs, read from the registries themselves.

A primitive is found wherever jaxlite keeps one (a module attribute, or a key of a rule registry),
so a new primitive is checked without being listed here. It needs an impl and an abstract eval, a
lowering for each jit backend, and a jvp rule, a transpose rule and a batching rule wherever JAX's
primitive of the same name has one (JAX is the oracle for what is differentiable and linear); a
primitive JAX lacks needs a jvp and a batching rule of its own. Every primitive case has a NumPy
reference too (numpy_lax).
"""
import importlib
import pkgutil
import sys

import pytest

import jaxlite
import numpy_lax
from jaxlite import core
from jaxlite.interpreters import ad, batching, lowering
from primitive_cases import CASES


def _jaxlite_primitives():
    for info in pkgutil.walk_packages(jaxlite.__path__, "jaxlite."):
        if info.name.startswith("jaxlite.interpreters.xla") or ".tests" in info.name:
            continue
        importlib.import_module(info.name)
    found = {}
    registries = [ad.primitive_jvps, ad.primitive_transposes, batching.primitive_batchers,
                  batching.collective_batchers, *lowering._lowerings.values()]
    for registry in registries:
        for prim in registry:
            found.setdefault(prim.name, prim)
    for name, module in list(sys.modules.items()):
        if name.startswith("jaxlite") and module is not None:
            for value in vars(module).values():
                if isinstance(value, core.Primitive):
                    found.setdefault(value.name, value)
    return found


PRIMITIVES = _jaxlite_primitives()
NAMES = sorted(PRIMITIVES)


def _jax_primitives():
    """JAX's primitives by name, with the rules its own registries hold for them."""
    import jax  # noqa: F401 -- loads every module that defines a primitive
    from jax._src import core as jax_core
    from jax._src.interpreters import ad as jax_ad
    from jax._src.interpreters import batching as jax_batching
    found = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("jax._src") and module is not None:
            for value in list(vars(module).values()):
                if isinstance(value, jax_core.Primitive):
                    found.setdefault(value.name, value)
    return found, jax_ad, jax_batching


@pytest.fixture(scope="module")
def jax_side():
    return _jax_primitives()


def test_the_walk_finds_the_primitives_of_every_kind():
    assert {"add", "sin", "dot_general", "gather", "scan", "cond", "jit", "cholesky", "psum",
            "conv_general_dilated", "threefry2x32", "debug_print"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_has_impl_and_abstract_eval(name):
    prim = PRIMITIVES[name]
    assert callable(prim.impl) and callable(prim.abstract_eval)


@pytest.mark.parametrize("backend", lowering.BACKENDS)
@pytest.mark.parametrize("name", NAMES)
def test_has_a_lowering_for_each_jit_backend(name, backend):
    assert lowering.has_lowering(PRIMITIVES[name], backend)


def _handled_by_its_traces(prim):
    """custom_jvp_call and custom_vjp_call: every trace has a method for them (bind_with)."""
    return hasattr(prim, "bind_with")


@pytest.mark.parametrize("name", NAMES)
def test_has_a_jvp_rule_where_jax_has_one(name, jax_side):
    prim = PRIMITIVES[name]
    jax_prims, jax_ad, _ = jax_side
    theirs = jax_prims.get(name)
    needed = theirs in jax_ad.primitive_jvps if theirs is not None else not _handled_by_its_traces(prim)
    if needed and not _handled_by_its_traces(prim):
        assert prim in ad.primitive_jvps, f"{name}: no jvp rule (JAX's primitive has one)"


@pytest.mark.parametrize("name", NAMES)
def test_has_a_transpose_rule_where_jax_has_one(name, jax_side):
    prim = PRIMITIVES[name]
    jax_prims, jax_ad, _ = jax_side
    theirs = jax_prims.get(name)
    if theirs is not None and theirs in jax_ad.primitive_transposes:
        assert prim in ad.primitive_transposes, f"{name}: JAX's primitive is linear, ours has no transpose"


@pytest.mark.parametrize("name", NAMES)
def test_has_a_batching_rule_where_jax_has_one(name, jax_side):
    prim = PRIMITIVES[name]
    jax_prims, _, jax_batching = jax_side
    theirs = jax_prims.get(name)
    needed = (theirs in jax_batching.fancy_primitive_batchers if theirs is not None
              else not _handled_by_its_traces(prim))
    if needed and not _handled_by_its_traces(prim):
        assert prim in batching.primitive_batchers or prim in batching.collective_batchers


def test_a_linear_primitive_transposes_what_it_differentiates():
    """Every primitive with a transpose rule has a jvp rule too (deflinear2 registers both)."""
    assert [p.name for p in ad.primitive_transposes if p not in ad.primitive_jvps
            and not _handled_by_its_traces(p) and p.name != "custom_lin"] == []


def test_every_primitive_case_has_a_numpy_reference():
    """numpy_lax computes every case, so no primitive is checked against JAX alone."""
    missing = []
    for case in CASES:
        try:
            case.fn(numpy_lax, *case.args())
        except AttributeError as err:
            if "numpy_lax" not in str(err):
                raise
            missing.append(case.id)
    assert missing == []
