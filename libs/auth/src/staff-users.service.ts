import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@gopy/audit';
import { type FieldIssues, FieldValidationError } from '@gopy/errors';
import { hashPassword } from './password';
import { STAFF_ROLES, StaffRole } from './rules/access';

export interface NewStaffUser {
  email: string;
  fullName: string;
  password: string;
  roles: StaffRole[];
  unitCode?: string | null;
  collaboratorKey?: string | null;
}

export interface StaffUserSummary {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
  unitCode: string | null;
  collaboratorKey: string | null;
  active: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Staff accounts: created by admins (or the demo seed), disabled rather than deleted. */
@Injectable()
export class StaffUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(input: NewStaffUser, actor: string): Promise<string> {
    const issues: FieldIssues = {};
    const email = input.email.trim().normalize('NFC').toLowerCase();
    if (!EMAIL.test(email) || email.length > 254) issues.email = { code: 'invalid_email' };
    const fullName = input.fullName.trim().normalize('NFC');
    if (fullName.length < 2 || fullName.length > 120) issues.fullName = { code: 'too_short', params: { min: 2 } };
    if (input.password.length < 12 || input.password.length > 200)
      issues.password = { code: 'too_short', params: { min: 12 } };
    const roles = [...new Set(input.roles)];
    if (roles.length === 0 || roles.some((r) => !STAFF_ROLES.includes(r))) issues.roles = { code: 'choose' };
    const [unit] = input.unitCode
      ? await this.dataSource.query<{ id: string }[]>(`SELECT id FROM units WHERE code = $1`, [input.unitCode])
      : [];
    if (input.unitCode && !unit) issues.unitCode = { code: 'unknown_unit' };
    const [collaborator] = input.collaboratorKey
      ? await this.dataSource.query<{ id: string; unit_id: string }[]>(
          `SELECT id, unit_id FROM collaborators WHERE key = $1`,
          [input.collaboratorKey],
        )
      : [];
    if (input.collaboratorKey && !collaborator) issues.collaboratorKey = { code: 'invalid_value' };
    if (roles.includes('collaborator') && !input.collaboratorKey) issues.collaboratorKey = { code: 'required' };
    const [taken] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM staff_users WHERE lower(email) = $1`, [
      email,
    ]);
    if (taken && !issues.email) issues.email = { code: 'email_taken' };
    if (Object.keys(issues).length > 0) throw new FieldValidationError(issues);

    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO staff_users (email, full_name, password_hash, roles, unit_id, collaborator_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [email, fullName, passwordHash, roles, unit?.id ?? collaborator?.unit_id ?? null, collaborator?.id ?? null],
      );
      await this.audit.record({ actor, action: 'staff.created', detail: { userId: row.id, roles } }, manager);
      return row.id;
    });
  }

  async list(): Promise<StaffUserSummary[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        email: string;
        full_name: string;
        roles: StaffRole[];
        unit_code: string | null;
        collaborator_key: string | null;
        active: boolean;
      }[]
    >(
      `SELECT s.id, s.email, s.full_name, s.roles, u.code AS unit_code, c.key AS collaborator_key, s.active
         FROM staff_users s
         LEFT JOIN units u ON u.id = s.unit_id
         LEFT JOIN collaborators c ON c.id = s.collaborator_id
        ORDER BY s.active DESC, lower(s.email)`,
    );
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      fullName: r.full_name,
      roles: r.roles,
      unitCode: r.unit_code,
      collaboratorKey: r.collaborator_key,
      active: r.active,
    }));
  }

  /** Disabling ends every open session of the account in the same transaction. */
  async setActive(userId: string, active: boolean, actor: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[{ id: string }[], number]>(
        `UPDATE staff_users SET active = $2, updated_at = now() WHERE id = $1 AND active <> $2 RETURNING id`,
        [userId, active],
      );
      if (rows.length === 0) return false;
      if (!active) await manager.query(`DELETE FROM staff_sessions WHERE user_id = $1`, [userId]);
      await this.audit.record(
        { actor, action: active ? 'staff.enabled' : 'staff.disabled', detail: { userId } },
        manager,
      );
      return true;
    });
  }
}
