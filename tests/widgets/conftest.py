"""Widgets are tested headless: build one, set its controls as a user would, read its model and figure."""
import pytest

import widgets.themes


@pytest.fixture(autouse=True)
def default_theme():
    """Every test starts (and leaves) the default theme, whatever a test sets."""
    before = widgets.themes.current_theme()
    widgets.themes.theme()
    yield
    widgets.themes.theme(before.scale, before.dark)
