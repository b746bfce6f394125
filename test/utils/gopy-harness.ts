import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions } from 'fastify';
import { Pool } from 'pg';
import type { GopyConfig } from '@gopy/config';
import { createApiApp } from '../../apps/api/src/api.bootstrap';
import { createWorkerApp } from '../../apps/worker/src/worker.bootstrap';

/** The whole desk for a test: API, optionally the worker, and a pg pool for assertions. */
export class GopyHarness {
  api?: NestFastifyApplication;
  worker?: INestApplicationContext;
  readonly db: Pool;

  constructor(readonly config: GopyConfig) {
    this.db = new Pool({ connectionString: config.database.url, max: 4 });
  }

  async startApi(listen = false): Promise<NestFastifyApplication> {
    this.api = await createApiApp(this.config);
    if (listen) await this.api.listen({ port: 0, host: '127.0.0.1' });
    else {
      await this.api.init();
      await this.api.getHttpAdapter().getInstance().ready();
    }
    return this.api;
  }

  async startWorker(): Promise<INestApplicationContext> {
    this.worker = await createWorkerApp(this.config);
    return this.worker;
  }

  get baseUrl(): string {
    const address = this.api?.getHttpServer().address();
    if (!address || typeof address === 'string') throw new Error('API is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  inject(options: InjectOptions) {
    if (!this.api) throw new Error('API not started');
    return this.api.getHttpAdapter().getInstance().inject(options);
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.api?.close();
    await this.db.end();
  }
}
