// /query (analysts, workers, admins): a question built from labels. Choose an entity, then the fields by their labels
// (only those the viewer is granted: GET /api/pool lists them with types, codes and masking), add filters built from
// each field's type, run it; the table sorts by a click on a column, pages with the true total, shows codes as their
// labels and masked values as the API masks them; the same query downloads as CSV or xlsx.
// The URL holds the whole query (entity, fields, filters in the API's syntax, sort, page), so it can be bookmarked and
// shared: opening it restores the page and runs the query.
import { h, show } from './dom.js';
import { t, label, number } from './i18n.js';
import { get, ApiError } from './api.js';
import { parseFilter, filterText, initialFilter, filterControl, filterable } from './query-filters.js';

/** Rows per page of the table. */
export const PAGE_SIZE = 20;
/** Parameters of the page's URL that are the page's own, not the API's. */
const OWN = ['entity', 'page'];

// What a user is granted does not change while they work: asked once per user, not on every page turn.
let catalog = null;

async function grantedEntities(user) {
  if (catalog?.user !== user?.name) {
    const asked = { user: user?.name, entities: get('/api/pool') };
    asked.entities.catch(() => { if (catalog === asked) catalog = null; });
    catalog = asked;
  }
  return catalog.entities;
}

/**
 * Community names by code, where the viewer may read the community entity (its fields are nobody's personal data):
 * a community is shown by its name with the code beside. Empty when not granted.
 */
async function communityNames(entities) {
  const community = entities.find((e) => e.name === 'community');
  if (!community || !['community_code', 'name'].every((f) => community.fields.some((c) => c.name === f))) return new Map();
  catalog.communities ??= get('/api/pool/community?fields=community_code,name&limit=1000')
    .then((page) => new Map(page.items.map((c) => [c.community_code, c.name])))
    .catch(() => new Map());
  return catalog.communities;
}

