import type { MailboxHealth } from '@gopy/mailbox';
import type { StaffPrincipal, StaffUserSummary } from '@gopy/auth';
import { STAFF_ROLES } from '@gopy/auth';
import { Language, MessageKey, translate } from '@gopy/i18n';
import { html } from '@gopy/text';
import { csrfField, label, renderDeskPage, when } from './desk-layout.view';

export interface DeskAdminModel {
  lang: Language;
  principal: StaffPrincipal;
  csrfToken: string;
  users: StaffUserSummary[];
  routingSource: string;
  slaSource: string;
  mailboxes: MailboxHealth[];
  errors?: Record<string, string>;
  values?: Record<string, string>;
  done?: string;
}

/** Admin: accounts (create, disable), collaborators leaving the rota, the routing and SLA rules (read-only). */
export function renderDeskAdmin(model: DeskAdminModel): string {
  const { lang } = model;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  const errors = model.errors ?? {};
  const values = model.values ?? {};
  const field = (name: string, type = 'text', autocomplete = 'off', prefix = 'field') =>
    html`<div class="field"><label for="${prefix}-${name}">${t(`field.${name}` as MessageKey)}</label>
<input type="${type}" id="${prefix}-${name}" name="${name}" value="${type === 'password' ? '' : (values[name] ?? '')}" autocomplete="${autocomplete}"${
      errors[name] ? html` aria-invalid="true" aria-describedby="field-${name}-error"` : ''
    }>${errors[name] ? html`<p class="error-message" id="field-${name}-error">${errors[name]}</p>` : ''}</div>`;
  const users = model.users.map(
    (u) => html`<tr>
  <td>${u.fullName}</td><td>${u.email}</td><td>${u.roles.map((r) => label(lang, 'role', r)).join(', ')}</td>
  <td>${u.unitCode ?? '—'}</td><td>${u.collaboratorKey ?? '—'}</td>
  <td>${u.active ? t('admin.active') : t('admin.disabled')}</td>
  <td>${
    u.id === model.principal.id
      ? ''
      : html`<form method="post" action="/ban-lam-viec/quan-tri/tai-khoan/${u.id}/${u.active ? 'khoa' : 'mo-khoa'}">${csrfField(
          model.csrfToken,
        )}<button type="submit" class="link-button">${u.active ? t('admin.disable') : t('admin.enable')}</button></form>`
  }</td>
</tr>`,
  );
  const body = html`<h1>${t('admin.title')}</h1>
${model.done ? html`<div class="notice" role="status">${model.done}</div>` : ''}
${
  Object.keys(errors).length > 0
    ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><ul>${Object.entries(errors).map(
        ([name, message]) => html`<li><a href="#field-${name}">${message}</a></li>`,
      )}</ul></div>`
    : ''
}
<h2>${t('admin.users')}</h2>
<div class="table-scroll"><table class="cases"><thead><tr>
<th scope="col">${t('field.fullName')}</th><th scope="col">${t('login.email')}</th><th scope="col">${t('field.roles')}</th>
<th scope="col">${t('field.unitCode')}</th><th scope="col">${t('field.collaboratorKey')}</th><th scope="col">${t('desk.col.status')}</th><th></th>
</tr></thead><tbody>${users}</tbody></table></div>
<h2>${t('admin.newUser')}</h2>
<form method="post" action="/ban-lam-viec/quan-tri/tai-khoan" class="stack narrow">
  ${csrfField(model.csrfToken)}
  ${field('fullName')}
  ${field('email', 'email')}
  ${field('password', 'password', 'new-password')}
  <fieldset id="field-roles"><legend>${t('field.roles')}</legend>
  ${STAFF_ROLES.map(
    (r) =>
      html`<div class="check"><input type="checkbox" id="role-${r}" name="role_${r}" value="1"${
        (values.roles ?? '').split(',').includes(r) ? html` checked` : ''
      }><label for="role-${r}">${label(lang, 'role', r)}</label></div>`,
  )}
  ${errors.roles ? html`<p class="error-message">${errors.roles}</p>` : ''}</fieldset>
  ${field('unitCode')}
  ${field('collaboratorKey')}
  <button type="submit" class="button">${t('admin.create')}</button>
</form>
<h2>${t('admin.collaborator')}</h2>
<form method="post" action="/ban-lam-viec/quan-tri/cong-tac-vien" class="stack narrow">
  ${csrfField(model.csrfToken)}
  ${field('collaboratorKey', 'text', 'off', 'release')}
  ${field('startsOn', 'date')}
  ${field('endsOn', 'date')}
  <button type="submit" class="button" name="change" value="leave">${t('admin.leave')}</button>
  <button type="submit" class="button danger" name="change" value="deactivate">${t('admin.deactivate')}</button>
</form>
<h2>${t('admin.mailboxes')}</h2>
${
  model.mailboxes.length === 0
    ? html`<p>${t('admin.mailbox.none')}</p>`
    : html`<div class="table-scroll"><table class="cases mailboxes"><thead><tr>
<th scope="col">${t('login.email')}</th><th scope="col">${t('admin.mailbox.lastPoll')}</th><th scope="col">${t(
        'admin.mailbox.lastSuccess',
      )}</th><th scope="col">${t('admin.mailbox.imported')}</th><th scope="col">${t(
        'admin.mailbox.quarantined',
      )}</th><th scope="col">${t('admin.mailbox.errors')}</th><th scope="col">${t(
        'admin.mailbox.uid',
      )}</th></tr></thead><tbody>${model.mailboxes.map(
        (m) =>
          html`<tr><td>${m.name} · ${m.address}</td><td>${when(lang, m.lastPollAt)}</td><td>${when(
            lang,
            m.lastSuccessAt,
          )}</td><td>${String(m.imported)}</td><td>${String(m.quarantined)}</td><td>${String(m.errors)}${
            m.lastError ? html`<br><span class="meta">${m.lastError}</span>` : ''
          }</td><td>${m.lastUid === null ? '—' : `${String(m.lastUid)} / ${m.uidValidity ?? '—'}`}</td></tr>`,
      )}</tbody></table></div>`
}
${model.mailboxes
  .filter((m) => m.recentQuarantine.length > 0)
  .map(
    (m) =>
      html`<div class="notice warn" role="status"><p><strong>${t('admin.mailbox.held', {
        mailbox: m.name,
        count: String(m.recentQuarantine.length),
      })}</strong></p><ul>${m.recentQuarantine.map(
        (q) => html`<li>UID ${String(q.uid)} · ${when(lang, q.at)} · ${q.reason}</li>`,
      )}</ul></div>`,
  )}
<h2>${t('admin.routing')}</h2>
<pre class="policy">${model.routingSource}</pre>
<h2>${t('admin.sla')}</h2>
<pre class="policy">${model.slaSource}</pre>`;
  return renderDeskPage({
    lang,
    title: t('admin.title'),
    path: '/ban-lam-viec/quan-tri',
    principal: model.principal,
    csrfToken: model.csrfToken,
    body,
  });
}
