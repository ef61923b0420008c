// Admin: the organisation's users (add, change role, disable), API tokens (create — the secret is
// shown once — and revoke) and the audit log.  Administrators only.
import { h, clear, table } from '../dom.js';
import { t, dataSpan } from '../i18n.js';
import * as fmt from '../fmt.js';

const M = {
  en: {
    title: 'Administration', users: 'Users', tokens: 'API tokens', audit: 'Audit log', user: 'User name', role: 'Role',
    created: 'Created', disabled: 'Disabled', password: 'Password', hasPassword: 'can sign in', tokensOnly: 'tokens only',
    add: 'Add user', addTitle: 'Add a user', generated: 'One-time password for {user} (shown once — pass it on now):',
    save: 'Save', changed: 'Saved.', name: 'Token name', expires: 'Expires after days (empty: never)', create: 'Create token',
    secret: 'The token (shown once — copy it now):', revoke: 'Revoke', revoked: 'revoked', active: 'active', state: 'State',
    expiresAt: 'Expires', never: 'never', at: 'When', actor: 'Who', action: 'What', target: 'On', detail: 'Detail',
    roleOf: 'Role of {user}', disable: 'Disable {user}', sameRole: 'the user’s role',
    viewer: 'viewer', analyst: 'analyst', admin: 'administrator', integrator: 'integrator',
  },
  ru: {
    title: 'Администрирование', users: 'Пользователи', tokens: 'Токены API', audit: 'Журнал действий', user: 'Имя пользователя', role: 'Роль',
    created: 'Создан', disabled: 'Отключён', password: 'Пароль', hasPassword: 'может входить', tokensOnly: 'только токены',
    add: 'Добавить', addTitle: 'Новый пользователь', generated: 'Одноразовый пароль для {user} (показывается один раз — передайте его сейчас):',
    save: 'Сохранить', changed: 'Сохранено.', name: 'Название токена', expires: 'Срок действия, дней (пусто — бессрочно)', create: 'Создать токен',
    secret: 'Токен (показывается один раз — скопируйте сейчас):', revoke: 'Отозвать', revoked: 'отозван', active: 'действует', state: 'Состояние',
    expiresAt: 'Истекает', never: 'никогда', at: 'Когда', actor: 'Кто', action: 'Что', target: 'Объект', detail: 'Подробности',
    roleOf: 'Роль пользователя {user}', disable: 'Отключить {user}', sameRole: 'роль пользователя',
    viewer: 'наблюдатель', analyst: 'аналитик', admin: 'администратор', integrator: 'интегратор',
  },
};
const ROLES = ['viewer', 'analyst', 'admin', 'integrator'];

