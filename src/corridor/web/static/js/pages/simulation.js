// Simulation: start a job, follow its progress, then transit-time distributions, port backlog over
// time with the closure seasons shaded, sailings per service, and the tables as CSV.
import { h, jobError, data, num, pct, section, table, field, select, status, waitJob, progressBar, csvLink, lang, failed, demandChoice, place, placeText, loadPlaces, requireRole } from './wb.js';
import { bars, lines, histogram, captioned } from '../chart.js';

const messages = {
  en: {
    title: 'Simulation',
    intro: 'Run the corridor day by day with random dwell, sailings and storms; replications give the spread of outcomes.',
    demand: 'Demand set', scenario: 'Scenario', none: 'none (the demand set on the bundled network)',
    days: 'Days simulated', warmup: 'Warm-up days', replications: 'Replications', seed: 'Random seed',
    start: 'Start the simulation', cancel: 'Cancel', cancelled: 'The simulation was cancelled.',
    progress: 'Replication {done} of {total}', failed: 'The simulation failed', queued: 'Waiting for a worker…',
    'phase.loading': 'Step 1 of 5: loading the network and demand…', 'phase.assignment': 'Step 2 of 5: assigning the flows to paths…',
    'phase.layout': 'Step 3 of 5: laying out the model…', 'phase.replications': 'Step 4 of 5: replication {done} of {total}',
    'phase.summary': 'Step 5 of 5: summarising the replications…',
    generated: 'Generated', delivered: 'Delivered', inSystem: 'Still under way at the end', teu: 'TEU',
    stages: 'Where the time goes', stagesChart: 'Mean hours per TEU by stage',
    'stage.origin': 'origin', 'stage.rail': 'rail', 'stage.road': 'road', 'stage.border': 'border', 'stage.gauge_change': 'gauge change',
    'stage.port': 'port handling', 'stage.port_wait': 'waiting at port', 'stage.sailing': 'sailing', 'stage.pipeline': 'pipeline', 'stage.other': 'other',
    distributions: 'Transit times', od: 'Route', p50: 'P50, days', p90: 'P90, days', mean: 'Mean, days', steady: 'Steady',
    yes: 'yes', no: 'no — {n} {unit} a day left behind', t: 't',
    unsteadyNote: 'Not steady: on these routes more arrives than is delivered, so their times grow with the length of the run and are not quoted (—). A longer run, with a warm-up, tells whether they settle.',
    portUnsteady: 'Not steady: the backlog’s low point rises by {n} a day.', histogram: 'Distribution of transit time, {od}: share of TEU by hours in transit', hours: 'hours', showOd: 'Distribution for',
    backlog: 'Port backlog over time', backlogChart: 'Mean backlog at {port}, TEU, by day; shaded: closure season (darker = closed more often)',
    closureLegend: 'Closure seasons', closedShare: '{share} of the time closed',
    services: 'Sailings per service', service: 'Service', fleet: 'Vessels', sailingsOut: 'Sailings out', sailingsBack: 'Sailings back',
    fillOut: 'Fill out', waitOut: 'Wait for departure, h', fleetUse: 'Fleet utilisation', sailingsChart: 'Sailings in the window, outbound',
    mk50: 'P50', mk90: 'P90', cargo: 'Cargo', 'c.container': 'containers', 'c.general': 'general cargo', 'c.liquid': 'liquid bulk', 'c.bulk': 'dry bulk',
    day: 'day', csv: 'Download tables (CSV)', csvOd: 'routes', csvPorts: 'port backlog by day', csvServices: 'services', csvNodes: 'terminals',
    offline: 'Not available offline',
  },
  ru: {
    title: 'Моделирование',
    intro: 'Пошаговая модель коридора со случайными простоями, рейсами и штормами; повторные прогоны показывают разброс результатов.',
    demand: 'Набор спроса', scenario: 'Сценарий', none: 'нет (набор спроса на встроенной сети)',
    days: 'Моделируемых дней', warmup: 'Дней разгона', replications: 'Повторных прогонов', seed: 'Начальное число генератора',
    start: 'Запустить моделирование', cancel: 'Отменить', cancelled: 'Моделирование отменено.',
    progress: 'Прогон {done} из {total}', failed: 'Моделирование не удалось', queued: 'Ожидание свободного исполнителя…',
    'phase.loading': 'Шаг 1 из 5: загрузка сети и спроса…', 'phase.assignment': 'Шаг 2 из 5: распределение потоков по маршрутам…',
    'phase.layout': 'Шаг 3 из 5: построение модели…', 'phase.replications': 'Шаг 4 из 5: прогон {done} из {total}',
    'phase.summary': 'Шаг 5 из 5: сводка по прогонам…',
    generated: 'Поступило', delivered: 'Доставлено', inSystem: 'В пути на конец периода', teu: 'ДФЭ',
    stages: 'Из чего складывается время', stagesChart: 'Среднее время на ДФЭ по этапам, ч',
    'stage.origin': 'отправление', 'stage.rail': 'железная дорога', 'stage.road': 'автодорога', 'stage.border': 'граница', 'stage.gauge_change': 'смена колеи',
    'stage.port': 'обработка в порту', 'stage.port_wait': 'ожидание в порту', 'stage.sailing': 'переход морем', 'stage.pipeline': 'трубопровод', 'stage.other': 'прочее',
    distributions: 'Время в пути', od: 'Маршрут', p50: 'Медиана, сут', p90: '90-й процентиль, сут', mean: 'Среднее, сут', steady: 'Устойчиво',
    yes: 'да', no: 'нет — остаётся {n} {unit} в сутки', t: 'т',
    unsteadyNote: 'Неустойчиво: на этих маршрутах поступает больше, чем доставляется, поэтому время в пути растёт с длиной прогона и не приводится (—). Более длинный прогон с разгоном покажет, установится ли оно.',
    portUnsteady: 'Неустойчиво: минимум очереди растёт на {n} в сутки.', histogram: 'Распределение времени в пути, {od}: доля ДФЭ по часам в пути', hours: 'часы', showOd: 'Распределение для',
    backlog: 'Очередь в портах по дням', backlogChart: 'Средняя очередь в порту {port}, ДФЭ, по дням; затенение — сезон закрытий (темнее — закрыт чаще)',
    closureLegend: 'Сезоны закрытий', closedShare: 'закрыт {share} времени',
    services: 'Рейсы по линиям', service: 'Линия', fleet: 'Судов', sailingsOut: 'Рейсов туда', sailingsBack: 'Рейсов обратно',
    fillOut: 'Загрузка туда', waitOut: 'Ожидание отправления, ч', fleetUse: 'Использование флота', sailingsChart: 'Рейсов за период, туда',
    mk50: 'медиана', mk90: '90 %', cargo: 'Груз', 'c.container': 'контейнеры', 'c.general': 'генеральный груз', 'c.liquid': 'наливной груз', 'c.bulk': 'навалочный груз',
    day: 'день', csv: 'Скачать таблицы (CSV)', csvOd: 'маршруты', csvPorts: 'очереди в портах по дням', csvServices: 'линии', csvNodes: 'терминалы',
    offline: 'Недоступно без сети',
  },
};

