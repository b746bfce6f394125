import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type CurrentSession, SessionsService, type StaffPrincipal } from '@gopy/auth';
import { GopyError } from '@gopy/errors';
import { ACCESS, type Access } from './public.decorator';
import { readCookie } from './language';

export const SESSION_COOKIE = 'gopy_session';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: CurrentSession;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * The staff guard: a route's declared roles are checked against the session's user. No
 * session: the API answers 401, a page sends the browser to the login form. A user
 * without one of the roles: 403. Every unsafe request carries the session's CSRF token
 * (form field `_csrf` or header `X-CSRF-Token`). Scope within a role (which unit, which
 * case) is the service's job and answers 404.
 */
@Injectable()
export class StaffGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (access === 'public') return true;
    if (!access) throw new GopyError('forbidden');

    const session = await this.sessions.current(readCookie(request, SESSION_COOKIE));
    // Pages answer this with a redirect to the login form (see the exception filter).
    if (!session) throw new GopyError('unauthorized');
    if (!session.principal.roles.some((role) => access.includes(role))) throw new GopyError('forbidden');
    if (UNSAFE.has(request.method)) {
      const body = (request.body ?? {}) as Record<string, unknown>;
      // A multipart form (the letter's scans) is read by its handler, after this guard: its
      // token travels in the form's action URL instead.
      const query = request.isMultipart() ? ((request.query ?? {}) as Record<string, unknown>) : {};
      const sent = request.headers[CSRF_HEADER] ?? body[CSRF_FIELD] ?? query[CSRF_FIELD];
      if (!sameToken(typeof sent === 'string' ? sent : undefined, session.csrfToken))
        throw new GopyError('csrf_failed');
    }
    request.staff = session;
    return true;
  }
}

/** The signed-in person, for handlers behind `@Roles(...)`. */
export const Staff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffPrincipal => {
  const session = context.switchToHttp().getRequest<FastifyRequest>().staff;
  if (!session) throw new GopyError('unauthorized');
  return session.principal;
});
