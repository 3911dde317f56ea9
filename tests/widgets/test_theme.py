"""widgets.theme: projector scale, light or dark (following the page by default), inks that reach WCAG AA, and the
page's reports (its theme, a cell's width, the pixel ratio) that make a widget redraw to fit."""
import ast
import pathlib

import matplotlib.colors
import numpy as np
import pytest

import widgets
from widgets import themes
from widgets.themes import DARK_INKS, LIGHT_INKS, LINE_STYLES, OKABE_ITO, PageReport, Theme, contrast_ratio
from widgets.views.figure import css_size, smallest_text_px

MODELS = pathlib.Path(widgets.__file__).resolve().parent / "models"


def hex_colour(colour):
    return matplotlib.colors.to_hex(colour).upper()


def test_projector_scale_gives_fonts_of_at_least_18_px():
    t = widgets.theme(scale=1.5)
    assert t.font_px >= 18
    assert ".jaxlite-widget.jaxlite-scale-150 {" in t.css()
    assert "--jp-widgets-font-size: 18px" in t.css() and "--jaxlite-font-size: 18px" in t.css()


def test_theme_applies_to_widgets_built_afterwards():
    widgets.theme(scale=1.5)
    w = widgets.plot_func_and_deriv("x**2")
    assert smallest_text_px(w.figure) >= 18
    assert "jaxlite-scale-150" in w._dom_classes
    assert "--jp-widgets-font-size: 18px" in w.style_sheet.value


def test_the_default_follows_the_page():
    t = widgets.theme()
    assert t.follows_page and not t.dark
    assert t.mode_class == "jaxlite-auto"


def test_dark_true_or_false_fixes_the_widgets_colours():
    assert widgets.theme(dark=True).mode_class == "jaxlite-dark"
    assert widgets.theme(dark=False).mode_class == "jaxlite-light"
    w = widgets.plot_func_and_deriv("x**2")
    assert "jaxlite-light" in w._dom_classes


def test_dark_theme_uses_a_dark_background_and_light_text():
    widgets.theme(dark=True)
    w = widgets.plot_func_and_deriv("x**2")
    assert hex_colour(w.figure.get_facecolor()) == "#111111"
    assert hex_colour(w.lines["f"].get_color()) == "#EEEEEE"


def test_inks_are_okabe_itos_hues_that_reach_aa_on_their_background():
    light, dark = Theme(), Theme(dark=True)
    assert [light.color(i) for i in range(8)] == list(LIGHT_INKS)
    assert [dark.color(i) for i in range(8)] == list(DARK_INKS)
    assert min(contrast_ratio(ink, light.background) for ink in LIGHT_INKS) >= 4.5
    assert min(contrast_ratio(ink, dark.background) for ink in DARK_INKS) >= 4.5
    assert contrast_ratio(light.muted, light.background) >= 4.5 and contrast_ratio(dark.muted, dark.background) >= 4.5


def test_the_yellow_and_the_sky_blue_are_darkened_on_white():
    light = Theme()
    assert contrast_ratio(OKABE_ITO[4], "#FFFFFF") < 1.5  # the yellow as printed
    assert contrast_ratio(light.color(4), "#FFFFFF") >= 4.5
    assert contrast_ratio(light.color(2), "#FFFFFF") >= 4.5


def test_fills_are_the_printed_colours():
    assert [Theme().fill(i) for i in range(1, 8)] == list(OKABE_ITO[1:])


def test_contrast_ratio_is_wcags():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_each_colour_has_its_own_line_style():
    t = Theme()
    pairs = {(t.color(i), str(t.line_style(i))) for i in range(8)}
    assert len(pairs) == 8 and len({str(s) for s in LINE_STYLES}) == 8


def test_curves_of_the_derivative_plot_differ_in_colour_and_line_style():
    w = widgets.plot_func_and_deriv("x**2", order=4)
    lines = [w.lines[name] for name in ["f", "f\u2032", "f\u2033", "f\u2034", "f\u207d\u2074\u207e"]]
    assert len({line.get_color() for line in lines}) == 5
    assert len({str(line.get_linestyle()) for line in lines}) >= 4  # custom dash patterns share a base name


