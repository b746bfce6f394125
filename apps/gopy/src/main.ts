import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { ConsoleLogger, DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ConfigModule, GopyConfig, loadConfig } from '@gopy/config';
import { CryptoModule } from '@gopy/crypto';
import { DatabaseModule, dataSourceOptions, ensureDatabase } from '@gopy/database';
import { IntakeModule, IntakeService } from '@gopy/intake';
import { createApiApp } from '../../api/src/api.bootstrap';
import { createWorkerApp } from '../../worker/src/worker.bootstrap';
import { seedDemo } from './demo-seed';

@Module({})
class SeedModule {
  static forRoot(config: GopyConfig): DynamicModule {
    return { module: SeedModule, imports: [ConfigModule.forRoot(config), DatabaseModule, CryptoModule, IntakeModule] };
  }
}

// A logger of its own: application contexts below set the global log levels.
const logger = new ConsoleLogger('gopy');

/** Creates the database if needed and applies pending migrations. */
async function migrate(config: GopyConfig): Promise<void> {
  if (await ensureDatabase(config.database.url)) logger.log('database created');
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    logger.log(
      applied.length ? `migrations applied: ${applied.map((m) => m.name).join(', ')}` : 'database is up to date',
    );
  } finally {
    await dataSource.destroy();
  }
}

async function seed(config: GopyConfig): Promise<void> {
  const context = await NestFactory.createApplicationContext(SeedModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    await seedDemo(context.get(DataSource), context.get(IntakeService), logger);
  } finally {
    await context.close();
  }
}

/**
 * One entry for small installs and for operations:
 *   all (default)  migrate, seed the demo on first run (unless --no-seed), run API and worker in one process
 *   migrate        create the database if needed and migrate
 *   seed           seed the demo data if the database has no cases
 */
async function main(): Promise<void> {
  // A local .env (made by `npm start` on first run) fills what the environment leaves unset.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [command = 'all', ...flags] = process.argv.slice(2);
  const config = loadConfig();
  switch (command) {
    case 'migrate':
      return migrate(config);
    case 'seed':
      return seed(config);
    case 'all': {
      await migrate(config);
      if (!flags.includes('--no-seed')) await seed(config);
      await createWorkerApp(config);
      const api = await createApiApp(config);
      await api.listen({ port: config.http.port, host: config.http.host });
      logger.log(`gopy is ready on ${config.http.publicBaseUrl}`);
      return;
    }
    default:
      throw new Error(`unknown command ${command}; use all, migrate or seed`);
  }
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
