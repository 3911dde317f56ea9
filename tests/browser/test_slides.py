"""Live slides: a lesson presented with jupyterlab-slideshow inside the JupyterLab that `make lab` starts, on the
class's copy of the course, at projector size (1366x768, the widgets at scale 1.5 as an instructor sets them):
the keyboard moves through the slides to the widget's, and the widget on the slide answers its slider."""

import re

import nbformat
import pytest

from .classwork_servers import start_on_classwork
from .conftest import ARTIFACTS, LabPage

LESSON = "02_grad.ipynb"
# What an instructor puts first in a lesson for the projector (README, "For instructors").
PROJECTOR_CELL = "import widgets\nwidgets.theme(scale=1.5)"
DECK = ".jp-NotebookPanel.jp-Deck"
ON_SCREEN = f"{DECK} .jp-Cell.jp-deck-mod-onscreen"
# The slides from the lesson's title to its first widget: the headings the keyboard passes on the way.
HEADINGS = ("02 · grad: derivatives are functions", "grad takes a function and returns one", "Seeing")
MIN_TEXT_PX = 18


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium_path):
    home = tmp_path_factory.mktemp("slides")
    server = start_on_classwork(home)
    try:
        lesson = home / "classwork" / LESSON
        notebook = nbformat.read(lesson, as_version=4)
        projector = nbformat.v4.new_code_cell(PROJECTOR_CELL, metadata={"slideshow": {"slide_type": "skip"}})
        notebook.cells.insert(0, projector)
        nbformat.write(notebook, lesson)
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


ACTIVE_INDEX = f"() => [...document.querySelectorAll('{DECK} .jp-Cell')].findIndex(c => c.matches('.jp-mod-active'))"


def on_screen_text(page):
    return "\n".join(page.locator(ON_SCREEN).all_inner_texts())


PARTS = {".widget-readout": "readout", ".jl-values": "values", "img": "figure"}


def widget_output(widget):
    """What the widget shows for its slider's value: the slider's readout, the printed values, the figure."""
    return {
        "readout": widget.locator(".widget-readout").first.inner_text(),
        "values": widget.locator(".jl-values").first.inner_text(),
        "figure": widget.locator("img").first.get_attribute("src"),
    }


@pytest.mark.timeout(120)
def test_the_keyboard_reaches_the_widget_slide_and_its_slider_redraws_the_widget(lab, page):
    from playwright.sync_api import expect

    notebook = LabPage(page, lab)
    notebook.open(LESSON)
    notebook.run_all_cells()
    title = page.locator(f"{notebook.PANEL} .jp-MarkdownCell").filter(has_text=HEADINGS[0]).first
    title.click()
    page.keyboard.press("Escape")  # command mode: the slideshow's keys work on a selected cell
    page.locator(f'{notebook.PANEL} [data-command="deck:toggle"]').click()
    expect(page.locator(ON_SCREEN).first).to_contain_text(HEADINGS[0])

    seen = [on_screen_text(page)]
    widget = page.locator(f"{ON_SCREEN} .jaxlite-widget").first
    for _ in range(8):
        if widget.count() and widget.is_visible():
            break
        active = page.evaluate(ACTIVE_INDEX)
        page.keyboard.press("ArrowRight")  # the next cell of the slide, or the next slide
        page.wait_for_function(f"active => ({ACTIVE_INDEX})() > active", arg=active)
        seen.append(on_screen_text(page))
    widget.wait_for(state="visible")
    slide = on_screen_text(page)
    text_sizes = page.locator(f"{ON_SCREEN} .jp-RenderedMarkdown p, {ON_SCREEN} .jaxlite-widget .widget-readout,"
                              f" {ON_SCREEN} .jaxlite-widget .widget-label").evaluate_all(
        "nodes => nodes.filter(n => n.offsetParent).map(n => parseFloat(getComputedStyle(n).fontSize))"
    )

    slider = widget.locator(".widget-slider").filter(has_text="x0").first
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    before = widget_output(widget)
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2)
    page.mouse.up()
    changed = "([node, attribute, before]) => (attribute ? node.getAttribute(attribute) : node.innerText) !== before"
    for part, attribute in ((".widget-readout", None), (".jl-values", None), ("img", "src")):
        node = widget.locator(part).first.element_handle()
        page.wait_for_function(changed, arg=[node, attribute, before[PARTS[part]]])
    after = widget_output(widget)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "slides_live_widget.png")

    positions = [next(i for i, text in enumerate(seen) if heading in text) for heading in HEADINGS]
    assert positions == sorted(positions), seen
    assert "Seeing" in slide and "plot_func_and_deriv" in slide
    assert text_sizes and min(text_sizes) >= MIN_TEXT_PX, text_sizes
    assert after["readout"] != before["readout"]
    assert after["figure"] != before["figure"]
    assert after["values"] != before["values"]
    shown_x = re.match(r"f\((-?[\d.]+)\)", after["values"])  # the values are printed at the slider's x0
    assert shown_x and float(shown_x[1]) == pytest.approx(float(after["readout"]), abs=0.005), after
