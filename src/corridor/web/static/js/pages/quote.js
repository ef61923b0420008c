// Quote: from/to with autocomplete over names and aliases, cargo builder, departure, via/avoid,
// optimise by; results as cards, side by side and on the map; shareable URL (#/quote?from=…),
// CSV, printable view; "book" registers the chosen route as a tracked shipment (POST /v1/shipments).
import { h, clear, download, csv } from '../dom.js';
import { t } from '../i18n.js';
import { term, country } from '../names.js';
import { loadGeo, nodeIndex, createMap, routeLayer, removeMap, linkPaths } from '../map.js';
import { placeCombo } from '../combo.js';
import { cargoBuilder } from '../cargo.js';
import { card, comparison, quoteCsv, M as V } from './quote_view.js';
import { noteItems } from './quote_notes.js';
import { dateInput, placeholder } from '../dateinput.js';

const M = {
  en: {
    title: 'Quote a shipment', from: 'From', to: 'To', depart: 'Departure date (optional)',
    optimize: 'Rank by', 'o:time': 'fastest', 'o:cost': 'cheapest', 'o:co2': 'lowest CO2e', 'o:generalized': 'balanced (time, cost, CO2e)',
    k: 'Options to show', via: 'Pass through (optional)', avoid: 'Keep off', avoidModes: 'Modes', avoidCountries: 'Countries',
    submit: 'Get quote', working: 'Working out the options…', result: { one: '{n} option', few: '{n} options', many: '{n} options', other: '{n} options' },
    needPlaces: 'Choose both places from the suggestions (type a name or alias, then pick one).',
    csv: 'Download CSV', print: 'Printable view', link: 'Link to this quote', results: 'Options',
    dateFormat: 'as {format}; sets the closure season', bookNeeds: 'Booking an option as a tracked shipment needs the analyst role; you are signed in as a viewer.', more: 'More options: how many, pass through, keep off', badDate: 'The departure date is not a date: type it as {format} (or leave it empty).',
  },
  ru: {
    title: 'Расчёт перевозки', from: 'Откуда', to: 'Куда', depart: 'Дата отправки (необязательно)',
    optimize: 'Упорядочить', 'o:time': 'по скорости', 'o:cost': 'по цене', 'o:co2': 'по выбросам CO2e', 'o:generalized': 'сбалансированно (время, цена, CO2e)',
    k: 'Сколько вариантов', via: 'Через пункт (необязательно)', avoid: 'Исключить', avoidModes: 'Виды транспорта', avoidCountries: 'Страны',
    submit: 'Рассчитать', working: 'Подбираем варианты…', result: { one: '{n} вариант', few: '{n} варианта', many: '{n} вариантов', other: '{n} варианта' },
    needPlaces: 'Выберите оба пункта из подсказок (начните вводить название, затем выберите).',
    csv: 'Скачать CSV', print: 'Версия для печати', link: 'Ссылка на этот расчёт', results: 'Варианты',
    dateFormat: 'в формате {format}; учитывает сезон закрытий', bookNeeds: 'Бронирование варианта с отслеживанием доступно роли «аналитик»; вы вошли как наблюдатель.', more: 'Ещё: сколько вариантов, через пункт, исключить', badDate: 'Дата отправки не распознана: введите её в формате {format} (или оставьте поле пустым).',
  },
};

const AVOID_MODES = ['ferry', 'sea', 'road', 'rail'];

