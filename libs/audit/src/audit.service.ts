import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type AuditAction =
  | 'directory.import'
  | 'directory.export'
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'case.status_changed'
  | 'case.reassigned'
  | 'case.contact_revealed'
  | 'case.exported'
  | 'case.merged'
  | 'case.marked_spam'
  | 'staff.created'
  | 'staff.disabled'
  | 'staff.enabled'
  | 'collaborator.deactivated'
  | 'collaborator.leave_added'
  | 'digest.rebuilt';

export interface AuditRecord {
  actor: string;
  action: AuditAction;
  caseId?: string;
  detail?: Record<string, unknown>;
  origin?: string;
  requestId?: string;
}

/** Writes the audit log; pass the caller's transaction so the entry commits with the change. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor, action, case_id, detail, origin, request_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        entry.actor,
        entry.action,
        entry.caseId ?? null,
        entry.detail ?? {},
        entry.origin ?? null,
        entry.requestId ?? null,
      ],
    );
  }
}
