import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaseEntity } from './case.entity';
import { CaseEventEntity } from './case-event.entity';
import { formatTrackingCode, parseTrackingCode } from './rules/tracking-code';
import type { CaseStatus } from './rules/case-status';

/** What anyone holding the tracking code may see: never personal data, never internal notes. */
export interface PublicCaseView {
  trackingCode: string;
  status: CaseStatus;
  topic: string;
  subject: string;
  receivedAt: Date;
  lastActivityAt: Date;
  acceptsFollowUp: boolean;
  timeline: { type: string; at: Date }[];
  answers: { body: string; at: Date }[];
}

// Lookups that find nothing are padded to this floor, so a response's timing does not
// tell a mistyped code from an unknown one (or from a slow database).
const NOT_FOUND_FLOOR_MS = 40;

@Injectable()
export class CasesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The public view of a case, or undefined for a mistyped or unknown code alike. */
  async publicView(input: string): Promise<PublicCaseView | undefined> {
    const started = Date.now();
    const parsed = parseTrackingCode(input);
    const found = parsed.ok
      ? await this.dataSource.getRepository(CaseEntity).findOne({ where: { trackingCode: parsed.code } })
      : null;
    if (!found) {
      const wait = NOT_FOUND_FLOOR_MS - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return undefined;
    }
    const events = await this.dataSource.getRepository(CaseEventEntity).find({
      where: { caseId: found.id, visibility: 'public' },
      order: { occurredAt: 'ASC', id: 'ASC' },
    });
    return {
      trackingCode: formatTrackingCode(found.trackingCode),
      status: found.status,
      topic: found.topic,
      subject: found.subject,
      receivedAt: found.createdAt,
      lastActivityAt: found.lastActivityAt,
      acceptsFollowUp: found.status !== 'spam' && found.status !== 'rejected',
      timeline: events.map((e) => ({ type: e.type, at: e.occurredAt })),
      answers: events
        .filter((e) => e.type === 'answered' && typeof e.data.body === 'string')
        .map((e) => ({ body: e.data.body as string, at: e.occurredAt })),
    };
  }
}