function bookingRef() {
  const d = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `WB-${d}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
}

export default {
  id: 'quote',
  async render(root, params, ctx) {
    const { net, basemap } = await loadGeo(ctx.api);
    const nodes = nodeIndex(net);
    const paths = linkPaths(net);
    const from = placeCombo({ label: t(M, 'from'), nodes, value: params.from, name: 'from' });
    const to = placeCombo({ label: t(M, 'to'), nodes, value: params.to, name: 'to' });
    const via = placeCombo({ label: t(M, 'via'), nodes, value: params.via, name: 'via' });
    const cargo = cargoBuilder(params.cargo);
    const depart = dateInput({ id: 'q-depart', value: params.depart || '', describedBy: 'q-depart-hint' });
    const optimize = h('select', { id: 'q-opt' }, ['time', 'cost', 'co2', 'generalized'].map((o) =>
      h('option', { value: o, selected: (params.opt || 'time') === o }, t(M, `o:${o}`))));
    const k = h('input', { id: 'q-k', type: 'number', min: '1', max: '10', value: params.k || '3' });
    const avoided = new Set((params.avoid || '').split(',').filter(Boolean));
    const box = (value, label) => {
      const id = `avoid-${value}`;
      const b = h('input', { type: 'checkbox', id, value, checked: avoided.has(value) });
      return h('label', { for: id }, b, ' ', label);
    };
    const countries = [...new Set(Object.values(nodes).map((n) => n.country))].sort();
    const avoid = h('fieldset.layers', {}, h('legend', {}, t(M, 'avoid')),
      h('span.muted', {}, `${t(M, 'avoidModes')}:`), AVOID_MODES.map((m) => box(m, term(m))),
      h('details', {}, h('summary', {}, t(M, 'avoidCountries')), h('div.layers', {}, countries.map((c) => box(c, country(c))))));
    const submit = h('button.primary', { type: 'submit' }, t(M, 'submit'));
    // Two columns, the rarely changed options folded away (open when the URL sets one), so at
    // 1280×800 the first option shows without scrolling.
    const advanced = Boolean(params.via || params.avoid || (params.k && params.k !== '3'));
    const more = h('details.more', { open: advanced }, h('summary', {}, t(M, 'more')),
      h('div.row', {}, h('div.field', {}, h('label', { for: k.id }, t(M, 'k')), k), via.el), avoid);
    const form = h('form.card.quote-form', { 'aria-labelledby': 'quote-title' },
      h('div.quote-cols', {},
        h('div.row.q-places', {}, from.el, to.el),
        h('div.q-cargo', {}, cargo.el),
        h('div.row.q-when', {}, h('div.field', {}, h('label', { for: depart.el.id }, t(M, 'depart')), depart.el,
          h('small.hint', { id: 'q-depart-hint' }, t(M, 'dateFormat', { format: placeholder() }))),
        h('div.field', {}, h('label', { for: optimize.id }, t(M, 'optimize')), optimize)),
        h('div.q-go', {}, more, submit)));
    const results = h('section', { 'aria-labelledby': 'results-title', id: 'quote-results' });
    const mapEl = h('div.map.small', { id: 'quote-map' });
    root.append(h('h1', { id: 'quote-title' }, t(M, 'title')), form,
      h('div.grid2', {}, results, h('div.quote-map-pane', {}, mapEl)));
    const map = createMap(mapEl, basemap);
    map.fitBounds(Object.values(nodes).map((n) => [n.lat, n.lon]), { padding: [10, 10] });
    let layers = [];
    let last = null;
    let selected = 0;

    const draw = () => {
      const result = last;
      clear(results);
      for (const l of layers) l.remove();
      layers = [];
      if (!result) return;
      results.append(h('div.results-head', {}, h('h2', { id: 'results-title' }, t(M, 'results'), ' — ', t(M, 'result', { n: result.routes.length })),
        h('div.actions', {},
        h('button.secondary', { type: 'button', id: 'quote-csv', onclick: () => download('corridor-quote.csv', csv(quoteCsv(result))) }, t(M, 'csv')),
        h('button.secondary', { type: 'button', id: 'quote-print', onclick: () => window.print() }, t(M, 'print')),
        h('a', { href: location.href, id: 'quote-link' }, t(M, 'link')))));
      if (!ctx.can('analyst')) results.append(h('p.hint.role-note', {}, t(M, 'bookNeeds')));  // no "Book" for a viewer: say why
      result.routes.forEach((r, i) => {
        results.append(card(r, i, nodes, {
          selected: i === selected, canBook: ctx.can('analyst'),
          onShow: () => { selected = i; draw(); results.querySelectorAll('.alt button')[i * 2]?.focus(); },
          onBook: () => book(r),
        }));
      });
      // the notes after the options (the first option stays on the first screen), before the table
      const notes = noteItems(result.notes, nodes);
      if (notes.length) results.append(h('h3', {}, t(V, 'notes')), h('ul.muted.notes', {}, notes));
      if (result.routes.length > 1) results.append(comparison(result.routes, nodes));
      result.routes.forEach((r, i) => {
        if (i !== selected) layers.push(routeLayer(r, nodes, { paths, onClick: () => { selected = i; draw(); } }).addTo(map));
      });
      if (result.routes[selected]) {
        const top = routeLayer(result.routes[selected], nodes, { paths, highlight: true }).addTo(map);
        layers.push(top);
        map.fitBounds(top.getBounds(), { padding: [20, 20], animate: false });
      }
    };

    const book = async (route) => {
      const booking = bookingRef();
      const departure = depart.iso() ? `${depart.iso()}T00:00:00Z` : new Date().toISOString().slice(0, 19) + 'Z';
      try {
        await ctx.api.post('/v1/shipments', {
          booking, cargo: cargo.spec(), nodes: route.nodes, links: route.legs.map((l) => l.link), planned_departure: departure,
        });
        ctx.clearError();
        const note = h('p.card.booked', { role: 'status' }, t(V, 'booked', { booking }), ' ',
          h('a', { href: `#/tracking?booking=${encodeURIComponent(booking)}` }, t(V, 'openTracking')));
        results.prepend(note);
        ctx.announce(t(V, 'booked', { booking }));
      } catch (err) {
        ctx.showError(err);
      }
    };

    const run = async () => {
      ctx.clearError();
      if (!from.id || !to.id) {
        ctx.showError(new ctx.api.UserError(t(M, 'needPlaces')));
        return;
      }
      const avoidList = [...avoid.querySelectorAll('input:checked')].map((b) => b.value);
      const body = {
        origin: from.id, destination: to.id, cargo: cargo.spec(), optimize: optimize.value,
        alternatives: Number(k.value) || 3, via: via.id ? [via.id] : [], avoid: avoidList,
      };
      const when = depart.iso();
      if (when === null) {
        ctx.showError(new ctx.api.UserError(t(M, 'badDate', { format: placeholder() })));
        depart.el.setAttribute('aria-invalid', 'true');
        depart.el.focus();
        return;
      }
      if (when) body.depart = when;
      ctx.setParams({ from: from.id, to: to.id, cargo: body.cargo, depart: when, opt: body.optimize,
        k: String(body.alternatives), via: via.id, avoid: avoidList.join(',') });
      performance.mark('quote-submit');
      submit.disabled = true;
      ctx.announce(t(M, 'working'));
      results.setAttribute('aria-busy', 'true');
      try {
        last = await ctx.api.post('/v1/quotes', body);
        selected = 0;
        draw();
        performance.mark('quote-drawn');
        performance.measure('quote', 'quote-submit', 'quote-drawn');
        ctx.announce(t(M, 'result', { n: last.routes.length }));
        results.querySelector('h2')?.focus?.();
      } catch (err) {
        ctx.showError(err);
      } finally {
        submit.disabled = false;
        results.removeAttribute('aria-busy');
      }
    };
    form.addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
    if (params.from && params.to) await run();
    return () => removeMap(map);
  },
};
