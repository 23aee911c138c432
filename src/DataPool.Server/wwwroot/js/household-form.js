// The unified form of one household, rendered from the definition and prefilled from the pool: household sections,
// the members as a repeating group (each with its departmental sections), adding and removing members.
import { h } from './dom.js';
import { t, label } from './i18n.js';
import { renderField, sourceName } from './fields.js';

const MEMBERS = 'members';

export class HouseholdFormView {
  constructor(definition, household) {
    this.definition = definition;
    this.household = household;
    this.householdSections = definition.sections.filter((s) => !s.repeating && !s.perMember);
    this.memberSections = definition.sections.filter((s) => s.repeating || s.perMember);
    this.items = [];
    this.members = [];
    this.membersBox = h('div', { class: 'members' });
    this.element = h('div', { class: 'household-form' },
      this.householdSections.map((section) => this.renderSection(section)),
      h('section', { class: 'members-group', 'aria-labelledby': 'members-title' },
        h('h2', { id: 'members-title' }, label(definition.sections.find((s) => s.id === MEMBERS)?.title) || t('form.member', { n: '' })),
        this.membersBox,
        h('button', { type: 'button', class: 'secondary', id: 'add-member', onclick: () => this.addMember(null, true) }, t('form.addMember'))));
    for (const member of household.members ?? []) this.addMember(member, false);
  }

  renderSection(section) {
    const values = this.household.sections?.[section.id] ?? {};
    const fields = section.fields.map((field) => this.track(renderField(field, `${section.id}.${field.name}`, values[field.name])));
    return h('fieldset', { class: 'section', dataset: { section: section.id } },
      h('legend', {}, label(section.title)),
      h('div', { class: 'grid' }, fields.map((f) => f.element)));
  }

  track(item) {
    this.items.push(item);
    return item;
  }

  /** A member card: the person's fields, then each departmental section (open when it holds anything). */
  addMember(member, focus) {
    const entry = { poolId: member?.poolId ?? null, removed: false, items: [], card: null };
    this.members.push(entry);
    const index = () => this.members.indexOf(entry);
    const headName = member?.sections?.[MEMBERS]?.name?.value;
    const legend = h('legend', {});
    const notice = h('p', { class: 'removed-notice', hidden: true }, t('form.removed'));
    const removeButton = h('button', { type: 'button', class: 'link danger' }, t('form.removeMember'));
    const blocks = this.memberSections.map((section) => {
      const values = member?.sections?.[section.id] ?? {};
      const items = section.fields.map((field) => {
        // An ID number already registered is corrected by the household register, not here.
        const readOnly = entry.poolId !== null && field.format === 'id_number';
        const item = renderField(field, memberPath(section, field.name, this.members.length - 1), values[field.name], { readOnly });
        item.member = entry;
        item.sectionId = section.id;
        const note = correctionNote(this.household.corrections, entry.poolId, section, field.name);
        if (note) item.element.append(note);
        entry.items.push(item);
        return item;
      });
      const grid = h('div', { class: 'grid' }, items.map((i) => i.element));
      if (section.repeating) return grid;
      const filled = Object.values(values).some((v) => v?.value !== null && v?.value !== undefined);
      return h('details', { class: 'member-section', open: filled || undefined, dataset: { section: section.id } },
        h('summary', {}, label(section.title)), grid);
    });
    const card = h('fieldset', { class: 'member', dataset: { poolId: entry.poolId ?? 'new' } }, legend, notice, blocks, h('div', { class: 'member-actions' }, removeButton));
    entry.card = card;
    entry.relabel = () => {
      legend.textContent = entry.poolId === null
        ? `${t('form.member', { n: index() + 1 })} · ${t('form.newMember')}`
        : `${t('form.member', { n: index() + 1 })}${headName ? ` · ${headName}` : ''}`;
    };
    removeButton.addEventListener('click', () => {
      if (entry.poolId === null) {
        this.members.splice(index(), 1);
        card.remove();
        this.renumber();
        return;
      }
      entry.removed = !entry.removed;
      card.classList.toggle('removed', entry.removed);
      notice.hidden = !entry.removed;
      removeButton.textContent = entry.removed ? t('form.undoRemove') : t('form.removeMember');
      for (const item of entry.items) {
        item.input.disabled = entry.removed || (item.locked && item.input.tagName === 'SELECT');
        if (entry.removed) item.setError(null);
      }
    });
    this.membersBox.append(card);
    entry.relabel();
    if (focus) entry.items.find((i) => !i.locked)?.input.focus();
    return entry;
  }

  /** Member paths follow the members' places, as the server names them (members[2].phone). */
  renumber() {
    this.members.forEach((entry, i) => {
      for (const item of entry.items) {
        const section = this.memberSections.find((s) => s.id === item.sectionId);
        item.path = memberPath(section, item.field.name, i);
        item.element.dataset.path = item.path;
      }
      entry.relabel();
    });
  }

  allItems() {
    return [...this.items, ...this.members.filter((m) => !m.removed).flatMap((m) => m.items)];
  }

