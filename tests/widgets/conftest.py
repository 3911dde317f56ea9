"""Widgets are tested headless: build one, set its controls as a user would, read its model and figure."""
import pytest

from widgets import themes


@pytest.fixture(autouse=True)
def default_theme():
    """Every test starts with the default theme and no page reported, and leaves them as it found them."""
    settings, page = themes.theme_settings(), themes.page_report()
    themes.theme()
    themes.report_page(themes.PageReport())
    yield
    themes.theme(*settings)
    themes.report_page(page)
