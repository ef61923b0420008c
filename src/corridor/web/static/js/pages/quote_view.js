// Drawing a quote: one card per alternative (P50/P90, arrival dates, stage bars, cost with its
// range, CO2e WTT/TTW, itemised lines with estimate marks), the side-by-side comparison, and CSV.
import { h } from '../dom.js';
import { t, placeName, dataSpan, lang } from '../i18n.js';
import * as fmt from '../fmt.js';
import { term, country } from '../names.js';

export const M = {
  en: {
    option: 'Option {n}', via: 'via {places}', p50: 'typical (P50)', p90: 'bad case (P90)', arrive50: 'arrives (P50)',
    arrive90: 'arrives (P90)', cost: 'cost', range: 'range {low}–{high}', co2: 'CO2e well-to-wheel', co2split: 'WTT {wtt} + TTW {ttw}',
    distance: 'distance', stages: 'Time by stage (P50)', lines: 'Itemised cost', legs: 'Legs', emissions: 'CO2e by element',
    item: 'Item', where: 'Where', operator: 'Operator', amount: 'Amount', low: 'Low', high: 'High', basis: 'Basis',
    est: 'estimate', estTitle: 'an estimate, not a published tariff', missing: 'not priced', incomplete: 'Incomplete: {items} not priced',
    incompleteTitle: 'incomplete: the total leaves out what is not priced, so this is not a full offer',
    mode: 'Mode', from: 'From', to: 'To', moving: 'Moving', wait: 'Waiting', element: 'Element', wtw: 'WTW, kg', wtt: 'WTT, kg', ttw: 'TTW, kg',
    compare: 'Side by side', measure: 'Measure', show: 'Show on map', shown: 'Shown on map', book: 'Book and track',
    booked: 'Booked as {booking}: it is now tracked.', openTracking: 'Open tracking', notes: 'Notes',
    kg: '{n} kg', tonnesCo2: '{n} t', modes: 'modes', pareto: 'no other option is both faster and cheaper',
  },
  ru: {
    option: 'Вариант {n}', via: 'через {places}', p50: 'обычно (P50)', p90: 'в плохом случае (P90)', arrive50: 'прибытие (P50)',
    arrive90: 'прибытие (P90)', cost: 'стоимость', range: 'диапазон {low}–{high}', co2: 'CO2e полного цикла', co2split: 'WTT {wtt} + TTW {ttw}',
    distance: 'расстояние', stages: 'Время по этапам (P50)', lines: 'Стоимость по статьям', legs: 'Участки', emissions: 'CO2e по элементам',
    item: 'Статья', where: 'Где', operator: 'Оператор', amount: 'Сумма', low: 'Мин.', high: 'Макс.', basis: 'Основание',
    est: 'оценка', estTitle: 'оценка, а не опубликованный тариф', missing: 'нет цены', incomplete: 'Неполно: без цены — {items}',
    incompleteTitle: 'неполно: в сумму не вошло то, что без цены, это не полное предложение',
    mode: 'Вид', from: 'Откуда', to: 'Куда', moving: 'В движении', wait: 'Ожидание', element: 'Элемент', wtw: 'WTW, кг', wtt: 'WTT, кг', ttw: 'TTW, кг',
    compare: 'Сравнение вариантов', measure: 'Показатель', show: 'Показать на карте', shown: 'На карте', book: 'Забронировать и отслеживать',
    booked: 'Забронировано под номером {booking}: груз отслеживается.', openTracking: 'Открыть отслеживание', notes: 'Примечания',
    kg: '{n} кг', tonnesCo2: '{n} т', modes: 'виды транспорта', pareto: 'нет варианта, который и быстрее, и дешевле',
  },
};

const STAGE_CLASS = { rail: 'rail', road: 'road', sea_ferry: 'sea', pipeline: 'pipeline', port_wait: 'wait', border: 'border', transshipment: 'ferry', terminal: 'dwell' };  // border had terminal's grey: two stages one colour

export function title(route, nodes) {
  if (lang() === 'en') return route.label;
  const inLabel = route.nodes.map((id) => nodes[id]).filter((n) => n && route.label.includes(n.name));
  return inLabel.length ? t(M, 'via', { places: inLabel.map(placeName).join(', ') }) : placeName(nodes[route.nodes[1]]);
}

function where(id, nodes) {
  return nodes[id] ? placeName(nodes[id]) : h('span', { lang: 'en', class: 'data' }, id);
}

