// The desk's list filters, as they appear in the URL, checked and normalised.
import type { FieldIssues } from '@gopy/errors';

export const DESK_VIEWS = ['mine', 'unit', 'unassigned', 'all'] as const;
export type DeskView = (typeof DESK_VIEWS)[number];
const STATUSES = ['received', 'triaged', 'assigned', 'in_progress', 'answered', 'closed', 'rejected', 'spam', 'open'];
const CHANNELS = ['web', 'api', 'email', 'phone', 'letter'];

export interface DeskFilters {
  view: DeskView;
  status?: string;
  topic?: string;
  unit?: string;
  channel?: string;
  overdue: boolean;
  q?: string;
  // Received from / to (inclusive), as local dates (Asia/Ho_Chi_Minh) `YYYY-MM-DD`.
  from?: string;
  to?: string;
  after?: { at: Date; id: string };
  // Values typed into the filter form that cannot be used (they filter nothing).
  issues: FieldIssues;
}

const text = (value: unknown, max: number): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.normalize('NFC').trim();
  return trimmed.length > 0 && trimmed.length <= max ? trimmed : undefined;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(value: unknown): DeskFilters['after'] {
  if (typeof value !== 'string' || value.length > 100) return undefined;
  const [iso, id] = Buffer.from(value, 'base64url').toString().split('|');
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) || !UUID.test(id ?? '') ? undefined : { at, id };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date written `YYYY-MM-DD` that exists (no 2025-02-30). */
function isoDate(value: string): string | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10) === value ? value : undefined;
}

/** The received-between dates; a date that cannot be read is reported, not silently dropped. */
function dateRange(query: Record<string, unknown>): Pick<DeskFilters, 'from' | 'to' | 'issues'> {
  const issues: FieldIssues = {};
  const read = (field: 'from' | 'to') => {
    const given = query[field];
    if (typeof given !== 'string' || given.trim() === '') return undefined;
    const date = isoDate(given.trim());
    if (!date) issues[field] = { code: 'invalid_date' };
    return date;
  };
  const from = read('from');
  let to = read('to');
  if (from && to && to < from) {
    issues.to = { code: 'date_before_from' };
    to = undefined;
  }
  return { from, to, issues };
}

/**
 * Unknown values are dropped rather than refused: a stale bookmark still opens a list. Dates
 * are typed by hand, so a wrong one comes back in `issues` to be shown beside its field.
 */
export function parseDeskFilters(query: Record<string, unknown>, defaultView: DeskView): DeskFilters {
  const view = DESK_VIEWS.find((v) => v === query.view) ?? defaultView;
  const status = text(query.status, 16);
  const channel = text(query.channel, 8);
  return {
    ...dateRange(query),
    view,
    status: status && STATUSES.includes(status) ? status : undefined,
    topic: text(query.topic, 64),
    unit: text(query.unit, 32),
    channel: channel && CHANNELS.includes(channel) ? channel : undefined,
    overdue: query.overdue === '1' || query.overdue === 'on' || query.overdue === 'true',
    q: text(query.q, 200),
    after: decodeCursor(query.after),
  };
}

/** The same filters as a query string (without the cursor), for links that keep them. */
export function filtersToQuery(filters: DeskFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  params.set('view', filters.view);
  for (const key of ['status', 'topic', 'unit', 'channel', 'q', 'from', 'to'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.overdue) params.set('overdue', '1');
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}
