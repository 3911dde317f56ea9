"""Typical learner mistakes give under jaxlite what they give under real JAX.

Each case is a short program, run once with real JAX and once with its `import jax` giving jaxlite. The
outcome must agree: the same printed value (numbers within float32 rounding), or the same exception
class with the same first line. Where JAX raises, jaxlite's message must also end with a one-line
`Hint:` on the case's topic: `hint` lists what it must mention ("a|b": either), `avoid` what would
mislead here. A case with a hint must raise under JAX and a case without one must not, so the table
says what JAX does. Cases in which jaxlite differs today are listed in DIFFERS with what differs, and
run as expected failures; `python tests/oracle/fidelity_report.py` counts them.
"""
import dataclasses
import functools
import textwrap

import pytest

from .cells import hint_line, outcome_difference, run_cell

# The error comes from the learner's own Python code (a wrong call signature, say), not from the
# library, so neither library can add anything to it.
PYTHON_ERROR = "python error"


@dataclasses.dataclass(frozen=True)
class Mistake:
    name: str
    area: str
    source: str
    hint: tuple | str | None   # what jaxlite's hint must mention; None where JAX gives a value
    avoid: tuple

    @property
    def differs(self):
        """What jaxlite does differently today, or None."""
        return DIFFERS.get(self.name)


MISTAKES = {}


def mistake(name, area, source, hint=None, avoid=()):
    assert name not in MISTAKES, f"two mistakes are called {name}"
    hint = (hint,) if isinstance(hint, str) and hint != PYTHON_ERROR else hint
    MISTAKES[name] = Mistake(name, area, textwrap.dedent(source).strip() + "\n", hint, tuple(avoid))


# ---------------------------------------------------------------------------------------------
# Python control flow and conversions on traced values

mistake("if_on_traced_value_under_jit", "tracing", """
    import jax

    @jax.jit
    def relu(x):
        return x if x > 0 else 0.0

    relu(1.0)
""", hint="jnp.where|lax.cond")

mistake("while_on_traced_value_under_jit", "tracing", """
    import jax

    @jax.jit
    def double_until_big(x):
        while x < 10:
            x = x * 2
        return x

    double_until_big(1.0)
""", hint="while_loop")

mistake("and_of_traced_values_under_jit", "tracing", """
    import jax
    jax.jit(lambda x, y: (x > 0) and (y > 0))(1.0, 2.0)
""", hint="jnp.where|lax.cond|jnp.logical_and")

mistake("if_on_traced_value_under_vmap", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: x if x > 0 else -x)(jnp.arange(3.0))
""", hint="jnp.where|lax.cond", avoid=("static",))

mistake("if_on_traced_value_under_make_jaxpr", "tracing", """
    import jax
    jax.make_jaxpr(lambda x: x if x > 0 else -x)(1.0)
""", hint="jnp.where|lax.cond")

mistake("if_on_value_under_grad_is_fine", "tracing", """
    import jax
    jax.grad(lambda x: x ** 2 if x > 0 else -x)(3.0)
""")

mistake("int_of_traced_value", "tracing", """
    import jax
    jax.jit(lambda x: int(x))(1.0)
""", hint="astype|static")

mistake("item_of_traced_value", "tracing", """
    import jax
    jax.jit(lambda x: x.item())(1.0)
""", hint="static|return")

mistake("tolist_of_traced_value", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: x.tolist())(jnp.ones(2))
""", hint="return")

mistake("range_of_traced_value", "tracing", """
    import jax
    jax.jit(lambda n: sum(range(n)))(3)
""", hint="static|fori_loop")

mistake("zeros_of_traced_size", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda n: jnp.zeros(n))(3)
""", hint="static")

mistake("arange_of_traced_size", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda n: jnp.arange(n))(3)
""", hint="static")

mistake("reshape_to_traced_shape", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x, n: x.reshape(n, -1))(jnp.ones(6), 2)
""", hint="static")

mistake("slice_with_traced_bound", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x, n: x[:n])(jnp.arange(3.0), 2)
""", hint=("dynamic_slice", "static"))

mistake("len_of_traced_array_is_static", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: x * len(x))(jnp.ones(3))
""")

mistake("loop_over_traced_array_rows", "tracing", """
    import jax
    import jax.numpy as jnp

    @jax.jit
    def total(x):
        s = 0.0
        for row in x:
            s = s + row.sum()
        return s

    total(jnp.ones((2, 3)))
""")

mistake("print_of_tracer_under_jit", "tracing", """
    import jax

    @jax.jit
    def f(x):
        print(x)
        return x

    f(1.0)
""")

mistake("f_string_in_debug_print", "tracing", """
    import jax

    @jax.jit
    def f(x):
        jax.debug.print(f"x is {x}")
        return x

    f(1.0)
""")

mistake("jnp_array_of_tracers", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x, y: jnp.array([x, y, 1.0]))(2.0, 3.0)
""")

# ---------------------------------------------------------------------------------------------
# NumPy functions on traced values

mistake("numpy_sin_under_jit", "numpy interop", """
    import jax
    import numpy as np
    jax.jit(lambda x: np.sin(x))(1.0)
""", hint="jnp|jax.numpy")

mistake("numpy_sin_under_grad", "numpy interop", """
    import jax
    import numpy as np
    jax.grad(lambda x: np.sin(x))(1.0)
""", hint="jnp|jax.numpy")

mistake("numpy_sin_under_jvp", "numpy interop", """
    import jax
    import numpy as np
    jax.jvp(np.sin, (1.0,), (1.0,))
""", hint="jnp|jax.numpy")

mistake("numpy_sin_under_vmap", "numpy interop", """
    import jax
    import jax.numpy as jnp
    import numpy as np
    jax.vmap(np.sin)(jnp.arange(3.0))
""", hint="jnp|jax.numpy")

mistake("numpy_asarray_of_tracer", "numpy interop", """
    import jax
    import jax.numpy as jnp
    import numpy as np
    jax.jit(lambda x: jnp.sum(np.asarray(x) ** 2))(jnp.ones(3))
""", hint="jnp|jax.numpy")

mistake("numpy_asarray_under_grad", "numpy interop", """
    import jax
    import jax.numpy as jnp
    import numpy as np
    jax.grad(lambda x: jnp.sum(np.asarray(x) ** 2))(jnp.ones(3))
""", hint="jnp|jax.numpy")

mistake("numpy_sum_of_concrete_array_is_fine", "numpy interop", """
    import numpy as np
    import jax.numpy as jnp
    float(np.sum(jnp.arange(4.0)))
""")

mistake("numpy_mean_under_jit_calls_the_array_method", "numpy interop", """
    import jax
    import jax.numpy as jnp
    import numpy as np
    jax.jit(lambda x: np.mean(x))(jnp.ones(3))
""")

# ---------------------------------------------------------------------------------------------
# Data-dependent shapes

mistake("boolean_mask_under_jit", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: x[x > 0].sum())(jnp.array([-1.0, 2.0]))
""", hint="jnp.where")

mistake("boolean_mask_set_under_jit", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: x.at[x > 0].set(0.0))(jnp.array([-1.0, 2.0]))
""", hint="jnp.where")

mistake("where_with_one_argument_under_jit", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: jnp.where(x > 0))(jnp.array([-1.0, 2.0]))
""", hint="size", avoid=("use jnp.where",))

mistake("nonzero_under_jit", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: jnp.nonzero(x))(jnp.array([0.0, 2.0]))
""", hint="size")

mistake("argwhere_under_jit", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: jnp.argwhere(x))(jnp.array([0.0, 2.0]))
""", hint="size")

mistake("unique_under_jit", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: jnp.unique(x))(jnp.array([1, 1, 2]))
""", hint="size")

mistake("nonzero_with_size_under_jit_is_fine", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: jnp.nonzero(x, size=2))(jnp.array([0.0, 2.0, 3.0]))
""")

mistake("where_three_arguments_under_jit_is_fine", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: jnp.where(x > 0, x, 0.0))(jnp.array([-1.0, 2.0]))
""")

