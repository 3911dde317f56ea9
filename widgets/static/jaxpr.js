// Hover (or focus) a variable to light up where it is defined and every place it is used, in the same panel;
// click it to keep it lit. The markup comes from Python; this only toggles classes.
function light(panel, name, cls, on) {
  for (const span of panel.querySelectorAll(".jx-var")) {
    if (span.dataset.var === name) span.classList.toggle(cls, on);
  }
}

function wire(el) {
  for (const panel of el.querySelectorAll(".jx-panel")) {
    panel.addEventListener("mouseover", (event) => {
      const span = event.target.closest(".jx-var");
      if (span) light(panel, span.dataset.var, "jx-hot", true);
    });
    panel.addEventListener("mouseout", (event) => {
      const span = event.target.closest(".jx-var");
      if (span) light(panel, span.dataset.var, "jx-hot", false);
    });
    panel.addEventListener("click", (event) => {
      const span = event.target.closest(".jx-var");
      if (span) light(panel, span.dataset.var, "jx-pinned", !span.classList.contains("jx-pinned"));
    });
  }
}

function render({ model, el }) {
  const draw = () => {
    el.innerHTML = model.get("html");
    wire(el);
  };
  draw();
  model.on("change:html", draw);
}

export default { render };
