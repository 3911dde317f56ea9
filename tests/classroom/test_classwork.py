"""classwork/ is the class's copy of the course: made from notebooks/, brought up to date with it, and never
replacing a notebook that the student has changed."""
import json

import nbformat
import pytest

from classroom import classwork


def notebook(*sources, outputs=()):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    if outputs:
        nb.cells[0].outputs = [nbformat.v4.new_output("stream", text=text) for text in outputs]
        nb.cells[0].execution_count = 1
    return nb


def write(path, nb):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def sources(path):
    return [cell.source for cell in nbformat.read(path, as_version=4).cells]


@pytest.fixture
def course(tmp_path):
    """A small course: a lesson, a student exercise, its solution, its source, and a picture."""
    root = tmp_path / "notebooks"
    write(root / "01_lesson.ipynb", notebook("x = 1"))
    write(root / "exercises" / "01_lesson.ipynb", notebook("# YOUR CODE HERE"))
    write(root / "solutions" / "01_lesson.ipynb", notebook("answer = 42"))
    write(root / "source" / "01_lesson.ipynb", notebook("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION"))
    (root / "figure.svg").write_text("<svg/>")
    return root


@pytest.fixture
def copy(tmp_path):
    return tmp_path / "classwork"


def test_first_refresh_copies_lessons_exercises_solutions_and_other_files(course, copy):
    done = classwork.refresh(course, copy)
    assert sorted(done.copied) == ["01_lesson.ipynb", "exercises/01_lesson.ipynb", "figure.svg",
                                   "solutions/01_lesson.ipynb"]
    assert (copy / "01_lesson.ipynb").read_bytes() == (course / "01_lesson.ipynb").read_bytes()
    assert (copy / "figure.svg").read_text() == "<svg/>"


def test_exercise_sources_are_not_copied(course, copy):
    classwork.refresh(course, copy)
    assert not (copy / "source").exists()


def test_checkpoints_and_exercise_backups_are_not_copied(course, copy):
    write(course / ".ipynb_checkpoints" / "01_lesson-checkpoint.ipynb", notebook("old"))
    write(course / "exercises" / "01_lesson.ipynb.bak-20250101-120000", notebook("old"))
    classwork.refresh(course, copy)
    assert not (copy / ".ipynb_checkpoints").exists()
    assert sorted(p.name for p in (copy / "exercises").iterdir()) == ["01_lesson.ipynb"]


def test_a_second_refresh_with_nothing_new_changes_nothing(course, copy):
    classwork.refresh(course, copy)
    done = classwork.refresh(course, copy)
    assert (done.copied, done.updated, done.kept) == ([], [], [])


def test_a_notebook_the_student_edited_is_kept_when_the_course_has_not_changed(course, copy):
    classwork.refresh(course, copy)
    write(copy / "01_lesson.ipynb", notebook("x = 1", "my own cell"))
    done = classwork.refresh(course, copy)
    assert done.kept == []
    assert sources(copy / "01_lesson.ipynb") == ["x = 1", "my own cell"]


def test_a_notebook_the_student_edited_is_kept_when_the_course_has_a_new_version(course, copy):
    classwork.refresh(course, copy)
    write(copy / "exercises" / "01_lesson.ipynb", notebook("answer = 41"))
    write(course / "exercises" / "01_lesson.ipynb", notebook("# YOUR CODE HERE", "# part two"))
    done = classwork.refresh(course, copy)
    assert done.kept == ["exercises/01_lesson.ipynb"]
    assert sources(copy / "exercises" / "01_lesson.ipynb") == ["answer = 41"]


def test_a_kept_notebook_is_reported_again_on_the_next_refresh(course, copy):
    classwork.refresh(course, copy)
    write(copy / "01_lesson.ipynb", notebook("mine"))
    write(course / "01_lesson.ipynb", notebook("x = 2"))
    classwork.refresh(course, copy)
    assert classwork.refresh(course, copy).kept == ["01_lesson.ipynb"]