mistake("boolean_mask_under_vmap", "dynamic shapes", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: x[x > 0].sum())(jnp.ones((2, 3)))
""", hint="jnp.where", avoid=("static",))

# ---------------------------------------------------------------------------------------------
# Side effects and leaked tracers

mistake("tracer_stored_in_global_list", "side effects", """
    import jax
    import jax.numpy as jnp
    saved = []

    @jax.jit
    def f(x):
        saved.append(x)
        return x + 1

    f(1.0)
    saved[0] + 1
""", hint="return")

mistake("tracer_stored_on_object", "side effects", """
    import jax

    class Model:
        def step(self, x):
            self.last = x * 2
            return x

    m = Model()
    jax.jit(m.step)(1.0)
    jax.numpy.sin(m.last)
""", hint="return")

mistake("tracer_leaked_from_grad", "side effects", """
    import jax
    import jax.numpy as jnp
    leaked = []
    jax.grad(lambda x: (leaked.append(x), x * x)[1])(1.0)
    jnp.cos(leaked[0])
""", hint="return")

mistake("global_mutated_between_jit_calls", "side effects", """
    import jax
    scale = 2.0
    f = jax.jit(lambda x: x * scale)
    f(1.0)
    scale = 3.0
    f(1.0)
""")

mistake("global_list_appended_under_jit", "side effects", """
    import jax
    calls = []

    @jax.jit
    def f(x):
        calls.append(1)
        return x

    f(1.0); f(2.0); f(3.0)
    len(calls)
""")

mistake("iterator_consumed_in_loop_body", "side effects", """
    import jax
    from jax import lax
    it = iter(range(5))
    lax.fori_loop(0, 5, lambda i, c: c + next(it), 0)
""")

# ---------------------------------------------------------------------------------------------
# jit arguments: static, hashable, valid types

mistake("static_argnums_list_argument", "jit arguments", """
    import jax
    jax.jit(lambda x, n: x * n[0], static_argnums=1)(1.0, [1, 2])
""", hint=("hashable", "tuple"))

mistake("static_argnums_out_of_range", "jit arguments", """
    import jax
    jax.jit(lambda x, n: x * n, static_argnums=3)(1.0, 2)
""", hint=("static_argnums", "0 to 1"))

mistake("static_argnames_unknown_name", "jit arguments", """
    import jax
    jax.jit(lambda x, n: x * n, static_argnames="m")(1.0, 2)
""", hint=("static_argnames", "(x, n)"))

mistake("static_argnums_called_by_keyword", "jit arguments", """
    import jax
    jax.jit(lambda x, n: x * n, static_argnums=1)(2.0, n=3)
""")

mistake("static_argnames_called_positionally", "jit arguments", """
    import jax
    jax.jit(lambda x, n: x * n, static_argnames="n")(2.0, 3)
""")

mistake("string_argument_to_jit", "jit arguments", """
    import jax
    jax.jit(lambda x, mode: x)(1.0, "train")
""", hint="static_argnums|static_argnames")

mistake("none_argument_to_jit_is_fine", "jit arguments", """
    import jax
    jax.jit(lambda x, y: x if y is None else x + y)(1.0, None)
""")

mistake("function_argument_to_jit", "jit arguments", """
    import jax
    jax.jit(lambda f, x: f(x))(lambda v: v * 2, 1.0)
""", hint="static_argnums|static_argnames|partial")

mistake("unregistered_class_argument_to_jit", "jit arguments", """
    import jax

    class Params:
        def __init__(self, w):
            self.w = w

    jax.jit(lambda p: p.w * 2)(Params(1.0))
""", hint="pytree|register")

mistake("jit_returns_a_string", "jit arguments", """
    import jax
    jax.jit(lambda x: "done")(1.0)
""", hint="return")

mistake("jit_returns_a_list_of_arrays_is_fine", "jit arguments", """
    import jax
    jax.jit(lambda x: [x, x * 2])(1.0)
""")

mistake("jit_returns_python_int_is_array", "jit arguments", """
    import jax
    jax.jit(lambda x: 3)(1.0)
""")

mistake("jit_of_list_argument_to_jnp_sum", "jit arguments", """
    import jax
    import jax.numpy as jnp
    jax.jit(jnp.sum)([1, 2, 3])
""", hint="jnp.asarray")

mistake("jit_with_changing_static_value_retraces", "jit arguments", """
    import jax
    from functools import partial

    @partial(jax.jit, static_argnums=1)
    def f(x, n):
        print("trace", n)
        return x * n

    f(1.0, 2); f(1.0, 2); f(1.0, 3)
""")

mistake("jit_of_method_with_self_static", "jit arguments", """
    import jax
    from functools import partial

    class Scaler:
        def __init__(self, k):
            self.k = k

        @partial(jax.jit, static_argnums=0)
        def __call__(self, x):
            return x * self.k

    Scaler(3.0)(2.0)
""")

mistake("jit_of_method_without_static_self", "jit arguments", """
    import jax

    class Scaler:
        k = 3.0

        @jax.jit
        def scale(self, x):
            return x * self.k

    Scaler().scale(2.0)
""", hint="static_argnums|static_argnames|partial|pytree")

mistake("jit_called_with_wrong_number_of_arguments", "jit arguments", """
    import jax
    jax.jit(lambda x, y: x + y)(1.0)
""", hint=PYTHON_ERROR)

mistake("jit_with_kwargs_only_call", "jit arguments", """
    import jax
    jax.jit(lambda x, y: x - y)(y=1.0, x=3.0)
""")

# ---------------------------------------------------------------------------------------------
# Gradients

mistake("grad_of_vector_output", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.grad(lambda x: x ** 2)(jnp.arange(3.0))
""", hint="jacrev|jacobian|sum|vmap")

mistake("grad_of_integer_input", "autodiff", """
    import jax
    jax.grad(lambda x: x * 2)(3)
""", hint="float|allow_int")

mistake("grad_of_integer_output", "autodiff", """
    import jax
    jax.grad(lambda x: x.astype(int))(1.0)
""", hint="float", avoid=("allow_int",))

mistake("grad_of_argmax", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.grad(lambda x: jnp.argmax(x))(jnp.arange(3.0))
""", hint="float", avoid=("allow_int",))

mistake("grad_of_tuple_output_without_has_aux", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.grad(lambda x: (x ** 2, x))(jnp.float32(1.0))
""", hint=("has_aux=True", "pair"))

mistake("grad_has_aux_returning_a_list", "autodiff", """
    import jax
    jax.grad(lambda x: [x ** 2, x], has_aux=True)(3.0)
""")

mistake("grad_argnums_out_of_range", "autodiff", """
    import jax
    jax.grad(lambda x, y: x * y, argnums=2)(1.0, 2.0)
""", hint=("argnums", "0 to 1"))

mistake("grad_of_int_in_dict", "autodiff", """
    import jax
    jax.grad(lambda p: p["w"] * p["n"])({"w": 1.0, "n": 2})
""", hint="float|allow_int")

mistake("grad_allow_int_gives_float0", "autodiff", """
    import jax
    g = jax.grad(lambda x, n: x * n, argnums=1, allow_int=True)(1.0, 2)
    print(g.dtype, g.shape)
""")

mistake("grad_of_complex_output", "autodiff", """
    import jax
    jax.grad(lambda x: x * 1j)(1.0)
""", hint=("holomorphic", "real"))

mistake("grad_holomorphic_with_real_input", "autodiff", """
    import jax
    jax.grad(lambda z: z ** 2, holomorphic=True)(1.0)
""", hint="complex")

mistake("jacrev_of_complex_without_holomorphic", "autodiff", """
    import jax
    jax.jacrev(lambda z: z ** 2)(1.0 + 1.0j)
""", hint="holomorphic")

