"""Controller of the side-by-side jaxpr view: pick a transformation, read both libraries' jaxprs, hover variables."""
import ipywidgets
import traitlets

from widgets._controls import LectureWidget, error_message
from widgets.models import jaxpr as model
from widgets.views import jaxpr as view

_page_class = None


def page_class():
    """An anywidget with the highlighting script and style from widgets/static, or None without anywidget.

    Imported on first use, so that `import widgets` stays quick."""
    global _page_class
    if _page_class is None:
        try:
            import anywidget
        except ImportError:
            _page_class = False
        else:

            class JaxprHTML(anywidget.AnyWidget):
                _esm = view.JS
                _css = view.CSS
                html = traitlets.Unicode("").tag(sync=True)

            _page_class = JaxprHTML
    return _page_class or None


class JaxprComparison(LectureWidget):
    """The jaxpr of `transform(f)` traced by jaxlite and by JAX; `.texts` holds exactly what is shown."""

    transform = traitlets.Enum(model.TRANSFORMS, "none")

    def __init__(self, f, *args, transform="none", backends=("jaxlite", "jax"), theme=None):
        super().__init__(theme=theme)
        self.f, self.args, self.backends = f, args, tuple(backends)
        self.texts, self.listings = {}, {}
        self.html = ""
        self.transform_buttons = ipywidgets.ToggleButtons(
            options=list(model.TRANSFORMS),
            description="transform", style={"button_width": "auto"},
            tooltips=["f as written", "grad(f)", f"vmap(f) over {model.VMAP_BATCH} copies of the arguments",
                      "jvp(f) with tangents of ones", "jit(f): one jit equation, and jaxlite's generated code"],
        )  # fmt: skip
        page = page_class()
        self.page = page() if page is not None else ipywidgets.HTML()
        self.page.add_class("jaxlite-jaxpr")
        self.transform = transform
        traitlets.link((self, "transform"), (self.transform_buttons, "value"))
        self.observe(lambda change: self.guard(self._retrace), names="transform")
        self.guard(self._retrace)
        self.set_body(self.transform_buttons, self.page)

    figure = None  # a text view: nothing drawn with Matplotlib

    def _retrace(self):
        if self.transform not in model.TRANSFORMS:
            raise ValueError(f"unknown transform {self.transform!r}: choose one of {', '.join(model.TRANSFORMS)}")
        texts, failures = {}, []
        for backend in self.backends:
            try:
                texts[backend] = model.trace(self.f, self.args, self.transform, backend)
            except Exception as error:  # one library failing must not hide the other's jaxpr
                texts[backend] = f"could not trace under {backend}:\n{error_message(error)}"
                failures.append(f"{backend}: {error_message(error)}")
        if len(failures) == len(self.backends):  # nothing to show: keep the previous page
            raise RuntimeError("; ".join(failures))
        extra = {}
        if self.transform == "jit" and "jaxlite" in self.backends:
            source = model.generated_source(self.f, self.args)
            extra["jaxlite_numpy"] = source.split("# generated NumPy code", 1)[-1].strip("\n")
        self.texts = {**texts, **extra}
        self.listings = model.compare(texts)
        extra_listings = {name: model.Listing(text, model.tokenize(text)) for name, text in extra.items()}
        self.html = view.page_html(self.listings, self.theme, extra_listings, inline_css=isinstance(self.page, ipywidgets.HTML))
        if isinstance(self.page, ipywidgets.HTML):
            self.page.value = self.html
        else:
            self.page.html = self.html
        if failures:
            self.status.error("; ".join(failures))
        else:
            self.status.clear()


def show_jaxpr(f, *args, transform="none", **kwargs) -> JaxprComparison:
    """f's jaxpr (after a transformation: none, grad, vmap, jvp, jit) by jaxlite and by JAX, side by side."""
    return JaxprComparison(f, *args, transform=transform, **kwargs)