/** The query the URL states, checked against what the viewer is granted (what is not granted is dropped). */
export function readQuery(search, entities) {
  const params = new URLSearchParams(search);
  const entity = entities.find((e) => e.name === params.get('entity')) ?? null;
  if (!entity) return { entity: null, fields: [], filters: [], sort: [], page: 1 };
  const byName = new Map(entity.fields.map((f) => [f.name, f]));
  const named = (params.get('fields') ?? '').split(',').map((f) => f.trim()).filter((f) => byName.has(f));
  const filters = [...params.entries()]
    .filter(([key]) => !OWN.includes(key) && byName.has(key) && filterable(byName.get(key)))
    .map(([key, value]) => parseFilter(byName.get(key), value));
  const sort = (params.get('sort') ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    .map((s) => ({ field: s.replace(/^[-+]/, ''), desc: s.startsWith('-') }))
    .filter((s) => byName.has(s.field) && !byName.get(s.field).masked);
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  return { entity, fields: named.length ? named : entity.fields.map((f) => f.name), filters, sort, page };
}

/** The query's API parameters: fields, filters and sort (the export takes exactly these). */
function apiParams(query) {
  const params = new URLSearchParams();
  params.set('fields', query.fields.join(','));
  for (const filter of query.filters) {
    const text = filterText(filter);
    if (text !== null) params.append(filter.field, text);
  }
  if (query.sort.length) params.set('sort', query.sort.map((s) => `${s.desc ? '-' : ''}${s.field}`).join(','));
  return params;
}

/** The page's URL for the query. */
export function queryUrl(query) {
  if (!query.entity) return '/query';
  const params = new URLSearchParams({ entity: query.entity.name });
  for (const [key, value] of apiParams(query)) params.append(key, value);
  if (query.page > 1) params.set('page', String(query.page));
  return `/query?${params}`;
}

export async function queryPage(root, user) {
  const heading = h('div', { class: 'page-head' }, h('h1', {}, t('query.title')), h('p', { class: 'sub' }, t('query.lead')));
  show(root, h('div', { class: 'page query' }, heading, h('p', { role: 'status' }, t('common.loading'))));
  let entities;
  try {
    entities = await grantedEntities(user);
  } catch (error) {
    show(root, h('div', { class: 'page query' }, heading, failure(error)));
    return;
  }
  if (!entities.length) {
    show(root, h('div', { class: 'page query' }, heading, h('p', { class: 'empty', id: 'query-none' }, t('query.nothingGranted'))));
    return;
  }

  let query = readQuery(location.search, entities);
  const form = h('form', { class: 'query-form', id: 'query-form', 'aria-label': t('query.builder'), novalidate: true });
  const results = h('section', { id: 'query-results', 'aria-labelledby': 'query-results-title' });
  show(root, h('div', { class: 'page query' }, heading, form, results));

  const fieldOf = (name) => query.entity.fields.find((f) => f.name === name);

  function go(next, { focus } = {}) {
    query = next;
    const url = queryUrl(query);
    if (`${location.pathname}${location.search}` !== url) history.pushState(null, '', url);
    renderForm();
    run(focus);
  }

  function renderForm() {
    const entitySelect = h('select', { id: 'query-entity', onchange: (event) => {
      const entity = entities.find((e) => e.name === event.target.value) ?? null;
      go({ entity, fields: entity ? entity.fields.map((f) => f.name) : [], filters: [], sort: [], page: 1 });
    } },
    h('option', { value: '', selected: !query.entity }, t('common.choose')),
    entities.map((e) => h('option', { value: e.name, selected: query.entity?.name === e.name }, label(e.labels))));
    const entityField = h('div', { class: 'field entity' }, h('label', { for: 'query-entity' }, t('query.entity')), entitySelect);
    if (!query.entity) {
      show(form, entityField, h('p', { class: 'muted', id: 'query-start' }, t('query.start')));
      return;
    }

    const boxes = query.entity.fields.map((f) => h('input', { type: 'checkbox', id: `query-field-${f.name}`, value: f.name, checked: query.fields.includes(f.name) }));
    const setAll = (on) => boxes.forEach((box) => { box.checked = on; });
    const fieldList = h('fieldset', { class: 'fields', id: 'query-fields' },
      h('legend', {}, t('query.fields')),
      h('div', { class: 'field-actions' },
        h('button', { type: 'button', class: 'link', id: 'query-all-fields', onclick: () => setAll(true) }, t('query.allFields')),
        h('button', { type: 'button', class: 'link', id: 'query-no-fields', onclick: () => setAll(false) }, t('query.noFields'))),
      h('ul', { class: 'checks' }, query.entity.fields.map((f, i) => h('li', {}, boxes[i],
        h('label', { for: boxes[i].id }, label(f.labels), f.masked ? h('span', { class: 'muted' }, ` ${t('query.masked')}`) : null)))));

    const controls = [];
    const filterBox = h('div', { class: 'filter-list', id: 'query-filter-list' });
    const addFilter = (filter) => {
      const field = fieldOf(filter.field);
      const item = filterControl(field, filter, () => {
        controls.splice(controls.indexOf(item), 1);
        item.element.remove();
        refreshChoices();
        addSelect.focus();
      });
      controls.push(item);
      filterBox.append(item.element);
    };
    const addSelect = h('select', { id: 'query-add-filter' });
    const refreshChoices = () => {
      const used = new Set(controls.map((c) => c.element.dataset.field));
      show(addSelect, h('option', { value: '' }, t('common.choose')),
        query.entity.fields.filter((f) => filterable(f) && !used.has(f.name)).map((f) => h('option', { value: f.name }, label(f.labels))));
    };
    const addButton = h('button', { type: 'button', class: 'secondary', id: 'query-add', onclick: () => {
      const field = fieldOf(addSelect.value);
      if (!field) return;
      addFilter(initialFilter(field));
      refreshChoices();
      controls[controls.length - 1].element.querySelector('select, input')?.focus();
    } }, t('query.add'));
    for (const filter of query.filters) addFilter(filter);
    refreshChoices();

    const problem = h('p', { class: 'status error', id: 'query-problem', role: 'alert' });
    form.onsubmit = (event) => {
      event.preventDefault();
      const fields = boxes.filter((box) => box.checked).map((box) => box.value);
      if (!fields.length) {
        problem.textContent = t('query.pickFields');
        boxes[0].focus();
        return;
      }
      const filters = controls.map((c) => c.read());
      const sort = query.sort.filter((s) => fields.includes(s.field));
      go({ entity: query.entity, fields, filters, sort, page: 1 });
    };
    show(form, entityField, fieldList,
      h('fieldset', { class: 'filters-box' },
        h('legend', {}, t('query.filters')),
        filterBox,
        h('div', { class: 'add-filter' },
          h('div', { class: 'field' }, h('label', { for: 'query-add-filter' }, t('query.addFilter')), addSelect),
          addButton)),
      problem,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'query-run' }, t('query.run'))));
  }

  async function run(focus) {
    if (!query.entity) {
      show(results);
      return;
    }
    const params = apiParams(query);
    params.set('limit', String(PAGE_SIZE));
    params.set('offset', String((query.page - 1) * PAGE_SIZE));
    params.set('total', 'true');
    show(results, h('p', { role: 'status' }, t('common.loading')));
    const asked = query;
    let page;
    try {
      page = await get(`/api/pool/${encodeURIComponent(query.entity.name)}?${params}`);
    } catch (error) {
      if (asked === query) show(results, failure(error));
      return;
    }
    const names = page.fields.some((f) => fieldOf(f)?.format === 'division') ? await communityNames(entities) : new Map();
    if (asked !== query) return;
    // A bookmarked page past the end (the data shrank): show the last page instead.
    const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    if (query.page > pages) {
      query = { ...query, page: pages };
      history.replaceState(null, '', queryUrl(query));
      run(focus);
      return;
    }
    renderResults(page, pages, names);
    if (focus) results.querySelector(focus)?.focus();
  }

  function renderResults(page, pages, names) {
    const shown = page.fields.map(fieldOf);
    const sortOf = (name) => query.sort.find((s) => s.field === name);
    const sortBy = (name) => {
      const current = sortOf(name);
      const sort = [{ field: name, desc: Boolean(current && !current.desc) }];
      go({ ...query, sort, page: 1 }, { focus: `#sort-${name}` });
    };
    const header = (field) => {
      const current = sortOf(field.name);
      const attrs = { scope: 'col', class: numeric(field) ? 'num' : undefined, 'aria-sort': current ? (current.desc ? 'descending' : 'ascending') : undefined };
      if (field.masked) return h('th', attrs, label(field.labels), h('span', { class: 'muted' }, ` ${t('query.masked')}`));
      return h('th', attrs, h('button', { type: 'button', class: 'sort', id: `sort-${field.name}`, dataset: { field: field.name }, onclick: () => sortBy(field.name) },
        label(field.labels),
        h('span', { class: 'arrow', 'aria-hidden': 'true' }, current ? (current.desc ? ' ▼' : ' ▲') : ' ↕')));
    };
    const first = page.offset + 1;
    const last = page.offset + page.items.length;
    const exportUrl = (format) => {
      const params = apiParams(query);
      params.set('format', format);
      return `/api/pool/${encodeURIComponent(query.entity.name)}/export?${params}`;
    };
    show(results,
      h('div', { class: 'results-head' },
        h('h2', { id: 'query-results-title' }, label(query.entity.labels)),
        h('p', { id: 'query-total', role: 'status' }, page.total
          ? t('query.total', { total: number(page.total), first: number(first), last: number(last) })
          : t('query.empty')),
        h('div', { class: 'exports', role: 'group', 'aria-label': t('query.export') },
          h('a', { class: 'button-link', id: 'query-export-csv', href: exportUrl('csv'), download: '' }, t('query.exportCsv')),
          h('a', { class: 'button-link', id: 'query-export-xlsx', href: exportUrl('xlsx'), download: '' }, t('query.exportXlsx')))),
      page.items.length ? h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'query-table' },
        h('caption', { class: 'visually-hidden' }, t('query.caption', { entity: label(query.entity.labels) })),
        h('thead', {}, h('tr', {}, shown.map(header))),
        h('tbody', {}, page.items.map((item) => h('tr', { dataset: { id: item.pool_id } },
          shown.map((field) => cell(field, item[field.name], names))))))) : null,
      pages > 1 ? pager(page, pages) : null);
  }

  function pager(page, pages) {
    const button = (key, to, disabled) => h('button', { type: 'button', class: 'secondary', id: `query-${key}`, disabled,
      onclick: () => go({ ...query, page: to }, { focus: `#query-${key}` }) }, t(`query.${key}`));
    return h('nav', { class: 'pager', 'aria-label': t('query.pager') },
      button('prev', query.page - 1, query.page <= 1),
      h('span', { id: 'query-page', 'aria-current': 'page' }, t('query.pageOf', { page: number(query.page), pages: number(pages) })),
      button('next', query.page + 1, query.page >= pages));
  }

  renderForm();
  run();
}

const numeric = (field) => !field.masked && (field.type === 'int' || field.type === 'decimal');

/**
 * One value as people read it: a code as its label (the code as a tooltip), a community by its name with the code
 * beside, yes/no, masked as the API masked it.
 */
function cell(field, value, names) {
  if (value === null || value === undefined || value === '') return h('td', { class: 'muted' }, '—');
  if (field.format === 'division' && names.has(value)) return h('td', { dataset: { code: value } }, names.get(value), h('span', { class: 'muted' }, ` ${value}`));
  if (field.type === 'date') return h('td', { class: 'nowrap' }, String(value));
  if (field.type === 'code' && !field.masked) {
    const code = field.codes?.find((c) => c.code === value);
    return h('td', { title: value, dataset: { code: value } }, code ? label(code.label) : value);
  }
  if (field.type === 'bool' && !field.masked) return h('td', {}, value === 'true' || value === true ? t('common.yes') : t('common.no'));
  return h('td', { class: numeric(field) ? 'num' : undefined }, String(value));
}

function failure(error) {
  const text = error instanceof ApiError && error.status === 403 ? t('common.forbidden')
    : t('common.error', { detail: error.problem?.title ?? error.message });
  return h('p', { class: 'alert', role: 'alert' }, text);
}
