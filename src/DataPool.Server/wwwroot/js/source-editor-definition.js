// The source editor's model: the definition JSON is the truth; the form and the column mapping are views of it.
// formToDefinition writes what the form holds into the definition (keeping whatever the form does not show: parse,
// codes, a stream's mode and cursor); definitionToForm reads the form back after the JSON was edited by hand.

export const FILE_KINDS = ['csv', 'excel', 'fixedwidth'];

/** A new source's starting definition. */
export function blankDefinition() {
  return { id: '', name: '', department: '', kind: 'csv', settings: { path: '', encoding: 'GB18030', headerRow: 1 }, priority: 10, streams: [] };
}

/** column → 'entity.field' as the definition maps it (a field read from one column only). */
export function mappingOf(definition) {
  const mapping = {};
  for (const stream of definition.streams ?? []) {
    for (const [field, rule] of Object.entries(stream.fields ?? {})) {
      const from = singleColumn(rule);
      if (from !== null && stream.entity) mapping[from] = `${stream.entity}.${field}`;
    }
  }
  return mapping;
}

/**
 * The definition with the admin's column choices applied (column → 'entity.field', '' for not imported): only the
 * columns chosen are touched, so whatever the form cannot show stays as written (a column read by fields of two
 * streams, several columns joined, codes, parse, mode, cursor). A stream is created for an entity first mapped to, and
 * a stream without a key gets the columns mapped to its entity's key fields.
 */
export function applyMapping(definition, choices, entities) {
  const streams = (definition.streams ?? []).map((s) => ({ ...s, fields: { ...(s.fields ?? {}) } }));
  for (const [column, target] of Object.entries(choices)) {
    for (const stream of streams) {
      for (const [field, rule] of Object.entries(stream.fields)) {
        if (singleColumn(rule) === column && `${stream.entity}.${field}` !== target) delete stream.fields[field];
      }
    }
    if (!target) continue;
    const [entity, field] = target.split('.');
    let stream = streams.find((s) => s.entity === entity);
    if (!stream) {
      stream = { name: entity, entity, key: [], mode: 'full', fields: {} };
      streams.push(stream);
    }
    if (singleColumn(stream.fields[field]) !== column) stream.fields[field] = { from: column };
  }
  for (const stream of streams) {
    const keyColumns = (entities.find((e) => e.name === stream.entity)?.key ?? []).map((k) => singleColumn(stream.fields[k]));
    if (!stream.key?.length && keyColumns.length > 0 && keyColumns.every(Boolean)) stream.key = keyColumns;
  }
  return { ...definition, streams: streams.filter((s) => Object.keys(s.fields).length > 0) };
}

/** The one column a field mapping reads, or null (several columns, or none). */
function singleColumn(rule) {
  if (!rule) return null;
  if (typeof rule.from === 'string') return rule.from;
  return Array.isArray(rule.from) && rule.from.length === 1 ? rule.from[0] : null;
}

/** The basic fields the form shows, in definition order. */
export const BASICS = ['id', 'name', 'department', 'schedule', 'priority'];

export function withBasics(definition, values) {
  const next = { ...definition };
  for (const name of BASICS) {
    const value = values[name];
    if (name === 'priority') next.priority = value === '' || value === undefined ? undefined : Number(value);
    else if (name === 'schedule') {
      if (value) next.schedule = value;
      else delete next.schedule;
    } else next[name] = value ?? '';
  }
  return next;
}

/** Settings that read the sample: the form's choices over the definition's. */
export function withSettings(definition, kind, settings) {
  const merged = { ...(definition.settings ?? {}), ...settings };
  for (const [key, value] of Object.entries(merged)) if (value === '' || value === undefined) delete merged[key];
  return { ...definition, kind, settings: merged };
}

/** The JSON text shown in the editor. */
export function toJson(definition) {
  return JSON.stringify(definition, null, 2);
}
