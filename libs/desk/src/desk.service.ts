import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@gopy/audit';
import { type DeskAction, type StaffPrincipal, allowedActions, canAct, canSeeCase, caseScope } from '@gopy/auth';
import { type CaseStatus, TopicCatalog, canTransition, parseTrackingCode } from '@gopy/cases';
import { PersonalDataCipher } from '@gopy/crypto';
import { FieldValidationError, GopyError } from '@gopy/errors';
import { CONTACT_CONTEXT, type SubmitterContact } from '@gopy/intake';
import { JobName, enqueueInOutbox } from '@gopy/queue';
import { type RoutingDecision, RoutingService } from '@gopy/routing';
import { type DeskFilters, encodeCursor } from './rules/desk-filters';

export const PAGE_SIZE = 25;
const OPEN = `('received','triaged','assigned','in_progress')`;
// The organisation's calendar: list dates are days in Vietnam.
const TZ = 'Asia/Ho_Chi_Minh';
const OVERDUE = `(c.status IN ${OPEN} AND ((c.first_responded_at IS NULL AND c.first_response_due_at < now())
  OR c.resolution_due_at < now()))`;

export interface CaseRow {
  id: string;
  trackingCode: string;
  status: CaseStatus;
  topic: string;
  priority: string;
  channel: string;
  subject: string;
  unitCode: string | null;
  assigneeName: string | null;
  dueAt: Date | null;
  overdue: boolean;
  lastActivityAt: Date;
}

export interface CaseList {
  rows: CaseRow[];
  next?: string;
  counts: Record<'mine' | 'unit' | 'unassigned' | 'all', number>;
}

export interface CaseDetail {
  id: string;
  trackingCode: string;
  status: CaseStatus;
  topic: string;
  priority: string;
  channel: string;
  subject: string;
  unitId: string | null;
  unitCode: string | null;
  unitName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  routing: RoutingDecision | null;
  createdAt: Date;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstRespondedAt: Date | null;
  outcome: string | null;
  mergedIntoCode: string | null;
  submissions: {
    id: string;
    kind: string;
    channel: string;
    subject: string | null;
    body: string;
    receivedAt: Date;
    anonymous: boolean;
    attachments: number;
    /** A logged call's length in minutes, when the operator gave it. */
    callMinutes: number | null;
  }[];
  events: { type: string; visibility: string; actor: string; data: Record<string, unknown>; at: Date }[];
  responses: {
    id: string;
    kind: ResponseKind;
    body: string;
    author: string;
    at: Date;
    deliveries: { status: string }[];
    attempts: { outcome: string; note: string | null; at: Date }[];
    postedAt: Date | null;
  }[];
  actions: DeskAction[];
  unitCollaborators: { key: string; name: string }[];
}

export type ResponseKind = 'message' | 'callback' | 'letter';

/** The statuses in which a case can be answered. */
export const ANSWERABLE: readonly string[] = ['assigned', 'in_progress', 'answered'];

/** How an answer reaches a case's submitter: written back, a callback task, or a posted letter. */
export function answerKindFor(channel: string): ResponseKind {
  return channel === 'phone' ? 'callback' : channel === 'letter' ? 'letter' : 'message';
}

/** An answer's text: NFC, trimmed, 10 to 20,000 characters, or a field error on `response`. */
export function answerText(value: unknown): string {
  return requireText('response', value, 10, 20000);
}

