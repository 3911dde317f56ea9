"""Controller of the pytree view: a choice of tree_map, the diagram (showing what tree_map makes of each leaf),
and below it, side by side, the leaves in flatten order and the PyTreeDef with tree_map's result."""
import ipywidgets
import traitlets

from widgets._controls import SLACK_PX, LectureWidget
from widgets.models import pytree as model
from widgets.views.pytree import PytreeDiagram, leaves_html, structure_html


class PytreeView(LectureWidget):
    """A pytree drawn as a tree; `.leaves` and `.treedef_text` are what flatten gives."""

    map_function = traitlets.Enum(list(model.MAP_FUNCTIONS), next(iter(model.MAP_FUNCTIONS)))

    def __init__(self, tree, backend="jaxlite", theme=None):
        super().__init__(theme=theme)
        self.tree, self.backend = tree, backend
        self.model = None
        self.view = PytreeDiagram(self.theme, self.theme.width_px - SLACK_PX)
        self.map_dropdown = ipywidgets.Dropdown(
            options=list(model.MAP_FUNCTIONS), description="tree_map", tooltip="a function applied to every leaf",
            style={"description_width": "initial"}, layout={"width": "auto"},
        )  # fmt: skip
        self.image_widget = self.image()
        self.leaves_text = ipywidgets.HTML()
        self.texts = ipywidgets.HTML()
        for column in (self.leaves_text, self.texts):
            column.layout.flex = "1 1 0"
            column.layout.min_width = "0"
        traitlets.link((self, "map_function"), (self.map_dropdown, "value"))
        self.observe(lambda change: self.guard(self._rebuild), names="map_function")
        self.guard(self._rebuild)
        self.set_body(self.map_dropdown, self.image_widget, ipywidgets.HBox([self.leaves_text, self.texts]))

    def redraw_for_theme(self):
        self.view = PytreeDiagram(self.theme, self.theme.width_px - SLACK_PX)
        self._rebuild()

    @property
    def figure(self):
        return self.view.figure

    @property
    def leaves(self):
        return None if self.model is None else list(self.model.leaves)

    @property
    def treedef_text(self):
        return None if self.model is None else self.model.treedef_text

    def _rebuild(self):
        self.model = model.build(self.tree, self.map_function, self.backend)
        self.show_figure(self.image_widget, self.view.draw(self.model), self.figure)
        self.leaves_text.value = leaves_html(self.model)
        self.texts.value = structure_html(self.model)
        self.status.clear()


def show_pytree(tree, **kwargs) -> PytreeView:
    """tree as a diagram: containers, leaves (shape and dtype) numbered in flatten order, PyTreeDef, tree_map."""
    return PytreeView(tree, **kwargs)
