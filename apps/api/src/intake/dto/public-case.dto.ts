import { ApiProperty } from '@nestjs/swagger';
import { CASE_STATUSES } from '@gopy/cases';

export class TimelineEntryDto {
  @ApiProperty({ example: 'received' })
  type!: string;

  @ApiProperty()
  at!: string;
}

export class PublicAnswerDto {
  @ApiProperty()
  body!: string;

  @ApiProperty()
  at!: string;
}

/** The same public view as the tracking page: status, timeline, answers; never personal data. */
export class PublicCaseDto {
  @ApiProperty({ example: 'ABCDE-FGHJK-MNPQR' })
  trackingCode!: string;

  @ApiProperty({ enum: CASE_STATUSES })
  status!: string;

  @ApiProperty({ example: 'Trạng thái đã dịch sang ngôn ngữ của yêu cầu' })
  statusLabel!: string;

  @ApiProperty({ example: 'phan_anh_kien_nghi' })
  topic!: string;

  @ApiProperty()
  topicName!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  receivedAt!: string;

  @ApiProperty()
  lastActivityAt!: string;

  @ApiProperty()
  acceptsFollowUp!: boolean;

  @ApiProperty({ type: [TimelineEntryDto] })
  timeline!: TimelineEntryDto[];

  @ApiProperty({ type: [PublicAnswerDto] })
  answers!: PublicAnswerDto[];
}

export class TopicDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() hint!: string;
}

export class UnitDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class FollowUpReceiptDto {
  @ApiProperty({ example: 'ABCDE-FGHJK-MNPQR' })
  trackingCode!: string;
}

export class ErrorResponseDto {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'validation_failed' }) error!: string;
  @ApiProperty({ example: 'Dữ liệu gửi lên chưa hợp lệ.' }) message!: string;
  @ApiProperty({
    required: false,
    example: { subject: 'Vui lòng nhập tiêu đề.' },
    description: 'Field -> message, in Vietnamese or English (Accept-Language)',
  })
  fields?: Record<string, string>;
}
