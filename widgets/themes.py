"""Presentation settings shared by every widget: projector scale, light or dark, colour-blind-safe palette, and the
space a widget has on the page.

Okabe and Ito's eight colours stay distinguishable under the common colour-vision deficiencies; each colour is
paired with its own line style so that a curve can be told apart in greyscale or on a washed-out projector too.
As printed, half of them are too faint for text on white (the yellow reaches 1.2:1), so lines and texts use the
same hues darkened on a light background and lightened on a dark one until they reach WCAG AA (4.5:1); the
original colours remain for filled areas, which carry black text and an outline.

Light or dark follows the page by default (`theme(dark="auto")`): every widget reports the page's theme and its
width to the kernel (widgets.page) and redraws its figures to match.
"""
from dataclasses import dataclass, replace

# Okabe & Ito (2008), in their order; black comes first and becomes near-white on a dark background.
OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
# The same hues as inks: at least 4.5:1 against LIGHT_BACKGROUND and DARK_BACKGROUND respectively. The blue is
# darker than the sky blue on white (and lighter on black) so that the two stay apart.
LIGHT_INKS = ("#000000", "#9A6A00", "#177AB2", "#00825F", "#7D750A", "#0B3F7F", "#BE5400", "#BA4B89")
DARK_INKS = ("#EEEEEE", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#1C8CD6", "#E0661A", "#CC79A7")
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (8, 2)), (0, (1, 1)), (0, (3, 1, 1, 1, 1, 1)))
# JupyterLab's own page backgrounds (--jp-layout-color0), so that a figure sits on the page without a frame.
LIGHT_BACKGROUND, DARK_BACKGROUND = "#FFFFFF", "#111111"
BASE_FONT_PX = 12.0
DPI = 100  # figure inches are CSS pixels / DPI; the pixel ratio multiplies the resolution, not the size
# Until the page says how wide a cell is (JupyterLab's, at 1366 px with the file browser open, is 934).
DEFAULT_WIDTH_PX = 900
MIN_WIDTH_PX = 360
MAX_PIXEL_RATIO = 2.0
AUTO = "auto"


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a colour written #RRGGBB."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white); AA asks 4.5 of text."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class Theme:
    """Sizes and colours a widget reads when it draws; `font_px` is the size of every text on screen.

    `follows_page` says that `dark` was read from the page (and changes with it); `width_px` is the width the
    widget has in the page, in CSS pixels; `pixel_ratio` the screen's device pixels per CSS pixel."""
    scale: float = 1.0
    dark: bool = False
    follows_page: bool = True
    width_px: int = DEFAULT_WIDTH_PX
    pixel_ratio: float = 1.0

    @property
    def font_px(self) -> float:
        return BASE_FONT_PX * self.scale

    @property
    def font_pt(self) -> float:
        """The same size in points, as Matplotlib wants it (figures are DPI pixels per inch of size)."""
        return self.font_px * 72.0 / DPI

    @property
    def px(self) -> float:
        """One CSS pixel in points, for line widths and marker sizes that grow with the scale."""
        return 72.0 / DPI * self.scale

    @property
    def height_px(self) -> int:
        """How tall a whole widget may be: 640 px at scale 1.5, what a 1366x768 screen shows of a notebook
        between JupyterLab's bars (the task's limit is 700)."""
        return round(min(640.0, 425.0 * self.scale))

    @property
    def foreground(self) -> str:
        return DARK_INKS[0] if self.dark else LIGHT_INKS[0]

    @property
    def background(self) -> str:
        return DARK_BACKGROUND if self.dark else LIGHT_BACKGROUND

    @property
    def muted(self) -> str:
        """Secondary text and thin rules: 6.5:1 (light) and 7.5:1 (dark), never the faint greys of print."""
        return "#A3A3A3" if self.dark else "#5E5E5E"

    @property
    def grid(self) -> str:
        """Grid lines and zero lines, which are not read as text."""
        return "#3A3A3A" if self.dark else "#D9D9D9"

    @property
    def highlight(self) -> str:
        """Background of highlighted text: a pale yellow, or a dark amber behind light text."""
        return "#5C4A00" if self.dark else "#FFF1B8"

    @property
    def focus(self) -> str:
        """The keyboard's focus ring: the dark blue on a light page, the yellow on a dark one."""
        return self.color(4) if self.dark else self.color(5)

    def color(self, index: int) -> str:
        """The index-th colour as an ink: lines, markers and text on the background."""
        return (DARK_INKS if self.dark else LIGHT_INKS)[index % len(OKABE_ITO)]

    def fill(self, index: int) -> str:
        """The index-th colour as printed, for filled areas (with black text and an outline on them)."""
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        return self.foreground if colour == "#000000" else colour

    def line_style(self, index: int):
        return LINE_STYLES[index % len(LINE_STYLES)]

    def style(self, index: int) -> dict:
        """Keyword arguments for `Axes.plot`: the index-th colour with its own line style."""
        return {"color": self.color(index), "linestyle": self.line_style(index), "linewidth": 2.0 * self.px}

    def figsize(self, width_px: float, height_px: float) -> tuple:
        """Inches for a figure shown at width_px x height_px CSS pixels."""
        return (round(width_px) / DPI, round(height_px) / DPI)

    @property
    def dpi(self) -> float:
        return DPI * self.pixel_ratio

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
            "figure.titlesize": self.font_pt,
            "figure.dpi": self.dpi,
            "figure.facecolor": bg,
            "axes.facecolor": bg,
            "savefig.facecolor": bg,
            "axes.edgecolor": fg,
            "axes.labelcolor": fg,
            "axes.linewidth": self.px,
            "text.color": fg,
            "xtick.color": fg,
            "ytick.color": fg,
            "xtick.major.width": self.px,
            "ytick.major.width": self.px,
            "xtick.major.size": 4 * self.px,
            "ytick.major.size": 4 * self.px,
            "legend.facecolor": bg,
            "legend.edgecolor": self.muted,
            "legend.framealpha": 1.0,
            "hatch.color": self.muted,
            "hatch.linewidth": self.px,
        }

    @property
    def css_class(self) -> str:
        """The class that gives a widget's controls this scale (see `css`)."""
        return f"jaxlite-scale-{round(self.scale * 100)}"

    @property
    def mode_class(self) -> str:
        """jaxlite-auto follows the page's colours; jaxlite-dark or jaxlite-light paints the widget's own."""
        return "jaxlite-auto" if self.follows_page else ("jaxlite-dark" if self.dark else "jaxlite-light")

    def css(self) -> str:
        """CSS that scales ipywidgets' controls inside the widgets of this scale (they read these variables)."""
        s = self.scale

        def px(value):
            return f"{round(value * s)}px"

        return (
            f".jaxlite-widget.{self.css_class} {{"
            f" --jaxlite-font-size: {px(BASE_FONT_PX)}; --jp-widgets-font-size: {px(BASE_FONT_PX)};"
            f" --jp-ui-font-size1: {px(BASE_FONT_PX)}; --jp-content-font-size1: {px(BASE_FONT_PX)};"
            f" --jp-code-font-size: {px(BASE_FONT_PX)};"
            f" --jp-widgets-inline-height: {px(28)}; --jp-widgets-inline-label-width: {px(80)};"
            f" --jp-widgets-inline-width: {px(300)}; --jp-widgets-inline-width-short: {px(148)};"
            f" --jp-widgets-inline-width-tiny: {px(60)}; --jp-widgets-slider-handle-size: {px(16)};"
            f" --jp-widgets-slider-track-thickness: {px(4)}; --jp-widgets-slider-handle-border-width: {px(1)};"
            f" --jp-widgets-input-padding: {px(4)}; --jp-widgets-margin: {px(2)}; }}"
        )

    def _repr_html_(self):
        mode = "follows the page" if self.follows_page else ("dark" if self.dark else "light")
        return (
            f'<div class="jaxlite-theme-note" style="font-size:{self.font_px:.0f}px;">'
            f"widgets theme: scale {self.scale:g}, {mode}</div>"
        )


