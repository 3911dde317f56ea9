"""Every widget as a lecture hall sees it: the gallery in JupyterLab on a 1366x768 screen, at scale 1 and 1.5, in
JupyterLab's light and dark themes (switched while the widgets are showing, as an instructor would).

For each: every widget renders and fits (at most 700 px tall), its texts are at least 12 px (18 px at scale 1.5)
in the page's computed styles and in its figures (Matplotlib's sizes, at the size the figure is shown), each
figure is drawn at the size it is shown, axe-core finds no contrast failure inside the widgets, and the
function written with jaxlite.numpy shows a jaxpr on both sides. Screenshots go to test-artifacts/.
"""
import json
import pathlib
import re

import pytest

from tests.browser.conftest import ARTIFACTS, LabPage

NOTEBOOK = "widgets_gallery.ipynb"
REPO = pathlib.Path(__file__).resolve().parents[2]
SCREEN = {"width": 1366, "height": 768}
WIDGETS = 8  # derivatives, jaxpr, vmap, pytree, Jacobian, two gradient descents, benchmark panel
MAX_HEIGHT_PX = 700
WIDGET = ".jp-NotebookPanel:not(.lm-mod-hidden) .jaxlite-widget"

# Sizes and texts of every widget, as the page shows them: height, each figure's pixels against its CSS width,
# and the smallest computed font size of any visible text (with where it is, for the message).
MEASURE = """widgetSelector => [...document.querySelectorAll(widgetSelector)].map(widget => {
    const figures = [...widget.querySelectorAll("img.jaxlite-figure")]
        .filter(img => img.offsetParent !== null)
        .map(img => ({natural: img.naturalWidth, css: img.getBoundingClientRect().width}));
    let smallest = Infinity, where = "";
    const texts = document.createTreeWalker(widget, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
        const node = texts.currentNode, element = node.parentElement;
        if (!node.textContent.trim() || element.offsetParent === null || element.closest("style")) continue;
        const size = parseFloat(getComputedStyle(element).fontSize);
        if (size < smallest) { smallest = size; where = node.textContent.trim().slice(0, 40); }
    }
    return {height: widget.getBoundingClientRect().height, figures, smallest, where,
            page: widget.dataset.jaxlitePage, ratio: window.devicePixelRatio};
})"""

# The brightness (r + g + b) of each shown figure's corner, by widget; -1 for an image not loaded yet.
CORNERS = """widgetSelector => [...document.querySelectorAll(widgetSelector)].map(widget =>
    [...widget.querySelectorAll("img.jaxlite-figure")].filter(img => img.offsetParent !== null).map(img => {
        if (!img.complete || img.naturalWidth === 0) return -1;
        const canvas = document.createElement("canvas");
        canvas.width = canvas.height = 1;
        const context = canvas.getContext("2d");
        context.drawImage(img, 0, 0, 1, 1, 0, 0, 1, 1);
        const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
        return r + g + b;
    }))"""
# Whether every figure shows the page's background in its corner: the kernel has redrawn it for the theme.
FIGURES_MATCH = f"""([widgetSelector, dark]) => ({CORNERS})(widgetSelector).flat()
    .every(sum => sum >= 0 && (dark ? sum < 150 : sum > 600))"""

# Run in the kernel after the gallery: each widget's smallest figure text, in CSS pixels at the size drawn.
KERNEL_CHECK = (
    "import json; from widgets._controls import LectureWidget; from widgets.views.figure import smallest_text_px; "
    "print('FIGURE-TEXT ' + json.dumps([smallest_text_px(w.figure) if w.figure is not None else None "
    "for w in Out.values() if isinstance(w, LectureWidget)]))"
)


@pytest.fixture
def screen(browser, jupyter_lab):
    context = browser.new_context(viewport=SCREEN)
    context.set_default_timeout(30_000)
    lab = LabPage(context.new_page(), jupyter_lab)
    try:
        yield lab
    finally:
        if lab.page.evaluate("() => document.body.dataset.jpThemeLight") == "false":
            switch_lab_theme(lab.page, "JupyterLab Light")  # the theme is a setting: later tests start light
        context.close()


def switch_lab_theme(page, name):
    page.get_by_role("menuitem", name="Settings", exact=True).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^Theme$")).first.hover()
    page.locator('.lm-Menu-item[data-command="apputils:change-theme"]', has_text=name).first.click()
    light = "true" if "Light" in name else "false"
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'", timeout=30_000)


def run_gallery(lab, scale):
    """Open the gallery, make its theme cell say `scale` (in the browser only: nothing is saved), run it all."""
    page = lab.page
    lab.open(NOTEBOOK)
    setup = page.locator(f"{lab.PANEL} .jp-CodeCell").first.locator(".cm-content")
    setup.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(f"import numpy as np\nimport widgets\nwidgets.theme(scale={scale})")
    lab.run_all_cells(timeout=240_000)
    page.locator(WIDGET).nth(WIDGETS - 1).wait_for(timeout=60_000)


# The kernel redraws every figure of the gallery for the new theme, one widget after another: on a loaded
# 2-core machine that has taken over a minute.
REDRAW_TIMEOUT_S = 180


def wait_for_figures(page, dark):
    try:
        page.wait_for_function(FIGURES_MATCH, arg=[WIDGET, dark], timeout=REDRAW_TIMEOUT_S * 1000, polling=250)
    except Exception:  # say which widgets kept their old colours, and what their status lines say
        corners = page.evaluate(CORNERS, WIDGET)
        stale = page.evaluate(
            """selector => [...document.querySelectorAll(selector)].map((w, i) => [i, w.dataset.jaxlitePage,
                w.querySelector('.jaxlite-status')?.innerText])""",
            WIDGET,
        )
        shown = [[*widget, brightness] for widget, brightness in zip(stale, corners)]
        pytest.fail(f"figures not redrawn {'dark' if dark else 'light'} within {REDRAW_TIMEOUT_S} s "
                    f"(widget, page, status, corner brightness of each figure): {shown}")


