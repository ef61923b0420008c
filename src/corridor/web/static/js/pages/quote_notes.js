// A route result's notes in the user's language.  Each note is {code, text, params} (corridor.route/4):
// the page says it again from params; `text` is the engine's English sentence, shown (marked as
// untranslated in Russian) only for a code this page does not know yet.
import { h } from '../dom.js';
import * as fmt from '../fmt.js';
import { t, lang, placeName } from '../i18n.js';
import { term, country, month } from '../names.js';

const M = {
  en: {
    'avoid-unmatched': 'Keep off {what}: nothing in the network matches it, so it changed no option.',
    'label-limit': 'The exact search stopped at its limit of {n} labels; the list of options may be incomplete.',
    'guided-search:large-network': {
      one: 'Large network ({n} arc): the options come from a guided weighted search (options within {eps} of each other merged), not the exact set of best trade-offs.',
      other: 'Large network ({n} arcs): the options come from a guided weighted search (options within {eps} of each other merged), not the exact set of best trade-offs.',
    },
    'guided-search:label-limit': {
      one: 'The exact search hit its limit ({n} arc): the options come from a guided weighted search (options within {eps} of each other merged), not the exact set of best trade-offs.',
      other: 'The exact search hit its limit ({n} arcs): the options come from a guided weighted search (options within {eps} of each other merged), not the exact set of best trade-offs.',
    },
    'closure-season': 'Option {route}: the departure month ({month}) is in the closure season of {places}.',
    closed: '{place} ({cause}, closed about {share} of the time)',
    closure: 'closure',
    queueing: 'Times include the expected queueing at capacity-limited ports and terminals for demand set {demand}.',
  },
  ru: {
    'avoid-unmatched': 'Исключение «{what}» не совпало ни с чем в сети и не изменило ни одного варианта.',
    'label-limit': 'Точный поиск остановился на пределе числа меток ({n}); список вариантов может быть неполным.',
    'guided-search:large-network': {
      one: 'Большая сеть ({n} дуга): варианты получены направленным взвешенным поиском (варианты, различающиеся менее чем на {eps}, объединены), а не как точное множество лучших компромиссов.',
      few: 'Большая сеть ({n} дуги): варианты получены направленным взвешенным поиском (варианты, различающиеся менее чем на {eps}, объединены), а не как точное множество лучших компромиссов.',
      many: 'Большая сеть ({n} дуг): варианты получены направленным взвешенным поиском (варианты, различающиеся менее чем на {eps}, объединены), а не как точное множество лучших компромиссов.',
      other: 'Большая сеть ({n} дуги): варианты получены направленным взвешенным поиском (варианты, различающиеся менее чем на {eps}, объединены), а не как точное множество лучших компромиссов.',
    },
    'guided-search:label-limit': {
      one: 'Точный поиск достиг предела ({n} дуга в сети): варианты получены направленным взвешенным поиском (варианты, различающиеся менее чем на {eps}, объединены), а не как точное множество лучших компромиссов.',
      few: 'Точный поиск достиг предела ({n} дуги в сети): варианты получены направленным взвешенным поиском (варианты, различающиеся менее чем на {eps}, объединены), а не как точное множество лучших компромиссов.',
      many: 'Точный поиск достиг предела ({n} дуг в сети): варианты получены направленным взвешенным поиском (варианты, различающиеся менее чем на {eps}, объединены), а не как точное множество лучших компромиссов.',
      other: 'Точный поиск достиг предела ({n} дуги в сети): варианты получены направленным взвешенным поиском (варианты, различающиеся менее чем на {eps}, объединены), а не как точное множество лучших компромиссов.',
    },
    'closure-season': 'Вариант {route}: месяц отправления ({month}) приходится на сезон закрытий: {places}.',
    closed: '{place} ({cause}, закрыт около {share} времени)',
    closure: 'закрытие',
    queueing: 'Сроки включают ожидаемые очереди в портах и терминалах с ограниченной пропускной способностью для набора спроса «{demand}».',
  },
};

// What an unmatched "keep off" named, in the user's words.
function avoided(p, nodes) {
  if (p.kind === 'country') return country(p.value);
  if (p.kind === 'mode') return term(p.value);
  if (p.kind === 'node' && nodes[p.value]) return placeName(nodes[p.value]);
  return p.value;
}

// One <li> per note (nodes: id → place from map.js's nodeIndex).
export function noteItems(notes, nodes) {
  return (notes || []).map((note) => {
    const p = note.params || {};
    switch (note.code) {
      case 'avoid-unmatched':
        return h('li', { 'data-note': note.code }, t(M, note.code, { what: avoided(p, nodes) }));
      case 'label-limit':
        return h('li', { 'data-note': note.code }, t(M, note.code, { n: p.max_labels }));
      case 'guided-search':
        return h('li', { 'data-note': note.code },
          t(M, `${note.code}:${p.reason}`, { n: p.arcs, eps: fmt.pct(p.epsilon) }));
      case 'closure-season': {
        const places = (p.closures || []).map((c) => t(M, 'closed', {
          place: nodes[c.target] ? placeName(nodes[c.target]) : c.target,
          cause: c.cause ? term(c.cause) : t(M, 'closure'),
          share: fmt.pct(c.closed_share),
        }));
        return h('li', { 'data-note': note.code }, t(M, note.code, { route: p.route, month: month(p.month), places: places.join(', ') }));
      }
      case 'queueing':
        return h('li', { 'data-note': note.code }, t(M, note.code, { demand: p.demand }));
      default:
        return lang() === 'en' ? h('li', {}, note.text) : h('li', { lang: 'en', class: 'untranslated' }, note.text);
    }
  });
}
