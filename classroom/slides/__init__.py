"""`make slides`: every lesson, executed, as a reveal.js deck that opens from the file system with no network.

    python -m classroom.slides [--out build/slides] [--vendor build/vendor] [LESSON.ipynb ...]

The decks are `build/slides/NN_topic.slides.html`, listed by `build/slides/index.html`. Everything a deck loads is
a file under `build/slides/assets/`: reveal.js, MathJax and the widgets' HTML manager come from the npm packages
that `make slides` installs once into `build/vendor/` (package.json beside this file), never from a CDN. A widget is
drawn from the state saved when its lesson ran, so its plot shows, frozen at its first value; an anywidget part
(the jaxpr view, for one) runs its saved script through anywidget's front-end, copied there too.
"""
import argparse
import html
import json
import pathlib
import shutil
import sys
import time

import nbformat
from nbconvert import SlidesExporter
from nbconvert.preprocessors import ExecutePreprocessor

from classroom import classwork
from widgets.themes import Theme

HERE = pathlib.Path(__file__).resolve().parent
TEMPLATE = HERE / "template"
BUILD = classwork.REPO / "build"
OUT = BUILD / "slides"
VENDOR = BUILD / "vendor"
ASSETS = "assets"

# A projector's screen: the deck is laid out at this size and scaled to the window.
WIDTH, HEIGHT = 1366, 768
# reveal.js leaves this fraction of the screen around a slide, so a slide's pixel is 0.96 of the screen's.
MARGIN = 0.04
# The widgets' controls and texts on a slide: the size `widgets.theme(scale=1.5)` gives them in a lesson, as
# they reach the screen (18 px), once reveal.js has scaled the slide down by its margin.
PROJECTOR_SCALE = 1.5 / (1 - MARGIN)

# What each deck needs from the npm packages, as (package's folder, files to copy, folder under assets/).
VENDORED = [
    ("reveal.js/dist", ["reveal.js", "reveal.css", "theme/white.css", "plugin/notes.js"],
     "reveal.js/dist"),
    ("mathjax/es5", ["tex-chtml.js", "output/chtml/fonts"], "mathjax"),
    ("@jupyter-widgets/html-manager/dist", ["libembed-amd.js", "*.woff", "*.woff2", "*.ttf", "*.eot", "*.svg"],
     "html-manager"),
    ("requirejs", ["require.js"], "requirejs"),
    ("anywidget/dist", ["index.js"], "anywidget"),
]
# The widgets' front-ends a deck carries beside the HTML manager's standard widgets: the module a saved widget
# names (its `_model_module`) and the npm package, copied above, that provides it.
FRONT_ENDS = {"anywidget": "anywidget"}


def lessons(notebooks=classwork.NOTEBOOKS):
    """The course's lessons, `NN_topic.ipynb`, in order: whatever lessons notebooks/ holds."""
    return sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))


def copy_assets(vendor: pathlib.Path, out: pathlib.Path):
    """Copy what the decks load from the installed npm packages into out/assets/."""
    modules = vendor / "node_modules"
    if not modules.is_dir():
        raise SystemExit(f"{vendor} has no node_modules: run `make slides` (it installs them with npm) first")
    for package, patterns, target in VENDORED:
        source = modules / package
        for pattern in patterns:
            matches = sorted(source.glob(pattern))
            if not matches:
                raise SystemExit(f"{source} has no {pattern}: reinstall {vendor} (rm -rf {vendor}; make slides)")
            for path in matches:
                destination = out / ASSETS / target / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                if path.is_dir():
                    shutil.copytree(path, destination, dirs_exist_ok=True)
                else:
                    shutil.copy2(path, destination)


def accepts(requested: str, version: str) -> bool:
    """Whether the npm `version` (x.y.z) is in the range a saved widget asks for: x.y.z, ~x.y.z, ^x.y.z, ~x.y.*."""
    numbers = [part for part in requested.lstrip("~^=").split(".") if part not in ("*", "x")]
    if requested.startswith("^"):
        fixed = 1 if numbers[0] != "0" else 2
    elif requested.startswith("~"):
        fixed = 2
    else:
        fixed = len(numbers)
    have = [int(part) for part in version.split(".")]
    want = [int(part) for part in numbers]
    return have[:fixed] == want[:fixed] and have >= want


