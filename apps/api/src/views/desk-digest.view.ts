import type { StaffPrincipal } from '@gopy/auth';
import { formatTrackingCode } from '@gopy/cases';
import type { Topic } from '@gopy/config';
import { type DigestData, type StoredDigest, weekDays } from '@gopy/digest';
import { Language, MessageKey, translate } from '@gopy/i18n';
import { SafeHtml, html } from '@gopy/text';
import { csrfField, label, renderDeskPage, when } from './desk-layout.view';

/** A horizontal bar chart as inline SVG: no script, no third party, readable without colour. */
export function barChart(title: string, bars: { label: string; value: number; href?: string }[]): SafeHtml {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowHeight = 26;
  const height = bars.length * rowHeight + 8;
  const summary = bars.map((b) => `${b.label}: ${b.value}`).join('; ');
  return html`<figure class="chart"><figcaption>${title}</figcaption>
<svg viewBox="0 0 600 ${String(height)}" width="100%" role="img" aria-label="${`${title}. ${summary}`}" xmlns="http://www.w3.org/2000/svg">
${bars.map((bar, i) => {
  const y = 4 + i * rowHeight;
  const width = Math.round((bar.value / max) * 330);
  return html`<text x="0" y="${String(y + 17)}" font-size="14" fill="#1b1b1b">${bar.label.slice(0, 30)}</text>
<rect x="230" y="${String(y + 4)}" width="${String(Math.max(width, 1))}" height="16" fill="#9e1b1b"></rect>
<text x="${String(236 + width)}" y="${String(y + 17)}" font-size="14" fill="#1b1b1b">${String(bar.value)}</text>`;
})}
</svg></figure>`;
}

export interface DigestPageModel {
  lang: Language;
  principal: StaffPrincipal;
  csrfToken: string;
  digest: StoredDigest;
  topics: readonly Topic[];
  archive: { week: string; versions: number; builtAt: Date }[];
}

const pct = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)} %`);
const change = (week: number, previous: number) =>
  previous === 0
    ? week === 0
      ? '±0'
      : '+100 %'
    : `${week >= previous ? '+' : ''}${Math.round(((week - previous) / previous) * 100)} %`;

/** The week's digest: figures with a link to the cases behind each, charts inline, the archive. */
export function renderDigestPage(model: DigestPageModel): string {
  const { lang } = model;
  const d: DigestData = model.digest.data;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  const topicName = (code: string) => model.topics.find((x) => x.code === code)?.name[lang] ?? code;
  const list = (query: string) => `/ban-lam-viec?view=all&${query}`;
  // A "this week" figure opens the cases received that week, not every case ever.
  const days = weekDays(d.week);
  const thisWeek = (query: string) => list(`${query}&from=${days.first}&to=${days.last}`);
  const countRows = (rows: DigestData['received']['byChannel'], name: (key: string) => string, param: string) =>
    rows.map(
      (
        r,
      ) => html`<tr><th scope="row"><a href="${thisWeek(`${param}=${encodeURIComponent(r.key)}`)}">${name(r.key)}</a></th>
<td>${String(r.week)}</td><td>${String(r.previous)}</td><td>${change(r.week, r.previous)}</td></tr>`,
    );
  const table = (caption: string, rows: SafeHtml[]) =>
    html`<div class="table-scroll"><table class="cases"><caption>${caption}</caption><thead><tr><th scope="col"></th>
<th scope="col">${t('digest.thisWeek')}</th><th scope="col">${t('digest.lastWeek')}</th><th scope="col">${t(
      'digest.change',
    )}</th></tr></thead><tbody>${rows}</tbody></table></div>`;

  // Each unit's received count against last week (from the same figures as the by-unit counts).
  const unitChange = (code: string) => {
    const counts = d.received.byUnit.find((r) => r.key === code);
    return counts ? change(counts.week, counts.previous) : '—';
  };
  const versions = model.archive.find((x) => x.week === d.week)?.versions ?? 1;
  const body = html`<h1>${t('digest.title', { week: d.week })}</h1>
