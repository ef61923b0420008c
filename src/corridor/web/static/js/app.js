// The shell: page registry, hash routes (#/page?key=value — shareable), sign-in, language switch,
// error display of problem+json, focus management.  Page modules export { id, render }; PAGES below holds their menu titles and roles.
import * as api from './api.js';
import { h, clear } from './dom.js';
import { t, lang, setLang, onLangChange, dataSpan } from './i18n.js';
// The page registry: one line per page — its id, its title in the menu, the least role that sees it.
// A page's module (./pages/<id>.js, exporting { id, render }) is imported on its first visit; once the
// first page is drawn, the others are imported in idle time so they open offline too (docs/design/web.md).
const PAGES = [
  { id: 'quote', title: { en: 'Quote', ru: 'Расчёт' } },
  { id: 'map', title: { en: 'Map', ru: 'Карта' } },
  { id: 'capacity', title: { en: 'Capacity & bottlenecks', ru: 'Пропускная способность и узкие места' } },
  { id: 'scenarios', title: { en: 'Scenarios', ru: 'Сценарии' } },
  { id: 'compare', title: { en: 'Compare & appraise', ru: 'Сравнение и оценка' } },
  { id: 'simulation', title: { en: 'Simulation', ru: 'Моделирование' } },
  { id: 'tracking', title: { en: 'Tracking & operations', ru: 'Отслеживание и операции' } },
  { id: 'kpis', title: { en: 'Corridor KPIs', ru: 'Показатели коридора' } },
  { id: 'admin', title: { en: 'Admin', ru: 'Администрирование' }, role: 'admin' },
];

// The page's module, imported once; a failed import (offline before it was ever fetched) is retried
// on the next visit instead of being remembered.
const loading = new Map();
function load(page) {
  if (!loading.has(page.id)) {
    loading.set(page.id, import(`./pages/${page.id}.js`).then((m) => m.default, (err) => {
      loading.delete(page.id);
      throw navigator.onLine ? err : new api.ApiError({ offline: true });
    }));
  }
  return loading.get(page.id);
}

const allowed = (page) => !page.role || (state.user && RANK[state.user.role] >= RANK[page.role]);

// After the first page is drawn: import every other page the user may open, when the browser is idle,
// so a page never visited still opens after the network goes away.
let prefetched = false;
function prefetchPages() {
  if (prefetched) return;
  prefetched = true;
  const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
  idle(async () => {
    const all = PAGES.filter(allowed).map((p) => load(p).then(() => true, () => false));
    // the tests wait for this: every page the user may open is in memory (or failed and is retried)
    document.body.dataset.pages = (await Promise.all(all)).every(Boolean) ? 'loaded' : 'partial';
  });
}

const M = {
  en: {
    brand: 'corridor', skip: 'Skip to content', language: 'Language', signout: 'Sign out',
    signin: 'Sign in', signinTitle: 'Sign in to the corridor workbench', user: 'User name', password: 'Password',
    signinHint: 'Your administrator gives you a user name and password (corridor user add).',
    loading: 'Loading…', notFound: 'There is no page “{page}”.', needsRole: 'This page needs the {role} role; you are signed in as {current}. An administrator can change your role.',
    errorTitle: 'Something went wrong', dismiss: 'Dismiss', serverSaid: 'The server said:',
    offline: 'No connection to the server. What is already on the page stays usable; this action needs the server — try again when you are back online.',
    'bad-credentials': 'Wrong user name or password.', unauthorized: 'Your session has ended — please sign in again.',
    forbidden: 'Your role may not do this. Ask an administrator.', csrf: 'Your session has ended — please sign in again.',
    'not-found': 'Not found.', 'invalid-input': 'The input is not valid.', 'unknown-name': 'Unknown name.',
    'rate-limited': 'Too many requests — wait a minute and try again.', conflict: 'That already exists.',
    'no-route': 'There is no route for this request (see the server’s reason below).', infeasible: 'This cannot be computed as asked.',
    'too-large': 'The upload is too large.', 'bad-request': 'The request is not valid.', generic: 'The server answered {status}.',
    nav: 'Pages', roles: { admin: 'administrator', analyst: 'analyst', viewer: 'viewer', integrator: 'integrator' },
  },
  ru: {
    brand: 'corridor', skip: 'К содержанию', language: 'Язык', signout: 'Выйти',
    signin: 'Войти', signinTitle: 'Вход в рабочее место corridor', user: 'Имя пользователя', password: 'Пароль',
    signinHint: 'Имя пользователя и пароль выдаёт администратор (corridor user add).',
    loading: 'Загрузка…', notFound: 'Страницы «{page}» нет.', needsRole: 'Для этой страницы нужна роль «{role}»; вы вошли как {current}. Изменить роль может администратор.',
    errorTitle: 'Что-то пошло не так', dismiss: 'Закрыть', serverSaid: 'Ответ сервера:',
    offline: 'Нет связи с сервером. Всё, что уже загружено, остаётся доступным; для этого действия нужен сервер — повторите, когда связь вернётся.',
    'bad-credentials': 'Неверное имя пользователя или пароль.', unauthorized: 'Сеанс завершён — войдите снова.',
    forbidden: 'Вашей роли это не разрешено. Обратитесь к администратору.', csrf: 'Сеанс завершён — войдите снова.',
    'not-found': 'Не найдено.', 'invalid-input': 'Введены недопустимые данные.', 'unknown-name': 'Неизвестное название.',
    'rate-limited': 'Слишком много запросов — подождите минуту и повторите.', conflict: 'Такой объект уже существует.',
    'no-route': 'Для такого запроса маршрута нет (причина — ниже, в ответе сервера).', infeasible: 'Так рассчитать нельзя.',
    'too-large': 'Файл слишком большой.', 'bad-request': 'Недопустимый запрос.', generic: 'Сервер ответил кодом {status}.',
    nav: 'Разделы', roles: { admin: 'администратор', analyst: 'аналитик', viewer: 'наблюдатель', integrator: 'интегратор' },
  },
};

