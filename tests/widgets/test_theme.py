"""widgets.theme: projector scale, light and dark, Okabe-Ito colours each paired with its own line style."""
import ast
import pathlib

import matplotlib.colors
import pytest

import widgets
from widgets import themes
from widgets.themes import LINE_STYLES, OKABE_ITO, Theme

MODELS = pathlib.Path(widgets.__file__).resolve().parent / "models"


def test_projector_scale_gives_fonts_of_at_least_18_px():
    t = widgets.theme(scale=1.5)
    assert t.font_px >= 18
    assert "--jp-widgets-font-size: 18px" in t.css()


def test_theme_applies_to_widgets_built_afterwards():
    widgets.theme(scale=1.5)
    w = widgets.plot_func_and_deriv("x**2")
    dpi = w.figure.dpi
    sizes_px = [text.get_fontsize() * dpi / 72 for text in w.figure.axes[0].get_xticklabels()]
    assert sizes_px and min(sizes_px) >= 18 - 1e-6
    assert "font-size:18px" in w.readout.value
    assert w.figure.get_size_inches()[0] == pytest.approx(6.4 * 1.5)


def test_dark_theme_uses_a_dark_background_and_light_text():
    widgets.theme(dark=True)
    w = widgets.plot_func_and_deriv("x**2")
    assert matplotlib.colors.to_hex(w.figure.get_facecolor()) == "#1e1e1e"
    assert matplotlib.colors.to_hex(w.lines["f"].get_color()) == "#eeeeee"


def test_palette_is_okabe_ito_and_each_colour_has_its_own_line_style():
    t = Theme()
    assert [t.color(i) for i in range(8)] == list(OKABE_ITO)
    pairs = {(t.color(i), str(t.line_style(i))) for i in range(8)}
    assert len(pairs) == 8 and len({str(s) for s in LINE_STYLES}) == 8


def test_curves_of_the_derivative_plot_differ_in_colour_and_line_style():
    w = widgets.plot_func_and_deriv("x**2", order=4)
    lines = [w.lines[name] for name in ["f", "f\u2032", "f\u2033", "f\u2034", "f\u207d\u2074\u207e"]]
    assert len({line.get_color() for line in lines}) == 5
    assert len({str(line.get_linestyle()) + str(line.get_dashes() if hasattr(line, "get_dashes") else "")
                for line in lines}) >= 4


def test_theme_rejects_an_unreasonable_scale():
    with pytest.raises(ValueError, match="scale must be between"):
        widgets.theme(scale=10)


def test_theme_displays_as_a_style_tag():
    assert widgets.theme(scale=2)._repr_html_().startswith("<style>:root {")


def test_buttons_say_what_they_do():
    builder = widgets.JacobianBuilder()
    trainer = widgets.GradientDescent()
    for button in (builder.step_button, builder.reset_button, trainer.step_button, trainer.reset_button):
        assert button.description and button.tooltip


def test_sliders_have_descriptions_for_keyboard_and_screen_reader_users():
    w = widgets.plot_func_and_deriv("x**2")
    assert w.x0_slider.description == "x0" and w.order_slider.description == "order"


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
    assert themes.current_theme() == t == Theme(1.25, True)
