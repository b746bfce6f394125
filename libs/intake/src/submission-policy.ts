import { Injectable } from '@nestjs/common';
import { GopyConfig } from '@gopy/config';
import { TopicCatalog } from '@gopy/cases';
import { UnitOption, UnitsService } from '@gopy/directory';
import { FieldIssues, FieldValidationError } from '@gopy/errors';
import { hasReplacementChar } from '@gopy/text';
import { sniffFiles } from './attachment-sniffer';
import type { CreateSubmissionDto } from './dto/create-submission.dto';
import { IncomingFile, attachmentIssues, safeFilename } from './rules/attachment-rules';
import { contactIssues } from './rules/contact-rules';
import { LIMITS } from './rules/limits';

const TEXT_FIELDS = ['subject', 'body', 'name', 'email', 'phone', 'address', 'unitCode'] as const;

export interface CheckedSubmission {
  unit?: UnitOption;
  files: IncomingFile[];
}

/**
 * The checks that need more than the DTO: known topic and unit, the anonymous choice,
 * text that was not valid UTF-8, and attachments sniffed from their bytes.
 */
@Injectable()
export class SubmissionPolicy {
  constructor(
    private readonly topics: TopicCatalog,
    private readonly units: UnitsService,
    private readonly config: GopyConfig,
  ) {}

  /** Throws FieldValidationError with every issue found. */
  async check(dto: CreateSubmissionDto, rawFiles: { filename: string; bytes: Buffer }[]): Promise<CheckedSubmission> {
    const review = await this.review(dto, rawFiles);
    if (Object.keys(review.issues).length > 0) {
      const tooLarge = review.issues.attachments?.code === 'attachment_too_large';
      throw new FieldValidationError(review.issues, tooLarge ? 'payload_too_large' : 'validation_failed');
    }
    return review;
  }

  /**
   * For mail, where nothing can be refused back to a form: the attachments the web form
   * would accept (type from the bytes, size, count) and, by name, the ones left out.
   */
  async acceptableFiles(
    rawFiles: { filename: string; bytes: Buffer }[],
  ): Promise<{ accepted: IncomingFile[]; refused: { filename: string; reason: string }[] }> {
    const files = await sniffFiles(
      rawFiles.map((f) => ({ filename: safeFilename(f.filename, LIMITS.filename.max), bytes: f.bytes })),
    );
    const accepted: IncomingFile[] = [];
    const refused: { filename: string; reason: string }[] = [];
    for (const file of files) {
      const issue = attachmentIssues([file], this.config.attachments).attachments?.code;
      if (issue) refused.push({ filename: file.filename, reason: issue });
      else if (accepted.length >= this.config.attachments.maxFiles)
        refused.push({ filename: file.filename, reason: 'too_many_files' });
      else accepted.push(file);
    }
    return { accepted, refused };
  }

  /** Every issue, without throwing: the form shows them together with the DTO's own. */
  async review(
    dto: Partial<CreateSubmissionDto>,
    rawFiles: { filename: string; bytes: Buffer }[],
    options: { postal?: boolean } = {},
  ): Promise<CheckedSubmission & { issues: FieldIssues }> {
    const issues: FieldIssues = {};
    for (const field of TEXT_FIELDS) {
      const value = dto[field];
      if (typeof value === 'string' && hasReplacementChar(value)) issues[field] = { code: 'invalid_encoding' };
    }
    if (typeof dto.topic !== 'string' || !this.topics.has(dto.topic)) issues.topic = { code: 'unknown_topic' };
    const unit = dto.unitCode ? await this.units.findActiveByCode(dto.unitCode) : undefined;
    if (dto.unitCode && !unit) issues.unitCode = { code: 'unknown_unit' };
    const contact = contactIssues({ ...dto, anonymous: dto.anonymous === true, postal: options.postal });
    if (typeof dto.anonymous === 'boolean') {
      for (const [field, found] of Object.entries(contact)) issues[field] ??= found;
    }

    const files = await sniffFiles(
      rawFiles.map((f) => ({ filename: safeFilename(f.filename, LIMITS.filename.max), bytes: f.bytes })),
    );
    Object.assign(issues, attachmentIssues(files, this.config.attachments));
    return { unit, files, issues };
  }
}
