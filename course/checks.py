"""Exercises that check themselves: a student's answer against a reference, on fresh random inputs.

A checker module (`course/checkers/lessonNN.py`) declares exercises with `function`, `predict`, `fix` and
`extend`; a notebook calls `check("NN.k", answer)` and `hint("NN.k")`. The authoring guide is course/README.md.
Under nbgrader's autograder a check that does not pass raises AssertionError, so its grade cell scores zero.
"""
import base64
import contextlib
import copy
import ctypes
import dataclasses
import html
import importlib
import importlib.util
import inspect
import io
import os
import re
import secrets
import signal
import sys
import sysconfig
import threading
import traceback
import warnings

import numpy as np

from course.aliasing import jax_available

TIME_LIMIT = 5.0
"""Seconds a student's code may run in one check before it is stopped."""

PASS, NOT_YET, NOT_STARTED, ERROR, TIMEOUT = "pass", "not yet", "not started", "error", "timeout"


def reference_library():
    """Real JAX where it is installed, else jaxlite: the references and the transformations both use it."""
    if jax_available():
        import jax
        return jax
    import jaxlite
    return jaxlite


def __getattr__(name):
    # `from course.checks import jax, jnp` in a checker module gives the reference library.
    if name == "jax":
        return reference_library()
    if name == "jnp":
        return reference_library().numpy
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------------------------------------------
# Results and how they look

@dataclasses.dataclass
class Result:
    """What one check found, shown as HTML and plain text; `metadata` is what tests and tools read."""
    exercise: str
    status: str
    summary: str
    notes: list = dataclasses.field(default_factory=list)
    block: str = None
    table: tuple = None
    png: bytes = None
    problem: str = None
    seed: int = None

    @property
    def passed(self):
        return self.status == PASS

    @property
    def metadata(self):
        fields = {"check": self.exercise, "status": self.status}
        if self.problem:
            fields["problem"] = self.problem
        if self.seed is not None:
            fields["seed"] = self.seed
        return {"course": fields}

    @property
    def headline(self):
        word = "pass" if self.passed else "not yet"
        return f"{_SYMBOLS[self.status]} {self.exercise} {word}: {self.summary}"

    def text(self):
        lines = [self.headline]
        if self.block:
            lines += ["    " + line for line in self.block.splitlines()]
        if self.table:
            lines += _text_table(*self.table)
        return "\n".join(lines + self.notes)

    def html(self):
        parts = [f"<div><strong>{_inline(self.headline)}</strong></div>"]
        if self.block:
            parts.append(f"<pre style=\"{_PRE}\">{html.escape(self.block)}</pre>")
        if self.png:
            picture = base64.b64encode(self.png).decode("ascii")
            parts.append(f'<img alt="expected (solid) and yours (dashed)" style="display:block;margin:0.3em 0"'
                         f' src="data:image/png;base64,{picture}">')
        if self.table:
            parts.append(_html_table(*self.table))
        parts += [f"<div>{_inline(note)}</div>" for note in self.notes]
        return _box(self.status, "".join(parts), f' data-check="{html.escape(self.exercise)}"')

    def bundle(self):
        """The display data and its metadata, as IPython publishes them."""
        return {"text/plain": self.text(), "text/html": self.html()}, self.metadata


_SYMBOLS = {PASS: "✓", NOT_YET: "✗", NOT_STARTED: "○", ERROR: "✗", TIMEOUT: "✗"}
_BORDERS = {PASS: "var(--jp-success-color1, #2e7d32)", NOT_STARTED: "var(--jp-info-color1, #1565c0)"}
_WARN_BORDER = "var(--jp-warn-color1, #c77700)"
_PRE = ("margin:0.3em 0;padding:0.3em 0.5em;white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere;"
        "font-family:var(--jp-code-font-family, monospace);background:var(--jp-layout-color2, transparent)")
_CELL = "border:1px solid var(--jp-border-color2, #8888);padding:0.15em 0.5em;text-align:left;vertical-align:top"


