#!/usr/bin/env node
// Weekly digest benchmark: a year of synthetic cases (1,000,000 by default, spread over the
// last 52 weeks by set-based SQL, with a progress bar), then one week's digest built by gopy's
// DigestService.compute (Nest application context + TypeORM, the built dist) and, in the same
// run, by a bare baseline sending the same SQL with plain pg on one connection
// (bench/digest-baseline.mjs). Each side runs in a child process of its own and computes the
// last complete week three times (the first in a new process on a new connection: "cold";
// then "warm"). Prints seconds, peak RSS (sampled every 50 ms by this process from /proc, and
// the kernel's VmHWM), Node and PostgreSQL CPU for both, the time of each statement, and checks
// the targets (< 5 s, < 300 MB). See docs/benchmarks.md.
//
//   npm run bench:digest                      build, then run with the defaults
//   node bench/digest.bench.mjs [options]     run against the existing dist
//
// Options (or the BENCH_* environment variable in brackets):
//   --cases N        cases to generate                                  [BENCH_CASES]    1000000
//   --weeks N        spread over the last N weeks                       [BENCH_WEEKS]         52
//   --chunk N        cases per INSERT ... SELECT FROM generate_series   [BENCH_CHUNK]      50000
//   --runs N         computations per side (the first one cold)         [BENCH_RUNS]           3
//   --week W         the ISO week to compute (default: the last complete one)   [BENCH_WEEK]
//   --reuse          keep gopy_bench_digest as a previous run left it (no drop, no generation)
//   --explain        also EXPLAIN (ANALYZE, BUFFERS) each statement once, after the runs
//   --idle-wait S    before each side, wait up to S s for the machine to be >= 85 % idle
//                                                                       [BENCH_IDLE_WAIT]     10
//   --timeout S      stop a side whose run takes longer than S s (0: never); its other runs
//                    are skipped and the table shows "> S"                  [BENCH_TIMEOUT]     60
//   --dist PATH      use this build instead of dist/apps/gopy (no build), e.g. a copy with a
//                    patched digest.service.js, to try a change before making it  [BENCH_DIST]
//   --strict         exit 1 when a target is missed
//
// BENCH_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) says where
// PostgreSQL is; the database gopy_bench_digest is dropped, created and left in place.
//
// The cases look like the desk's own: the seed's routing decisions as cases.routing (about
// 1 kB each, so a row is about 1.3 kB as in a real database), the topics of config/topics.yaml,
// the 71 demo units (some much busier than others, 4 % of cases without a unit), five channels,
// four priorities with the deadlines of config/sla.yaml (working days taken as 7/5 calendar
// days), answers and closures mostly on time with a late tail, 2 % never answered, spam,
// rejections and merges, and one topic of one unit spiking in the digest week. Every value is
// a hash of the case's number, so every run generates the same cases (relative to its start).
// The hot issues read the opinions (first submission) of the digest week and the week before:
// those cases, and the current week's, get a generated Vietnamese opinion (see TEXTS); the
// year's other cases have no submission rows, which the digest never reads.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { STATEMENTS, addStatement, createBaselineDigest, statementTimes } from './digest-baseline.mjs';
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
  procTicks,
  recreateEmptyDatabase,
  rssOf,
  vmHwm as peakRss,
  waitForIdle,
  withClient,
} from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const TARGET_SECONDS = 5;
const TARGET_RSS_MB = 300;
const SAMPLE_MS = 50;

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: process.env.BENCH_CASES ?? '1000000' },
    weeks: { type: 'string', default: process.env.BENCH_WEEKS ?? '52' },
    chunk: { type: 'string', default: process.env.BENCH_CHUNK ?? '50000' },
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '3' },
    week: { type: 'string', default: process.env.BENCH_WEEK },
    reuse: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    'idle-wait': { type: 'string', default: process.env.BENCH_IDLE_WAIT ?? '10' },
    timeout: { type: 'string', default: process.env.BENCH_TIMEOUT ?? '60' },
    dist: { type: 'string', default: process.env.BENCH_DIST },
    strict: { type: 'boolean', default: false },
    side: { type: 'string' }, // internal: run one side in this (child) process
  },
});
const CASES = Number(args.cases);
const WEEKS = Number(args.weeks);
const CHUNK = Number(args.chunk);
const RUNS = Math.max(1, Number(args.runs));
const IDLE_WAIT = Number(args['idle-wait']);
const TIMEOUT = Number(args.timeout);
const DIST = args.dist ? resolve(args.dist) : join(ROOT, 'dist/apps/gopy');
const GOPY_ENTRY = join(DIST, 'apps/gopy/src/main.js');
if (!(Number.isInteger(CASES) && CASES > 0 && Number.isInteger(CHUNK) && CHUNK > 0))
  fail('--cases and --chunk must be positive integers');
if (!(Number.isInteger(WEEKS) && WEEKS >= 10)) fail('--weeks must be an integer >= 10 (the digest reads 9 weeks back)');

const DB_NAME = 'gopy_bench_digest';
const DATABASE_URL = databaseUrl(DB_NAME);
// The gopy CLI reads a local .env for what the environment leaves unset; these win.
const GOPY_ENV = { NODE_ENV: 'development', DATABASE_URL, LOG_LEVEL: 'warn', CONFIG_DIR: join(ROOT, 'config') };

const mb = (bytes) => bytes / 1024 / 1024;

// ---------------------------------------------------------------- a side, in a child process

const vmHwm = () => peakRss() ?? 0;
/** Resets the kernel's peak RSS of this process (VmHWM) to the current RSS; false if refused. */
function resetHwm() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

