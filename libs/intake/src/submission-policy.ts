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

  async check(dto: CreateSubmissionDto, rawFiles: { filename: string; bytes: Buffer }[]): Promise<CheckedSubmission> {
    const issues: FieldIssues = {};
    for (const field of TEXT_FIELDS) {
      const value = dto[field];
      if (typeof value === 'string' && hasReplacementChar(value)) issues[field] = { code: 'invalid_encoding' };
    }
    if (!this.topics.has(dto.topic)) issues.topic = { code: 'unknown_topic' };
    const unit = dto.unitCode ? await this.units.findActiveByCode(dto.unitCode) : undefined;
    if (dto.unitCode && !unit) issues.unitCode = { code: 'unknown_unit' };
    for (const [field, found] of Object.entries(contactIssues(dto))) issues[field] ??= found;

    const files = await sniffFiles(
      rawFiles.map((f) => ({ filename: safeFilename(f.filename, LIMITS.filename.max), bytes: f.bytes })),
    );
    const fileIssues = attachmentIssues(files, this.config.attachments);
    Object.assign(issues, fileIssues);

    if (Object.keys(issues).length > 0) {
      const tooLarge = fileIssues.attachments?.code === 'attachment_too_large';
      throw new FieldValidationError(issues, tooLarge ? 'payload_too_large' : 'validation_failed');
    }
    return { unit, files };
  }
}
