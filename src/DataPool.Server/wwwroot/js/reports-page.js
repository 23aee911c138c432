// /reports: the required reports (GET /api/reports) with their schedule (next run in Beijing time), last run and
// history (GET /api/reports/runs); run now (POST …/run answers 202, the page polls the run until it has finished);
// downloads; and a preview of a run's sheet (GET …/runs/{id}/sheet) in which a number opens the records behind it
// (GET …/runs/{id}/cells/{ref}, then each record through the pool's guard, GET /api/pool/{entity}/{id}).
import { h, show } from './dom.js';
import { t, tOr, label, number } from './i18n.js';
import { api, get, ApiError } from './api.js';
import { beijingTime, duration } from './beijing-time.js';

const POLL_MS = 500;
const TRACE_PAGE = 20;
/** The record fields a trace lists, when the viewer is granted them; the rest stay one click away in the pool. */
const TRACE_FIELDS = ['name', 'id_number', 'gender', 'birth_date', 'household_no', 'community_code', 'address'];

export async function reportsPage(root, user) {
  show(root, h('p', { class: 'loading' }, t('common.loading')));
  let reports;
  let runs;
  try {
    [reports, runs] = await Promise.all([get('/api/reports'), get('/api/reports/runs?limit=500')]);
  } catch (error) {
    show(root, failure(error));
    return;
  }

  const state = { selected: null, runs, running: new Map() };
  const table = h('div', { class: 'scroll' });
  const detail = h('section', { id: 'report-detail', 'aria-live': 'polite' });
  show(root, h('div', { class: 'page reports' },
    h('h1', {}, t('reports.title')),
    h('p', { class: 'sub' }, t('reports.lead')),
    table,
    detail));

  const mayRun = (report) => !report.roster || user.role === 'admin' || user.department === report.department;
  const runsOf = (id) => state.runs.filter((r) => r.reportId === id);

  function renderTable() {
    show(table, h('table', { class: 'list', id: 'report-list' },
      h('thead', {}, h('tr', {}, ['reports.report', 'reports.department', 'reports.schedule', 'reports.lastRun', 'reports.actions']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, reports.map((report) => {
        const last = runsOf(report.id)[0];
        const running = state.running.get(report.id);
        return h('tr', { dataset: { report: report.id }, class: state.selected === report.id ? 'selected' : undefined },
          h('th', { scope: 'row' },
            h('button', { type: 'button', class: 'link', onclick: () => select(report.id) }, label(report.title)),
            report.roster ? h('span', { class: 'badge roster' }, t('reports.roster')) : null),
          h('td', {}, tOr(`department.${report.department}`, report.department)),
          h('td', {}, report.nextRun
            ? [h('span', {}, t('reports.next', { at: beijingTime(report.nextRun) })), h('br'), h('code', { class: 'cron' }, report.schedule)]
            : t('reports.manual')),
          h('td', {}, last ? runSummary(last) : t('reports.never')),
          h('td', { class: 'actions' },
            mayRun(report)
              ? h('button', { type: 'button', class: 'secondary', disabled: Boolean(running), onclick: () => runNow(report) },
                running ? t('reports.running') : t('reports.runNow'))
              : h('span', { class: 'sub' }, t('reports.ownDepartmentOnly')),
            running ? progress(running) : null));
      }))));
  }

  function runSummary(run) {
    return h('span', {},
      h('span', { class: `badge run-${run.status}` }, t(`reports.status.${run.status}`)), ' ',
      beijingTime(run.finishedAt ?? run.startedAt),
      run.rows !== null && run.rows !== undefined ? ` · ${t('reports.rows', { rows: number(run.rows) })}` : '');
  }

  // The run reports its steps done of all and the sheet's rows once read: a bar with the percent, the step under way.
  function progress(running) {
    const elapsed = Date.now() - running.since;
    const p = running.run?.progress;
    const percent = p ? p.percent : null;
    return h('div', { class: 'progress', role: 'status' },
      percent === null
        ? h('progress', { 'aria-label': t('reports.running') })
        : h('progress', { 'aria-label': t('reports.running'), max: 100, value: percent }),
      percent === null ? null : h('span', { class: 'percent' }, `${percent}%`),
      p ? h('span', { class: 'sub' }, t('reports.step', { done: p.done, total: p.total, stage: t(`reports.stage.${p.stage}`) }),
        p.rows === null || p.rows === undefined ? '' : ` · ${t('reports.rows', { rows: number(p.rows) })}`) : null,
      h('span', { class: 'sub' }, t('reports.elapsed', { time: duration(elapsed) })));
  }

  async function runNow(report) {
    state.running.set(report.id, { since: Date.now() });
    renderTable();
    let run;
    try {
      ({ data: run } = await api('POST', `/api/reports/${encodeURIComponent(report.id)}/run`));
      const since = state.running.get(report.id).since;
      while (run.status === 'running') {
        state.running.set(report.id, { since, run });
        renderTable();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        run = await get(`/api/reports/runs/${run.id}`);
      }
    } catch (error) {
      state.running.delete(report.id);
      renderTable();
      show(detail, failure(error));
      return;
    }
    state.running.delete(report.id);
    state.runs = [run, ...state.runs.filter((r) => r.id !== run.id)];
    state.selected = report.id;
    renderTable();
    renderDetail(report, run.status === 'succeeded' ? run.id : null, run);
  }

  function select(id) {
    state.selected = id;
    renderTable();
    const last = runsOf(id).find((r) => r.status === 'succeeded');
    renderDetail(reports.find((r) => r.id === id), last?.id ?? null);
  }

  function renderDetail(report, previewRunId, finished) {
    const preview = h('div', { id: 'report-preview' });
    const history = runsOf(report.id);
    show(detail,
      h('h2', {}, label(report.title)),
      finished ? h('p', { class: `status ${finished.status === 'succeeded' ? 'success' : 'error'}`, id: 'run-result', role: 'status' },
        finished.status === 'succeeded'
          ? t('reports.done', { id: finished.id, rows: number(finished.rows), time: duration(finished.durationMs) })
          : t('reports.failed', { detail: finished.error ?? '' })) : null,
      h('h3', {}, t('reports.history')),
      history.length === 0 ? h('p', { class: 'sub' }, t('reports.never')) : h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'run-history' },
        h('thead', {}, h('tr', {}, ['reports.run', 'reports.started', 'reports.trigger', 'reports.state', 'reports.rowsHeader', 'reports.duration', 'reports.files']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, history.map((run) => h('tr', { dataset: { run: run.id } },
          h('th', { scope: 'row' }, `#${run.id}`),
          h('td', {}, beijingTime(run.startedAt, { seconds: true })),
          h('td', {}, tOr(`reports.trigger.${run.trigger}`, run.trigger)),
          h('td', {}, h('span', { class: `badge run-${run.status}` }, t(`reports.status.${run.status}`)), run.error ? h('span', { class: 'sub' }, ` ${run.error}`) : null),
          h('td', { class: 'num' }, run.rows === null || run.rows === undefined ? '—' : number(run.rows)),
          h('td', { class: 'num' }, duration(run.durationMs)),
          h('td', { class: 'actions' }, run.status === 'succeeded' ? [
            h('a', { href: `/api/reports/runs/${run.id}/download?format=xlsx`, download: '' }, 'xlsx'), ' · ',
            h('a', { href: `/api/reports/runs/${run.id}/download?format=csv`, download: '' }, 'CSV'), ' · ',
            h('button', { type: 'button', class: 'link', onclick: () => loadPreview(report, run.id, preview) }, t('reports.preview')),
          ] : '—')))))),
      preview);
    if (previewRunId) loadPreview(report, previewRunId, preview);
  }

  renderTable();
}

