import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ConfigModule, GopyConfig } from '@gopy/config';
import { FieldValidationError } from '@gopy/errors';
import { VALIDATOR_OPTIONS, toFieldIssues } from '@gopy/intake';
import { LoggingModule } from '@gopy/logging';
import { ApiModule } from './api.module';
import { registerBodyParsers } from './http/body-parsers';
import { registerRequestLog, requestIdFor } from './http/request-log';

@Module({})
class ApiRootModule {
  static forRoot(config: GopyConfig): DynamicModule {
    return { module: ApiRootModule, imports: [ConfigModule.forRoot(config), LoggingModule, ApiModule] };
  }
}

function assetsDir(): string {
  // Beside the compiled file when built, in the source tree under ts-jest.
  const candidates = [join(__dirname, 'public'), resolve('apps/api/src/public')];
  return candidates.find((dir) => existsSync(join(dir, 'gopy.css'))) ?? candidates[1];
}

/** Builds the API application (not yet listening), for main.ts, the all-in-one runner and tests. */
export async function createApiApp(config: GopyConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyMaxBytes,
    trustProxy: config.http.trustProxy,
    return503OnClosing: true,
    genReqId: requestIdFor,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiRootModule.forRoot(config), adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  registerRequestLog(app.getHttpAdapter().getInstance(), app.get(Logger));
  registerBodyParsers(app.getHttpAdapter().getInstance(), config.http.bodyMaxBytes);
  // Oversized files are cut one byte past the limit and named by the policy, not thrown.
  await app.register(fastifyMultipart, { throwFileSizeLimit: false });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: config.http.publicBaseUrl.startsWith('https:'),
  });
  await app.register(fastifyStatic, { root: assetsDir(), prefix: '/assets/', maxAge: '1h', decorateReply: false });
  app.useGlobalPipes(
    new ValidationPipe({
      ...VALIDATOR_OPTIONS,
      transform: true,
      exceptionFactory: (errors) => new FieldValidationError(toFieldIssues(errors)),
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('gopy public API')
      .setDescription('Submit opinions to the suggestion box (hòm thư góp ý) and follow their cases.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  app.enableShutdownHooks();
  return app;
}
