import { encodeCursor, filtersToQuery, parseDeskFilters } from './desk-filters';

describe('desk filters', () => {
  it('reads the URL, dropping unknown values', () => {
    const filters = parseDeskFilters(
      { view: 'unit', status: 'open', channel: 'fax', q: '  đường sá ', overdue: '1', topic: 'hoi_dap' },
      'mine',
    );
    expect(filters).toMatchObject({ view: 'unit', status: 'open', q: 'đường sá', overdue: true, topic: 'hoi_dap' });
    expect(filters.channel).toBeUndefined();
    expect(parseDeskFilters({ view: 'everything' }, 'mine').view).toBe('mine');
  });

  it('round-trips the keyset cursor and refuses a forged one', () => {
    const at = new Date('2026-11-22T01:02:03.456Z');
    const id = '7b1e1c9a-8d5e-4a53-9d0e-2f6f4b1b2c3d';
    expect(parseDeskFilters({ after: encodeCursor(at, id) }, 'all').after).toEqual({ at, id });
    expect(parseDeskFilters({ after: Buffer.from('x|y').toString('base64url') }, 'all').after).toBeUndefined();
  });

  it('reads received-between dates and reports one that cannot be used', () => {
    expect(parseDeskFilters({ from: '2025-03-03', to: ' 2025-03-09 ' }, 'all')).toMatchObject({
      from: '2025-03-03',
      to: '2025-03-09',
      issues: {},
    });
    const wrong = parseDeskFilters({ from: '3/3/2025', to: '2025-02-30' }, 'all');
    expect(wrong).toMatchObject({ from: undefined, to: undefined });
    expect(wrong.issues).toEqual({ from: { code: 'invalid_date' }, to: { code: 'invalid_date' } });
    const backwards = parseDeskFilters({ from: '2025-03-09', to: '2025-03-03' }, 'all');
    expect(backwards).toMatchObject({ from: '2025-03-09', to: undefined });
    expect(backwards.issues).toEqual({ to: { code: 'date_before_from' } });
    expect(parseDeskFilters({ from: '', to: ['2025-03-03'] }, 'all').issues).toEqual({});
    expect(filtersToQuery(parseDeskFilters({ view: 'all', from: '2025-03-03', to: '2025-03-09' }, 'mine'))).toBe(
      'view=all&from=2025-03-03&to=2025-03-09',
    );
  });

  it('writes the filters back for links', () => {
    expect(filtersToQuery(parseDeskFilters({ view: 'all', q: 'ổ gà', overdue: 'on' }, 'mine'))).toBe(
      'view=all&q=%E1%BB%95+g%C3%A0&overdue=1',
    );
  });
});
