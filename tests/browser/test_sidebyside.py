"""The side-by-side cells of the welcome notebook in JupyterLab: two labelled columns, marked lines, readable in
the light and the dark theme."""

import pathlib

import pytest

NOTEBOOK = "00_welcome.ipynb"
REPO = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"

# The contrast of a text against what lies under it (translucent backgrounds composed over their ancestors'),
# as WCAG defines it.
CONTRAST = """element => {
    const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number).concat([1]).slice(0, 4);
    const stack = [];
    for (let node = element; node; node = node.parentElement) {
        const background = rgba(getComputedStyle(node).backgroundColor);
        if (background[3] > 0) stack.push(background);
        if (background[3] === 1) break;
    }
    let [r, g, b] = [255, 255, 255];
    for (const [br, bg, bb, a] of stack.reverse()) {
        [r, g, b] = [r * (1 - a) + br * a, g * (1 - a) + bg * a, b * (1 - a) + bb * a];
    }
    const [fr, fg, fb, fa] = rgba(getComputedStyle(element).color);
    const text = [fr * fa + r * (1 - fa), fg * fa + g * (1 - fa), fb * fa + b * (1 - fa)];
    const luminance = ([x, y, z]) => [x, y, z].map(v => v / 255)
        .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const [light, dark] = [luminance(text), luminance([r, g, b])].sort((p, q) => q - p);
    return (light + 0.05) / (dark + 0.05);
}"""


def switch_theme(page, name):
    page.get_by_role("menuitem", name="Settings", exact=True).click()
    page.locator(".lm-Menu-item", has_text="Theme").first.hover()
    page.locator(".lm-Menu-item", has_text=name).first.click()
    page.wait_for_function(
        "name => document.body.dataset.jpThemeName === name", arg=name, timeout=30_000, polling=200
    )


def screenshot_each(outputs, theme):
    """One picture per side-by-side output, with the code cell it belongs to."""
    ARTIFACTS.mkdir(exist_ok=True)
    for i in range(outputs.count()):
        cell = outputs.nth(i).locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')][1]")
        cell.scroll_into_view_if_needed()
        cell.screenshot(path=ARTIFACTS / f"sidebyside_{theme}_{i}.png")


def contrasts(outputs):
    texts = outputs.locator(".jl-sbs-row, .jl-sbs-footer, .jl-sbs-column > header")
    return [texts.nth(i).evaluate(CONTRAST) for i in range(texts.count())]


@pytest.mark.timeout(180)
def test_welcome_shows_two_labelled_columns_readable_in_light_and_dark(lab_page):
    page, panel = lab_page.page, lab_page.PANEL
    lab_page.open(NOTEBOOK)
    lab_page.run_all_cells()
    outputs = page.locator(f"{panel} .jl-sbs")
    outputs.first.wait_for()
    first = outputs.first
    screenshot_each(outputs, "light")
    light = contrasts(outputs)
    lab_page.screenshot("welcome_sidebyside_light")

    headers = first.locator(".jl-sbs-column > header")
    labels = [text.split()[0] for text in headers.all_inner_texts()]
    differing = first.locator(".jl-sbs-differs")
    differing_text = differing.all_inner_texts()
    footers = outputs.locator(".jl-sbs-footer").all_inner_texts()
    errors = lab_page.error_outputs()

    switch_theme(page, "JupyterLab Dark")
    try:
        screenshot_each(outputs, "dark")
        dark = contrasts(outputs)
        lab_page.screenshot("welcome_sidebyside_dark")
    finally:
        switch_theme(page, "JupyterLab Light")  # the Lab server, and its settings, serve the other tests too

    assert not errors, "\n\n".join(errors)
    assert labels == ["JAX", "jaxlite"]
    assert [text.strip() for text in differing_text] == ["≠jax is jax", "≠jax is jaxlite"]
    assert any("same output" in footer for footer in footers)
    assert light and min(light) >= 4.5, light
    assert dark and min(dark) >= 4.5, dark
