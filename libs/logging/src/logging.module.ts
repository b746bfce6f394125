import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { GopyConfig } from '@gopy/config';

// Tracking codes are bearer secrets: they never reach the logs.
const TRACKING_CODE = /[2-9A-HJKMNP-TV-Z]{5}-?[2-9A-HJKMNP-TV-Z]{5}-?[2-9A-HJKMNP-TV-Z]{5}/gi;

export function maskTrackingCodes(url: string): string {
  return url.replace(TRACKING_CODE, '***');
}

const REQUEST_ID = /^[\w-]{1,64}$/;

/**
 * Structured JSON logs (pino) with a request id on every line. Bodies, cookies and
 * query strings are never logged: they may carry personal data.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [GopyConfig],
      useFactory: (config: GopyConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          base: { app: 'gopy' },
          genReqId: (req: IncomingMessage, res: ServerResponse) => {
            const given = req.headers['x-request-id'];
            const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
            res.setHeader('x-request-id', id);
            return id;
          },
          autoLogging: {
            ignore: (req: IncomingMessage) => req.url === '/health' || (req.url ?? '').startsWith('/assets/'),
          },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: maskTrackingCodes(req.url.split('?')[0]),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          redact: { paths: ['req.headers', 'res.headers'], remove: true },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
