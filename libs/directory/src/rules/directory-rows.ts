// Rows of a directory import (CSV or XLSX), checked as plain data. Vietnamese column names
// are the ones people use in their spreadsheets; English aliases are accepted.

export const COLLABORATOR_ROLES = ['tuyen_truyen_vien', 'du_luan_xa_hoi', 'bao_cao_vien'] as const;
export type CollaboratorRole = (typeof COLLABORATOR_ROLES)[number];

export interface RowError {
  row: number;
  column: string;
  code: string;
}

export interface UnitRow {
  code: string;
  name: string;
  lead?: string;
  contactEmail?: string;
}

export interface CollaboratorRow {
  key: string;
  fullName: string;
  email: string;
  phone?: string;
  unitCode: string;
  role: CollaboratorRole;
  topics: string[];
  capacity: number;
  active: boolean;
  leave?: { startsOn: string; endsOn: string };
}

const ALIASES: Record<string, string> = {
  ma: 'key',
  key: 'key',
  ho_ten: 'fullName',
  ho_va_ten: 'fullName',
  full_name: 'fullName',
  name: 'fullName',
  email: 'email',
  thu_dien_tu: 'email',
  dien_thoai: 'phone',
  so_dien_thoai: 'phone',
  phone: 'phone',
  don_vi: 'unitCode',
  ma_don_vi: 'unitCode',
  unit: 'unitCode',
  unit_code: 'unitCode',
  vai_tro: 'role',
  role: 'role',
  linh_vuc: 'topics',
  topics: 'topics',
  suc_chua: 'capacity',
  capacity: 'capacity',
  hoat_dong: 'active',
  active: 'active',
  nghi_tu: 'leaveFrom',
  leave_from: 'leaveFrom',
  nghi_den: 'leaveTo',
  leave_to: 'leaveTo',
  ten_don_vi: 'name',
  ten: 'name',
  lanh_dao: 'lead',
  lanh_dao_don_vi: 'lead',
  lead: 'lead',
  email_lien_he: 'contactEmail',
  contact_email: 'contactEmail',
};

function fold(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Maps spreadsheet headers (`Họ tên`, `Vai trò`, `full_name`) to field names. */
export function canonicalRow(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [header, value] of Object.entries(raw)) {
    const field = ALIASES[fold(header)];
    if (!field) continue;
    if (typeof value === 'string') out[field] = value.normalize('NFC').trim();
    else if (typeof value === 'number' || typeof value === 'boolean') out[field] = String(value);
    else out[field] = '';
  }
  return out;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ROLE_NAMES: Record<string, CollaboratorRole> = {
  tuyen_truyen_vien: 'tuyen_truyen_vien',
  du_luan_xa_hoi: 'du_luan_xa_hoi',
  bao_cao_vien: 'bao_cao_vien',
};
const YES = ['1', 'co', 'true', 'yes', 'x'];
const NO = ['0', 'khong', 'false', 'no', ''];

export function checkUnitRow(row: Record<string, string>, line: number): { value?: UnitRow; errors: RowError[] } {
  const errors: RowError[] = [];
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(row.key ?? row.unitCode ?? ''))
    errors.push({ row: line, column: 'ma_don_vi', code: 'invalid_code' });
  if (!row.name) errors.push({ row: line, column: 'ten_don_vi', code: 'required' });
  if (row.contactEmail && !EMAIL.test(row.contactEmail))
    errors.push({ row: line, column: 'email_lien_he', code: 'invalid_email' });
  if (errors.length) return { errors };
  return {
    value: {
      code: (row.key ?? row.unitCode).toUpperCase(),
      name: row.name,
      lead: row.lead || undefined,
      contactEmail: row.contactEmail || undefined,
    },
    errors,
  };
}

/**
 * Checks one collaborator row. `line` is the spreadsheet's row number (the header is
 * row 1), so people find the row they must fix.
 */
export function checkCollaboratorRow(
  row: Record<string, string>,
  line: number,
  known: { units: Set<string>; topics: Set<string> },
): { value?: CollaboratorRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (column: string, code: string) => errors.push({ row: line, column, code });
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(row.key ?? '')) fail('ma', 'invalid_code');
  if (!row.fullName) fail('ho_ten', 'required');
  if (!EMAIL.test(row.email ?? '')) fail('email', 'invalid_email');
  if (row.phone && !/^\+?[0-9 .-]{8,16}$/.test(row.phone)) fail('dien_thoai', 'invalid_phone');
  const unitCode = (row.unitCode ?? '').toUpperCase();
  if (!known.units.has(unitCode)) fail('don_vi', 'unknown_unit');
  const role = ROLE_NAMES[fold(row.role ?? '')];
  if (!role) fail('vai_tro', 'unknown_role');
  const topics = (row.topics ?? '')
    .split(/[;,|]/)
    .map((t) => t.trim())
    .filter(Boolean);
  for (const topic of topics) if (!known.topics.has(topic)) fail('linh_vuc', 'unknown_topic');
  const capacity = row.capacity === undefined || row.capacity === '' ? 10 : Number(row.capacity);
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 500) fail('suc_chua', 'invalid_capacity');
  const activeText = fold(row.active ?? '1');
  if (!YES.includes(activeText) && !NO.includes(activeText)) fail('hoat_dong', 'invalid_boolean');
  let leave: CollaboratorRow['leave'];
  if (row.leaveFrom || row.leaveTo) {
    if (!DATE.test(row.leaveFrom ?? '') || !DATE.test(row.leaveTo ?? '') || row.leaveFrom > row.leaveTo)
      fail('nghi_tu', 'invalid_leave');
    else leave = { startsOn: row.leaveFrom, endsOn: row.leaveTo };
  }
  if (errors.length > 0 || !role) return { errors };
  return {
    value: {
      key: row.key,
      fullName: row.fullName,
      email: row.email.toLowerCase(),
      phone: row.phone || undefined,
      unitCode,
      role,
      topics,
      capacity,
      active: YES.includes(activeText),
      leave,
    },
    errors,
  };
}

/** Repeated keys within one file are an error on every repetition after the first. */
export function duplicateKeys(keys: { key: string; row: number }[], column: string): RowError[] {
  const seen = new Set<string>();
  const errors: RowError[] = [];
  for (const { key, row } of keys) {
    const normal = key.toUpperCase();
    if (seen.has(normal)) errors.push({ row, column, code: 'duplicate_key' });
    seen.add(normal);
  }
  return errors;
}
