import { randomBytes, randomUUID } from 'node:crypto';
import { SlaSweeper } from '@gopy/desk';
import { DirectoryImportService } from '@gopy/directory';
import { RoutingService } from '@gopy/routing';
import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, StaffSession, createDeskFixture, submitOpinion } from './utils/desk-fixture';
import { SmtpCapture } from './utils/smtp-capture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

const TRACKING = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const code = () => Array.from(randomBytes(15), (b) => TRACKING[b % TRACKING.length]).join('');

describe('routing with two workers, re-routing, fallbacks and the SLA sweep', () => {
  const smtp = new SmtpCapture();
  let gopy: GopyHarness;
  let second: GopyHarness;
  let fx: DeskFixture;
  // Cases a test is done with: closed before the SLA sweep so it only sees its own.
  const finished: string[] = [];

  beforeAll(async () => {
    await smtp.start();
    const config = testConfig({ SMTP_URL: smtp.url });
    gopy = new GopyHarness(config);
    await gopy.startApi();
    await gopy.startWorker();
    // A second worker process's worth of routing: its own DataSource and connections.
    second = new GopyHarness(config);
    await second.startWorker();
    fx = await createDeskFixture(gopy);
  });

  afterAll(async () => {
    await second.stop();
    await gopy.stop();
    await smtp.stop();
  });

  /** A unit with `people` communicators of the given capacity, and `cases` waiting cases (no outbox). */
  async function backlog(people: number, cases: number, capacity = 100): Promise<{ unitId: string; ids: string[] }> {
    const unitCode = `R${randomUUID().slice(0, 8)}`;
    const { rows } = await gopy.db.query(
      `INSERT INTO units (code, name) VALUES ($1, 'Chi bộ thử định tuyến') RETURNING id`,
      [unitCode],
    );
    const unitId = rows[0].id as string;
    for (let i = 0; i < people; i++) {
      await gopy.db.query(
        `INSERT INTO collaborators (key, full_name, email, unit_id, role, topics, capacity)
         VALUES ($1, $2, $3, $4, 'tuyen_truyen_vien', '{hoi_dap,phan_anh_kien_nghi}', $5)`,
        [`${unitCode}-${i}`, `Người thứ ${i + 1}`, `${unitCode.toLowerCase()}-${i}@example.vn`, unitId, capacity],
      );
    }
    const ids: string[] = [];
    for (let i = 0; i < cases; i++) {
      const inserted = await gopy.db.query(
        `INSERT INTO cases (tracking_code, topic, unit_id, channel, subject) VALUES ($1, 'hoi_dap', $2, 'web', 'Câu hỏi') RETURNING id`,
        [code(), unitId],
      );
      ids.push(inserted.rows[0].id);
    }
    return { unitId, ids };
  }

  it('never assigns a case twice when two workers route one backlog across several pools, and spreads it evenly', async () => {
    // Three units, cases interleaved: every batch touches several pools, locked in one order.
    const pools = [await backlog(7, 0), await backlog(5, 0), await backlog(3, 0)];
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const inserted = await gopy.db.query(
        `INSERT INTO cases (tracking_code, topic, unit_id, channel, subject) VALUES ($1, 'hoi_dap', $2, 'web', 'Câu hỏi') RETURNING id`,
        [code(), pools[i % 3].unitId],
      );
      ids.push(inserted.rows[0].id);
    }
    finished.push(...ids);
    const routers = [gopy.worker, second.worker].map((w) => w?.get(RoutingService) as RoutingService);
    const drain = async (router: RoutingService) => {
      let total = 0;
      for (;;) {
        const done = await router.routeBacklog(25);
        total += done.filter((d) => ids.includes(d.caseId)).length;
        if (done.length === 0) return total;
      }
    };
    const [a, b] = await Promise.all(routers.map(drain));
    expect(a + b).toBe(300);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    const events = await gopy.db.query(
      `SELECT case_id, count(*)::int AS n FROM case_events WHERE type = 'routed' AND case_id = ANY ($1) GROUP BY case_id`,
      [ids],
    );
    expect(events.rows).toHaveLength(300);
    expect(events.rows.every((r) => r.n === 1)).toBe(true);
    for (const { unitId } of pools) {
      const loads = await gopy.db.query(
        `SELECT p.id, count(c.id)::int AS open FROM collaborators p LEFT JOIN cases c ON c.assignee_id = p.id
          WHERE p.unit_id = $1 GROUP BY p.id`,
        [unitId],
      );
      const open = loads.rows.map((r) => r.open as number);
      expect(open.reduce((x, y) => x + y, 0)).toBe(100);
      expect(Math.max(...open) - Math.min(...open)).toBeLessThanOrEqual(1);
    }
  });

  it('respects capacity, then falls back to the unit lead’s queue or the coordinators, explaining why', async () => {
    const { unitId, ids } = await backlog(2, 5, 2);
    finished.push(...ids);
    const router = gopy.worker?.get(RoutingService) as RoutingService;
    while ((await router.routeBacklog(50)).length > 0);
    const { rows } = await gopy.db.query(
      `SELECT status, assignee_id, routing FROM cases WHERE id = ANY ($1) ORDER BY created_at, id`,
      [ids],
    );
    expect(rows.filter((r) => r.assignee_id)).toHaveLength(4);
    const left = rows.find((r) => !r.assignee_id);
    expect(left.status).toBe('triaged');
    expect(left.routing.fallback).toBe('coordinators');
    expect(left.routing.candidates.map((c: { why: string }) => c.why)).toEqual([
      'at capacity (2/2)',
      'at capacity (2/2)',
    ]);
    void unitId;
  });

  it('takes back the open cases of a collaborator on leave or deactivated and routes them to others', async () => {
    const admin = await StaffSession.login(gopy, fx.emails.admin);
    const mine: string[] = [];
    for (let i = 0; i < 4; i++) mine.push((await submitOpinion(gopy, { unitCode: fx.unitA, topic: 'hoi_dap' })).caseId);
    const assignees = async () =>
      (
        await gopy.db.query(
          `SELECT p.key FROM cases c LEFT JOIN collaborators p ON p.id = c.assignee_id WHERE c.id = ANY ($1)`,
          [mine],
        )
      ).rows.map((r) => r.key as string | null);
    await waitFor(async () => (await assignees()).every(Boolean), 15_000, 'routing');
    expect(new Set(await assignees())).toEqual(new Set([fx.a1, fx.a2]));

    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const bad = await admin.post('/ban-lam-viec/quan-tri/cong-tac-vien', {
      collaboratorKey: fx.a1,
      startsOn: today,
      endsOn: '2020-01-01',
      change: 'leave',
    });
    expect(bad.statusCode).toBe(422);
    const leave = await admin.post('/ban-lam-viec/quan-tri/cong-tac-vien', {
      collaboratorKey: fx.a1,
      startsOn: today,
      endsOn: today,
      change: 'leave',
    });
    expect(leave.statusCode).toBe(303);
    await waitFor(async () => (await assignees()).every((k) => k === fx.a2), 15_000, 're-routing after leave');

    const off = await admin.post('/ban-lam-viec/quan-tri/cong-tac-vien', {
      collaboratorKey: fx.a2,
      change: 'deactivate',
    });
    expect(off.statusCode).toBe(303);
    await waitFor(
      async () => {
        const { rows } = await gopy.db.query(`SELECT status, assignee_id, routing FROM cases WHERE id = ANY ($1)`, [
          mine,
        ]);
        return rows.every(
          (r) => r.assignee_id === null && r.status === 'triaged' && r.routing.fallback === 'unit_lead',
        );
      },
      15_000,
      'fallback to the unit lead',
    );
    const audit = await gopy.db.query(
      `SELECT action FROM audit_log WHERE action IN ('collaborator.leave_added','collaborator.deactivated') AND actor LIKE 'staff:%' ORDER BY id DESC LIMIT 2`,
    );
    expect(audit.rows.map((r) => r.action).sort()).toEqual(['collaborator.deactivated', 'collaborator.leave_added']);
    const released = await gopy.db.query(
      `SELECT count(*)::int AS n FROM case_events WHERE type = 'released' AND case_id = ANY ($1)`,
      [mine],
    );
    // Two taken from the one on leave, then all four from the one deactivated.
    expect(released.rows[0].n).toBe(6);
  });

  it('reminds the assignee at the configured share and escalates to the unit lead at breach, once each', async () => {
    const { caseId, trackingCode } = await submitOpinion(gopy, { unitCode: fx.unitB, topic: 'hoi_dap' });
    const row = await waitFor(
      async () => {
        const { rows } = await gopy.db.query(
          `SELECT created_at, first_response_due_at, assignee_id FROM cases WHERE id = $1`,
          [caseId],
        );
        return rows[0]?.assignee_id ? rows[0] : undefined;
      },
      15_000,
      'routing',
    );
    await gopy.db.query(
      `INSERT INTO staff_users (email, full_name, password_hash, roles, unit_id)
      SELECT $1, 'Lãnh đạo B', 'x', '{unit_lead}', id FROM units WHERE code = $2`,
      [`lead-b.${fx.run.toLowerCase()}@example.vn`, fx.unitB],
    );
    await gopy.db.query(`UPDATE cases SET status = 'closed' WHERE id = ANY ($1)`, [finished]);
    const sweeper = gopy.worker?.get(SlaSweeper) as SlaSweeper;
    const start = new Date(row.created_at).getTime();
    const due = new Date(row.first_response_due_at).getTime();
    const at = (share: number) => new Date(start + (due - start) * share);

    // Other suites' cases share the database: judge this case by its own timeline.
    const marks = async () =>
      (
        await gopy.db.query(
          `SELECT type FROM case_events WHERE case_id = $1 AND type IN ('reminder_sent','escalated') ORDER BY id`,
          [caseId],
        )
      ).rows.map((r) => r.type as string);
    await sweeper.sweep(at(0.5));
    expect(await marks()).toEqual([]);
    await sweeper.sweep(at(0.8));
    expect(await marks()).toEqual(['reminder_sent']);
    await sweeper.sweep(at(0.85));
    expect(await marks()).toEqual(['reminder_sent']);
    const collaboratorMail = `${fx.b1.toLowerCase()}@example.vn`;
    await waitFor(
      () =>
        smtp
          .to(collaboratorMail)
          .find((m) => m.parsed.subject?.includes('Nhắc hạn') && m.parsed.subject.includes(trackingCode)),
      15_000,
      'reminder mail',
    );
    await sweeper.sweep(new Date(due + 60_000));
    await sweeper.sweep(new Date(due + 120_000));
    expect(await marks()).toEqual(['reminder_sent', 'escalated']);
    await waitFor(
      () => smtp.to(`lead-b.${fx.run.toLowerCase()}@example.vn`).find((m) => m.parsed.subject?.includes('Quá hạn')),
      15_000,
      'escalation mail',
    );
    const overdue = await (
      await StaffSession.login(gopy, fx.emails.admin)
    ).get(`/ban-lam-viec?view=all&overdue=1&unit=${fx.unitB}`);
    expect(overdue.body).not.toContain(trackingCode); // the real clock has not passed the deadline
  });

  it('re-routes the open cases of a collaborator an import deactivates', async () => {
    const { caseId } = await submitOpinion(gopy, { unitCode: fx.unitB, topic: 'khac' });
    await waitFor(
      async () => {
        const { rows } = await gopy.db.query(`SELECT assignee_id FROM cases WHERE id = $1`, [caseId]);
        return rows[0]?.assignee_id ?? undefined;
      },
      15_000,
      'routing',
    );
    const directory = gopy.api?.get(DirectoryImportService) as DirectoryImportService;
    const report = await directory.import(
      'collaborators',
      [
        {
          key: fx.b1,
          full_name: 'Lê Minh Châu',
          email: `${fx.b1.toLowerCase()}@example.vn`,
          unit: fx.unitB,
          role: 'tuyen_truyen_vien',
          topics: 'hoi_dap;khac',
          capacity: '10',
          active: 'khong',
        },
      ],
      new Set(['hoi_dap', 'khac']),
    );
    expect(report).toMatchObject({ updated: 1, errors: [] });
    expect(report.released).toBeGreaterThanOrEqual(1);
    await waitFor(
      async () => {
        const { rows } = await gopy.db.query(
          `SELECT routing FROM cases WHERE id = $1 AND routed_at IS NOT NULL AND assignee_id IS NULL`,
          [caseId],
        );
        return rows[0]?.routing.candidates.some((c: { why: string }) => c.why === 'inactive');
      },
      15_000,
      're-routing',
    );
  });
});
