"""Tests in JupyterLab in a real browser (a package, so that test module names may repeat those elsewhere)."""
