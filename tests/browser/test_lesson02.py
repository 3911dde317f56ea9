"""Lesson 02 (grad) in JupyterLab: its side-by-side columns, the derivative widget drawn, and the student version of
its exercises saying "not yet"."""

import pathlib

import pytest

LESSON = "02_grad.ipynb"
STUDENT = "exercises/02_grad.ipynb"
REPO = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


def cell_of(output):
    return output.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')][1]")


def screenshot_cell(output, name):
    ARTIFACTS.mkdir(exist_ok=True)
    cell = cell_of(output)
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=ARTIFACTS / f"{name}.png")


def side_by_side_with(page, panel, text):
    return page.locator(f"{panel} .jl-sbs", has_text=text).first


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_lesson02_shows_columns_and_widget_and_its_exercises_say_not_yet(lab_page):
    page, panel = lab_page.page, lab_page.PANEL
    on_disk = {path: (REPO / "notebooks" / path).read_bytes() for path in (LESSON, STUDENT)}

    lab_page.open(LESSON)
    lab_page.run_all_cells()
    outputs = page.locator(f"{panel} .jl-sbs")
    outputs.first.wait_for()
    widgets = page.locator(f"{panel} .jaxlite-widget")
    widgets.first.locator("img").first.wait_for()
    lesson_counts = lab_page.execution_counts()
    lesson_errors = lab_page.error_outputs()
    headers = outputs.first.locator(".jl-sbs-column > header").all_inner_texts()
    non_scalar = side_by_side_with(page, panel, "Gradient only defined for scalar-output functions")
    non_scalar_columns = non_scalar.locator(".jl-sbs-column").all_inner_texts()
    widget_count = widgets.count()
    pictures = [widgets.nth(i).locator("img").first.evaluate("img => img.naturalWidth") for i in range(widget_count)]
    failed_widgets = page.locator(f"{panel} .jupyter-widgets-error-widget").count()
    failed_text = page.locator(panel).get_by_text("Error displaying widget").count()
    alerts = page.locator(f'{panel} .jaxlite-status [role="alert"]').all_inner_texts()
    screenshot_cell(outputs.first, "lesson02_sidebyside")
    screenshot_cell(non_scalar, "lesson02_non_scalar_error")
    screenshot_cell(widgets.first, "lesson02_widget")
    screenshot_cell(widgets.nth(widget_count - 1), "lesson02_widget_order3")
    lab_page.screenshot("lesson02_lesson")

    lab_page.open(STUDENT)
    lab_page.run_all_cells()
    checks = page.locator(f"{panel} .course-check[data-check]")
    checks.first.wait_for()
    statuses = [checks.nth(i).get_attribute("data-status") for i in range(checks.count())]
    first_verdict = checks.first.inner_text()
    student_counts = lab_page.execution_counts()
    student_errors = lab_page.error_outputs()
    screenshot_cell(checks.first, "lesson02_student_check")
    lab_page.screenshot("lesson02_student")

    assert lesson_errors == [], "\n\n".join(lesson_errors)
    assert lesson_counts and None not in lesson_counts, f"lesson cells that did not run: {lesson_counts}"
    assert [text.split()[0] for text in headers] == ["JAX", "jaxlite"]
    assert len(non_scalar_columns) == 2
    assert all("TypeError" in column for column in non_scalar_columns)
    assert "Hint:" not in non_scalar_columns[0] and "Hint:" in non_scalar_columns[1]
    assert widget_count == 2
    assert all(width > 0 for width in pictures), pictures
    assert failed_widgets == 0 and failed_text == 0
    assert alerts == []

    assert student_errors == [], "\n\n".join(student_errors)
    assert student_counts and None not in student_counts, f"student cells that did not run: {student_counts}"
    assert len(statuses) == 5
    assert set(statuses) <= {"not yet", "not started"}, statuses
    assert "02.1 not yet" in first_verdict
    assert {path: (REPO / "notebooks" / path).read_bytes() for path in on_disk} == on_disk, "running must not save"
