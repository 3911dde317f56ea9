"""The checks: pass, or "not yet" with what differs; stubs, exceptions, endless loops and mutated inputs told so."""
import importlib.abc
import importlib.util
import os
import pathlib
import re
import signal
import struct
import sys
import threading

import nbformat
import numpy as np
import pytest

from course import checks, exercises
from course.checks import jax, jnp

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import demo_checks  # noqa: E402  (declares demo.1 to demo.7)
import extra_checks  # noqa: E402,F401

STUB_LINE = "raise NotImplementedError()"


# ---- student answers, right and wrong


def softplus(x):
    return jnp.log1p(jnp.exp(x))


def softplus_wrong(x):
    return jnp.exp(x)


def softplus_without_gradient(x):
    return jax.lax.stop_gradient(jnp.log1p(jnp.exp(x)))


def normalize(v):
    return v / jnp.linalg.norm(v)


def normalize_wrong(v):
    return v / jnp.sum(v)


def normalize_as_row(v):
    return (v / jnp.linalg.norm(v))[None, :]


def normalize_in_float64(v):
    return np.asarray(v, np.float64) / np.linalg.norm(v)


def normalize_in_place(v):
    v /= np.linalg.norm(v)
    return v


def normalize_stub(v):
    raise NotImplementedError()


def normalize_dividing_by_zero(v):
    scale = 1 // 0
    return v * scale


def normalize_forever(v):
    while True:
        pass


def normalize_forever_swallowing_errors(v):
    while True:
        try:
            v = v + 0
        except Exception:
            pass


def relu_with_python_if(x):
    if x > 0:
        return x
    return 0.0 * x


def relu(x):
    return jnp.where(x > 0, x, 0.0 * x)


def my_jacrev(f):
    def jacobian(x):
        y, pullback = jax.vjp(f, x)
        (rows,) = jax.vmap(pullback)(jnp.eye(y.size, dtype=y.dtype))
        return rows
    return jacobian


def my_jacrev_transposed(f):
    return lambda x: my_jacrev(f)(x).T


def predicted_shape():
    return (3, 5)


def predicted_shape_stub():
    raise NotImplementedError()


@pytest.fixture
def shown(monkeypatch):
    """What `check` and `hint` publish, as (data, metadata) pairs."""
    published = []
    monkeypatch.setattr(checks, "_publish", lambda data, metadata: published.append((data, metadata)))
    monkeypatch.setattr(checks, "_HINTS_SHOWN", {})
    return published


def everything_shown(result):
    return result.text() + result.html()


def png_size(png):
    return struct.unpack(">II", png[16:24])


# ---- pass and not yet


def test_a_right_function_passes():
    result = checks.evaluate("demo.2", normalize)
    assert (result.status, result.problem) == ("pass", None)


def test_a_right_function_passes_with_its_gradient():
    result = checks.evaluate("demo.1", softplus)
    assert result.passed
    assert "`grad(softplus)(x)`" in result.summary


def test_a_wrong_value_is_not_yet_with_a_table_of_input_expected_and_got():
    result = checks.evaluate("demo.2", normalize_wrong, seed=7)
    assert (result.status, result.problem) == ("not yet", "value")
    headers, rows = result.table
    assert headers == ["input", "expected", "got"]
    (first, *_), expected = rows, demo_checks._normalize(np.random.default_rng(7).standard_normal(4).astype("float32"))
    assert first[1] == checks._format(np.asarray(expected))


def test_a_table_row_shows_the_input_and_what_the_answer_gave_for_it():
    result = checks.evaluate("demo.2", normalize_wrong, seed=7)
    x = np.random.default_rng(7).standard_normal(4).astype("float32")
    assert result.table[1][0] == [checks._format(x), checks._format(np.asarray(demo_checks._normalize(x))),
                                  checks._format(np.asarray(normalize_wrong(x)))]


def test_a_wrong_gradient_is_not_yet_for_the_gradient():
    result = checks.evaluate("demo.1", softplus_without_gradient)
    assert (result.status, result.problem) == ("not yet", "value")
    assert result.summary == "wrong value from `grad(softplus_without_gradient)(x)`."