<p class="meta">${t('digest.period', { start: when(lang, d.start), end: when(lang, new Date(new Date(d.end).getTime() - 1)) })} ·
${t('digest.version', { version: String(model.digest.version), time: when(lang, model.digest.builtAt) })}${
    versions > 1
      ? html` · ${t('digest.otherVersions')}: ${Array.from({ length: versions }, (_, i) => i + 1)
          .filter((v) => v !== model.digest.version)
          .map((v) => html`<a href="/ban-lam-viec/tong-hop/${d.week}?ban=${String(v)}">${String(v)}</a> `)}`
      : ''
  }
· <a href="/ban-lam-viec/tong-hop/${d.week}/bang.csv">${t('digest.csv')}</a>
· <a href="/ban-lam-viec/tong-hop/${d.week}/bang.xlsx">${t('digest.xlsx')}</a>
· <a href="/ban-lam-viec/tong-hop/${d.week}/tong-hop.pdf">PDF</a></p>
${
  model.principal.roles.includes('admin')
    ? html`<form method="post" action="/ban-lam-viec/tong-hop/${d.week}/lam-lai" class="action inline">${csrfField(
        model.csrfToken,
      )}<button type="submit" class="button secondary">${t('digest.rebuild')}</button></form>`
    : ''
}
<section aria-labelledby="h-received"><h2 id="h-received">${t('digest.received')}</h2>
<p class="big-figure">${String(d.received.total)} <span class="meta">(${t('digest.lastWeek')}: ${String(
    d.received.previous,
  )}, ${change(d.received.total, d.received.previous)})</span></p>
${barChart(
  t('digest.byChannel'),
  d.received.byChannel.map((r) => ({ label: label(lang, 'channel', r.key), value: r.week })),
)}
${table(
  t('digest.byChannel'),
  countRows(d.received.byChannel, (k) => label(lang, 'channel', k), 'channel'),
)}
${table(t('digest.byTopic'), countRows(d.received.byTopic, topicName, 'topic'))}
${barChart(
  t('digest.trend'),
  d.trend.map((w) => ({ label: w.week, value: w.received })),
)}
</section>
<section aria-labelledby="h-backlog"><h2 id="h-backlog">${t('digest.backlog')}</h2>
<p class="big-figure">${String(d.backlog.open)} <span class="meta">${t('digest.openAtEnd')}</span></p>
${barChart(
  t('digest.ageing'),
  d.backlog.ageing.map((b) => ({ label: t('digest.days', { days: b.bucket }), value: b.cases })),
)}
<dl class="figures">
<dt>${t('digest.firstResponseOnTime')}</dt><dd>${pct(d.deadlines.firstResponseOnTime, d.deadlines.firstResponseDue)} (${String(
    d.deadlines.firstResponseOnTime,
  )}/${String(d.deadlines.firstResponseDue)})</dd>
<dt>${t('digest.resolutionOnTime')}</dt><dd>${pct(d.deadlines.resolutionOnTime, d.deadlines.resolutionDue)} (${String(
    d.deadlines.resolutionOnTime,
  )}/${String(d.deadlines.resolutionDue)})</dd>
<dt>${t('digest.firstResponseTime')}</dt><dd>${t('digest.hours', {
    median: String(d.durations.firstResponseHours.median ?? '—'),
    p90: String(d.durations.firstResponseHours.p90 ?? '—'),
  })}</dd>
<dt>${t('digest.resolutionTime')}</dt><dd>${t('digest.hours', {
    median: String(d.durations.resolutionHours.median ?? '—'),
    p90: String(d.durations.resolutionHours.p90 ?? '—'),
  })}</dd>
</dl></section>
<section aria-labelledby="h-units"><h2 id="h-units">${t('digest.units')}</h2>
<div class="table-scroll"><table class="cases"><thead><tr><th scope="col">${t('desk.col.unit')}</th><th scope="col">${t(
    'digest.thisWeek',
  )}</th><th scope="col">${t('digest.change')}</th><th scope="col">${t('digest.open')}</th><th scope="col">${t('desk.overdue')}</th><th scope="col">${t(
    'digest.onTime',
  )}</th></tr></thead><tbody>${d.units.map(
    (u) =>
      html`<tr${u.overdue > 0 ? html` class="is-overdue"` : ''}><th scope="row"><a href="${list(
        `unit=${encodeURIComponent(u.code)}`,
      )}">${u.code} · ${u.name}</a></th><td><a href="${thisWeek(`unit=${encodeURIComponent(u.code)}`)}">${String(
        u.received,
      )}</a></td><td>${unitChange(u.code)}</td><td>${String(u.open)}</td><td>${
        u.overdue > 0
          ? html`<a href="${list(`unit=${encodeURIComponent(u.code)}&overdue=1`)}">${String(u.overdue)}</a>`
          : '0'
      }</td><td>${u.onTimeShare === null ? '—' : `${Math.round(u.onTimeShare * 100)} %`}</td></tr>`,
  )}</tbody></table></div></section>
