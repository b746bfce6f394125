import { createHmac } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable, Logger, OnModuleDestroy, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { GopyConfig } from '@gopy/config';
import { GopyError } from '@gopy/errors';
import { createFailFastRedis } from '@gopy/queue';

export type RateBucket = 'submit' | 'track';
const RATE_BUCKET = Symbol('gopy:rate-bucket');

/** Limits a route per client IP, counted in Redis so every API replica shares the count. */
export const RateLimit = (bucket: RateBucket): MethodDecorator => SetMetadata(RATE_BUCKET, bucket);

@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: Redis;
  private lastWarning = 0;

  constructor(private readonly config: GopyConfig) {
    this.redis = createFailFastRedis(config.redis.url, 'rate-limit');
    this.redis.on('error', () => undefined);
  }

  private policy(bucket: RateBucket): { limit: number; windowSeconds: number } {
    return bucket === 'submit'
      ? { limit: this.config.rateLimits.submitPerHour, windowSeconds: 3600 }
      : { limit: this.config.rateLimits.trackPerMinute, windowSeconds: 60 };
  }

  /**
   * Counts a hit; returns seconds to wait when over the limit. While Redis is away the
   * limiter lets requests through: refusing opinions would be worse than a missed limit.
   */
  async hit(bucket: RateBucket, ip: string): Promise<number | undefined> {
    const { limit, windowSeconds } = this.policy(bucket);
    if (limit === 0) return undefined;
    const window = Math.floor(Date.now() / 1000 / windowSeconds);
    // The IP is kept only as a keyed hash, and only for one window.
    const client = createHmac('sha256', this.config.form.tokenSecret).update(ip).digest('base64url').slice(0, 22);
    const key = `${this.config.redis.queuePrefix}:rl:${bucket}:${window}:${client}`;
    try {
      const results = await this.redis
        .multi()
        .incr(key)
        .expire(key, windowSeconds + 1)
        .exec();
      const count = Number(results?.[0]?.[1] ?? 0);
      if (count <= limit) return undefined;
      return windowSeconds - (Math.floor(Date.now() / 1000) % windowSeconds);
    } catch (error) {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limiting paused, Redis unavailable: ${(error as Error).message}`);
      }
      return undefined;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const bucket = this.reflector.get<RateBucket | undefined>(RATE_BUCKET, context.getHandler());
    if (!bucket) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const retryAfter = await this.limiter.hit(bucket, request.ip);
    if (retryAfter === undefined) return true;
    http.getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
    throw new GopyError('too_many_requests');
  }
}
