import { h } from '../dom.js';
import { t } from '../i18n.js';

const M = { en: { title: 'admin' }, ru: { title: 'admin' } };
export default {
  id: 'admin',
  title: { en: 'admin', ru: 'admin' },
  role: 'admin',
  async render(root) { root.append(h('h1', {}, t(M, 'title'))); },
};
