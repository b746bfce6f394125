import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import { CaseEntity, formatTrackingCode } from '@gopy/cases';
import { PersonalDataCipher } from '@gopy/crypto';
import { MailOutbox, renderReceipt } from '@gopy/mailer';
import { CONTACT_CONTEXT, SubmissionEntity, SubmitterContact } from './submission.entity';

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
    const trackingCode = formatTrackingCode(found.trackingCode);
    return this.mailOutbox.prepare({
      kind: 'receipt',
      refId: submission.id,
      caseId: found.id,
      to: contact.email,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
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
