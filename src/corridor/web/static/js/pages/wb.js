// Helpers shared by the analysis pages (capacity, scenarios, compare, simulation, tracking, KPIs):
// DOM building, locale numbers, job polling, tables with CSV links.  Messages stay in each page.
const LOCALES = { en: 'en-GB', ru: 'ru-RU' };

export function lang() {
  return document.documentElement.lang === 'ru' ? 'ru' : 'en';
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// A text that has no translation (a name from the data): marked so a reader and the tests know.
export function data(text, { id = false } = {}) {
  return h('span', { lang: 'en', class: id ? 'untranslated data' : 'untranslated' }, text);
}

export function num(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return new Intl.NumberFormat(LOCALES[lang()], { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(x);
}

export function pct(x, digits = 0) {
  if (x === null || x === undefined) return '—';
  return new Intl.NumberFormat(LOCALES[lang()], { style: 'percent', maximumFractionDigits: digits }).format(x);
}

export function money(x) {
  if (x === null || x === undefined) return '—';
  const m = Math.abs(x) >= 1e6;
  const v = m ? x / 1e6 : x;
  const unit = lang() === 'ru' ? (m ? 'млн долл.' : 'долл.') : m ? 'USD m' : 'USD';
  return `${num(v, m ? 1 : 0)} ${unit}`;
}

// A table: columns [{key, label, render?, num?}], rows objects.  Caption for screen readers.
export function table(caption, columns, rows, { className = 'data-table' } = {}) {
  return h(
    'table',
    { class: className },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.render ? c.render(r) : r[c.key] ?? '—'))),
      ),
    ),
  );
}

export function section(title, ...children) {
  const id = `s-${Math.random().toString(36).slice(2, 9)}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', {}, hint) : null);
}

export function select(options, value) {
  return h('select', {}, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export function status(root) {
  const el = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  root.append(el);
  return el;
}

// Poll a job until it finishes; onProgress(done, total, state).  Resolves with the final job.
export async function waitJob(api, job, onProgress, { interval = 400, signal } = {}) {
  let cur = job;
  for (;;) {
    onProgress?.(cur.progress?.done ?? 0, cur.progress?.total ?? 0, cur.state);
    if (!['queued', 'running'].includes(cur.state)) return cur;
    if (signal?.aborted) return cur;
    await new Promise((r) => setTimeout(r, interval));
    cur = await api.get(`/v1/jobs/${cur.id}`);
  }
}

export function progressBar(label) {
  const bar = h('progress', { max: 1, value: 0, 'aria-label': label });
  return {
    el: bar,
    set(done, total) {
      bar.max = Math.max(total, 1);
      bar.value = done;
    },
  };
}

export function csvLink(jobId, tableName, label) {
  return h('a', { href: `/v1/jobs/${jobId}/tables/${tableName}`, download: '', class: 'button secondary' }, label);
}

// Read/write the page's query in the hash (#/page?a=b) so a view can be shared.
export function setParams(page, params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined));
  const next = `#/${page}${q.toString() ? `?${q}` : ''}`;
  if (location.hash !== next) history.replaceState(null, '', next);
}

// Send a text body (a scenario's YAML) with the session's CSRF token; problems come back as errors.
export async function sendText(ctx, method, path, text, type = 'application/yaml') {
  return ctx.api.send(method, path, text, type);
}

// Place names: the network's nodes (with aliases), links and services, fetched once per network.
// In Russian a node shows its first Russian alias; a link is named by its two ends and its mode.
const RU_ONLY = /^[А-Яа-яЁё0-9 .,()«»\-–]+$/;
const MODES = {
  en: { rail: 'rail', sea: 'sea', ferry: 'ferry', road: 'road', pipeline: 'pipeline', feeder: 'feeder', tanker: 'tanker' },
  ru: { rail: 'ж/д', sea: 'море', ferry: 'паром', road: 'автодорога', pipeline: 'трубопровод', feeder: 'фидер', tanker: 'танкер' },
};
const places = { network: null, nodes: new Map(), links: new Map(), services: new Map() };

export function mode(name) {
  return MODES[lang()][name] || name;
}

export function rememberPlaces(network, { nodes = [], links = [], services = [] }) {
  places.network = network;
  for (const n of nodes) places.nodes.set(n.id, n);
  for (const l of links) places.links.set(l.id, l);
  for (const s of services) places.services.set(s.id, s);
}

export function placesLoaded(network) {
  return places.network === network && places.nodes.size > 0;
}

export function nodeCoords(id) {
  const n = places.nodes.get(id);
  return n && Number.isFinite(n.lat) ? [n.lat, n.lon] : null;
}

export function linkEnds(id) {
  const l = places.links.get(id);
  return l ? [l.from, l.to] : null;
}

function nodeText(id) {
  const n = places.nodes.get(id);
  if (!n) return null;
  if (lang() === 'ru') return (n.aliases || []).find((a) => RU_ONLY.test(a)) || null;
  return n.name;
}

// A label for a node, link or service id: text when known in the page's language, else the data
// marked untranslated (fallback: the given English name, or the id itself).
export function place(id, fallback) {
  let text = nodeText(id);
  const link = places.links.get(id);
  if (!text && link) {
    const a = nodeText(link.from);
    const b = nodeText(link.to);
    if (a && b) text = `${a} – ${b} (${mode(link.mode)})`;
  }
  const svc = places.services.get(id);
  if (!text && svc) {
    const l = places.links.get(svc.link);
    const a = l && nodeText(l.from);
    const b = l && nodeText(l.to);
    if (a && b) text = `${mode(svc.kind)}: ${a} – ${b}`;
  }
  return text || data(fallback || id, { id: !fallback });
}

// Plain text of the same (for SVG labels and <option>s, which cannot hold marked spans).
export function placeText(id, fallback) {
  const p = place(id, fallback);
  return typeof p === 'string' ? p : p.textContent;
}
