import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidatorOptions, validate } from 'class-validator';
import { FieldValidationError } from '@gopy/errors';
import { toFieldIssues } from './to-field-issues';

/** The options of the global ValidationPipe, shared so the HTML form validates the same way. */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
};

/** Turns a plain object into a validated DTO, or throws FieldValidationError with every issue. */
export async function validateDto<T extends object>(cls: ClassConstructor<T>, plain: unknown): Promise<T> {
  const instance = plainToInstance(cls, plain ?? {});
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw new FieldValidationError(toFieldIssues(errors));
  return instance;
}