/** The sheet of one run; every number is a button opening the records behind it. */
async function loadPreview(report, runId, container) {
  show(container, h('p', { class: 'loading' }, t('common.loading')));
  let sheet;
  try {
    sheet = await get(`/api/reports/runs/${runId}/sheet`);
  } catch (error) {
    show(container, failure(error));
    return;
  }
  const trace = h('div', { id: 'cell-trace', 'aria-live': 'polite' });
  // The file's header is Chinese; the definition's columns carry both languages.
  const header = report.columns?.length === sheet.header.length ? report.columns.map(label) : sheet.header;
  show(container,
    h('h3', {}, t('reports.sheet', { id: runId })),
    h('p', { class: 'sub' }, t('reports.clickHint')),
    sheet.truncated ? h('p', { class: 'sub' }, t('reports.truncated', { shown: number(sheet.rows.length - 1), total: number(sheet.totalRows) })) : null,
    h('div', { class: 'scroll' }, h('table', { class: 'list sheet', id: 'report-sheet' },
      h('thead', {}, h('tr', {}, header.map((name, i) => h('th', { scope: 'col', class: i >= sheet.firstNumberColumn ? 'num' : undefined }, name)))),
      h('tbody', {}, sheet.rows.map((row) => h('tr', { class: row.totals ? 'total' : undefined },
        row.cells.map((cell, i) => {
          if (i < sheet.firstNumberColumn) return h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, groupText(cell));
          const ref = `${column(i)}${row.row}`;
          return h('td', { class: 'num' }, h('button', {
            type: 'button', class: 'cell', dataset: { ref },
            'aria-label': t('reports.cellLabel', { ref, name: header[i], value: cell }),
            onclick: () => loadTrace(report, runId, ref, header[i], 0, trace),
          }, formatCell(cell)));
        })))))),
    trace);
}

