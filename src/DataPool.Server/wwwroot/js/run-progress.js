// A sync run as people follow it: live progress while it runs (rows read, rows/s, the stream, and a percentage with
// an ETA where the total is known), then its summary: status, the seven counts, the duration. Shared by /sources
// (sync now) and /runs/{id}. Times are shown in Beijing time whatever the browser's zone.
import { h } from './dom.js';
import { t, number } from './i18n.js';
import { get } from './api.js';

export const COUNTS = ['read', 'accepted', 'quarantined', 'new', 'updated', 'unchanged', 'deleted'];
const POLL_MS = 500;

/** True while a run may still change: queued for a worker or running. */
export const isActive = (run) => run && (run.status === 'queued' || run.status === 'running');

/** An ISO time as Beijing time: 2026-12-06 15:20. */
export function beijingTime(iso) {
  if (!iso) return '—';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** A duration in words: 42 秒, 3 分 5 秒, 2 小时 4 分 (or 42 s, 3 min 5 s, 2 h 4 min). */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 1) return t('runs.underSecond');
  const s = Math.round(seconds);
  if (s < 60) return t('runs.seconds', { s });
  if (s < 3600) return t('runs.minutes', { m: Math.floor(s / 60), s: s % 60 });
  if (s < 86400) return t('runs.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  return t('runs.days', { d: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
}

/** How long ago an ISO time was, in words. */
export const age = (iso) => (iso ? duration((Date.now() - new Date(iso).getTime()) / 1000) : '—');

/** The run's status as a badge (failing runs stand out). */
export const statusBadge = (status) => h('span', { class: `badge run-${status}` }, t(`runs.status.${status}`));

/** The seven counts, each with its name. */
export function countsView(counts) {
  return h('ul', { class: 'counts' }, COUNTS.map((key) => h('li', { dataset: { count: key } },
    h('span', { class: 'name' }, t(`runs.count.${key}`)), ' ', h('span', { class: 'value' }, number(counts?.[key] ?? 0)))));
}

/**
 * Where a running run is: a bar where the total is known, always rows, rows/s and the stream. A stream too large to
 * hold its stored hashes is read twice; which read it is shows beside it (the bar counts each as half the stream).
 */
export function progressView(run) {
  const p = run.progress;
  if (run.status === 'queued' || !p) {
    return h('div', { class: 'run-progress', role: 'status', dataset: { state: run.status } }, t(run.status === 'queued' ? 'runs.waiting' : 'runs.starting'));
  }
  const known = p.percent !== null && p.percent !== undefined;
  const stream = p.streamCount > 1 ? t('runs.streamOf', { stream: p.stream, index: p.streamIndex, count: p.streamCount }) : p.stream;
  return h('div', { class: 'run-progress', role: 'status', dataset: { state: 'running', percent: known ? p.percent : '' } },
    known ? h('progress', { max: 100, value: p.percent, 'aria-label': t('runs.progressLabel') }) : h('progress', { 'aria-label': t('runs.progressLabel') }),
    h('span', { class: 'facts' },
      known ? h('b', { class: 'percent' }, `${number(p.percent, 1)}%`) : null,
      known && p.etaSeconds !== null && p.etaSeconds !== undefined ? h('span', { class: 'eta' }, t('runs.eta', { left: duration(p.etaSeconds) })) : null,
      h('span', { class: 'rows' }, t('runs.rowsRead', { rows: number(p.rowsRead) })),
      h('span', { class: 'rate' }, t('runs.rate', { rate: number(p.rowsPerSecond) })),
      h('span', { class: 'stream' }, t('runs.stream', { stream })),
      p.phase ? h('span', { class: 'phase', dataset: { phase: p.phase } }, t(`runs.phase.${p.phase}`)) : null));
}

/** A finished run in one block: status, counts, duration, and the error in plain words if it failed. */
export function summaryView(run) {
  return h('div', { class: `run-summary run-${run.status}`, role: 'status', dataset: { state: run.status } },
    h('p', {}, statusBadge(run.status), ' ', t('runs.took', { time: duration(run.seconds) }),
      run.finishedAt ? ` · ${beijingTime(run.finishedAt)}` : ''),
    countsView(run.counts),
    run.error ? plainError(run.error) : null);
}

/**
 * The error in plain words (zh, en), the recorded message beside it for whoever fixes the source. The runner's
 * messages are English and technical; the common causes are recognised here.
 */
export function plainError(error) {
  const causes = [
    [/already being synced/i, 'busy'],
    [/cancelled/i, 'cancelled'],
    [/abandoned/i, 'abandoned'],
    [/delivered no rows|file is empty|no header/i, 'empty'],
    [/maxDeleteShare|would delete|deletion/i, 'deletions'],
    [/cut off|mid-record|incomplete|trailer/i, 'cutOff'],
    [/cannot be opened|not found|no such file|does not exist|could not find/i, 'missing'],
    [/outside the source's folder/i, 'outside'],
    [/encoding|not valid UTF-8|GB18030/i, 'encoding'],
    [/column|header/i, 'columns'],
    [/cannot connect|timed out|timeout|HTTP|status code/i, 'connect'],
    [/source was removed/i, 'removed'],
  ];
  const cause = causes.find(([pattern]) => pattern.test(error))?.[1] ?? 'other';
  return h('div', { class: 'run-error', dataset: { cause } },
    h('p', { class: 'plain' }, t(`runs.error.${cause}`)),
    h('details', {}, h('summary', {}, t('runs.error.details')), h('code', { lang: 'en' }, error)));
}

/**
 * Polls GET /api/runs/{id} until the run has ended, calling onUpdate with every answer; stops early when
 * stillWanted() says the view is gone (the admin navigated away). Resolves with the last answer.
 */
export async function followRun(runId, onUpdate, stillWanted = () => true) {
  let run = await get(`/api/runs/${runId}`);
  onUpdate(run);
  while (isActive(run) && stillWanted()) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    run = await get(`/api/runs/${runId}`);
    onUpdate(run);
  }
  return run;
}

