// While the service case is being created, fetch this page again every few
// seconds and swap in the new connect box (no page reload, focus kept). Without
// JavaScript a <noscript> refresh does the same. Stops once the box no longer
// asks for a refresh (case ready, or the wait is over).
(function () {
  "use strict";
  var attempts = 0;
  function schedule(box) {
    var seconds = parseInt(box.getAttribute("data-teamviewer-refresh"), 10) || 5;
    window.setTimeout(refresh, seconds * 1000);
  }
  function refresh() {
    attempts += 1;
    if (attempts > 60) { return; }
    fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.getElementById("teamviewer-connect");
        var current = document.getElementById("teamviewer-connect");
        if (!fresh || !current) { return; }
        fresh.querySelectorAll("script").forEach(function (s) { s.remove(); });
        current.replaceWith(fresh);
        if (fresh.hasAttribute("data-teamviewer-refresh")) { schedule(fresh); }
      })
      .catch(function () {
        var box = document.getElementById("teamviewer-connect");
        if (box) { schedule(box); }
      });
  }
  var box = document.getElementById("teamviewer-connect");
  if (box && box.hasAttribute("data-teamviewer-refresh")) { schedule(box); }
})();
