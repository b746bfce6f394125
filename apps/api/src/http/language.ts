import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Language, pickLanguage } from '@gopy/i18n';

export const LANGUAGE_COOKIE = 'gopy_lang';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The language of a request: `?lang=`, then the cookie, then Accept-Language; Vietnamese by default. */
export function requestLanguage(request: FastifyRequest): Language {
  const query = (request.query ?? {}) as Record<string, unknown>;
  return pickLanguage(query.lang ?? readCookie(request, LANGUAGE_COOKIE), request.headers['accept-language']);
}

export const Lang = createParamDecorator((_data: unknown, context: ExecutionContext): Language =>
  requestLanguage(context.switchToHttp().getRequest<FastifyRequest>()),
);
