"""Controller of the gradient-descent widget: learning rate (log scale), step, play, reset, library toggle."""
import ipywidgets
import traitlets

from widgets._controls import SLACK_PX, LectureWidget, button
from widgets.models import training as model
from widgets.views.training import TrainingPlot


class GradientDescent(LectureWidget):
    """Plain gradient descent on the seed's logistic regression or on a small MLP, drawn as it trains."""

    learning_rate = traitlets.Float(0.1)
    backend = traitlets.Unicode("jaxlite")

    def __init__(self, problem="logistic", learning_rate=None, backend="jaxlite", steps_per_tick=5,
                 interval_ms=250, seed=0, theme=None):  # fmt: skip
        super().__init__(theme=theme)
        if problem not in model.PROBLEMS:
            raise ValueError(f"unknown problem {problem!r}: choose one of {', '.join(model.PROBLEMS)}")
        self.problem, self.seed, self.steps_per_tick = problem, seed, steps_per_tick
        self.learning_rate = learning_rate or (0.1 if problem == "logistic" else 0.5)
        self.backend = backend
        self.trainer = model.Trainer(problem, backend)
        self.state = self.trainer.start(seed)
        self.view = self._new_view()
        self.rate_slider = ipywidgets.FloatLogSlider(
            value=self.learning_rate, base=10, min=-3, max=1.5, step=0.05, description="learning rate",
            readout_format=".3g", style={"description_width": "initial"},
        )  # fmt: skip
        self.backend_toggle = ipywidgets.ToggleButtons(
            options=[("jaxlite", "jaxlite"), ("JAX", "jax")], value=backend,
            tooltips=["gradients by jaxlite", "gradients by real JAX"],
        )  # fmt: skip
        self.step_button = button("step", f"{steps_per_tick} gradient steps", "step-forward")
        self.reset_button = button("reset", "start again from the same initial parameters", "undo")
        self.play = ipywidgets.Play(min=0, max=100_000, interval=interval_ms, description="train",
                                    tooltip="keep training", show_repeat=False)  # fmt: skip
        self.image_widget = self.image()
        traitlets.link((self, "learning_rate"), (self.rate_slider, "value"))
        traitlets.link((self, "backend"), (self.backend_toggle, "value"))
        self.observe(lambda change: self.guard(self._switch_backend), names="backend")
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.play.observe(self._tick, names="value")
        self.guard(self._redraw)
        self.set_body(
            ipywidgets.HBox([self.rate_slider, self.backend_toggle]),
            ipywidgets.HBox([self.step_button, self.play, self.reset_button]),
            self.image_widget,
        )

    def _new_view(self):
        controls = 2 * round(36 * self.theme.scale) + round(2 * self.theme.font_px)  # two rows, the status line
        height = min(self.theme.height_px - controls, round(0.62 * self.theme.width_px))
        return TrainingPlot(self.theme, self.problem, self.trainer.data, self.theme.width_px - SLACK_PX, height)

    def redraw_for_theme(self):
        self.view = self._new_view()
        self._redraw()

    @property
    def figure(self):
        return self.view.figure

    @property
    def losses(self):
        return list(self.state.losses)

    @property
    def params(self):
        return self.state.params

    def step(self, steps=None) -> bool:
        """Train `steps` more steps (default: one tick's worth); on a NaN, stop and keep the last good state."""
        return self.guard(self._step, steps or self.steps_per_tick)

    def reset(self) -> bool:
        return self.guard(self._reset)

    def _step(self, steps):
        try:
            self.state = self.trainer.run(self.state, self.learning_rate, steps)
        except FloatingPointError:
            self.play.playing = False
            raise
        self._redraw()

    def _reset(self):
        self.play.playing = False
        self.state = self.trainer.start(self.seed)
        self._redraw()

    def _tick(self, change):
        if change.new > change.old:
            self.step()

    def _switch_backend(self):
        self.trainer = model.Trainer(self.problem, self.backend)
        self._redraw()

    def _redraw(self):
        if self.problem == "logistic":
            probabilities = self.trainer.probabilities(self.state.params, self.trainer.data.inputs)
            png = self.view.draw(self.state.losses, probabilities=probabilities)
        else:
            png = self.view.draw(self.state.losses, grid=self.trainer.grid(self.state.params))
        self.show_figure(self.image_widget, png, self.figure)
        self.status.clear()
