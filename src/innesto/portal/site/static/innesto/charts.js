// Progressive enhancement: replace each server-rendered SVG with an interactive Vega view.
// Without JavaScript (or if Vega fails) the <img> and the data table stay as they are.
(function () {
  "use strict";
  function enhance() {
    if (typeof window.innestoVegaEmbed !== "function") { return; }
    document.querySelectorAll(".vega-target[data-spec-id]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-spec-id"));
      if (!source) { return; }
      var spec;
      try { spec = JSON.parse(source.textContent); } catch (e) { return; }
      var holder = document.createElement("div");
      holder.setAttribute("role", "img");
      holder.setAttribute("aria-label", el.getAttribute("data-label") || "");
      window.innestoVegaEmbed(holder, spec, { actions: false, renderer: "svg" }).then(function () {
        el.replaceChildren(holder);
      }).catch(function () { /* keep the static SVG */ });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else { enhance(); }
})();
