"""Lesson 02 in Notebook 7, as `make notebook` serves it: the side-by-side columns and the derivative widget drawn,
and the arrow keys on a focused slider moving the slider, not the notebook's active cell.

Notebook 7 runs its keyboard shortcuts as a key travels down the page, before the slider sees it; the lecture
widgets mark their slider handles so that the shortcuts leave them alone (widgets/static/page.js)."""
import re

import pytest

from .classwork_servers import start_on_classwork
from .conftest import ARTIFACTS, LabPage

LESSON = "02_grad.ipynb"


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory, chromium_path):
    server = start_on_classwork(tmp_path_factory.mktemp("notebook7"), app="notebook")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lesson(browser, notebook7):
    """The lesson open in Notebook 7 and run to the end, at a projector's 1366x768."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(30_000)
    page = LabPage(context.new_page(), notebook7)
    page.open(LESSON)
    page.run_all_cells(timeout=180_000)
    page.page.locator(f"{page.PANEL} .jaxlite-widget img").first.wait_for()
    yield page
    context.close()


def screenshot_cell(locator, name):
    ARTIFACTS.mkdir(exist_ok=True)
    cell = locator.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')][1]")
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=ARTIFACTS / f"{name}.png")


def active_cell(page, panel):
    return page.evaluate(
        "panel => [...document.querySelectorAll(`${panel} .jp-Notebook .jp-Cell`)]"
        ".findIndex(cell => cell.classList.contains('jp-mod-active'))",
        panel,
    )


@pytest.mark.timeout(300)
def test_notebook7_shows_a_lesson_with_its_columns_and_its_widget(lesson):
    page, panel = lesson.page, lesson.PANEL
    columns = page.locator(f"{panel} .jl-sbs").first
    headers = columns.locator(".jl-sbs-column > header").all_inner_texts()
    widgets = page.locator(f"{panel} .jaxlite-widget")
    picture = widgets.first.locator("img").first.evaluate("img => img.naturalWidth")
    counts, errors = lesson.execution_counts(), lesson.error_outputs()
    failed = page.locator(f"{panel} .jupyter-widgets-error-widget").count()
    screenshot_cell(columns, "notebook7_sidebyside")
    screenshot_cell(widgets.first, "notebook7_widget")
    lesson.screenshot("notebook7_lesson02")

    assert errors == [], "\n\n".join(errors)
    assert counts and None not in counts, f"cells that did not run: {counts}"
    assert [text.split()[0] for text in headers] == ["JAX", "jaxlite"]
    assert widgets.count() == 2 and picture > 0
    assert failed == 0


@pytest.mark.timeout(300)
def test_notebook7_arrow_keys_move_a_focused_slider_and_leave_the_active_cell(lesson):
    from playwright.sync_api import expect

    page, panel = lesson.page, lesson.PANEL
    widget = page.locator(f"{panel} .jaxlite-widget").first
    slider = widget.locator(".widget-slider", has=page.locator(".widget-label", has_text=re.compile(r"^x0$")))
    handle = slider.locator(".noUi-handle").first
    readout = widget.locator(".jaxlite-readout")
    handle.scroll_into_view_if_needed()
    handle.focus()
    cell = active_cell(page, panel)
    readout_before = readout.inner_text()
    values, cells = [handle.get_attribute("aria-valuetext")], []
    for key in ["ArrowRight", "ArrowUp", "ArrowLeft", "ArrowDown", "ArrowRight"]:
        page.keyboard.press(key)
        expect(handle).not_to_have_attribute("aria-valuetext", values[-1], timeout=5_000)
        values.append(handle.get_attribute("aria-valuetext"))
        cells.append(active_cell(page, panel))
    expect(readout).not_to_have_text(readout_before, timeout=15_000)
    focused = page.evaluate("() => document.activeElement.classList.contains('noUi-handle')")
    screenshot_cell(widget, "notebook7_slider_after_keys")

    steps = [round(float(b) - float(a), 6) for a, b in zip(values, values[1:])]
    step = steps[0]
    assert step > 0
    assert steps == [step, step, -step, -step, step]
    assert cells == [cell] * 5
    assert focused