mistake("jacfwd_of_integer_input", "autodiff", """
    import jax
    jax.jacfwd(lambda x: x * 2)(3)
""", hint="float", avoid=("allow_int",))

mistake("value_and_grad_of_vector_output", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.value_and_grad(lambda x: x * 2)(jnp.ones(2))
""", hint="jacrev|jacobian|sum|vmap")

mistake("grad_of_float_conversion", "autodiff", """
    import jax
    jax.grad(lambda x: float(x) ** 2)(1.0)
""", hint="astype", avoid=("static",))

mistake("grad_of_abs_at_zero", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.grad(jnp.abs)(0.0)
""")

mistake("grad_of_sqrt_at_zero", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.grad(jnp.sqrt)(0.0)
""")

mistake("grad_through_where_nan_trap", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.grad(lambda x: jnp.where(x > 0, jnp.log(x), 0.0))(0.0)
""")

mistake("grad_through_integer_cast_is_zero", "autodiff", """
    import jax
    jax.grad(lambda x: x.astype(int).astype(float) * x)(2.5)
""")

mistake("grad_of_max_at_tie", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.grad(lambda x: jnp.max(x))(jnp.array([1.0, 1.0]))
""")

mistake("grad_of_norm_at_zero", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.grad(jnp.linalg.norm)(jnp.zeros(2))
""")

mistake("grad_of_bool_input", "autodiff", """
    import jax
    jax.grad(lambda x: x * 1.0)(True)
""", hint="float|allow_int")

mistake("grad_while_loop_reverse_mode", "autodiff", """
    import jax
    from jax import lax
    jax.grad(lambda x: lax.while_loop(lambda c: c < 5.0, lambda c: c * x, 1.0))(2.0)
""", hint=("scan", "fori_loop"))

mistake("grad_fori_loop_dynamic_bounds", "autodiff", """
    import jax
    from jax import lax
    jax.jit(jax.grad(lambda x, n: lax.fori_loop(0, n, lambda i, c: c * x, 1.0)))(2.0, 3)
""", hint=("scan", "Python int|static"))

mistake("grad_fori_loop_static_bounds_is_fine", "autodiff", """
    import jax
    from jax import lax
    jax.grad(lambda x: lax.fori_loop(0, 3, lambda i, c: c * x, 1.0))(2.0)
""")

mistake("hessian_of_vector_function", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.jit(jax.hessian(lambda x: x ** 3))(jnp.ones(2)).shape
""")

mistake("jvp_primals_not_a_tuple", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.jvp(jnp.sin, 1.0, 1.0)
""", hint=("tuple", "(x,)"))

mistake("jvp_tangent_shape_mismatch", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.jvp(jnp.sin, (jnp.ones(3),), (jnp.ones(2),))
""", hint="shape")

mistake("jvp_tangent_dtype_mismatch", "autodiff", """
    import jax
    import jax.numpy as jnp
    jax.jvp(jnp.sin, (jnp.ones(3),), (jnp.ones(3, dtype=jnp.int32),))
""", hint=("dtype", "astype"))

mistake("jvp_wrong_number_of_tangents", "autodiff", """
    import jax
    jax.jvp(lambda x, y: x * y, (1.0, 2.0), (1.0,))
""", hint="one tangent per primal")

mistake("vjp_cotangent_shape_mismatch", "autodiff", """
    import jax
    import jax.numpy as jnp
    y, f_vjp = jax.vjp(jnp.sin, jnp.ones(3))
    f_vjp(jnp.ones(2))
""", hint=("cotangent", "shape"))

# ---------------------------------------------------------------------------------------------
# Custom derivative rules

mistake("custom_vjp_bwd_returns_bare_value", "custom derivatives", """
    import jax

    @jax.custom_vjp
    def f(x, y):
        return x * y

    f.defvjp(lambda x, y: (x * y, (x, y)), lambda res, g: g * res[1])
    jax.grad(f)(2.0, 3.0)
""", hint=("tuple", "one cotangent per argument"))

mistake("custom_vjp_bwd_returns_too_few", "custom derivatives", """
    import jax

    @jax.custom_vjp
    def f(x, y):
        return x * y

    f.defvjp(lambda x, y: (x * y, (x, y)), lambda res, g: (g * res[1],))
    jax.grad(f)(2.0, 3.0)
""", hint=("tuple", "one cotangent per argument"))

mistake("custom_vjp_bwd_returns_wrong_shape", "custom derivatives", """
    import jax
    import jax.numpy as jnp

    @jax.custom_vjp
    def f(x):
        return jnp.sum(x)

    f.defvjp(lambda x: (jnp.sum(x), None), lambda res, g: (g,))
    jax.grad(f)(jnp.ones(3))
""", hint=("shape", "broadcast"))

mistake("custom_vjp_fwd_not_a_pair", "custom derivatives", """
    import jax

    @jax.custom_vjp
    def f(x):
        return x * 2

    f.defvjp(lambda x: x * 2, lambda res, g: (g * 2,))
    jax.grad(f)(1.0)
""", hint=("residuals", "return out, residuals"))

mistake("custom_vjp_under_jvp", "custom derivatives", """
    import jax

    @jax.custom_vjp
    def f(x):
        return x * 2

    f.defvjp(lambda x: (f(x), None), lambda res, g: (g * 2,))
    jax.jvp(f, (1.0,), (1.0,))
""", hint=("custom_jvp", "grad|vjp"))

mistake("custom_vjp_without_defvjp", "custom derivatives", """
    import jax

    @jax.custom_vjp
    def f(x):
        return x * 2

    jax.grad(f)(1.0)
""", hint="defvjp")

mistake("custom_jvp_called_before_defjvp", "custom derivatives", """
    import jax

    @jax.custom_jvp
    def f(x):
        return x * 2

    f(3.0)
""", hint="defjvp")

mistake("custom_jvp_rule_returns_one_value", "custom derivatives", """
    import jax
    import jax.numpy as jnp

    @jax.custom_jvp
    def f(x):
        return jnp.sin(x)

    f.defjvp(lambda primals, tangents: jnp.cos(primals[0]) * tangents[0])
    jax.grad(f)(1.0)
""", hint=("primal", "tangent"))

mistake("custom_jvp_tangent_shape_mismatch", "custom derivatives", """
    import jax
    import jax.numpy as jnp

    @jax.custom_jvp
    def f(x):
        return jnp.sum(x)

    f.defjvp(lambda p, t: (f(p[0]), t[0]))
    jax.jvp(f, (jnp.ones(3),), (jnp.ones(3),))
""", hint="shape")

mistake("custom_jvp_tangent_dtype_mismatch", "custom derivatives", """
    import jax
    import jax.numpy as jnp

    @jax.custom_jvp
    def f(x):
        return x

    f.defjvp(lambda p, t: (p[0], jnp.int32(1)))
    jax.jvp(f, (1.0,), (1.0,))
""", hint=("dtype", "astype"))

mistake("custom_jvp_primal_out_mismatch", "custom derivatives", """
    import jax
    import jax.numpy as jnp

    @jax.custom_jvp
    def f(x):
        return x * 2

    f.defjvp(lambda p, t: (jnp.ones(2), t[0]))
    jax.jvp(f, (1.0,), (1.0,))
""", hint=("primal", "shape"))

mistake("custom_vjp_bwd_none_means_zero", "custom derivatives", """
    import jax

    @jax.custom_vjp
    def f(x, y):
        return x * y

    f.defvjp(lambda x, y: (x * y, y), lambda y, g: (g * y, None))
    jax.grad(f, argnums=(0, 1))(2.0, 3.0)
""")

mistake("custom_vjp_nondiff_argnums_passes_first", "custom derivatives", """
    import jax
    from functools import partial

    @partial(jax.custom_vjp, nondiff_argnums=(0,))
    def scale(k, x):
        return k * x

    scale.defvjp(lambda k, x: (k * x, None), lambda k, res, g: (k * g,))
    jax.grad(lambda x: scale(3.0, x))(1.0)
""")

# ---------------------------------------------------------------------------------------------
# vmap

mistake("vmap_inconsistent_sizes", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda a, b: a + b)(jnp.ones(3), jnp.ones(4))
""", hint="in_axes|size")

