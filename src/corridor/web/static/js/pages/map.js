// Map / network explorer: the corridor by mode; ports, borders, gauge changes, planned links and
// closures as layers; click (or search, or choose from the list) anything to see its data and sources.
import { h, clear } from '../dom.js';
import { t, placeName, dataSpan, lang } from '../i18n.js';
import * as fmt from '../fmt.js';
import { term, country, month } from '../names.js';
import { L, loadGeo, nodeIndex, createMap, networkLayers, removeMap, selectionMark } from '../map.js';
import { placeCombo } from '../combo.js';

const M = {
  en: {
    title: 'Network map', search: 'Find a place (any name or alias)', layers: 'Layers', details: 'Details',
    pick: 'Click a line or a point on the map, or find a place above, to see its data and where each figure comes from.',
    'l:mode:rail': 'Rail', 'l:mode:sea': 'Sea', 'l:mode:ferry': 'Ferry', 'l:mode:road': 'Road', 'l:mode:pipeline': 'Pipeline',
    'l:nodes:port': 'Ports', 'l:nodes:border': 'Border crossings', 'l:nodes:gauge_change': 'Gauge changes',
    'l:nodes:hub': 'Hubs', 'l:nodes:terminal': 'Terminals', 'l:nodes:junction': 'Junctions',
    'l:planned': 'Planned or not in service', 'l:closures': 'Closures (weather)',
    kind: 'Kind', country: 'Country', aliases: 'Also called', operator: 'Operator', note: 'Note',
    dwell_h: 'Typical dwell', capacity_teu_per_year: 'Capacity, TEU a year', capacity_t_per_year: 'Capacity, tonnes a year',
    mode: 'Mode', distance_km: 'Distance', time_h: 'Running time', gauge_mm: 'Track gauge', tariff_usd_per_feu: 'Tariff per FEU',
    lat: 'Latitude', lon: 'Longitude', planned: 'Not in service (planned or disabled)', gaugeAt: 'Gauge changes at {places}',
    closures: 'Closures', closure: '{cause} in {months}: closed about {share} of the time, episodes of about {h}',
    sources: 'Sources', source: 'Source', estimate: 'estimate', links: 'Lines from here', basemap: 'Basemap: ',
    noSource: 'no source given', counts: '{nodes} and {links}',
    nPlaces: { one: '{n} place', other: '{n} places' }, nLines: { one: '{n} line', other: '{n} lines' }, field: 'Figure', value: 'Value',
    mm: '{n} mm',
    path: 'The line is drawn along estimated sea lanes, via {via}; for the map only — the distance above is the data’s.',
  },
  ru: {
    title: 'Карта сети', search: 'Найти пункт (любое название или вариант)', layers: 'Слои', details: 'Подробности',
    pick: 'Нажмите на линию или точку карты либо найдите пункт выше — появятся данные и источник каждой цифры.',
    'l:mode:rail': 'Железные дороги', 'l:mode:sea': 'Море', 'l:mode:ferry': 'Паромы', 'l:mode:road': 'Автодороги', 'l:mode:pipeline': 'Трубопроводы',
    'l:nodes:port': 'Порты', 'l:nodes:border': 'Погранпереходы', 'l:nodes:gauge_change': 'Смена колеи',
    'l:nodes:hub': 'Хабы', 'l:nodes:terminal': 'Терминалы', 'l:nodes:junction': 'Узлы',
    'l:planned': 'Планируемые или закрытые', 'l:closures': 'Закрытия (погода)',
    kind: 'Тип', country: 'Страна', aliases: 'Другие названия', operator: 'Оператор', note: 'Примечание',
    dwell_h: 'Обычная стоянка', capacity_teu_per_year: 'Мощность, ДФЭ в год', capacity_t_per_year: 'Мощность, тонн в год',
    mode: 'Вид транспорта', distance_km: 'Расстояние', time_h: 'Время в пути', gauge_mm: 'Ширина колеи', tariff_usd_per_feu: 'Тариф за ФЕ',
    lat: 'Широта', lon: 'Долгота', planned: 'Не действует (планируется или закрыто)', gaugeAt: 'Смена колеи: {places}',
    closures: 'Закрытия', closure: '{cause}, {months}: закрыто около {share} времени, эпизоды около {h}',
    sources: 'Источники', source: 'Источник', estimate: 'оценка', links: 'Линии отсюда', basemap: 'Основа карты: ',
    noSource: 'источник не указан', counts: '{nodes} и {links}',
    nPlaces: { one: '{n} пункт', few: '{n} пункта', many: '{n} пунктов', other: '{n} пункта' },
    nLines: { one: '{n} линия', few: '{n} линии', many: '{n} линий', other: '{n} линии' }, field: 'Показатель', value: 'Значение',
    mm: '{n} мм',
    path: 'Линия проведена по оценочным морским путям: {via}; только для карты — расстояние выше взято из данных.',
  },
};

