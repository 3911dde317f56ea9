"""The welcome notebook runs in JupyterLab in a real browser, as a student would run it."""

import pathlib

import pytest

NOTEBOOK = "00_welcome.ipynb"
REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.timeout(120)
def test_welcome_notebook_runs_all_cells_without_errors(lab_page):
    on_disk = (REPO / "notebooks" / NOTEBOOK).read_bytes()
    lab_page.open(NOTEBOOK)
    try:
        lab_page.run_all_cells()
        counts = lab_page.execution_counts()
        errors = lab_page.error_outputs()
    finally:
        lab_page.screenshot(NOTEBOOK.removesuffix(".ipynb"))

    assert not errors, "\n\n".join(errors)
    assert counts and None not in counts, f"cells that did not run: {counts}"
    assert counts == sorted(counts)
    assert (REPO / "notebooks" / NOTEBOOK).read_bytes() == on_disk, "running the notebook must not save it"
