#!/usr/bin/env node
// Intake benchmark: POST /api/v1/submissions on gopy (Nest + Fastify + TypeORM, the built
// dist) against a bare baseline (bench/baseline-server.mjs: plain Fastify + pg Pool doing
// the same work). The request body is bench/body.json; bench/cpu-profile-hook.cjs is preloaded
// into both servers with --profile. See docs/benchmarks.md.
//
//   npm run bench:intake                       build, then run with the defaults
//   node bench/intake.bench.mjs [options]      run against the existing dist
//
// Options (or the BENCH_* environment variable in brackets):
//   --duration S          measured run length in seconds            [BENCH_DURATION]     10
//   --warmup S            warm-up before each measured run          [BENCH_WARMUP]        5
//   --connections N       autocannon connections                    [BENCH_CONNECTIONS]  50
//   --rounds N            peak runs per side, alternating; medians  [BENCH_ROUNDS]        3
//   --baseline dto|hand|both  baseline validation: the compiled DTO with class-validator,
//                         hand-written equivalent checks, or both    [BENCH_BASELINE]   dto
//   --entry api|all       gopy entry: the API alone, or `all --no-seed` (API + worker)   api
//   --api-entry PATH      run this API entry instead of the built one, e.g. a patched copy
//                         of dist/apps/api to try a change before making it  [BENCH_API_ENTRY]
//   --idle-wait S         before each measured run, wait up to S s for the machine to be
//                         >= 85% idle (other work skews the figures)  [BENCH_IDLE_WAIT]  60
//   --profile             CPU-profile the measured peak run of each server and print the
//                         top self-time functions (figures are then taken with the
//                         profiler attached: use a run without it for the table)
//   --strict              exit 1 when a target is missed
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ADMIN_URL,
  CLK_TCK,
  databaseUrl,
  describeMachine,
  ensureBuilt,
  fail,
  freePort,
  gitDescribe,
  log,
  machineTicks,
  median,
  postgresTicks,
  prefixLines,
  printProfileLists,
  printTable as printAligned,
  procTicks,
  recreateEmptyDatabase,
  sleep,
  summariseProfile,
  waitForIdle,
  withClient,
} from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Client } = require('pg');

const GOPY_ENTRY = join(ROOT, 'dist/apps/gopy/apps/gopy/src/main.js');
const BUILT_API_ENTRY = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
const BASELINE = join(ROOT, 'bench/baseline-server.mjs');
const PROFILE_HOOK = join(ROOT, 'bench/cpu-profile-hook.cjs');
const BODY_FILE = join(ROOT, 'bench/body.json');
const ROUTE = '/api/v1/submissions';
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 100;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP ?? '5' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '50' },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '3' },
    baseline: { type: 'string', default: process.env.BENCH_BASELINE ?? 'dto' },
    entry: { type: 'string', default: process.env.BENCH_ENTRY ?? 'api' },
    'api-entry': { type: 'string', default: process.env.BENCH_API_ENTRY },
    'idle-wait': { type: 'string', default: process.env.BENCH_IDLE_WAIT ?? '60' },
    profile: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Math.max(1, Number(args.rounds));
const IDLE_WAIT = Number(args['idle-wait']);
const PRIME = Math.max(WARMUP, 15);
const BASELINE_MODES = args.baseline === 'both' ? ['dto', 'hand'] : [args.baseline];
if (!BASELINE_MODES.every((m) => m === 'dto' || m === 'hand')) fail(`--baseline must be dto, hand or both`);
if (args.entry !== 'api' && args.entry !== 'all') fail(`--entry must be api or all`);
const API_ENTRY = args['api-entry'] ? resolve(args['api-entry']) : BUILT_API_ENTRY;
if (args['api-entry'] && args.entry !== 'api') fail('--api-entry needs --entry api');

const DB_NAME = 'gopy_bench';
const DATABASE_URL = databaseUrl(DB_NAME);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TMP = mkdtempSync(join(os.tmpdir(), 'gopy-bench-'));

// ---------------------------------------------------------------- child processes

const children = new Set();

