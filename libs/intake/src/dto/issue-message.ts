import type { ValidationArguments } from 'class-validator';

/**
 * class-validator messages carry a stable code and its parameters as JSON; the edge turns
 * them into Vietnamese or English text.
 */
export function issue(
  code: string,
  params: (args: ValidationArguments) => Record<string, string | number> = () => ({}),
) {
  return { message: (args: ValidationArguments) => JSON.stringify({ code, params: params(args) }) };
}

export const minParam = (args: ValidationArguments) => ({ min: Number(args.constraints[0]) });
export const maxParam = (args: ValidationArguments) => ({ max: Number(args.constraints[0]) });
