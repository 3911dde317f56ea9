"""Presentation settings shared by every widget: projector scale, light or dark, colour-blind-safe palette.

Okabe and Ito's eight colours stay distinguishable under the common colour-vision deficiencies; each colour is
paired with its own line style so that a curve can be told apart in greyscale or on a washed-out projector too.
"""
from dataclasses import dataclass, replace

# Okabe & Ito (2008), in their order; black comes first and becomes near-white on a dark background.
OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (8, 2)), (0, (1, 1)), (0, (3, 1, 1, 1, 1, 1)))
BASE_FONT_PX = 12.0
DPI = 100


@dataclass(frozen=True)
class Theme:
    """Sizes and colours a widget reads when it is built; `font_px` is the size of every text on screen."""
    scale: float = 1.0
    dark: bool = False

    @property
    def font_px(self) -> float:
        return BASE_FONT_PX * self.scale

    @property
    def font_pt(self) -> float:
        """The same size in points, as Matplotlib wants it at the figures' resolution."""
        return self.font_px * 72.0 / DPI

    @property
    def foreground(self) -> str:
        return "#EEEEEE" if self.dark else "#000000"

    @property
    def background(self) -> str:
        return "#1E1E1E" if self.dark else "#FFFFFF"

    @property
    def muted(self) -> str:
        return "#9A9A9A" if self.dark else "#6B6B6B"

    @property
    def highlight(self) -> str:
        """Background of highlighted text: a pale yellow, or a dark amber behind light text."""
        return "#5C4A00" if self.dark else "#FFF1B8"

    def color(self, index: int) -> str:
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        return self.foreground if colour == "#000000" else colour

    def line_style(self, index: int):
        return LINE_STYLES[index % len(LINE_STYLES)]

    def style(self, index: int) -> dict:
        """Keyword arguments for `Axes.plot`: the index-th colour with its own line style."""
        return {"color": self.color(index), "linestyle": self.line_style(index), "linewidth": 2.0 * self.scale}

    def figsize(self, width: float, height: float) -> tuple:
        return (width * self.scale, height * self.scale)

    def rc(self) -> dict:
        """Matplotlib settings for figures built under this theme (applied with `matplotlib.rc_context`)."""
        fg, bg = self.foreground, self.background
        return {
            "font.size": self.font_pt,
            "axes.titlesize": self.font_pt,
            "axes.labelsize": self.font_pt,
            "xtick.labelsize": self.font_pt,
            "ytick.labelsize": self.font_pt,
            "legend.fontsize": self.font_pt,
            "figure.dpi": DPI,
            "figure.facecolor": bg,
            "axes.facecolor": bg,
            "savefig.facecolor": bg,
            "axes.edgecolor": fg,
            "axes.labelcolor": fg,
            "text.color": fg,
            "xtick.color": fg,
            "ytick.color": fg,
            "legend.facecolor": bg,
            "legend.edgecolor": self.muted,
        }

    def css(self) -> str:
        """CSS for the page: ipywidgets' own controls read these variables, so they grow with the figures."""
        px = f"{self.font_px:.0f}px"
        height = f"{round(28 * self.scale)}px"
        return (
            ":root {"
            f" --jp-widgets-font-size: {px}; --jp-widgets-inline-height: {height};"
            f" --jp-widgets-inline-label-width: {round(80 * self.scale)}px;"
            f" --jaxlite-font-size: {px}; }}"
        )

    def _repr_html_(self):
        mode = "dark" if self.dark else "light"
        return f"<style>{self.css()}</style><small>widgets theme: scale {self.scale:g}, {mode}</small>"


_current = Theme()


def theme(scale: float = 1.0, dark: bool = False) -> Theme:
    """Set the theme for widgets built from now on, and return it (displaying it resizes ipywidgets' controls)."""
    global _current
    if not 0.5 <= scale <= 4.0:
        raise ValueError(f"scale must be between 0.5 and 4, got {scale}")
    _current = replace(_current, scale=float(scale), dark=bool(dark))
    return _current


def current_theme() -> Theme:
    return _current
