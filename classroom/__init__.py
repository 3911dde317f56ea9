"""How the course is served to a class: `make lab` on a working copy of the notebooks, Notebook 7, Voila.

`classwork` keeps that working copy, `saving` is what the Jupyter server does to a notebook it saves, and
`jupyter-config/` is the configuration every server started here reads (Binder's too, through binder/start).
"""
