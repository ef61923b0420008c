// Capacity & bottlenecks: a capacity run (job) on a demand set or a scenario; utilisation map,
// carried / diverted / not moved, the binding assets with their shadow prices, maximum growth.
import { h, jobError, data, num, pct, money, section, table, field, status, waitJob, progressBar, csvLink, lang, failed, demandChoice, place, placeText, loadPlaces, rememberServices, requireRole } from './wb.js';
import { bars, captioned } from '../chart.js';
import { flowMap } from './wbmap.js';
import { removeMap } from '../map.js';

const messages = {
  en: {
    title: 'Capacity & bottlenecks',
    intro: 'Assign a year’s demand to the network: what is carried, what diverts to other routes, what does not move, and which asset binds.',
    demand: 'Demand set', scenario: 'Scenario', none: 'none (the demand set on the bundled network)', growth: 'Demand multiplier',
    growthHint: '1 = the demand set as published; 1.5 = half as much again',
    run: 'Run the assignment', running: 'Assigning… {done} of {total}', failed: 'The run failed',
    carried: 'Carried', diverted: 'Diverted to other routes', notMoved: 'Not moved', maxGrowth: 'Maximum growth',
    maxGrowthHint: 'demand can grow ×{x} before an asset is full', cost: 'Transport cost', meanH: 'Mean hours per TEU',
    teu: 'TEU', t: 't', map: 'Utilisation map', mapHint: 'Colour: utilisation of the link’s binding capacity; width: container flow.',
    bottlenecks: 'Bottlenecks', bottlenecksHint: 'Assets at or near capacity. The shadow price is what one more TEU of capacity would save a year.',
    growthCut: 'What stops further growth', asset: 'Asset', kind: 'Kind', capacity: 'Capacity', flow: 'Flow', utilisation: 'Utilisation',
    shadow: 'Shadow price, USD per TEU', basis: 'Capacity basis', share: 'Share',
    links: 'Busiest links', linksChart: 'Utilisation of the busiest links, % of the binding capacity (red: full)', ods: 'Origin–destination pairs',
    origin: 'From', destination: 'To', cargo: 'Cargo', demanded: 'Demand', carriedCol: 'Carried', divertedCol: 'Diverted', notMovedCol: 'Not moved',
    csv: 'Download tables (CSV)', csvLinks: 'links', csvConstraints: 'constraints', csvOds: 'origin–destination pairs',
    noBottleneck: 'No asset is at capacity.', node: 'node', link: 'link', service: 'service',
    container: 'container', general: 'general', liquid: 'liquid', bulk: 'bulk',
    offline: 'Not available offline',
    pickRun: 'Choose a demand set and, if you like, a scenario, then run the assignment: the result and its map appear here.',
  },
  ru: {
    title: 'Пропускная способность и узкие места',
    intro: 'Распределение годового спроса по сети: что перевозится, что уходит на другие маршруты, что не перевозится и какой объект ограничивает поток.',
    demand: 'Набор спроса', scenario: 'Сценарий', none: 'нет (набор спроса на встроенной сети)', growth: 'Множитель спроса',
    growthHint: '1 — опубликованный спрос; 1,5 — в полтора раза больше',
    run: 'Рассчитать распределение', running: 'Расчёт… {done} из {total}', failed: 'Расчёт не удался',
    carried: 'Перевезено', diverted: 'Ушло на другие маршруты', notMoved: 'Не перевезено', maxGrowth: 'Максимальный рост',
    maxGrowthHint: 'спрос может вырасти в {x} раза, прежде чем объект заполнится', cost: 'Транспортные расходы', meanH: 'Среднее время на ДФЭ, ч',
    teu: 'ДФЭ', t: 'т', map: 'Карта загрузки', mapHint: 'Цвет — загрузка ограничивающей мощности участка; толщина — поток контейнеров.',
    bottlenecks: 'Узкие места', bottlenecksHint: 'Объекты на пределе мощности. Теневая цена — годовая экономия от ещё одного ДФЭ мощности.',
    growthCut: 'Что ограничивает дальнейший рост', asset: 'Объект', kind: 'Тип', capacity: 'Мощность', flow: 'Поток', utilisation: 'Загрузка',
    shadow: 'Теневая цена, долл. США за ДФЭ', basis: 'Основание мощности', share: 'Доля',
    links: 'Самые загруженные участки', linksChart: 'Загрузка самых загруженных участков, % ограничивающей мощности (красным — заполнены)', ods: 'Пары отправления и назначения',
    origin: 'Откуда', destination: 'Куда', cargo: 'Груз', demanded: 'Спрос', carriedCol: 'Перевезено', divertedCol: 'На других маршрутах', notMovedCol: 'Не перевезено',
    csv: 'Скачать таблицы (CSV)', csvLinks: 'участки', csvConstraints: 'ограничения', csvOds: 'пары отправления и назначения',
    noBottleneck: 'Ни один объект не загружен полностью.', node: 'узел', link: 'участок', service: 'линия',
    container: 'контейнеры', general: 'генеральный', liquid: 'наливной', bulk: 'навалочный',
    offline: 'Недоступно без сети',
    pickRun: 'Выберите набор спроса и при желании сценарий, затем запустите расчёт: здесь появятся результат и карта.',
  },
};

