import { ApiProperty } from '@nestjs/swagger';

/** What the submitter gets back: the code to follow the case. Never personal data. */
export class SubmissionReceiptDto {
  @ApiProperty({ example: 'ABCDE-FGHJK-MNPQR' })
  trackingCode!: string;

  @ApiProperty({ example: 'received' })
  status!: string;

  @ApiProperty()
  receivedAt!: string;

  @ApiProperty({ example: 'http://localhost:3000/theo-doi/ABCDE-FGHJK-MNPQR' })
  trackingUrl!: string;

  @ApiProperty({ description: 'Whether a receipt will be mailed' })
  receiptByEmail!: boolean;
}
