/* consent-server admin: the live preview of the site form.
 *
 * Without this script the preview buttons post the form into the preview frame (formtarget). With it,
 * the preview follows every change: a short pause after typing posts the form into a fresh frame, which
 * replaces the old one once it has loaded. A fresh frame each time keeps the back button for the page
 * (navigations of a new frame's first document add no history entries) and never flickers.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-preview]");
  var holder = document.querySelector("[data-preview-frames]");
  if (!form || !holder || !form.requestSubmit) return;
  var buttons = form.querySelectorAll("button[data-preview-lang]");
  if (!buttons.length) return;
  var last = buttons[0], timer = 0, counter = 0, pending = null;

  function refresh() {
    var current = holder.querySelector("iframe:not([hidden])");
    var frame = document.createElement("iframe");
    frame.name = "preview-" + (++counter);
    frame.className = current ? current.className : "preview-frame";
    frame.title = current ? current.title : "";
    frame.hidden = true;
    if (pending) pending.remove();
    pending = frame;
    frame.addEventListener("load", function () {
      if (frame !== pending || !frame.contentDocument || frame.contentDocument.URL === "about:blank") return;
      pending = null;
      holder.querySelectorAll("iframe").forEach(function (old) { if (old !== frame) old.remove(); });
      frame.hidden = false;
    });
    holder.appendChild(frame);
    var target = last.formTarget;
    last.formTarget = frame.name;
    form.requestSubmit(last); // the preview button is formnovalidate: no validation bubbles while typing
    last.formTarget = target;
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function (event) {
      last = button;
      event.preventDefault();
      refresh();
    });
  });
  function changed(event) {
    if (event.target.closest && event.target.closest("[data-preview-frames]")) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
})();
