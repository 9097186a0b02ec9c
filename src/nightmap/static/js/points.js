/*
 * nightmap points — many small DivIcon markers from one list (far smaller than one folium Marker each).
 *
 * nmMap.points(target, items)
 *   target  the map or layer group to add the markers to
 *   items   [{lat, lng, cls: CSS class of the icon, html: icon HTML (escaped), tip: tooltip HTML (escaped),
 *            optional}]; markers without a tooltip are not interactive, so clicks go through to the zone below
 */
(function (root) {
  'use strict';
  var nm = root.nmMap = root.nmMap || {};

  nm.points = function (target, items) {
    items.forEach(function (it) {
      var m = L.marker([it.lat, it.lng], {
        icon: L.divIcon({className: it.cls, html: it.html, iconSize: null}),
        interactive: !!it.tip, keyboard: false, riseOnHover: !!it.tip
      });
      if (it.tip) { m.bindTooltip(it.tip, {direction: 'top', offset: [0, -12], className: 'nm-tip'}); }
      m.addTo(target);
    });
  };
})(window);
