// One field of the unified form: its label bound to its input, the provenance hint, and its error line.
import { h, idFor } from './dom.js';
import { t, tOr, label } from './i18n.js';
import { validate } from './validation.js';
import { beijingTime } from './beijing-time.js';

/** Who said so, in words: the source's name (户籍系统), else its department's, else its id. */
export function sourceName(source, department) {
  if (!source) return department ? tOr(`department.${department}`, department) : '';
  return tOr(`source.${source}`, department ? tOr(`department.${department}`, source) : source);
}

/**
 * "户籍系统 · 导入于 2026-10-31" for a prefilled value, with "部门记录于 2026-03-15" before the import where the source
 * states when the department recorded it; nothing for a value the pool does not have. Days in Beijing time.
 */
export function hintText(value) {
  if (!value || value.value === null || value.value === undefined || !value.source) return '';
  const who = sourceName(value.source, value.department);
  const when = value.at ? beijingTime(value.at).slice(0, 10) : '';
  return value.recordedAt
    ? t('hint.recorded', { who, recorded: beijingTime(value.recordedAt).slice(0, 10), when })
    : t('hint.by', { who, when });
}

function control(field, id, value, readOnly, describedBy) {
  const common = { id, name: id, 'aria-describedby': describedBy };
  if (field.type === 'code' || field.type === 'bool') {
    const options = field.type === 'bool'
      ? [{ code: 'true', text: t('common.yes') }, { code: 'false', text: t('common.no') }]
      : (field.codes ?? []).map((c) => ({ code: c.code, text: `${label(c.label)}` }));
    const select = h('select', common,
      h('option', { value: '' }, t('common.choose')),
      options.map((o) => h('option', { value: o.code }, o.text)));
    select.value = value ?? '';
    if (readOnly) select.disabled = true;
    return select;
  }
  const type = field.type === 'date' ? 'date' : field.format === 'phone' ? 'tel' : 'text';
  const inputmode = field.type === 'int' ? 'numeric' : field.type === 'decimal' ? 'decimal' : undefined;
  return h('input', {
    ...common, type, inputmode, value: value ?? '', readonly: readOnly || undefined,
    autocomplete: 'off', min: field.type === 'date' ? field.min : undefined, max: field.type === 'date' ? field.max : undefined,
  });
}

/**
 * Renders a field and returns { element, input, path, field, original, check() }. `check()` validates what is typed
 * now, shows the message under the field and returns it (null when fine).
 */
export function renderField(field, path, value, { readOnly = false } = {}) {
  const id = idFor(path);
  // A value the worker's grant withholds (an amount paid, a diagnosis) is shown as withheld and cannot be typed over.
  const withheld = Boolean(value?.withheld);
  const hint = withheld ? t('hint.withheld') : hintText(value);
  const describedBy = `${id}-hint ${id}-error`;
  const locked = readOnly || field.readOnly || withheld;
  const input = control(field, id, value?.value, locked, describedBy);
  const error = h('p', { class: 'error', id: `${id}-error`, 'aria-live': 'polite' });
  const element = h('div', { class: `field${locked ? ' locked' : ''}${withheld ? ' withheld' : ''}`, dataset: { path } },
    h('label', { for: id }, label(field.label), field.required && !locked ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    h('small', { class: 'hint', id: `${id}-hint`, dataset: { source: value?.source ?? '' }, title: value?.at ?? '' }, hint),
    error);
  if (field.required && !locked) input.setAttribute('aria-required', 'true');
  const item = { element, input, path, field, locked, original: value?.value ?? '' };
  item.setError = (message) => {
    error.textContent = message ?? '';
    element.classList.toggle('invalid', Boolean(message));
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  item.check = () => {
    if (item.locked || input.disabled) return null;
    const message = validate(field, input.value);
    item.setError(message);
    return message;
  };
  item.changed = () => !item.locked && (input.value ?? '').trim() !== String(item.original ?? '').trim();
  // Validation as you type; a required field left empty speaks up when the worker leaves it.
  input.addEventListener('input', () => {
    if (input.value.trim() || element.classList.contains('invalid')) item.check();
  });
  input.addEventListener('change', item.check);
  input.addEventListener('blur', item.check);
  return item;
}