const RANK = { viewer: 1, analyst: 2, admin: 3 };
const state = { user: null, cleanup: null };
const $ = (id) => document.getElementById(id);

export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [id, qs = ''] = raw.split('?');
  return { id: id || 'quote', params: Object.fromEntries(new URLSearchParams(qs)) };
}

export function hashFor(id, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const s = q.toString();
  return `#/${id}${s ? `?${s}` : ''}`;
}

// A problem (ApiError) or any error, shown in the banner in the user's language; the server's own
// English detail is shown beside it, marked untranslated.
export function describe(err) {
  if (err instanceof api.ApiError) {
    if (err.offline) return { text: t(M, 'offline'), detail: null };
    const known = M.en[err.slug] !== undefined && typeof M.en[err.slug] === 'string';
    const text = known ? t(M, err.slug) : t(M, 'generic', { status: String(err.status) });
    return { text, detail: err.detail || null };
  }
  if (err instanceof api.UserError) return { text: err.message, detail: null };
  console.warn(err);
  return { text: t(M, 'errorTitle'), detail: String(err && err.message ? err.message : err) };
}

export function showError(err) {
  const box = $('error');
  const { text, detail } = describe(err);
  clear(box).append(
    h('p', {}, h('strong', {}, text)),
    detail ? h('p.detail', {}, `${t(M, 'serverSaid')} `, dataSpan(detail)) : null,
    h('button.link-button', { type: 'button', onclick: () => { box.hidden = true; } }, t(M, 'dismiss')),
  );
  box.hidden = false;
  if (err instanceof api.ApiError && (err.status === 401 || err.slug === 'csrf')) {
    state.user = null;
    renderLogin();
  }
}

export function clearError() { $('error').hidden = true; }

export function announce(text) { $('status').textContent = text; }

function ctx(page, params) {
  return {
    api, params, user: state.user, showError, clearError, announce,
    can: (role) => state.user && RANK[state.user.role] >= RANK[role],
    // replace the page's params in the URL without re-rendering (shareable state)
    setParams(next) {
      const url = hashFor(page.id, next);
      if (url !== location.hash) history.replaceState(null, '', url);
    },
    go(id, next = {}) { location.hash = hashFor(id, next); },
  };
}

function renderChrome() {
  document.documentElement.lang = lang();
  $('skip-link').textContent = t(M, 'skip');
  $('lang-label').textContent = t(M, 'language');
  $('lang-select').value = lang();
  $('logout').textContent = t(M, 'signout');
  $('logout').hidden = !state.user;
  const who = clear($('whoami'));
  if (state.user) {
    who.append(h('span', { class: 'data', translate: 'no' }, state.user.user),
      ` (${M[lang()].roles[state.user.role] || state.user.role})`);
  }
  const nav = clear($('nav'));
  nav.setAttribute('aria-label', t(M, 'nav'));
  if (!state.user) return;
  const current = parseHash().id;
  nav.append(h('ul', {}, PAGES.filter(allowed).map((p) =>
    h('li', {}, h('a', { href: hashFor(p.id), 'aria-current': p.id === current ? 'page' : false },
      p.title[lang()] || p.title.en)))));
}

