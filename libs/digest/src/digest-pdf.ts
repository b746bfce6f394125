import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { DigestData } from './digest.service';
import { type DeadlineLabels, deadlineRows } from './rules/figures';
import { barChartPng } from './rules/png-chart';

export interface PdfLabels {
  title: string;
  period: string;
  received: string;
  lastWeek: string;
  openAtEnd: string;
  byChannel: string;
  byTopic: string;
  trend: string;
  units: string;
  unitHeader: [string, string, string, string, string];
  overdue: string;
  none: string;
  backlog: string;
  deadlines: DeadlineLabels;
  hot: string;
  hotCount: (submitters: number, previousWeek: number) => string;
  spikes: string;
  spike: (week: number, trailingAverage: number) => string;
  channel: (code: string) => string;
  topic: (code: string) => string;
}

/** The digest for the meeting: A4, embedded fonts with Vietnamese letters, charts as images. */
export function digestPdf(d: DigestData, labels: PdfLabels, fontsDir: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: labels.title, Author: 'gopy' } });
  doc.registerFont('body', join(fontsDir, 'DejaVuSans.ttf'));
  doc.registerFont('bold', join(fontsDir, 'DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const heading = (text: string) => {
    if (doc.y > 700) doc.addPage();
    doc.moveDown(0.8).font('bold').fontSize(13).text(text).moveDown(0.3).font('body').fontSize(10);
  };
  const rows = (items: [string, string | number][]) => {
    for (const [label, value] of items) {
      if (doc.y > 760) doc.addPage();
      const y = doc.y;
      doc.text(label, 48, y, { width: 380 });
      doc.text(String(value), 440, y, { width: 100, align: 'right' });
      doc.moveDown(0.2);
    }
  };
  const chart = (values: number[]) => {
    if (values.length === 0) return;
    if (doc.y > 600) doc.addPage();
    doc.image(barChartPng(values, { width: 480, rowHeight: 18 }), 48, doc.y, { width: 300 });
    doc.moveDown(0.5);
  };

  doc.font('bold').fontSize(18).text(labels.title);
  doc.font('body').fontSize(10).text(labels.period).moveDown(0.5);
  doc
    .fontSize(12)
    .text(
      `${labels.received}: ${d.received.total} (${labels.lastWeek}: ${d.received.previous}) · ${labels.openAtEnd}: ${d.backlog.open}`,
    )
    .fontSize(10);
  heading(labels.byChannel);
  chart(d.received.byChannel.map((r) => r.week));
  rows(d.received.byChannel.map((r) => [labels.channel(r.key), `${r.week} (${r.previous})`]));
  heading(labels.byTopic);
  rows(d.received.byTopic.map((r) => [labels.topic(r.key), `${r.week} (${r.previous})`]));
  heading(labels.trend);
  chart(d.trend.map((w) => w.received));
  rows(d.trend.map((w) => [w.week, w.received]));
  heading(labels.backlog);
  rows(deadlineRows(d, labels.deadlines));
  heading(labels.units);
  rows([[labels.unitHeader.slice(0, 1).join(''), labels.unitHeader.slice(1).join(' / ')]]);
  rows(
    d.units.map((u) => [
      `${u.code} · ${u.name}`,
      `${u.received} / ${u.open} / ${u.overdue} / ${u.onTimeShare === null ? '—' : `${Math.round(u.onTimeShare * 100)} %`}`,
    ]),
  );
  // Hot issues: how many people, where, the words they share, and an excerpt already redacted.
  heading(labels.hot);
  if (d.hotIssues.length === 0) doc.text(labels.none);
  for (const h of d.hotIssues) {
    if (doc.y > 700) doc.addPage();
    doc.font('bold').text(labels.hotCount(h.submitters, h.previousWeek), 48, doc.y, { width: 492 }).font('body');
    doc.text(`${h.units.join(', ')} · ${h.terms.join(', ')}`, { width: 492 });
    doc.fillColor('#444444').text(`“${h.excerpt}”`, { width: 492 }).fillColor('black').moveDown(0.4);
  }
  heading(labels.spikes);
  if (d.spikes.length === 0) doc.text(labels.none);
  rows(d.spikes.map((s) => [`${labels.topic(s.topic)} · ${s.unit}`, labels.spike(s.week, s.trailingAverage)]));
  heading(labels.overdue);
  if (d.overdue.length === 0) doc.text(labels.none);
  // No tracking code: a code opens the case's public page, and a PDF travels.
  rows(d.overdue.map((o) => [`${o.unit ?? '—'} · ${labels.topic(o.topic)}`, o.daysOverdue]));
  doc.end();
  return done;
}
