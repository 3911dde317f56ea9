"""A lesson's offline reveal.js deck (`make slides`) in Chromium with the network off: reveal.js starts, the slides
move, the widget's saved plot and the formulas show, an anywidget part (the jaxpr view) runs its saved script, and
no request tries to leave the machine."""

import pathlib

import nbformat
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


@pytest.fixture(scope="module")
def jaxpr_decks(tmp_path_factory):
    """A one-slide notebook showing `show_jaxpr`, executed once and rendered twice: with the deck's anywidget
    front-end, and as a deck whose assets lack it."""
    if not (slides.VENDOR / "node_modules").is_dir():
        pytest.fail(f"{slides.VENDOR} is missing: `make vendor` (a step of `make test`) installs it", pytrace=False)
    out = tmp_path_factory.mktemp("jaxpr")
    source = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import jaxlite.numpy as jnp\nimport widgets\nwidgets.show_jaxpr(lambda x: jnp.sin(x) * 2.0, 1.0)",
        metadata={"slideshow": {"slide_type": "slide"}},
    )])  # fmt: skip
    nbformat.write(source, out / "jaxpr.ipynb")
    notebook = slides.execute(out / "jaxpr.ipynb", timeout=120)
    slides.copy_assets(slides.VENDOR, out)
    (out / "with.slides.html").write_text(slides.render(notebook, "with", slides.vendored_versions(slides.VENDOR)))
    (out / "without.slides.html").write_text(slides.render(notebook, "without", versions={}))
    return out / "with.slides.html", out / "without.slides.html"


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


def open_jaxpr_slide(page, deck):
    """The deck's widget slide, once the jaxpr view is drawn; the texts of its two jaxprs."""
    page.goto(deck.as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    listings = page.locator(".reveal .slides section.present:not(.stack) .jaxlite-jaxpr pre")
    listings.first.wait_for(state="visible", timeout=30_000)
    return listings.all_inner_texts()


@pytest.mark.timeout(120)
def test_jaxpr_widget_runs_its_anywidget_script_offline(jaxpr_decks, offline_page):
    page, attempted = offline_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    texts = open_jaxpr_slide(page, jaxpr_decks[0])
    slide = page.locator(".reveal .slides section.present:not(.stack)")
    variable = slide.locator(".jaxlite-jaxpr .jx-var").first
    variable.hover()
    lit = variable.evaluate("node => node.classList.contains('jx-hot')")
    screenshot(page, "slides_static_jaxpr")

    assert len(texts) == 2 and all(text.lstrip().startswith("{ lambda ; a:f32[]. let") for text in texts), texts
    assert lit  # the saved _esm script runs: it lights a variable up under the pointer
    assert page.locator(".jupyter-widgets-error-widget").count() == 0
    assert "javascript error" not in slide.inner_text()
    assert "Not connected to a kernel" not in slide.inner_text()
    assert attempted == []
    assert errors == []


@pytest.mark.timeout(120)
def test_widget_without_its_front_end_shows_its_saved_text(jaxpr_decks, offline_page):
    page, attempted = offline_page
    texts = open_jaxpr_slide(page, jaxpr_decks[1])

    assert len(texts) == 2 and all("lambda" in text and "sin a" in text for text in texts), texts
    assert page.locator(".jl-widget-text").count() >= 1
    assert page.locator(".jupyter-widgets-error-widget").count() == 0
    assert attempted == []


def test_deck_loads_only_the_front_ends_it_carries_at_the_version_asked_for():
    asked = [("@jupyter-widgets/controls", "2.0.0"), ("anywidget", "~0.11.*"), ("ipyleaflet", "^0.19.0")]
    state = {f"id{n}": {"model_module": module, "model_module_version": version, "state": {}}
             for n, (module, version) in enumerate(asked)}  # fmt: skip
    notebook = nbformat.v4.new_notebook(metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": state}}})  # fmt: skip
    assert slides.front_ends(notebook, {"anywidget": "0.11.0"}) == {"anywidget": "assets/anywidget/index"}
    assert slides.front_ends(notebook, {"anywidget": "0.12.0"}) == {}
    assert slides.front_ends(nbformat.v4.new_notebook(), {"anywidget": "0.11.0"}) == {}


@pytest.mark.parametrize(
    "requested, version, accepted",
    [("~0.11.*", "0.11.0", True), ("~0.11.*", "0.11.4", True), ("~0.11.*", "0.12.0", False),
     ("~0.11.*", "0.10.9", False), ("^1.2.0", "1.9.0", True), ("^1.2.0", "2.0.0", False),
     ("^1.2.0", "1.1.9", False), ("^0.9.3", "0.9.5", True), ("^0.9.3", "0.10.0", False),
     ("0.11.0", "0.11.0", True), ("0.11.0", "0.11.1", False)],
)  # fmt: skip
def test_accepts_reads_npm_version_ranges(requested, version, accepted):
    assert slides.accepts(requested, version) is accepted


def test_vendored_anywidget_front_end_is_the_version_the_python_anywidget_asks_for():
    anywidget = pytest.importorskip("anywidget")
    requested = anywidget.AnyWidget.class_traits()["_model_module_version"].default_value
    assert slides.accepts(requested, slides.vendored_versions(slides.VENDOR)["anywidget"]), requested


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

