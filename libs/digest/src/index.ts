export { DigestMailer, renderDigestMail } from './digest-mailer.service';
export { DigestModule } from './digest.module';
export { barChartPng, encodePng } from './rules/png-chart';
export { DigestService } from './digest.service';
export type { Count, DigestData, StoredDigest } from './digest.service';
export { isIsoWeek, isoWeekOf, lastCompleteWeek, previousWeek, weekBounds } from './rules/iso-week';
export type { WeekBounds } from './rules/iso-week';
export { digestXlsx } from './digest-export';
