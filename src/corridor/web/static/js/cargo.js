// The cargo builder: lines of boxes (count × size × type, optional gross weight) or a bulk tonnage,
// to and from the spec string the API and CLI take ("2x40HC@24t,1x20RF", "general:500t", "liquid:20000t").
import { h, clear } from './dom.js';
import { t } from './i18n.js';

const M = {
  en: {
    cargo: 'Cargo', what: 'What', containers: 'Containers', general: 'General (break-bulk) cargo', liquid: 'Liquid bulk',
    count: 'Boxes', size: 'Size', type: 'Type', gross: 'Gross weight per box, t (optional)', tonnes: 'Tonnes',
    add: 'Add a line of boxes', remove: 'Remove this line', DV: 'dry', HC: 'high cube', RF: 'reefer',
    sizeN: '{n} ft', line: 'Line {n}',
  },
  ru: {
    cargo: 'Груз', what: 'Что везём', containers: 'Контейнеры', general: 'Генеральный груз', liquid: 'Наливной груз',
    count: 'Контейнеров', size: 'Размер', type: 'Тип', gross: 'Масса брутто контейнера, т (необязательно)', tonnes: 'Тонн',
    add: 'Добавить строку контейнеров', remove: 'Удалить строку', DV: 'сухой', HC: 'высокий (хай-кьюб)', RF: 'рефрижератор',
    sizeN: '{n} фут.', line: 'Строка {n}',
  },
};

export function parseSpec(spec) {
  const s = (spec || '1x40HC').trim();
  const bulk = s.match(/^(general|bulk|liquid)\s*[:=]?\s*([0-9.]+)/i);
  if (bulk) return { kind: bulk[1].toLowerCase() === 'liquid' ? 'liquid' : 'general', tonnes: Number(bulk[2]), lots: [] };
  const parts = s.split(',').map((part) => part.trim().match(/^(\d+)\s*[x×]\s*(20|40|45)\s*([A-Za-z]{2})?(?:@([0-9.]+)t?)?$/));
  // a spec the builder cannot show (from a shared URL) is sent as it is, so the server says what is wrong
  const raw = parts.some((p) => !p) ? s : null;
  const lots = parts.filter(Boolean).map((m) => ({ count: Number(m[1]), size: m[2], type: (m[3] || 'DV').toUpperCase(), gross: m[4] ? Number(m[4]) : '' }));
  return { kind: 'container', tonnes: 500, raw, lots: lots.length ? lots : [{ count: 1, size: '40', type: 'HC', gross: '' }] };
}

export function toSpec(state) {
  if (state.raw) return state.raw;
  if (state.kind !== 'container') return `${state.kind}:${state.tonnes}t`;
  return state.lots.map((l) => `${l.count}x${l.size}${l.type}${l.gross ? `@${l.gross}t` : ''}`).join(',');
}

export function cargoBuilder(spec) {
  const state = parseSpec(spec);
  const root = h('fieldset.cargo', {}, h('legend', {}, t(M, 'cargo')));
  root.addEventListener('input', () => { state.raw = null; });
  root.addEventListener('change', () => { state.raw = null; });
  const draw = () => {
    clear(root).append(h('legend', {}, t(M, 'cargo')));
    const kind = h('select', { id: 'cargo-kind' },
      ['container', 'general', 'liquid'].map((k) => h('option', { value: k, selected: state.kind === k }, t(M, k === 'container' ? 'containers' : k))));
    kind.addEventListener('change', () => { state.kind = kind.value; draw(); document.getElementById('cargo-kind').focus(); });
    root.append(h('div.field', {}, h('label', { for: 'cargo-kind' }, t(M, 'what')), kind));
    if (state.kind !== 'container') {
      const tonnes = h('input', { id: 'cargo-tonnes', type: 'number', min: '1', step: '1', value: String(state.tonnes), required: true });
      tonnes.addEventListener('input', () => { state.tonnes = Number(tonnes.value); });
      root.append(h('div.field', {}, h('label', { for: 'cargo-tonnes' }, t(M, 'tonnes')), tonnes));
      return;
    }
    state.lots.forEach((lot, i) => {
      const id = (k) => `cargo-${k}-${i}`;
      const count = h('input', { id: id('count'), type: 'number', min: '1', max: '500', step: '1', value: String(lot.count), required: true });
      const size = h('select', { id: id('size') }, ['20', '40', '45'].map((s) => h('option', { value: s, selected: lot.size === s }, t(M, 'sizeN', { n: s }))));
      const type = h('select', { id: id('type') }, ['DV', 'HC', 'RF'].map((s) => h('option', { value: s, selected: lot.type === s }, t(M, s))));
      const gross = h('input', { id: id('gross'), type: 'number', min: '1', max: '40', step: '0.1', value: lot.gross === '' ? '' : String(lot.gross) });
      count.addEventListener('input', () => { lot.count = Number(count.value); });
      size.addEventListener('change', () => { lot.size = size.value; });
      type.addEventListener('change', () => { lot.type = type.value; });
      gross.addEventListener('input', () => { lot.gross = gross.value === '' ? '' : Number(gross.value); });
      const line = h('div.cargo-line', { role: 'group', 'aria-label': t(M, 'line', { n: i + 1 }) },
        h('div.field', {}, h('label', { for: count.id }, t(M, 'count')), count),
        h('div.field', {}, h('label', { for: size.id }, t(M, 'size')), size),
        h('div.field', {}, h('label', { for: type.id }, t(M, 'type')), type),
        h('div.field', {}, h('label', { for: gross.id }, t(M, 'gross')), gross));
      if (state.lots.length > 1) {
        line.append(h('button.secondary', { type: 'button', onclick: () => { state.lots.splice(i, 1); draw(); } }, t(M, 'remove')));
      }
      root.append(line);
    });
    root.append(h('button.secondary', { type: 'button', id: 'cargo-add', onclick: () => {
      state.lots.push({ count: 1, size: '20', type: 'DV', gross: '' }); draw(); document.getElementById(`cargo-count-${state.lots.length - 1}`).focus();
    } }, t(M, 'add')));
  };
  draw();
  return { el: root, spec: () => toSpec(state) };
}
