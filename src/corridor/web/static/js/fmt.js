// Numbers, money, durations and dates in the current locale (Intl: ru-RU gives thin-space/nbsp
// thousands and a decimal comma).
import { locale, lang } from './i18n.js';

const cache = new Map();
function nf(opts) {
  const key = locale() + JSON.stringify(opts);
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(locale(), opts));
  return cache.get(key);
}

export function num(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return nf({ maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(x);
}

export function usd(x) {
  if (x === null || x === undefined) return '—';
  return nf({ style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(x);
}

export function pct(x, digits = 0) {
  return nf({ style: 'percent', maximumFractionDigits: digits }).format(x);
}

const UNITS = { en: { h: 'h', d: 'd', km: 'km', t: 't', kg: 'kg' }, ru: { h: 'ч', d: 'сут.', km: 'км', t: 'т', kg: 'кг' } };
export function unit(u) { return (UNITS[lang()] || UNITS.en)[u] ?? u; }

export function hours(h) {
  if (h === null || h === undefined) return '—';
  return h >= 72 ? `${num(h / 24, 1)} ${unit('d')}` : `${num(h, 0)} ${unit('h')}`;
}

export function date(value, withTime = false) {
  if (!value) return '—';
  const d = value instanceof Date ? value : new Date(value);
  const opts = withTime
    ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }
    : { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale(), opts).format(d);
}

export function tonnes(t) { return `${num(t, t < 10 ? 1 : 0)} ${unit('t')}`; }
export function km(x) { return `${num(x)} ${unit('km')}`; }