def test_a_function_of_one_number_with_a_wrong_value_gets_a_small_plot():
    result = checks.evaluate("demo.1", softplus_wrong)
    width, height = png_size(result.png)
    assert result.png.startswith(b"\x89PNG") and width <= 400 and height <= 250
    assert "data:image/png;base64," in result.html()


def test_a_function_of_a_vector_gets_no_plot():
    assert checks.evaluate("demo.2", normalize_wrong).png is None


def test_a_wrong_shape_is_told_as_a_shape():
    result = checks.evaluate("demo.2", normalize_as_row)
    assert (result.status, result.problem) == ("not yet", "shape")
    assert result.summary == "wrong shape: expected (4,), got (1, 4) from `normalize_as_row(v)`."


def test_a_wrong_dtype_is_told_as_a_dtype():
    result = checks.evaluate("demo.2", normalize_in_float64)
    assert (result.status, result.problem) == ("not yet", "dtype")
    assert result.summary == "wrong dtype: expected float32, got float64 from `normalize_in_float64(v)`."


def test_a_python_number_is_not_a_wrong_dtype():
    assert checks.evaluate("extra.constant", lambda x: 2.0).passed


def test_a_wrong_structure_is_told_as_such():
    result = checks.evaluate("demo.2", lambda v: (normalize(v), v))
    assert (result.problem, result.summary) == ("structure", "expected one array, got a tuple of 2 from `f(v)`.")


def test_an_entry_of_the_wrong_structure_is_named_with_how_it_differs():
    result = checks.evaluate("extra.pair", lambda x: (jnp.sum(x), (2 * x,)))
    assert (result.problem, result.summary) == (
        "structure", "wrong structure in entry `[1]`: expected one array, got a tuple of 1 from `f(x)`.")


def test_an_entry_of_the_wrong_shape_is_named():
    result = checks.evaluate("extra.pair", lambda x: (jnp.sum(x), 2 * x[:2]))
    assert (result.problem, result.summary) == (
        "shape", "wrong shape in entry `[1]`: expected (3,), got (2,) from `f(x)`.")


def test_an_entry_with_a_wrong_value_is_named():
    result = checks.evaluate("extra.pair", lambda x: (jnp.sum(x), 3 * x))
    assert (result.problem, result.summary) == ("value", "wrong value in entry `[1]` from `f(x)`.")


def test_an_entry_of_a_dict_is_named_by_its_key():
    expected, got = {"w": np.ones(2), "b": np.ones(())}, {"w": np.ones(2), "b": np.ones(3)}
    assert checks._difference(expected, got, 1e-5, 1e-6, True) == (
        "shape", "wrong shape in entry `['b']`: expected (), got (3,)")


def test_an_answer_that_is_not_an_array_is_told_so():
    result = checks.evaluate("demo.2", lambda v: "normalised")
    assert (result.problem, result.summary) == ("type", "expected an array, got str from `f(v)`.")


def test_an_answer_that_is_not_a_function_is_told_so():
    result = checks.evaluate("demo.2", 3.0)
    assert (result.problem, result.summary) == ("type", "expected a function, got float.")


def test_mutating_an_input_is_told():
    result = checks.evaluate("demo.2", normalize_in_place)
    assert (result.status, result.problem) == ("not yet", "mutated")
    assert result.summary == "`normalize_in_place(v)` changed its input `v` in place."


# ---- stubs, exceptions, endless loops


def test_a_stub_is_not_yet_not_started():
    result = checks.evaluate("demo.2", normalize_stub)
    assert result.status == "not started"
    assert result.headline == "○ demo.2 not yet: not started."


def test_an_exception_gives_its_class_message_and_the_students_line():
    result = checks.evaluate("demo.2", normalize_dividing_by_zero)
    assert result.status == "error"
    assert result.summary == "`normalize_dividing_by_zero(v)` raised ZeroDivisionError."
    assert result.block == "ZeroDivisionError: integer division or modulo by zero"
    line = normalize_dividing_by_zero.__code__.co_firstlineno + 1
    assert result.notes[0] == f"At test_checks.py, line {line}: `scale = 1 // 0`"


def test_an_exception_shows_no_traceback():
    shown_text = everything_shown(checks.evaluate("demo.2", normalize_dividing_by_zero))
    assert "Traceback" not in shown_text and "File \"" not in shown_text


