"""View of the vmap explorer: each argument as a block of cells in its shape, the mapped axis highlighted.

The cells of example i = 0 are filled with the highlight colour and an arrow runs along the mapped axis; an
unmapped argument is drawn plain, since every example sees all of it. The layout changes with the axes, so this
view clears and redraws its one axes (it is not on a slider's path), and sizes the figure to what it drew: a cell
is about two lines of text, smaller only when the arrays would not fit the width otherwise."""
from matplotlib.patches import FancyArrowPatch, Rectangle

from widgets.models.vmap import VmapPlan
from widgets.themes import Theme
from widgets.views.figure import new_figure, render_png, themed

MAX_CELLS = 8  # per dimension drawn; longer axes end with an ellipsis
CELL_LINES = 2.2  # a cell's side, in text sizes
CHAR_WIDTH = 0.62  # a monospace character's width, in text sizes


def shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


class VmapDiagram:
    def __init__(self, theme: Theme, width_px: int):
        self.theme = theme
        self.width_px = width_px
        self.figure = new_figure(theme, width_px, 200, margins=(0, 0, 0, 0))
        self.axes = self.figure.axes[0]
        self.blocks = {}  # name -> the Rectangles drawn for it, for tests

    def draw(self, plan: VmapPlan) -> bytes:
        cell = CELL_LINES * self.theme.font_px
        width = self._draw(plan, cell)
        if width * cell > self.width_px:  # too wide: smaller cells (the texts keep their size)
            cell = self.width_px / width
            width = self._draw(plan, cell)
        height = self.axes.get_ylim()[1] - self.axes.get_ylim()[0]
        self.figure.set_size_inches(*self.theme.figsize(min(self.width_px, width * cell), height * cell))
        return render_png(self.figure)

    def _draw(self, plan: VmapPlan, cell_px: float) -> float:
        """Draw with cells of cell_px pixels; return the width drawn, in cells."""
        ax, theme = self.axes, self.theme
        ax.clear()
        ax.set_axis_off()
        self._char = CHAR_WIDTH * theme.font_px / cell_px  # one character, in cells
        self.blocks = {}
        self._depth = 1
        x = 0.0
        with themed(theme):
            for arg in plan.arguments:
                x = self._block(arg.name, arg.shape, arg.axis, x, arg.dtype) + 1.5
            ax.text(x - 0.75, 0.5, "\u2192", ha="center", va="center", fontsize=theme.font_pt * 2)
            x += 0.5
            if plan.error is None and isinstance(plan.result_shape, tuple):
                x = self._block("out", plan.result_shape, plan.result_axis, x, "") + 0.5
            else:
                message = "error" if plan.error else "out: " + str(plan.result_shape)
                ax.text(x, 0.5, message, va="center", color=theme.color(6) if plan.error else theme.foreground)
                x += len(message) * self._char + 0.5
            note = "highlighted: the cells that example i = 0 sees"
            line = 1.35 * theme.font_px / cell_px  # one line of text, in cells
            bottom = self._bottom(self._depth) - 0.25 - line
            ax.text(0.0, bottom - 0.4 * line, note, va="top", color=theme.muted)
            right = max(x, len(note) * self._char + 0.5)
            ax.set_xlim(-0.6, right)
            ax.set_ylim(bottom - 1.6 * line, 1.3 + line)
        return right + 0.6

    @staticmethod
    def _bottom(rows):
        """The y below a grid of this many rows (the top row spans 0 to 1), and below its ellipsis if it has one."""
        return -min(rows, MAX_CELLS) + 1 - (0.8 if rows > MAX_CELLS else 0.0)

    def _block(self, name, shape, axis, x0, dtype) -> float:
        """Draw one array at x0 (top left); return the x where the next one may start."""
        ax, theme = self.axes, self.theme
        shape = tuple(shape)
        rows, cols = _grid(shape)
        row_axis, col_axis = (len(shape) - 2, len(shape) - 1) if len(shape) >= 2 else (None, len(shape) - 1)
        patches = []
        for r in range(min(rows, MAX_CELLS)):
            for c in range(min(cols, MAX_CELLS)):
                first = _in_first_example(r, c, axis, row_axis, col_axis)
                face = theme.fill(1) if first else theme.background
                rect = Rectangle((x0 + c, -r), 1, 1, facecolor=face, edgecolor=theme.foreground, linewidth=theme.px)
                ax.add_patch(rect)
                patches.append(rect)
        self.blocks[name] = patches
        self._depth = max(self._depth, rows)
        width = min(cols, MAX_CELLS)
        if cols > MAX_CELLS:
            ax.text(x0 + width + 0.1, 0.5, "\u2026", va="center")
        if rows > MAX_CELLS:
            ax.text(x0 + width / 2, self._bottom(rows) + 0.8, "\u22ee", ha="center", va="top")
        label = f"{name}: {dtype}{shape_text(shape)}" if dtype else f"{name}: {shape_text(shape)}"
        ax.text(x0, 1.3, label, va="bottom", fontfamily="monospace")
        if axis is not None:
            self._arrow(x0, rows, cols, axis, row_axis, col_axis, shape)
        return x0 + max(width + (0.8 if cols > MAX_CELLS else 0.0), len(label) * self._char)

    def _arrow(self, x0, rows, cols, axis, row_axis, col_axis, shape):
        ax, theme = self.axes, self.theme
        if axis == col_axis:
            start, end = (x0, 1.15), (x0 + min(cols, MAX_CELLS), 1.15)
        elif axis == row_axis:
            start, end = (x0 - 0.3, 1.0), (x0 - 0.3, 1.0 - min(rows, MAX_CELLS))
        else:
            ax.text(x0, self._bottom(rows) - 0.25, f"mapped: axis {axis} (size {shape[axis]})", va="top",
                    color=theme.color(5))
            return
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=17 * theme.px,
                                     color=theme.color(5), linewidth=2 * theme.px))
        ax.text(x0, self._bottom(rows) - 0.25, f"axis {axis}, size {shape[axis]}", va="top", color=theme.color(5))


def _in_first_example(r, c, axis, row_axis, col_axis) -> bool:
    """Whether cell (r, c) belongs to example i = 0; a leading axis's first slice is the whole grid drawn."""
    if axis is None:
        return False
    if axis == row_axis:
        return r == 0
    if axis == col_axis:
        return c == 0
    return True


def _grid(shape):
    """Rows and columns of cells for a shape: the last two dimensions (a scalar is one cell)."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return 1, shape[0]
    return shape[-2], shape[-1]


def summary_html(plan: VmapPlan) -> str:
    """The per-example call, each example's shapes, and the result shape (or vmap's error) as text."""
    rows = [f"<b>one example:</b> <code>{plan.per_example_call}</code> with "
            + ", ".join(f"<code>{a.name}: {shape_text(a.example_shape)}</code>" for a in plan.arguments)]
    sizes = sorted({a.size for a in plan.arguments if a.size is not None})
    if sizes:
        rows.append(f"<b>examples:</b> {' vs '.join(str(s) for s in sizes)}")
    if plan.error:
        message = plan.error.replace("&", "&amp;").replace("<", "&lt;")
        rows.append(f'<b>error:</b><pre class="jl-error">{message}</pre>')
    else:
        rows.append(f"<b>result shape:</b> <code>{plan.result_shape}</code> (out_axes={plan.out_axes!r})")
    return '<div class="jaxlite-vmap-summary">' + "<br>".join(rows) + "</div>"

