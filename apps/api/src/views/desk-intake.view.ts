import type { StaffPrincipal } from '@gopy/auth';
import type { Topic } from '@gopy/config';
import type { PrintableLetter } from '@gopy/desk';
import { Language, MessageKey, formatDateTime, translate } from '@gopy/i18n';
import { SafeHtml, html } from '@gopy/text';
import { csrfField, renderDeskPage } from './desk-layout.view';

export interface ChannelFormModel {
  lang: Language;
  principal: StaffPrincipal;
  csrfToken: string;
  topics: readonly Topic[];
  units: { code: string; name: string }[];
  values: Record<string, string>;
  errors: Record<string, string>;
  fieldOrder?: readonly string[];
}

const order = (fields: readonly string[] | undefined, name: string) => {
  const index = fields?.indexOf(name) ?? -1;
  return index === -1 ? 999 : index;
};

const CALL_FIELDS = [
  'phone',
  'name',
  'consent',
  'calledAt',
  'durationMinutes',
  'topic',
  'unitCode',
  'subject',
  'summary',
];
const LETTER_FIELDS = [
  'receivedOn',
  'name',
  'address',
  'consent',
  'topic',
  'unitCode',
  'subject',
  'body',
  'attachments',
];

function parts(model: ChannelFormModel) {
  const { lang, values, errors } = model;
  const t = (key: MessageKey) => translate(lang, key);
  const described = (name: string, hint?: boolean) => {
    const ids = [hint ? `field-${name}-hint` : '', errors[name] ? `field-${name}-error` : ''].filter(Boolean);
    return ids.length ? html` aria-describedby="${ids.join(' ')}"` : '';
  };
  const invalid = (name: string) => (errors[name] ? html` aria-invalid="true"` : '');
  const error = (name: string) =>
    errors[name] ? html`<p class="error-message" id="field-${name}-error">${errors[name]}</p>` : '';
  const hint = (name: string, key?: MessageKey) =>
    key ? html`<p class="hint" id="field-${name}-hint">${t(key)}</p>` : '';
  const input = (name: string, label: MessageKey, type = 'text', extra = '', hintKey?: MessageKey): SafeHtml =>
    html`<div class="field"><label for="field-${name}">${t(label)}</label>${hint(name, hintKey)}${error(name)}
<input type="${type}" id="field-${name}" name="${name}" value="${values[name] ?? ''}"${invalid(name)}${described(
      name,
      Boolean(hintKey),
    )}${extra ? html` ${extra}` : ''}></div>`;
  const textarea = (name: string, label: MessageKey, rows = 6): SafeHtml =>
    html`<div class="field"><label for="field-${name}">${t(label)}</label>${error(name)}
<textarea id="field-${name}" name="${name}" rows="${String(rows)}"${invalid(name)}${described(name)}>${values[name] ?? ''}</textarea></div>`;
  const topic = html`<div class="field"><label for="field-topic">${t('field.topic')}</label>${error('topic')}
<select id="field-topic" name="topic"${invalid('topic')}${described('topic')}><option value="">—</option>${model.topics.map(
    (x) => html`<option value="${x.code}"${values.topic === x.code ? html` selected` : ''}>${x.name[lang]}</option>`,
  )}</select></div>`;
  const unit = html`<div class="field"><label for="field-unitCode">${t('field.unitCode')}</label>${error('unitCode')}
<select id="field-unitCode" name="unitCode"${invalid('unitCode')}${described('unitCode')}><option value="">${t(
    'desk.coordinators',
  )}</option>${model.units.map(
    (u) =>
      html`<option value="${u.code}"${values.unitCode === u.code ? html` selected` : ''}>${u.code} · ${u.name}</option>`,
  )}</select></div>`;
  const consent = (label: MessageKey) =>
    html`<div class="field">${error('consent')}<div class="check"><input type="checkbox" id="field-consent" name="consent" value="1"${
      values.consent === '1' ? html` checked` : ''
    }${invalid('consent')}${described('consent')}><label for="field-consent">${t(label)}</label></div></div>`;
  // The summary lists problems in the order of the form's fields.
  const ordered = Object.entries(errors).sort(([a], [b]) => order(model.fieldOrder, a) - order(model.fieldOrder, b));
  const summary =
    ordered.length > 0
      ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>${t(
          'desk.fixErrors',
        )}</h2><ul>${ordered.map(([name, message]) => html`<li><a href="#field-${name}">${message}</a></li>`)}</ul></div>`
      : '';
  return { t, input, textarea, topic, unit, consent, summary };
}

/** Logging a phone call: under a minute for the operator, the code to read back at the end. */
export function renderCallForm(model: ChannelFormModel): string {
  const p = parts({ ...model, fieldOrder: CALL_FIELDS });
  const body = html`<h1>${p.t('call.title')}</h1>
<p class="hint">${p.t('call.intro')}</p>
${p.summary}
<form method="post" action="/ban-lam-viec/cuoc-goi" class="stack narrow">
  ${csrfField(model.csrfToken)}
  ${p.input('phone', 'field.phone', 'tel', 'autocomplete="off" inputmode="tel"', 'call.phoneHint')}
  ${p.input('name', 'field.name')}
  ${p.consent('call.consent')}
  ${p.input('calledAt', 'field.calledAt', 'datetime-local', 'required')}
  ${p.input('durationMinutes', 'field.durationMinutes', 'number', 'min="0" max="600" inputmode="numeric"')}
  ${p.topic}
  ${p.unit}
  ${p.input('subject', 'field.subject', 'text', '', 'call.subjectHint')}
  ${p.textarea('summary', 'field.summary', 8)}
  <button type="submit" class="button">${p.t('call.submit')}</button>
</form>`;
  return renderDeskPage({
    lang: model.lang,
    title: p.t('call.title'),
    path: '/ban-lam-viec/cuoc-goi',
    principal: model.principal,
    csrfToken: model.csrfToken,
    body,
  });
}

/** Transcribing a letter from the suggestion box, with its scans. */
export function renderLetterForm(model: ChannelFormModel): string {
  const p = parts({ ...model, fieldOrder: LETTER_FIELDS });
  const body = html`<h1>${p.t('letter.title')}</h1>
<p class="hint">${p.t('letter.intro')}</p>
${p.summary}
<form method="post" action="/ban-lam-viec/thu?_csrf=${model.csrfToken}" enctype="multipart/form-data" class="stack narrow">
  ${p.input('receivedOn', 'field.receivedOn', 'date', 'required')}
  ${p.input('name', 'field.name')}
  ${p.textarea('address', 'field.address', 3)}
  ${p.consent('letter.consent')}
  ${p.topic}
  ${p.unit}
  ${p.input('subject', 'field.subject')}
  ${p.textarea('body', 'field.letterText', 12)}
  <div class="field"><label for="field-attachments">${p.t('field.scans')}</label>
    <p class="hint" id="field-attachments-hint">${p.t('letter.scansHint')}</p>
    <input type="file" id="field-attachments" name="attachments" multiple accept="image/jpeg,image/png,image/webp,application/pdf" aria-describedby="field-attachments-hint">
    ${model.errors.attachments ? html`<p class="error-message" id="field-attachments-error">${model.errors.attachments}</p>` : ''}
    ${Object.keys(model.errors).length > 0 ? html`<p class="hint">${p.t('letter.scansAgain')}</p>` : ''}
  </div>
  <button type="submit" class="button">${p.t('letter.submit')}</button>
</form>`;
  return renderDeskPage({
    lang: model.lang,
    title: p.t('letter.title'),
    path: '/ban-lam-viec/thu',
    principal: model.principal,
    csrfToken: model.csrfToken,
    body,
  });
}

/** After logging: the tracking code, large and grouped, to read aloud or write on the reply. */
export function renderLogged(
  model: { lang: Language; principal: StaffPrincipal; csrfToken: string },
  logged: { caseId: string; trackingCode: string },
  kind: 'call' | 'letter',
): string {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(model.lang, key, params);
  const spoken = logged.trackingCode.split('').join(' ').replace(/ - /g, ' — ');
  const body = html`<h1>${t(kind === 'call' ? 'call.logged' : 'letter.logged')}</h1>
<div class="notice" role="status">
  <p>${t(kind === 'call' ? 'call.readBack' : 'letter.writeCode')}</p>
  <p class="code big"><span aria-hidden="true">${logged.trackingCode
    .split('-')
    .map(
      (group, i) => html`${i > 0 ? '-' : ''}<span class="group">${group}</span>`,
    )}</span><span class="visually-hidden">${spoken}</span></p>
</div>
<p><a href="/ban-lam-viec/ho-so/${logged.caseId}">${t('call.openCase')}</a> ·
<a href="/ban-lam-viec/${kind === 'call' ? 'cuoc-goi' : 'thu'}">${t(kind === 'call' ? 'call.another' : 'letter.another')}</a></p>`;
  return renderDeskPage({
    lang: model.lang,
    title: t(kind === 'call' ? 'call.logged' : 'letter.logged'),
    path: '/ban-lam-viec',
    principal: model.principal,
    csrfToken: model.csrfToken,
    body,
  });
}

/** A reply letter for the post: the recipient block, the answer, the tracking code; print styles only. */
export function renderPrintableLetter(
  lang: Language,
  letter: PrintableLetter,
  trackingCode: string,
  caseId: string,
): string {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  const recipients = letter.recipients.length > 0 ? letter.recipients : [{}];
  return (
    '<!doctype html>\n' +
    html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>${t('letter.printTitle', { code: trackingCode })}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/gopy.css">
</head><body class="print-letter">
${recipients.map(
  (r) => html`<article class="letter">
  <p class="sender">${letter.unitName ?? t('app.name')}</p>
  <address class="recipient">${r.name ?? ''}<br>${r.address ?? ''}</address>
  <p class="date">${formatDateTime(lang, letter.at).split(' ')[1]}</p>
  <h1>${t('letter.replySubject', { subject: letter.subject })}</h1>
  <p>${t('letter.replyIntro', { code: trackingCode })}</p>
  <div class="letter-body">${letter.body}</div>
  <p class="signature">${letter.unitName ?? t('app.name')}</p>
  <p class="track">${t('letter.replyTrack', { code: trackingCode })}</p>
</article>`,
)}
<p class="no-print"><a href="/ban-lam-viec/ho-so/${caseId}">${t('case.back')}</a> · ${t('letter.printHint')}</p>
</body></html>`.value
  );
}
