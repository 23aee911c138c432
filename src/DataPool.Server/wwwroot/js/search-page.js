// /: find a household of your own community by name, ID number, address or household number.
import { h, show, named } from './dom.js';
import { t, number } from './i18n.js';
import { get, ApiError } from './api.js';

let lastQuery = '';
let lastPage = 1;

export function searchPage(root, user, navigate) {
  const input = h('input', { id: 'search-q', type: 'search', name: 'q', value: lastQuery, autocomplete: 'off', 'aria-describedby': 'search-hint' });
  const results = h('div', { class: 'results', id: 'search-results', 'aria-live': 'polite' });
  const form = h('form', { class: 'search', role: 'search' },
    h('label', { for: 'search-q' }, t('search.label')),
    h('div', { class: 'row' }, input, h('button', { type: 'submit', class: 'primary' }, t('search.submit'))),
    user.role === 'worker' ? h('small', { id: 'search-hint', class: 'hint' }, t('search.hint')) : null);
  const load = async (page) => {
    lastPage = page;
    show(results, h('p', { class: 'loading' }, t('common.loading')));
    try {
      const found = await get(`/api/forms/households?q=${encodeURIComponent(lastQuery)}&page=${page}`);
      renderResults(results, found, navigate, load);
    } catch (error) {
      show(results, h('p', { class: 'alert', role: 'alert' },
        error instanceof ApiError && error.status === 403 ? t('common.forbidden') : t('common.error', { detail: error.message })));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    lastQuery = input.value.trim();
    if (!lastQuery) {
      show(results, h('p', { class: 'alert' }, t('search.tooShort')));
      return;
    }
    load(1);
  });
  show(root, h('div', { class: 'page' }, h('h1', {}, t('search.title')), form, results));
  input.focus();
  // Back from a household: the same search on the same page.
  if (lastQuery) load(lastPage);
}

/** Previous/next with "page n of m"; the API counts every match, so the total is true, not the page's length. */
function pager(found, load) {
  const pages = Math.max(1, Math.ceil(found.total / found.pageSize));
  if (pages === 1) return null;
  const button = (key, page, disabled) => {
    const b = h('button', { type: 'button', class: 'search-pager-button' }, t(key));
    b.disabled = disabled;
    b.addEventListener('click', () => load(page));
    return b;
  };
  return h('nav', { class: 'search-pager', 'aria-label': t('search.pager') },
    button('search.prev', found.page - 1, found.page <= 1),
    h('span', { 'aria-current': 'page' }, t('search.pageOf', { page: number(found.page), pages: number(pages) })),
    button('search.next', found.page + 1, found.page >= pages));
}

function renderResults(container, found, navigate, load) {
  const households = found.items;
  if (!households.length) {
    show(container, h('p', {}, t('search.none')));
    return;
  }
  const open = (no) => (event) => {
    event.preventDefault();
    navigate(`/households/${encodeURIComponent(no)}`);
  };
  show(container,
    h('p', {}, t('search.count', { count: number(found.total) })),
    h('div', { class: 'scroll' }, h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['search.householdNo', 'search.headName', 'search.address', 'search.members', 'search.community'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, households.map((row) => h('tr', {},
        h('td', {}, h('a', { href: `/households/${encodeURIComponent(row.householdNo)}`, onclick: open(row.householdNo), class: 'household-link' }, row.householdNo)),
        h('td', {}, row.headName ?? ''),
        h('td', {}, row.address ?? ''),
        h('td', { class: 'num' }, row.memberCount ?? ''),
        h('td', {}, named(row.communityName, row.communityCode))))))),
    pager(found, load));
}