def test_an_unedited_notebook_is_updated_to_the_new_version_of_the_course(course, copy):
    classwork.refresh(course, copy)
    write(course / "01_lesson.ipynb", notebook("x = 2"))
    done = classwork.refresh(course, copy)
    assert done.updated == ["01_lesson.ipynb"]
    assert sources(copy / "01_lesson.ipynb") == ["x = 2"]


def test_running_and_saving_a_notebook_is_not_an_edit(course, copy):
    classwork.refresh(course, copy)
    write(copy / "01_lesson.ipynb", notebook("x = 1", outputs=["1\n"]))
    write(course / "01_lesson.ipynb", notebook("x = 2"))
    assert classwork.refresh(course, copy).updated == ["01_lesson.ipynb"]


def test_a_notebook_deleted_from_the_copy_comes_back_fresh(course, copy):
    classwork.refresh(course, copy)
    (copy / "01_lesson.ipynb").unlink()
    done = classwork.refresh(course, copy)
    assert done.copied == ["01_lesson.ipynb"]
    assert sources(copy / "01_lesson.ipynb") == ["x = 1"]


def test_a_copy_without_a_record_is_kept_unless_it_has_the_course_cells(course, copy):
    write(copy / "01_lesson.ipynb", notebook("x = 1", outputs=["1\n"]))
    write(copy / "solutions" / "01_lesson.ipynb", notebook("answer = 41"))
    done = classwork.refresh(course, copy)
    assert done.kept == ["solutions/01_lesson.ipynb"]
    assert sources(copy / "solutions" / "01_lesson.ipynb") == ["answer = 41"]
    assert nbformat.read(copy / "01_lesson.ipynb", as_version=4).cells[0].outputs  # the student's outputs stay


def test_a_notebook_that_no_longer_parses_is_kept(course, copy):
    classwork.refresh(course, copy)
    (copy / "01_lesson.ipynb").write_text('{"cells": [')
    write(course / "01_lesson.ipynb", notebook("x = 2"))
    assert classwork.refresh(course, copy).kept == ["01_lesson.ipynb"]
    assert (copy / "01_lesson.ipynb").read_text() == '{"cells": ['


def test_the_students_own_notebooks_are_left_alone(course, copy):
    classwork.refresh(course, copy)
    write(copy / "scratch.ipynb", notebook("my experiment"))
    classwork.refresh(course, copy)
    assert sources(copy / "scratch.ipynb") == ["my experiment"]


def test_the_record_holds_each_copied_file_checksum(course, copy):
    classwork.refresh(course, copy)
    record = json.loads((copy / classwork.MANIFEST).read_text())
    assert record["01_lesson.ipynb"] == classwork.file_checksum(course / "01_lesson.ipynb")
    assert set(record) == {"01_lesson.ipynb", "exercises/01_lesson.ipynb", "figure.svg", "solutions/01_lesson.ipynb"}


def test_the_report_says_what_was_copied_updated_and_kept():
    done = classwork.Refresh(copied=["a.ipynb", "b.ipynb"], updated=["c.ipynb"], kept=["d.ipynb"])
    assert done.lines() == [
        "classwork/: copied 2 file(s) of the course, yours to edit and save.",
        "classwork/c.ipynb: updated to the course's new version.",
        "classwork/d.ipynb: kept as you changed it; the course has a newer version. To have it, rename yours "
        "and start again.",
    ]


def test_the_real_course_copies_every_notebook_but_the_sources(copy):
    done = classwork.refresh(classwork.NOTEBOOKS, copy)
    expected = sorted(
        path.relative_to(classwork.NOTEBOOKS).as_posix() for path in classwork.NOTEBOOKS.rglob("*.ipynb")
        if path.relative_to(classwork.NOTEBOOKS).parts[0] != "source" and ".ipynb_checkpoints" not in path.parts
    )
    assert sorted(done.copied) == expected
    assert "00_welcome.ipynb" in done.copied and "exercises/02_grad.ipynb" in done.copied


