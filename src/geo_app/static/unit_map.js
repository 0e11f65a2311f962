// Unit map: a Leaflet map of one topology (TopoJSON) whose colours and selection Python updates.
// Geometry is fetched once per browser tab from a content-hashed static URL and kept decoded in
// window.__geoUnitMap; later renders only restyle the polygons that changed. A click recolours (paint)
// or outlines (select) the unit at once and reports the click to Python in the component state
// `clicks` (all unacknowledged clicks, numbered, so a lost rerun never loses one).
// User text (names, legend, tooltips) is only ever set with textContent, never as HTML.

const G = (window.__geoUnitMap = window.__geoUnitMap || { topo: {}, leaflet: null });
const SELECT_STYLE = { color: "#111111", weight: 3, opacity: 1 };
const HOVER_WEIGHT = 2.5;

function loadLeaflet(base) {
  if (window.L && window.L.map) return Promise.resolve(window.L);
  if (G.leaflet) return G.leaflet;
  G.leaflet = new Promise((resolve, reject) => {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "/leaflet/leaflet.css";
    document.head.appendChild(css);
    const js = document.createElement("script");
    js.src = base + "/leaflet/leaflet.js";
    js.onload = () => resolve(window.L);
    js.onerror = () => {
      G.leaflet = null;
      reject(new Error("Leaflet kon niet geladen worden van " + js.src));
    };
    document.head.appendChild(js);
  });
  return G.leaflet;
}

function decodeTopology(topo) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [y * sy + ty, x * sx + tx]; // Leaflet order: lat, lng
    });
  });
  const geoms = topo.objects.units.geometries;
  const owners = arcs.map(() => []);
  const ring = (refs, fi) => {
    const out = [];
    for (const ref of refs) {
      const i = ref < 0 ? ~ref : ref;
      owners[i].push(fi);
      const pts = ref < 0 ? arcs[i].slice().reverse() : arcs[i];
      for (let k = out.length ? 1 : 0; k < pts.length; k++) out.push(pts[k]);
    }
    return out;
  };
  const features = geoms.map((g, fi) => {
    const polys = g.type === "Polygon" ? [g.arcs] : g.arcs;
    const latlngs = polys.map((poly) => poly.map((refs) => ring(refs, fi)));
    return { code: String(g.id), name: (g.properties && g.properties.n) || String(g.id), latlngs };
  });
  const index = new Map(features.map((f, i) => [f.code, i]));
  return { features, index, arcs, owners };
}

