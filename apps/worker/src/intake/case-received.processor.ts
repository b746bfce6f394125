import { Injectable } from '@nestjs/common';
import { SlaSweeper } from '@gopy/desk';
import { ReceiptService } from '@gopy/intake';
import { JobHandler, JobName, JobPayloads, QueueProducer } from '@gopy/queue';
import { RoutingService } from '@gopy/routing';

/** A case was committed: prepare the receipt and queue it, route the case, tell the assignee. */
@Injectable()
export class CaseReceivedProcessor {
  constructor(
    private readonly receipts: ReceiptService,
    private readonly producer: QueueProducer,
    private readonly routing: RoutingService,
    private readonly sweeper: SlaSweeper,
  ) {}

  @JobHandler(JobName.CaseReceived)
  async handle({ caseId, submissionId }: JobPayloads[JobName.CaseReceived]): Promise<{ receipt?: string }> {
    const mailId = await this.receipts.prepareReceipt(submissionId);
    // Preparing is idempotent and the job id is fixed: running twice sends one mail.
    if (mailId) await this.producer.addBulk([{ job: JobName.MailSend, payload: { mailId }, jobId: `mail-${mailId}` }]);
    // Routing skips a case already routed (or held by another worker): a retry is harmless.
    const routed = await this.routing.route(caseId);
    if (routed) await this.sweeper.notifyAssignment(routed.caseId, routed.assigneeId, routed.assignmentId);
    return { receipt: mailId };
  }
}
