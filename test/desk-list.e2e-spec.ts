import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, StaffSession, createDeskFixture, submitOpinion } from './utils/desk-fixture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

const codesOn = (body: string) => [...body.matchAll(/class="code">([2-9A-Z-]{17})</g)].map((m) => m[1]);

describe('the desk lists: views, filters in the URL, search without diacritics, keyset pages', () => {
  let gopy: GopyHarness;
  let fx: DeskFixture;
  let lead: StaffSession;
  const codes: string[] = [];
  let roads: string;
  let otherRoads: string;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig());
    await gopy.startApi();
    await gopy.startWorker();
    fx = await createDeskFixture(gopy);
    for (let i = 0; i < 29; i++) {
      const topic = i % 2 === 0 ? 'hoi_dap' : 'khac';
      codes.push(
        (
          await submitOpinion(gopy, {
            unitCode: fx.unitA,
            topic,
            subject: `Câu hỏi số ${i + 1}`,
            body: `Nội dung câu hỏi thứ ${i + 1} về thủ tục hành chính ở phường.`,
          })
        ).trackingCode,
      );
    }
    roads = (
      await submitOpinion(gopy, {
        unitCode: fx.unitA,
        subject: 'Phản ánh hạ tầng',
        body: 'Đường sá xuống cấp, nhiều ổ gà trước cổng trường tiểu học.',
      })
    ).trackingCode;
    otherRoads = (
      await submitOpinion(gopy, {
        unitCode: fx.unitB,
        subject: 'Đường sá ở xã khác',
        body: 'Đường sá xã Tân Lập cũng xuống cấp nghiêm trọng.',
      })
    ).trackingCode;
    await waitFor(
      async () => {
        const { rows } = await gopy.db.query(
          `SELECT count(*)::int AS n FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.code IN ($1, $2) AND c.routed_at IS NOT NULL`,
          [fx.unitA, fx.unitB],
        );
        return rows[0].n === 31;
      },
      20_000,
      'routing',
    );
    lead = await StaffSession.login(gopy, fx.emails.leadA);
  });

  afterAll(() => gopy.stop());

  it('pages through the unit queue with a keyset cursor: every case once, newest activity first', async () => {
    const first = await lead.get('/ban-lam-viec?view=unit');
    expect(first.statusCode).toBe(200);
    const page1 = codesOn(first.body);
    expect(page1).toHaveLength(25);
    const next = first.body.match(/href="\/ban-lam-viec\?([^"]*after=[^"]+)" rel="next"/)?.[1];
    expect(next).toBeDefined();
    const second = await lead.get(`/ban-lam-viec?${(next as string).replace(/&amp;/g, '&')}`);
    const page2 = codesOn(second.body);
    expect(page2).toHaveLength(5);
    expect(second.body).not.toContain('rel="next"');
    expect(new Set([...page1, ...page2])).toEqual(new Set([...codes, roads]));
    // Tabs show open counts without opening a case.
    expect(first.body).toMatch(
      /Hàng đợi đơn vị <span class="count"[^>]*>30<span class="visually-hidden"> hồ sơ đang mở/,
    );
  });

  it('finds "đường sá" when searching "duong sa", within the person’s scope only', async () => {
    const found = await lead.get(`/ban-lam-viec?view=all&q=${encodeURIComponent('duong sa')}`);
    expect(codesOn(found.body)).toEqual([roads]);
    // The filter stays in the URL of the form and the links.
    expect(found.body).toContain('value="duong sa"');
    const byCode = await lead.get(`/ban-lam-viec?view=all&q=${roads}`);
    expect(codesOn(byCode.body)).toEqual([roads]);
    const coordinator = await StaffSession.login(gopy, fx.emails.coordinator);
    expect(codesOn((await coordinator.get(`/ban-lam-viec?view=all&q=${encodeURIComponent('ĐƯỜNG SÁ')}`)).body)).toEqual(
      expect.arrayContaining([roads, otherRoads]),
    );
  });

  it('filters by topic, status, channel and overdue, and ignores values it does not know', async () => {
    const hoiDap = codesOn((await lead.get('/ban-lam-viec?view=unit&topic=hoi_dap&channel=api')).body);
    expect(hoiDap).toHaveLength(15);
    // Two communicators of capacity 10: 20 cases assigned, the rest wait in the lead's queue.
    expect(codesOn((await lead.get('/ban-lam-viec?view=unit&status=assigned')).body)).toHaveLength(20);
    expect(codesOn((await lead.get('/ban-lam-viec?view=unassigned')).body)).toHaveLength(10);
    expect(codesOn((await lead.get('/ban-lam-viec?view=unit&channel=phone')).body)).toHaveLength(0);
    const overdueCode = codes[0].replace(/-/g, '');
    await gopy.db.query(`UPDATE cases SET first_response_due_at = now() - interval '1 day' WHERE tracking_code = $1`, [
      overdueCode,
    ]);
    const overdue = await lead.get('/ban-lam-viec?view=unit&overdue=1');
    expect(codesOn(overdue.body)).toEqual([codes[0]]);
    expect(overdue.body).toContain('Quá hạn');
    const junk = await lead.get('/ban-lam-viec?view=unit&status=%3Cscript%3E&channel=fax&after=garbage');
    expect(junk.statusCode).toBe(200);
    expect(codesOn(junk.body)).toHaveLength(25);
  });

  it('shows a collaborator only their own cases in every view', async () => {
    const collaborator = await StaffSession.login(gopy, fx.emails.collabA1);
    const mine = codesOn((await collaborator.get('/ban-lam-viec')).body);
    const all = codesOn((await collaborator.get('/ban-lam-viec?view=all')).body);
    expect(all).toEqual(mine);
    const { rows } = await gopy.db.query(
      `SELECT count(*)::int AS n FROM cases c JOIN collaborators p ON p.id = c.assignee_id WHERE p.key = $1`,
      [fx.a1],
    );
    expect(mine).toHaveLength(rows[0].n);
    expect(mine).toHaveLength(10);
  });
});
