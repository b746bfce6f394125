import { Redis, RedisOptions } from 'ioredis';

/**
 * A connection that fails fast while Redis is away, for request paths and the relay:
 * they must never hang on Redis.
 */
export function createFailFastRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: `gopy-${name}`,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

/** The connection options BullMQ workers need: commands wait for Redis to return. */
export function blockingRedisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
}
