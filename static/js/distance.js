// "How far am I from this post?": the browser gives its location, the server answers the
// distance and the geofence verdict by the check-in's own rule; this page only shows them.
(function () {
  "use strict";
  var button = document.getElementById("distance-btn");
  if (!button) return;
  var out = document.getElementById("distance-result");

  function show(text, className) {
    out.textContent = text;
    out.className = "ms-2" + (className ? " " + className : "");
  }

  button.addEventListener("click", function () {
    var T = button.dataset;
    if (!navigator.geolocation) { show(T.noGeolocation); return; }
    show(T.locating);
    navigator.geolocation.getCurrentPosition(function (pos) {
      var query = new URLSearchParams({ lat: pos.coords.latitude, lng: pos.coords.longitude });
      Huxue.request("GET", T.url + "?" + query).then(function (result) {
        if (!result.ok) {
          show(T.failed + " " + Huxue.errorText(result, { network_error: T.networkError, error: T.error }),
            "text-danger");
          return;
        }
        var answer = result.data;
        if (answer.distance_m === null) { show(T.noPoint, "text-warning"); return; }
        show(Huxue.fmt(T.distance, { metres: answer.distance_m }) + " " + (answer.inside ? T.inside : T.outside),
          answer.inside ? "text-success" : "text-danger");
      });
    }, function (err) {
      show(T.failed + " " + err.message);
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 }); // measured afresh on every press
  });
})();
