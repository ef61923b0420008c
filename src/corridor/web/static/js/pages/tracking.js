// Tracking & operations: the organisation's shipments with status and ETA band, one shipment's
// timeline and position on the map, and for operators the Caspian ports' queues and closures now.
import { h, data, num, pct, section, table, status, lang, failed, place, loadPlaces } from './wb.js';
import { routeMap } from './wbmap.js';

const messages = {
  en: {
    title: 'Tracking & operations',
    intro: 'Tracked shipments with their predicted arrival (10th–90th percentile band), and the Caspian ports right now.',
    shipments: 'Shipments', booking: 'Booking', route: 'Route', status: 'Status', position: 'Now at', eta: 'Arrival (10–90% band)',
    likely: 'most likely {when}', planned: 'planned', 'late.one': 'at least {n} day late', 'late.other': 'at least {n} days late', none: 'No shipments are tracked yet. “Book” on a quote creates one.',
    'st.planned': 'not departed', 'st.in-transit': 'in transit', 'st.delivered': 'delivered',
    timeline: 'Timeline of', milestone: 'Milestone', actual: 'Actual', predicted: 'Predicted (10–90%)', passed: 'passed', ahead: 'ahead',
    events: 'Events', event: 'Event', time: 'Time', place: 'Place', noEvents: 'No events yet.',
    map: 'Route and position', mapHint: 'The route; the marker is where the shipment is now.',
    ops: 'Caspian ports now', queue: 'Queues', port: 'Port', waiting: 'Shipments waiting', waitMedian: 'Waiting so far, median h', waitMax: 'Longest wait, h',
    recent: 'Port calls completed in the window', recentMedian: 'Their median time in port, h', dwell: 'Planned dwell, h', opsHint: 'Your tracked shipments over the last {h} hours, as of {when}.',
    closures: 'Closure seasons in force now', noClosures: 'No closure season is in force.', closedShare: 'Share of time closed', episode: 'Mean closure, h', months: 'Months', opsMissing: 'Port operations are not available from this server',
    offline: 'Not available offline', failed: 'Could not load', teu: 'TEU',
  },
  ru: {
    title: 'Отслеживание и операции',
    intro: 'Отслеживаемые отправки с прогнозом прибытия (интервал от 10 до 90 %) и положение в каспийских портах сейчас.',
    shipments: 'Отправки', booking: 'Бронирование', route: 'Маршрут', status: 'Состояние', position: 'Сейчас', eta: 'Прибытие (интервал 10–90 %)',
    likely: 'вероятнее всего {when}', planned: 'по плану', 'late.one': 'опоздание не меньше {n} сут.', 'late.other': 'опоздание не меньше {n} сут.', none: 'Пока нет отслеживаемых отправок. Кнопка «Забронировать» в расчёте стоимости создаёт отправку.',
    'st.planned': 'не отправлена', 'st.in-transit': 'в пути', 'st.delivered': 'доставлена',
    timeline: 'Хронология отправки', milestone: 'Пункт', actual: 'Факт', predicted: 'Прогноз (10–90 %)', passed: 'пройден', ahead: 'впереди',
    events: 'События', event: 'Событие', time: 'Время', place: 'Место', noEvents: 'Событий пока нет.',
    map: 'Маршрут и положение', mapHint: 'Маршрут; маркер — где отправка сейчас.',
    ops: 'Каспийские порты сейчас', queue: 'Очереди', port: 'Порт', waiting: 'Ожидают отправки', waitMedian: 'Ожидание, медиана, ч', waitMax: 'Наибольшее ожидание, ч',
    recent: 'Завершённых заходов за период', recentMedian: 'Их медианное время в порту, ч', dwell: 'Плановая стоянка, ч', opsHint: 'Ваши отслеживаемые отправки за последние {h} ч, на {when}.',
    closures: 'Сезоны закрытий, действующие сейчас', noClosures: 'Сейчас ни один сезон закрытий не действует.', closedShare: 'Доля времени закрыт', episode: 'Среднее закрытие, ч', months: 'Месяцы', opsMissing: 'Сведения о работе портов на этом сервере недоступны',
    offline: 'Недоступно без сети', failed: 'Не удалось загрузить', teu: 'ДФЭ',
  },
};

// A milestone ahead whose earliest likely time (10 %) is a day or more past the plan is late: say
// by how much, or a plan months ago beside a forecast for next week reads as a typo.
function lateBy(x) {
  if (x.done || !x.p10 || !x.planned) return null;
  const days = Math.floor((Date.parse(x.p10) - Date.parse(x.planned)) / 86_400_000);
  if (days < 1) return null;
  const form = new Intl.PluralRules(lang()).select(days) === 'one' ? 'one' : 'other';
  return [' — ', h('strong', { class: 'late' }, m(`late.${form}`, { n: num(days) }))];
}

function m(key, params = {}) {
  const text = messages[lang()][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? '');
}

const fmt = (iso, withTime = false) =>
  iso ? new Intl.DateTimeFormat(lang() === 'ru' ? 'ru-RU' : 'en-GB', withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { day: 'numeric', month: 'short' }).format(new Date(iso)) : '—';

function band(ms) {
  if (!ms) return '—';
  return h('span', { class: 'eta-band' }, `${fmt(ms.p10)} – ${fmt(ms.p90)}`, h('br'), h('small', {}, m('likely', { when: fmt(ms.p50) })));
}


