"""Views: draw a model as a Matplotlib figure (artists made once, updated in place) or as HTML. No ipywidgets here."""
