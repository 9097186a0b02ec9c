/*
 * nightmap presenter player — plays the campaign frame by frame on a Leaflet map, entirely in the browser.
 *
 * Reads its data from <script type="application/json" id="nm-data"> (written by nightmap.playback.player_html).
 * Every text from the data is set with textContent, never innerHTML, so names and titles stay text.
 * Exposes window.nmPlayer = {go, next, prev, play, pause, toggle, setSpeed, frame(), count, playing(), map}.
 * Sets <html data-nm-ready="1"> once the first frame is drawn, and #nm-root[data-frame] on every frame.
 */
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('nm-data').textContent);
  var T = D.text;
  var frames = D.frames;
  var root = document.getElementById('nm-root');

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  // ------------------------------------------------------------------ map
  var map = L.map('nm-map', {
    zoomControl: false, attributionControl: false, zoomSnap: 0.25, zoomDelta: 0.5,
    keyboard: false, minZoom: 10, maxZoom: 19
  });
  // a view first: Leaflet adds layers (and creates marker elements) only once the map has one
  map.fitBounds(L.geoJSON(D.zones).getBounds(), {animate: false});
  L.control.zoom({position: 'bottomleft'}).addTo(map);
  L.control.scale({imperial: false, position: 'bottomleft'}).addTo(map);

  if (D.districts) {
    var feats = D.districts.features.slice().sort(function (a, b) {
      return (a.properties.focus ? 1 : 0) - (b.properties.focus ? 1 : 0);
    });
    L.geoJSON({type: 'FeatureCollection', features: feats}, {
      interactive: false,
      style: function (f) {
        return f.properties.focus
          ? {color: D.colours.focus, weight: 4, fillColor: '#ffffff', fillOpacity: 0.85, opacity: 0.95}
          : {color: D.colours.neighbour, weight: 1.2, fillColor: D.colours.background, fillOpacity: 0.4,
             opacity: 0.8, dashArray: '4 4'};
      }
    }).addTo(map);
    D.districts.features.forEach(function (f) {
      var at = f.properties.at;  // a point inside the district (its box's centre may lie in another)
      var c = at ? L.latLng(at[0], at[1]) : L.geoJSON(f).getBounds().getCenter();
      var span = el('span', null, f.properties.name);
      var icon = L.divIcon({className: 'nm-dlabel' + (f.properties.focus ? ' nm-focus' : ''), html: '', iconSize: null});
      var m = L.marker(c, {icon: icon, interactive: false, keyboard: false}).addTo(map);
      m.getElement().appendChild(span);
    });
  }

  // reference roads (only the stretches the evidence gives), under the zones, named at their middle
  var roadLabels = [];
  if (D.roads) {
    [[D.colours.road_casing, 8], [D.colours.road_fill, 5]].forEach(function (s) {
      L.geoJSON(D.roads, {interactive: false, style: function () {
        return {color: s[0], weight: s[1], opacity: 1, lineCap: 'butt'};
      }}).addTo(map);
    });
    D.roads.features.forEach(function (f) {
      var c = f.geometry.coordinates, mid = c[Math.floor((c.length - 1) / 2)], end = c[c.length - 1];
      var ll = c.length === 2 ? [(c[0][1] + end[1]) / 2, (c[0][0] + end[0]) / 2] : [mid[1], mid[0]];
      var icon = L.divIcon({className: 'nm-rlabel', html: '', iconSize: null});
      var m = L.marker(ll, {icon: icon, interactive: false, keyboard: false}).addTo(map);
      m.getElement().appendChild(el('span', null, f.properties.name));
      roadLabels.push(m);
    });
  }

  var zoneLayers = {};
  var zonesLayer = L.geoJSON(D.zones, {
    style: function (f) {
      var complex = f.properties.kind === 'complex';
      var st = {color: complex ? D.colours.complex : D.colours.street, weight: complex ? 3.5 : 1.4,
                opacity: 1, fillColor: D.colours.no_data, fillOpacity: 0.92};
      if (!f.properties.verified) {  // a guessed place is never drawn as if surveyed
        st.color = D.colours.unverified; st.weight = Math.max(st.weight, 2.2); st.dashArray = D.colours.dash;
      }
      return st;
    },
    onEachFeature: function (f, layer) {
      zoneLayers[f.properties.id] = layer;
      layer.bindTooltip(function () {
        var box = el('div', 'nm-tip');
        box.appendChild(el('b', null, f.properties.name));
        box.appendChild(el('div', null, frames[current] ? frames[current].values[f.properties.id] : ''));
        if (f.properties.unverified) { box.appendChild(el('div', 'nm-unv', f.properties.unverified)); }
        return box;
      }, {sticky: true, direction: 'top'});
    }
  }).addTo(map);
  var zoneBounds = zonesLayer.getBounds();

  // zone labels: name and the current value, placed beside their zone without overlaps
  var labels = [];
  D.zones.features.forEach(function (f) {
    var b = L.geoJSON(f).getBounds();
    var icon = L.divIcon({className: 'nm-zlabel', html: '', iconSize: null});
    // names and figures above the event markers: the figures are what a briefing reads out
    var m = L.marker(b.getCenter(), {icon: icon, interactive: false, keyboard: false, zIndexOffset: 1000}).addTo(map);
    var span = el('span', 'nm-zl' + (f.properties.selected ? '' : ' nm-off'));
    span.setAttribute('data-b', [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].join(','));
    var name = el('b', 'nm-zl-name', f.properties.label || f.properties.name);
    var value = el('i', 'nm-zl-value', '');
    span.appendChild(name);
    span.appendChild(value);
    var line = el('i', 'nm-leader');  // drawn when the label is set apart from its zone
    m.getElement().appendChild(line);
    m.getElement().appendChild(span);
    labels.push({id: f.properties.id, bounds: b, anchor: b.getCenter(), span: span, value: value, line: line});
  });

  var eventLayer = L.layerGroup().addTo(map);

  function px(ll) { return map.latLngToContainerPoint(ll); }

  // placed by labels.js, the same code as the overview map's labels: never over another label; a label
  // set apart from its zone, or as near to another zone, gets a leader line to its zone
  function layoutLabels() {
    var size = map.getSize(), obstacles = [], walls = [];
    var boxes = labels.map(function (lb) {
      var p0 = px(lb.bounds.getNorthWest()), p1 = px(lb.bounds.getSouthEast());
      return [p0.x, p0.y, p1.x, p1.y];
    });
    var origin = root.getBoundingClientRect();
    function boxesOf(selector, into) {
      document.querySelectorAll(selector).forEach(function (n) {
        var r = n.getBoundingClientRect();
        if (r.width > 0) { into.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]); }
      });
    }
    boxesOf('.nm-head, .nm-side > *, .nm-controls, .leaflet-control', walls);  // a name under these is unread
    boxesOf('.nm-dlabel span', obstacles);
    // road names stay at their road's middle; where two collide, or one lies under a district name, only
    // the first is shown (nmLabels.thin, as on the overview map)
    var roadSpans = roadLabels.map(function (m) { return m.getElement().firstChild; });
    obstacles = obstacles.concat(window.nmLabels.thinNames(roadSpans, origin, obstacles));
    boxesOf('.nm-evt b', obstacles);
    var order = labels.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var za = boxes[a], zb = boxes[b];
      return (za[2] - za[0]) * (za[3] - za[1]) - (zb[2] - zb[0]) * (zb[3] - zb[1]);
    });
    var spots = window.nmLabels.place(order.map(function (i) {
      return {zone: i, w: labels[i].span.offsetWidth, h: labels[i].span.offsetHeight};
    }), boxes, obstacles, {x: size.x, y: size.y}, {hide: false, walls: walls});
    order.forEach(function (i, k) {
      var lb = labels[i], s = spots[k], sp = lb.span, anchor = px(lb.anchor), ld = s.leader;
      sp.style.left = (s.x - anchor.x - sp.offsetWidth / 2) + 'px';
      sp.style.top = (s.y - anchor.y - sp.offsetHeight / 2) + 'px';
      lb.line.style.display = ld ? 'block' : 'none';
      if (ld) {
        lb.line.style.left = (ld[0] - anchor.x) + 'px';
        lb.line.style.top = (ld[1] - anchor.y) + 'px';
        lb.line.style.width = Math.hypot(ld[2] - ld[0], ld[3] - ld[1]) + 'px';
        lb.line.style.transform = 'rotate(' + Math.atan2(ld[3] - ld[1], ld[2] - ld[0]) + 'rad)';
        sp.setAttribute('data-leader', ld.map(function (v) { return v.toFixed(1); }).join(','));
      } else { sp.removeAttribute('data-leader'); }
    });
  }

  function fit() {
    var head = document.querySelector('.nm-head'), side = document.querySelector('.nm-side');
    var ctl = document.getElementById('nm-controls');
    side.style.top = (head.offsetHeight + 14) + 'px';
    side.style.bottom = ((ctl.offsetHeight || 0) + 12) + 'px';  // the events panel ends above the controls
    if (current >= 0) { drawEvents(frames[current]); }  // and keeps only the events that fit it now
    var size = map.getSize();
    var top = head.offsetHeight + 40, right = side.offsetWidth + 60;
    var bottom = (ctl.offsetHeight || 0) + 50;
    if (size.x - right - 60 < 200) { right = 60; }
    if (size.y - top - bottom < 200) { top = 20; bottom = 20; }
    map.fitBounds(zoneBounds, {paddingTopLeft: [60, top], paddingBottomRight: [right, bottom], animate: false});
  }

  // ------------------------------------------------------------------ header, legend, controls
  var dateEl = document.getElementById('nm-date'), subEl = document.getElementById('nm-sub');
  var numbersEl = document.getElementById('nm-numbers');
  var numberCells = [];
  (frames[0] ? frames[0].numbers : []).forEach(function () {
    var card = el('div', 'nm-num');
    var value = el('div', 'nm-num-value'), label = el('div', 'nm-num-label');
    card.appendChild(value);
    card.appendChild(label);
    numbersEl.appendChild(card);
    numberCells.push({value: value, label: label, card: card});
  });

  (function legend() {
    var box = document.getElementById('nm-legend');
    box.appendChild(el('h2', null, D.legend.title));
    box.appendChild(el('div', 'nm-lsub', D.legend.sub));
    D.legend.rows.concat([{colour: D.legend.no_data, label: T.no_data}]).forEach(function (r) {
      var row = el('div', 'nm-lrow');
      var sw = el('span', 'nm-sw');
      sw.style.background = r.colour;
      row.appendChild(sw);
      row.appendChild(el('span', null, r.label));
      box.appendChild(row);
    });
    [['unverified', 'nm-sw nm-sw-unv'], ['roads', 'nm-sw nm-sw-road']].forEach(function (r) {
      if (!D.legend[r[0]]) { return; }
      var row = el('div', 'nm-lrow');
      row.appendChild(el('span', r[1]));
      row.appendChild(el('span', null, D.legend[r[0]]));
      box.appendChild(row);
    });
    box.appendChild(el('div', 'nm-lnote', T.scale_fixed));
  })();
  document.getElementById('nm-events-title').textContent = T.events;
  var eventsList = document.getElementById('nm-events-list');

  var controls = document.getElementById('nm-controls');
  var SVGNS = 'http://www.w3.org/2000/svg';
  var ICONS = {
    first: ['M4 4h3v16H4z', 'M20 4 9 12l11 8z'],
    prev: ['M17 4 6 12l11 8z'],
    play: ['M7 4l13 8-13 8z'],
    pause: ['M6 4h4.5v16H6z', 'M13.5 4H18v16h-4.5z'],
    next: ['M7 4l11 8-11 8z'],
    last: ['M17 4h3v16h-3z', 'M4 4l11 8-11 8z'],
    fs: ['M3 3h7v2.5H5.5V10H3z', 'M14 3h7v7h-2.5V5.5H14z', 'M3 14h2.5v4.5H10V21H3z', 'M18.5 14H21v7h-7v-2.5h4.5z']
  };
  function icon(name) {
    var svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'nm-icon');
    svg.setAttribute('aria-hidden', 'true');
    ICONS[name].forEach(function (d) {
      var path = document.createElementNS(SVGNS, 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    });
    return svg;
  }
  function button(cls, label, iconName, text, onClick, after) {
    var b = el('button', 'nm-btn ' + cls);
    b.type = 'button';
    b.title = label;
    b.setAttribute('aria-label', label);
    var ic = icon(iconName);
    var tx = text ? el('span', 'nm-btn-text', text) : null;
    if (tx && after) { b.appendChild(tx); b.appendChild(ic); }
    else { b.appendChild(ic); if (tx) { b.appendChild(tx); } }
    b.addEventListener('click', function (ev) { ev.preventDefault(); onClick(); b.blur(); });
    controls.appendChild(b);
    return b;
  }
  button('nm-first', T.first, 'first', null, function () { pause(); go(0); });
  button('nm-prev', T.prev, 'prev', T.prev, function () { pause(); prev(); });
  var playBtn = button('nm-play', T.play, 'play', T.play, function () { toggle(); });
  var playLabel = playBtn.querySelector('.nm-btn-text');
  button('nm-next', T.next, 'next', T.next, function () { pause(); next(); }, true);
  button('nm-last', T.last, 'last', null, function () { pause(); go(frames.length - 1); });
  function setPlayIcon(name) { playBtn.replaceChild(icon(name), playBtn.querySelector('svg')); }

  var speedBox = el('div', 'nm-speed');
  speedBox.appendChild(el('span', 'nm-speed-label', T.speed));
  var speedBtns = [];
  D.speeds.forEach(function (s) {
    var b = el('button', 'nm-sp', s + '\u00D7');
    b.type = 'button';
    b.addEventListener('click', function () { setSpeed(s); b.blur(); });
    speedBox.appendChild(b);
    speedBtns.push({speed: s, btn: b});
  });
  controls.appendChild(speedBox);

  var track = el('div', 'nm-track');
  var slider = el('input', 'nm-slider');
  slider.type = 'range';
  slider.min = '0';
  slider.max = String(Math.max(0, frames.length - 1));
  slider.step = '1';
  slider.value = '0';
  slider.setAttribute('aria-label', T.slider);
  slider.addEventListener('input', function () { pause(); go(parseInt(slider.value, 10)); });
  track.appendChild(slider);
  var ticks = el('div', 'nm-ticks');
  var every = Math.max(1, Math.ceil(frames.length / 16));
  frames.forEach(function (f, i) {
    var tk = el('span', 'nm-tick', (i % every === 0 || i === frames.length - 1) ? f.tick : '');
    tk.style.left = (frames.length > 1 ? (i / (frames.length - 1)) * 100 : 0) + '%';
    ticks.appendChild(tk);
  });
  track.appendChild(ticks);
  controls.appendChild(track);

  var fsBtn = null;
  if (document.fullscreenEnabled) {
    fsBtn = button('nm-fs', T.fullscreen, 'fs', null, function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
    });
  }
  var keysHint = el('div', 'nm-keys', T.keys);
  controls.appendChild(keysHint);

  // ------------------------------------------------------------------ frames
  var current = -1, timer = null, speed = 1, shownEvents = {};

  function drawEvents(f) {
    eventLayer.clearLayers();
    clear(eventsList);
    var byZone = {}, now = {};
    f.events.forEach(function (ev) {
      (byZone[ev.zone] = byZone[ev.zone] || []).push(ev);
      now[ev.id] = true;
      var li = el('li', shownEvents[ev.id] ? '' : 'nm-new');
      var dot = el('span', 'nm-edot', ev.short);
      dot.style.background = ev.colour;
      li.appendChild(dot);
      var txt = el('div', 'nm-etext');
      txt.appendChild(el('b', null, ev.title));
      txt.appendChild(el('span', null, ev.meta));
      li.appendChild(txt);
      eventsList.appendChild(li);
    });
    if (!f.events.length) { eventsList.appendChild(el('li', 'nm-none', T.no_events)); }
    // a busy night: keep what fits in the panel and say how many more there are
    var box = eventsList.parentNode, items = eventsList.children.length, more = null;
    while (eventsList.children.length > 1 && box.scrollHeight > box.clientHeight + 1) {
      if (more) { eventsList.removeChild(more); }
      eventsList.removeChild(eventsList.lastChild);
      more = el('li', 'nm-none', T.more.replace('{n}', String(items - eventsList.children.length)));
      eventsList.appendChild(more);
    }
    Object.keys(byZone).forEach(function (zid) {
      var layer = zoneLayers[zid];
      if (!layer) { return; }
      var b = layer.getBounds(), list = byZone[zid], n = Math.min(list.length, 6);
      var top = L.latLng(b.getNorth(), (b.getWest() + b.getEast()) / 2);
      for (var i = 0; i < n; i++) {
        var ev = list[i];
        var icon = L.divIcon({className: 'nm-evt', html: '', iconSize: null});
        var m = L.marker(top, {icon: icon, keyboard: false, interactive: true});
        m.addTo(eventLayer);
        var dot = el('b', shownEvents[ev.id] ? '' : 'nm-pop', ev.short);
        dot.style.background = ev.colour;
        dot.style.left = ((i - (n - 1) / 2) * 34) + 'px';
        m.getElement().appendChild(dot);
        (function (e2) {
          m.bindTooltip(function () {
            var box = el('div', 'nm-tip');
            box.appendChild(el('b', null, e2.title));
            box.appendChild(el('div', null, e2.meta));
            return box;
          }, {direction: 'top', offset: [0, -18]});
        })(ev);
      }
    });
    shownEvents = now;
  }

  function go(i) {
    if (!frames.length) { return; }
    i = Math.max(0, Math.min(frames.length - 1, i | 0));
    current = i;
    var f = frames[i];
    Object.keys(zoneLayers).forEach(function (zid) {
      zoneLayers[zid].setStyle({fillColor: f.colours[zid] || D.colours.no_data});
    });
    labels.forEach(function (lb) { lb.value.textContent = f.values[lb.id] || ''; });
    dateEl.textContent = f.date;
    subEl.textContent = f.sub;
    f.numbers.forEach(function (n, k) {
      var c = numberCells[k];
      if (!c) { return; }
      c.value.textContent = n.value;
      c.label.textContent = n.label;
      c.card.className = 'nm-num' + (n.sign ? ' nm-' + n.sign : '');
    });
    drawEvents(f);
    slider.value = String(i);
    root.setAttribute('data-frame', String(i));
    root.setAttribute('data-key', f.key);
    layoutLabels();
  }
  function next() { go(current + 1 >= frames.length ? 0 : current + 1); }
  function prev() { go(current - 1 < 0 ? frames.length - 1 : current - 1); }
  function schedule() {
    timer = window.setTimeout(function () {
      if (current >= frames.length - 1) { pause(); return; }
      go(current + 1);
      schedule();
    }, D.frame_ms / speed);
  }
  function play() {
    if (timer !== null || frames.length < 2) { return; }
    if (current >= frames.length - 1) { go(0); }
    root.classList.add('nm-playing');
    setPlayIcon('pause');
    playLabel.textContent = T.pause;
    playBtn.title = T.pause;
    schedule();
  }
  function pause() {
    if (timer !== null) { window.clearTimeout(timer); timer = null; }
    root.classList.remove('nm-playing');
    setPlayIcon('play');
    playLabel.textContent = T.play;
    playBtn.title = T.play;
  }
  function toggle() { if (timer !== null) { pause(); } else { play(); } }
  function setSpeed(s) {
    speed = s;
    speedBtns.forEach(function (x) { x.btn.classList.toggle('nm-on', x.speed === s); });
    if (timer !== null) { window.clearTimeout(timer); schedule(); }
  }

  function onKey(ev) {
    if (ev.target && /^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName) && ev.target !== slider) { return; }
    var k = ev.key;
    if (k === ' ' || k === 'Spacebar' || k === 'k') { toggle(); }
    else if (k === 'ArrowRight' || k === 'PageDown') { pause(); next(); }
    else if (k === 'ArrowLeft' || k === 'PageUp') { pause(); prev(); }
    else if (k === 'Home') { pause(); go(0); }
    else if (k === 'End') { pause(); go(frames.length - 1); }
    else { return; }
    ev.preventDefault();
  }
  document.addEventListener('keydown', onKey);
  // In the app the player sits in a frame: a clicker's keys reach the page around it until someone
  // clicks into the player, so listen there too (one listener, replaced on each redraw; it removes
  // itself once this player is gone). Not in a page of another origin, nor on the page's own inputs.
  try {
    var host = window.parent;
    if (host && host !== window && host.document) {
      if (host.__nmPlayerKeys) { host.document.removeEventListener('keydown', host.__nmPlayerKeys); }
      var relay = function (ev) {
        if (!window.frameElement || !window.frameElement.isConnected) {
          host.document.removeEventListener('keydown', relay);
          return;
        }
        var tgt = ev.target;
        if (tgt && (/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(tgt.tagName) || tgt.isContentEditable)) { return; }
        onKey(ev);
      };
      host.__nmPlayerKeys = relay;
      host.document.addEventListener('keydown', relay);
    }
  } catch (e) { /* another origin: the keys work once the player has the focus */ }

  var relayout = function () { window.requestAnimationFrame(layoutLabels); };
  map.on('zoomend moveend resize', relayout);
  window.addEventListener('resize', function () { map.invalidateSize(); fit(); relayout(); });
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(function () { fit(); relayout(); }); }

  fit();
  setSpeed(1);
  shownEvents = {};
  go(D.start || 0);
  window.setTimeout(layoutLabels, 300);

  window.nmPlayer = {
    go: go, next: next, prev: prev, play: play, pause: pause, toggle: toggle, setSpeed: setSpeed,
    frame: function () { return current; }, count: frames.length, map: map,
    playing: function () { return timer !== null; }
  };
  window.requestAnimationFrame(function () {
    layoutLabels();
    document.documentElement.setAttribute('data-nm-ready', '1');
    if (D.autoplay && !D.still) { play(); }
  });
})();
