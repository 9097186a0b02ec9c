/*
 * nightmap tiles fall-back — from a tile layer that does not load to the offline schematic.
 *
 * nmMap.tilesFallback(map, opts)
 *   opts.notice  the text of the notice shown on the map when it falls back
 *   opts.waitMs  fall back when no tile has loaded after this long
 *
 * With a tile layer, the tiles loaded and failed (Leaflet 'tileerror') are counted; when several fail and
 * none loads, or none has loaded after waitMs, the container gets '.nm-fallback': the tiles are hidden, the
 * schematic shows instead (its background, the focus district's fill, the reference roads drawn for it,
 * css/map.css) and a notice says so. Without a tile layer, nothing happens.
 */
(function (root) {
  'use strict';
  var nm = root.nmMap = root.nmMap || {};

  nm.tilesFallback = function (map, opts) {
    var tiles = null;
    map.eachLayer(function (l) { if (l instanceof L.TileLayer) { tiles = l; } });
    if (!tiles) { return; }
    var loaded = 0, failed = 0, fell = false;
    function fallBack() {
      if (fell || loaded > 0) { return; }
      fell = true;
      map.getContainer().classList.add('nm-fallback');
      var notice = L.control({position: 'bottomleft'});  // over the scale bar, clear of the zones
      notice.onAdd = function () {
        var div = L.DomUtil.create('div', 'nm-notice');
        div.setAttribute('role', 'status');
        div.textContent = opts.notice;
        return div;
      };
      notice.addTo(map);
      map.fire('resize');  // labels make room for the notice
    }
    tiles.on('tileload', function () { loaded += 1; });
    tiles.on('tileerror', function () { failed += 1; if (failed >= 3) { fallBack(); } });
    root.setTimeout(fallBack, opts.waitMs);  // tiles that neither load nor fail
  };
})(window);
