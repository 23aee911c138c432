// /households/{no}: the prefilled form, saved with If-Match; a stale save shows what changed meanwhile.
import { h, show } from './dom.js';
import { t, label } from './i18n.js';
import { api, get, ApiError } from './api.js';
import { HouseholdFormView } from './household-form.js';
import { sourceName } from './fields.js';
import { beijingTime } from './beijing-time.js';
import { certificatesPanel } from './certificates-panel.js';

let definitionCache = null;

async function definition() {
  definitionCache ??= await get('/api/forms/definition');
  return definitionCache;
}

async function loadHousehold(no) {
  const { data, headers } = await api('GET', `/api/forms/households/${encodeURIComponent(no)}`);
  return { household: data, etag: headers.get('ETag') ?? (data.etag ? `"${data.etag}"` : null) };
}

/** The form on screen, so that re-rendering it (the language switched) keeps what the worker typed. */
let active = null;

export async function formPage(root, no, navigate) {
  const carried = active?.no === no && active.view?.element.isConnected ? active.view.edits() : null;
  show(root, h('p', { class: 'loading' }, t('common.loading')));
  let loaded;
  try {
    loaded = { definition: await definition(), ...(await loadHousehold(no)) };
  } catch (error) {
    const message = error instanceof ApiError && error.status === 403 ? t('form.forbidden')
      : error instanceof ApiError && error.status === 404 ? t('form.notFound', { no })
        : t('common.error', { detail: error.message });
    show(root, h('div', { class: 'page' },
      h('p', { class: 'alert', role: 'alert', id: 'form-refused' }, message),
      h('a', { href: '/', 'data-link': '' }, t('form.back'))));
    return;
  }
  active = new FormPage(root, no, loaded, navigate);
  active.render(carried);
}

class FormPage {
  constructor(root, no, loaded, navigate) {
    this.root = root;
    this.no = no;
    this.definition = loaded.definition;
    this.household = loaded.household;
    this.etag = loaded.etag;
    this.navigate = navigate;
    this.status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'form-status' });
    this.conflict = h('section', { class: 'conflict', id: 'conflict', hidden: true, 'aria-live': 'assertive' });
  }

  render(edits = null) {
    this.view = new HouseholdFormView(this.definition, this.household);
    if (edits) this.view.applyEdits(edits);
    const save = h('button', { type: 'submit', class: 'primary', id: 'save' }, t('form.save'));
    const form = h('form', { class: 'page form-page', novalidate: true, 'aria-labelledby': 'form-title' },
      h('div', { class: 'page-head' },
        h('h1', { id: 'form-title' }, label(this.definition.title)),
        h('p', { class: 'sub' }, t('form.title', { no: this.household.householdNo })),
        h('a', { href: '/', 'data-link': '' }, t('form.back'))),
      this.conflict,
      this.view.element,
      h('div', { class: 'save-bar' }, save, this.status));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save(save);
    });
    show(this.root, form, certificatesPanel(this.household.householdNo));
  }

  say(text, kind = 'info') {
    this.status.className = `status ${kind}`;
    show(this.status, text);
  }

  async save(button) {
    const invalid = this.view.validateAll();
    if (invalid.length > 0) {
      this.say(t('form.invalid', { count: invalid.length }), 'error');
      invalid[0].input.focus();
      return;
    }
    const { body, changes } = this.view.body();
    if (changes === 0) {
      this.say(t('form.noChanges'));
      return;
    }
    button.disabled = true;
    this.say(t('form.saving'));
    try {
      const { data, headers } = await api('PUT', `/api/forms/households/${encodeURIComponent(this.no)}`, {
        body, headers: this.etag ? { 'If-Match': this.etag } : {},
      });
      this.household = data;
      this.etag = headers.get('ETag') ?? `"${data.etag}"`;
      this.conflict.hidden = true;
      this.render();
      const opened = data.createdCorrections?.length ?? 0;
      this.say(opened > 0 ? t('form.savedWithCorrections', { count: opened }) : t('form.saved'), 'success');
    } catch (error) {
      button.disabled = false;
      this.failed(error);
    }
  }

  failed(error) {
    if (!(error instanceof ApiError)) {
      this.say(t('common.network'), 'error');
    } else if (error.status === 400 && error.problem.errors) {
      const unclaimed = this.view.showErrors(error.problem.errors);
      const count = Object.keys(error.problem.errors).length;
      this.say([t('form.invalid', { count }), unclaimed.length ? h('ul', {}, unclaimed.map((u) => h('li', {}, u))) : null], 'error');
      this.root.querySelector('.field.invalid input, .field.invalid select')?.focus();
    } else if (error.status === 412) {
      this.showConflict(error.problem.changes ?? []);
    } else if (error.status === 428) {
      this.say(t('conflict.missingEtag'), 'error');
    } else if (error.status === 403) {
      this.say(t('form.forbidden'), 'error');
    } else {
      this.say(t('common.error', { detail: error.message }), 'error');
    }
  }

  /** What changed meanwhile, field by field, and the two ways on: keep my edits over the new data, or drop them. */
  showConflict(changes) {
    const edits = this.view.edits();
    const reload = async (keep) => {
      const fresh = await loadHousehold(this.no);
      this.household = fresh.household;
      this.etag = fresh.etag;
      this.conflict.hidden = true;
      this.render(keep ? edits : null);
      this.say(keep ? t('conflict.reapplied') : '');
    };
    show(this.conflict,
      h('h2', { id: 'conflict-title' }, t('conflict.title')),
      h('p', {}, t('conflict.intro')),
      h('div', { class: 'scroll' }, h('table', { class: 'changes' },
        h('thead', {}, h('tr', {}, ['conflict.field', 'conflict.yours', 'conflict.theirs', 'conflict.who', 'conflict.when'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, changes.map((c) => h('tr', { dataset: { path: c.path } },
          h('td', {}, this.view.labelFor(c.path)),
          h('td', { class: 'yours' }, c.yours ?? '—'),
          h('td', { class: 'theirs' }, c.theirs ?? '—'),
          h('td', {}, sourceName(c.source, c.department)),
          h('td', {}, beijingTime(c.at))))))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'conflict-reapply', onclick: () => reload(true) }, t('conflict.reapply')),
        h('button', { type: 'button', class: 'secondary', id: 'conflict-discard', onclick: () => reload(false) }, t('conflict.discard'))));
    this.conflict.hidden = false;
    this.say(t('conflict.title'), 'error');
    this.conflict.querySelector('button').focus();
  }
}
