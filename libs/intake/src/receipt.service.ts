import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import { CaseEntity, formatTrackingCode } from '@gopy/cases';
import { PersonalDataCipher } from '@gopy/crypto';
import { MailOutbox, renderReceipt } from '@gopy/mailer';
import { CONTACT_CONTEXT, SubmissionEntity, SubmitterContact } from './submission.entity';

/** Channel details a receipt looks at (see SubmitRequest.meta). */
interface ChannelMeta {
  suppressReceipt?: boolean;
  mailboxAddress?: string;
  messageId?: string;
}

/** A keyed hash of an address: lets gopy count mails to someone without storing who. */
export function recipientHash(secret: string, address: string): string {
  return createHmac('sha256', secret).update(address.trim().toLowerCase()).digest('hex');
}

/**
 * Decides whether a submission gets a receipt and prepares it. Receipts are automatic
 * replies (RFC 3834), marked so that other robots do not answer them.
 */
@Injectable()
export class ReceiptService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    private readonly mailOutbox: MailOutbox,
    private readonly config: GopyConfig,
  ) {}

  /** The id of the receipt mail to send, or undefined when there is no one to send it to. */
  async prepareReceipt(submissionId: string): Promise<string | undefined> {
    const submission = await this.dataSource.getRepository(SubmissionEntity).findOne({ where: { id: submissionId } });
    if (!submission || !submission.hasEmail || !submission.contactCiphertext || !submission.contactKeyId)
      return undefined;
    const found = await this.dataSource.getRepository(CaseEntity).findOneOrFail({ where: { id: submission.caseId } });
    const contact = this.cipher.openJson<SubmitterContact>(
      { keyId: submission.contactKeyId, ciphertext: submission.contactCiphertext },
      CONTACT_CONTEXT,
    );
    if (!contact.email) return undefined;
    const meta =
      (
        await this.dataSource.query<{ channel_meta: ChannelMeta }[]>(
          `SELECT channel_meta FROM submissions WHERE id = $1`,
          [submission.id],
        )
      )[0]?.channel_meta ?? {};
    // RFC 3834: never answer an automatic or bulk mail; one receipt per address a day at
    // most for mail, which stops any loop with another robot after the first.
    if (meta.suppressReceipt) return undefined;
    const toHash = recipientHash(this.config.form.tokenSecret, contact.email);
    if (submission.channel === 'email') {
      const [recent] = await this.dataSource.query<unknown[]>(
        `SELECT 1 FROM outbound_mails WHERE to_hash = $1 AND kind = 'receipt' AND ref_id <> $2
            AND created_at > now() - interval '1 day' LIMIT 1`,
        [toHash, submission.id],
      );
      if (recent) return undefined;
    }
    const trackingCode = formatTrackingCode(found.trackingCode);
    return this.mailOutbox.prepare({
      kind: 'receipt',
      refId: submission.id,
      caseId: found.id,
      to: contact.email,
      toHash,
      headers: {
        'Auto-Submitted': 'auto-replied',
        'X-Auto-Response-Suppress': 'All',
        ...(meta.mailboxAddress ? { 'Reply-To': meta.mailboxAddress } : {}),
        ...(meta.messageId ? { 'In-Reply-To': meta.messageId, References: meta.messageId } : {}),
      },
      rendered: renderReceipt({
        language: submission.language,
        trackingCode,
        subject: submission.subject ?? found.subject,
        receivedAt: submission.receivedAt,
        trackingUrl: `${this.config.http.publicBaseUrl}/theo-doi/${trackingCode}`,
      }),
    });
  }
}
