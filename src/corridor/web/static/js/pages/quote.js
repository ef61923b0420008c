import { h } from '../dom.js';
import { t } from '../i18n.js';

const M = { en: { title: 'quote' }, ru: { title: 'quote' } };
export default {
  id: 'quote',
  title: { en: 'quote', ru: 'quote' },

  async render(root) { root.append(h('h1', {}, t(M, 'title'))); },
};
