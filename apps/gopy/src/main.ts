import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ConsoleLogger, DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { Presets, SingleBar } from 'cli-progress';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ConfigModule, GopyConfig, loadConfig } from '@gopy/config';
import { CryptoModule } from '@gopy/crypto';
import { DatabaseModule, dataSourceOptions, ensureDatabase } from '@gopy/database';
import { CasesModule, TopicCatalog } from '@gopy/cases';
import { DirectoryImportService, DirectoryKind, DirectoryModule, readTableFile } from '@gopy/directory';
import { MESSAGES, MessageKey, translate } from '@gopy/i18n';
import { IntakeModule, IntakeService } from '@gopy/intake';
import { createApiApp } from '../../api/src/api.bootstrap';
import { createWorkerApp } from '../../worker/src/worker.bootstrap';
import { DEMO_PASSWORD, seedDemo } from './demo-seed';
import { AuthModule, StaffUsersService } from '@gopy/auth';
import { RoutingModule, RoutingService } from '@gopy/routing';

@Module({})
class SeedModule {
  static forRoot(config: GopyConfig): DynamicModule {
    return {
      module: SeedModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CryptoModule,
        CasesModule,
        DirectoryModule,
        IntakeModule,
        AuthModule,
        RoutingModule,
      ],
    };
  }
}

// A logger of its own: application contexts below set the global log levels.
const logger = new ConsoleLogger('gopy');
// Directory changes from the command line are audited as the CLI on this host.
const CLI = { actor: 'cli', origin: hostname().slice(0, 64) };

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

async function withContext<T>(config: GopyConfig, work: (context: INestApplicationContext) => Promise<T>): Promise<T> {
  const context = await NestFactory.createApplicationContext(SeedModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

async function seed(config: GopyConfig): Promise<void> {
  await withContext(config, (context) =>
    seedDemo(
      context.get(DataSource),
      {
        intake: context.get(IntakeService),
        directory: context.get(DirectoryImportService),
        topics: new Set(context.get(TopicCatalog).topics.map((t) => t.code)),
        routing: context.get(RoutingService),
        users: context.get(StaffUsersService),
        demoPassword: config.isProduction ? undefined : DEMO_PASSWORD,
      },
      logger,
    ),
  );
}

function directoryKind(value: string | undefined): DirectoryKind {
  if (value === 'units' || value === 'collaborators') return value;
  throw new Error('say which list: units or collaborators');
}

/** Checks every row, reports all errors with row numbers, writes only a fully valid file. */
async function importDirectory(config: GopyConfig, kind: DirectoryKind, file: string | undefined): Promise<void> {
  if (!file) throw new Error('give the .csv or .xlsx file to import');
  const rows = await readTableFile(file);
  const bar = new SingleBar({ format: `${kind} [{bar}] {value}/{total}`, hideCursor: true }, Presets.shades_classic);
  const report = await withContext(config, async (context) => {
    const topics = new Set(context.get(TopicCatalog).topics.map((t) => t.code));
    bar.start(rows.length, 0);
    try {
      return await context.get(DirectoryImportService).import(kind, rows, topics, (done) => bar.update(done), CLI);
    } finally {
      bar.stop();
    }
  });
  if (report.errors.length > 0) {
    const lang = config.cliLanguage;
    for (const error of report.errors) {
      const key = `import.${error.code}` as MessageKey;
      const problem = key in MESSAGES[lang] ? translate(lang, key) : error.code;
      logger.error(translate(lang, 'import.row', { row: error.row, column: error.column, problem }));
    }
    throw new Error(translate(lang, 'import.refused', { count: report.errors.length, rows: report.rows }));
  }
  logger.log(
    `${kind}: ${report.created} created, ${report.updated} updated, from ${report.rows} rows` +
      (report.released > 0 ? `; ${report.released} open cases handed back for routing` : ''),
  );
}

async function exportDirectory(config: GopyConfig, kind: DirectoryKind, file: string | undefined): Promise<void> {
  if (!file) throw new Error('give the .csv file to write');
  const csv = await withContext(config, (context) => context.get(DirectoryImportService).export(kind, CLI));
  await writeFile(file, csv);
  logger.log(`${kind} exported to ${file}`);
}

/**
 * One entry for small installs and for operations:
 *   all (default)  migrate, seed the demo on first run (unless --no-seed), run API and worker in one process
 *   migrate        create the database if needed and migrate
 *   seed           seed the demo data where the database has none
 *   directory:import units|collaborators FILE   import a .csv or .xlsx file (all rows valid, or nothing)
 *   directory:export units|collaborators FILE   export as .csv
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
    case 'directory:import':
      return importDirectory(config, directoryKind(flags[0]), flags[1]);
    case 'directory:export':
      return exportDirectory(config, directoryKind(flags[0]), flags[1]);
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
      throw new Error(`unknown command ${command}; use all, migrate, seed, directory:import or directory:export`);
  }
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
