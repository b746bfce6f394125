import ExcelJS from 'exceljs';
import type { DigestData } from './digest.service';

/** The digest's tables as a workbook: one sheet per table, figures only (no tracking code). */
export async function digestXlsx(d: DigestData, topicName: (code: string) => string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'gopy';
  const sheet = (name: string, header: string[], rows: (string | number | null)[][]) => {
    const ws = workbook.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    ws.columns.forEach((column) => (column.width = 22));
  };
  const counts = (rows: DigestData['received']['byChannel'], name: (key: string) => string) =>
    rows.map((r) => [name(r.key), r.week, r.previous]);
  sheet(
    'Kênh',
    ['Kênh', 'Tuần này', 'Tuần trước'],
    counts(d.received.byChannel, (k) => k),
  );
  sheet('Lĩnh vực', ['Lĩnh vực', 'Tuần này', 'Tuần trước'], counts(d.received.byTopic, topicName));
  sheet(
    'Đơn vị',
    ['Mã', 'Tên', 'Tiếp nhận', 'Đang mở', 'Quá hạn', 'Tỷ lệ đúng hạn'],
    d.units.map((u) => [u.code, u.name, u.received, u.open, u.overdue, u.onTimeShare]),
  );
  sheet(
    'Tám tuần',
    ['Tuần', 'Tiếp nhận'],
    d.trend.map((w) => [w.week, w.received]),
  );
  // No tracking code: a code opens the case's public page, and a workbook travels.
  sheet(
    'Quá hạn',
    ['Đơn vị', 'Lĩnh vực', 'Số ngày quá hạn'],
    d.overdue.map((o) => [o.unit, topicName(o.topic), o.daysOverdue]),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
