// Console page (issue 15): not built yet; the route and the navigation entry exist so the pages land side by side.
import { h, show } from './dom.js';
import { t } from './i18n.js';

export async function sourcesPage(root) {
  show(root, h('p', { class: 'alert', role: 'status' }, t('common.notFound')));
}
