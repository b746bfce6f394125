import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { GopyConfig, type MailboxConfig } from '@gopy/config';
import { MailboxImporter } from '@gopy/mailbox';

const RECONNECT_MS = [1_000, 5_000, 30_000, 120_000];

/**
 * Polls every configured mailbox every MAILBOX_POLL_SECONDS and, between polls, keeps one
 * connection per mailbox waiting in IMAP IDLE (where the server offers it; imapflow falls
 * back to NOOP): new mail triggers a poll at once. Any number of workers may run this: a
 * lease in the database lets one import a mailbox at a time. A poll never overlaps the
 * previous one, and shutdown waits for the poll in progress.
 */
@Injectable()
export class MailboxPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailboxPoller.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly again = new Set<string>();
  private readonly watchers = new Map<string, ImapFlow>();
  private stopping = false;

  constructor(
    private readonly importer: MailboxImporter,
    private readonly config: GopyConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.mailboxes.pollSeconds;
    if (seconds === 0 || this.importer.mailboxes.length === 0) return;
    for (const box of this.importer.mailboxes) {
      this.tick(box);
      this.timers.push(setInterval(() => this.tick(box), seconds * 1000));
      void this.watch(box, 0);
    }
    this.logger.log(`polling ${this.importer.mailboxes.length} mailbox(es) every ${seconds} s, and on new mail`);
  }

  /** Polls now, or right after the poll in progress when one is running. */
  tick(box: MailboxConfig): void {
    if (this.stopping) return;
    if (this.running.has(box.name)) {
      this.again.add(box.name);
      return;
    }
    const run = this.importer
      .poll(box)
      .then((result) => {
        if (result.imported + result.quarantined + result.failed > 0) this.logger.log(result, 'mailbox polled');
      })
      .catch((error: Error) => this.logger.warn(`mailbox ${box.name}: ${error.message}`))
      .finally(() => {
        this.running.delete(box.name);
        if (this.again.delete(box.name)) this.tick(box);
      });
    this.running.set(box.name, run);
  }

  /** One idle connection per mailbox; new messages (EXISTS) start a poll. Reconnects with backoff. */
  private async watch(box: MailboxConfig, failures: number): Promise<void> {
    if (this.stopping) return;
    const client = new ImapFlow({
      host: box.host,
      port: box.port,
      secure: box.secure,
      auth: { user: box.user, pass: box.password },
      logger: false,
      connectionTimeout: 15_000,
    });
    client.on('error', (error: Error) => this.logger.warn(`mailbox ${box.name} watcher: ${error.message}`));
    client.on('exists', () => this.tick(box));
    client.on('close', () => {
      this.watchers.delete(box.name);
      if (this.stopping) return;
      const wait = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)];
      setTimeout(() => void this.watch(box, failures + 1), wait).unref();
    });
    try {
      await client.connect();
      await client.mailboxOpen(box.folders.inbox);
      this.watchers.set(box.name, client);
      failures = 0;
      await client.idle();
    } catch (error) {
      this.logger.warn(`mailbox ${box.name} watcher: ${(error as Error).message}`);
      client.close();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const client of this.watchers.values()) await client.logout().catch(() => client.close());
    await Promise.allSettled(this.running.values());
  }
}
