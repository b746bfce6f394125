import { Injectable, Logger } from '@nestjs/common';
import { JobHandler, JobName, JobPayloads } from '@gopy/queue';

/**
 * A follow-up was committed to a case. The submission and its timeline event are already
 * stored; notifying the case's assignee joins here when assignment lands.
 */
@Injectable()
export class FollowUpReceivedProcessor {
  private readonly logger = new Logger(FollowUpReceivedProcessor.name);

  @JobHandler(JobName.FollowUpReceived)
  async handle({ caseId }: JobPayloads[JobName.FollowUpReceived]): Promise<void> {
    this.logger.log({ caseId }, 'follow-up recorded');
  }
}
