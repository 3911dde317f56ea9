"""`%%sidebyside` runs a cell under JAX and under jaxlite in a real IPython shell and shows both outputs."""

import importlib.abc
import re
import sys

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.pylabtools import select_figure_formats
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output

import jaxlite
from course import sidebyside
from course.sidebyside import NEEDS_JAX, SideBySideMagics


def ipython_shell():
    start_ipython()
    return InteractiveShell.instance()


@pytest.fixture
def shell():
    """The test IPython shell with an empty namespace and a fresh extension (no namespaces of earlier tests)."""
    ip = ipython_shell()
    ip.reset(new_session=False)
    ip.register_magics(SideBySideMagics(ip))
    yield ip
    ip.reset(new_session=False)


class _NoJax(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "jax" or name.startswith("jax."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


@pytest.fixture
def without_jax(monkeypatch):
    """This interpreter as it is where JAX is not installed: `import jax` raises ModuleNotFoundError."""
    for name in [name for name in sys.modules if name == "jax" or name.startswith("jax.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoJax(), *sys.meta_path])


class Shown:
    """What a cell showed: the side-by-side output's text and HTML, its columns, and the other outputs."""

    def __init__(self, outputs, stdout):
        self.outputs, self.stdout = outputs, stdout
        self.text = outputs[0].data["text/plain"] if outputs else ""
        self.html = outputs[0].data.get("text/html", "") if outputs else ""
        self.columns, label = {}, None
        for line in self.text.splitlines()[:-1]:
            if header := re.fullmatch(r"── (\w+) \S+ ──", line):
                label = header.group(1)
                self.columns[label] = []
            else:
                self.columns[label].append(line)
        self.footer = self.text.splitlines()[-1] if self.text else ""


def run(shell, cell):
    with capture_output() as captured:
        result = shell.run_cell(cell)
    assert result.error_in_exec is None, result.error_in_exec
    assert result.error_before_exec is None, result.error_before_exec
    return Shown(captured.outputs, captured.stdout)


def test_the_cells_own_import_jax_is_jax_then_jaxlite(shell):
    shown = run(shell, "%%sidebyside\nimport jax\nprint(jax.__name__)")
    assert shown.columns == {"JAX": ["≠ jax"], "jaxlite": ["≠ jaxlite"]}


def test_from_imports_resolve_to_jaxlite_in_the_jaxlite_run(shell):
    shown = run(shell, "%%sidebyside\nfrom jax import grad\nfrom jax.numpy import sin\n"
                       "print(grad.__module__.split('.')[0], sin.__module__.split('.')[0])")
    assert shown.columns == {"JAX": ["≠ jax jax"], "jaxlite": ["≠ jaxlite jaxlite"]}


def test_real_jax_is_in_sys_modules_after_the_cell(shell):
    run(shell, "%%sidebyside\nimport jax.numpy as jnp\njnp.ones(2)")
    assert sys.modules["jax"].__file__.endswith("jax/__init__.py")
    assert sys.modules["jax.numpy"].__name__ == "jax.numpy"


def test_the_value_of_the_last_line_is_shown_as_ipython_shows_it(shell):
    shown = run(shell, "%%sidebyside\nimport jax.numpy as jnp\njnp.arange(3.0)")
    assert shown.columns["JAX"] == shown.columns["jaxlite"] == ["  Array([0., 1., 2.], dtype=float32)"]


def test_a_semicolon_hides_the_value_of_the_last_line(shell):
    shown = run(shell, "%%sidebyside\nprint('shown')\n1 + 1;")
    assert shown.columns["jaxlite"] == ["  shown"]


def test_identical_outputs_say_same_output_in_one_line(shell):
    shown = run(shell, "%%sidebyside\nimport jax\nprint(jax.grad(lambda x: x**3)(2.0))")
    assert shown.footer == "✓ same output · later cells get jaxlite's jax"
    assert "✓ same output" in shown.html
    rows = shown.html.split("</style>")[1]
    assert "jl-sbs-differs" not in rows and "jl-sbs-close" not in rows


def test_a_differing_line_is_marked_with_a_symbol_in_text_and_html(shell):
    shown = run(shell, "%%sidebyside\nimport jax\nprint('same')\nprint(jax.__name__)")
    assert shown.columns["JAX"] == ["  same", "≠ jax"]
    assert shown.footer == "≠ 1 line differs (marked ≠) · later cells get jaxlite's jax"
    assert re.search(r'class="jl-sbs-row jl-sbs-differs" title="differs"><span class="jl-sbs-mark">≠</span>jaxlite<',
                     shown.html)


def test_a_float32_rounding_difference_is_marked_as_differing_in_the_last_digits(shell):
    shown = run(shell, "%%sidebyside\nimport jax\nprint('loss', 0.6931472 + (3e-8 if jax.__name__ == 'jaxlite' else 0))")
    assert shown.columns == {"JAX": ["≈ loss 0.6931472"], "jaxlite": ["≈ loss 0.69314723"]}
    assert shown.footer.startswith("≈ same output, up to float32 rounding in the last digits (marked ≈) · ")
    assert 'title="differs in the last digits (float32 rounding)"' in shown.html


def test_a_number_printed_across_a_rounding_boundary_differs_in_the_last_digits(shell):
    shown = run(shell, "%%sidebyside\nimport jax\nprint(f\"{1.2345 + (1e-6 if jax.__name__ == 'jaxlite' else -1e-6):.3f}\")")
    assert shown.columns == {"JAX": ["≈ 1.234"], "jaxlite": ["≈ 1.235"]}


def test_a_real_numeric_difference_is_marked_as_differing(shell):
    shown = run(shell, "%%sidebyside\nimport jax\nprint('loss', 0.5 if jax.__name__ == 'jaxlite' else 0.6931472)")
    assert shown.columns == {"JAX": ["≠ loss 0.6931472"], "jaxlite": ["≠ loss 0.5"]}


def test_integers_such_as_shapes_must_agree_exactly(shell):
    shown = run(shell, "%%sidebyside\nimport jax\nprint((4,) if jax.__name__ == 'jaxlite' else (3,))")
    assert shown.columns == {"JAX": ["≠ (3,)"], "jaxlite": ["≠ (4,)"]}


@pytest.fixture
def jax_colours_its_jaxprs(monkeypatch):
    """JAX as in a Jupyter kernel, where it prints jaxprs with ANSI colour codes."""
    from jax._src import pretty_printer
    monkeypatch.setattr(pretty_printer, "CAN_USE_COLOR", True)


JAXPR_CELL = "%%sidebyside\nimport jax\nimport jax.numpy as jnp\nprint(jax.make_jaxpr(jnp.sin)(1.0))\n"


def test_jax_does_colour_a_printed_jaxpr_in_a_kernel(jax_colours_its_jaxprs):
    import jax
    assert "\x1b[" in str(jax.make_jaxpr(jax.numpy.sin)(1.0))


def test_a_coloured_jaxpr_is_compared_and_shown_without_its_colour_codes(shell, jax_colours_its_jaxprs):
    shown = run(shell, JAXPR_CELL)
    assert shown.columns["JAX"] == shown.columns["jaxlite"] == ["  { lambda ; a:f32[]. let b:f32[] = sin a in (b,) }"]
    assert shown.footer.startswith("✓ same output")
    assert "\x1b" not in shown.text + shown.html


def test_a_coloured_jaxpr_shown_as_the_last_value_loses_its_colour_codes_too(shell, jax_colours_its_jaxprs):
    shown = run(shell, JAXPR_CELL.replace("print(", "(", 1))
    assert shown.columns["JAX"] == shown.columns["jaxlite"] == ["  { lambda ; a:f32[]. let b:f32[] = sin a in (b,) }"]
    assert "\x1b" not in shown.text + shown.html


def test_an_exception_shows_in_its_column_with_class_message_and_line(shell):
    cell = "%%sidebyside\nimport jax\nprint('before')\nif jax.__name__ == 'jaxlite':\n    raise ValueError('only here')"
    shown = run(shell, cell)
    assert shown.columns["JAX"] == ["  before"]
    assert shown.columns["jaxlite"] == ["  before", "≠ line 5: raise ValueError('only here')",
                                        "≠ ValueError: only here"]
    assert 'jl-sbs-error' in shown.html


def test_the_line_of_an_exception_is_the_cells_own_line_when_raised_inside_jax(shell):
    shown = run(shell, "%%sidebyside\nimport jax\nimport jax.numpy as jnp\njax.grad(lambda x: x * 2)(jnp.ones(3))")
    for column in shown.columns.values():
        assert column[:2] == ["  line 4: jax.grad(lambda x: x * 2)(jnp.ones(3))",
                              "  TypeError: Gradient only defined for scalar-output functions. Output had shape: (3,)."]


def test_a_syntax_error_shows_in_both_columns(shell):
    shown = run(shell, "%%sidebyside\nx = (1,\n")
    assert shown.columns["JAX"] == shown.columns["jaxlite"] == ["  line 2: x = (1,", "  SyntaxError: '(' was never closed"]


def test_the_shell_goes_on_after_an_exception_in_a_column(shell):
    run(shell, "%%sidebyside\n1 / 0")
    assert run(shell, "%%sidebyside\nprint('next')").columns["jaxlite"] == ["  next"]


def test_keyboard_interrupt_still_interrupts_the_cell(shell):
    with capture_output():
        result = shell.run_cell("%%sidebyside\nraise KeyboardInterrupt")
    assert isinstance(result.error_in_exec, KeyboardInterrupt)
    assert sys.modules["jax"].__file__.endswith("jax/__init__.py")
    assert shell.user_ns is shell.user_module.__dict__


def test_each_library_keeps_its_own_values_across_cells(shell):
    run(shell, "%%sidebyside\nimport jax.numpy as jnp\nx = jnp.ones(3)")
    shown = run(shell, "%%sidebyside\nprint(type(x).__module__.split('.')[0])")
    assert shown.columns == {"JAX": ["≠ jaxlib"], "jaxlite": ["≠ jaxlite"]}


def test_the_kept_names_are_jaxlites_by_default(shell):
    shown = run(shell, "%%sidebyside\nimport jax.numpy as jnp\nx = jnp.ones(3)")
    assert isinstance(shell.user_ns["x"], jaxlite.Array)
    assert shell.user_ns["jnp"] is jaxlite.numpy
    assert shown.footer == "✓ ran under JAX and jaxlite, no output · later cells get jaxlite's jnp, x"


def test_keep_jax_leaves_jaxs_values(shell):
    import jax

    shown = run(shell, "%%sidebyside --keep jax\nimport jax.numpy as jnp\nx = jnp.ones(3)\nprint(x.shape)")
    assert isinstance(shell.user_ns["x"], jax.Array)
    assert shown.footer == "✓ same output · later cells get JAX's jnp, x"


def test_the_footer_names_nothing_when_the_cell_defines_nothing(shell):
    assert run(shell, "%%sidebyside\nprint(1)").footer == "✓ same output"


def test_names_of_ordinary_cells_are_seen_by_both_runs(shell):
    run(shell, "scale = 3")
    assert run(shell, "%%sidebyside\nprint(scale * 2)").columns == {"JAX": ["  6"], "jaxlite": ["  6"]}


def test_an_ordinary_cell_that_rebinds_a_kept_name_wins_in_both_runs(shell):
    run(shell, "%%sidebyside\nimport jax.numpy as jnp\nx = jnp.ones(3)")
    run(shell, "x = 'plain'")
    assert run(shell, "%%sidebyside\nprint(x)").columns == {"JAX": ["  plain"], "jaxlite": ["  plain"]}


def test_a_name_an_ordinary_cell_deletes_is_gone_from_both_runs(shell):
    run(shell, "%%sidebyside\nx = 1")
    run(shell, "del x")
    shown = run(shell, "%%sidebyside\nx")
    assert shown.columns["JAX"] == shown.columns["jaxlite"] == ["  line 2: x", "  NameError: name 'x' is not defined"]


def test_a_jax_module_bound_by_an_ordinary_cell_is_jaxlites_in_the_jaxlite_run(shell):
    run(shell, "import jax.numpy as jnp")
    shown = run(shell, "%%sidebyside\nprint(jnp.__name__)")
    assert shown.columns == {"JAX": ["≠ jax.numpy"], "jaxlite": ["≠ jaxlite.numpy"]}
    assert shell.user_ns["jnp"].__name__ == "jax.numpy"


def test_jaxlite_values_do_not_leak_into_a_later_jax_run_that_failed_to_define_them(shell):
    run(shell, "%%sidebyside\nimport jax\nif jax.__name__ == 'jax':\n    raise RuntimeError\ny = 1")
    shown = run(shell, "%%sidebyside\ny")
    assert shown.columns["JAX"][-1] == "≠ NameError: name 'y' is not defined"
    assert shown.columns["jaxlite"] == ["≠ 1"]


def test_timeit_in_a_cell_times_each_run_in_its_own_namespace(shell):
    shown = run(shell, "%%sidebyside\nimport jax.numpy as jnp\nx = jnp.ones(3)\n%timeit -n1 -r1 x + 1")
    assert all("per loop" in column[0] for column in shown.columns.values())
    assert isinstance(shell.user_ns["x"], jaxlite.Array)


def test_the_headers_carry_the_versions(shell):
    shown = run(shell, "%%sidebyside\nprint(1)")
    assert f'title="jaxlite {jaxlite.__version__}"' in shown.html
    assert re.search(r'title="JAX 0\.\d+\.\d+">JAX <span class="jl-sbs-version">0\.\d+\.\d+</span>', shown.html)
    assert shown.text.startswith("── JAX 0.")


def test_figures_show_in_their_own_columns(shell, monkeypatch):
    monkeypatch.setattr(shell.display_formatter.formatters["image/png"], "enabled", True)  # as in a notebook
    select_figure_formats(shell, {"png"})
    try:
        shown = run(shell, "%%sidebyside\nimport matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt\n"
                           "plt.plot([1, 2], [3, 4]);")
    finally:
        select_figure_formats(shell, set())
    assert shown.html.count('<img src="data:image/png;base64,') == 2
    assert shown.columns["JAX"] == ["  <Figure size 640x480 with 1 Axes>"]


def test_a_widget_is_shown_once_below_the_columns_from_the_kept_run(shell):
    shown = run(shell, "%%sidebyside\nimport ipywidgets\nimport jax\nipywidgets.Label(jax.__name__)")
    assert shown.columns["JAX"] == shown.columns["jaxlite"] == [f"  {sidebyside.RICH_PLACEHOLDER}"]
    assert len(shown.outputs) == 2
    assert "application/vnd.jupyter.widget-view+json" in shown.outputs[1].data
    assert "value='jaxlite'" in shown.outputs[1].data["text/plain"]


def test_the_html_uses_relative_font_sizes_and_theme_colours(shell):
    style = run(shell, "%%sidebyside\nprint(1)").html.split("</style>")[0]
    assert not re.search(r"font-size:\s*[\d.]+px", style)
    for declaration in re.findall(r"(?:color|background):\s*([^;]+);", style):
        translucent = re.fullmatch(r"rgba\([^)]*, 0\.\d+\)", declaration)
        assert "var(--jp-" in declaration or translucent or declaration in ("none", "inherit"), declaration


def test_without_jax_the_cell_runs_under_jaxlite_alone_and_says_so(shell, without_jax):
    shown = run(shell, "%%sidebyside\nimport jax\nprint(jax.__name__)\nx = 1")
    assert shown.columns == {"jaxlite": ["  jaxlite"]}
    assert shown.footer == "JAX is not installed here: this cell ran under jaxlite alone · later cells get jaxlite's jax, x"
    assert "jax" not in sys.modules


def test_without_jax_a_cell_without_output_still_says_it_ran_under_jaxlite_alone(shell, without_jax):
    shown = run(shell, "%%sidebyside\ndef f(x):\n    return x")
    assert shown.text == "JAX is not installed here: this cell ran under jaxlite alone, no output · later cells get jaxlite's f"


def test_keep_jax_without_jax_keeps_jaxlites_values(shell, without_jax):
    run(shell, "%%sidebyside --keep jax\nimport jax\nx = 1")
    assert shell.user_ns["jax"] is jaxlite


def test_only_jaxlite_runs_one_side(shell):
    shown = run(shell, "%%sidebyside --only jaxlite\nimport jax\nprint(jax.__name__)")
    assert shown.columns == {"jaxlite": ["  jaxlite"]}
    assert shown.footer == "ran under jaxlite alone (--only jaxlite) · later cells get jaxlite's jax"


def test_an_unknown_option_is_refused_before_anything_runs(shell):
    with capture_output():
        result = shell.run_cell("%%sidebyside --keep numpy\nx = 1")
    assert result.error_in_exec is not None
    assert "x" not in shell.user_ns


def test_jaxonly_runs_an_ordinary_cell_where_jax_is_installed(shell):
    import jax

    with capture_output() as captured:
        result = shell.run_cell("%%jaxonly\nimport jax\njax.__name__")
    assert result.result == "jax"
    assert shell.user_ns["jax"] is jax
    assert NEEDS_JAX not in captured.stdout


def test_jaxonly_says_in_one_line_that_the_cell_needs_jax_where_it_is_absent(shell, without_jax):
    shown = run(shell, "%%jaxonly\nimport jax\nx = 1")
    assert shown.stdout == NEEDS_JAX + "\n"
    assert "x" not in shell.user_ns


def test_the_magic_has_a_docstring_with_its_options(shell):
    doc = shell.find_cell_magic("sidebyside").__doc__
    assert "%%sidebyside [--keep {jax,jaxlite}] [--only {jaxlite}]" in doc
    assert "side by side" in doc


def test_load_ext_course_registers_the_magics():
    ip = ipython_shell()
    ip.magics_manager.magics["cell"].pop("sidebyside", None)
    ip.extension_manager.loaded.discard("course")
    ip.run_line_magic("load_ext", "course")
    assert ip.find_cell_magic("sidebyside") is not None
    assert ip.find_cell_magic("jaxonly") is not None
