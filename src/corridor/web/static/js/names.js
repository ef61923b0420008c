// Translated names of the network's vocabulary (modes, node kinds, stages, cost items, countries).
import { lang, locale } from './i18n.js';

const V = {
  en: {
    rail: 'rail', sea: 'sea', hub: 'hub', ferry: 'ferry', road: 'road', pipeline: 'pipeline',
    port: 'port', junction: 'junction', terminal: 'terminal', border: 'border crossing', gauge_change: 'gauge change', hub: 'hub',
    sea_ferry: 'sea and ferry', port_wait: 'waiting at ports', transshipment: 'transshipment',
    terminal_handling: 'terminal handling', line_haul: 'line haul', port_handling: 'port handling', reefer_surcharge: 'reefer surcharge',
    storm: 'storm', wind: 'wind', ice: 'ice', leg: 'leg', container: 'containers', general: 'general cargo', liquid: 'liquid bulk',
    through_tariff: 'through tariff', tariff: 'through tariff', border_fee: 'border fee', transit: 'transit', customs: 'customs', dwell: 'dwell',
  },
  ru: {
    rail: 'железная дорога', sea: 'море', ferry: 'паром', road: 'автодорога', pipeline: 'трубопровод',
    port: 'порт', junction: 'узел', terminal: 'терминал', border: 'погранпереход', gauge_change: 'смена колеи', hub: 'хаб',
    sea_ferry: 'море и паром', port_wait: 'ожидание в портах', transshipment: 'перевалка',
    terminal_handling: 'терминальная обработка', line_haul: 'магистральная перевозка', port_handling: 'портовая обработка',
    reefer_surcharge: 'надбавка за рефконтейнер',
    storm: 'шторм', wind: 'ветер', ice: 'лёд', leg: 'участок', container: 'контейнеры', general: 'генеральный груз', liquid: 'наливной груз',
    through_tariff: 'сквозной тариф', tariff: 'сквозной тариф', border_fee: 'пограничный сбор', transit: 'транзит', customs: 'таможня', dwell: 'стоянка',
  },
};

export function term(key) {
  const v = (V[lang()] || V.en)[key];
  return v ?? key.replace(/_/g, ' ');
}

export function known(key) { return key in V.en; }

const regions = {};
export function country(code) {
  if (!code || code === 'XX') return lang() === 'ru' ? 'международные воды' : 'international waters';
  regions[lang()] ??= new Intl.DisplayNames([locale()], { type: 'region' });
  try { return regions[lang()].of(code) || code; } catch (_) { return code; }
}

export function month(m) {
  return new Intl.DateTimeFormat(locale(), { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2025, m - 1, 1)));
}