function killAll(signal = 'SIGKILL') {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}
process.on('exit', () => {
  killAll('SIGKILL');
  // Profiles are kept for chrome://inspect or speedscope; the rest of TMP is not.
  if (!args.profile) rmSync(TMP, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: stopping servers`);
    killAll('SIGTERM');
    setTimeout(() => process.exit(130), 2000).unref();
  });
}

async function startServer(name, args, env, port) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  prefixLines(child.stdout, name);
  prefixLines(child.stderr, name);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited during start-up (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${name} did not answer /health within 60 s`);
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- build and database

function buildIfStale() {
  const gopySources = ['apps/gopy/src', 'apps/api/src', 'apps/worker/src', 'libs', 'config'];
  ensureBuilt({ root: ROOT, entry: GOPY_ENTRY, sources: gopySources });
  if (args.entry === 'api' && !args['api-entry'])
    ensureBuilt({ root: ROOT, project: 'api', entry: API_ENTRY, sources: ['apps/api/src', 'libs', 'config'] });
  if (!existsSync(API_ENTRY)) fail(`no API entry at ${API_ENTRY}`);
}

/** The admin connection, as the bench always opened it (no application_name). */
const withAdmin = (fn) => withClient(ADMIN_URL, fn, null);

async function recreateDatabase(env) {
  await recreateEmptyDatabase(DB_NAME, { adminUrl: ADMIN_URL, applicationName: null });
  const result = spawnSync(process.execPath, [GOPY_ENTRY, 'migrate'], { cwd: ROOT, env, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    fail('migration failed');
  }
  log(`database ${DB_NAME} recreated and migrated`);
}

const TABLES = 'idempotency_keys, outbound_mails, attachments, case_events, submissions, outbox, cases';

/** Every measured run starts on empty tables with a fresh checkpoint, whoever ran before. */
/** autocannon stops with requests in flight: wait until their transactions are done. */
async function quiesce(db, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state NOT IN ('idle')`,
    );
    if (rows[0].n === 0 || Date.now() > deadline) return;
    await sleep(100);
  }
}

/**
 * Every measured run starts on empty tables with a fresh checkpoint, whoever ran before.
 * case_events and audit_log refuse TRUNCATE by trigger (append-only by design); on this
 * throw-away database the bench's own session turns user triggers off for the TRUNCATE
 * (session_replication_role = replica, superuser only); CASCADE takes every table that
 * references the intake tables along. Without that right the tables are kept, with a warning.
 * With --entry all the worker still has jobs for the rows written so far, so the tables are
 * kept too (truncating them would fail its receipts on foreign keys); only the checkpoint is taken.
 */
let truncateWarned = false;
async function truncate(db) {
  try {
    await db.query('SET session_replication_role = replica');
    await db.query(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);
  } finally {
    await db.query('RESET session_replication_role').catch(() => undefined);
  }
}

async function resetTables(db) {
  await quiesce(db);
  if (args.entry === 'api') {
    let attempt = 1;
    for (;;) {
      try {
        await truncate(db);
        break;
      } catch (error) {
        if (error.code !== '40P01' || attempt++ >= 5) {
          if (!truncateWarned)
            log(`warning: cannot empty the tables between runs (${error.message}); runs start on what is there`);
          truncateWarned = true;
          break;
        }
        await sleep(500); // deadlock with a late request
      }
    }
  }
  await db.query('CHECKPOINT');
}

/** Row counts of every table, to see what one request writes. */
async function tableCounts(db) {
  const { rows: tables } = await db.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
  );
  const sql = tables
    .map((t) => `SELECT '${t.table_name}' AS t, count(*)::int AS n FROM "${t.table_name}"`)
    .join(' UNION ALL ');
  const { rows } = await db.query(sql);
  return new Map(rows.map((r) => [r.t, r.n]));
}

function written(before, after) {
  return [...after]
    .filter(([t, n]) => n !== (before.get(t) ?? 0))
    .map(([t, n]) => `${t} ${n - (before.get(t) ?? 0) > 0 ? '+' : ''}${n - (before.get(t) ?? 0)}`)
    .join(', ');
}

async function countCases(db) {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM cases');
  return rows[0].n;
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)

/** CPU used by the server, by PostgreSQL, by this process (autocannon) and by everything else. */
function cpuMeter(serverPid) {
  const start = {
    server: procTicks(serverPid),
    pg: postgresTicks(),
    self: process.cpuUsage(),
    machine: machineTicks(),
  };
  return () => {
    const pgNow = postgresTicks();
    let pg = 0;
    for (const [pid, t] of pgNow) pg += t - (start.pg.get(pid) ?? 0); // backends that exited are missed
    const machine = machineTicks();
    const self = process.cpuUsage(start.self);
    const ms = (ticks) => (ticks * 1000) / CLK_TCK;
    const server = ms(procTicks(serverPid) - start.server);
    const postgres = ms(pg);
    const bench = (self.user + self.system) / 1000;
    const busy = ms(machine.busy - start.machine.busy);
    const total = ms(machine.total - start.machine.total);
    return { server, postgres, bench, other: Math.max(0, busy - server - postgres - bench), busy, total };
  };
}

/**
 * On a shared machine other work skews the figures: wait (up to IDLE_WAIT s) until at least
 * 85% of the CPU time is idle, then run anyway with a warning. The "other" column of the CPU
 * table shows what still ran during each measured run.
 */
const waitUntilIdle = () => waitForIdle({ seconds: IDLE_WAIT, percent: '%' });

// ---------------------------------------------------------------- load

const BODY = Buffer.from(JSON.stringify(JSON.parse(readFileSync(BODY_FILE, 'utf8'))), 'utf8');
const HEADERS = { 'content-type': 'application/json', 'accept-language': 'vi' };

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ method: 'POST', headers: HEADERS, body: BODY, connections: CONNECTIONS, ...opts }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

function summarise(result) {
  const ok = result['2xx'];
  return {
    okRps: ok / result.duration,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    ok,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

async function peakRun(port) {
  return summarise(await cannon({ url: `http://127.0.0.1:${port}${ROUTE}`, duration: DURATION }));
}

async function warmUp(port) {
  if (WARMUP > 0) await cannon({ url: `http://127.0.0.1:${port}${ROUTE}`, duration: WARMUP });
}

/**
 * A fixed request rate. autocannon's limiter lets each connection send its share of a second
 * at the start of the second and then wait, so one instance turns any rate into bursts of
 * CONNECTIONS concurrent requests. `instances` autocannon instances, started 1/instances of a
 * second apart, spread those bursts over the second; their histograms are merged with
 * autocannon.aggregateResult.
 */
async function rateRun(port, rate, instances) {
  const url = `http://127.0.0.1:${port}${ROUTE}`;
  instances = Math.max(1, Math.min(instances, rate));
  const connections = Math.max(1, Math.round(CONNECTIONS / instances));
  const runs = [];
  for (let i = 0; i < instances; i++) {
    const share = Math.floor(rate / instances) + (i < rate % instances ? 1 : 0);
    runs.push(
      sleep((i * 1000) / instances).then(
        () =>
          new Promise((resolve, reject) =>
            autocannon(
              {
                url,
                method: 'POST',
                headers: HEADERS,
                body: BODY,
                connections,
                duration: DURATION,
                overallRate: share,
                skipAggregateResult: instances > 1,
              },
              (error, result) => (error ? reject(error) : resolve(result)),
            ),
          ),
      ),
    );
  }
  const results = await Promise.all(runs);
  const merged = instances > 1 ? autocannon.aggregateResult(results, { url, connections: CONNECTIONS }) : results[0];
  const summary = summarise(merged);
  // aggregateResult adds the per-second histograms; count completed requests instead.
  summary.okRps = merged['2xx'] / DURATION;
  summary.rps = merged.totalCompletedRequests / DURATION;
  return summary;
}

// ---------------------------------------------------------------- CPU profile summary

function printProfile(name, summary, requests) {
  console.log(
    `\nCPU profile of ${name} during the measured run: ${summary.busyMs} ms busy of ${summary.totalMs} ms` +
      (requests ? ` (${((summary.busyMs * 1000) / requests).toFixed(0)} µs of main-thread CPU per request)` : ''),
  );
  printProfileLists([
    ['self time by package / area', summary.areas],
    ['top self-time functions', summary.self],
    ['top inclusive (self + callees) functions', summary.inclusive],
  ]);
}

async function profileWindow(child, file, run) {
  child.kill('SIGWINCH');
  await sleep(200);
  const result = await run();
  child.kill('SIGWINCH');
  const deadline = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`no CPU profile written to ${file}`);
    await sleep(100);
  }
  return result;
}

// ---------------------------------------------------------------- report helpers

async function versions() {
  const pg = await withAdmin(async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
  let redis = 'unknown';
  try {
    const { default: Redis } = await import('ioredis');
    const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    redis = (await client.info('server')).match(/redis_version:(\S+)/)?.[1] ?? 'unknown';
    client.disconnect();
  } catch {
    // informational only
  }
  return { pg, redis };
}

/** A side's throughput: the median req/s of its clean runs (of all its runs if none is clean). */
function peakRps(runs) {
  const pool = runs.some(isClean) ? runs.filter(isClean) : runs;
  return median(pool.map((r) => r.okRps));
}

/** A run during which other work on the machine used under 10% of what the server and PostgreSQL used. */
const isClean = (run) => run.cpu.other <= 0.1 * (run.cpu.server + run.cpu.postgres);
const label = (run) => `${run.name}${isClean(run) ? '' : ' *'}`;

/** Server + PostgreSQL CPU per 2xx request (µs), median over the side's clean runs. */
function cpuPerRequest(runs) {
  const pool = runs.some(isClean) ? runs.filter(isClean) : runs;
  return median(pool.map((r) => ((r.cpu.server + r.cpu.postgres) * 1000) / r.ok));
}

const fmt = (n, digits = 1) => (typeof n === 'number' ? n.toFixed(digits) : String(n));

function printTable(rows) {
  const head = ['run', 'req/s (2xx)', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors', 'timeouts', 'non-2xx', 'rows'];
  const body = rows.map((r) => [
    label(r),
    fmt(r.okRps),
    fmt(r.p50),
    fmt(r.p90),
    fmt(r.p99),
    fmt(r.max, 0),
    r.errors,
    r.timeouts,
    r.non2xx,
    r.rows ?? '',
  ]);
  printAligned([head, ...body]);
}

function printCpuTable(rows) {
  const head = ['run', 'server', 'postgres', 'autocannon', 'other', 'busy %'];
  const body = rows.map((r) => {
    const per = (ms) => ((ms * 1000) / Math.max(1, r.ok)).toFixed(0);
    return [
      label(r),
      per(r.cpu.server),
      per(r.cpu.postgres),
      per(r.cpu.bench),
      per(r.cpu.other),
      ((100 * r.cpu.busy) / r.cpu.total).toFixed(0),
    ];
  });
  printAligned([head, ...body]);
}

// ---------------------------------------------------------------- main

async function main() {
  buildIfStale();
  const cpus = os.cpus();
  const key = randomBytes(32).toString('base64');
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    DATABASE_URL,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL,
    QUEUE_PREFIX: '{gopybench}',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_SUBMIT_PER_HOUR: '0',
    RATE_LIMIT_TRACK_PER_MINUTE: '0',
    ENCRYPTION_KEYS: `bench:${key}`,
    FORM_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    MAIL_DIR: join(TMP, 'mail'),
    CONFIG_DIR: 'config',
  };
  await recreateDatabase(baseEnv);
  const { pg, redis } = await versions();
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();

  console.log(`\ngopy intake benchmark: POST ${ROUTE}, ${BODY.length}-byte Vietnamese JSON body (contact sealed)`);
  console.log(describeMachine([`PostgreSQL ${pg}`, `Redis ${redis}`]));
  const git = gitDescribe(ROOT);
  if (args['api-entry']) console.log(`gopy API entry: ${API_ENTRY} (--api-entry)`);
  console.log(
    `code: ${git} (gopy dist built ${new Date(statSync(args.entry === 'api' ? API_ENTRY : GOPY_ENTRY).mtimeMs).toISOString()})`,
  );
  console.log(
    `load: autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s measured per run, ` +
      `${ROUNDS} round(s); gopy entry: ${args.entry === 'api' ? 'API only' : 'all --no-seed (API + worker)'}\n`,
  );

  const profiling = args.profile;
  const startArgs = (name, entryArgs) => (profiling ? ['--require', PROFILE_HOOK, ...entryArgs] : entryArgs);
  const profileFile = (name, round) => join(TMP, `${name}-${round}.cpuprofile`);

  const sides = [
    {
      name: 'gopy',
      args: startArgs('gopy', args.entry === 'api' ? [API_ENTRY] : [GOPY_ENTRY, 'all', '--no-seed']),
      env: {},
      runs: [],
    },
    ...BASELINE_MODES.map((mode) => ({
      name: `baseline (${mode === 'dto' ? 'class-validator DTO' : 'hand-written checks'})`,
      short: `baseline-${mode}`,
      args: startArgs('baseline', [BASELINE]),
      env: { BASELINE_VALIDATION: mode },
      runs: [],
    })),
  ];
  const gopy = sides[0];
  let halfRate;
  const profiles = [];

  // The first minutes of heavy writes on a fresh database run slower (PostgreSQL creates WAL
  // segments before it can recycle them, caches are cold): pay that before anything is measured.
  {
    const port = await freePort();
    log(`priming PostgreSQL with ${PRIME} s of load (not measured)`);
    const child = await startServer(
      'prime',
      [BASELINE],
      { ...baseEnv, BASELINE_VALIDATION: 'dto', PORT: String(port) },
      port,
    );
    try {
      await cannon({ url: `http://127.0.0.1:${port}${ROUTE}`, duration: PRIME });
    } finally {
      await stopServer(child);
    }
  }

  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate the order each round so neither side always runs on a warmer machine.
    const order = round % 2 === 1 ? sides : [...sides].reverse();
    for (const side of order) {
      const port = await freePort();
      const file = profileFile(side.short ?? side.name, round);
      const env = { ...baseEnv, ...side.env, PORT: String(port), ...(profiling ? { BENCH_CPU_PROFILE: file } : {}) };
      log(`round ${round}: starting ${side.name} on port ${port}`);
      const child = await startServer(side.short ?? side.name, side.args, env, port);
      try {
        await quiesce(db);
        const countsBefore = await tableCounts(db);
        const smoke = await fetch(`http://127.0.0.1:${port}${ROUTE}`, { method: 'POST', headers: HEADERS, body: BODY });
        const receipt = await smoke.json();
        side.written ??= written(countsBefore, await tableCounts(db));
        if (smoke.status !== 201 || !/^[2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5}$/.test(receipt.trackingCode ?? '')) {
          throw new Error(`${side.name}: smoke request answered ${smoke.status} ${JSON.stringify(receipt)}`);
        }
        log(`${side.name}: warm-up ${WARMUP} s`);
        await warmUp(port);
        await resetTables(db);
        await waitUntilIdle();
        log(`${side.name}: measured run ${DURATION} s`);
        const rowsBefore = await countCases(db);
        const meter = cpuMeter(child.pid);
        const run = profiling ? await profileWindow(child, file, () => peakRun(port)) : await peakRun(port);
        run.cpu = meter();
        run.rows = (await countCases(db)) - rowsBefore;
        run.name = `${side.name}, peak${ROUNDS > 1 ? ` #${round}` : ''}`;
        if (run.ok === 0)
          throw new Error(`${side.name}: no successful response in the measured run (${run.errors} errors)`);
        side.runs.push(run);
        if (profiling) profiles.push({ name: side.name, file, requests: run.ok });
        log(
          `${side.name}: ${fmt(run.okRps)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.errors} errors, ${run.non2xx} non-2xx`,
        );

        if (side === gopy && round === ROUNDS) {
          halfRate = Math.max(1, Math.round(peakRps(gopy.runs) / 2));
          for (const [label, instances] of [
            ['smooth: 10 staggered autocannon instances', 10],
            ['one autocannon instance, bursty', 1],
          ]) {
            await resetTables(db);
            await waitUntilIdle();
            log(`gopy: ${DURATION} s at ${halfRate} req/s (half the peak), ${label}`);
            const rowsBefore = await countCases(db);
            const meter = cpuMeter(child.pid);
            const half = await rateRun(port, halfRate, instances);
            half.cpu = meter();
            half.rows = (await countCases(db)) - rowsBefore;
            half.name = `gopy @ ${halfRate} req/s (${label})`;
            half.instances = instances;
            gopy.half ??= [];
            gopy.half.push(half);
          }
        }
      } finally {
        await quiesce(db, 5_000).catch(() => undefined); // let the last requests finish before SIGTERM
        await stopServer(child);
      }
    }
  }
  await db.end();

  const gopyPeak = peakRps(gopy.runs);
  const baselines = sides.slice(1).map((s) => ({ side: s, peak: peakRps(s.runs) }));
  const primary = baselines[0];
  const ratio = gopyPeak / primary.peak;
  const smooth = gopy.half.find((h) => h.instances > 1);

  console.log('\nresults (req/s counts 2xx responses only; latencies from autocannon, ms;');
  console.log(' * = other work on the machine used >= 10% as much CPU as the run itself: left out of medians)\n');
  printTable([...sides.flatMap((s) => s.runs), ...gopy.half]);
  console.log('\nCPU time per 2xx request, µs (server process incl. all its threads; all postgres processes;');
  console.log(
    'autocannon in this process; "other" = anything else on the machine, should be ~0; busy = machine CPU use)\n',
  );
  printCpuTable([...sides.flatMap((s) => s.runs), ...gopy.half]);
  console.log(`\nCPUs: ${cpus.length} x ${cpus[0]?.model.trim()}`);
  for (const { side, peak } of baselines) {
    console.log(
      `gopy / ${side.name} (median req/s of clean runs): ${fmt(gopyPeak)} / ${fmt(peak)} = ${(100 * (gopyPeak / peak)).toFixed(1)}%`,
    );
  }
  for (const { side } of baselines) {
    const g = cpuPerRequest(gopy.runs);
    const b = cpuPerRequest(side.runs);
    console.log(
      `CPU per request (server + PostgreSQL), gopy vs ${side.name}: ${g.toFixed(0)} vs ${b.toFixed(0)} µs; ` +
        `capacity estimate ${((100 * b) / g).toFixed(1)}% (less sensitive to other load than req/s)`,
    );
  }
  console.log(`rows one request writes: ${sides.map((s) => `${s.short ?? s.name}: ${s.written}`).join('; ')}`);
  const differs = sides.slice(1).filter((s) => s.written !== gopy.written);
  if (args.entry === 'api' && differs.length > 0) {
    console.log('WARNING: the baseline no longer writes what gopy writes; update bench/baseline-server.mjs to match');
  }
  const ratioOk = ratio >= TARGET_RATIO;
  const p99Ok = smooth.p99 < TARGET_P99_MS && smooth.errors === 0 && smooth.non2xx === 0;
  console.log(
    `target throughput >= ${TARGET_RATIO * 100}% of ${primary.side.name}: ${ratioOk ? 'MET' : 'MISSED'} (${(100 * ratio).toFixed(1)}%)`,
  );
  console.log(
    `target p99 < ${TARGET_P99_MS} ms at half peak (${halfRate} req/s, smooth arrivals): ${p99Ok ? 'MET' : 'MISSED'} (${smooth.p99} ms)`,
  );
  if (profiling)
    console.log('note: the profiler was attached during the peak runs; take the figures from a run without --profile');

  for (const p of profiles)
    printProfile(
      p.name,
      summariseProfile(p.file, { root: ROOT, top: 25, areaTop: 20, benchArea: 'bench baseline' }),
      p.requests,
    );
  if (profiles.length) console.log(`\nprofiles kept in ${TMP} (open in Chrome DevTools > Performance, or speedscope)`);

  const json = {
    git,
    machine: { cpus: cpus.length, model: cpus[0]?.model.trim(), node: process.version, postgres: pg, redis },
    settings: {
      connections: CONNECTIONS,
      duration: DURATION,
      warmup: WARMUP,
      rounds: ROUNDS,
      bodyBytes: BODY.length,
      entry: args.entry,
      profiling,
    },
    gopy: gopy.runs,
    baselines: Object.fromEntries(sides.slice(1).map((s) => [s.short, s.runs])),
    half: gopy.half,
    peaks: { gopy: gopyPeak, ...Object.fromEntries(baselines.map((b) => [b.side.short, b.peak])) },
    ratio,
  };
  console.log(`\nBENCH_RESULT ${JSON.stringify(json)}`);
  if (args.strict && !(ratioOk && p99Ok)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  killAll('SIGKILL');
  process.exit(1);
});