def figure_text_in_kernel(lab):
    """Run KERNEL_CHECK in a new cell at the end of the notebook (not saved) and read what it printed."""
    page = lab.page
    page.locator(f"{lab.PANEL} .jp-Cell").last.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.locator(f"{lab.PANEL} .jp-Cell").last.locator(".cm-content").click()
    page.keyboard.insert_text(KERNEL_CHECK)
    page.keyboard.press("Shift+Enter")
    output = page.locator(f"{lab.PANEL} .jp-OutputArea-output", has_text="FIGURE-TEXT").last
    output.wait_for(timeout=60_000)
    # The kernel may have run the gallery before (an earlier test): the last widgets are this run's.
    return json.loads(output.inner_text().split("FIGURE-TEXT", 1)[1])[-WIDGETS:]


def contrast_violations(page):
    """axe-core's colour-contrast failures inside the widgets (axe-core ships with the Python package)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [[".jaxlite-widget"]]},
                        options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})  # fmt: skip
    return [
        f"{node['target']}: {node['any'][0]['message'] if node['any'] else node['failureSummary']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def screenshots(lab, tag):
    """One screenshot per widget, scrolled to the top of the notebook's view, as the room sees it."""
    ARTIFACTS.mkdir(exist_ok=True)
    widgets = lab.page.locator(WIDGET)
    paths = []
    for i in range(widgets.count()):
        widgets.nth(i).evaluate("el => el.scrollIntoView({block: 'start'})")
        lab.page.wait_for_timeout(300)
        path = ARTIFACTS / f"projector-{tag}-{i}.png"
        lab.page.screenshot(path=path)
        paths.append(path)
    return paths


def check_everything(lab, scale, dark, kernel_text):
    """The checks of the module docstring, for the theme showing now."""
    page = lab.page
    tag = f"{scale:g}-{'dark' if dark else 'light'}"
    wait_for_figures(page, dark)
    measured = page.evaluate(MEASURE, WIDGET)
    violations = contrast_violations(page)
    screenshots(lab, tag)
    smallest_allowed = 12 * scale

    assert len(measured) == WIDGETS
    assert all(m["page"] == ("dark" if dark else "light") for m in measured)
    too_tall = [(i, round(m["height"])) for i, m in enumerate(measured) if m["height"] > MAX_HEIGHT_PX]
    assert not too_tall, f"{tag}: widgets taller than {MAX_HEIGHT_PX} px: {too_tall}"
    too_small = [(i, m["smallest"], m["where"]) for i, m in enumerate(measured) if m["smallest"] < smallest_allowed]
    assert not too_small, f"{tag}: texts under {smallest_allowed:g} px: {too_small}"
    for i, m in enumerate(measured):
        for figure in m["figures"]:  # drawn at the size shown: one PNG pixel per CSS pixel and device pixel
            assert abs(figure["natural"] - figure["css"] * m["ratio"]) <= 1, f"{tag}: widget {i} figure {figure}"
        if kernel_text[i] is not None:  # the figure's smallest text, as shown (drawn size times the shrink)
            shrink = min((f["css"] * m["ratio"] / f["natural"] for f in m["figures"]), default=1.0)
            assert kernel_text[i] * shrink >= smallest_allowed - 0.01, f"{tag}: widget {i} figure text"
    assert violations == [], f"{tag}: contrast failures:\n" + "\n".join(violations)


def assert_the_natural_function_shows_both_sides(page):
    panels = page.locator(f"{WIDGET} .jx-panel")
    texts = {panels.nth(i).get_attribute("data-library"): panels.nth(i).inner_text() for i in range(panels.count())}
    assert set(texts) == {"jaxlite", "jax"}
    assert all("tanh a" in text and "could not trace" not in text for text in texts.values()), texts


@pytest.mark.timeout(600)
@pytest.mark.parametrize("scale,first_theme", [(1.0, "JupyterLab Light"), (1.5, "JupyterLab Dark")])
def test_every_widget_fits_reads_and_contrasts_in_both_themes(screen, scale, first_theme):
    on_disk = (REPO / "notebooks" / NOTEBOOK).read_bytes()
    page = screen.page
    page.goto(f"{screen.server.url}/lab?token={screen.server.token}")
    page.locator(".jp-LabShell").wait_for()
    if first_theme != "JupyterLab Light":
        switch_lab_theme(page, first_theme)
    run_gallery(screen, scale)
    errors = screen.error_outputs()
    alerts = page.locator(f'{WIDGET} .jaxlite-status [role="alert"]').all_inner_texts()
    assert not errors, "\n\n".join(errors)
    assert alerts == []
    assert page.locator(".jupyter-widgets-error-widget").count() == 0
    assert_the_natural_function_shows_both_sides(page)
    kernel_text = figure_text_in_kernel(screen)

    dark = first_theme == "JupyterLab Dark"
    check_everything(screen, scale, dark, kernel_text)
    switch_lab_theme(page, "JupyterLab Light" if dark else "JupyterLab Dark")
    check_everything(screen, scale, not dark, kernel_text)
    assert (REPO / "notebooks" / NOTEBOOK).read_bytes() == on_disk, "running the notebook must not save it"