async function operations(ctx) {
  let ops;
  try {
    ops = await ctx.api.get('/v1/operations');
  } catch (err) {
    return section(m('ops'), h('p', { class: 'hint' }, m('opsMissing')));
  }
  const closures = ops.closures_in_season || [];
  return section(
    m('ops'),
    h('p', { class: 'hint' }, m('opsHint', { h: num(ops.window_h), when: fmt(ops.as_of, true) })),
    table(m('queue'), [
      { key: 'port', label: m('port'), render: (p) => place(p.node, p.name) },
      { key: 'waiting', label: m('waiting'), num: true, render: (p) => num(p.waiting) },
      { key: 'median', label: m('waitMedian'), num: true, render: (p) => num(p.waiting_median_h, 1) },
      { key: 'max', label: m('waitMax'), num: true, render: (p) => num(p.waiting_max_h, 1) },
      { key: 'done', label: m('recent'), num: true, render: (p) => num(p.recent_completed) },
      { key: 'recentMedian', label: m('recentMedian'), num: true, render: (p) => num(p.recent_median_h, 1) },
      { key: 'dwell', label: m('dwell'), num: true, render: (p) => num(p.bundled_dwell_h, 1) },
    ], ops.ports || []),
    h('h3', {}, m('closures')),
    closures.length
      ? table(m('closures'), [
          { key: 'target', label: m('place'), render: (c) => place(c.target, c.target_name) },
          { key: 'share', label: m('closedShare'), num: true, render: (c) => pct(c.closed_share) },
          { key: 'episode', label: m('episode'), num: true, render: (c) => num(c.episode_mean_h) },
          { key: 'months', label: m('months'), render: (c) => c.months.map((mo) => new Intl.DateTimeFormat(lang() === 'ru' ? 'ru-RU' : 'en-GB', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2025, mo - 1, 1)))).join(', ') },
        ], closures)
      : h('p', {}, m('noClosures')),
  );
}

async function detail(ctx, booking, ship, eta) {
  let events = [];
  try {
    events = await ctx.api.get(`/v2/events?carrierBookingReference=${encodeURIComponent(booking)}&limit=100`);
  } catch {
    events = [];
  }
  const rows = [
    ...(eta?.passed || []).map((x) => ({ ...x, done: true })),
    ...(eta?.milestones || []).map((x) => ({ ...x, done: false })),
  ];
  const mapBox = h('div', { class: 'map small', role: 'img', 'aria-label': `${m('map')}. ${m('mapHint')}` });
  const sec = [
    section(
      [m('timeline'), ' ', data(booking, { id: true })],
      h('ol', { class: 'timeline' },
        rows.map((x) => h('li', { class: x.done ? 'done' : 'ahead' },
          h('strong', {}, place(x.node)), ' — ', x.done ? m('passed') : m('ahead'), ': ',
          x.actual ? `${m('actual')} ${fmt(x.actual, true)}` : `${m('predicted')} ${fmt(x.p10, true)} – ${fmt(x.p90, true)}`,
          ` (${m('planned')} ${fmt(x.planned, true)})`, lateBy(x)))),
      h('h3', {}, m('events')),
      events.length
        ? table(m('events'), [
            { key: 'code', label: m('event'), render: (e) => data(`${e.eventType} ${e.transportEventTypeCode || e.shipmentEventTypeCode || e.equipmentEventTypeCode || ''} ${e.eventClassifierCode || ''}`, { id: true }) },
            { key: 'time', label: m('time'), render: (e) => fmt(e.eventDateTime, true) },
            { key: 'place', label: m('place'), render: (e) => { const loc = e.transportCall?.location?.UNLocationCode || e.eventLocation?.UNLocationCode || e.transportCall?.UNLocationCode; return loc ? place(loc) : '—'; } },
          ], events)
        : h('p', {}, m('noEvents')),
    ),
    section(m('map'), h('p', { class: 'hint' }, m('mapHint')), mapBox),
  ];  // prettier-ignore
  setTimeout(() => routeMap(mapBox, ctx, ship.nodes, eta?.position, ship.links || []).catch((err) => ctx.showError(err)), 0);
  return sec;
}

export default {
  id: 'tracking',
  async render(root, params, ctx) {
    root.replaceChildren(h('h1', {}, m('title')), h('p', {}, m('intro')));
    const note = status(root);
    await loadPlaces(ctx).catch(() => null);
    let ships = [];
    try {
      ships = await ctx.api.get('/v1/shipments');
    } catch (err) {
      failed(ctx, note, m('offline'), err);
    }
    const etas = await Promise.all(ships.map((s) => ctx.api.get(`/v1/shipments/${encodeURIComponent(s.booking)}/eta`).catch(() => null)));
    const byBooking = Object.fromEntries(ships.map((s, i) => [s.booking, { ship: s, eta: etas[i] }]));
    root.append(
      section(
        m('shipments'),
        ships.length
          ? table(m('shipments'), [
              { key: 'booking', label: m('booking'), render: (s) => h('a', { href: `#/tracking?booking=${encodeURIComponent(s.booking)}` }, data(s.booking, { id: true })) },
              { key: 'route', label: m('route'), render: (s) => [place(s.origin), ' → ', place(s.destination)] },
              { key: 'status', label: m('status'), render: (s) => { const e = byBooking[s.booking].eta; return e ? h('span', { class: `tag ${e.status}` }, m(`st.${e.status}`)) : '—'; } },
              { key: 'position', label: m('position'), render: (s) => { const e = byBooking[s.booking].eta; return e ? place(e.position) : '—'; } },
              { key: 'eta', label: m('eta'), render: (s) => band(byBooking[s.booking].eta?.destination) },
            ], ships)
          : h('p', {}, m('none')),
      ),
    );  // prettier-ignore
    if (params.booking && byBooking[params.booking]) {
      const { ship, eta } = byBooking[params.booking];
      root.append(...(await detail(ctx, params.booking, ship, eta)));
    }
    root.append(await operations(ctx));
  },
};
