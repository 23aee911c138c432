// /sources (admins): every source with its department and kind, its schedule and next run (Beijing time), its last
// run (status, the seven counts, duration), the freshness of its data; failing sources stand out. "Sync now" starts
// a run and follows it live (rows, rows/s, stream, percent and ETA where known) until its summary.
import { h, show } from './dom.js';
import { t, tOr } from './i18n.js';
import { api, get, ApiError } from './api.js';
import { beijingTime, age, duration, statusBadge, countsView, progressView, summaryView, followRun } from './run-progress.js';

export async function sourcesPage(root) {
  show(root, h('p', { class: 'loading' }, t('common.loading')));
  let sources;
  try {
    sources = await get('/api/sources');
  } catch (error) {
    show(root, h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError && error.status === 403 ? t('common.forbidden') : t('common.error', { detail: error.message })));
    return;
  }
  const failing = sources.filter((s) => s.failing).length;
  show(root, h('div', { class: 'page sources' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('sources.title')),
      h('p', { class: 'sub' }, t('sources.summary', { count: sources.length })),
      h('a', { href: '/sources/new', 'data-link': '', id: 'new-source', class: 'button-link' }, t('sources.add'))),
    failing ? h('p', { class: 'alert', role: 'alert', id: 'failing-sources' }, t('sources.failing', { count: failing })) : null,
    sources.length === 0
      ? h('p', { id: 'no-sources' }, t('sources.none'))
      : h('div', { class: 'scroll' }, h('table', { class: 'list sources-table', id: 'sources' },
        h('caption', { class: 'visually-hidden' }, t('sources.title')),
        h('thead', {}, h('tr', {}, ['name', 'department', 'kind', 'schedule', 'lastRun', 'counts', 'freshness', 'actions']
          .map((k) => h('th', { scope: 'col' }, t(`sources.col.${k}`))))),
        sources.map((source) => sourceRows(source, root))))));
}

// One source: its row, and a second row below it where a sync now shows its progress and summary.
function sourceRows(source, root) {
  const last = source.lastRun;
  const live = h('td', { colspan: 8 });
  const liveRow = h('tr', { class: 'live', hidden: true, id: `live-${source.id}` }, live);
  const button = h('button', { type: 'button', class: 'secondary sync-now', dataset: { source: source.id } }, t('sources.syncNow'));
  button.addEventListener('click', () => syncNow(source, button, live, liveRow, root));
  return h('tbody', { dataset: { source: source.id }, class: source.failing ? 'failing' : undefined },
    h('tr', {},
      h('th', { scope: 'row' },
        h('a', { href: `/sources/${encodeURIComponent(source.id)}`, 'data-link': '', class: 'source-name' }, source.name),
        h('span', { class: 'hint' }, source.id)),
      h('td', { class: 'nowrap' }, tOr(`department.${source.department}`, source.department)),
      h('td', { class: 'nowrap' }, tOr(`sources.kind.${source.kind}`, source.kind)),
      h('td', { class: 'schedule' }, source.schedule
        ? [h('code', {}, source.schedule), h('span', { class: 'hint' }, source.nextRunAt ? t('sources.next', { at: beijingTime(source.nextRunAt) }) : t('sources.noScheduler'))]
        : t('sources.manual')),
      h('td', { class: 'last-run' }, last
        ? [h('a', { href: `/runs/${last.id}`, 'data-link': '' }, statusBadge(last.status)),
          h('span', { class: 'hint' }, `${beijingTime(last.startedAt)} · ${duration(last.seconds)}`)]
        : t('sources.never')),
      h('td', {}, last ? countsView(last.counts) : '—'),
      h('td', { class: 'freshness' }, source.lastSucceededAt
        ? [age(source.lastSucceededAt), h('span', { class: 'hint' }, beijingTime(source.lastSucceededAt))]
        : t('sources.noData')),
      h('td', {}, button)),
    liveRow);
}

async function syncNow(source, button, live, liveRow, root) {
  button.disabled = true;
  liveRow.hidden = false;
  show(live, h('p', { role: 'status' }, t('sources.starting', { name: source.name })));
  try {
    const { data } = await api('POST', `/api/sources/${encodeURIComponent(source.id)}/sync`);
    const runLink = h('a', { href: `/runs/${data.runId}`, 'data-link': '', class: 'run-link' }, t('sources.openRun', { id: data.runId }));
    const run = await followRun(data.runId,
      (current) => show(live, current.status === 'queued' || current.status === 'running' ? progressView(current) : summaryView(current), runLink),
      () => root.contains(live));
    if (root.contains(live)) {
      // The row above shows the new last run once the admin reloads; the summary stays until then.
      button.disabled = false;
      live.dataset.done = run.status;
    }
  } catch (error) {
    button.disabled = false;
    show(live, h('p', { class: 'alert', role: 'alert' }, t('common.error', { detail: error.message })));
  }
}
