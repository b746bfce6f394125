import { Language, formatDateTime, translate } from '@gopy/i18n';
import { html } from '@gopy/text';
import type { RenderedMail } from './rendered-mail';

export type StaffNoticeKind = 'assignment' | 'reminder' | 'escalation' | 'follow_up';

export interface StaffNoticeModel {
  language: Language;
  kind: StaffNoticeKind;
  recipientName: string;
  trackingCode: string;
  subject: string;
  topicName: string;
  caseUrl: string;
  dueAt?: Date | null;
}

/** A notice to staff about a case. It links to the desk and never carries the submitter's details. */
export function renderStaffNotice(model: StaffNoticeModel): RenderedMail {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    translate(model.language, key, params);
  const params = {
    code: model.trackingCode,
    subject: model.subject,
    topic: model.topicName,
    due: model.dueAt ? formatDateTime(model.language, model.dueAt) : '—',
    name: model.recipientName,
  };
  const subject = t(`mail.staff.${model.kind}.subject`, params);
  const lines = [t('mail.staff.greeting', params), t(`mail.staff.${model.kind}.body`, params)];
  const text = [...lines, '', t('mail.staff.open', { link: model.caseUrl }), '', t('mail.staff.signature')].join('\n');
  const body = html`<!doctype html>
<html lang="${model.language}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">
${lines.map((line) => html`<p>${line}</p>`)}
<p><a href="${model.caseUrl}">${t('mail.staff.open', { link: model.caseUrl })}</a></p>
<p>${t('mail.staff.signature')}</p>
</body></html>`;
  return { subject, html: body.value, text };
}

export interface ResponseMailModel {
  language: Language;
  trackingCode: string;
  subject: string;
  body: string;
  trackingUrl: string;
}

/** The answer to a submitter: the response in full, the tracking code in the subject. */
export function renderResponseMail(model: ResponseMailModel): RenderedMail {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    translate(model.language, key, params);
  const subject = t('mail.response.subject', { code: model.trackingCode, subject: model.subject });
  const text = [
    t('mail.receipt.greeting'),
    '',
    t('mail.response.intro', { subject: model.subject }),
    '',
    model.body,
    '',
    t('mail.receipt.track', { link: model.trackingUrl }),
    t('mail.receipt.reply'),
    '',
    t('mail.receipt.signature'),
  ].join('\n');
  const body = html`<!doctype html>
<html lang="${model.language}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">
<p>${t('mail.receipt.greeting')}</p>
<p>${t('mail.response.intro', { subject: model.subject })}</p>
<blockquote style="white-space:pre-wrap;border-left:4px solid #0b5394;margin:0;padding:0 0 0 12px">${model.body}</blockquote>
<p><a href="${model.trackingUrl}">${t('mail.receipt.track', { link: model.trackingUrl })}</a></p>
<p>${t('mail.receipt.reply')}</p>
<p>${t('mail.receipt.signature')}</p>
</body></html>`;
  return { subject, html: body.value, text };
}

/** The one reply to a mail too large to import: what to do instead. */
export function renderMailTooLarge(model: { language: Language; maxBytes: number }): RenderedMail {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    translate(model.language, key, params);
  const size = `${Math.floor(model.maxBytes / (1024 * 1024))} MB`;
  const subject = t('mail.tooLarge.subject');
  const lines = [t('mail.receipt.greeting'), t('mail.tooLarge.body', { size }), t('mail.tooLarge.instead')];
  const text = [...lines, '', t('mail.receipt.signature')].join('\n');
  const body = html`<!doctype html>
<html lang="${model.language}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">
${lines.map((line) => html`<p>${line}</p>`)}
<p>${t('mail.receipt.signature')}</p>
</body></html>`;
  return { subject, html: body.value, text };
}
