"""HTML view of two jaxprs side by side: every variable a span that knows its name, differing lines marked.

The highlighting itself is CSS (and, through anywidget, a few lines of JavaScript) shipped in widgets/static."""
import html
import pathlib
import uuid

from widgets.models.jaxpr import Listing
from widgets.themes import Theme

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"
CSS = STATIC / "jaxpr.css"
JS = STATIC / "jaxpr.js"

TITLES = {"jaxlite": "jaxlite", "jax": "JAX", "jaxlite_numpy": "jaxlite's generated NumPy code"}


def _line_html(tokens) -> str:
    parts = []
    for token in tokens:
        text = html.escape(token.text)
        if token.var is None:
            parts.append(text)
        else:
            role = "definition" if token.role == "def" else "use"
            parts.append(
                f'<span class="jx-var jx-{token.role}" data-var="{html.escape(token.var)}" '
                f'title="{role} of {html.escape(token.var)}">{text}</span>'
            )
    return "".join(parts)


def panel_html(name: str, listing: Listing) -> str:
    lines = []
    for i, tokens in enumerate(listing.lines):
        marked = " jx-differs" if i in listing.differs else ""
        label = ' title="differs from the other side"' if marked else ""
        lines.append(f'<span class="jx-line{marked}"{label}>{_line_html(tokens) or " "}</span>')
    title = html.escape(TITLES.get(name, name))
    return f'<section class="jx-panel" data-library="{name}"><h4>{title}</h4><pre>{"".join(lines)}</pre></section>'


def hover_css(listings: dict, scope: str) -> str:
    """Highlighting without JavaScript: a panel that has a hovered `c` lights up all of its `c`s (CSS :has)."""
    names = sorted({t.var for listing in listings.values() for line in listing.lines for t in line if t.var})
    rules = [
        f'#{scope} .jx-panel:has([data-var="{n}"]:hover) [data-var="{n}"] '
        "{ background: var(--jx-highlight, #FFF1B8); outline: 1px solid #E69F00; }"
        for n in names
    ]
    return "\n".join(rules)


def page_html(listings: dict, theme: Theme, extra: dict | None = None, inline_css: bool = False) -> str:
    """The whole view: panels side by side, then any extra text (jit's generated code) below them."""
    scope = f"jx-{uuid.uuid4().hex[:10]}"
    panels = "".join(panel_html(name, listing) for name, listing in listings.items())
    below = "".join(panel_html(name, listing) for name, listing in (extra or {}).items())
    style = (
        f"--jaxlite-font-size:{theme.font_px:.0f}px; --jx-highlight:{theme.highlight}; "
        f"--jx-muted:{theme.muted}; color:{theme.foreground}; background:{theme.background};"
    )
    css = f"<style>{CSS.read_text()}\n{hover_css({**listings, **(extra or {})}, scope)}</style>" if inline_css else ""
    legend = (
        '<div class="jx-legend">Point at a variable to see where it is defined (underlined) and used; '
        "lines marked \u2260 differ between the two libraries.</div>"
    )
    return (
        f'{css}<div class="jx-root" id="{scope}" style="{style}">'
        f'<div class="jx-panels">{panels}</div>{below}{legend}</div>'
    )
