"""JacobianBuilder: one column per jvp or one row per vjp, NaN where unknown, equal to jacfwd/jacrev when done."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from numpy.testing import assert_allclose

from widgets import JacobianBuilder
from widgets.models import jacobian as model


def wide(x, *, jnp):
    """R^5 -> R^2."""
    return jnp.stack([jnp.sum(jnp.sin(x)), jnp.prod(x[:3])])


X5 = np.array([0.3, -0.7, 1.1, 0.5, 2.0], np.float32)


def test_seed_example_builds_the_jacobian_of_the_predictions():
    w = JacobianBuilder()
    assert (w.problem.m, w.problem.n) == (4, 3)
    for _ in range(3):
        w.step()
    expected = jax.jacfwd(lambda W: model.predict(W, jnp=jnp))(model.SEED_W)
    assert_allclose(w.partial, expected, rtol=1e-5, atol=1e-7)


def test_each_jvp_fills_one_column():
    w = JacobianBuilder(wide, X5, mode="jvp")
    assert np.isnan(w.partial).all()
    w.step_button.click()
    assert w.calls == 1
    assert np.isfinite(w.partial[:, 0]).all() and np.isnan(w.partial[:, 1:]).all()


def test_each_vjp_fills_one_row():
    w = JacobianBuilder(wide, X5, mode="vjp")
    w.step()
    assert np.isfinite(w.partial[0]).all() and np.isnan(w.partial[1]).all()


@pytest.mark.parametrize("mode,calls,build", [("jvp", 5, jax.jacfwd), ("vjp", 2, jax.jacrev)])
def test_complete_build_equals_jacfwd_or_jacrev(mode, calls, build):
    w = JacobianBuilder(wide, X5, mode=mode)
    while not w.done:
        w.step()
    assert w.calls == calls
    assert_allclose(w.partial, build(lambda x: wide(x, jnp=jnp))(X5), rtol=1e-5, atol=1e-6)
    assert "equals" in w.counters.value and "<b>yes</b>" in w.counters.value


def test_steps_after_completion_make_no_more_calls():
    w = JacobianBuilder(wide, X5, mode="vjp")
    for _ in range(4):
        w.step()
    assert w.calls == 2


def test_counters_compare_n_jvps_with_m_vjps_and_say_which_is_cheaper():
    w = JacobianBuilder(wide, X5, mode="jvp")
    assert "jvp calls: 0 of 5" in w.counters.value
    assert "building by vjp would take 2" in w.counters.value
    assert "reverse mode (jacrev, 2 vjps) is cheaper here" in w.counters.value


def test_play_value_drives_the_number_of_calls():
    w = JacobianBuilder(wide, X5, mode="jvp")
    assert w.play.max == 5
    w.play.value = 3
    assert w.calls == 3
    w.play.value = 1
    assert w.calls == 1
    assert np.isnan(w.partial[:, 1:]).all()


def test_switching_mode_starts_over():
    w = JacobianBuilder(wide, X5, mode="jvp")
    w.step()
    w.mode_buttons.value = "vjp"
    assert w.mode == "vjp" and w.calls == 0 and w.play.max == 2
    assert np.isnan(w.partial).all()


def test_reset_button_forgets_every_entry():
    w = JacobianBuilder(wide, X5)
    w.step()
    w.reset_button.click()
    assert w.calls == 0 and w.play.value == 0 and np.isnan(w.partial).all()


def test_heatmap_shows_the_partial_jacobian_and_frames_the_last_column():
    w = JacobianBuilder(wide, X5, mode="jvp")
    w.step()
    w.step()
    shown = w.view.image.get_array()
    assert_allclose(shown.filled(np.nan), w.partial)
    assert shown.mask[:, 2:].all() and not shown.mask[:, :2].any()
    assert w.view.frame.get_visible() and w.view.frame.get_x() == 0.5
    assert w.view.title.get_text() == "jvp #2: one-hot tangent e1 \u2192 column 1"


def test_scalar_output_is_a_one_row_jacobian():
    w = JacobianBuilder(lambda x, *, jnp: jnp.sum(x**2), np.array([1.0, 2.0], np.float32), mode="vjp")
    w.step()
    assert w.done
    assert_allclose(w.partial, [[2.0, 4.0]])


def test_matrix_input_is_refused_with_a_message():
    with pytest.raises(ValueError, match="x must be a vector"):
        model.problem(lambda x, *, jnp: x, np.ones((2, 2)))


def test_function_raising_during_a_step_shows_in_the_status_line():
    calls = []

    def fragile(x, *, jnp):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("the function broke")
        return jnp.sin(x)

    w = JacobianBuilder(fragile, np.ones(2, np.float32), mode="jvp")
    assert w.step() is False
    assert w.status_text == "RuntimeError: the function broke"
    assert w.calls == 0


def test_cost_lesson_for_square_jacobian():
    assert "both modes need the same number of calls" in model.cost_lesson(3, 3)


def with_zeros(x, *, jnp):
    """R^2 -> R^2 whose second row is all zeros: J = [[x1, x0], [0, 0]]."""
    return jnp.stack([x[0] * x[1], 0.0 * x[1]])


def test_unknown_cells_are_hatched_and_marked_unlike_a_computed_zero():
    w = JacobianBuilder(with_zeros, np.array([2.0, 3.0], np.float32), mode="jvp")
    w.step()
    texts = [[text.get_text() for text in row] for row in w.view.cell_texts]
    assert texts == [["3", "?"], ["0", "?"]]
    hatched = [[patch.get_visible() for patch in row] for row in w.view.unknown]
    assert hatched == [[False, True], [False, True]]
    assert all(patch.get_hatch() == "//" for row in w.view.unknown for patch in row)


def test_the_colour_scale_is_the_whole_jacobians_from_the_first_step():
    w = JacobianBuilder()
    full = jax.jacfwd(lambda W: model.predict(W, jnp=jnp))(model.SEED_W)
    bound = float(np.max(np.abs(full)))
    limits = [w.view.image.get_clim()]
    for _ in range(3):
        w.step()
        limits.append(w.view.image.get_clim())
    assert_allclose(limits, [(-bound, bound)] * 4, rtol=1e-5)


def test_cell_numbers_are_written_at_the_themes_size():
    import widgets

    widgets.theme(scale=1.5)
    w = JacobianBuilder()
    w.step()
    sizes = {text.get_fontsize() * 100 / 72 for row in w.view.cell_texts for text in row}
    assert sizes == {18.0}


def test_controls_and_counters_sit_beside_the_heatmap():
    w = JacobianBuilder()
    row = w.children[0]
    assert row.children[0] is w.image_widget
    assert w.counters in row.children[1].children and w.status in row.children[1].children


def test_a_function_written_with_jaxlite_numpy_builds_under_jax():
    import jaxlite.numpy as lnp

    w = JacobianBuilder(lambda x: lnp.sin(x) * 2.0, np.array([0.0, 1.0], np.float32), mode="vjp", backend="jax")
    w.step()
    w.step()
    assert w.status_text == "" and w.done
    assert_allclose(w.partial, np.diag(2 * np.cos([0.0, 1.0])), atol=1e-6)
