export { LANGUAGES, MESSAGES } from './messages';
export type { Language, MessageKey } from './messages';
export { formatBytes, formatDateTime, isLanguage, pickLanguage, translate } from './translate';
export type { MessageParams } from './translate';
