// /quarantine (admins): the rows that failed, totalled by source and by reason (reason codes shown in the current
// language, the pipeline's English text beside), filtered by source, reason and status; one row opened shows its raw
// values with the failing columns marked, the fixes its data suggests, every replay attempt, and lets the admin
// correct and replay it or dismiss it with a reason.
import { h, show } from './dom.js';
import { t, tOr, number } from './i18n.js';
import { beijingTime } from './beijing-time.js';
import { api, get, ApiError } from './api.js';

const STATUSES = ['open', 'replayed', 'dismissed', 'resolved', 'all'];

/** A stored UTC time as people read it here: Beijing time. */
export function beijing(iso) {
  return iso ? beijingTime(iso, { seconds: true }) : '';
}

const reasonName = (code) => tOr(`quarantine.reason.${code}`, code);

export async function quarantinePage(root) {
  const state = { status: 'open', source: '', reason: '', after: null };
  const params = new URLSearchParams(location.search);
  for (const key of ['status', 'source', 'reason']) if (params.get(key)) state[key] = params.get(key);
  let sources = {};
  try {
    sources = Object.fromEntries((await get('/api/sources')).map((s) => [s.id, s.name]));
  } catch {
    // Names are a nicety: ids are shown instead.
  }
  const sourceName = (id) => sources[id] ?? id;

  const totalsBox = h('section', { id: 'quarantine-totals', 'aria-labelledby': 'totals-title' });
  const filters = h('form', { class: 'filters', id: 'quarantine-filters', role: 'search' });
  const list = h('section', { id: 'quarantine-list', 'aria-live': 'polite' });
  const detail = h('section', { id: 'quarantine-detail', class: 'detail', tabindex: '-1' });
  show(root, h('div', { class: 'page quarantine' },
    h('div', { class: 'page-head' }, h('h1', {}, t('quarantine.title')), h('p', { class: 'sub' }, t('quarantine.lead'))),
    totalsBox, filters, list, detail));

  async function refresh() {
    const query = new URLSearchParams();
    if (state.status !== 'all') query.set('status', state.status);
    if (state.source) query.set('source', state.source);
    if (state.reason) query.set('reason', state.reason);
    history.replaceState(null, '', `/quarantine${query.toString() ? `?${query}` : ''}`);
    let totals;
    let page;
    try {
      totals = await get(`/api/quarantine/totals?status=${encodeURIComponent(state.status)}`);
      if (state.after) query.set('after', state.after);
      query.set('limit', '50');
      page = await get(`/api/quarantine?${query}`);
    } catch (error) {
      show(list, h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError && error.status === 403 ? t('common.forbidden') : t('common.error', { detail: error.message })));
      return;
    }
    renderTotals(totals);
    renderFilters(totals);
    renderList(page);
  }

  function pick(key, value) {
    state[key] = state[key] === value ? '' : value;
    state.after = null;
    refresh();
  }

  function renderTotals(totals) {
    // With a source chosen, its reasons; else every source's.
    const reasons = state.source
      ? totals.bySourceAndReason.filter((c) => c.sourceId === state.source).map((c) => [c.code, c.rows])
      : Object.entries(totals.byReason);
    const max = Math.max(1, ...Object.values(totals.bySource), ...Object.values(totals.byReason));
    const bars = (id, entries, key, name) => h('ul', { class: 'bars', id },
      entries.map(([value, count]) => h('li', {},
        h('button', { type: 'button', class: 'link', 'aria-pressed': String(state[key] === value), dataset: { [key]: value }, onclick: () => pick(key, value) }, name(value)),
        bar(count, max),
        h('span', { class: 'count' }, number(count)))));
    show(totalsBox,
      h('h2', { id: 'totals-title' }, t('quarantine.totals', { count: number(totals.rows), status: t(`quarantine.status.${state.status}`) })),
      h('div', { class: 'totals' },
        h('div', {}, h('h3', {}, t('quarantine.bySource')), bars('totals-by-source', Object.entries(totals.bySource), 'source', sourceName)),
        h('div', {}, h('h3', {}, state.source ? t('quarantine.byReasonOf', { source: sourceName(state.source) }) : t('quarantine.byReason')),
          bars('totals-by-reason', reasons, 'reason', reasonName))));
  }

  function renderFilters(totals) {
    const select = (id, key, options) => h('div', { class: 'field' },
      h('label', { for: id }, t(`quarantine.filter.${key}`)),
      h('select', { id, onchange: (event) => { state[key] = event.target.value; state.after = null; refresh(); } },
        options.map(([value, text]) => h('option', { value, selected: state[key] === value }, text))));
    const sourceIds = [...new Set([...Object.keys(sources), ...Object.keys(totals.bySource), state.source].filter(Boolean))].sort();
    const codes = [...new Set([...Object.keys(totals.byReason), state.reason].filter(Boolean))];
    show(filters,
      select('filter-status', 'status', STATUSES.map((s) => [s, `${t(`quarantine.status.${s}`)}${totals.byStatus[s] !== undefined ? ` (${number(totals.byStatus[s])})` : ''}`])),
      select('filter-source', 'source', [['', t('quarantine.filter.any')], ...sourceIds.map((id) => [id, sourceName(id)])]),
      select('filter-reason', 'reason', [['', t('quarantine.filter.any')], ...codes.map((c) => [c, reasonName(c)])]));
  }

  function renderList(page) {
    if (!page.items.length) {
      show(list, h('p', { class: 'empty', id: 'quarantine-empty' }, t('quarantine.empty')));
      return;
    }
    show(list,
      h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'quarantine-rows' },
        h('thead', {}, h('tr', {}, ['id', 'source', 'location', 'reasons', 'status', 'seen', 'open'].map((k) => h('th', { scope: 'col' }, t(`quarantine.col.${k}`))))),
        h('tbody', {}, page.items.map((row) => h('tr', { dataset: { id: row.id } },
          h('td', { class: 'num' }, row.id),
          h('td', {}, sourceName(row.sourceId), h('span', { class: 'muted' }, ` · ${row.stream}`)),
          h('td', {}, row.location ?? ''),
          h('td', {}, h('ul', { class: 'plain' }, row.reasonDetails.map((r) => h('li', { title: r.text }, reasonName(r.code), r.columns.length ? h('span', { class: 'muted' }, ` · ${r.columns.join('+')}`) : null)))),
          h('td', {}, h('span', { class: `badge q-${row.status}` }, t(`quarantine.status.${row.status}`))),
          h('td', { class: 'num' }, number(row.seenCount)),
          h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': t('quarantine.openRow', { id: row.id }), onclick: () => open(row.id) }, t('quarantine.open')))))))),
      page.nextAfter ? h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'quarantine-next', onclick: () => { state.after = page.nextAfter; refresh(); } }, t('quarantine.next'))) : null);
  }

  async function open(id, message) {
    let row;
    try {
      row = await get(`/api/quarantine/${id}`);
    } catch (error) {
      show(detail, h('p', { class: 'alert', role: 'alert' }, t('common.error', { detail: error.message })));
      return;
    }
    renderDetail(row, message);
    detail.focus();
  }

  function renderDetail(row, message) {
    const failing = new Map();
    for (const reason of row.reasonDetails) for (const column of reason.columns) failing.set(column, reason);
    const lastTried = row.attempts.length ? row.attempts[row.attempts.length - 1] : null;
    const lastReasons = new Map();
    for (const reason of lastTried?.reasonDetails ?? []) for (const column of reason.columns) lastReasons.set(column, reason.text);
    const suggestions = new Map(row.suggestions.map((s) => [s.column, s]));
    const editable = row.status === 'open';
    const inputs = new Map();
    const columns = Object.keys(row.raw);
    const status = h('p', { class: 'status', id: 'replay-status', role: 'status' }, message ?? '');

    const rawTable = h('table', { class: 'list raw', id: 'raw-row' },
      h('thead', {}, h('tr', {}, ['column', 'original', 'reason', 'value'].map((k) => h('th', { scope: 'col' }, t(`quarantine.raw.${k}`))))),
      h('tbody', {}, columns.map((column, i) => {
        const reason = failing.get(column);
        const current = lastTried ? lastTried.row[column] : row.raw[column];
        const input = h('input', { id: `fix-${i}`, value: current ?? '', readonly: !editable, dataset: { column } });
        inputs.set(column, input);
        const suggestion = suggestions.get(column);
        return h('tr', { class: reason || lastReasons.has(column) ? 'failing' : undefined, dataset: { column } },
          h('th', { scope: 'row' }, h('label', { for: `fix-${i}` }, column)),
          h('td', { class: 'original' }, row.raw[column] ?? h('span', { class: 'muted' }, t('quarantine.raw.empty'))),
          h('td', {}, reason ? h('span', { title: reason.text }, reasonName(reason.code)) : null,
            lastReasons.has(column) ? h('span', { class: 'muted', title: lastReasons.get(column) }, ` ${t('quarantine.raw.stillBad')}`) : null),
          h('td', {}, input, suggestion && editable ? h('div', { class: 'suggestion' },
            h('span', {}, t(`quarantine.suggest.${suggestion.kind}`, { value: suggestion.value, detail: suggestion.detail ?? '' })),
            ' ',
            h('button', { type: 'button', class: 'link apply', dataset: { column }, onclick: () => { input.value = suggestion.value; input.focus(); } }, t('quarantine.suggest.apply'))) : null));
      })));

    const replay = async () => {
      const values = {};
      for (const [column, input] of inputs) {
        const before = lastTried ? lastTried.row[column] : row.raw[column];
        if ((before ?? '') !== input.value) values[column] = input.value === '' ? null : input.value;
      }
      try {
        const { data } = await api('POST', `/api/quarantine/${row.id}/replay`, { body: { values } });
        await refresh();
        await open(row.id, data.accepted ? t('quarantine.replayed') : t('quarantine.stillBad'));
      } catch (error) {
        status.textContent = t('common.error', { detail: error.message });
        status.className = 'status error';
      }
    };
    const dismissReason = h('input', { id: 'dismiss-reason', maxlength: '2000' });
    const dismiss = async () => {
      if (!dismissReason.value.trim()) {
        status.textContent = t('quarantine.dismissNeedsReason');
        status.className = 'status error';
        dismissReason.focus();
        return;
      }
      try {
        await api('POST', `/api/quarantine/${row.id}/dismiss`, { body: { reason: dismissReason.value.trim() } });
        await refresh();
        await open(row.id, t('quarantine.dismissed'));
      } catch (error) {
        status.textContent = t('common.error', { detail: error.message });
        status.className = 'status error';
      }
    };

    show(detail,
      h('h2', {}, t('quarantine.detailTitle', { id: row.id, source: sourceName(row.sourceId), location: row.location ?? '' })),
      h('p', {}, h('span', { class: `badge q-${row.status}` }, t(`quarantine.status.${row.status}`)), row.status === 'dismissed' && row.resolution ? ` ${row.resolution}` : '',
        ' · ', t('quarantine.runs', { first: row.firstRun, last: row.lastRun, seen: row.seenCount })),
      h('h3', {}, t('quarantine.reasons')),
      h('ul', { id: 'row-reasons' }, row.reasonDetails.map((r) => h('li', { dataset: { code: r.code } }, h('strong', {}, reasonName(r.code)), ' ', h('span', { class: 'muted', lang: 'en' }, r.text)))),
      row.suggestions.length && editable ? h('p', { class: 'hint-box', id: 'suggestions' }, t('quarantine.suggestions', { count: row.suggestions.length }), ' ',
        h('button', { type: 'button', class: 'secondary', id: 'apply-all', onclick: () => { for (const s of row.suggestions) inputs.get(s.column).value = s.value; } }, t('quarantine.suggest.applyAll'))) : null,
      h('div', { class: 'scroll' }, rawTable),
      editable ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'replay', onclick: replay }, t('quarantine.replay')),
        h('div', { class: 'field dismiss' }, h('label', { for: 'dismiss-reason' }, t('quarantine.dismissReason')), dismissReason),
        h('button', { type: 'button', class: 'secondary danger', id: 'dismiss', onclick: dismiss }, t('quarantine.dismiss'))) : null,
      status,
      attemptsTable(row));
  }

  function attemptsTable(row) {
    return h('section', { id: 'attempts' },
      h('h3', {}, t('quarantine.attempts', { count: row.attempts.length })),
      h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'attempt-rows' },
        h('thead', {}, h('tr', {}, ['n', 'at', 'by', 'changes', 'outcome'].map((k) => h('th', { scope: 'col' }, t(`quarantine.attempt.${k}`))))),
        h('tbody', {},
          h('tr', { class: 'original-row' },
            h('td', {}, t('quarantine.attempt.original')), h('td', {}, ''), h('td', {}, sourceName(row.sourceId)),
            h('td', {}, h('code', {}, Object.entries(row.raw).map(([k, v]) => `${k}=${v ?? ''}`).join('，'))),
            h('td', {}, h('ul', { class: 'plain' }, row.reasonDetails.map((r) => h('li', { title: r.text }, reasonName(r.code)))))),
          row.attempts.map((a, i) => h('tr', { class: a.accepted ? 'accepted' : 'rejected', dataset: { attempt: i + 1 } },
            h('td', {}, String(i + 1)),
            h('td', {}, beijing(a.at)),
            h('td', {}, a.by ?? ''),
            h('td', {}, h('code', {}, Object.entries(a.corrections).map(([k, v]) => `${k}: ${v ?? ''}`).join('，') || t('quarantine.attempt.asIs'))),
            h('td', {}, a.accepted
              ? h('span', { class: 'badge q-replayed' }, t('quarantine.attempt.accepted'))
              : h('ul', { class: 'plain' }, a.reasonDetails.map((r) => h('li', { title: r.text }, reasonName(r.code)))))))))));
  }

  await refresh();
}

/** A horizontal bar of value out of max (decoration: the number is written beside it). */
export function bar(value, max) {
  const track = h('span', { class: 'meter', 'aria-hidden': 'true' });
  const fill = h('span', { class: 'fill' });
  fill.style.width = `${Math.max(2, (value / max) * 100)}%`;
  track.append(fill);
  return track;
}