def _box(status, inner, attributes=""):
    # Text colour is inherited from the page, so it follows the light or dark theme; only the border is coloured,
    # and the words and symbols say the same without it.
    border = _BORDERS.get(status, _WARN_BORDER)
    style = (f"border-left:0.35em solid {border};padding:0.3em 0.8em;margin:0.3em 0;"
             "font-family:var(--jp-ui-font-family, sans-serif);line-height:1.5")
    return f'<div class="course-check" data-status="{status}"{attributes} style="{style}">{inner}</div>'


def _inline(text):
    """Plain text with `code` spans, as HTML."""
    return re.sub(r"`([^`]+)`", r'<code style="font-family:var(--jp-code-font-family, monospace)">\1</code>',
                  html.escape(text))


def _html_table(headers, rows):
    head = "".join(f'<th style="{_CELL}">{html.escape(h)}</th>' for h in headers)
    pre = "margin:0;white-space:pre;font-size:0.9em;font-family:var(--jp-code-font-family, monospace)"
    body = "".join("<tr>" + "".join(f'<td style="{_CELL}"><pre style="{pre}">{html.escape(cell)}</pre></td>'
                                    for cell in row) + "</tr>" for row in rows)
    table = f'<table style="border-collapse:collapse;margin:0.3em 0"><tr>{head}</tr>{body}</table>'
    return f'<div style="overflow-x:auto">{table}</div>'


def _text_table(headers, rows):
    lines = ["    " + " | ".join(headers)]
    for row in rows:
        lines.append("    " + " | ".join(cell.replace("\n", " ") for cell in row))
    return lines


def _publish(data, metadata):
    try:
        from IPython.display import display
    except ImportError:
        print(data["text/plain"])
        return
    display(data, raw=True, metadata=metadata)


# ---------------------------------------------------------------------------------------------------------------
# What students call

_REGISTRY = {}
_CHECKER_FILES = set()
_HINTS_SHOWN = {}


def check(exercise_id, answer, *, seed=None):
    """Check `answer` for an exercise and show the verdict; under nbgrader a verdict other than pass raises."""
    result = evaluate(exercise_id, answer, seed=seed)
    _publish(*result.bundle())
    if os.environ.get("NBGRADER_EXECUTION") and not result.passed:
        raise AssertionError(result.headline)


def hint(exercise_id):
    """Show the next hint for an exercise, and how many remain."""
    hints = _exercise(exercise_id).hints
    if not hints:
        text = f"{exercise_id} has no hints."
    else:
        shown = min(_HINTS_SHOWN.get(exercise_id, 0) + 1, len(hints))
        _HINTS_SHOWN[exercise_id] = shown
        left = len(hints) - shown
        more = (f"{left} more: run `hint({exercise_id!r})` again." if left else "That was the last hint.")
        text = f"Hint {shown} of {len(hints)} for {exercise_id}: {hints[shown - 1]}\n{more}"
    page = _box(NOT_STARTED, "".join(f"<div>{_inline(line)}</div>" for line in text.split("\n")))
    data = {"text/plain": text, "text/html": page}
    _publish(data, {"course": {"hint": exercise_id, "shown": _HINTS_SHOWN.get(exercise_id, 0), "of": len(hints)}})


def attempt(thunk):
    """Run `thunk()` and show what it returns or raises (class, message, line), without raising: for broken cells."""
    try:
        with time_limit(TIME_LIMIT):
            value = thunk()
    except _TimeUp:
        outcome, lines = TIMEOUT, [f"✗ This was still running after {TIME_LIMIT:g} s, and was stopped."]
    except Exception as error:
        outcome, lines = ERROR, _describe_exception(error)
        lines[0] = "✗ This raised " + lines[0]
    else:
        outcome, lines = PASS, [f"→ This returned {_format(value)}"]
    inner = f'<pre style="{_PRE}">{html.escape(lines[0])}</pre>' + "".join(
        f"<div>{_inline(line)}</div>" for line in lines[1:])
    _publish({"text/plain": "\n".join(lines), "text/html": _box(outcome, inner)}, {"course": {"attempt": outcome}})


