// The form definition's rules, checked as the worker types; the server enforces the same ones (FluentValidation).
import { t, label } from './i18n.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** GB 11643 resident ID number: 18 characters, a real birth date, and the ISO 7064 MOD 11-2 check character. */
export function idNumberProblem(text) {
  const id = text.replace(/\s/g, '').toUpperCase();
  if (id.length !== 18) return 'validation.idNumberLength';
  if (!/^\d{17}[\dX]$/.test(id)) return 'validation.idNumberFormat';
  if (!isDate(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`)) return 'validation.idNumberDate';
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  return CHECK[sum % 11] === id[17] ? null : 'validation.idNumberChecksum';
}

/** A mainland mobile (11 digits) or a landline with or without its area code; +86/0086 allowed, as the server reads them. */
export function isPhone(text) {
  let digits = text.replace(/[\s()-]/g, '');
  if (!/^\+?\d{1,20}$/.test(digits)) return false;
  if (digits.startsWith('+')) {
    if (!digits.startsWith('+86')) return false;
    digits = digits.slice(3);
  } else if (digits.length > 4 && digits.startsWith('0086')) {
    digits = digits.slice(4);
  } else if (digits.length === 13 && /^861[3-9]/.test(digits)) {
    digits = digits.slice(2);
  }
  const mobile = (d) => /^1[3-9]\d{9}$/.test(d);
  const local = (d) => /^[1-9]\d{6,7}$/.test(d);
  if (mobile(digits) || local(digits)) return true;
  if (digits.length >= 9 && digits[0] !== '0' && local(digits.slice(2))) digits = '0' + digits;
  const area = /^0(10|2\d)/.test(digits) ? 3 : /^0[3-9]\d\d/.test(digits) ? 4 : 0;
  return area > 0 && local(digits.slice(area));
}

export function isDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return date.getUTCFullYear() === +m[1] && date.getUTCMonth() === +m[2] - 1 && date.getUTCDate() === +m[3];
}

/** The message for a value of a field, or null when it is fine. Empty optional values are fine. */
export function validate(field, raw) {
  const text = (raw ?? '').trim();
  const name = label(field.label);
  const say = (key, params = {}) => t(key, { label: name, ...params });
  if (!text) return field.required ? say('validation.required') : null;
  if (field.maxLength && [...text].length > field.maxLength) return say('validation.maxLength', { max: field.maxLength });
  if (field.pattern && !new RegExp(field.pattern).test(text)) return say('validation.pattern');
  if (field.format === 'id_number') {
    const problem = idNumberProblem(text);
    if (problem) return say(problem);
  }
  if (field.format === 'phone' && !isPhone(text)) return say('validation.pattern');
  switch (field.type) {
    case 'int':
      if (!/^[+-]?\d+$/.test(text)) return say('validation.int');
      break;
    case 'decimal':
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return say('validation.decimal');
      break;
    case 'date':
      if (!isDate(text)) return say('validation.date');
      break;
    case 'code':
      if (field.codes && !field.codes.some((c) => c.code === text)) return say('validation.code');
      break;
    default:
      break;
  }
  return rangeProblem(field, text, say);
}

function rangeProblem(field, text, say) {
  const numeric = field.type === 'int' || field.type === 'decimal';
  if (!numeric && field.type !== 'date') return null;
  const value = numeric ? Number(text) : text;
  const bound = (b) => (numeric ? Number(b) : String(b));
  if (field.min !== undefined && field.min !== null && value < bound(field.min)) return say('validation.min', { min: field.min });
  if (field.max !== undefined && field.max !== null && value > bound(field.max)) return say('validation.max', { max: field.max });
  return null;
}