def vendored_versions(vendor: pathlib.Path) -> dict:
    """The version of each front-end's npm package installed in vendor/, by module name."""
    versions = {}
    for module, package in FRONT_ENDS.items():
        manifest = vendor / "node_modules" / package / "package.json"
        if manifest.is_file():
            versions[module] = json.loads(manifest.read_text())["version"]
    return versions


def front_ends(notebook, versions: dict) -> dict:
    """The front-ends the deck loads for the notebook's saved widgets, as {module: its script under the deck's
    folder}: those the widgets name, at a version in the range each asks for. A widget left without one shows its
    saved text."""
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    asked = {(model["model_module"], model["model_module_version"]) for model in state.get("state", {}).values()}
    loaded = {}
    for module, requested in sorted(asked):
        if module in versions and accepts(requested, versions[module]):
            loaded[module] = f"{ASSETS}/{FRONT_ENDS[module]}/index"
    return loaded


def execute(path: pathlib.Path, timeout=600):
    """The lesson, run from its own folder, with the widgets' state saved in its metadata."""
    notebook = nbformat.read(path, as_version=4)
    ExecutePreprocessor(timeout=timeout, store_widget_state=True).preprocess(
        notebook, {"metadata": {"path": str(path.parent)}}
    )
    return notebook


def exporter():
    return SlidesExporter(
        extra_template_basedirs=[str(TEMPLATE.parent)],
        template_name=TEMPLATE.name,
        reveal_url_prefix=f"{ASSETS}/reveal.js",
        reveal_theme="white",
        reveal_transition="none",
        reveal_number="c/t",
        reveal_width=str(WIDTH),
        reveal_height=str(HEIGHT),
        reveal_scroll=True,
    )


def widget_css(scale=PROJECTOR_SCALE) -> str:
    """The sizes `widgets.theme(scale)` gives a widget's controls and texts, for every widget on a slide.

    A saved widget keeps the scale it was drawn at (its class names it); on a slide it takes this one instead."""
    theme = Theme(scale=scale)
    return theme.css().replace(
        f".jaxlite-widget.{theme.css_class}", ".reveal .slides .jaxlite-widget, .reveal .slides .jupyter-widgets", 1
    )


def render(notebook, name: str, versions=None) -> str:
    """The deck's HTML; `versions` are the widgets' front-ends the deck's assets hold (see `vendored_versions`)."""
    body, _ = exporter().from_notebook_node(
        notebook, resources={"metadata": {"name": name}, "offline_assets": ASSETS, "reveal_margin": MARGIN,
                             "widget_css": widget_css(), "front_ends": front_ends(notebook, versions or {})}
    )
    return body


def title(notebook, fallback: str) -> str:
    """The lesson's first heading, or its file name."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def index_page(decks) -> str:
    items = "\n".join(
        f'    <li><a href="{html.escape(deck)}">{html.escape(heading)}</a></li>' for deck, heading in decks
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>jaxlite course: slides</title>
<style>
body {{ font: 22px/1.5 system-ui, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em;
        color: #1a1a1a; background: #ffffff; }}
a {{ color: #0b4f9c; }}
</style>
</head>
<body>
<h1>jaxlite course: slides</h1>
<p>Each lesson as a slide deck. Arrow keys or space move between slides, Esc shows them all, F fills the screen.</p>
<ol>
{items}
</ol>
</body>
</html>
"""


def build(paths, out=OUT, vendor=VENDOR, report=print):
    """Execute and render each lesson of `paths` into out/, with out/index.html listing them; the decks' names."""
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(vendor, out)
    versions = vendored_versions(vendor)
    decks = []
    for path in paths:
        started = time.monotonic()
        notebook = execute(path)
        deck = f"{path.stem}.slides.html"
        (out / deck).write_text(render(notebook, path.stem, versions), encoding="utf-8")
        decks.append((deck, title(notebook, path.stem)))
        report(f"{out / deck}  ({time.monotonic() - started:.1f} s)")
    (out / "index.html").write_text(index_page(decks), encoding="utf-8")
    return [deck for deck, _ in decks]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m classroom.slides", description=__doc__.split("\n")[0])
    parser.add_argument("lessons", nargs="*", type=pathlib.Path, help="default: every notebooks/NN_*.ipynb")
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    parser.add_argument("--vendor", type=pathlib.Path, default=VENDOR)
    options = parser.parse_args(argv)
    started = time.monotonic()
    decks = build(options.lessons or lessons(), options.out, options.vendor)
    print(f"{len(decks)} decks in {time.monotonic() - started:.0f} s: open {options.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
