import { createHmac } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable, Logger, OnModuleDestroy, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { GopyConfig } from '@gopy/config';
import { GopyError } from '@gopy/errors';
import { createFailFastRedis } from '@gopy/queue';

export type RateBucket = 'submit' | 'track' | 'login';
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
    switch (bucket) {
      case 'submit':
        return { limit: this.config.rateLimits.submitPerHour, windowSeconds: 3600 };
      case 'track':
        return { limit: this.config.rateLimits.trackPerMinute, windowSeconds: 60 };
      case 'login':
        return { limit: this.config.rateLimits.loginFailuresPer15Minutes, windowSeconds: 900 };
    }
  }

  /**
   * Counts a hit; returns seconds to wait when over the limit. While Redis is away the
   * limiter lets requests through: refusing opinions would be worse than a missed limit.
   */
  async hit(bucket: RateBucket, ip: string): Promise<number | undefined> {
    const { limit, windowSeconds } = this.policy(bucket);
    if (limit === 0) return undefined;
    const key = this.key(bucket, ip, windowSeconds);
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

  /** Seconds to wait if the count is already at the limit, without counting this call. */
  async peek(bucket: RateBucket, ip: string): Promise<number | undefined> {
    const { limit, windowSeconds } = this.policy(bucket);
    if (limit === 0) return undefined;
    try {
      const count = Number((await this.redis.get(this.key(bucket, ip, windowSeconds))) ?? 0);
      if (count < limit) return undefined;
      return windowSeconds - (Math.floor(Date.now() / 1000) % windowSeconds);
    } catch {
      return undefined;
    }
  }

  // The client (an IP, or an IP and account) is kept only as a keyed hash, for one window.
  private key(bucket: RateBucket, client: string, windowSeconds: number): string {
    const window = Math.floor(Date.now() / 1000 / windowSeconds);
    const hashed = createHmac('sha256', this.config.form.tokenSecret).update(client).digest('base64url').slice(0, 22);
    return `${this.config.redis.queuePrefix}:rl:${bucket}:${window}:${hashed}`;
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
