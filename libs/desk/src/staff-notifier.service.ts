import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import { TopicCatalog, formatTrackingCode } from '@gopy/cases';
import { MailOutbox, type StaffNoticeKind, noticeId, renderStaffNotice } from '@gopy/mailer';
import { JobName, QueueProducer } from '@gopy/queue';

export interface NoticeRecipient {
  email: string;
  name: string;
}

/**
 * Staff notices (assignment, reminder, escalation, follow-up): rendered once and stored
 * with a fixed Message-ID by the mail outbox, then sent by the mail job with retries.
 */
@Injectable()
export class StaffNotifier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailOutbox,
    private readonly producer: QueueProducer,
    private readonly topics: TopicCatalog,
    private readonly config: GopyConfig,
  ) {}

  async notify(kind: StaffNoticeKind, caseId: string, refId: string, recipients: NoticeRecipient[]): Promise<string[]> {
    const [found] = await this.dataSource.query<
      { tracking_code: string; subject: string; topic: string; due: Date | null }[]
    >(
      `SELECT tracking_code, subject, topic,
              CASE WHEN first_responded_at IS NULL THEN first_response_due_at ELSE resolution_due_at END AS due
         FROM cases WHERE id = $1`,
      [caseId],
    );
    if (!found) return [];
    const mailIds: string[] = [];
    for (const recipient of recipients) {
      const mailId = await this.mail.prepare({
        kind: `staff_${kind}`,
        refId: noticeId(kind, refId, recipient.email.toLowerCase()),
        caseId,
        to: recipient.email,
        rendered: renderStaffNotice({
          language: 'vi',
          kind,
          recipientName: recipient.name,
          trackingCode: formatTrackingCode(found.tracking_code),
          subject: found.subject,
          topicName: this.topics.name(found.topic, 'vi'),
          caseUrl: `${this.config.http.publicBaseUrl}/ban-lam-viec/ho-so/${caseId}`,
          dueAt: found.due,
        }),
      });
      mailIds.push(mailId);
    }
    if (mailIds.length > 0)
      await this.producer.addBulk(
        mailIds.map((mailId) => ({ job: JobName.MailSend, payload: { mailId }, jobId: `mail-${mailId}` })),
      );
    return mailIds;
  }

  async collaborator(collaboratorId: string): Promise<NoticeRecipient[]> {
    return this.dataSource.query<NoticeRecipient[]>(
      `SELECT email, full_name AS name FROM collaborators WHERE id = $1`,
      [collaboratorId],
    );
  }

  /** The unit's leads (staff accounts), else the unit's contact address. */
  async unitLeads(unitId: string | null): Promise<NoticeRecipient[]> {
    if (!unitId) return this.coordinators();
    const leads = await this.dataSource.query<NoticeRecipient[]>(
      `SELECT email, full_name AS name FROM staff_users WHERE unit_id = $1 AND active AND 'unit_lead' = ANY (roles)`,
      [unitId],
    );
    if (leads.length > 0) return leads;
    const contact = await this.dataSource.query<NoticeRecipient[]>(
      `SELECT contact_email AS email, name FROM units WHERE id = $1 AND contact_email IS NOT NULL`,
      [unitId],
    );
    return contact.length > 0 ? contact : this.coordinators();
  }

  private coordinators(): Promise<NoticeRecipient[]> {
    return this.dataSource.query<NoticeRecipient[]>(
      `SELECT email, full_name AS name FROM staff_users
        WHERE active AND unit_id IS NULL AND roles && ARRAY['operator','unit_lead']::varchar(16)[]`,
    );
  }
}
