"""Every lecture widget carries one hidden page-support widget (widgets/static/support.js and support.css): in
Notebook 7 a focused slider keeps its arrow keys, and a widget drawn without its kernel says so in one line."""
import pathlib

import widgets
from widgets._controls import page_support

STATIC = pathlib.Path(widgets.__file__).resolve().parent / "static"


def supports(widget):
    return [child for child in widget.children if type(child).__name__ == "PageSupport"]


def test_a_lecture_widget_ends_with_its_page_support():
    widget = widgets.FunctionDerivatives()
    assert supports(widget) == [widget.children[-1]]


def test_laying_a_widget_out_again_keeps_a_single_page_support():
    widget = widgets.FunctionDerivatives()
    widget.children = list(widget.children[:2])
    widget.children = [*widget.children, widget.status]
    assert len(supports(widget)) == 1


def test_the_page_support_is_hidden_and_runs_the_shipped_script_and_style():
    support = page_support()
    assert support.layout.display == "none"
    assert support._esm == (STATIC / "support.js").read_text()
    assert support._css == (STATIC / "support.css").read_text()
