// Every text the UI shows comes from i18n/zh.json or i18n/en.json, plus one file per console page
// (i18n/zh/sources.json, …) so each page keeps its texts beside its module. Chinese first; the choice persists in
// this browser (localStorage) and is sent to nobody.

const KEY = 'datapool.lang';
const LANGS = ['zh', 'en'];
let lang = LANGS.includes(localStorage.getItem(KEY)) ? localStorage.getItem(KEY) : 'zh';
const texts = {};
/** The console pages with a text file of their own under i18n/{lang}/. */
const PAGE_TEXTS = ['sources', 'source-editor', 'run', 'quarantine', 'matches', 'reports', 'query', 'quality'];

async function json(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  return response.ok ? response.json() : {};
}

export async function loadTexts() {
  await Promise.all(LANGS.map(async (l) => {
    const parts = await Promise.all([`/i18n/${l}.json`, ...PAGE_TEXTS.map((page) => `/i18n/${l}/${page}.json`)].map(json));
    texts[l] = Object.assign({}, ...parts);
  }));
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = LANGS.includes(next) ? next : 'zh';
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** The text of a key in the current language, {name} placeholders filled; the key itself when missing. */
export function t(key, params = {}) {
  const text = texts[lang]?.[key] ?? texts.zh?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** A text that may not be in the files (a source or department id): its translation, else the id as it is. */
export function tOr(key, fallback) {
  return texts[lang]?.[key] ?? texts.zh?.[key] ?? fallback;
}

/** A {zh, en} label of the form definition in the current language. */
export function label(labels) {
  if (!labels) return '';
  return labels[lang] || labels.zh || labels.en || '';
}

/** A number in the current language's grouping. */
export function number(value, digits = 0) {
  return Number(value ?? 0).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits });
}
