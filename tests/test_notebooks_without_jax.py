"""Every lesson runs top to bottom where JAX is not installed (as in the browser), with jaxlite alone.

The kernel gets a `sitecustomize.py` that makes `import jax` raise ModuleNotFoundError, as it does on a machine
without JAX; side-by-side cells then run under jaxlite alone, and `%%jaxonly` cells say that they need JAX.
"""

import os
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = pathlib.Path(__file__).resolve().parents[1]
LESSONS = sorted(path.name for path in (REPO / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")

BLOCKER = '''"""This interpreter behaves as if JAX were not installed."""
import importlib.abc
import sys


class NoJax(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("jax", "jaxlib"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NoJax())
'''

# Appended to each lesson: proof that the lesson really ran without JAX.
PROBE = "from course.aliasing import jax_available\nprint('JAX available:', jax_available())"


@pytest.fixture(scope="module")
def env_without_jax(tmp_path_factory):
    site = tmp_path_factory.mktemp("without_jax")
    (site / "sitecustomize.py").write_text(BLOCKER)
    path = os.pathsep.join([str(site), str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return dict(os.environ, PYTHONPATH=path)


def test_import_jax_fails_as_where_jax_is_not_installed(env_without_jax):
    result = subprocess.run([sys.executable, "-c", "import jax"], env=env_without_jax, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "ModuleNotFoundError: No module named 'jax'"


def test_there_are_lessons():
    assert "00_welcome.ipynb" in LESSONS


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_top_to_bottom_without_jax(lesson, env_without_jax):
    notebook = nbformat.read(REPO / "notebooks" / lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(
        notebook,
        km=AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[])),
        timeout=120,
        resources={"metadata": {"path": str(REPO / "notebooks")}},
    )
    try:
        client.execute(env=env_without_jax)
    except CellExecutionError as error:
        pytest.fail(f"{lesson} failed without JAX:\n{ANSI_ESCAPE.sub('', str(error))}", pytrace=False)
    assert notebook.cells[-1].outputs[0]["text"] == "JAX available: False\n"
