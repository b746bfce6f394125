import { DeskService } from '@gopy/desk';
import { DigestService } from '@gopy/digest';
import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, StaffSession, createDeskFixture, submitOpinion } from './utils/desk-fixture';
import { openBrowser, screenshot } from './utils/browser';
import { SmtpCapture } from './utils/smtp-capture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

// A week long past (2024-W20) holds only this suite's cases, so its hot issue is exactly them.
const WEEK = '2024-W20';
const IN_WEEK = '2024-05-14T03:00:00Z';
const ANSWER = 'Ủy ban phường đã làm việc với công ty điện lực; đèn đường tổ 5 sẽ được thay trong tuần này.';

describe('one answer for a hot issue', () => {
  let gopy: GopyHarness;
  let fx: DeskFixture;
  const smtp = new SmtpCapture();
  const cases: { caseId: string; email?: string; channel: string }[] = [];
  let base: string;

  beforeAll(async () => {
    await smtp.start();
    gopy = new GopyHarness(testConfig({ SMTP_URL: smtp.url }));
    await gopy.startApi(true);
    await gopy.startWorker();
    fx = await createDeskFixture(gopy);
    // Six people write about the same broken street lights: four on the web (three leave an
    // address), one by phone, one by letter.
    const texts = [
      'Đèn đường ở tổ 5 bị hỏng cả tuần nay, buổi tối đi lại rất tối và nguy hiểm.',
      'Đèn đường tổ 5 hỏng nhiều ngày, đề nghị phường cho thay đèn đường sớm.',
      'Khu tổ 5 mất đèn đường từ tuần trước, trẻ em đi học về tối rất nguy hiểm.',
      'Đề nghị sửa đèn đường tổ 5, đã hỏng hơn một tuần mà chưa ai sửa.',
      'Người dân gọi điện báo đèn đường tổ 5 bị hỏng, đường tối không an toàn.',
      'Thư phản ánh đèn đường ở tổ 5 hỏng lâu ngày, xin phường thay đèn đường.',
    ];
    const channels = ['web', 'web', 'web', 'web', 'phone', 'letter'];
    for (const [i, body] of texts.entries()) {
      const email = i < 3 ? `dan.${i}.${fx.run.toLowerCase()}@example.vn` : undefined;
      const { caseId } = await submitOpinion(gopy, { unitCode: fx.unitA, email, subject: 'Đèn đường tổ 5', body });
      cases.push({ caseId, email, channel: channels[i] });
    }
    // Routed and assigned by the worker, then moved into the past week with their channel.
    await waitFor(
      async () => {
        const { rows } = await gopy.db.query(
          `SELECT count(*)::int AS n FROM cases WHERE id = ANY ($1) AND status = 'assigned'`,
          [cases.map((c) => c.caseId)],
        );
        return rows[0].n === cases.length;
      },
      20_000,
      'routing',
    );
    for (const c of cases) {
      await gopy.db.query(`UPDATE cases SET created_at = $2, channel = $3 WHERE id = $1`, [
        c.caseId,
        IN_WEEK,
        c.channel,
      ]);
      await gopy.db.query(`UPDATE submissions SET received_at = $2 WHERE case_id = $1`, [c.caseId, IN_WEEK]);
    }
    const digest = await (gopy.worker?.get(DigestService) as DigestService).rebuild(WEEK, 'test');
    expect(digest.data.hotIssues).toHaveLength(1);
    expect([...digest.data.hotIssues[0].caseIds].sort()).toEqual(cases.map((c) => c.caseId).sort());
    base = `/ban-lam-viec/tong-hop/${WEEK}/nong/0`;
  });

  afterAll(async () => {
    await gopy.stop();
    await smtp.stop();
  });

  const responsesPerCase = async () => {
    const { rows } = await gopy.db.query(
      `SELECT c.id, count(r.id)::int AS n, min(r.kind) AS kind FROM cases c LEFT JOIN case_responses r ON r.case_id = c.id
        WHERE c.id = ANY ($1) GROUP BY c.id`,
      [cases.map((c) => c.caseId)],
    );
    return new Map(rows.map((r) => [r.id as string, { n: r.n as number, kind: r.kind as string | null }]));
  };

  it('lets a collaborator reach only the cases assigned to them, and shows the others only as a count', async () => {
    const { rows } = await gopy.db.query(
      `SELECT count(*)::int AS n FROM cases c JOIN collaborators p ON p.id = c.assignee_id
        WHERE c.id = ANY ($1) AND p.key = $2`,
      [cases.map((c) => c.caseId), fx.a1],
    );
    const own = rows[0].n as number;
    const collaborator = await StaffSession.login(gopy, fx.emails.collabA1);
    const list = await collaborator.get('/ban-lam-viec/tong-hop/nong');
    expect(list.statusCode).toBe(303);
    const page = await collaborator.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/class="code"/g) ?? []).toHaveLength(own);
    if (own < cases.length) expect(page.body).toContain(`${cases.length - own} hồ sơ khác ngoài phạm vi của bạn`);
    const drafted = await collaborator.post(`${base}/tra-loi`, { response: ANSWER });
    expect(drafted.statusCode).toBe(303);
    const review = await collaborator.get(String(drafted.headers.location));
    expect(review.body.match(/>sẽ nhận</g) ?? []).toHaveLength(own);
    // The committee reads the issue but cannot answer it; another person cannot see the draft.
    const committee = await StaffSession.login(gopy, fx.emails.committee);
    expect((await committee.get(base)).body).not.toContain('name="response"');
    expect((await committee.post(`${base}/tra-loi`, { response: ANSWER })).statusCode).toBe(403);
    expect((await committee.get(String(drafted.headers.location))).statusCode).toBe(404);
    await collaborator.post(`${String(drafted.headers.location)}/huy`);
    expect((await collaborator.get(base)).body).not.toContain('bản nháp');
  });

  it('sends one answer to every case through its own channel, resumes an interrupted send, and tracks each delivery', async () => {
    const lead = await StaffSession.login(gopy, fx.emails.leadA);
    const drafted = await lead.post(`${base}/tra-loi`, { response: 'Ủy ban phường đã làm việc.' });
    const review = String(drafted.headers.location);
    // Reviewed and corrected before it goes out.
    expect((await lead.post(`${review}/sua`, { response: 'ngắn' })).statusCode).toBe(422);
    expect((await lead.post(`${review}/sua`, { response: ANSWER })).statusCode).toBe(303);
    const page = await lead.get(review);
    expect(page.body).toContain(`sẽ đến ${cases.length} hồ sơ`);
    expect(page.body).toContain('gọi lại (việc cho người phụ trách)');
    expect(page.body).toContain('thư in gửi bưu điện');
    expect([...(await responsesPerCase()).values()].every((r) => r.n === 0)).toBe(true);

    // The process dies after the third case.
    const desk = gopy.api?.get(DeskService) as DeskService;
    const respondIn = desk.respondIn.bind(desk);
    let calls = 0;
    const spy = jest.spyOn(desk, 'respondIn').mockImplementation(async (...args) => {
      if (++calls === 4) throw new Error('process killed');
      return respondIn(...args);
    });
    expect((await lead.post(`${review}/gui`)).statusCode).toBe(500);
    spy.mockRestore();
    expect([...(await responsesPerCase()).values()].filter((r) => r.n === 1)).toHaveLength(3);

    const resumed = await lead.post(`${review}/gui`);
    expect(resumed.statusCode).toBe(303);
    expect((await lead.get(String(resumed.headers.location))).body).toContain(
      `Đã gửi cho ${cases.length} hồ sơ; bỏ qua 0.`,
    );
    const responses = await responsesPerCase();
    for (const c of cases) {
      const kind = c.channel === 'phone' ? 'callback' : c.channel === 'letter' ? 'letter' : 'message';
      expect(responses.get(c.caseId)).toEqual({ n: 1, kind });
    }

    // Every submitter who gave an address gets the answer by mail; the page follows each delivery.
    for (const c of cases.filter((x) => x.email)) {
      const mail = await waitFor(
        () => smtp.to(c.email as string).find((m) => (m.parsed.text ?? '').includes('đèn đường tổ 5 sẽ được thay')),
        15_000,
        `answer to ${c.email}`,
      );
      expect(mail.parsed.text).toContain(ANSWER);
    }
    const tracked = await waitFor(
      async () => {
        const body = (await lead.get(review)).body;
        return (body.match(/email đã gửi/g) ?? []).length === 3 ? body : undefined;
      },
      15_000,
      'delivery shown as sent',
    );
    expect(tracked).toContain('chờ gọi lại');
    expect(tracked).toContain('chờ in và gửi bưu điện');
    expect(tracked.match(/trên trang tra cứu/g)).toHaveLength(4);
    // The issue page lists the answer with its counts.
    expect((await lead.get(base)).body).toContain(`đã gửi ${cases.length}, bỏ qua 0`);
  });

  it('reads well on a phone in Chromium: the issue, its cases and the draft form', async () => {
    const lead = await StaffSession.login(gopy, fx.emails.leadA);
    const session = await openBrowser();
    try {
      await session.context.addCookies([{ name: 'gopy_session', value: lead.cookie.split('=')[1], url: gopy.baseUrl }]);
      const page = session.page;
      await page.goto(`${gopy.baseUrl}${base}`);
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      expect(await page.locator('table.cases tbody tr').count()).toBe(cases.length);
      await page.getByLabel('Nội dung trả lời').fill(ANSWER);
      await page.getByRole('button', { name: 'Lưu nháp và xem lại' }).click();
      await page.waitForURL(/tra-loi\//);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Xem lại trước khi gửi');
      await screenshot(page, 'hot-issue-review');
      expect(session.problems()).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
