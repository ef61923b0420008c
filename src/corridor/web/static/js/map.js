// The corridor map on Leaflet: country outlines from the bundled Natural Earth geometry (no tiles,
// nothing from another origin), the network by mode, nodes by kind, and routes drawn over it.
import * as L from '../vendor/leaflet-src.esm.js';
import { t, placeName } from './i18n.js';

const M = {
  en: { zoomIn: 'Zoom in', zoomOut: 'Zoom out', map: 'Map of the corridor (arrow keys pan, + and − zoom)' },
  ru: { zoomIn: 'Приблизить', zoomOut: 'Отдалить', map: 'Карта коридора (стрелки — сдвиг, + и − — масштаб)' },
};
export const MODE_COLOURS = { rail: '#1d4e89', sea: '#00798c', ferry: '#6a3d9a', road: '#8a5a00', pipeline: '#555555' };
const PLANNED = '#9a6700';
const NODE_COLOURS = { port: '#00798c', border: '#a4161a', gauge_change: '#6a3d9a', hub: '#1b1f24', terminal: '#1d4e89', junction: '#6e7781' };

let cache = {};
export async function loadGeo(api, network = 'middle-corridor') {
  cache[network] ??= api.get(`/v1/explore/network?network=${encodeURIComponent(network)}`);
  cache.basemap ??= api.get('/v1/explore/basemap');
  try {
    return { net: await cache[network], basemap: await cache.basemap };
  } catch (err) {
    cache = {};
    throw err;
  }
}

export function nodeIndex(net) {
  const out = {};
  for (const f of net.features) if (f.properties.kind === 'node') out[f.properties.id] = f.properties;
  return out;
}

export function createMap(el, basemap) {
  el.setAttribute('aria-label', t(M, 'map'));
  el.setAttribute('role', 'region');
  const map = L.map(el, { zoomControl: false, attributionControl: false, preferCanvas: false, minZoom: 2, maxZoom: 9, zoomSnap: 0.25 });
  L.control.zoom({ zoomInTitle: t(M, 'zoomIn'), zoomOutTitle: t(M, 'zoomOut') }).addTo(map);
  for (const a of el.querySelectorAll('.leaflet-control-zoom a')) a.setAttribute('aria-label', a.title);
  // the basemap in its own pane under the data's, so a selection mark (pane "selection") can sit
  // between the two: above the land, below the lines it marks
  map.createPane('basemap').style.zIndex = '350';
  map.createPane('selection').style.zIndex = '390';
  L.geoJSON(basemap, { pane: 'basemap', interactive: false, style: { color: '#8c959f', weight: 1, fillColor: '#f3f1ea', fillOpacity: 1 } }).addTo(map);
  map.setView([42, 60], 3);
  return map;
}

// Leaflet 1.9 ends a zoom animation with a 250 ms timer that does not check the map still exists, so
// removing a map mid-zoom (leaving the page quickly) throws; wait for the zoom to end.
export function removeMap(map) {
  if (map.getPane('mapPane')?.classList.contains('leaflet-zoom-anim')) map.once('zoomend', () => map.remove());
  else map.remove();
}

export function linkStyle(p, { highlight = false } = {}) {
  return {
    color: p.planned ? PLANNED : MODE_COLOURS[p.mode] || '#333',
    weight: highlight ? 6 : p.mode === 'rail' ? 3 : 2.5,
    dashArray: p.planned ? '6 6' : p.mode === 'sea' || p.mode === 'ferry' ? '2 5' : null,
    opacity: highlight ? 1 : 0.85,
  };
}

// A map feature a keyboard can reach: Tab stops on it, Enter or Space picks it (as a click does).
function focusable(layer, label, onPick) {
  layer.on('add', () => {
    const el = layer.getElement();
    if (!el) return;
    el.setAttribute('tabindex', '0');
    el.setAttribute('role', 'button');
    el.setAttribute('aria-label', label);
    el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onPick(); }
    });
  });
}

// The network as Leaflet layers grouped by toggle key: mode:<m>, planned, nodes:<kind>, closures.
// `index` (optional Map) receives each link's and node's layer by id, for marking a selection.
export function networkLayers(net, onPick, { index = null, label = (p) => p.id } = {}) {
  const groups = {};
  const add = (key, layer) => { (groups[key] ??= L.layerGroup()).addLayer(layer); };
  for (const f of net.features) {
    const p = f.properties;
    if (p.kind === 'link') {
      const latlngs = f.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
      const line = L.polyline(latlngs, linkStyle(p));
      line.on('click', () => onPick(p));
      line.bindTooltip(label(p));
      focusable(line, label(p), () => onPick(p));
      index?.set(p.id, line);
      add(p.planned ? 'planned' : `mode:${p.mode}`, line);
      if (p.closures.length) add('closures', L.polyline(latlngs, { color: '#a4161a', weight: 8, opacity: 0.25, interactive: false }));
    } else {
      const [lon, lat] = f.geometry.coordinates;
      const marker = L.circleMarker([lat, lon], {
        radius: p.node_kind === 'port' || p.node_kind === 'hub' ? 6 : 4.5,
        color: '#fff', weight: 1.5, fillColor: NODE_COLOURS[p.node_kind] || '#333', fillOpacity: 1,
      });
      marker.on('click', () => onPick(p));
      marker.bindTooltip(placeName(p));
      focusable(marker, label(p), () => onPick(p));
      index?.set(p.id, marker);
      add(`nodes:${p.node_kind}`, marker);
      if (p.closures.length) add('closures', L.circleMarker([lat, lon], { radius: 11, color: '#a4161a', weight: 2, fill: false, interactive: false }));
    }
  }
  return groups;
}

// The mark of a selected link or node: a wide amber halo under the link (or a ring round the
// node) in the "selection" pane, so the feature itself keeps its mode colour on top.
export const SELECTED = '#f0a202';
export function selectionMark(layer) {
  if (layer instanceof L.CircleMarker) {
    return L.circleMarker(layer.getLatLng(), { pane: 'selection', radius: 13, color: SELECTED, weight: 5, fill: false, interactive: false, className: 'selected' });
  }
  return L.polyline(layer.getLatLngs(), { pane: 'selection', color: SELECTED, weight: 14, opacity: 0.9, lineCap: 'round', interactive: false, className: 'selected' });
}

// Each link's line as Leaflet lat/lngs: a long sea link follows the server's estimated sea lanes
// (properties.path), every other link is its two ends.
export function linkPaths(net) {
  const out = new Map();
  for (const f of net.features) if (f.properties.kind === 'link') out.set(f.properties.id, f.geometry.coordinates.map(([lon, lat]) => [lat, lon]));
  return out;
}

export function routeLayer(route, nodes, { highlight = false, onClick = null, paths = null } = {}) {
  const group = L.featureGroup();
  for (const leg of route.legs) {
    const a = nodes[leg.from]; const b = nodes[leg.to];
    if (!a || !b) continue;
    const line = L.polyline(paths?.get(leg.link) ?? [[a.lat, a.lon], [b.lat, b.lon]],
      { ...linkStyle({ mode: leg.mode }, { highlight }), opacity: highlight ? 1 : 0.45 });
    if (onClick) line.on('click', onClick);
    group.addLayer(line);
  }
  return group;
}

export { L };
