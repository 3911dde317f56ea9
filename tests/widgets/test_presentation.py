"""What a lecture hall sees in every widget, light and dark, at scale 1 and 1.5, measured without a browser:
figure texts at least 12 px times the scale and at WCAG AA (4.5:1) against the pixels behind them, data lines at
3:1 against their axes, figures no taller than the widget's share of the screen and drawn at the size they are
shown, and no colour written into the widgets' HTML (the page's CSS gives every colour)."""
import re

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D

import jaxlite.numpy as jnp
import widgets
from widgets import themes
from widgets._controls import LectureWidget
from widgets.benchmark_panel import RESULTS_DIR, benchmark_panel
from widgets.themes import contrast_ratio
from widgets.views.figure import css_size, drawn_texts, smallest_text_px

PARAMS = {"dense": [{"W": np.ones((3, 2), np.float32), "b": np.zeros(2, np.float32)}], "scale": 1.0, "frozen": None}


def tanh_sum(x):
    return jnp.sum(jnp.tanh(x) * x)


def gallery():
    """The widgets of the gallery, as it builds them, after a student's first moves."""
    derivatives = widgets.plot_func_and_deriv("exp(-x**2) * cos(3*x)", order=4)
    jacobian = widgets.JacobianBuilder()
    jacobian.step()
    training = widgets.GradientDescent("logistic")
    training.step(20)
    return [
        derivatives,
        widgets.show_jaxpr(tanh_sum, np.linspace(-1, 1, 3, dtype=np.float32), transform="grad"),
        widgets.VmapExplorer(lambda x, y: x @ y, np.ones((4, 3), np.float32), np.ones((3, 2), np.float32),
                             in_axes=(0, None)),
        widgets.show_pytree(PARAMS),
        jacobian,
        training,
        widgets.GradientDescent("mlp"),
        benchmark_panel(RESULTS_DIR / "gpu-h200.json"),
    ]  # fmt: skip


LOOKS = [(1.0, False), (1.0, True), (1.5, False), (1.5, True)]


@pytest.fixture(scope="module", params=LOOKS, ids=lambda look: f"scale{look[0]:g}-{'dark' if look[1] else 'light'}")
def shown(request):
    settings, page = themes.theme_settings(), themes.page_report()
    scale, dark = request.param
    themes.theme(scale=scale)
    themes.report_page(themes.PageReport(dark=dark, width_px=934))  # JupyterLab at 1366 px, file browser open
    try:
        yield scale, dark, gallery()
    finally:
        themes.theme(*settings)
        themes.report_page(page)


def pixels(figure):
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba())[..., :3]


def background_behind(rgb, bbox, ink):
    """The commonest colour in bbox that is not the text's own (antialiased edges are mixtures of the two)."""
    height = rgb.shape[0]
    x0, x1 = max(int(bbox.x0), 0), min(int(np.ceil(bbox.x1)), rgb.shape[1])
    y0, y1 = max(int(height - bbox.y1), 0), min(int(np.ceil(height - bbox.y0)), height)
    patch = rgb[y0:y1, x0:x1].reshape(-1, 3).astype(int)
    ink = np.array([int(ink[i : i + 2], 16) for i in (1, 3, 5)])
    others = patch[np.abs(patch - ink).sum(axis=1) > 90]
    if others.size == 0:
        return None
    colours, counts = np.unique(others, axis=0, return_counts=True)
    return "#" + "".join(f"{c:02X}" for c in colours[np.argmax(counts)])


def test_every_widget_of_the_gallery_is_a_lecture_widget(shown):
    _, _, built = shown
    assert len(built) == 8 and all(isinstance(w, LectureWidget) for w in built)
    assert all(w.status_text == "" for w in built), [w.status_text for w in built]


def test_figure_texts_are_at_least_12_px_times_the_scale(shown):
    scale, _, built = shown
    sizes = {type(w).__name__: smallest_text_px(w.figure) for w in built if w.figure is not None}
    assert min(sizes.values()) >= 12 * scale - 1e-9, sizes


def test_figure_texts_reach_aa_against_the_pixels_behind_them(shown):
    _, _, built = shown
    failures = []
    for w in built:
        if w.figure is None:
            continue
        rgb = pixels(w.figure)
        renderer = w.figure.canvas.get_renderer()
        for text in drawn_texts(w.figure):
            ink = to_hex(text.get_color()).upper()
            behind = background_behind(rgb, text.get_window_extent(renderer), ink)
            if behind is not None and contrast_ratio(ink, behind) < 4.5:
                failures.append((type(w).__name__, text.get_text(), ink, behind))
    assert failures == []


def test_data_lines_reach_3_to_1_against_their_axes(shown):
    _, _, built = shown
    failures = []
    for w in built:
        if w.figure is None:
            continue
        for axes in w.figure.axes:
            background = to_hex(axes.get_facecolor()).upper()
            for line in axes.get_lines():
                if isinstance(line, Line2D) and not line.get_label().startswith("_") and line.get_visible():
                    colour = to_hex(line.get_color()).upper()
                    if contrast_ratio(colour, background) < 3.0:
                        failures.append((type(w).__name__, line.get_label(), colour, background))
    assert failures == []


def test_figures_fit_the_widgets_height_and_are_drawn_at_the_size_shown(shown):
    _, _, built = shown
    for w in built:
        if w.figure is None:
            continue
        width, height = css_size(w.figure)
        image = w.image_widget
        assert height <= w.theme.height_px, type(w).__name__
        assert width <= w.theme.width_px and image.layout.width == f"{width}px", type(w).__name__
        assert int.from_bytes(bytes(image.value[16:20]), "big") == round(width * w.theme.pixel_ratio)


def html_values(widget):
    """Every HTML the widget shows (its hidden style sheet aside), descendants included."""
    found = []
    for child in getattr(widget, "children", ()):
        if child is not getattr(widget, "style_sheet", None):
            found += html_values(child)
    value = getattr(widget, "value", None) if type(widget).__name__ == "HTML" else getattr(widget, "html", None)
    return found + ([value] if isinstance(value, str) else [])


def test_no_colour_is_written_into_the_widgets_html(shown):
    _, _, built = shown
    coloured = re.compile(r"color\s*:\s*#|background\s*:\s*#")
    found = [(type(w).__name__, text[:80]) for w in built for text in html_values(w) if coloured.search(text)]
    assert found == []


def test_the_derivatives_readout_uses_each_curves_ink_class(shown):
    _, _, built = shown
    readout = built[0].readout.value
    assert [f"jl-ink-{k}" in readout for k in range(5)] == [True] * 5
    assert "f\u207d\u2074\u207e(" in readout and "f^(4)" not in readout
