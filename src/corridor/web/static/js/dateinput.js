// A date field in the chosen language's format (ru: ДД.ММ.ГГГГ, en-GB: DD/MM/YYYY).
// Chromium draws <input type="date"> in the *browser's* locale and ignores lang= on the input and on
// <html>, so a Russian workbench in an English browser showed mm/dd/yyyy.  This is a text input whose
// order, separator and placeholder come from Intl.DateTimeFormat(locale()).formatToParts; it also
// accepts ISO (2026-12-05) as typed or pasted, and gives the ISO date to the page.
import { h } from './dom.js';
import { lang, locale } from './i18n.js';

const LETTERS = { en: { day: 'DD', month: 'MM', year: 'YYYY' }, ru: { day: 'ДД', month: 'ММ', year: 'ГГГГ' } };

function pattern() {
  const parts = new Intl.DateTimeFormat(locale(), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
    .formatToParts(new Date(Date.UTC(2026, 11, 5)));
  const order = parts.filter((p) => p.type in LETTERS.en).map((p) => p.type);
  const sep = (parts.find((p) => p.type === 'literal') || { value: '.' }).value;
  return { order, sep };
}

// The locale's placeholder, e.g. "ДД.ММ.ГГГГ".
export function placeholder() {
  const { order, sep } = pattern();
  const letters = LETTERS[lang()] || LETTERS.en;
  return order.map((k) => letters[k]).join(sep);
}

// "2026-12-05" → "05.12.2026" (ru) / "05/12/2026" (en-GB); '' for no date.
export function display(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return '';
  const { order, sep } = pattern();
  const v = { year: m[1], month: m[2], day: m[3] };
  return order.map((k) => v[k]).join(sep);
}

// What was typed → "YYYY-MM-DD", '' when empty, null when it is not a real date.
export function parse(text) {
  const s = (text || '').trim();
  if (!s) return '';
  const nums = s.split(/\D+/).filter(Boolean);
  if (nums.length !== 3) return null;
  let v;
  if (nums[0].length === 4) v = { year: nums[0], month: nums[1], day: nums[2] };
  else {
    v = {};
    pattern().order.forEach((k, i) => { v[k] = nums[i]; });
  }
  const [y, mo, d] = [Number(v.year), Number(v.month), Number(v.day)];
  if (v.year.length !== 4 || !(mo >= 1 && mo <= 12) || !(d >= 1 && d <= 31)) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1) return null; // 31.02 and the like
  return date.toISOString().slice(0, 10);
}

// { el: the input, iso(): the date as ISO ('' none, null invalid) }; the input shows `value` (ISO).
export function dateInput({ id, value = '', describedBy } = {}) {
  const el = h('input', {
    id, type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false',
    placeholder: placeholder(), value: display(value) || value, 'aria-describedby': describedBy,
  });
  el.addEventListener('change', () => {
    const iso = parse(el.value);
    el.setAttribute('aria-invalid', iso === null ? 'true' : 'false');
    if (iso) el.value = display(iso);
  });
  return { el, iso: () => parse(el.value) };
}
