// What the source editor shows of the API's answers: a sample's first rows, and a dry run's mapped and bad rows.
import { h } from './dom.js';
import { t, label, number } from './i18n.js';

/** The sample as the connector read it: the encoding used, its columns and first rows, or why it cannot be read. */
export function previewView(preview) {
  if (preview.failure) return h('p', { class: 'alert', role: 'alert', id: 'preview-failure' }, t('editor.previewFailed', { detail: preview.failure }));
  const lines = preview.columns[0] === '#line';
  return h('section', { class: 'preview', 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, t('editor.previewTitle', { count: preview.rows.length })),
    preview.encoding ? h('p', { class: 'hint', id: 'preview-encoding' }, t('editor.encodingUsed', { encoding: preview.encoding })) : null,
    lines ? h('p', { class: 'hint' }, t('editor.linesHint')) : null,
    h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'preview-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('editor.location')), preview.columns.map((c) => h('th', {}, lines ? t('editor.line') : c)))),
      h('tbody', {}, preview.rows.map((row) => h('tr', { class: row.problem ? 'bad' : undefined },
        h('td', { class: 'location' }, row.location),
        row.problem ? h('td', { colspan: preview.columns.length }, row.problem) : row.values.map((v) => h('td', { class: lines ? 'mono' : undefined }, v ?? ''))))))));
}

/** A field of the stream's entity as the schema declares it, or null. */
function poolField(entities, stream, name) {
  return entities.find((e) => e.name === stream?.entity)?.fields.find((f) => f.name === name) ?? null;
}

/** A mapped value as people read it: a code as its label ("男" for 1). */
function shown(field, value) {
  return value === null || value === undefined ? '' : field?.codes?.[value] ?? value;
}

/** The dry run: counts, the first mapped rows per stream with pool field labels as headers, and every bad row with its reasons. */
export function dryRunView(report, definition, entities) {
  const byStream = new Map();
  for (const row of report.rows) {
    if (!byStream.has(row.stream)) byStream.set(row.stream, []);
    byStream.get(row.stream).push(row);
  }
  return h('section', { class: 'dry-run', 'aria-labelledby': 'dry-run-title' },
    h('h2', { id: 'dry-run-title' }, t('editor.dryRunTitle')),
    h('p', { id: 'dry-run-summary', class: report.passed && report.bad === 0 ? 'status success' : 'status error' },
      t('editor.dryRunSummary', { read: number(report.read), ok: number(report.ok), bad: number(report.bad) })),
    report.failure ? h('p', { class: 'alert', role: 'alert', id: 'dry-run-failure' }, report.failure) : null,
    [...byStream].map(([name, rows]) => {
      const stream = (definition.streams ?? []).find((s) => s.name === name);
      const fields = Object.keys(rows[0]?.values ?? {});
      return h('div', { class: 'scroll' }, h('table', { class: 'list mapped', 'data-stream': name },
        h('caption', {}, t('editor.mappedRows', { stream: name })),
        h('thead', {}, h('tr', {}, h('th', {}, t('editor.location')), fields.map((f) => h('th', {}, poolField(entities, stream, f) ? label(poolField(entities, stream, f).labels) : f)))),
        h('tbody', {}, rows.map((row) => h('tr', { class: row.reasons.length ? 'bad' : undefined },
          h('td', { class: 'location' }, row.location), fields.map((f) => h('td', {}, shown(poolField(entities, stream, f), row.values[f]))))))));
    }),
    report.errors.length ? h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'bad-rows' },
      h('caption', {}, t('editor.badRows', { count: number(report.bad) })),
      h('thead', {}, h('tr', {}, h('th', {}, t('editor.location')), h('th', {}, t('editor.reasons')))),
      h('tbody', {}, report.errors.map((row) => h('tr', {}, h('td', { class: 'location' }, `${row.stream} · ${row.location}`),
        h('td', {}, h('ul', { class: 'reasons' }, row.reasons.map((r) => h('li', {}, r))))))))) : null);
}
