"""Controller of the vmap explorer: type in_axes and out_axes, see which slices become examples and what comes out."""
import ipywidgets
import traitlets

from widgets._controls import SLACK_PX, LectureWidget
from widgets.models import vmap as model
from widgets.views.vmap import VmapDiagram, summary_html


class VmapExplorer(LectureWidget):
    """vmap(f, in_axes, out_axes) on the given arguments; `.result_shape` or `.error` after every edit."""

    in_axes = traitlets.Any(0)
    out_axes = traitlets.Any(0)

    def __init__(self, f, *args, in_axes=0, out_axes=0, backend="jaxlite", theme=None):
        super().__init__(theme=theme)
        self.f, self.args, self.backend = f, args, backend
        self.plan = None
        self.view = VmapDiagram(self.theme, self.theme.width_px - SLACK_PX)
        self.in_axes_text = ipywidgets.Text(
            value=repr(in_axes), description="in_axes", continuous_update=False,
            tooltip="an int, None, or a tuple with one entry per argument, e.g. (0, None)",
        )  # fmt: skip
        self.out_axes_text = ipywidgets.Text(
            value=repr(out_axes), description="out_axes", continuous_update=False,
            tooltip="where the mapped axis goes in the output",
        )  # fmt: skip
        self.image_widget = self.image()
        self.summary = ipywidgets.HTML()
        with self.hold_trait_notifications():
            self.in_axes, self.out_axes = in_axes, out_axes
        self.in_axes_text.observe(lambda change: self.guard(self._read, "in_axes", change.new), names="value")
        self.out_axes_text.observe(lambda change: self.guard(self._read, "out_axes", change.new), names="value")
        self.observe(lambda change: self.guard(self._replan), names=["in_axes", "out_axes"])
        self.guard(self._replan)
        self.set_body(ipywidgets.HBox([self.in_axes_text, self.out_axes_text]), self.image_widget, self.summary)

    def redraw_for_theme(self):
        self.view = VmapDiagram(self.theme, self.theme.width_px - SLACK_PX)
        self._replan()

    @property
    def figure(self):
        return self.view.figure

    @property
    def result_shape(self):
        return None if self.plan is None else self.plan.result_shape

    @property
    def error(self):
        return None if self.plan is None else self.plan.error

    def _read(self, name, text):
        value = model.parse_axes(text)
        if getattr(self, name) == value:
            self._replan()
        setattr(self, name, value)

    def _replan(self):
        for text, value in ((self.in_axes_text, self.in_axes), (self.out_axes_text, self.out_axes)):
            if text.value.strip() != repr(value):
                text.value = repr(value)
        self.plan = model.plan(self.f, self.args, self.in_axes, self.out_axes, self.backend)
        self.show_figure(self.image_widget, self.view.draw(self.plan), self.figure)
        self.summary.value = summary_html(self.plan)
        if self.plan.error:
            self.status.error(self.plan.error.splitlines()[0])
        else:
            self.status.clear()
