"""The widgets gallery in JupyterLab in a real browser: every widget renders, none errs, the x0 slider answers
the keyboard with a new readout and a new picture, and pointing at a jaxpr variable, or reaching it with Tab,
highlights its uses in both libraries' listings."""
import pathlib
import re

import pytest

NOTEBOOK = "widgets_gallery.ipynb"
REPO = pathlib.Path(__file__).resolve().parents[2]
WIDGET_CELLS = 8  # derivatives, jaxpr, vmap, pytree, Jacobian, two gradient descents, benchmark panel


def rendered_widgets(page, panel):
    return page.locator(f"{panel} .jaxlite-widget")


@pytest.mark.timeout(180)
def test_gallery_renders_every_widget_and_responds_to_keyboard_and_pointer(lab_page):
    from playwright.sync_api import expect

    page, panel = lab_page.page, lab_page.PANEL
    on_disk = (REPO / "notebooks" / NOTEBOOK).read_bytes()
    lab_page.open(NOTEBOOK)
    try:
        lab_page.run_all_cells(timeout=150_000)
        widgets = rendered_widgets(page, panel)
        widgets.nth(WIDGET_CELLS - 1).wait_for(timeout=30_000)
        page.locator(f"{panel} .jaxlite-figure").first.wait_for()
        counts = lab_page.execution_counts()
        errors = lab_page.error_outputs()
        error_widgets = page.locator(f"{panel} .jupyter-widgets-error-widget").count()
        alerts = page.locator(f'{panel} .jaxlite-status [role="alert"]').all_inner_texts()
        jupyter_widgets = page.locator(f"{panel} .jupyter-widgets").count()
        widget_count = widgets.count()
    finally:
        lab_page.screenshot("widgets_gallery")

    assert not errors, "\n\n".join(errors)
    assert counts and None not in counts, f"cells that did not run: {counts}"
    assert error_widgets == 0
    assert alerts == []
    assert widget_count == WIDGET_CELLS
    assert jupyter_widgets >= WIDGET_CELLS

    derivatives = widgets.first
    readout = derivatives.locator(".jaxlite-readout")
    image = derivatives.locator("img").first
    readout_before, src_before = readout.inner_text(), image.get_attribute("src")
    slider = derivatives.locator(".widget-slider", has=page.locator(".widget-label", has_text=re.compile(r"^x0$")))
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    # Locators, not element handles: the readout's HTML is replaced on every update.
    expect(readout).not_to_have_text(readout_before, timeout=15_000)
    expect(image).not_to_have_attribute("src", src_before, timeout=15_000)
    lab_page.screenshot("widgets_gallery_after_slider")
    assert readout.inner_text() != readout_before
    assert image.get_attribute("src") != src_before

    assert_hover_highlights_uses(page, panel, lab_page, expect)
    assert_tab_reaches_variables_and_highlights_them(page, panel, lab_page, expect)
    assert (REPO / "notebooks" / NOTEBOOK).read_bytes() == on_disk, "running the notebook must not save it"


def assert_hover_highlights_uses(page, panel, lab_page, expect):
    """Pointing at a variable of the jaxpr lights up its uses, and only those."""
    jaxpr_panel = page.locator(f'{panel} .jx-panel[data-library="jaxlite"]').first
    jaxpr_panel.wait_for(timeout=30_000)
    assert page.locator(f"{panel} .jx-line.jx-differs").count() == 0, "grad's jaxpr is the same in both libraries"
    definition = jaxpr_panel.locator('.jx-var.jx-def[data-var="b"]')
    use = jaxpr_panel.locator('.jx-var.jx-use[data-var="b"]').first
    other = jaxpr_panel.locator('.jx-var[data-var="a"]').first
    background = "el => getComputedStyle(el).backgroundColor"
    plain = use.evaluate(background)
    definition.scroll_into_view_if_needed()
    definition.hover()
    expect(use).not_to_have_css("background-color", plain, timeout=5_000)
    lab_page.screenshot("widgets_gallery_jaxpr_hover")
    assert use.evaluate(background) != plain
    assert other.evaluate(background) == plain
    same_on_jax = page.locator(f'{panel} .jx-panel[data-library="jax"] .jx-var.jx-use[data-var="b"]').first
    assert same_on_jax.evaluate(background) != plain, "the other library's listing lights up too"


def assert_tab_reaches_variables_and_highlights_them(page, panel, lab_page, expect):
    """From the last transform button, Tab lands on the first variable: lit on both sides, with a focus ring."""
    page.mouse.move(0, 0)  # nothing hovered
    page.locator(f"{panel} .jaxlite-widget .widget-toggle-button", has_text="jit").first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {var: el.dataset.var, library: el.closest(".jx-panel")?.dataset.library,
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }"""
    )
    assert focused["var"] == "a" and focused["library"] == "jaxlite", focused
    assert focused["outline"] != "none" and focused["width"] >= 2, focused
    lit = page.locator(f'{panel} .jx-panel[data-library="jax"] .jx-var[data-var="a"].jx-hot')
    expect(lit.first).to_be_visible(timeout=5_000)
    lab_page.screenshot("widgets_gallery_jaxpr_keyboard")
