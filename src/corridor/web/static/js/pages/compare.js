// Compare & appraise: pick scenarios (the first is the base); a comparison job gives the table and
// charts, an appraisal job the yearly lines, the tornado of drivers and the NPV distribution.
import { h, jobError, data, num, pct, money, section, table, field, select, status, waitJob, progressBar, lang, failed, placeText, loadPlaces, requireRole } from './wb.js';
import { bars, lines, tornado, intervals, histogram, captioned } from '../chart.js';

const messages = {
  en: {
    title: 'Compare & appraise',
    intro: 'Pick two or more scenarios. The first one you pick is the base every other is measured against.',
    pick: 'Scenarios', base: 'base', compare: 'Compare', appraise: 'Appraise the investments', running: 'Computing…', step: 'Computing… step {done} of {total} (scenario runs, appraisal years, batches of Monte Carlo draws)',
    failed: 'The job failed', needTwo: 'Pick at least two scenarios to compare, one to appraise.', order: 'Order: {list}',
    table: 'Comparison', metric: 'Measure', unit: 'Unit', delta: 'Change', chartOf: 'Chart', metricChart: '{metric} by scenario, {unit}',
    appraisal: 'Appraisal', scenario: 'Scenario', enpv: 'Economic NPV', bcr: 'Benefit–cost ratio', eirr: 'Economic IRR', fnpv: 'Financial NPV',
    firr: 'Financial IRR', payback: 'Payback year', pNeg: 'Chance NPV < 0', capex: 'Capital cost', dominant: 'Largest benefit',
    yearly: 'Yearly net economic benefit', yearlyChart: 'Net economic benefit by year, USD m', year: 'Year', teuChange: 'Extra TEU',
    producer: 'Operator benefit', co2: 'Carbon value', opex: 'Operating cost', net: 'Net benefit',
    tornado: 'What moves the NPV', tornadoChart: 'Economic NPV, USD m, with each driver at its low and high value', low: 'low', high: 'high',
    npv: 'NPV distribution', npvChart: 'Economic NPV, USD m: 10th–90th percentile (Monte Carlo), median marked',
    histChart: 'Economic NPV of {n} Monte Carlo draws, USD m (share of draws per bar)', usdM: 'USD m', median: 'median',
    show: 'Show', offline: 'Not available offline',
    'k.served_teu': 'containers the corridor carries', 'k.unserved_teu': 'containers the corridor does not carry', 'k.diverted_teu': '… of which go by other routes', 'k.not_moved_teu': '… of which do not move at all',
    'k.served_t': 'tonnes the corridor carries', 'k.unserved_t': 'tonnes the corridor does not carry', 'k.max_growth': 'maximum growth', 'k.mean_days': 'mean transit days',
    'k.common_teu': 'volume common to all', 'k.common_days': 'mean days, common volume', 'k.p50': 'median days', 'k.p90': '90th percentile days',
    'k.cost': 'cost per unit', 'k.co2e': 'CO2e per unit',
    'd.carbon': 'carbon price', 'd.demand': 'demand', 'd.capex': 'capital cost', 'd.opex': 'operating cost', 'd.discount': 'discount rate',
    'd.value_of_time': 'value of time', 'd.tariff': 'tariff', 'd.ramp_up': 'ramp-up', 'd.lifetime': 'lifetime', 'd.discount_rate': 'discount rate', 'd.margin': 'operator margin',
  },
  ru: {
    title: 'Сравнение и оценка',
    intro: 'Выберите два сценария или больше. Первый выбранный — базовый, с ним сравниваются остальные.',
    pick: 'Сценарии', base: 'базовый', compare: 'Сравнить', appraise: 'Оценить инвестиции', running: 'Идёт расчёт…', step: 'Идёт расчёт… шаг {done} из {total} (расчёты сценариев, годы оценки, серии розыгрышей Монте-Карло)',
    failed: 'Задание не выполнено', needTwo: 'Для сравнения выберите не меньше двух сценариев, для оценки — хотя бы один.', order: 'Порядок: {list}',
    table: 'Сравнение', metric: 'Показатель', unit: 'Единица', delta: 'Изменение', chartOf: 'Диаграмма', metricChart: '{metric} по сценариям, {unit}',
    appraisal: 'Оценка', scenario: 'Сценарий', enpv: 'Экономическая ЧПС', bcr: 'Отношение выгод к затратам', eirr: 'Экономическая ВНД', fnpv: 'Финансовая ЧПС',
    firr: 'Финансовая ВНД', payback: 'Год окупаемости', pNeg: 'Вероятность ЧПС < 0', capex: 'Капитальные затраты', dominant: 'Главная выгода',
    yearly: 'Чистая экономическая выгода по годам', yearlyChart: 'Чистая экономическая выгода по годам, млн долл. США', year: 'Год', teuChange: 'Дополнительные ДФЭ',
    producer: 'Выгода операторов', co2: 'Стоимость выбросов', opex: 'Операционные затраты', net: 'Чистая выгода',
    tornado: 'Что сильнее всего влияет на ЧПС', tornadoChart: 'Экономическая ЧПС, млн долл. США, при низком и высоком значении каждого фактора', low: 'низкое', high: 'высокое',
    npv: 'Распределение ЧПС', npvChart: 'Экономическая ЧПС, млн долл. США: от 10-го до 90-го процентиля (метод Монте-Карло), отмечена медиана',
    histChart: 'Экономическая ЧПС, {n} розыгрышей Монте-Карло, млн долл. США (доля розыгрышей в столбце)', usdM: 'млн долл. США', median: 'медиана',
    show: 'Показать', offline: 'Недоступно без сети',
    'k.served_teu': 'контейнеры, перевезённые коридором', 'k.unserved_teu': 'контейнеры, не перевезённые коридором', 'k.diverted_teu': '… из них — другими маршрутами', 'k.not_moved_teu': '… из них — не перевезены вовсе',
    'k.served_t': 'тонны, перевезённые коридором', 'k.unserved_t': 'тонны, не перевезённые коридором', 'k.max_growth': 'максимальный рост', 'k.mean_days': 'среднее время в пути, сут',
    'k.common_teu': 'общий для всех объём', 'k.common_days': 'среднее время, общий объём', 'k.p50': 'медиана, сут', 'k.p90': '90-й процентиль, сут',
    'k.cost': 'стоимость на единицу', 'k.co2e': 'выбросы CO₂-экв. на единицу',
    'd.carbon': 'цена углерода', 'd.demand': 'спрос', 'd.capex': 'капитальные затраты', 'd.opex': 'операционные затраты', 'd.discount': 'ставка дисконтирования',
    'd.value_of_time': 'стоимость времени', 'd.tariff': 'тариф', 'd.ramp_up': 'выход на мощность', 'd.lifetime': 'срок службы', 'd.discount_rate': 'ставка дисконтирования', 'd.margin': 'маржа операторов',
  },
};