def test_a_not_implemented_error_with_a_message_is_an_exception_not_a_stub():
    def unfinished_library_feature(v):
        raise NotImplementedError("jaxlite has no such thing")
    result = checks.evaluate("demo.2", unfinished_library_feature)
    assert (result.status, result.block) == ("error", "NotImplementedError: jaxlite has no such thing")


def test_an_endless_loop_is_stopped_after_the_time_limit(monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.3)
    result = checks.evaluate("demo.2", normalize_forever)
    assert result.status == "timeout"
    assert result.headline == "✗ demo.2 not yet: stopped after 0.3 s: `normalize_forever(v)` was still running."


def test_an_endless_loop_that_catches_exceptions_is_stopped_too(monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.3)
    assert checks.evaluate("demo.2", normalize_forever_swallowing_errors).status == "timeout"


def test_after_a_timeout_the_next_check_runs_and_the_alarm_is_put_back(monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.3)
    handler = signal.getsignal(signal.SIGALRM)
    checks.evaluate("demo.2", normalize_forever)
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert checks.evaluate("demo.2", normalize).passed


def test_an_endless_loop_is_stopped_outside_the_main_thread_too(monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.3)
    results = []
    worker = threading.Thread(target=lambda: results.append(checks.evaluate("demo.2", normalize_forever)))
    worker.start()
    worker.join(timeout=30)
    assert [result.status for result in results] == ["timeout"]


def test_a_time_limit_in_another_thread_does_not_fire_after_its_block():
    results = []

    def quick_then_slow():
        with checks.time_limit(0.2):
            pass
        total = 0
        for i in range(3_000_000):
            total += i
        results.append(total)
    worker = threading.Thread(target=quick_then_slow)
    worker.start()
    worker.join(timeout=60)
    assert results == [sum(range(3_000_000))]


# ---- the kinds of exercise


def test_fix_runs_the_fixed_function_under_jit_and_grad():
    result = checks.evaluate("demo.6", relu)
    assert result.passed
    assert result.summary.startswith("`relu(x)`, `jit(relu)(x)` and `grad(relu)(x)` right on 4 random inputs")


def test_fix_reports_a_tracer_error_under_jit_with_the_students_line():
    result = checks.evaluate("demo.6", relu_with_python_if)
    assert result.status == "error"
    assert result.summary == "`jit(relu_with_python_if)(x)` raised TracerBoolConversionError."
    assert result.notes[0].endswith(": `if x > 0:`")


def test_a_check_on_one_input_says_input_in_the_singular():
    result = checks.evaluate("extra.once", lambda x: x + x, seed=3)
    assert result.summary == "`f(x)` right on 1 random input (seed 3)."


def test_extend_names_the_inputs_of_a_not_yet_table_as_the_checker_says():
    result = checks.evaluate("extra.named", lambda f, x: f(x) + 1)
    (row,) = result.table[1]
    assert row[0].splitlines()[0] == "f = _sin_sum"
    assert row[0].splitlines()[1].startswith("x = [")


def test_inputs_without_names_are_numbered():
    assert checks._format_inputs((np.float32(1.0), np.float32(2.0)), []) == "arg1 = 1.\narg2 = 2."


def my_grad_from_vjp(f):
    def gradient(x):
        y, pullback = jax.vjp(f, x)
        (g,) = pullback(jnp.ones_like(y))
        return g
    return gradient


def test_an_answer_built_from_the_required_function_passes():
    assert checks.evaluate("extra.from_vjp", my_grad_from_vjp).passed


@pytest.mark.parametrize("name", ["grad", "value_and_grad"])
def test_an_answer_that_calls_a_function_the_exercise_does_without_is_not_yet(name):
    def my_grad(f):
        if name == "grad":
            return jax.grad(f)
        return lambda x: jax.value_and_grad(f)(x)[1]
    result = checks.evaluate("extra.from_vjp", my_grad)
    assert (result.status, result.problem) == ("not yet", "building block")
    assert result.summary == f"`my_grad(f)(x)` called `jax.{name}`: this exercise asks you to build it from `jax.vjp`."


