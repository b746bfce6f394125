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

// Receipts to one address are decided one at a time (advisory lock class, then the hash).
const RECEIPT_LOCK_CLASS = 0x72637074;

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
    const trackingCode = formatTrackingCode(found.trackingCode);
    const receipt = {
      kind: 'receipt',
      refId: submission.id,
      caseId: found.id,
      to: contact.email,
      from: meta.mailboxAddress,
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
    };
    if (submission.channel !== 'email') return this.mailOutbox.prepare(receipt);
    // Two mails from one sender handled side by side: the lock makes the second see the first
    // one's receipt, so the limit holds however many jobs run at once.
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [RECEIPT_LOCK_CLASS, toHash]);
      const [recent] = await manager.query<unknown[]>(
        `SELECT 1 FROM outbound_mails WHERE to_hash = $1 AND kind = 'receipt' AND ref_id <> $2
            AND created_at > now() - interval '1 day' LIMIT 1`,
        [toHash, submission.id],
      );
      return recent ? undefined : this.mailOutbox.prepare(receipt, manager);
    });
  }
}
