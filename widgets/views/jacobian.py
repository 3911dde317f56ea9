"""View of the Jacobian builder: a heatmap that fills in (one image, updated with set_data), a frame around
the column or row the last call produced, and each known entry written in its cell."""
import numpy as np
from matplotlib.patches import Rectangle

from widgets.models.jacobian import Progress
from widgets.themes import Theme
from widgets.views.figure import new_figure, render_png, themed

MAX_LABELLED = 10  # cells get their numbers written in them up to this many per side


class JacobianHeatmap:
    def __init__(self, theme: Theme, m: int, n: int):
        import matplotlib

        self.theme = theme
        self.figure = new_figure(theme, 5.5, 4.0, margins=(0.13, 0.13, 0.98, 0.9))
        self.axes = ax = self.figure.axes[0]
        cmap = matplotlib.colormaps["cividis"].with_extremes(bad=theme.muted)
        self.image = ax.imshow(np.full((m, n), np.nan), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
        with themed(theme):
            self.colorbar = self.figure.colorbar(self.image, ax=ax)
            ax.set_xticks(range(n), [f"x{j}" for j in range(n)] if n <= MAX_LABELLED else None)
            ax.set_yticks(range(m), [f"y{i}" for i in range(m)] if m <= MAX_LABELLED else None)
            ax.set_xlabel("input j")
            ax.set_ylabel("output i")
            self.title = ax.set_title("")
            labelled = m <= MAX_LABELLED and n <= MAX_LABELLED
            self.cell_texts = [
                [ax.text(j, i, "", ha="center", va="center", fontsize=theme.font_pt * 0.8) for j in range(n)]
                for i in range(m)
            ] if labelled else []
        self.frame = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor=theme.color(6), linewidth=3 * theme.scale)
        self.frame.set_visible(False)
        ax.add_patch(self.frame)

    def draw(self, progress: Progress) -> bytes:
        known = progress.partial[np.isfinite(progress.partial)]
        bound = float(np.max(np.abs(known))) if known.size else 1.0
        self.image.set_data(np.ma.masked_invalid(progress.partial))
        self.image.set_clim(-bound or -1.0, bound or 1.0)
        for i, row in enumerate(self.cell_texts):
            for j, text in enumerate(row):
                value = progress.partial[i, j]
                text.set_text("" if np.isnan(value) else f"{value:.2g}")
                text.set_color("#000000" if np.isnan(value) or value > 0 else "#FFFFFF")
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
            return f"{progress.mode}: nothing computed yet"
        what = f"column {k}" if progress.mode == "jvp" else f"row {k}"
        basis = "tangent" if progress.mode == "jvp" else "cotangent"
        return f"{progress.mode} #{k + 1} with one-hot {basis} e{k} \u2192 {what}"


def counters_html(progress: Progress, lesson: str, theme: Theme, matches=None) -> str:
    other = "vjp" if progress.mode == "jvp" else "jvp"
    other_total = progress.m if progress.mode == "jvp" else progress.n
    check = ""
    if matches is not None:
        name = "jacfwd" if progress.mode == "jvp" else "jacrev"
        check = f"<br>complete: equals {name}(f)(x): <b>{'yes' if matches else 'NO'}</b>"
    return (
        f'<div class="jaxlite-jacobian" style="font-size:{theme.font_px:.0f}px;">'
        f"<b>{progress.mode} calls: {progress.calls} of {progress.total}</b> "
        f"(building by {other} would take {other_total})<br>{lesson}{check}</div>"
    )