function kg(x) { return x >= 10000 ? t(M, 'tonnesCo2', { n: Number((x / 1000).toFixed(1)) }) : t(M, 'kg', { n: Math.round(x) }); }

// A total with an unpriced line is a lower bound: "+?" after it, as in `corridor route`'s table.
function usdTotal(c) {
  return c.complete ? fmt.usd(c.total) : [fmt.usd(c.total), h('abbr.incomplete', { title: t(M, 'incompleteTitle') }, ' +?')];
}

function kpi(label, valueNode) { return h('div.kpi', {}, h('span.v', {}, valueNode), h('span.k', {}, label)); }

function stageBar(route) {
  const stages = Object.entries(route.time_h.stages).filter(([, v]) => v.p50 > 0);
  const total = stages.reduce((s, [, v]) => s + v.p50, 0) || 1;
  const bar = h('div.stagebar', { role: 'img', 'aria-label': `${t(M, 'stages')}: ${stages.map(([k, v]) => `${term(k)} ${fmt.hours(v.p50)}`).join(', ')}` });
  for (const [k, v] of stages) {
    const seg = h(`span.st-${STAGE_CLASS[k] || 'dwell'}`, { title: `${term(k)}: ${fmt.hours(v.p50)}` });
    seg.style.flexGrow = String(v.p50 / total);  // CSSOM from a module: allowed by style-src 'self'
    bar.append(seg);
  }
  const legend = h('div.legend', { 'aria-hidden': 'true' }, stages.map(([k, v]) => h('span', {}, h(`span.swatch.st-${STAGE_CLASS[k] || 'dwell'}`), `${term(k)} ${fmt.hours(v.p50)}`)));
  return [h('h4', {}, t(M, 'stages')), bar, legend];
}

function estMark(line) {
  return line.estimate ? h('abbr.estimate', { title: t(M, 'estTitle') }, ` ≈ ${t(M, 'est')}`) : null;
}

function costTable(route, nodes) {
  return h('table.data', {},
    h('caption', { class: 'visually-hidden' }, t(M, 'lines')),
    h('thead', {}, h('tr', {}, [t(M, 'item'), t(M, 'where'), t(M, 'operator'), t(M, 'amount'), t(M, 'low'), t(M, 'high'), t(M, 'basis')]
      .map((c, i) => h(`th${i >= 3 && i <= 5 ? '.num' : ''}`, { scope: 'col' }, c)))),
    h('tbody', {}, route.cost_usd.lines.map((l) => h('tr', {},
      h('td', {}, term(l.item), estMark(l)),
      h('td', {}, where(l.where, nodes), ' ', h('span.muted', {}, country(l.country))),
      h('td', {}, l.operator ? dataSpan(l.operator) : '—'),
      h('td.num', {}, l.missing ? h('strong', {}, t(M, 'missing')) : fmt.usd(l.amount)),
      h('td.num', {}, l.missing ? '—' : fmt.usd(l.low)),
      h('td.num', {}, l.missing ? '—' : fmt.usd(l.high)),
      h('td', {}, dataSpan(l.basis))))));
}

function legTable(route, nodes) {
  return h('table.data', {},
    h('thead', {}, h('tr', {}, [t(M, 'from'), t(M, 'to'), t(M, 'mode'), t(M, 'distance'), t(M, 'moving'), t(M, 'wait'), t(M, 'operator')]
      .map((c, i) => h(`th${i >= 3 && i <= 5 ? '.num' : ''}`, { scope: 'col' }, c)))),
    h('tbody', {}, route.legs.map((l) => h('tr', {},
      h('td', {}, where(l.from, nodes)), h('td', {}, where(l.to, nodes)), h('td', {}, term(l.mode)),
      h('td.num', {}, fmt.km(l.distance_km)), h('td.num', {}, fmt.hours(l.moving_h)), h('td.num', {}, fmt.hours(l.wait_h)),
      h('td', {}, l.operator ? dataSpan(l.operator) : '—')))));
}

function co2Table(route, nodes) {
  return h('table.data', {},
    h('thead', {}, h('tr', {}, [t(M, 'element'), t(M, 'wtw'), t(M, 'wtt'), t(M, 'ttw')].map((c, i) => h(`th${i ? '.num' : ''}`, { scope: 'col' }, c)))),
    h('tbody', {}, route.co2e_kg.elements.map((e) => h('tr', {},
      h('td', {}, e.kind === 'hub' ? where(e.element, nodes) : h('span', { lang: 'en', class: 'data' }, e.element), estMark(e)),
      h('td.num', {}, fmt.num(e.wtw, 1)), h('td.num', {}, fmt.num(e.wtt, 1)), h('td.num', {}, fmt.num(e.ttw, 1))))));
}

