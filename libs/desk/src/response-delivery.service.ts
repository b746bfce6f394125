import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import { formatTrackingCode } from '@gopy/cases';
import { PersonalDataCipher } from '@gopy/crypto';
import type { Language } from '@gopy/i18n';
import { CONTACT_CONTEXT, type SubmitterContact } from '@gopy/intake';
import { MailOutbox, renderResponseMail } from '@gopy/mailer';
import { JobName, QueueProducer } from '@gopy/queue';

interface Recipient {
  submission_id: string;
  language: Language;
  contact_ciphertext: Buffer;
  contact_key_id: string;
  tracking_code: string;
  subject: string | null;
  channel_meta: { mailboxAddress?: string };
}

/**
 * Delivers a stored response to every submitter of the case and of the cases merged into
 * it who gave an email: one mail each, threaded under the receipt and earlier answers
 * (In-Reply-To and References), the tracking code in the subject.
 */
@Injectable()
export class ResponseDelivery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    private readonly mail: MailOutbox,
    private readonly producer: QueueProducer,
    private readonly config: GopyConfig,
  ) {}

  async deliver(responseId: string): Promise<string[]> {
    const [response] = await this.dataSource.query<{ case_id: string; body: string; case_subject: string }[]>(
      `SELECT r.case_id, r.body, c.subject AS case_subject
         FROM case_responses r JOIN cases c ON c.id = r.case_id WHERE r.id = $1`,
      [responseId],
    );
    if (!response) return [];
    const recipients = await this.dataSource.query<Recipient[]>(
      `SELECT DISTINCT ON (s.case_id) s.id AS submission_id, s.language, s.contact_ciphertext, s.contact_key_id,
              c.tracking_code, s.subject, s.channel_meta
         FROM submissions s JOIN cases c ON c.id = s.case_id
        WHERE (c.id = $1 OR c.merged_into_id = $1) AND s.has_email
        ORDER BY s.case_id, s.received_at`,
      [response.case_id],
    );
    const mailIds: string[] = [];
    for (const recipient of recipients) {
      const contact = this.cipher.openJson<SubmitterContact>(
        { keyId: recipient.contact_key_id, ciphertext: recipient.contact_ciphertext },
        CONTACT_CONTEXT,
      );
      if (!contact.email) continue;
      const [delivery] = await this.dataSource.query<{ id: string }[]>(
        `INSERT INTO response_deliveries (response_id, submission_id) VALUES ($1, $2)
         ON CONFLICT (response_id, submission_id) DO UPDATE SET response_id = EXCLUDED.response_id
         RETURNING id`,
        [responseId, recipient.submission_id],
      );
      // The thread: the receipt first, then earlier answers to this submitter, oldest first.
      const thread = await this.dataSource.query<{ message_id: string }[]>(
        `SELECT message_id FROM outbound_mails
          WHERE (kind = 'receipt' AND ref_id = $1) OR (thread_submission_id = $1 AND ref_id <> $2)
          ORDER BY created_at`,
        [recipient.submission_id, delivery.id],
      );
      // Mail that came to one of our mailboxes is answered from it: replies go back there.
      const headers: Record<string, string> = recipient.channel_meta.mailboxAddress
        ? { 'Reply-To': recipient.channel_meta.mailboxAddress }
        : {};
      if (thread.length > 0) {
        headers['In-Reply-To'] = thread[thread.length - 1].message_id;
        headers.References = thread.map((t) => t.message_id).join(' ');
      }
      const trackingCode = formatTrackingCode(recipient.tracking_code);
      const mailId = await this.mail.prepare({
        kind: 'response',
        refId: delivery.id,
        caseId: response.case_id,
        to: contact.email,
        from: recipient.channel_meta.mailboxAddress,
        headers,
        rendered: renderResponseMail({
          language: recipient.language,
          trackingCode,
          subject: recipient.subject ?? response.case_subject,
          body: response.body,
          trackingUrl: `${this.config.http.publicBaseUrl}/theo-doi/${trackingCode}`,
        }),
      });
      await this.dataSource.query(
        `UPDATE outbound_mails SET thread_submission_id = $2, in_reply_to = $3 WHERE id = $1`,
        [mailId, recipient.submission_id, headers['In-Reply-To'] ?? null],
      );
      await this.dataSource.query(`UPDATE response_deliveries SET mail_id = $2 WHERE id = $1`, [delivery.id, mailId]);
      mailIds.push(mailId);
    }
    if (mailIds.length > 0)
      await this.producer.addBulk(
        mailIds.map((mailId) => ({ job: JobName.MailSend, payload: { mailId }, jobId: `mail-${mailId}` })),
      );
    return mailIds;
  }
}
