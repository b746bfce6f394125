import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, GopyError } from '@gopy/errors';
import { MessageKey, translate } from '@gopy/i18n';
import { maskTrackingCodes } from '@gopy/logging';
import { requestLanguage } from './language';
import { fieldMessages } from './field-messages';
import { renderErrorPage } from '../views/error.view';

// Fastify and multipart error codes, mapped to gopy's stable codes.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_body',
};

/** What a failed request becomes, whatever threw it. */
export function toGopyError(exception: unknown): GopyError | undefined {
  if (exception instanceof GopyError) return exception;
  const code = (exception as { code?: string } | undefined)?.code;
  if (code && FASTIFY_CODES[code]) return new GopyError(FASTIFY_CODES[code]);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404) return new GopyError('not_found');
    if (status === 413) return new GopyError('payload_too_large');
    if (status === 415) return new GopyError('unsupported_media_type');
    if (status === 429) return new GopyError('too_many_requests');
    if (status === 400) return new GopyError('malformed_body');
  }
  return undefined;
}

export function wantsJson(request: FastifyRequest): boolean {
  return (
    request.url.startsWith('/api/') ||
    request.url === '/health' ||
    !(request.headers.accept ?? '').includes('text/html')
  );
}

/**
 * One filter for HTTP: expected errors get their status and a translated message (JSON
 * for the API, a page for people); anything else is logged and answered 500 without detail.
 */
@Catch()
export class GopyExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const lang = requestLanguage(request);
    const known = toGopyError(exception);
    if (!known) this.logger.error({ err: exception, reqId: request.id, url: routeOf(request) }, 'unhandled error');

    const status = known?.status ?? 500;
    const key: MessageKey = known?.messageKey ?? 'api.internal';
    const body = {
      statusCode: status,
      error: known?.code ?? 'internal',
      message: translate(lang, key),
      ...(known && Object.keys(known.fields).length > 0 ? { fields: fieldMessages(lang, known.fields) } : {}),
    };
    if (known?.code === 'unauthorized' && !wantsJson(request)) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      void reply.redirect(`/dang-nhap${next}`, 303);
      return;
    }
    if (wantsJson(request)) {
      void reply.status(status).header('Content-Language', lang).send(body);
      return;
    }
    void reply
      .status(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .send(renderErrorPage(lang, status, body.message, request.url));
  }
}

// The route pattern (`/theo-doi/:code`) when known; a raw path only with its codes masked.
function routeOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? maskTrackingCodes(request.url.split('?')[0]);
}
