// Scenarios: bundled and the organisation's; view any version; clone and edit in a YAML editor that
// marks each problem the API reports at its line and field; saving an edit adds a version.
import { h, data, num, section, table, status, lang, sendText, failed, requireRole } from './wb.js';

const messages = {
  en: {
    title: 'Scenarios',
    intro: 'A scenario changes the bundled network or demand (more vessels, a closed border, a new terminal). Bundled ones are read-only; clone one to make your own.',
    list: 'All scenarios', name: 'Name', origin: 'From', bundled: 'bundled', own: 'your organisation', latest: 'Latest version', open: 'Open',
    view: 'Scenario', version: 'Version {n}', versions: 'Versions', created: 'saved by {who} on {when}', bundledBy: 'bundled with corridor',
    clone: 'Clone and edit', edit: 'Edit (adds a version)', editor: 'Scenario text (YAML)',
    editorHint: 'Check shows every problem at its line; nothing is stored until you save.',
    check: 'Check', save: 'Save', saveNew: 'Save as a new scenario', cancel: 'Close the editor',
    valid: 'The scenario is valid:', saved: 'Saved:', savedVersion: 'version {n}',
    problems: '{n} problem(s) in the text', line: 'line {n}', fieldName: 'field {f}', goTo: 'Go to line {n}',
    changes: { one: '{n} change', other: '{n} changes' },
    failed: 'Could not load', offline: 'Not available offline', loading: 'Loading…',
  },
  ru: {
    title: 'Сценарии',
    intro: 'Сценарий изменяет встроенную сеть или спрос (больше судов, закрытая граница, новый терминал). Встроенные сценарии только для чтения — скопируйте сценарий, чтобы сделать свой.',
    list: 'Все сценарии', name: 'Название', origin: 'Источник', bundled: 'встроенный', own: 'вашей организации', latest: 'Последняя версия', open: 'Открыть',
    view: 'Сценарий', version: 'Версия {n}', versions: 'Версии', created: 'сохранил {who}, {when}', bundledBy: 'поставляется с программой',
    clone: 'Скопировать и изменить', edit: 'Изменить (новая версия)', editor: 'Текст сценария (YAML)',
    editorHint: 'Кнопка «Проверить» показывает каждую ошибку в её строке; ничего не сохраняется до нажатия «Сохранить».',
    check: 'Проверить', save: 'Сохранить', saveNew: 'Сохранить как новый сценарий', cancel: 'Закрыть редактор',
    valid: 'Сценарий корректен:', saved: 'Сохранено:', savedVersion: 'версия {n}',
    problems: 'Ошибок в тексте: {n}', line: 'строка {n}', fieldName: 'поле {f}', goTo: 'Перейти к строке {n}',
    changes: { one: '{n} изменение', few: '{n} изменения', many: '{n} изменений', other: '{n} изменения' },
    failed: 'Не удалось загрузить', offline: 'Недоступно без сети', loading: 'Загрузка…',
  },
};

function m(key, params = {}) {
  let text = messages[lang()][key] ?? messages.en[key] ?? key;
  if (typeof text === 'object') text = text[new Intl.PluralRules(lang()).select(params.n)] ?? text.other;
  return text.replace(/\{(\w+)\}/g, (_, k) => (typeof params[k] === 'number' ? num(params[k]) : params[k] ?? ''));
}

function when(iso) {
  return iso ? new Intl.DateTimeFormat(lang() === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '';
}

// The editor: a textarea with a line-number gutter; problems are listed and marked at their lines.
function editor(ctx, text, { onCheck, onSave, saveLabel, onClose, onError }) {
  const area = h('textarea', { rows: 24, spellcheck: 'false', class: 'code', 'aria-describedby': 'scn-problems scn-hint' });
  area.value = text;
  const gutter = h('pre', { class: 'gutter', 'aria-hidden': 'true' });
  const list = h('ol', { class: 'problems', id: 'scn-problems' });
  const note = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const bad = new Set();
  const paint = () => {
    const n = area.value.split('\n').length;
    gutter.replaceChildren(...Array.from({ length: n }, (_, i) => h('span', { class: bad.has(i + 1) ? 'bad' : null }, `${i + 1}\n`)));
    gutter.scrollTop = area.scrollTop;
  };
  const goto = (line) => {
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((s, l) => s + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || '').length);
  };
  const show = (problems) => {
    bad.clear();
    list.replaceChildren(
      ...problems.map((p) => {
        if (p.line) bad.add(p.line);
        const where = [p.line ? m('line', { n: p.line }) : '', p.field ? m('fieldName', { f: '' }) : ''].filter(Boolean).join(', ');
        return h('li', {},
          p.line ? h('button', { type: 'button', class: 'link', onclick: () => goto(p.line), 'aria-label': m('goTo', { n: p.line }) }, where) : where,
          p.field ? [' ', data(p.field, { id: true })] : null, ': ', data(p.message));  // prettier-ignore
      }),
    );
    area.setAttribute('aria-invalid', problems.length ? 'true' : 'false');
    note.textContent = problems.length ? m('problems', { n: problems.length }) : '';
    note.className = problems.length ? 'status error' : 'status';
    paint();
  };
  area.addEventListener('input', paint);
  area.addEventListener('scroll', () => (gutter.scrollTop = area.scrollTop));
  const run = async (fn) => {
    try {
      const msg = await fn(area.value);
      show([]);
      note.replaceChildren(...[msg].flat());
    } catch (err) {
      if (err.errors?.length) show(err.errors);
      else {
        show([]);
        onError(err); // offline, forbidden, …: the shell's banner says it in the user's language
      }
    }
  };
  area.id = 'scn-text';
  const saveBtn = h('button', { type: 'button', onclick: () => run(onSave) }, saveLabel);
  const el = section(
    m('editor'),
    h('p', { class: 'hint', id: 'scn-hint' }, m('editorHint')),
    h('label', { for: 'scn-text', class: 'visually-hidden' }, m('editor')),
    h('div', { class: 'code-editor' }, gutter, area),
    note,
    list,
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'secondary', onclick: () => run(onCheck) }, m('check')),
      saveBtn,
      h('button', { type: 'button', class: 'secondary', onclick: onClose }, m('cancel'))),  // prettier-ignore
    requireRole(ctx, 'analyst', saveBtn),
  );
  paint();
  return { el, area, show };
}

