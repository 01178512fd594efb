/* consent-server admin: runs in the preview frame before the widget.
 *
 * A preview stores nothing and is always a first visit. The widget keeps a choice in a cookie and in
 * localStorage; here the cookie jar is a dummy (a real cookie of this server's host could reach the
 * sites themselves: cookies ignore ports, and a site's cookie domain may cover this host), and
 * localStorage is emptied before and after. And the banner does not take the focus from the form the
 * admin is typing in: the widget focuses its banner on a first visit, which in a frame would pull the
 * focus out of the page around it; here it may only move the focus once the frame itself has it.
 */
(function () {
  "use strict";
  function forget() {
    try {
      window.localStorage.removeItem("cs_consent");
      window.localStorage.removeItem("cs_queue");
    } catch (e) { /* storage blocked: nothing was kept either */ }
  }
  forget();
  window.addEventListener("pagehide", forget);
  Object.defineProperty(document, "cookie", {
    configurable: true,
    get: function () { return ""; },
    set: function () { /* a preview keeps no cookie */ }
  });
  var focus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function (options) {
    if (document.hasFocus()) focus.call(this, options);
  };
})();
