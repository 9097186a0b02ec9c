/*
 * nightmap map chrome — the zoom buttons titled in the map's language, and the tiled map's background.
 *
 * nmMap.chrome(map, opts)
 *   opts.zoomInTitle, opts.zoomOutTitle  the zoom buttons' titles
 *   opts.tiled                           the map has a basemap other than the schematic: the container
 *                                        gets '.nm-tiled' (its background, css/map.css)
 *   opts.notice, opts.waitMs             for the fall-back from tiles that do not load
 *                                        (nmMap.tilesFallback, tiles_fallback.js)
 */
(function (root) {
  'use strict';
  var nm = root.nmMap = root.nmMap || {};

  nm.chrome = function (map, opts) {
    L.control.zoom({position: 'topleft', zoomInTitle: opts.zoomInTitle, zoomOutTitle: opts.zoomOutTitle}).addTo(map);
    if (opts.tiled) { map.getContainer().classList.add('nm-tiled'); }
    nm.tilesFallback(map, opts);
  };
})(window);