function m(key, params = {}) {
  const text = messages[lang()][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? '');
}

const kpi = (big, small) => h('div', { class: 'kpi' }, h('strong', { class: 'v' }, big), h('span', { class: 'k' }, small));


function summary(r) {
  const s = r.totals;
  return h(
    'div',
    { class: 'kpis' },
    kpi(`${num(s.served_teu)} ${m('teu')}`, `${m('carried')} (${pct(r.shares?.teu?.carried ?? 0)})`),
    kpi(`${num(s.diverted_teu)} ${m('teu')}`, m('diverted')),
    kpi(`${num(s.not_moved_teu)} ${m('teu')}`, m('notMoved')),
    kpi(`×${num(r.max_growth, 2)}`, m('maxGrowthHint', { x: num(r.max_growth, 2) })),
    kpi(money(s.cost_usd), m('cost')),
    kpi(num(s.mean_hours_per_teu, 0), m('meanH')),
  );
}

function constraintTable(ctx, caption, rows, withShadow = true) {
  const cols = [
    { key: 'asset', label: m('asset'), render: (c) => place(c.asset, c.name) },
    { key: 'kind', label: m('kind'), render: (c) => m(c.kind) },
    { key: 'capacity', label: m('capacity'), num: true, render: (c) => `${num(c.capacity)} ${c.unit === 't' ? m('t') : m('teu')}` },
    { key: 'flow', label: m('flow'), num: true, render: (c) => num(c.flow) },
    { key: 'utilisation', label: m('utilisation'), num: true, render: (c) => pct(c.utilisation) },
  ];
  if (withShadow) cols.push({ key: 'shadow', label: m('shadow'), num: true, render: (c) => num(c.shadow_price_per_teu, 0) });
  else cols.push({ key: 'share', label: m('share'), num: true, render: (c) => pct(c.share) });
  cols.push({ key: 'basis', label: m('basis'), render: (c) => data(c.basis || '') });
  return table(caption, cols, rows);
}

// Draws the result into `out` (replacing what was there) and resolves with its Leaflet map.
function drawResult(ctx, out, job, r) {
  rememberServices(r.services);
  const binding = r.constraints
    .filter((c) => c.utilisation >= 0.98 || c.shadow_price_per_teu > 0)
    .sort((a, b) => b.shadow_price_per_teu - a.shadow_price_per_teu || b.utilisation - a.utilisation);
  const busiest = [...r.links, ...r.services]
    .filter((l) => l.utilisation !== null)
    .sort((a, b) => b.utilisation - a.utilisation)
    .slice(0, 12);
  const mapBox = h('div', { class: 'map', role: 'img', 'aria-label': `${m('map')}. ${m('mapHint')}` });
  out.replaceChildren(
    summary(r),
    section(m('map'), h('p', { class: 'hint' }, m('mapHint')), mapBox),
    section(
      m('bottlenecks'),
      h('p', { class: 'hint' }, m('bottlenecksHint')),
      binding.length ? constraintTable(ctx, m('bottlenecks'), binding) : h('p', {}, m('noBottleneck')),
    ),
    r.growth_cut?.length ? section(m('growthCut'), constraintTable(ctx, m('growthCut'), r.growth_cut, false)) : null,
    section(
      m('links'),
      captioned(bars(
        busiest.map((l) => ({ label: placeText(l.id, l.name), value: l.utilisation, className: l.utilisation >= 0.98 ? 'binding' : '' })),
        { label: m('linksChart'), format: (v) => pct(v), horizontal: true, max: Math.max(1, ...busiest.map((l) => l.utilisation)) },
      )),
    ),
    section(
      m('ods'),
      table(m('ods'), [
        { key: 'origin', label: m('origin'), render: (o) => place(o.origin) },
        { key: 'destination', label: m('destination'), render: (o) => place(o.destination) },
        { key: 'cargo', label: m('cargo'), render: (o) => m(o.cargo) },
        { key: 'demand', label: m('demanded'), num: true, render: (o) => `${num(o.demand)} ${o.unit === 't' ? m('t') : m('teu')}` },
        { key: 'carried', label: m('carriedCol'), num: true, render: (o) => num(o.carried) },
        { key: 'diverted', label: m('divertedCol'), num: true, render: (o) => num(o.diverted) },
        { key: 'not_moved', label: m('notMovedCol'), num: true, render: (o) => num(o.not_moved) },
      ], r.ods),
    ),
    h('p', { class: 'downloads' }, m('csv'), ' ', csvLink(job.id, 'links', m('csvLinks')), ' ', csvLink(job.id, 'constraints', m('csvConstraints')), ' ', csvLink(job.id, 'ods', m('csvOds'))),
  );
  return flowMap(mapBox, ctx, r);
}

