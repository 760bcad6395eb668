// "How far am I from this post?": the browser's location against the post's point.
(function () {
  "use strict";
  var button = document.getElementById("distance-btn");
  if (!button) return;
  var out = document.getElementById("distance-result");

  function haversine(lat1, lng1, lat2, lng2) {
    var R = 6371008.8, rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad, dLng = (lng2 - lng1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 2 * R * Math.asin(Math.sqrt(a));
  }

  button.addEventListener("click", function () {
    var T = button.dataset;
    if (!navigator.geolocation) { out.textContent = T.noGeolocation; return; }
    out.textContent = T.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      var d = haversine(pos.coords.latitude, pos.coords.longitude,
        parseFloat(button.dataset.lat), parseFloat(button.dataset.lng));
      var inside = d <= parseFloat(button.dataset.radius);
      out.textContent = T.distance.replace("%(metres)s", Math.round(d)) + " " + (inside ? T.inside : T.outside);
      out.className = "ms-2 " + (inside ? "text-success" : "text-danger");
    }, function (err) {
      out.textContent = T.failed + " " + err.message;
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 }); // measured afresh on every press
  });
})();