mistake("vmap_in_axes_beyond_rank", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: x, in_axes=1)(jnp.ones(3))
""", hint=("in_axes", "None"))

mistake("vmap_of_a_scalar", "vmap", """
    import jax
    jax.vmap(lambda x: x * 2)(1.0)
""", hint="in_axes=None")

mistake("vmap_in_axes_wrong_length", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda a, b: a * b, in_axes=(0, 0, 0))(jnp.ones(2), jnp.ones(2))
""", hint=("in_axes", "one entry per"))

mistake("vmap_in_axes_all_none", "vmap", """
    import jax
    jax.vmap(lambda x: x * 2, in_axes=None)(1.0)
""", hint=("in_axes", "axis_size"))

mistake("vmap_in_axes_float", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: x, in_axes=0.0)(jnp.ones(2))
""", hint=("in_axes", "int"))

mistake("vmap_in_axes_as_list", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda a, b: a * b, in_axes=[0, None])(jnp.arange(3.0), 2.0)
""")

mistake("vmap_out_axes_none_for_mapped_output", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: x * 2, out_axes=None)(jnp.ones(3))
""", hint="out_axes")

mistake("vmap_out_axes_beyond_rank", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: x.sum(), out_axes=1)(jnp.ones((2, 3)))
""", hint=("out_axes", "-1 to 0"))

mistake("vmap_int_of_traced_value", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: int(x))(jnp.arange(3.0))
""", hint="astype", avoid=("static",))

mistake("vmap_range_of_traced_value", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda n: sum(range(n)))(jnp.arange(3))
""", hint="fori_loop|while_loop|jnp", avoid=("static",))

mistake("vmap_over_list_of_arrays", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda xs: xs[0] + xs[1])([jnp.arange(3.0), jnp.ones(3)])
""")

mistake("vmap_keyword_argument_is_mapped", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x, y: x * y)(jnp.arange(3.0), y=jnp.ones(3))
""")

mistake("vmap_in_axes_dict_prefix", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda p: p["a"] * p["b"], in_axes=({"a": 0, "b": None},))({"a": jnp.arange(3.0), "b": 2.0})
""")

mistake("vmap_in_axes_dict_wrong_keys", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda p: p["a"], in_axes=({"a": 0, "c": None},))({"a": jnp.arange(3.0), "b": 2.0})
""", hint=("in_axes", "keys"))

mistake("vmap_returns_a_string", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: "label")(jnp.ones(3))
""", hint=("arrays", "return"))

mistake("vmap_axis_name_with_psum", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: x / jax.lax.psum(x, "batch"), axis_name="batch")(jnp.arange(1.0, 4.0))
""")

mistake("vmap_psum_unbound_axis_name", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(lambda x: jax.lax.psum(x, "i"))(jnp.ones(3))
""", hint="axis_name")

mistake("vmap_of_grad_of_vector", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(jax.grad(lambda x: x ** 2))(jnp.ones((2, 3)))
""", hint="jacrev|jacobian|sum|vmap")

mistake("vmap_negative_in_axes", "vmap", """
    import jax
    import jax.numpy as jnp
    jax.vmap(jnp.sum, in_axes=-1)(jnp.arange(6.0).reshape(2, 3))
""")

# ---------------------------------------------------------------------------------------------
# Control flow primitives

mistake("cond_branches_return_different_dtypes", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.cond(True, lambda x: x, lambda x: x.astype(jnp.int32), jnp.float32(1))
""", hint=("both branches", "dtype", "astype"))

mistake("cond_branches_return_different_shapes", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.cond(True, lambda x: x, lambda x: x[:2], jnp.ones(3))
""", hint=("both branches", "shape"))

mistake("cond_branches_return_different_structures", "control flow", """
    from jax import lax
    lax.cond(True, lambda x: (x, x), lambda x: x, 1.0)
""", hint=("both branches", "structure"))

mistake("cond_with_array_predicate", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.cond(jnp.array([True, False]), lambda: 1.0, lambda: 0.0)
""", hint=("jnp.where", "any|all"))

mistake("cond_with_float_predicate", "control flow", """
    from jax import lax
    lax.cond(0.5, lambda: 1, lambda: 2)
""")

mistake("cond_operand_passed_as_keyword", "control flow", """
    from jax import lax
    lax.cond(True, lambda x: x, lambda x: -x, operand=1.0)
""")

mistake("cond_branch_not_callable", "control flow", """
    from jax import lax
    lax.cond(True, 1.0, 2.0)
""", hint="function")

mistake("switch_with_float_index", "control flow", """
    from jax import lax
    lax.switch(1.0, [lambda: 1, lambda: 2])
""", hint=("int", "astype"))

mistake("switch_index_out_of_range_clamps", "control flow", """
    from jax import lax
    lax.switch(7, [lambda: 10, lambda: 20, lambda: 30])
""")

mistake("switch_with_empty_branches", "control flow", """
    from jax import lax
    lax.switch(0, [])
""", hint="branch")

mistake("while_body_changes_dtype", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.while_loop(lambda x: x < 3, lambda x: (x + 1).astype(jnp.float32), jnp.int32(0))
""", hint=("carry", "dtype", "astype"))

mistake("while_body_changes_shape", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.while_loop(lambda x: x.sum() < 3, lambda x: jnp.concatenate([x, x]), jnp.ones(1))
""", hint=("carry", "shape"), avoid=("scan's",))

mistake("while_cond_returns_array", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.while_loop(lambda x: x < 3, lambda x: x + 1, jnp.zeros(2))
""", hint="jnp.all|jnp.any")

mistake("while_cond_returns_float", "control flow", """
    from jax import lax
    lax.while_loop(lambda x: x - 3.0, lambda x: x + 1.0, 0.0)
""", hint=("bool", "compare"))

mistake("while_with_python_scalar_init", "control flow", """
    from jax import lax
    lax.while_loop(lambda x: x < 3, lambda x: x + 1, 0)
""")

mistake("fori_loop_weak_int_carry", "control flow", """
    from jax import lax
    lax.fori_loop(0, 10, lambda i, x: x + i, 0)
""")

mistake("fori_loop_int_carry_plus_float", "control flow", """
    from jax import lax
    lax.fori_loop(0, 4, lambda i, x: x + 0.5, 0)
""")

mistake("fori_loop_float32_carry_plus_int", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.fori_loop(0, 3, lambda i, x: x + i, jnp.float32(0))
""")

mistake("fori_loop_body_with_one_argument", "control flow", """
    from jax import lax
    lax.fori_loop(0, 3, lambda x: x + 1, 0)
""", hint=PYTHON_ERROR)

mistake("fori_loop_float_bounds", "control flow", """
    from jax import lax
    lax.fori_loop(0.0, 3.0, lambda i, x: x + i, 0.0)
""")

mistake("scan_carry_changes_dtype", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.scan(lambda c, x: (c + x, None), jnp.int32(0), jnp.arange(3.0))
""", hint=("carry", "dtype", "astype"))

mistake("scan_carry_changes_shape", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.scan(lambda c, x: (c * x, None), 0.0, jnp.ones((3, 2)))
""", hint=("carry", "shape", "carry, y"))

mistake("scan_body_returns_single_value", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.scan(lambda c, x: c + x, 0.0, jnp.arange(3.0))
""", hint=("pair", "carry, y"))

