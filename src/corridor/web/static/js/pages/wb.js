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
