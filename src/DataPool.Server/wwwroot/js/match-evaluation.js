// The review page's evaluation panel: an admin loads a labelled sample (a truth CSV: source_id,source_key,entity) and
// sees how the pool's clustering scores against it — precision, recall and F1 overall, and as curves by threshold, so
// the review and link thresholds can be chosen from evidence. The server judges the file with the same code as
// `datapool match evaluate` and answers with pair counts only; no record's values reach this page.
import { h, svg, show } from './dom.js';
import { t, number } from './i18n.js';

const SERIES = ['precision', 'recall', 'f1'];
/** Ratios with three decimals always, so a column of them lines up. */
const ratio = (value) => Number(value ?? 0).toFixed(3);

export function evaluationPanel() {
  const input = h('input', { type: 'file', id: 'truth-file', accept: '.csv,text/csv' });
  const result = h('div', { id: 'evaluation-result', 'aria-live': 'polite' });
  async function evaluate() {
    const file = input.files?.[0];
    if (!file) return show(result, h('p', { class: 'status error' }, t('matches.eval.choose')));
    show(result, h('p', { class: 'status' }, t('matches.eval.running')));
    const response = await fetch('/api/matches/evaluate', { method: 'POST', body: file, credentials: 'same-origin', headers: { 'Content-Type': 'text/csv', Accept: 'application/json' } });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = answer.detail ?? Object.values(answer.errors ?? {}).flat().join('; ') ?? response.status;
      return show(result, h('p', { class: 'status error', role: 'alert' }, t('matches.eval.failed', { detail })));
    }
    show(result, summary(answer), curve(answer.byThreshold), table(answer.byThreshold));
  }
  return h('section', { id: 'evaluation', class: 'evaluation' },
    h('h2', {}, t('matches.eval.title')),
    h('p', { class: 'sub' }, t('matches.eval.lead')),
    h('div', { class: 'field inline' },
      h('label', { for: 'truth-file' }, t('matches.eval.file')), input,
      h('button', { type: 'button', id: 'evaluate', onclick: evaluate }, t('matches.eval.run'))),
    result);
}

function summary(answer) {
  const pool = answer.pool;
  return h('p', { id: 'evaluation-summary' }, t('matches.eval.summary', {
    records: number(answer.records), missing: number(answer.notInPool),
    precision: ratio(pool.precision), recall: ratio(pool.recall), f1: ratio(pool.f1),
  }));
}

/** Precision, recall and F1 (0–1) against the threshold, one polyline each, on a shared axis. */
function curve(rows) {
  const width = 640; const height = 260; const left = 40; const right = 12; const top = 12; const bottom = 36;
  const thresholds = rows.map((r) => r.threshold);
  const min = Math.min(...thresholds); const max = Math.max(...thresholds);
  const x = (v) => left + ((v - min) / Math.max(max - min, 1e-9)) * (width - left - right);
  const y = (v) => top + (1 - v) * (height - top - bottom);
  const lines = SERIES.map((series) => svg('polyline', {
    class: `series ${series}`, fill: 'none',
    points: rows.map((r) => `${x(r.threshold).toFixed(1)},${y(r.counts[series]).toFixed(1)}`).join(' '),
  }));
  const yTicks = [0, 0.5, 1].map((v) => svg('g', {},
    svg('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid' }),
    svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, number(v, 1))));
  const xTicks = rows.filter((_, i) => i % Math.max(1, Math.ceil(rows.length / 8)) === 0).map((r) => svg('text', {
    x: x(r.threshold), y: height - bottom + 16, 'text-anchor': 'middle', class: 'axis',
  }, number(r.threshold, 1)));
  const best = rows.reduce((a, b) => (b.counts.f1 > a.counts.f1 ? b : a), rows[0]);
  const description = t('matches.eval.curveDescription', { threshold: number(best.threshold, 1), f1: ratio(best.counts.f1) });
  return h('figure', { class: 'chart pr-curve' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${t('matches.eval.curve')}: ${description}`, id: 'pr-curve' },
      yTicks, xTicks, lines,
      svg('text', { x: (left + width - right) / 2, y: height - 4, 'text-anchor': 'middle', class: 'axis' }, t('matches.eval.threshold'))),
    h('figcaption', {}, h('strong', {}, t('matches.eval.curve')), ' ', description,
      h('ul', { class: 'legend' }, SERIES.map((s) => h('li', { class: s }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), t(`matches.eval.${s}`))))));
}

function table(rows) {
  return h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'evaluation-table' },
    h('caption', {}, t('matches.eval.table')),
    h('thead', {}, h('tr', {}, ['threshold', ...SERIES, 'predicted', 'actual'].map((c) => h('th', { scope: 'col' }, t(`matches.eval.${c}`))))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', { class: 'num' }, number(r.threshold, 1)),
      SERIES.map((s) => h('td', { class: 'num' }, ratio(r.counts[s]))),
      h('td', { class: 'num' }, number(r.counts.predicted)), h('td', { class: 'num' }, number(r.counts.actual)))))));
}
