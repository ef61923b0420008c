// Helpers shared by the analysis pages (capacity, scenarios, compare, simulation, tracking, KPIs):
// DOM building, locale numbers, job polling, tables with CSV links.  Messages stay in each page.
import { h, field, table as domTable } from '../dom.js';
import { lang, dataSpan } from '../i18n.js';
import { num, pct as fmtPct } from '../fmt.js';

export { h, field, lang, num };

export function pct(x, digits = 0) {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : fmtPct(x, digits);
}

// A text that has no translation (a name from the data): marked so a reader and the tests know.
export function data(text, { id = false } = {}) {
  return dataSpan(String(text), id ? 'untranslated data' : 'untranslated');
}

export function money(x) {
  if (x === null || x === undefined) return '—';
  const m = Math.abs(x) >= 1e6;
  const v = m ? x / 1e6 : x;
  const unit = lang() === 'ru' ? (m ? 'млн долл.' : 'долл.') : m ? 'USD m' : 'USD';
  return `${num(v, m ? 1 : 0)} ${unit}`;
}

// A table with a caption (for screen readers): columns [{key, label, render?, num?}].
export function table(caption, columns, rows) {
  return domTable(columns, rows, { caption });
}

export function section(title, ...children) {
  const id = `s-${Math.random().toString(36).slice(2, 9)}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

// options: [value, label, isData?] — data labels (ids, names without a translation) are marked.
export function select(options, value) {
  const mark = lang() !== 'en';
  return h('select', {}, options.map(([v, label, isData]) =>
    h('option', { value: v, selected: v === value, lang: isData && mark ? 'en' : null, class: isData && mark ? 'untranslated' : null }, label)));
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
    onProgress?.(cur.progress?.done ?? 0, cur.progress?.total ?? 0, cur.state, cur.progress?.phase ?? null);
    if (!['queued', 'running'].includes(cur.state)) return cur;
    if (signal?.aborted) return cur;
    await new Promise((r) => setTimeout(r, interval));
    cur = await api.get(`/v1/jobs/${cur.id}`);
  }
}

// The error of a job that did not succeed, as an Error whose message is the server's own words
// (the job's error is {title, detail, problems?}; shown beside the page's own message).
export function jobError(job) {
  const e = job.error;
  const text = e && typeof e === 'object' ? [e.title, e.detail].filter(Boolean).join(': ') : e;
  return new Error(text || job.state);
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

// Send a text body (a scenario's YAML) with the session's CSRF token; problems come back as errors.
export async function sendText(ctx, method, path, text) {
  return ctx.api.request(method, path, text);
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

export function rememberServices(services) {
  for (const sv of services) places.services.set(sv.id, { id: sv.id, link: sv.link, kind: sv.service_kind || sv.kind });
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
  if (lang() === 'ru') return n.name_ru || (n.aliases || []).find((a) => RU_ONLY.test(a)) || null;
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

// The network's places for labels and maps (GET /v1/explore/network), fetched once per network.
let loading = null;
export async function loadPlaces(ctx, network = 'middle-corridor') {
  if (placesLoaded(network)) return places;
  loading ??= ctx.api.get(`/v1/explore/network?network=${encodeURIComponent(network)}`).then((fc) => {
    const nodes = [];
    const links = [];
    for (const f of fc.features) {
      const p = f.properties;
      if (p.kind === 'node') nodes.push({ ...p, lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0] });
      else if (p.kind === 'link') links.push(p);
    }
    rememberPlaces(network, { nodes, links });
    return places;
  });
  try {
    return await loading;
  } catch (err) {
    loading = null;
    throw err;
  }
}

// Tell the user what went wrong in their language (the banner) and in the page's status line.
// The demand-set and scenario pickers of a run page (capacity, simulation), from the API; offline, the
// page still draws them empty and says why.  words: { offline, none } in the page's language.
export async function demandChoice(ctx, note, params, words) {
  let demands = [];
  let scenarios = [];
  try {
    [demands, scenarios] = await Promise.all([ctx.api.get('/v1/demand-sets'), ctx.api.get('/v1/scenarios')]);
  } catch (err) {
    failed(ctx, note, words.offline, err);
  }
  return {
    demand: select(demands.map((d) => [d.name, d.name, true]), params.demand || '2024'),
    scenario: select([['', words.none], ...scenarios.map((s) => [s.id, s.name, true])], params.scenario || ''),
  };
}

export function failed(ctx, note, text, err) {
  note.className = 'status error';
  note.textContent = text;
  ctx.showError(err);
}

// Actions a role may not take are disabled up front, with the reason beside them (the role comes
// from /v1/me at sign-in, ctx.can), instead of the viewer learning it from a 403 after clicking.
const ROLE_M = {
  en: {
    needs: 'Needs the {role} role: you are signed in as {current}. An administrator can change your role.',
    roles: { admin: 'administrator', analyst: 'analyst', viewer: 'a viewer', integrator: 'an integrator' },
    role: { admin: 'administrator', analyst: 'analyst', viewer: 'viewer', integrator: 'integrator' },
  },
  ru: {
    needs: 'Нужна роль «{role}»: вы вошли как {current}. Изменить роль может администратор.',
    roles: { admin: 'администратор', analyst: 'аналитик', viewer: 'наблюдатель', integrator: 'интегратор' },
    role: { admin: 'администратор', analyst: 'аналитик', viewer: 'наблюдатель', integrator: 'интегратор' },
  },
};

// null when the user has `role`; else disables `buttons` and returns the note to show beside them.
export function requireRole(ctx, role, ...buttons) {
  if (ctx.can(role)) return null;
  const msg = ROLE_M[lang()] || ROLE_M.en;
  const current = ctx.user?.role;
  const id = `role-note-${Math.random().toString(36).slice(2, 9)}`;
  for (const b of buttons) {
    b.disabled = true;
    b.setAttribute('aria-describedby', id);
  }
  return h('p', { class: 'hint role-note', id },
    msg.needs.replace('{role}', msg.role[role] || role).replace('{current}', msg.roles[current] || current || '—'));
}
