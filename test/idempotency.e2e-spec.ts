import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { GopyHarness } from './utils/gopy-harness';
import { formTokenOf, multipartBody } from './utils/multipart';
import { testConfig } from './utils/test-env';

describe('idempotency: one case per key, whatever the client repeats', () => {
  let gopy: GopyHarness;
  const opinion = () => ({
    topic: 'gop_y_chinh_sach',
    subject: `Góp ý dự thảo ${randomUUID().slice(0, 8)}`,
    body: 'Dự thảo nên công khai lịch tiếp công dân của lãnh đạo trên cổng thông tin.',
    anonymous: true,
  });

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig());
    await gopy.startApi();
  });

  afterAll(() => gopy.stop());

  const post = (payload: object, key: string) =>
    gopy.inject({ method: 'POST', url: '/api/v1/submissions', payload, headers: { 'idempotency-key': key } });

  async function casesWithSubject(subject: string): Promise<number> {
    const { rows } = await gopy.db.query('SELECT count(*)::int AS n FROM cases WHERE subject = $1', [subject]);
    return rows[0].n;
  }

  it('replays the first response for the same key and body', async () => {
    const key = randomUUID();
    const body = opinion();
    const first = await post(body, key);
    const again = await post({ ...body }, key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await casesWithSubject(body.subject)).toBe(1);
  });

  it('refuses the same key with another body (422)', async () => {
    const key = randomUUID();
    const body = opinion();
    expect((await post(body, key)).statusCode).toBe(201);
    const other = await post({ ...body, body: 'Một nội dung khác hẳn với lần gửi đầu.' }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ error: 'idempotency_mismatch' });
    expect(await casesWithSubject(body.subject)).toBe(1);
  });

  it('answers 409 while a request with the same key is in flight', async () => {
    const key = randomUUID();
    const body = opinion();
    // Hold the key's lock as an in-flight request would.
    const holder = new Client({ connectionString: gopy.config.database.url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`api:${key}`]);
    try {
      const concurrent = await post(body, key);
      expect(concurrent.statusCode).toBe(409);
      expect(concurrent.json()).toMatchObject({ error: 'idempotency_in_progress' });
      expect(await casesWithSubject(body.subject)).toBe(0);
    } finally {
      await holder.end();
    }
    expect((await post(body, key)).statusCode).toBe(201);
  });

  it('makes one case from a burst of parallel retries', async () => {
    const key = randomUUID();
    const body = opinion();
    const responses = await Promise.all(Array.from({ length: 8 }, () => post(body, key)));
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const codes = new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.json().trackingCode));
    expect(codes.size).toBe(1);
    expect(await casesWithSubject(body.subject)).toBe(1);
  });

  it('refuses a malformed key', async () => {
    const response = await post(opinion(), 'x'.repeat(300));
    expect(response.statusCode).toBe(422);
    expect(Object.keys(response.json().fields)).toEqual(['idempotencyKey']);
  });

  it('turns a double click on the form into one case', async () => {
    const page = await gopy.inject({ method: 'GET', url: '/' });
    const token = formTokenOf(page.body);
    const subject = `Bấm gửi hai lần ${randomUUID().slice(0, 8)}`;
    const fields = {
      formToken: token,
      topic: 'hoi_dap',
      subject,
      body: 'Xin hỏi thủ tục chuyển sinh hoạt đảng tạm thời gồm những gì?',
      anonymous: 'yes',
    };
    const clicks = await Promise.all(
      [0, 1].map(async () => gopy.inject({ method: 'POST', url: '/gop-y', ...(await multipartBody(fields)) })),
    );
    const codes = clicks.map((r) => r.body.match(/id="tracking-code">([^<]+)</)?.[1]);
    expect(clicks.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(codes[0]).toBeDefined();
    expect(codes[0]).toBe(codes[1]);
    expect(await casesWithSubject(subject)).toBe(1);

    // The same token with other content is not silently dropped: the form comes back.
    const changed = await gopy.inject({
      method: 'POST',
      url: '/gop-y',
      ...(await multipartBody({ ...fields, body: 'Một câu hỏi khác hoàn toàn.' })),
    });
    expect(changed.statusCode).toBe(422);
    expect(changed.body).toContain('đã được gửi trước đó');
    expect(changed.body).toContain('Một câu hỏi khác hoàn toàn.');
  });
});