function loadTopology(url) {
  if (!G.topo[url]) {
    G.topo[url] = fetch(url, { credentials: "same-origin" })
      .then((r) => {
        if (!r.ok) throw new Error("kaartgeometrie niet gevonden (" + r.status + ")");
        return r.json();
      })
      .then(decodeTopology)
      .catch((e) => {
        delete G.topo[url];
        throw e;
      });
  }
  return G.topo[url];
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function createInstance(parent) {
  const wrap = el("div", "um-wrap");
  const mapDiv = el("div", "um-map");
  const status = el("div", "um-status", "Kaart laden…");
  const legend = el("div", "um-legend");
  const attr = el("div", "um-attr");
  wrap.append(mapDiv, status, legend, attr);
  parent.appendChild(wrap);
  return {
    wrap, mapDiv, status, legend, attr,
    map: null, topo: null, topoUrl: null, layers: [], shown: [], fill: [],
    selected: new Set(), pending: [], seq: 0, ack: -1, fitSeq: null, touched: false,
    data: null, borders: null, bordersKey: null, legendKey: null, busy: Promise.resolve(),
    pointLayers: [], pointsKey: null, hiddenGroups: new Set(),
  };
}

function colorOf(st, i) {
  const d = st.data;
  const k = d.fill[i];
  return k === null || k === undefined || k < 0 ? null : d.colors[k];
}

function baseStyle(st, i) {
  const d = st.data;
  const code = st.topo.features[i].code;
  let fill = colorOf(st, i);
  for (const p of st.pending) if (p.code === code && p.action === "paint") fill = p.color;
  const sel = isSelected(st, code);
  return Object.assign(
    { fillColor: fill || d.missing_color, fillOpacity: d.fill_opacity, color: d.line_color, weight: d.line_weight, opacity: 1 },
    sel ? SELECT_STYLE : {}
  );
}

function isSelected(st, code) {
  let sel = st.selected.has(code);
  for (const p of st.pending) if (p.code === code && p.action === "toggle") sel = !sel;
  return sel;
}

function tooltipContent(st, i) {
  const d = st.data;
  const box = el("div", "um-tip");
  box.appendChild(el("b", null, st.topo.features[i].name));
  for (const [label, values] of d.tips || []) {
    let v;
    if (values === null) {
      const k = d.fill[i];
      v = k === null || k === undefined || k < 0 ? d.missing_label : d.labels[k];
    } else {
      v = values[i];
    }
    if (v === null || v === undefined) v = "–";
    const row = el("div");
    row.append(el("span", "um-tip-l", label + ": "), el("span", null, v));
    box.appendChild(row);
  }
  return box;
}

function buildLayers(L, st) {
  for (const layer of st.layers) if (layer) layer.remove();
  st.layers = st.topo.features.map((f, i) => {
    const layer = L.polygon(f.latlngs, { smoothFactor: 0.5 });
    layer.on("click", () => onClick(st, i));
    layer.on("mouseover", () => layer.setStyle({ weight: Math.max(HOVER_WEIGHT, baseStyle(st, i).weight) }));
    layer.on("mouseout", () => layer.setStyle(baseStyle(st, i)));
    layer.bindTooltip(() => tooltipContent(st, i), { sticky: true, direction: "top", opacity: 0.95 });
    layer.on("add", () => mark(st, i));
    return layer;
  });
  st.shown = st.layers.map(() => false);
  st.fill = st.layers.map(() => undefined);
  st.styles = st.layers.map(() => null);
  st.selectedShown = new Set();
}

function mark(st, i) {
  // data attributes on the SVG path: for tests, and for anyone inspecting the map
  const path = st.layers[i].getElement();
  const style = st.styles[i];
  if (!path || !style) return;
  path.setAttribute("data-code", st.topo.features[i].code);
  path.setAttribute("data-fill", style.fillColor);
  path.classList.toggle("um-selected", style.weight === SELECT_STYLE.weight);
}

function restyle(st, force) {
  const d = st.data;
  const map = st.map;
  const wantSel = new Set();
  st.topo.features.forEach((f, i) => {
    const visible = d.fill[i] !== null && d.fill[i] !== undefined;
    const layer = st.layers[i];
    if (visible && !st.shown[i]) {
      layer.addTo(map);
      st.shown[i] = true;
      force = true;
    } else if (!visible && st.shown[i]) {
      layer.remove();
      st.shown[i] = false;
    }
    if (!visible) return;
    const style = baseStyle(st, i);
    const key = style.fillColor + "|" + style.weight + "|" + style.color;
    if (force || st.fill[i] !== key) {
      layer.setStyle(style);
      st.fill[i] = key;
      st.styles[i] = style;
      mark(st, i);
    }
    if (style.weight === SELECT_STYLE.weight) wantSel.add(i);
  });
  for (const i of wantSel) st.layers[i].bringToFront();
  if (st.borders) st.borders.bringToFront();
}

function drawBorders(L, st) {
  const d = st.data;
  const spec = d.borders;
  const key = spec ? JSON.stringify(spec) + "|" + st.shown.join("") : "";
  if (key === st.bordersKey) return;
  st.bordersKey = key;
  if (st.borders) {
    st.borders.remove();
    st.borders = null;
  }
  if (!spec) return;
  const lines = [];
  st.topo.arcs.forEach((arc, ai) => {
    const own = st.topo.owners[ai].filter((fi) => st.shown[fi]);
    if (own.length === 1 ? spec.outline : own.length === 2 && spec.groups[own[0]] !== spec.groups[own[1]]) {
      lines.push(arc);
    }
  });
  st.borders = L.polyline(lines, {
    pane: "umBorders", color: spec.color, weight: spec.weight, opacity: 0.9, interactive: false,
  }).addTo(st.map);
}

function drawLegend(st) {
  const d = st.data;
  const p = d.points;
  const pointRows = p ? p.groups.map((g) => [g.color, g.label, g.lat.length]) : [];
  const key = JSON.stringify([d.legend, d.attribution, p ? p.title : null, pointRows]);
  if (key === st.legendKey) return;
  st.legendKey = key;
  st.legend.replaceChildren();
  if (d.legend && d.legend.rows && d.legend.rows.length) {
    const line = el("div", "um-legend-line");
    line.appendChild(el("span", "um-legend-title", d.legend.title));
    for (const [color, text] of d.legend.rows) {
      const item = el("span", "um-legend-item");
      const sw = el("span", "um-swatch");
      sw.style.background = color;
      item.append(sw, el("span", null, text));
      line.appendChild(item);
    }
    st.legend.appendChild(line);
  }
  if (pointRows.length) {
    // point groups: each entry switches its points on and off
    const line = el("div", "um-legend-line um-legend-points");
    line.appendChild(el("span", "um-legend-title", p.title));
    for (const [color, label, n] of pointRows) {
      const item = el("button", "um-legend-item um-toggle");
      item.type = "button";
      item.title = "Aan- of uitzetten op de kaart";
      const sw = el("span", "um-swatch um-dot");
      sw.style.background = color;
      item.append(sw, el("span", null, label + " (" + n + ")"));
      const sync = () => {
        const off = st.hiddenGroups.has(label);
        item.classList.toggle("um-off", off);
        item.setAttribute("aria-pressed", off ? "false" : "true");
      };
      item.addEventListener("click", () => {
        if (st.hiddenGroups.has(label)) st.hiddenGroups.delete(label);
        else st.hiddenGroups.add(label);
        sync();
        showPointGroups(st);
      });
      sync();
      line.appendChild(item);
    }
    st.legend.appendChild(line);
  }
  st.attr.textContent = d.attribution || "";
}

function pointTip(g, i) {
  const box = el("div", "um-tip");
  box.appendChild(el("b", null, g.name[i]));
  for (const [label, values] of g.tips || []) {
    const v = values[i];
    if (v === null || v === undefined || v === "") continue;
    const row = el("div");
    row.append(el("span", "um-tip-l", label + ": "), el("span", null, v));
    box.appendChild(row);
  }
  return box;
}

function drawPoints(L, st) {
  const p = st.data.points;
  const key = p ? JSON.stringify(p) : "";
  if (key === st.pointsKey) return;
  st.pointsKey = key;
  for (const layer of st.pointLayers) layer.remove();
  st.pointLayers = [];
  if (!p) return;
  for (const g of p.groups) {
    const layer = L.layerGroup();
    for (let i = 0; i < g.lat.length; i++) {
      const m = L.circleMarker([g.lat[i], g.lon[i]], {
        pane: "umPoints", radius: g.radius || p.radius || 5, color: "#ffffff", weight: 1,
        fillColor: g.color, fillOpacity: 0.95,
      });
      m.bindTooltip(() => pointTip(g, i), { direction: "top", opacity: 0.95 });
      layer.addLayer(m);
    }
    layer.groupLabel = g.label;
    st.pointLayers.push(layer);
  }
  showPointGroups(st);
}

function showPointGroups(st) {
  for (const layer of st.pointLayers) {
    if (st.hiddenGroups.has(layer.groupLabel)) layer.remove();
    else if (!st.map.hasLayer(layer)) layer.addTo(st.map);
  }
}

function shownBounds(L, st, codes) {
  let b = null;
  const idx = codes ? codes.map((c) => st.topo.index.get(String(c))).filter((i) => i !== undefined) : null;
  const fill = st.data.fill;
  (idx || st.layers.map((_, i) => i)).forEach((i) => {
    if (!idx && (fill[i] === null || fill[i] === undefined)) return;
    const lb = st.layers[i].getBounds();
    b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast());
  });
  return b;
}

