import type { ValidationError } from 'class-validator';
import type { FieldIssue, FieldIssues } from '@gopy/errors';

function parse(message: string): FieldIssue {
  try {
    const parsed = JSON.parse(message) as FieldIssue;
    if (typeof parsed.code === 'string') return parsed;
  } catch {
    // A message from a decorator without a code, e.g. whitelist validation.
  }
  return { code: 'invalid_value' };
}

/** Flattens class-validator errors to one issue per field path (`attachments.0.filename`). */
export function toFieldIssues(errors: ValidationError[], parent = ''): FieldIssues {
  const issues: FieldIssues = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    if ('whitelistValidation' in constraints) {
      issues[path] = { code: 'unknown_field' };
    } else {
      // "Please enter X" says more than "X is too short" when X is missing.
      const found = Object.values(constraints).map(parse);
      const first = found.find((f) => f.code === 'required' || f.code === 'choose') ?? found[0];
      if (first) issues[path] = first;
    }
    Object.assign(issues, toFieldIssues(error.children ?? [], path));
  }
  return issues;
}