def test_theme_rejects_an_unreasonable_scale_or_dark():
    with pytest.raises(ValueError, match="scale must be between"):
        widgets.theme(scale=10)
    with pytest.raises(ValueError, match="dark must be True, False or 'auto', got 'night'"):
        widgets.theme(dark="night")


def test_theme_displays_as_a_note():
    assert widgets.theme(scale=2)._repr_html_() == (
        '<div class="jaxlite-theme-note" style="font-size:24px;">widgets theme: scale 2, follows the page</div>'
    )


def test_palette_css_defines_light_and_dark_inks_for_the_widgets():
    css = themes.palette_css()
    light, dark = css.split("\n")
    assert light.startswith(".jaxlite-widget {") and f"--jl-c4: {LIGHT_INKS[4]};" in light
    assert dark.startswith('body[data-jp-theme-light="false"] .jaxlite-widget.jaxlite-auto')
    assert f"--jl-c4: {DARK_INKS[4]};" in dark


def test_a_page_report_sets_the_theme_of_widgets_built_after_it():
    themes.report_page(PageReport(dark=True, width_px=1200, pixel_ratio=2.0))
    t = themes.current_theme()
    assert (t.dark, t.width_px, t.pixel_ratio) == (True, 1200, 2.0)
    assert widgets.theme(dark=False).dark is False  # a chosen mode wins over the page


def test_a_widget_redraws_dark_when_its_page_turns_dark():
    w = widgets.plot_func_and_deriv("x**2")
    readout = w.readout.value
    w.page_probe.dark = True
    assert w.theme.dark and "jaxlite-auto" in w._dom_classes
    assert hex_colour(w.figure.get_facecolor()) == "#111111"
    assert w.readout.value == readout  # HTML takes its colours from the page's CSS


def test_a_widget_built_dark_keeps_its_colours_on_a_light_page():
    widgets.theme(dark=True)
    w = widgets.plot_func_and_deriv("x**2")
    w.page_probe.dark = False
    assert w.theme.dark and hex_colour(w.figure.get_facecolor()) == "#111111"


def test_a_wider_cell_gives_a_wider_figure_and_a_few_pixels_do_not_redraw():
    w = widgets.GradientDescent("logistic")
    png = w.image_widget.value
    w.page_probe.width = w.theme.width_px + 4
    assert w.image_widget.value == png
    w.page_probe.width = 1200
    assert css_size(w.figure)[0] == 1200 - 8
    assert w.image_widget.layout.width == "1192px"


def test_a_pixel_ratio_of_two_doubles_the_pixels_not_the_size():
    w = widgets.GradientDescent("logistic")
    width = css_size(w.figure)[0]
    w.page_probe.pixel_ratio = 2.0
    png_width = int.from_bytes(bytes(w.image_widget.value[16:20]), "big")
    assert png_width == 2 * width and css_size(w.figure)[0] == width
    assert w.image_widget.layout.width == f"{width}px"


def test_buttons_say_what_they_do():
    builder = widgets.JacobianBuilder()
    trainer = widgets.GradientDescent()
    for button in (builder.step_button, builder.reset_button, trainer.step_button, trainer.reset_button):
        assert button.description and button.tooltip


def test_sliders_have_descriptions_for_keyboard_and_screen_reader_users():
    w = widgets.plot_func_and_deriv("x**2")
    assert w.x0_slider.description == "x0" and w.order_slider.description == "order"


def test_play_buttons_have_no_repeat_toggle_that_would_do_nothing():
    assert not widgets.JacobianBuilder().play.show_repeat
    assert not widgets.GradientDescent().play.show_repeat


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.py")), ids=lambda p: p.name)
def test_model_modules_import_neither_ipywidgets_nor_matplotlib(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"ipywidgets", "matplotlib", "traitlets", "anywidget"}


def test_current_theme_is_the_last_one_set():
    t = widgets.theme(scale=1.25, dark=True)
    assert themes.current_theme() == t == Theme(1.25, True, follows_page=False)


def test_relative_luminance_of_white_and_black():
    assert themes.relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert themes.relative_luminance("#000000") == 0.0
    assert np.isclose(themes.relative_luminance("#808080"), 0.2158, atol=1e-4)
