import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GopyError } from '@gopy/errors';
import { hasReplacementChar, isValidUtf8 } from '@gopy/text';

/**
 * JSON and urlencoded bodies are read as bytes and refused unless they are valid UTF-8:
 * a lenient decoder would silently turn bad bytes into U+FFFD and store them.
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  // Only JSON, urlencoded and multipart are accepted; anything else is 415.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (_req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      if (!isValidUtf8(body)) return done(new GopyError('invalid_encoding'));
      if (body.length === 0) return done(null, {});
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch {
        done(new GopyError('malformed_body'));
      }
    },
  );
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit: 256 * 1024 },
    (_req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      if (!isValidUtf8(body)) return done(new GopyError('invalid_encoding'));
      const fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      // Percent-encoded bytes that are not UTF-8 decode to U+FFFD.
      if (Object.values(fields).some(hasReplacementChar)) return done(new GopyError('invalid_encoding'));
      done(null, fields);
    },
  );
}
