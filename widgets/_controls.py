"""What every widget's controller shares: a status line for errors, the guard that fills it, the figure's image,
following the page (its theme, its width), and the layout of a plot with its controls beside it."""
import html
import traceback
import warnings

import ipywidgets
import numpy as np

from widgets import backends, page
from widgets.themes import PageReport, Theme, current_theme, follow_page, report_page
from widgets.views.figure import css_size

GAP_PX = 12  # between a plot and the column beside it
SLACK_PX = 8  # the boxes' own margins, so that a row of exactly the width never wraps


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
    """A line under the widget saying what went wrong, what happened, or what the kernel is busy with; `.text`
    is the plain message. Its colours come from the page's CSS (widgets/static/widgets.css), never from here."""

    CLASSES = {"error": "jl-error", "info": "jl-muted", "ok": "jl-muted", "busy": "jl-muted jl-busy"}

    def __init__(self, theme: Theme):
        super().__init__(value="")
        self.theme = theme
        self.text = ""
        self.kind = "ok"
        self.add_class("jaxlite-status")

    def show(self, text: str, kind: str = "info"):
        self.text, self.kind = text, kind
        mark = "&#9888; " if kind == "error" else ""
        role = {"error": ' role="alert"', "busy": ' role="status" aria-live="polite"'}.get(kind, "")
        self.value = f'<div{role} class="{self.CLASSES[kind]}">{mark}{html.escape(text)}</div>'

    def error(self, error: BaseException | str):
        self.show(error if isinstance(error, str) else error_message(error), "error")

    def busy(self, text: str):
        """Say what the kernel is doing before a slow step (loading JAX, compiling): the page shows it at once."""
        self.show(text, "busy")

    def clear(self):
        self.text, self.kind, self.value = "", "ok", ""


class LectureWidget(ipywidgets.VBox):
    """A VBox with a status line and a guard: errors from a control's callback land in the status line.

    Subclasses build their model, view and controls in __init__, lay them out with `set_body(...)`, and call
    `self.guard(...)` around every update, so that a typo or a failing function leaves the previous picture in
    place with a message under it. The widget follows the page: when its hidden probe reports another width or
    (under `theme(dark="auto")`) another light or dark, `self.theme` changes and `redraw_for_theme` runs."""

    def __init__(self, theme: Theme | None = None, **kwargs):
        super().__init__(**kwargs)
        self.theme = theme or current_theme()
        self.status = StatusLine(self.theme)
        self.style_sheet = page.style_sheet(self.theme)
        self.page_probe = page.probe()
        if self.page_probe is not None:
            self.page_probe.observe(self._on_page, names=["dark", "width", "pixel_ratio"])
        self.add_class("jaxlite-widget")
        self._theme_classes(self.theme)

    @property
    def status_text(self) -> str:
        return self.status.text

    def set_body(self, *children, status=True):
        """Show children (and the status line after them unless a child holds it), with the hidden helpers."""
        hidden = [self.style_sheet] + ([self.page_probe] if self.page_probe is not None else [])
        self.children = [*children, *([self.status] if status else []), *hidden]

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

    def image(self, png: bytes = b"") -> ipywidgets.Image:
        widget = ipywidgets.Image(value=png, format="png")
        # Shown at the size it was drawn (see `show_figure`); shrunk only if the page is narrower than reported.
        widget.layout.align_self = "flex-start"
        widget.layout.max_width = "100%"
        widget.layout.height = "auto"
        widget.add_class("jaxlite-figure")
        return widget

    @staticmethod
    def show_figure(widget: ipywidgets.Image, png: bytes, figure):
        """Put a figure's PNG in its image, at the figure's size in CSS pixels (its pixels over the pixel ratio)."""
        width, _ = css_size(figure)
        widget.layout.width = f"{width}px"
        widget.value = png

    # -- following the page ---------------------------------------------------------------------

    def _on_page(self, change):
        probe = self.page_probe
        report = PageReport(bool(probe.dark), probe.width or None, probe.pixel_ratio)
        report_page(report)
        self.apply_theme(follow_page(self.theme, report))

    def apply_theme(self, theme: Theme) -> bool:
        """Show the widget under another theme (the page turned dark, the cell got wider): True if it redrew.

        A width that moved by a few pixels is not worth a new picture."""
        old = self.theme
        same_look = (old.scale, old.dark, old.follows_page, old.pixel_ratio) == (
            theme.scale, theme.dark, theme.follows_page, theme.pixel_ratio)  # fmt: skip
        if same_look and abs(old.width_px - theme.width_px) < 8:
            return False
        self._theme_classes(theme)
        self.theme = self.status.theme = theme
        page.restyle(self.style_sheet, theme)
        return self.guard(self.redraw_for_theme)

    def redraw_for_theme(self):
        """Rebuild the views for `self.theme` and draw them again; each widget says how."""

    def _theme_classes(self, theme: Theme):
        for name in list(self._dom_classes):
            if name.startswith("jaxlite-scale-") or name in ("jaxlite-auto", "jaxlite-dark", "jaxlite-light"):
                self.remove_class(name)
        self.add_class(theme.css_class)
        self.add_class(theme.mode_class)


def beside(plot, side, theme: Theme) -> ipywidgets.HBox:
    """The plot with a column of controls and texts on its right (below it where the row is too narrow)."""
    side.layout.width = f"{side_width(theme)}px"
    side.layout.margin = f"0 0 0 {GAP_PX}px"
    row = ipywidgets.HBox([plot, side])
    row.layout.flex_flow = "row wrap"
    row.layout.align_items = "flex-start"
    return row


def side_width(theme: Theme) -> int:
    """The width of a column of controls beside a plot: 17 characters of text."""
    return round(17 * theme.font_px)


def plot_width_beside(theme: Theme) -> int:
    """How wide a plot can be with a column beside it; the whole width when that would leave it too narrow."""
    width = theme.width_px - side_width(theme) - GAP_PX - SLACK_PX
    return width if width >= 1.3 * side_width(theme) else theme.width_px - SLACK_PX


def button(description: str, tooltip: str, icon: str = "") -> ipywidgets.Button:
    """A button that a screen reader and a keyboard user can find: it says what it does."""
    return ipywidgets.Button(description=description, tooltip=tooltip, icon=icon)