// The comparison's units (corridor.scenario.comparison) in the page's language; another unit is
// shown as the data's, marked untranslated.  Digits: whole TEU, tonnes, dollars and kilograms.
const UNITS = {
  en: { 'TEU/yr': 'TEU a year', 't/yr': 't a year', TEU: 'TEU', days: 'days', '×': '×', 'USD/FEU': 'USD per FEU', 'kg/TEU': 'kg per TEU' },
  ru: { 'TEU/yr': 'ДФЭ в год', 't/yr': 'т в год', TEU: 'ДФЭ', days: 'сут.', '×': '×', 'USD/FEU': 'долл. США за ФЕ', 'kg/TEU': 'кг на ДФЭ' },
};
const DIGITS = { 'TEU/yr': 0, 't/yr': 0, TEU: 0, 'USD/FEU': 0, 'kg/TEU': 0, days: 1, '×': 2 };
const unitText = (u) => UNITS[lang()]?.[u] ?? UNITS.en[u] ?? null;
const unitCell = (u) => (!u ? '' : unitText(u) ?? data(u, { id: true }));
const digits = (u) => DIGITS[u] ?? 2;

function m(key, params = {}) {
  const text = messages[lang()][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? '');
}

const has = (key) => key in messages[lang()];

function metricLabel(ctx, row) {
  const [kind, od] = row.key.split(':');
  if (!has(`k.${kind}`)) return data(row.label);
  if (!od) return m(`k.${kind}`);
  const [a, b] = od.split('→');
  return `${m(`k.${kind}`)}: ${placeText(a)} → ${placeText(b)}`;
}

const driver = (d) => (has(`d.${d.driver}`) ? m(`d.${d.driver}`) : d.label);
const usdM = (x) => (x === null || x === undefined ? null : x / 1e6);