mistake("scan_xs_leading_sizes_differ", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.scan(lambda c, x: (c + x[0] * x[1], None), 0.0, (jnp.ones(3), jnp.ones(4)))
""", hint=("leading axis", "same length"))

mistake("scan_without_xs_or_length", "control flow", """
    from jax import lax
    lax.scan(lambda c, x: (c + 1, c), 0)
""", hint="length=")

mistake("scan_length_disagrees_with_xs", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.scan(lambda c, x: (c + x, c), 0.0, jnp.ones(3), length=5)
""", hint=("length", "leading axis"))

mistake("scan_with_python_int_init", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.scan(lambda c, x: (c + x, c), 0, jnp.arange(3))
""")

mistake("scan_python_int_init_float_xs", "control flow", """
    import jax.numpy as jnp
    from jax import lax
    lax.scan(lambda c, x: (c + x, c), 0, jnp.arange(3.0))
""")

mistake("map_over_a_scalar", "control flow", """
    from jax import lax
    lax.map(lambda x: x * 2, 1.0)
""", hint="leading axis")

# ---------------------------------------------------------------------------------------------
# Arrays: immutability, conversions, shapes

mistake("in_place_item_assignment", "arrays", """
    import jax.numpy as jnp
    x = jnp.zeros(3)
    x[0] = 1.0
""", hint=".at")

mistake("in_place_augmented_item_assignment", "arrays", """
    import jax.numpy as jnp
    x = jnp.zeros(3)
    x[1] += 1.0
""", hint=".at")

mistake("rebinding_with_plus_equals_is_fine", "arrays", """
    import jax.numpy as jnp
    x = jnp.zeros(3)
    x += 1.0
    x
""")

mistake("at_set_returns_a_new_array", "arrays", """
    import jax.numpy as jnp
    x = jnp.zeros(3)
    x.at[0].set(5.0)
    x
""")

mistake("at_without_method", "arrays", """
    import jax.numpy as jnp
    x = jnp.zeros(3)
    x.at[0] = 5.0
""", hint=".at[idx].set")

mistake("list_passed_to_jnp_sum", "arrays", """
    import jax.numpy as jnp
    jnp.sum([1, 2, 3])
""", hint="jnp.asarray")

mistake("list_passed_to_jnp_exp", "arrays", """
    import jax.numpy as jnp
    jnp.exp([0.0, 1.0])
""", hint="jnp.asarray")

mistake("list_to_jnp_array_is_fine", "arrays", """
    import jax.numpy as jnp
    jnp.array([1, 2, 3]).sum()
""")

mistake("string_to_jnp_array", "arrays", """
    import jax.numpy as jnp
    jnp.array("abc")
""", hint="numbers")

mistake("mixed_list_to_jnp_array", "arrays", """
    import jax.numpy as jnp
    jnp.array([1, "a"])
""", hint="numbers")

mistake("ragged_list_to_jnp_array", "arrays", """
    import jax.numpy as jnp
    jnp.array([[1, 2], [3]])
""", hint="same length")

mistake("python_int_too_large_for_int32", "arrays", """
    import jax.numpy as jnp
    jnp.array(2 ** 40)
""", hint=("float", "x64"))

mistake("python_int_too_large_in_arithmetic", "arrays", """
    import jax.numpy as jnp
    jnp.arange(3) + 2 ** 33
""", hint=("float", "x64"))

mistake("negative_int_to_uint8", "arrays", """
    import jax.numpy as jnp
    jnp.array(-1, dtype=jnp.uint8)
""", hint=("uint8", "dtype"))

mistake("integer_to_negative_power", "arrays", """
    import jax.numpy as jnp
    jnp.array(2) ** -1
""", hint="float")

mistake("float_power_of_integer_is_fine", "arrays", """
    import jax.numpy as jnp
    jnp.array(2) ** -1.0
""")

mistake("float_to_int_cast_of_nan", "arrays", """
    import jax.numpy as jnp
    jnp.array([jnp.nan, jnp.inf, -jnp.inf, 3.7]).astype(jnp.int32)
""")

mistake("float_to_uint8_cast_out_of_range", "arrays", """
    import jax.numpy as jnp
    jnp.array([-5.0, 300.0]).astype(jnp.uint8)
""")

mistake("float_to_int_cast_under_jit", "arrays", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: x.astype(jnp.int8))(jnp.array([jnp.nan, 1000.0, -1000.0]))
""")

mistake("sum_with_float_axis", "arrays", """
    import jax.numpy as jnp
    jnp.ones((2, 3)).sum(axis=1.0)
""", hint=("axis", "int"))

mistake("sum_axis_out_of_range", "arrays", """
    import jax.numpy as jnp
    jnp.ones(3).sum(axis=1)
""", hint=("axis", "-1 to 0"))

mistake("reshape_to_wrong_size", "arrays", """
    import jax.numpy as jnp
    jnp.arange(6).reshape(4, 2)
""", hint=("6 elements", "-1"))

mistake("reshape_with_two_unknowns", "arrays", """
    import jax.numpy as jnp
    jnp.arange(6).reshape(-1, -1)
""", hint=("only one", "-1"))

mistake("zeros_with_negative_shape", "arrays", """
    import jax.numpy as jnp
    jnp.zeros((2, -1))
""", hint=("shape", "0 or more"))

mistake("zeros_with_float_shape", "arrays", """
    import jax.numpy as jnp
    jnp.zeros((2.0, 3))
""", hint="int(")

mistake("ones_with_shape_as_two_arguments", "arrays", """
    import jax.numpy as jnp
    jnp.ones(2, 3)
""", hint=("tuple", "jnp.ones((2, 3))"))

mistake("add_incompatible_shapes", "arrays", """
    import jax.numpy as jnp
    jnp.ones(3) + jnp.ones(4)
""", hint=("broadcast", "equal or 1"))

mistake("matmul_mismatched_inner_dimension", "arrays", """
    import jax.numpy as jnp
    jnp.ones((2, 3)) @ jnp.ones((2, 3))
""", hint=("shape", "transpose|.T"))

mistake("dot_of_mismatched_vectors", "arrays", """
    import jax.numpy as jnp
    jnp.dot(jnp.ones(3), jnp.ones(4))
""", hint=("shape", "same length"))

mistake("matmul_of_scalars", "arrays", """
    import jax.numpy as jnp
    jnp.matmul(jnp.float32(2), jnp.float32(3))
""", hint=("scalars", "*"))

mistake("lax_add_of_mixed_dtypes", "arrays", """
    import jax.numpy as jnp
    from jax import lax
    lax.add(jnp.float32(1), jnp.int32(1))
""", hint=("astype", "jnp.add"))

mistake("lax_add_of_mismatched_shapes", "arrays", """
    import jax.numpy as jnp
    from jax import lax
    lax.add(jnp.ones(3), jnp.ones(2))
""", hint="broadcast")

mistake("lax_add_of_python_scalars_is_fine", "arrays", """
    from jax import lax
    lax.add(1.0, 2.0)
""")

mistake("concatenate_mismatched_shapes", "arrays", """
    import jax.numpy as jnp
    jnp.concatenate([jnp.ones((2, 3)), jnp.ones((2, 2))])
""", hint="axis")

mistake("concatenate_scalars", "arrays", """
    import jax.numpy as jnp
    jnp.concatenate([jnp.float32(1), jnp.float32(2)])
""", hint="jnp.stack")

mistake("stack_mismatched_shapes", "arrays", """
    import jax.numpy as jnp
    jnp.stack([jnp.ones(3), jnp.ones(2)])
""", hint="shape")

mistake("split_into_unequal_parts", "arrays", """
    import jax.numpy as jnp
    jnp.split(jnp.arange(5), 2)
""", hint="array_split")

mistake("squeeze_axis_with_size_two", "arrays", """
    import jax.numpy as jnp
    jnp.squeeze(jnp.ones((2, 3)), axis=0)
""", hint="size 1")

mistake("transpose_with_wrong_axes", "arrays", """
    import jax.numpy as jnp
    jnp.transpose(jnp.ones((2, 3)), (0, 2))
""", hint="permutation")