// The phases a simulation job reports (corridor.service.job_kinds.SIM_PHASES), in order.
const PHASES = ['loading', 'assignment', 'layout', 'replications', 'summary'];

function m(key, params = {}) {
  const text = messages[lang()][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? '');
}

const kpi = (big, small) => h('div', { class: 'kpi' }, h('strong', { class: 'v' }, big), h('span', { class: 'k' }, small));

const unitWord = (unit) => (unit === 't' ? m('t') : m('teu'));

// A port's queue in TEU and in tonnes: either may grow (steady_teu / steady_t, or the older single
// flag); the caption says which and by how much a day.
function portGrowth(p) {
  const parts = [];
  if (p.steady_teu === false || (p.steady_teu === undefined && p.steady === false && p.growth_teu_per_day > 0)) parts.push(`${num(p.growth_teu_per_day)} ${m('teu')}`);
  if (p.steady_t === false || (p.steady_t === undefined && p.steady === false && p.growth_t_per_day > 0)) parts.push(`${num(p.growth_t_per_day)} ${m('t')}`);
  if (!parts.length && p.steady === false) parts.push(`${num(p.growth_teu_per_day)} ${m('teu')}`);
  return parts.length ? m('portUnsteady', { n: parts.join(', ') }) : null;
}

function odLabel(ctx, o) {
  return `${placeText(o.origin)} → ${placeText(o.destination)}`;
}

