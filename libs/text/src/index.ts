export { foldDiacritics, hasReplacementChar, isValidUtf8, normalizeLine, normalizeText } from './normalize';