mistake("expand_dims_out_of_range", "arrays", """
    import jax.numpy as jnp
    jnp.expand_dims(jnp.ones(3), 3)
""", hint="axis")

mistake("item_of_a_vector", "arrays", """
    import jax.numpy as jnp
    jnp.ones(3).item()
""", hint=("size-1", "x[0]"))

mistake("float_of_a_vector", "arrays", """
    import jax.numpy as jnp
    float(jnp.ones(3))
""", hint=("scalar", "x[0]"))

mistake("truth_value_of_a_vector", "arrays", """
    import jax.numpy as jnp
    if jnp.array([True, False]):
        pass
""", hint=("jnp.any", "jnp.all"))

mistake("iterate_over_a_scalar_array", "arrays", """
    import jax.numpy as jnp
    for v in jnp.float32(1.0):
        pass
""", hint="0-d")

mistake("shape_called_like_a_method", "arrays", """
    import jax.numpy as jnp
    jnp.ones(3).shape()
""", hint=PYTHON_ERROR)

mistake("float64_array_without_x64", "arrays", """
    import jax.numpy as jnp
    jnp.array([1.0], dtype=jnp.float64).dtype
""")

mistake("float64_zeros_without_x64", "arrays", """
    import jax.numpy as jnp
    jnp.zeros(2, dtype=jnp.float64).dtype
""")

mistake("int64_arange_without_x64", "arrays", """
    import jax.numpy as jnp
    jnp.arange(3, dtype=jnp.int64).dtype
""")

mistake("astype_float64_without_x64", "arrays", """
    import jax.numpy as jnp
    jnp.ones(2).astype(jnp.float64).dtype
""")

mistake("float64_numpy_input_without_x64", "arrays", """
    import numpy as np
    import jax.numpy as jnp
    jnp.asarray(np.ones(2)).dtype
""")

mistake("set_float_into_int_array", "arrays", """
    import jax.numpy as jnp
    jnp.zeros(3, dtype=jnp.int32).at[0].set(2.7)
""")

mistake("complex_array_comparison", "arrays", """
    import jax.numpy as jnp
    jnp.array([1 + 1j, 2 + 0j]) > 1
""")

mistake("complex_array_max", "arrays", """
    import jax.numpy as jnp
    jnp.max(jnp.array([1 + 1j, 2 - 3j]))
""")

mistake("real_part_of_complex", "arrays", """
    import jax.numpy as jnp
    jnp.real(jnp.array([1 + 2j, 3 - 4j]))
""")

mistake("conjugate_of_complex", "arrays", """
    import jax.numpy as jnp
    jnp.conj(jnp.array([1 + 2j]))
""")

mistake("imaginary_part_attribute", "arrays", """
    import jax.numpy as jnp
    jnp.array([1 + 2j, 3 - 4j]).imag
""")

mistake("integer_overflow_wraps_around", "arrays", """
    import jax.numpy as jnp
    jnp.int8(127) + jnp.int8(1)
""")

mistake("integer_division_by_zero", "arrays", """
    import jax.numpy as jnp
    jnp.array([1, 2]) // 0
""")

mistake("weak_type_python_float_times_float16", "arrays", """
    import jax.numpy as jnp
    (jnp.ones(2, jnp.float16) * 3.5).dtype
""")

mistake("int_array_plus_python_float", "arrays", """
    import jax.numpy as jnp
    jnp.arange(3) + 0.5
""")

mistake("bool_array_sum", "arrays", """
    import jax.numpy as jnp
    jnp.array([True, True, False]).sum()
""")

mistake("argmax_of_empty_array", "arrays", """
    import jax.numpy as jnp
    jnp.argmax(jnp.zeros(0))
""", hint="empty")

mistake("max_of_empty_array", "arrays", """
    import jax.numpy as jnp
    jnp.max(jnp.zeros(0))
""", hint=("empty", "initial"))

mistake("at_set_value_of_wrong_shape", "arrays", """
    import jax.numpy as jnp
    jnp.ones(3).at[0].set(jnp.ones(2))
""", hint=("x.at[idx]", "shape"))

mistake("where_of_incompatible_shapes", "arrays", """
    import jax.numpy as jnp
    jnp.where(jnp.ones(3) > 0, jnp.ones(2), 0.0)
""", hint="broadcast")

mistake("einsum_with_mismatched_label", "arrays", """
    import jax.numpy as jnp
    jnp.einsum("ij,jk->ik", jnp.ones((2, 3)), jnp.ones((2, 3)))
""", hint="label")

mistake("linspace_of_traced_count", "tracing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda n: jnp.linspace(0.0, 1.0, n))(3)
""", hint="static")

# ---------------------------------------------------------------------------------------------
# Indexing

mistake("static_index_out_of_bounds_clamps", "indexing", """
    import jax.numpy as jnp
    jnp.arange(3.0)[5]
""")

mistake("traced_index_out_of_bounds_clamps", "indexing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x, i: x[i])(jnp.arange(3.0), 5)
""")

mistake("at_get_fill_mode", "indexing", """
    import jax.numpy as jnp
    jnp.arange(3.0).at[jnp.array([1, 5])].get(mode="fill", fill_value=-1.0)
""")

mistake("at_set_out_of_bounds_is_dropped", "indexing", """
    import jax.numpy as jnp
    jnp.zeros(3).at[5].set(1.0)
""")

mistake("at_set_clip_mode", "indexing", """
    import jax.numpy as jnp
    jnp.zeros(3).at[9].set(1.0, mode="clip")
""")

mistake("at_get_unknown_mode", "indexing", """
    import jax.numpy as jnp
    jnp.zeros(3).at[0].get(mode="wrap")
""", hint=("mode", "clip"))

mistake("take_out_of_bounds_fills_nan", "indexing", """
    import jax.numpy as jnp
    jnp.take(jnp.arange(3.0), jnp.array([1, 4]))
""")

mistake("index_with_float", "indexing", """
    import jax.numpy as jnp
    jnp.arange(3.0)[1.0]
""", hint="integers")

mistake("index_with_float_array", "indexing", """
    import jax.numpy as jnp
    jnp.arange(3.0)[jnp.array([0.0, 1.0])]
""", hint="astype")

mistake("index_with_python_list", "indexing", """
    import jax.numpy as jnp
    jnp.arange(3.0)[[0, 2]]
""", hint="jnp.array")

mistake("too_many_indices", "indexing", """
    import jax.numpy as jnp
    jnp.ones((2, 3))[0, 1, 2]
""", hint=("axes", "x.shape"))

mistake("take_along_axis_wrong_ndim", "indexing", """
    import jax.numpy as jnp
    jnp.take_along_axis(jnp.ones((2, 3)), jnp.array([0, 1]), axis=1)
""", hint=("dimensions", "expand_dims|[:, None]"))

mistake("dynamic_slice_clamps_start", "indexing", """
    import jax.numpy as jnp
    from jax import lax
    lax.dynamic_slice(jnp.arange(5.0), (4,), (3,))
""")

mistake("dynamic_slice_larger_than_operand", "indexing", """
    import jax.numpy as jnp
    from jax import lax
    lax.dynamic_slice(jnp.arange(3.0), (0,), (5,))
""", hint=("sizes", "bigger|larger"))

mistake("dynamic_update_slice_wrong_rank", "indexing", """
    import jax.numpy as jnp
    from jax import lax
    lax.dynamic_update_slice(jnp.zeros((2, 2)), jnp.ones(2), (0, 0))
""", hint="number of axes|rank")

mistake("scatter_with_repeated_indices_set", "indexing", """
    import jax.numpy as jnp
    jnp.zeros(3).at[jnp.array([1, 1])].add(jnp.array([1.0, 2.0]))
""")

mistake("gather_under_jit", "indexing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: x[jnp.array([2, 0])])(jnp.arange(3.0))
""")

mistake("scatter_under_jit", "indexing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: x.at[1].set(9.0))(jnp.arange(3.0))
""")

