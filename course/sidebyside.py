"""`%%sidebyside`: one notebook cell run under real JAX and under jaxlite, the two outputs in two columns.

This is the normal way a lesson shows that `import jaxlite as jax` runs the same code and gives the same numbers.

Authoring note
--------------
Load the extension in the lesson's first cell (`%load_ext course.sidebyside`), then write each example once, in
plain JAX style, under the magic::

    %%sidebyside
    import jax
    import jax.numpy as jnp

    jax.grad(lambda x: x**3)(2.0)

The cell runs twice: with real JAX, then with every `import jax...` of the cell answered by jaxlite. Each run
prints into its own column (stdout, stderr, displayed objects, and the value of the last line as IPython would
show it). Lines that differ are marked `≠`; numbers that agree up to float32 rounding are marked `≈` ("differs in
the last digits"); identical columns say "same output" in one line. An exception shows inside its column (class,
message, the line of the cell that raised it) and the notebook goes on, so a cell may show an error on purpose.

Options:
    --keep jax|jaxlite  whose values later ordinary cells see (default jaxlite, which is always installed).
    --only jaxlite      run jaxlite alone, for a cell whose point is jaxlite's internals; the names it defines
                        exist for jaxlite only.
Where JAX is not installed (in the browser), every cell runs under jaxlite alone and says so in one line.

Each library keeps its own namespace across side-by-side cells: `x = jnp.ones(3)` is a JAX array in later JAX
runs and a jaxlite array in later jaxlite runs, and a `Point` class registered as a pytree is registered with
its own library. Names that ordinary cells define are seen by both runs. After the cell, the names it defined are
copied into the notebook from the kept library's run, and the footer says whose: a widget in a later ordinary
cell gets jaxlite's function unless the cell said `--keep jax`.

"Differs in the last digits" means: the lines are the same apart from their numbers, and each pair of numbers
agrees to a relative 1e-5 (or 1e-6 absolute), or by one unit of the last printed digit when three or more
decimals are printed. Integers (shapes, counts) must agree exactly. Colour codes in printed text (in a notebook
JAX colours the jaxprs it prints) are removed before the lines are compared and shown.

Rich output: figures (PNG, JPEG or SVG) appear in their column, both sides, compared by their text description
only (`<Figure size 640x480 with 1 Axes>`), not pixel by pixel. Other rich output (a widget, HTML) is shown once,
below the columns, from the kept library's run; the columns say so in a line. Printed text, displays and the last
value appear in the order the cell produced them; a trailing `;` hides the last value, as in IPython. Line
magics work inside the cell: `%timeit f(x)` times each library in its own namespace.

Avoid:
- Importing JAX (or a library built on it) in an ordinary cell and using it here: only `jax` and `jax.*` imports
  are answered by jaxlite, and a module bound by an ordinary cell is swapped for jaxlite's only if it is a `jax`
  module. Import what a side-by-side cell needs in a side-by-side cell.
- Output that differs by nature: timings, object ids, NumPy's unseeded random numbers. Where a difference is the
  point (a timing, a jaxlite hint in an error), say so in the prose next to the cell, since it is marked `≠`.
- Widgets inside the magic: build them in an ordinary cell after it, from the kept values.
- Cells that only need real JAX (devices, XLA dumps, a comparison that imports both libraries): write them under
  `%%jaxonly`, which runs the cell as an ordinary cell where JAX is installed and prints one line where it is not.
"""

import ast
import contextlib
import difflib
import html
import importlib
import importlib.metadata
import re
import sys
import traceback
import types

from IPython.core.displaypub import DisplayPublisher
from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display, publish_display_data

from course.aliasing import is_jax_name, jax_available, jax_is_jaxlite, lite_name

LABELS = {"jax": "JAX", "jaxlite": "jaxlite"}
IMAGES = ("image/png", "image/jpeg", "image/svg+xml")
RICH_PLACEHOLDER = "(a widget or HTML output: the kept run's is shown below the columns)"
NEEDS_JAX = "This cell needs JAX, which is not installed here: the lesson goes on without it."
MISSING = object()