def test_the_functions_an_exercise_does_without_are_back_after_its_check():
    grad, value_and_grad = jax.grad, jax.value_and_grad
    checks.evaluate("extra.from_vjp", lambda f: jax.grad(f))
    assert (jax.grad, jax.value_and_grad) == (grad, value_and_grad)
    assert float(jax.grad(jnp.sin)(0.0)) == 1.0


def test_an_exercise_without_some_functions_must_say_what_to_build_from():
    with pytest.raises(ValueError, match="build_from"):
        checks.extend("extra.unsaid", lambda answer, x: answer(x), lambda x: x, checks.random_arrays(()),
                      without=("grad",))


def test_extend_checks_an_answer_by_using_it():
    assert checks.evaluate("demo.7", my_jacrev).passed


def test_extend_with_a_wrong_answer_is_not_yet():
    result = checks.evaluate("demo.7", my_jacrev_transposed)
    assert (result.status, result.problem) == ("not yet", "shape")
    assert result.summary == "wrong shape: expected (2, 3), got (3, 2) from `my_jacrev(f)(x)`."


def test_a_prediction_is_called_when_it_is_a_function_of_nothing():
    assert checks.evaluate("demo.3", predicted_shape).passed


def test_a_prediction_stub_is_not_started():
    assert checks.evaluate("demo.3", predicted_shape_stub).status == "not started"


@pytest.mark.parametrize("answer", [(3, 5), [3, 5], "(3, 5)", "3,5", " (3,5) ", "3 x 5", np.zeros((3, 5)).shape])
def test_a_shape_is_read_whatever_its_trivial_formatting(answer):
    assert checks.evaluate("demo.3", answer).passed


@pytest.mark.parametrize("answer", ["float32", "f32", " jnp.float32", "np.float32", np.float32, jnp.float32,
                                    np.dtype("float32")])
def test_a_dtype_is_read_whatever_its_spelling(answer):
    assert checks.evaluate("extra.dtype", answer).passed


@pytest.mark.parametrize("answer", ["b:f32[] = sin a", "b:f32[]=sin a", "  b : f32[] =  sin  a  "])
def test_a_jaxpr_line_is_read_whatever_its_spacing(answer):
    assert checks.evaluate("demo.5", answer).passed


@pytest.mark.parametrize("answer", ["jacrev", "JACREV", "'jacrev'", "jax.jacrev", "jacrev()", jax.jacrev])
def test_a_choice_is_read_whatever_its_case_quotes_or_module(answer):
    assert checks.evaluate("demo.4", answer).passed


@pytest.mark.parametrize("answer", [6.0, 6, np.float32(6.0), jnp.asarray(6.0)])
def test_a_predicted_number_is_compared_as_a_number(answer):
    assert checks.evaluate("extra.value", answer).passed


def test_a_predicted_word_is_compared_without_surrounding_spaces():
    assert checks.evaluate("extra.word", " vmap ").passed


def test_a_wrong_shape_of_one_axis_is_shown_with_its_comma():
    assert checks.evaluate("extra.nohints", (5,)).summary == "(5,) is not the right shape."


def test_a_tuple_of_one_is_shown_as_python_writes_it():
    assert checks._format((np.float32(1.5),)) == "(1.5,)"


def test_a_wrong_prediction_is_not_yet():
    result = checks.evaluate("demo.3", (5, 3))
    assert (result.status, result.summary) == ("not yet", "(5, 3) is not the right shape.")


def test_an_unreadable_prediction_says_how_to_write_it():
    result = checks.evaluate("demo.3", "three by five")
    assert result.summary == "could not read 'three by five' as a shape."
    assert result.notes[0] == "Write a shape like `(3, 4)`."


def test_a_choice_outside_the_choices_lists_them():
    result = checks.evaluate("demo.4", "hessian")
    assert result.summary == "'hessian' is not one of the choices: jacfwd, jacrev."


# ---- never the solution


def test_a_wrong_function_is_not_shown_the_reference_code():
    shown_text = everything_shown(checks.evaluate("demo.1", softplus_wrong))
    assert "log1p" not in shown_text and "_softplus" not in shown_text


def test_a_wrong_prediction_is_not_shown_the_expected_answer():
    assert "(3, 5)" not in everything_shown(checks.evaluate("demo.3", (5, 3)))
    assert "jacrev" not in everything_shown(checks.evaluate("demo.4", "jacfwd"))
    assert "sin a" not in everything_shown(checks.evaluate("demo.5", "b:f32[] = cos a"))


