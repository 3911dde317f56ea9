"""Every notebook of the course runs top to bottom and is stored without outputs; solutions pass every check, and
the student versions run to the end with every check saying "not yet".

A source notebook under notebooks/source/ is not run: its solution version is the same code without the markers.
Each run's time goes to test-artifacts/notebook-times.txt.
"""

import pathlib
import re
import time

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    path.relative_to(REPO).as_posix()
    for path in (REPO / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in path.parts
)
EXECUTED = [path for path in NOTEBOOKS if not path.startswith("notebooks/source/")]
CELL_TIMEOUT = 60
NOT_YET = {"not yet", "not started", "error", "timeout"}

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
_RUNS = {}


def kernel_manager():
    """A `python3` kernel running this interpreter, whatever kernels the machine has installed elsewhere."""
    only_native = KernelSpecManager(kernel_dirs=[])
    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=only_native)


def executed(path):
    """(the executed notebook, the failure or None), run once per test session."""
    if path not in _RUNS:
        notebook = nbformat.read(REPO / path, as_version=4)
        client = NotebookClient(notebook, km=kernel_manager(), timeout=CELL_TIMEOUT,
                                resources={"metadata": {"path": str((REPO / path).parent)}})
        failure, start = None, time.perf_counter()
        try:
            client.execute()
        except CellExecutionError as error:
            failure = ANSI_ESCAPE.sub("", str(error))
        _RUNS[path] = notebook, failure, time.perf_counter() - start
        _write_times()
    return _RUNS[path][:2]


def _write_times():
    lines = [f"{seconds:6.1f} s  {path}" for path, (_, _, seconds) in sorted(_RUNS.items())]
    lines.append(f"{sum(seconds for _, _, seconds in _RUNS.values()):6.1f} s  in all ({len(_RUNS)} notebooks)")
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "notebook-times.txt").write_text("\n".join(lines) + "\n")


def check_statuses(cell):
    return [output.metadata["course"]["status"] for output in cell.get("outputs", [])
            if "check" in output.get("metadata", {}).get("course", {})]


def grade_cells(notebook):
    return [cell for cell in notebook.cells if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
            and cell.cell_type == "code"]


@pytest.mark.slow
@pytest.mark.parametrize("path", EXECUTED)
def test_notebook_runs_top_to_bottom(path):
    notebook, failure = executed(path)
    if failure:
        pytest.fail(f"{path} failed:\n{failure}", pytrace=False)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code_cells)


@pytest.mark.slow
@pytest.mark.parametrize("path", EXECUTED)
def test_checks_say_pass_in_solutions_and_not_yet_in_student_versions(path):
    notebook, failure = executed(path)
    assert failure is None, f"{path} did not run to the end"
    folder = pathlib.Path(path).parent.name
    if folder in ("solutions", "exercises"):
        verdicts = {cell.metadata.nbgrader.grade_id: check_statuses(cell) for cell in grade_cells(notebook)}
        assert verdicts and all(verdicts.values()), f"{path}: grade cells without a check: {verdicts}"
        allowed = {"pass"} if folder == "solutions" else NOT_YET
        wrong = {grade_id: statuses for grade_id, statuses in verdicts.items() if not set(statuses) <= allowed}
        assert wrong == {}, f"{path}: checks that should say {'pass' if folder == 'solutions' else 'not yet'}"
    else:
        checked = [check_statuses(cell) for cell in notebook.cells if check_statuses(cell)]
        assert checked == [], f"{path}: a lesson's exercises belong in notebooks/source/, not in the lesson"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(REPO / path, as_version=4)
    nbformat.validate(notebook)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert dirty == [], f"{path}: cells {dirty} have outputs or execution counts; clear them before committing"


def test_the_course_has_notebooks():
    assert "notebooks/00_welcome.ipynb" in NOTEBOOKS


def test_every_exercise_source_has_its_student_and_solution_version():
    sources = {pathlib.Path(path).name for path in NOTEBOOKS if path.startswith("notebooks/source/")}
    for folder in ("exercises", "solutions"):
        generated = {pathlib.Path(path).name for path in NOTEBOOKS if path.startswith(f"notebooks/{folder}/")}
        assert generated == sources, f"notebooks/{folder}/ does not match notebooks/source/: run `make exercises`"
