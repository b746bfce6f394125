import { Injectable } from '@nestjs/common';
import { ReceiptService } from '@gopy/intake';
import { JobHandler, JobName, JobPayloads, QueueProducer } from '@gopy/queue';

/**
 * A case was committed. Today: prepare the receipt and queue its sending.
 * Routing to a collaborator joins here when the directory and routing land.
 */
@Injectable()
export class CaseReceivedProcessor {
  constructor(
    private readonly receipts: ReceiptService,
    private readonly producer: QueueProducer,
  ) {}

  @JobHandler(JobName.CaseReceived)
  async handle({ submissionId }: JobPayloads[JobName.CaseReceived]): Promise<{ receipt?: string }> {
    const mailId = await this.receipts.prepareReceipt(submissionId);
    if (!mailId) return {};
    // Preparing is idempotent and the job id is fixed: running twice sends one mail.
    await this.producer.addBulk([{ job: JobName.MailSend, payload: { mailId }, jobId: `mail-${mailId}` }]);
    return { receipt: mailId };
  }
}