export default {
  id: 'capacity',
  async render(root, params, ctx) {
    root.replaceChildren(h('h1', {}, m('title')), h('p', {}, m('intro')));
    const note = status(root);
    await loadPlaces(ctx).catch(() => null);
    const { demand, scenario } = await demandChoice(ctx, note, params, { offline: m('offline'), none: m('none') });
    const growth = h('input', { type: 'number', min: '0.1', max: '100', step: '0.1', value: params.growth || '1' });
    const bar = progressBar(m('running', { done: 0, total: 1 }));
    const out = h('div', { class: 'result' });
    const runBtn = h('button', { type: 'submit' }, m('run'));
    const form = h(
      'form',
      { class: 'toolbar', novalidate: true },
      field(m('demand'), demand),
      field(m('scenario'), scenario),
      field(m('growth'), growth, m('growthHint')),
      runBtn,
    );
    root.append(form, requireRole(ctx, 'analyst', runBtn) || '', bar.el, out);
    bar.el.hidden = true;
    // One result on the page at a time: a new run (or a changed choice) takes the previous
    // result and its map away, so no earlier map or layer stays behind.
    let map = null;
    let shown = 0;
    const clearResult = () => {
      shown += 1;
      if (map) { removeMap(map); map = null; }
      out.replaceChildren(h('p', { class: 'hint empty' }, m('pickRun')));
    };
    const show = async (jobId) => {
      const r = await ctx.api.get(`/v1/jobs/${jobId}/result`);
      clearResult();
      const mine = shown;
      const drawn = await drawResult(ctx, out, { id: jobId }, r).catch((err) => { ctx.showError(err); return null; });
      if (mine !== shown) { if (drawn) removeMap(drawn); return; }  // overtaken by a newer result
      map = drawn;
    };
    for (const input of [demand, scenario, growth]) input.addEventListener('change', () => {
      clearResult();
      ctx.setParams({ demand: demand.value, scenario: scenario.value, growth: growth.value });  // no stale job= in the link
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { demand: demand.value, growth: Number(growth.value) };
      if (scenario.value) body.scenario = scenario.value;
      note.className = 'status';
      clearResult();
      bar.el.hidden = false;
      try {
        const job = await ctx.api.post('/v1/capacity-runs', body);
        const done = await waitJob(ctx.api, job, (d, t) => {
          bar.set(d, t);
          note.textContent = m('running', { done: d, total: t });
        });
        if (done.state !== 'succeeded') throw jobError(done);
        note.textContent = '';
        ctx.setParams({ ...body, job: done.id });
        await show(done.id);
      } catch (err) {
        failed(ctx, note, m('failed'), err);
      } finally {
        bar.el.hidden = true;
      }
    });
    if (params.job) {
      try {
        await show(params.job);
      } catch (err) {
        failed(ctx, note, m('failed'), err);
      }
    } else out.replaceChildren(h('p', { class: 'hint empty' }, m('pickRun')));
    return () => { shown += 1; if (map) removeMap(map); };
  },
};