function visibleKey(fill) {
  // a short signature of which units are drawn (fill not null)
  let h = 0;
  let n = 0;
  for (let i = 0; i < fill.length; i++) {
    if (fill[i] !== null && fill[i] !== undefined) {
      h = (h * 31 + i + 1) | 0;
      n++;
    }
  }
  return n + ":" + h;
}

function fit(L, st, codes) {
  const b = shownBounds(L, st, codes);
  if (b && b.isValid()) st.map.fitBounds(b, { padding: [8, 8], animate: false });
}

function onClick(st, i) {
  const d = st.data;
  if (!d || d.click === "none") return;
  const code = st.topo.features[i].code;
  const seq = Math.max(st.seq, st.ack) + 1;
  st.seq = seq;
  if (d.click === "paint" && d.paint) {
    st.pending.push({ seq, code, action: "paint", target: d.paint.label, color: d.paint.color });
  } else {
    st.pending.push({ seq, code, action: "toggle" });
  }
  restyle(st, false);
  send(st);
}

function send(st) {
  const clicks = st.pending.map(({ seq, code, action, target }) => ({ seq, code, action, target }));
  st.setStateValue("clicks", { clicks });
}

async function update(L, st, data) {
  st.data = data;
  if (data.topology !== st.topoUrl) {
    st.status.textContent = "Kaart laden…";
    st.status.style.display = "";
    st.topo = await loadTopology(data.topology);
    st.topoUrl = data.topology;
    buildLayers(L, st);
    st.bordersKey = null;
    st.fitSeq = null;
  }
  if (st.data !== data) return; // a newer render arrived while loading
  st.ack = Math.max(st.ack, data.ack);
  st.seq = Math.max(st.seq, st.ack);
  st.pending = st.pending.filter((p) => p.seq > st.ack);
  st.selected = new Set((data.selected || []).map(String));
  const f = data.fit || { seq: 0, codes: null };
  const shownKey = visibleKey(data.fill);
  restyle(st, false);
  if (f.seq !== st.fitSeq || shownKey !== st.shownKey) {
    // fit when asked (zoom_to) and whenever the set of drawn units changes (another division, level, ...)
    if (f.seq !== st.fitSeq) st.fitCodes = f.codes;
    else st.fitCodes = null;
    st.fitSeq = f.seq;
    st.shownKey = shownKey;
    st.touched = false;
    fit(L, st, st.fitCodes);
  }
  drawBorders(L, st);
  drawPoints(L, st);
  drawLegend(st);
  st.status.style.display = "none";
  st.wrap.setAttribute("data-ready", "1");
  st.wrap.setAttribute("data-ack", String(st.ack));
  st.wrap.setAttribute("data-click", data.click || "none");
  st.wrap.setAttribute("data-paint", data.paint ? data.paint.label : "");
  if (st.pending.length) {
    // clicks the last rerun did not see (several clicks during one rerun): report them again
    clearTimeout(st.resend);
    st.resend = setTimeout(() => st.pending.length && send(st), 400);
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let st = parentElement.__unitMap;
  if (!st) {
    st = parentElement.__unitMap = createInstance(parentElement);
    st.mapDiv.style.height = data.height + "px";
    // geometry and Leaflet at the same time (a failed fetch is forgotten and reported by update)
    loadTopology(data.topology).catch(() => {});
    st.ready = loadLeaflet(data.assets).then((L) => {
      st.map = L.map(st.mapDiv, { zoomSnap: 0.25, attributionControl: false, maxZoom: 18, minZoom: 6 });
      st.map.createPane("umBorders");
      st.map.getPane("umBorders").style.zIndex = 450;
      st.map.getPane("umBorders").style.pointerEvents = "none";
      st.map.createPane("umPoints");
      st.map.getPane("umPoints").style.zIndex = 460;
      L.control.scale({ imperial: false, position: "bottomleft" }).addTo(st.map);
      const mark = () => (st.touched = true);
      st.mapDiv.addEventListener("pointerdown", mark);
      st.mapDiv.addEventListener("wheel", mark, { passive: true });
      st.resize = new ResizeObserver(() => {
        st.map.invalidateSize({ animate: false });
        if (!st.touched && st.topo) fit(L, st, st.fitCodes);
      });
      st.resize.observe(st.mapDiv);
      return L;
    });
  }
  st.setStateValue = setStateValue;
  st.mapDiv.style.height = data.height + "px";
  const fail = (e) => {
    st.status.textContent = "De kaart kan niet getekend worden: " + e.message;
    st.status.style.display = "";
  };
  st.ready.then((L) => (st.busy = st.busy.then(() => update(L, st, data)).catch(fail))).catch(fail);
  return () => {
    if (st.resize) st.resize.disconnect();
    if (st.map) st.map.remove();
    delete parentElement.__unitMap;
  };
}