function comparison(ctx, r) {
  const names = r.scenarios.map((s) => s.scenario);
  const chartBox = h('div', { class: 'chart-box' });
  const pick = select(r.table.map((row, i) => [String(i), typeof metricLabel(ctx, row) === 'string' ? metricLabel(ctx, row) : row.label]), '0');
  const draw = () => {
    const row = r.table[Number(pick.value)];
    const label = metricLabel(ctx, row);
    chartBox.replaceChildren(
      captioned(bars(names.map((n) => ({ label: n, value: row.values[n] ?? 0 })), {
        label: m('metricChart', { metric: typeof label === 'string' ? label : row.label, unit: unitText(row.unit) ?? row.unit ?? '' }),
        format: (v) => num(v, digits(row.unit)),
        labelLang: 'en',
      })),
    );
  };
  pick.addEventListener('change', draw);
  const cols = [
    { key: 'label', label: m('metric'), render: (row) => metricLabel(ctx, row) },
    { key: 'unit', label: m('unit'), render: (row) => unitCell(row.unit) },
    ...names.map((n) => ({ key: n, label: data(n), num: true, render: (row) => num(row.values[n], digits(row.unit)) })),
    ...names.slice(1).map((n) => ({ key: `d-${n}`, label: [m('delta'), ': ', data(n), ' − ', data(names[0])], num: true, render: (row) => num(row.delta_vs_first?.[n], digits(row.unit)) })),
  ];
  const sec = section(m('table'), table(m('table'), cols, r.table), field(m('chartOf'), pick), chartBox);
  draw();
  return sec;
}

function appraisals(ctx, list) {
  if (!list?.length) return null;
  const tornadoBox = h('div', { class: 'chart-box' });
  const pick = select(list.map((a, i) => [String(i), a.scenario]), '0');
  const drawTornado = () => {
    const a = list[Number(pick.value)];
    tornadoBox.replaceChildren(
      h('h3', {}, data(a.scenario)),
      captioned(tornado(a.tornado.map((d) => ({ label: driver(d), low: usdM(d.enpv_low), high: usdM(d.enpv_high) })), {
        label: m('tornadoChart'),
        centre: usdM(a.enpv_usd),
        format: (v) => num(v, 1),
        lowLabel: m('low'),
        highLabel: m('high'),
      })),
      yearTable(list[Number(pick.value)]),
    );
  };
  pick.addEventListener('change', drawTornado);
  const out = [
    section(
      m('appraisal'),
      table(m('appraisal'), [
        { key: 'scenario', label: m('scenario'), render: (a) => data(a.scenario) },
        { key: 'enpv', label: m('enpv'), num: true, render: (a) => money(a.enpv_usd) },
        { key: 'bcr', label: m('bcr'), num: true, render: (a) => num(a.bcr, 2) },
        { key: 'eirr', label: m('eirr'), num: true, render: (a) => (a.eirr === null ? '—' : pct(a.eirr, 1)) },
        { key: 'fnpv', label: m('fnpv'), num: true, render: (a) => money(a.fnpv_usd) },
        { key: 'firr', label: m('firr'), num: true, render: (a) => (a.firr === null ? '—' : pct(a.firr, 1)) },
        { key: 'payback', label: m('payback'), num: true, render: (a) => a.payback_year ?? '—' },
        { key: 'pneg', label: m('pNeg'), num: true, render: (a) => pct(a.monte_carlo?.p_enpv_negative) },
        { key: 'capex', label: m('capex'), num: true, render: (a) => money(a.capex_usd) },
      ], list),
    ),
    section(
      m('yearly'),
      captioned(lines(list.map((a) => ({ label: a.scenario, values: a.years.map((y) => usdM(y.economic_net)), x0: a.years[0]?.year ?? 0 })), {
        label: m('yearlyChart'),
        xLabel: m('year'),
        labelLang: 'en',
      })),
    ),
    section(
      m('npv'),
      captioned(intervals(list.map((a) => ({ label: a.scenario, low: usdM(a.monte_carlo.enpv_p10), mid: usdM(a.monte_carlo.enpv_p50), high: usdM(a.monte_carlo.enpv_p90) })), {
        label: m('npvChart'),
        format: (v) => num(v, 1),
        zero: true,
        labelLang: 'en',
      })),
      list.filter((a) => a.monte_carlo?.histogram).map((a) => {
        const { edges, counts } = a.monte_carlo.histogram;
        const total = counts.reduce((x, y) => x + y, 0) || 1;
        return [h('h3', {}, data(a.scenario)), captioned(histogram(counts.map((c, i) => ({ x: usdM(edges[i]), width: usdM(edges[i + 1] - edges[i]), value: c / total })), {
          label: m('histChart', { n: num(a.monte_carlo.replications) }),
          xLabel: m('usdM'),
          markers: [{ x: usdM(a.monte_carlo.enpv_p50), label: m('median') }, ...(edges[0] < 0 && edges[edges.length - 1] > 0 ? [{ x: 0, label: '0' }] : [])],
        }))];
      }),
    ),
    section(m('tornado'), field(m('show'), pick), tornadoBox),
  ];
  drawTornado();
  return out;
}

