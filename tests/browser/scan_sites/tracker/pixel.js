// A third-party tracking pixel: a beacon image to its own origin (its response sets the IDE cookie too).
(function () {
  var origin = new URL(document.currentScript.src).origin;
  new Image().src = origin + "/collect.gif?e=pageview";
})();
