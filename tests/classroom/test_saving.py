"""Before a notebook is written, a widget output whose model state is not saved with it becomes a one-line note,
so that the reopened notebook never shows "Error displaying widget: model not found"."""
import logging

import nbformat

from classroom import saving


def widget_output(model_id):
    return nbformat.v4.new_output(
        "display_data",
        data={saving.WIDGET_VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0},
              "text/plain": "FunctionDerivatives(children=(HBox(...), ...))"},
    )


def lesson(*outputs, saved=()):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("widgets.FunctionDerivatives()", execution_count=1)
    cell.outputs = list(outputs)
    nb.cells = [cell, nbformat.v4.new_markdown_cell("text")]
    if saved:
        nb.metadata["widgets"] = {saving.WIDGET_STATE: {
            "state": {model_id: {"model_name": "VBoxModel", "state": {}} for model_id in saved},
            "version_major": 2, "version_minor": 0}}
    # What the contents manager hands the hook: the notebook as plain JSON data.
    return nbformat.from_dict(nb)


class ContentsManager:
    log = logging.getLogger("test")


def test_a_widget_whose_state_is_saved_is_kept_as_it_is():
    nb = lesson(widget_output("a"), saved=["a"])
    assert saving.replace_unsaved_widgets(nb) == 0
    assert saving.WIDGET_VIEW in nb.cells[0].outputs[0]["data"]


def test_a_widget_whose_state_is_not_saved_becomes_the_placeholder_line():
    nb = lesson(widget_output("a"), widget_output("b"), saved=["a"])
    assert saving.replace_unsaved_widgets(nb) == 1
    assert nb.cells[0].outputs[1]["data"] == {"text/plain": saving.PLACEHOLDER}
    assert saving.WIDGET_VIEW in nb.cells[0].outputs[0]["data"]


def test_without_any_saved_state_every_widget_becomes_the_placeholder_line():
    nb = lesson(widget_output("a"), widget_output("b"))
    assert saving.replace_unsaved_widgets(nb) == 2
    assert [output["data"] for output in nb.cells[0].outputs] == [{"text/plain": saving.PLACEHOLDER}] * 2


def test_other_outputs_are_left_alone():
    stream = nbformat.v4.new_output("stream", text="hello\n")
    html = nbformat.v4.new_output("display_data", data={"text/html": "<b>hi</b>", "text/plain": "hi"})
    nb = lesson(stream, html)
    assert saving.replace_unsaved_widgets(nb) == 0
    assert nb.cells[0].outputs == [stream, html]


def test_the_placeholder_keeps_the_output_a_valid_notebook_output():
    nb = lesson(widget_output("a"))
    saving.replace_unsaved_widgets(nb)
    nbformat.validate(nb)


def test_the_hook_changes_a_notebook_model_in_place():
    model = {"type": "notebook", "content": lesson(widget_output("a"))}
    saving.pre_save_hook(model=model, path="02_grad.ipynb", contents_manager=ContentsManager())
    assert model["content"].cells[0].outputs[0]["data"] == {"text/plain": saving.PLACEHOLDER}


def test_the_hook_leaves_other_files_alone():
    model = {"type": "file", "format": "text", "content": '{"model_id": "a"}'}
    saving.pre_save_hook(model=model, path="notes.txt", contents_manager=ContentsManager())
    assert model["content"] == '{"model_id": "a"}'


def test_the_placeholder_is_one_line_saying_what_to_do():
    assert "\n" not in saving.PLACEHOLDER
    assert "run this cell" in saving.PLACEHOLDER
