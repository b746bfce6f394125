import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, StaffSession, createDeskFixture } from './utils/desk-fixture';
import { TINY_PNG, multipartBody } from './utils/multipart';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

/** The tracking code as the page shows it (grouped, without the spelled-out copy for screen readers). */
const codeShown = (body: string) =>
  (
    body.match(/class="code big"><span aria-hidden="true">(.*?)<\/span><span class="visually-hidden">/)?.[1] ?? ''
  ).replace(/<[^>]+>/g, '');

const vietnamNow = (minutesAgo = 0) =>
  new Date(Date.now() + 7 * 3600_000 - minutesAgo * 60_000).toISOString().slice(0, 16);

describe('phone calls and letters logged by operators', () => {
  let gopy: GopyHarness;
  let fx: DeskFixture;
  let operator: StaffSession;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig());
    await gopy.startApi();
    await gopy.startWorker();
    fx = await createDeskFixture(gopy);
    operator = await StaffSession.login(gopy, fx.emails.operatorA);
  });

  afterAll(() => gopy.stop());

  const caseCount = async (channel: string) =>
    (
      await gopy.db.query(
        `SELECT count(*)::int AS n FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.code = $1 AND c.channel = $2`,
        [fx.unitA, channel],
      )
    ).rows[0].n as number;

  async function assigneeSession(caseId: string): Promise<StaffSession> {
    const key = await waitFor(
      async () => {
        const { rows } = await gopy.db.query(
          `SELECT p.key FROM cases c JOIN collaborators p ON p.id = c.assignee_id WHERE c.id = $1`,
          [caseId],
        );
        return rows[0]?.key as string | undefined;
      },
      15_000,
      'routing',
    );
    return StaffSession.login(gopy, key === fx.a1 ? fx.emails.collabA1 : fx.emails.collabA2);
  }

  it('refuses a badly logged call field by field and stores nothing', async () => {
    const form = await operator.get('/ban-lam-viec/cuoc-goi');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${fx.unitA}" selected`);
    const before = await caseCount('phone');
    const bad = await operator.post('/ban-lam-viec/cuoc-goi', {
      phone: '123',
      name: 'Ông Tư',
      calledAt: '2099-01-01T08:00',
      durationMinutes: '2.5',
      topic: '',
      unitCode: fx.unitA,
      summary: '',
    });
    expect(bad.statusCode).toBe(422);
    for (const message of [
      'không phải số điện thoại Việt Nam hợp lệ',
      'Thời điểm gọi không được ở tương lai.',
      'phải là số phút nguyên',
      'Vui lòng chọn lĩnh vực',
      'Vui lòng đánh dấu người gửi đã đồng ý',
    ])
      expect(bad.body).toContain(message);
    expect(bad.body).toContain('value="Ông Tư"');
    expect(await caseCount('phone')).toBe(before);
  });

  it('logs a call, shows the code to read back, routes it, and records the callback outcome', async () => {
    const logged = await operator.post('/ban-lam-viec/cuoc-goi', {
      phone: '0912 345 678',
      name: 'Bà Năm',
      consent: '1',
      calledAt: vietnamNow(10),
      durationMinutes: '6',
      topic: 'hoi_dap',
      unitCode: fx.unitA,
      subject: '',
      summary: 'Hỏi thủ tục đăng ký tạm trú cho con đi học xa nhà, cần giấy tờ gì và nộp ở đâu.',
    });
    expect(logged.statusCode).toBe(201);
    const code = codeShown(logged.body);
    expect(code).toBeDefined();
    const { rows } = await gopy.db.query(
      `SELECT c.id, c.channel, c.subject, s.received_at, s.channel_meta, s.contact_ciphertext
         FROM cases c JOIN submissions s ON s.case_id = c.id WHERE c.tracking_code = $1`,
      [code.replace(/-/g, '')],
    );
    const row = rows[0];
    expect(row.channel).toBe('phone');
    expect(row.subject).toBe('Hỏi thủ tục đăng ký tạm trú cho con đi học xa nhà, cần giấy tờ gì và nộp ở đâu.');
    expect(Date.now() - new Date(row.received_at).getTime()).toBeGreaterThan(9 * 60_000);
    expect(row.channel_meta).toMatchObject({ durationMinutes: 6 });
    expect((row.contact_ciphertext as Buffer).includes(Buffer.from('912345678'))).toBe(false);

    const collaborator = await assigneeSession(row.id);
    const page = await collaborator.get(`/ban-lam-viec/ho-so/${row.id}`);
    expect(page.body).toContain('Gọi lại cho người gọi');
    expect(page.body).not.toContain('912');
    expect(page.body).toContain('cuộc gọi 6 phút');
    const task = await collaborator.post(`/ban-lam-viec/ho-so/${row.id}/tra-loi`, {
      kind: 'callback',
      response: 'Hướng dẫn mang CCCD và giấy xác nhận của trường đến công an phường.',
    });
    expect(task.statusCode).toBe(303);
    const status = async () =>
      (await gopy.db.query(`SELECT status FROM cases WHERE id = $1`, [row.id])).rows[0].status as string;
    expect(await status()).toBe('in_progress');
    const tracking = async () => (await gopy.inject({ method: 'GET', url: `/theo-doi/${code}` })).body;
    expect(await tracking()).not.toContain('công an phường');

    const { rows: responses } = await gopy.db.query(`SELECT id FROM case_responses WHERE case_id = $1`, [row.id]);
    // The assignee may see the number to call, by an explicit, audited action.
    const number = await collaborator.post(`/ban-lam-viec/ho-so/${row.id}/goi-lai/${responses[0].id}/so-dien-thoai`);
    expect(number.statusCode).toBe(200);
    expect(number.body).toContain('+84912345678');
    const audited = await gopy.db.query(
      `SELECT detail->>'purpose' AS purpose FROM audit_log WHERE case_id = $1 AND action = 'case.contact_revealed'`,
      [row.id],
    );
    expect(audited.rows).toEqual([{ purpose: 'callback' }]);
    const url = `/ban-lam-viec/ho-so/${row.id}/goi-lai/${responses[0].id}`;
    const bad = await collaborator.post(url, { outcome: 'maybe', note: 'Gọi lúc 9 giờ' });
    expect(bad.statusCode).toBe(422);
    // The message sits by this callback's choices, in Vietnamese; the note is kept.
    expect(bad.body).toContain(`id="field-callback-${responses[0].id}-error">Vui lòng chọn kết quả gọi lại.`);
    expect(bad.body).toContain('value="Gọi lúc 9 giờ"');
    expect((await collaborator.post(url, { outcome: 'not_reached', note: 'Máy bận' })).statusCode).toBe(303);
    expect(await status()).toBe('in_progress');
    expect((await collaborator.post(url, { outcome: 'reached' })).statusCode).toBe(303);
    expect(await status()).toBe('answered');
    expect(await tracking()).toContain('công an phường');
    expect((await collaborator.post(url, { outcome: 'reached' })).statusCode).toBe(409);
    const after = await collaborator.get(`/ban-lam-viec/ho-so/${row.id}`);
    expect(after.body).toContain('Không liên lạc được');
    expect(after.body).toContain('Máy bận');
  });

  it('enters a letter with its scan, answers it with a printable reply and records the posting', async () => {
    const fields = {
      receivedOn: vietnamNow().slice(0, 10),
      name: 'Cụ Đặng Văn Sáu',
      address: 'Số 12, ngõ 4, tổ 7, phường Hòa Bình',
      consent: '1',
      topic: 'phan_anh_kien_nghi',
      unitCode: fx.unitA,
      subject: 'Đèn đường ngõ 4 không sáng',
      body: 'Kính gửi Chi bộ, đèn đường ngõ 4 tổ 7 đã hỏng cả tháng nay, buổi tối các cụ đi lại rất khó khăn.',
    };
    const post = async (csrf: string | undefined, extra: Record<string, string> = {}) => {
      const { payload, headers } = await multipartBody({ ...fields, ...extra }, [
        { name: 'attachments', filename: 'thu-quet.png', bytes: TINY_PNG, type: 'image/png' },
      ]);
      return gopy.inject({
        method: 'POST',
        url: `/ban-lam-viec/thu${csrf === undefined ? '' : `?_csrf=${csrf}`}`,
        headers: { ...headers, cookie: operator.cookie, accept: 'text/html' },
        payload,
      });
    };
    const before = await caseCount('letter');
    expect((await post(undefined)).statusCode).toBe(403);
    const bad = await post(operator.csrf, { address: '', name: 'Cụ Sáu', body: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Vui lòng nhập địa chỉ');
    expect(await caseCount('letter')).toBe(before);

    const logged = await post(operator.csrf);
    expect(logged.statusCode).toBe(201);
    const code = codeShown(logged.body);
    const { rows } = await gopy.db.query(
      `SELECT c.id, s.attachment_count FROM cases c JOIN submissions s ON s.case_id = c.id WHERE c.tracking_code = $1`,
      [code.replace(/-/g, '')],
    );
    expect(rows[0].attachment_count).toBe(1);
    const caseId = rows[0].id as string;
    await assigneeSession(caseId);

    const answer = 'Đội điện chiếu sáng đã thay bóng đèn ngõ 4 ngày hôm qua. Cảm ơn cụ đã báo.';
    expect(
      (await operator.post(`/ban-lam-viec/ho-so/${caseId}/tra-loi`, { kind: 'letter', response: answer })).statusCode,
    ).toBe(303);
    const { rows: responses } = await gopy.db.query(`SELECT id, kind FROM case_responses WHERE case_id = $1`, [caseId]);
    expect(responses[0].kind).toBe('letter');
    const letter = await operator.post(`/ban-lam-viec/ho-so/${caseId}/thu-tra-loi/${responses[0].id}`);
    expect(letter.statusCode).toBe(200);
    expect(letter.body).toContain('Số 12, ngõ 4, tổ 7, phường Hòa Bình');
    expect(letter.body).toContain(answer);
    expect(letter.body).toContain(code);
    const reveal = await gopy.db.query(
      `SELECT detail->>'purpose' AS purpose FROM audit_log WHERE case_id = $1 AND action = 'case.contact_revealed'`,
      [caseId],
    );
    expect(reveal.rows).toEqual([{ purpose: 'letter' }]);
    // A collaborator may not print it (it carries the address).
    const collaborator = await assigneeSession(caseId);
    expect((await collaborator.post(`/ban-lam-viec/ho-so/${caseId}/thu-tra-loi/${responses[0].id}`)).statusCode).toBe(
      403,
    );

    const posted = `/ban-lam-viec/ho-so/${caseId}/da-gui-thu/${responses[0].id}`;
    expect((await operator.post(posted)).statusCode).toBe(303);
    expect((await operator.post(posted)).statusCode).toBe(409);
    const timeline = await gopy.inject({ method: 'GET', url: `/theo-doi/${code}` });
    expect(timeline.body).toContain('Đã gửi thư trả lời qua bưu điện');
  });
});
