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

// A share that is not exactly 0 or 100% never reads "0 %" or "100 %" (99.8% carried is not all of
// it): up to two more decimals until it does not, then a bound ("> 99.99%", "< 0.01%").
export function pct(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const f = (v, d) => nf({ style: 'percent', maximumFractionDigits: d }).format(v);
  const edge = (d) => {
    const shown = Math.round(x * 10 ** (d + 2)) / 10 ** (d + 2);
    return (shown === 0 || Math.abs(shown) === 1) && shown !== x;
  };
  for (let d = digits; d <= digits + 2; d += 1) if (!edge(d)) return f(x, d);
  const d = digits + 2;
  const step = 10 ** -(d + 2);
  const n = Math.round(x);
  if (n === 0) return x > 0 ? `<\u202f${f(step, d)}` : `>\u202f${f(-step, d)}`;
  return x < n ? `>\u202f${f(n - step, d)}` : `>\u202f${f(n, d)}`;
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
