import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { GopyConfig } from '@gopy/config';

// Tracking codes are bearer secrets: they never reach the logs.
const TRACKING_CODE = /[2-9A-HJKMNP-TV-Z]{5}-?[2-9A-HJKMNP-TV-Z]{5}-?[2-9A-HJKMNP-TV-Z]{5}/gi;

export function maskTrackingCodes(url: string): string {
  return url.replace(TRACKING_CODE, '***');
}

/**
 * Structured JSON logs (pino) for every process. The API adds one line per request with its
 * id (apps/api/src/http/request-log.ts); bodies, cookies and query strings are never logged,
 * since they may carry personal data.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [GopyConfig],
      useFactory: (config: GopyConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          base: { app: 'gopy' },
          redact: { paths: ['req', 'res', 'headers', 'cookie', 'authorization'], remove: true },
        },
        // Request lines come from the API's own Fastify hooks, which see every route.
        forRoutes: [],
      }),
    }),
  ],
})
export class LoggingModule {}