/** Sheet column letters of a 0-based index, as the cell references of the trace API: 0 → A, 26 → AA. */
function column(index) {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** The sheet's own words for the totals and for a group never recorded, in the page's language. */
function groupText(text) {
  if (text === '合计') return t('reports.allGroups');
  if (text === '（未登记）') return t('reports.notRecorded');
  return text;
}

function formatCell(text) {
  const value = Number(text);
  return text === '' || Number.isNaN(value) ? text : number(value, 2);
}

/** The records behind one number, a page at a time, each read through the pool's guard (granted fields, masked, audited). */
async function loadTrace(report, runId, ref, measure, offset, container) {
  show(container, h('p', { class: 'loading' }, t('common.loading')));
  let cell;
  try {
    cell = await get(`/api/reports/runs/${runId}/cells/${ref}?offset=${offset}&limit=${TRACE_PAGE}`);
  } catch (error) {
    show(container, h('section', { class: 'trace' }, h('h3', {}, t('reports.traceTitle', { ref, name: measure })),
      error instanceof ApiError && error.status === 403
        ? h('p', { class: 'alert', role: 'alert', id: 'trace-refused' }, t('reports.traceRefused', { detail: error.message }))
        : failure(error)));
    return;
  }
  const records = await Promise.all(cell.poolIds.map((id) => get(`/api/pool/${encodeURIComponent(cell.entity)}/${id}`).catch(() => ({ poolId: id, values: {} }))));
  const fields = TRACE_FIELDS.filter((f) => records.some((r) => r.values && f in r.values));
  const pager = [];
  if (offset > 0) pager.push(h('button', { type: 'button', class: 'secondary', onclick: () => loadTrace(report, runId, ref, measure, Math.max(0, offset - TRACE_PAGE), container) }, t('reports.previousPage')));
  if (offset + cell.poolIds.length < cell.records) pager.push(h('button', { type: 'button', class: 'secondary', onclick: () => loadTrace(report, runId, ref, measure, offset + TRACE_PAGE, container) }, t('reports.nextPage')));
  show(container, h('section', { class: 'trace' },
    h('h3', {}, t('reports.traceTitle', { ref, name: measure })),
    h('p', { id: 'trace-summary' }, t('reports.traceSummary', {
      records: number(cell.records), group: cell.groups ? cell.groups.map((g) => g ?? t('reports.notRecorded')).join(' · ') : t('reports.allGroups'),
      from: number(cell.records ? offset + 1 : 0), to: number(offset + cell.poolIds.length),
    })),
    cell.records === 0 ? null : h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'trace-records' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('reports.poolId')), fields.map((f) => h('th', { scope: 'col' }, t(`reports.field.${f}`))))),
      h('tbody', {}, records.map((record) => h('tr', {},
        h('th', { scope: 'row' }, String(record.poolId)),
        fields.map((f) => h('td', {}, shown(f, record.values?.[f])))))))),
    pager.length ? h('div', { class: 'pager' }, pager) : null));
}

function shown(field, value) {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'gender') return tOr(`reports.gender.${value}`, value);
  return value;
}

function failure(error) {
  if (error instanceof ApiError && error.status === 403) return h('p', { class: 'alert', role: 'alert' }, t('common.forbidden'));
  return h('p', { class: 'alert', role: 'alert' }, t('common.error', { detail: error.message }));
}
