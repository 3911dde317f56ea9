"""What every widget's controller shares: a status line for errors, the guard that fills it, the figure's image."""
import html
import traceback
import warnings

import ipywidgets
import numpy as np

from widgets import backends
from widgets.themes import Theme, current_theme


def error_message(error: BaseException) -> str:
    """One line a student can act on: the exception's class and its first line, without a traceback.

    A library's value handed to the other library's function (jax.numpy on a jaxlite tracer, say) gets the line
    that says how to write f so that it runs under both."""
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    name = type(error).__name__
    if isinstance(error, TypeError) and ("Tracer" in first or "valid JAX type" in first):
        first = f"{first.rstrip('.')}. {backends.HOW_TO_WRITE[0].upper()}{backends.HOW_TO_WRITE[1:]}"
    return f"{name}: {first}" if first else name


class StatusLine(ipywidgets.HTML):
    """A line under the widget saying what went wrong (or what happened); `.text` is the plain message."""

    def __init__(self, theme: Theme):
        super().__init__(value="")
        self.theme = theme
        self.text = ""
        self.kind = "ok"
        self.add_class("jaxlite-status")

    def show(self, text: str, kind: str = "info"):
        self.text, self.kind = text, kind
        colour = {"error": "#D55E00", "info": self.theme.muted, "ok": self.theme.muted}[kind]
        mark = "&#9888; " if kind == "error" else ""
        role = ' role="alert"' if kind == "error" else ""
        self.value = (
            f'<div{role} style="color:{colour}; font-size:{self.theme.font_px:.0f}px;">'
            f"{mark}{html.escape(text)}</div>"
        )

    def error(self, error: BaseException | str):
        self.show(error if isinstance(error, str) else error_message(error), "error")

    def clear(self):
        self.text, self.kind, self.value = "", "ok", ""


class LectureWidget(ipywidgets.VBox):
    """A VBox with a status line and a guard: errors from a control's callback land in the status line.

    Subclasses build their model, view and controls in __init__ and call `self.guard(...)` around every update,
    so that a typo or a failing function leaves the previous picture in place with a message under it."""

    def __init__(self, theme: Theme | None = None, **kwargs):
        super().__init__(**kwargs)
        self.theme = theme or current_theme()
        self.status = StatusLine(self.theme)
        self.add_class("jaxlite-widget")

    @property
    def status_text(self) -> str:
        return self.status.text

    def guard(self, action, *args, **kwargs) -> bool:
        """Run action; on an exception show it in the status line and return False instead of raising.

        NumPy's warnings (log of a negative number, overflow) are silenced too: a NaN is reported in the status
        line by the widget that sees it, not as a stderr block under the cell."""
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                action(*args, **kwargs)
        except Exception as error:  # a lecture must go on: every error becomes a message in the widget
            self.status.error(error)
            self.last_traceback = traceback.format_exc()
            return False
        return True

    def image(self, png: bytes) -> ipywidgets.Image:
        widget = ipywidgets.Image(value=png, format="png")
        # Shown at its own size (a VBox would stretch it to the cell's width and blur it), shrunk if too wide.
        widget.layout.align_self = "flex-start"
        widget.layout.max_width = "100%"
        widget.layout.height = "auto"
        widget.add_class("jaxlite-figure")
        return widget


def button(description: str, tooltip: str, icon: str = "") -> ipywidgets.Button:
    """A button that a screen reader and a keyboard user can find: it says what it does."""
    return ipywidgets.Button(description=description, tooltip=tooltip, icon=icon)