async function gopySide(week) {
  require('reflect-metadata');
  const { Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { ConfigModule, loadConfig } = require(join(DIST, 'config/src/index.js'));
  const { DatabaseModule } = require(join(DIST, 'libs/database/src/index.js'));
  const { CryptoModule } = require(join(DIST, 'libs/crypto/src/index.js'));
  const { DigestModule, DigestService, weekBounds } = require(join(DIST, 'libs/digest/src/index.js'));
  class BenchModule {}
  // As the worker has it: DigestModule (with its mailer) needs the global CryptoModule.
  Module({ imports: [ConfigModule.forRoot(loadConfig(GOPY_ENV)), DatabaseModule, CryptoModule, DigestModule] })(
    BenchModule,
  );
  const context = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const service = context.get(DigestService);
  // Times each statement compute() sends through its query runner (one performance.now()
  // either side: nothing else), named as the baseline names its own.
  const dataSource = service.dataSource;
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  let times = statementTimes();
  dataSource.createQueryRunner = (...a) => {
    const runner = createQueryRunner(...a);
    const query = runner.query.bind(runner);
    runner.query = async (sql, ...rest) => {
      const t0 = performance.now();
      try {
        return await query(sql, ...rest);
      } finally {
        const ms = performance.now() - t0;
        process.send({ type: 'statement', name: times.add(sql, ms), ms });
      }
    };
    return runner;
  };
  return {
    async compute() {
      times = statementTimes();
      const data = await service.compute(weekBounds(week));
      return { data, statements: times.list };
    },
    close: () => context.close(),
  };
}

async function baselineSide() {
  const baseline = await createBaselineDigest({
    databaseUrl: DATABASE_URL,
    dist: DIST,
    onStatement: (done) => process.send({ type: 'statement', ...done }),
  });
  return { compute: () => baseline.compute(args.week), close: () => baseline.close() };
}

/**
 * The child: sets its side up (not measured), then for each run asks the parent to start
 * watching (RSS and PostgreSQL CPU sampled by the parent every 50 ms), computes the week, and
 * reports wall time, its own CPU, its kernel peak RSS (VmHWM, reset before the run) and the
 * time of each statement.
 */
async function runSide(side) {
  // The parent went away (Ctrl-C, killed): stop too, whatever is under way.
  const orphaned = () => process.exit(1);
  process.on('disconnect', orphaned);
  const ask = (message) =>
    new Promise((done) => {
      process.once('message', done);
      process.send(message);
    });
  const impl = side === 'gopy' ? await gopySide(args.week) : await baselineSide();
  for (let run = 0; run < RUNS; run++) {
    global.gc?.();
    const hwmReset = resetHwm();
    await ask({ type: 'start', run, rss: process.memoryUsage().rss });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { data, statements, opinions } = await impl.compute();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const result = {
      type: 'end',
      run,
      seconds,
      nodeMs: (cpu.user + cpu.system) / 1000,
      rss: process.memoryUsage().rss,
      vmHwm: hwmReset ? vmHwm() : undefined,
      statements,
      // Time in Node between and after the statements: for gopy mostly the hot issues' clustering.
      outsideMs: seconds * 1000 - statements.reduce((sum, st) => sum + (st?.ms ?? 0), 0),
      opinions,
      digest: run === 0 ? data : undefined,
    };
    await ask(result);
  }
  await impl.close();
  // Done: let go of the channel (a 'disconnect' listener keeps this process alive).
  process.off('disconnect', orphaned);
  process.send({ type: 'done', vmHwm: vmHwm() }, () => process.disconnect());
}

// ---------------------------------------------------------------- /proc: RSS and PostgreSQL CPU

/**
 * CPU ticks of this database's PostgreSQL backends and of the parallel workers they lead,
 * by pid. A parallel worker lives for one statement; its last sample (<= 50 ms before it
 * exited) counts, so PostgreSQL CPU is a slight underestimate when workers are used.
 */
const dbTicks = () => postgresTicks({ database: DB_NAME, parallelWorkers: true });

/**
 * Runs one side in a child process and watches it: between the child's "start" and "end" of
 * each run, its RSS and this database's PostgreSQL CPU are sampled every 50 ms.
 */
function runChild(side) {
  return new Promise((resolveRuns, reject) => {
    const child = fork(SELF, ['--side', side, ...process.argv.slice(2).filter((a) => a !== '--explain')], {
      cwd: ROOT,
      execArgv: ['--expose-gc'],
      env: { ...process.env, ...GOPY_ENV, BENCH_WEEK: args.week },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const runs = [];
    let watch;
    const stop = () => child.kill('SIGKILL');
    process.once('SIGINT', stop).once('SIGTERM', stop);
    child.once('exit', () => process.off('SIGINT', stop).off('SIGTERM', stop));
    child.on('message', (message) => {
      if (message.type === 'start') {
        const state = {
          rssBefore: message.rss,
          peakRss: rssOf(child.pid),
          samples: 0,
          pgLast: new Map(),
          pg0: dbTicks(),
          machine0: machineTicks(),
          self0: process.cpuUsage(),
          statements: [],
          run: message.run,
          t0: performance.now(),
          child0: procTicks(child.pid),
        };
        const sample = () => {
          state.peakRss = Math.max(state.peakRss, rssOf(child.pid));
          state.samples++;
          for (const [pid, t] of dbTicks()) state.pgLast.set(pid, t);
        };
        state.timer = setInterval(sample, SAMPLE_MS);
        state.sample = sample;
        if (TIMEOUT > 0)
          state.limit = setTimeout(() => {
            // Too slow: what it did so far is the result; the side's other runs are skipped.
            state.timedOut = true;
            finish({
              run: state.run,
              seconds: (performance.now() - state.t0) / 1000,
              nodeMs: ((procTicks(child.pid) - state.child0) * 1000) / CLK_TCK,
              rss: 0,
              statements: state.statements,
              outsideMs: performance.now() - state.t0 - state.statements.reduce((sum, st) => sum + (st?.ms ?? 0), 0),
              timedOut: true,
            });
            child.kill('SIGKILL');
          }, TIMEOUT * 1000);
        watch = state;
        child.send('go');
      } else if (message.type === 'statement') {
        if (watch) addStatement(watch.statements, message.name, message.ms);
      } else if (message.type === 'end') {
        finish(message);
        child.send('next');
      } else if (message.type === 'done') {
        runs.vmHwmProcess = message.vmHwm;
      }
    });
    /** The figures of the run being watched: its own report, and what the parent sampled. */
    function finish(message) {
      const state = watch;
      clearTimeout(state.limit);
      clearInterval(state.timer);
      state.sample();
      const machine1 = machineTicks();
      let pgTicks = 0;
      for (const [pid, t] of state.pgLast) pgTicks += t - (state.pg0.get(pid) ?? 0);
      const postgresMs = (pgTicks * 1000) / CLK_TCK;
      const busyMs = ((machine1.busy - state.machine0.busy) * 1000) / CLK_TCK;
      const self = process.cpuUsage(state.self0);
      const samplerMs = (self.user + self.system) / 1000; // this process, reading /proc
      const otherMs = Math.max(0, busyMs - message.nodeMs - postgresMs - samplerMs);
      runs.push({
        ...message,
        rssBefore: state.rssBefore,
        peakRss: Math.max(state.peakRss, message.rss),
        samples: state.samples,
        postgresMs,
        samplerMs,
        otherMs,
        noisy: otherMs >= 0.1 * (message.nodeMs + postgresMs),
      });
    }
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (watch?.timer) clearInterval(watch.timer);
      if (watch?.limit) clearTimeout(watch.limit);
      if (watch?.timedOut) resolveRuns(runs);
      else if (code !== 0 || runs.length !== RUNS)
        reject(new Error(`${side} side exited (${code ?? signal}) after ${runs.length} runs`));
      else resolveRuns(runs);
    });
  });
}

// ---------------------------------------------------------------- build and database

async function recreateDatabase() {
  await recreateEmptyDatabase(DB_NAME, { adminUrl: ADMIN_URL });
  const cli = { root: ROOT, entry: GOPY_ENTRY, env: { ...process.env, ...GOPY_ENV } };
  gopyCli('migrate', cli);
  gopyCli('seed', cli); // 71 units, 585 collaborators, 8 demo cases through intake and routing
  log(`database ${DB_NAME} recreated, migrated and seeded with the demo directory`);
}

// ---------------------------------------------------------------- synthetic cases

/**
 * Helpers in the bench database (not gopy's schema): bench_u(n, k), a uniform number in
 * [0, 1) from a hash of the case number and a stream number, so a case is the same whatever
 * chunk it falls in; the units in code order with their routable people; the seed's routing
 * decisions, copied onto the generated cases.
 */
async function prepareGenerator(db) {
  await db.query(
    `CREATE OR REPLACE FUNCTION bench_u(n bigint, k int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
     $$ SELECT ((hashint8extended(n, k) >> 11) & 9007199254740991)::float8 / 9007199254740992 $$`,
  );
  await db.query(`DROP TABLE IF EXISTS bench_units, bench_routing`);
  await db.query(
    `CREATE TABLE bench_units AS
       SELECT (row_number() OVER (ORDER BY u.code))::int - 1 AS idx, u.id,
              coalesce((SELECT array_agg(p.id ORDER BY p.key) FROM collaborators p
                         WHERE p.unit_id = u.id AND p.active AND p.role IN ('tuyen_truyen_vien','du_luan_xa_hoi')),
                       '{}') AS people
         FROM units u WHERE u.active`,
  );
  await db.query(
    `CREATE TABLE bench_routing AS
       SELECT (row_number() OVER (ORDER BY created_at, id))::int - 1 AS idx, routing FROM cases WHERE routing IS NOT NULL`,
  );
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM bench_units) AS units, (SELECT count(*)::int FROM bench_routing) AS decisions,
            (SELECT avg(pg_column_size(routing))::int FROM bench_routing) AS decision_bytes`,
  );
  if (rows[0].units === 0) fail('the seed made no units');
  return rows[0];
}

/**
 * Cases $1..$2 of $3, created between $4 and $5 (epoch seconds) in number order; $6/$7 the
 * digest week (its spike); $8 units, $9 routing decisions. One statement per chunk.
 */
const INSERT_CHUNK = `
WITH g AS MATERIALIZED (
  SELECT n, to_timestamp($4::float8 + ((n - 1) + bench_u(n, 1)) * ($5::float8 - $4::float8) / $3::float8) AS created_at,
         bench_u(n, 2) AS u_channel, bench_u(n, 3) AS u_topic, bench_u(n, 4) AS u_unit, bench_u(n, 5) AS u_priority,
         bench_u(n, 6) AS u_kind, bench_u(n, 7) AS u_answer, bench_u(n, 8) AS u_close, bench_u(n, 9) AS u_stuck,
         bench_u(n, 10) AS u_people, bench_u(n, 11) AS u_spike, bench_u(n, 12) AS u_subject
    FROM generate_series($1::bigint, $2::bigint) AS n),
a AS MATERIALIZED (
  SELECT g.*,
         CASE WHEN u_channel < 0.55 THEN 'web' WHEN u_channel < 0.75 THEN 'email' WHEN u_channel < 0.87 THEN 'phone'
              WHEN u_channel < 0.95 THEN 'api' ELSE 'letter' END AS channel,
         CASE WHEN spike THEN 'tam_tu_du_luan'
              WHEN u_topic < 0.35 THEN 'phan_anh_kien_nghi' WHEN u_topic < 0.55 THEN 'gop_y_chinh_sach'
              WHEN u_topic < 0.75 THEN 'hoi_dap' WHEN u_topic < 0.85 THEN 'tam_tu_du_luan'
              WHEN u_topic < 0.90 THEN 'khen_ngoi' ELSE 'khac' END AS topic,
         -- 4 % without a unit; the rest skewed: the first units in code order get far more.
         CASE WHEN spike THEN 3 WHEN u_unit < 0.04 THEN NULL
              ELSE least($8::int - 1, floor($8::int * power((u_unit - 0.04) / 0.96, 1.6)))::int END AS unit_idx,
         CASE WHEN u_priority < 0.70 THEN 'normal' WHEN u_priority < 0.85 THEN 'high'
              WHEN u_priority < 0.90 THEN 'urgent' ELSE 'low' END AS priority,
         CASE WHEN u_kind < 0.015 THEN 'spam' WHEN u_kind < 0.04 THEN 'rejected'
              WHEN u_kind < 0.05 AND n > 1 THEN 'merged' ELSE 'normal' END AS kind
    FROM (SELECT g.*, (g.created_at >= $6::timestamptz AND g.created_at < $7::timestamptz AND g.u_spike < 0.04) AS spike
            FROM g) g),
d AS MATERIALIZED (
  -- Deadlines: config/sla.yaml's working days as 7/5 calendar days, to 23:59:59 Viet Nam time.
  SELECT a.*,
         CASE WHEN kind = 'spam' THEN NULL ELSE
           (date_trunc('day', created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')
             + make_interval(days => 1 + ceil(1.4 * CASE priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 2 WHEN 'low' THEN 7
                                                   ELSE CASE WHEN topic = 'phan_anh_kien_nghi' THEN 3 ELSE 5 END END)::int)
             - interval '1 second') AT TIME ZONE 'Asia/Ho_Chi_Minh' END AS fr_due,
         CASE WHEN kind = 'spam' THEN NULL ELSE
           (date_trunc('day', created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')
             + make_interval(days => 1 + ceil(1.4 * CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 7 WHEN 'low' THEN 30
                                                   ELSE CASE WHEN topic = 'phan_anh_kien_nghi' THEN 10 ELSE 15 END END)::int)
             - interval '1 second') AT TIME ZONE 'Asia/Ho_Chi_Minh' END AS res_due
    FROM a),
t AS MATERIALIZED (
  -- About 15 % answered late, 2 % never answered; closed within the resolution time with a
  -- late tail, 3 % answered but never closed. Nothing after the end of the generated year.
  SELECT d.*,
         CASE WHEN kind IN ('spam','merged') OR (kind = 'normal' AND u_stuck < 0.02) THEN NULL
              WHEN kind = 'rejected' THEN created_at + (fr_due - created_at) * 0.3 * u_answer
              ELSE created_at + (fr_due - created_at) * (0.1 + 1.15 * power(u_answer, 1.5)) END AS responded,
         CASE WHEN kind = 'spam' THEN created_at + interval '2 days' * u_close
              WHEN kind = 'merged' THEN created_at + interval '6 hours' * u_close
              WHEN kind = 'rejected' THEN created_at + (fr_due - created_at) * 0.3 * u_answer
              WHEN u_stuck < 0.05 THEN NULL
              ELSE created_at + (fr_due - created_at) * (0.1 + 1.15 * power(u_answer, 1.5))
                   + (res_due - created_at) * (0.05 + 1.0 * power(u_close, 1.4)) END AS closed
    FROM d),
s AS MATERIALIZED (
  SELECT t.*,
         CASE WHEN responded <= to_timestamp($5::float8) THEN responded END AS responded_at,
         CASE WHEN closed <= to_timestamp($5::float8) THEN closed END AS closed_at
    FROM t),
f AS MATERIALIZED (
  SELECT s.*,
         CASE WHEN kind = 'merged' AND closed_at IS NOT NULL THEN 'closed'
              WHEN kind IN ('spam','rejected') AND closed_at IS NOT NULL THEN kind
              WHEN closed_at IS NOT NULL THEN 'closed'
              WHEN responded_at IS NOT NULL THEN CASE WHEN u_people < 0.35 THEN 'answered' ELSE 'in_progress' END
              WHEN to_timestamp($5::float8) - created_at < interval '2 hours' THEN 'received'
              WHEN unit_idx IS NULL THEN 'triaged'
              ELSE 'assigned' END AS status
    FROM s)
INSERT INTO cases (id, tracking_code, status, topic, unit_id, priority, channel, subject, created_at, updated_at,
                   last_activity_at, assignee_id, routing, routed_at, first_response_due_at, resolution_due_at,
                   first_responded_at, closed_at, merged_into_id)
SELECT md5('gopy-bench-digest:' || f.n)::uuid, 'B' || lpad(f.n::text, 14, '0'), f.status, f.topic, bu.id, f.priority,
       f.channel, (ARRAY['Đề nghị công khai lịch tiếp dân', 'Hỏi về thủ tục xác nhận cư trú', 'Góp ý dự thảo quy chế',
                         'Phản ánh lấn chiếm vỉa hè', 'Kiến nghị sửa nhà văn hoá thôn', 'Hỏi về chế độ người có công',
                         'Biểu dương cán bộ tổ dân phố', 'Rác thải tồn đọng ở cổng chợ'])[1 + floor(f.u_subject * 8)::int],
       f.created_at, lst.at, lst.at,
       CASE WHEN f.status IN ('assigned','in_progress','answered','closed') AND f.kind = 'normal'
            THEN bu.people[1 + floor(f.u_people * cardinality(bu.people))::int] END,
       CASE WHEN routed THEN br.routing END,
       CASE WHEN routed THEN least(f.created_at + interval '2 minutes' + interval '30 minutes' * f.u_people,
                                   to_timestamp($5::float8)) END,
       f.fr_due, f.res_due, f.responded_at, f.closed_at,
       CASE WHEN f.kind = 'merged' THEN md5('gopy-bench-digest:' || (f.n - 1))::uuid END
  FROM f
  LEFT JOIN bench_units bu ON bu.idx = f.unit_idx
  JOIN bench_routing br ON br.idx = f.n % $9::int
  CROSS JOIN LATERAL (SELECT f.status NOT IN ('received','spam') AS routed,
                             greatest(f.created_at, f.responded_at, f.closed_at) AS at) lst`;

// Opinion texts for the submissions the hot issues read: an opening, one of 20 problems in one
// of 3 wordings at one of 30 places, one to three of 24 common sentences, now and then a phone
// number or a house address (personal data the excerpt must drop), a closing. Half the
// opinions are about one of 150 (problem, place) issues, a few of them big (about 800
// opinions for the largest in a week of 19,000); the other half pick any of the 600
// combinations.
const TEXTS = {
  openings: [
    'Kính gửi quý cơ quan.',
    'Tôi là người dân sống ở đây nhiều năm.',
    'Xin phản ánh sự việc sau.',
    'Kính gửi Ban Thường trực.',
    'Chào các anh chị.',
    '',
    '',
    'Gia đình tôi xin trình bày.',
    'Thay mặt bà con trong khu phố.',
    'Tôi xin góp ý như sau.',
  ],
  problems: [
    'Mưa lớn là đường {p} lại ngập sâu, nước tràn vào nhà dân.',
    'Đường {p} ngập nặng mỗi khi mưa, hệ thống thoát nước quá kém.',
    'Đề nghị cải tạo cống thoát nước ở {p}, cứ mưa là ngập.',
    'Đường {p} xuống cấp, nhiều ổ gà rất nguy hiểm cho người đi xe máy.',
    'Mặt đường {p} bong tróc, ổ gà ổ voi khắp nơi.',
    'Đề nghị sớm sửa chữa đoạn đường {p}, đã có người ngã xe vì ổ gà.',
    'Đèn đường ở {p} hỏng cả tháng nay chưa ai sửa, buổi tối tối om.',
    'Khu vực {p} không có đèn chiếu sáng, đi đêm rất sợ.',
    'Đề nghị thay bóng đèn đường hỏng ở {p}.',
    'Rác thải tồn đọng ở {p} nhiều ngày không được thu gom, bốc mùi hôi thối.',
    'Xe rác không đến {p} đúng lịch, rác chất đống ven đường.',
    'Đề nghị tăng tần suất thu gom rác ở {p}.',
    'Hàng quán lấn chiếm vỉa hè ở {p}, người đi bộ phải xuống lòng đường.',
    'Vỉa hè {p} bị chiếm làm chỗ để xe và bán hàng.',
    'Đề nghị xử lý dứt điểm tình trạng lấn chiếm vỉa hè tại {p}.',
    'Karaoke ở {p} hát đến khuya, ảnh hưởng giấc ngủ người già và trẻ nhỏ.',
    'Tiếng ồn từ quán nhậu ở {p} kéo dài đến nửa đêm.',
    'Đề nghị kiểm tra tiếng ồn karaoke tại {p} sau 22 giờ.',
    'Khu dân cư {p} mất điện kéo dài nhiều giờ mà không được báo trước.',
    'Điện ở {p} chập chờn liên tục, hỏng cả đồ điện trong nhà.',
    'Đề nghị điện lực kiểm tra trạm biến áp gần {p}.',
    'Nước máy ở {p} đục và có mùi lạ mấy ngày nay.',
    'Khu {p} thường xuyên mất nước sinh hoạt vào buổi sáng.',
    'Đề nghị kiểm tra chất lượng nước sạch cấp cho {p}.',
    'Làm thủ tục xác nhận cư trú ở {p} phải đi lại nhiều lần mới xong.',
    'Hồ sơ đất đai nộp tại {p} quá hạn mà chưa có kết quả.',
    'Đề nghị công khai thời hạn giải quyết hồ sơ tại bộ phận một cửa {p}.',
    'Chó thả rông ở {p} không rọ mõm, trẻ con đi học rất sợ.',
    'Nhiều chó thả rông quanh {p} đã cắn người.',
    'Đề nghị xử phạt chủ nuôi chó thả rông tại {p}.',
    'Xưởng ở gần {p} xả khói bụi, người dân khó thở.',
    'Xe chở vật liệu qua {p} làm rơi vãi đất cát, bụi mù mịt.',
    'Đề nghị kiểm tra ô nhiễm không khí khu vực {p}.',
    'Trường học gần {p} thu nhiều khoản ngoài quy định.',
    'Cổng trường ở {p} giờ tan học ùn tắc nghiêm trọng.',
    'Đề nghị bố trí người phân luồng trước cổng trường {p}.',
    'Trạm y tế {p} thiếu thuốc bảo hiểm y tế, người bệnh phải tự mua.',
    'Khám bảo hiểm y tế ở {p} chờ đợi quá lâu.',
    'Đề nghị tăng cường bác sĩ cho trạm y tế {p}.',
    'Góp ý dự thảo luật thuế thu nhập cá nhân: nên nâng mức giảm trừ gia cảnh.',
    'Mức giảm trừ gia cảnh hiện nay không còn phù hợp với giá cả ở {p}.',
    'Đề nghị điều chỉnh biểu thuế thu nhập cá nhân cho người làm công ăn lương.',
    'Người dân {p} băn khoăn về việc sáp nhập thôn, chưa được lấy ý kiến.',
    'Sau khi sáp nhập, nhà văn hoá {p} không còn ai quản lý.',
    'Đề nghị giải thích rõ phương án sáp nhập đơn vị hành chính ở {p}.',
    'Ngã tư {p} không có đèn tín hiệu, tai nạn xảy ra thường xuyên.',
    'Đề nghị lắp đèn giao thông tại ngã tư {p}.',
    'Xe tải chạy tốc độ cao qua {p}, cần đặt gờ giảm tốc.',
    'Cây xanh ở {p} mục gốc, nghiêng ra đường, sợ đổ khi có bão.',
    'Đề nghị cắt tỉa cây xanh dọc đường {p} trước mùa mưa bão.',
    'Cành cây ở {p} vướng vào dây điện rất nguy hiểm.',
    'Hồ sơ hưởng chế độ người có công của gia đình tôi ở {p} chậm giải quyết.',
    'Đề nghị rà soát lại chế độ cho thân nhân liệt sĩ tại {p}.',
    'Chế độ trợ cấp người có công ở {p} chi trả chậm nhiều tháng.',
    'Chợ {p} xuống cấp, mái dột, nền lầy lội.',
    'Tiểu thương chợ {p} bị thu phí không rõ ràng.',
    'Đề nghị sửa chữa chợ {p} trước Tết.',
    'Biểu dương cán bộ phường {p} nhiệt tình hướng dẫn thủ tục cho người dân.',
    'Cảm ơn tổ dân phố {p} đã tổ chức dọn vệ sinh rất tốt.',
    'Khen ngợi lực lượng công an {p} đã giúp dân kịp thời.',
  ],
  places: [
    'Lê Lợi',
    'Trần Phú',
    'Nguyễn Trãi',
    'Hai Bà Trưng',
    'Quang Trung',
    'Lý Thường Kiệt',
    'Phan Đình Phùng',
    'Hùng Vương',
    'Điện Biên Phủ',
    'Nguyễn Huệ',
    'Tô Hiệu',
    'Bạch Đằng',
    'Lê Duẩn',
    'Trường Chinh',
    'Võ Thị Sáu',
    'Ngô Quyền',
    'Phạm Văn Đồng',
    'Cách Mạng Tháng Tám',
    'thôn Đông',
    'thôn Đoài',
    'thôn Thượng',
    'xóm Mới',
    'tổ dân phố 5',
    'tổ dân phố 12',
    'khu tập thể A2',
    'khu phố 3',
    'ấp Bình Minh',
    'xã Tân Lập',
    'phường Hòa Bình',
    'ngõ 68 Tô Hiệu',
  ],
  fillers: [
    'Tình trạng này kéo dài nhiều tháng nay.',
    'Bà con đã phản ánh nhiều lần nhưng chưa được giải quyết.',
    'Ảnh hưởng lớn tới sinh hoạt hằng ngày của người dân.',
    'Người già và trẻ em đi lại rất khó khăn.',
    'Chính quyền địa phương đã hứa nhưng chưa làm.',
    'Mong các cơ quan chức năng sớm vào cuộc.',
    'Nhiều hộ dân bức xúc.',
    'Sự việc xảy ra từ đầu tháng.',
    'Tôi có gửi kèm hình ảnh.',
    'Đến nay vẫn chưa thấy ai trả lời.',
    'Việc này đã được nêu tại buổi tiếp xúc cử tri.',
    'Tổ trưởng dân phố cũng đã báo lên phường.',
    'Buổi sáng và chiều tối là nặng nhất.',
    'Ai cũng lo lắng vì sắp đến mùa mưa.',
    'Có hôm phải nghỉ làm để đi giải quyết.',
    'Xin cơ quan kiểm tra thực tế.',
    'Kinh phí không lớn nhưng lợi ích rất lớn.',
    'Đề nghị trả lời công khai cho bà con được biết.',
    'Trên mạng xã hội nhiều người cũng bàn tán.',
    'Con tôi đi học phải qua đoạn này hằng ngày.',
    'Nhà tôi ngay sát bên nên biết rõ.',
    'Đã ba lần gọi đường dây nóng.',
    'Tôi mong được phản hồi sớm.',
    'Cảm ơn quý cơ quan đã lắng nghe.',
  ],
  closings: [
    'Xin chân thành cảm ơn.',
    'Trân trọng.',
    'Mong sớm nhận được trả lời.',
    '',
    'Kính mong được xem xét.',
    'Xin cảm ơn!',
    'Rất mong được quan tâm giải quyết.',
    'Trân trọng cảm ơn.',
  ],
};
const ISSUES = 150;
const HOT_SHARE = 0.5;

/** The initial submission of cases $1..$2 (by number), with a generated opinion. */
const INSERT_SUBMISSIONS = `
WITH c AS (
  SELECT c.id, c.channel, c.subject, c.created_at, x.n,
         -- An issue: a (problem, place) pair; half from 150 popular ones (u^2: a few big), half any.
         CASE WHEN bench_u(x.n, 20) < $8::float8
              THEN floor($9::int * power(bench_u(x.n, 21), 2))::int * 7919 % (cardinality($4::text[]) / 3 * cardinality($5::text[]))
              ELSE floor(bench_u(x.n, 21) * (cardinality($4::text[]) / 3 * cardinality($5::text[])))::int END AS issue
    FROM cases c CROSS JOIN LATERAL (SELECT substring(c.tracking_code FROM 2)::bigint AS n) x
   WHERE c.tracking_code >= 'B' || lpad($1::text, 14, '0') AND c.tracking_code <= 'B' || lpad($2::text, 14, '0')
     AND c.tracking_code ~ '^B[0-9]{14}$' AND c.created_at >= $10::timestamptz)
INSERT INTO submissions (case_id, kind, channel, language, subject, body, received_at, anonymous)
SELECT c.id, 'initial', c.channel, 'vi', c.subject,
       concat_ws(' ',
         nullif(($3::text[])[1 + floor(bench_u(c.n, 22) * cardinality($3::text[]))::int], ''),
         replace(($4::text[])[1 + (c.issue / cardinality($5::text[])) * 3 + floor(bench_u(c.n, 23) * 3)::int], '{p}',
                 ($5::text[])[1 + c.issue % cardinality($5::text[])]),
         ($6::text[])[1 + floor(bench_u(c.n, 24) * cardinality($6::text[]))::int],
         CASE WHEN bench_u(c.n, 25) < 0.6 THEN ($6::text[])[1 + floor(bench_u(c.n, 26) * cardinality($6::text[]))::int] END,
         CASE WHEN bench_u(c.n, 27) < 0.3 THEN ($6::text[])[1 + floor(bench_u(c.n, 28) * cardinality($6::text[]))::int] END,
         CASE WHEN bench_u(c.n, 29) < 0.05 THEN 'Số điện thoại của tôi là 09' || lpad(floor(bench_u(c.n, 30) * 1e8)::text, 8, '0') || '.' END,
         CASE WHEN bench_u(c.n, 31) < 0.03 THEN 'Nhà tôi ở số nhà ' || (1 + floor(bench_u(c.n, 32) * 200))::int || ' ngõ ' || (1 + floor(bench_u(c.n, 33) * 90))::int || '.' END,
         nullif(($7::text[])[1 + floor(bench_u(c.n, 34) * cardinality($7::text[]))::int], '')),
       c.created_at, true
  FROM c`;

/**
 * Submissions only for the cases the hot issues can read (created since the start of the
 * week before the digest's); the digest reads no other submission, and the text indexes
 * (trigram and full text, GIN) make a year of them slow to generate.
 */
async function generateSubmissions(db, from) {
  const { rows } = await db.query(
    `SELECT min(substring(tracking_code FROM 2)::bigint)::int AS lo, max(substring(tracking_code FROM 2)::bigint)::int AS hi
       FROM cases WHERE tracking_code ~ '^B[0-9]{14}$' AND created_at >= $1`,
    [from],
  );
  const { lo, hi } = rows[0];
  if (lo === null) return 0;
  const bar = progressBar('opinions');
  const t0 = performance.now();
  bar.start(hi - lo + 1, 0, { rate: '-' });
  const chunk = Math.max(1000, Math.floor(CHUNK / 5));
  for (let a = lo; a <= hi; a += chunk) {
    const b = Math.min(hi, a + chunk - 1);
    await db.query(INSERT_SUBMISSIONS, [
      a,
      b,
      TEXTS.openings,
      TEXTS.problems,
      TEXTS.places,
      TEXTS.fillers,
      TEXTS.closings,
      HOT_SHARE,
      ISSUES,
      from,
    ]);
    bar.update(b - lo + 1, { rate: fmt((b - lo + 1) / ((performance.now() - t0) / 1000)) });
  }
  bar.stop();
  const seconds = (performance.now() - t0) / 1000;
  log(`${fmt(hi - lo + 1)} opinions (initial submissions) inserted in ${seconds.toFixed(1)} s`);
  return hi - lo + 1;
}

function progressBar(what) {
  const cliProgress = require('cli-progress');
  return new cliProgress.SingleBar(
    {
      format: `bench: ${what} [{bar}] {percentage}% | {value}/{total} | {rate} /s | ETA {eta}s`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 4,
      formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? fmt(v) : v),
    },
    cliProgress.Presets.shades_classic,
  );
}

async function generateCases(db, { start, end, week }) {
  const { units, decisions, decision_bytes } = await prepareGenerator(db);
  const bar = progressBar('cases');
  const t0 = performance.now();
  bar.start(CASES, 0, { rate: '-' });
  for (let lo = 1; lo <= CASES; lo += CHUNK) {
    const hi = Math.min(CASES, lo + CHUNK - 1);
    await db.query(INSERT_CHUNK, [
      lo,
      hi,
      CASES,
      start.getTime() / 1000,
      end.getTime() / 1000,
      week.start,
      week.end,
      units,
      decisions,
    ]);
    const seconds = (performance.now() - t0) / 1000;
    bar.update(hi, { rate: fmt(hi / seconds) });
  }
  bar.stop();
  const seconds = (performance.now() - t0) / 1000;
  log(
    `${fmt(CASES)} cases inserted in ${seconds.toFixed(1)} s (${fmt(CASES / seconds)} cases/s); ` +
      `cases.routing copied from the seed's ${decisions} decisions (${decision_bytes} bytes on average)`,
  );
}

/** What the generated year looks like, to check the mixes and to report the table's size. */
async function describeCases(db, week) {
  const { rows } = await db.query(
    `SELECT count(*)::int AS cases,
            count(*) FILTER (WHERE created_at >= $1 AND created_at < $2)::int AS in_week,
            count(*) FILTER (WHERE status IN ('received','triaged','assigned','in_progress'))::int AS open_now,
            count(*) FILTER (WHERE merged_into_id IS NOT NULL)::int AS merged,
            count(*) FILTER (WHERE unit_id IS NULL)::int AS without_unit,
            min(created_at) AS first, max(created_at) AS last,
            pg_size_pretty(pg_table_size('cases')) AS heap, pg_size_pretty(pg_indexes_size('cases')) AS indexes,
            (pg_table_size('cases') / greatest(count(*), 1))::int AS bytes_per_case
       FROM cases`,
    [week.start, week.end],
  );
  const { rows: statuses } = await db.query(`SELECT status, count(*)::int AS n FROM cases GROUP BY 1 ORDER BY 2 DESC`);
  return { ...rows[0], statuses: statuses.map((s) => `${s.status} ${fmt(s.n)}`).join(', ') };
}

// ---------------------------------------------------------------- EXPLAIN of each statement

/** EXPLAIN (ANALYZE, BUFFERS) of every statement (gopy's SQL, through the baseline), warm. */
async function explainAll(week) {
  const explaining = await createBaselineDigest({ databaseUrl: DATABASE_URL, dist: DIST, explain: true });
  try {
    const { statements } = await explaining.compute(week);
    console.log('');
    for (const s of statements.filter(Boolean))
      console.log(`--- ${s.name} (${fmt(s.ms)} ms without EXPLAIN)\n${s.plan}\n`);
  } finally {
    await explaining.close();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const started = performance.now();
  ensureBuilt({ root: ROOT, entry: GOPY_ENTRY, prebuilt: args.dist && DIST });
  const { weekBounds, lastCompleteWeek, previousWeek } = require(join(DIST, 'libs/digest/src/rules/iso-week.js'));
  const end = new Date();
  const start = new Date(end.getTime() - WEEKS * 7 * 24 * 3600 * 1000);
  const week = args.week ?? lastCompleteWeek(end);
  args.week = week;
  const bounds = weekBounds(week);
  if (!args.reuse) {
    await recreateDatabase();
    await withClient(DATABASE_URL, async (db) => {
      // For this session only (the digest runs with the server's settings): the generator's
      // statements are long expressions over 50,000 rows, which JIT (on by default) spends
      // minutes compiling; its stages are materialised (work_mem); and the foreign keys are
      // not checked row by row (replica role: no triggers), since the generator only refers
      // to the seed's units and people and to the case before (merges). About 2x faster.
      await db.query(`SET jit = off`);
      await db.query(`SET work_mem = '64MB'`);
      await db.query(`SET session_replication_role = replica`);
      await generateCases(db, { start, end, week: bounds });
      await generateSubmissions(db, weekBounds(previousWeek(week)).start);
      await db.query(`RESET session_replication_role`);
      const t = performance.now();
      // As autovacuum would have left tables that old: statistics, hint bits and the visibility
      // map; then a checkpoint, so the runs do not pay for writing the year out.
      await db.query(`VACUUM (ANALYZE) cases`);
      await db.query(`VACUUM (ANALYZE) submissions`);
      await db.query(`CHECKPOINT`);
      log(`VACUUM (ANALYZE) cases, submissions and CHECKPOINT (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    });
  }
  const shape = await withClient(DATABASE_URL, (db) => describeCases(db, bounds));
  log(
    `cases: ${fmt(shape.cases)} from ${shape.first.toISOString()} to ${shape.last.toISOString()}; ` +
      `${fmt(shape.in_week)} in ${week}; heap ${shape.heap} (${shape.bytes_per_case} bytes a case), indexes ${shape.indexes}`,
  );
  log(`statuses: ${shape.statuses}; merged ${fmt(shape.merged)}, without a unit ${fmt(shape.without_unit)}`);

  const results = {};
  for (const side of ['gopy', 'baseline']) {
    // Other work on the machine skews the figures.
    await waitForIdle({ seconds: IDLE_WAIT, before: 'this side' });
    results[side] = await runChild(side);
    if (results[side].some((r) => r.timedOut)) {
      // The killed side's statement, if one was running, would go on without it.
      await withClient(DATABASE_URL, (db) =>
        db.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> 'gopy-bench'`,
        ),
      );
    }
    for (const r of results[side])
      log(
        `${side} run ${r.run + 1}${r.run === 0 ? ' (cold)' : ''}: ${r.timedOut ? `stopped after ${r.seconds.toFixed(1)} s (--timeout),` : `${r.seconds.toFixed(2)} s,`} peak RSS ${fmt(mb(r.peakRss))} MB` +
          ` (VmHWM ${r.vmHwm ? fmt(mb(r.vmHwm)) : '?'} MB, before ${fmt(mb(r.rssBefore))} MB), Node CPU ${fmt(r.nodeMs)} ms,` +
          ` PostgreSQL CPU ${fmt(r.postgresMs)} ms${r.noisy ? `; noisy (other work used ${fmt(r.otherMs)} ms of CPU)` : ''}`,
      );
  }
  // The baseline has no hot issues (no clustering); every other figure must be the same.
  const figures = (d) => JSON.stringify({ ...d, hotIssues: undefined });
  const same = !results.gopy[0].digest
    ? 'not compared: gopy was stopped'
    : figures(results.gopy[0].digest) === figures(results.baseline[0].digest)
      ? 'the same'
      : 'DIFFERENT';
  const digest = results.gopy[0].digest ?? results.baseline[0].digest;

  // ---------------------------------------------------------------- report
  const summarise = (name, runs) => {
    const warm = runs.slice(1);
    return {
      name,
      cold: runs[0].seconds,
      warm: warm.length ? median(warm.map((r) => r.seconds)) : undefined,
      peakRss: Math.max(...runs.map((r) => r.peakRss)),
      vmHwm: Math.max(...runs.map((r) => r.vmHwm ?? 0)),
      rssBefore: runs[0].rssBefore,
      nodeMs: median(runs.map((r) => r.nodeMs)),
      postgresMs: median(runs.map((r) => r.postgresMs)),
      noisy: runs.some((r) => r.noisy),
      timedOut: runs.some((r) => r.timedOut),
      otherShare: Math.max(...runs.map((r) => r.otherMs / (r.nodeMs + r.postgresMs))),
    };
  };
  const gopy = summarise('gopy (DigestService.compute)', results.gopy);
  const baseline = summarise('baseline (pg, same SQL)', results.baseline);
  console.log('');
  printTable([
    [
      'implementation',
      'cold s',
      'warm s',
      'peak RSS MB',
      'VmHWM MB',
      'RSS before MB',
      'Node CPU',
      'PG CPU',
      'other CPU',
    ],
    ...[gopy, baseline].map((s) => [
      s.name,
      s.timedOut ? `> ${s.cold.toFixed(0)}` : s.cold.toFixed(2),
      s.warm === undefined ? '-' : s.warm.toFixed(2),
      fmt(mb(s.peakRss)),
      s.vmHwm ? fmt(mb(s.vmHwm)) : '?',
      fmt(mb(s.rssBefore)),
      `${fmt(s.nodeMs)} ms`,
      `${fmt(s.postgresMs)} ms`,
      `${fmt(100 * s.otherShare)} %${s.noisy ? '*' : ''}`,
    ]),
  ]);
  console.log('');
  console.log(
    `runs: gopy ${results.gopy.map((r) => r.seconds.toFixed(2)).join(', ')} s; ` +
      `baseline ${results.baseline.map((r) => r.seconds.toFixed(2)).join(', ')} s (the first of each cold, warm = median of the rest); ` +
      `Node/PG CPU = medians over the runs`,
  );
  if (gopy.noisy || baseline.noisy)
    console.log('* noisy: other work on the machine used >= 10 % of the CPU the side and PostgreSQL used');
  console.log('');
  console.log('statement (same SQL on both sides), ms, median of the warm runs (cold run in brackets):');
  const stmtMs = (runs, i) => median((runs.length > 1 ? runs.slice(1) : runs).map((r) => r.statements[i]?.ms ?? 0));
  const outside = (runs) => median((runs.length > 1 ? runs.slice(1) : runs).map((r) => r.outsideMs));
  printTable([
    ['statement', 'gopy', 'baseline'],
    ...STATEMENTS.map((name, i) => [
      name,
      results.gopy[0].statements[i]
        ? `${fmt(stmtMs(results.gopy, i))} (${fmt(results.gopy[0].statements[i].ms)})`
        : results.gopy[0].timedOut
          ? 'not reached'
          : 'not sent',
      `${fmt(stmtMs(results.baseline, i))} (${fmt(results.baseline[0].statements[i]?.ms ?? 0)})`,
    ]),
    [
      'Node outside statements',
      `${fmt(outside(results.gopy))} (${fmt(results.gopy[0].outsideMs)})`,
      `${fmt(outside(results.baseline))} (${fmt(results.baseline[0].outsideMs)})`,
    ],
  ]);
  // The eleven aggregates (what the committed digest is), apart from the hot issues.
  const AGGREGATES = 11;
  const aggregates = (runs) =>
    STATEMENTS.slice(0, AGGREGATES).every((_, i) => runs[0].statements[i])
      ? STATEMENTS.slice(0, AGGREGATES).reduce((sum, _, i) => sum + stmtMs(runs, i), 0)
      : undefined;
  const aggGopy = aggregates(results.gopy);
  const aggBaseline = aggregates(results.baseline);
  console.log(
    `the ${AGGREGATES} aggregate statements together: gopy ${aggGopy === undefined ? 'not all reached' : `${fmt(aggGopy)} ms`}, ` +
      `baseline ${aggBaseline === undefined ? '-' : `${fmt(aggBaseline)} ms`}; the rest of gopy's time is the hot issues`,
  );
  if (results.gopy[0].statements.length > STATEMENTS.length)
    console.log(
      `note: gopy sent statements the baseline does not know: ${results.gopy[0].statements
        .slice(STATEMENTS.length)
        .map((st) => st.name)
        .join(', ')}`,
    );
  const hot = results.gopy[0].digest?.hotIssues;
  const opinions = results.baseline[0].opinions;
  if (!hot && opinions)
    console.log(`hot issues: ${fmt(opinions.week)} opinions of the week (${fmt(opinions.previous)} the week before)`);
  if (hot)
    console.log(
      `hot issues: ${hot.length} clusters from ${fmt(opinions?.week ?? 0)} opinions of the week ` +
        `(${fmt(opinions?.previous ?? 0)} the week before)${hot.length ? `; sizes ${hot.map((h) => fmt(h.size)).join(', ')}` : ''}`,
    );
  console.log('');
  console.log(
    `digest ${week}: ${fmt(digest.received.total)} received (${fmt(digest.received.previous)} the week before), ` +
      `${fmt(digest.backlog.open)} open at the end, ${digest.units.length} units, ${digest.spikes.length} spikes, ` +
      `${digest.overdue.length} overdue listed; ` +
      (same === 'the same' || same === 'DIFFERENT'
        ? `gopy and the baseline computed ${same} figures (hot issues aside)`
        : `gopy and the baseline ${same}`),
  );
  const ratio = gopy.warm !== undefined ? gopy.warm / baseline.warm : gopy.cold / baseline.cold;
  if (gopy.timedOut)
    console.log(
      `gopy was stopped after ${TIMEOUT} s (--timeout): its time and peak RSS are lower bounds, and its warm runs were skipped`,
    );
  console.log(
    `gopy / baseline: ${gopy.warm !== undefined ? `${ratio.toFixed(2)}× the baseline's time warm, ` : ''}` +
      `${gopy.timedOut ? '> ' : ''}${(gopy.cold / baseline.cold).toFixed(2)}× cold; ` +
      `peak RSS ${gopy.timedOut ? '>= ' : ''}${fmt(mb(gopy.peakRss))} vs ${fmt(mb(baseline.peakRss))} MB`,
  );
  const worst = Math.max(gopy.cold, gopy.warm ?? 0);
  const timeMet = worst < TARGET_SECONDS;
  const rssMet = Math.max(gopy.peakRss, gopy.vmHwm) < TARGET_RSS_MB * 1024 * 1024;
  console.log(
    `targets: < ${TARGET_SECONDS} s ${timeMet ? 'met' : 'MISSED'} (gopy cold ${gopy.timedOut ? '> ' : ''}${gopy.cold.toFixed(2)} s, warm ${gopy.warm?.toFixed(2) ?? '-'} s); ` +
      `< ${TARGET_RSS_MB} MB ${rssMet ? 'met' : 'MISSED'} (peak ${gopy.timedOut ? '>= ' : ''}${fmt(mb(Math.max(gopy.peakRss, gopy.vmHwm)))} MB)`,
  );
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      cases: shape.cases,
      week,
      inWeek: shape.in_week,
      heap: shape.heap,
      cpus: os.cpus().length,
      gopy: {
        cold: +gopy.cold.toFixed(3),
        warm: gopy.warm && +gopy.warm.toFixed(3),
        peakRssMb: Math.round(mb(gopy.peakRss)),
        outsideStatementsMs: Math.round(outside(results.gopy)),
        aggregatesMs: aggGopy && Math.round(aggGopy),
        timedOut: gopy.timedOut,
      },
      hotIssues: hot?.length,
      baseline: {
        cold: +baseline.cold.toFixed(3),
        warm: baseline.warm && +baseline.warm.toFixed(3),
        peakRssMb: Math.round(mb(baseline.peakRss)),
        aggregatesMs: aggBaseline && Math.round(aggBaseline),
      },
      ratio: +ratio.toFixed(3),
      same: same === 'the same',
      seconds: Math.round((performance.now() - started) / 1000),
    })}`,
  );
  if (args.explain) await explainAll(week);
  if (args.strict && !(timeMet && rssMet)) process.exitCode = 1;
}

if (args.side) {
  runSide(args.side).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