function distributions(ctx, r) {
  const ods = r.od.filter((o) => o.histogram?.share?.length);
  const chartBox = h('div', { class: 'chart-box' });
  const pick = select(ods.map((o, i) => [String(i), `${odLabel(ctx, o)} (${messages.en[`c.${o.cargo}`] ? m(`c.${o.cargo}`) : o.cargo})`]), '0');
  const draw = () => {
    const o = ods[Number(pick.value)];
    if (!o) return;
    const bin = o.histogram.bin_h;
    chartBox.replaceChildren(
      captioned(histogram(o.histogram.share.map((share, i) => ({ x: i * bin, width: bin, value: share })), {
        label: m('histogram', { od: odLabel(ctx, o) }),
        xLabel: m('hours'),
        markers: [
          { x: o.time_h.p50, label: m('mk50') },
          { x: o.time_h.p90, label: m('mk90') },
        ],
      })),
    );
  };
  pick.addEventListener('change', draw);
  const sec = section(
    m('distributions'),
    table(m('distributions'), [
      { key: 'od', label: m('od'), render: (o) => odLabel(ctx, o) },
      { key: 'cargo', label: m('cargo'), render: (o) => (messages.en[`c.${o.cargo}`] ? m(`c.${o.cargo}`) : data(o.cargo)) },
      // a flow that is not steady has no steady-state time: '—', as the CLI and report say 'not steady'
      { key: 'p50', label: m('p50'), num: true, render: (o) => (o.steady ? num(o.time_d?.p50, 1) : '—') },
      { key: 'p90', label: m('p90'), num: true, render: (o) => (o.steady ? num(o.time_d?.p90, 1) : '—') },
      { key: 'mean', label: m('mean'), num: true, render: (o) => (o.steady ? num(o.time_d?.mean, 1) : '—') },
      { key: 'steady', label: m('steady'), render: (o) => (o.steady ? m('yes') : m('no', { n: num(o.backlog_growth_per_day), unit: unitWord(o.unit) })) },
    ], r.od),
    r.od.some((o) => !o.steady) ? h('p', { class: 'hint unsteady' }, m('unsteadyNote')) : null,
    ods.length ? field(m('showOd'), pick) : null,
    chartBox,
  );
  draw();
  return sec;
}

function backlog(ctx, r, calendar) {
  const closures = calendar?.closures ?? [];
  return section(
    m('backlog'),
    r.ports.map((p) => {
      const own = closures.filter((c) => c.target === p.node && c.periods.length);
      return h(
        'figure',
        { class: 'chart-figure backlog' },
        lines([{ label: placeText(p.node), values: p.daily_mean_teu }], {
          label: m('backlogChart', { port: placeText(p.node) }),
          xLabel: m('day'),
          shaded: own.flatMap((c) => c.periods.map(([start, end]) => ({ start, end, opacity: Math.min(0.15 + c.closed_share, 0.7), title: m('closedShare', { share: pct(c.closed_share) }) }))),
        }),
        h('figcaption', {}, m('backlogChart', { port: placeText(p.node) }),
          portGrowth(p) ? [h('br'), h('strong', { class: 'unsteady' }, portGrowth(p))] : null,
          own.length
          ? [h('br'), `${m('closureLegend')}: `, own.map((c, i) => [i ? '; ' : '', data(c.id, { id: true }), ` — ${m('closedShare', { share: pct(c.closed_share) })}`])]
          : null),
      );
    }),
  );
}

function services(ctx, r) {
  return section(
    m('services'),
    captioned(bars(r.services.map((s) => ({ label: placeText(s.service), value: s.sailings.out, data: typeof place(s.service) !== 'string' })), { label: m('sailingsChart'), format: (v) => num(v, 1), horizontal: true })),
    table(m('services'), [
      { key: 'service', label: m('service'), render: (s) => place(s.service) },
      { key: 'fleet', label: m('fleet'), num: true },
      { key: 'out', label: m('sailingsOut'), num: true, render: (s) => num(s.sailings.out, 1) },
      { key: 'back', label: m('sailingsBack'), num: true, render: (s) => num(s.sailings.back, 1) },
      { key: 'fill', label: m('fillOut'), num: true, render: (s) => pct(s.fill_rate.out) },
      { key: 'wait', label: m('waitOut'), num: true, render: (s) => num(s.wait_h.out, 1) },
      { key: 'use', label: m('fleetUse'), num: true, render: (s) => pct(s.fleet_utilisation.value) },
    ], r.services),
  );
}

