// Notebook 7 runs its keyboard shortcuts while a key event travels down the page (the capture phase), before a
// focused slider or list sees it: ArrowUp and ArrowDown select another cell, ArrowLeft and ArrowRight fold
// headings, and the slider never moves. Lumino, which runs the shortcuts, skips an element marked
// data-lm-suppress-shortcuts; it tests the focused element itself before any element around it, so the mark must
// be on the control: a lecture widget's slider handles and lists are marked as they get the focus.
// (JupyterLab runs its shortcuts after the control has taken the key, and needs none of this.)
const CONTROLS = ".jaxlite-widget .noUi-handle, .jaxlite-widget select";
const INSTALLED = Symbol.for("jaxlite.support");

function mark(event) {
  const target = event.target;
  if (target instanceof Element && target.matches(CONTROLS)) {
    target.setAttribute("data-lm-suppress-shortcuts", "");
  }
}

function render() {
  if (!window[INSTALLED]) {
    window[INSTALLED] = true;
    document.addEventListener("focusin", mark, true);
  }
}

export default { render };