function password() {
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

function roleSelect(id, value, label) {
  return h('select', { id, 'aria-label': label }, ROLES.map((r) => h('option', { value: r, selected: r === value }, t(M, r))));
}

async function usersSection(ctx, el, refreshAll, out) {
  const users = await ctx.api.get('/v1/users');
  clear(el).append(h('h2', { id: 'users-title' }, t(M, 'users')));
  el.append(table([
    { label: t(M, 'user'), render: (u) => h('span', { class: 'data', translate: 'no' }, u.username) },
    { label: t(M, 'role'), render: (u) => {
      const sel = roleSelect(`role-${u.username}`, u.role, t(M, 'roleOf', { user: u.username }));
      sel.addEventListener('change', async () => {
        try { await ctx.api.request('PATCH', `/v1/users/${encodeURIComponent(u.username)}`, { role: sel.value }); ctx.announce(t(M, 'changed')); refreshAll(); } catch (err) { ctx.showError(err); sel.value = u.role; }
      });
      return sel;
    } },
    { label: t(M, 'disabled'), render: (u) => {
      const box = h('input', { type: 'checkbox', checked: u.disabled, 'aria-label': t(M, 'disable', { user: u.username }) });
      box.addEventListener('change', async () => {
        try { await ctx.api.request('PATCH', `/v1/users/${encodeURIComponent(u.username)}`, { disabled: box.checked }); ctx.announce(t(M, 'changed')); refreshAll(); } catch (err) { ctx.showError(err); box.checked = u.disabled; }
      });
      return box;
    } },
    { label: t(M, 'password'), render: (u) => t(M, u.has_password ? 'hasPassword' : 'tokensOnly') },
    { label: t(M, 'created'), render: (u) => fmt.date(u.created_at) },
  ], users));
  const name = h('input', { id: 'new-user', required: true, pattern: '[A-Za-z0-9._@\\-]+', autocomplete: 'off' });
  const role = roleSelect('new-role', 'viewer', t(M, 'role'));
  const form = h('form.row', { 'aria-label': t(M, 'addTitle') },
    h('div.field', {}, h('label', { for: 'new-user' }, t(M, 'user')), name),
    h('div.field', {}, h('label', { for: 'new-role' }, t(M, 'role')), role),
    h('button.primary', { type: 'submit' }, t(M, 'add')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const pw = password();
    try {
      await ctx.api.post('/v1/users', { username: name.value, role: role.value, password: pw });
      out.replaceChildren(h('p', {}, t(M, 'generated', { user: name.value })), h('p.secret', { id: 'new-password', translate: 'no', class: 'secret data' }, pw));
      await refreshAll();
    } catch (err) { ctx.showError(err); }
  });
  el.append(h('h3', {}, t(M, 'addTitle')), form);
  return users;
}

async function tokensSection(ctx, el, users, refreshAll, out) {
  const tokens = await ctx.api.get('/v1/tokens');
  clear(el).append(h('h2', {}, t(M, 'tokens')));
  el.append(table([
    { label: t(M, 'name'), render: (k) => (k.name ? dataSpan(k.name) : '—') },
    { label: t(M, 'user'), render: (k) => h('span', { class: 'data', translate: 'no' }, k.user) },
    { label: t(M, 'role'), render: (k) => t(M, k.role) },
    { label: t(M, 'created'), render: (k) => fmt.date(k.created_at) },
    { label: t(M, 'expiresAt'), render: (k) => (k.expires_at ? fmt.date(k.expires_at) : t(M, 'never')) },
    { label: t(M, 'state'), render: (k) => (k.revoked_at ? t(M, 'revoked') : h('span', {}, t(M, 'active'), ' ',
      h('button.secondary', { type: 'button', 'aria-label': `${t(M, 'revoke')} ${k.name || k.id}`, onclick: async () => {
        try { await ctx.api.del(`/v1/tokens/${k.id}`); refreshAll(); } catch (err) { ctx.showError(err); }
      } }, t(M, 'revoke')))) },
  ], tokens));
  const who = h('select', { id: 'token-user' }, users.map((u) => h('option', { value: u.username, translate: 'no' }, u.username)));
  const name = h('input', { id: 'token-name', maxlength: '200' });
  const days = h('input', { id: 'token-days', type: 'number', min: '1', max: '3650' });
  const form = h('form.row', { 'aria-label': t(M, 'create') },
    h('div.field', {}, h('label', { for: 'token-user' }, t(M, 'user')), who),
    h('div.field', {}, h('label', { for: 'token-name' }, t(M, 'name')), name),
    h('div.field', {}, h('label', { for: 'token-days' }, t(M, 'expires')), days),
    h('button.primary', { type: 'submit' }, t(M, 'create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { username: who.value, name: name.value };
    if (days.value) body.expires_in_days = Number(days.value);
    try {
      const made = await ctx.api.post('/v1/tokens', body);
      out.replaceChildren(h('p', {}, t(M, 'secret')), h('p.secret', { id: 'new-token', translate: 'no', class: 'secret data' }, made.token));
      await refreshAll();
    } catch (err) { ctx.showError(err); }
  });
  el.append(form);
}

async function auditSection(ctx, el) {
  const rows = await ctx.api.get('/v1/audit?limit=50');
  clear(el).append(h('h2', {}, t(M, 'audit')), table([
    { label: t(M, 'at'), render: (r) => fmt.date(r.at, true) },
    { label: t(M, 'actor'), render: (r) => h('span', { class: 'data', translate: 'no' }, r.actor) },
    { label: t(M, 'action'), render: (r) => h('code', { class: 'data', lang: 'en' }, r.action) },
    { label: t(M, 'target'), render: (r) => (r.target ? h('span', { class: 'data', translate: 'no' }, r.target) : '—') },
    { label: t(M, 'detail'), render: (r) => h('code', { class: 'data', lang: 'en' }, JSON.stringify(r.detail)) },
  ], rows));
}

export default {
  id: 'admin',
  async render(root, params, ctx) {
    const users = h('section.card', { id: 'admin-users' });
    const tokens = h('section.card', { id: 'admin-tokens' });
    const audit = h('section.card', { id: 'admin-audit' });
    root.append(h('h1', {}, t(M, 'title')), users, tokens, audit);
    // secrets are shown here, outside the sections that refresh, until the page is left
    const secret = h('div.card', { id: 'admin-secret', role: 'status', hidden: true });
    users.before(secret);
    const show = { replaceChildren: (...nodes) => { secret.replaceChildren(...nodes); secret.hidden = false; } };
    let refreshing = Promise.resolve();
    const refreshAll = () => {
      refreshing = refreshing.then(async () => {
        const list = await usersSection(ctx, users, refreshAll, show);
        await Promise.all([tokensSection(ctx, tokens, list, refreshAll, show), auditSection(ctx, audit)]);
      });
      return refreshing;
    };
    await refreshAll();
  },
};
