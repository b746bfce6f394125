import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import { JobName } from './job-registry';
import { OUTBOX_CHANNEL } from './outbox';
import { QueueProducer } from './queue-producer';

const BATCH = 500;

/**
 * Publishes committed outbox rows to BullMQ with the outbox id as job id, then marks them.
 * Woken by NOTIFY at commit; a periodic sweep (the reconciler) re-publishes anything left
 * behind by a Redis outage or a crash between publish and mark. Rows are claimed with
 * SKIP LOCKED, so several relays never publish the same row at once; if one ever does,
 * the job id makes the second add a no-op.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private again = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly producer: QueueProducer,
    private readonly config: GopyConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new Client({ connectionString: this.config.database.url });
    this.listener.on('notification', () => this.wake());
    this.listener.on('error', (error) => this.logger.warn(`outbox listener: ${error.message}`));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.timer = setInterval(() => this.wake(), this.config.outbox.pollMs);
    this.wake();
  }

  /** Runs a relay pass now, or right after the one in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Publishes until nothing is left or Redis fails; returns how many rows were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      try {
        const published = await this.relayBatch();
        total += published;
        if (published < BATCH) return total;
      } catch (error) {
        this.logger.warn(`outbox relay paused: ${(error as Error).message}`);
        return total;
      }
    }
  }

  /** One batch in one transaction: claim, publish, mark. Throws when Redis failed. */
  async relayBatch(): Promise<number> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const rows: { id: string; job: JobName; payload: Record<string, string> }[] = await manager.query(
        `SELECT id, job, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (rows.length === 0) return { published: 0 };
      const ids = rows.map((r) => r.id);
      try {
        await this.producer.addBulk(
          rows.map((r) => ({ job: r.job, payload: r.payload as never, jobId: `outbox-${r.id}` })),
        );
      } catch (error) {
        const message = (error as Error).message.slice(0, 500);
        await manager.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)`, [
          ids,
          message,
        ]);
        return { published: 0, error: message };
      }
      await manager.query(
        `UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)`,
        [ids],
      );
      return { published: rows.length };
    });
    if (outcome.error) throw new Error(outcome.error);
    return outcome.published;
  }

  // Stops first on shutdown (module destroy precedes application shutdown), so nothing is
  // published after the producer has closed its queues.
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }
}
