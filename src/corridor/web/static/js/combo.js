// A place field with autocomplete over names and every alias (Актау, Ələt, 西安), as an ARIA 1.2
// combobox: type, ArrowDown/ArrowUp to move, Enter to choose, Escape to close.  It searches the
// network already loaded for the map, so it answers instantly and still works offline.
import { h, clear } from './dom.js';
import { placeName, lang } from './i18n.js';

export function fold(text) {
  return text.toLowerCase().replace(/ə/g, 'a').replace(/ı/g, 'i').normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

export function searchPlaces(nodes, q, limit = 8) {
  const needle = fold(q.trim());
  if (!needle) return [];
  const ranked = [];
  for (const n of Object.values(nodes)) {
    let best = null;
    for (const name of [n.name, n.id, ...n.aliases]) {
      const f = fold(name);
      const rank = f === needle ? 0 : f.startsWith(needle) ? 1 : f.includes(needle) ? 2 : null;
      if (rank !== null && (best === null || rank < best[0])) best = [rank, name];
    }
    if (best) ranked.push({ rank: best[0], matched: best[1], node: n });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.node.name.localeCompare(b.node.name));
  return ranked.slice(0, limit);
}

let seq = 0;
export function placeCombo({ label, nodes, value = '', onChoose = () => {}, name = '' }) {
  const id = `combo-${++seq}`;
  const listId = `${id}-list`;
  const input = h('input', {
    id, name, role: 'combobox', autocomplete: 'off', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': listId, spellcheck: 'false',
  });
  const list = h('ul.suggest', { id: listId, role: 'listbox', 'aria-label': label, hidden: true });
  let items = [];
  let active = -1;
  const chosen = { id: '' };
  const setValue = (node) => {
    chosen.id = node ? node.id : '';
    input.value = node ? placeName(node) : '';
    input.dataset.placeId = chosen.id;
  };
  if (value && nodes[value]) setValue(nodes[value]);
  else if (value) input.value = value;

  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1; };
  const choose = (i) => { const it = items[i]; if (!it) return; setValue(it.node); close(); onChoose(it.node); };
  const mark = () => {
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', i === active ? 'true' : 'false'));
    if (active >= 0) input.setAttribute('aria-activedescendant', `${listId}-${active}`);
  };
  const show = () => {
    items = searchPlaces(nodes, input.value);
    clear(list);
    items.forEach((it, i) => {
      const shown = placeName(it.node);
      const li = h('li', { id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false' }, shown,
        it.matched !== shown && it.matched !== it.node.id ? h('span.muted', { lang: /[A-Za-z]/.test(it.matched) && lang() !== 'en' ? 'en' : null }, ` — ${it.matched}`) : null,
        h('span.muted', {}, ` (${it.node.country})`));
      li.addEventListener('mousedown', (ev) => { ev.preventDefault(); choose(i); });
      list.append(li);
    });
    active = items.length ? 0 : -1;
    mark();
    list.hidden = !items.length;
    input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
  };
  input.addEventListener('input', () => { chosen.id = ''; input.dataset.placeId = ''; show(); });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && !list.hidden) { active = Math.min(items.length - 1, active + 1); mark(); ev.preventDefault(); }
    else if (ev.key === 'ArrowDown') { show(); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp' && !list.hidden) { active = Math.max(0, active - 1); mark(); ev.preventDefault(); }
    else if (ev.key === 'Enter' && !list.hidden && active >= 0) { choose(active); ev.preventDefault(); }
    else if (ev.key === 'Escape') close();
  });
  input.addEventListener('blur', () => {
    close();
    if (!chosen.id && input.value) {  // typed a full name or alias without choosing: take an exact match
      const hit = searchPlaces(nodes, input.value, 1)[0];
      if (hit && hit.rank === 0) { setValue(hit.node); onChoose(hit.node); }
    }
  });
  const wrap = h('div.field.combo', {}, h('label', { for: id }, label), input, list);
  return { el: wrap, input, get id() { return chosen.id || ''; }, set(node) { setValue(node); } };
}