async function drawResult(ctx, out, jobId, params) {
  const r = await ctx.api.get(`/v1/jobs/${jobId}/result`);
  const q = new URLSearchParams({ days: String(r.days) });
  if (params.scenario) q.set('scenario', params.scenario);
  let calendar = null;
  try {
    calendar = await ctx.api.get(`/v1/closure-calendar?${q}`);
  } catch {
    calendar = null; // the backlog is drawn without the shading
  }
  const stageKeys = Object.keys(r.stages);
  out.replaceChildren(
    h('div', { class: 'kpis' },
      kpi(`${num(r.generated.teu)} ${m('teu')}`, m('generated')),
      kpi(`${num(r.delivered.teu)} ${m('teu')}`, m('delivered')),
      kpi(`${num(r.in_system.teu)} ${m('teu')}`, m('inSystem'))),
    section(m('stages'), captioned(bars(stageKeys.map((k) => ({ label: m(`stage.${k}`), value: r.stages[k] })), { label: m('stagesChart'), format: (v) => num(v, 1), horizontal: true }))),
    distributions(ctx, r),
    r.ports.length ? backlog(ctx, r, calendar) : null,
    r.services.length ? services(ctx, r) : null,
    h('p', { class: 'downloads' }, m('csv'), ' ',
      ['od', 'ports', 'services', 'nodes'].filter((t) => r[t]?.length).map((t) => [csvLink(jobId, t, m(`csv${t === 'od' ? 'Od' : t[0].toUpperCase() + t.slice(1)}`)), ' '])),
  );  // prettier-ignore
}

export default {
  id: 'simulation',
  async render(root, params, ctx) {
    root.replaceChildren(h('h1', {}, m('title')), h('p', {}, m('intro')));
    const note = status(root);
    await loadPlaces(ctx).catch(() => null);
    const { demand, scenario } = await demandChoice(ctx, note, params, { offline: m('offline'), none: m('none') });
    const numInput = (value, min, max) => h('input', { type: 'number', min, max, step: '1', value, inputmode: 'numeric' });
    const days = numInput(params.days || '90', '1', '3650');
    const warmup = numInput(params.warmup_days || '30', '0', '3650');
    const reps = numInput(params.replications || '10', '1', '10000');
    const seed = numInput(params.seed || '0', '0', '999999999');
    const startBtn = h('button', { type: 'submit' }, m('start'));
    const cancelBtn = h('button', { type: 'button', class: 'secondary', hidden: true }, m('cancel'));
    const bar = progressBar(m('progress', { done: 0, total: 0 }));
    bar.el.hidden = true;
    // what the job is doing, beside the bar (the status line above says it to screen readers)
    const phaseText = h('p', { class: 'hint sim-phase', 'aria-hidden': 'true', hidden: true });
    const out = h('div', { class: 'result' });
    const form = h('form', { class: 'toolbar', novalidate: true },
      field(m('demand'), demand), field(m('scenario'), scenario), field(m('days'), days), field(m('warmup'), warmup),
      field(m('replications'), reps), field(m('seed'), seed), startBtn, cancelBtn);  // prettier-ignore
    root.append(form, requireRole(ctx, 'analyst', startBtn) || '', bar.el, phaseText, out);
    let current = null;
    cancelBtn.addEventListener('click', async () => {
      if (current) await ctx.api.post(`/v1/jobs/${current}/cancel`, {});
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { demand: demand.value, days: Number(days.value), warmup_days: Number(warmup.value), replications: Number(reps.value), seed: Number(seed.value) };
      if (scenario.value) body.scenario = scenario.value;
      note.className = 'status';
      try {
        const job = await ctx.api.post('/v1/simulations', body);
        current = job.id;
        bar.el.hidden = false;
        phaseText.hidden = false;
        cancelBtn.hidden = false;
        startBtn.disabled = true;
        const done = await waitJob(ctx.api, job, (d, t, state, phase) => {
          bar.set(d, t);
          // the job says its phase (as corridor simulate --progress does); an older server only counts
          const counts = { done: num(d), total: num(t) };
          note.textContent = state === 'queued' ? m('queued') : PHASES.includes(phase) ? m(`phase.${phase}`, counts) : m('progress', counts);
          phaseText.textContent = note.textContent;
          phaseText.dataset.phase = state === 'queued' ? '' : phase || '';
        });
        if (done.state === 'cancelled') {
          note.textContent = m('cancelled');
          return;
        }
        if (done.state !== 'succeeded') throw jobError(done);
        note.textContent = '';
        ctx.setParams({ ...body, job: done.id });
        await drawResult(ctx, out, done.id, body);
      } catch (err) {
        failed(ctx, note, m('failed'), err);
      } finally {
        bar.el.hidden = true;
        phaseText.hidden = true;
        cancelBtn.hidden = true;
        startBtn.disabled = false;
        current = null;
      }
    });
    if (params.job) {
      try {
        await drawResult(ctx, out, params.job, params);
      } catch (err) {
        failed(ctx, note, m('failed'), err);
      }
    }
  },
};