def slide_types(path):
    return [cell.metadata.get("slideshow", {}).get("slide_type") for cell in nbformat.read(path, as_version=4).cells]


def test_a_copied_notebook_unmarks_the_cells_that_continue_a_slide(course, copy):
    nb = notebook("title", "more", "aside")
    for cell, slide_type in zip(nb.cells, ("slide", "-", "skip")):
        cell.metadata["slideshow"] = {"slide_type": slide_type}
    write(course / "02_slides.ipynb", nb)
    classwork.refresh(course, copy)
    assert slide_types(copy / "02_slides.ipynb") == ["slide", None, "skip"]
    assert "slideshow" not in nbformat.read(copy / "02_slides.ipynb", as_version=4).cells[1].metadata


def test_unmarking_keeps_a_cells_other_slideshow_metadata(tmp_path):
    nb = notebook("more")
    nb.cells[0].metadata["slideshow"] = {"slide_type": "-", "layer": "deck"}
    write(tmp_path / "a.ipynb", nb)
    assert classwork.unmark_continuing_cells(tmp_path / "a.ipynb") == 1
    assert nbformat.read(tmp_path / "a.ipynb", as_version=4).cells[0].metadata["slideshow"] == {"layer": "deck"}


def test_an_unmarked_copy_is_still_the_course_notebook_it_came_from(course, copy):
    nb = notebook("title", "more")
    nb.cells[1].metadata["slideshow"] = {"slide_type": "-"}
    write(course / "02_slides.ipynb", nb)
    classwork.refresh(course, copy)
    assert classwork.refresh(course, copy).kept == []
    assert classwork.file_checksum(copy / "02_slides.ipynb") == classwork.file_checksum(course / "02_slides.ipynb")


def test_every_continuing_cell_of_a_real_lesson_is_unmarked_in_the_copy(copy):
    classwork.refresh(classwork.NOTEBOOKS, copy)
    lesson = sorted(classwork.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))[0]
    course_types = slide_types(lesson)
    assert "-" in course_types
    assert slide_types(copy / lesson.name) == [None if t == "-" else t for t in course_types]


def test_a_course_notebook_that_does_not_parse_is_copied_as_it_is(course, copy):
    (course / "03_broken.ipynb").write_text("{not json")
    classwork.refresh(course, copy)
    assert (copy / "03_broken.ipynb").read_text() == "{not json"


def test_a_copy_made_with_marked_cells_is_unmarked_on_the_next_refresh(course, copy):
    nb = notebook("title", "more")
    nb.cells[1].metadata["slideshow"] = {"slide_type": "-"}
    write(course / "02_slides.ipynb", nb)
    classwork.refresh(course, copy)
    write(copy / "02_slides.ipynb", nb)  # as an earlier refresh copied it
    classwork.refresh(course, copy)
    assert slide_types(copy / "02_slides.ipynb") == [None, None]


def test_a_copy_the_student_edited_is_unmarked_and_keeps_the_students_cells(course, copy):
    nb = notebook("title", "more")
    nb.cells[1].metadata["slideshow"] = {"slide_type": "-"}
    write(course / "02_slides.ipynb", nb)
    classwork.refresh(course, copy)
    nb.cells[0].source = "my title"
    write(copy / "02_slides.ipynb", nb)
    classwork.refresh(course, copy)
    assert slide_types(copy / "02_slides.ipynb") == [None, None]
    assert sources(copy / "02_slides.ipynb") == ["my title", "more"]


def test_unmarking_leaves_other_files_alone(tmp_path):
    (tmp_path / "figure.svg").write_text("<svg/>")
    assert classwork.unmark_continuing_cells(tmp_path / "figure.svg") == 0
    assert (tmp_path / "figure.svg").read_text() == "<svg/>"
