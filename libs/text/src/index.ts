export { foldDiacritics, hasReplacementChar, isValidUtf8, normalizeLine, normalizeText } from './normalize';
export { SafeHtml, escapeHtml, html, unsafeRaw } from './html';