def evaluate(exercise_id, answer, *, seed=None):
    """The Result of checking `answer`, without showing it (what `check` shows; tests call this)."""
    exercise = _exercise(exercise_id)
    result = exercise.evaluate(answer, secrets.randbelow(100_000) if seed is None else seed)
    if not result.passed and exercise.hints:
        result.notes.append(f"Stuck? `hint({exercise_id!r})` shows a hint ({len(exercise.hints)} in all).")
    return result


def _exercise(exercise_id):
    if exercise_id not in _REGISTRY:
        number = exercise_id.split(".")[0]
        if number.isdigit():
            try:
                importlib.import_module(f"course.checkers.lesson{number}")
            except ModuleNotFoundError as error:
                if error.name != f"course.checkers.lesson{number}":
                    raise
    if exercise_id not in _REGISTRY:
        raise LookupError(f"No exercise {exercise_id!r}: it is declared in no checker module imported so far.")
    return _REGISTRY[exercise_id]


# ---------------------------------------------------------------------------------------------------------------
# Declaring exercises (in course/checkers/lessonNN.py)

def function(exercise_id, reference, inputs, *, transforms=(), argnums=0, plot=None, rtol=1e-5, atol=1e-6,
             check_dtype=True, hints=(), time_limit=None):
    """Write a function: the answer is called on `inputs(rng)` and compared with `reference`.

    `transforms` adds comparisons under "jit" and "grad" (grad with respect to `argnums`); `plot=(lo, hi)`
    draws expected and got on that interval when a function of one number gives a wrong value.
    """
    return _register(Comparison(exercise_id, reference, inputs, transforms=transforms, argnums=argnums,
                                plot=plot, rtol=rtol, atol=atol, check_dtype=check_dtype, hints=hints,
                                time_limit=time_limit))


def fix(exercise_id, reference, inputs, *, transforms=("jit",), **options):
    """Fix a broken cell: the fixed function must give the reference's values, also under `transforms`."""
    return _register(Comparison(exercise_id, reference, inputs, transforms=transforms, **options))


def extend(exercise_id, use, reference, inputs, *, label=None, input_names=None, build_from=None, without=(),
           **options):
    """Extend JAX: the answer is checked by using it, `use(answer, *args)`, against `reference(*args)`.

    `input_names` name the arguments in a "not yet" table. `without` lists the functions of `jax` that the
    answer is to do without (`("grad", "value_and_grad")`): while it runs they raise, and a call says "not yet"
    and that the exercise asks for `jax.<build_from>` instead.
    """
    return _register(Comparison(exercise_id, reference, inputs, use=use, label=label, input_names=input_names,
                                build_from=build_from, without=without, **options))


def predict(exercise_id, expected, *, kind="value", choices=None, hints=(), rtol=1e-5, atol=1e-6):
    """Predict a value: kind is "value", "shape", "dtype", "jaxpr" (one line of a jaxpr) or "choice"."""
    return _register(Prediction(exercise_id, expected, kind, choices, hints, rtol, atol))


def random_arrays(*shapes, cases=3, low=None, high=None, dtype="float32"):
    """An `inputs` function: `cases` tuples of arrays of these shapes, normal, or uniform in [low, high)."""
    def inputs(rng):
        def draw(shape):
            values = rng.standard_normal(shape) if low is None else rng.uniform(low, high, shape)
            return np.asarray(values, dtype=dtype)
        return [tuple(draw(shape) for shape in shapes) for _ in range(cases)]
    return inputs


def _register(exercise):
    _REGISTRY[exercise.id] = exercise
    _CHECKER_FILES.add(os.path.abspath(sys._getframe(2).f_code.co_filename))
    return exercise


# ---------------------------------------------------------------------------------------------------------------
# Exercises that compare with a reference on random inputs

