import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigModule, GopyConfig } from '@gopy/config';
import { LoggingModule } from '@gopy/logging';
import { WorkerModule } from './worker.module';

@Module({})
class WorkerRootModule {
  static forRoot(config: GopyConfig): DynamicModule {
    return { module: WorkerRootModule, imports: [ConfigModule.forRoot(config), LoggingModule, WorkerModule] };
  }
}

/** Starts the worker: an application context, no HTTP server. */
export async function createWorkerApp(config: GopyConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerRootModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  return app;
}
