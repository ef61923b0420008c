// Corridor KPIs: the corridor against its public targets, every point with its source (GET /v1/kpis).
import { h, data, num, pct, section, table, lang, failed } from './wb.js';
import { bars, captioned } from '../chart.js';

const messages = {
  en: {
    title: 'Corridor KPIs',
    intro: 'Published figures for the Trans-Caspian route against its public targets. Every point names its source.',
    volume_mt: 'Volume on the corridor',
    containers_teu: 'Containers',
    corridor_capacity_mt: 'Corridor capacity',
    aktau_hub_teu: 'Aktau container hub capacity',
    kz_az_trade_usd_m: 'Kazakhstan–Azerbaijan trade',
    'unit.Mt': 'Mt', 'unit.TEU': 'TEU', 'unit.TEU/yr': 'TEU a year', 'unit.USD m': 'USD m',
    actual: 'actual', target: 'target', capacity: 'capacity',
    year: 'Year', value: 'Value', kind: 'Kind', growth: 'Growth', sources: 'Sources', note: 'Note',
    noYear: 'no year given',
    headVolume: '2024 volume', headGrowth: 'growth on 2023', headTeu: '2024 containers',
    headTarget: 'of the {target} medium-term target', headHub: 'Aktau hub by end-2026', headTrade: 'of the USD 1 bn trade goal (2023)',
    chart: '{series} by year ({unit})',
    loading: 'Loading the KPIs…',
    offline: 'The KPIs could not be loaded',
  },
  ru: {
    title: 'Показатели коридора',
    intro: 'Опубликованные данные Транскаспийского маршрута в сравнении с официальными целями. У каждой точки указан источник.',
    volume_mt: 'Объём перевозок по коридору',
    containers_teu: 'Контейнеры',
    corridor_capacity_mt: 'Пропускная способность коридора',
    aktau_hub_teu: 'Мощность контейнерного хаба в Актау',
    kz_az_trade_usd_m: 'Товарооборот Казахстана и Азербайджана',
    'unit.Mt': 'млн т', 'unit.TEU': 'ДФЭ', 'unit.TEU/yr': 'ДФЭ в год', 'unit.USD m': 'млн долл. США',
    actual: 'факт', target: 'цель', capacity: 'мощность',
    year: 'Год', value: 'Значение', kind: 'Вид', growth: 'Рост', sources: 'Источники', note: 'Примечание',
    noYear: 'год не указан',
    headVolume: 'объём в 2024 году', headGrowth: 'рост к 2023 году', headTeu: 'контейнеры в 2024 году',
    headTarget: 'от среднесрочной цели {target}', headHub: 'хаб в Актау к концу 2026 года', headTrade: 'от цели товарооборота в 1 млрд долл. США (2023)',
    chart: '{series} по годам ({unit})',
    loading: 'Загрузка показателей…',
    offline: 'Не удалось загрузить показатели',
  },
};

function m(key, params = {}) {
  const text = messages[lang()][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? '');
}

function value(series, p) {
  const digits = series.unit === 'Mt' ? 3 : series.unit === 'USD m' ? 1 : 0;
  return num(p.value, digits);
}

function sources(doc, p) {
  return h(
    'ul',
    { class: 'sources' },
    p.sources.map((id) => {
      const s = doc.sources[id] || {};
      return h(
        'li',
        {},
        h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, data(s.title || id)),
        ' — ',
        data(s.publisher || ''),
        s.year ? `, ${s.year}` : '',
      );
    }),
  );
}

function headline(doc) {
  const pts = (id) => doc.series.find((s) => s.id === id)?.points ?? [];
  const vol = pts('volume_mt').find((p) => p.year === 2024 && p.kind === 'actual');
  const target = pts('volume_mt').find((p) => p.year === null && p.kind === 'target');
  const teu = pts('containers_teu').find((p) => p.year === 2024);
  const hub = pts('aktau_hub_teu').find((p) => p.year === 2026);
  const trade = pts('kz_az_trade_usd_m');
  const trade23 = trade.find((p) => p.year === 2023);
  const goal = trade.find((p) => p.year === null);
  const card = (big, small) => h('div', { class: 'kpi' }, h('strong', { class: 'v' }, big), h('span', { class: 'k' }, small));
  return h(
    'div',
    { class: 'kpis' },
    vol ? card(`${num(vol.value, 2)} ${m('unit.Mt')}`, m('headVolume')) : null,
    vol?.growth != null ? card(`+${pct(vol.growth)}`, m('headGrowth')) : null,
    teu ? card(`≈${num(teu.value)} ${m('unit.TEU')}`, m('headTeu')) : null,
    vol && target ? card(pct(vol.value / target.value), m('headTarget', { target: `${num(target.value)} ${m('unit.Mt')}` })) : null,
    hub ? card(`${num(hub.value)} ${m('unit.TEU')}`, m('headHub')) : null,
    trade23 && goal ? card(pct(trade23.value / goal.value), m('headTrade')) : null,
  );
}

function seriesCard(doc, s) {
  const unit = m(`unit.${s.unit}`);
  const items = s.points.map((p) => ({
    label: p.year === null ? m('noYear') : String(p.year),
    value: p.value,
    className: p.kind,
    title: `${p.year ?? m('noYear')}: ${value(s, p)} ${unit} (${m(p.kind)})`,
  }));
  return section(
    m(s.id),
    captioned(bars(items, { label: m('chart', { series: m(s.id), unit }), format: (v) => value(s, { value: v }) })),
    table(m(s.id), [
      { key: 'year', label: m('year'), render: (p) => (p.year === null ? m('noYear') : String(p.year)) },
      { key: 'value', label: `${m('value')}, ${unit}`, num: true, render: (p) => value(s, p) },
      { key: 'kind', label: m('kind'), render: (p) => h('span', { class: `tag ${p.kind}` }, m(p.kind)) },
      { key: 'growth', label: m('growth'), num: true, render: (p) => (p.growth == null ? '—' : pct(p.growth)) },
      { key: 'sources', label: m('sources'), render: (p) => sources(doc, p) },
      { key: 'note', label: m('note'), render: (p) => (p.note ? data(p.note) : '—') },
    ], s.points),
  );
}

export default {
  id: 'kpis',
  async render(root, params, ctx) {
    root.replaceChildren(h('h1', {}, m('title')), h('p', {}, m('intro')));
    const wait = h('p', { role: 'status' }, m('loading'));
    root.append(wait);
    let doc;
    try {
      doc = await ctx.api.get('/v1/kpis');
    } catch (err) {
      failed(ctx, wait, m('offline'), err);
      wait.className = 'error';
      return;
    }
    wait.remove();
    root.append(headline(doc), ...doc.series.map((s) => seriesCard(doc, s)));
  },
};
