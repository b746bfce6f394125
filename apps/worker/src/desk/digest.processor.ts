import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { GopyConfig } from '@gopy/config';
import { DigestMailer, DigestService } from '@gopy/digest';
import { JobHandler, JobName, QueueProducer } from '@gopy/queue';

/**
 * The weekly digest on its cron (a BullMQ job scheduler: one schedule however many workers
 * start it). At start-up a worker also builds the last complete week if nobody has: a digest
 * missed while gopy was down comes as soon as it is back. The build itself is once per week,
 * and so is the mail: a week built but never mailed is mailed by the next run.
 */
@Injectable()
export class DigestProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(DigestProcessor.name);

  constructor(
    private readonly digests: DigestService,
    private readonly mailer: DigestMailer,
    private readonly producer: QueueProducer,
    private readonly config: GopyConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { cron, timeZone } = this.config.digest;
    if (!cron) return;
    await this.producer.scheduleCron(JobName.DigestBuild, {}, cron, timeZone);
    void this.run(new Date(), 'catch-up').catch((error: Error) =>
      this.logger.warn(`digest catch-up failed: ${error.message}`),
    );
  }

  /**
   * Builds the last complete week if nobody has, and mails it unless its mails already
   * reached the queue: a crash or a Redis failure between the build and the mail leaves the
   * week to the next run. Mailing again is harmless (one stored mail per digest and person).
   */
  async run(now: Date, by: string): Promise<string | null> {
    const due = await this.digests.buildDue(now, by);
    if (!due) return null;
    await this.mailer.send(due);
    await this.digests.markMailed(due.id);
    return due.week;
  }

  @JobHandler(JobName.DigestBuild)
  async handle(): Promise<string | null> {
    return this.run(new Date(), 'schedule');
  }
}