const LAYERS = ['mode:rail', 'mode:sea', 'mode:ferry', 'mode:road', 'mode:pipeline', 'planned',
  'nodes:port', 'nodes:border', 'nodes:gauge_change', 'nodes:hub', 'nodes:terminal', 'nodes:junction', 'closures'];
const NODE_FIELDS = ['dwell_h', 'capacity_teu_per_year', 'capacity_t_per_year', 'lat', 'lon'];
const LINK_FIELDS = ['distance_km', 'time_h', 'gauge_mm', 'capacity_teu_per_year', 'tariff_usd_per_feu'];

function value(key, v) {
  if (v === null || v === undefined) return null;
  if (key === 'dwell_h' || key === 'time_h') return fmt.hours(v);
  if (key === 'distance_km') return fmt.km(v);
  if (key === 'gauge_mm') return t(M, 'mm', { n: v });
  if (key === 'tariff_usd_per_feu') return fmt.usd(v);
  if (key === 'lat' || key === 'lon') return fmt.num(v, 2);
  return fmt.num(v);
}

function sourceCell(net, id) {
  if (!id) return h('span.muted', {}, t(M, 'noSource'));
  const s = net.sources[id];
  if (!s) return h('span', { lang: 'en', class: 'data' }, id);
  const text = [s.title, s.publisher, s.year].filter(Boolean).join(', ');
  return h('span', {},
    s.kind === 'estimate' ? h('span.estimate', { title: t(M, 'estimate') }, `${t(M, 'estimate')}: `) : null,
    s.url ? h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank', lang: 'en', class: 'data' }, text)
      : h('span', { lang: 'en', class: 'data' }, text));
}

function fieldTable(net, p, fields, extra = []) {
  const rows = [...extra, ...fields.filter((k) => p[k] !== null && p[k] !== undefined)
    .map((k) => [t(M, k), value(k, p[k]), sourceCell(net, p.sources[k])])];
  return h('table.data', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t(M, 'field')), h('th', { scope: 'col' }, t(M, 'value')), h('th', { scope: 'col' }, t(M, 'source')))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c ?? '—'))))));
}

function closureList(net, closures) {
  if (!closures.length) return null;
  return [h('h3', {}, t(M, 'closures')), h('ul', {}, closures.map((c) => h('li', {},
    t(M, 'closure', { cause: term(c.cause), months: c.months.map(month).join(', '), share: fmt.pct(c.closed_share), h: fmt.hours(c.episode_mean_h) }),
    ' — ', sourceCell(net, c.sources.closed_share))))];
}

function details(net, nodes, p, pick) {
  if (p.kind === 'node') {
    const aliases = p.aliases.filter((a) => a !== placeName(p));
    const links = net.features.filter((f) => f.properties.kind === 'link' && (f.properties.from === p.id || f.properties.to === p.id));
    return [
      h('h2', {}, placeName(p), lang() === 'ru' && !p.name_ru ? null : null),
      h('p', {}, `${term(p.node_kind)} · ${country(p.country)} · `, h('code', { lang: 'en', class: 'data' }, p.id)),
      aliases.length ? h('p', {}, `${t(M, 'aliases')}: `, h('span', { lang: 'und', class: 'data' }, [placeName(p) !== p.name ? p.name : null, ...aliases].filter(Boolean).join(', '))) : null,
      p.operator ? h('p', {}, `${t(M, 'operator')}: `, dataSpan(p.operator)) : null,
      fieldTable(net, p, NODE_FIELDS),
      closureList(net, p.closures),
      links.length ? [h('h3', {}, t(M, 'links')), h('ul', {}, links.map((f) => {
        const q = f.properties; const other = nodes[q.from === p.id ? q.to : q.from];
        return h('li', {}, h('button.link-button', { type: 'button', onclick: () => pick(q) },
          `${term(q.mode)} → ${placeName(other)}`), q.planned ? ` (${t(M, 'planned')})` : '');
      }))] : null,
      p.note ? h('p.muted', {}, `${t(M, 'note')}: `, dataSpan(p.note)) : null,
    ];
  }
  const a = nodes[p.from]; const b = nodes[p.to];
  return [
    h('h2', {}, `${placeName(a)} — ${placeName(b)}`),
    h('p', {}, `${term(p.mode)} · `, h('code', { lang: 'en', class: 'data' }, p.id)),
    p.planned ? h('p', {}, h('strong', {}, t(M, 'planned'))) : null,
    p.gauge_change_at.length ? h('p', {}, t(M, 'gaugeAt', { places: p.gauge_change_at.map((id) => placeName(nodes[id])).join(', ') })) : null,
    p.operator ? h('p', {}, `${t(M, 'operator')}: `, dataSpan(p.operator)) : null,
    fieldTable(net, p, LINK_FIELDS),
    p.path ? h('p.path-note', {}, t(M, 'path', { via: (lang() === 'ru' ? p.path.via_ru : p.path.via).join(', ') }), ' — ', sourceCell(net, p.sources.path)) : null,
    closureList(net, p.closures),
    h('p', {}, h('button.link-button', { type: 'button', onclick: () => pick(a) }, placeName(a)), ' · ',
      h('button.link-button', { type: 'button', onclick: () => pick(b) }, placeName(b))),
    p.note ? h('p.muted', {}, `${t(M, 'note')}: `, dataSpan(p.note)) : null,
  ];
}

