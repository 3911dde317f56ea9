"""Student and solution notebooks come from their source as nbgrader makes them, and never overwrite a student's
work."""
import json
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course import exercises

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"


def nbgrader_meta(grade_id, *, grade=False, solution=False, locked=False, points=1):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def notebook_of(*cells):
    return new_notebook(cells=list(cells), metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                    "display_name": "Python 3"}})


def answer_cell(source, grade_id="answer"):
    return new_code_cell(source, metadata=nbgrader_meta(grade_id, solution=True))


def check_cell(source, grade_id="check"):
    return new_code_cell(source, metadata=nbgrader_meta(grade_id, grade=True, locked=True))


SOLVED = "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n    ### END SOLUTION"


@pytest.fixture
def root(tmp_path):
    """A copy of the demonstration exercise set's notebooks folder, generated once."""
    shutil.copytree(FIXTURES / "notebooks", tmp_path / "notebooks")
    exercises.generate(tmp_path / "notebooks")
    return tmp_path / "notebooks"


def student_cell(root, index):
    return nbformat.read(root / "exercises" / "demo.ipynb", as_version=4).cells[index]


def edit_student_notebook(root, text="# my work"):
    path = root / "exercises" / "demo.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[3].source = text
    nbformat.write(notebook, path)
    return path


def change_source(root):
    path = root / "source" / "demo.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source += "\n\nA new sentence."
    nbformat.write(notebook, path)


# ---- what the versions contain


def test_nbgrader_metadata_of_each_kind_of_cell():
    made = [exercises.nbgrader_metadata(kind, "id", points=2) for kind in ("answer", "check", "readonly", "written")]
    assert made == [nbgrader_meta("id", solution=True), nbgrader_meta("id", grade=True, locked=True, points=2),
                    nbgrader_meta("id", locked=True), nbgrader_meta("id", grade=True, solution=True, points=2)]


def test_student_version_replaces_a_solution_region_with_nbgrader_stub_at_its_indent():
    student = exercises.student_version(notebook_of(answer_cell(SOLVED)))
    assert student.cells[0].source == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"


def test_student_version_replaces_a_whole_solution_cell_without_markers():
    student = exercises.student_version(notebook_of(answer_cell("x = 1")))
    assert student.cells[0].source == "# YOUR CODE HERE\nraise NotImplementedError()"


def test_student_version_of_a_written_answer_is_nbgrader_text_stub():
    cell = new_markdown_cell("Because jacrev needs one pass.", metadata=nbgrader_meta("why", grade=True, solution=True))
    assert exercises.student_version(notebook_of(cell)).cells[0].source == "YOUR ANSWER HERE"


def test_student_version_removes_hidden_tests():
    cell = check_cell('check("1.1", f)\n### BEGIN HIDDEN TESTS\ncheck("1.1", f, seed=0)\n### END HIDDEN TESTS')
    assert exercises.student_version(notebook_of(cell)).cells[0].source == 'check("1.1", f)'


def test_solution_version_keeps_solutions_and_hidden_tests_without_markers():
    cell = check_cell('check("1.1", f)\n### BEGIN HIDDEN TESTS\ncheck("1.1", f, seed=0)\n### END HIDDEN TESTS')
    solution = exercises.solution_version(notebook_of(answer_cell(SOLVED), cell))
    assert [c.source for c in solution.cells] == ["def f(x):\n    y = x + 1\n    return y",
                                                  'check("1.1", f)\ncheck("1.1", f, seed=0)']


def test_generated_versions_have_no_outputs():
    cell = answer_cell(SOLVED)
    cell.outputs = [nbformat.v4.new_output("stream", text="hello")]
    cell.execution_count = 3
    for version in (exercises.student_version, exercises.solution_version):
        (generated,) = version(notebook_of(cell)).cells
        assert (generated.outputs, generated.execution_count) == ([], None)


