import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionsService } from '@gopy/auth';
import { GopyConfig } from '@gopy/config';
import { type Language, translate } from '@gopy/i18n';
import { Lang, readCookie } from '../http/language';
import { Public, Roles } from '../http/public.decorator';
import { RateLimiter } from '../http/rate-limit';
import { SESSION_COOKIE, sameToken } from '../http/staff-access';
import { renderLogin } from '../views/login.view';

const LOGIN_COOKIE = 'gopy_login';
const HTML = 'text/html; charset=utf-8';

/** Only same-site paths under the desk: never an open redirect. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/ban-lam-viec(?:[/?][^\s\\]*)?$/.test(next) ? next : '/ban-lam-viec';
}

/**
 * Sign-in and sign-out. The login form is protected against cross-site posting by a
 * token that must match a cookie; failed attempts are counted per address and account
 * and refused for a while after too many.
 */
@Controller()
export class AuthPagesController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly limiter: RateLimiter,
    private readonly config: GopyConfig,
  ) {}

  // No Max-Age means the browser forgets the cookie when it closes; the server ends idle sessions.
  private cookie(name: string, value: string, maxAge?: number): string {
    const secure = this.config.http.publicBaseUrl.startsWith('https:') ? '; Secure' : '';
    const age = maxAge === undefined ? '' : `; Max-Age=${maxAge}`;
    return `${name}=${value}; Path=/${age}; HttpOnly; SameSite=Lax${secure}`;
  }

  private form(
    reply: FastifyReply,
    status: number,
    lang: Language,
    next: string,
    email?: string,
    error?: string,
  ): void {
    const token = randomBytes(18).toString('base64url');
    void reply
      .status(status)
      .header('Set-Cookie', this.cookie(LOGIN_COOKIE, token, 3600))
      .header('Cache-Control', 'no-store')
      .header('Content-Type', HTML)
      .send(renderLogin({ lang, token, next, email, error }));
  }

  @Get('dang-nhap')
  @Public()
  loginPage(@Lang() lang: Language, @Query('next') next: unknown, @Res() reply: FastifyReply): void {
    this.form(reply, 200, lang, safeNext(next));
  }

  @Post('dang-nhap')
  @Public()
  async login(
    @Lang() lang: Language,
    @Body() body: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const email = typeof body.email === 'string' ? body.email.trim().slice(0, 254) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
    const next = safeNext(body.next);
    const token = typeof body._login === 'string' ? body._login : undefined;
    const cookie = readCookie(request, LOGIN_COOKIE);
    if (!cookie || !sameToken(token, cookie))
      return this.form(reply, 403, lang, next, email, translate(lang, 'api.csrf_failed'));
    const throttleKey = `${request.ip}|${email.toLowerCase()}`;
    const waitSeconds = await this.limiter.peek('login', throttleKey);
    if (waitSeconds !== undefined) {
      void reply.header('Retry-After', String(waitSeconds));
      const minutes = String(Math.max(1, Math.ceil(waitSeconds / 60)));
      return this.form(reply, 429, lang, next, email, translate(lang, 'login.throttled', { minutes }));
    }
    const opened = email && password ? await this.sessions.login(email, password, request.ip) : undefined;
    if (!opened) {
      await this.limiter.hit('login', throttleKey);
      return this.form(reply, 401, lang, next, email, translate(lang, 'login.failed'));
    }
    void reply
      .header('Set-Cookie', [this.cookie(SESSION_COOKIE, opened.token), this.cookie(LOGIN_COOKIE, '', 0)])
      .redirect(next, 303);
  }

  @Post('dang-xuat')
  @Roles('operator', 'collaborator', 'unit_lead', 'committee', 'admin')
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.logout(readCookie(request, SESSION_COOKIE), request.ip);
    void reply.header('Set-Cookie', this.cookie(SESSION_COOKIE, '', 0)).redirect('/dang-nhap', 303);
  }
}
