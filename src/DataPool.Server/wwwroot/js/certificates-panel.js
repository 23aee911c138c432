// The certificates a community still issues, offered from the household page: guardianship and land contract for a
// present member, relationship to a deceased former member and kinship for inheritance from the deceased. Each is checked
// first (GET …/check issues nothing): what the pool cannot support is explained here, never printed blank; what it can
// opens as a printable page in a new tab, with its serial.
import { h, show } from './dom.js';
import { t } from './i18n.js';
import { get, ApiError } from './api.js';

const query = (other) => (other ? `?other=${other}` : '');
const url = (kind, poolId, other, suffix = '') => `/api/certificates/${kind}/${poolId}${suffix}${query(other)}`;

export function certificatesPanel(householdNo) {
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'certificate-status' });
  const body = h('div', {}, h('p', { class: 'loading' }, t('common.loading')));
  const panel = h('section', { class: 'page certificates-panel', id: 'certificates', 'aria-labelledby': 'certificates-title' },
    h('h2', { id: 'certificates-title' }, t('certificates.title')),
    h('p', { class: 'sub' }, t('certificates.intro')),
    body, status);

  const issue = async (kind, poolId, other) => {
    show(status, t('certificates.checking'));
    try {
      const check = await get(url(kind, poolId, other, '/check'));
      if (!check.ok) {
        status.className = 'status error';
        show(status, t('certificates.refused', { reason: check.reason }));
        return;
      }
      status.className = 'status success';
      show(status, t('certificates.opened'));
      window.open(url(kind, poolId, other), '_blank', 'noopener');
    } catch (error) {
      status.className = 'status error';
      show(status, error instanceof ApiError ? t('common.error', { detail: error.message }) : t('common.network'));
    }
  };

  const button = (kind, poolId, other, id) =>
    h('button', { type: 'button', class: 'secondary', id, dataset: { kind }, onclick: () => issue(kind, poolId, other) }, t(`certificates.${kind}`));

  get(`/api/certificates/household/${encodeURIComponent(householdNo)}`).then((members) => {
    const present = members.filter((m) => !m.former);
    const former = members.filter((m) => m.former);
    show(body,
      h('table', { class: 'list', id: 'certificate-members' },
        h('thead', {}, h('tr', {}, [t('certificates.member'), t('certificates.relation'), t('certificates.issue')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {},
          present.map((m) => h('tr', { dataset: { poolId: String(m.poolId) } },
            h('th', { scope: 'row' }, m.name ?? '—'), h('td', {}, m.relation ?? ''),
            h('td', { class: 'actions' },
              button('guardianship', m.poolId, null, `guardianship-${m.poolId}`),
              button('land-contract', m.poolId, null, `land-contract-${m.poolId}`),
              former.map((d) => h('button', { type: 'button', class: 'secondary', id: `deceased-relationship-${m.poolId}-${d.poolId}`, dataset: { kind: 'deceased-relationship' },
                onclick: () => issue('deceased-relationship', m.poolId, d.poolId) }, t('certificates.relationshipTo', { name: d.name ?? '' })))))),
          former.map((d) => h('tr', { class: 'former', dataset: { poolId: String(d.poolId) } },
            h('th', { scope: 'row' }, `${d.name ?? '—'}（${t('certificates.former')}）`), h('td', {}, d.relation ?? ''),
            h('td', { class: 'actions' }, button('inheritance-kinship', d.poolId, null, `inheritance-kinship-${d.poolId}`)))))));
  }).catch((error) => {
    show(body, h('p', { class: 'alert' }, error instanceof ApiError && error.status === 404 ? t('certificates.none') : t('common.error', { detail: error.message })));
  });
  return panel;
}
