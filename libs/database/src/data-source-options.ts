import type { DataSourceOptions } from 'typeorm';
import type { GopyConfig } from '@gopy/config';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The one set of connection options, used by the app, the worker and the migration runner. */
export function dataSourceOptions(config: GopyConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { max: config.database.poolSize, application_name: 'gopy' },
    logging: ['error'],
  };
}
