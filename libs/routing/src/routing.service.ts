import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  GopyConfig,
  type RoutingPolicy,
  type SlaPolicy,
  loadHolidays,
  loadRoutingPolicy,
  loadSlaPolicy,
} from '@gopy/config';
import { TopicCatalog } from '@gopy/cases';
import { JobName, enqueueInOutbox } from '@gopy/queue';
import { type WorkingCalendar, caseDeadlines, slaTermsFor, vietnamDay } from '@gopy/sla';
import { type Candidate, type Reason, type Role, chooseAssignee, chooseUnit } from './rules/choose-assignee';

/**
 * The explanation stored on the case and shown on the desk: each step's reason in plain
 * English (for logs and the API) and as a message code the desk shows in the reader's language.
 */
export interface RoutingDecision {
  at: string;
  unit: { code: string | null; name: string | null; reason: string; because?: Reason };
  role: { role: Role; reason: string; because?: Reason };
  assignee: { id: string; name: string; reason: string; because?: Reason } | null;
  fallback: 'unit_lead' | 'coordinators' | null;
  fallbackBecause?: Reason;
  candidates: { id: string; name: string; eligible: boolean; why: string; because?: Reason }[];
}

export interface RoutedCase {
  caseId: string;
  assigneeId: string | null;
  assignmentId: string | null;
}

interface CaseToRoute {
  id: string;
  topic: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  unit_code: string | null;
  subject: string;
  body: string | null;
  created_at: Date;
  declined_by: string[];
}

interface PoolRow {
  id: string;
  full_name: string;
  topics: string[];
  capacity: number;
  active: boolean;
  on_leave: boolean;
  open_cases: number;
  last_assigned_at: Date | null;
}

const ROUTABLE = `c.routed_at IS NULL AND c.status IN ('received','triaged')`;

/**
 * Routes cases to people, one transaction per batch. The case row is locked with SKIP
 * LOCKED, so two workers never route the same case; each (unit, role) pool is serialised
 * by an advisory lock, so two workers never both hand the "least loaded" person a case.
 */
