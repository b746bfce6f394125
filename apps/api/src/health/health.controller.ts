import { Controller, Get, OnModuleDestroy, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import { createFailFastRedis } from '@gopy/queue';
import { Public } from '../http/public.decorator';

type Probe = 'up' | 'down';

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * 200 while the database answers: intake works without Redis (the outbox holds the work),
 * so Redis down is reported as "degraded", not as down.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: GopyConfig,
  ) {
    this.redis = createFailFastRedis(config.redis.url, 'health');
    this.redis.on('error', () => undefined);
  }

  @Get()
  async check(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; database: Probe; redis: Probe }> {
    const [database, redis] = await Promise.all([
      within(2000, this.dataSource.query('SELECT 1')).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      within(1000, this.redis.ping()).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
    ]);
    const status = database === 'down' ? 'down' : redis === 'down' ? 'degraded' : 'ok';
    void reply.status(database === 'down' ? 503 : 200).header('Cache-Control', 'no-store');
    return { status, database, redis };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
