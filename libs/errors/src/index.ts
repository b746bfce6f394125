export { ERROR_STATUS, FieldValidationError, GopyError } from './gopy-error';
export type { ErrorCode, FieldIssue, FieldIssues } from './gopy-error';
