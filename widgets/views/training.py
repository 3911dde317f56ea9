"""View of gradient descent: the loss curve on the left, and on the right either the logistic model's
predicted probabilities for its four examples (bars) or the MLP's decision function over the plane (an image),
with the data on top. All artists are made once and updated in place."""
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from widgets.models.training import Dataset
from widgets.themes import Theme
from widgets.views.figure import new_figure, render_png, themed


class TrainingPlot:
    def __init__(self, theme: Theme, problem: str, data: Dataset):
        import matplotlib

        self.theme, self.problem = theme, problem
        self.figure = new_figure(theme, 9.0, 3.6, margins=(0.08, 0.14, 0.98, 0.9), ncols=2)
        self.loss_axes, self.data_axes = self.figure.axes
        with themed(theme):
            self.loss_line = self.loss_axes.plot([], [], **theme.style(0))[0]
            self.loss_axes.set_yscale("log")
            # Plain numbers: the default 10^k labels go through mathtext, a third of every redraw.
            self.loss_axes.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
            self.loss_axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
            self.loss_axes.yaxis.set_minor_locator(NullLocator())
            self.loss_axes.set_xlabel("step")
            self.loss_axes.set_ylabel("loss")
            self.loss_title = self.loss_axes.set_title("")
            if problem == "logistic":
                self._logistic_panel(data)
            else:
                self._mlp_panel(data, matplotlib.colormaps["PuOr"])

    def _logistic_panel(self, data):
        ax, theme = self.data_axes, self.theme
        index = np.arange(len(data.targets))
        self.bars = ax.bar(index, np.zeros(len(index)), color=theme.color(2), edgecolor=theme.foreground,
                           label="P(True), predicted")  # fmt: skip
        ax.plot(index, data.targets, marker="D", linestyle="none", color=theme.color(6), markersize=9 * theme.scale,
                label="target")  # fmt: skip
        ax.set_ylim(0, 1.05)
        ax.set_xticks(index, [f"input {i}" for i in index])
        ax.set_ylabel("P(target = True)")
        ax.legend(loc="center right")
        self.image = None

    def _mlp_panel(self, data, cmap):
        ax, theme = self.data_axes, self.theme
        self.image = ax.imshow(np.full((2, 2), 0.5), origin="lower", cmap=cmap, vmin=0, vmax=1, aspect="auto",
                               alpha=0.5)  # fmt: skip
        for label, marker, colour in ((0, "o", theme.color(1)), (1, "s", theme.color(5))):
            points = data.inputs[data.targets == label]
            ax.scatter(points[:, 0], points[:, 1], marker=marker, color=colour, edgecolor=theme.foreground,
                       s=30 * theme.scale, label=f"class {label}", zorder=3)  # fmt: skip
        ax.legend(loc="upper right")
        ax.set_title("P(class 1) over the plane")
        self.bars = None

    def draw(self, losses, probabilities=None, grid=None) -> bytes:
        steps = np.arange(len(losses))
        self.loss_line.set_data(steps, losses)
        self.loss_axes.set_xlim(0, max(1, len(losses) - 1))
        finite = np.asarray(losses)[np.isfinite(losses)]
        if finite.size:
            self.loss_axes.set_ylim(finite.min() * 0.8, finite.max() * 1.25)
        self.loss_title.set_text(f"loss {losses[-1]:.4g} after {len(losses) - 1} steps")
        if self.bars is not None and probabilities is not None:
            for bar, p in zip(self.bars, probabilities):
                bar.set_height(p)
        if self.image is not None and grid is not None:
            extent, values = grid
            self.image.set_data(values)
            self.image.set_extent(extent)
        return render_png(self.figure)
