"""View of gradient descent: the loss curve on the left, and on the right either the logistic model's
predicted probabilities for its four examples (bars) or the MLP's decision function over the plane (an image),
with the data on top. All artists are made once and updated in place.

The loss axis is logarithmic; a loss float32 rounds to 0 has no place on it, so it is drawn on the axis's floor
as a down-pointing marker and the title says so. The first and the latest step are marked, so that a curve of
one point (step 0, before training) is visible."""
import math

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from widgets.models.training import Dataset
from widgets.themes import Theme
from widgets.views.figure import new_figure, render_png, themed


def loss_text(value: float) -> str:
    return f"{value:.4g}".replace("-", "\u2212").replace("e+0", "e").replace("e+", "e")


def axis_number(value: float, _position=None) -> str:
    """A log axis's tick, short enough for a narrow margin: 0.02, 500, 2e4, 1e-7."""
    if value <= 0:
        return "0"
    exponent = math.floor(math.log10(value) + 1e-9)
    if -3 <= exponent < 4:
        return f"{value:g}"
    return f"{value / 10**exponent:g}e{exponent}".replace("-", "\u2212")


class TrainingPlot:
    def __init__(self, theme: Theme, problem: str, data: Dataset, width_px: int, height_px: int):
        import matplotlib

        self.theme, self.problem = theme, problem
        font = theme.font_px
        self.figure = new_figure(theme, width_px, height_px, margins=(5.2 * font, 3.2 * font, 0.8 * font, 3.6 * font),
                                 wspace_px=5.6 * font, ncols=2)  # fmt: skip
        self.loss_axes, self.data_axes = self.figure.axes
        with themed(theme):
            self.loss_line = self.loss_axes.plot([], [], **theme.style(0))[0]
            self.ends = self.loss_axes.plot([], [], linestyle="none", marker="o", markersize=6 * theme.px,
                                            color=theme.color(0))[0]  # fmt: skip
            self.zeros = self.loss_axes.plot([], [], linestyle="none", marker="v", markersize=8 * theme.px,
                                             color=theme.color(6), clip_on=False, label="loss 0 (rounded)")[0]
            self.loss_axes.set_yscale("log")
            # Plain numbers: the default 10^k labels go through mathtext, a third of every redraw.
            self.loss_axes.yaxis.set_major_formatter(FuncFormatter(axis_number))
            self.loss_axes.yaxis.set_minor_locator(NullLocator())
            self.loss_axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            self.loss_axes.set_xlabel("step")
            self.loss_axes.set_ylabel("loss")
            self.loss_title = self.loss_axes.set_title("", loc="left")
            if problem == "logistic":
                self._logistic_panel(data)
            else:
                self._mlp_panel(data, matplotlib.colormaps["PuOr"])

    def _logistic_panel(self, data):
        ax, theme = self.data_axes, self.theme
        index = np.arange(len(data.targets))
        self.bars = ax.bar(index, np.zeros(len(index)), color=theme.fill(2), edgecolor=theme.foreground,
                           linewidth=theme.px, label="predicted")  # fmt: skip
        ax.plot(index, data.targets, marker="D", linestyle="none", color=theme.color(6), markersize=9 * theme.px,
                markeredgecolor=theme.foreground, clip_on=False, zorder=3, label="target")  # fmt: skip
        ax.set_ylim(0, 1)
        ax.margins(y=0)
        ax.set_xticks(index, [f"input {i}" for i in index])
        ax.set_ylabel("P(True)")
        # Above the axes, where it never covers a bar or a target.
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, borderaxespad=0.2, frameon=False)
        self.image = None

    def _mlp_panel(self, data, cmap):
        ax, theme = self.data_axes, self.theme
        self.image = ax.imshow(np.full((2, 2), 0.5), origin="lower", cmap=cmap, vmin=0, vmax=1, aspect="auto",
                               alpha=0.5)  # fmt: skip
        for label, marker, colour in ((0, "o", theme.fill(1)), (1, "s", theme.fill(5))):
            points = data.inputs[data.targets == label]
            ax.scatter(points[:, 0], points[:, 1], marker=marker, color=colour, edgecolor=theme.foreground,
                       s=(6 * theme.px) ** 2, linewidths=theme.px, label=f"class {label}", zorder=3)  # fmt: skip
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, borderaxespad=0.2, frameon=False)
        self.bars = None

    def draw(self, losses, probabilities=None, grid=None) -> bytes:
        losses = np.asarray(losses, dtype=np.float64)
        steps = np.arange(len(losses))
        positive = losses > 0
        self.loss_line.set_data(steps, np.where(positive, losses, np.nan))
        self.ends.set_data(steps[[0, -1]], np.where(positive, losses, np.nan)[[0, -1]])
        shown = losses[positive & np.isfinite(losses)]
        low, high = (shown.min(), shown.max()) if shown.size else (1e-3, 1.0)
        floor = low / 3 if positive.all() else min(low, 1e-7) / 3
        self.loss_axes.set_ylim(floor, high * 2)
        subs = (1.0, 2.0, 5.0) if high / floor < 1e3 else (1.0,)  # a wide range: powers of ten only
        self.loss_axes.yaxis.set_major_locator(LogLocator(subs=subs, numticks=8))
        self.zeros.set_data(steps[~positive], np.full((~positive).sum(), floor))
        self.loss_axes.set_xlim(-0.03 * max(1, len(losses) - 1), 1.03 * max(1, len(losses) - 1))
        last = losses[-1]
        value = "0 (rounded)" if last <= 0 else loss_text(last)
        self.loss_title.set_text(f"loss {value}, step {len(losses) - 1}")
        if self.bars is not None and probabilities is not None:
            for bar, p in zip(self.bars, probabilities):
                bar.set_height(p)
        if self.image is not None and grid is not None:
            extent, values = grid
            self.image.set_data(values)
            self.image.set_extent(extent)
        return render_png(self.figure)
