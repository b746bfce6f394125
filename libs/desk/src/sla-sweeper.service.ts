import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RoutingService } from '@gopy/routing';
import { noticeId } from '@gopy/mailer';
import { StaffNotifier } from './staff-notifier.service';

// The deadline that counts now: the first response until there is one, then resolution.
const CURRENT_DUE = `CASE WHEN c.first_responded_at IS NULL THEN c.first_response_due_at ELSE c.resolution_due_at END`;

export interface SweepResult {
  reminded: number;
  escalated: number;
  routed: number;
}

/**
 * The SLA sweep, safe to run any number of times: a case is reminded once per deadline and
 * escalated once per deadline (answering starts the resolution deadline afresh), because
 * the marks are set by the same UPDATE that picks the cases. It also routes any case the
 * routing job missed.
 */
@Injectable()
export class SlaSweeper {
  private readonly logger = new Logger(SlaSweeper.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifier: StaffNotifier,
    private readonly routing: RoutingService,
  ) {}

  async sweep(now = new Date()): Promise<SweepResult> {
    const share = this.routing.sla.reminderShare;
    const [reminded] = await this.dataSource.query<[{ id: string; assignee_id: string; due: Date }[], number]>(
      `WITH due AS (
         SELECT c.id, ${CURRENT_DUE} AS due FROM cases c
          WHERE c.status IN ('assigned','in_progress') AND c.assignee_id IS NOT NULL
            AND c.reminded_at IS NULL AND c.escalated_at IS NULL
          FOR UPDATE SKIP LOCKED)
       UPDATE cases c SET reminded_at = $1 FROM due
        WHERE c.id = due.id AND due.due IS NOT NULL AND due.due >= $1
          AND $1 >= c.created_at + (due.due - c.created_at) * $2::float8
       RETURNING c.id, c.assignee_id, due.due`,
      [now, share],
    );
    const [escalated] = await this.dataSource.query<[{ id: string; unit_id: string | null; due: Date }[], number]>(
      `WITH due AS (
         SELECT c.id, ${CURRENT_DUE} AS due FROM cases c
          WHERE c.status IN ('triaged','assigned','in_progress') AND c.escalated_at IS NULL
          FOR UPDATE SKIP LOCKED)
       UPDATE cases c SET escalated_at = $1 FROM due
        WHERE c.id = due.id AND due.due < $1
       RETURNING c.id, c.unit_id, due.due`,
      [now],
    );
    for (const item of reminded) {
      await this.event(item.id, 'reminder_sent', { due: item.due });
      await this.notifier.notify(
        'reminder',
        item.id,
        noticeId('reminder', item.id, new Date(item.due).toISOString()),
        await this.notifier.collaborator(item.assignee_id),
      );
    }
    for (const item of escalated) {
      await this.event(item.id, 'escalated', { due: item.due });
      await this.notifier.notify(
        'escalation',
        item.id,
        noticeId('escalation', item.id, new Date(item.due).toISOString()),
        await this.notifier.unitLeads(item.unit_id),
      );
    }
    const routed = await this.routing.routeBacklog(200);
    for (const r of routed) await this.notifyAssignment(r.caseId, r.assigneeId, r.assignmentId);
    if (reminded.length + escalated.length + routed.length > 0)
      this.logger.log({ reminded: reminded.length, escalated: escalated.length, routed: routed.length }, 'sla sweep');
    return { reminded: reminded.length, escalated: escalated.length, routed: routed.length };
  }

  async notifyAssignment(caseId: string, assigneeId: string | null, assignmentId: string | null): Promise<void> {
    if (!assigneeId || !assignmentId) return;
    await this.notifier.notify('assignment', caseId, assignmentId, await this.notifier.collaborator(assigneeId));
  }

  private async event(caseId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO case_events (case_id, type, visibility, actor, data) VALUES ($1, $2, 'internal', 'sla', $3)`,
      [caseId, type, data],
    );
  }
}
