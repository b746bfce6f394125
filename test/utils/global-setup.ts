import { DataSource } from 'typeorm';
// Global setup runs outside Jest's module map: relative imports, no @gopy aliases.
import { loadConfig } from '../../config/src/gopy-config';
import { dataSourceOptions } from '../../libs/database/src/data-source-options';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from './test-urls';

/** Migrates a fresh test database once per run, the way production migrates: no synchronize. */
export default async function globalSetup(): Promise<void> {
  const url = new URL(TEST_DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dataSource = new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: TEST_DATABASE_URL })));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
}
