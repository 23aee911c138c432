// Two small SVG charts drawn here (no chart library, no CDN): a stacked bar of parts of a whole, and grouped bars
// of before/after pairs. Each carries a title and a description for screen readers; colours come from app.css.
import { svg, h } from './dom.js';
import { number } from './i18n.js';

/** One bar split into parts ({ label, value, kind }), with a legend below; widths are proportional. */
export function stackedBar(title, parts, { width = 640 } = {}) {
  const total = parts.reduce((sum, p) => sum + p.value, 0) || 1;
  const height = 44;
  let x = 0;
  const rects = parts.map((part) => {
    const w = (part.value / total) * width;
    const group = svg('g', { class: `part ${part.kind}` },
      svg('rect', { x, y: 0, width: Math.max(w, 0), height }),
      w > 28 ? svg('text', { x: x + w / 2, y: height / 2 + 5, 'text-anchor': 'middle', class: 'inside' }, number(part.value)) : null,
      svg('title', {}, `${part.label}: ${number(part.value)}`));
    x += w;
    return group;
  });
  const description = parts.map((p) => `${p.label} ${number(p.value)}`).join('，');
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: ${description}`, class: 'stacked' }, rects),
    h('figcaption', {}, h('strong', {}, title),
      h('ul', { class: 'legend' }, parts.map((p) => h('li', { class: p.kind }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), `${p.label}: ${number(p.value)}`)))));
}

/** Grouped bars: for each group ({ label, before, after }) two bars on one scale, values written above them. */
export function pairedBars(title, groups, names, { width = 640, height = 240 } = {}) {
  const top = 24;
  const bottom = 40;
  const plot = height - top - bottom;
  const max = Math.max(1, ...groups.flatMap((g) => [g.before, g.after]));
  const slot = width / Math.max(groups.length, 1);
  const bar = Math.min(48, slot / 3);
  const bars = groups.map((g, i) => {
    const center = slot * i + slot / 2;
    const one = (value, kind, offset) => {
      const barHeight = (value / max) * plot;
      const x = center + offset;
      return svg('g', { class: `part ${kind}` },
        svg('rect', { x, y: top + plot - barHeight, width: bar, height: Math.max(barHeight, 0.5) }),
        svg('text', { x: x + bar / 2, y: top + plot - barHeight - 6, 'text-anchor': 'middle' }, number(value, 1)),
        svg('title', {}, `${g.label} · ${kind === 'before' ? names.before : names.after}: ${number(value, 1)}`));
    };
    return svg('g', {},
      one(g.before, 'before', -bar - 2),
      one(g.after, 'after', 2),
      svg('text', { x: center, y: height - bottom + 18, 'text-anchor': 'middle', class: 'axis' }, g.label));
  });
  const description = groups.map((g) => `${g.label}: ${number(g.before, 1)} → ${number(g.after, 1)}`).join('；');
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: ${description}`, class: 'paired' },
      svg('line', { x1: 0, x2: width, y1: top + plot, y2: top + plot, class: 'baseline' }), bars),
    h('figcaption', {}, h('strong', {}, title),
      h('ul', { class: 'legend' },
        h('li', { class: 'before' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), names.before),
        h('li', { class: 'after' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), names.after))));
}