# ---- seeds


def test_the_seed_is_shown_with_the_call_that_repeats_it():
    result = checks.evaluate("demo.2", normalize_wrong, seed=1234)
    assert "Random inputs, seed 1234: `check('demo.2', normalize_wrong, seed=1234)` runs these inputs again." in \
        result.notes


def test_the_same_seed_gives_the_same_inputs():
    first = checks.evaluate("demo.2", normalize_wrong)
    again = checks.evaluate("demo.2", normalize_wrong, seed=first.seed)
    assert again.table == first.table


def test_every_check_draws_a_fresh_seed():
    assert len({checks.evaluate("demo.2", normalize).seed for _ in range(5)}) > 1


# ---- hints


def test_hints_come_one_at_a_time_and_say_how_many_remain(shown):
    checks.hint("demo.1")
    checks.hint("demo.1")
    first, second = (data["text/plain"] for data, _ in shown)
    assert first == ("Hint 1 of 2 for demo.1: log(1 + e^x) is `jnp.log(1 + jnp.exp(x))`.\n"
                     "1 more: run `hint('demo.1')` again.")
    assert second == ("Hint 2 of 2 for demo.1: For large x, `jnp.log1p(jnp.exp(x))` loses less precision.\n"
                      "That was the last hint.")


def test_asking_past_the_last_hint_shows_the_last_again(shown):
    for _ in range(3):
        checks.hint("demo.3")
    assert [metadata["course"]["shown"] for _, metadata in shown] == [1, 1, 1]
    assert shown[-1][0]["text/plain"].endswith("That was the last hint.")


def test_an_exercise_without_hints_says_so(shown):
    checks.hint("extra.nohints")
    assert shown[0][0]["text/plain"] == "extra.nohints has no hints."


def test_a_result_that_is_not_a_pass_offers_the_hints():
    result = checks.evaluate("demo.2", normalize_wrong)
    assert result.notes[-1] == "Stuck? `hint('demo.2')` shows a hint (2 in all)."


# ---- what the notebook shows


def test_check_shows_html_text_and_machine_readable_metadata(shown):
    checks.check("demo.2", normalize, seed=5)
    ((data, metadata),) = shown
    assert set(data) == {"text/plain", "text/html"}
    assert metadata == {"course": {"check": "demo.2", "status": "pass", "seed": 5}}


def test_a_not_yet_carries_its_problem_in_the_metadata(shown):
    checks.check("demo.2", normalize_as_row, seed=5)
    assert shown[0][1] == {"course": {"check": "demo.2", "status": "not yet", "problem": "shape", "seed": 5}}


@pytest.mark.parametrize("answer, words", [(normalize, "✓ demo.2 pass"), (normalize_wrong, "✗ demo.2 not yet"),
                                           (normalize_stub, "○ demo.2 not yet: not started")])
def test_the_verdict_is_said_in_words_and_a_symbol_not_only_colour(answer, words):
    result = checks.evaluate("demo.2", answer)
    assert result.text().startswith(words)
    assert f"<strong>{words}" in result.html()


def test_the_html_names_the_exercise_and_its_status_for_browser_tests():
    page = checks.evaluate("demo.2", normalize_stub).html()
    assert page.startswith('<div class="course-check" data-status="not started" data-check="demo.2" ')


def test_the_html_uses_jupyterlab_theme_variables_with_fallbacks_and_no_fixed_text_colour():
    page = checks.evaluate("demo.2", normalize_wrong).html()
    variables = re.findall(r"var\(([^)]*)\)", page)
    assert variables and all(re.fullmatch(r"--jp-[a-z0-9-]+, [^,]+", v) for v in variables)
    assert not re.search(r"(^|[;\"\s])color:", page)


def test_check_under_nbgrader_raises_when_not_passing(shown, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="demo.2 not yet: wrong value"):
        checks.check("demo.2", normalize_wrong)
    assert shown[0][1]["course"]["status"] == "not yet"


