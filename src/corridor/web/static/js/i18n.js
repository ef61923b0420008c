// Language state and message lookup.  Each page module carries its own messages {en: {...}, ru: {...}};
// t(messages, key, params) picks the current language, chooses a plural form with Intl.PluralRules
// (ru: one/few/many/other) when the message is an object and params.n is given, and fills {name} slots.
const KEY = 'corridor.lang';
export const LANGS = ['en', 'ru'];
let current = (() => {
  try {
    const saved = localStorage.getItem(KEY);
    if (LANGS.includes(saved)) return saved;
  } catch (_) { /* storage off: fall back */ }
  return (navigator.language || 'en').toLowerCase().startsWith('ru') ? 'ru' : 'en';
})();
const listeners = new Set();

export function lang() { return current; }
export function locale() { return current === 'ru' ? 'ru-RU' : 'en-GB'; }

export function setLang(next) {
  if (!LANGS.includes(next) || next === current) return;
  current = next;
  try { localStorage.setItem(KEY, next); } catch (_) { /* private mode: not remembered */ }
  document.documentElement.lang = next;
  listeners.forEach((fn) => fn(next));
}

export function onLangChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

const rulesCache = {};
export function pluralForm(n, language = current) {
  rulesCache[language] ??= new Intl.PluralRules(language === 'ru' ? 'ru-RU' : 'en-GB');
  return rulesCache[language].select(n);
}

export function t(messages, key, params = {}) {
  const table = messages[current] || messages.en;
  let msg = table[key] ?? messages.en[key];
  if (msg === undefined) {
    console.warn(`missing message ${key}`);
    return key;
  }
  if (typeof msg === 'object') {
    const form = pluralForm(Number(params.n ?? 0));
    msg = msg[form] ?? msg.other;
  }
  return msg.replace(/\{(\w+)\}/g, (_, name) => {
    const v = params[name];
    if (v === undefined) return `{${name}}`;
    return typeof v === 'number' ? new Intl.NumberFormat(locale()).format(v) : String(v);
  });
}

// A place's name in the current language: the Russian alias where the network has one.
export function placeName(place) {
  if (!place) return '';
  return current === 'ru' && place.name_ru ? place.name_ru : place.name;
}

// Text that has no translation (data from a file, a server's English detail) is marked as such.
export function dataSpan(text, cls = 'untranslated') {
  const span = document.createElement('span');
  span.textContent = text;
  if (current !== 'en') {
    span.lang = 'en';
    span.className = cls;
  }
  return span;
}
