export { EnvironmentError, EnvironmentSchema, validateEnvironment } from './env.schema';
export { GopyConfig, loadConfig } from './gopy-config';
export type { EncryptionKey } from './gopy-config';
export { loadTopics } from './topics';
export type { Topic } from './topics';
export { ConfigModule } from './config.module';
export { loadHolidays } from './holidays';
export type { HolidayCalendar } from './holidays';
