// The query page's filters, one per field, each built from the field's type and written in the query API's own
// syntax (the page's URL carries exactly what the API is sent):
//   code  → in:a,b      a list of the code table's labels, several may be chosen
//   date, int, decimal → range:lo..hi   from / to, either may stay empty
//   string → eq:text or prefix:text
//   bool  → eq:true / eq:false
import { h } from './dom.js';
import { t, label } from './i18n.js';

const RANGED = ['date', 'int', 'decimal'];

/** A filter read from the URL's (and the API's) text: { field, op, values }. */
export function parseFilter(field, text) {
  const [, op, rest] = /^(eq|in|range|prefix):([\s\S]*)$/.exec(text) ?? [null, 'eq', text];
  if (op === 'in') return { field: field.name, op: 'in', values: rest.split(',').map((v) => v.trim()).filter(Boolean) };
  if (op === 'range') {
    const dots = rest.indexOf('..');
    return { field: field.name, op: 'range', values: dots < 0 ? [rest, ''] : [rest.slice(0, dots), rest.slice(dots + 2)] };
  }
  // A code compared for equality is a list of one: the same control shows it.
  if (field.type === 'code') return { field: field.name, op: 'in', values: [rest] };
  return { field: field.name, op, values: [rest] };
}

/** The filter as the API's query text; null when it says nothing (no code chosen, both ends open, no text). */
export function filterText(filter) {
  const [first = '', second = ''] = filter.values;
  switch (filter.op) {
    case 'in': return filter.values.length ? `in:${filter.values.join(',')}` : null;
    case 'range': return first || second ? `range:${first}..${second}` : null;
    default: return first ? `${filter.op}:${first}` : null;
  }
}

/** The operator a new filter of the field starts with. */
export function initialFilter(field) {
  if (field.type === 'code') return { field: field.name, op: 'in', values: [] };
  if (RANGED.includes(field.type)) return { field: field.name, op: 'range', values: ['', ''] };
  if (field.type === 'bool') return { field: field.name, op: 'eq', values: ['true'] };
  return { field: field.name, op: 'eq', values: [''] };
}

/**
 * The control of one filter: a fieldset named by the field's label, the inputs its type calls for and a remove button.
 * Returns { element, read() } where read() gives the filter as the controls now say.
 */
export function filterControl(field, filter, onRemove) {
  const id = `filter-${field.name}`;
  const name = label(field.labels);
  const remove = h('button', { type: 'button', class: 'link remove', 'aria-label': t('query.removeFilter', { field: name }), onclick: onRemove }, t('query.remove'));
  let body;
  let read;
  if (field.type === 'code') {
    const select = h('select', { id: `${id}-codes`, multiple: true, size: String(Math.min(6, Math.max(2, field.codes?.length ?? 2))) },
      (field.codes ?? []).map((c) => h('option', { value: c.code, selected: filter.values.includes(c.code) }, label(c.label))));
    body = [h('label', { for: select.id }, t('query.codes')), select];
    read = () => ({ field: field.name, op: 'in', values: [...select.selectedOptions].map((o) => o.value) });
  } else if (RANGED.includes(field.type)) {
    const type = field.type === 'date' ? 'date' : 'number';
    const step = field.type === 'decimal' ? 'any' : undefined;
    const from = h('input', { id: `${id}-from`, type, step, value: filter.values[0] ?? '' });
    const to = h('input', { id: `${id}-to`, type, step, value: filter.values[1] ?? '' });
    body = [h('div', { class: 'range' },
      h('div', {}, h('label', { for: from.id }, t('query.from')), from),
      h('div', {}, h('label', { for: to.id }, t('query.to')), to))];
    read = () => ({ field: field.name, op: 'range', values: [from.value.trim(), to.value.trim()] });
  } else if (field.type === 'bool') {
    const select = h('select', { id: `${id}-value` },
      h('option', { value: 'true', selected: filter.values[0] === 'true' }, t('common.yes')),
      h('option', { value: 'false', selected: filter.values[0] === 'false' }, t('common.no')));
    body = [h('label', { for: select.id }, t('query.value')), select];
    read = () => ({ field: field.name, op: 'eq', values: [select.value] });
  } else {
    const mode = h('select', { id: `${id}-op` },
      ['eq', 'prefix'].map((op) => h('option', { value: op, selected: filter.op === op }, t(`query.op.${op}`))));
    const text = h('input', { id: `${id}-text`, type: 'text', value: filter.values[0] ?? '', autocomplete: 'off' });
    body = [h('div', { class: 'range' },
      h('div', {}, h('label', { for: mode.id }, t('query.match')), mode),
      h('div', {}, h('label', { for: text.id }, t('query.value')), text))];
    read = () => ({ field: field.name, op: mode.value, values: [text.value.trim()] });
  }
  const element = h('fieldset', { class: 'filter', id, dataset: { field: field.name } },
    h('legend', {}, name), body, remove);
  return { element, read };
}

/** Whether a filter may be put on the field: the API refuses filters on what the viewer sees masked. */
export const filterable = (field) => !field.masked;
