import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, StaffSession, createDeskFixture, submitOpinion } from './utils/desk-fixture';
import { SmtpCapture } from './utils/smtp-capture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

// The whole life of a case: submitted, routed within seconds, the assignee mailed, worked
// on the desk, answered by threaded email and on the tracking page, followed up, closed.
describe('the life of a case on the desk', () => {
  const smtp = new SmtpCapture();
  let gopy: GopyHarness;
  let fx: DeskFixture;

  beforeAll(async () => {
    await smtp.start();
    gopy = new GopyHarness(testConfig({ SMTP_URL: smtp.url }));
    await gopy.startApi();
    await gopy.startWorker();
    fx = await createDeskFixture(gopy);
  });

  afterAll(async () => {
    await gopy.stop();
    await smtp.stop();
  });

  async function caseRow(caseId: string) {
    const { rows } = await gopy.db.query(
      `SELECT c.status, c.assignee_id, p.key AS assignee_key, c.routing, c.first_response_due_at, c.first_responded_at
         FROM cases c LEFT JOIN collaborators p ON p.id = c.assignee_id WHERE c.id = $1`,
      [caseId],
    );
    return rows[0];
  }

  it('routes, notifies, answers by threaded mail and on the tracking page, reopens on follow-up, closes', async () => {
    const submitter = `dung.${fx.run.toLowerCase()}@example.vn`;
    const { trackingCode, caseId } = await submitOpinion(gopy, { unitCode: fx.unitA, email: submitter });
    const receipt = await waitFor(() => smtp.to(submitter)[0], 15_000, 'receipt');

    // Routed to one of unit A's two communicators, with the reasons stored.
    const routed = await waitFor(
      async () => {
        const row = await caseRow(caseId);
        return row.assignee_id ? row : undefined;
      },
      15_000,
      'routing',
    );
    expect(routed.status).toBe('assigned');
    expect([fx.a1, fx.a2]).toContain(routed.assignee_key);
    expect(routed.routing.unit).toMatchObject({ code: fx.unitA });
    expect(routed.routing.candidates).toHaveLength(2);
    expect(routed.first_response_due_at).not.toBeNull();
    const mine = routed.assignee_key === fx.a1 ? fx.emails.collabA1 : fx.emails.collabA2;
    const other = routed.assignee_key === fx.a1 ? fx.emails.collabA2 : fx.emails.collabA1;

    // The assignee's notice: the case, a link to the desk, never who wrote.
    const notice = await waitFor(() => smtp.to(`${routed.assignee_key.toLowerCase()}@example.vn`)[0], 15_000, 'notice');
    expect(notice.parsed.subject).toContain(trackingCode);
    expect(notice.parsed.text).toContain(`http://gopy.test/ban-lam-viec/ho-so/${caseId}`);
    expect(notice.raw).not.toContain(submitter);
    expect(notice.raw).not.toContain('Phạm Thị Dung');

    const collaborator = await StaffSession.login(gopy, mine);
    const list = await collaborator.get('/ban-lam-viec');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(trackingCode);
    const page = await collaborator.get(`/ban-lam-viec/ho-so/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Đoạn đường tổ 7');
    expect(page.body).toContain('Vì sao hồ sơ đến đây');
    expect(page.body).toContain('người gửi chọn đơn vị này');
    expect(page.body).toContain('Tuyên truyền viên');
    expect(page.body).not.toContain(submitter);
    expect(page.body).not.toContain('Phạm Thị Dung');
    // The colleague in the same unit does not see it at all.
    expect((await (await StaffSession.login(gopy, other)).get(`/ban-lam-viec/ho-so/${caseId}`)).statusCode).toBe(404);

    expect((await collaborator.post(`/ban-lam-viec/ho-so/${caseId}/nhan`)).statusCode).toBe(303);
    expect((await caseRow(caseId)).status).toBe('in_progress');

    // Bad input: a clear message beside the field, nothing stored.
    const short = await collaborator.post(`/ban-lam-viec/ho-so/${caseId}/tra-loi`, { response: 'Ok' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('cần ít nhất 10 ký tự');
    expect((await gopy.db.query(`SELECT 1 FROM case_responses WHERE case_id = $1`, [caseId])).rowCount).toBe(0);

    const answer = 'Ủy ban phường đã giao đội công trình vá các ổ gà trong tuần này. Cảm ơn bạn đã phản ánh.';
    expect((await collaborator.post(`/ban-lam-viec/ho-so/${caseId}/tra-loi`, { response: answer })).statusCode).toBe(
      303,
    );
    const answered = await caseRow(caseId);
    expect(answered.status).toBe('answered');
    expect(answered.first_responded_at).not.toBeNull();

    // On the tracking page at once, by email shortly: threaded under the receipt.
    const tracking = await gopy.inject({ method: 'GET', url: `/theo-doi/${trackingCode}` });
    expect(tracking.body).toContain('vá các ổ gà');
    const reply = await waitFor(() => smtp.to(submitter)[1], 15_000, 'answer mail');
    expect(reply.parsed.subject).toContain(trackingCode);
    expect(reply.parsed.text).toContain(answer);
    expect(reply.parsed.inReplyTo).toBe(receipt.parsed.messageId);
    expect(reply.parsed.references).toEqual(receipt.parsed.messageId);
    await waitFor(
      async () => (await collaborator.get(`/ban-lam-viec/ho-so/${caseId}`)).body.includes('Email: đã gửi'),
      15_000,
      'delivery status',
    );

    // A follow-up reopens the case and tells the assignee.
    const followUp = await gopy.inject({
      method: 'POST',
      url: `/api/v1/cases/${trackingCode}/follow-ups`,
      payload: { body: 'Đến nay đã vá được một nửa, đoạn gần trường học vẫn còn ổ gà lớn.' },
    });
    expect(followUp.statusCode).toBe(201);
    expect((await caseRow(caseId)).status).toBe('in_progress');
    await waitFor(
      () => smtp.to(`${routed.assignee_key.toLowerCase()}@example.vn`).length >= 2,
      15_000,
      'follow-up notice',
    );

    // The second answer continues the same thread.
    const second = 'Đoạn gần trường học sẽ được thảm lại trong tháng này, trước kỳ thi học kỳ.';
    expect((await collaborator.post(`/ban-lam-viec/ho-so/${caseId}/tra-loi`, { response: second })).statusCode).toBe(
      303,
    );
    const secondMail = await waitFor(() => smtp.to(submitter)[2], 15_000, 'second answer');
    expect(secondMail.parsed.inReplyTo).toBe(reply.parsed.messageId);
    expect(secondMail.parsed.references).toEqual([receipt.parsed.messageId, reply.parsed.messageId]);

    const closed = await collaborator.post(`/ban-lam-viec/ho-so/${caseId}/ket-thuc`, { outcome: 'Đã sửa xong đường.' });
    expect(closed.statusCode).toBe(303);
    expect((await caseRow(caseId)).status).toBe('closed');
    const view = await gopy.inject({ method: 'GET', url: `/api/v1/cases/${trackingCode}` });
    expect(view.json()).toMatchObject({ status: 'closed' });
    const audit = await gopy.db.query(
      `SELECT detail->>'to' AS status FROM audit_log WHERE case_id = $1 AND action = 'case.status_changed' ORDER BY id`,
      [caseId],
    );
    expect(audit.rows.map((r) => r.status)).toEqual(['in_progress', 'answered', 'answered', 'closed']);
  });

  it('re-routes a declined case to the colleague and never back to who declined', async () => {
    const { caseId } = await submitOpinion(gopy, { unitCode: fx.unitA });
    const first = await waitFor(async () => (await caseRow(caseId)).assignee_key ?? undefined, 15_000, 'routing');
    const who = first === fx.a1 ? fx.emails.collabA1 : fx.emails.collabA2;
    const session = await StaffSession.login(gopy, who);
    const refused = await session.post(`/ban-lam-viec/ho-so/${caseId}/tu-choi`, { reason: '' });
    expect(refused.statusCode).toBe(422);
    expect((await caseRow(caseId)).assignee_key).toBe(first);
    expect(
      (await session.post(`/ban-lam-viec/ho-so/${caseId}/tu-choi`, { reason: 'Tôi đang phụ trách việc khác' }))
        .statusCode,
    ).toBe(303);
    const next = await waitFor(async () => (await caseRow(caseId)).assignee_key ?? undefined, 15_000, 're-routing');
    expect(next).toBe(first === fx.a1 ? fx.a2 : fx.a1);
    const row = await caseRow(caseId);
    expect(row.routing.candidates.find((c: { why: string }) => c.why === 'declined this case')).toBeDefined();
  });

  it('merges a duplicate: the answer reaches both submitters and both tracking pages', async () => {
    const one = `mot.${fx.run.toLowerCase()}@example.vn`;
    const two = `hai.${fx.run.toLowerCase()}@example.vn`;
    const main = await submitOpinion(gopy, { unitCode: fx.unitA, email: one });
    const duplicate = await submitOpinion(gopy, { unitCode: fx.unitA, email: two });
    await waitFor(async () => (await caseRow(duplicate.caseId)).assignee_id ?? undefined, 15_000, 'routing');
    const lead = await StaffSession.login(gopy, fx.emails.leadA);
    const bad = await lead.post(`/ban-lam-viec/ho-so/${duplicate.caseId}/gop`, { target: 'ABCDE' });
    expect(bad.statusCode).toBe(422);
    expect(
      (await lead.post(`/ban-lam-viec/ho-so/${duplicate.caseId}/gop`, { target: main.trackingCode })).statusCode,
    ).toBe(303);
    expect((await caseRow(duplicate.caseId)).status).toBe('closed');
    const answer = 'Hai phản ánh cùng một đoạn đường đã được chuyển cho phường xử lý chung.';
    expect((await lead.post(`/ban-lam-viec/ho-so/${main.caseId}/tra-loi`, { response: answer })).statusCode).toBe(303);
    await waitFor(() => smtp.to(one).length >= 2 && smtp.to(two).length >= 2, 15_000, 'both answers');
    expect(smtp.to(two)[1].parsed.subject).toContain(duplicate.trackingCode);
    const page = await gopy.inject({ method: 'GET', url: `/theo-doi/${duplicate.trackingCode}` });
    expect(page.body).toContain('phường xử lý chung');
  });
});
