// The desk's list filters, as they appear in the URL, checked and normalised.

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
  after?: { at: Date; id: string };
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

/** Unknown values are dropped rather than refused: a stale bookmark still opens a list. */
export function parseDeskFilters(query: Record<string, unknown>, defaultView: DeskView): DeskFilters {
  const view = DESK_VIEWS.find((v) => v === query.view) ?? defaultView;
  const status = text(query.status, 16);
  const channel = text(query.channel, 8);
  return {
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
  for (const key of ['status', 'topic', 'unit', 'channel', 'q'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.overdue) params.set('overdue', '1');
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}
