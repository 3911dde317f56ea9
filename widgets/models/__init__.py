"""Models: plain dataclasses computed by pure functions, one module per widget. No ipywidgets, no Matplotlib."""
