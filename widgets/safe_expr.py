"""Read a formula a person typed (`sin(x) * x**2`) into a function of x, without ever running Python on it.

The text is parsed with `ast` and checked against a whitelist: numbers, the name x (and the constants pi and e),
+ - * / **, unary minus, comparisons for `where`, and calls by bare name to a fixed set of array functions.
Everything else is refused with a message before anything runs. The accepted tree is then evaluated by walking
it, calling the chosen library's functions: no `eval`, no `compile`, no attribute lookups on user text.
"""
import ast
import math
import operator
import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 200
MAX_DEPTH = 24
MAX_NODES = 120
MAX_EXPONENT = 100
MAX_LITERAL = 1e30

# name typed -> (function name in the NumPy namespace, number of arguments)
FUNCTIONS = {
    "sin": ("sin", 1), "cos": ("cos", 1), "tan": ("tan", 1),
    "exp": ("exp", 1), "log": ("log", 1), "sqrt": ("sqrt", 1),
    "tanh": ("tanh", 1), "sinh": ("sinh", 1), "cosh": ("cosh", 1),
    "arctan": ("arctan", 1), "log1p": ("log1p", 1), "expm1": ("expm1", 1), "abs": ("abs", 1),
    "sigmoid": (None, 1), "logistic": (None, 1),
    "maximum": ("maximum", 2), "minimum": ("minimum", 2), "where": ("where", 3),
}  # fmt: skip
CONSTANTS = {"pi": math.pi, "e": math.e}
VARIABLE = "x"

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
          ast.Div: operator.truediv, ast.Pow: operator.pow}  # fmt: skip
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}

# What the message says about a refused construct.
REFUSALS = {
    ast.Attribute: "attribute access (a.b) is not allowed in a formula",
    ast.Subscript: "indexing (a[i]) is not allowed in a formula",
    ast.Lambda: "lambda is not allowed in a formula",
    ast.ListComp: "comprehensions are not allowed in a formula",
    ast.SetComp: "comprehensions are not allowed in a formula",
    ast.DictComp: "comprehensions are not allowed in a formula",
    ast.GeneratorExp: "comprehensions are not allowed in a formula",
    ast.NamedExpr: "assignment (:=) is not allowed in a formula",
    ast.Starred: "starred arguments are not allowed in a formula",
    ast.JoinedStr: "strings are not allowed in a formula",
    ast.List: "lists are not allowed in a formula",
    ast.Tuple: "tuples are not allowed in a formula",
    ast.Dict: "dicts are not allowed in a formula",
    ast.Set: "sets are not allowed in a formula",
    ast.BoolOp: "and/or are not allowed in a formula",
    ast.IfExp: "if/else is not allowed in a formula: write where(condition, a, b)",
    ast.Await: "await is not allowed in a formula",
    ast.Yield: "yield is not allowed in a formula",
    ast.YieldFrom: "yield is not allowed in a formula",
    ast.Slice: "slices are not allowed in a formula",
    ast.FloorDiv: "// is not allowed in a formula",
    ast.Mod: "% is not allowed in a formula",
    ast.MatMult: "@ is not allowed in a formula",
    ast.BitAnd: "& is not allowed in a formula",
    ast.BitOr: "| is not allowed in a formula",
    ast.BitXor: "^ is not a power in Python (it is exclusive or): write ** instead, as in x**2",
    ast.LShift: "<< is not allowed in a formula",
    ast.RShift: ">> is not allowed in a formula",
    ast.Invert: "~ is not allowed in a formula",
    ast.Not: "not is not allowed in a formula",
}

# Letters of other alphabets that a keyboard layout or a copied formula slips in for a Latin one.
LOOKALIKES = {
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0445": "x", "\u0443": "y",
    "\u0456": "i", "\u0455": "s", "\u03bf": "o", "\u03c7": "x", "\u03bd": "v", "\u03b9": "i", "\u03ba": "k",
    "\u03c4": "t", "\u0410": "A", "\u0415": "E", "\u041e": "O", "\u0421": "C", "\u0425": "X", "\u03a7": "X",
}  # fmt: skip

