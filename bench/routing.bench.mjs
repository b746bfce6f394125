#!/usr/bin/env node
// Routing benchmark: N received cases routed across the demo collaborators by gopy's
// RoutingService.routeBacklog (Nest application context + TypeORM, the built dist), then the
// same routing done by a bare SQL baseline (bench/routing-baseline.mjs: pg only, one
// statement per case). Prints cases/s and the load spread within each pool for both, and
// checks the targets (>= 500 cases/s, spread <= 1 within a pool). See docs/benchmarks.md.
//
//   npm run bench:routing                      build, then run with the defaults
//   node bench/routing.bench.mjs [options]     run against the existing dist
//
// Options (or the BENCH_* environment variable in brackets):
//   --cases N           cases to insert and route                     [BENCH_CASES]     10000
//   --batch N           routeBacklog(limit) per transaction           [BENCH_BATCH]       200
//   --capacity N|demo   capacity of every collaborator for the run (the demo directory's
//                       5/10/15 hold about half of 10,000 cases); `demo` keeps those
//                                                                     [BENCH_CAPACITY]    100
//   --no-unit S         share of cases the submitter sent without a unit [BENCH_NO_UNIT] 0.1
//   --rounds N          runs per side, the order alternates; medians  [BENCH_ROUNDS]        1
//   --dist PATH         use this build instead of dist/apps/gopy (no build), e.g. a copy
//                       with a patched routing.service.js, to try a change before making it
//                                                                     [BENCH_DIST]
//   --idle-wait S       before each run, wait up to S s for the machine to be >= 85 % idle
//                                                                     [BENCH_IDLE_WAIT]    30
//   --strict            exit 1 when a target is missed
//
// BENCH_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) says where
// PostgreSQL is; the database gopy_bench_routing is dropped, created and left in place.
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ADMIN_URL,
  CLK_TCK,
  databaseUrl,
  ensureBuilt,
  fail,
  fmt,
  gopyCli,
  log,
  machineTicks,
  median,
  postgresTicks,
  printTable,
  random,
  recreateEmptyDatabase,
  waitForIdle,
} from './lib.mjs';
import { createBaselineRouter } from './routing-baseline.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const TARGET_RATE = 500;
const TARGET_SPREAD = 1;

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: process.env.BENCH_CASES ?? '10000' },
    batch: { type: 'string', default: process.env.BENCH_BATCH ?? '200' },
    capacity: { type: 'string', default: process.env.BENCH_CAPACITY ?? '100' },
    'no-unit': { type: 'string', default: process.env.BENCH_NO_UNIT ?? '0.1' },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '1' },
    dist: { type: 'string', default: process.env.BENCH_DIST },
    'idle-wait': { type: 'string', default: process.env.BENCH_IDLE_WAIT ?? '30' },
    strict: { type: 'boolean', default: false },
  },
});
const CASES = Number(args.cases);
const BATCH = Number(args.batch);
const CAPACITY = args.capacity === 'demo' ? 'demo' : Number(args.capacity);
const NO_UNIT = Number(args['no-unit']);
const ROUNDS = Math.max(1, Number(args.rounds));
const IDLE_WAIT = Number(args['idle-wait']);
const DIST = args.dist ? resolve(args.dist) : join(ROOT, 'dist/apps/gopy');
const GOPY_ENTRY = join(DIST, 'apps/gopy/src/main.js');
if (!(CASES > 0 && BATCH > 0)) fail('--cases and --batch must be positive');
if (CAPACITY !== 'demo' && !(Number.isInteger(CAPACITY) && CAPACITY >= 0 && CAPACITY <= 500))
  fail('--capacity must be demo or 0..500 (the collaborators table allows at most 500)');
if (!(NO_UNIT >= 0 && NO_UNIT <= 1)) fail('--no-unit must be between 0 and 1');

const DB_NAME = 'gopy_bench_routing';
const DATABASE_URL = databaseUrl(DB_NAME);

