"""Controller of the pytree view: the diagram, the leaves in flatten order, the PyTreeDef, a choice of tree_map."""
import ipywidgets
import traitlets

from widgets._controls import LectureWidget
from widgets.models import pytree as model
from widgets.views.pytree import PytreeDiagram, texts_html


class PytreeView(LectureWidget):
    """A pytree drawn as a tree; `.leaves` and `.treedef_text` are what flatten gives."""

    map_function = traitlets.Enum(list(model.MAP_FUNCTIONS), next(iter(model.MAP_FUNCTIONS)))

    def __init__(self, tree, backend="jaxlite", theme=None):
        super().__init__(theme=theme)
        self.tree, self.backend = tree, backend
        self.model = None
        self.view = PytreeDiagram(self.theme)
        self.map_dropdown = ipywidgets.Dropdown(
            options=list(model.MAP_FUNCTIONS), description="tree_map", tooltip="a function applied to every leaf"
        )
        self.map_dropdown.layout.width = "28em"
        self.image_widget = self.image(b"")
        self.texts = ipywidgets.HTML()
        traitlets.link((self, "map_function"), (self.map_dropdown, "value"))
        self.observe(lambda change: self.guard(self._rebuild), names="map_function")
        self.guard(self._rebuild)
        self.children = [self.image_widget, self.map_dropdown, self.texts, self.status]

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
        self.image_widget.value = self.view.draw(self.model)
        self.texts.value = texts_html(self.model, self.theme)
        self.status.clear()


def show_pytree(tree, **kwargs) -> PytreeView:
    """tree as a diagram: containers, leaves (shape and dtype) numbered in flatten order, PyTreeDef, tree_map."""
    return PytreeView(tree, **kwargs)
