/*
 * nightmap label placement — one algorithm for the overview map (nightmap.map inlines this file) and the
 * presenter player (nightmap.playback.page puts it before player.js). Pure geometry on boxes in container pixels
 * ([left, top, right, bottom]); the callers read the DOM and move the labels.
 *
 * Labels are placed one by one, in the order given, at the cheapest of many spots around their zone:
 * beside it (below, above, right, left, the corners), then further out in rings. A spot that covers a
 * label already placed, or leaves the map, is only taken when nothing else is left. A spot that covers
 * a zone, an event dot or a control costs its overlap; distance costs a little. A label that is not right
 * beside its zone, or is as near to another zone as to its own, gets a leader line to its zone, so each
 * name reads as its own zone's.
 *
 * window.nmLabels.place(labels, zones, obstacles, size, opts) -> [{x, y, hidden, leader}]
 * window.nmLabels.thin(boxes, avoid) -> indices of the fixed names to show (no two overlapping)
 * window.nmLabels.thinNames(spans, origin, avoid) -> the same on the page: hides the others, returns the kept boxes
 *   labels    [{zone: index into zones, w, h}] in placement order (most important first)
 *   zones     zone boxes
 *   obstacles other boxes to keep clear (controls, event dots, road and district names)
 *   size      {x, y}: the map's size
 *   opts      {hide: true to hide a label that has no free spot, walls: boxes no label may cover
 *             (the legend, the header, the controls), as if outside the map}
 *   x, y      the label's centre; leader: [x0, y0, x1, y1] from the label's edge to its zone, or null
 */
