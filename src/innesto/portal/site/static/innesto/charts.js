// Progressive enhancement: replace each server-rendered SVG with an interactive Vega view.
// Without JavaScript (or if Vega fails) the <img> and the data table stay as they are.
(function () {
  "use strict";
  function enhance() {
    if (typeof window.innestoVegaEmbed !== "function") { return; }
    var locale = null;
    var localeEl = document.getElementById("vega-locale");
    if (localeEl) {
      try { locale = JSON.parse(localeEl.textContent); } catch (e) { locale = null; }
    }
    document.querySelectorAll(".vega-target[data-spec-id]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-spec-id"));
      if (!source) { return; }
      var spec;
      try { spec = JSON.parse(source.textContent); } catch (e) { return; }
      // Phones first: the chart takes its container's width and re-lays out when it
      // changes (the server-rendered SVG keeps the spec's fixed width).
      spec.width = "container";
      spec.autosize = { type: "fit-x", contains: "padding" };
      var holder = document.createElement("div");
      holder.className = "vega-view";
      holder.setAttribute("role", "img");
      holder.setAttribute("aria-label", el.getAttribute("data-label") || "");
      // In the page before drawing, so that Vega can measure the container's width.
      el.appendChild(holder);
      var options = { actions: false, renderer: "svg", ast: true };
      if (locale) {  // the page's language: decimal comma and month names in Italian
        options.formatLocale = locale.format;
        options.timeFormatLocale = locale.time;
      }
      window.innestoVegaEmbed(holder, spec, options).then(function () {
        // The holder is one image named by the chart's title; Vega's inner marks are
        // decoration for assistive technology (the data table carries the data).
        holder.setAttribute("role", "img");
        holder.setAttribute("aria-label", el.getAttribute("data-label") || "");
        holder.removeAttribute("aria-roledescription");
        holder.querySelectorAll("svg").forEach(function (svg) {
          svg.setAttribute("aria-hidden", "true");
          svg.setAttribute("focusable", "false");
        });
        el.replaceChildren(holder);
      }).catch(function () { holder.remove(); /* keep the static SVG */ });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else { enhance(); }
})();
