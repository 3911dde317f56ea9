"""View of the Jacobian builder: a heatmap that fills in (one image, updated with set_data), a frame around the
column or row the last call produced, and every cell written: its number once known, a hatched "?" before.

The colour scale is the whole Jacobian's, fixed from the start, so a cell keeps its colour as the others fill in
and a small computed value (near the middle of the scale) never looks like a cell not computed yet."""
import numpy as np
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from widgets.models.jacobian import Progress
from widgets.themes import Theme, contrast_ratio
from widgets.views.figure import new_figure, render_png, themed

MAX_LABELLED = 10  # cells get their numbers written in them up to this many per side
COLORMAP = "cividis"  # readable under colour-vision deficiencies, and monotone in lightness


def text_colour_on(fill) -> str:
    """Black or white, whichever reads better on fill (an RGBA tuple, as a colormap gives)."""
    fill = to_hex(fill)
    return "#000000" if contrast_ratio("#000000", fill) >= contrast_ratio("#FFFFFF", fill) else "#FFFFFF"


class JacobianHeatmap:
    def __init__(self, theme: Theme, m: int, n: int, bound: float, width_px: int, height_px: int):
        import matplotlib

        self.theme = theme
        font = theme.font_px
        cell = min((width_px - 9 * font) / n, (height_px - 5 * font) / m)
        width = min(width_px, round(n * cell + 9 * font))
        height = min(height_px, round(m * cell + 5 * font))
        self.figure = new_figure(theme, width, height, margins=(3.4 * font, 3.0 * font, 5.6 * font, 2.0 * font))
        self.axes = ax = self.figure.axes[0]
        self.bound = bound if bound > 0 else 1.0
        self.cmap = matplotlib.colormaps[COLORMAP].with_extremes(bad=theme.background)
        self.image = ax.imshow(np.full((m, n), np.nan), cmap=self.cmap, vmin=-self.bound, vmax=self.bound,
                               aspect="auto")  # fmt: skip
        labelled = m <= MAX_LABELLED and n <= MAX_LABELLED
        with themed(theme):
            self.colorbar = self.figure.colorbar(self.image, ax=ax, fraction=0.08, pad=0.04)
            self.colorbar.ax.yaxis.set_major_formatter(lambda v, _: f"{v:.2g}".replace("-", "\u2212"))
            ax.set_xticks(range(n), [f"x{j}" for j in range(n)] if n <= MAX_LABELLED else None)
            ax.set_yticks(range(m), [f"y{i}" for i in range(m)] if m <= MAX_LABELLED else None)
            ax.set_xlabel("input j")
            ax.set_ylabel("output i")
            self.title = ax.set_title("", loc="left")
            self.unknown = [
                [ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="none", hatch="//",
                                        edgecolor=theme.muted, linewidth=0)) for j in range(n)]
                for i in range(m)
            ]  # fmt: skip
            self.cell_texts = [
                [ax.text(j, i, "", ha="center", va="center", fontfamily="monospace") for j in range(n)]
                for i in range(m)
            ] if labelled else []  # fmt: skip
        self.frame = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor=theme.color(6), linewidth=3 * theme.px)
        self.frame.set_visible(False)
        ax.add_patch(self.frame)

    def draw(self, progress: Progress) -> bytes:
        self.image.set_data(np.ma.masked_invalid(progress.partial))
        for i, row in enumerate(self.unknown):
            for j, patch in enumerate(row):
                patch.set_visible(bool(np.isnan(progress.partial[i, j])))
        for i, row in enumerate(self.cell_texts):
            for j, text in enumerate(row):
                value = progress.partial[i, j]
                if np.isnan(value):
                    text.set_text("?")
                    text.set_color(self.theme.foreground)
                    text.set_bbox({"boxstyle": "round,pad=0.15", "facecolor": self.theme.background,
                                   "edgecolor": "none"})  # fmt: skip
                else:
                    text.set_text(f"{value:.3g}".replace("-", "\u2212"))
                    text.set_color(text_colour_on(self.cmap(self.image.norm(value))))
                    text.set_bbox(None)
        self._frame(progress)
        self.title.set_text(self._caption(progress))
        return render_png(self.figure)

    def _frame(self, progress):
        k = progress.calls - 1
        if k < 0:
            self.frame.set_visible(False)
            return
        m, n = progress.partial.shape
        if progress.mode == "jvp":
            self.frame.set_bounds(k - 0.5, -0.5, 1, m)
        else:
            self.frame.set_bounds(-0.5, k - 0.5, n, 1)
        self.frame.set_visible(True)

    @staticmethod
    def _caption(progress):
        k = progress.calls - 1
        if k < 0:
            return f"{progress.mode}: nothing computed yet (?)"
        what = f"column {k}" if progress.mode == "jvp" else f"row {k}"
        basis = "tangent" if progress.mode == "jvp" else "cotangent"
        return f"{progress.mode} #{k + 1}: one-hot {basis} e{k} \u2192 {what}"


def counters_html(progress: Progress, lesson: str, matches=None) -> str:
    other = "vjp" if progress.mode == "jvp" else "jvp"
    other_total = progress.m if progress.mode == "jvp" else progress.n
    check = ""
    if matches is not None:
        name = "jacfwd" if progress.mode == "jvp" else "jacrev"
        check = f"<p>complete: equals {name}(f)(x): <b>{'yes' if matches else 'NO'}</b></p>"
    return (
        f'<div class="jaxlite-jacobian"><p><b>{progress.mode} calls: {progress.calls} of {progress.total}</b> '
        f"(building by {other} would take {other_total})</p><p>{lesson}</p>{check}</div>"
    )
