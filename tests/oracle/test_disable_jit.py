"""`jax.disable_jit` against JAX: jitted functions and control flow run as plain Python on concrete
values (print shows numbers, Python scalars stay Python scalars), while transformations still trace."""
import textwrap

import pytest

import jaxlite
from .cells import outcome_difference, run_cell

PROGRAMS = {
    "jit runs the Python function": """
        @jax.jit
        def f(x):
            print("inside:", x, type(x).__name__)
            return x * 2
        with jax.disable_jit():
            print(f(3.0), f(jnp.ones(2)))
    """,
    "config flag": """
        f = jax.jit(lambda x: x + 1)
        jax.config.update("jax_disable_jit", True)
        print(f(1), jax.config.jax_disable_jit)
        jax.config.update("jax_disable_jit", False)
        print(f(1))
    """,
    "static arguments are plain arguments": """
        f = jax.jit(lambda x, n: x * n, static_argnums=1)
        with jax.disable_jit():
            print(f(2.0, 3))
    """,
    "cond and switch run one branch in Python": """
        with jax.disable_jit():
            print(jax.lax.cond(True, lambda x: x + 1, lambda x: x - 1, 1.0))
            print(jax.lax.cond(jnp.array(0), lambda x: print("true") or x, lambda x: print("false") or x, 2))
            print(jax.lax.switch(2, [lambda x: x, lambda x: 2 * x, lambda x: 3 * x], 1.5))
    """,
    "while_loop and fori_loop": """
        with jax.disable_jit():
            print(jax.lax.while_loop(lambda c: c < 10, lambda c: c * 2, 1))
            print(jax.lax.fori_loop(0, 3, lambda i, c: c + i, 0))
            print(jax.lax.fori_loop(0, 0, lambda i, c: c + i, 7.0))
    """,
    "scan stacks its outputs": """
        with jax.disable_jit():
            print(jax.lax.scan(lambda c, x: (c + x, c * 2), 0.0, jnp.arange(3.0)))
            print(jax.lax.scan(lambda c, x: (c + x, {"c": c}), 0, jnp.arange(3), reverse=True))
    """,
    "zero-length scan is refused": """
        with jax.disable_jit():
            jax.lax.scan(lambda c, x: (c, x), 0.0, jnp.zeros(0))
    """,
    "grad and vmap still trace": """
        @jax.jit
        def f(x):
            print(x)
            return jnp.sin(x)
        with jax.disable_jit():
            print(jax.grad(f)(1.0))
            print(jax.vmap(f)(jnp.arange(2.0)))
            print(jax.make_jaxpr(f)(1.0))
    """,
    "while_loop under vmap falls back to the primitive": """
        with jax.disable_jit():
            print(jax.vmap(lambda x: jax.lax.while_loop(lambda c: c < 5, lambda c: c + 2, x))(jnp.arange(3)))
    """,
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_disable_jit_matches_jax(name):
    source = "import jax\nimport jax.numpy as jnp\n" + textwrap.dedent(PROGRAMS[name])
    lite, ref = run_cell(source, lite=True), run_cell(source, lite=False)
    assert outcome_difference(lite, ref) is None, f"--- jaxlite:\n{lite.shown()}--- JAX:\n{ref.shown()}"


def test_flag_is_off_again_after_the_block():
    with jaxlite.disable_jit():
        pass
    assert jaxlite.config.jax_disable_jit is False
    assert "mul" in str(jaxlite.make_jaxpr(jaxlite.jit(lambda x: x * 2))(1.0))
