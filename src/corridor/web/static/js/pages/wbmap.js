// Maps of the analysis pages, on the shell's map module (Leaflet, bundled basemap, no tiles):
// capacity flows (colour = utilisation, width = container flow) and a shipment's route and position.
import { loadGeo, createMap, nodeIndex, linkPaths, L } from '../map.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { placeText, pct, num } from './wb.js';

const M = {
  en: { legend: 'Utilisation', none: 'no capacity limit in the data (grey; dashed where nothing flows)', noneShort: 'no capacity limit in the data', under: 'under {p}', over: '{p} and more', flow: '{teu} TEU a year', here: 'Now here' },
  ru: { legend: 'Загрузка', none: 'в данных нет предела мощности (серая; штриховая, где нет потока)', noneShort: 'в данных нет предела мощности', under: 'до {p}', over: '{p} и выше', flow: '{teu} ДФЭ в год', here: 'Сейчас здесь' },
};
const STEPS = [
  [0.5, '#2e7d32'],
  [0.8, '#9a6700'],
  [0.98, '#c4501b'],
  [Infinity, '#a4161a'],
];
const NONE = '#8c959f';
const NONE_FLOW = '#6e7781'; // a link with flow and no capacity in the data: darker than the basemap's borders

function colour(u) {
  if (u === null || u === undefined) return NONE;
  return STEPS.find(([limit]) => u < limit)[1];
}

function legend() {
  const item = (c, text) => h('li', {}, h('span', { class: 'swatch', 'aria-hidden': 'true', dataset: { c } }), ' ', text);
  const list = h('ul', { class: 'legend' },
    item(STEPS[0][1], t(M, 'under', { p: pct(0.5) })), item(STEPS[1][1], t(M, 'under', { p: pct(0.8) })),
    item(STEPS[2][1], t(M, 'under', { p: pct(0.98) })), item(STEPS[3][1], t(M, 'over', { p: pct(0.98) })),
    h('li', { class: 'legend-none' }, h('span', { class: 'swatch swatch-none', 'aria-hidden': 'true' }), ' ', t(M, 'none')));  // prettier-ignore
  for (const sw of list.querySelectorAll('.swatch[data-c]')) sw.style.background = sw.dataset.c; // CSSOM, allowed by the CSP
  return h('div', {}, h('strong', {}, t(M, 'legend')), list);
}

export async function flowMap(el, ctx, result) {
  const { net, basemap } = await loadGeo(ctx.api);
  const map = createMap(el, basemap);
  const byLink = new Map(result.links.map((l) => [l.id, l]));
  const svcUse = new Map();
  for (const s of result.services) if (s.utilisation !== null) svcUse.set(s.link, Math.max(svcUse.get(s.link) ?? 0, s.utilisation));
  const maxFlow = Math.max(1, ...result.links.map((l) => l.flow_teu));
  // width is container flow on every link, so the eye follows the cargo; colour is utilisation
  // where the data give a capacity, neutral grey underneath where they give none (most of the
  // rail at 2024 volumes), dashed where nothing flows
  const width = (teu) => 2 + 9 * Math.sqrt(teu / maxFlow);
  const unlimited = L.featureGroup(); const limited = L.featureGroup(); const corridor = L.latLngBounds([]);
  for (const f of net.features) {
    if (f.properties.kind !== 'link') continue;
    const l = byLink.get(f.properties.id);
    if (!l) continue;
    const use = Math.max(l.utilisation ?? -1, svcUse.get(l.id) ?? -1);
    const u = use < 0 ? null : use;
    const latlngs = f.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
    const line = u === null
      ? L.polyline(latlngs, l.flow_teu > 0
        ? { color: NONE_FLOW, weight: width(l.flow_teu), opacity: 0.55, className: 'flow-unlimited' }
        : { color: NONE, weight: 1.5, dashArray: '4 4', opacity: 0.8, className: 'flow-unlimited' })
      : L.polyline(latlngs, { color: colour(u), weight: width(l.flow_teu), opacity: l.flow_teu > 0 ? 0.9 : 0.4, className: 'flow-limited' });
    line.bindTooltip(`${placeText(l.id, l.name)}: ${u === null ? t(M, 'noneShort') : pct(u)}; ${t(M, 'flow', { teu: num(l.flow_teu) })}`);
    (u === null ? unlimited : limited).addLayer(line);
    if (!f.properties.path) corridor.extend(line.getBounds());
  }
  const group = L.featureGroup([unlimited, limited]);
  group.addTo(map);
  // frame the corridor, not the ocean lanes round Arabia and Africa
  if (corridor.isValid()) map.fitBounds(corridor, { padding: [10, 10], animate: false });
  el.after(legend());
  return map;
}

// A link's drawn line from `start`'s end (a long sea link follows the estimated sea lanes).
function oriented(line, start) {
  const d = (p) => (p[0] - start[0]) ** 2 + (p[1] - start[1]) ** 2;
  return d(line[0]) <= d(line[line.length - 1]) ? line : [...line].reverse();
}

export async function routeMap(el, ctx, nodes, position, links = []) {
  const { net, basemap } = await loadGeo(ctx.api);
  const idx = nodeIndex(net);
  const paths = linkPaths(net);
  const coords = {};
  for (const f of net.features) if (f.properties.kind === 'node') coords[f.properties.id] = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
  const map = createMap(el, basemap);
  // Each leg as the network map draws its link (a sea link along the estimated sea lanes), leg by
  // leg: a link the map does not know is found by its two ends, and only a leg with neither is straight.
  const byEnds = new Map();
  for (const f of net.features) {
    if (f.properties.kind !== 'link') continue;
    const key = [f.properties.from, f.properties.to].sort().join('|');
    if (!byEnds.has(key) || f.properties.path) byEnds.set(key, f.properties.id);
  }
  const leg = (a, b, link) => {
    if (!coords[a] || !coords[b]) return [coords[a] || coords[b]].filter(Boolean);
    const id = paths.has(link) ? link : byEnds.get([a, b].sort().join('|'));
    return id ? oriented(paths.get(id), coords[a]) : [coords[a], coords[b]];
  };
  const pts = nodes.length > 1 ? nodes.slice(1).flatMap((b, i) => leg(nodes[i], b, links[i])) : nodes.map((n) => coords[n]).filter(Boolean);
  const group = L.featureGroup([L.polyline(pts, { color: '#1d4e89', weight: 4 })]);
  for (const n of nodes) if (coords[n]) group.addLayer(L.circleMarker(coords[n], { radius: 4, color: '#fff', weight: 1, fillColor: '#1d4e89', fillOpacity: 1 }).bindTooltip(placeText(n, idx[n]?.name)));
  let at = coords[position];
  if (!at) {
    const link = net.features.find((f) => f.properties.kind === 'link' && f.properties.id === position);
    const [a, b] = link ? [coords[link.properties.from], coords[link.properties.to]] : [];
    const line = paths.get(position);
    if (line && line.length > 2) at = line[Math.floor(line.length / 2)];
    else if (a && b) at = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  }
  if (at) group.addLayer(L.circleMarker(at, { radius: 9, color: '#a4161a', weight: 3, fillColor: '#fff', fillOpacity: 1, className: 'position' }).bindTooltip(t(M, 'here')));
  group.addTo(map);
  if (pts.length) map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 6, animate: false });
  return map;
}