function renderLogin() {
  renderChrome();
  if (state.cleanup) { state.cleanup(); state.cleanup = null; }
  const main = clear($('main'));
  const user = h('input', { name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form.card.login', { 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, t(M, 'signinTitle')),
    h('div.field', {}, h('label', { for: 'login-user' }, t(M, 'user')), Object.assign(user, { id: 'login-user' })),
    h('div.field', {}, h('label', { for: 'login-pass' }, t(M, 'password')), Object.assign(pass, { id: 'login-pass' })),
    h('button.primary', { type: 'submit' }, t(M, 'signin')),
    h('p.hint', {}, t(M, 'signinHint')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearError();
    try {
      const res = await api.post('/v1/auth/login', { username: user.value, password: pass.value });
      api.setCsrf(res.csrf_token);
      state.user = { user: res.user, role: res.role, organisation: res.organisation };
      route();
    } catch (err) {
      showError(err);
      pass.select();
    }
  });
  main.append(form);
  document.title = `${t(M, 'signin')} — corridor`;
  user.focus();
}

let renderSeq = 0;
async function route({ focus = true } = {}) {
  if (!state.user) { renderLogin(); return; }
  const { id, params } = parseHash();
  const page = PAGES.find((p) => p.id === id);
  renderChrome();
  if (state.cleanup) { state.cleanup(); state.cleanup = null; }
  const main = clear($('main'));
  if (!page) {
    main.append(h('h1', {}, t(M, 'notFound', { page: id })));
    return;
  }
  if (page.role && RANK[state.user.role] < RANK[page.role]) {  // said, not hidden behind "not found"
    main.append(h('h1', {}, page.title[lang()] || page.title.en),
      h('p.role-note', {}, t(M, 'needsRole', { role: M[lang()].roles[page.role], current: M[lang()].roles[state.user.role] })));
    return;
  }
  const title = page.title[lang()] || page.title.en;
  document.title = `${title} — corridor`;
  const seq = ++renderSeq;
  // each render gets its own root: a render overtaken by a newer one finishes into a detached node
  const root = h('div.page', { 'data-page': page.id });
  main.append(root);
  main.setAttribute('aria-busy', 'true');
  try {
    const module = await load(page);
    if (seq !== renderSeq) return;
    const cleanup = await module.render(root, params, ctx(page, params));
    if (typeof cleanup === 'function') {
      if (seq === renderSeq) state.cleanup = cleanup;
      else cleanup();
    }
  } catch (err) {
    if (seq === renderSeq) showError(err);
  } finally {
    if (seq === renderSeq) main.removeAttribute('aria-busy');
  }
  if (seq !== renderSeq) return;
  performance.mark(`ready:${page.id}`);  // benchmarks/web.py reads it
  if (focus) main.focus({ preventScroll: true });
  prefetchPages();
}

async function start() {
  $('lang-select').addEventListener('change', (ev) => setLang(ev.target.value));
  onLangChange(() => route({ focus: false }));
  $('logout').addEventListener('click', async () => {
    // leave the page first: its cleanup stops its polling, and a render still loading finishes
    // into a detached node instead of the sign-in form
    renderSeq += 1;
    if (state.cleanup) { state.cleanup(); state.cleanup = null; }
    try { await api.post('/v1/auth/logout'); } catch (_) { /* signed out locally anyway */ }
    api.setCsrf(null);
    state.user = null;
    if ('caches' in window) {
      try { for (const k of await caches.keys()) if (k.startsWith('corridor-shell-')) await caches.delete(k); } catch (_) { /* none */ }
    }
    renderLogin();
  });
  window.addEventListener('hashchange', () => route());
  // a request the left page had in flight when the user signed out answers 401: expected, not an error
  window.addEventListener('unhandledrejection', (ev) => {
    if (!state.user && ev.reason instanceof api.ApiError && ev.reason.status === 401) ev.preventDefault();
  });
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* works without it, just not offline-reloadable */ });
  }
  try {
    const me = await api.get('/v1/me');
    state.user = me;
  } catch (err) {
    if (!(err instanceof api.ApiError) || (err.status !== 401 && err.status !== 403)) showError(err);
  }
  await route({ focus: false });
  document.body.dataset.ready = 'true';
}

start();
