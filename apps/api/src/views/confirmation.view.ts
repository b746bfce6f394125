import { Language, translate } from '@gopy/i18n';
import { html } from '@gopy/text';
import { renderPage } from './layout.view';

export interface ConfirmationModel {
  lang: Language;
  trackingCode: string;
  trackingUrl: string;
  receiptByEmail: boolean;
}

export function renderConfirmation(model: ConfirmationModel): string {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    translate(model.lang, key, params);
  const body = html`
<h1>${t('confirm.title')}</h1>
<div class="code-box">
  <p class="code-label">${t('confirm.code')}</p>
  <p class="tracking-code" id="tracking-code">${model.trackingCode}</p>
</div>
<p><strong>${t('confirm.keep')}</strong></p>
<p>${t('confirm.how', { link: model.trackingUrl })}</p>
${model.receiptByEmail ? html`<p>${t('confirm.email')}</p>` : ''}
<p class="actions">
  <a class="button" href="/theo-doi/${model.trackingCode}">${t('confirm.open')}</a>
  <a class="button secondary" href="/">${t('confirm.another')}</a>
</p>`;
  return renderPage({ lang: model.lang, title: t('confirm.title'), path: '/', body });
}