mistake("take_under_jit", "indexing", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: jnp.take(x, jnp.array([1, 1])))(jnp.arange(3.0))
""")

mistake("grad_of_fancy_indexing_under_jit", "indexing", """
    import jax
    import jax.numpy as jnp
    jax.jit(jax.grad(lambda x: x[jnp.array([0, 0])].sum()))(jnp.arange(3.0))
""")

# ---------------------------------------------------------------------------------------------
# Pytrees

mistake("tree_map_list_versus_tuple", "pytrees", """
    import jax
    jax.tree_util.tree_map(lambda a, b: a + b, [1, 2], (1, 2))
""", hint=("structure", "containers"))

mistake("tree_map_different_lengths", "pytrees", """
    import jax
    jax.tree_util.tree_map(lambda a, b: a + b, [1, 2], [1, 2, 3])
""", hint=("structure", "lengths"))

mistake("tree_map_different_dict_keys", "pytrees", """
    import jax
    jax.tree_util.tree_map(lambda a, b: a + b, {"a": 1}, {"b": 1})
""", hint=("structure", "dict keys"))

mistake("tree_map_none_in_second_tree", "pytrees", """
    import jax
    jax.tree_util.tree_map(lambda a, b: a + b, [1, 2], [1, None])
""", hint="None")

mistake("tree_unflatten_too_few_leaves", "pytrees", """
    import jax
    treedef = jax.tree_util.tree_structure([1, 2, 3])
    jax.tree_util.tree_unflatten(treedef, [1, 2])
""", hint="one leaf per")

mistake("tree_unflatten_too_many_leaves", "pytrees", """
    import jax
    treedef = jax.tree_util.tree_structure((1, 2))
    jax.tree_util.tree_unflatten(treedef, [1, 2, 3])
""", hint="one leaf per")

mistake("register_pytree_twice", "pytrees", """
    import jax

    class Pair:
        pass

    jax.tree_util.register_pytree_node(Pair, lambda p: ((), None), lambda a, c: Pair())
    jax.tree_util.register_pytree_node(Pair, lambda p: ((), None), lambda a, c: Pair())
""", hint="once")

mistake("flatten_returns_a_list_pair", "pytrees", """
    import jax

    class Pair:
        def __init__(self, a, b):
            self.a, self.b = a, b

    jax.tree_util.register_pytree_node(Pair, lambda p: [[p.a, p.b], None], lambda aux, c: Pair(*c))
    jax.tree_util.tree_leaves(Pair(1, 2))
""", hint=("tuple", "(children, aux_data)"))

mistake("flatten_returns_children_only", "pytrees", """
    import jax

    class Pair:
        def __init__(self, a, b):
            self.a, self.b = a, b

    jax.tree_util.register_pytree_node(Pair, lambda p: (p.a, p.b, None), lambda aux, c: Pair(*c))
    jax.tree_util.tree_leaves(Pair(1, 2))
""", hint="(children, aux_data)")

mistake("unregistered_class_is_a_leaf", "pytrees", """
    import jax

    class Params:
        pass

    len(jax.tree_util.tree_leaves([Params(), 1]))
""")

mistake("grad_of_unregistered_class", "pytrees", """
    import jax

    class Params:
        def __init__(self, w):
            self.w = w

    jax.grad(lambda p: p.w ** 2)(Params(1.0))
""", hint=("register", "pytree"))

mistake("none_leaves_are_dropped", "pytrees", """
    import jax
    jax.tree_util.tree_leaves({"a": None, "b": 1.0, "c": (None, 2.0)})
""")

mistake("tree_map_over_none_leaves", "pytrees", """
    import jax
    jax.tree_util.tree_map(lambda x: x * 2, [1.0, None])
""")

mistake("dict_with_mixed_key_types", "pytrees", """
    import jax
    jax.tree_util.tree_leaves({1: "a", "b": 2})
""", hint=("keys", "sorted"))

mistake("tree_structure_mismatch_in_jit_output", "pytrees", """
    import jax
    from jax import lax
    lax.cond(True, lambda: {"a": 1.0}, lambda: {"b": 1.0})
""", hint=("both branches", "dict keys"))

mistake("tree_transpose_wrong_inner", "pytrees", """
    import jax
    outer = jax.tree_util.tree_structure([0, 0])
    inner = jax.tree_util.tree_structure((0, 0, 0))
    jax.tree_util.tree_transpose(outer, inner, [(1, 2), (3, 4)])
""", hint="inner")

# ---------------------------------------------------------------------------------------------
# Random numbers

mistake("reused_key_gives_same_numbers", "random", """
    import jax
    key = jax.random.PRNGKey(0)
    bool(jax.random.normal(key) == jax.random.normal(key))
""")

mistake("prng_key_from_float", "random", """
    import jax
    jax.random.PRNGKey(1.5)
""", hint="integer")

mistake("prng_key_from_array_of_seeds", "random", """
    import jax
    import jax.numpy as jnp
    jax.random.PRNGKey(jnp.array([1, 2]))
""", hint="vmap")

mistake("random_shape_as_int", "random", """
    import jax
    jax.random.normal(jax.random.PRNGKey(0), 3)
""")

mistake("random_normal_integer_dtype", "random", """
    import jax
    import jax.numpy as jnp
    jax.random.normal(jax.random.PRNGKey(0), (2,), dtype=jnp.int32)
""", hint=("float", "randint"))

mistake("random_with_seed_instead_of_key", "random", """
    import jax
    jax.random.normal(0, (2,))
""", hint="key(0)|PRNGKey(0)")

mistake("randint_without_bounds", "random", """
    import jax
    jax.random.randint(jax.random.PRNGKey(0), (2,))
""", hint=PYTHON_ERROR)

mistake("choice_larger_than_population", "random", """
    import jax
    import jax.numpy as jnp
    jax.random.choice(jax.random.PRNGKey(0), jnp.arange(3), (5,), replace=False)
""", hint="replace=True")

mistake("typed_key_plus_int", "random", """
    import jax
    jax.random.key(0) + 1
""", hint="key_data")

mistake("typed_key_in_jnp_function", "random", """
    import jax
    import jax.numpy as jnp
    jnp.sum(jax.random.key(0))
""", hint="key_data")

mistake("split_then_reuse_parent", "random", """
    import jax
    key = jax.random.PRNGKey(0)
    k1, k2 = jax.random.split(key)
    bool((jax.random.uniform(key) == jax.random.uniform(k1)))
""")

mistake("random_float64_dtype_without_x64", "random", """
    import jax
    import jax.numpy as jnp
    jax.random.uniform(jax.random.PRNGKey(0), dtype=jnp.float64).dtype
""")

# ---------------------------------------------------------------------------------------------
# Callbacks, debugging, checkpointing and config

mistake("pure_callback_wrong_result_shape", "debugging", """
    import jax
    import jax.numpy as jnp
    import numpy as np
    spec = jax.ShapeDtypeStruct((3,), jnp.float32)
    jax.jit(lambda x: jax.pure_callback(lambda v: np.zeros(4, np.float32), spec, x))(jnp.ones(3))
""", hint="shape|ShapeDtypeStruct")

mistake("pure_callback_under_vmap_without_method", "debugging", """
    import jax
    import jax.numpy as jnp
    import numpy as np
    spec = jax.ShapeDtypeStruct((), jnp.float32)
    jax.vmap(lambda x: jax.pure_callback(np.sin, spec, x))(jnp.ones(2))
""", hint="vmap_method")

mistake("pure_callback_grad", "debugging", """
    import jax
    import jax.numpy as jnp
    import numpy as np
    spec = jax.ShapeDtypeStruct((), jnp.float32)
    jax.grad(lambda x: jax.pure_callback(lambda v: np.sin(v).astype(np.float32), spec, x))(1.0)
""", hint="custom_jvp")

mistake("debug_print_with_missing_field", "debugging", """
    import jax
    jax.jit(lambda x: jax.debug.print("{a}", b=x))(1.0)
