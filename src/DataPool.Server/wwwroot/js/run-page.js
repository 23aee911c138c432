// /runs/{id} (admins): one sync run — its status, counts and timings per stream, the error in plain words, the rows
// it quarantined (on to /quarantine) and what it changed per entity (created, updated, deleted), each linked to the
// change feed. A run still going shows its live progress and the page fills in when it ends.
import { h, show } from './dom.js';
import { t, tOr, number } from './i18n.js';
import { get, ApiError } from './api.js';
import { COUNTS, beijingTime, duration, statusBadge, countsView, progressView, plainError, followRun, isActive } from './run-progress.js';

const QUARANTINE_SHOWN = 50;

export async function runPage(root, id) {
  show(root, h('p', { class: 'loading' }, t('common.loading')));
  let run;
  try {
    run = await get(`/api/runs/${encodeURIComponent(id)}`);
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? t('run.notFound', { id })
      : error instanceof ApiError && error.status === 403 ? t('common.forbidden') : t('common.error', { detail: error.message });
    show(root, h('p', { class: 'alert', role: 'alert' }, text));
    return;
  }
  if (isActive(run)) {
    const live = h('div', { id: 'run-live' });
    show(root, h('div', { class: 'page run' }, head(run), live));
    run = await followRun(run.id, (current) => show(live, progressView(current)), () => live.isConnected);
    if (!root.contains(live)) return;
  }
  const [changes, quarantined] = await Promise.all([
    get(`/api/runs/${run.id}/changes`).catch(() => []),
    run.counts.quarantined > 0
      ? get(`/api/quarantine?run=${run.id}&source=${encodeURIComponent(run.sourceId)}&limit=${QUARANTINE_SHOWN}`).catch(() => ({ items: [] }))
      : Promise.resolve({ items: [] }),
  ]);
  show(root, h('div', { class: 'page run', dataset: { status: run.status } },
    head(run),
    run.error ? plainError(run.error) : null,
    h('h2', {}, t('run.counts')),
    countsView(run.counts),
    h('h2', {}, t('run.streams')),
    streamTable(run.streams),
    h('h2', {}, t('run.changes')),
    changeTable(changes),
    h('h2', {}, t('run.quarantined')),
    quarantineList(run, quarantined.items ?? [])));
}

function head(run) {
  return h('div', {},
    h('div', { class: 'page-head' },
      h('h1', {}, t('run.title', { id: run.id })),
      statusBadge(run.status),
      h('a', { href: `/sources/${encodeURIComponent(run.sourceId)}`, 'data-link': '', id: 'run-source' }, tOr(`source.${run.sourceId}`, run.sourceId)),
      h('a', { href: '/sources', 'data-link': '' }, t('run.allSources'))),
    h('dl', { class: 'facts-list' },
      fact(t('run.trigger'), tOr(`run.trigger.${run.trigger}`, run.trigger ?? '—')),
      fact(t('run.started'), beijingTime(run.startedAt)),
      fact(t('run.finished'), beijingTime(run.finishedAt)),
      fact(t('run.duration'), duration(run.seconds)),
      run.deletionsConfirmed ? fact(t('run.deletionsConfirmed'), t('common.yes')) : null));
}

const fact = (name, value) => [h('dt', {}, name), h('dd', {}, value)];

function streamTable(streams) {
  const entries = Object.entries(streams ?? {});
  if (!entries.length) return h('p', { class: 'sub', id: 'no-streams' }, t('run.noStreams'));
  return h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'run-streams' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('run.stream')),
      COUNTS.map((key) => h('th', { scope: 'col', class: 'num' }, t(`runs.count.${key}`))),
      h('th', { scope: 'col', class: 'num' }, t('run.time')))),
    h('tbody', {}, entries.map(([name, s]) => h('tr', { dataset: { stream: name } },
      h('th', { scope: 'row' }, name),
      COUNTS.map((key) => h('td', { class: 'num' }, number(s[key] ?? 0))),
      h('td', { class: 'num' }, duration((s.milliseconds ?? 0) / 1000)))))));
}

// Each number links to the change feed from just before the run's first change of that entity, filtered to its kind.
function changeTable(changes) {
  if (!changes.length) return h('p', { class: 'sub', id: 'no-changes' }, t('run.noChanges'));
  const cell = (c, kind) => h('td', { class: 'num' }, c[kind] > 0
    ? h('a', { href: `/api/pool/${encodeURIComponent(c.entity)}/changes?since=${encodeURIComponent(c.since)}&types=${kind}`, class: 'feed' }, number(c[kind]))
    : '0');
  return h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'run-changes' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('run.entity')),
      ['created', 'updated', 'deleted', 'restored'].map((kind) => h('th', { scope: 'col', class: 'num' }, t(`run.change.${kind}`))))),
    h('tbody', {}, changes.map((c) => h('tr', { dataset: { entity: c.entity } },
      h('th', { scope: 'row' }, tOr(`run.entity.${c.entity}`, c.entity)),
      ['created', 'updated', 'deleted', 'restored'].map((kind) => cell(c, kind)))))));
}

function quarantineList(run, items) {
  if (run.counts.quarantined === 0) return h('p', { class: 'sub', id: 'no-quarantine' }, t('run.noQuarantine'));
  const more = `/quarantine?source=${encodeURIComponent(run.sourceId)}&run=${run.id}`;
  return h('div', {},
    h('p', {}, t('run.quarantinedSummary', { count: number(run.counts.quarantined) }), ' ',
      h('a', { href: more, 'data-link': '', id: 'to-quarantine' }, t('run.toQuarantine'))),
    h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'run-quarantine' },
      h('thead', {}, h('tr', {}, ['where', 'reasons', 'state'].map((k) => h('th', { scope: 'col' }, t(`run.q.${k}`))))),
      h('tbody', {}, items.map((row) => h('tr', { dataset: { id: row.id } },
        h('td', {}, row.location ?? `${row.stream} #${row.rowNumber ?? ''}`),
        h('td', {}, h('ul', { class: 'reasons' }, row.reasons.map((r) => h('li', { lang: 'en' }, r)))),
        h('td', {}, tOr(`run.q.status.${row.status}`, row.status))))))));
}
