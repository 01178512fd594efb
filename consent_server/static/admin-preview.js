/* consent-server admin: runs in the preview frame before the widget.
 *
 * The preview is always a first visit: a choice made in an earlier preview (stored for this server's
 * origin) is forgotten. And the banner does not take the focus from the form the admin is typing in:
 * the widget focuses its banner on a first visit, which in a frame would pull the focus out of the
 * page around it; here it may only move the focus once the frame itself has it.
 */
(function () {
  "use strict";
  try {
    window.localStorage.removeItem("cs_consent");
    window.localStorage.removeItem("cs_queue");
  } catch (e) { /* storage blocked: nothing was kept either */ }
  document.cookie = "cs_consent=; Path=/; Max-Age=0; SameSite=Lax";
  var focus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function (options) {
    if (document.hasFocus()) focus.call(this, options);
  };
  window.addEventListener("pagehide", function () {
    document.cookie = "cs_consent=; Path=/; Max-Age=0; SameSite=Lax";
  });
})();
