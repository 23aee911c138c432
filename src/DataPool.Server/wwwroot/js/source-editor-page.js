// The source editor (/sources/new, /sources/{id}; admins): upload a sample export, see its columns and first rows,
// map columns to pool fields (suggested from the labels the admission gate knows), edit the definition as JSON with
// errors at their JSON path, dry-run it, save it (live, no restart), delete it. Every value comes from the API.
import { h, show } from './dom.js';
import { t, label, number } from './i18n.js';
import { api, ApiError } from './api.js';
import { FILE_KINDS, BASICS, blankDefinition, mappingOf, applyMapping, withBasics, withSettings, toJson } from './source-editor-definition.js';
import { dryRunView, previewView } from './source-editor-results.js';

const ENCODINGS = ['auto', 'utf-8', 'GB18030', 'GBK'];

export async function sourceEditorPage(root, id, navigate) {
  show(root, h('p', { role: 'status' }, t('common.loading')));
  let entities;
  let definition = blankDefinition();
  try {
    entities = (await api('GET', '/api/sources/editor/fields')).data;
    if (id) definition = (await api('GET', `/api/sources/${encodeURIComponent(id)}`)).data.definition;
  } catch (error) {
    show(root, h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError && error.status === 404 ? t('editor.notFound', { id }) : t('common.error', { detail: error.message })));
    return;
  }
  const editor = new Editor(root, id, definition, entities, navigate);
  editor.render();
  if (id && FILE_KINDS.includes(definition.kind) && definition.settings?.path) editor.preview();
}

class Editor {
  constructor(root, id, definition, entities, navigate) {
    Object.assign(this, { root, id, definition, entities, navigate });
    this.mapping = mappingOf(definition);
    // The columns the admin (or an accepted suggestion) mapped: only these change the definition's fields.
    this.choices = {};
    this.suggested = {};
    this.sample = null;
  }

