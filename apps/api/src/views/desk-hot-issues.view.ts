import type { StaffPrincipal } from '@gopy/auth';
import { formatTrackingCode } from '@gopy/cases';
import type { DigestData } from '@gopy/digest';
import type { AnswerRecipient, AnswerSummary, ClusterAnswer, HotIssue } from '@gopy/desk';
import { Language, MessageKey, translate } from '@gopy/i18n';
import { SafeHtml, html } from '@gopy/text';
import { csrfField, label, renderDeskPage, when } from './desk-layout.view';
import { errorSummary, notice } from './form-parts.view';

// Hot issues on the desk: the week's list, one issue with its cases and answers, and the
// review of one answer before and after it is sent.

interface Frame {
  lang: Language;
  principal: StaffPrincipal;
  csrfToken: string;
}

const ANSWERING_ROLES = ['unit_lead', 'operator', 'collaborator'];

function translator(lang: Language) {
  return (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
}

const issuePath = (week: string, index: number) => `/ban-lam-viec/tong-hop/${week}/nong/${String(index)}`;

/** The week's hot issues, for everyone on the desk (no week: no digest has been built yet). */
export function renderHotIssueList(model: Frame & { week: string | null; issues: DigestData['hotIssues'] }): string {
  const t = translator(model.lang);
  const { week } = model;
  const items = model.issues.map(
    (h, index) =>
      html`<li><p><a href="${issuePath(week ?? '', index)}"><strong>${t('digest.hotCount', {
        count: String(h.submitters),
        previous: String(h.previousWeek),
      })}</strong></a> · ${h.units.join(', ')} · ${h.terms.join(', ')}</p><blockquote>${h.excerpt}</blockquote></li>`,
  );
  const title = week ? t('hot.title', { week }) : t('nav.hot');
  return renderDeskPage({
    ...model,
    title,
    path: week ? `/ban-lam-viec/tong-hop/${week}/nong` : '/ban-lam-viec/tong-hop/nong',
    body: html`<h1>${title}</h1>
${
  week === null
    ? html`<p>${t('digest.notYet')}</p>`
    : items.length === 0
      ? html`<p>${t('digest.none')}</p>`
      : html`<ol class="hot-issues">${items}</ol>`
}`,
  });
}

function issueSummary(lang: Language, issue: HotIssue): SafeHtml {
  const t = translator(lang);
  return html`<p><strong>${t('digest.hotCount', {
    count: String(issue.submitters),
    previous: String(issue.previousWeek),
  })}</strong></p>
<dl class="facts"><dt>${t('hot.units')}</dt><dd>${issue.units.join(', ') || '—'}</dd>
<dt>${t('hot.terms')}</dt><dd>${issue.terms.join(', ')}</dd>
<dt>${t('hot.excerpt')}</dt><dd><blockquote>${issue.excerpt}</blockquote></dd></dl>`;
}

/** What happened to one case's copy of a sent answer. */
function deliveryOf(lang: Language, r: AnswerRecipient): SafeHtml {
  const t = translator(lang);
  if (r.outcome !== 'sent') return html`${t('hot.delivery.skipped')}`;
  if (r.kind === 'callback')
    return html`${r.callback ? label(lang, 'case.callback', r.callback) : t('hot.delivery.callbackPending')}`;
  if (r.kind === 'letter')
    return html`${r.postedAt ? t('hot.delivery.posted', { time: when(lang, r.postedAt) }) : t('hot.delivery.toPost')}`;
  const mails =
    r.mails.length === 0
      ? ''
      : r.mails.map((status) => ` · ${t('hot.delivery.email', { status: label(lang, 'case.delivery', status) })}`);
  return html`${t('hot.delivery.tracking')}${mails}`;
}

/**
 * The cluster's cases this person may see, with how an answer reaches each; the others are
 * only counted. `answered` shows the outcome of a sent answer instead of the plan.
 */
function recipientTable(lang: Language, recipients: AnswerRecipient[], answered: boolean): SafeHtml {
  const t = translator(lang);
  const shown = recipients.filter((r) => r.trackingCode !== null);
  const hidden = recipients.length - shown.length;
  const rows = shown.map(
    (r) => html`<tr${r.plan === 'send' || r.outcome === 'sent' ? '' : html` class="is-skipped"`}>
<th scope="row"><a class="code" href="/ban-lam-viec/ho-so/${r.caseId}">${formatTrackingCode(r.trackingCode ?? '')}</a></th>
<td>${label(lang, 'channel', r.channel)}</td><td>${label(lang, 'status', r.status)}</td>
<td>${t(`hot.kind.${r.kind}` as MessageKey)}</td>
<td>${
      answered
        ? r.outcome === 'skipped' && r.reason
          ? t(`hot.plan.${r.reason}` as MessageKey)
          : deliveryOf(lang, r)
        : t(`hot.plan.${r.plan}` as MessageKey)
    }</td></tr>`,
  );
  return html`<div class="table-scroll"><table class="cases"><caption>${t('hot.cases')}</caption>
<thead><tr><th scope="col">${t('hot.col.case')}</th><th scope="col">${t('hot.col.channel')}</th><th scope="col">${t(
    'hot.col.status',
  )}</th><th scope="col">${t('hot.col.how')}</th><th scope="col">${t(
    answered ? 'hot.col.delivery' : 'hot.col.plan',
  )}</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${hidden > 0 ? html`<p class="hint">${t('hot.hidden', { count: String(hidden) })}</p>` : ''}`;
}

function answerField(lang: Language, value: string, error?: string): SafeHtml {
  const t = translator(lang);
  return html`<label for="field-response">${t('field.response')}</label>
<p class="hint" id="field-response-hint">${t('digest.hotAnswerHint')}</p>
${error ? html`<p class="error-message" id="field-response-error">${error}</p>` : ''}
<textarea id="field-response" name="response" rows="6" required minlength="10" maxlength="20000" aria-describedby="field-response-hint${
    error ? ' field-response-error' : ''
  }"${error ? html` aria-invalid="true"` : ''}>${value}</textarea>`;
}

/** One hot issue: what people say, its cases, its answers, and a form to draft one. */
export function renderHotIssue(
  model: Frame & {
    issue: HotIssue;
    recipients: AnswerRecipient[];
    answers: AnswerSummary[];
    values?: { response?: string };
    error?: string;
  },
): string {
  const { lang, issue } = model;
  const t = translator(lang);
  const base = issuePath(issue.week, issue.index);
  const canAnswer = model.principal.roles.some((r) => ANSWERING_ROLES.includes(r));
  const answers = model.answers.map(
    (a) =>
      html`<li><a href="${base}/tra-loi/${a.id}">${t(`hot.status.${a.status}` as MessageKey)}</a> · ${t(
        'hot.answerBy',
        { author: a.authorName, time: when(lang, a.sentAt ?? a.createdAt) },
      )}${
        a.status === 'draft'
          ? ''
          : html` · ${t('hot.answerCounts', { sent: String(a.sent), skipped: String(a.skipped) })}`
      }</li>`,
  );
  const title = t('hot.issueTitle', { number: String(issue.index + 1), week: issue.week });
  return renderDeskPage({
    ...model,
    title,
    path: base,
    body: html`<p><a href="/ban-lam-viec/tong-hop/${issue.week}/nong">← ${t('hot.title', { week: issue.week })}</a></p>
<h1>${title}</h1>
${model.error ? errorSummary(t('form.errors.title', { count: '1' }), [{ field: 'response', message: model.error }]) : ''}
${issueSummary(lang, issue)}
${recipientTable(lang, model.recipients, false)}
${
  answers.length > 0
    ? html`<section aria-labelledby="h-answers"><h2 id="h-answers">${t('hot.answers')}</h2><ul>${answers}</ul></section>`
    : ''
}
${
  canAnswer
    ? html`<section aria-labelledby="h-draft"><h2 id="h-draft">${t('hot.draft')}</h2>
<form method="post" action="${base}/tra-loi" class="action">${csrfField(model.csrfToken)}
${answerField(lang, model.values?.response ?? '', model.error)}
<button type="submit" class="button">${t('hot.saveDraft')}</button></form></section>`
    : ''
}`,
  });
}

/** A draft under review (its cases, how each is reached, send or revise), or a sent answer. */
export function renderClusterAnswer(
  model: Frame & { answer: ClusterAnswer; values?: { response?: string }; error?: string; done?: string },
): string {
  const { lang, answer } = model;
  const t = translator(lang);
  const issue = answer.issue;
  const base = `${issuePath(issue.week, issue.index)}/tra-loi/${answer.id}`;
  const reach = answer.recipients.filter((r) => r.plan === 'send').length;
  const draft = answer.status === 'draft' && answer.authorId === model.principal.id;
  const resumable = answer.status === 'sending' && answer.authorId === model.principal.id;
  const title = draft ? t('hot.review') : t('hot.sentTitle');
  const body = html`<p><a href="${issuePath(issue.week, issue.index)}">← ${t('hot.back')}</a></p>
<h1>${title}</h1>
${notice(model.done)}
${model.error ? errorSummary(t('form.errors.title', { count: '1' }), [{ field: 'response', message: model.error }]) : ''}
<p class="meta">${t(`hot.status.${answer.status}` as MessageKey)} · ${t('hot.answerBy', {
    author: answer.authorName,
    time: when(lang, answer.sentAt ?? answer.createdAt),
  })}</p>
${draft ? html`<p>${reach > 0 ? t('hot.reviewIntro', { count: String(reach) }) : t('hot.nobody')}</p>` : ''}
<article class="response"><div class="body">${answer.body}</div></article>
${
  draft || resumable
    ? html`<form method="post" action="${base}/gui" class="action">${csrfField(model.csrfToken)}<button type="submit" class="button"${
        reach === 0 && !resumable ? html` disabled` : ''
      }>${t('digest.hotSend', { count: String(reach) })}</button></form>`
    : ''
}
${recipientTable(lang, answer.recipients, !draft)}
${
  draft
    ? html`<section aria-labelledby="h-revise"><h2 id="h-revise">${t('hot.revise')}</h2>
<form method="post" action="${base}/sua" class="action">${csrfField(model.csrfToken)}
${answerField(lang, model.values?.response ?? answer.body, model.error)}
<button type="submit" class="button secondary">${t('hot.revise')}</button></form>
<form method="post" action="${base}/huy" class="action inline">${csrfField(model.csrfToken)}<button type="submit" class="button danger">${t(
        'hot.discard',
      )}</button></form></section>`
    : ''
}`;
  return renderDeskPage({ ...model, title, path: base, body });
}
