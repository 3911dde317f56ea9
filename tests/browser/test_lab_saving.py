"""A lesson run and saved in the class's copy of the course, then reopened after its kernel has gone (the next
class): its widgets come back from the state saved with it, or, where no state was saved, as a one-line note;
never as "Error displaying widget: model not found". The repository's notebook stays as it is stored."""
import re

import pytest

from classroom import saving

from .classwork_servers import shut_down_kernels, start_on_classwork, wait_for_saved_notebook
from .conftest import ARTIFACTS, REPO, LabPage

LESSON = "02_grad.ipynb"
WIDGETS_IN_LESSON = 2
NO_WIDGET_STATE = {"@jupyter-widgets/jupyterlab-manager/plugin": {"saveState": False}}


@pytest.fixture(scope="module")
def lab_saving_state(tmp_path_factory, chromium_path):
    server = start_on_classwork(tmp_path_factory.mktemp("lab-saving-state"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lab_without_state(tmp_path_factory, chromium_path):
    server = start_on_classwork(tmp_path_factory.mktemp("lab-without-state"), user_settings=NO_WIDGET_STATE)
    yield server
    server.stop()


def run_save_and_reopen(browser, server, name):
    """Open the lesson, run it, save it from the File menu, shut its kernel down and open it again.

    Returns the page on the reopened lesson, its browser context and the notebook as saved."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(30_000)
    lab = LabPage(context.new_page(), server)
    lab.open(LESSON)
    lab.run_all_cells(timeout=180_000)
    lab.page.locator(f"{lab.PANEL} .jaxlite-widget img").first.wait_for()
    path = server.root / LESSON
    before = path.read_bytes()
    lab.page.get_by_role("menuitem", name="File", exact=True).click()
    lab.page.locator('.lm-Menu-item[data-command="docmanager:save"]').click()
    saved = wait_for_saved_notebook(path, before)
    lab.screenshot(f"{name}_before_reopening")
    shut_down_kernels(server)
    lab.open(LESSON)
    return lab, context, saved


def widget_outputs(notebook):
    return [output for cell in notebook["cells"] for output in cell.get("outputs", [])
            if saving.WIDGET_VIEW in output.get("data", {})]


def placeholder_outputs(notebook):
    return [output for cell in notebook["cells"] for output in cell.get("outputs", [])
            if output.get("data", {}).get("text/plain") == saving.PLACEHOLDER]


# The colour of the widget's "not connected" line (its ::before) and of the first opaque background behind it.
NOTE_COLOURS = """widget => {
    const color = getComputedStyle(widget, "::before").color;
    for (let node = widget; node; node = node.parentElement) {
        const background = getComputedStyle(node).backgroundColor;
        if (!/rgba\\(.*, 0\\)$|transparent/.test(background)) return [color, background];
    }
    return [color, "rgb(255, 255, 255)"];
}"""


def contrast(foreground, background):
    """WCAG's contrast ratio of two CSS rgb() colours."""
    def luminance(css):
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    lighter, darker = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def switch_to_dark(page):
    page.get_by_role("menuitem", name="Settings", exact=True).click()
    page.locator(".lm-Menu-item[data-type='submenu']", has_text="Theme").first.click()
    page.get_by_role("menuitem", name="JupyterLab Dark", exact=True).click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")


def screenshot_first(locator, name):
    ARTIFACTS.mkdir(exist_ok=True)
    cell = locator.first.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')][1]")
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=ARTIFACTS / f"{name}.png")


@pytest.mark.timeout(420)
def test_a_saved_lesson_reopens_with_its_widgets_drawn_from_the_saved_state(browser, lab_saving_state):
    stored = (REPO / "notebooks" / LESSON).read_bytes()
    lab, context, saved = run_save_and_reopen(browser, lab_saving_state, "lab_saved_state")
    try:
        panel, page = lab.PANEL, lab.page
        widgets = page.locator(f"{panel} .jaxlite-widget")
        widgets.nth(WIDGETS_IN_LESSON - 1).locator("img").first.wait_for()
        pictures = [widgets.nth(i).locator("img").first.evaluate("img => img.naturalWidth")
                    for i in range(widgets.count())]
        missing = page.locator(panel).get_by_text("model not found").count()
        failed = page.locator(f"{panel} .jupyter-widgets-error-widget").count()
        note = widgets.first.evaluate("w => getComputedStyle(w, '::before').content")
        light = contrast(*widgets.first.evaluate(NOTE_COLOURS))
        screenshot_first(widgets, "lab_saved_state_reopened_widget")
        lab.screenshot("lab_saved_state_reopened")
        switch_to_dark(page)
        dark = contrast(*widgets.first.evaluate(NOTE_COLOURS))
        screenshot_first(widgets, "lab_saved_state_reopened_widget_dark")
    finally:
        context.close()

    views = widget_outputs(saved)
    assert len(views) == WIDGETS_IN_LESSON
    assert {view["data"][saving.WIDGET_VIEW]["model_id"] for view in views} <= saving.saved_models(saved)
    assert len(pictures) == WIDGETS_IN_LESSON and all(width > 0 for width in pictures), pictures
    assert missing == 0 and failed == 0
    assert "Not connected to a kernel: run this cell to use the widget again." in note
    assert light >= 4.5 and dark >= 4.5, (light, dark)
    assert (REPO / "notebooks" / LESSON).read_bytes() == stored


@pytest.mark.timeout(420)
def test_a_lesson_saved_without_widget_state_reopens_with_a_note_in_place_of_each_widget(browser, lab_without_state):
    stored = (REPO / "notebooks" / LESSON).read_bytes()
    lab, context, saved = run_save_and_reopen(browser, lab_without_state, "lab_without_state")
    try:
        panel, page = lab.PANEL, lab.page
        notes = page.locator(f"{panel} .jp-OutputArea-output", has_text=saving.PLACEHOLDER)
        notes.nth(WIDGETS_IN_LESSON - 1).wait_for()
        note_texts = notes.all_inner_texts()
        missing = page.locator(panel).get_by_text("model not found").count()
        widgets = page.locator(f"{panel} .jaxlite-widget").count()
        screenshot_first(notes, "lab_without_state_reopened_note")
        lab.screenshot("lab_without_state_reopened")
    finally:
        context.close()

    assert saving.saved_models(saved) == set()
    assert widget_outputs(saved) == []
    assert len(placeholder_outputs(saved)) == WIDGETS_IN_LESSON
    assert [text.strip() for text in note_texts] == [saving.PLACEHOLDER] * WIDGETS_IN_LESSON
    assert missing == 0 and widgets == 0
    assert (REPO / "notebooks" / LESSON).read_bytes() == stored
