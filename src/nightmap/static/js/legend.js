/*
 * nightmap map legend — a Leaflet control holding the legend's HTML, and the metric scale bar.
 *
 * nmMap.legend(map, opts)
 *   opts.position      corner of the legend ('bottomright')
 *   opts.html          the legend's HTML, escaped by the caller (nightmap.map.text)
 *   opts.compactBelow  map width (px) under which the legend starts folded ('.nm-compact'), until the
 *                      user folds or unfolds it with its '.nm-toggle'
 */
(function (root) {
  'use strict';
  var nm = root.nmMap = root.nmMap || {};

  nm.legend = function (map, opts) {
    var legend = L.control({position: opts.position});
    legend.onAdd = function () {
      var div = L.DomUtil.create('div', 'nm-legend');
      div.innerHTML = opts.html;
      var toggled = false;
      function byWidth() {  // folded on a narrow map, until the user folds or unfolds it
        if (!toggled) { div.classList.toggle('nm-compact', map.getSize().x < opts.compactBelow); }
      }
      byWidth();
      map.on('resize', byWidth);
      var toggle = div.querySelector('.nm-toggle');
      if (toggle) {
        var flip = function () { toggled = true; div.classList.toggle('nm-compact'); };
        toggle.addEventListener('click', flip);
        toggle.addEventListener('keydown', function (ev) {
          if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); flip(); }
        });
      }
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);
    L.control.scale({imperial: false, position: 'bottomleft'}).addTo(map);
  };
})(window);
