import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { GopyConfig } from '@gopy/config';
import { MailboxImporter } from '@gopy/mailbox';

/**
 * Polls every configured mailbox every MAILBOX_POLL_SECONDS. Any number of workers may run
 * it: a lease in the database lets one poll a mailbox at a time. A poll never overlaps the
 * previous one, and shutdown waits for the poll in progress.
 */
@Injectable()
export class MailboxPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailboxPoller.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();
  private stopping = false;

  constructor(
    private readonly importer: MailboxImporter,
    private readonly config: GopyConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.mailboxes.pollSeconds;
    if (seconds === 0 || this.importer.mailboxes.length === 0) return;
    for (const box of this.importer.mailboxes) {
      const tick = () => {
        if (this.stopping || this.running.has(box.name)) return;
        const run = this.importer
          .poll(box)
          .then((result) => {
            if (result.imported + result.quarantined + result.failed > 0) this.logger.log(result, 'mailbox polled');
          })
          .catch((error: Error) => this.logger.warn(`mailbox ${box.name}: ${error.message}`))
          .finally(() => this.running.delete(box.name));
        this.running.set(box.name, run);
      };
      tick();
      this.timers.push(setInterval(tick, seconds * 1000));
    }
    this.logger.log(`polling ${this.importer.mailboxes.length} mailbox(es) every ${seconds} s`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled(this.running.values());
  }
}
