"""View of a pytree: a tree diagram with the leaves numbered in flatten order, plus the texts beside it.

Leaves sit left to right in the order tree_flatten returns them, so the numbers under them read 0, 1, 2, ...;
empty containers and None take a slot too, with no number, because they hold no leaf."""
import html

from widgets.models.pytree import Node, PytreeModel
from widgets.themes import Theme
from widgets.views.figure import new_figure, render_png, themed


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


class PytreeDiagram:
    def __init__(self, theme: Theme):
        self.theme = theme
        self.figure = new_figure(theme, 7.0, 3.6, margins=(0.01, 0.01, 0.99, 0.99))
        self.axes = self.figure.axes[0]
        self.positions = {}

    def draw(self, model: PytreeModel) -> bytes:
        ax, theme = self.axes, self.theme
        ax.clear()
        ax.set_axis_off()
        self.positions = layout(model.root)
        slots = 1 + max(x for x, _ in self.positions.values())
        depth = max(d for _, d in self.positions.values())
        self.figure.set_size_inches(*theme.figsize(min(14.0, max(6.0, 1.5 * slots)), 1.6 + 1.1 * depth))
        with themed(theme):
            for node in model.root.walk():
                self._edges(node)
            for node in model.root.walk():
                self._node(node)
        ax.set_xlim(-0.8, slots - 0.2)
        ax.set_ylim(-depth - 0.8, 0.5)
        return render_png(self.figure)

    def _edges(self, node):
        ax, theme = self.axes, self.theme
        x, d = self.positions[id(node)]
        for child in node.children:
            cx, cd = self.positions[id(child)]
            ax.plot([x, cx], [-d, -cd], color=theme.muted, linewidth=1.2 * theme.scale, zorder=1)
            ax.text((x + cx) / 2, -(d + cd) / 2, child.key, ha="center", va="center", fontfamily="monospace",
                    fontsize=theme.font_pt * 0.85, color=theme.color(5),
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": theme.background, "edgecolor": "none"})

    def _node(self, node):
        ax, theme = self.axes, self.theme
        x, d = self.positions[id(node)]
        if node.is_leaf:
            box = {"boxstyle": "square,pad=0.3", "facecolor": theme.color(2), "edgecolor": theme.foreground}
            ax.text(x, -d, node.label, ha="center", va="center", bbox=box, zorder=3, fontfamily="monospace",
                    color="#000000")
            ax.text(x, -d - 0.22, f"leaf {node.leaf_index}", ha="center", va="top", color=theme.foreground,
                    fontsize=theme.font_pt * 0.85, fontweight="bold")
        else:
            box = {"boxstyle": "round,pad=0.3", "facecolor": theme.background, "edgecolor": theme.color(1),
                   "linewidth": 1.5 * theme.scale}  # fmt: skip
            ax.text(x, -d, node.label, ha="center", va="center", bbox=box, zorder=3)


def texts_html(model: PytreeModel, theme: Theme) -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td><code>{html.escape(path or '(root)')}</code></td>"
        f"<td><code>{html.escape(_leaf_text(leaf))}</code></td></tr>"
        for i, (path, leaf) in enumerate(zip(model.paths, model.leaves))
    )
    style = f"font-size:{theme.font_px:.0f}px;"
    return (
        f'<div class="jaxlite-pytree" style="{style}">'
        f"<b>tree_flatten: the leaves in order</b>"
        f'<table><tr><th>#</th><th>path</th><th>leaf</th></tr>{rows}</table>'
        f"<b>the structure (PyTreeDef)</b><pre>{html.escape(model.treedef_text)}</pre>"
        f"<b>tree_map({html.escape(model.map_name)}, tree)</b><pre>{html.escape(model.mapped_text)}</pre>"
        "</div>"
    )


def _leaf_text(leaf) -> str:
    text = repr(leaf)
    return text if len(text) <= 60 else text[:57] + "..."
