"""Every notebook of the course runs top to bottom, and is stored without outputs."""

import pathlib
import re

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

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def kernel_manager():
    """A `python3` kernel running this interpreter, whatever kernels the machine has installed elsewhere."""
    only_native = KernelSpecManager(kernel_dirs=[])
    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=only_native)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_runs_top_to_bottom(path):
    notebook = nbformat.read(REPO / path, as_version=4)
    client = NotebookClient(
        notebook,
        km=kernel_manager(),
        timeout=120,
        resources={"metadata": {"path": str((REPO / path).parent)}},
    )
    failure = None
    try:
        client.execute()
    except CellExecutionError as error:
        failure = ANSI_ESCAPE.sub("", str(error))
    if failure:
        pytest.fail(f"{path} failed:\n{failure}", pytrace=False)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code_cells)


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
