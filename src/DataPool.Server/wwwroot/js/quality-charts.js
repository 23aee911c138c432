// The data-quality page's charts, SVG drawn here like js/charts.js (no library, no CDN): horizontal bars for a value
// per item (a share, an age, a count) and columns for a rate per run. Each has a text alternative for screen readers,
// and every bar its value written beside it, so nothing depends on colour alone.
import { svg, h } from './dom.js';

/**
 * One horizontal bar per item ({ label, value, text, kind }): value on a scale from 0 to max (default the largest),
 * text written at the bar's end, kind a class (ok, warn, bad) colouring it.
 */
export function horizontalBars(title, items, { max, width = 640, id, textWidth = 90 } = {}) {
  const row = 26;
  const labelWidth = 200;
  const plot = width - labelWidth - textWidth;
  const top = Math.max(max ?? 0, ...items.map((i) => i.value), 0) || 1;
  const height = Math.max(items.length * row, row);
  const bars = items.map((item, i) => {
    const y = i * row;
    const w = Math.max((item.value / top) * plot, item.value > 0 ? 2 : 0);
    return svg('g', { class: `part ${item.kind ?? 'ok'}` },
      svg('text', { x: labelWidth - 8, y: y + row / 2 + 5, 'text-anchor': 'end', class: 'axis' }, clip(item.label, 26)),
      svg('rect', { x: labelWidth, y: y + 4, width: plot, height: row - 8, class: 'track' }),
      svg('rect', { x: labelWidth, y: y + 4, width: w, height: row - 8 }),
      svg('text', { x: labelWidth + plot + 6, y: y + row / 2 + 5 }, item.text),
      svg('title', {}, `${item.label}: ${item.text}`));
  });
  return h('figure', { class: 'chart bars', id },
    h('figcaption', {}, h('strong', {}, title)),
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: ${items.map((i) => `${i.label} ${i.text}`).join('，')}`, class: 'hbars' }, bars));
}

/** Columns of a rate per run ({ label, rate, text, kind }), oldest left, on a scale up to the largest rate (at least 5%). */
export function rateColumns(title, runs, { width = 640, height = 150, id } = {}) {
  const top = 18;
  const bottom = 24;
  const plot = height - top - bottom;
  const max = Math.max(0.05, ...runs.map((r) => r.rate));
  const slot = width / Math.max(runs.length, 1);
  const bar = Math.min(36, slot * 0.6);
  const columns = runs.map((run, i) => {
    const x = slot * i + (slot - bar) / 2;
    const barHeight = (run.rate / max) * plot;
    return svg('g', { class: `part ${run.kind ?? 'ok'}` },
      svg('rect', { x, y: top + plot - barHeight, width: bar, height: Math.max(barHeight, 0.5) }),
      svg('text', { x: x + bar / 2, y: top + plot - barHeight - 4, 'text-anchor': 'middle' }, run.text),
      svg('text', { x: x + bar / 2, y: height - 6, 'text-anchor': 'middle', class: 'axis' }, run.label),
      svg('title', {}, `${run.label}: ${run.text}`));
  });
  return h('figure', { class: 'chart columns', id },
    h('figcaption', {}, h('strong', {}, title)),
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: ${runs.map((r) => `${r.label} ${r.text}`).join('，')}`, class: 'rates' },
      svg('line', { x1: 0, x2: width, y1: top + plot, y2: top + plot, class: 'baseline' }), columns));
}

/** Shortens a label to about `units` narrow characters (a CJK or full-width character counts two) so it fits left of its bar. */
function clip(text, units) {
  const value = String(text ?? '');
  let used = 0;
  for (let i = 0; i < value.length; i += 1) {
    used += value.charCodeAt(i) >= 0x2e80 ? 2 : 1;
    if (used > units) return `${value.slice(0, Math.max(i - 1, 1))}…`;
  }
  return value;
}