function requireText(field: string, value: unknown, min: number, max: number): string {
  const text = typeof value === 'string' ? value.normalize('NFC').trim() : '';
  if (text.length === 0) throw new FieldValidationError({ [field]: { code: 'required' } });
  if (text.length < min) throw new FieldValidationError({ [field]: { code: 'too_short', params: { min } } });
  if (text.length > max) throw new FieldValidationError({ [field]: { code: 'too_long', params: { max } } });
  return text;
}
export const CALLBACK_OUTCOMES = ['reached', 'not_reached', 'retry'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

export interface PrintableLetter {
  trackingCode: string;
  subject: string;
  unitName: string | null;
  recipients: { name?: string; address?: string }[];
  body: string;
  at: Date;
}

export interface RevealedContact {
  submissionId: string;
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
}

interface LockedCase {
  id: string;
  status: CaseStatus;
  unit_id: string | null;
  assignee_id: string | null;
  topic: string;
  priority: string;
  merged_into_id: string | null;
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The desk: lists within the person's scope, the case page, and every action on a case.
 * Each action locks the case, checks scope (404) and role (403) and the life cycle (409),
 * then writes the change, its timeline event and audit entry in one transaction, with
 * follow-on work (re-routing, delivering an answer) in the outbox.
 */
@Injectable()
export class DeskService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
    private readonly topics: TopicCatalog,
    private readonly routing: RoutingService,
  ) {}

  private scopeSql(principal: StaffPrincipal, params: unknown[]): string {
    const scope = caseScope(principal);
    if (scope.all) return 'true';
    const parts: string[] = [];
    if (scope.unitIds.length > 0) {
      params.push(scope.unitIds);
      parts.push(`c.unit_id = ANY ($${params.length}::uuid[])`);
    }
    if (scope.assigneeId) {
      params.push(scope.assigneeId);
      parts.push(`c.assignee_id = $${params.length}`);
    }
    return parts.length > 0 ? `(${parts.join(' OR ')})` : 'false';
  }

  private viewSql(principal: StaffPrincipal, view: DeskFilters['view'], params: unknown[]): string {
    switch (view) {
      case 'mine':
        params.push(principal.collaboratorId);
        return `c.assignee_id = $${params.length}`;
      case 'unit':
        params.push(principal.unitId);
        return `c.unit_id = $${params.length}`;
      case 'unassigned':
        return `c.assignee_id IS NULL AND c.status IN ${OPEN}`;
      case 'all':
        return 'true';
    }
  }

  async list(principal: StaffPrincipal, filters: DeskFilters): Promise<CaseList> {
    const params: unknown[] = [];
    const where = [this.scopeSql(principal, params), this.viewSql(principal, filters.view, params)];
    if (filters.status === 'open') where.push(`c.status IN ${OPEN}`);
    else if (filters.status) where.push(`c.status = $${params.push(filters.status)}`);
    if (filters.topic) where.push(`c.topic = $${params.push(filters.topic)}`);
    if (filters.channel) where.push(`c.channel = $${params.push(filters.channel)}`);
    if (filters.unit) where.push(`u.code = $${params.push(filters.unit)}`);
    if (filters.overdue) where.push(OVERDUE);
    // Local calendar days: from the start of `from` to the end of `to`, in Vietnam's time.
    if (filters.from)
      where.push(`c.created_at >= ($${params.push(filters.from)}::date::timestamp AT TIME ZONE '${TZ}')`);
    if (filters.to)
      where.push(`c.created_at < (($${params.push(filters.to)}::date + 1)::timestamp AT TIME ZONE '${TZ}')`);
    if (filters.q) {
      // Diacritics-insensitive: both sides folded; the trigram index serves the LIKE.
      const n = params.push(`%${filters.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      where.push(`(EXISTS (SELECT 1 FROM submissions s WHERE s.case_id = c.id
                    AND gopy_fold(coalesce(s.subject, '') || ' ' || s.body) LIKE gopy_fold($${n}))
                  OR gopy_fold(c.subject) LIKE gopy_fold($${n}) OR c.tracking_code = upper(replace($${n + 1}, '-', '')))`);
      params.push(filters.q);
    }
    const filtered = [...where];
    if (filters.after) {
      const at = params.push(filters.after.at);
      const id = params.push(filters.after.id);
      where.push(`(c.last_activity_at, c.id) < ($${at}::timestamptz, $${id}::uuid)`);
    }
    const rows = await this.dataSource.query<
      {
        id: string;
        tracking_code: string;
        status: CaseStatus;
        topic: string;
        priority: string;
        channel: string;
        subject: string;
        unit_code: string | null;
        assignee_name: string | null;
        due_at: Date | null;
        overdue: boolean;
        last_activity_at: Date;
      }[]
    >(
      `SELECT c.id, c.tracking_code, c.status, c.topic, c.priority, c.channel, c.subject, u.code AS unit_code,
              p.full_name AS assignee_name, c.last_activity_at, ${OVERDUE} AS overdue,
              CASE WHEN c.first_responded_at IS NULL THEN c.first_response_due_at ELSE c.resolution_due_at END AS due_at
         FROM cases c LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN collaborators p ON p.id = c.assignee_id
        WHERE ${where.join(' AND ')}
        ORDER BY c.last_activity_at DESC, c.id DESC
        LIMIT ${PAGE_SIZE + 1}`,
      params,
    );
    void filtered;
    const page = rows.slice(0, PAGE_SIZE);
    const last = page[page.length - 1];
    return {
      rows: page.map((r) => ({
        id: r.id,
        trackingCode: r.tracking_code,
        status: r.status,
        topic: r.topic,
        priority: r.priority,
        channel: r.channel,
        subject: r.subject,
        unitCode: r.unit_code,
        assigneeName: r.assignee_name,
        dueAt: r.due_at,
        overdue: r.overdue,
        lastActivityAt: r.last_activity_at,
      })),
      next: rows.length > PAGE_SIZE && last ? encodeCursor(last.last_activity_at, last.id) : undefined,
      counts: await this.counts(principal),
    };
  }

  /** Open cases per view, for the tabs. */
  private async counts(principal: StaffPrincipal): Promise<CaseList['counts']> {
    const params: unknown[] = [];
    const scope = this.scopeSql(principal, params);
    const mine = params.push(principal.collaboratorId);
    const unit = params.push(principal.unitId);
    const [row] = await this.dataSource.query<{ mine: number; unit: number; unassigned: number; all: number }[]>(
      `SELECT count(*) FILTER (WHERE c.assignee_id = $${mine})::int AS mine,
              count(*) FILTER (WHERE c.unit_id = $${unit})::int AS unit,
              count(*) FILTER (WHERE c.assignee_id IS NULL)::int AS unassigned,
              count(*)::int AS all
         FROM cases c WHERE ${scope} AND c.status IN ${OPEN}`,
      params,
    );
    return row;
  }

  async detail(principal: StaffPrincipal, caseId: string): Promise<CaseDetail> {
    const [c] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT c.*, u.code AS unit_code, u.name AS unit_name, p.full_name AS assignee_name, m.tracking_code AS merged_code
         FROM cases c LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN collaborators p ON p.id = c.assignee_id
         LEFT JOIN cases m ON m.id = c.merged_into_id
        WHERE c.id = $1`,
      [caseId],
    );
    const scoped = c && { unitId: c.unit_id as string | null, assigneeId: c.assignee_id as string | null };
    if (!c || !scoped || !canSeeCase(principal, scoped)) throw new GopyError('not_found');
    const submissions = await this.dataSource.query<
      {
        id: string;
        kind: string;
        channel: string;
        subject: string | null;
        body: string;
        received_at: Date;
        anonymous: boolean;
        attachment_count: number;
        call_minutes: number | null;
      }[]
    >(
      `SELECT s.id, s.kind, s.channel, s.subject, s.body, s.received_at, s.anonymous, s.attachment_count,
              (s.channel_meta ->> 'durationMinutes')::int AS call_minutes
         FROM submissions s JOIN cases c ON c.id = s.case_id
        WHERE c.id = $1 OR c.merged_into_id = $1 ORDER BY s.received_at`,
      [caseId],
    );
    const events = await this.dataSource.query<
      { type: string; visibility: string; actor: string; data: Record<string, unknown>; occurred_at: Date }[]
    >(
      `SELECT type, visibility, actor, data, occurred_at FROM case_events WHERE case_id = $1 ORDER BY occurred_at, id`,
      [caseId],
    );
    const responses = await this.dataSource.query<
      {
        id: string;
        kind: ResponseKind;
        body: string;
        author: string;
        created_at: Date;
        statuses: (string | null)[];
        attempts: { outcome: string; note: string | null; at: Date }[];
        posted_at: Date | null;
      }[]
    >(
      `SELECT r.id, r.kind, r.body, a.full_name AS author, r.created_at,
              array_remove(array_agg(m.status ORDER BY d.created_at), NULL) AS statuses,
              coalesce((SELECT json_agg(json_build_object('outcome', t.outcome, 'note', t.note, 'at', t.at) ORDER BY t.at)
                          FROM callback_attempts t WHERE t.response_id = r.id), '[]') AS attempts,
              (SELECT posted_at FROM letter_postings l WHERE l.response_id = r.id) AS posted_at
         FROM case_responses r JOIN staff_users a ON a.id = r.author_id
         LEFT JOIN response_deliveries d ON d.response_id = r.id
         LEFT JOIN outbound_mails m ON m.id = d.mail_id
        WHERE r.case_id = $1 GROUP BY r.id, a.full_name ORDER BY r.created_at`,
      [caseId],
    );
    const unitCollaborators = c.unit_id
      ? await this.dataSource.query<{ key: string; name: string }[]>(
          `SELECT key, full_name AS name FROM collaborators WHERE unit_id = $1 AND active ORDER BY full_name`,
          [c.unit_id],
        )
      : [];
    return {
      id: c.id as string,
      trackingCode: c.tracking_code as string,
      status: c.status as CaseStatus,
      topic: c.topic as string,
      priority: c.priority as string,
      channel: c.channel as string,
      subject: c.subject as string,
      unitId: scoped.unitId,
      unitCode: c.unit_code as string | null,
      unitName: c.unit_name as string | null,
      assigneeId: scoped.assigneeId,
      assigneeName: c.assignee_name as string | null,
      routing: c.routing as RoutingDecision | null,
      createdAt: c.created_at as Date,
      firstResponseDueAt: c.first_response_due_at as Date | null,
      resolutionDueAt: c.resolution_due_at as Date | null,
      firstRespondedAt: c.first_responded_at as Date | null,
      outcome: c.outcome as string | null,
      mergedIntoCode: c.merged_code as string | null,
      submissions: submissions.map((s) => ({
        id: s.id,
        kind: s.kind,
        channel: s.channel,
        subject: s.subject,
        body: s.body,
        receivedAt: s.received_at,
        anonymous: s.anonymous,
        attachments: s.attachment_count,
        callMinutes: s.call_minutes,
      })),
      events: events.map((e) => ({
        type: e.type,
        visibility: e.visibility,
        actor: e.actor,
        data: e.data,
        at: e.occurred_at,
      })),
      responses: responses.map((r) => ({
        id: r.id,
        kind: r.kind,
        body: r.body,
        author: r.author,
        at: r.created_at,
        deliveries: r.statuses.map((status) => ({ status: status ?? 'queued' })),
        attempts: r.attempts.map((a) => ({ ...a, at: new Date(a.at) })),
        postedAt: r.posted_at,
      })),
      actions: allowedActions(principal, scoped),
      unitCollaborators,
    };
  }

  /** The channel a case came by (it decides how an answer goes out). */
  async channelOf(caseId: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ channel: string }[]>(`SELECT channel FROM cases WHERE id = $1`, [
      caseId,
    ]);
    return row?.channel;
  }

  /** Locks the case and checks the person may take this action on it. */
  private async lockFor(
    manager: EntityManager,
    principal: StaffPrincipal,
    caseId: string,
    action: DeskAction,
  ): Promise<LockedCase> {
    const [found] = await manager.query<LockedCase[]>(
      `SELECT id, status, unit_id, assignee_id, topic, priority, merged_into_id FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    const scoped = found && { unitId: found.unit_id, assigneeId: found.assignee_id };
    if (!found || !scoped || !canSeeCase(principal, scoped)) throw new GopyError('not_found');
    if (!canAct(principal, action, scoped)) throw new GopyError('forbidden');
    return found;
  }

  private async event(
    manager: EntityManager,
    caseId: string,
    type: string,
    visibility: 'public' | 'internal',
    principal: StaffPrincipal,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await manager.query(
      `INSERT INTO case_events (case_id, type, visibility, actor, data) VALUES ($1, $2, $3, $4, $5)`,
      [caseId, type, visibility, `staff:${principal.id}`, data],
    );
  }

  private async setStatus(
    manager: EntityManager,
    found: LockedCase,
    to: CaseStatus,
    principal: StaffPrincipal,
    origin: string | undefined,
    extra = '',
    extraParams: unknown[] = [],
  ): Promise<void> {
    if (!canTransition(found.status, to) && found.status !== to) throw new GopyError('action_refused');
    await manager.query(
      `UPDATE cases SET status = $2, updated_at = now(), last_activity_at = now()${extra} WHERE id = $1`,
      [found.id, to, ...extraParams],
    );
    await this.audit.record(
      {
        actor: `staff:${principal.id}`,
        action: 'case.status_changed',
        caseId: found.id,
        detail: { from: found.status, to },
        origin,
      },
      manager,
    );
  }

  async accept(principal: StaffPrincipal, caseId: string, origin?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const found = await this.lockFor(manager, principal, caseId, 'accept');
      if (found.status !== 'assigned') throw new GopyError('action_refused');
      await this.setStatus(manager, found, 'in_progress', principal, origin);
      await this.event(manager, caseId, 'in_progress', 'public', principal);
    });
  }

  async decline(principal: StaffPrincipal, caseId: string, reasonInput: unknown, origin?: string): Promise<void> {
    const reason = requireText('reason', reasonInput, 3, 1000);
    await this.dataSource.transaction(async (manager) => {
      const found = await this.lockFor(manager, principal, caseId, 'decline');
      if (!['assigned', 'in_progress'].includes(found.status)) throw new GopyError('action_refused');
      await manager.query(
        `UPDATE cases SET assignee_id = NULL, routed_at = NULL, status = 'triaged', updated_at = now(),
                declined_by = array_append(declined_by, $2::uuid) WHERE id = $1`,
        [caseId, found.assignee_id],
      );
      await this.event(manager, caseId, 'declined', 'internal', principal, {
        reason,
        collaboratorId: found.assignee_id,
      });
      await this.audit.record(
        { actor: `staff:${principal.id}`, action: 'case.reassigned', caseId, detail: { declined: true }, origin },
        manager,
      );
      await enqueueInOutbox(manager, JobName.CaseRoute, { caseId });
    });
  }

  async note(principal: StaffPrincipal, caseId: string, bodyInput: unknown): Promise<void> {
    const body = requireText('note', bodyInput, 1, 5000);
    await this.dataSource.transaction(async (manager) => {
      await this.lockFor(manager, principal, caseId, 'note');
      await this.event(manager, caseId, 'note', 'internal', principal, { body, author: principal.fullName });
      await manager.query(`UPDATE cases SET last_activity_at = now() WHERE id = $1`, [caseId]);
    });
  }

  async reclassify(
    principal: StaffPrincipal,
    caseId: string,
    input: { topic?: unknown; priority?: unknown; unitCode?: unknown },
    origin?: string,
  ): Promise<void> {
    const topic = typeof input.topic === 'string' ? input.topic : '';
    const priority = typeof input.priority === 'string' ? input.priority : '';
    const unitCode = typeof input.unitCode === 'string' ? input.unitCode.trim() : '';
    const issues: Record<string, { code: string }> = {};
    if (!this.topics.has(topic)) issues.topic = { code: 'unknown_topic' };
    if (!PRIORITIES.includes(priority)) issues.priority = { code: 'choose' };
    const [unit] = unitCode
      ? await this.dataSource.query<{ id: string }[]>(`SELECT id FROM units WHERE code = $1 AND active`, [unitCode])
      : [];
    if (unitCode && !unit) issues.unitCode = { code: 'unknown_unit' };
    if (Object.keys(issues).length > 0) throw new FieldValidationError(issues);
    await this.dataSource.transaction(async (manager) => {
      const found = await this.lockFor(manager, principal, caseId, 'reclassify');
      if (!['received', 'triaged', 'assigned', 'in_progress'].includes(found.status))
        throw new GopyError('action_refused');
      await manager.query(
        `UPDATE cases SET topic = $2, priority = $3, unit_id = $4, assignee_id = NULL, routed_at = NULL,
                status = 'triaged', first_response_due_at = NULL, resolution_due_at = NULL,
                updated_at = now(), last_activity_at = now() WHERE id = $1`,
        [caseId, topic, priority, unit?.id ?? null],
      );
      await this.event(manager, caseId, 'reclassified', 'internal', principal, {
        from: { topic: found.topic, priority: found.priority },
        to: { topic, priority, unit: unitCode || null },
      });
      await this.audit.record(
        { actor: `staff:${principal.id}`, action: 'case.reassigned', caseId, detail: { reclassified: true }, origin },
        manager,
      );
      await enqueueInOutbox(manager, JobName.CaseRoute, { caseId });
    });
  }

  async assign(principal: StaffPrincipal, caseId: string, keyInput: unknown, origin?: string): Promise<string> {
    const key = typeof keyInput === 'string' ? keyInput.trim() : '';
    return this.dataSource.transaction(async (manager) => {
      const found = await this.lockFor(manager, principal, caseId, 'assign');
      if (!['received', 'triaged', 'assigned', 'in_progress'].includes(found.status))
        throw new GopyError('action_refused');
      const [person] = await manager.query<{ id: string; full_name: string }[]>(
        `SELECT id, full_name FROM collaborators WHERE key = $1 AND active AND unit_id = $2`,
        [key, found.unit_id],
      );
      if (!person) throw new FieldValidationError({ collaboratorKey: { code: 'invalid_value' } });
      const routing = await manager.query<{ routing: RoutingDecision | null }[]>(
        `SELECT routing FROM cases WHERE id = $1`,
        [caseId],
      );
      const decision = {
        ...(routing[0]?.routing ?? {}),
        at: new Date().toISOString(),
        assignee: {
          id: person.id,
          name: person.full_name,
          reason: `assigned by ${principal.fullName}`,
          because: { code: 'manual', params: { name: principal.fullName } },
        },
        fallback: null,
      };
      await manager.query(
        `UPDATE cases SET assignee_id = $2, status = 'assigned', routed_at = now(), routing = $3,
                reminded_at = NULL, updated_at = now(), last_activity_at = now() WHERE id = $1`,
        [caseId, person.id, decision],
      );
      await manager.query(`UPDATE collaborators SET last_assigned_at = clock_timestamp() WHERE id = $1`, [person.id]);
      const assignmentId = (await manager.query<{ id: string }[]>(`SELECT gen_random_uuid() AS id`))[0].id;
      await this.event(manager, caseId, 'assigned_by_staff', 'internal', principal, {
        assigneeId: person.id,
        assignmentId,
      });
      await this.audit.record(
        { actor: `staff:${principal.id}`, action: 'case.reassigned', caseId, detail: { to: person.id }, origin },
        manager,
      );
      await enqueueInOutbox(manager, JobName.CaseAssigned, { caseId, collaboratorId: person.id, assignmentId });
      return assignmentId;
    });
  }

  /**
   * Stores an answer. A message or a letter is the answer: on the tracking pages at once,
   * mailed to every submitter who gave an email. A callback is a task for the assignee: the
   * case counts as answered when the caller is reached.
   */
  async respond(
    principal: StaffPrincipal,
    caseId: string,
    bodyInput: unknown,
    origin?: string,
    kindInput: unknown = 'message',
  ): Promise<string> {
    const body = answerText(bodyInput);
    const kind: ResponseKind = kindInput === 'callback' || kindInput === 'letter' ? kindInput : 'message';
    return this.dataSource.transaction((manager) => this.respondIn(manager, principal, caseId, body, kind, origin));
  }

  /** respond() inside the caller's transaction, with a text already checked by answerText(). */
  async respondIn(
    manager: EntityManager,
    principal: StaffPrincipal,
    caseId: string,
    body: string,
    kind: ResponseKind,
    origin?: string,
  ): Promise<string> {
    const found = await this.lockFor(manager, principal, caseId, 'respond');
    if (!ANSWERABLE.includes(found.status)) throw new GopyError('action_refused');
    const [response] = await manager.query<{ id: string }[]>(
      `INSERT INTO case_responses (case_id, author_id, body, kind) VALUES ($1, $2, $3, $4) RETURNING id`,
      [caseId, principal.id, body, kind],
    );
    if (kind === 'callback') {
      if (found.status === 'assigned') await this.setStatus(manager, found, 'in_progress', principal, origin);
      await this.event(manager, caseId, 'callback_task', 'internal', principal, { body, responseId: response.id });
      return response.id;
    }
    await this.publishAnswer(manager, found, principal, body, response.id, origin);
    return response.id;
  }

  private async publishAnswer(
    manager: EntityManager,
    found: LockedCase,
    principal: StaffPrincipal,
    body: string,
    responseId: string,
    origin: string | undefined,
  ): Promise<void> {
    await this.setStatus(
      manager,
      found,
      'answered',
      principal,
      origin,
      `, first_responded_at = coalesce(first_responded_at, now()), reminded_at = NULL, escalated_at = NULL`,
    );
    const merged = await manager.query<{ id: string }[]>(`SELECT id FROM cases WHERE merged_into_id = $1`, [found.id]);
    for (const target of [found.id, ...merged.map((m) => m.id)]) {
      await this.event(manager, target, 'answered', 'public', principal, { body, responseId });
    }
    await enqueueInOutbox(manager, JobName.ResponseDeliver, { responseId });
  }

  private async lockResponse(
    manager: EntityManager,
    caseId: string,
    responseId: unknown,
    kind: ResponseKind,
  ): Promise<{ id: string; body: string; created_at: Date }> {
    const id = typeof responseId === 'string' && UUID.test(responseId) ? responseId : null;
    const [response] = id
      ? await manager.query<{ id: string; body: string; created_at: Date }[]>(
          `SELECT id, body, created_at FROM case_responses WHERE id = $1 AND case_id = $2 AND kind = $3`,
          [id, caseId, kind],
        )
      : [];
    if (!response) throw new GopyError('not_found');
    return response;
  }

  /** The outcome of a callback: reached answers the case; not reached and retry keep it open. */
  async recordCallback(
    principal: StaffPrincipal,
    caseId: string,
    responseId: unknown,
    outcomeInput: unknown,
    noteInput: unknown,
    origin?: string,
  ): Promise<void> {
    const outcome = CALLBACK_OUTCOMES.find((o) => o === outcomeInput);
    if (!outcome) throw new FieldValidationError({ outcome: { code: 'choose' } });
    const note = typeof noteInput === 'string' ? noteInput.normalize('NFC').trim().slice(0, 2000) : '';
    await this.dataSource.transaction(async (manager) => {
      const found = await this.lockFor(manager, principal, caseId, 'respond');
      const response = await this.lockResponse(manager, caseId, responseId, 'callback');
      const [reached] = await manager.query<unknown[]>(
        `SELECT 1 FROM callback_attempts WHERE response_id = $1 AND outcome = 'reached'`,
        [response.id],
      );
      if (reached) throw new GopyError('action_refused');
      await manager.query(
        `INSERT INTO callback_attempts (response_id, outcome, note, by_user_id) VALUES ($1, $2, $3, $4)`,
        [response.id, outcome, note || null, principal.id],
      );
      await this.event(manager, caseId, `callback_${outcome}`, 'internal', principal, {
        responseId: response.id,
        ...(note ? { reason: note } : {}),
      });
      if (outcome === 'reached')
        await this.publishAnswer(manager, found, principal, response.body, response.id, origin);
      else await manager.query(`UPDATE cases SET last_activity_at = now() WHERE id = $1`, [caseId]);
    });
  }

  /** Records that a reply letter went out by post (once). */
  async markLetterPosted(principal: StaffPrincipal, caseId: string, responseId: unknown): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockFor(manager, principal, caseId, 'reveal_contact');
      const response = await this.lockResponse(manager, caseId, responseId, 'letter');
      // INSERT ... RETURNING answers with its rows (UPDATE and DELETE add a count).
      const inserted = await manager.query<unknown[]>(
        `INSERT INTO letter_postings (response_id, by_user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING response_id`,
        [response.id, principal.id],
      );
      if (inserted.length === 0) throw new GopyError('action_refused');
      await this.event(manager, caseId, 'letter_posted', 'public', principal, { responseId: response.id });
    });
  }

  /** A reply letter ready to print: it carries the sender's name and address, so it is a reveal. */
  async printableLetter(
    principal: StaffPrincipal,
    caseId: string,
    responseId: unknown,
    origin?: string,
  ): Promise<PrintableLetter> {
    const contacts = await this.revealContact(principal, caseId, origin, 'letter');
    const response = await this.lockResponse(this.dataSource.manager, caseId, responseId, 'letter');
    const [found] = await this.dataSource.query<{ tracking_code: string; subject: string; unit_name: string | null }[]>(
      `SELECT c.tracking_code, c.subject, u.name AS unit_name FROM cases c LEFT JOIN units u ON u.id = c.unit_id
        WHERE c.id = $1`,
      [caseId],
    );
    return {
      trackingCode: found.tracking_code,
      subject: found.subject,
      unitName: found.unit_name,
      recipients: contacts.filter((c) => c.address).map((c) => ({ name: c.name, address: c.address })),
      body: response.body,
      at: response.created_at,
    };
  }

  async close(principal: StaffPrincipal, caseId: string, outcomeInput: unknown, origin?: string): Promise<void> {
    const outcome = requireText('outcome', outcomeInput, 3, 2000);
    await this.dataSource.transaction(async (manager) => {
      const found = await this.lockFor(manager, principal, caseId, 'close');
      if (found.status === 'closed') throw new GopyError('action_refused');
      await this.setStatus(manager, found, 'closed', principal, origin, `, closed_at = now(), outcome = $3`, [outcome]);
      await this.event(manager, caseId, 'closed', 'public', principal, { outcome });
    });
  }

  async reopen(principal: StaffPrincipal, caseId: string, origin?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const found = await this.lockFor(manager, principal, caseId, 'reopen');
      if (found.merged_into_id) throw new GopyError('action_refused');
      await this.setStatus(manager, found, 'in_progress', principal, origin, `, closed_at = NULL, outcome = NULL`);
      await this.event(manager, caseId, 'reopened', 'public', principal);
    });
  }

  /** Merges this case into another (the main one): its submitters get the main case's answers. */
  async merge(principal: StaffPrincipal, caseId: string, targetInput: unknown, origin?: string): Promise<string> {
    const parsed = parseTrackingCode(typeof targetInput === 'string' ? targetInput : '');
    if (!parsed.ok) throw new FieldValidationError({ target: { code: 'invalid_tracking_code' } });
    return this.dataSource.transaction(async (manager) => {
      const [target] = await manager.query<LockedCase[]>(
        `SELECT id, status, unit_id, assignee_id, topic, priority, merged_into_id FROM cases WHERE tracking_code = $1 FOR UPDATE`,
        [parsed.code],
      );
      if (!target || !canSeeCase(principal, { unitId: target.unit_id, assigneeId: target.assignee_id }))
        throw new FieldValidationError({ target: { code: 'invalid_tracking_code' } });
      const found = await this.lockFor(manager, principal, caseId, 'merge');
      if (target.id === found.id || target.merged_into_id || ['spam', 'rejected'].includes(target.status))
        throw new FieldValidationError({ target: { code: 'invalid_value' } });
      if (['spam', 'rejected', 'closed'].includes(found.status) || found.merged_into_id)
        throw new GopyError('action_refused');
      await manager.query(
        `UPDATE cases SET merged_into_id = $2, status = 'closed', closed_at = now(), outcome = 'merged',
                assignee_id = NULL, updated_at = now(), last_activity_at = now() WHERE id = $1`,
        [found.id, target.id],
      );
      // Cases already merged into this one follow it.
      await manager.query(`UPDATE cases SET merged_into_id = $2 WHERE merged_into_id = $1`, [found.id, target.id]);
      await this.event(manager, found.id, 'merged', 'public', principal, { into: target.id });
      await this.event(manager, target.id, 'merged_into', 'internal', principal, { from: found.id });
      await manager.query(`UPDATE cases SET last_activity_at = now() WHERE id = $1`, [target.id]);
      await this.audit.record(
        {
          actor: `staff:${principal.id}`,
          action: 'case.merged',
          caseId: found.id,
          detail: { into: target.id },
          origin,
        },
        manager,
      );
      return target.id;
    });
  }

  async markSpam(principal: StaffPrincipal, caseId: string, reasonInput: unknown, origin?: string): Promise<void> {
    const reason = requireText('reason', reasonInput, 3, 1000);
    await this.dataSource.transaction(async (manager) => {
      const found = await this.lockFor(manager, principal, caseId, 'spam');
      await this.setStatus(manager, found, 'spam', principal, origin, `, assignee_id = NULL, outcome = $3`, [reason]);
      await this.event(manager, caseId, 'marked_spam', 'internal', principal, { reason });
      await this.event(manager, caseId, 'not_taken_up', 'public', principal);
      await this.audit.record(
        { actor: `staff:${principal.id}`, action: 'case.marked_spam', caseId, detail: { reason }, origin },
        manager,
      );
    });
  }

  /** Shows who wrote, to a role allowed to see it; every reveal is in the audit log first. */
  async revealContact(
    principal: StaffPrincipal,
    caseId: string,
    origin?: string,
    purpose: 'desk' | 'letter' = 'desk',
  ): Promise<RevealedContact[]> {
    return this.reveal(principal, caseId, 'reveal_contact', purpose, origin);
  }

  /**
   * The number to call back, for whoever holds a callback task on the case (the assignee
   * included): only the name and phone, and only while the call is still to be made.
   */
  async revealForCallback(
    principal: StaffPrincipal,
    caseId: string,
    responseId: unknown,
    origin?: string,
  ): Promise<RevealedContact[]> {
    const response = await this.lockResponse(this.dataSource.manager, caseId, responseId, 'callback');
    const [reached] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM callback_attempts WHERE response_id = $1 AND outcome = 'reached'`,
      [response.id],
    );
    if (reached) throw new GopyError('action_refused');
    const contacts = await this.reveal(principal, caseId, 'respond', 'callback', origin);
    return contacts.map(({ submissionId, name, phone }) => ({ submissionId, name, phone }));
  }

  private async reveal(
    principal: StaffPrincipal,
    caseId: string,
    action: DeskAction,
    purpose: 'desk' | 'letter' | 'callback',
    origin: string | undefined,
  ): Promise<RevealedContact[]> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockFor(manager, principal, caseId, action);
      const rows = await manager.query<
        { id: string; contact_ciphertext: Buffer | null; contact_key_id: string | null }[]
      >(
        `SELECT s.id, s.contact_ciphertext, s.contact_key_id FROM submissions s JOIN cases c ON c.id = s.case_id
          WHERE (c.id = $1 OR c.merged_into_id = $1) AND s.contact_ciphertext IS NOT NULL ORDER BY s.received_at`,
        [caseId],
      );
      await this.audit.record(
        {
          actor: `staff:${principal.id}`,
          action: 'case.contact_revealed',
          caseId,
          detail: { submissions: rows.map((r) => r.id), purpose },
          origin,
        },
        manager,
      );
      return rows.map((r) => ({
        submissionId: r.id,
        ...this.cipher.openJson<SubmitterContact>(
          { keyId: r.contact_key_id as string, ciphertext: r.contact_ciphertext as Buffer },
          CONTACT_CONTEXT,
        ),
      }));
    });
  }

  /** An admin's change to a collaborator that takes their open cases back for re-routing. */
  async releaseCollaborator(
    principal: StaffPrincipal,
    collaboratorKey: string,
    change: { deactivate: true } | { leave: { startsOn: string; endsOn: string } },
    origin?: string,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [person] = await manager.query<{ id: string }[]>(`SELECT id FROM collaborators WHERE key = $1 FOR UPDATE`, [
        collaboratorKey,
      ]);
      if (!person) throw new FieldValidationError({ collaboratorKey: { code: 'invalid_value' } });
      let releaseNow = true;
      if ('deactivate' in change) {
        await manager.query(`UPDATE collaborators SET active = false, updated_at = now() WHERE id = $1`, [person.id]);
      } else {
        const { startsOn, endsOn } = change.leave;
        const date = /^\d{4}-\d{2}-\d{2}$/;
        const issues: Record<string, { code: string }> = {};
        if (!date.test(startsOn)) issues.startsOn = { code: 'invalid_value' };
        if (!date.test(endsOn) || endsOn < startsOn) issues.endsOn = { code: 'invalid_value' };
        if (Object.keys(issues).length > 0) throw new FieldValidationError(issues);
        await manager.query(
          `INSERT INTO collaborator_leaves (collaborator_id, starts_on, ends_on) VALUES ($1, $2, $3)`,
          [person.id, startsOn, endsOn],
        );
        const today = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
        releaseNow = startsOn <= today && today <= endsOn;
      }
      await this.audit.record(
        {
          actor: `staff:${principal.id}`,
          action: 'deactivate' in change ? 'collaborator.deactivated' : 'collaborator.leave_added',
          detail: { collaboratorId: person.id },
          origin,
        },
        manager,
      );
      if (!releaseNow) return 0;
      const released = await this.routing.release(
        manager,
        person.id,
        'deactivate' in change ? 'deactivated' : 'on leave',
        `staff:${principal.id}`,
      );
      return released.length;
    });
  }
}
