import type { PublicCaseView } from '@gopy/cases';
import { Language, MESSAGES, MessageKey, formatDateTime, translate } from '@gopy/i18n';
import { LIMITS } from '@gopy/intake';
import { html } from '@gopy/text';
import { errorSummary, notice } from './form-parts.view';
import { renderPage } from './layout.view';

export interface LookupModel {
  lang: Language;
  code?: string;
  error?: string;
}

export function renderLookup(model: LookupModel): string {
  const t = (key: MessageKey) => translate(model.lang, key);
  const body = html`
<h1>${t('track.title')}</h1>
${errorSummary(translate(model.lang, 'track.errors.title'), model.error ? [{ field: 'code', message: model.error }] : [])}
<form method="post" action="/theo-doi" novalidate>
  <div class="field${model.error ? ' has-error' : ''}">
    <label for="field-code">${t('field.trackingCode')}</label>
    <p class="hint" id="field-code-hint">${t('track.intro')}</p>
    ${model.error ? html`<p class="error-message" id="field-code-error">${model.error}</p>` : ''}
    <input type="text" name="code" id="field-code" class="code-input" value="${model.code ?? ''}" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40" aria-describedby="field-code-hint${model.error ? ' field-code-error' : ''}"${model.error ? ' aria-invalid="true"' : ''}>
  </div>
  <button type="submit" class="button">${t('track.submit')}</button>
</form>`;
  return renderPage({ lang: model.lang, title: t('track.title'), path: '/theo-doi', body });
}

export interface CasePageModel {
  lang: Language;
  view: PublicCaseView;
  topicName: string;
  followUp: { value?: string; error?: string; done?: boolean; refused?: boolean };
}

/** The public case page: status, timeline and answers; never personal data. */
export function renderCasePage(model: CasePageModel): string {
  const { lang, view } = model;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  const when = (d: Date) => formatDateTime(lang, d);
  const body = html`
<h1>${t('track.title')}: <span class="tracking-code inline">${view.trackingCode}</span></h1>
${notice(model.followUp.done ? t('track.followUp.done') : undefined)}
${notice(model.followUp.refused ? t('track.followUp.closed') : undefined, 'warn')}
<dl class="facts">
  <div><dt>${t('track.status')}</dt><dd><span class="status status-${view.status}" id="case-status">${t(`status.${view.status}` as MessageKey)}</span></dd></div>
  <div><dt>${t('track.topic')}</dt><dd>${model.topicName}</dd></div>
  <div><dt>${t('field.subject')}</dt><dd>${view.subject}</dd></div>
  <div><dt>${t('track.received')}</dt><dd>${when(view.receivedAt)}</dd></div>
  <div><dt>${t('track.updated')}</dt><dd>${when(view.lastActivityAt)}</dd></div>
</dl>

<section aria-labelledby="answers-title">
  <h2 id="answers-title">${t('track.answers')}</h2>
  ${
    view.answers.length === 0
      ? html`<p>${t('track.noAnswers')}</p>`
      : view.answers.map(
          (a) =>
            html`<article class="answer"><p class="meta">${when(a.at)}</p><p class="answer-body">${a.body}</p></article>`,
        )
  }
</section>

<section aria-labelledby="timeline-title">
  <h2 id="timeline-title">${t('track.timeline')}</h2>
  <ol class="timeline">
    ${view.timeline.map((e) => html`<li><time>${when(e.at)}</time> ${eventLabel(lang, e.type)}</li>`)}
  </ol>
</section>

${
  view.acceptsFollowUp
    ? html`<section aria-labelledby="follow-up-title">
  <h2 id="follow-up-title">${t('track.followUp.title')}</h2>
  <form method="post" action="/theo-doi/${view.trackingCode}/bo-sung" novalidate>
    <div class="field${model.followUp.error ? ' has-error' : ''}">
      <label for="field-body">${t('field.body')}</label>
      <p class="hint" id="field-body-hint">${t('track.followUp.hint')}</p>
      ${model.followUp.error ? html`<p class="error-message" id="field-body-error">${model.followUp.error}</p>` : ''}
      <textarea name="body" id="field-body" rows="5" maxlength="${LIMITS.followUp.max}" data-counter="field-body-counter" aria-describedby="field-body-hint${model.followUp.error ? ' field-body-error' : ''}"${model.followUp.error ? ' aria-invalid="true"' : ''}>${model.followUp.value ?? ''}</textarea>
      <p class="counter" id="field-body-counter" aria-live="polite" data-template="${t('form.counter', { count: '{count}', max: String(LIMITS.followUp.max) })}"></p>
    </div>
    <button type="submit" class="button">${t('track.followUp.submit')}</button>
  </form>
</section>`
    : ''
}`;
  return renderPage({ lang, title: t('track.title'), path: `/theo-doi/${view.trackingCode}`, body });
}

function eventLabel(lang: Language, type: string): string {
  const key = `event.${type}`;
  return key in MESSAGES[lang] ? translate(lang, key as MessageKey) : type;
}