// ---------------------------------------------------------------- build and database

const { Client } = require('pg');

// The gopy CLI reads a local .env for what the environment leaves unset; these win.
const CHILD_ENV = {
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL,
  LOG_LEVEL: 'warn',
  CONFIG_DIR: join(ROOT, 'config'),
};

async function recreateDatabase() {
  await recreateEmptyDatabase(DB_NAME, { adminUrl: ADMIN_URL });
  const cli = { root: ROOT, entry: GOPY_ENTRY, env: CHILD_ENV };
  gopyCli('migrate', cli);
  gopyCli('seed', cli); // 71 units, 585 collaborators, 8 demo cases through intake
  log(`database ${DB_NAME} recreated, migrated and seeded with the demo directory`);
}

// ---------------------------------------------------------------- cases

const SUBJECTS = [
  'Đề nghị công khai lịch tiếp dân của xã',
  'Hỏi về thủ tục xác nhận cư trú',
  'Góp ý dự thảo quy chế làm việc của chi bộ',
  'Người dân băn khoăn về việc sáp nhập thôn',
  'Biểu dương cán bộ tổ dân phố nhiệt tình',
  'Kiến nghị sửa chữa nhà văn hoá thôn',
  'Hỏi về chế độ cho người có công',
  'Phản ánh tình trạng lấn chiếm vỉa hè',
];
// Subjects of cases without a unit: some match a keyword rule of config/routing.yaml.
const RULE_SUBJECTS = [
  'Đường liên thôn có nhiều ổ gà nguy hiểm', // DV04
  'Rác thải tồn đọng ở cổng chợ', // DV18
  'Mất điện kéo dài nhiều giờ trong khu dân cư', // DV16
];
const BODIES = [
  'Kính gửi quý cơ quan. Chúng tôi là người dân trong khu phố, xin phản ánh việc này đã kéo dài nhiều tháng nay, ảnh hưởng tới sinh hoạt hằng ngày của bà con. Mong được xem xét, trả lời sớm để người dân yên tâm.',
  'Tôi xin hỏi: hồ sơ cần những giấy tờ gì, nộp ở đâu và bao lâu thì có kết quả? Trên cổng thông tin chưa thấy hướng dẫn cụ thể. Xin cảm ơn.',
  'Dự thảo nên quy định rõ thời hạn trả lời bằng văn bản, công khai kết quả giải quyết trên bảng tin của thôn, và tổ chức đối thoại định kỳ với người dân.',
  'Trong khu dân cư nhiều người bàn tán về việc này, có ý kiến lo lắng chưa được giải thích rõ. Đề nghị thông tin đầy đủ để ổn định tư tưởng.',
];
const PRIORITIES = [
  ['normal', 0.7],
  ['high', 0.15],
  ['urgent', 0.05],
  ['low', 0.1],
];

/**
 * Inserts `count` received cases, each with its initial submission, oldest first one second
 * apart. Most name one of the units (uniformly), a share `NO_UNIT` none; a third of those
 * have a subject one of the keyword rules matches, the rest go to the coordinators.
 */
