/*
 * nightmap zone-label layout on the Leaflet map — reads the DOM, lets labels.js place the names.
 *
 * nmMap.labelLayout(map, opts)
 *   opts.hideBelow  below this zoom a name that finds no free spot is hidden (the selected zone's never)
 *
 * Each label span ('.nm-label span[data-b]') carries its zone's bounding box (data-b="s,w,n,e"), its
 * anchor (data-a="lat,lng") and, for a complex, data-k. After every zoom, resize or new layer of zones the
 * labels are placed by window.nmLabels.place (labels.js, shared with the presenter): the selected zone's
 * first, then complexes', then the smallest zones'; zones, event dots, controls and road and district
 * names are kept clear where possible; a label set apart from its zone gets a leader line to it.
 */
(function (root) {
  'use strict';
  var nm = root.nmMap = root.nmMap || {};

  nm.labelLayout = function (map, opts) {
    var hideBelow = opts.hideBelow;
    function pt(lat, lng) { return map.latLngToContainerPoint([lat, lng]); }
    function isSel(sp) { return sp.parentNode.classList.contains('nm-selected'); }
    function nums(el, attr) { return el.getAttribute(attr).split(',').map(parseFloat); }
    function layout() {
      // all positions in container pixels, from the map's own projection (no DOM transforms)
      var container = map.getContainer(), size = map.getSize();
      var spans = Array.prototype.slice.call(container.querySelectorAll('.nm-label span[data-b]'));
      var zones = spans.map(function (sp) {
        var b = nums(sp, 'data-b'), p0 = pt(b[2], b[1]), p1 = pt(b[0], b[3]);
        return [p0.x, p0.y, p1.x, p1.y];
      });
      var obstacles = [], walls = [], origin = container.getBoundingClientRect();
      function boxesOf(selector, into) {
        container.querySelectorAll(selector).forEach(function (el) {
          var r = el.getBoundingClientRect();
          if (r.width > 0) { into.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]); }
        });
      }
      boxesOf('.leaflet-control', walls);  // legend, layers, zoom, scale, notices: a name under them is unread
      var dots = [];
      container.querySelectorAll('.nm-evt b[data-ll]').forEach(function (el) {
        var ll = nums(el, 'data-ll'), off = nums(el, 'data-off'), p = pt(ll[0], ll[1]);
        var x = p.x + off[0], y = p.y + off[1], r = 13;
        dots.push([x - r, y - r, x + r, y + r]);
      });
      boxesOf('.nm-dlabel span', obstacles);
      // road names stay at their road's middle; where two collide, or one lies under a district name,
      // only the first is shown (an event dot may still sit on one: hiding the name would lose the street)
      var roads = Array.prototype.slice.call(container.querySelectorAll('.nm-rlabel span'));
      // road and district names, kept readable
      obstacles = obstacles.concat(window.nmLabels.thinNames(roads, origin, obstacles), dots);
      var order = spans.map(function (_, i) { return i; });
      order.sort(function (a, b) {  // the selected zone's name first, then complexes', then the smallest zones'
        var sa = isSel(spans[a]), sb = isSel(spans[b]);
        if (sa !== sb) { return sa ? -1 : 1; }
        var ca = spans[a].hasAttribute('data-k'), cb = spans[b].hasAttribute('data-k');
        if (ca !== cb) { return ca ? -1 : 1; }  // the landmarks officials find their way by
        var za = zones[a], zb = zones[b];
        return (za[2] - za[0]) * (za[3] - za[1]) - (zb[2] - zb[0]) * (zb[3] - zb[1]);
      });
      spans.forEach(function (sp) { sp.style.visibility = 'visible'; });
      var spots = window.nmLabels.place(order.map(function (i) {
        return {zone: i, w: spans[i].offsetWidth, h: spans[i].offsetHeight};
      }), zones, obstacles, {x: size.x, y: size.y}, {hide: map.getZoom() < hideBelow, walls: walls});
      order.forEach(function (i, k) {
        var sp = spans[i], s = spots[k], anchor = pt.apply(null, nums(sp, 'data-a'));
        var line = sp.parentNode.querySelector('.nm-leader');
        if (!line) { line = document.createElement('i'); line.className = 'nm-leader'; sp.parentNode.appendChild(line); }
        sp.style.left = (s.x - anchor.x) + 'px'; sp.style.top = (s.y - anchor.y) + 'px';
        if (s.hidden && !isSel(sp)) { sp.style.visibility = 'hidden'; }
        var ld = s.hidden ? null : s.leader;
        line.style.display = ld ? 'block' : 'none';
        if (ld) {
          line.style.left = (ld[0] - anchor.x) + 'px'; line.style.top = (ld[1] - anchor.y) + 'px';
          line.style.width = Math.hypot(ld[2] - ld[0], ld[3] - ld[1]) + 'px';
          line.style.transform = 'rotate(' + Math.atan2(ld[3] - ld[1], ld[2] - ld[0]) + 'rad)';
          sp.setAttribute('data-leader', ld.map(function (v) { return v.toFixed(1); }).join(','));
        } else { sp.removeAttribute('data-leader'); }
      });
    }
    var pending = false;
    function later() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { window.setTimeout(function () { pending = false; layout(); }, 0); });
    }
    map.on('zoomend viewreset resize', later);
    map.on('layeradd', function (e) {  // a new layer of zones in view; not a tooltip or popup opening
      if (!(e.layer instanceof L.DivOverlay)) { later(); }
    });
    map.whenReady(later);
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(later); }
    window.setTimeout(layout, 400);
    window.setTimeout(layout, 1500);
  };
})(window);
