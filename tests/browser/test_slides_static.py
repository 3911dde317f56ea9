"""A lesson's offline reveal.js deck (`make slides`) in Chromium with the network off: reveal.js starts, the slides
move, the widget's saved plot and the formulas show, and no request tries to leave the machine."""

import pathlib

import pytest

from classroom import slides

REPO = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
# The shortest lesson with a widget (02 draws f and f' with the derivatives widget).
LESSON = REPO / "notebooks" / "02_grad.ipynb"


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    if not (slides.VENDOR / "node_modules").is_dir():
        pytest.fail(f"{slides.VENDOR} is missing: `make vendor` (a step of `make test`) installs it", pytrace=False)
    out = tmp_path_factory.mktemp("slides")
    (name,) = slides.build([LESSON], out=out, report=lambda line: None)
    return out / name


@pytest.fixture
def offline_page(browser):
    """A page with the network off that aborts, and records, every request for anything but a file."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_offline(True)
    attempted = []

    def refuse(route):
        attempted.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file://"), refuse)
    page = context.new_page()
    try:
        yield page, attempted
    finally:
        context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def test_deck_references_no_other_machine(deck):
    html = deck.read_text()
    assert 'src="http' not in html and 'href="http' not in html
    assert "unpkg.com" not in html and "cdnjs" not in html and "cdn.jsdelivr" not in html


@pytest.mark.timeout(120)
def test_deck_opens_offline_moves_and_shows_the_saved_widget(deck, offline_page):
    from playwright.sync_api import expect

    page, attempted = offline_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(deck.as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    first = page.evaluate("() => Reveal.getIndices().h")
    screenshot(page, "slides_static_title")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => Reveal.getIndices().h === 1", timeout=10_000)

    # The widget's slide: "Seeing f and f' together", drawn from the state saved when the lesson ran.
    page.evaluate("() => Reveal.slide(2, 0)")
    slide = page.locator(".reveal .slides section.present:not(.stack)")
    expect(slide).to_contain_text("together")
    image = slide.locator(".jupyter-widgets img").first
    image.wait_for(state="visible", timeout=30_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    box = image.bounding_box()
    formula = slide.locator("mjx-container").first
    formula.wait_for(state="visible", timeout=30_000)
    on_slide_px = "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize) * Reveal.getScale())"
    text_sizes = slide.locator(".jp-RenderedMarkdown p").evaluate_all(on_slide_px)
    widget = slide.locator(".jaxlite-widget").first
    widget_text_sizes = widget.locator(
        ".widget-label, .widget-readout, .widget-html-content, input, button"
    ).evaluate_all(on_slide_px)
    widget_box = widget.bounding_box()
    screenshot(page, "slides_static_widget")

    assert first == 0
    assert attempted == []
    assert errors == []
    assert box["width"] > 300 and box["height"] > 150, box
    assert box["y"] + box["height"] <= 768 + 1, box
    assert text_sizes and min(text_sizes) >= 18, text_sizes
    assert len(widget_text_sizes) >= 4 and min(widget_text_sizes) >= 18, widget_text_sizes
    assert widget_box["x"] >= 0 and widget_box["x"] + widget_box["width"] <= 1366 + 1, widget_box


def test_widgets_on_a_slide_take_the_projector_scale_of_the_widgets_theme():
    css = slides.widget_css(1.5)
    assert css.startswith(".reveal .slides .jaxlite-widget, .reveal .slides .jupyter-widgets {")
    assert "--jaxlite-font-size: 18px;" in css and "--jp-widgets-font-size: 18px;" in css


def test_lessons_are_every_numbered_notebook(tmp_path):
    for name in ("00_welcome.ipynb", "07_jit.ipynb", "03_jvp_vjp.ipynb", "performance.ipynb", "notes.txt"):
        (tmp_path / name).write_text("{}")
    assert [path.name for path in slides.lessons(tmp_path)] == ["00_welcome.ipynb", "03_jvp_vjp.ipynb", "07_jit.ipynb"]


def test_index_lists_each_deck_with_its_lesson_title(tmp_path):
    page = slides.index_page([("02_grad.slides.html", "02 · grad: derivatives are functions")])
    assert '<a href="02_grad.slides.html">02 · grad: derivatives are functions</a>' in page
    assert "http" not in page


def test_copy_assets_without_vendor_says_how_to_install(tmp_path):
    with pytest.raises(SystemExit, match="make slides"):
        slides.copy_assets(tmp_path / "vendor", tmp_path / "out")


def test_title_is_the_first_heading_or_the_name():
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("intro\n# 04 · vmap\ntext")])
    assert slides.title(notebook, "04_vmap") == "04 · vmap"
    assert slides.title(nbformat.v4.new_notebook(), "04_vmap") == "04_vmap"

