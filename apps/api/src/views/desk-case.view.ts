import type { StaffPrincipal } from '@gopy/auth';
import { formatTrackingCode } from '@gopy/cases';
import type { Topic } from '@gopy/config';
import type { CaseDetail, RevealedContact } from '@gopy/desk';
import { Language, MESSAGES, MessageKey, translate } from '@gopy/i18n';
import { SafeHtml, html } from '@gopy/text';
import { csrfField, label, renderDeskPage, when } from './desk-layout.view';

export interface DeskCaseModel {
  lang: Language;
  principal: StaffPrincipal;
  csrfToken: string;
  detail: CaseDetail;
  topics: readonly Topic[];
  errors?: Record<string, string>;
  values?: Record<string, string>;
  done?: boolean;
  contacts?: RevealedContact[];
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'];

/** The case page: the opinion (never who wrote it, unless revealed), deadlines, why it is here, timeline, actions. */
export function renderDeskCase(model: DeskCaseModel): string {
  const { lang, detail: d } = model;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  const code = formatTrackingCode(d.trackingCode);
  const base = `/ban-lam-viec/ho-so/${d.id}`;
  const errors = model.errors ?? {};
  const values = model.values ?? {};
  const can = (action: string) => d.actions.includes(action as CaseDetail['actions'][number]);
  const topicName = (c: string) => model.topics.find((x) => x.code === c)?.name[lang] ?? c;
  const hintFor = (id: string) => {
    const key = `case.hint.${id}`;
    return key in MESSAGES[lang] ? html`<p class="hint">${t(key as MessageKey)}</p>` : '';
  };
  const errorOf = (field: string) =>
    errors[field] ? html`<p class="error-message" id="field-${field}-error">${errors[field]}</p>` : '';
  const invalid = (field: string) =>
    errors[field] ? html` aria-invalid="true" aria-describedby="field-${field}-error"` : '';

  const textForm = (
    action: string,
    path: string,
    field: string,
    rows: number,
    button: string,
    id: string = field,
  ): SafeHtml =>
    html`<form method="post" action="${base}/${path}" class="action">
  ${csrfField(model.csrfToken)}
  <label for="field-${id}">${t(`field.${id}` as MessageKey)}</label>
  ${hintFor(id)}
  ${errorOf(field)}
  <textarea id="field-${id}" name="${field}" rows="${String(rows)}"${invalid(field)}>${values[field] ?? ''}</textarea>
  <button type="submit" class="button${action === 'spam' ? ' danger' : ''}">${button}</button>
</form>`;
  const buttonForm = (path: string, button: string, key?: string): SafeHtml =>
    html`<form method="post" action="${base}/${path}" class="action inline">${csrfField(model.csrfToken)}<button type="submit" class="button"${
      key ? html` data-key="${key}"` : ''
    }>${button}</button></form>`;

  const submissions = d.submissions.map(
    (s) => html`<article class="opinion">
  <h3>${s.kind === 'initial' ? t('case.opinion') : t('case.followUp')}${s.subject ? html`: ${s.subject}` : ''}</h3>
  <p class="meta">${t('case.receivedAt', { time: when(lang, s.receivedAt), channel: label(lang, 'channel', s.channel) })}${
    s.attachments > 0 ? html` · ${t('case.attachments', { count: String(s.attachments) })}` : ''
  }${s.callMinutes !== null ? html` · ${t('case.callMinutes', { minutes: String(s.callMinutes) })}` : ''}${s.anonymous ? html` · ${t('case.anonymous')}` : ''}</p>
  <div class="body">${s.body}</div>
</article>`,
  );

  const contact = model.contacts
    ? html`<div class="notice warn" role="status"><p>${t('case.contactRevealed')}</p><ul>${
        model.contacts.length === 0
          ? html`<li>${t('case.noContact')}</li>`
          : model.contacts.map(
              (c) => html`<li>${[c.name, c.email, c.phone, c.address].filter(Boolean).join(' · ')}</li>`,
            )
      }</ul></div>`
    : html`<p class="hint">${t('case.contactHidden')}</p>`;

  // A routing reason in the reader's language; the stored English text if the code is unknown.
  const because = (reason: { code: string; params?: Record<string, string | number> } | undefined, text: string) => {
    if (!reason) return text;
    const params = Object.fromEntries(
      Object.entries(reason.params ?? {}).map(([k, v]) => [k, k === 'topic' ? topicName(String(v)) : String(v)]),
    );
    const key = `routing.because.${reason.code}`;
    return key in MESSAGES[lang] ? translate(lang, key as MessageKey, params) : text;
  };
  const r = d.routing;
  const routing = r
    ? html`<ul>
  <li>${t('case.routing.unit', {
    unit: r.unit.code ? `${r.unit.code} · ${r.unit.name ?? ''}` : t('desk.coordinators'),
    reason: because(r.unit.because, r.unit.reason),
  })}</li>
  <li>${t('case.routing.role', {
    role: label(lang, 'collaboratorRole', r.role.role),
    reason: because(r.role.because, r.role.reason),
  })}</li>
  ${
    r.assignee
      ? html`<li>${t('case.routing.person', { name: r.assignee.name, reason: because(r.assignee.because, r.assignee.reason) })}</li>`
      : r.fallbackBecause
        ? html`<li>${because(r.fallbackBecause, '')}</li>`
        : ''
  }
  ${r.fallback === 'unit_lead' ? html`<li>${t('case.routing.fallbackUnitLead')}</li>` : ''}
  ${r.fallback === 'coordinators' ? html`<li>${t('case.routing.fallbackCoordinators')}</li>` : ''}
</ul>
${
  r.candidates.length > 0
    ? html`<details><summary>${t('case.routing.candidates')} (${String(r.candidates.length)})</summary><ul class="candidates">${r.candidates.map(
        (c) => html`<li class="${c.eligible ? 'eligible' : 'ineligible'}">${c.name}: ${because(c.because, c.why)}</li>`,
      )}</ul></details>`
    : ''
}`
    : html`<p>${t('case.routing.none')}</p>`;

  const clock = html`<ul>
  ${
    d.firstRespondedAt
      ? html`<li>${t('case.clock.responded', { time: when(lang, d.firstRespondedAt) })}</li>`
      : html`<li${d.firstResponseDueAt && new Date(d.firstResponseDueAt) < new Date() ? html` class="is-overdue"` : ''}>${t(
          'case.clock.firstResponse',
          { time: when(lang, d.firstResponseDueAt) },
        )}</li>`
  }
  <li${d.resolutionDueAt && new Date(d.resolutionDueAt) < new Date() && !['closed', 'spam', 'rejected'].includes(d.status) ? html` class="is-overdue"` : ''}>${t(
    'case.clock.resolution',
    { time: when(lang, d.resolutionDueAt) },
  )}</li>
</ul>`;

  const timeline = d.events.map(
    (e) =>
      html`<li class="${e.visibility}"><time>${when(lang, e.at)}</time> ${label(lang, 'event', e.type)}${
        typeof e.data.body === 'string' && e.type === 'note' ? html`: <span class="note">${e.data.body}</span>` : ''
      }${typeof e.data.reason === 'string' ? html`: ${e.data.reason}` : ''}${
        typeof e.data.outcome === 'string' ? html`: ${e.data.outcome}` : ''
      }</li>`,
  );

  const responseMeta = (resp: CaseDetail['responses'][number]): SafeHtml => {
    if (resp.kind === 'callback') {
      const reached = resp.attempts.some((a) => a.outcome === 'reached');
      return html`<p class="meta">${t('case.callback.task')}${resp.attempts.map(
        (a) =>
          html` · ${when(lang, a.at)}: ${label(lang, 'case.callback', a.outcome)}${a.note ? html` (${a.note})` : ''}`,
      )}</p>
${
  !reached && can('respond') && !model.contacts
    ? html`<form method="post" action="${base}/goi-lai/${resp.id}/so-dien-thoai" class="action inline">${csrfField(
        model.csrfToken,
      )}<button type="submit" class="button secondary">${t('case.callback.reveal')}</button></form>`
    : ''
}
${
  !reached && can('respond')
    ? html`<form method="post" action="${base}/goi-lai/${resp.id}" class="action">${csrfField(model.csrfToken)}
  <fieldset${
    errors[`callback-${resp.id}`] ? html` aria-invalid="true" aria-describedby="field-callback-${resp.id}-error"` : ''
  }><legend>${t('case.callback.outcome')}</legend>
  ${errorOf(`callback-${resp.id}`)}
  ${['reached', 'not_reached', 'retry'].map(
    (o, i) =>
      html`<div class="check"><input type="radio" id="outcome-${resp.id}-${o}" name="outcome" value="${o}"${
        i === 0 ? html` required` : ''
      }><label for="outcome-${resp.id}-${o}">${label(lang, 'case.callback', o)}</label></div>`,
  )}
  <label for="note-${resp.id}">${t('case.callback.note')}</label>
  <input type="text" id="note-${resp.id}" name="note" maxlength="2000" value="${values[`callback-${resp.id}-note`] ?? ''}">
  <button type="submit" class="button">${t('case.callback.record')}</button></fieldset></form>`
    : ''
}`;
    }
    const delivery = html`<p class="meta">${t('case.delivery.tracking')}${resp.deliveries.map(
      (x) => html` · ${t('case.delivery.email', { status: label(lang, 'case.delivery', x.status) })}`,
    )}${resp.postedAt ? html` · ${t('case.letter.posted')}: ${when(lang, resp.postedAt)}` : ''}</p>`;
    if (resp.kind !== 'letter' || !can('reveal_contact')) return delivery;
    return html`${delivery}
<form method="post" action="${base}/thu-tra-loi/${resp.id}" class="action inline" target="_blank">${csrfField(
      model.csrfToken,
    )}<button type="submit" class="button secondary">${t('case.letter.print')}</button></form>
${
  resp.postedAt
    ? ''
    : html`<form method="post" action="${base}/da-gui-thu/${resp.id}" class="action inline">${csrfField(
        model.csrfToken,
      )}<button type="submit" class="button secondary">${t('case.letter.markPosted')}</button></form>`
}`;
  };

  const responses = d.responses.map(
    (
      resp,
    ) => html`<article class="response response-${resp.kind}"><p class="meta">${resp.author} · ${when(lang, resp.at)}</p>
<div class="body">${resp.body}</div>
${responseMeta(resp)}</article>`,
  );

  const actions: SafeHtml[] = [];
  const open = ['received', 'triaged', 'assigned', 'in_progress'].includes(d.status);
  const finished = ['closed', 'spam', 'rejected'].includes(d.status) || Boolean(d.mergedIntoCode);
  if (can('accept') && d.status === 'assigned') actions.push(buttonForm('nhan', t('case.action.accept')));
  if (can('respond') && ['assigned', 'in_progress', 'answered'].includes(d.status)) {
    const kinds = [
      'message',
      ...(d.channel === 'phone' ? ['callback'] : []),
      ...(d.channel === 'letter' ? ['letter'] : []),
    ];
    const chosen = values.kind ?? (d.channel === 'phone' ? 'callback' : d.channel === 'letter' ? 'letter' : 'message');
    actions.push(html`<form method="post" action="${base}/tra-loi" class="action">
  ${csrfField(model.csrfToken)}
  ${
    kinds.length > 1
      ? html`<fieldset><legend>${t('case.respond.kind')}</legend>${kinds.map(
          (k) =>
            html`<div class="check"><input type="radio" id="kind-${k}" name="kind" value="${k}"${
              k === chosen ? html` checked` : ''
            }><label for="kind-${k}">${t(`case.respond.${k}` as MessageKey)}</label></div>`,
        )}</fieldset>`
      : ''
  }
  <label for="field-response">${t('field.response')}</label>
  ${kinds.length === 1 ? hintFor('response') : ''}
  ${errorOf('response')}
  <textarea id="field-response" name="response" rows="6"${invalid('response')}>${values.response ?? ''}</textarea>
  <button type="submit" class="button">${t('case.action.respond')}</button>
</form>`);
  }
  if (can('note')) actions.push(textForm('note', 'ghi-chu', 'note', 3, t('case.action.note')));
  if (can('close') && !finished) actions.push(textForm('close', 'ket-thuc', 'outcome', 2, t('case.action.close')));
  if (can('reopen') && ['answered', 'closed'].includes(d.status) && !d.mergedIntoCode)
    actions.push(buttonForm('mo-lai', t('case.action.reopen')));
  if (can('assign') && open && d.unitCollaborators.length > 0)
    actions.push(html`<form method="post" action="${base}/phan-cong" class="action">${csrfField(model.csrfToken)}
  <label for="field-collaboratorKey">${t('case.action.assign')}</label>
  <select id="field-collaboratorKey" name="collaboratorKey"${invalid('collaboratorKey')}>${d.unitCollaborators.map(
    (c) => html`<option value="${c.key}">${c.name}</option>`,
  )}</select>${errorOf('collaboratorKey')}
  <button type="submit" class="button">${t('case.action.assign')}</button></form>`);
  if (can('reclassify') && open)
    actions.push(html`<form method="post" action="${base}/phan-loai" class="action">${csrfField(model.csrfToken)}
  <fieldset><legend>${t('case.action.reclassify')}</legend>
  <label for="field-topic">${t('field.topic')}</label>
  <select id="field-topic" name="topic"${invalid('topic')}>${model.topics.map(
    (x) =>
      html`<option value="${x.code}"${x.code === (values.topic ?? d.topic) ? html` selected` : ''}>${x.name[lang]}</option>`,
  )}</select>${errorOf('topic')}
  <label for="field-priority">${t('field.priority')}</label>
  <select id="field-priority" name="priority"${invalid('priority')}>${PRIORITIES.map(
    (p) =>
      html`<option value="${p}"${p === (values.priority ?? d.priority) ? html` selected` : ''}>${label(lang, 'priority', p)}</option>`,
  )}</select>${errorOf('priority')}
  <label for="field-unitCode">${t('field.unitCode')}</label>
  <input id="field-unitCode" name="unitCode" value="${values.unitCode ?? d.unitCode ?? ''}"${invalid('unitCode')}>${errorOf('unitCode')}
  <button type="submit" class="button">${t('case.action.reclassify')}</button></fieldset></form>`);
  if (can('decline') && ['assigned', 'in_progress'].includes(d.status))
    actions.push(textForm('decline', 'tu-choi', 'reason', 2, t('case.action.decline'), 'declineReason'));
  if (can('merge') && !finished)
    actions.push(html`<form method="post" action="${base}/gop" class="action">${csrfField(model.csrfToken)}
  <label for="field-target">${t('field.target')}</label>
  <input id="field-target" name="target" value="${values.target ?? ''}" autocomplete="off"${invalid('target')}>${errorOf('target')}
  <button type="submit" class="button">${t('case.action.merge')}</button></form>`);
  if (can('spam') && !finished) actions.push(textForm('spam', 'rac', 'reason', 2, t('case.action.spam')));
  if (can('reveal_contact') && !model.contacts) actions.push(buttonForm('lien-he', t('case.action.reveal_contact')));

  const body = html`<p><a href="/ban-lam-viec">${t('case.back')}</a></p>
<h1><span class="code">${code}</span> ${d.subject}</h1>
${model.done ? html`<div class="notice" role="status">${t('case.done')}</div>` : ''}
${d.mergedIntoCode ? html`<div class="notice">${t('case.mergedInto', { code: formatTrackingCode(d.mergedIntoCode) })}</div>` : ''}
${
  Object.keys(errors).length > 0
    ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><ul>${Object.entries(errors).map(
        ([field, message]) => html`<li><a href="#field-${field}">${message}</a></li>`,
      )}</ul></div>`
    : ''
}
<div class="case-grid">
<section class="case-main" aria-labelledby="h-opinion">
  <h2 id="h-opinion" class="visually-hidden">${t('case.opinion')}</h2>
  ${submissions}
  ${contact}
  ${d.responses.length > 0 ? html`<h2>${t('case.responses')}</h2>${responses}` : ''}
  ${actions.length > 0 ? html`<h2>${t('case.actions')}</h2><div class="actions">${actions}</div>` : ''}
</section>
<aside class="case-side">
  <h2>${t('case.details')}</h2>
  <dl>
    <dt>${t('desk.col.status')}</dt><dd><span class="status status-${d.status}">${label(lang, 'status', d.status)}</span></dd>
    <dt>${t('desk.col.topic')}</dt><dd>${topicName(d.topic)}</dd>
    <dt>${t('field.priority')}</dt><dd>${label(lang, 'priority', d.priority)}</dd>
    <dt>${t('desk.col.unit')}</dt><dd>${d.unitCode ? `${d.unitCode} · ${d.unitName ?? ''}` : t('desk.coordinators')}</dd>
    <dt>${t('case.assignee')}</dt><dd>${d.assigneeName ?? t('desk.noAssignee')}</dd>
    ${d.outcome ? html`<dt>${t('field.outcome')}</dt><dd>${d.outcome}</dd>` : ''}
  </dl>
  <h2>${t('case.clock')}</h2>
  ${clock}
  <h2>${t('case.routing')}</h2>
  ${routing}
  <h2>${t('case.timeline')}</h2>
  <ol class="timeline">${timeline}</ol>
</aside>
</div>`;
  return renderDeskPage({
    lang,
    title: `${code} ${d.subject}`,
    path: base,
    principal: model.principal,
    csrfToken: model.csrfToken,
    body,
  });
}
