import { type Language, translate } from '@gopy/i18n';
import type { DeadlineLabels } from './rules/figures';

/** The deadline lines' labels in a language, for the PDF and the mail. */
export function deadlineLabels(lang: Language): DeadlineLabels {
  return {
    firstResponseOnTime: translate(lang, 'digest.firstResponseOnTime'),
    resolutionOnTime: translate(lang, 'digest.resolutionOnTime'),
    firstResponseTime: translate(lang, 'digest.firstResponseTime'),
    resolutionTime: translate(lang, 'digest.resolutionTime'),
    hours: (median, p90) => translate(lang, 'digest.hours', { median, p90 }),
  };
}
