"""nbgrader itself agrees: its student version is ours; its autograder gives our solutions full marks, stubs none."""
import csv
import os
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from course import exercises

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
SOURCE = FIXTURES / "notebooks" / "source" / "demo.ipynb"
SUBMISSIONS = {"solver": exercises.solution_version, "beginner": exercises.student_version}

pytestmark = pytest.mark.slow


def nbgrader(course, *arguments):
    # nbgrader runs the `alembic` command, installed beside this interpreter; the kernels import demo_checks.
    environment = {**os.environ, "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]]),
                   "PYTHONPATH": os.pathsep.join([str(FIXTURES), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, env=environment,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory in which nbgrader released the demonstration set and graded two submissions."""
    course = tmp_path_factory.mktemp("course")
    (course / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "jaxlite"\nc.ExecutePreprocessor.timeout = 120\n')
    (course / "source" / "demo").mkdir(parents=True)
    shutil.copy(SOURCE, course / "source" / "demo" / "demo.ipynb")
    nbgrader(course, "generate_assignment", "demo")
    source = nbformat.read(SOURCE, as_version=4)
    for student, version in SUBMISSIONS.items():
        folder = course / "submitted" / student / "demo"
        folder.mkdir(parents=True)
        nbformat.write(version(source, "demo.ipynb"), folder / "demo.ipynb")
    nbgrader(course, "autograde", "demo")
    nbgrader(course, "export")
    return course


def code_cells(notebook):
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def score(course, student):
    """(score, max score) from the grades nbgrader exported."""
    with open(course / "grades.csv", newline="") as grades:
        (row,) = [row for row in csv.DictReader(grades) if row["student_id"] == student]
    return float(row["score"]), float(row["max_score"])


@pytest.mark.parametrize("kind, cell_type", [("answer", "code"), ("check", "code"), ("readonly", "code"),
                                             ("readonly", "markdown"), ("written", "markdown")])
def test_our_cell_metadata_is_valid_in_nbgrader_schema_3(kind, cell_type):
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3
    cell = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}[cell_type](
        "x", metadata=exercises.nbgrader_metadata(kind, "some_id"))
    MetadataValidatorV3().validate_cell(cell)


def test_nbgrader_generate_assignment_gives_our_student_code_cells(course):
    released = nbformat.read(course / "release" / "demo" / "demo.ipynb", as_version=4)
    ours = exercises.student_version(nbformat.read(SOURCE, as_version=4), "demo.ipynb")
    assert code_cells(released) == code_cells(ours)


def test_nbgrader_generate_assignment_gives_our_markdown_cells(course):
    released = nbformat.read(course / "release" / "demo" / "demo.ipynb", as_version=4)
    ours = exercises.student_version(nbformat.read(SOURCE, as_version=4), "demo.ipynb")
    assert [c.source for c in released.cells if c.cell_type == "markdown"] == [
        c.source for c in ours.cells if c.cell_type == "markdown"]


def test_nbgrader_autograde_gives_our_solution_version_full_marks(course):
    assert score(course, "solver") == (7.0, 7.0)


def test_nbgrader_autograde_gives_our_student_version_no_marks(course):
    assert score(course, "beginner") == (0.0, 7.0)
