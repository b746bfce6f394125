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
      const [found] = await this.lockRoutable(manager, `c.id = $1`, [caseId]);
      return found ? this.routeLocked(manager, found) : undefined;
    });
  }

  /** Routes up to `limit` waiting cases, oldest first; returns what it routed. */
  async routeBacklog(limit = 100): Promise<RoutedCase[]> {
    return this.dataSource.transaction(async (manager) => {
      const batch = await this.lockRoutable(manager, 'true', [], limit);
      const routed: RoutedCase[] = [];
      for (const found of batch) routed.push(await this.routeLocked(manager, found));
      return routed;
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

  private async routeLocked(manager: EntityManager, found: CaseToRoute): Promise<RoutedCase> {
    const unitChoice = chooseUnit(
      { unitCode: found.unit_code, topic: found.topic, text: `${found.subject} ${found.body ?? ''}` },
      this.policy.unitRules,
    );
    const [unit] = unitChoice.unitCode
      ? await manager.query<{ id: string; code: string; name: string }[]>(
          `SELECT id, code, name FROM units WHERE code = $1 AND active`,
          [unitChoice.unitCode],
        )
      : [];
    const role: Role = this.policy.roleByTopic[found.topic];
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

    let assigneeId: string | null = null;
    if (unit) {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`gopy:route:${unit.id}:${role}`]);
      const pool = await manager.query<PoolRow[]>(
        `SELECT p.id, p.full_name, p.topics, p.capacity, p.active, p.last_assigned_at,
                EXISTS (SELECT 1 FROM collaborator_leaves l WHERE l.collaborator_id = p.id
                         AND $3::date BETWEEN l.starts_on AND l.ends_on) AS on_leave,
                (SELECT count(*)::int FROM cases o WHERE o.assignee_id = p.id
                   AND o.status IN ('assigned','in_progress')) AS open_cases
           FROM collaborators p WHERE p.unit_id = $1 AND p.role = $2`,
        [unit.id, role, vietnamDay(new Date())],
      );
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
        assigneeId = choice.collaboratorId;
        decision.assignee = {
          id: assigneeId,
          name: names.get(assigneeId) ?? '',
          reason: choice.reason,
          because: choice.because,
        };
      } else {
        const [lead] = await manager.query<unknown[]>(
          `SELECT 1 FROM staff_users WHERE unit_id = $1 AND active AND 'unit_lead' = ANY (roles) LIMIT 1`,
          [unit.id],
        );
        decision.fallback = lead ? 'unit_lead' : 'coordinators';
        decision.assignee = null;
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
    const assignmentId = assigneeId ? randomUUID() : null;
    await manager.query(
      `UPDATE cases SET unit_id = $2, assignee_id = $3, status = $4, routing = $5, routed_at = now(),
              first_response_due_at = coalesce(first_response_due_at, $6),
              resolution_due_at = coalesce(resolution_due_at, $7),
              reminded_at = NULL, escalated_at = NULL, updated_at = now(), last_activity_at = now()
        WHERE id = $1`,
      [
        found.id,
        unit?.id ?? null,
        assigneeId,
        assigneeId ? 'assigned' : 'triaged',
        decision,
        deadlines.firstResponseDueAt,
        deadlines.resolutionDueAt,
      ],
    );
    if (assigneeId) {
      await manager.query(`UPDATE collaborators SET last_assigned_at = clock_timestamp() WHERE id = $1`, [assigneeId]);
    }
    await manager.query(
      `INSERT INTO case_events (case_id, type, visibility, actor, data) VALUES
         ($1, 'routed', 'internal', 'routing', $2),
         ($1, $3, 'public', 'routing', '{}')`,
      [
        found.id,
        { assigneeId, assignmentId, unit: decision.unit.code, fallback: decision.fallback },
        assigneeId ? 'assigned' : 'triaged',
      ],
    );
    return { caseId: found.id, assigneeId, assignmentId };
  }
}
