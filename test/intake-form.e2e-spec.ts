import { randomUUID } from 'node:crypto';
import { GopyHarness } from './utils/gopy-harness';
import { TINY_PNG, formTokenOf, multipartBody } from './utils/multipart';
import { testConfig } from './utils/test-env';

describe('the public form and tracking pages', () => {
  let gopy: GopyHarness;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig({ ATTACHMENT_MAX_FILES: '2' }));
    await gopy.startApi();
  });

  afterAll(() => gopy.stop());

  async function freshToken(headers: Record<string, string> = {}): Promise<string> {
    return formTokenOf((await gopy.inject({ method: 'GET', url: '/', headers })).body);
  }

  async function submit(
    fields: Record<string, string>,
    files: Parameters<typeof multipartBody>[1] = [],
    headers: Record<string, string> = {},
  ) {
    const { payload, headers: multipart } = await multipartBody(fields, files);
    return gopy.inject({ method: 'POST', url: '/gop-y', payload, headers: { ...multipart, ...headers } });
  }

  async function casesWithSubject(subject: string): Promise<number> {
    const { rows } = await gopy.db.query('SELECT count(*)::int AS n FROM cases WHERE subject = $1', [subject]);
    return rows[0].n;
  }

  it('serves the form in Vietnamese with a strict CSP, English by the switch', async () => {
    const page = await gopy.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="vi">');
    expect(page.body).toContain('Gửi ý kiến của bạn');
    expect(page.body).toContain('Thông báo bảo mật');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/<script>(?!<\/script>)/);

    const switched = await gopy.inject({ method: 'GET', url: '/ngon-ngu/en?next=/theo-doi' });
    expect(switched.statusCode).toBe(303);
    expect(switched.headers.location).toBe('/theo-doi');
    const cookie = String(switched.headers['set-cookie']);
    expect(cookie).toContain('gopy_lang=en');
    expect(cookie).toContain('HttpOnly');
    const english = await gopy.inject({ method: 'GET', url: '/', headers: { cookie: 'gopy_lang=en' } });
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Send us your opinion');

    const offsite = await gopy.inject({ method: 'GET', url: '/ngon-ngu/en?next=//evil.example/' });
    expect(offsite.headers.location).toBe('/');
  });

  it('re-renders with a summary and field messages, keeping what was typed, and stores nothing', async () => {
    const subject = `<b>Tiêu đề</b> ${randomUUID().slice(0, 8)}`;
    const response = await submit({
      formToken: await freshToken(),
      subject,
      body: 'ngắn',
      anonymous: 'no',
      email: 'sai@',
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('class="error-summary"');
    expect(response.body).toContain('href="#field-body"');
    expect(response.body).toContain('Vui lòng chọn lĩnh vực.');
    expect(response.body).toContain('Nội dung góp ý cần ít nhất 10 ký tự.');
    expect(response.body).toContain('Thư điện tử (email) không đúng định dạng');
    expect(response.body).toContain('aria-invalid="true"');
    // Kept, and escaped.
    expect(response.body).toContain('&lt;b&gt;Tiêu đề&lt;/b&gt;');
    expect(response.body).not.toContain('<b>Tiêu đề</b>');
    expect(response.body).toContain('>ngắn</textarea>');
    expect(await casesWithSubject(subject)).toBe(0);
  });

  it('shows errors in English when English is chosen', async () => {
    const response = await submit({ formToken: await freshToken() }, [], { cookie: 'gopy_lang=en' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Please enter subject.');
    expect(response.body).toContain('Please choose how to send.');
  });

  it('accepts a complete form with an attachment and shows the tracking code', async () => {
    const subject = `Đèn đường hỏng ${randomUUID().slice(0, 8)}`;
    const response = await submit(
      {
        formToken: await freshToken(),
        topic: 'phan_anh_kien_nghi',
        subject,
        body: 'Ba cột đèn trên đường Nguyễn Trãi không sáng từ tuần trước.',
        anonymous: 'no',
        name: 'Phạm Minh Đức',
        phone: '0912345678',
        consent: 'yes',
        website: '',
      },
      [{ name: 'attachments', filename: 'den.png', bytes: TINY_PNG, type: 'image/png' }],
    );
    expect(response.statusCode).toBe(201);
    const code = response.body.match(/id="tracking-code">([^<]+)</)?.[1] as string;
    expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    expect(response.body).not.toContain('Phạm Minh Đức');
    const { rows } = await gopy.db.query(
      `SELECT s.attachment_count, s.anonymous FROM submissions s JOIN cases c ON c.id = s.case_id WHERE c.subject = $1`,
      [subject],
    );
    expect(rows).toEqual([{ attachment_count: 1, anonymous: false }]);

    const tracking = await gopy.inject({ method: 'GET', url: `/theo-doi/${code}` });
    expect(tracking.statusCode).toBe(200);
    expect(tracking.body).toContain('Đã tiếp nhận');
    expect(tracking.body).toContain(subject);
    expect(tracking.body).not.toContain('Phạm Minh Đức');
    expect(tracking.body).not.toContain('912345678');
  });

  it('refuses a disguised attachment and too many files by name', async () => {
    const base = {
      topic: 'khac',
      subject: `Tệp đính kèm ${randomUUID().slice(0, 8)}`,
      body: 'Nội dung đủ dài để hợp lệ.',
      anonymous: 'yes',
    };
    const disguised = await submit({ formToken: await freshToken(), ...base }, [
      {
        name: 'attachments',
        filename: 'hoa-don.pdf',
        bytes: Buffer.from('<html>not a pdf</html>'),
        type: 'application/pdf',
      },
    ]);
    expect(disguised.statusCode).toBe(422);
    expect(disguised.body).toContain('Tệp “hoa-don.pdf” không được nhận');
    const png = { name: 'attachments', filename: 'a.png', bytes: TINY_PNG, type: 'image/png' };
    const tooMany = await submit({ formToken: await freshToken(), ...base }, [png, png, png]);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.body).toContain('tối đa 2 tệp');
    expect(await casesWithSubject(base.subject)).toBe(0);
  });

  it('answers a filled honeypot like a success and stores nothing', async () => {
    const subject = `Quảng cáo ${randomUUID().slice(0, 8)}`;
    const response = await submit({
      formToken: await freshToken(),
      topic: 'khac',
      subject,
      body: 'Mua hàng giá rẻ tại website của chúng tôi.',
      anonymous: 'yes',
      website: 'http://spam.example',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('id="tracking-code"');
    expect(await casesWithSubject(subject)).toBe(0);
  });

  it('refuses a missing or forged form token and keeps the text', async () => {
    const response = await submit({
      formToken: 'forged.token.value',
      topic: 'khac',
      subject: 'Không có mã',
      body: 'Nội dung của tôi vẫn còn đây.',
      anonymous: 'yes',
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Biểu mẫu đã quá hạn');
    expect(response.body).toContain('Nội dung của tôi vẫn còn đây.');
  });

  it('refuses a non-multipart post to the form with 415', async () => {
    const response = await gopy.inject({
      method: 'POST',
      url: '/gop-y',
      payload: 'topic=khac',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.body).toContain('<html lang="vi">');
  });

  it('escapes stored HTML on the tracking page and takes follow-ups', async () => {
    const created = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: {
        topic: 'khac',
        subject: '<img src=x onerror=alert(1)> tiêu đề',
        body: 'Nội dung thử thoát ký tự HTML.',
        anonymous: true,
      },
    });
    const { trackingCode } = created.json();
    const page = await gopy.inject({ method: 'GET', url: `/theo-doi/${trackingCode}` });
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt; tiêu đề');
    expect(page.body).not.toContain('<img src=x');

    const empty = await gopy.inject({
      method: 'POST',
      url: `/theo-doi/${trackingCode}/bo-sung`,
      payload: 'body=',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Vui lòng nhập nội dung góp ý.');

    const added = await gopy.inject({
      method: 'POST',
      url: `/theo-doi/${trackingCode}/bo-sung`,
      payload: `body=${encodeURIComponent('Tôi bổ sung thêm ảnh chụp sau.')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(added.statusCode).toBe(303);
    const after = await gopy.inject({ method: 'GET', url: String(added.headers.location) });
    expect(after.body).toContain('Đã nhận nội dung bổ sung.');
    expect(after.body).toContain('Đã nhận nội dung bổ sung</li>'.replace('</li>', ''));
  });

  it('looks a code up from the tracking form, with one answer for unknown and mistyped codes', async () => {
    const lookup = (code: string) =>
      gopy.inject({
        method: 'POST',
        url: '/theo-doi',
        payload: `code=${encodeURIComponent(code)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const unknown = await lookup('22222-22222-22222');
    const mistyped = await lookup('ABCDE');
    for (const response of [unknown, mistyped]) {
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('Không tìm thấy hồ sơ với mã này.');
    }
    const created = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: { topic: 'khac', subject: 'Tra cứu mã', body: 'Nội dung để tra cứu bằng mã.', anonymous: true },
    });
    const code: string = created.json().trackingCode;
    const found = await lookup(code.toLowerCase().replace(/-/g, ' '));
    expect(found.statusCode).toBe(303);
    expect(found.headers.location).toBe(`/theo-doi/${code}`);
  });
});

describe('minimum fill time', () => {
  let gopy: GopyHarness;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig({ FORM_MIN_FILL_SECONDS: '30' }));
    await gopy.startApi();
  });

  afterAll(() => gopy.stop());

  it('refuses a form sent faster than a person can fill it, keeping the text', async () => {
    const token = formTokenOf((await gopy.inject({ method: 'GET', url: '/' })).body);
    const { payload, headers } = await multipartBody({
      formToken: token,
      topic: 'khac',
      subject: 'Gửi quá nhanh',
      body: 'Robot gửi ngay lập tức.',
      anonymous: 'yes',
    });
    const response = await gopy.inject({ method: 'POST', url: '/gop-y', payload, headers });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Biểu mẫu được gửi quá nhanh');
    expect(response.body).toContain('Robot gửi ngay lập tức.');
  });
});

describe('rate limits', () => {
  let gopy: GopyHarness;

  beforeAll(async () => {
    // Each harness has its own Redis prefix, so these counts start at zero.
    gopy = new GopyHarness(testConfig({ RATE_LIMIT_TRACK_PER_MINUTE: '3', RATE_LIMIT_SUBMIT_PER_HOUR: '2' }));
    await gopy.startApi();
  });

  afterAll(() => gopy.stop());

  it('limits tracking lookups and submissions per IP with a generic 429', async () => {
    const headers = {};
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await gopy.inject({ method: 'GET', url: '/api/v1/cases/22222-22222-22222', headers })).statusCode);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const limited = await gopy.inject({ method: 'GET', url: '/api/v1/cases/22222-22222-22222' });
    expect(limited.json()).toEqual({
      statusCode: 429,
      error: 'too_many_requests',
      message: 'Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const opinion = { topic: 'khac', subject: 'Giới hạn gửi', body: 'Kiểm tra giới hạn số lần gửi.', anonymous: true };
    const sent: number[] = [];
    for (let i = 0; i < 3; i++)
      sent.push((await gopy.inject({ method: 'POST', url: '/api/v1/submissions', payload: opinion })).statusCode);
    expect(sent).toEqual([201, 201, 429]);
  });
});
