"""The performance appendix (07a) in JupyterLab: run all cells and see the benchmark panels drawn, without errors,
and the tables written as a reader says them (430×, never 4.3e+02x)."""

import pathlib

import pytest

NOTEBOOK = "07a_performance.ipynb"
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
        labels = page.locator(f"{PANEL} .jaxlite-widget").first.inner_text().replace("\xa0", " ")
        tables = page.locator(f"{PANEL} .jp-RenderedMarkdown table").all_inner_texts()
    finally:
        lab_page.screenshot("performance")

    assert not errors, "\n\n".join(errors)
    assert counts and None not in counts, f"cells that did not run: {counts}"
    assert panels == 2
    assert image_width > 500
    assert alerts == []
    assert broken == 0
    assert "NVIDIA H200" in labels and "recorded (gpu-h200.json)" in labels
    assert len(tables) >= 7  # a table per workload, first calls, break-even
    assert "429\u00d7" in tables[1] and not any("e+0" in table for table in tables)  # matmul, 16, on the GPU
    assert (REPO / "notebooks" / NOTEBOOK).read_bytes() == on_disk, "running the notebook must not save it"