<section aria-labelledby="h-hot"><h2 id="h-hot">${t('digest.hot')}</h2>
${
  (d.hotIssues ?? []).length === 0
    ? html`<p>${t('digest.none')}</p>`
    : html`<ol class="hot-issues">${(d.hotIssues ?? []).map(
        (h, index) => html`<li><p><strong>${t('digest.hotCount', {
          count: String(h.submitters),
          previous: String(h.previousWeek),
        })}</strong> · ${h.units.join(', ')} · ${h.terms.join(', ')}</p>
<blockquote>${h.excerpt}</blockquote>
<details><summary>${t('digest.hotCases')}</summary><p>${h.caseIds.map(
          (id, n) => html`<a href="/ban-lam-viec/ho-so/${id}">${String(n + 1)}</a> `,
        )}</p></details>
<p><a href="/ban-lam-viec/tong-hop/${d.week}/nong/${String(index)}">${t('digest.hotOpen')}</a></p>
</li>`,
      )}</ol>`
}
</section>
<section aria-labelledby="h-spikes"><h2 id="h-spikes">${t('digest.spikes')}</h2>
${
  d.spikes.length === 0
    ? html`<p>${t('digest.none')}</p>`
    : html`<ul>${d.spikes.map(
        (s) =>
          html`<li><a href="${thisWeek(`topic=${encodeURIComponent(s.topic)}&unit=${encodeURIComponent(s.unit)}`)}">${topicName(
            s.topic,
          )} · ${s.unit}</a>: ${t('digest.spike', { week: String(s.week), average: String(s.trailingAverage) })}</li>`,
      )}</ul>`
}</section>
<section aria-labelledby="h-overdue"><h2 id="h-overdue">${t('digest.overdueList')}</h2>
${
  d.overdue.length === 0
    ? html`<p>${t('digest.none')}</p>`
    : html`<ul>${d.overdue.map(
        (
          o,
        ) => html`<li><a href="/ban-lam-viec/ho-so/${o.caseId}" class="code">${formatTrackingCode(o.trackingCode)}</a> ·
${topicName(o.topic)} · ${o.unit ?? t('desk.coordinators')} · ${t('digest.daysOverdue', { days: String(o.daysOverdue) })}</li>`,
      )}</ul>`
}</section>
<section aria-labelledby="h-archive"><h2 id="h-archive">${t('digest.archive')}</h2>
<ul>${model.archive.map(
    (a) =>
      html`<li><a href="/ban-lam-viec/tong-hop/${a.week}">${a.week}</a>${
        a.versions > 1 ? html` (${t('digest.versions', { count: String(a.versions) })})` : ''
      }</li>`,
  )}</ul></section>`;
  return renderDeskPage({
    lang,
    title: t('digest.title', { week: d.week }),
    path: `/ban-lam-viec/tong-hop/${d.week}`,
    principal: model.principal,
    csrfToken: model.csrfToken,
    body,
  });
}

/** The tables of a digest as CSV (UTF-8 with BOM for spreadsheet programs). */
export function digestCsv(d: DigestData, topicName: (code: string) => string): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines: (string | number | null)[][] = [
    ['bang', 'khoa', 'tuan_nay', 'tuan_truoc'],
    ...d.received.byChannel.map((r) => ['kenh', r.key, r.week, r.previous]),
    ...d.received.byTopic.map((r) => ['linh_vuc', topicName(r.key), r.week, r.previous]),
    ...d.received.byUnit.map((r) => ['don_vi', r.key, r.week, r.previous]),
    [],
    ['don_vi', 'ten', 'tiep_nhan', 'dang_mo', 'qua_han', 'ty_le_dung_han'],
    ...d.units.map((u) => [u.code, u.name, u.received, u.open, u.overdue, u.onTimeShare]),
  ];
  return `\uFEFF${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}
