// The digest's deadline figures as lines of text, the same in the PDF and the mail.

export interface DeadlineLabels {
  firstResponseOnTime: string;
  resolutionOnTime: string;
  firstResponseTime: string;
  resolutionTime: string;
  hours: (median: string, p90: string) => string;
}

interface Deadlines {
  deadlines: { firstResponseDue: number; firstResponseOnTime: number; resolutionDue: number; resolutionOnTime: number };
  durations: {
    firstResponseHours: { median: number | null; p90: number | null };
    resolutionHours: { median: number | null; p90: number | null };
  };
}

/** `part` of `whole` as "50 % (2/4)", or "—" when nothing was due. */
export function share(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 100)} % (${part}/${whole})`;
}

/** On-time shares and median / p90 times, as [label, value] pairs. */
export function deadlineRows(d: Deadlines, labels: DeadlineLabels): [string, string][] {
  const hours = (h: { median: number | null; p90: number | null }) =>
    labels.hours(String(h.median ?? '—'), String(h.p90 ?? '—'));
  return [
    [labels.firstResponseOnTime, share(d.deadlines.firstResponseOnTime, d.deadlines.firstResponseDue)],
    [labels.resolutionOnTime, share(d.deadlines.resolutionOnTime, d.deadlines.resolutionDue)],
    [labels.firstResponseTime, hours(d.durations.firstResponseHours)],
    [labels.resolutionTime, hours(d.durations.resolutionHours)],
  ];
}
