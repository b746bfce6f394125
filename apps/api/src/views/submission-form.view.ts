import type { Topic } from '@gopy/config';
import type { UnitOption } from '@gopy/directory';
import { Language, formatBytes, translate } from '@gopy/i18n';
import { LIMITS } from '@gopy/intake';
import { html } from '@gopy/text';
import { describedBy, errorSummary, fieldId, hintAndError, labelFor, notice } from './form-parts.view';
import { renderPage } from './layout.view';

export interface SubmissionFormModel {
  lang: Language;
  token: string;
  topics: readonly Topic[];
  units: UnitOption[];
  values: Record<string, string>;
  errors: Record<string, string>;
  notice?: string;
  attachments: { maxFiles: number; maxBytes: number };
}

/** The form's fields in page order; the error summary follows it. */
export const FORM_FIELDS = [
  'topic',
  'unitCode',
  'subject',
  'body',
  'anonymous',
  'name',
  'email',
  'phone',
  'address',
  'consent',
  'attachments',
];

/** The public form (hòm thư góp ý): works without JavaScript, one column, labelled fields. */
export function renderSubmissionForm(model: SubmissionFormModel): string {
  const { lang, values, errors } = model;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(lang, key, params);
  const common = { requiredText: t('form.required'), optionalText: t('form.optional') };
  const field = (name: string, label: string, extra: { hint?: string; required?: boolean } = {}) => ({
    name,
    label,
    error: errors[name],
    ...common,
    ...extra,
  });
  const aria = (f: ReturnType<typeof field>) =>
    html`${describedBy(f) ? html` aria-describedby="${describedBy(f)}"` : ''}${f.error ? html` aria-invalid="true"` : ''}`;
  const summary = FORM_FIELDS.filter((f) => errors[f]).map((f) => ({
    field: f === 'topic' ? `topic-${model.topics[0]?.code}` : f,
    message: errors[f],
  }));
  const anonymous = values.anonymous;

  const subject = field('subject', t('field.subject'), {
    required: true,
    hint: t('form.subject.hint', { min: LIMITS.subject.min, max: LIMITS.subject.max }),
  });
  const body = field('body', t('field.body'), {
    required: true,
    hint: t('form.body.hint', { min: LIMITS.body.min, max: LIMITS.body.max }),
  });
  const unit = field('unitCode', t('field.unit'), { hint: t('form.unit.hint') });
  const name = field('name', t('field.name'));
  const email = field('email', t('field.email'), { hint: t('form.email.hint') });
  const phone = field('phone', t('field.phone'), { hint: t('form.phone.hint') });
  const address = field('address', t('field.address'));
  const files = field('attachments', t('field.attachments'), {
    hint: t('form.attachments.hint', {
      files: model.attachments.maxFiles,
      size: formatBytes(lang, model.attachments.maxBytes),
    }),
  });

  const content = html`
<h1>${t('form.title')}</h1>
<p class="lead">${t('form.intro')}</p>
${notice(model.notice, 'warn')}
${errorSummary(t('form.errors.title', { count: summary.length }), summary)}
<form method="post" action="/gop-y" enctype="multipart/form-data" novalidate>
  <input type="hidden" name="formToken" value="${model.token}">

  <fieldset class="field${errors.topic ? ' has-error' : ''}"${errors.topic ? html` aria-describedby="field-topic-error"` : ''}>
    <legend>${t('field.topic')} <span class="req">(${t('form.required')})</span></legend>
    ${errors.topic ? html`<p class="error-message" id="field-topic-error">${errors.topic}</p>` : ''}
    ${model.topics.map(
      (topic) => html`<div class="choice">
      <input type="radio" name="topic" id="${fieldId(`topic-${topic.code}`)}" value="${topic.code}"${values.topic === topic.code ? ' checked' : ''}>
      <label for="${fieldId(`topic-${topic.code}`)}">${topic.name[lang]}<span class="choice-hint">${topic.hint[lang]}</span></label>
    </div>`,
    )}
  </fieldset>

  <div class="field${unit.error ? ' has-error' : ''}">
    ${labelFor(unit)}${hintAndError(unit)}
    <select name="unitCode" id="${fieldId('unitCode')}"${aria(unit)}>
      <option value="">${t('form.unit.none')}</option>
      ${model.units.map((u) => html`<option value="${u.code}"${values.unitCode === u.code ? ' selected' : ''}>${u.name}</option>`)}
    </select>
  </div>

  <div class="field${subject.error ? ' has-error' : ''}">
    ${labelFor(subject)}${hintAndError(subject)}
    <input type="text" name="subject" id="${fieldId('subject')}" value="${values.subject ?? ''}" maxlength="${LIMITS.subject.max}" autocomplete="off"${aria(subject)}>
  </div>

  <div class="field${body.error ? ' has-error' : ''}">
    ${labelFor(body)}${hintAndError(body)}
    <textarea name="body" id="${fieldId('body')}" rows="8" maxlength="${LIMITS.body.max}" data-counter="${fieldId('body')}-counter"${aria(body)}>${values.body ?? ''}</textarea>
    <p class="counter" id="${fieldId('body')}-counter" aria-live="polite" data-template="${t('form.counter', { count: '{count}', max: LIMITS.body.max })}"></p>
  </div>

  <fieldset class="field${errors.anonymous ? ' has-error' : ''}">
    <legend>${t('field.anonymous')} <span class="req">(${t('form.required')})</span></legend>
    ${errors.anonymous ? html`<p class="error-message" id="field-anonymous-error">${errors.anonymous}</p>` : ''}
    <div class="choice">
      <input type="radio" name="anonymous" id="${fieldId('anonymous')}" value="yes"${anonymous === 'yes' ? ' checked' : ''}>
      <label for="${fieldId('anonymous')}">${t('form.anonymous.yes')}</label>
    </div>
    <div class="choice">
      <input type="radio" name="anonymous" id="${fieldId('anonymous-no')}" value="no"${anonymous === 'no' ? ' checked' : ''}>
      <label for="${fieldId('anonymous-no')}">${t('form.anonymous.no')}</label>
    </div>
  </fieldset>

  <fieldset class="field contact">
    <legend>${t('form.contact.legend')}</legend>
    <p class="hint">${t('form.contact.hint')}</p>
    <div class="field${name.error ? ' has-error' : ''}">
      ${labelFor(name)}${hintAndError(name)}
      <input type="text" name="name" id="${fieldId('name')}" value="${values.name ?? ''}" autocomplete="name" maxlength="${LIMITS.name.max}"${aria(name)}>
    </div>
    <div class="field${email.error ? ' has-error' : ''}">
      ${labelFor(email)}${hintAndError(email)}
      <input type="email" name="email" id="${fieldId('email')}" value="${values.email ?? ''}" autocomplete="email" inputmode="email" maxlength="${LIMITS.email.max}"${aria(email)}>
    </div>
    <div class="field${phone.error ? ' has-error' : ''}">
      ${labelFor(phone)}${hintAndError(phone)}
      <input type="tel" name="phone" id="${fieldId('phone')}" value="${values.phone ?? ''}" autocomplete="tel" inputmode="tel" maxlength="${LIMITS.phone.max}"${aria(phone)}>
    </div>
    <div class="field${address.error ? ' has-error' : ''}">
      ${labelFor(address)}${hintAndError(address)}
      <input type="text" name="address" id="${fieldId('address')}" value="${values.address ?? ''}" autocomplete="street-address" maxlength="${LIMITS.address.max}"${aria(address)}>
    </div>
    <div class="field${errors.consent ? ' has-error' : ''}">
      ${errors.consent ? html`<p class="error-message" id="field-consent-error">${errors.consent}</p>` : ''}
      <div class="choice">
        <input type="checkbox" name="consent" id="${fieldId('consent')}" value="yes"${values.consent === 'yes' ? ' checked' : ''}${errors.consent ? html` aria-describedby="field-consent-error" aria-invalid="true"` : ''}>
        <label for="${fieldId('consent')}">${t('form.consent.label')}</label>
      </div>
    </div>
  </fieldset>

  <div class="field${files.error ? ' has-error' : ''}">
    ${labelFor(files)}${hintAndError(files)}
    <input type="file" name="attachments" id="${fieldId('attachments')}" multiple accept="image/jpeg,image/png,image/webp,application/pdf"${aria(files)}>
  </div>

  <div class="hp" aria-hidden="true">
    <label for="field-website">${t('form.honeypot')}</label>
    <input type="text" name="website" id="field-website" tabindex="-1" autocomplete="off">
  </div>

  <button type="submit" class="button">${t('form.submit')}</button>
</form>

<section class="privacy" aria-labelledby="privacy-title">
  <h2 id="privacy-title">${t('privacy.title')}</h2>
  <ul>
    <li>${t('privacy.what')}</li>
    <li>${t('privacy.why')}</li>
    <li>${t('privacy.who')}</li>
    <li>${t('privacy.howLong')}</li>
    <li>${t('privacy.anonymous')}</li>
  </ul>
</section>`;
  return renderPage({ lang, title: t('form.title'), path: '/', body: content });
}
