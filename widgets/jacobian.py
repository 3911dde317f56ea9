"""Controller of the Jacobian builder: choose jvp or vjp, then step (or play) through the calls."""
import ipywidgets
import numpy as np
import traitlets

from widgets._controls import LectureWidget, beside, button, plot_width_beside
from widgets.models import jacobian as model
from widgets.views.jacobian import JacobianHeatmap, counters_html


class JacobianBuilder(LectureWidget):
    """The Jacobian of f at x, one column per jvp or one row per vjp; `.partial` has NaN where not yet known."""

    mode = traitlets.Unicode("jvp")

    def __init__(self, f=model.predict, x=model.SEED_W, mode="jvp", backend="jaxlite", interval_ms=700, theme=None):
        super().__init__(theme=theme)
        self.problem = model.problem(f, x, backend)
        self.progress = model.start(self.problem, mode)
        self.bound = self._magnitude()
        self.view = self._new_view()
        self.mode_buttons = ipywidgets.ToggleButtons(
            options=list(model.MODES), description="mode", style={"button_width": "auto"},
            tooltips=["forward mode: one column per call", "reverse mode: one row per call"],
        )  # fmt: skip
        self.step_button = button("step", "make the next jvp or vjp call", "step-forward")
        self.reset_button = button("reset", "forget every entry and start again", "undo")
        self.play = ipywidgets.Play(min=0, max=self.progress.total, interval=interval_ms, description="play",
                                    tooltip="make the calls one after another", show_repeat=False)  # fmt: skip
        self.image_widget = self.image()
        self.counters = ipywidgets.HTML()
        self.mode = mode
        traitlets.link((self, "mode"), (self.mode_buttons, "value"))
        self.observe(lambda change: self.reset(), names="mode")
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.play.observe(lambda change: self.guard(self._play_to, change.new), names="value")
        self.guard(self._redraw)
        buttons = ipywidgets.HBox([self.step_button, self.play, self.reset_button])
        buttons.layout.flex_flow = "row wrap"
        side = ipywidgets.VBox([self.mode_buttons, buttons, self.counters, self.status])
        self.set_body(beside(self.image_widget, side, self.theme), status=False)

    def _magnitude(self):
        try:
            return model.magnitude(self.problem)
        except Exception:  # f fails on a full Jacobian: the first step shows why, in the status line
            return 1.0

    def _new_view(self):
        return JacobianHeatmap(self.theme, self.problem.m, self.problem.n, self.bound,
                               plot_width_beside(self.theme), self.theme.height_px - 16)  # fmt: skip

    def redraw_for_theme(self):
        self.view = self._new_view()
        self._redraw()

    @property
    def figure(self):
        return self.view.figure

    @property
    def partial(self) -> np.ndarray:
        return self.progress.partial

    @property
    def calls(self) -> int:
        return self.progress.calls

    @property
    def done(self) -> bool:
        return self.progress.done

    def step(self) -> bool:
        """One more call (nothing happens once the Jacobian is complete); errors go to the status line."""
        return self.guard(self._step)

    def reset(self) -> bool:
        return self.guard(self._reset)

    def _step(self):
        self.progress = model.step(self.problem, self.progress)
        self._sync_play()
        self._redraw()

    def _reset(self):
        self.progress = model.start(self.problem, self.mode)
        self._sync_play()
        self._redraw()

    def _sync_play(self):
        self.play.max = self.progress.total
        if self.play.value != self.progress.calls:
            self.play.value = self.progress.calls

    def _play_to(self, calls):
        if calls == self.progress.calls:  # the play widget following a step or reset: already drawn
            return
        if calls < self.progress.calls:
            self.progress = model.start(self.problem, self.mode)
        while self.progress.calls < min(calls, self.progress.total):
            self.progress = model.step(self.problem, self.progress)
        self._redraw()

    def _redraw(self):
        matches = None
        if self.progress.done:
            full = model.reference(self.problem, self.progress.mode)
            matches = bool(np.allclose(self.progress.partial, full, rtol=1e-5, atol=1e-6))
        self.show_figure(self.image_widget, self.view.draw(self.progress), self.figure)
        lesson = model.cost_lesson(self.problem.n, self.problem.m)
        self.counters.value = counters_html(self.progress, lesson, matches)
        self.status.clear()
