"""HTML view of two jaxprs side by side: every variable a button that knows its name (so the keyboard reaches it),
differing lines marked, long lines wrapped between tokens under a hanging indent.

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
                f'<button type="button" class="jx-var jx-{token.role}" data-var="{html.escape(token.var)}" '
                f'aria-pressed="false" title="{role} of {html.escape(token.var)}">{text}</button>'
            )
    return "".join(parts)


def panel_html(name: str, listing: Listing) -> str:
    lines = []
    for i, tokens in enumerate(listing.lines):
        marked = " jx-differs" if i in listing.differs else ""
        label = ' title="differs from the other side"' if marked else ""
        # The line's own indentation becomes the indent its continuations hang from.
        indent = len(tokens[0].text) if tokens and tokens[0].text.isspace() else 0
        body = _line_html(tokens[1:] if indent else tokens) or " "
        style = f' style="--jx-indent:{indent}ch"' if indent else ""
        lines.append(f'<span class="jx-line{marked}"{style}{label}>{body}</span>')
    title = html.escape(TITLES.get(name, name))
    return f'<section class="jx-panel" data-library="{name}"><h4>{title}</h4><pre>{"".join(lines)}</pre></section>'


def hover_css(listings: dict, scope: str) -> str:
    """Highlighting without JavaScript: a page with a hovered or focused `c` lights up all its `c`s (CSS :has)."""
    names = sorted({t.var for listing in listings.values() for line in listing.lines for t in line if t.var})
    rules = [
        f'#{scope}:has([data-var="{n}"]:hover, [data-var="{n}"]:focus) [data-var="{n}"] '
        "{ background: var(--jl-highlight, #FFF1B8); outline: 1px solid var(--jl-c1, #9A6A00); }"
        for n in names
    ]
    return "\n".join(rules)


def max_lines(theme: Theme, blocks: int) -> int:
    """Lines a listing shows before it scrolls, so that the whole widget fits the theme's height."""
    line = 1.45 * theme.font_px
    room = theme.height_px - 40 * theme.scale - (2.5 + blocks) * line  # the buttons, each title, the legend
    return max(6, int(room / line / blocks))


def page_html(listings: dict, theme: Theme, extra: dict | None = None, inline_css: bool = False) -> str:
    """The whole view: panels side by side, then any extra text (jit's generated code) below them."""
    scope = f"jx-{uuid.uuid4().hex[:10]}"
    panels = "".join(panel_html(name, listing) for name, listing in listings.items())
    below = "".join(panel_html(name, listing) for name, listing in (extra or {}).items())
    style = f"--jx-max-lines:{max_lines(theme, 2 if extra else 1)};"
    css = f"<style>{CSS.read_text()}\n{hover_css({**listings, **(extra or {})}, scope)}</style>" if inline_css else ""
    legend = (
        '<div class="jx-legend">Point at a variable, or reach it with Tab, to see where it is defined (underlined) '
        "and used on both sides; lines marked \u2260 differ between the two libraries.</div>"
    )
    return (
        f'{css}<div class="jx-root" id="{scope}" style="{style}">'
        f'<div class="jx-panels">{panels}</div>{below}{legend}</div>'
    )
