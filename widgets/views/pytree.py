"""View of a pytree: a tree diagram with the leaves numbered in flatten order and, under each leaf, what the
chosen tree_map function makes of it; plus the texts beside it (the leaves in order, the PyTreeDef, the result).

Leaves sit left to right in the order tree_flatten returns them, so the numbers under them read 0, 1, 2, ...;
empty containers and None take a slot too, with no number, because they hold no leaf."""
import html

from widgets.models.pytree import Node, PytreeModel
from widgets.themes import Theme
from widgets.views.figure import new_figure, render_png, themed

ROW_LINES = 3.4  # text lines of height between two levels of the tree
LEAF_LINES = 4.6  # a leaf's box, its number and its mapped value
TOP_LINES = 1.0  # room above the root's box


def layout(root: Node) -> dict:
    """(x, depth) of each node, keyed by id: terminals spaced by one in order, parents over their children."""
    positions, slot = {}, [0]

    def place(node, depth):
        if not node.children:
            positions[id(node)] = (float(slot[0]), depth)
            slot[0] += 1
        else:
            xs = [place(child, depth + 1)[0] for child in node.children]
            positions[id(node)] = ((xs[0] + xs[-1]) / 2, depth)
        return positions[id(node)]

    place(root, 0)
    return positions


def diagram_height(theme: Theme, depth: int) -> int:
    """CSS pixels for a tree `depth` levels deep (below its root)."""
    return round((ROW_LINES * depth + LEAF_LINES + TOP_LINES) * 1.25 * theme.font_px)


class PytreeDiagram:
    def __init__(self, theme: Theme, width_px: int):
        self.theme = theme
        self.width_px = width_px
        self.figure = new_figure(theme, width_px, diagram_height(theme, 1), margins=(0, 0, 0, 0))
        self.axes = self.figure.axes[0]
        self.positions = {}

    def draw(self, model: PytreeModel) -> bytes:
        ax, theme = self.axes, self.theme
        ax.clear()
        ax.set_axis_off()
        self.positions = layout(model.root)
        slots = 1 + max(x for x, _ in self.positions.values())
        depth = max(d for _, d in self.positions.values())
        height = diagram_height(theme, depth)
        self.figure.set_size_inches(*theme.figsize(self.width_px, height))
        with themed(theme):  # the y axis counts in lines of text (see diagram_height)
            for node in model.root.walk():
                self._edges(node)
            for node in model.root.walk():
                self._node(node, model)
        ax.set_xlim(-0.5, slots - 0.5)
        ax.set_ylim(-(ROW_LINES * depth + LEAF_LINES), TOP_LINES)
        return render_png(self.figure)

    def _y(self, depth):
        return -ROW_LINES * depth

    def _edges(self, node):
        ax, theme = self.axes, self.theme
        x, d = self.positions[id(node)]
        for child in node.children:
            cx, cd = self.positions[id(child)]
            ax.plot([x, cx], [self._y(d) - 0.5, self._y(cd) + 0.5], color=theme.muted, linewidth=1.2 * theme.px,
                    zorder=1)  # fmt: skip
            # Nearer the child than the parent, so that the keys of siblings do not run into each other.
            key_x, key_y = x + 0.65 * (cx - x), self._y(d) + 0.6 * (self._y(cd) - self._y(d))
            ax.text(key_x, key_y, child.key, ha="center", va="center", fontfamily="monospace", color=theme.color(5),
                    zorder=2, bbox={"boxstyle": "round,pad=0.1", "facecolor": theme.background, "edgecolor": "none"})

    def _node(self, node, model):
        ax, theme = self.axes, self.theme
        x, d = self.positions[id(node)]
        y = self._y(d)
        if node.is_leaf:
            box = {"boxstyle": "square,pad=0.3", "facecolor": theme.fill(2), "edgecolor": theme.foreground,
                   "linewidth": theme.px}  # fmt: skip
            ax.text(x, y, node.label, ha="center", va="center", bbox=box, zorder=3, fontfamily="monospace",
                    color="#000000")  # fmt: skip
            ax.text(x, y - 1.0, f"leaf {node.leaf_index}", ha="center", va="top", color=theme.foreground,
                    fontweight="bold")  # fmt: skip
            if model.mapped_leaves:
                ax.text(x, y - 2.2, "\u2192 " + model.mapped_leaves[node.leaf_index], ha="center", va="top",
                        color=theme.color(6), fontfamily="monospace")  # fmt: skip
        else:
            box = {"boxstyle": "round,pad=0.3", "facecolor": theme.background, "edgecolor": theme.color(1),
                   "linewidth": 1.5 * theme.px}  # fmt: skip
            ax.text(x, y, node.label, ha="center", va="center", bbox=box, zorder=3)


def leaves_html(model: PytreeModel) -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td><code>{html.escape(path or '(root)')}</code></td>"
        f"<td><code>{html.escape(_leaf_text(leaf))}</code></td></tr>"
        for i, (path, leaf) in enumerate(zip(model.paths, model.leaves))
    )
    return (
        '<div class="jaxlite-pytree"><b>tree_flatten: the leaves in order</b>'
        f"<table><tr><th>#</th><th>path</th><th>leaf</th></tr>{rows}</table></div>"
    )


def structure_html(model: PytreeModel) -> str:
    return (
        f'<div class="jaxlite-pytree"><b>the structure (PyTreeDef)</b><pre>{html.escape(model.treedef_text)}</pre>'
        f'<b>tree_map({html.escape(model.map_name)}, tree)</b>'
        f'<pre class="jl-ink-6">{html.escape(model.mapped_text)}</pre></div>'
    )


def _leaf_text(leaf) -> str:
    text = " ".join(repr(leaf).split())
    return text if len(text) <= 40 else text[:37] + "..."