async function insertCases(db, count, topicCodes) {
  const { rows: units } = await db.query(`SELECT id, code FROM units WHERE active ORDER BY code`);
  const next = random(20261122);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const cols = { code: [], topic: [], unit: [], priority: [], subject: [], body: [], age: [] };
  for (let i = 0; i < count; i++) {
    const withUnit = next() >= NO_UNIT;
    let roll = next();
    const priority = PRIORITIES.find(([, share]) => (roll -= share) < 0)?.[0] ?? 'normal';
    cols.code.push(`B${String(i).padStart(14, '0')}`);
    cols.topic.push(pick(topicCodes));
    cols.unit.push(withUnit ? pick(units).id : null);
    cols.priority.push(priority);
    cols.subject.push(!withUnit && next() < 1 / 3 ? pick(RULE_SUBJECTS) : pick(SUBJECTS));
    cols.body.push(pick(BODIES));
    cols.age.push(count - i);
  }
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO cases (tracking_code, status, topic, unit_id, priority, channel, subject, created_at, updated_at, last_activity_at)
     SELECT code, 'received', topic, unit, priority, 'web', subject, t, t, t
       FROM unnest($1::char(15)[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::int[])
            AS x(code, topic, unit, priority, subject, age),
            LATERAL (SELECT now() - make_interval(secs => age)) AS at(t)`,
    [cols.code, cols.topic, cols.unit, cols.priority, cols.subject, cols.age],
  );
  await db.query(
    `INSERT INTO submissions (case_id, kind, channel, language, subject, body, received_at, anonymous)
     SELECT c.id, 'initial', 'web', 'vi', c.subject, x.body, c.created_at, true
       FROM unnest($1::char(15)[], $2::text[]) AS x(code, body) JOIN cases c ON c.tracking_code = x.code`,
    [cols.code, cols.body],
  );
  await db.query('COMMIT');
}

/** What the cases looked like before routing, to put them back between runs. */
async function snapshotCases(db) {
  await db.query(`DROP TABLE IF EXISTS bench_case_start`);
  await db.query(
    `CREATE TABLE bench_case_start AS
       SELECT id, status, unit_id, first_response_due_at, resolution_due_at, updated_at, last_activity_at
         FROM cases WHERE routed_at IS NULL AND status IN ('received','triaged')`,
  );
}

/**
 * Back to the start: every case unrouted and unassigned with its original unit, nobody
 * assigned recently. case_events is append-only by trigger, so the events of earlier runs
 * stay (both sides append the same two rows per case). Then VACUUM (collaborators FULL: a
 * run leaves 10,000 dead versions there and the pool query reads the table by sequential
 * scan, so the second side would pay for the first one's bloat) and a checkpoint.
 *
 * Autovacuum is off on these tables for the bench, so nothing vacuums or re-analyses them
 * behind its back during a run; each reset analyses cases itself. Every run thus starts
 * with the same statistics (no case open) and, since the priming run, with indexes that
 * have held open cases: the open-case count then uses ix_cases_assignee_open on both sides
 * (printed per run). On a brand-new ix_cases_assignee_open (no case ever assigned) the
 * planner may choose ix_cases_sla_open instead and scan every open case for each person;
 * see docs/benchmarks.md.
 */
async function resetCases(db) {
  await db.query(
    `UPDATE cases c SET status = s.status, unit_id = s.unit_id, assignee_id = NULL, routing = NULL, routed_at = NULL,
            first_response_due_at = s.first_response_due_at, resolution_due_at = s.resolution_due_at,
            reminded_at = NULL, escalated_at = NULL, updated_at = s.updated_at, last_activity_at = s.last_activity_at
       FROM bench_case_start s WHERE s.id = c.id`,
  );
  await db.query(`UPDATE collaborators SET last_assigned_at = NULL WHERE last_assigned_at IS NOT NULL`);
  await db.query(`VACUUM (ANALYZE) cases`);
  await db.query(`VACUUM (FULL, ANALYZE) collaborators`);
  await db.query(`VACUUM case_events`);
  await db.query(`CHECKPOINT`);
}

/** Which index the pool query's open-case count uses right now (the plan decides the cost). */
async function openCountPlan(db) {
  const { rows } = await db.query(
    `EXPLAIN (FORMAT JSON) SELECT count(*)::int FROM cases o
      WHERE o.assignee_id = (SELECT id FROM collaborators ORDER BY key LIMIT 1) AND o.status IN ('assigned','in_progress')`,
  );
  const names = [];
  const walk = (node) => {
    if (node['Index Name']) names.push(node['Index Name']);
    if (node['Relation Name'] === 'cases' && node['Node Type'] === 'Seq Scan') names.push('seq scan');
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return names.filter((n) => n !== 'pk_collaborators' && n !== 'uq_collaborators_key').join('+') || '?';
}

// ---------------------------------------------------------------- figures

/**
 * The state after a run. A pool is the active collaborators not on leave of one unit and
 * role who cover the same topics (in the demo directory: one unit and role); the pools
 * counted are those that received cases. Spread: max - min open cases within the pool,
 * where someone at capacity counts only toward the max (they could take no more).
 */
async function outcome(db) {
  const { rows: counts } = await db.query(
    `SELECT count(*) FILTER (WHERE c.routed_at IS NOT NULL)::int AS routed,
            count(*) FILTER (WHERE c.routed_at IS NOT NULL AND c.assignee_id IS NOT NULL)::int AS assigned,
            count(*) FILTER (WHERE c.routed_at IS NOT NULL AND c.assignee_id IS NULL AND c.unit_id IS NULL)::int AS no_unit,
            count(*) FILTER (WHERE c.routed_at IS NOT NULL AND c.assignee_id IS NULL AND c.unit_id IS NOT NULL)::int AS nobody_eligible,
            count(*) FILTER (WHERE c.routed_at IS NULL)::int AS unrouted,
            avg(pg_column_size(c.routing))::int AS routing_bytes
       FROM cases c JOIN bench_case_start s ON s.id = c.id`,
  );
  const { rows: pools } = await db.query(
    `WITH load AS (
       SELECT p.unit_id, p.role, p.topics, p.capacity,
              (SELECT count(*)::int FROM cases o WHERE o.assignee_id = p.id AND o.status IN ('assigned','in_progress')) AS n
         FROM collaborators p
        WHERE p.active AND NOT EXISTS (SELECT 1 FROM collaborator_leaves l
                                        WHERE l.collaborator_id = p.id AND current_date BETWEEN l.starts_on AND l.ends_on))
     SELECT count(*)::int AS members, sum(n)::int AS cases,
            max(n) - coalesce(min(n) FILTER (WHERE n < capacity), max(n)) AS spread
       FROM load GROUP BY unit_id, role, topics HAVING sum(n) > 0`,
  );
  const spreads = pools.map((p) => p.spread);
  return {
    ...counts[0],
    fallback: counts[0].no_unit + counts[0].nobody_eligible,
    pools: pools.length,
    poolsOfTwoOrMore: pools.filter((p) => p.members > 1).length,
    worstSpread: spreads.length ? Math.max(...spreads) : 0,
    poolsOverTarget: spreads.filter((s) => s > TARGET_SPREAD).length,
    busiest: pools.length ? Math.max(...pools.map((p) => Math.ceil(p.cases / p.members))) : 0,
  };
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)

/** CPU ticks of this database's PostgreSQL processes (backends, autovacuum workers), by pid. */
const dbTicks = () => postgresTicks({ database: DB_NAME });

/** Ticks used since `start` by the processes alive now (one that exited meanwhile is missed). */
function postgresTicksSince(start) {
  let used = 0;
  for (const [pid, t] of dbTicks()) used += t - (start.get(pid) ?? 0);
  return used;
}

/**
 * Wall time, this process's CPU (Node: Nest + TypeORM + pg, or bare pg), this database's
 * PostgreSQL CPU, and "other": what the rest of the machine used meanwhile, as a share of
 * what the bench and PostgreSQL used (>= 10 % marks a noisy run).
 */
async function measure(work) {
  const pg0 = dbTicks();
  const machine0 = machineTicks();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const machine1 = machineTicks();
  const ms = (ticks) => (ticks * 1000) / CLK_TCK;
  const nodeMs = (cpu.user + cpu.system) / 1000;
  const postgresMs = ms(postgresTicksSince(pg0));
  const otherMs = Math.max(0, ms(machine1.busy - machine0.busy) - nodeMs - postgresMs);
  return { ...result, seconds, nodeMs, postgresMs, otherMs, noisy: otherMs >= 0.1 * (nodeMs + postgresMs) };
}

// ---------------------------------------------------------------- the two sides

async function gopyRouter() {
  require('reflect-metadata');
  const { Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { ConfigModule, loadConfig } = require(join(DIST, 'config/src/index.js'));
  const { DatabaseModule } = require(join(DIST, 'libs/database/src/index.js'));
  const { RoutingModule, RoutingService } = require(join(DIST, 'libs/routing/src/index.js'));
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL,
    LOG_LEVEL: 'warn',
    CONFIG_DIR: join(ROOT, 'config'),
  });
  class BenchModule {}
  Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, RoutingModule] })(BenchModule);
  const context = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const service = context.get(RoutingService);
  return {
    name: 'gopy (RoutingService)',
    async routeAll(max = Infinity) {
      let routed = 0;
      let batches = 0;
      while (routed < max) {
        const done = await service.routeBacklog(Math.min(BATCH, max - routed));
        if (done.length === 0) break;
        routed += done.length;
        batches++;
      }
      return { routedByRun: routed, batches };
    },
    close: () => context.close(),
  };
}

async function baselineRouter() {
  const router = await createBaselineRouter({ databaseUrl: DATABASE_URL, dist: DIST, configDir: join(ROOT, 'config') });
  return {
    name: 'baseline (pg, SQL)',
    async routeAll(max = Infinity) {
      let routed = 0;
      let batches = 0;
      while (routed < max) {
        const done = await router.routeBacklog(Math.min(BATCH, max - routed));
        if (done === 0) break;
        routed += done;
        batches++;
      }
      return { routedByRun: routed, batches };
    },
    close: () => router.close(),
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const started = performance.now();
  ensureBuilt({ root: ROOT, entry: GOPY_ENTRY, prebuilt: args.dist && DIST });
  await recreateDatabase();
  const { loadTopics } = require(join(DIST, 'config/src/index.js'));
  const topicCodes = loadTopics(join(ROOT, 'config')).map((t) => t.code);

  const db = new Client({ connectionString: DATABASE_URL, application_name: 'gopy-bench' });
  await db.connect();
  try {
    if (CAPACITY !== 'demo') await db.query(`UPDATE collaborators SET capacity = $1`, [CAPACITY]);
    const { rows: directory } = await db.query(
      `SELECT count(*)::int AS people, sum(capacity)::int AS capacity,
              sum(capacity) FILTER (WHERE role IN ('tuyen_truyen_vien','du_luan_xa_hoi'))::int AS routable_capacity
         FROM collaborators WHERE active`,
    );
    let t = performance.now();
    await insertCases(db, CASES, topicCodes);
    await snapshotCases(db);
    const { rows: total } = await db.query(`SELECT count(*)::int AS n FROM bench_case_start`);
    log(
      `${fmt(CASES)} cases inserted with their submissions (${((performance.now() - t) / 1000).toFixed(1)} s); ` +
        `${fmt(total[0].n)} to route${total[0].n > CASES ? ` (with ${fmt(total[0].n - CASES)} of the seed's demo cases)` : ''}; ` +
        `${directory[0].people} collaborators, capacity ` +
        `${CAPACITY === 'demo' ? 'as in the demo directory' : `${CAPACITY} each`} (${fmt(directory[0].capacity)} in all, ` +
        `${fmt(directory[0].routable_capacity)} in the roles routing.yaml uses)`,
    );

    // Nothing re-analyses or vacuums these tables behind the bench's back (see resetCases).
    for (const table of ['cases', 'collaborators'])
      await db.query(`ALTER TABLE ${table} SET (autovacuum_enabled = off)`);
    const sides = [await gopyRouter(), await baselineRouter()];
    const runs = new Map(sides.map((s) => [s.name, []]));

    // Priming, not measured: gopy routes the first 2,000 cases, the baseline the rest. It warms
    // both sides (JIT, connections, caches) and the indexes of cases (see resetCases).
    t = performance.now();
    await sides[0].routeAll(Math.min(2000, total[0].n));
    await sides[1].routeAll();
    log(`priming run done (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    let reference; // gopy's choices, to compare the baseline's with
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        await resetCases(db);
        const countPlan = await openCountPlan(db);
        // On a shared machine other work skews the figures; the run reports what else ran.
        await waitForIdle({ seconds: IDLE_WAIT });
        const run = await measure(() => side.routeAll());
        Object.assign(run, await outcome(db), { countPlan });
        if (side === sides[0] && !reference) {
          await db.query(`DROP TABLE IF EXISTS bench_routed_by_gopy`);
          await db.query(`CREATE TABLE bench_routed_by_gopy AS SELECT id, unit_id, assignee_id, status FROM cases`);
          reference = true;
        }
        if (side === sides[1] && reference) {
          const { rows } = await db.query(
            `SELECT count(*)::int AS n FROM cases c JOIN bench_routed_by_gopy g USING (id)
              WHERE c.assignee_id IS DISTINCT FROM g.assignee_id OR c.unit_id IS DISTINCT FROM g.unit_id
                 OR c.status IS DISTINCT FROM g.status`,
          );
          run.differFromGopy = rows[0].n;
        }
        run.rate = run.routed / run.seconds;
        runs.get(side.name).push(run);
        log(
          `${side.name}: ${fmt(run.routed)} cases in ${run.seconds.toFixed(2)} s = ${fmt(run.rate)} cases/s; ` +
            `worst spread ${run.worstSpread} over ${run.pools} pools; ${fmt(run.fallback)} to fallback queues; ` +
            `open cases counted with ${run.countPlan}` +
            (run.differFromGopy !== undefined
              ? `; ${fmt(run.differFromGopy)} cases routed differently from gopy`
              : '') +
            (run.noisy ? `; noisy (other work used ${fmt(run.otherMs)} ms of CPU meanwhile)` : ''),
        );
      }
    }
    for (const side of sides) await side.close();

    // ---------------------------------------------------------------- report
    // Medians over the clean runs when a side has some, else over all of them.
    const summary = sides.map((side) => {
      const all = runs.get(side.name);
      const list = all.some((r) => !r.noisy) ? all.filter((r) => !r.noisy) : all;
      const rate = median(list.map((r) => r.rate));
      const run = list.reduce((best, r) => (Math.abs(r.rate - rate) < Math.abs(best.rate - rate) ? r : best));
      // One routing worker and its PostgreSQL backend mostly take turns, so on an idle machine a
      // case takes about the CPU both spend on it: the steadiest figure on a busy machine.
      const cpuPerCase = median(list.map((r) => ((r.nodeMs + r.postgresMs) * 1000) / r.routed));
      return { name: side.name, rates: all.map((r) => `${fmt(r.rate)}${r.noisy ? '*' : ''}`), rate, run, cpuPerCase };
    });
    const [gopy, baseline] = summary;
    const rows = [
      [
        'implementation',
        'cases',
        'seconds',
        'cases/s',
        'worst spread',
        'pools',
        'fallback',
        'Node CPU/case',
        'PG CPU/case',
        'other CPU',
      ],
      ...summary.map(({ name, rate, run }) => [
        name,
        fmt(run.routed),
        run.seconds.toFixed(2),
        fmt(rate),
        String(run.worstSpread),
        String(run.pools),
        fmt(run.fallback),
        `${((run.nodeMs * 1000) / run.routed).toFixed(0)} µs`,
        `${((run.postgresMs * 1000) / run.routed).toFixed(0)} µs`,
        `${((100 * run.otherMs) / (run.nodeMs + run.postgresMs)).toFixed(0)} %${run.noisy ? '*' : ''}`,
      ]),
    ];
    console.log('');
    printTable(rows);
    console.log('');
    if (ROUNDS > 1)
      for (const s of summary)
        console.log(
          `${s.name}: runs ${s.rates.join(', ')} cases/s (the table shows the median run, of the clean ones if any)`,
        );
    if ([...runs.values()].flat().some((r) => r.noisy))
      console.log('* noisy: other work on the machine used >= 10 % of the CPU the bench and PostgreSQL used');
    const g = gopy.run;
    console.log(
      `routed: ${fmt(g.routed)}${g.routed > CASES ? ` (${fmt(CASES)} inserted, ${fmt(g.routed - CASES)} of the seed's demo cases)` : ''}, ` +
        `batches of ${BATCH}; ` +
        `assigned ${fmt(g.assigned)}; fallback ${fmt(g.fallback)}: ${fmt(g.no_unit)} without a unit (coordinators), ` +
        `${fmt(g.nobody_eligible)} with nobody eligible in the pool (unit lead or coordinators); unrouted left ${g.unrouted}`,
    );
    console.log(
      `pools that received cases: ${g.pools} (${g.poolsOfTwoOrMore} with two or more people); ` +
        `most per person in a pool: ${g.busiest}; pools over spread ${TARGET_SPREAD}: gopy ${g.poolsOverTarget}, baseline ${baseline.run.poolsOverTarget}`,
    );
    console.log(
      `baseline vs gopy: ${fmt(baseline.run.differFromGopy ?? 0)} cases with a different unit, assignee or status`,
    );
    console.log(
      `open cases counted with: gopy ${gopy.run.countPlan}, baseline ${baseline.run.countPlan}; ` +
        `decision stored per case (cases.routing, average): gopy ${g.routing_bytes} bytes, baseline ${baseline.run.routing_bytes} bytes`,
    );
    const ratio = gopy.rate / baseline.rate;
    const cpuRatio = baseline.cpuPerCase / gopy.cpuPerCase;
    console.log(
      `gopy / baseline: ${(100 * ratio).toFixed(1)} % of the baseline's cases/s; by CPU per case (Node + PostgreSQL, ` +
        `gopy ${fmt(gopy.cpuPerCase)} µs, baseline ${fmt(baseline.cpuPerCase)} µs) ${(100 * cpuRatio).toFixed(1)} %, ` +
        `i.e. about ${fmt(1e6 / gopy.cpuPerCase)} and ${fmt(1e6 / baseline.cpuPerCase)} cases/s for one worker on an idle machine`,
    );
    const rateMet = gopy.rate >= TARGET_RATE;
    const spreadMet = g.worstSpread <= TARGET_SPREAD;
    console.log(
      `targets: >= ${TARGET_RATE} cases/s ${rateMet ? 'met' : 'MISSED'} (${fmt(gopy.rate)}); ` +
        `spread <= ${TARGET_SPREAD} within a pool ${spreadMet ? 'met' : 'MISSED'} (worst ${g.worstSpread})`,
    );
    console.log(
      `BENCH_RESULT ${JSON.stringify({
        cases: g.routed,
        batch: BATCH,
        capacity: CAPACITY,
        rounds: ROUNDS,
        cpus: os.cpus().length,
        gopy: {
          casesPerSecond: Math.round(gopy.rate),
          worstSpread: g.worstSpread,
          pools: g.pools,
          fallback: g.fallback,
          countPlan: g.countPlan,
        },
        baseline: {
          casesPerSecond: Math.round(baseline.rate),
          worstSpread: baseline.run.worstSpread,
          fallback: baseline.run.fallback,
          differFromGopy: baseline.run.differFromGopy,
        },
        ratio: Number(ratio.toFixed(3)),
        cpuPerCaseUs: { gopy: Math.round(gopy.cpuPerCase), baseline: Math.round(baseline.cpuPerCase) },
        cpuRatio: Number(cpuRatio.toFixed(3)),
        seconds: Math.round((performance.now() - started) / 1000),
      })}`,
    );
    if (args.strict && !(rateMet && spreadMet)) process.exitCode = 1;
  } finally {
    await db.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
