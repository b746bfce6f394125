import { DigestService, weekBounds } from '@gopy/digest';
import { GopyHarness } from './utils/gopy-harness';
import { testConfig } from './utils/test-env';

// Weeks long past, moved into after intake: only this suite's cases fall in them.
const WEEK = '2025-W20';
const SMALL_WEEK = '2025-W21';
const OPINIONS = [
  'Bãi rác tự phát cạnh chợ Bến Thành bốc mùi hôi thối, ruồi nhặng nhiều, đề nghị phường thu gom ngay.',
  'Rác tự phát cạnh chợ Bến Thành bốc mùi hôi thối suốt tuần, ruồi nhặng bay vào nhà, đề nghị thu gom.',
  'Đề nghị phường thu gom bãi rác tự phát cạnh chợ Bến Thành, mùi hôi thối và ruồi nhặng rất nhiều.',
  'Bãi rác cạnh chợ Bến Thành bốc mùi hôi thối, ruồi nhặng khắp nơi, mong phường sớm thu gom.',
  'Mùi hôi thối từ bãi rác tự phát cạnh chợ Bến Thành, ruồi nhặng nhiều, đề nghị thu gom dứt điểm.',
];

describe('hot issues count different people, not different cases', () => {
  let gopy: GopyHarness;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig());
    await gopy.startApi();
  });

  afterAll(async () => {
    await gopy.stop();
  });

  const submit = async (week: string, day: number, body: string, contact: Record<string, unknown>) => {
    const response = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: { topic: 'phan_anh_kien_nghi', subject: 'Bãi rác cạnh chợ', body, ...contact },
    });
    expect(response.statusCode).toBe(201);
    const code = String(response.json().trackingCode).replace(/-/g, '');
    const at = new Date(weekBounds(week).start.getTime() + day * 86_400_000 + 3_600_000);
    const { rows } = await gopy.db.query(`UPDATE cases SET created_at = $2 WHERE tracking_code = $1 RETURNING id`, [
      code,
      at,
    ]);
    await gopy.db.query(`UPDATE submissions SET received_at = $2 WHERE case_id = $1`, [rows[0].id, at]);
    return rows[0].id as string;
  };
  const samePerson = (n: number) => ({
    anonymous: false,
    name: 'Lê Thị Hoa',
    email: n === 1 ? 'Hoa.Le@Example.vn' : 'hoa.le@example.vn',
    consent: true,
  });
  const other = { anonymous: false, name: 'Phạm Văn Đức', phone: '0912 000 111', consent: true };
  const anonymous = { anonymous: true };
  const digest = (week: string) => (gopy.api?.get(DigestService) as DigestService).compute(weekBounds(week));

  it('stores a keyed hash of the email or phone, one per person, none when anonymous', async () => {
    const ids = [
      await submit(WEEK, 0, OPINIONS[0], samePerson(0)),
      await submit(WEEK, 1, OPINIONS[1], samePerson(1)),
      await submit(WEEK, 2, OPINIONS[2], samePerson(2)),
      await submit(WEEK, 3, OPINIONS[3], other),
      await submit(WEEK, 4, OPINIONS[4], anonymous),
    ];
    const { rows } = await gopy.db.query(`SELECT case_id, submitter_key FROM submissions WHERE case_id = ANY ($1)`, [
      ids,
    ]);
    const key = (id: string) => rows.find((r) => r.case_id === id)?.submitter_key as string | null;
    expect(key(ids[0])).toMatch(/^[0-9a-f]{64}$/);
    expect(key(ids[1])).toBe(key(ids[0]));
    expect(key(ids[2])).toBe(key(ids[0]));
    expect(key(ids[3])).toMatch(/^[0-9a-f]{64}$/);
    expect(key(ids[3])).not.toBe(key(ids[0]));
    expect(key(ids[4])).toBeNull();

    // Five cases, three people: hot (three or more people), counted as three.
    const data = await digest(WEEK);
    expect(data.hotIssues).toHaveLength(1);
    expect(data.hotIssues[0]).toMatchObject({ size: 5, submitters: 3 });
    expect([...data.hotIssues[0].caseIds].sort()).toEqual([...ids].sort());
    // The key is for counting only: never in the digest.
    const json = JSON.stringify(data);
    for (const r of rows) if (r.submitter_key) expect(json).not.toContain(r.submitter_key);
    expect(json).not.toMatch(/hoa\.le|Hoa|0912/i);
  });

  it('does not make a hot issue of one person writing three times', async () => {
    // Four cases but two people (one wrote three times): below the three people a hot issue needs.
    await submit(SMALL_WEEK, 0, OPINIONS[0], samePerson(0));
    await submit(SMALL_WEEK, 1, OPINIONS[1], samePerson(1));
    await submit(SMALL_WEEK, 2, OPINIONS[2], samePerson(2));
    await submit(SMALL_WEEK, 3, OPINIONS[3], other);
    expect((await digest(SMALL_WEEK)).hotIssues).toEqual([]);
  });
});
