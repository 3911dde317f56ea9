"""The performance lesson in JupyterLab: run all cells and see the benchmark panels drawn, without errors."""

import pathlib

import pytest

NOTEBOOK = "performance.ipynb"
REPO = pathlib.Path(__file__).resolve().parents[2]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


@pytest.mark.timeout(120)
def test_performance_lesson_draws_the_benchmark_panels(lab_page):
    on_disk = (REPO / "notebooks" / NOTEBOOK).read_bytes()
    lab_page.open(NOTEBOOK)
    page = lab_page.page
    try:
        lab_page.run_all_cells()
        page.locator(f"{PANEL} .jaxlite-widget").nth(1).wait_for(timeout=30_000)
        page.wait_for_function(
            """panel => {
                const img = document.querySelector(`${panel} .jaxlite-widget img.jaxlite-figure`);
                return img !== null && img.complete && img.naturalWidth > 0;
            }""",
            arg=PANEL,
            timeout=30_000,
        )
        errors = lab_page.error_outputs()
        counts = lab_page.execution_counts()
        panels = page.locator(f"{PANEL} .jaxlite-widget").count()
        image_width = page.locator(f"{PANEL} .jaxlite-widget img.jaxlite-figure").first.evaluate(
            "img => img.naturalWidth"
        )
        alerts = page.locator(f"{PANEL} .jaxlite-status [role=alert]").all_inner_texts()
        broken = page.get_by_text("Error displaying widget").count()
        labels = page.locator(f"{PANEL} .jaxlite-widget").first.inner_text()
    finally:
        lab_page.screenshot("performance")

    assert not errors, "\n\n".join(errors)
    assert counts and None not in counts, f"cells that did not run: {counts}"
    assert panels == 2
    assert image_width > 500
    assert alerts == []
    assert broken == 0
    assert "NVIDIA H200" in labels
    assert (REPO / "notebooks" / NOTEBOOK).read_bytes() == on_disk, "running the notebook must not save it"
