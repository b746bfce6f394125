import { Language, translate } from '@gopy/i18n';
import { html } from '@gopy/text';
import { renderPage } from './layout.view';
import { notice } from './form-parts.view';

export interface LoginModel {
  lang: Language;
  token: string;
  next: string;
  email?: string;
  error?: string;
}

/** The sign-in form; the token pairs with a cookie so another site cannot post it. */
export function renderLogin(model: LoginModel): string {
  const t = (key: Parameters<typeof translate>[1]) => translate(model.lang, key);
  return renderPage({
    lang: model.lang,
    title: t('login.title'),
    path: '/dang-nhap',
    body: html`<h1>${t('login.title')}</h1>
${model.error ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><p>${model.error}</p></div>` : notice(undefined)}
<form method="post" action="/dang-nhap" class="stack narrow">
  <input type="hidden" name="_login" value="${model.token}">
  <input type="hidden" name="next" value="${model.next}">
  <div class="field">
    <label for="field-email">${t('login.email')}</label>
    <input type="email" id="field-email" name="email" autocomplete="username" required value="${model.email ?? ''}">
  </div>
  <div class="field">
    <label for="field-password">${t('login.password')}</label>
    <input type="password" id="field-password" name="password" autocomplete="current-password" required>
  </div>
  <button type="submit" class="button">${t('login.submit')}</button>
</form>`,
  });
}
