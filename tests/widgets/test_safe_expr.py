"""The formula reader accepts arithmetic in x and refuses everything else before anything runs."""
import builtins
import pathlib
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from numpy.testing import assert_allclose

import jaxlite
import jaxlite.numpy as lnp
from widgets import safe_expr
from widgets.safe_expr import FormulaError, FormulaSyntaxError, UnsafeExpression, compile_expression, parse

HOSTILE = [
    "__import__('os').system('touch canary')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "lambda: 1",
    "[x for x in ()]",
    "(x for x in ())",
    "{x: 1 for x in ()}",
    "open('f')",
    "exec('1')",
    "eval('1')",
    "compile('1', 'f', 'eval')",
    "globals()",
    "getattr(x, 'real')",
    "9**9**9",
    "x ** 1000",
    "2 ** 101",
    "'a'*10**9",
    "'a'",
    "b'a'",
    "f'{x}'",
    "(y := 1)",
    "sin(*[x])",
    "sin(x=1)",
    "(1).real",
    "1 .real",
    "sin.__globals__",
    "x[0]",
    "x if x else 1",
    "x and 1",
    "not x",
    "x // 2",
    "x % 2",
    "x @ x",
    "~x",
    "1j * x",
    "True + x",
    "None",
    "(x, x)",
    "[x]",
    "{x}",
    "{'a': x}",
    "import os",
    "x; print(1)",
    "print(x)",
    "os.system('ls')",
    "np.sin(x)",
    "sin(x, x)",
    "where(x > 0, x)",
    "y + 1",
    "1e999",
    "10**400 + x",
    "x ** (x ** 2)",
    "1 < x < 2",
    "x == 1",
    "x + " * 60 + "x",
    "(" * 100 + "x" + ")" * 100,
    "-" * 40 + "x",
    "sin(" * 30 + "x" + ")" * 30,
    "",
    "   ",
    "x +",
    "sin(x",
]


WIDGETS = pathlib.Path(safe_expr.__file__).resolve().parent
RUNS_CODE = {"__import__", "open", "exec", "eval", "compile"}


@pytest.fixture
def canary(monkeypatch, tmp_path):
    """Records calls to the builtins an attacker needs that come from evaluated text (a code object named like
    "<string>"), and calls from the widgets package to those that run code; Python's own modules may call them."""
    monkeypatch.chdir(tmp_path)
    calls = []
    for name in ("__import__", "open", "exec", "eval", "compile", "getattr", "globals", "print"):
        original = getattr(builtins, name)

        def spy(*args, _name=name, _original=original, **kwargs):
            caller = sys._getframe(1).f_code.co_filename
            from_widgets = WIDGETS in pathlib.Path(caller).resolve().parents
            if caller.startswith("<") or (from_widgets and _name in RUNS_CODE):
                calls.append((_name, caller))
            return _original(*args, **kwargs)

        monkeypatch.setattr(builtins, name, spy)
    yield calls
    assert not (tmp_path / "canary").exists(), "a hostile formula ran a shell command"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_refused_with_a_message_and_nothing_runs(text, canary):
    with pytest.raises(FormulaError) as error:
        compile_expression(text, lnp)
    assert str(error.value).strip(), "every refusal says why"
    assert canary == []


def test_there_are_at_least_25_hostile_inputs():
    assert len(HOSTILE) >= 25


def test_accepted_formula_runs_without_eval_or_compile(canary):
    f = compile_expression("sin(x) * x**2 + exp(-x) / 2", lnp)
    assert_allclose(float(f(lnp.asarray(1.5))), np.sin(1.5) * 1.5**2 + np.exp(-1.5) / 2, rtol=1e-6)
    assert canary == []


@pytest.mark.parametrize("text,expected", [
    ("x**3", lambda x: x**3),
    ("-x**2", lambda x: -(x**2)),
    ("x ** -1", lambda x: 1 / x),
    ("sqrt(x) + log1p(x)", lambda x: np.sqrt(x) + np.log1p(x)),
    ("sigmoid(x)", lambda x: 1 / (1 + np.exp(-x))),
    ("logistic(2 * x)", lambda x: 1 / (1 + np.exp(-2 * x))),
    ("tanh(x) - arctan(x) + cosh(x) - sinh(x)", lambda x: np.tanh(x) - np.arctan(x) + np.cosh(x) - np.sinh(x)),
    ("abs(x - 1) + expm1(x) + tan(x) + cos(x)", lambda x: abs(x - 1) + np.expm1(x) + np.tan(x) + np.cos(x)),
    ("where(x > 1, x, 0) + maximum(x, 1.2) + minimum(x, 0.5)",
     lambda x: np.where(x > 1, x, 0) + np.maximum(x, 1.2) + np.minimum(x, 0.5)),
    ("2 ** x * pi / e", lambda x: 2**x * np.pi / np.e),
])  # fmt: skip
def test_accepted_formula_gives_the_same_values_in_jaxlite_and_jax(text, expected):
    x = np.array([0.3, 0.9, 1.4], dtype=np.float32)
    ours = compile_expression(text, lnp)(lnp.asarray(x))
    theirs = compile_expression(text, jnp)(jnp.asarray(x))
    assert_allclose(np.asarray(ours), expected(x.astype(np.float64)), rtol=1e-5)
    assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-5, atol=1e-6)
    assert np.asarray(ours).dtype == np.asarray(theirs).dtype == np.float32


