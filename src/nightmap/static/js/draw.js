/*
 * The zone editor's polygon-drawing control, offline (no leaflet.draw): start, click the corners,
 * finish (or double-click), undo, cancel. Fires 'draw:created' on the map like leaflet.draw, so
 * streamlit-folium returns the drawing.
 *
 * nmMap.drawPolygon(map, {texts: {start, start_help, finish, ...}, colour: '#rrggbb',
 *                         zoomInTitle, zoomOutTitle})
 * also adds the map's zoom buttons (above the drawing control), titled in the page's language.
 */
(function (root) {
  'use strict';
  root.nmMap = root.nmMap || {};
  root.nmMap.drawPolygon = function (map, opts) {
    L.control.zoom({position: 'topleft', zoomInTitle: opts.zoomInTitle, zoomOutTitle: opts.zoomOutTitle})
      .addTo(map);
    var T = opts.texts;
    var colour = opts.colour;
    var pts = [], line = null, shape = null, drawing = false;
    var dots = L.layerGroup().addTo(map);
    var ui = {};
    var Ctl = L.Control.extend({
        options: {position: 'topleft'},
        onAdd: function () {
            var box = L.DomUtil.create('div', 'leaflet-bar nm-draw');
            box.style.setProperty('--nm-draw-colour', colour);
            function btn(name, fn) {
                var a = L.DomUtil.create('a', 'nm-draw-' + name, box);
                a.href = '#'; a.setAttribute('role', 'button');
                a.textContent = T[name]; a.title = T[name + '_help'] || T[name];
                L.DomEvent.on(a, 'click', function (ev) { L.DomEvent.stop(ev); fn(); });
                ui[name] = a;
            }
            btn('start', start); btn('finish', finish); btn('undo', undo); btn('cancel', cancel);
            ui.hint = L.DomUtil.create('div', 'nm-draw-hint', box);
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            return box;
        }
    });
    new Ctl().addTo(map);
    function show(name, on) { L.DomUtil[on ? 'removeClass' : 'addClass'](ui[name], 'nm-hidden'); }
    function refresh(message) {
        show('start', !drawing); show('finish', drawing); show('undo', drawing && pts.length > 0);
        show('cancel', drawing);
        var text = message || (drawing ? T.hint_drawing.replace('{n}', pts.length) : (shape ? T.hint_done : T.hint_idle));
        ui.hint.textContent = text;
        L.DomUtil[drawing ? 'addClass' : 'removeClass'](map.getContainer(), 'nm-drawing');
    }
    function redraw() {
        if (line) { map.removeLayer(line); line = null; }
        dots.clearLayers();
        if (pts.length) {
            line = L.polyline(pts, {color: colour, weight: 3, dashArray: '6 4', interactive: false}).addTo(map);
        }
        pts.forEach(function (p) {
            L.circleMarker(p, {radius: 5, color: colour, fillColor: '#fff', fillOpacity: 1, weight: 2,
                               interactive: false}).addTo(dots);
        });
    }
    function clearSketch() { pts = []; redraw(); }
    function start() {
        drawing = true; clearSketch();
        if (shape) { map.removeLayer(shape); shape = null; }
        map.doubleClickZoom.disable(); refresh();
    }
    function stop() { drawing = false; clearSketch(); map.doubleClickZoom.enable(); }
    function cancel() { stop(); refresh(); }
    function undo() { pts.pop(); redraw(); refresh(); }
    function add(latlng) {
        if (pts.length) {
            var a = map.latLngToContainerPoint(pts[pts.length - 1]), b = map.latLngToContainerPoint(latlng);
            if (a.distanceTo(b) < 4) { return; }
        }
        pts.push(latlng); redraw(); refresh();
    }
    function finish() {
        if (pts.length < 3) { refresh(T.need3); return; }
        var ring = pts.slice();
        stop();
        shape = L.polygon(ring, {color: colour, weight: 3, fillOpacity: 0.15, interactive: false}).addTo(map);
        refresh();
        map.fire('draw:created', {layer: shape, layerType: 'polygon'});
    }
    map.on('click', function (e) { if (drawing) { add(e.latlng); } });
    map.on('dblclick', function (e) { if (drawing) { L.DomEvent.stop(e); add(e.latlng); finish(); } });
    refresh();
  };
}(window));