def test_student_version_locks_cells_as_nbgrader_does():
    setup = new_code_cell("import jax", metadata=nbgrader_meta("setup", locked=True))
    cells = exercises.student_version(notebook_of(setup, answer_cell(SOLVED), check_cell("check()"))).cells
    assert [(c.metadata.get("deletable"), c.metadata.get("editable")) for c in cells] == [
        (False, False), (False, None), (False, False)]


def test_student_version_keeps_nbgrader_metadata():
    (cell,) = exercises.student_version(notebook_of(answer_cell(SOLVED))).cells
    assert cell.metadata["nbgrader"] == nbgrader_meta("answer", solution=True)["nbgrader"]


def test_a_solution_region_outside_a_solution_cell_is_refused():
    with pytest.raises(exercises.SourceError, match="cell 0: a solution region in a cell not marked"):
        exercises.student_version(notebook_of(new_code_cell(SOLVED)))


def test_a_region_without_its_end_is_refused():
    with pytest.raises(exercises.SourceError, match="without 'END SOLUTION'"):
        exercises.student_version(notebook_of(answer_cell("### BEGIN SOLUTION\nx = 1")))


def test_hidden_tests_outside_a_grade_cell_are_refused():
    cell = new_code_cell("### BEGIN HIDDEN TESTS\nx = 1\n### END HIDDEN TESTS")
    with pytest.raises(exercises.SourceError, match="hidden tests in a cell not marked as a grade cell"):
        exercises.validate(notebook_of(cell))


def test_a_grade_id_used_twice_is_refused():
    with pytest.raises(exercises.SourceError, match="grade_id 'answer' is used twice"):
        exercises.validate(notebook_of(answer_cell("x = 1"), answer_cell("y = 2")))


def test_metadata_of_another_schema_is_refused():
    cell = answer_cell("x = 1")
    cell.metadata["nbgrader"]["schema_version"] = 2
    with pytest.raises(exercises.SourceError, match="schema_version 3"):
        exercises.validate(notebook_of(cell))


def test_a_grade_cell_without_points_is_refused():
    cell = check_cell("check()")
    del cell.metadata["nbgrader"]["points"]
    with pytest.raises(exercises.SourceError, match="a grade cell needs points"):
        exercises.validate(notebook_of(cell))


def test_a_student_notebook_records_the_checksum_of_its_cells():
    student = exercises.student_version(notebook_of(answer_cell(SOLVED)))
    assert student.metadata["course"]["checksum"] == exercises.checksum(student)
    assert not exercises.edited(student)


def test_running_a_notebook_is_not_editing_it():
    student = exercises.student_version(notebook_of(answer_cell(SOLVED)))
    student.cells[0].outputs = [nbformat.v4.new_output("stream", text="ran")]
    student.cells[0].execution_count = 1
    assert not exercises.edited(student)


def test_changing_a_cell_is_editing_it():
    student = exercises.student_version(notebook_of(answer_cell(SOLVED)))
    student.cells[0].source = "def f(x):\n    return x + 1"
    assert exercises.edited(student)


# ---- generating files


def test_generate_writes_the_student_and_the_solution_notebook(tmp_path):
    shutil.copytree(FIXTURES / "notebooks", tmp_path / "notebooks")
    written, kept = exercises.generate(tmp_path / "notebooks")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "notebooks/exercises/demo.ipynb", "notebooks/solutions/demo.ipynb"]
    assert kept == []


def test_generating_again_from_the_same_source_writes_nothing(root):
    assert exercises.generate(root) == ([], [])


def test_a_student_notebook_nobody_edited_is_replaced_when_its_source_changes(root):
    change_source(root)
    written, kept = exercises.generate(root)
    assert root / "exercises" / "demo.ipynb" in written
    assert student_cell(root, 0).source.endswith("A new sentence.")


def test_an_edited_student_notebook_is_kept_when_its_source_changes(root):
    path = edit_student_notebook(root)
    change_source(root)
    written, kept = exercises.generate(root)
    assert kept == [path]
    assert student_cell(root, 3).source == "# my work"
    assert root / "solutions" / "demo.ipynb" in written


