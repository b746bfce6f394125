import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maskTrackingCodes } from '@gopy/logging';

const REQUEST_ID = /^[\w-]{1,64}$/;

/** A well-formed incoming X-Request-Id is kept (to follow a request across proxies); else a new one. */
export function requestIdFor(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * One JSON line per request with its id, method, route, status and duration, and the id in
 * the response's X-Request-Id. Bodies, query strings, cookies and headers are never logged,
 * and tracking codes in paths are masked.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: LoggerService): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply, done) => {
    const path = request.url.split('?')[0];
    if (path !== '/health' && !path.startsWith('/assets/')) {
      logger.log(
        {
          msg: 'request completed',
          reqId: request.id,
          method: request.method,
          url: maskTrackingCodes(path),
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'HTTP',
      );
    }
    done();
  });
}