# Two printed numbers "differ in the last digits" when they agree to float32 precision (a few units of its
# 1.2e-7 epsilon, after the rounding that reductions and transcendental functions add), or by one unit of
# the last printed digit (a number printed with `:.3f` that sat on a rounding boundary).
RTOL, ATOL = 1e-5, 1e-6
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
SPACE = re.compile(r"\s+")
# Terminal control sequences (colours, cursor moves). In a Jupyter kernel JAX colours the jaxprs it prints;
# the columns compare and show what the text says, without them.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def _version(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


class _Recorder(DisplayPublisher):
    """Collects, in order, what a run prints and displays: ("text", str) and ("display", data, metadata)."""

    def __init__(self, items):
        super().__init__()
        self.items = items

    def write(self, text):
        self.items.append(("text", text))
        return len(text)

    def flush(self):
        pass

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        self.items.append(("display", data, metadata or {}))

    def clear_output(self, wait=False):
        pass


class Run:
    """One library's run of the cell: its output as rows (kind, text compared, payload), the names it bound."""

    def __init__(self, library, rows, defined):
        self.library, self.rows, self.defined = library, rows, defined
        self.name, self.version = LABELS[library], _version(library)


def _rows(items):
    """Printed text becomes one row per line; a display becomes an image row, text rows or a placeholder."""
    rows, text = [], []

    def flush_text():
        rows.extend(("out", line, None) for line in ANSI_ESCAPE.sub("", "".join(text)).splitlines())
        text.clear()

    for item in items:
        if item[0] == "text":
            text.append(item[1])
            continue
        flush_text()
        data, metadata = item[1], item[2]
        plain = ANSI_ESCAPE.sub("", data.get("text/plain", ""))
        image = next((mime for mime in IMAGES if mime in data), None)
        if image:
            rows.append(("image", plain.splitlines()[0] if plain else image, (image, data[image])))
        elif set(data) - {"text/plain"}:
            rows.append(("rich", RICH_PLACEHOLDER, (data, metadata)))
        else:
            rows.extend(("out", line, None) for line in plain.splitlines())
    flush_text()
    return rows


def _error_rows(error, filename, cell):
    """Where and what: the line of the cell that raised (numbered as in the notebook), then class and message."""
    lineno = error.lineno if isinstance(error, SyntaxError) and error.filename == filename else None
    for frame, number in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == filename:
            lineno = number
    lines = cell.splitlines()
    rows = []
    if lineno and 0 < lineno <= len(lines):
        rows.append(("error", f"line {lineno + 1}: {lines[lineno - 1].strip()}", None))
    message = error.msg if isinstance(error, SyntaxError) else str(error)
    raised, *more = (f"{type(error).__name__}: {message}" if message else type(error).__name__).splitlines()
    return rows + [("raised", raised, None)] + [("error", line, None) for line in more]


def _close(a, b):
    """Whether two printed lines say the same up to float32 rounding of their numbers."""
    if SPACE.sub("", NUMBER.sub("#", a)) != SPACE.sub("", NUMBER.sub("#", b)):
        return False
    pairs = list(zip(NUMBER.findall(a), NUMBER.findall(b)))
    return all(_close_numbers(x, y) for x, y in pairs)


def _decimals(token):
    return len(token.split(".")[1]) if "." in token and "e" not in token.lower() else 0


def _close_numbers(x, y):
    if float(x) == float(y):
        return True
    if not any(c in x + y for c in ".eE"):
        return False  # integers (counts, shapes, indices) agree exactly or not at all
    places = min(_decimals(x), _decimals(y))
    unit = 1.000001 * 10.0**-places if places >= 3 else 0.0  # the factor absorbs the float error of x - y
    return abs(float(x) - float(y)) <= max(RTOL * max(abs(float(x)), abs(float(y))), ATOL, unit)


