"""show_jaxpr: both libraries' jaxprs side by side, variables that know their definition and uses, differing lines."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import traitlets

import jaxlite
import jaxlite.numpy as lnp
from widgets import show_jaxpr
from widgets.models import jaxpr as model
from widgets.views import jaxpr as view


def tanh_sum(x, *, jnp):
    return jnp.sum(jnp.tanh(x) * x)


X = np.linspace(-1, 1, 3, dtype=np.float32)


def test_texts_are_what_each_library_prints():
    w = show_jaxpr(tanh_sum, X)
    assert w.texts["jax"] == str(jax.make_jaxpr(lambda x: tanh_sum(x, jnp=jnp))(X))
    assert w.texts["jaxlite"] == str(jaxlite.make_jaxpr(lambda x: tanh_sum(x, jnp=lnp))(lnp.asarray(X)))


@pytest.mark.parametrize("transform", ["grad", "jvp"])
def test_transform_buttons_retrace_under_the_transformation(transform):
    w = show_jaxpr(tanh_sum, X)
    w.transform_buttons.value = transform
    assert w.transform == transform
    ones = (jnp.ones_like(X),)  # built outside the trace, as the widget does: a constant of the jaxpr
    fun = (lambda x: jax.grad(lambda y: tanh_sum(y, jnp=jnp))(x)) if transform == "grad" else (
        lambda x: jax.jvp(lambda y: tanh_sum(y, jnp=jnp), (x,), ones))
    assert w.texts["jax"] == str(jax.make_jaxpr(fun)(X))
    assert w.status_text == ""


def test_vmap_traces_a_batch_of_copies():
    w = show_jaxpr(tanh_sum, X, transform="vmap")
    assert "a:f32[3,3]" in w.texts["jaxlite"] and "a:f32[3,3]" in w.texts["jax"]


def test_jit_shows_jaxlites_generated_numpy_code():
    w = show_jaxpr(tanh_sum, X, transform="jit")
    assert "jit[" in w.texts["jaxlite"]
    assert w.texts["jaxlite_numpy"].startswith("def tanh_sum(a):")
    assert "tanh(a)" in w.texts["jaxlite_numpy"]
    assert "jaxlite&#x27;s generated NumPy code" in w.html or "generated NumPy code" in w.html


def test_tokens_know_definitions_and_uses():
    lines = model.tokenize("{ lambda ; a:f32[3]. let\n    b:f32[3] = tanh a\n    c:f32[] = reduce_sum[axes=(0,)] b\n  in (c,) }")
    listing = model.Listing("", lines)
    assert listing.definition_of("b") == 1
    assert listing.uses_of("b") == [2]
    assert listing.uses_of("a") == [1]
    assert listing.uses_of("c") == [3]
    names = [t.text for t in lines[2] if t.var]
    assert names == ["c", "b"]  # not the primitive, not the parameter `axes`


def test_differing_lines_are_marked_on_both_sides():
    listings = model.compare({"jaxlite": "a\nb\nc", "jax": "a\nB\nc\nd"})
    assert listings["jaxlite"].differs == {1}
    assert listings["jax"].differs == {1, 3}
    html = view.panel_html("jax", listings["jax"])
    assert html.count("jx-differs") == 2


def test_identical_texts_have_no_marked_lines():
    w = show_jaxpr(tanh_sum, X, transform="grad")
    assert w.texts["jaxlite"] == w.texts["jax"]
    assert all(not listing.differs for listing in w.listings.values())
    assert "jx-line jx-differs" not in w.html


def test_html_wraps_every_variable_with_its_name():
    w = show_jaxpr(tanh_sum, X)
    assert '<button type="button" class="jx-var jx-def" data-var="b"' in w.html
    assert '<button type="button" class="jx-var jx-use" data-var="a"' in w.html
    assert w.html.count('data-library="jax"') == 1


def test_css_fallback_highlights_all_uses_of_a_hovered_variable():
    listings = model.compare({"jaxlite": "a:f32[] = sin b"})
    css = view.hover_css(listings, "scope")
    assert '#scope:has([data-var="a"]:hover, [data-var="a"]:focus) [data-var="a"]' in css
    page = view.page_html(listings, widgets_theme(), inline_css=True)
    assert "<style>" in page and ".jx-var.jx-hot" in page


def widgets_theme():
    from widgets.themes import current_theme

    return current_theme()


def test_page_is_an_anywidget_with_its_script_when_anywidget_is_installed():
    pytest.importorskip("anywidget")
    w = show_jaxpr(tanh_sum, X)
    assert w.page.html == w.html
    assert "mouseover" in view.JS.read_text()


def test_non_scalar_grad_keeps_previous_page_and_reports():
    w = show_jaxpr(tanh_sum, X)
    before = w.html
    w2 = show_jaxpr(lambda x, *, jnp: jnp.tanh(x), X)
    w2_before = w2.html
    w2.transform = "grad"
    assert "Gradient only defined for scalar-output functions" in w2.status_text
    assert w2.html == w2_before
    assert w.html == before


JAX_JITTED_SIN = jax.jit(jnp.sin)  # a compiled JAX function: nothing to swap for jaxlite's


def test_one_library_failing_still_shows_the_other_and_how_to_write_f():
    w = show_jaxpr(lambda x: JAX_JITTED_SIN(x), X)
    assert "sin" in w.texts["jax"]
    assert w.texts["jaxlite"].startswith("could not trace under jaxlite")
    assert w.status_text.startswith("jaxlite: TypeError:")
    assert w.status_text.endswith("or take the library as a keyword: def f(x, *, jnp): ...")


@pytest.mark.parametrize("f", [
    lambda x: lnp.sin(x) * 2.0,
    lambda x: jaxlite.numpy.sin(x) * 2.0,
    lambda x: jnp.sin(x) * 2.0,
    lambda x: jax.numpy.sin(x) * 2.0,
], ids=["lnp", "jaxlite.numpy", "jnp", "jax.numpy"])  # fmt: skip
def test_function_written_the_natural_way_shows_both_sides(f):
    w = show_jaxpr(f, X)
    expected = "{ lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = mul b 2.0:f32[] in (c,) }"
    assert w.texts == {"jaxlite": expected, "jax": expected}
    assert w.status_text == ""


def test_unknown_transform_is_not_a_choice():
    w = show_jaxpr(tanh_sum, X)
    with pytest.raises(traitlets.TraitError):
        w.transform = "pmap"
    assert w.transform == "none"
    assert list(w.transform_buttons.options) == list(model.TRANSFORMS)


def test_without_anywidget_the_page_is_html_with_css_hover(monkeypatch):
    import ipywidgets

    import widgets.jaxpr

    monkeypatch.setattr(widgets.jaxpr, "_page_class", False)
    w = show_jaxpr(tanh_sum, X)
    assert type(w.page) is ipywidgets.HTML
    assert w.page.value == w.html
    assert ':has([data-var="b"]:hover, [data-var="b"]:focus) [data-var="b"]' in w.html


def test_terminal_colours_are_stripped_from_jaxpr_text():
    coloured = "{ \x1b[34;1mlambda \x1b[39;22m; a\x1b[35m:f32[3]\x1b[39m. \x1b[34;1mlet\x1b[39;22m"
    assert model.plain_text(coloured) == "{ lambda ; a:f32[3]. let"


def test_a_line_keeps_its_indent_as_the_hanging_indent_of_its_continuations():
    listing = model.Listing("", model.tokenize("    b:f32[3] = reduce_sum[axes=(0,) out_sharding=None] a"))
    html = view.panel_html("jaxlite", listing)
    assert '<span class="jx-line" style="--jx-indent:4ch"><button' in html
    css = view.CSS.read_text()
    assert "white-space: pre-wrap; word-break: normal;" in css
    assert "padding-left: calc(1.4em + var(--jx-indent, 0ch) + 3ch); text-indent: -3ch;" in css


def test_variables_are_buttons_that_the_keyboard_reaches_and_that_say_when_pinned():
    w = show_jaxpr(tanh_sum, X)
    assert w.html.count('<button type="button" class="jx-var') == w.html.count("data-var=")
    assert 'aria-pressed="false"' in w.html
    script = view.JS.read_text()
    assert all(event in script for event in ('"focusin"', '"focusout"', '"mouseover"', '"click"'))


def test_highlighting_spans_both_libraries_listings():
    script = view.JS.read_text()
    assert "light(root, b.dataset.var" in script  # root: the whole view, both panels
    css = view.hover_css(model.compare({"jaxlite": "a:f32[] = sin b", "jax": "a:f32[] = sin b"}), "s")
    assert css.startswith('#s:has([data-var="a"]:hover, [data-var="a"]:focus) [data-var="a"]')


def test_a_long_listing_scrolls_so_that_the_widget_fits_the_screen():
    from widgets.themes import Theme

    assert view.max_lines(Theme(scale=1.5), 1) == 18
    assert view.max_lines(Theme(scale=1.5), 2) == 8
    w = show_jaxpr(tanh_sum, X, transform="jit")
    assert f"--jx-max-lines:{view.max_lines(w.theme, 2)};" in w.html
