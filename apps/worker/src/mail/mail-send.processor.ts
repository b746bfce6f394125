import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { MailOutbox } from '@gopy/mailer';
import { JobHandler, JobName, JobPayloads } from '@gopy/queue';

/** Sends one stored mail; the last failed attempt marks it failed so it shows. */
@Injectable()
export class MailSendProcessor {
  constructor(private readonly mail: MailOutbox) {}

  @JobHandler(JobName.MailSend)
  async handle({ mailId }: JobPayloads[JobName.MailSend], job: Job): Promise<string> {
    try {
      return await this.mail.send(mailId);
    } catch (error) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.mail.markFailed(mailId);
      throw error;
    }
  }
}
