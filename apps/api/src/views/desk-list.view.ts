import type { StaffPrincipal } from '@gopy/auth';
import { formatTrackingCode } from '@gopy/cases';
import type { Topic } from '@gopy/config';
import type { CaseList, DeskFilters, DeskView } from '@gopy/desk';
import { filtersToQuery } from '@gopy/desk';
import { Language, MessageKey, translate } from '@gopy/i18n';
import { html } from '@gopy/text';
import { label, renderDeskPage, when } from './desk-layout.view';
import { errorSummary, fieldId } from './form-parts.view';

export interface DeskListModel {
  lang: Language;
  principal: StaffPrincipal;
  csrfToken: string;
  filters: DeskFilters;
  views: DeskView[];
  list: CaseList;
  topics: readonly Topic[];
  units: { code: string; name: string }[];
  path: string;
  // Field -> message for filter values that cannot be used, and what was typed.
  errors?: Record<string, string>;
  values?: { from: string; to: string };
}

const STATUS_FILTERS = ['open', 'received', 'triaged', 'assigned', 'in_progress', 'answered', 'closed', 'spam'];
const CHANNELS = ['web', 'api', 'email', 'phone', 'letter'];

/** The case list: tabs per view with open counts, filters kept in the URL, keyset pages. */
export function renderDeskList(model: DeskListModel): string {
  const { lang, filters, list } = model;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  const option = (value: string, text: string, selected: boolean) =>
    html`<option value="${value}"${selected ? html` selected` : ''}>${text}</option>`;
  const tab = (view: DeskView) => {
    const current = view === filters.view;
    return html`<li><a href="/ban-lam-viec?view=${view}"${current ? html` aria-current="page"` : ''}>${t(
      `desk.view.${view}`,
    )} <span class="count" title="${t('desk.openCount')}">${String(list.counts[view])}<span class="visually-hidden"> ${t(
      'desk.openCount',
    )}</span></span></a></li>`;
  };
  const statusLabel = (s: string) => (s === 'open' ? t('desk.status.open') : label(lang, 'status', s));
  const rows = list.rows.map((r) => {
    const finished = ['closed', 'spam', 'rejected'].includes(r.status);
    const due = finished
      ? html`—`
      : r.overdue
        ? html`<span class="badge overdue">${t('desk.overdue')}</span> ${when(lang, r.dueAt)}`
        : html`${when(lang, r.dueAt)}`;
    return html`<tr${r.overdue ? html` class="is-overdue"` : ''}>
  <td><a href="/ban-lam-viec/ho-so/${r.id}" class="code">${formatTrackingCode(r.trackingCode)}</a></td>
  <td>${r.subject}</td>
  <td><span class="status status-${r.status}">${label(lang, 'status', r.status)}</span>${
    r.priority === 'urgent' || r.priority === 'high'
      ? html` <span class="badge">${label(lang, 'priority', r.priority)}</span>`
      : ''
  }</td>
  <td>${model.topics.find((x) => x.code === r.topic)?.name[lang] ?? r.topic}</td>
  <td>${r.unitCode ?? t('desk.coordinators')}</td>
  <td>${r.assigneeName ?? html`<em>${t('desk.noAssignee')}</em>`}</td>
  <td>${due}</td>
  <td>${when(lang, r.lastActivityAt)}</td>
</tr>`;
  });
  const errors = model.errors ?? {};
  // A date input keeps what was typed, so a wrong date can be corrected in place.
  const dateField = (name: 'from' | 'to') =>
    html`<div class="field${errors[name] ? ' has-error' : ''}"><label for="${fieldId(name)}">${t(`desk.filter.${name}`)}</label>
    ${errors[name] ? html`<p class="error-message" id="${fieldId(name)}-error">${errors[name]}</p>` : ''}
    <input type="date" id="${fieldId(name)}" name="${name}" value="${model.values?.[name] || filters[name] || ''}"${
      errors[name] ? html` aria-invalid="true" aria-describedby="${fieldId(name)}-error"` : ''
    }></div>`;
  const body = html`<h1>${t(`desk.view.${filters.view}`)}</h1>
${errorSummary(
  t('desk.filter.errors', { count: String(Object.keys(errors).length) }),
  Object.entries(errors).map(([field, message]) => ({ field, message })),
)}
${model.views.length > 1 ? html`<nav aria-label="${t('desk.views')}"><ul class="tabs">${model.views.map(tab)}</ul></nav>` : ''}
<form method="get" action="/ban-lam-viec" class="filters" role="search">
  <input type="hidden" name="view" value="${filters.view}">
  <div class="field"><label for="f-q">${t('desk.filter.q')}</label>
    <input type="search" id="f-q" name="q" value="${filters.q ?? ''}" data-key="/"></div>
  <div class="field"><label for="f-status">${t('desk.filter.status')}</label>
    <select id="f-status" name="status">${option('', t('desk.filter.any'), !filters.status)}${STATUS_FILTERS.map((s) =>
      option(s, statusLabel(s), filters.status === s),
    )}</select></div>
  <div class="field"><label for="f-topic">${t('desk.filter.topic')}</label>
    <select id="f-topic" name="topic">${option('', t('desk.filter.any'), !filters.topic)}${model.topics.map((x) =>
      option(x.code, x.name[lang], filters.topic === x.code),
    )}</select></div>
  <div class="field"><label for="f-unit">${t('desk.filter.unit')}</label>
    <select id="f-unit" name="unit">${option('', t('desk.filter.any'), !filters.unit)}${model.units.map((u) =>
      option(u.code, `${u.code} · ${u.name}`, filters.unit === u.code),
    )}</select></div>
  <div class="field"><label for="f-channel">${t('desk.filter.channel')}</label>
    <select id="f-channel" name="channel">${option('', t('desk.filter.any'), !filters.channel)}${CHANNELS.map((c) =>
      option(c, label(lang, 'channel', c), filters.channel === c),
    )}</select></div>
  ${dateField('from')}
  ${dateField('to')}
  <div class="field check"><input type="checkbox" id="f-overdue" name="overdue" value="1"${
    filters.overdue ? html` checked` : ''
  }><label for="f-overdue">${t('desk.filter.overdue')}</label></div>
  <div class="field actions"><button type="submit" class="button">${t('desk.filter.apply')}</button>
    <a href="/ban-lam-viec?view=${filters.view}">${t('desk.filter.clear')}</a></div>
</form>
${
  list.rows.length === 0
    ? html`<p class="empty">${t('desk.empty')}</p>`
    : html`<div class="table-scroll"><table class="cases">
<thead><tr><th scope="col">${t('desk.col.code')}</th><th scope="col">${t('desk.col.subject')}</th><th scope="col">${t(
        'desk.col.status',
      )}</th><th scope="col">${t('desk.col.topic')}</th><th scope="col">${t('desk.col.unit')}</th><th scope="col">${t(
        'desk.col.assignee',
      )}</th><th scope="col">${t('desk.col.due')}</th><th scope="col">${t('desk.col.activity')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
}
${
  filters.after || list.next
    ? html`<nav class="pager" aria-label="${t('desk.pages')}">
  ${filters.after ? html`<a href="/ban-lam-viec?${filtersToQuery(filters)}">${t('desk.first')}</a>` : ''}
  ${list.next ? html`<a href="/ban-lam-viec?${filtersToQuery(filters, { after: list.next })}" rel="next">${t('desk.next')}</a>` : ''}
</nav>`
    : ''
}
<p class="hint">${t('desk.shortcuts')}</p>`;
  return renderDeskPage({
    lang,
    title: t(`desk.view.${filters.view}`),
    path: model.path,
    principal: model.principal,
    csrfToken: model.csrfToken,
    body,
  });
}