function renamed(text, name) {
  return /^name:.*$/m.test(text) ? text.replace(/^name:.*$/m, `name: ${name}`) : `name: ${name}\n${text}`;
}

async function viewScenario(root, ctx, list, id, version) {
  const out = h('div', { class: 'scenario-view' });
  root.append(out);
  const row = list.find((s) => s.id === id);
  let ver;
  try {
    ver = await ctx.api.get(version ? `/v1/scenarios/${encodeURIComponent(id)}/versions/${version}` : `/v1/scenarios/${encodeURIComponent(id)}`);
  } catch (err) {
    out.replaceChildren();
    ctx.showError(err);
    return;
  }
  const versions = row && !row.bundled ? Array.from({ length: row.latest }, (_, i) => row.latest - i) : [1];
  const openEditor = (cloning) => {
    const text = cloning ? renamed(ver.text, `${ver.name}-copy`) : ver.text;
    const ed = editor(ctx, text, {
      saveLabel: cloning ? m('saveNew') : m('edit'),
      onCheck: async (t) => {
        const r = await sendText(ctx, 'POST', '/v1/scenario-checks', t);
        return [m('valid'), ' ', data(r.name), `, ${m('changes', { n: r.changes })}.`];
      },
      onSave: async (t) => {
        const r = cloning ? await sendText(ctx, 'POST', '/v1/scenarios', t) : await sendText(ctx, 'PUT', `/v1/scenarios/${encodeURIComponent(id)}`, t);
        ctx.setParams({ id: r.scenario_id, version: r.version });
        return [m('saved'), ' ', data(r.name), `, ${m('savedVersion', { n: r.version })}.`];
      },
      onClose: () => ed.el.remove(),
      onError: (err) => ctx.showError(err),
    });
    out.append(ed.el);
    ed.area.focus();
  };
  out.replaceChildren(
    section(
      m('view'),
      h('p', {}, data(ver.name), ' — ', m('version', { n: ver.version }), ', ', ver.created_at ? m('created', { who: ver.created_by, when: when(ver.created_at) }) : m('bundledBy')),
      h('nav', { 'aria-label': m('versions') }, m('versions'), ': ',
        versions.map((v) => [h('a', { href: `#/scenarios?id=${encodeURIComponent(id)}&version=${v}`, 'aria-current': v === ver.version ? 'page' : null }, String(v)), ' '])),
      h('pre', { class: 'code', tabindex: '0', 'aria-label': m('editor') }, h('code', { lang: 'en', class: 'untranslated' }, ver.text)),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', onclick: () => openEditor(true) }, m('clone')),
        row && !row.bundled ? h('button', { type: 'button', class: 'secondary', onclick: () => openEditor(false) }, m('edit')) : null),
    ),
  );  // prettier-ignore
}

export default {
  id: 'scenarios',
  async render(root, params, ctx) {
    root.replaceChildren(h('h1', {}, m('title')), h('p', {}, m('intro')));
    const note = status(root);
    let list = [];
    try {
      list = await ctx.api.get('/v1/scenarios');
    } catch (err) {
      failed(ctx, note, m('offline'), err);
      return;
    }
    root.append(
      section(
        m('list'),
        table(m('list'), [
          { key: 'name', label: m('name'), render: (s) => h('a', { href: `#/scenarios?id=${encodeURIComponent(s.id)}` }, data(s.name)) },
          { key: 'bundled', label: m('origin'), render: (s) => (s.bundled ? m('bundled') : m('own')) },
          { key: 'latest', label: m('latest'), num: true },
        ], list),
      ),
    );
    if (params.id) await viewScenario(root, ctx, list, params.id, params.version ? Number(params.version) : null);
  },
};