# A number written against a name or a bracket, as on paper: 2x, 3 x, 2(x + 1), 2 sin(x).
_IMPLICIT_PRODUCT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?)\s*([A-Za-z_(])")


class FormulaError(ValueError):
    """The text is not a formula this reader accepts; the message says why, in a student's words."""


class FormulaSyntaxError(FormulaError):
    """The text is not a well-formed expression at all: a bracket left open, `2x` for `2*x`, ..."""


class UnsafeExpression(FormulaError):
    """A well-formed expression using something outside the whitelist: a name, a call, an attribute, ..."""


@dataclass(frozen=True)
class Formula:
    """An accepted formula: its text and checked tree. Call `.function(jnp)` for f(x) on that library."""
    text: str
    tree: ast.Expression

    def function(self, jnp):
        body = self.tree.body

        def f(x):
            return _evaluate(body, x, jnp)

        f.__name__ = "f"
        f.__qualname__ = "f"
        f.__doc__ = f"f(x) = {self.text}"
        return f


def parse(text: str) -> Formula:
    """Check `text` and return the Formula, or raise a FormulaError saying why not. Nothing in the text is run."""
    if not isinstance(text, str):
        raise FormulaError("type a formula as text, e.g. sin(x) * x**2")
    stripped = text.strip()
    if not stripped:
        raise FormulaError("type a formula of x, e.g. sin(x) * x**2")
    if len(stripped) > MAX_LENGTH:
        raise UnsafeExpression(f"the formula is too long ({len(stripped)} characters; at most {MAX_LENGTH})")
    if "__" in stripped:
        raise UnsafeExpression("names with double underscores are not allowed")
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as error:
        raise FormulaSyntaxError(_syntax_message(stripped, error)) from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaSyntaxError("could not read the formula") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise UnsafeExpression(f"the formula is too complicated ({len(nodes)} parts; at most {MAX_NODES})")
    _check(tree.body, depth=1, text=stripped)
    return Formula(stripped, tree)


def compile_expression(text: str, jnp):
    """f(x) computing the formula with the NumPy namespace jnp (jaxlite.numpy or jax.numpy)."""
    return parse(text).function(jnp)


def _syntax_message(text, error):
    """What Python could not read, said the way a formula is written on paper."""
    if _IMPLICIT_PRODUCT.search(text):
        return f"a product needs a *: write {_IMPLICIT_PRODUCT.sub(_with_star, text)}"
    called = re.search(rf"\b({'|'.join(FUNCTIONS)})\s+([\w(])", text)
    if called:
        return f"a function needs brackets around its argument: write {called.group(1)}(...), as in sin(x)"
    column = f" at column {error.offset}" if error.offset else ""
    missing = text.count("(") - text.count(")")
    advice = f"; add the missing {')' * missing}" if missing > 0 and "never closed" in error.msg else ""
    return f"could not read the formula{column}: {error.msg}{advice}"


def _with_star(match):
    return f"{match.group(1)}*{match.group(2)}"


def _refuse(node):
    raise UnsafeExpression(REFUSALS.get(type(node)) or f"{type(node).__name__} is not allowed in a formula")


def _unknown(kind, name, advice) -> str:
    """The message for a name outside the whitelist, saying so when it is written in another alphabet."""
    foreign = [c for c in dict.fromkeys(name) if not c.isascii()]
    if not foreign:
        return f"unknown {kind} {name!r}{advice}"
    letters = ", ".join(f"{c!r} ({unicodedata.name(c, 'an unnamed character').lower()})" for c in foreign)
    latin = "".join(LOOKALIKES.get(c, c) for c in name)
    if latin.isascii():
        return f"{name!r} looks like {latin} but is written with {letters}: type {latin} with Latin letters"
    return f"unknown {kind} {name!r}, written with {letters}{advice}"


def _check(node, depth, text):
    if depth > MAX_DEPTH:
        raise UnsafeExpression(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)")
    if isinstance(node, ast.Constant):
        _check_number(node.value)
    elif isinstance(node, ast.Name):
        if node.id != VARIABLE and node.id not in CONSTANTS:
            hint = f"; call it: {node.id}(x)" if node.id in FUNCTIONS else ""
            raise UnsafeExpression(_unknown("name", node.id, f": the only variable is x{hint}"))
    elif isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.BitXor):  # x^2 written for a power, as on paper
            raise FormulaSyntaxError(REFUSALS[ast.BitXor])
        if type(node.op) not in BINARY:
            _refuse(node.op)
        if isinstance(node.op, ast.Pow):
            _check_exponent(node.right)
        _check(node.left, depth + 1, text)
        _check(node.right, depth + 1, text)
    elif isinstance(node, ast.UnaryOp):
        if type(node.op) not in UNARY:
            _refuse(node.op)
        _check(node.operand, depth + 1, text)
    elif isinstance(node, ast.Compare):
        if len(node.ops) != 1 or type(node.ops[0]) not in COMPARE:
            raise UnsafeExpression("only single comparisons with < <= > >= are allowed (inside where)")
        _check(node.left, depth + 1, text)
        _check(node.comparators[0], depth + 1, text)
    elif isinstance(node, ast.Call):
        _check_call(node, depth, text)
    else:
        _refuse(node)


