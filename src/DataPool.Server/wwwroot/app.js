// The single page: who is signed in, the header (navigation, language, sign out) and the client routes
//   /                 find a household (workers, admins)
//   /households/{no}  the household's prefilled form
//   /dashboard        the burden ledger
//   the console (issue 15), one module per page, each route listed in CONSOLE with the roles that see it:
//   /sources, /sources/new, /sources/{id}, /runs/{id}, /quarantine, /matches, /reports, /query, /quality
// Routes are real paths (history API); the server answers the page for any of them.
import { h, show, named } from './js/dom.js';
import { t, loadTexts, currentLang, setLang } from './js/i18n.js';
import { api, ApiError } from './js/api.js';
import { loginPage } from './js/login-page.js';
import { searchPage } from './js/search-page.js';
import { formPage } from './js/form-page.js';
import { dashboardPage } from './js/dashboard-page.js';
import { sourcesPage } from './js/sources-page.js';
import { sourceEditorPage } from './js/source-editor-page.js';
import { runPage } from './js/run-page.js';
import { quarantinePage } from './js/quarantine-page.js';
import { matchesPage } from './js/matches-page.js';
import { reportsPage } from './js/reports-page.js';
import { queryPage } from './js/query-page.js';
import { qualityPage } from './js/quality-page.js';

const header = document.getElementById('header');
const main = document.getElementById('main');
let user = null;

const canSearch = () => user && (user.role === 'worker' || user.role === 'admin');
const canSeeDashboard = () => Boolean(user);
const ADMIN = ['admin'];
const ANALYST_ADMIN = ['analyst', 'admin'];

// The console: pattern, the roles that may open it (the API enforces the same roles), the page, and its navigation
// entry (none for pages reached from another page). Order is the navigation's order.
const CONSOLE = [
  { pattern: /^\/sources\/new$/, roles: ADMIN, page: (root) => sourceEditorPage(root, null, navigate) },
  { pattern: /^\/sources\/([^/]+)$/, roles: ADMIN, page: (root, id) => sourceEditorPage(root, id, navigate) },
  { pattern: /^\/sources$/, roles: ADMIN, page: (root) => sourcesPage(root, navigate), nav: ['/sources', 'nav.sources', 'nav-sources'] },
  { pattern: /^\/runs\/([^/]+)$/, roles: ADMIN, page: (root, id) => runPage(root, id, navigate) },
  { pattern: /^\/quarantine$/, roles: ADMIN, page: (root) => quarantinePage(root, navigate), nav: ['/quarantine', 'nav.quarantine', 'nav-quarantine'] },
  { pattern: /^\/matches$/, roles: ADMIN, page: (root) => matchesPage(root, navigate), nav: ['/matches', 'nav.matches', 'nav-matches'] },
  { pattern: /^\/reports$/, roles: ANALYST_ADMIN, page: (root) => reportsPage(root, user, navigate), nav: ['/reports', 'nav.reports', 'nav-reports'] },
  { pattern: /^\/query$/, roles: ['analyst', 'worker', 'admin'], page: (root) => queryPage(root, user, navigate), nav: ['/query', 'nav.query', 'nav-query'] },
  { pattern: /^\/quality$/, roles: ANALYST_ADMIN, page: (root) => qualityPage(root, user, navigate), nav: ['/quality', 'nav.quality', 'nav-quality'] },
];
const mayOpen = (entry) => Boolean(user) && entry.roles.includes(user.role);

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

function renderHeader() {
  const langButton = h('button', { type: 'button', class: 'lang', id: 'lang-switch', lang: currentLang() === 'zh' ? 'en' : 'zh', 'aria-label': t('lang.switchLabel') }, t('lang.switch'));
  langButton.addEventListener('click', () => {
    setLang(currentLang() === 'zh' ? 'en' : 'zh');
    document.title = t('app.title');
    route();
  });
  const links = [];
  if (canSearch()) links.push(['/', t('nav.households'), 'nav-households']);
  if (canSeeDashboard()) links.push(['/dashboard', t('nav.dashboard'), 'nav-dashboard']);
  for (const entry of CONSOLE) {
    if (entry.nav && mayOpen(entry)) links.push([entry.nav[0], t(entry.nav[1]), entry.nav[2]]);
  }
  const here = location.pathname;
  const current = (href) => (href === '/' ? here === '/' || here.startsWith('/households') : here.startsWith(href));
  show(header,
    h('a', { class: 'skip', href: '#main' }, t('app.skip')),
    h('div', { class: 'bar' },
      h('a', { href: '/', 'data-link': '', class: 'brand' }, t('app.title')),
      user ? h('nav', { 'aria-label': t('nav.main') }, h('ul', {}, links.map(([href, text, id]) =>
        h('li', {}, h('a', { href, 'data-link': '', id, 'aria-current': current(href) ? 'page' : undefined }, text))))) : null,
      h('div', { class: 'tools' },
        user ? h('span', { class: 'who', id: 'who' }, t('user.signedInAs', { name: user.displayName || user.name }), ' · ', t(`role.${user.role}`),
          user.community ? [' · ', named(user.communityName, user.community)] : '') : null,
        langButton,
        user ? h('button', { type: 'button', class: 'link', id: 'logout', onclick: logout }, t('user.logout')) : null)));
}

async function logout() {
  try {
    await api('POST', '/api/auth/logout');
  } catch {
    // Signed out already: the page forgets the user either way.
  }
  user = null;
  navigate('/', { replace: true });
}

// Each route renders into a view of its own. A page still waiting for an answer it asked for on an earlier route
// then fills its own detached view, never the page the user has moved on to (a dashboard answering late used to
// replace the query page an analyst had just opened).
function mount(render) {
  const view = h('div', { class: 'view' });
  // A page runs synchronously up to its first await, while the previous view is still shown: a page can carry over
  // what it showed there (the form keeps what the worker typed when the language switches).
  render(view);
  main.replaceChildren(view);
}

function route() {
  renderHeader();
  const path = location.pathname;
  if (!user) {
    mount((view) => loginPage(view, (signedIn) => {
      user = signedIn;
      route();
    }));
    return;
  }
  const household = /^\/households\/([^/]+)$/.exec(path);
  const consoleRoute = CONSOLE.map((entry) => [entry, entry.pattern.exec(path)]).find(([, match]) => match);
  if (consoleRoute) {
    const [entry, match] = consoleRoute;
    if (mayOpen(entry)) mount((view) => entry.page(view, ...match.slice(1).map(decodeURIComponent)));
    else mount((view) => show(view, h('p', { class: 'alert', role: 'alert' }, t('common.forbidden'))));
  } else if (household && canSearch()) {
    mount((view) => formPage(view, decodeURIComponent(household[1]), navigate));
  } else if (path === '/dashboard' && canSeeDashboard()) {
    mount((view) => dashboardPage(view));
  } else if (path === '/' && canSearch()) {
    mount((view) => searchPage(view, user, navigate));
  } else if (path === '/' || path === '/login') {
    navigate('/dashboard', { replace: true });
    return;
  } else {
    mount((view) => show(view, h('p', { class: 'alert', role: 'alert' }, t('common.notFound'))));
  }
  main.focus({ preventScroll: true });
}

document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[data-link]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', route);

async function start() {
  await loadTexts();
  document.title = t('app.title');
  try {
    user = (await api('GET', '/api/auth/me')).data;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) console.warn(error);
    user = null;
  }
  route();
}

start();
