import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LIMITS } from '../rules/limits';
import { issue, maxParam, minParam } from './issue-message';
import { MultiLine, OneLine } from './text-transforms';

export class AttachmentInputDto {
  @ApiProperty({ example: 'anh-hien-truong.jpg' })
  @OneLine()
  @IsString(issue('required'))
  @IsNotEmpty(issue('required'))
  @MaxLength(LIMITS.filename.max, issue('too_long', maxParam))
  filename!: string;

  @ApiProperty({ description: 'File content, base64. The type is sniffed from the bytes: JPEG, PNG, WebP or PDF.' })
  @IsString(issue('required'))
  @IsBase64({}, issue('invalid_value'))
  contentBase64!: string;
}

/** An opinion as the public sends it, through the form or the JSON API. */
export class CreateSubmissionDto {
  @ApiProperty({ example: 'phan_anh_kien_nghi', description: 'A topic code from GET /api/v1/topics' })
  @IsString(issue('choose'))
  @IsNotEmpty(issue('choose'))
  topic!: string;

  @ApiPropertyOptional({ example: 'DV01', description: 'A unit code from GET /api/v1/units' })
  @OneLine()
  @IsOptional()
  @IsString(issue('invalid_value'))
  unitCode?: string;

  @ApiProperty({ example: 'Đường liên xã xuống cấp', minLength: LIMITS.subject.min, maxLength: LIMITS.subject.max })
  @OneLine()
  @IsString(issue('required'))
  @IsNotEmpty(issue('required'))
  @MinLength(LIMITS.subject.min, issue('too_short', minParam))
  @MaxLength(LIMITS.subject.max, issue('too_long', maxParam))
  subject!: string;

  @ApiProperty({ minLength: LIMITS.body.min, maxLength: LIMITS.body.max })
  @MultiLine()
  @IsString(issue('required'))
  @IsNotEmpty(issue('required'))
  @MinLength(LIMITS.body.min, issue('too_short', minParam))
  @MaxLength(LIMITS.body.max, issue('too_long', maxParam))
  body!: string;

  @ApiProperty({ description: 'true: no contact details at all. false: give an email or phone and consent.' })
  @IsBoolean(issue('choose'))
  anonymous!: boolean;

  @ApiPropertyOptional({ description: 'Required (true) when contact details are given.' })
  @IsOptional()
  @IsBoolean(issue('not_boolean'))
  consent?: boolean;

  @ApiPropertyOptional({ maxLength: LIMITS.name.max })
  @OneLine()
  @IsOptional()
  @IsString(issue('invalid_value'))
  @MaxLength(LIMITS.name.max, issue('too_long', maxParam))
  name?: string;

  @ApiPropertyOptional({ example: 'nguoidan@example.vn' })
  @OneLine()
  @IsOptional()
  @IsString(issue('invalid_email'))
  @MaxLength(LIMITS.email.max, issue('too_long', maxParam))
  @IsEmail({}, issue('invalid_email'))
  email?: string;

  @ApiPropertyOptional({ example: '0912 345 678', description: 'A Vietnamese number' })
  @OneLine()
  @IsOptional()
  @IsString(issue('invalid_phone'))
  @MaxLength(LIMITS.phone.max, issue('too_long', maxParam))
  phone?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.address.max })
  @MultiLine()
  @IsOptional()
  @IsString(issue('invalid_value'))
  @MaxLength(LIMITS.address.max, issue('too_long', maxParam))
  address?: string;

  @ApiPropertyOptional({ enum: ['vi', 'en'], description: 'Language of the receipt; defaults to Accept-Language' })
  @IsOptional()
  @IsIn(['vi', 'en'], issue('invalid_value'))
  language?: 'vi' | 'en';

  @ApiPropertyOptional({ type: [AttachmentInputDto] })
  @IsOptional()
  @IsArray(issue('invalid_value'))
  @ArrayMaxSize(20, issue('too_many_files', maxParam))
  @ValidateNested({ each: true })
  @Type(() => AttachmentInputDto)
  attachments?: AttachmentInputDto[];
}