def test_check_under_nbgrader_passes_quietly(shown, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    checks.check("demo.2", normalize)
    assert shown[0][1]["course"]["status"] == "pass"


def test_check_outside_nbgrader_never_raises(shown, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    checks.check("demo.2", normalize_wrong)
    assert shown[0][1]["course"]["status"] == "not yet"


def test_attempt_shows_an_error_without_raising(shown):
    checks.attempt(lambda: jax.jit(relu_with_python_if)(1.0))
    ((data, metadata),) = shown
    assert metadata == {"course": {"attempt": "error"}}
    assert data["text/plain"].startswith("✗ This raised TracerBoolConversionError: Attempted boolean conversion")
    assert data["text/plain"].endswith(": `if x > 0:`")


def test_attempt_shows_a_value(shown):
    checks.attempt(lambda: relu(np.float32(2.0)))
    assert shown[0] == ({"text/plain": "→ This returned 2.", "text/html": shown[0][0]["text/html"]},
                        {"course": {"attempt": "pass"}})


# ---- finding the checker module


def test_an_unknown_exercise_is_a_lookup_error():
    with pytest.raises(LookupError, match="No exercise '98.1'"):
        checks.evaluate("98.1", normalize)


class LessonFinder(importlib.abc.MetaPathFinder):
    """Serves course.checkers.lesson97 from a file elsewhere, as if a lesson writer had added it."""

    def __init__(self, path):
        self.path = path

    def find_spec(self, name, path=None, target=None):
        if name == "course.checkers.lesson97":
            return importlib.util.spec_from_file_location(name, self.path)
        return None


def test_an_exercise_numbered_nn_is_found_in_course_checkers_lesson_nn(tmp_path, monkeypatch):
    module = tmp_path / "lesson97.py"
    module.write_text("from course import checks\nchecks.predict('97.1', (2,), kind='shape')\n")
    monkeypatch.setattr(sys, "meta_path", [LessonFinder(module), *sys.meta_path])
    monkeypatch.delitem(sys.modules, "course.checkers.lesson97", raising=False)
    assert checks.evaluate("97.1", (2,)).passed


# ---- in a notebook kernel


JAX_BLOCKER = """import importlib.abc, sys


class NoJax(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("jax", "jaxlib"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, NoJax())
"""


def executed(notebook, path, *, without_jax=False):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    manager = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    paths = [str(FIXTURES), os.environ.get("PYTHONPATH", "")]
    if without_jax:
        (path / "sitecustomize.py").write_text(JAX_BLOCKER)
        paths.insert(0, str(path))
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    client = NotebookClient(notebook, km=manager, timeout=60, resources={"metadata": {"path": str(path)}})
    client.execute(env=environment)
    return notebook


def statuses(notebook):
    return [output.metadata["course"].get("status") for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if "check" in output.get("metadata", {}).get("course", {})]


@pytest.fixture(scope="module")
def demo_source():
    return nbformat.read(FIXTURES / "notebooks" / "source" / "demo.ipynb", as_version=4)


@pytest.mark.slow
def test_in_a_kernel_the_solution_version_passes_every_check(demo_source, tmp_path):
    notebook = executed(exercises.solution_version(demo_source, "demo.ipynb"), tmp_path)
    assert statuses(notebook) == ["pass"] * 8


@pytest.mark.slow
def test_in_a_kernel_the_student_version_runs_to_the_end_and_an_endless_loop_leaves_the_kernel_alive(
        demo_source, tmp_path):
    notebook = exercises.student_version(demo_source, "demo.ipynb")
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in [
        "from course import checks\nchecks.TIME_LIMIT = 1",
        "def normalize(v):\n    while True:\n        pass",
        'check("demo.2", normalize)',
        'check("demo.3", (3, 5))']]
    notebook = executed(notebook, tmp_path)
    assert statuses(notebook) == ["not started"] * 7 + ["timeout", "pass"]


@pytest.mark.slow
def test_in_a_kernel_without_jax_the_checks_compare_with_jaxlite_and_the_solutions_pass(demo_source, tmp_path):
    notebook = exercises.solution_version(demo_source, "demo.ipynb")
    notebook.cells.append(nbformat.v4.new_code_cell("print(jax.__name__)"))
    notebook = executed(notebook, tmp_path, without_jax=True)
    assert statuses(notebook) == ["pass"] * 8
    assert notebook.cells[-1].outputs[0].text == "jaxlite\n"
