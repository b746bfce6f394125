import { Language, formatDateTime, translate } from '@gopy/i18n';
import { html } from '@gopy/text';
import type { RenderedMail } from './rendered-mail';

export interface ReceiptModel {
  language: Language;
  trackingCode: string;
  subject: string;
  receivedAt: Date;
  trackingUrl: string;
}

/** The receipt sent when a submitter gave an email. No personal data in it. */
export function renderReceipt(model: ReceiptModel): RenderedMail {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    translate(model.language, key, params);
  const time = formatDateTime(model.language, model.receivedAt);
  const subject = t('mail.receipt.subject', { code: model.trackingCode, subject: model.subject });
  const text = [
    t('mail.receipt.greeting'),
    '',
    t('mail.receipt.body', { subject: model.subject, time }),
    t('mail.receipt.code', { code: model.trackingCode }),
    t('mail.receipt.track', { link: model.trackingUrl }),
    '',
    t('mail.receipt.reply'),
    '',
    t('mail.receipt.signature'),
  ].join('\n');
  const body = html`<!doctype html>
<html lang="${model.language}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">
<p>${t('mail.receipt.greeting')}</p>
<p>${t('mail.receipt.body', { subject: model.subject, time })}</p>
<p style="font-size:20px"><strong>${t('mail.receipt.code', { code: model.trackingCode })}</strong></p>
<p><a href="${model.trackingUrl}">${t('mail.receipt.track', { link: model.trackingUrl })}</a></p>
<p>${t('mail.receipt.reply')}</p>
<p>${t('mail.receipt.signature')}</p>
</body></html>`;
  return { subject, html: body.value, text };
}
