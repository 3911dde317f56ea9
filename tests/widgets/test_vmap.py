"""VmapExplorer: in_axes/out_axes typed as text, the mapped axis drawn, the result shape or vmap's error."""
import jax
import numpy as np
import pytest

from widgets import VmapExplorer
from widgets.models import vmap as model


def matmul(x, y):
    return x @ y


A = np.ones((4, 3), np.float32)
B = np.ones((3, 2), np.float32)
BATCHED_B = np.ones((5, 3, 2), np.float32)


def test_result_shape_matches_jax():
    w = VmapExplorer(matmul, A, B, in_axes=(0, None))
    assert w.result_shape == jax.eval_shape(jax.vmap(matmul, in_axes=(0, None)), A, B).shape == (4, 2)
    assert w.error is None


def test_typing_in_axes_reruns_the_mapping():
    w = VmapExplorer(matmul, A, B, in_axes=(0, None))
    w.in_axes_text.value = "(1, None)"
    assert w.in_axes == (1, None)
    assert w.error is not None and "dot_general" in w.error


def test_typing_out_axes_moves_the_mapped_axis_in_the_result():
    w = VmapExplorer(matmul, A, B, in_axes=(0, None))
    w.out_axes_text.value = "1"
    assert w.out_axes == 1
    assert w.result_shape == (2, 4)


def test_inconsistent_sizes_show_jaxs_error_in_place():
    w = VmapExplorer(matmul, A, BATCHED_B, in_axes=(0, None))
    w.in_axes_text.value = "(0, 0)"
    assert w.result_shape is None
    assert w.error.startswith("ValueError: vmap got inconsistent sizes for array axes to be mapped")
    assert "size 4" in w.error and "size 5" in w.error
    assert "inconsistent sizes" in w.summary.value
    assert w.status.kind == "error"
    with pytest.raises(ValueError, match="vmap got inconsistent sizes for array axes to be mapped"):
        jax.vmap(matmul, in_axes=(0, 0))(A, BATCHED_B)


def test_invalid_text_is_refused_without_running_it():
    w = VmapExplorer(matmul, A, B, in_axes=(0, None))
    w.in_axes_text.value = "__import__('os').getcwd()"
    assert "is not an axes specification" in w.status_text
    assert w.in_axes == (0, None)
    assert w.result_shape == (4, 2)


@pytest.mark.parametrize("text,value", [("0", 0), ("None", None), ("(0, None)", (0, None)), ("[1, 0]", (1, 0)),
                                        ("(-1, None)", (-1, None))])  # fmt: skip
def test_parse_axes_reads_literals(text, value):
    assert model.parse_axes(text) == value


@pytest.mark.parametrize("text", ["1.5", "'a'", "x", "(0, 'a')", "{1: 2}", "0" * 200, "((((0,),),),)", "True"])
def test_parse_axes_refuses_anything_else(text):
    with pytest.raises(model.AxesError):
        model.parse_axes(text)


def test_per_example_call_slices_mapped_arguments_only():
    plan = model.plan(matmul, (A, B), in_axes=(0, None))
    assert plan.per_example_call == "f(x[i, :], y)"
    assert [a.example_shape for a in plan.arguments] == [(3,), (3, 2)]


def test_diagram_highlights_the_first_example_along_the_mapped_axis():
    w = VmapExplorer(matmul, A, B, in_axes=(0, None))
    highlighted = [p for p in w.view.blocks["x"] if p.get_facecolor() != w.view.blocks["y"][0].get_facecolor()]
    assert len(highlighted) == 3  # row 0 of a 4x3 block
    w.in_axes_text.value = "(1, None)"
    highlighted = [p for p in w.view.blocks["x"] if p.get_facecolor() != w.view.blocks["y"][0].get_facecolor()]
    assert len(highlighted) == 4  # column 0


def test_negative_axis_is_normalised_for_drawing():
    plan = model.plan(matmul, (A, B), in_axes=(-2, None))
    assert plan.arguments[0].axis == 0
    assert plan.result_shape == (4, 2)


def test_cells_are_two_lines_of_text_and_the_diagram_fits_the_width():
    import widgets
    from widgets.views.figure import css_size

    widgets.theme(scale=1.5)
    w = VmapExplorer(lambda x, y: x @ y, np.ones((4, 3), np.float32), np.ones((3, 2), np.float32), in_axes=(0, None))
    cell = w.view.blocks["x"][0]
    renderer = w.figure.canvas.get_renderer()
    assert cell.get_window_extent(renderer).width == pytest.approx(2.2 * 18, abs=1)
    wide = VmapExplorer(lambda *xs: sum(xs), *[np.ones((8, 8), np.float32)] * 4)
    assert css_size(wide.figure)[0] <= wide.theme.width_px


def test_a_function_written_with_jaxlite_numpy_maps_under_jax():
    import jaxlite.numpy as lnp

    w = VmapExplorer(lambda mat, v: lnp.dot(mat, v), np.ones((2, 3), np.float32), np.ones((5, 3), np.float32),
                     in_axes=(None, 0), backend="jax")  # fmt: skip
    assert w.result_shape == (5, 2) and w.error is None
