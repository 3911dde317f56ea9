"""Run one notebook cell under real JAX and under jaxlite, and compare what a learner would see.

A cell is Python source whose own `import jax` lines pick the library: real JAX, or jaxlite through
`course.aliasing.jax_is_jaxlite()`. As in a notebook, the value of a last bare expression is shown (its
repr). What is compared is everything printed, warnings included in the order they were raised, then
the exception that ended the cell, if any (its class and the first line of its message). Numbers in the
text may differ by float32 rounding; the rest of the text must be the same.
"""
import ast
import contextlib
import dataclasses
import io
import math
import re
import warnings

import jax

import jaxlite
from course.aliasing import jax_is_jaxlite

# What float32 arithmetic done in a different order can change in the printed digits.
RTOL = 2e-5
ATOL = 1e-6

# Flags a cell may switch; each is put back after the cell, in both libraries.
_FLAGS = ("jax_enable_x64", "jax_debug_nans", "jax_explain_cache_misses")

# Warnings a learner sees in a notebook; DeprecationWarnings from library internals are not among them.
_SHOWN_WARNINGS = (UserWarning, FutureWarning, RuntimeWarning)


@dataclasses.dataclass
class Outcome:
    """What running a cell showed: its printed text, and the exception that stopped it (or None)."""
    stdout: str
    error: str | None = None     # the exception's class name
    message: str | None = None   # its whole message

    @property
    def first_line(self):
        return first_line(self.message) if self.error else None

    def shown(self):
        """The text a learner reads: the output, then the error as a traceback's last line shows it."""
        if self.error is None:
            return self.stdout
        return f"{self.stdout}{self.error}: {self.first_line}\n"


def first_line(message):
    """The first line of an error message that has any text in it."""
    return next((line for line in message.splitlines() if line.strip()), "")


def hint_line(message):
    """jaxlite's teaching hint: the message's last line when it starts with 'Hint: ', else None."""
    lines = message.rstrip("\n").splitlines()
    return lines[-1] if lines and lines[-1].startswith("Hint: ") else None


def _compile_cell(source):
    """The cell as two code objects: its statements, and its last expression (or None), shown as a repr."""
    tree = ast.parse(source)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, "<cell>", "exec")
    return body, (compile(last, "<cell>", "eval") if last is not None else None)


def _flag_values():
    lite = {name: jaxlite.config._values.get(name) for name in _FLAGS}
    ref = {name: getattr(jax.config, name) for name in _FLAGS}
    return lite, ref


def _restore_flags(saved):
    lite, ref = saved
    for name, value in lite.items():
        if value is not None and jaxlite.config._values.get(name) != value:
            jaxlite.config.update(name, value)
    for name, value in ref.items():
        if getattr(jax.config, name) != value:
            jax.config.update(name, value)


def _show_warning(out):
    def show(message, category, filename, lineno, file=None, line=None):
        out.write(f"{category.__name__}: {first_line(str(message))}\n")
    return show


def run_cell(source, lite):
    """Run the cell with `import jax` meaning jaxlite (lite=True) or real JAX, and return its Outcome."""
    body, last = _compile_cell(source)
    if not lite and "jax_debug_nans" in source:
        # JAX's caches of functions compiled by earlier cells can skip its NaN check (it then
        # returns the NaN, or blames a later operation): such a cell starts from fresh caches, as
        # in a new notebook.
        jax.clear_caches()
    namespace = {"__name__": "__main__"}
    out = io.StringIO()
    saved = _flag_values()
    if not lite and "config.update" in source:
        # JAX's dispatch caches keep no record of a flag switched later (jax_debug_nans): a cell
        # switching one starts from empty caches, as it would in a fresh notebook.
        jax.clear_caches()
    library = jax_is_jaxlite() if lite else contextlib.nullcontext()
    error = None
    try:
        with library, contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.resetwarnings()
            warnings.simplefilter("ignore")
            for category in _SHOWN_WARNINGS:
                warnings.simplefilter("always", category)
            warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"jaxlite(\.|$)")
            warnings.showwarning = _show_warning(out)
            try:
                exec(body, namespace)
                if last is not None:
                    value = eval(last, namespace)
                    if value is not None:
                        print(repr(value))
            finally:
                if not lite:
                    jax.effects_barrier()
    except Exception as err:  # noqa: BLE001 - the cell's error is part of what it shows
        error = err
    finally:
        _restore_flags(saved)
    if error is None:
        return Outcome(out.getvalue())
    return Outcome(out.getvalue(), type(error).__name__, str(error))