export default {
  id: 'map',
  async render(root, params, ctx) {
    const { net, basemap } = await loadGeo(ctx.api);
    const nodes = nodeIndex(net);
    const side = h('div.map-side');
    const panel = h('section.card', { 'aria-labelledby': 'details-title', 'aria-live': 'polite' },
      h('h2', { id: 'details-title', class: 'visually-hidden' }, t(M, 'details')), h('p.muted', {}, t(M, 'pick')));
    const mapEl = h('div.map', { id: 'network-map' });
    const shown = new Set((params.layers || LAYERS.filter((k) => k !== 'nodes:junction').join(',')).split(','));
    const index = new Map();
    let mark = null;
    let map = null;
    // the picked link or node is marked on the map (and brought into view if it is off it)
    const highlight = (p) => {
      if (mark) mark.remove();
      mark = null;
      const layer = index.get(p.id);
      if (!layer || !map) return;
      mark = selectionMark(layer).addTo(map);
      const bounds = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
      if (!map.getBounds().intersects(bounds)) map.fitBounds(bounds, { padding: [30, 30], maxZoom: Math.max(map.getZoom(), 4), animate: false });
    };
    const pick = (p) => {
      clear(panel).append(h('div', {}, details(net, nodes, p, pick)));
      highlight(p);
      params = { ...params, at: p.id };
      ctx.setParams(params);
      const head = panel.querySelector('h2');
      if (head) { head.tabIndex = -1; head.focus({ preventScroll: true }); }
    };
    const combo = placeCombo({ label: t(M, 'search'), nodes, onChoose: (n) => { pick(n); map.setView([n.lat, n.lon], Math.max(map.getZoom(), 5)); } });
    const toggles = h('fieldset.layers', {}, h('legend', {}, t(M, 'layers')));
    side.append(combo.el, toggles, panel);
    root.append(h('h1', {}, t(M, 'title')), h('p.muted', {}, t(M, 'counts', { nodes: t(M, 'nPlaces', { n: Object.keys(nodes).length }), links: t(M, 'nLines', { n: net.features.length - Object.keys(nodes).length }) })),
      h('div.grid2', {}, side, h('div', {}, mapEl, h('p.hint', {}, t(M, 'basemap'), h('span', { lang: 'en', class: 'data' }, 'Natural Earth')))));
    map = createMap(mapEl, basemap);
    const label = (p) => (p.kind === 'link' ? `${placeName(nodes[p.from])} — ${placeName(nodes[p.to])}, ${term(p.mode)}` : placeName(p));
    const groups = networkLayers(net, pick, { index, label });
    for (const key of LAYERS) {
      if (!groups[key]) continue;
      const box = h('input', { type: 'checkbox', id: `layer-${key.replace(':', '-')}`, checked: shown.has(key) });
      box.addEventListener('change', () => {
        if (box.checked) { groups[key].addTo(map); shown.add(key); } else { groups[key].remove(); shown.delete(key); }
        params = { ...params, layers: [...shown].join(',') };
        ctx.setParams(params);
      });
      const sw = key.startsWith('mode:') ? h(`span.swatch.sw-${key.slice(5)}`) : key === 'planned' ? h('span.swatch.sw-planned') : null;
      toggles.append(h('label', { for: box.id }, box, ' ', sw, t(M, `l:${key}`)));
      if (shown.has(key)) groups[key].addTo(map);
    }
    const all = Object.values(nodes);
    map.fitBounds(all.map((n) => [n.lat, n.lon]), { padding: [20, 20] });
    if (params.at) {
      const hit = nodes[params.at] || net.features.find((f) => f.properties.id === params.at)?.properties;
      if (hit) pick(hit);
    }
    return () => removeMap(map);
  },
};