def _compare(a, b):
    """The status of each row of two runs: "same", "close" (differs in the last digits) or "differs"."""
    left, right = ["same"] * len(a), ["same"] * len(b)
    matcher = difflib.SequenceMatcher(None, [r[1] for r in a], [r[1] for r in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            paired = i < i2 and j < j2
            status = "close" if paired and _close(a[i][1], b[j][1]) else "differs"
            if i < i2:
                left[i] = status
            if j < j2:
                right[j] = status
    return left, right


MARKS = {"same": " ", "close": "≈", "differs": "≠"}
TITLES = {"same": "", "close": "differs in the last digits (float32 rounding)", "differs": "differs"}


def _summary(statuses):
    flat = [s for column in statuses for s in column]
    if "differs" in flat:
        n = max(column.count("differs") for column in statuses)
        return f"≠ {n} line{'s differ' if n > 1 else ' differs'} (marked ≠)"
    if "close" in flat:
        return "≈ same output, up to float32 rounding in the last digits (marked ≈)"
    return "✓ same output"


STYLE = """<style>
.jl-sbs { color: var(--jp-content-font-color1, inherit); font-size: 1em; margin: 0.2em 0; }
.jl-sbs-columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(20em, 1fr)); gap: 0.6em; }
.jl-sbs-column { border: 1px solid var(--jp-border-color1, rgba(127, 127, 127, 0.5)); border-radius: 3px;
  min-width: 0; }
.jl-sbs-column > header { padding: 0.15em 0.6em; font-weight: bold;
  background: var(--jp-layout-color2, rgba(127, 127, 127, 0.15));
  border-bottom: 1px solid var(--jp-border-color1, rgba(127, 127, 127, 0.5)); }
.jl-sbs-version { font-weight: normal; font-size: 0.85em; color: var(--jp-content-font-color2, inherit); }
.jl-sbs pre { margin: 0; padding: 0.3em 0; background: none; color: inherit;
  font-family: var(--jp-code-font-family, monospace); font-size: var(--jp-code-font-size, 0.95em);
  line-height: var(--jp-code-line-height, 1.4); }
/* A long line wraps at a space where it can, its continuation indented past the gutter. */
.jl-sbs-row { display: block; padding: 0 0.6em 0 1.6em; text-indent: -1.6em;
  white-space: pre-wrap; word-break: normal; overflow-wrap: anywhere; }
.jl-sbs-mark { display: inline-block; width: 1.6em; text-indent: 0; text-align: center; font-weight: bold;
  user-select: none; }
.jl-sbs-differs { background: var(--jp-rendermime-error-background, rgba(244, 67, 54, 0.25)); }
.jl-sbs-close { background: rgba(255, 152, 0, 0.2);
  background: color-mix(in srgb, var(--jp-warn-color1, #ff9800) 22%, transparent); }
.jl-sbs-error { box-shadow: inset 3px 0 var(--jp-error-color1, #f44336); }
.jl-sbs-raised { font-weight: bold; }
.jl-sbs-row img { max-width: calc(100% - 1.6em); vertical-align: top; }
.jl-sbs-none, .jl-sbs-footer { color: var(--jp-content-font-color2, inherit); font-style: italic; }
.jl-sbs-footer { margin-top: 0.25em; font-size: 0.95em; }
</style>"""


def _row_html(kind, text, payload, status):
    classes = f"jl-sbs-row jl-sbs-{status}" + (" jl-sbs-error" if kind in ("error", "raised") else "")
    classes += " jl-sbs-raised" if kind == "raised" else ""
    title = f' title="{TITLES[status]}"' if TITLES[status] else ""
    if kind == "image":
        mime, data = payload
        body = data if mime == "image/svg+xml" else f'<img src="data:{mime};base64,{data}" alt="{html.escape(text)}">'
    else:
        body = html.escape(text)
    return f'<span class="{classes}"{title}><span class="jl-sbs-mark">{MARKS[status]}</span>{body}</span>'


def _column_html(run, statuses):
    rows = "".join(_row_html(*row, status) for row, status in zip(run.rows, statuses))
    body = f"<pre>{rows}</pre>" if rows else '<pre><span class="jl-sbs-row jl-sbs-none">  (no output)</span></pre>'
    return (f'<section class="jl-sbs-column"><header title="{run.name} {run.version}">{run.name} '
            f'<span class="jl-sbs-version">{run.version}</span></header>{body}</section>')


def _render(runs, statuses, footer):
    """The side-by-side output as text/html (two columns) and text/plain (the columns one under the other)."""
    columns = "".join(_column_html(run, s) for run, s in zip(runs, statuses))
    text = []
    for run, column in zip(runs, statuses):
        text.append(f"── {run.name} {run.version} ──")
        text.extend(f"{MARKS[s]} {row[1]}" for row, s in zip(run.rows, column))
    footer_text = " · ".join(footer)
    return {
        "text/plain": "\n".join(text + [footer_text]),
        "text/html": (f'{STYLE}<div class="jl-sbs"><div class="jl-sbs-columns">{columns}</div>'
                      f'<div class="jl-sbs-footer">{html.escape(footer_text)}</div></div>'),
    }


def _names_note(library, names):
    if not names:
        return None
    shown = ", ".join(sorted(names)[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return f"later cells get {LABELS[library]}'s {shown}"


@magics_class
class SideBySideMagics(Magics):
    """`%%sidebyside` and `%%jaxonly`, with the two libraries' namespaces they keep between cells."""

    def __init__(self, shell):
        super().__init__(shell)
        self.namespaces = {"jax": {}, "jaxlite": {}}
        self.defined = {"jax": set(), "jaxlite": set()}  # names the library's own runs bound
        self.seen = {}  # the notebook's namespace as the last side-by-side cell left it

    @magic_arguments(name="%sidebyside")  # the usage line reads %%sidebyside, a cell magic
    @argument("--keep", choices=["jax", "jaxlite"], default="jaxlite",
              help="whose values the cell leaves for later cells (default: jaxlite)")
    @argument("--only", choices=["jaxlite"], help="run the cell under jaxlite alone")
    @cell_magic
    def sidebyside(self, line, cell):
        """Run the cell under real JAX and under jaxlite, and show the two outputs side by side.

        Lines that differ are marked ≠, numbers that differ in the last digits (float32 rounding) ≈.
        An exception shows in its run's column. Where JAX is not installed the cell runs under jaxlite alone.
        """
        args = parse_argstring(self.sidebyside, line)
        missing_jax = not args.only and not jax_available()
        libraries = ["jaxlite"] if args.only or missing_jax else ["jax", "jaxlite"]
        keep = args.keep if args.keep in libraries else "jaxlite"
        source = self.shell.transform_cell(cell)
        filename = self.shell.compile.cache(source)
        self._share_notebook_names()
        runs = [self._run(library, source, filename, cell) for library in libraries]
        kept = next(run for run in runs if run.library == keep)
        for name in kept.defined:
            self.shell.user_ns[name] = self.namespaces[keep][name]
        self.seen = dict(self.shell.user_ns)

        statuses = _compare(runs[0].rows, runs[1].rows) if len(runs) == 2 else [["same"] * len(runs[0].rows)]
        footer = [_summary(statuses) if len(runs) == 2 else
                  "JAX is not installed here: this cell ran under jaxlite alone" if missing_jax else
                  "ran under jaxlite alone (--only jaxlite)"]
        footer.append(_names_note(keep, kept.defined))
        footer = [part for part in footer if part]
        if any(run.rows for run in runs):
            display(_render(runs, statuses, footer), raw=True)
        else:
            footer[0] = "✓ ran under JAX and jaxlite, no output" if len(runs) == 2 else f"{footer[0]}, no output"
            plain = " · ".join(footer)
            display({"text/plain": plain, "text/html": f'{STYLE}<div class="jl-sbs jl-sbs-footer">'
                     f'{html.escape(plain)}</div>'}, raw=True)
        for kind, _, payload in kept.rows:
            if kind == "rich":
                publish_display_data(*payload)

    @cell_magic
    def jaxonly(self, line, cell):
        """Run the cell as an ordinary cell where JAX is installed; elsewhere say in one line that it needs JAX."""
        if not jax_available():
            print(NEEDS_JAX)
            return None
        source = self.shell.transform_cell(cell)
        return self._execute(source, self.shell.compile.cache(source), self.shell.user_ns)

    def _share_notebook_names(self):
        """Give both runs what ordinary cells bound since the last side-by-side cell, and drop what they deleted."""
        user_ns = self.shell.user_ns
        changed = {name for name, value in user_ns.items() if self.seen.get(name, MISSING) is not value}
        deleted = self.seen.keys() - user_ns.keys()
        for library, namespace in self.namespaces.items():
            self.defined[library] -= changed | deleted
            for name in deleted:
                namespace.pop(name, None)
        own = self.defined["jax"] | self.defined["jaxlite"]
        for library, namespace in self.namespaces.items():
            for name, value in user_ns.items():
                if name not in own:
                    value = _as_seen_by(library, value)
                    if value is not MISSING:
                        namespace[name] = value

    def _run(self, library, source, filename, cell):
        namespace = self.namespaces[library]
        before, figures = dict(namespace), _figure_numbers()
        items, error = [], None
        aliasing = jax_is_jaxlite() if library == "jaxlite" else contextlib.nullcontext()
        with aliasing, self._recording(items, namespace):
            try:
                value = self._execute(source, filename, namespace)
                if value is not None and not cell.rstrip().endswith(";"):
                    display(value)
            except Exception as err:  # noqa: BLE001 - any error of the cell is shown in its column
                error = err
            _display_new_figures(figures)
        defined = {name for name, value in namespace.items() if before.get(name, MISSING) is not value}
        self.defined[library] |= defined
        rows = _rows(items) + (_error_rows(error, filename, cell) if error else [])
        return Run(library, rows, defined)

    @contextlib.contextmanager
    def _recording(self, items, namespace):
        """Capture the run's output in order, with IPython's namespace pointing at the run's (for %timeit)."""
        recorder = _Recorder(items)
        saved = self.shell.display_pub, self.shell.user_ns
        self.shell.display_pub, self.shell.user_ns = recorder, namespace
        try:
            with contextlib.redirect_stdout(recorder), contextlib.redirect_stderr(recorder):
                yield
        finally:
            self.shell.display_pub, self.shell.user_ns = saved

    @staticmethod
    def _execute(source, filename, namespace):
        """Run the cell's code in a namespace; return the value of its last line when it is an expression."""
        tree = ast.parse(source, filename)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, filename, "exec"), namespace)
        if last is not None:
            return eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        return None


def _as_seen_by(library, value):
    """jaxlite's run sees jaxlite's module where an ordinary cell bound a `jax` module (MISSING: jaxlite has none)."""
    if library != "jaxlite" or not isinstance(value, types.ModuleType) or not is_jax_name(value.__name__):
        return value
    try:
        return importlib.import_module(lite_name(value.__name__))
    except ModuleNotFoundError:
        return MISSING


def _figure_numbers():
    pyplot = sys.modules.get("matplotlib.pyplot")
    return set(pyplot.get_fignums()) if pyplot else set()


def _display_new_figures(before):
    """Show the figures a run opened inside its own column (inline matplotlib would show them after the cell)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    for number in sorted(_figure_numbers() - before):
        display(pyplot.figure(number))
        pyplot.close(number)


def load_ipython_extension(ipython):
    """`%load_ext course.sidebyside` registers `%%sidebyside` and `%%jaxonly`."""
    ipython.register_magics(SideBySideMagics)