def _check_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        kind = "strings" if isinstance(value, (str, bytes)) else f"{type(value).__name__} values"
        raise UnsafeExpression(f"{kind} are not allowed in a formula; use real numbers")
    if isinstance(value, int) and value.bit_length() > 100:
        raise UnsafeExpression("a number in the formula is too large")
    if not math.isfinite(value) or abs(value) > MAX_LITERAL:
        raise UnsafeExpression(f"numbers in a formula must be finite and at most {MAX_LITERAL:g}")


def _check_exponent(node):
    """Exponents are small numbers, or expressions of x without powers inside: no 9**9**9."""
    number = _literal_number(node)
    if number is not None:
        if abs(number) > MAX_EXPONENT:
            raise UnsafeExpression(f"exponents must be at most {MAX_EXPONENT} in size, got {number:g}")
        return
    for inner in ast.walk(node):
        if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Pow):
            raise UnsafeExpression("powers of powers (like 2**3**4) are not allowed; add parentheses and numbers")
    if not any(isinstance(inner, ast.Name) and inner.id == VARIABLE for inner in ast.walk(node)):
        raise UnsafeExpression("an exponent must be a number or depend on x")


def _literal_number(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _literal_number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    return None


def _check_call(node, depth, text):
    callee = node.func
    if not isinstance(callee, ast.Name) or callee.id in (VARIABLE, *CONSTANTS):
        if not isinstance(callee, (ast.Attribute, ast.Subscript)):  # 2(x + 1), x(x + 1), (x + 1)(x - 1)
            raise FormulaSyntaxError(f"a product needs a *: write {_star_before_arguments(text, node)}")
        raise UnsafeExpression("only functions called by their bare name are allowed, like sin(x)")
    name = callee.id
    if name not in FUNCTIONS:
        allowed = ", ".join(sorted(FUNCTIONS))
        raise UnsafeExpression(_unknown("function", name, f"; the functions you can use are: {allowed}"))
    if node.keywords:
        raise UnsafeExpression(f"{name}() takes no keyword arguments")
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        _refuse(ast.Starred())
    arity = FUNCTIONS[name][1]
    if len(node.args) != arity:
        plural = "s" if arity > 1 else ""
        raise UnsafeExpression(f"{name}() takes {arity} argument{plural}, got {len(node.args)}")
    for arg in node.args:
        _check(arg, depth + 1, text)


def _star_before_arguments(text, call) -> str:
    """The formula with a * between a call's callee and its bracket: 2(x + 1) -> 2*(x + 1)."""
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: call.func.end_lineno - 1]) + call.func.end_col_offset
    bracket = text.index("(", offset + len(text[offset:]) - len(text[offset:].lstrip(") \t\n")))
    return text[:bracket].rstrip() + "*" + text[bracket:]


def _sigmoid(jnp, x):
    return 1 / (1 + jnp.exp(-x))


def _evaluate(node, x, jnp):
    """Walk an accepted tree; every node kind here was whitelisted by _check."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return x if node.id == VARIABLE else CONSTANTS[node.id]
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, x, jnp), _evaluate(node.right, x, jnp)
        if isinstance(node.op, ast.Pow) and (exponent := _literal_number(node.right)) is not None:
            # x ** 3 as an integer power, the way JAX traces it (integer_pow, defined for negative x)
            right = int(exponent) if float(exponent).is_integer() else exponent
            if isinstance(left, float):
                left = jnp.asarray(left)
        return BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return UNARY[type(node.op)](_evaluate(node.operand, x, jnp))
    if isinstance(node, ast.Compare):
        left, right = _evaluate(node.left, x, jnp), _evaluate(node.comparators[0], x, jnp)
        return COMPARE[type(node.ops[0])](jnp.asarray(left), right)
    if isinstance(node, ast.Call):
        args = [_evaluate(arg, x, jnp) for arg in node.args]
        target = FUNCTIONS[node.func.id][0]
        if target is None:
            return _sigmoid(jnp, *args)
        return getattr(jnp, target)(*args)
    raise UnsafeExpression(f"{type(node).__name__} is not allowed in a formula")