function yearTable(a) {
  return table(m('yearly'), [
    { key: 'year', label: m('year') },
    { key: 'teu', label: m('teuChange'), num: true, render: (y) => num(y.teu_change) },
    { key: 'producer', label: m('producer'), num: true, render: (y) => money(y.producer) },
    { key: 'co2', label: m('co2'), num: true, render: (y) => money(y.co2e_value) },
    { key: 'capex', label: m('capex'), num: true, render: (y) => money(y.capex) },
    { key: 'opex', label: m('opex'), num: true, render: (y) => money(y.opex) },
    { key: 'net', label: m('net'), num: true, render: (y) => money(y.economic_net) },
  ], a.years);
}

export default {
  id: 'compare',
  async render(root, params, ctx) {
    root.replaceChildren(h('h1', {}, m('title')), h('p', {}, m('intro')));
    const note = status(root);
    await loadPlaces(ctx).catch(() => null);
    let list = [];
    try {
      list = await ctx.api.get('/v1/scenarios');
    } catch (err) {
      failed(ctx, note, m('offline'), err);
    }
    const chosen = (params.scenarios || '').split(',').filter(Boolean);
    const order = h('p', { class: 'hint', 'aria-live': 'polite' });
    const boxes = list.map((s) => {
      const box = h('input', { type: 'checkbox', value: s.id, checked: chosen.includes(s.id), id: `cmp-${s.id}` });
      box.addEventListener('change', () => {
        if (box.checked) chosen.push(s.id);
        else chosen.splice(chosen.indexOf(s.id), 1);
        showOrder();
      });
      return h('li', {}, box, ' ', h('label', { for: box.id }, data(s.name)));
    });
    const showOrder = () => {
      order.replaceChildren(chosen.length ? m('order', { list: '' }) : '', ...chosen.flatMap((id, i) => [i ? ', ' : '', data(list.find((s) => s.id === id)?.name || id), i === 0 ? ` (${m('base')})` : '']));
    };
    showOrder();
    const bar = progressBar(m('running'));
    bar.el.hidden = true;
    const out = h('div', { class: 'result' });
    const run = async (kind) => {
      if (chosen.length < (kind === 'compare' ? 2 : 1)) {
        note.className = 'status error';
        note.textContent = m('needTwo');
        return;
      }
      note.className = 'status';
      note.textContent = m('running');
      bar.el.hidden = false;
      try {
        const job = await ctx.api.post(kind === 'compare' ? '/v1/comparisons' : '/v1/appraisals', { scenarios: chosen.map((scenario) => ({ scenario })) });
        const done = await waitJob(ctx.api, job, (d, t) => {
          bar.set(d, t);
          if (t > 1) note.textContent = m('step', { done: d, total: t });
        });
        if (done.state !== 'succeeded') throw jobError(done);
        ctx.setParams({ scenarios: chosen.join(','), [kind]: done.id });
        await show(kind, done.id);
        note.textContent = '';
      } catch (err) {
        failed(ctx, note, m('failed'), err);
      } finally {
        bar.el.hidden = true;
      }
    };
    const show = async (kind, jobId) => {
      const r = await ctx.api.get(`/v1/jobs/${jobId}/result`);
      if (kind === 'compare') out.replaceChildren(comparison(ctx, r), ...(appraisals(ctx, r.appraisals) || []));
      else out.replaceChildren(...(appraisals(ctx, r.appraisals || r.ranking) || []));
    };
    const compareBtn = h('button', { type: 'button', onclick: () => run('compare') }, m('compare'));
    const appraiseBtn = h('button', { type: 'button', class: 'secondary', onclick: () => run('appraise') }, m('appraise'));
    root.append(
      h('fieldset', { class: 'card' }, h('legend', {}, m('pick')), h('ul', { class: 'checklist' }, boxes), order),
      h('div', { class: 'toolbar' }, compareBtn, appraiseBtn),
      requireRole(ctx, 'analyst', compareBtn, appraiseBtn) || '',
      bar.el,
      out,
    );  // prettier-ignore
    for (const kind of ['compare', 'appraise']) {
      if (params[kind]) {
        try {
          await show(kind, params[kind]);
        } catch (err) {
          failed(ctx, note, m('failed'), err);
        }
      }
    }
  },
};
