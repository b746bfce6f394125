import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DigestMailer, DigestService } from '@gopy/digest';
import { QueueProducer } from '@gopy/queue';
import { DigestProcessor } from '../apps/worker/src/desk/digest.processor';
import { SmtpCapture } from './utils/smtp-capture';
import { openBrowser, screenshot } from './utils/browser';
import { waitFor } from './utils/wait-for';
import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, StaffSession, createDeskFixture } from './utils/desk-fixture';
import { testConfig } from './utils/test-env';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const code = () => Array.from(randomBytes(15), (b) => ALPHABET[b % ALPHABET.length]).join('');
const SCREENSHOTS = join(__dirname, '..', 'test-output', 'screenshots');
const CANARY = ['Kiểm Thử Canary', '0987 654 321', 'canary.digest@example.vn', 'số 99 ngõ Canary'];
// Any fragment of them, in any case: a term or an excerpt must not leak part of a name either.
const FRAGMENTS = /kiểm|thử|canary|0987|321|99 ngõ/i;

// A week long past (2025-W10), so only this suite's cases fall in it and every figure is known.
describe('the weekly digest', () => {
  let gopy: GopyHarness;
  let second: GopyHarness;
  let fx: DeskFixture;
  const smtp = new SmtpCapture();

  beforeAll(async () => {
    await smtp.start();
    gopy = new GopyHarness(testConfig({ SMTP_URL: smtp.url }));
    await gopy.startApi(true);
    await gopy.startWorker();
    second = new GopyHarness(testConfig());
    await second.startWorker();
    fx = await createDeskFixture(gopy);
    const { rows } = await gopy.db.query(`SELECT id FROM units WHERE code = $1`, [fx.unitA]);
    const unitId = rows[0].id as string;
    const add = async (c: Record<string, string | null>) => {
      const id = randomUUID();
      await gopy.db.query(
        `INSERT INTO cases (id, tracking_code, status, topic, unit_id, channel, subject, created_at, first_response_due_at,
                            first_responded_at, resolution_due_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          id,
          code(),
          c.status,
          c.topic,
          unitId,
          c.channel,
          `Ý kiến của ${CANARY[0]}`,
          c.created,
          c.due,
          c.responded ?? null,
          c.resolutionDue ?? null,
          c.closed ?? null,
        ],
      );
      await gopy.db.query(
        `INSERT INTO submissions (case_id, kind, channel, language, subject, body, received_at, anonymous)
         VALUES ($1, 'initial', $2, 'vi', $3, $4, $5, true)`,
        [id, c.channel, `Tôi là ${CANARY[0]}`, `Liên hệ ${CANARY.join(', ')}.`, c.created],
      );
    };
    // This week: five cases; last week: two, closed.
    await add({
      status: 'answered',
      topic: 'hoi_dap',
      channel: 'web',
      created: '2025-03-03T02:00Z',
      due: '2025-03-05T16:59Z',
      responded: '2025-03-04T02:00Z',
      resolutionDue: '2025-03-14T16:59Z',
    });
    await add({
      status: 'in_progress',
      topic: 'hoi_dap',
      channel: 'web',
      created: '2025-03-04T02:00Z',
      due: '2025-03-06T16:59Z',
      responded: '2025-03-07T02:00Z',
      resolutionDue: '2025-03-20T16:59Z',
    });
    await add({
      status: 'assigned',
      topic: 'khac',
      channel: 'web',
      created: '2025-03-05T02:00Z',
      due: '2025-03-07T16:59Z',
      resolutionDue: '2025-03-20T16:59Z',
    });
    await add({
      status: 'triaged',
      topic: 'phan_anh_kien_nghi',
      channel: 'email',
      created: '2025-03-06T02:00Z',
      due: '2025-03-12T16:59Z',
      resolutionDue: '2025-03-25T16:59Z',
    });
    await add({
      status: 'closed',
      topic: 'khac',
      channel: 'phone',
      created: '2025-03-06T05:00Z',
      due: '2025-03-07T16:59Z',
      responded: '2025-03-07T05:00Z',
      resolutionDue: '2025-03-08T16:59Z',
      closed: '2025-03-07T05:00Z',
    });
    for (const day of ['2025-02-25T02:00Z', '2025-02-26T02:00Z'])
      await add({
        status: 'closed',
        topic: 'khac',
        channel: 'web',
        created: day,
        due: '2025-02-28T16:59Z',
        responded: '2025-02-26T08:00Z',
        resolutionDue: '2025-03-10T16:59Z',
        closed: '2025-02-26T09:00Z',
      });
  });

  afterAll(async () => {
    await second.stop();
    await gopy.stop();
    await smtp.stop();
  });

  it('is built exactly once per week, however many schedulers run, and rebuilt as a new version', async () => {
    const services = [gopy.worker, second.worker].map((w) => w?.get(DigestService) as DigestService);
    const built = await Promise.all([...services, ...services].map((s) => s.buildOnce('2025-W10', 'schedule')));
    expect(built.filter(Boolean)).toHaveLength(1);
    const again = await services[1].rebuild('2025-W10', 'admin');
    expect(again.version).toBe(2);
    const { rows } = await gopy.db.query(`SELECT version FROM digests WHERE iso_week = '2025-W10' ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('lets an admin rebuild a week from the desk, audited, and keeps every version readable', async () => {
    const admin = await StaffSession.login(gopy, fx.emails.admin);
    const before = (await gopy.db.query(`SELECT max(version)::int AS v FROM digests WHERE iso_week = '2025-W10'`))
      .rows[0].v as number;
    expect((await admin.post('/ban-lam-viec/tong-hop/2025-W10/lam-lai')).statusCode).toBe(303);
    const { rows: audit } = await gopy.db.query(
      `SELECT detail FROM audit_log WHERE action = 'digest.rebuilt' ORDER BY occurred_at DESC LIMIT 1`,
    );
    expect(audit[0].detail).toEqual({ week: '2025-W10', version: before + 1 });
    const newest = await admin.get('/ban-lam-viec/tong-hop/2025-W10');
    expect(newest.body).toContain(`bản ${before + 1}`);
    expect(newest.body).toContain('href="/ban-lam-viec/tong-hop/2025-W10?ban=1"');
    const first = await admin.get('/ban-lam-viec/tong-hop/2025-W10?ban=1');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('bản 1,');
    expect((await admin.get('/ban-lam-viec/tong-hop/2025-W10?ban=99')).statusCode).toBe(404);
    expect((await admin.get('/ban-lam-viec/tong-hop/2025-W10?ban=x')).statusCode).toBe(404);
  });

  it('gives exactly the figures of the seeded week', async () => {
    const digest = await (gopy.worker?.get(DigestService) as DigestService).latest('2025-W10');
    const d = digest!.data;
    expect(d.received).toMatchObject({ total: 5, previous: 2 });
    expect(d.received.byChannel).toEqual([
      { key: 'web', week: 3, previous: 2 },
      { key: 'email', week: 1, previous: 0 },
      { key: 'phone', week: 1, previous: 0 },
    ]);
    expect(d.trend).toEqual([
      { week: '2025-W09', received: 2 },
      { week: '2025-W10', received: 5 },
    ]);
    expect(d.backlog.open).toBe(4);
    expect(d.deadlines).toEqual({ firstResponseDue: 4, firstResponseOnTime: 2, resolutionDue: 1, resolutionOnTime: 1 });
    expect(d.durations.firstResponseHours).toEqual({ median: 24, p90: 62.4, cases: 3 });
    expect(d.durations.resolutionHours).toEqual({ median: 24, p90: 24, cases: 1 });
    expect(d.units).toEqual([
      { code: fx.unitA, name: 'Chi bộ Phường Hòa Bình', received: 5, open: 4, overdue: 1, onTimeShare: 0.5 },
    ]);
    expect(d.overdue).toHaveLength(1);
    expect(d.overdue[0]).toMatchObject({ topic: 'khac', unit: fx.unitA, daysOverdue: 2 });
  });

  it('shows the digest to the committee with charts and links to the cases, and never a submitter’s words', async () => {
    const committee = await StaffSession.login(gopy, fx.emails.committee);
    const page = await committee.get('/ban-lam-viec/tong-hop/2025-W10');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tổng hợp tuần 2025-W10');
    expect(page.body).toContain('<svg');
    expect(page.body).toContain(`/ban-lam-viec?view=all&amp;unit=${fx.unitA}&amp;overdue=1`);
    // The unit's change from last week (5 against 2) sits in its row.
    const unitRow = page.body.match(
      new RegExp(`<tr[^>]*><th scope="row"><a href="[^"]*unit=${fx.unitA}"[\\s\\S]*?</tr>`),
    );
    expect(unitRow?.[0]).toContain('<td>+150 %</td>');
    const csv = await committee.get('/ban-lam-viec/tong-hop/2025-W10/bang.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`${fx.unitA},Chi bộ Phường Hòa Bình,5,4,1,0.5`);
    const xlsx = await gopy.inject({
      method: 'GET',
      url: '/ban-lam-viec/tong-hop/2025-W10/bang.xlsx',
      headers: { cookie: committee.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString('ascii')).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    // exceljs types its input as an ArrayBuffer-like `Buffer` of its own.
    await workbook.xlsx.load(new Uint8Array(xlsx.rawPayload).buffer);
    // Every cell's value, as JSON (a cell may hold rich text or a formula object).
    const cells = workbook.worksheets.map((ws) =>
      ws.getSheetValues().map((row) => (Array.isArray(row) ? row.map((v) => JSON.stringify(v ?? '')).join(' | ') : '')),
    );
    const overdueSheet = workbook.getWorksheet('Quá hạn');
    expect(overdueSheet?.getRow(2).values).toEqual([undefined, fx.unitA, 'Khác', 2]);
    const workbookText = cells.flat().join('\n');
    const pdf = await gopy.inject({
      method: 'GET',
      url: '/ban-lam-viec/tong-hop/2025-W10/tong-hop.pdf',
      headers: { cookie: committee.cookie },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('ascii')).toBe('%PDF-');
    // Read as a person would: the text poppler extracts, and page 1 as a picture.
    const dir = await mkdtemp(join(tmpdir(), 'gopy-digest-pdf-'));
    await writeFile(join(dir, 'digest.pdf'), pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'digest.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Tổng hợp tuần 2025-W10');
    expect(text).toContain('Chi bộ Phường Hòa Bình');
    // Every part of the digest is in the PDF: deadlines, hot issues (with the redacted excerpt), spikes.
    const d = (await (gopy.worker?.get(DigestService) as DigestService).latest('2025-W10'))!.data;
    const flat = (value: string) => value.replace(/\s+/g, ' ');
    expect(d.hotIssues).toHaveLength(1);
    for (const part of [
      'Trả lời lần đầu đúng hạn 50 % (2/4)',
      'Thời gian đến lần trả lời đầu trung vị 24 giờ, 90 % trong 62.4 giờ',
      'Vấn đề nổi lên',
      '5 người cùng phản ánh (tuần trước: 2)',
      flat(d.hotIssues[0].excerpt),
      'Tăng đột biến',
    ])
      expect(flat(text)).toContain(part);
    for (const canary of CANARY) expect(text).not.toContain(canary);
    await mkdir(SCREENSHOTS, { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      join(dir, 'digest.pdf'),
      join(SCREENSHOTS, 'digest-pdf'),
    ]);
    // A tracking code opens a case's public page: none in a file that leaves the desk.
    const codes = (await gopy.db.query(`SELECT tracking_code FROM cases`)).rows.map((r) => r.tracking_code as string);
    expect(codes.length).toBeGreaterThanOrEqual(7);
    for (const exported of [text.replace(/\s+/g, ''), workbookText, csv.body])
      for (const c of codes) {
        expect(exported).not.toContain(c);
        expect(exported).not.toContain(`${c.slice(0, 5)}-${c.slice(5, 10)}-${c.slice(10)}`);
      }
    const stored = await gopy.db.query(`SELECT data::text AS data FROM digests WHERE iso_week = '2025-W10'`);
    for (const text of [page.body, csv.body, workbookText, ...stored.rows.map((r) => r.data as string)]) {
      for (const canary of CANARY) expect(text).not.toContain(canary);
      expect(text.replace(/<[^>]+>/g, ' ').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '')).not.toMatch(FRAGMENTS);
    }
    const collaborator = await StaffSession.login(gopy, fx.emails.collabA1);
    expect((await collaborator.get('/ban-lam-viec/tong-hop/2025-W10')).statusCode).toBe(403);
    expect((await committee.get('/ban-lam-viec/tong-hop/2025-W99')).statusCode).toBe(404);
    expect((await committee.post('/ban-lam-viec/tong-hop/2025-W10/lam-lai')).statusCode).toBe(403);
  });

  it('links each “this week” figure to exactly the cases received that week', async () => {
    const committee = await StaffSession.login(gopy, fx.emails.committee);
    const page = await committee.get('/ban-lam-viec/tong-hop/2025-W10');
    const link = (query: string) => {
      const found = page.body.match(new RegExp(`href="(/ban-lam-viec\\?view=all&amp;${query}[^"]*)"`));
      expect(found).not.toBeNull();
      return found![1].replace(/&amp;/g, '&');
    };
    const cases = async (url: string) => {
      const list = await committee.get(url);
      expect(list.statusCode).toBe(200);
      return (list.body.match(/href="\/ban-lam-viec\/ho-so\/[0-9a-f-]{36}"/g) ?? []).length;
    };
    // Web: three this week, two the week before (which an undated link would list too).
    const web = link('channel=web');
    expect(web).toBe('/ban-lam-viec?view=all&channel=web&from=2025-03-03&to=2025-03-09');
    expect(await cases(web)).toBe(3);
    expect(await cases('/ban-lam-viec?view=all&channel=web')).toBeGreaterThanOrEqual(5);
    expect(await cases(link('channel=email'))).toBe(1);
    expect(await cases(link('topic=khac'))).toBe(2);
    expect(await cases(link(`unit=${fx.unitA}&amp;from=`))).toBe(5);

    // A date typed wrong is said beside its field, in Vietnamese, and filters nothing.
    const wrong = await committee.get('/ban-lam-viec?view=all&channel=web&from=2025-02-30&to=2025-03-09');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Tiếp nhận từ ngày không phải ngày hợp lệ, ví dụ: 2025-03-03.');
    expect(wrong.body).toMatch(/id="field-from" name="from" value="2025-02-30" aria-invalid="true"/);
    const backwards = await committee.get('/ban-lam-viec?view=all&from=2025-03-09&to=2025-03-03');
    expect(backwards.body).toContain('Đến ngày phải sau hoặc bằng ngày bắt đầu.');
    const api = await gopy.inject({
      method: 'GET',
      url: '/api/v1/desk/cases?from=yesterday',
      headers: { cookie: committee.cookie },
    });
    expect(api.statusCode).toBe(422);
  });

  it('mails the committee once, with the charts as PNG images and their values in alt text', async () => {
    const digest = await (gopy.worker?.get(DigestService) as DigestService).latest('2025-W10');
    const mailer = gopy.worker?.get(DigestMailer) as DigestMailer;
    await mailer.send(digest!);
    await mailer.send(digest!);
    const mail = await waitFor(() => smtp.to(fx.emails.committee)[0], 15_000, 'digest mail');
    expect(mail.parsed.subject).toBe('Tổng hợp tuần 2025-W10');
    const images = mail.parsed.attachments.filter((a) => a.contentType === 'image/png');
    expect(images).toHaveLength(3);
    for (const image of images) {
      expect(image.content.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(mail.raw).toContain(`cid:${image.cid}`);
    }
    expect(mail.parsed.html).toContain('alt="Theo kênh: Trang web 3; Email 1; Điện thoại 1"');
    // Hot issues, spikes, overdue count and deadline figures, in the HTML and the text part.
    const hot = digest!.data.hotIssues[0];
    for (const part of [
      'Vấn đề nổi lên',
      '5 người cùng phản ánh (tuần trước: 2)',
      hot.excerpt,
      'Tăng đột biến',
      'Hồ sơ quá hạn: 1',
      'Trả lời lần đầu đúng hạn: 50 % (2/4)',
      'Giải quyết đúng hạn: 100 % (1/1)',
    ])
      expect(mail.parsed.text).toContain(part);
    expect(mail.parsed.html).toContain('<h2 style="font-size:18px">Vấn đề nổi lên</h2>');
    expect(mail.parsed.html).toContain(`${hot.excerpt}</blockquote>`);
    for (const canary of CANARY) expect(mail.raw).not.toContain(canary);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.to(fx.emails.committee).filter((m) => m.parsed.subject === 'Tổng hợp tuần 2025-W10')).toHaveLength(1);
  });

  it('mails a week built but never mailed at the next run, once to each committee member', async () => {
    const processor = gopy.worker?.get(DigestProcessor) as DigestProcessor;
    const producer = gopy.worker?.get(QueueProducer) as QueueProducer;
    // A Wednesday of 2025-W12: the last complete week is 2025-W11.
    const now = new Date('2025-03-19T03:00:00Z');
    const subject = 'Tổng hợp tuần 2025-W11';
    const members = (
      await gopy.db.query(`SELECT email FROM staff_users WHERE active AND 'committee' = ANY (roles) ORDER BY email`)
    ).rows.map((r) => r.email as string);
    expect(members.length).toBeGreaterThan(0);

    // Built, mails stored, then Redis fails before they are queued: the run fails, the week stays unmailed.
    const down = jest.spyOn(producer, 'addBulk').mockRejectedValueOnce(new Error('Redis is down'));
    await expect(processor.run(now, 'schedule')).rejects.toThrow('Redis is down');
    expect(down).toHaveBeenCalledTimes(1);
    down.mockRestore();
    const week = async () =>
      (await gopy.db.query(`SELECT version, mailed_at FROM digests WHERE iso_week = '2025-W11'`)).rows;
    expect(await week()).toEqual([{ version: 1, mailed_at: null }]);

    // The next run (a start-up catch-up) builds nothing and mails it; the one after leaves it alone.
    expect(await processor.run(now, 'catch-up')).toBe('2025-W11');
    expect(await processor.run(now, 'catch-up')).toBeNull();
    const rows = await week();
    expect(rows).toHaveLength(1);
    expect(rows[0].mailed_at).not.toBeNull();
    const received = (email: string) => smtp.to(email).filter((m) => m.parsed.subject === subject);
    for (const email of members) await waitFor(() => received(email)[0], 15_000, `digest mail to ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const email of members) expect(received(email)).toHaveLength(1);
  });

  it('finds the week’s hot issue without a word of personal data, and answers all its cases at once', async () => {
    const digest = await (gopy.worker?.get(DigestService) as DigestService).latest('2025-W10');
    const hot = digest!.data.hotIssues;
    expect(hot).toHaveLength(1);
    expect(hot[0]).toMatchObject({ size: 5, submitters: 5, units: [fx.unitA], previousWeek: 2 });
    for (const canary of CANARY) expect(hot[0].excerpt).not.toContain(canary);
    expect(JSON.stringify(hot)).not.toMatch(FRAGMENTS);
    const lead = await StaffSession.login(gopy, fx.emails.leadA);
    const responses = async () =>
      (await gopy.db.query(`SELECT count(*)::int AS n FROM case_responses WHERE case_id = ANY ($1)`, [hot[0].caseIds]))
        .rows[0].n as number;
    const issue = await lead.get('/ban-lam-viec/tong-hop/2025-W10/nong/0');
    expect(issue.statusCode).toBe(200);
    expect(issue.body).not.toMatch(FRAGMENTS);

    // Too short: a field error in Vietnamese, the text kept, nothing stored.
    const short = await lead.post('/ban-lam-viec/tong-hop/2025-W10/nong/0/tra-loi', { response: 'Đã nhận.' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('aria-invalid="true"');
    expect(short.body).toContain('>Đã nhận.</textarea>');
    const { rows: none } = await gopy.db.query(`SELECT count(*)::int AS n FROM cluster_answers`);
    expect(none[0].n).toBe(0);

    // A draft is reviewed first: it shows who will receive it and sends nothing.
    const drafted = await lead.post('/ban-lam-viec/tong-hop/2025-W10/nong/0/tra-loi', {
      response: 'Phường đã nhận được các phản ánh và sẽ trả lời chung trong tuần tới.',
    });
    expect(drafted.statusCode).toBe(303);
    const review = String(drafted.headers.location);
    const page = await lead.get(review);
    expect(page.body).toContain('Xem lại trước khi gửi');
    // Answerable: the answered, in-progress and assigned cases; the triaged and closed ones are skipped.
    expect(page.body).toContain('sẽ đến 3 hồ sơ');
    expect(page.body.match(/bỏ qua: chưa thể trả lời ở trạng thái này/g)).toHaveLength(2);
    expect(await responses()).toBe(0);

    const sent = await lead.post(`${review}/gui`);
    expect(sent.statusCode).toBe(303);
    expect((await lead.get(String(sent.headers.location))).body).toContain('Đã gửi cho 3 hồ sơ; bỏ qua 2.');
    expect(await responses()).toBe(3);
    // Sent is sent: again changes nothing.
    expect((await lead.post(`${review}/gui`)).statusCode).toBe(409);
    expect(await responses()).toBe(3);
  });

  it('reads well in Chromium: charts drawn, every figure linked, no script or CSP errors', async () => {
    const committee = await StaffSession.login(gopy, fx.emails.committee);
    const session = await openBrowser({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
    try {
      await session.context.addCookies([
        { name: 'gopy_session', value: committee.cookie.split('=')[1], url: gopy.baseUrl },
      ]);
      const page = session.page;
      await page.goto(`${gopy.baseUrl}/ban-lam-viec/tong-hop/2025-W10`);
      await page.waitForSelector('figure.chart svg rect');
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      expect(await page.locator('figure.chart svg[role="img"]').count()).toBeGreaterThanOrEqual(3);
      expect(await page.getByRole('link', { name: 'Tải bảng (XLSX)' }).count()).toBe(1);
      await screenshot(page, 'digest-page');
      expect(session.problems()).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
