// Tells the kernel how the page shows a lecture widget: light or dark, the widget's width in CSS pixels, and the
// screen's pixel ratio, so that the figures (pictures drawn in the kernel) are drawn to match; marks the widget
// `data-jaxlite-page="dark"` or "light" at once, so that its HTML follows a theme switch without waiting.

function isDark(widget) {
  const light = document.body.dataset.jpThemeLight; // JupyterLab and Notebook 7 say it
  if (light !== undefined) return light === "false";
  for (let node = widget.parentElement; node; node = node.parentElement) {
    const [r, g, b, a = 1] = (getComputedStyle(node).backgroundColor.match(/[\d.]+/g) || []).map(Number);
    if (r !== undefined && a > 0.5) return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
  }
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

function innerWidth(widget) {
  const style = getComputedStyle(widget);
  return widget.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}

// Notebook 7 runs its keyboard shortcuts while a key event travels down the page (the capture phase), before a
// focused slider or list sees it: ArrowUp and ArrowDown select another cell, ArrowLeft and ArrowRight fold
// headings, and the slider never moves. Lumino, which runs the shortcuts, skips an element marked
// data-lm-suppress-shortcuts; it tests the focused element itself before any element around it, so the mark must
// be on the control: a lecture widget's slider handles and lists are marked as they get the focus.
// (JupyterLab runs its shortcuts after the control has taken the key, and needs none of this.)
const CONTROLS = ".jaxlite-widget .noUi-handle, .jaxlite-widget select";
const KEYS_INSTALLED = Symbol.for("jaxlite.keys");

function keepKeys(event) {
  const target = event.target;
  if (target instanceof Element && target.matches(CONTROLS)) {
    target.setAttribute("data-lm-suppress-shortcuts", "");
  }
}

function render({ model, el }) {
  if (!window[KEYS_INSTALLED]) {
    window[KEYS_INSTALLED] = true;
    document.addEventListener("focusin", keepKeys, true);
  }
  let widget = null;
  let timer = null;
  const report = () => {
    const dark = isDark(widget);
    widget.dataset.jaxlitePage = dark ? "dark" : "light";
    const ratio = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
    const changes = {};
    if (model.get("dark") !== dark) changes.dark = dark;
    if (model.get("pixel_ratio") !== ratio) changes.pixel_ratio = ratio;
    // A widget with no width to measure keeps the last one it reported: it is hidden (a collapsed output, a tab
    // in the background) or the page is half-way through a theme switch, when JupyterLab lays everything out
    // again. Light or dark is reported all the same, or the figures would keep the old theme's colours.
    const width = Math.round(innerWidth(widget));
    if (width >= 100 && Math.abs(model.get("width") - width) >= 8) changes.width = width;
    if (Object.keys(changes).length) {
      model.set(changes);
      model.save_changes();
    }
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(report, 200);
  };
  // After a theme switch, once more when the page has been laid out again: the width may have moved.
  const themes = new MutationObserver(() => {
    report();
    soon();
  });
  const sizes = new ResizeObserver(soon);
  const attach = () => {
    widget = el.closest(".jaxlite-widget");
    if (widget) {
      themes.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "data-jp-theme-name"] });
      sizes.observe(widget);
      report();
    } else {
      timer = setTimeout(attach, 100); // not in the page yet: ipywidgets attaches a box's children after rendering
    }
  };
  attach();
  return () => {
    themes.disconnect();
    sizes.disconnect();
    clearTimeout(timer);
  };
}

export default { render };
