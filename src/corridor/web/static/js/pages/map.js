import { h } from '../dom.js';
import { t } from '../i18n.js';

const M = { en: { title: 'map' }, ru: { title: 'map' } };
export default {
  id: 'map',
  title: { en: 'map', ru: 'map' },

  async render(root) { root.append(h('h1', {}, t(M, 'title'))); },
};
