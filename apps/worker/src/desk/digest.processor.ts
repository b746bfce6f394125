import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { GopyConfig } from '@gopy/config';
import { DigestMailer, DigestService, type StoredDigest } from '@gopy/digest';
import { JobHandler, JobName, QueueProducer } from '@gopy/queue';

/**
 * The weekly digest on its cron (a BullMQ job scheduler: one schedule however many workers
 * start it). At start-up a worker also builds the last complete week if nobody has: a digest
 * missed while gopy was down comes as soon as it is back. The build itself is once per week.
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
    void this.digests
      .buildDue(new Date(), 'catch-up')
      .then((built) => this.deliver(built))
      .catch((error: Error) => this.logger.warn(`digest catch-up failed: ${error.message}`));
  }

  /** Only the call that built the week mails it: the committee gets each week once. */
  private async deliver(built: StoredDigest | undefined): Promise<void> {
    if (built) await this.mailer.send(built);
  }

  @JobHandler(JobName.DigestBuild)
  async handle(): Promise<string | null> {
    const built = await this.digests.buildDue();
    await this.deliver(built);
    return built ? built.week : null;
  }
}