  render() {
    const d = this.definition;
    const s = d.settings ?? {};
    this.kind = h('select', { id: 'kind' }, FILE_KINDS.concat(FILE_KINDS.includes(d.kind) ? [] : [d.kind])
      .map((k) => h('option', { value: k, selected: k === d.kind }, t(`editor.kind.${k}`) === `editor.kind.${k}` ? k : t(`editor.kind.${k}`))));
    // An encoding the definition names that the list lacks (cp936, utf8) is offered too, so it is never lost.
    const encodings = ENCODINGS.concat(s.encoding && !ENCODINGS.includes(s.encoding) ? [s.encoding] : []);
    this.encoding = h('select', { id: 'encoding' }, encodings.map((e) => h('option', { value: e, selected: e === (s.encoding ?? 'auto') }, e === 'auto' ? t('editor.encodingAuto') : e)));
    this.headerRow = h('input', { id: 'header-row', type: 'number', min: 1, value: s.headerRow ?? 1 });
    this.path = h('input', { id: 'sample-path', value: s.path ?? '', autocomplete: 'off' });
    this.file = h('input', { id: 'sample-file', type: 'file', accept: '.csv,.tsv,.txt,.xlsx,.xlsm,.dat,.fw' });
    this.replace = h('input', { id: 'replace', type: 'checkbox', class: 'check' });
    this.basics = Object.fromEntries(BASICS.map((name) => [name, h('input', {
      id: `basic-${name}`, value: d[name] ?? '', type: name === 'priority' ? 'number' : 'text', readonly: name === 'id' && this.id ? true : undefined,
      autocomplete: 'off', onchange: () => this.formChanged(),
    })]));
    this.json = h('textarea', { id: 'definition-json', rows: 18, spellcheck: 'false', oninput: () => this.jsonChanged() }, toJson(d));
    this.jsonErrors = h('ul', { id: 'json-errors', class: 'json-errors', 'aria-live': 'polite' });
    this.previewBox = h('div', { id: 'preview' });
    this.mappingBox = h('div', { id: 'mapping' });
    this.results = h('div', { id: 'dry-run' });
    this.status = h('p', { id: 'editor-status', class: 'status', role: 'status' });
    this.confirmBox = h('div', { id: 'delete-confirm' });

    show(this.root, h('section', { class: 'page source-editor' },
      h('div', { class: 'page-head' },
        h('h1', {}, this.id ? t('editor.titleEdit', { id: this.id }) : t('editor.titleNew')),
        h('a', { href: '/sources', 'data-link': '' }, t('editor.back'))),
      h('p', { class: 'sub' }, t('editor.lead')),
      h('fieldset', {}, h('legend', {}, t('editor.sample')),
        h('div', { class: 'grid' },
          field('sample-file', t('editor.file'), this.file, t('editor.fileHint')),
          field('sample-path', t('editor.path'), this.path, t('editor.pathHint')),
          field('kind', t('editor.kind'), this.kind),
          field('encoding', t('editor.encoding'), this.encoding),
          field('header-row', t('editor.headerRow'), this.headerRow)),
        h('div', { class: 'inline' }, this.replace, h('label', { for: 'replace' }, t('editor.replace'))),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', id: 'upload', onclick: () => this.upload() }, t('editor.upload')),
          h('button', { type: 'button', class: 'secondary', id: 'preview-button', onclick: () => this.preview() }, t('editor.previewButton')))),
      this.previewBox,
      h('fieldset', {}, h('legend', {}, t('editor.basics')),
        h('div', { class: 'grid' }, BASICS.map((name) => field(`basic-${name}`, t(`editor.basic.${name}`), this.basics[name], t(`editor.basicHint.${name}`))))),
      h('h2', {}, t('editor.mapping')),
      this.mappingBox,
      h('h2', {}, h('label', { for: 'definition-json', class: 'heading' }, t('editor.json'))),
      h('p', { class: 'hint' }, t('editor.jsonHint')),
      this.json,
      this.jsonErrors,
      h('div', { class: 'actions editor-actions' },
        h('button', { type: 'button', class: 'secondary', id: 'dry-run-button', onclick: () => this.dryRun() }, t('editor.dryRun')),
        h('button', { type: 'button', class: 'primary', id: 'save', onclick: () => this.save() }, t('editor.save')),
        this.id ? h('button', { type: 'button', class: 'secondary', id: 'sync', onclick: () => this.sync() }, t('editor.sync')) : null,
        this.id ? h('button', { type: 'button', class: 'secondary danger', id: 'delete', onclick: () => this.askDelete() }, t('editor.delete')) : null),
      this.confirmBox,
      this.status,
      this.results));
    for (const control of [this.kind, this.encoding, this.headerRow, this.path]) control.addEventListener('change', () => this.formChanged());
    this.renderMapping();
  }

  /** The form and the mapping written into the definition, and the JSON text refreshed. */
  formChanged() {
    const values = Object.fromEntries(BASICS.map((name) => [name, this.basics[name].value.trim()]));
    let next = withBasics(this.definition, values);
    if (FILE_KINDS.includes(this.kind.value)) {
      next = withSettings(next, this.kind.value, {
        path: this.path.value.trim(),
        encoding: this.kind.value === 'excel' || this.encoding.value === 'auto' ? undefined : this.encoding.value,
        // The default row 1 is written only where the definition already says it: an edit adds nothing it did not mean.
        headerRow: this.kind.value === 'fixedwidth' || (Number(this.headerRow.value) === 1 && this.definition.settings?.headerRow === undefined)
          ? undefined : Number(this.headerRow.value) || 1,
      });
    }
    this.definition = applyMapping(next, this.choices, this.entities);
    this.json.value = toJson(this.definition);
    this.showErrors({});
  }

  /** Hand-edited JSON read back into the form; a syntax error is shown at $ and the form keeps its values. */
  jsonChanged() {
    let parsed;
    try {
      parsed = JSON.parse(this.json.value);
    } catch (error) {
      this.showErrors({ $: [t('editor.jsonSyntax', { detail: error.message })] });
      return;
    }
    this.showErrors({});
    this.definition = parsed;
    for (const name of BASICS) this.basics[name].value = parsed[name] ?? '';
    if (FILE_KINDS.includes(parsed.kind)) this.kind.value = parsed.kind;
    this.path.value = parsed.settings?.path ?? '';
    this.headerRow.value = parsed.settings?.headerRow ?? 1;
    const encoding = parsed.settings?.encoding ?? 'auto';
    if (![...this.encoding.options].some((o) => o.value === encoding)) this.encoding.append(h('option', { value: encoding }, encoding));
    this.encoding.value = encoding;
    this.mapping = mappingOf(parsed);
    this.choices = {};
    this.renderMapping();
  }

  /** Every error of a ValidationProblem under its JSON path; the form control a path names is marked too. */
  showErrors(errors) {
    const entries = Object.entries(errors ?? {});
    show(this.jsonErrors, entries.flatMap(([path, messages]) => messages.map((message) =>
      h('li', { 'data-path': path }, h('code', {}, path), ' ', message))));
    this.jsonErrors.classList.toggle('alert', entries.length > 0);
    for (const name of BASICS) {
      const invalid = entries.some(([path]) => path === `$.${name}`);
      this.basics[name].closest('.field').classList.toggle('invalid', invalid);
      this.basics[name].setAttribute('aria-invalid', String(invalid));
    }
  }

  async upload() {
    const file = this.file.files?.[0];
    if (!file) return this.say('error', t('editor.chooseFile'));
    const body = new FormData();
    body.append('file', file);
    const response = await fetch(`/api/sources/editor/samples${this.replace.checked ? '?replace=true' : ''}`, { method: 'POST', body, credentials: 'same-origin' });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) return this.say('error', t('editor.uploadFailed', { detail: answer.detail ?? Object.values(answer.errors ?? {}).flat().join('; ') ?? response.status }));
    this.path.value = answer.path;
    this.kind.value = answer.kind;
    if (!this.basics.id.value && !this.id) {
      this.basics.id.value = answer.path.replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'new-source';
    }
    this.say('success', t('editor.uploaded', { path: answer.path, size: number(answer.bytes / 1024, 1) }));
    this.formChanged();
    await this.preview({ suggest: true });
  }

  async preview({ suggest = !this.id } = {}) {
    this.formChanged();
    show(this.previewBox, h('p', { role: 'status' }, t('common.loading')));
    try {
      const { data } = await api('POST', '/api/sources/editor/preview', { body: { kind: this.definition.kind, settings: this.definition.settings, source: this.id ?? undefined, rows: 10 } });
      this.sample = data;
      show(this.previewBox, previewView(data));
      if (data.failure) return;
      if (this.encoding.value === 'auto' && data.encoding) {
        // The detected encoding goes into the definition: a sync does not guess, it reads what the definition says.
        if (![...this.encoding.options].some((o) => o.value === data.encoding)) this.encoding.append(h('option', { value: data.encoding }, data.encoding));
        this.encoding.value = data.encoding;
      }
      if (suggest && data.columns[0] !== '#line') {
        const suggestions = (await api('POST', '/api/sources/editor/suggestions', { body: { columns: data.columns } })).data;
        this.suggested = Object.fromEntries(suggestions.columns.filter((c) => c.field).map((c) => [c.column, `${c.entity}.${c.field}`]));
        for (const [column, target] of Object.entries(this.suggested)) {
          if (column in this.mapping) continue;
          this.mapping[column] = target;
          this.choices[column] = target;
        }
      }
      this.renderMapping();
      this.formChanged();
    } catch (error) {
      show(this.previewBox, h('p', { class: 'alert', role: 'alert' }, t('common.error', { detail: error.message })));
    }
  }

  /** One row per column of the sample (or of the definition when no sample is read): its values and a field choice. */
  renderMapping() {
    const columns = this.sample?.columns?.filter((c) => c !== '#line').length ? this.sample.columns : Object.keys(this.mapping);
    if (columns.length === 0) return show(this.mappingBox, h('p', { class: 'hint' }, t('editor.noColumns')));
    const samples = (i) => (this.sample?.rows ?? []).map((r) => r.values[i]).filter((v) => v).slice(0, 2).join(' · ');
    show(this.mappingBox, h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'mapping-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('editor.column')), h('th', {}, t('editor.sampleValues')), h('th', {}, t('editor.poolField')))),
      h('tbody', {}, columns.map((column, i) => {
        const select = h('select', { 'aria-label': t('editor.fieldFor', { column }), 'data-column': column, onchange: (event) => {
          if (event.target.value) this.mapping[column] = event.target.value;
          else delete this.mapping[column];
          this.choices[column] = event.target.value;
          this.formChanged();
        } },
        h('option', { value: '' }, t('editor.notMapped')),
        this.entities.map((entity) => h('optgroup', { label: label(entity.labels) }, entity.fields.map((f) =>
          h('option', { value: `${entity.name}.${f.name}`, selected: this.mapping[column] === `${entity.name}.${f.name}` }, `${label(entity.labels)} · ${label(f.labels)}`)))));
        const suggested = this.suggested[column] && this.suggested[column] === this.mapping[column];
        return h('tr', {}, h('th', { scope: 'row' }, column), h('td', { class: 'values' }, samples(i)),
          h('td', {}, select, suggested ? h('span', { class: 'badge suggested' }, t('editor.suggested')) : null));
      })))));
  }

  async dryRun() {
    if (!this.readJson()) return;
    show(this.results, h('p', { role: 'status' }, t('editor.dryRunning')));
    try {
      const url = this.id ? `/api/sources/${encodeURIComponent(this.id)}/check?rows=20` : '/api/sources/check?rows=20';
      const { data } = await api('POST', url, { body: this.definition });
      this.showErrors({});
      this.say('', '');
      show(this.results, dryRunView(data, this.definition, this.entities));
    } catch (error) {
      show(this.results);
      this.failed(error);
    }
  }

  async save() {
    if (!this.readJson()) return;
    try {
      if (this.id) await api('PUT', `/api/sources/${encodeURIComponent(this.id)}`, { body: this.definition });
      else await api('POST', '/api/sources', { body: this.definition });
      const saved = this.definition.id;
      this.say('success', t('editor.saved', { id: saved }));
      if (!this.id) this.navigate(`/sources/${encodeURIComponent(saved)}`, { replace: true });
    } catch (error) {
      this.failed(error);
    }
  }

  async sync() {
    try {
      const { data } = await api('POST', `/api/sources/${encodeURIComponent(this.id)}/sync`);
      const run = data?.runId;
      show(this.status, t('editor.syncStarted'), ' ', run ? h('a', { href: `/runs/${run}`, 'data-link': '', id: 'run-link' }, t('editor.openRun', { run })) : h('a', { href: '/sources', 'data-link': '' }, t('editor.back')));
      this.status.className = 'status success';
    } catch (error) {
      this.failed(error);
    }
  }

  askDelete() {
    show(this.confirmBox, h('div', { class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'delete-question' },
      h('p', { id: 'delete-question' }, t('editor.deleteQuestion', { id: this.id })),
      h('button', { type: 'button', class: 'primary danger-fill', id: 'confirm-delete', onclick: () => this.remove() }, t('editor.confirmDelete')),
      ' ',
      h('button', { type: 'button', class: 'secondary', onclick: () => show(this.confirmBox) }, t('editor.cancel'))));
    this.confirmBox.querySelector('#confirm-delete').focus();
  }

  async remove() {
    try {
      await api('DELETE', `/api/sources/${encodeURIComponent(this.id)}`);
      this.navigate('/sources');
    } catch (error) {
      this.failed(error);
    }
  }

  readJson() {
    try {
      this.definition = JSON.parse(this.json.value);
      return true;
    } catch (error) {
      this.showErrors({ $: [t('editor.jsonSyntax', { detail: error.message })] });
      return false;
    }
  }

  failed(error) {
    if (error instanceof ApiError && error.problem?.errors) {
      this.showErrors(error.problem.errors);
      this.say('error', t('editor.invalid'));
    } else {
      this.say('error', t('common.error', { detail: error.message }));
    }
  }

  say(kind, text) {
    show(this.status, text);
    this.status.className = `status ${kind}`;
  }
}

function field(id, text, control, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, text), control, hint ? h('span', { class: 'hint' }, hint) : null);
}
