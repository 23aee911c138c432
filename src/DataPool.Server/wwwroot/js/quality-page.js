// /quality: the feedback a department needs to clean its own system (GET /api/quality). Per department and source:
// freshness (age of the last good sync), completeness of every mapped field, the quarantine rate over recent runs,
// and the conflicts with other sources. Admins see every department and may pick one; an analyst sees their own.
import { h, show } from './dom.js';
import { t, tOr, label, number } from './i18n.js';
import { get, ApiError } from './api.js';
import { beijingTime, age } from './beijing-time.js';
import { horizontalBars, rateColumns } from './quality-charts.js';

/** A sync older than a day and a bit (daily schedules plus slack) is stale; older than a week, very stale. */
const STALE_HOURS = 26;
const VERY_STALE_HOURS = 24 * 7;

export async function qualityPage(root, user) {
  const department = user.role === 'admin' ? new URLSearchParams(location.search).get('department') : null;
  show(root, h('p', { class: 'loading' }, t('common.loading')));
  let report;
  try {
    report = await get(`/api/quality${department ? `?department=${encodeURIComponent(department)}` : ''}`);
  } catch (error) {
    show(root, h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError && error.status === 403 ? t('common.forbidden') : t('common.error', { detail: error.message })));
    return;
  }

  const departments = [...new Set(report.sources.map((s) => s.department))];
  show(root, h('div', { class: 'page quality' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('quality.title')),
      h('p', { class: 'sub', id: 'quality-as-of' }, t('quality.asOf', { at: beijingTime(report.asOf) }))),
    h('p', { class: 'lead' }, user.role === 'admin' ? t('quality.leadAdmin') : t('quality.leadAnalyst', { department: tOr(`department.${user.department}`, user.department) })),
    user.role === 'admin' ? departmentPicker(department, report) : null,
    report.sources.length === 0 ? h('p', { class: 'sub', id: 'quality-empty' }, t('quality.none')) : [
      overview(report),
      departments.map((d) => h('section', { class: 'department', dataset: { department: d } },
        h('h2', {}, tOr(`department.${d}`, d)),
        report.sources.filter((s) => s.department === d).map((s) => sourceSection(s, report.recentRuns)))),
    ]));
}

/** Admins narrow the page to one department; the choice is in the URL (?department=) so it can be shared. */
function departmentPicker(current, report) {
  const known = ['public-security', 'civil-affairs', 'disabled-persons-federation', 'human-resources', 'health-commission', 'veterans-affairs', 'community'];
  const options = [...new Set([...known, ...report.sources.map((s) => s.department), ...(current ? [current] : [])])];
  const select = h('select', { id: 'quality-department' },
    h('option', { value: '' }, t('quality.allDepartments')),
    options.map((d) => h('option', { value: d, selected: d === current }, tOr(`department.${d}`, d))));
  select.addEventListener('change', () => {
    const url = select.value ? `/quality?department=${encodeURIComponent(select.value)}` : '/quality';
    history.pushState(null, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
  });
  return h('div', { class: 'filter' }, h('label', { for: 'quality-department' }, t('quality.department')), select);
}

function freshnessKind(hours) {
  if (hours === null || hours === undefined) return 'bad';
  if (hours > VERY_STALE_HOURS) return 'bad';
  return hours > STALE_HOURS ? 'warn' : 'ok';
}

const percent = (share) => `${number(share * 100, 1)}%`;
const lastRate = (source) => source.runs.length ? source.runs[source.runs.length - 1].rate : null;

/** Freshness of every source as bars (the age people would rather see than read), then the summary table. */
function overview(report) {
  const sources = report.sources;
  const maxAge = Math.max(STALE_HOURS, ...sources.map((s) => s.freshness.ageHours ?? 0));
  return h('section', { id: 'quality-overview' },
    h('h2', {}, t('quality.freshness')),
    horizontalBars(t('quality.freshnessChart'), sources.map((s) => ({
      label: s.name,
      value: s.freshness.ageHours ?? maxAge,
      text: s.freshness.ageHours === null || s.freshness.ageHours === undefined ? t('quality.neverSynced') : age(s.freshness.ageHours),
      kind: freshnessKind(s.freshness.ageHours),
    })), { id: 'freshness-chart', max: maxAge }),
    h('p', { class: 'sub' }, t('quality.freshnessNote', { hours: STALE_HOURS })),
    h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'quality-summary' },
      h('thead', {}, h('tr', {}, ['quality.source', 'quality.departmentCol', 'quality.lastSync', 'quality.age', 'quality.lastRate', 'quality.openQuarantine', 'quality.conflictRecords']
        .map((k, i) => h('th', { scope: 'col', class: i >= 4 ? 'num' : undefined }, t(k))))),
      h('tbody', {}, sources.map((s) => h('tr', { dataset: { source: s.id }, class: s.freshness.lastRunStatus === 'failed' ? 'failing' : undefined },
        h('th', { scope: 'row' }, h('a', { href: `#source-${s.id}` }, s.name)),
        h('td', {}, tOr(`department.${s.department}`, s.department)),
        h('td', {}, beijingTime(s.freshness.lastSuccessAt),
          s.freshness.lastRunStatus && s.freshness.lastRunStatus !== 'succeeded'
            ? h('span', { class: `badge run-${s.freshness.lastRunStatus}` }, tOr(`quality.status.${s.freshness.lastRunStatus}`, s.freshness.lastRunStatus)) : null),
        h('td', {}, h('span', { class: `age ${freshnessKind(s.freshness.ageHours)}` }, s.freshness.ageHours === null || s.freshness.ageHours === undefined ? t('quality.neverSynced') : age(s.freshness.ageHours))),
        h('td', { class: 'num' }, lastRate(s) === null ? '—' : percent(lastRate(s))),
        h('td', { class: 'num' }, number(s.openQuarantine)),
        h('td', { class: 'num' }, number(s.conflicts.records))))))));
}

