// Sign in with name and password (POST /api/auth/login sets the session cookie).
import { h, show } from './dom.js';
import { t } from './i18n.js';
import { api, ApiError } from './api.js';

export function loginPage(root, signedIn) {
  const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'alert', role: 'alert', id: 'login-error', hidden: true });
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, t('login.title')),
    h('div', { class: 'field' }, h('label', { for: 'login-name' }, t('login.name')), name),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
    error,
    h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, t('login.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const { data } = await api('POST', '/api/auth/login', { body: { name: name.value.trim(), password: password.value } });
      signedIn(data);
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 429 ? t('login.tooMany')
        : e instanceof ApiError && (e.status === 401 || e.status === 400) ? t('login.failed') : t('common.network');
      error.hidden = false;
      password.value = '';
      password.focus();
    }
  });
  show(root, h('div', { class: 'page narrow' }, form));
  name.focus();
}