class Comparison:
    """Calls the answer on random inputs, in each of its ways (plain, jit, grad, or through `use`)."""

    def __init__(self, exercise_id, reference, inputs, *, transforms=(), argnums=0, use=None, label=None,
                 input_names=None, build_from=None, without=(), plot=None, rtol=1e-5, atol=1e-6,
                 check_dtype=True, hints=(), time_limit=None):
        unknown = set(transforms) - {"jit", "grad"}
        if unknown:
            raise ValueError(f"transforms are 'jit' and 'grad', not {sorted(unknown)}")
        if without and not build_from:
            raise ValueError("an exercise `without` some functions says what to build from: give `build_from`")
        self.id, self.reference, self.inputs, self.transforms = exercise_id, reference, inputs, tuple(transforms)
        self.argnums, self.use, self.label, self.plot = argnums, use, label, plot
        self.input_names, self.build_from, self.without = list(input_names or ()), build_from, tuple(without)
        self.rtol, self.atol, self.check_dtype = rtol, atol, check_dtype
        self.hints, self.time_limit = list(hints), time_limit

    def names(self, answer):
        """The names of the inputs, as a "not yet" table shows them."""
        return _parameter_names(answer) if self.use is None else self.input_names

    def ways(self, answer):
        """(label, the answer's side, the reference's side) for each way the answer is checked."""
        if self.use is not None:
            return [(self.label or f"using {_name(answer)}", lambda *args: self.use(answer, *args), self.reference)]
        lib = reference_library()
        name, arguments = _name(answer), f"({', '.join(_parameter_names(answer))})"
        ways = [(name + arguments, answer, self.reference)]
        if "jit" in self.transforms:
            ways.append((f"jit({name}){arguments}", lib.jit(answer), self.reference))
        if "grad" in self.transforms:
            ways.append((f"grad({name}){arguments}", lib.grad(answer, argnums=self.argnums),
                         lib.grad(self.reference, argnums=self.argnums)))
        return ways

    def evaluate(self, answer, seed):
        if self.use is None and not callable(answer):
            return Result(self.id, NOT_YET, f"expected a function, got {type(answer).__name__}.", problem="type")
        cases = [args if isinstance(args, tuple) else (args,) for args in self.inputs(np.random.default_rng(seed))]
        ways = self.ways(answer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = [[_to_numpy(reference(*args)) for args in cases] for _, _, reference in ways]
            outcome = self._run_answer(answer, ways, cases, seed)
            if isinstance(outcome, Result):
                return outcome
            return self._compare(answer, ways, cases, expected, outcome, seed)

    def _run_answer(self, answer, ways, cases, seed):
        got, label = [], ways[0][0]
        try:
            with time_limit(self.time_limit or TIME_LIMIT), _unavailable(self.without):
                for label, run, _ in ways:
                    got.append([])
                    for args in cases:
                        given = copy.deepcopy(args)
                        value = run(*given)
                        changed = _changed_argument(args, given)
                        if changed is not None:
                            return self._mutated(answer, changed, label, seed)
                        got[-1].append(value)
        except _TimeUp:
            return Result(self.id, TIMEOUT, f"stopped after {self.time_limit or TIME_LIMIT:g} s: `{label}` was "
                          "still running.", ["Is there a loop that never ends?"], seed=seed)
        except NotImplementedError as error:
            if not error.args:
                return _not_started(self.id)
            return _error_result(self.id, error, label, seed)
        except _Unavailable as error:
            return Result(self.id, NOT_YET, f"`{label}` called `jax.{error.name}`: this exercise asks you to build "
                          f"it from `jax.{self.build_from}`.", problem="building block", seed=seed)
        except Exception as error:
            return _error_result(self.id, error, label, seed)
        return got

    def _mutated(self, answer, index, label, seed):
        names = self.names(answer)
        which = f"`{names[index]}`" if index < len(names) else f"argument {index + 1}"
        return Result(self.id, NOT_YET, f"`{label}` changed its input {which} in place.",
                      ["JAX arrays never change: compute a new array instead of assigning into the one given."],
                      problem="mutated", seed=seed)

    def _compare(self, answer, ways, cases, expected, got, seed):
        for (label, run, reference), wanted, given in zip(ways, expected, got):
            wrong = [(args, want, mine, problem) for args, want, mine in zip(cases, wanted, given)
                     for problem in [_difference(want, mine, self.rtol, self.atol, self.check_dtype)] if problem]
            if not wrong:
                continue
            kind, message = wrong[0][3]
            rows = [[_format_inputs(args, self.names(answer)), _format(want), _format(mine)]
                    for args, want, mine, _ in wrong[:3]]
            result = Result(self.id, NOT_YET, f"{message} from `{label}`.", table=(["input", "expected", "got"], rows),
                            problem=kind, seed=seed)
            if kind == "value" and self.plot is not None:
                result.png = self._plot(run, reference, label)
            result.notes.append(f"Random inputs, seed {seed}: `check({self.id!r}, {_name(answer)}, seed={seed})` "
                                "runs these inputs again.")
            return result
        labels = [f"`{label}`" for label, _, _ in ways]
        checked = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        inputs = "1 random input" if len(cases) == 1 else f"{len(cases)} random inputs"
        return Result(self.id, PASS, f"{checked} right on {inputs} (seed {seed}).", seed=seed)

    def _plot(self, run, reference, label):
        xs = np.linspace(*self.plot, 81, dtype=np.float32)
        wanted = [float(np.asarray(reference(x))) for x in xs]
        mine = []
        try:
            with time_limit(self.time_limit or TIME_LIMIT):
                for x in xs:
                    mine.append(float(np.asarray(run(x))))
        except (_TimeUp, Exception):
            return None
        return _plot_png(xs, wanted, mine, label)


class _Unavailable(Exception):
    """Raised by a function of `jax` that an exercise asks the answer to do without."""

    def __init__(self, name):
        super().__init__(f"jax.{name} is not available in this exercise")
        self.name = name


@contextlib.contextmanager
def _unavailable(names):
    """While the block runs, `jax.<name>` (the reference library's) raises _Unavailable, for each name.

    Only the attribute is replaced: the library's own functions keep calling theirs, so `jax.vjp` still works
    where `jax.grad` does not, and an answer that imported the function before its check is not caught.
    """
    library = reference_library()
    saved = {name: getattr(library, name) for name in names}

    def stand_in(name):
        def unavailable(*args, **kwargs):
            raise _Unavailable(name)
        return unavailable

    for name in names:
        setattr(library, name, stand_in(name))
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(library, name, function)


def _not_started(exercise_id):
    return Result(exercise_id, NOT_STARTED, "not started.",
                  ["Replace `raise NotImplementedError()` with your answer, run that cell, then this one."])


def _error_result(exercise_id, error, label, seed):
    lines = _describe_exception(error)
    return Result(exercise_id, ERROR, f"`{label}` raised {type(error).__name__}.", lines[1:], block=lines[0],
                  seed=seed)


# ---------------------------------------------------------------------------------------------------------------
# Predictions

_SHORT_DTYPES = {"f16": "float16", "bf16": "bfloat16", "f32": "float32", "f64": "float64", "i8": "int8",
                 "i16": "int16", "i32": "int32", "i64": "int64", "u8": "uint8", "u32": "uint32", "u64": "uint64",
                 "c64": "complex64", "c128": "complex128", "bool": "bool"}


class Prediction:
    """Compares a predicted shape, dtype, jaxpr line, choice or value with the expected one, after normalising."""

    def __init__(self, exercise_id, expected, kind, choices, hints, rtol, atol):
        if kind not in _NORMALISE:
            raise ValueError(f"kind is one of {sorted(_NORMALISE)}, not {kind!r}")
        self.id, self.kind, self.hints = exercise_id, kind, list(hints)
        self.choices = None if choices is None else [_NORMALISE["choice"](choice) for choice in choices]
        self.expected = _NORMALISE[kind](expected)
        self.rtol, self.atol = rtol, atol

    def evaluate(self, answer, seed):
        if inspect.isfunction(answer) and not _required_parameters(answer):
            try:
                with time_limit(TIME_LIMIT):
                    answer = answer()
            except _TimeUp:
                return Result(self.id, TIMEOUT, f"stopped after {TIME_LIMIT:g} s: your answer was still running.")
            except NotImplementedError as error:
                if not error.args:
                    return _not_started(self.id)
                return _error_result(self.id, error, "your answer", None)
            except Exception as error:
                return _error_result(self.id, error, "your answer", None)
        try:
            given = _NORMALISE[self.kind](answer)
        except (TypeError, ValueError):
            return Result(self.id, NOT_YET, f"could not read {_format(answer)} as a {self.kind}.",
                          [_EXAMPLES[self.kind]], problem="answer")
        if self.choices is not None and given not in self.choices:
            return Result(self.id, NOT_YET, f"{_format(answer)} is not one of the choices: "
                          f"{', '.join(self.choices)}.", problem="answer")
        if self._same(given):
            return Result(self.id, PASS, f"{_format(answer)} is right.")
        return Result(self.id, NOT_YET, f"{_format(answer)} is not the right {self.kind}.", problem="answer")

    def _same(self, given):
        if self.kind == "value" and not isinstance(self.expected, str):
            try:
                want, mine = np.asarray(self.expected), np.asarray(given)
                return want.shape == mine.shape and bool(np.allclose(mine, want, self.rtol, self.atol))
            except (TypeError, ValueError):
                return False
        return given == self.expected


def _as_shape(value):
    if isinstance(value, str):
        text = re.sub(r"[,x×]", " ", value.strip().strip("()[]"))
        return tuple(int(part) for part in text.split())
    if isinstance(value, (int, np.integer)):
        return (int(value),)
    return tuple(int(size) for size in value)


def _as_dtype(value):
    if isinstance(value, str):
        text = re.sub(r"^(jax\.numpy|jnp|numpy|np)\.", "", value.strip().strip("'\"`").lower())
        if text in _SHORT_DTYPES or text in _SHORT_DTYPES.values():
            return _SHORT_DTYPES.get(text, text)
        return np.dtype(text).name
    return np.dtype(value if isinstance(value, type) else getattr(value, "dtype", value)).name


def _as_jaxpr_line(value):
    if not isinstance(value, str):
        raise TypeError("a jaxpr line is a string")
    return tuple(re.findall(r"[\w.]+|\S", value))


def _as_choice(value):
    name = value.__name__ if callable(value) and hasattr(value, "__name__") else value
    if not isinstance(name, str):
        raise TypeError("a choice is a name")
    text = name.strip().strip("'\"`").lower()
    return re.sub(r"\(\)$", "", re.sub(r"^(jax|jaxlite)\.", "", text))


def _as_value(value):
    return value.strip() if isinstance(value, str) else value


_NORMALISE = {"shape": _as_shape, "dtype": _as_dtype, "jaxpr": _as_jaxpr_line, "choice": _as_choice,
              "value": _as_value}
_EXAMPLES = {"shape": "Write a shape like `(3, 4)`.", "dtype": "Write a dtype like `float32`.",
             "jaxpr": "Write one jaxpr line as a string, like `\"c:f32[3] = mul a b\"`.",
             "choice": "Write the name as a string.", "value": "Write a value."}


# ---------------------------------------------------------------------------------------------------------------
# Comparing values

def _to_numpy(tree):
    """A tree (tuples, lists, dicts) of NumPy arrays; Python scalars stay as they are."""
    if isinstance(tree, list):
        return [_to_numpy(leaf) for leaf in tree]
    if isinstance(tree, tuple):
        return tuple(_to_numpy(leaf) for leaf in tree)
    if isinstance(tree, dict):
        return {key: _to_numpy(value) for key, value in tree.items()}
    if tree is None or isinstance(tree, (bool, int, float, complex)):
        return tree
    return np.asarray(tree)


def _structure(tree):
    if isinstance(tree, (tuple, list)):
        return ("sequence", tuple(_structure(leaf) for leaf in tree))
    if isinstance(tree, dict):
        return ("dict", tuple(sorted((key, _structure(value)) for key, value in tree.items())))
    return None if tree is None else "leaf"


def _paths_and_leaves(tree, path=""):
    """(path, leaf) for each leaf of a tree, the path written as an index: `[1]`, `['w']`, `[0]['b']`."""
    if isinstance(tree, (tuple, list)):
        return [item for index, entry in enumerate(tree) for item in _paths_and_leaves(entry, f"{path}[{index}]")]
    if isinstance(tree, dict):
        return [item for key in sorted(tree) for item in _paths_and_leaves(tree[key], f"{path}[{key!r}]")]
    return [] if tree is None else [(path, tree)]


def _leaves(tree):
    return [leaf for _, leaf in _paths_and_leaves(tree)]


def _parting(expected, got, path=""):
    """Where two trees' structures first part: (path, the expected subtree there, the one got)."""
    if isinstance(expected, (tuple, list)) and isinstance(got, (tuple, list)) and len(expected) == len(got):
        for index, (want, mine) in enumerate(zip(expected, got)):
            if _structure(want) != _structure(mine):
                return _parting(want, mine, f"{path}[{index}]")
    if isinstance(expected, dict) and isinstance(got, dict) and sorted(expected) == sorted(got):
        for key in sorted(expected):
            if _structure(expected[key]) != _structure(got[key]):
                return _parting(expected[key], got[key], f"{path}[{key!r}]")
    return path, expected, got


def _wrong(what, path, detail=None):
    """The message for a difference, naming the entry when it lies inside a tuple, list or dict.

    A whole answer's wrong structure or type is told by its detail alone ("expected one array, got ...").
    """
    where = f" in entry `{path}`" if path else ""
    if not detail:
        return f"wrong {what}{where}"
    if not path and what in ("structure", "type"):
        return detail
    return f"wrong {what}{where}: {detail}"


def _difference(expected, got, rtol, atol, check_dtype):
    """None when `got` matches `expected`, else (problem, message): structure, type, shape, dtype or value.

    Inside a tuple, list or dict the message names the entry: "wrong shape in entry `[1]`: ...".
    """
    if _structure(expected) != _structure(got):
        path, want, mine = _parting(expected, got)
        return "structure", _wrong("structure", path, f"expected {_kind(want)}, got {_kind(mine)}")
    for (path, want), leaf in zip(_paths_and_leaves(expected), _leaves(got)):
        python_scalar = any(isinstance(x, (bool, int, float, complex)) for x in (want, leaf))
        try:
            mine = np.asarray(leaf)
        except Exception:
            mine = None
        if mine is None or mine.dtype.kind not in "biufc":
            return "type", _wrong("type", path, f"expected an array, got {type(leaf).__name__}")
        want = np.asarray(want)
        if want.shape != mine.shape:
            return "shape", _wrong("shape", path, f"expected {want.shape}, got {mine.shape}")
        if check_dtype and not python_scalar and want.dtype != mine.dtype:
            return "dtype", _wrong("dtype", path, f"expected {want.dtype}, got {mine.dtype}")
        if np.issubdtype(want.dtype, np.inexact) or np.issubdtype(mine.dtype, np.inexact):
            close = np.allclose(mine, want, rtol=rtol, atol=atol, equal_nan=True)
        else:
            close = np.array_equal(mine, want)
        if not close:
            return "value", _wrong("value", path)
    return None


def _kind(tree):
    if isinstance(tree, (tuple, list)):
        return f"a {type(tree).__name__} of {len(tree)}"
    if isinstance(tree, dict):
        return f"a dict with keys {sorted(tree)}"
    return "None" if tree is None else "one array"


def _changed_argument(originals, given):
    """The index of the first argument the call changed in place, or None."""
    for index, (before, after) in enumerate(zip(originals, given)):
        for old, new in zip(_leaves(before), _leaves(after)):
            if isinstance(new, np.ndarray) and not np.array_equal(old, new, equal_nan=new.dtype.kind in "fc"):
                return index
    return None


def _format(value):
    if isinstance(value, (tuple, list)):
        inner = ", ".join(_format(item) for item in value)
        return (f"({inner},)" if len(value) == 1 else f"({inner})") if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {_format(item)}" for key, item in value.items()) + "}"
    if isinstance(value, str):
        return repr(value)
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__
    try:
        array = np.asarray(value)
    except Exception:
        array = None
    if array is None or array.dtype == object:
        text = repr(value)
        return text if len(text) < 80 else text[:77] + "..."
    return np.array2string(array, max_line_width=24, precision=4, threshold=8, edgeitems=2, separator=", ",
                           suppress_small=True)


