"""GradientDescent: the seed's logistic regression and a small MLP, trained live on jaxlite or JAX."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

from widgets import GradientDescent
from widgets.models import training as model


def test_logistic_data_is_the_seed_articles():
    data = model.dataset("logistic")
    assert data.inputs.shape == (4, 3)
    assert_allclose(data.inputs[0], [0.52, 1.12, 0.77])
    assert data.targets.tolist() == [1.0, 1.0, 0.0, 1.0]


def test_step_button_lowers_the_logistic_loss():
    w = GradientDescent("logistic", steps_per_tick=5)
    w.step_button.click()
    assert len(w.losses) == 6
    assert w.losses[-1] < w.losses[0]
    xs, ys = w.view.loss_line.get_data()
    assert_allclose(ys, w.losses)


def test_jaxlite_and_jax_train_to_the_same_losses():
    ours = model.Trainer("logistic", "jaxlite")
    theirs = model.Trainer("logistic", "jax")
    a = ours.run(ours.start(), 0.1, 20)
    b = theirs.run(theirs.start(), 0.1, 20)
    assert_allclose(a.losses, b.losses, rtol=1e-5)


def test_bars_show_the_predicted_probabilities():
    w = GradientDescent("logistic")
    w.step(50)
    heights = [bar.get_height() for bar in w.view.bars]
    assert_allclose(heights, w.trainer.probabilities(w.params, w.trainer.data.inputs), rtol=1e-6)
    assert heights[2] < 0.5 < heights[0]  # input 2 is the negative example


def test_learning_rate_slider_is_logarithmic_and_sets_the_trait():
    w = GradientDescent("logistic")
    assert w.rate_slider.base == 10
    w.rate_slider.value = 0.01
    assert w.learning_rate == pytest.approx(0.01)
    slow = GradientDescent("logistic", learning_rate=0.01)
    fast = GradientDescent("logistic", learning_rate=1.0)
    slow.step(10)
    fast.step(10)
    assert fast.losses[-1] < slow.losses[-1]


def test_huge_learning_rate_reports_nan_and_keeps_the_last_good_state():
    w = GradientDescent("logistic", learning_rate=1e6)
    before = w.losses
    assert w.step(5) is False
    assert "the loss became" in w.status_text and "learning rate is too large" in w.status_text
    assert w.losses == before
    assert not w.play.playing


def test_reset_returns_to_the_initial_parameters():
    w = GradientDescent("logistic")
    first = w.losses[0]
    w.step(10)
    w.reset_button.click()
    assert w.losses == [first]


def test_play_ticks_train():
    w = GradientDescent("logistic", steps_per_tick=3)
    w.play.value = 1
    w.play.value = 2
    assert len(w.losses) == 7


def test_switching_to_jax_continues_from_the_same_parameters():
    w = GradientDescent("logistic")
    w.step(10)
    loss = w.losses[-1]
    w.backend_toggle.value = "jax"
    assert w.trainer.backend == "jax"
    w.step(1)
    assert w.losses[-2] == loss and w.losses[-1] < loss


def test_mlp_decision_image_updates_in_place():
    w = GradientDescent("mlp", steps_per_tick=10)
    image = w.view.image
    before = np.array(image.get_array())
    w.step()
    w.step()
    assert w.view.image is image
    after = np.array(image.get_array())
    assert after.shape == (model.GRID, model.GRID)
    assert not np.allclose(before, after)
    assert w.losses[-1] < w.losses[0]


def test_moons_are_two_balanced_classes():
    data = model.moons()
    assert data.inputs.shape == (80, 2) and data.targets.sum() == 40


def test_unknown_problem_is_refused():
    with pytest.raises(ValueError, match="unknown problem 'svm'"):
        GradientDescent("svm")


def test_the_logistic_loss_is_the_seeds_plus_weight_decay():
    params = model.init_params("logistic", 0)
    data = model.dataset("logistic")
    z = data.inputs @ params["W"] + params["b"]
    preds = 1 / (1 + np.exp(-z))
    seed = -np.sum(np.log(preds * data.targets + (1 - preds) * (1 - data.targets)))
    expected = seed + model.WEIGHT_DECAY / 2 * np.sum(params["W"] ** 2)
    assert_allclose(model.Trainer("logistic", "jaxlite").start(0).losses[0], expected, rtol=1e-5)


def test_a_much_larger_rate_makes_the_logistic_loss_climb():
    w = GradientDescent("logistic", learning_rate=10.0)
    assert w.step(30)
    losses = np.array(w.losses)
    assert losses[-1] > 100 * losses[0]
    assert (np.diff(losses[-10:]) > 0).all()


def test_the_largest_rate_diverges_past_float32_and_says_so():
    w = GradientDescent("logistic", learning_rate=10**1.5)
    assert w.step(60) is False
    assert "gradient descent diverged, the learning rate is too large" in w.status_text
    assert len(w.losses) == 1  # the tick that diverged is not kept


def test_a_loss_that_rounds_to_zero_is_drawn_on_the_floor_of_the_log_axis():
    w = GradientDescent("mlp")
    w.view.draw([0.7, 0.1, 0.0, 0.0])
    floor = w.view.loss_axes.get_ylim()[0]
    xs, ys = w.view.zeros.get_data()
    assert list(xs) == [2, 3] and list(ys) == [floor, floor] and not w.view.zeros.get_clip_on()
    assert np.isnan(w.view.loss_line.get_ydata()[2])
    assert w.view.loss_title.get_text() == "loss 0 (rounded), step 3"


def test_step_zero_is_drawn_as_a_point_inside_the_axes():
    w = GradientDescent("logistic")
    xs, ys = w.view.ends.get_data()
    assert list(xs) == [0, 0] and ys[0] == w.losses[0]
    assert w.view.loss_axes.get_xlim()[0] < 0


def test_the_legend_sits_above_the_bars_and_the_targets_are_not_clipped():
    w = GradientDescent("logistic")
    renderer = w.figure.canvas.get_renderer()
    legend = w.view.data_axes.get_legend().get_window_extent(renderer)
    axes = w.view.data_axes.get_window_extent(renderer)
    assert legend.y0 >= axes.y1 - 1
    targets = next(line for line in w.view.data_axes.get_lines() if line.get_label() == "target")
    assert not targets.get_clip_on()