export function card(route, i, nodes, { selected, onShow, onBook, canBook }) {
  const c = route.cost_usd;
  const missing = c.lines.filter((l) => l.missing);
  return h(`article.alt${selected ? '.selected' : ''}`, { 'aria-labelledby': `alt-${i}`, 'data-complete': String(c.complete) },
    h('h3', { id: `alt-${i}` }, `${t(M, 'option', { n: i + 1 })}: `, title(route, nodes)),
    h('div.kpis', {},
      kpi(t(M, 'p50'), fmt.hours(route.time_h.p50)),
      kpi(t(M, 'p90'), fmt.hours(route.time_h.p90)),
      route.arrival ? kpi(t(M, 'arrive50'), fmt.date(route.arrival.p50)) : null,
      route.arrival ? kpi(t(M, 'arrive90'), fmt.date(route.arrival.p90)) : null,
      kpi(`${t(M, 'cost')} · ${t(M, 'range', { low: fmt.usd(c.low), high: fmt.usd(c.high) })}`, usdTotal(c)),
      kpi(`${t(M, 'co2')} · ${t(M, 'co2split', { wtt: kg(route.co2e_kg.wtt), ttw: kg(route.co2e_kg.ttw) })}`, kg(route.co2e_kg.wtw)),
      kpi(t(M, 'distance'), fmt.km(route.distance_km))),
    missing.length ? h('p.incomplete', {}, t(M, 'incomplete', { items: missing.map((l) => term(l.item)).join(', ') })) : null,
    stageBar(route),
    h('div.actions', {},
      h('button.secondary', { type: 'button', 'aria-pressed': selected ? 'true' : 'false', onclick: onShow }, selected ? t(M, 'shown') : t(M, 'show')),
      canBook ? h('button.primary.book', { type: 'button', onclick: onBook }, t(M, 'book')) : null),
    h('details', {}, h('summary', {}, t(M, 'lines')), costTable(route, nodes)),
    h('details', {}, h('summary', {}, t(M, 'legs')), legTable(route, nodes)),
    h('details', {}, h('summary', {}, t(M, 'emissions')), co2Table(route, nodes)));
}

export function comparison(routes, nodes) {
  const rows = [
    [t(M, 'p50'), (r) => fmt.hours(r.time_h.p50)], [t(M, 'p90'), (r) => fmt.hours(r.time_h.p90)],
    [t(M, 'cost'), (r) => usdTotal(r.cost_usd)], [t(M, 'low'), (r) => fmt.usd(r.cost_usd.low)], [t(M, 'high'), (r) => fmt.usd(r.cost_usd.high)],
    [t(M, 'co2'), (r) => kg(r.co2e_kg.wtw)], [t(M, 'distance'), (r) => fmt.km(r.distance_km)],
    [t(M, 'modes'), (r) => [...new Set(r.legs.map((l) => term(l.mode)))].join(', ')],
  ];
  if (routes.some((r) => r.arrival)) rows.splice(2, 0, [t(M, 'arrive50'), (r) => (r.arrival ? fmt.date(r.arrival.p50) : '—')]);
  return h('table.data.compare', {},
    h('caption', {}, t(M, 'compare')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t(M, 'measure')), routes.map((r, i) => h('th.num', { scope: 'col' }, t(M, 'option', { n: i + 1 }))))),
    h('tbody', {}, rows.map(([label, f]) => h('tr', {}, h('th', { scope: 'row' }, label), routes.map((r) => h('td.num', {}, f(r)))))));
}

export function quoteCsv(result) {
  const rows = [['option', 'label', 'p50_h', 'p90_h', 'item', 'where', 'operator', 'country', 'amount_usd', 'low_usd', 'high_usd', 'estimate', 'missing', 'basis']];
  result.routes.forEach((r, i) => {
    for (const l of r.cost_usd.lines) {
      rows.push([i + 1, r.label, r.time_h.p50, r.time_h.p90, l.item, l.where, l.operator, l.country, l.amount, l.low, l.high, l.estimate, l.missing, l.basis]);
    }
  });
  return rows;
}