@Injectable()
export class RoutingService {
  readonly policy: RoutingPolicy;
  readonly sla: SlaPolicy;
  readonly calendar: WorkingCalendar;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: GopyConfig,
    topics: TopicCatalog,
  ) {
    const codes = topics.topics.map((t) => t.code);
    this.policy = loadRoutingPolicy(config.configDir, codes);
    this.sla = loadSlaPolicy(config.configDir, codes);
    this.calendar = loadHolidays(config.configDir);
  }

  /** Routes one case if it still needs routing and no one else holds it. */
  async route(caseId: string): Promise<RoutedCase | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const batch = await this.lockRoutable(manager, `c.id = $1`, [caseId]);
      return (await this.routeLocked(manager, batch))[0];
    });
  }

  /** Routes up to `limit` waiting cases, oldest first; returns what it routed. */
  async routeBacklog(limit = 100): Promise<RoutedCase[]> {
    return this.dataSource.transaction(async (manager) => {
      const batch = await this.lockRoutable(manager, 'true', [], limit);
      return this.routeLocked(manager, batch);
    });
  }

  /**
   * Takes a collaborator's open cases back (declined, on leave, deactivated) and queues
   * them for routing again; the person is excluded only from cases they declined.
   */
  async release(manager: EntityManager, collaboratorId: string, reason: string, actor: string): Promise<string[]> {
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `UPDATE cases SET assignee_id = NULL, routed_at = NULL, status = 'triaged', updated_at = now()
        WHERE assignee_id = $1 AND status IN ('assigned','in_progress') RETURNING id`,
      [collaboratorId],
    );
    for (const { id } of rows) {
      await manager.query(
        `INSERT INTO case_events (case_id, type, visibility, actor, data) VALUES ($1, 'released', 'internal', $2, $3)`,
        [id, actor, { collaboratorId, reason }],
      );
      await enqueueInOutbox(manager, JobName.CaseRoute, { caseId: id });
    }
    return rows.map((r) => r.id);
  }

  private async lockRoutable(
    manager: EntityManager,
    where: string,
    params: unknown[],
    limit = 1,
  ): Promise<CaseToRoute[]> {
    return await manager.query<CaseToRoute[]>(
      `SELECT c.id, c.topic, c.priority, u.code AS unit_code, c.subject, c.created_at, c.declined_by,
              (SELECT s.body FROM submissions s WHERE s.case_id = c.id ORDER BY s.received_at LIMIT 1) AS body
         FROM cases c LEFT JOIN units u ON u.id = c.unit_id
        WHERE ${ROUTABLE} AND ${where}
        ORDER BY c.created_at, c.id
        LIMIT ${Number(limit)}
        FOR UPDATE OF c SKIP LOCKED`,
      params,
    );
  }

  /**
   * Routes a locked batch. Units are looked up once; the batch's pools are locked in one
   * sorted order (two workers never wait on each other in a cycle) and loaded once; each
   * choice is made in memory, counting the cases given out so far; one statement writes it.
   */
  private async routeLocked(manager: EntityManager, batch: CaseToRoute[]): Promise<RoutedCase[]> {
    if (batch.length === 0) return [];
    const choices = batch.map((found) => ({
      found,
      unitChoice: chooseUnit(
        { unitCode: found.unit_code, topic: found.topic, text: `${found.subject} ${found.body ?? ''}` },
        this.policy.unitRules,
      ),
      role: this.policy.roleByTopic[found.topic],
    }));
    const codes = [...new Set(choices.flatMap((c) => (c.unitChoice.unitCode ? [c.unitChoice.unitCode] : [])))];
    const units = new Map(
      (
        await manager.query<{ id: string; code: string; name: string; has_lead: boolean }[]>(
          `SELECT u.id, u.code, u.name,
                  EXISTS (SELECT 1 FROM staff_users s WHERE s.unit_id = u.id AND s.active
                           AND 'unit_lead' = ANY (s.roles)) AS has_lead
             FROM units u WHERE u.code = ANY ($1) AND u.active`,
          [codes],
        )
      ).map((u) => [u.code, u]),
    );
    const poolKey = (unitId: string, role: Role) => `gopy:route:${unitId}:${role}`;
    const keys = [
      ...new Set(
        choices.flatMap((c) => {
          const unit = c.unitChoice.unitCode ? units.get(c.unitChoice.unitCode) : undefined;
          return unit ? [poolKey(unit.id, c.role)] : [];
        }),
      ),
    ].sort();
    if (keys.length > 0) {
      await manager.query(
        `SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) AS sorted`,
        [keys],
      );
    }
    const pools = new Map<string, (PoolRow & { unit_id: string; role: Role })[]>();
    if (keys.length > 0) {
      const rows = await manager.query<(PoolRow & { unit_id: string; role: Role })[]>(
        `SELECT p.id, p.unit_id, p.role, p.full_name, p.topics, p.capacity, p.active, p.last_assigned_at,
                EXISTS (SELECT 1 FROM collaborator_leaves l WHERE l.collaborator_id = p.id
                         AND $2::date BETWEEN l.starts_on AND l.ends_on) AS on_leave,
                (SELECT count(*)::int FROM cases o WHERE o.assignee_id = p.id
                   AND o.status IN ('assigned','in_progress')) AS open_cases
           FROM collaborators p
          WHERE ('gopy:route:' || p.unit_id || ':' || p.role) = ANY ($1)`,
        [keys, vietnamDay(new Date())],
      );
      for (const row of rows) {
        const key = poolKey(row.unit_id, row.role);
        pools.set(key, [...(pools.get(key) ?? []), row]);
      }
    }

    // Given-out times advance by a millisecond per assignment, so ties stay round robin.
    let clock = Date.now();
    const routed: RoutedCase[] = [];
    for (const { found, unitChoice, role } of choices) {
      const unit = unitChoice.unitCode ? units.get(unitChoice.unitCode) : undefined;
      const decision: RoutingDecision = {
        at: new Date().toISOString(),
        unit: unit
          ? { code: unit.code, name: unit.name, reason: unitChoice.reason, because: unitChoice.because }
          : unitChoice.unitCode
            ? {
                code: null,
                name: null,
                reason: `unit ${unitChoice.unitCode} is unknown or inactive`,
                because: { code: 'unit_unknown', params: { unit: unitChoice.unitCode } },
              }
            : { code: null, name: null, reason: unitChoice.reason, because: unitChoice.because },
        role: {
          role,
          reason: `topic ${found.topic} goes to ${role}`,
          because: { code: 'by_topic', params: { topic: found.topic } },
        },
        assignee: null,
        fallback: null,
        candidates: [],
      };
      let assignee: (PoolRow & { unit_id: string; role: Role }) | undefined;
      if (unit) {
        const pool = pools.get(poolKey(unit.id, role)) ?? [];
        const candidates: Candidate[] = pool.map((p) => ({
          id: p.id,
          name: p.full_name,
          topics: p.topics,
          capacity: p.capacity,
          active: p.active,
          onLeave: p.on_leave,
          openCases: p.open_cases,
          lastAssignedAt: p.last_assigned_at,
          declined: found.declined_by.includes(p.id),
        }));
        const choice = chooseAssignee(found.topic, candidates);
        const names = new Map(pool.map((p) => [p.id, p.full_name]));
        decision.candidates = choice.verdicts.map((v) => ({ ...v, name: names.get(v.id) ?? '' }));
        if (choice.kind === 'person') {
          assignee = pool.find((p) => p.id === choice.collaboratorId);
          decision.assignee = {
            id: choice.collaboratorId,
            name: names.get(choice.collaboratorId) ?? '',
            reason: choice.reason,
            because: choice.because,
          };
        } else {
          decision.fallback = unit.has_lead ? 'unit_lead' : 'coordinators';
          decision.role.reason += `; ${choice.reason}`;
          decision.fallbackBecause = choice.because;
        }
      } else {
        decision.fallback = 'coordinators';
      }

      const deadlines = caseDeadlines(
        found.created_at,
        slaTermsFor(this.sla, found.topic, found.priority),
        this.calendar,
      );
      const assignmentId = assignee ? randomUUID() : null;
      const givenAt = new Date((clock = Math.max(clock + 1, Date.now())));
      if (assignee) {
        assignee.open_cases++;
        assignee.last_assigned_at = givenAt;
      }
      await manager.query(
        `WITH routed AS (
           UPDATE cases SET unit_id = $2, assignee_id = $3, status = $4, routing = $5, routed_at = now(),
                  first_response_due_at = coalesce(first_response_due_at, $6),
                  resolution_due_at = coalesce(resolution_due_at, $7),
                  reminded_at = NULL, escalated_at = NULL, updated_at = now(), last_activity_at = now()
            WHERE id = $1 RETURNING id),
         given AS (UPDATE collaborators SET last_assigned_at = $8 WHERE id = $3 RETURNING id)
         INSERT INTO case_events (case_id, type, visibility, actor, data)
         SELECT id, 'routed', 'internal', 'routing', $9::jsonb FROM routed
         UNION ALL SELECT id, $4, 'public', 'routing', '{}'::jsonb FROM routed`,
        [
          found.id,
          unit?.id ?? null,
          assignee?.id ?? null,
          assignee ? 'assigned' : 'triaged',
          decision,
          deadlines.firstResponseDueAt,
          deadlines.resolutionDueAt,
          givenAt,
          { assigneeId: assignee?.id ?? null, assignmentId, unit: decision.unit.code, fallback: decision.fallback },
        ],
      );
      routed.push({ caseId: found.id, assigneeId: assignee?.id ?? null, assignmentId });
    }
    return routed;
  }
}
