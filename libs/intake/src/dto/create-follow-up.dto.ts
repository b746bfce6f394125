import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { LIMITS } from '../rules/limits';
import { issue, maxParam, minParam } from './issue-message';
import { MultiLine } from './text-transforms';

/** A message added to an existing case by whoever holds its tracking code. */
export class CreateFollowUpDto {
  @ApiProperty({ minLength: LIMITS.followUp.min, maxLength: LIMITS.followUp.max })
  @MultiLine()
  @IsString(issue('required'))
  @IsNotEmpty(issue('required'))
  @MinLength(LIMITS.followUp.min, issue('too_short', minParam))
  @MaxLength(LIMITS.followUp.max, issue('too_long', maxParam))
  body!: string;
}
