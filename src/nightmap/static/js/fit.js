/*
 * nightmap map framing — frame the zones, leaving room for the legend, and again when the map is resized.
 *
 * nmMap.fit(map, opts)
 *   opts.bounds   [[south, west], [north, east]] of the zones to frame
 *   opts.maxZoom  framing a few zones (or one) stops at this zoom
 *
 * The room kept on the right is the legend's width (at most 45% of the map's), so a narrow map (beside a
 * zone's detail) is framed as well as a wide one. While nobody has moved the map since it was framed, a
 * resize frames it again; once it is moved it is left alone, except that the selected zone is kept in
 * sight, clear of the legend, when the map is resized or a newly selected zone arrives.
 */
(function (root) {
  'use strict';
  var nm = root.nmMap = root.nmMap || {};

  nm.fit = function (map, opts) {
    var bounds = opts.bounds, framed = null, shownSel = null;
    function legendRoom() {  // the legend's width (bottom right), at most 45% of the map
      var w = map.getSize().x, legend = map.getContainer().querySelector('.nm-legend');
      return Math.min(legend ? legend.offsetWidth + 20 : 250, 0.45 * w);
    }
    function fit() {
      map.fitBounds(bounds, {paddingTopLeft: [30, 40], paddingBottomRight: [legendRoom(), 40],
                             maxZoom: opts.maxZoom, animate: false});
      framed = [map.getCenter(), map.getZoom()];
    }
    function keepSelected(always) {  // the selected zone stays in sight, clear of the legend
      var el = map.getContainer().querySelector('.nm-label.nm-selected span[data-a]');
      var key = el ? el.getAttribute('data-a') : null;
      if (key && (always || key !== shownSel)) {
        var a = key.split(',').map(parseFloat);
        map.panInside(a, {paddingTopLeft: [60, 60], paddingBottomRight: [legendRoom() + 20, 60], animate: false});
      }
      shownSel = key;
    }
    fit();
    map.whenReady(function () { shownSel = null; keepSelected(false); });
    map.on('resize', function () {
      if (framed && map.getZoom() === framed[1] && map.getCenter().distanceTo(framed[0]) < 1) { fit(); }
      else { framed = null; }
      keepSelected(true);
    });
    map.on('layeradd', function (e) {  // a new layer of zones: pan only when the selection changed
      if (!(e.layer instanceof L.DivOverlay)) { root.setTimeout(function () { keepSelected(false); }, 0); }
    });
  };
})(window);