function sourceSection(source, recentRuns) {
  const streams = source.streams.length;
  return h('article', { class: 'source-quality', id: `source-${source.id}`, dataset: { source: source.id } },
    h('h3', {}, source.name, h('span', { class: 'sub' }, ` · ${source.id} · ${source.kind}`)),
    h('div', { class: 'quality-grid' },
      h('div', {},
        h('h4', {}, t('quality.completeness')),
        source.streams.length === 0 ? h('p', { class: 'sub' }, t('quality.noDefinition')) : source.streams.map((stream) =>
          horizontalBars(
            t('quality.completenessChart', { stream: streams > 1 ? `${stream.stream} · ` : '', records: number(stream.records) }),
            [...stream.fields].sort((a, b) => a.share - b.share).map((f) => ({
              label: label(f.labels), value: f.share, text: `${percent(f.share)}`,
              kind: f.share >= 0.95 ? 'ok' : f.share >= 0.7 ? 'warn' : 'bad',
            })),
            { max: 1, id: `completeness-${source.id}-${stream.stream}` }))),
      h('div', {},
        h('h4', {}, t('quality.quarantineRate')),
        source.runs.length === 0 ? h('p', { class: 'sub' }, t('quality.noRuns')) : rateColumns(
          t('quality.rateChart', { runs: source.runs.length, max: recentRuns }),
          source.runs.map((r) => ({
            label: `#${r.runId}`, rate: r.rate, text: percent(r.rate),
            kind: r.status === 'failed' ? 'bad' : r.rate > 0.05 ? 'warn' : 'ok',
          })),
          { id: `rates-${source.id}` }),
        source.runs.length ? h('p', { class: 'sub' }, t('quality.rateNote', { quarantined: number(source.runs.at(-1).quarantined), read: number(source.runs.at(-1).read), open: number(source.openQuarantine) })) : null,
        h('h4', {}, t('quality.conflicts')),
        source.conflicts.records === 0 ? h('p', { class: 'sub', id: `conflicts-${source.id}` }, t('quality.noConflicts')) : [
          horizontalBars(t('quality.conflictsChart', { records: number(source.conflicts.records) }),
            source.conflicts.fields.map((f) => ({
              label: label(f.labels), value: f.records,
              text: t('quality.conflictText', { records: number(f.records), overruled: number(f.overruled) }), kind: 'warn',
            })), { id: `conflicts-${source.id}`, textWidth: 190 }),
          h('p', { class: 'sub' }, t('quality.conflictsWith', {
            sources: source.conflicts.with.map((w) => t('quality.withItem', { source: tOr(`source.${w.source}`, w.source), records: number(w.records) })).join(t('quality.listSeparator')),
          })),
        ])));
}
