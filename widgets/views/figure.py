"""Figures drawn off-screen with Matplotlib's Agg renderer and handed to the page as PNG bytes.

No pyplot: a figure belongs to its widget, never to a global state that an inline backend would also display.
"""
import struct
import zlib

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from widgets.themes import DPI, Theme

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def new_figure(theme: Theme, width_px: float, height_px: float, margins=None, wspace_px=None, hspace_px=None,
               **subplots) -> Figure:
    """A figure shown at width_px x height_px CSS pixels (drawn at the theme's pixel ratio), with its axes.

    Text sizes are CSS pixels too, so the figure is drawn at the size it is shown: never large and shrunk.
    `margins` (left, bottom, right, top) and the gaps between axes, in CSS pixels, fit the texts around the axes
    whatever the figure's size, and save the layout engine's work, which is most of a first draw; without them
    the layout is constrained."""
    with matplotlib.rc_context(theme.rc()):
        figure = Figure(figsize=theme.figsize(width_px, height_px), dpi=theme.dpi,
                        layout=None if margins else "constrained")  # fmt: skip
        FigureCanvasAgg(figure)
        if subplots.get("nrows", 1) * subplots.get("ncols", 1):
            figure.subplots(**subplots)
        if margins:
            place(figure, margins, wspace_px, hspace_px)
    return figure


def place(figure: Figure, margins, wspace_px=None, hspace_px=None):
    """Set a figure's margins (left, bottom, right, top) and gaps between axes in CSS pixels."""
    width, height = css_size(figure)
    left, bottom, right, top = margins
    spacing = {}
    grid = figure.axes[0].get_subplotspec().get_gridspec() if figure.axes else None
    rows, cols = grid.get_geometry() if grid is not None else (1, 1)
    if wspace_px is not None and cols > 1:  # Matplotlib's gaps are fractions of the mean axes size
        axes_width = (width - left - right - wspace_px * (cols - 1)) / cols
        spacing["wspace"] = wspace_px / max(axes_width, 1.0)
    if hspace_px is not None and rows > 1:
        axes_height = (height - bottom - top - hspace_px * (rows - 1)) / rows
        spacing["hspace"] = hspace_px / max(axes_height, 1.0)
    figure.subplots_adjust(left=left / width, bottom=bottom / height, right=1 - right / width, top=1 - top / height,
                           **spacing)  # fmt: skip


def css_size(figure: Figure) -> tuple:
    """The figure's size on the page, in CSS pixels (its PNG has pixel_ratio times as many pixels)."""
    width, height = figure.get_size_inches()
    return (round(width * DPI), round(height * DPI))


def themed(theme: Theme):
    """Context for creating artists (texts, legends) that must pick up the theme's sizes and colours."""
    return matplotlib.rc_context(theme.rc())


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rgba) -> bytes:
    """An RGBA picture as PNG, fast: every row "Up"-filtered (minus the row above), then zlib at level 1.

    A plot is mostly flat background, so its row differences are mostly zeros and compress quickly; a general
    encoder's per-row filter search costs several times more here for a barely smaller file. The alpha channel
    stays: subtracting whole contiguous rows is much cheaper than picking out RGB."""
    height, width, _ = rgba.shape
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)
    rows[:, 0] = 2  # filter type Up
    rows[0, 1:] = rgba[0].reshape(-1)
    np.subtract(rgba[1:].reshape(height - 1, -1), rgba[:-1].reshape(height - 1, -1), out=rows[1:, 1:])
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 1))
        + _chunk(b"IEND", b"")
    )


def render_png(figure: Figure) -> bytes:
    """Draw the whole figure and return it as PNG bytes."""
    figure.canvas.draw()
    return encode_png(_pixels(figure))


def _pixels(figure):
    return np.asarray(figure.canvas.buffer_rgba())


class BlitRenderer:
    """Redraws only a few moving artists over a saved background, for a slider that must feel instant.

    `full()` draws everything but the moving artists, keeps that picture, then adds them; `moved()` pastes the
    picture back and draws only the moving artists again. Both return PNG bytes of the whole figure."""

    def __init__(self, figure: Figure, moving):
        self.figure = figure
        self.moving = list(moving)
        self._background = None

    def full(self) -> bytes:
        for artist in self.moving:
            artist.set_animated(True)
        canvas = self.figure.canvas
        canvas.draw()
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        return self._draw_moving()

    def moved(self) -> bytes:
        if self._background is None:
            return self.full()
        self.figure.canvas.restore_region(self._background)
        return self._draw_moving()

    def _draw_moving(self):
        for artist in self.moving:
            if artist.get_visible():
                (artist.axes or self.figure).draw_artist(artist)
        return encode_png(_pixels(self.figure))


def drawn_texts(artist):
    """The texts a figure draws (visible, not empty, in no hidden axes or legend), for checks of their size."""
    if not artist.get_visible():
        return
    if isinstance(artist, Text) and artist.get_text().strip():
        yield artist
    for child in artist.get_children():
        yield from drawn_texts(child)


def smallest_text_px(figure: Figure) -> float:
    """The smallest text in the figure, in CSS pixels at the size the figure is drawn."""
    return min((text.get_fontsize() * DPI / 72 for text in drawn_texts(figure)), default=float("inf"))