# A number as NumPy and Python print one: 3, -0.5, 1.e-08, 2.5e+03, nan, -inf.
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:nan|inf|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\w.])")
_SPACE = re.compile(r"\s+")
# Object addresses (`<function f at 0x7f...>`) change from run to run.
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")
# A link into JAX's documentation, with the words that lead to it: jaxlite puts a hint where JAX links.
_LINK = re.compile(r"[ \t]*[:;,.]?[ \t]*(?:[Ss]ee[ \t]+)?(?:the[ \t]+)?https?://\S+"
                   r"(?:[ \t]+for[ \t]+more(?:[ \t]+information)?)?")
_LINE_END = re.compile(r"[.:]?[ \t]*$", re.M)
_PADDING = re.compile(r"(?<=[\[(]) | (?=[\]),])")


def _split(text):
    """The text as (skeleton, numbers): numbers replaced by '#', object addresses by '0x', links to JAX's
    documentation and the full stop or colon ending a line dropped, runs of white space made one
    space, and the padding NumPy aligns numbers with (after '[' and '(', before ']', ')' and ',',
    which depends on the digits printed) dropped."""
    text = _LINE_END.sub("", _LINK.sub("", _ADDRESS.sub("0x", text)))
    numbers = _NUMBER.findall(text)
    skeleton = _PADDING.sub("", _SPACE.sub(" ", _NUMBER.sub("#", text)).strip())
    return skeleton, numbers


def _is_integer_token(token):
    return re.fullmatch(r"[-+]?\d+", token) is not None


def numbers_close(a, b, rtol=RTOL, atol=ATOL):
    """Two printed numbers agree: integers exactly (shapes, counts, indices), floats within tolerance."""
    if _is_integer_token(a) and _is_integer_token(b):
        return int(a) == int(b)
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= atol + rtol * abs(y)


def text_difference(lite, ref, rtol=RTOL, atol=ATOL):
    """None when two printed texts agree (numbers within tolerance), else a short description."""
    lite_skeleton, lite_numbers = _split(lite)
    ref_skeleton, ref_numbers = _split(ref)
    if lite_skeleton != ref_skeleton:
        lite_part, ref_part = _excerpt(lite_skeleton, ref_skeleton), _excerpt(ref_skeleton, lite_skeleton)
        return f"text differs: jaxlite {lite_part!r}, JAX {ref_part!r}"
    for a, b in zip(lite_numbers, ref_numbers):
        if not numbers_close(a, b, rtol, atol):
            return f"number differs: jaxlite {a}, JAX {b}"
    return None


def _excerpt(text, other, width=60):
    """The part of `text` around where it first differs from `other`."""
    start = next((i for i, (a, b) in enumerate(zip(text, other)) if a != b), min(len(text), len(other)))
    return text[max(0, start - 20):start + width]


def outcome_difference(lite, ref, rtol=RTOL, atol=ATOL):
    """None when the two outcomes show the same thing, else what differs, in one line."""
    if (lite.error is None) != (ref.error is None):
        if ref.error is None:
            return f"jaxlite raises {lite.error}: {lite.first_line}"
        return f"JAX raises {ref.error}: {ref.first_line}; jaxlite does not"
    if lite.error is not None and lite.error != ref.error:
        return f"jaxlite raises {lite.error}, JAX {ref.error}: {ref.first_line}"
    return text_difference(lite.shown(), ref.shown(), rtol, atol)


def is_silent_wrong_value(lite, ref):
    """jaxlite finishes the cell with no error, yet shows something else than JAX: a value JAX would not give."""
    return lite.error is None and outcome_difference(lite, ref) is not None
