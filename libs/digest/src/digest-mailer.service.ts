import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import { TopicCatalog } from '@gopy/cases';
import { type Language, translate } from '@gopy/i18n';
import { type MailAttachment, MailOutbox, type RenderedMail, noticeId } from '@gopy/mailer';
import { JobName, QueueProducer } from '@gopy/queue';
import { html } from '@gopy/text';
import { deadlineLabels } from './digest-labels';
import type { DigestData, StoredDigest } from './digest.service';
import { deadlineRows } from './rules/figures';
import { barChartPng } from './rules/png-chart';

const CELL = 'padding:4px 8px;border-bottom:1px solid #b1b4b6;text-align:left';

/** The digest as a mail: inline CSS only, charts as PNG images with alt text, figures as text. */
export function renderDigestMail(
  d: DigestData,
  language: Language,
  topicName: (code: string) => string,
  url: string,
): RenderedMail & { attachments: MailAttachment[] } {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) => translate(language, key, params);
  const channel = (code: string) => translate(language, `channel.${code}` as Parameters<typeof translate>[1]);
  const charts = [
    {
      cid: 'kenh',
      title: t('digest.byChannel'),
      rows: d.received.byChannel.map((r) => [channel(r.key), r.week] as const),
    },
    { cid: 'xu-huong', title: t('digest.trend'), rows: d.trend.map((w) => [w.week, w.received] as const) },
    {
      cid: 'ton-dong',
      title: t('digest.ageing'),
      rows: d.backlog.ageing.map((b) => [t('digest.days', { days: b.bucket }), b.cases] as const),
    },
  ];
  const attachments: MailAttachment[] = charts.map((c) => ({
    filename: `${c.cid}.png`,
    cid: `${c.cid}@gopy`,
    contentType: 'image/png',
    content: barChartPng(c.rows.map(([, value]) => value)),
  }));
  const subject = t('digest.title', { week: d.week });
  const deadlines = deadlineRows(d, deadlineLabels(language));
  const hotCount = (h: DigestData['hotIssues'][number]) =>
    t('digest.hotCount', { count: String(h.submitters), previous: String(h.previousWeek) });
  const spikes = d.spikes.map(
    (s) =>
      [
        `${topicName(s.topic)} · ${s.unit}`,
        t('digest.spike', { week: String(s.week), average: String(s.trailingAverage) }),
      ] as const,
  );
  const table = (rows: (readonly [string, number | string])[]) =>
    html`<table style="border-collapse:collapse;font-size:15px">${rows.map(
      ([label, value]) => html`<tr><td style="${CELL}">${label}</td><td style="${CELL}">${String(value)}</td></tr>`,
    )}</table>`;
  const body = html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:640px">
<h1 style="font-size:22px">${subject}</h1>
<p><strong style="font-size:28px">${String(d.received.total)}</strong> ${t('digest.received').toLowerCase()}
(${t('digest.lastWeek').toLowerCase()}: ${String(d.received.previous)}) ·
<strong>${String(d.backlog.open)}</strong> ${t('digest.openAtEnd')} ·
<strong>${String(d.overdue.length)}</strong> ${t('digest.overdueList').toLowerCase()}</p>
${charts.map(
  (c) => html`<h2 style="font-size:18px">${c.title}</h2>
<img src="cid:${c.cid}@gopy" width="480" alt="${`${c.title}: ${c.rows.map(([l, v]) => `${l} ${v}`).join('; ')}`}" style="display:block;max-width:100%">
${table(c.rows)}`,
)}
<h2 style="font-size:18px">${t('digest.backlog')}</h2>
${table(deadlines)}
<h2 style="font-size:18px">${t('digest.hot')}</h2>
${
  d.hotIssues.length === 0
    ? html`<p>${t('digest.none')}</p>`
    : d.hotIssues.map(
        (
          h,
        ) => html`<p style="margin:12px 0 4px"><strong>${hotCount(h)}</strong><br>${h.units.join(', ')} · ${h.terms.join(
          ', ',
        )}</p>
<blockquote style="margin:0 0 8px;padding:4px 12px;border-left:4px solid #b1b4b6;color:#444">${h.excerpt}</blockquote>`,
      )
}
<h2 style="font-size:18px">${t('digest.spikes')}</h2>
${spikes.length === 0 ? html`<p>${t('digest.none')}</p>` : table(spikes)}
<h2 style="font-size:18px">${t('digest.byTopic')}</h2>
${table(d.received.byTopic.map((r) => [topicName(r.key), r.week] as const))}
<h2 style="font-size:18px">${t('digest.units')}</h2>
${table(
  d.units
    .filter((u) => u.overdue > 0 || u.received > 0)
    .slice(0, 30)
    .map((u) => [`${u.code} · ${u.name} (${t('desk.overdue').toLowerCase()} ${u.overdue})`, u.received] as const),
)}
<p><a href="${url}" style="color:#9e1b1b">${url}</a></p>
</body></html>`;
  const text = [
    subject,
    '',
    `${t('digest.received')}: ${d.received.total} (${t('digest.lastWeek')}: ${d.received.previous})`,
    `${t('digest.openAtEnd')}: ${d.backlog.open}`,
    `${t('digest.overdueList')}: ${d.overdue.length}`,
    ...charts.flatMap((c) => ['', c.title, ...c.rows.map(([label, value]) => `- ${label}: ${value}`)]),
    '',
    t('digest.backlog'),
    ...deadlines.map(([label, value]) => `- ${label}: ${value}`),
    '',
    t('digest.hot'),
    ...(d.hotIssues.length === 0 ? [t('digest.none')] : []),
    ...d.hotIssues.flatMap((h) => [
      `- ${hotCount(h)}: ${h.units.join(', ')} · ${h.terms.join(', ')}`,
      `  “${h.excerpt}”`,
    ]),
    '',
    t('digest.spikes'),
    ...(spikes.length === 0 ? [t('digest.none')] : spikes.map(([label, value]) => `- ${label}: ${value}`)),
    '',
    url,
  ].join('\n');
  return { subject, html: body.value, text, attachments };
}

/** Mails a built digest to every active committee member, once each (fixed per digest and person). */
@Injectable()
export class DigestMailer {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailOutbox,
    private readonly producer: QueueProducer,
    private readonly topics: TopicCatalog,
    private readonly config: GopyConfig,
  ) {}

  async send(digest: StoredDigest): Promise<number> {
    const members = await this.dataSource.query<{ email: string }[]>(
      `SELECT email FROM staff_users WHERE active AND 'committee' = ANY (roles) ORDER BY email`,
    );
    const url = `${this.config.http.publicBaseUrl}/ban-lam-viec/tong-hop/${digest.week}`;
    const rendered = renderDigestMail(digest.data, 'vi', (code) => this.topics.name(code, 'vi'), url);
    const mailIds: string[] = [];
    for (const member of members) {
      mailIds.push(
        await this.mail.prepare({
          kind: 'digest',
          refId: noticeId('digest', digest.id, member.email.toLowerCase()),
          to: member.email,
          rendered,
          attachments: rendered.attachments,
        }),
      );
    }
    if (mailIds.length > 0)
      await this.producer.addBulk(
        mailIds.map((mailId) => ({ job: JobName.MailSend, payload: { mailId }, jobId: `mail-${mailId}` })),
      );
    return mailIds.length;
  }
}
