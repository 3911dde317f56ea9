// Point at a variable, or reach it with Tab, to light up where it is defined and every place it is used, in both
// libraries' jaxprs; click it (or press Enter) to keep it lit. The markup comes from Python; this only toggles
// classes.
function light(root, name, cls, on) {
  for (const button of root.querySelectorAll(".jx-var")) {
    if (button.dataset.var === name) {
      button.classList.toggle(cls, on);
      if (cls === "jx-pinned") button.setAttribute("aria-pressed", String(on));
    }
  }
}

function wire(root) {
  const on = (type, handler) =>
    root.addEventListener(type, (event) => {
      const button = event.target.closest(".jx-var");
      if (button) handler(button);
    });
  on("mouseover", (b) => light(root, b.dataset.var, "jx-hot", true));
  on("mouseout", (b) => light(root, b.dataset.var, "jx-hot", false));
  on("focusin", (b) => light(root, b.dataset.var, "jx-hot", true));
  on("focusout", (b) => light(root, b.dataset.var, "jx-hot", false));
  on("click", (b) => light(root, b.dataset.var, "jx-pinned", !b.classList.contains("jx-pinned")));
}

function render({ model, el }) {
  const draw = () => {
    el.innerHTML = model.get("html");
  };
  draw();
  wire(el); // once: the listeners sit on el, which outlives every new html
  model.on("change:html", draw);
}

export default { render };