(function (root) {
  'use strict';
  var TAKEN = 1e6;  // the cost of covering another label or leaving the map: only when nothing else is left
  var RINGS = [3, 10, 20, 32, 46, 64, 86, 112, 145];
  var NEAR = 12;    // a label within this many pixels of its zone needs no leader (unless ambiguous)
  var CLEAR = 5;    // a label must be this much nearer its own zone than any other to need no leader

  function overlap(a, b) {
    var w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    var h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    return (w > 0 && h > 0) ? w * h : 0;
  }
  function gap(a, b) {  // distance between two boxes (0 when they touch or overlap)
    var dx = Math.max(0, a[0] - b[2], b[0] - a[2]), dy = Math.max(0, a[1] - b[3], b[1] - a[3]);
    return Math.sqrt(dx * dx + dy * dy);
  }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
  function crosses(x0, y0, x1, y1, b) {  // whether the segment passes through box b (Liang–Barsky)
    var t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    var p = [-dx, dx, -dy, dy], q = [x0 - b[0], b[2] - x0, y0 - b[1], b[3] - y0];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) { if (q[i] < 0) { return false; } }
      else {
        var r = q[i] / p[i];
        if (p[i] < 0) { if (r > t1) { return false; } if (r > t0) { t0 = r; } }
        else { if (r < t0) { return false; } if (r < t1) { t1 = r; } }
      }
    }
    return t1 - t0 > 1e-6;
  }
  function side(ax, ay, bx, by, cx, cy) { return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax); }
  function cut(l, m) {  // whether two segments cross
    return side(l[0], l[1], l[2], l[3], m[0], m[1]) * side(l[0], l[1], l[2], l[3], m[2], m[3]) < 0 &&
      side(m[0], m[1], m[2], m[3], l[0], l[1]) * side(m[0], m[1], m[2], m[3], l[2], l[3]) < 0;
  }
  function leaderOf(b, z) {  // from the label's edge to the nearest point inside its zone
    var cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
    var inset = Math.min(3, (z[2] - z[0]) / 2, (z[3] - z[1]) / 2);
    var ex = clamp(cx, z[0] + inset, z[2] - inset), ey = clamp(cy, z[1] + inset, z[3] - inset);
    return [clamp(ex, b[0], b[2]), clamp(ey, b[1], b[3]), ex, ey];
  }
  function ambiguous(b, zones, own) {  // as near (or nearer) to another zone as to its own
    var mine = gap(b, zones[own]);
    for (var j = 0; j < zones.length; j++) {
      if (j !== own && gap(b, zones[j]) < mine + CLEAR) { return true; }
    }
    return false;
  }
  function spots(z, w, h) {
    var cx = (z[0] + z[2]) / 2, cy = (z[1] + z[3]) / 2, out = [];
    RINGS.forEach(function (d) {
      var dd = d * 0.7;
      out.push(
        [cx, z[3] + d + h / 2, d], [cx, z[1] - d - h / 2, d],
        [z[2] + d + w / 2, cy, d], [z[0] - d - w / 2, cy, d],
        [z[2] + dd + w / 2, z[3] + dd + h / 2, d], [z[0] - dd - w / 2, z[3] + dd + h / 2, d],
        [z[2] + dd + w / 2, z[1] - dd - h / 2, d], [z[0] - dd - w / 2, z[1] - dd - h / 2, d],
        [cx + w / 3, z[3] + d + h / 2, d], [cx - w / 3, z[3] + d + h / 2, d],
        [cx + w / 3, z[1] - d - h / 2, d], [cx - w / 3, z[1] - d - h / 2, d],
        [z[2] + d + w / 2, cy - h / 2, d], [z[2] + d + w / 2, cy + h / 2, d],
        [z[0] - d - w / 2, cy - h / 2, d], [z[0] - d - w / 2, cy + h / 2, d]
      );
    });
    return out;
  }

  function place(labels, zones, obstacles, size, opts) {
    opts = opts || {};
    var placed = [], lines = [], out = [], walls = opts.walls || [];
    labels.forEach(function (lb) {
      var z = zones[lb.zone], w = lb.w, h = lb.h;
      var best = null, bestCost = Infinity;
      spots(z, w, h).forEach(function (c) {
        var b = [c[0] - w / 2, c[1] - h / 2, c[0] + w / 2, c[1] + h / 2], cost = c[2] * h * 0.4, j;
        if (cost >= bestCost) { return; }
        if (b[0] < 0 || b[1] < 0 || b[2] > size.x || b[3] > size.y) { cost += TAKEN; }
        for (j = 0; j < placed.length; j++) {
          var ov = overlap(b, placed[j]);
          if (ov > 0) { cost += TAKEN + ov; }
        }
        for (j = 0; j < walls.length; j++) {
          var ow = overlap(b, walls[j]);
          if (ow > 0) { cost += TAKEN + ow; }
        }
        for (j = 0; j < zones.length; j++) { cost += overlap(b, zones[j]) * (j === lb.zone ? 0.6 : 1.5); }
        for (j = 0; j < obstacles.length; j++) { cost += overlap(b, obstacles[j]) * 4; }
        for (j = 0; j < lines.length; j++) {  // a label over another label's leader hides where it goes
          var ln = lines[j];
          if (crosses(ln[0], ln[1], ln[2], ln[3], b)) { cost += w * h * 0.5; }
        }
        var leader = null;
        if (gap(b, z) > NEAR || ambiguous(b, zones, lb.zone)) {
          leader = leaderOf(b, z);
          cost += w * h * 0.15;
          for (j = 0; j < placed.length; j++) {  // a leader through another name is misread
            if (crosses(leader[0], leader[1], leader[2], leader[3], placed[j])) { cost += w * h; }
          }
          for (j = 0; j < lines.length; j++) {  // so are crossed leaders
            if (cut(leader, lines[j])) { cost += w * h; }
          }
        }
        if (cost < bestCost) { best = {x: c[0], y: c[1], box: b, leader: leader}; bestCost = cost; }
      });
      if (bestCost >= TAKEN && opts.hide) {
        out.push({x: best.x, y: best.y, hidden: true, leader: null});
        return;
      }
      placed.push(best.box);
      if (best.leader) { lines.push(best.leader); }
      out.push({x: best.x, y: best.y, hidden: false, leader: best.leader});
    });
    return out;
  }

  // which of some fixed names (e.g. roads, at their middle) to show: in order, each one that covers no
  // name already kept and none of the boxes to avoid (event dots, district names); returns their indices
  function thin(boxes, avoid) {
    var kept = [], out = [];
    boxes.forEach(function (b, i) {
      var clash = kept.some(function (k) { return overlap(k, b) > 0; }) ||
        (avoid || []).some(function (a) { return overlap(a, b) > 0; });
      if (!clash) { kept.push(b); out.push(i); }
    });
    return out;
  }

  // the DOM side of thin for names on the page: shows each span again, measures the visible ones (boxes
  // relative to `origin`, a DOMRect), hides those thin leaves out; returns the boxes of the names shown
  function thinNames(spans, origin, avoid) {
    var shown = [], boxes = [];
    spans.forEach(function (sp) {
      sp.style.display = '';
      var r = sp.getBoundingClientRect();
      if (r.width > 0) {
        shown.push(sp);
        boxes.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]);
      }
    });
    var keep = thin(boxes, avoid);
    shown.forEach(function (sp, i) { if (keep.indexOf(i) < 0) { sp.style.display = 'none'; } });
    return keep.map(function (i) { return boxes[i]; });
  }

  root.nmLabels = {place: place, overlap: overlap, gap: gap, thin: thin, thinNames: thinNames};
})(window);