def test_integer_power_traces_as_integer_pow_like_jax():
    f_lite, f_jax = compile_expression("x**3", lnp), compile_expression("x**3", jnp)
    assert str(jaxlite.make_jaxpr(f_lite)(1.0)) == str(jax.make_jaxpr(f_jax)(1.0))
    assert "integer_pow[y=3]" in str(jaxlite.make_jaxpr(f_lite)(1.0))


def test_accepted_formula_is_differentiable():
    f = compile_expression("sin(x) * x**2", lnp)
    assert_allclose(float(jaxlite.grad(f)(1.0)), np.cos(1.0) + 2 * np.sin(1.0), rtol=1e-5)


@pytest.mark.parametrize("text,fragment", [
    ("x.__class__", "double underscores"),
    ("foo(x)", "unknown function 'foo'"),
    ("y + 1", "unknown name 'y'"),
    ("sin + 1", "call it: sin(x)"),
    ("x ** 1000", "exponents must be at most 100"),
    ("9**9**9", "powers of powers"),
    ("sin(x, x)", "sin() takes 1 argument, got 2"),
    ("'a' * 3", "strings are not allowed"),
    ("x" * 250, "too long"),
    ("lambda: 1", "lambda is not allowed"),
    ("x[0]", "indexing"),
])  # fmt: skip
def test_refusal_message_names_the_problem(text, fragment):
    with pytest.raises(UnsafeExpression) as error:
        parse(text)
    assert fragment in str(error.value)


def test_limits_are_the_documented_ones():
    assert (safe_expr.MAX_LENGTH, safe_expr.MAX_EXPONENT) == (200, 100)
    parse("x ** 100")
    with pytest.raises(UnsafeExpression):
        parse("x ** 101")


@pytest.mark.parametrize("text", ["sin(x", "(x + 1", "sin(x))", "x +", "sin(x]"])
def test_a_bracket_or_operand_missing_is_a_syntax_error_not_an_unsafe_expression(text):
    with pytest.raises(FormulaSyntaxError, match="^could not read the formula") as error:
        parse(text)
    assert not isinstance(error.value, UnsafeExpression)


def test_an_unclosed_bracket_says_which_one_to_add():
    with pytest.raises(FormulaSyntaxError, match=r"'\(' was never closed; add the missing \)$"):
        parse("sin(x")


@pytest.mark.parametrize("text,suggestion", [
    ("2x", "write 2*x"),
    ("3 x + 1", "write 3*x + 1"),
    ("x**2 + 2.5x", "write x**2 + 2.5*x"),
    ("2(x + 1)", "write 2*(x + 1)"),
    ("x(x + 1)", "write x*(x + 1)"),
    ("(x + 1)(x - 1)", "write (x + 1)*(x - 1)"),
])  # fmt: skip
def test_a_product_written_as_on_paper_suggests_the_star(text, suggestion):
    with pytest.raises(FormulaSyntaxError, match=r"^a product needs a \*: ") as error:
        parse(text)
    assert str(error.value).endswith(suggestion)


def test_caret_suggests_double_star_for_a_power():
    with pytest.raises(FormulaSyntaxError, match=r"\^ is not a power in Python .*write \*\* instead, as in x\*\*2"):
        parse("x^2")


def test_a_function_written_without_brackets_says_to_add_them():
    with pytest.raises(FormulaSyntaxError, match=r"needs brackets around its argument: write sin\(...\)"):
        parse("sin x")


def test_cyrillic_x_is_named_as_another_letter_that_looks_like_x():
    with pytest.raises(UnsafeExpression) as error:
        parse("\u0445**2")
    assert str(error.value) == (
        "'\u0445' looks like x but is written with '\u0445' (cyrillic small letter ha): type x with Latin letters"
    )


def test_a_function_name_with_a_cyrillic_letter_says_which_letter():
    with pytest.raises(UnsafeExpression, match="looks like sin but is written with .*cyrillic small letter dze"):
        parse("\u0455in(x)")


def test_a_greek_name_is_unknown_and_its_alphabet_is_named():
    with pytest.raises(UnsafeExpression, match="unknown name '\u03b1', written with .*greek small letter alpha"):
        parse("\u03b1 * x")


@pytest.mark.parametrize("text,message", [
    ("[x for x in ()]", "comprehensions are not allowed in a formula"),
    ("(x, x)", "tuples are not allowed in a formula"),
    ("x and 1", "and/or are not allowed in a formula"),
    ("lambda: 1", "lambda is not allowed in a formula"),
    ("x // 2", "// is not allowed in a formula"),
    ("x if x else 1", "if/else is not allowed in a formula: write where(condition, a, b)"),
])  # fmt: skip
def test_refusals_read_as_sentences(text, message):
    with pytest.raises(UnsafeExpression) as error:
        parse(text)
    assert str(error.value) == message
