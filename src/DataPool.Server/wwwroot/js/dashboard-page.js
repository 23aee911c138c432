// /dashboard: the burden ledger (GET /api/burden) — forms retired against forms still needing input, and field
// entries per household per year before and after, in total and per community.
import { h, show } from './dom.js';
import { t, number, tOr, currentLang } from './i18n.js';
import { get, ApiError } from './api.js';
import { stackedBar, pairedBars } from './charts.js';

export async function dashboardPage(root) {
  show(root, h('p', { class: 'loading' }, t('common.loading')));
  let burden;
  try {
    burden = await get('/api/burden');
  } catch (error) {
    show(root, h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError && error.status === 403 ? t('common.forbidden') : t('common.error', { detail: error.message })));
    return;
  }
  const reports = burden.generatedReports ?? burden.forms?.filter((f) => f.status === 'report').length ?? 0;
  const metric = (key, value, digits = 0) => h('div', { class: 'metric', dataset: { metric: key } },
    h('span', { class: 'value' }, number(value, digits)), h('span', { class: 'name' }, t(`dashboard.${key}`)));
  const names = { before: t('dashboard.before'), after: t('dashboard.after') };
  const communities = burden.communities ?? [];
  show(root, h('div', { class: 'page dashboard' },
    h('h1', {}, t('dashboard.title')),
    h('p', { class: 'lead', id: 'burden-summary' }, t('dashboard.summary', { before: burden.legacyForms, unified: burden.unifiedForms, reports })),
    h('div', { class: 'metrics' },
      metric('legacyForms', burden.legacyForms),
      metric('retired', burden.retired),
      metric('remaining', burden.remaining),
      metric('unifiedForms', burden.unifiedForms),
      metric('generatedReports', reports),
      metric('households', burden.households)),
    stackedBar(t('dashboard.formsChart'), [
      { label: t('status.retired'), value: burden.retired, kind: 'retired' },
      { label: t('status.remaining'), value: burden.remaining, kind: 'remaining' },
      ...(burden.retired + burden.remaining < burden.legacyForms ? [{ label: t('status.report'), value: burden.legacyForms - burden.retired - burden.remaining, kind: 'report' }] : []),
    ]),
    pairedBars(t('dashboard.entriesChart'), [
      { label: t('dashboard.total'), before: burden.entriesPerHouseholdBefore, after: burden.entriesPerHouseholdAfter },
      ...communities.map((c) => ({ label: c.name ?? c.code, before: perHousehold(c, 'Before'), after: perHousehold(c, 'After') })),
    ], names),
    certificateSection(burden),
    h('h2', {}, t('dashboard.communities')),
    h('div', { class: 'scroll' }, communityTable(communities, burden)),
    h('h2', {}, t('dashboard.forms')),
    h('div', { class: 'scroll' }, formTable(burden.forms ?? []))));
}

// Certificates (证明): every kind communities used to issue, what answers the need now, issues a year before and after,
// and the estimate of worker time saved with its basis stated.
function certificateSection(burden) {
  const kinds = burden.certificates ?? [];
  if (!kinds.length) return h('div', {});
  return h('section', { id: 'certificates' },
    h('h2', {}, t('dashboard.certificates')),
    h('p', { class: 'lead', id: 'certificate-summary' }, t('dashboard.certificateSummary', { before: burden.certificateKindsBefore, issued: burden.certificateKindsIssued })),
    h('div', { class: 'metrics' },
      h('div', { class: 'metric', dataset: { metric: 'certificatesBefore' } }, h('span', { class: 'value' }, number(burden.certificatesPerYearBefore)), h('span', { class: 'name' }, t('dashboard.certificatesBefore'))),
      h('div', { class: 'metric', dataset: { metric: 'certificatesAfter' } }, h('span', { class: 'value' }, number(burden.certificatesPerYearAfter)), h('span', { class: 'name' }, t('dashboard.certificatesAfter'))),
      h('div', { class: 'metric', dataset: { metric: 'hoursSaved' } }, h('span', { class: 'value' }, number(burden.hoursSavedPerYear, 1)), h('span', { class: 'name' }, t('dashboard.hoursSaved')))),
    h('p', { class: 'basis', id: 'hours-basis' }, t('dashboard.hoursBasis', { entry: burden.secondsPerEntry, certificate: burden.secondsPerCertificate })),
    h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'certificate-kinds' },
      h('thead', {}, h('tr', {}, ['dashboard.certificate', 'dashboard.askedBy', 'dashboard.replacement', 'dashboard.perYearBefore', 'dashboard.perYearAfter']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, kinds.map((k) => h('tr', { dataset: { replacement: k.replacement } },
        h('th', { scope: 'row' }, currentLang() === 'en' ? k.nameEn : k.name),
        h('td', {}, tOr(`department.${k.askedBy}`, k.askedBy)),
        h('td', {}, h('span', { class: `badge ${k.replacement}` }, t(`replacement.${k.replacement}`))),
        h('td', { class: 'num' }, number(k.perYearBefore)),
        h('td', { class: 'num' }, number(k.perYearAfter))))))));
}

function perHousehold(c, when) {
  const given = c[`entriesPerHousehold${when}`];
  if (given !== undefined && given !== null) return given;
  return c.households ? c[`entries${when}`] / c.households : 0;
}

function communityTable(communities, burden) {
  const reduction = (before, after) => (before ? `${number((1 - after / before) * 100, 1)}%` : '—');
  const row = (cells, cls) => h('tr', { class: cls }, cells.map((c, i) => (i < 2 ? h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, c) : h('td', { class: 'num' }, c))));
  return h('table', { class: 'list', id: 'communities' },
    h('thead', {}, h('tr', {}, ['dashboard.community', 'dashboard.communityCode', 'dashboard.households', 'dashboard.entriesBefore', 'dashboard.entriesAfter', 'dashboard.reduction']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, communities.map((c) => row([c.name ?? c.code, c.code, number(c.households), number(perHousehold(c, 'Before'), 1), number(perHousehold(c, 'After'), 1),
      reduction(perHousehold(c, 'Before'), perHousehold(c, 'After'))]))),
    h('tfoot', {}, row([t('dashboard.total'), '', number(burden.households), number(burden.entriesPerHouseholdBefore, 1), number(burden.entriesPerHouseholdAfter, 1),
      reduction(burden.entriesPerHouseholdBefore, burden.entriesPerHouseholdAfter)], 'total')));
}

function formTable(forms) {
  return h('table', { class: 'list', id: 'forms' },
    h('thead', {}, h('tr', {}, ['dashboard.formName', 'dashboard.department', 'dashboard.status', 'dashboard.perYear', 'dashboard.fields']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, forms.map((f) => h('tr', { dataset: { status: f.status } },
      h('th', { scope: 'row' }, f.name),
      h('td', {}, tOr(`department.${f.department}`, f.department)),
      h('td', {}, h('span', { class: `badge ${f.status}` }, t(`status.${f.status}`))),
      h('td', { class: 'num' }, number(f.perYear, 1)),
      h('td', { class: 'num' }, `${f.fields} (${f.mappedFields})`)))));
}