# Where the dark colours apply: the page is JupyterLab Dark, or another dark page (as the widget's script found,
# widgets/static/page.js), or the widget was built dark.
DARK_SELECTORS = (
    'body[data-jp-theme-light="false"] .jaxlite-widget.jaxlite-auto',
    '.jaxlite-widget.jaxlite-auto[data-jaxlite-page="dark"]',
    ".jaxlite-widget.jaxlite-dark",
)


def palette_css() -> str:
    """The colours as CSS variables on every widget, light by default and dark where the page or the theme is."""

    def variables(t: Theme):
        inks = " ".join(f"--jl-c{i}: {t.color(i)};" for i in range(len(OKABE_ITO)))
        return (f"--jl-fg: {t.foreground}; --jl-bg: {t.background}; --jl-muted: {t.muted};"
                f" --jl-highlight: {t.highlight}; --jl-focus: {t.focus}; {inks}")  # fmt: skip

    light, dark = variables(Theme()), variables(Theme(dark=True))
    return f".jaxlite-widget {{ {light} }}\n{', '.join(DARK_SELECTORS)} {{ {dark} }}"


@dataclass(frozen=True)
class PageReport:
    """What the page last said about itself: dark or light, a cell's width, the screen's pixel ratio."""
    dark: bool = False
    width_px: int | None = None
    pixel_ratio: float = 1.0


_scale = 1.0
_dark = AUTO
_page = PageReport()


def theme(scale: float = 1.0, dark=AUTO) -> Theme:
    """Set the theme for widgets built from now on, and return it.

    dark: "auto" (the default) follows the page, light or dark, and changes with it; True or False fixes it."""
    global _scale, _dark
    if not 0.5 <= scale <= 4.0:
        raise ValueError(f"scale must be between 0.5 and 4, got {scale}")
    if dark != AUTO and not isinstance(dark, bool):
        raise ValueError(f"dark must be True, False or 'auto', got {dark!r}")
    _scale, _dark = float(scale), dark
    return current_theme()


def theme_settings() -> tuple:
    """(scale, dark) as last given to `theme`; dark may be "auto"."""
    return _scale, _dark


def current_theme() -> Theme:
    """The theme a widget built now gets: the scale and mode set by `theme`, the page as last reported."""
    return follow_page(Theme(_scale, False if _dark == AUTO else _dark, _dark == AUTO), _page)


def follow_page(t: Theme, page: PageReport) -> Theme:
    """t adapted to what a page reported: its width and pixel ratio always, light or dark if t follows the page."""
    width = t.width_px if page.width_px is None else max(MIN_WIDTH_PX, int(page.width_px))
    ratio = min(MAX_PIXEL_RATIO, max(1.0, float(page.pixel_ratio or 1.0)))
    return replace(t, dark=page.dark if t.follows_page else t.dark, width_px=width, pixel_ratio=ratio)


def report_page(page: PageReport):
    """Remember what a page reported, for the widgets built after it (they start the right size and colour)."""
    global _page
    _page = page


def page_report() -> PageReport:
    return _page
