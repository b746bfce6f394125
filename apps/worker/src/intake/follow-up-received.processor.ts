import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StaffNotifier } from '@gopy/desk';
import { JobHandler, JobName, JobPayloads } from '@gopy/queue';

/** A follow-up was committed to a case (already stored, case reopened if needed): tell the assignee. */
@Injectable()
export class FollowUpReceivedProcessor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifier: StaffNotifier,
  ) {}

  @JobHandler(JobName.FollowUpReceived)
  async handle({ caseId, submissionId }: JobPayloads[JobName.FollowUpReceived]): Promise<number> {
    const [found] = await this.dataSource.query<{ assignee_id: string | null; unit_id: string | null }[]>(
      `SELECT assignee_id, unit_id FROM cases WHERE id = $1`,
      [caseId],
    );
    if (!found) return 0;
    const recipients = found.assignee_id
      ? await this.notifier.collaborator(found.assignee_id)
      : await this.notifier.unitLeads(found.unit_id);
    return (await this.notifier.notify('follow_up', caseId, submissionId, recipients)).length;
  }
}