  /** Checks every editable field; returns the items in error. */
  validateAll() {
    return this.allItems().filter((item) => item.check());
  }

  /** The PUT body: only what changed; every member in its place so that error paths name the same members. */
  body() {
    const sections = {};
    for (const item of this.items.filter((i) => i.changed())) {
      const [sectionId, name] = item.path.split('.');
      (sections[sectionId] ??= {})[name] = item.input.value.trim();
    }
    const members = this.members.map((entry) => {
      const memberSections = {};
      if (!entry.removed) {
        for (const item of entry.items.filter((i) => i.changed())) {
          (memberSections[item.sectionId] ??= {})[item.field.name] = item.input.value.trim();
        }
      }
      return { poolId: entry.poolId, remove: entry.removed, sections: memberSections };
    });
    const changes = Object.values(sections).reduce((n, s) => n + Object.keys(s).length, 0)
      + members.reduce((n, m) => n + (m.remove ? 1 : 0) + (m.poolId === null ? 1 : 0)
        + Object.values(m.sections).reduce((k, s) => k + Object.keys(s).length, 0), 0);
    return { body: { sections, members }, changes };
  }

  /** What the worker did, independent of member places: to apply again over a reloaded household. */
  edits() {
    return {
      fields: this.items.filter((i) => i.changed()).map((i) => ({ path: i.path, value: i.input.value })),
      members: this.members.map((entry) => ({
        poolId: entry.poolId,
        removed: entry.removed,
        fields: entry.items.filter((i) => i.changed()).map((i) => ({ sectionId: i.sectionId, name: i.field.name, value: i.input.value })),
      })).filter((m) => m.poolId === null || m.removed || m.fields.length > 0),
    };
  }

  applyEdits(edits) {
    for (const edit of edits.fields) {
      const item = this.items.find((i) => i.path === edit.path);
      if (item && !item.locked) item.input.value = edit.value;
    }
    for (const edit of edits.members) {
      const entry = edit.poolId === null ? this.addMember(null, false) : this.members.find((m) => m.poolId === edit.poolId);
      if (!entry) continue;
      for (const field of edit.fields) {
        const item = entry.items.find((i) => i.sectionId === field.sectionId && i.field.name === field.name);
        if (item && !item.locked) item.input.value = field.value;
      }
      if (edit.removed && !entry.removed) entry.card.querySelector('.member-actions button').click();
    }
    this.allItems().forEach((i) => (i.changed() ? i.check() : null));
  }

  /** Shows the server's messages at the fields they name; returns the messages no field claimed. */
  showErrors(errors) {
    const unclaimed = [];
    for (const [path, messages] of Object.entries(errors ?? {})) {
      const item = this.allItems().find((i) => i.path === path);
      if (item) item.setError(messages.join('；'));
      else unclaimed.push(`${this.labelFor(path)}: ${messages.join('；')}`);
    }
    return unclaimed;
  }

  /** A path's words for a person: "家庭成员 2 · 联系电话". Conflict paths may name members by pool id (members[pool:17]). */
  labelFor(path) {
    const m = /^members\[(pool:)?(\d+)\](?:\.(\w+))?(?:\.(\w+))?$/.exec(path);
    if (!m) {
      const [sectionId, name] = path.split('.');
      const section = this.definition.sections.find((s) => s.id === sectionId);
      const field = section?.fields.find((f) => f.name === name);
      return field ? `${label(section.title)} · ${label(field.label)}` : path;
    }
    const place = m[1] ? this.members.findIndex((e) => String(e.poolId) === m[2]) : Number(m[2]);
    const [sectionId, name] = m[4] ? [m[3], m[4]] : [MEMBERS, m[3]];
    const section = this.definition.sections.find((s) => s.id === sectionId);
    const field = section?.fields.find((f) => f.name === name);
    const who = t('form.member', { n: place >= 0 ? place + 1 : '?' });
    if (!field) return who;
    return sectionId === MEMBERS ? `${who} · ${label(field.label)}` : `${who} · ${label(section.title)} · ${label(field.label)}`;
  }
}

/** The status of the latest correction request (纠错) for a member's field: a department decides it, the form only shows it. */
function correctionNote(corrections, poolId, section, name) {
  if (poolId === null || !corrections?.length) return null;
  const key = section.repeating ? `${MEMBERS}[pool:${poolId}].${name}` : `${MEMBERS}[pool:${poolId}].${section.id}.${name}`;
  const latest = corrections.find((c) => c.formKey === key);
  if (!latest) return null;
  const department = sourceName(null, latest.department);
  return h('p', { class: `correction ${latest.status}`, dataset: { correction: latest.id } },
    t(`correction.${latest.status}`, { department, proposed: latest.proposed, reason: latest.reason ?? '' }));
}

function memberPath(section, name, index) {
  return section.repeating ? `${MEMBERS}[${index}].${name}` : `${MEMBERS}[${index}].${section.id}.${name}`;
}
