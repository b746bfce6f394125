import { GopyHarness } from './utils/gopy-harness';
import { SmtpCapture } from './utils/smtp-capture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

describe('intake through the JSON API, end to end', () => {
  const smtp = new SmtpCapture();
  let gopy: GopyHarness;

  beforeAll(async () => {
    await smtp.start();
    gopy = new GopyHarness(testConfig({ SMTP_URL: smtp.url }));
    await gopy.startApi();
    await gopy.startWorker();
  });

  afterAll(async () => {
    await gopy.stop();
    await smtp.stop();
  });

  it('stores the case, relays the outbox to a job and mails a receipt with the tracking code', async () => {
    const email = `nguoidan.${Date.now()}@example.vn`;
    const response = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: {
        topic: 'phan_anh_kien_nghi',
        subject: 'Đèn đường hỏng ở tổ dân phố 5',
        body: 'Ba cột đèn đường trên phố Lê Lợi đã hỏng hơn hai tuần, buổi tối rất tối và nguy hiểm.',
        anonymous: false,
        name: 'Trần Văn Bình',
        email,
        phone: '0912 345 678',
        consent: true,
      },
    });
    expect(response.statusCode).toBe(201);
    const receipt = response.json();
    expect(receipt.trackingCode).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    expect(receipt.receiptByEmail).toBe(true);
    expect(JSON.stringify(receipt)).not.toContain(email);

    const code = receipt.trackingCode.replace(/-/g, '');
    const { rows } = await gopy.db.query(
      `SELECT c.id, c.status, s.contact_ciphertext, s.contact_key_id, s.has_email, s.consent_at,
              (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS events
         FROM cases c JOIN submissions s ON s.case_id = c.id WHERE c.tracking_code = $1`,
      [code],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ contact_key_id: 'test', has_email: true });
    // The worker may already have routed it (no unit chosen: the coordinators' queue).
    expect(['received', 'triaged']).toContain(rows[0].status);
    expect(rows[0].events).toBeGreaterThanOrEqual(1);
    expect(rows[0].consent_at).not.toBeNull();
    // Personal data is not readable in the database.
    const sealed: Buffer = rows[0].contact_ciphertext;
    for (const secret of [email, 'Trần Văn Bình', '912345678'])
      expect(sealed.includes(Buffer.from(secret))).toBe(false);

    const mail = await waitFor(() => smtp.to(email)[0], 15_000, 'receipt mail');
    expect(mail.parsed.subject).toContain(receipt.trackingCode);
    expect(mail.parsed.text).toContain(`http://gopy.test/theo-doi/${receipt.trackingCode}`);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.parsed.messageId).toMatch(/@gopy\.test>$/);

    const outbox = await gopy.db.query(`SELECT published_at FROM outbox WHERE payload->>'caseId' = $1`, [rows[0].id]);
    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0].published_at).not.toBeNull();
    // The mail is marked sent just after the SMTP server accepted it: wait for that write.
    const jobs = await waitFor(
      async () => {
        const found = await gopy.db.query(`SELECT status, attempts FROM outbound_mails WHERE case_id = $1`, [
          rows[0].id,
        ]);
        return found.rows[0]?.status === 'sent' ? found.rows : undefined;
      },
      15_000,
      'the mail marked sent',
    );
    expect(jobs).toEqual([{ status: 'sent', attempts: 1 }]);
  });

  it('shows the public view by tracking code, never personal data', async () => {
    const created = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: {
        topic: 'hoi_dap',
        subject: 'Giờ tiếp công dân',
        body: 'Xin hỏi giờ tiếp công dân của Sở vào thứ mấy trong tuần?',
        anonymous: false,
        name: 'Lê Thị Cúc',
        phone: '0987654321',
        consent: true,
      },
    });
    const { trackingCode } = created.json();
    const view = await gopy.inject({ method: 'GET', url: `/api/v1/cases/${trackingCode.toLowerCase()}` });
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body).toMatchObject({
      trackingCode,
      status: 'received',
      statusLabel: 'Đã tiếp nhận',
      topic: 'hoi_dap',
      answers: [],
    });
    expect(body.timeline.map((e: { type: string }) => e.type)).toEqual(['received']);
    expect(view.body).not.toContain('Lê Thị Cúc');
    expect(view.body).not.toContain('0987654321');
    expect(view.body).not.toContain('84987654321');
  });

  it('answers unknown and mistyped codes with the same shape', async () => {
    const created = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: { topic: 'khac', subject: 'Một góp ý nhỏ', body: 'Nội dung góp ý đủ dài để hợp lệ.', anonymous: true },
    });
    const code: string = created.json().trackingCode;
    const last = code[code.length - 1];
    const mistyped = code.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    const unknown = await gopy.inject({ method: 'GET', url: '/api/v1/cases/22222-22222-22222' });
    const typo = await gopy.inject({ method: 'GET', url: `/api/v1/cases/${mistyped}` });
    const garbage = await gopy.inject({ method: 'GET', url: '/api/v1/cases/hello' });
    for (const response of [unknown, typo, garbage]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        statusCode: 404,
        error: 'case_not_found',
        message: 'Không tìm thấy hồ sơ với mã này.',
      });
    }
  });

  it('adds a follow-up to the case and its public timeline', async () => {
    const created = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: {
        topic: 'phan_anh_kien_nghi',
        subject: 'Nước sinh hoạt bị đục',
        body: 'Nước máy khu phố 3 bị đục hai ngày nay.',
        anonymous: true,
      },
    });
    const { trackingCode } = created.json();
    const added = await gopy.inject({
      method: 'POST',
      url: `/api/v1/cases/${trackingCode}/follow-ups`,
      payload: { body: 'Hôm nay nước đã trong hơn nhưng vẫn có mùi.' },
    });
    expect(added.statusCode).toBe(201);
    const view = (await gopy.inject({ method: 'GET', url: `/api/v1/cases/${trackingCode}` })).json();
    // Routing may have added its own public step (triaged or assigned) in between.
    const types = view.timeline.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => !['triaged', 'assigned'].includes(t))).toEqual([
      'received',
      'follow_up_received',
    ]);
    const { rows } = await gopy.db.query(
      `SELECT s.kind FROM submissions s JOIN cases c ON c.id = s.case_id WHERE c.tracking_code = $1 ORDER BY s.received_at`,
      [trackingCode.replace(/-/g, '')],
    );
    expect(rows.map((r) => r.kind)).toEqual(['initial', 'follow_up']);
    const refused = await gopy.inject({
      method: 'POST',
      url: '/api/v1/cases/22222-22222-22222/follow-ups',
      payload: { body: 'xin chào' },
    });
    expect(refused.statusCode).toBe(404);
  });

  it('serves the OpenAPI document with the submission endpoint', async () => {
    const response = await gopy.inject({ method: 'GET', url: '/api/docs/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/submissions',
        '/api/v1/cases/{trackingCode}',
        '/api/v1/cases/{trackingCode}/follow-ups',
      ]),
    );
    expect(document.components.schemas.CreateSubmissionDto.required).toEqual(
      expect.arrayContaining(['topic', 'subject', 'body', 'anonymous']),
    );
  });

  it('reports health of the database and Redis', async () => {
    const response = await gopy.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'up', redis: 'up' });
  });
});