def test_an_edited_student_notebook_is_left_alone_when_its_source_did_not_change(root):
    edit_student_notebook(root)
    assert exercises.generate(root) == ([], [])
    assert student_cell(root, 3).source == "# my work"


def test_force_replaces_an_edited_student_notebook_and_keeps_a_backup(root):
    path = edit_student_notebook(root)
    change_source(root)
    written, kept = exercises.generate(root, force=True)
    assert path in written and kept == []
    (backup,) = path.parent.glob("demo.ipynb.bak-*")
    assert nbformat.read(backup, as_version=4).cells[3].source == "# my work"
    assert student_cell(root, 3).source == "def softplus(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"


def test_two_forced_replacements_keep_two_backups(root):
    path = edit_student_notebook(root, "# first")
    exercises.generate(root, force=True)
    edit_student_notebook(root, "# second")
    exercises.generate(root, force=True)
    backups = sorted(path.parent.glob("demo.ipynb.bak-*"))
    assert sorted(nbformat.read(b, as_version=4).cells[3].source for b in backups) == ["# first", "# second"]


def test_backups_of_student_notebooks_are_ignored_by_git():
    backup = "notebooks/exercises/01_numpy.ipynb.bak-20250101-120000"
    assert subprocess.run(["git", "check-ignore", "-q", backup], cwd=REPO).returncode == 0


def test_the_command_says_which_notebook_it_kept_and_how_to_force(root):
    edit_student_notebook(root)
    change_source(root)
    command = [sys.executable, "-m", "course.exercises", "--root", str(root)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 1
    assert "demo.ipynb: it has changes of its own since it was generated, so it was not replaced" in run.stderr
    assert "python -m course.exercises --force demo" in run.stderr
    assert "make exercises FORCE=1" in run.stderr


def test_the_command_names_the_cell_of_a_source_nbgrader_would_refuse(root):
    path = root / "source" / "demo.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[3].metadata["nbgrader"]["solution"] = False
    nbformat.write(notebook, path)
    run = subprocess.run([sys.executable, "-m", "course.exercises", "--root", str(root)],
                         capture_output=True, text=True, cwd=REPO)
    assert (run.returncode, run.stderr) == (
        2, "error: demo.ipynb, cell 3: a solution region in a cell not marked as a solution cell\n")


def test_the_command_says_when_everything_is_up_to_date(root):
    run = subprocess.run([sys.executable, "-m", "course.exercises", "--root", str(root)],
                         capture_output=True, text=True, cwd=REPO)
    assert (run.returncode, run.stdout) == (0, "The student and solution notebooks are up to date.\n")


def test_check_mode_names_stale_notebooks_and_writes_nothing(root):
    change_source(root)
    before = (root / "exercises" / "demo.ipynb").read_bytes()
    run = subprocess.run([sys.executable, "-m", "course.exercises", "--check", "--root", str(root)],
                         capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "exercises/demo.ipynb is not what its source gives: run `make exercises`.",
        "solutions/demo.ipynb is not what its source gives: run `make exercises`."]
    assert (root / "exercises" / "demo.ipynb").read_bytes() == before


def test_a_generated_notebook_without_a_source_is_stale(root):
    shutil.copy(root / "solutions" / "demo.ipynb", root / "solutions" / "old.ipynb")
    assert exercises.out_of_date(root) == ["solutions/old.ipynb"]


def test_generated_notebooks_are_valid_and_stored_as_nbformat_writes_them(root):
    for folder in ("exercises", "solutions"):
        text = (root / folder / "demo.ipynb").read_text()
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
        assert text == nbformat.writes(notebook) + "\n"
        assert json.loads(text)["metadata"]["course"]["version"] == folder


def test_the_repository_generated_notebooks_are_what_their_sources_give():
    stale = exercises.out_of_date(REPO / "notebooks")
    assert stale == [], f"{stale} are not what notebooks/source/ gives: run `make exercises` and commit the result"
