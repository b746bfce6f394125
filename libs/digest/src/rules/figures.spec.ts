import { deadlineRows, share } from './figures';

describe('deadline figures', () => {
  it('gives shares with their counts, and a dash when nothing was due', () => {
    expect(share(2, 4)).toBe('50 % (2/4)');
    expect(share(0, 0)).toBe('—');
  });

  it('gives the four deadline lines in order', () => {
    const rows = deadlineRows(
      {
        deadlines: { firstResponseDue: 4, firstResponseOnTime: 2, resolutionDue: 1, resolutionOnTime: 1 },
        durations: { firstResponseHours: { median: 24, p90: 62.4 }, resolutionHours: { median: null, p90: null } },
      },
      {
        firstResponseOnTime: 'first',
        resolutionOnTime: 'resolved',
        firstResponseTime: 'to first',
        resolutionTime: 'to resolution',
        hours: (median, p90) => `${median} / ${p90} h`,
      },
    );
    expect(rows).toEqual([
      ['first', '50 % (2/4)'],
      ['resolved', '100 % (1/1)'],
      ['to first', '24 / 62.4 h'],
      ['to resolution', '— / — h'],
    ]);
  });
});
