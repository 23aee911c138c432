// /matches (admins): the review queue of uncertain person matches. One pair at a time, side by side, each field's
// outcome and weight drawn as a bar left (against) or right (for) of the axis; accept, reject or split with the
// keyboard (a, r, s; j and k for the next and previous pair), pending counts per source, and the conflicts
// survivorship decided.
import { h, show } from './dom.js';
import { t, tOr, number } from './i18n.js';
import { api, get, ApiError } from './api.js';
import { beijing, bar } from './quarantine-page.js';
import { evaluationPanel } from './match-evaluation.js';

const STATUSES = ['pending', 'accepted', 'rejected', 'split', 'joined'];
const KEYS = { a: 'accept', r: 'reject', s: 'split', j: 'next', k: 'previous' };

let keyHandler = null;

export async function matchesPage(root) {
  const state = { status: 'pending', source: '', items: [], index: 0, total: 0 };
  let sources = {};
  try {
    sources = Object.fromEntries((await get('/api/sources')).map((s) => [s.id, s.name]));
  } catch {
    // Names are a nicety: ids are shown instead.
  }
  const sourceName = (id) => (id ? sources[id] ?? id : '');
  const summaryBox = h('section', { id: 'review-summary' });
  const filters = h('div', { class: 'filters' });
  const pairBox = h('section', { id: 'review-item', 'aria-live': 'polite' });
  const status = h('p', { class: 'status', id: 'review-status', role: 'status' });
  const conflictsBox = h('section', { id: 'conflicts' });
  show(root, h('div', { class: 'page matches' },
    h('div', { class: 'page-head' }, h('h1', {}, t('matches.title')), h('p', { class: 'sub' }, t('matches.lead'))),
    h('p', { class: 'keys', id: 'shortcuts' }, t('matches.keys'), ' ',
      Object.entries(KEYS).map(([key, action]) => h('span', {}, h('kbd', {}, key.toUpperCase()), ` ${t(`matches.action.${action}`)}　`))),
    summaryBox, filters, status, pairBox, conflictsBox, evaluationPanel()));

  async function loadSummary() {
    const summary = await get('/api/matches/summary');
    const entries = Object.entries(summary.pendingBySource);
    const max = Math.max(1, ...entries.map(([, n]) => n));
    show(summaryBox,
      h('h2', {}, t('matches.pending', { count: number(summary.pending) })),
      entries.length ? h('ul', { class: 'bars', id: 'pending-by-source' }, entries.map(([id, count]) => h('li', { dataset: { source: id } },
        h('button', { type: 'button', class: 'link', 'aria-pressed': String(state.source === id), onclick: () => { state.source = state.source === id ? '' : id; load(); } }, sourceName(id)),
        bar(count, max),
        h('span', { class: 'count' }, number(count))))) : null);
    show(filters, h('div', { class: 'field' },
      h('label', { for: 'review-status-filter' }, t('matches.filter.status')),
      h('select', { id: 'review-status-filter', onchange: (event) => { state.status = event.target.value; load(); } },
        STATUSES.map((s) => h('option', { value: s, selected: state.status === s }, t(`matches.status.${s}`))))));
  }

  async function load(keepIndex = false) {
    const query = new URLSearchParams({ status: state.status, size: '200' });
    if (state.source) query.set('source', state.source);
    try {
      const page = await get(`/api/matches?${query}`);
      state.items = page.items;
      state.total = page.total;
      if (!keepIndex) state.index = 0;
      state.index = Math.min(state.index, Math.max(0, state.items.length - 1));
      await loadSummary();
    } catch (error) {
      show(pairBox, h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError && error.status === 403 ? t('common.forbidden') : t('common.error', { detail: error.message })));
      return;
    }
    renderItem();
  }

  function renderItem() {
    const item = state.items[state.index];
    if (!item) {
      show(pairBox, h('p', { class: 'empty', id: 'review-empty' }, t('matches.empty')));
      return;
    }
    const fields = [...new Set([...item.fields.map((f) => f.field), ...Object.keys(item.left.values), ...Object.keys(item.right.values)])].filter((f) => f !== 'pool_id');
    const maxWeight = Math.max(1, ...item.fields.map((f) => Math.abs(f.weight)));
    const scored = new Map(item.fields.map((f) => [f.field, f]));
    const button = (action, cls, enabled) => h('button', { type: 'button', class: cls, id: `review-${action}`, disabled: !enabled, onclick: () => act(action) },
      t(`matches.action.${action}`), ' ', h('kbd', {}, Object.keys(KEYS).find((k) => KEYS[k] === action).toUpperCase()));
    show(pairBox,
      h('h2', {}, t('matches.item', { n: state.index + 1, total: state.total, id: item.id })),
      h('p', {}, h('span', { class: `badge m-${item.status}` }, t(`matches.status.${item.status}`)), ' ',
        t('matches.score', { score: number(item.score, 1) }),
        item.decidedBy ? ` · ${t('matches.decided', { by: item.decidedBy, at: beijing(item.decidedAt) })}` : ''),
      h('div', { class: 'review' },
        side('left', t('matches.left', { source: sourceName(item.left.sourceId), location: item.left.location ?? '' }), item.left),
        side('right', t('matches.right', { id: item.right.poolId }), item.right)),
      h('div', { class: 'review-actions' },
        button('accept', 'primary', item.status === 'pending'),
        button('reject', 'secondary', item.status === 'pending'),
        button('split', 'secondary', item.status === 'accepted'),
        button('previous', 'secondary', state.index > 0),
        button('next', 'secondary', state.index < state.items.length - 1)),
      h('div', { class: 'scroll' }, h('table', { class: 'list weights', id: 'review-fields' },
        h('thead', {}, h('tr', {}, ['field', 'left', 'right', 'outcome', 'weight', 'bits'].map((k) => h('th', { scope: 'col', class: k === 'bits' ? 'num' : undefined }, t(`matches.col.${k}`))))),
        h('tbody', {}, fields.map((field) => {
          const score = scored.get(field);
          return h('tr', { class: score ? `outcome-${score.outcome}` : undefined, dataset: { field } },
            h('th', { scope: 'row' }, tOr(`matches.field.${field}`, field)),
            // The values as they were compared (the pool person may have changed since, by this very merge).
            h('td', {}, shown(field, score ? score.left : item.left.values[field])),
            h('td', {}, shown(field, score ? score.right : item.right.values[field])),
            h('td', { class: 'outcome' }, score ? tOr(`matches.outcome.${score.outcome}`, score.outcome) : ''),
            h('td', { class: 'weight' }, score ? weightBar(score.weight / maxWeight) : null),
            h('td', { class: 'num' }, score ? number(score.weight, 1) : ''));
        })))));
  }

  function side(which, title, record) {
    return h('div', { class: `side ${which}` }, h('h3', {}, title),
      h('dl', { class: 'values' }, Object.entries(record.values).filter(([k]) => k !== 'pool_id').slice(0, 12)
        .map(([k, v]) => [h('dt', {}, tOr(`matches.field.${k}`, k)), h('dd', {}, shown(k, v))])));
  }

  async function act(action) {
    const item = state.items[state.index];
    if (action === 'next' || action === 'previous') {
      const next = state.index + (action === 'next' ? 1 : -1);
      if (next >= 0 && next < state.items.length) {
        state.index = next;
        status.textContent = '';
        renderItem();
      }
      return;
    }
    if (!item) return;
    const allowed = action === 'split' ? item.status === 'accepted' : item.status === 'pending';
    if (!allowed) return;
    try {
      await api('POST', `/api/matches/${item.id}/${action}`);
      status.className = 'status success';
      status.textContent = t(`matches.done.${action}`, { id: item.id });
      await load(true);
      loadConflicts();
    } catch (error) {
      status.className = 'status error';
      status.textContent = t('common.error', { detail: error.message });
    }
  }

  async function loadConflicts() {
    let rows = [];
    try {
      rows = await get('/api/matches/conflicts?size=20');
    } catch {
      return;
    }
    show(conflictsBox,
      h('h2', {}, t('matches.conflicts')),
      rows.length ? h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'conflict-rows' },
        h('thead', {}, h('tr', {}, ['pool', 'field', 'chosen', 'candidates'].map((k) => h('th', { scope: 'col' }, t(`matches.conflict.${k}`))))),
        h('tbody', {}, rows.map((c) => h('tr', {},
          h('td', { class: 'num' }, c.poolId),
          h('td', {}, tOr(`matches.field.${c.field}`, c.field)),
          h('td', {}, shown(c.field, c.chosen)),
          h('td', {}, h('ul', { class: 'plain' }, c.candidates.map((v) => h('li', {}, `${sourceName(v.source)}：${shown(c.field, v.value)}`))))))))) : h('p', { class: 'empty' }, t('matches.noConflicts')));
  }

  if (keyHandler) document.removeEventListener('keydown', keyHandler);
  keyHandler = (event) => {
    if (!document.body.contains(pairBox)) {
      document.removeEventListener('keydown', keyHandler);
      keyHandler = null;
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest?.('input, select, textarea')) return;
    const action = KEYS[event.key.toLowerCase()];
    if (action) {
      event.preventDefault();
      act(action);
    }
  };
  document.addEventListener('keydown', keyHandler);
  await load();
  await loadConflicts();
}

/** A value as people read it: a code by its label where the page knows the table (gender), else as it is. */
function shown(field, value) {
  if (value === undefined || value === null) return '';
  return tOr(`matches.code.${field}.${value}`, value);
}

/** A weight on a centred axis: for the match to the right (green), against it to the left (red). */
function weightBar(share) {
  const track = h('span', { class: 'weight-bar', 'aria-hidden': 'true' }, h('span', { class: 'axis' }));
  const fill = h('span', { class: `fill ${share >= 0 ? 'plus' : 'minus'}` });
  const width = Math.min(50, Math.abs(share) * 50);
  fill.style.width = `${width}%`;
  fill.style.left = share >= 0 ? '50%' : `${50 - width}%`;
  track.append(fill);
  return track;
}
