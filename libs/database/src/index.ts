export { DatabaseModule } from './database.module';
export { dataSourceOptions } from './data-source-options';
export { ensureDatabase } from './ensure-database';
export { MIGRATIONS } from './migrations';
export { SnakeNamingStrategy } from './snake-naming.strategy';