def _format_inputs(args, names):
    if len(args) == 1:
        return _format(args[0])
    names = names if len(names) == len(args) else [f"arg{i + 1}" for i in range(len(args))]
    return "\n".join(f"{name} = {_format(arg)}" for name, arg in zip(names, args))


def _name(function):
    name = getattr(function, "__name__", "f")
    return name if name.isidentifier() else "f"


def _parameter_names(function):
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return []


def _required_parameters(function):
    return [p for p in inspect.signature(function).parameters.values()
            if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _plot_png(xs, expected, got, label):
    """A small PNG of expected (solid) against got (dashed); white, so it reads the same in light and dark."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4.2, 2.4), dpi=80, facecolor="white")
    axes = figure.add_subplot()
    axes.plot(xs, expected, color="#0072B2", linewidth=2, label="expected")
    axes.plot(xs, got, color="#D55E00", linewidth=2, linestyle="--", label="yours")
    axes.set_title(label.replace("`", ""), fontsize=10)
    axes.legend(fontsize=9)
    axes.tick_params(labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# The student's line of an exception

def _library_dirs():
    dirs = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs.add(os.path.dirname(os.path.abspath(__file__)))
    spec = importlib.util.find_spec("jaxlite")
    if spec and spec.origin:
        dirs.add(os.path.dirname(spec.origin))
    return tuple(os.path.join(d, "") for d in dirs)


def _student_frame(error):
    """The innermost frame of the traceback in the student's own code (not a library's, not a checker's)."""
    library = _library_dirs()
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = os.path.abspath(frame.filename) if not frame.filename.startswith("<") else frame.filename
        if not path.startswith(library) and path not in _CHECKER_FILES:
            return frame
    return None


def _notebook_cell(filename):
    """"In[5]" for the file IPython compiled a cell to, else None."""
    try:
        name = get_ipython().compile.format_code_name(filename)  # noqa: F821 (IPython's builtin)
    except (NameError, AttributeError):
        return None
    return name[1] if name else None


def _cell_name(match):
    cell = _notebook_cell(match.group(1))
    return f"{cell}, line {match.group(2)}" if cell else match.group(0)


def _where(frame):
    return f"{_notebook_cell(frame.filename) or os.path.basename(frame.filename)}, line {frame.lineno}"


def _describe_exception(error):
    """The exception's class and message, then the student's line: what a traceback would say that matters."""
    message = re.sub(r"(\S+\.py):(\d+)", _cell_name, str(error).strip())
    lines = message.splitlines()
    if len(lines) > 8:
        message = "\n".join(lines[:8] + ["..."])
    described = [f"{type(error).__name__}: {message}" if message else type(error).__name__]
    frame = _student_frame(error)
    if frame is not None:
        described.append(f"At {_where(frame)}: `{frame.line}`" if frame.line else f"At {_where(frame)}.")
    return described


# ---------------------------------------------------------------------------------------------------------------
# Stopping code that runs too long

class _TimeUp(BaseException):
    """Raised into code that ran past its time limit (a BaseException, so `except Exception` lets it through)."""


@contextlib.contextmanager
def time_limit(seconds):
    """Stop the block with _TimeUp after `seconds`: a SIGALRM timer in the main thread, else a watchdog thread."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds):
    def stop(signum, frame):
        raise _TimeUp()
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _watchdog(seconds):
    # Python raises an exception set this way at the thread's next bytecode, as it does for a signal handler's.
    # Where no thread can start (Pyodide), the code runs without a limit.
    target, lock, state = threading.get_ident(), threading.Lock(), {"armed": True, "fired": False}

    def stop():
        with lock:
            if state["armed"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_TimeUp))

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    try:
        timer.start()
    except RuntimeError:
        state["armed"] = False
    try:
        yield
    finally:
        with lock:
            state["armed"] = False
            if state["fired"]:  # a stop that came as the block ended must not hit the code after it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
        timer.cancel()
