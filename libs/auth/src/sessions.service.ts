import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@gopy/audit';
import { GopyConfig } from '@gopy/config';
import { verifyPassword } from './password';
import type { StaffPrincipal, StaffRole } from './rules/access';

export interface OpenedSession {
  token: string;
  csrfToken: string;
  principal: StaffPrincipal;
}

export interface CurrentSession {
  principal: StaffPrincipal;
  csrfToken: string;
}

interface SessionRow {
  user_id: string;
  csrf_token: string;
  email: string;
  full_name: string;
  roles: StaffRole[];
  unit_id: string | null;
  collaborator_id: string | null;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Server-side sessions: the browser holds a random token, the database its hash, the
 * user and a CSRF token. A disabled user's sessions are deleted with the account change,
 * and a lookup also checks the account is still active.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: GopyConfig,
  ) {}

  async login(email: string, password: string, origin?: string): Promise<OpenedSession | undefined> {
    const normalized = email.trim().normalize('NFC').toLowerCase();
    type UserRow = Omit<SessionRow, 'user_id' | 'csrf_token'> & { id: string; password_hash: string; active: boolean };
    const [user] = await this.dataSource.query<UserRow[]>(
      `SELECT id, email, full_name, password_hash, roles, unit_id, collaborator_id, active
         FROM staff_users WHERE lower(email) = $1`,
      [normalized],
    );
    const valid = await verifyPassword(user?.active ? user.password_hash : undefined, password);
    if (!user || !valid) {
      await this.audit.record({
        actor: user ? `staff:${user.id}` : 'anonymous',
        action: 'auth.login_failed',
        detail: { reason: !user ? 'unknown account' : user.active ? 'wrong password' : 'account disabled' },
        origin,
      });
      return undefined;
    }
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO staff_sessions (token_hash, user_id, csrf_token, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4))`,
      [tokenHash(token), user.id, csrfToken, this.config.sessions.idleMinutes],
    );
    await this.audit.record({ actor: `staff:${user.id}`, action: 'auth.login', origin });
    return {
      token,
      csrfToken,
      principal: {
        id: user.id,
        email: user.email,
        fullName: user.full_name,
        roles: user.roles,
        unitId: user.unit_id,
        collaboratorId: user.collaborator_id,
      },
    };
  }

  /** The session behind a token, sliding its expiry; undefined when unknown, expired or disabled. */
  async current(token: string | undefined): Promise<CurrentSession | undefined> {
    if (!token || token.length > 100) return undefined;
    // The idle clock slides at most once a minute: a page with many requests writes one row.
    const [found] = await this.dataSource.query<SessionRow[]>(
      `WITH found AS (
         SELECT s.token_hash, s.last_seen_at, s.user_id, s.csrf_token, u.email, u.full_name, u.roles, u.unit_id,
                u.collaborator_id
           FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active
       ), slid AS (
         UPDATE staff_sessions s SET last_seen_at = now(), expires_at = now() + make_interval(mins => $2)
           FROM found WHERE s.token_hash = found.token_hash AND found.last_seen_at < now() - interval '1 minute'
       )
       SELECT user_id, csrf_token, email, full_name, roles, unit_id, collaborator_id FROM found`,
      [tokenHash(token), this.config.sessions.idleMinutes],
    );
    if (!found) return undefined;
    return {
      csrfToken: found.csrf_token,
      principal: {
        id: found.user_id,
        email: found.email,
        fullName: found.full_name,
        roles: found.roles,
        unitId: found.unit_id,
        collaboratorId: found.collaborator_id,
      },
    };
  }

  async logout(token: string | undefined, origin?: string): Promise<void> {
    if (!token) return;
    const rows = await this.dataSource.query<[{ user_id: string }[], number]>(
      `DELETE FROM staff_sessions WHERE token_hash = $1 RETURNING user_id`,
      [tokenHash(token)],
    );
    const userId = rows[0]?.[0]?.user_id;
    if (userId) await this.audit.record({ actor: `staff:${userId}`, action: 'auth.logout', origin });
  }
}
