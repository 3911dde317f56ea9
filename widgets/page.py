"""The page a widget is shown in, as the browser sees it: light or dark, the widget's width, the pixel ratio.

Every lecture widget holds a hidden `PageProbe` (an anywidget running widgets/static/page.js) that reports these
to the kernel, where the widget redraws its figures to fit, keeps a focused slider's arrow keys in Notebook 7, and
(page.css) says in one line when the widget is drawn without its kernel; and a hidden style sheet with the
widgets' CSS.
Without anywidget (or without a browser, in tests) nothing reports and the widget keeps the theme it was built with.
"""
import functools
import pathlib

import ipywidgets
import traitlets

from widgets.themes import Theme, palette_css

STATIC = pathlib.Path(__file__).resolve().parent / "static"


@functools.cache
def probe_class():
    """The anywidget class, made on first use so that `import widgets` stays quick; None without anywidget."""
    try:
        import anywidget
    except ImportError:
        return None

    class PageProbe(anywidget.AnyWidget):
        _esm = STATIC / "page.js"
        _css = STATIC / "page.css"
        dark = traitlets.Bool(None, allow_none=True).tag(sync=True)
        width = traitlets.Int(0).tag(sync=True)
        pixel_ratio = traitlets.Float(1.0).tag(sync=True)

    return PageProbe


def probe():
    """A hidden probe for one widget, or None where anywidget is missing."""
    cls = probe_class()
    if cls is None:
        return None
    widget = cls()
    widget.layout.display = "none"
    return widget


@functools.cache
def _static_css() -> str:
    return (STATIC / "widgets.css").read_text()


def style_sheet(theme: Theme) -> ipywidgets.HTML:
    """A hidden <style>: the widgets' colours and rules, and the controls' sizes at this theme's scale."""
    sheet = ipywidgets.HTML()
    sheet.layout.display = "none"
    restyle(sheet, theme)
    return sheet


def restyle(sheet: ipywidgets.HTML, theme: Theme):
    sheet.value = f"<style>{palette_css()}\n{_static_css()}\n{theme.css()}</style>"
