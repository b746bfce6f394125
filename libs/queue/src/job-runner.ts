import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { GopyConfig } from '@gopy/config';
import { JOB_HANDLER, PermanentJobError } from './job-handler.decorator';
import { JOB_QUEUE, JobName, QueueName, isValidPayload } from './job-registry';
import { blockingRedisOptions } from './redis';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

/** The handlers found on providers, checked: every job exactly one handler. */
export function collectHandlers(found: { job: JobName; owner: string; handler: Handler }[]): Map<JobName, Handler> {
  const problems: string[] = [];
  const handlers = new Map<JobName, Handler>();
  for (const job of Object.values(JobName)) {
    const mine = found.filter((f) => f.job === job);
    if (mine.length === 0) problems.push(`job ${job} has no handler`);
    if (mine.length > 1)
      problems.push(`job ${job} has ${mine.length} handlers (${mine.map((m) => m.owner).join(', ')})`);
    if (mine.length === 1) handlers.set(job, mine[0].handler);
  }
  if (problems.length > 0) throw new Error(`Worker refuses to start: ${problems.join('; ')}`);
  return handlers;
}

/**
 * Runs one BullMQ worker per queue and dispatches each job to its @JobHandler.
 * Payloads are checked against the registry before a handler sees them.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly workers: Worker[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly config: GopyConfig,
  ) {}

  onApplicationBootstrap(): void {
    const handlers = collectHandlers(this.discover());
    for (const queue of Object.values(QueueName)) {
      const worker = new Worker(queue, (job) => this.dispatch(handlers, job), {
        prefix: this.config.redis.queuePrefix,
        connection: blockingRedisOptions(this.config.redis.url),
        concurrency: 8,
      });
      worker.on('failed', (job, error) =>
        this.logger.warn(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
      );
      worker.on('error', (error) => this.logger.warn(`worker ${queue}: ${error.message}`));
      this.workers.push(worker);
    }
  }

  private async dispatch(handlers: Map<JobName, Handler>, job: Job): Promise<unknown> {
    const name = job.name as JobName;
    const handler = handlers.get(name);
    if (!handler || JOB_QUEUE[name] !== (job.queueName as QueueName))
      throw new UnrecoverableError(`unknown job ${job.name}`);
    if (!isValidPayload(name, job.data)) throw new UnrecoverableError(`invalid payload for ${job.name}`);
    try {
      return await handler(job.data, job);
    } catch (error) {
      if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  private discover(): { job: JobName; owner: string; handler: Handler }[] {
    const found: { job: JobName; owner: string; handler: Handler }[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const job = this.reflector.get<JobName | undefined>(JOB_HANDLER, prototype[method] as () => unknown);
        if (job) {
          const fn = (instance as Record<string, Handler>)[method].bind(instance);
          found.push({ job, owner: `${wrapper.name}.${method}`, handler: fn });
        }
      }
    }
    return found;
  }

  async beforeApplicationShutdown(): Promise<void> {
    // close() waits for jobs in progress to finish: a graceful stop loses no work.
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
