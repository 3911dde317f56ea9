"""Lecture widgets that show what JAX's transformations do (ipywidgets + matplotlib).

Each widget keeps its model (a plain dataclass from a pure function), its view and its controller apart.
"""
