"""plot_func_and_deriv: f and its derivatives, the tangent at x0, the typed formula, the library toggle."""
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from numpy.testing import assert_allclose

import jaxlite.numpy as lnp
from widgets import plot_func_and_deriv
from widgets.models import derivatives as model


def slope(line):
    xs, ys = line.get_data()
    return (ys[-1] - ys[0]) / (xs[-1] - xs[0])


def test_tangent_of_cube_at_one_has_slope_three():
    w = plot_func_and_deriv("x**3", order=1)
    w.x0 = 1.0
    assert_allclose(slope(w.lines["tangent"]), 3.0, rtol=1e-6)
    xs, ys = w.lines["tangent"].get_data()
    assert_allclose(np.interp(1.0, xs, ys), 1.0, rtol=1e-6)
    assert_allclose(w.lines["point"].get_data(), [[1.0], [1.0]])


def test_moving_the_x0_slider_moves_tangent_and_point():
    w = plot_func_and_deriv("sin(x)", order=1)
    w.x0_slider.value = 0.6
    assert w.x0 == 0.6
    assert_allclose(slope(w.lines["tangent"]), np.cos(0.6), rtol=1e-5)
    assert_allclose(w.point.values, [np.sin(0.6), np.cos(0.6)], rtol=1e-5)


def test_moving_x0_updates_artists_in_place_without_replotting():
    w = plot_func_and_deriv("sin(x) * x**2", order=2)
    axes = w.figure.axes[0]
    artists_before = list(axes.get_children())
    curve_before = w.lines["f"].get_ydata().copy()
    png_before = w.image_widget.value
    w.x0 = -1.25
    assert list(axes.get_children()) == artists_before
    assert_allclose(w.lines["f"].get_ydata(), curve_before)
    assert w.image_widget.value != png_before


def test_curves_match_jax_derivatives_up_to_order_four():
    w = plot_func_and_deriv("sin(x) * x**2", order=4)
    xs = w.lines["f"].get_xdata().astype(np.float32)
    fun = lambda x: jnp.sin(x) * x**2  # noqa: E731
    reference = fun
    for k, name in enumerate(["f", "f\u2032", "f\u2033", "f\u2034", "f\u207d\u2074\u207e"]):
        expected = np.asarray(jax.vmap(reference)(xs))
        assert_allclose(w.lines[name].get_ydata(), expected, rtol=2e-4, atol=2e-4)
        reference = jax.grad(reference)


def test_order_slider_shows_exactly_the_requested_derivatives():
    w = plot_func_and_deriv("exp(x)", order=1)
    w.order_slider.value = 3
    visible = [name for name, line in w.lines.items() if line.get_visible() and name not in ("tangent", "point")]
    assert visible == ["f", "f\u2032", "f\u2033", "f\u2034"]
    assert_allclose(w.lines["f\u2034"].get_ydata(), np.exp(w.lines["f"].get_xdata()), rtol=1e-5)


def test_readout_lists_each_derivative_at_x0():
    w = plot_func_and_deriv("x**3", order=2, x0=2.0)
    assert_allclose(w.point.values, [8.0, 12.0, 12.0])
    assert "f(2) = <b>8</b>" in w.readout.value
    assert "12" in w.readout.value


def test_typing_a_formula_in_the_text_box_replots():
    w = plot_func_and_deriv("x**2", order=1)
    w.expression_text.value = "cos(x)"
    assert w.expression == "cos(x)"
    assert_allclose(w.lines["f"].get_ydata(), np.cos(w.lines["f"].get_xdata()), rtol=1e-5, atol=1e-6)
    assert w.status_text == ""


def test_callable_with_jnp_keyword_runs_on_both_libraries():
    w = plot_func_and_deriv(lambda x, *, jnp: jnp.tanh(x), order=1)
    ours = w.lines["f\u2032"].get_ydata().copy()
    w.backend = "jax"
    assert w.status_text == ""
    assert_allclose(w.lines["f\u2032"].get_ydata(), ours, rtol=1e-5, atol=1e-6)


