// Where the tests find PostgreSQL and Redis; no imports, so global setup can use it too.
// TEST_DB_NAME lets two runs on one machine keep out of each other's database.
const PG_SERVER = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_DATABASE_URL = `${PG_SERVER}/${process.env.TEST_DB_NAME ?? 'gopy_test'}`;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
