"""What the Jupyter server does to a notebook before it writes it: no widget left that would not come back.

A widget's output only names its model; the model lives in the kernel. JupyterLab and Notebook 7 can save every
model's state in the notebook's metadata (the `saveState` setting, on in this project's settings), and then a
reopened notebook draws the widgets as they were. An output whose model is not saved (the setting off, the kernel
restarted, the widget closed) would show "Error displaying widget: model not found"; it is saved as a one-line
note instead. jupyter-config/jupyter_server_config.py installs `pre_save_hook`.
"""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
PLACEHOLDER = "Interactive widget: run this cell to bring it back."


def saved_models(notebook: dict) -> set:
    """The ids of the widget models whose state is saved in the notebook's metadata."""
    return set(notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}))


def replace_unsaved_widgets(notebook: dict) -> int:
    """Turn each widget output whose model is not saved into the placeholder line; return how many there were."""
    saved = saved_models(notebook)
    replaced = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None and view.get("model_id") not in saved:
                output["data"] = {"text/plain": PLACEHOLDER}
                replaced += 1
    return replaced


def pre_save_hook(model, path, contents_manager, **kwargs):
    """The contents manager's hook: it may change `model` in place before the file is written."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        replaced = replace_unsaved_widgets(model["content"])
        if replaced:
            contents_manager.log.info("%s: %d widget(s) without saved state saved as a placeholder", path, replaced)