def test_jax_toggle_shows_the_largest_difference_between_libraries():
    w = plot_func_and_deriv("sin(x) * x**2", order=2)
    assert w.difference is None
    w.backend_toggle.value = "jax"
    assert w.backend == "jax"
    assert w.difference is not None and 0.0 <= w.difference < 1e-4
    assert "largest |jaxlite \u2212 JAX|" in w.comparison.value
    assert "JAX" in w.figure.axes[0].get_title(loc="left")


def test_typo_shows_a_message_and_keeps_the_previous_plot():
    w = plot_func_and_deriv("x**2", order=1)
    before = w.lines["f"].get_ydata().copy()
    png = w.image_widget.value
    w.expression_text.value = "sin(x"
    assert "could not read the formula" in w.status_text
    assert_allclose(w.lines["f"].get_ydata(), before)
    assert w.image_widget.value == png


def test_hostile_formula_in_the_text_box_is_refused_in_the_status_line():
    w = plot_func_and_deriv("x**2")
    w.expression_text.value = "__import__('os').system('echo hacked')"
    assert w.status.kind == "error"
    assert "not allowed" in w.status_text


def test_function_that_raises_shows_its_error_in_the_status_line():
    def broken(x):
        raise ZeroDivisionError("no luck today")

    w = plot_func_and_deriv(broken)
    assert w.status_text == "ZeroDivisionError: no luck today"
    assert w.curves is None


def test_non_scalar_function_reports_that_grad_needs_a_scalar():
    w = plot_func_and_deriv("x**2")
    before = w.lines["f"].get_ydata().copy()
    w._function = lambda x, *, jnp: jnp.stack([x, x])
    w.expression = ""
    assert "grad needs f to give one number for each x (a scalar output)" in w.status_text
    assert "(2,)" in w.status_text
    assert_allclose(w.lines["f"].get_ydata(), before)


def test_nan_at_x0_is_reported_in_the_status_line():
    w = plot_func_and_deriv("log(x)", x0=1.0)
    assert w.status_text == ""
    w.x0 = -1.0
    assert "not a finite number at x0 = -1" in w.status_text
    w.x0 = 2.0
    assert w.status_text == ""


def test_backend_toggle_offers_jaxlite_and_jax():
    w = plot_func_and_deriv("x**2")
    assert [value for _, value in w.backend_toggle.options] == ["jaxlite", "jax"]
    assert all(w.backend_toggle.tooltips)


def test_model_largest_difference_ignores_shared_nans():
    xs = np.linspace(0, 1, 3)
    a = model.Curves(xs, (np.array([1.0, np.nan, 3.0]),))
    b = model.Curves(xs, (np.array([1.5, np.nan, 3.0]),))
    assert model.largest_difference(a, b) == 0.5


def test_model_y_limits_ignore_a_pole():
    xs = np.linspace(-1.5, 1.5, 401)
    low, high = model.y_limits(np.where(np.abs(xs) > 1.49, 1e6, np.sin(xs)))
    assert -2 < low < -0.9 and 0.9 < high < 2


def test_readout_model_tangent_spans_the_x_range():
    derivs = model.derivatives("x**2", 1, "jaxlite")
    point = model.readout(derivs, 1.5, (-3.0, 3.0))
    assert_allclose(point.tangent_xs, [-3.0, 3.0])
    assert_allclose(point.tangent_ys, [2.25 + 3.0 * -4.5, 2.25 + 3.0 * 1.5])


def test_order_out_of_range_is_refused():
    with pytest.raises(ValueError, match="order must be between 1 and 4"):
        model.derivatives("x", 5, "jaxlite")


