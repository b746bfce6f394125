import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { GopyConfig } from '@gopy/config';
import { blockingRedisOptions } from './redis';
import { JOB_QUEUE, JobName, JobPayloads, QueueName } from './job-registry';

export interface ProducedJob<J extends JobName = JobName> {
  job: J;
  payload: JobPayloads[J];
  jobId: string;
}

// Completed jobs are kept a day so a re-published job id is recognised and not run again.
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** Adds jobs to their queues; fails fast (never hangs) while Redis is away. */
@Injectable()
export class QueueProducer implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private closed = false;

  constructor(private readonly config: GopyConfig) {}

  queue(name: QueueName): Queue {
    if (this.closed) throw new Error('queue producer is closed');
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        prefix: this.config.redis.queuePrefix,
        connection: {
          ...blockingRedisOptions(this.config.redis.url),
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
        },
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      // Connection errors surface on add(); without a listener they would crash the process.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** A repeating job (one schedule per job name, however many workers start it). */
  async schedule<J extends JobName>(job: J, payload: JobPayloads[J], everyMs: number): Promise<void> {
    await this.queue(JOB_QUEUE[job]).upsertJobScheduler(
      `every-${job}`,
      { every: everyMs },
      { name: job, data: payload },
    );
  }

  /** A job on a cron schedule in a time zone (one schedule per job name). */
  async scheduleCron<J extends JobName>(job: J, payload: JobPayloads[J], pattern: string, tz: string): Promise<void> {
    await this.queue(JOB_QUEUE[job]).upsertJobScheduler(`cron-${job}`, { pattern, tz }, { name: job, data: payload });
  }

  async addBulk(jobs: ProducedJob[], timeoutMs = 5000): Promise<void> {
    const byQueue = new Map<QueueName, ProducedJob[]>();
    for (const job of jobs) {
      const name = JOB_QUEUE[job.job];
      byQueue.set(name, [...(byQueue.get(name) ?? []), job]);
    }
    const work = Promise.all(
      [...byQueue].map(([name, list]) =>
        this.queue(name).addBulk(list.map((j) => ({ name: j.job, data: j.payload, opts: { jobId: j.jobId } }))),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  // Closes last, after the relay and the job runner have stopped using it.
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
