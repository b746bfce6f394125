import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, StaffSession, createDeskFixture, submitOpinion } from './utils/desk-fixture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

type Who = 'admin' | 'committee' | 'coordinator' | 'leadA' | 'operatorA' | 'assignee' | 'colleague' | 'otherUnit';

// Each role against each kind of staff route: allowed, 403 (the role may not use the
// route at all) or 404 (the case is outside the person's scope, so it does not exist for them).
describe('roles and unit scope on every staff route', () => {
  let gopy: GopyHarness;
  let fx: DeskFixture;
  let caseId: string;
  let otherUnitCase: string;
  const sessions = {} as Record<Who, StaffSession>;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig());
    await gopy.startApi();
    await gopy.startWorker();
    fx = await createDeskFixture(gopy);
    caseId = (await submitOpinion(gopy, { unitCode: fx.unitA, email: `rbac.${fx.run.toLowerCase()}@example.vn` }))
      .caseId;
    otherUnitCase = (await submitOpinion(gopy, { unitCode: fx.unitB })).caseId;
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
    await waitFor(
      async () => {
        const { rows } = await gopy.db.query(`SELECT assignee_id FROM cases WHERE id = $1`, [otherUnitCase]);
        return rows[0]?.assignee_id ?? undefined;
      },
      15_000,
      'routing of the other unit',
    );
    const [assignee, colleague] =
      key === fx.a1 ? [fx.emails.collabA1, fx.emails.collabA2] : [fx.emails.collabA2, fx.emails.collabA1];
    const logins: Record<Who, string> = {
      admin: fx.emails.admin,
      committee: fx.emails.committee,
      coordinator: fx.emails.coordinator,
      leadA: fx.emails.leadA,
      operatorA: fx.emails.operatorA,
      assignee,
      colleague,
      otherUnit: fx.emails.collabB1,
    };
    for (const [who, email] of Object.entries(logins)) sessions[who as Who] = await StaffSession.login(gopy, email);
  });

  afterAll(() => gopy.stop());

  const everyone: Who[] = [
    'admin',
    'committee',
    'coordinator',
    'leadA',
    'operatorA',
    'assignee',
    'colleague',
    'otherUnit',
  ];

  function matrix(expected: Record<Who, number>) {
    return everyone.map((who) => [who, expected[who]] as const);
  }

  it.each(
    matrix({
      admin: 200,
      committee: 200,
      coordinator: 200,
      leadA: 200,
      operatorA: 200,
      assignee: 200,
      colleague: 404,
      otherUnit: 404,
    }),
  )('case page, %s: %i', async (who, status) => {
    expect((await sessions[who].get(`/ban-lam-viec/ho-so/${caseId}`)).statusCode).toBe(status);
    expect((await sessions[who].get(`/api/v1/desk/cases/${caseId}`, 'application/json')).statusCode).toBe(status);
  });

  it.each(
    matrix({
      admin: 200,
      committee: 200,
      coordinator: 200,
      leadA: 404,
      operatorA: 404,
      assignee: 404,
      colleague: 404,
      otherUnit: 200,
    }),
  )('another unit’s case, %s: %i', async (who, status) => {
    expect((await sessions[who].get(`/ban-lam-viec/ho-so/${otherUnitCase}`)).statusCode).toBe(status);
  });

  it.each(
    matrix({
      admin: 200,
      committee: 200,
      coordinator: 200,
      leadA: 200,
      operatorA: 200,
      assignee: 200,
      colleague: 200,
      otherUnit: 200,
    }),
  )('case list, %s: %i', async (who, status) => {
    const list = await sessions[who].get('/ban-lam-viec?view=all');
    expect(list.statusCode).toBe(status);
    const shows = list.body.includes(`/ban-lam-viec/ho-so/${caseId}`);
    expect(shows).toBe(!['colleague', 'otherUnit'].includes(who));
  });

  it.each(
    matrix({
      admin: 303,
      committee: 403,
      coordinator: 303,
      leadA: 303,
      operatorA: 303,
      assignee: 303,
      colleague: 404,
      otherUnit: 404,
    }),
  )('internal note, %s: %i', async (who, status) => {
    const reply = await sessions[who].post(`/ban-lam-viec/ho-so/${caseId}/ghi-chu`, { note: `Ghi chú của ${who}` });
    expect(reply.statusCode).toBe(status);
    const { rowCount } = await gopy.db.query(
      `SELECT 1 FROM case_events WHERE case_id = $1 AND type = 'note' AND data->>'body' = $2`,
      [caseId, `Ghi chú của ${who}`],
    );
    expect(rowCount).toBe(status === 303 ? 1 : 0);
  });

  it.each(
    matrix({
      admin: 403,
      committee: 403,
      coordinator: 200,
      leadA: 200,
      operatorA: 200,
      assignee: 403,
      colleague: 403,
      otherUnit: 403,
    }),
  )('reveal the submitter’s contact, %s: %i (audited when allowed)', async (who, status) => {
    const before = await gopy.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND action = 'case.contact_revealed'`,
      [caseId],
    );
    const reply = await sessions[who].post(`/ban-lam-viec/ho-so/${caseId}/lien-he`);
    expect(reply.statusCode).toBe(status);
    expect(reply.body.includes(`rbac.${fx.run.toLowerCase()}@example.vn`)).toBe(status === 200);
    const after = await gopy.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND action = 'case.contact_revealed'`,
      [caseId],
    );
    expect(after.rows[0].n - before.rows[0].n).toBe(status === 200 ? 1 : 0);
  });

  it.each(
    matrix({
      admin: 200,
      committee: 403,
      coordinator: 403,
      leadA: 403,
      operatorA: 403,
      assignee: 403,
      colleague: 403,
      otherUnit: 403,
    }),
  )('admin page, %s: %i', async (who, status) => {
    expect((await sessions[who].get('/ban-lam-viec/quan-tri')).statusCode).toBe(status);
  });

  it.each(
    matrix({
      admin: 422,
      committee: 403,
      coordinator: 403,
      leadA: 403,
      operatorA: 403,
      assignee: 403,
      colleague: 403,
      otherUnit: 403,
    }),
  )('create an account, %s: %i', async (who, status) => {
    expect((await sessions[who].post('/ban-lam-viec/quan-tri/tai-khoan', { email: 'x' })).statusCode).toBe(status);
  });

  it('refuses a state change without the session’s CSRF token, and changes nothing', async () => {
    const reply = await sessions.leadA.post(
      `/ban-lam-viec/ho-so/${caseId}/ghi-chu`,
      { note: 'Không có mã CSRF' },
      null,
    );
    expect(reply.statusCode).toBe(403);
    const forged = await sessions.leadA.post(
      `/ban-lam-viec/ho-so/${caseId}/ghi-chu`,
      { note: 'Mã sai' },
      'x'.repeat(32),
    );
    expect(forged.statusCode).toBe(403);
    const { rowCount } = await gopy.db.query(
      `SELECT 1 FROM case_events WHERE case_id = $1 AND data->>'body' IN ('Không có mã CSRF', 'Mã sai')`,
      [caseId],
    );
    expect(rowCount).toBe(0);
  });

  it('sends a visitor without a session to sign in (pages) or answers 401 (API)', async () => {
    const page = await gopy.inject({
      method: 'GET',
      url: `/ban-lam-viec/ho-so/${caseId}`,
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/dang-nhap?next=${encodeURIComponent(`/ban-lam-viec/ho-so/${caseId}`)}`);
    const api = await gopy.inject({ method: 'GET', url: '/api/v1/desk/cases' });
    expect(api.statusCode).toBe(401);
    const post = await gopy.inject({
      method: 'POST',
      url: `/ban-lam-viec/ho-so/${caseId}/ghi-chu`,
      headers: { accept: 'text/html' },
      payload: { note: 'x' },
    });
    expect(post.statusCode).toBe(303);
  });

  it('lets the committee read everything and change nothing', async () => {
    const page = await sessions.committee.get(`/ban-lam-viec/ho-so/${caseId}`);
    expect(page.body).not.toContain('/tra-loi');
    expect(page.body).not.toContain('/ket-thuc');
    for (const action of ['nhan', 'tra-loi', 'ket-thuc', 'mo-lai', 'gop', 'rac', 'phan-loai', 'phan-cong'])
      expect(
        (await sessions.committee.post(`/ban-lam-viec/ho-so/${caseId}/${action}`, { response: 'x'.repeat(20) }))
          .statusCode,
      ).toBe(403);
  });
});
