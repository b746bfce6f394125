import type { MessageKey, MessageParams } from '@gopy/i18n';

/** Stable error codes; each transport maps them to a status and a translated message. */
export type ErrorCode =
  | 'validation_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_encoding'
  | 'malformed_body'
  | 'too_many_requests'
  | 'case_not_found'
  | 'idempotency_mismatch'
  | 'idempotency_in_progress'
  | 'follow_up_refused'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'csrf_failed'
  | 'login_failed'
  | 'action_refused';

export const ERROR_STATUS: Record<ErrorCode, number> = {
  validation_failed: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_encoding: 400,
  malformed_body: 400,
  too_many_requests: 429,
  case_not_found: 404,
  idempotency_mismatch: 422,
  idempotency_in_progress: 409,
  follow_up_refused: 409,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  login_failed: 401,
  action_refused: 409,
};

/** One field's problem: a message key under `error.` and its parameters. */
export interface FieldIssue {
  code: string;
  params?: MessageParams;
}

export type FieldIssues = Record<string, FieldIssue>;

/** An expected failure with a stable code; never logged as an error. */
export class GopyError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly fields: FieldIssues = {},
  ) {
    super(code);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  get messageKey(): MessageKey {
    return `api.${this.code}` as MessageKey;
  }
}

/** Bad input on named fields: 422 unless the problem is size (413) or type (415). */
export class FieldValidationError extends GopyError {
  constructor(fields: FieldIssues, code: ErrorCode = 'validation_failed') {
    super(code, fields);
  }
}
