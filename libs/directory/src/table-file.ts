import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/** Reads the first sheet of an .xlsx file or a .csv file (UTF-8, with or without BOM) as rows. */
export async function readTableFile(path: string): Promise<Record<string, unknown>[]> {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') {
    const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
    return parse<Record<string, unknown>>(text, { columns: true, skip_empty_lines: true, trim: true });
  }
  if (extension === '.xlsx') {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    if (!sheet) return [];
    const headers: string[] = [];
    sheet.getRow(1).eachCell((cell, column) => {
      headers[column] = cell.text;
    });
    const rows: Record<string, unknown>[] = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      if (!row.hasValues) continue;
      const record: Record<string, unknown> = {};
      headers.forEach((header, column) => {
        if (header) record[header] = row.getCell(column).text;
      });
      rows.push(record);
    }
    return rows;
  }
  throw new Error(`Unsupported file type ${extension}: use .csv or .xlsx`);
}

/** Writes rows as CSV with a BOM, so spreadsheet programs read the Vietnamese correctly. */
export function toCsv(headers: string[], rows: (string | number | boolean)[][]): string {
  const cell = (value: string | number | boolean) => {
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${[headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