def test_function_written_with_jaxlite_numpy_runs_under_jax_too():
    w = plot_func_and_deriv(lambda x: lnp.sin(x) * 2.0)
    w.backend = "jax"
    assert w.status_text == ""
    assert_allclose(w.lines["f\u2032"].get_ydata(), 2 * np.cos(w.lines["f"].get_xdata()), rtol=1e-5, atol=1e-6)
    assert w.difference < 1e-5


def test_each_order_has_its_own_axes_stacked_and_sharing_x():
    w = plot_func_and_deriv("sin(x) * x**2", order=4)
    assert len(w.figure.axes) == 5
    assert all(ax.get_shared_x_axes().joined(w.figure.axes[0], ax) for ax in w.figure.axes)
    assert [ax.get_ylabel() for ax in w.figure.axes] == ["f", "f\u2032", "f\u2033", "f\u2034", "f\u207d\u2074\u207e"]
    w.order = 2
    assert len(w.figure.axes) == 3


def test_f_keeps_its_own_range_when_a_steep_derivative_is_shown():
    w = plot_func_and_deriv("exp(-x**2) * cos(3*x)", order=4)
    f_low, f_high = w.figure.axes[0].get_ylim()
    d4_low, d4_high = w.figure.axes[4].get_ylim()
    assert -0.7 < f_low < -0.4 and 1.0 < f_high < 1.3
    assert d4_high - d4_low > 100 * (f_high - f_low)


def test_log_gets_readable_axes_at_every_order():
    w = plot_func_and_deriv("log(x)", order=4, x0=1.0)
    f_low, f_high = w.figure.axes[0].get_ylim()
    assert -6 < f_low < -4 and 1 < f_high < 2
    spans = [high - low for low, high in (ax.get_ylim() for ax in w.figure.axes)]
    assert max(spans) < 1000, spans  # the pole at 0 leaves the axes instead of setting their range


def test_every_axes_marks_x0_with_a_point_on_its_curve():
    w = plot_func_and_deriv("x**3", order=3, x0=1.0)
    w.x0 = 2.0
    points = [point.get_data() for point in w.view.points]
    assert_allclose([y[0] for _, y in points], [8.0, 12.0, 12.0, 6.0])
    assert all(marker.get_xdata()[0] == 2.0 for marker in w.view.markers)


def test_the_fourth_derivative_is_written_with_superscripts():
    assert model.derivative_label(4) == "f\u207d\u2074\u207e"
    assert [model.derivative_label(k) for k in range(4)] == ["f", "f\u2032", "f\u2033", "f\u2034"]


def test_the_first_switch_to_jax_says_the_widget_is_busy_then_clears(monkeypatch):
    w = plot_func_and_deriv("x**2")
    seen = []
    real = model.derivatives
    monkeypatch.setattr(model, "derivatives", lambda *a: seen.append((w.status.kind, w.status.text)) or real(*a))
    w.backend = "jax"
    assert seen[0][0] == "busy" and seen[0][1].startswith("loading JAX and tracing")
    assert 'role="status"' not in w.status.value and w.status.kind == "ok"
    w.backend, seen[:] = "jaxlite", []
    w.backend = "jax"  # JAX's derivatives are cached now: no busy sign
    assert seen == []


def test_readout_lists_one_value_per_line_in_each_curves_ink():
    w = plot_func_and_deriv("x**3", order=2, x0=2.0)
    items = re.findall(r'<li class="jl-ink-(\d)">([^<]*)<b>([^<]*)</b></li>', w.readout.value)
    assert items == [("0", "f(2) = ", "8"), ("1", "f\u2032(2) = ", "12"), ("2", "f\u2033(2) = ", "12")]


def test_controls_sit_beside_the_plot():
    w = plot_func_and_deriv("x**2")
    row = w.children[0]
    assert row.children[0] is w.image_widget
    side = row.children[1].children
    assert [w.expression_text, w.backend_toggle, w.x0_slider, w.order_slider, w.readout] == list(side[:5])
    assert w.status in side
