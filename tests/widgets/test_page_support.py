"""Every lecture widget carries one hidden page probe (widgets/static/page.js and page.css): besides reporting the
page's theme and width, it keeps a focused slider's arrow keys in Notebook 7, and a widget drawn without its
kernel says so in one line."""
import pathlib

import widgets
from widgets import page

STATIC = pathlib.Path(widgets.__file__).resolve().parent / "static"


def probes(widget):
    return [child for child in widget.children if type(child).__name__ == "PageProbe"]


def test_a_lecture_widget_holds_one_page_probe():
    assert len(probes(widgets.FunctionDerivatives())) == 1


def test_the_probe_is_hidden_and_runs_the_shipped_script_and_style():
    probe = page.probe()
    assert probe.layout.display == "none"
    assert probe._esm == (STATIC / "page.js").read_text()
    assert probe._css == (STATIC / "page.css").read_text()


def test_the_script_marks_focused_sliders_so_notebook_shortcuts_leave_them_alone():
    script = (STATIC / "page.js").read_text()
    assert "data-lm-suppress-shortcuts" in script and "focusin" in script


def test_the_style_replaces_the_broken_link_marks_of_a_widget_without_kernel():
    assert "jupyter-widgets-disconnected" in (STATIC / "page.css").read_text()