""", hint=PYTHON_ERROR)

mistake("debug_nans_catches_nan", "debugging", """
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_debug_nans", True)
    jnp.log(jnp.float32(-1.0))
""", hint="nan")

mistake("debug_nans_off_gives_nan", "debugging", """
    import jax.numpy as jnp
    jnp.log(jnp.float32(-1.0))
""")

mistake("config_update_unknown_option", "debugging", """
    import jax
    jax.config.update("jax_enable_x65", True)
""", hint="did you mean")

mistake("checkpoint_unknown_policy_name", "debugging", """
    import jax
    jax.checkpoint_policies.save_everything
""", hint=("checkpoint_policies", "everything_saveable"))

mistake("checkpoint_with_python_control_flow", "debugging", """
    import jax

    @jax.checkpoint
    def f(x):
        return x if x > 0 else -x

    jax.grad(f)(1.0)
""", hint="static_argnums|jnp.where|lax.cond")

mistake("device_put_of_a_string", "debugging", """
    import jax
    jax.device_put("abc")
""", hint="array", avoid=("traced",))

mistake("eval_shape_of_bad_matmul", "debugging", """
    import jax
    import jax.numpy as jnp
    jax.eval_shape(lambda a, b: a @ b, jnp.ones((2, 3)), jnp.ones((2, 3)))
""", hint=("shape", "transpose|.T"))

# ---------------------------------------------------------------------------------------------
# Linear algebra and numerics

mistake("inverse_of_non_square_matrix", "linalg", """
    import jax.numpy as jnp
    jnp.linalg.inv(jnp.ones((2, 3)))
""", hint=("square", "pinv"))

mistake("inverse_of_singular_matrix", "linalg", """
    import jax.numpy as jnp
    jnp.linalg.inv(jnp.zeros((2, 2)))
""")

mistake("solve_with_mismatched_shapes", "linalg", """
    import jax.numpy as jnp
    jnp.linalg.solve(jnp.eye(2), jnp.ones(3))
""", hint="shape")

mistake("cholesky_of_indefinite_matrix", "linalg", """
    import jax.numpy as jnp
    jnp.linalg.cholesky(jnp.array([[1.0, 2.0], [2.0, 1.0]]))
""")

mistake("det_of_a_vector", "linalg", """
    import jax.numpy as jnp
    jnp.linalg.det(jnp.ones(3))
""", hint="square")

mistake("norm_with_unknown_order", "linalg", """
    import jax.numpy as jnp
    jnp.linalg.norm(jnp.ones(3), ord="fro")
""", hint="ord")

mistake("convolve_of_two_dimensional_input", "linalg", """
    import jax.numpy as jnp
    jnp.convolve(jnp.ones((2, 2)), jnp.ones(2))
""", hint="one-dimensional")

mistake("conv_with_mismatched_channels", "linalg", """
    import jax.numpy as jnp
    from jax import lax
    lax.conv_general_dilated(jnp.ones((1, 3, 4, 4)), jnp.ones((2, 2, 2, 2)), (1, 1), "VALID")
""", hint="channel")

mistake("conv_with_unknown_padding", "linalg", """
    import jax.numpy as jnp
    from jax import lax
    lax.conv_general_dilated(jnp.ones((1, 1, 4, 4)), jnp.ones((1, 1, 2, 2)), (1, 1), "FULL")
""", hint=("padding", "VALID"))

mistake("unique_with_size_under_jit", "linalg", """
    import jax
    import jax.numpy as jnp
    jax.jit(lambda x: jnp.unique(x, size=3, fill_value=-1))(jnp.array([2, 2, 1]))
""")

mistake("broadcast_shapes_incompatible", "linalg", """
    import jax.numpy as jnp
    jnp.broadcast_shapes((2, 3), (4,))
""", hint="broadcast")

mistake("append_without_axis_flattens", "linalg", """
    import jax.numpy as jnp
    jnp.append(jnp.ones((2, 2)), jnp.zeros((1, 2)))
""")

mistake("norm_pdf_of_integer_input", "linalg", """
    from jax.scipy.stats import norm
    norm.pdf(1)
""")

mistake("logsumexp_of_all_minus_inf", "linalg", """
    import jax
    import jax.numpy as jnp
    from jax.scipy.special import logsumexp
    jax.jit(logsumexp)(jnp.array([-jnp.inf, -jnp.inf]))
""")

mistake("softmax_of_large_logits", "linalg", """
    import jax
    import jax.numpy as jnp
    jax.nn.softmax(jnp.array([1000.0, 1000.0]))
""")

mistake("bfloat16_arithmetic", "linalg", """
    import jax.numpy as jnp
    (jnp.array([1.0, 2.0], dtype=jnp.bfloat16) * 3).dtype
""")


# Cases in which jaxlite does not give JAX's outcome yet, with what differs (none today). A missing or off-topic
# hint is never excused here: every error jaxlite shares with JAX ends with a hint on its topic.
DIFFERS = {}


def _param(case):
    # strict: a listed case that starts giving JAX's outcome fails, so that its entry leaves the table
    marks = [pytest.mark.xfail(reason=case.differs, strict=True)] if case.differs else []
    return pytest.param(case.name, id=case.name, marks=marks)


@functools.cache
def outcomes(name):
    """(jaxlite's outcome, JAX's outcome) of one case, run once per process."""
    source = MISTAKES[name].source
    return run_cell(source, lite=True), run_cell(source, lite=False)


def hint_problem(case, lite):
    """None when jaxlite's error ends with a hint on the case's topic, else what is wrong with it."""
    if case.hint == PYTHON_ERROR:
        return None
    hint = hint_line(lite.message)
    if hint is None:
        return "jaxlite's message does not end with a one-line 'Hint: ...'"
    text = hint.lower()
    for wanted in case.hint:
        if not any(option.lower() in text for option in wanted.split("|")):
            return f"the hint does not mention {wanted!r}: {hint}"
    for word in case.avoid:
        if word.lower() in text:
            return f"the hint says {word!r}, which misleads here: {hint}"
    return None


def case_problem(case):
    """None when jaxlite gives JAX's outcome (with an on-topic hint for an error), else what differs."""
    lite, ref = outcomes(case.name)
    if (ref.error is not None) != (case.hint is not None):
        what = f"raises {ref.error}: {ref.first_line}" if ref.error else "gives a value"
        return f"the table is wrong about JAX: JAX {what}"
    difference = outcome_difference(lite, ref)
    if difference is not None:
        return difference
    return hint_problem(case, lite) if ref.error is not None else None


@pytest.mark.parametrize("name", [_param(case) for case in MISTAKES.values()])
def test_mistake_gives_what_jax_gives(name):
    problem = case_problem(MISTAKES[name])
    lite, ref = outcomes(name)
    assert problem is None, (f"{problem}\n--- jaxlite:\n{lite.shown()}{lite.message or ''}\n"
                             f"--- JAX:\n{ref.shown()}")


@pytest.mark.parametrize("name", [case.name for case in MISTAKES.values() if case.name not in DIFFERS
                                  and case.hint is not None and case.hint != PYTHON_ERROR])
def test_error_shared_with_jax_ends_with_an_on_topic_hint(name):
    """Every error JAX raises in the table (DIFFERS aside), jaxlite raises with JAX's class and first
    line, goes on as JAX's message does, and ends with exactly one `Hint:` line that matches the
    table's gist and avoids what would mislead."""
    lite, ref = outcomes(name)
    assert ref.error is not None and outcome_difference(lite, ref) is None, outcome_difference(lite, ref)
    lines = lite.message.rstrip("\n").splitlines()
    assert [line.startswith("Hint: ") for line in lines].count(True) == 1 and lines[-1].startswith("Hint: ")
    assert hint_problem(MISTAKES[name], lite) is None, hint_problem(MISTAKES[name], lite)
