// Helpers the benchmark scripts (bench/*.bench.mjs) share: messages and exit, the build check,
// the bench database, CPU and memory from Linux /proc, waiting for an idle machine, the
// description of the machine, a few numbers and tables for the report, and the summary of a
// V8 CPU profile. Nothing here measures by itself: each script decides what it measures.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- messages

/** Writes `bench: message` to stderr and exits with 2 (bad options, a failed build or setup). */
export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/** Writes `bench: message` to stderr (progress; stdout is kept for the report). */
export const log = (message) => console.error(`bench: ${message}`);

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------- build

/** The newest modification time (ms) of a file, or of any file below a folder. */
export function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/**
 * Builds a Nest project with `nest build <project>` when its `entry` is missing or older than
 * any file in `sources` (folders relative to `root`) or package-lock.json; `npm run bench:*`
 * builds first, so run directly this builds only what is missing or stale. With `prebuilt` (a
 * build given by --dist) nothing is built: it only checks that `entry` is there.
 */
export function ensureBuilt({
  root,
  entry,
  project = 'gopy',
  sources = ['apps/gopy/src', 'libs', 'config'],
  prebuilt,
  log: say = log,
  fail: stop = fail,
}) {
  if (prebuilt) {
    if (!existsSync(entry)) stop(`no ${project} build at ${prebuilt}`);
    return;
  }
  const changed = Math.max(
    ...sources.map((d) => newest(join(root, d))),
    statSync(join(root, 'package-lock.json')).mtimeMs,
  );
  if (existsSync(entry) && statSync(entry).mtimeMs >= changed) return;
  say(`building ${project} (${existsSync(entry) ? 'sources changed' : 'no dist yet'})...`);
  const nest = join(root, 'node_modules/@nestjs/cli/bin/nest.js');
  const result = spawnSync(process.execPath, [nest, 'build', project], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) stop(`nest build ${project} failed`);
}

// ---------------------------------------------------------------- PostgreSQL

/** Where PostgreSQL is, as a superuser on its `postgres` database (BENCH_ADMIN_DATABASE_URL). */
export const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(name, adminUrl = ADMIN_URL) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Runs `fn(client)` on a new pg connection to `url` and closes it, whatever happens. The
 * connection says `applicationName` in pg_stat_activity (none when null).
 */
export async function withClient(url, fn, applicationName = 'gopy-bench') {
  const { Client } = require('pg');
  const client = new Client({
    connectionString: url,
    ...(applicationName === null ? {} : { application_name: applicationName }),
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops database `name` (closing its connections) and creates it empty, through `adminUrl`. */
export async function recreateEmptyDatabase(name, { adminUrl = ADMIN_URL, applicationName } = {}) {
  await withClient(
    adminUrl,
    async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    },
    applicationName,
  );
}

/**
 * Runs the gopy CLI (`node <entry> <command>`, e.g. migrate or seed) with `env`; on failure
 * prints what it wrote and fails with `gopy <command> failed`.
 */
export function gopyCli(command, { root, entry, env, fail: stop = fail }) {
  const result = spawnSync(process.execPath, [entry, command], { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    stop(`gopy ${command} failed`);
  }
}

// ---------------------------------------------------------------- CPU and memory (Linux /proc)

/** Clock ticks per second, the unit of the CPU times in /proc. */
export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name (index 1: ppid, 11/12: utime/stime). */
export function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU ticks (utime + stime, all threads) of a process; 0 when it is gone. */
export function procTicks(pid) {
  try {
    const f = statFields(pid);
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/**
 * CPU ticks of PostgreSQL processes, by pid. With `database`, only the backends of that
 * database (found by their process title, e.g. "postgres: 15/main: postgres gopy_bench_mail
 * 127.0.0.1(...) idle") and, with `parallelWorkers`, the parallel workers they lead (keyed
 * `w<pid>`); without it every postgres process (a process gone meanwhile counts 0).
 */
export function postgresTicks({ database, parallelWorkers = false } = {}) {
  const backends = new Map();
  const workers = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (database === undefined) {
        backends.set(pid, procTicks(pid));
        continue;
      }
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const leader = parallelWorkers ? /parallel worker for PID (\d+)/.exec(title) : null;
      if (!leader && !title.includes(` ${database} `)) continue;
      const f = statFields(pid);
      const ticks = Number(f[11]) + Number(f[12]);
      if (leader) workers.push({ pid, leader: leader[1], ticks });
      else backends.set(pid, ticks);
    } catch {
      // gone
    }
  }
  for (const w of workers) if (backends.has(w.leader)) backends.set(`w${w.pid}`, w.ticks);
  return backends;
}

/** The machine's CPU ticks since boot from /proc/stat: all, and busy (all but idle and iowait). */
export function machineTicks() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { total, busy: total - f[3] - f[4] };
}

/** Resident set size of a process in bytes (VmRSS); 0 when it is gone. */
export function rssOf(pid) {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The kernel's peak RSS of this process in bytes (VmHWM), undefined where /proc has none. */
export function vmHwm() {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) * 1024 : undefined;
}

/**
 * On a shared machine other work skews the figures: waits (up to `seconds`) until at least
 * 85 % of the CPU time over one second is idle, then goes on anyway with a warning,
 * "the machine is only N<percent> idle before <before>; figures will be noisy".
 */
export async function waitForIdle({ seconds, before = 'this run', percent = ' %', log: say = log }) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const a = machineTicks();
    await sleep(1000);
    const b = machineTicks();
    const idle = 1 - (b.busy - a.busy) / (b.total - a.total);
    if (idle >= 0.85) return;
    if (Date.now() > deadline) {
      say(
        `warning: the machine is only ${(100 * idle).toFixed(0)}${percent} idle before ${before}; figures will be noisy`,
      );
      return;
    }
  }
}

// ---------------------------------------------------------------- machine and code

/**
 * `machine: N CPUs, <model>, N GiB; Node <version>; <services...>; <OS> <release>`, e.g.
 * services ['PostgreSQL 16.4', 'Redis 7.2.4'].
 */
export function describeMachine(services) {
  const cpus = os.cpus();
  return (
    `machine: ${cpus.length} CPUs, ${cpus[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ` +
    `Node ${process.version}; ${services.join('; ')}; ${os.type()} ${os.release()}`
  );
}

/** `git describe --always --dirty` of the checkout at `root`, or `unknown`. */
export function gitDescribe(root) {
  return (
    spawnSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).stdout?.trim() || 'unknown'
  );
}

// ---------------------------------------------------------------- child processes

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Copies a child's output stream to stderr line by line, each line as `  [name] line`. */
export function prefixLines(stream, name) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) if (line.trim()) process.stderr.write(`  [${name}] ${line}\n`);
  });
}

// ---------------------------------------------------------------- numbers and tables

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so every run makes the same data. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A number with thousands separators and `digits` decimals (en-US). */
export const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Prints rows as a table: the first row is the header, underlined; column 0 left-aligned, the rest right. */
export function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const [i, row] of rows.entries()) {
    console.log(
      row.map((cell, j) => (j === 0 ? String(cell).padEnd(widths[j]) : String(cell).padStart(widths[j]))).join('  '),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

// ---------------------------------------------------------------- CPU profile summary

/** The package or part of gopy a profiled function belongs to; `benchArea` names bench/ code. */
function areaOf(url, benchArea) {
  if (!url) return '(V8 / native)';
  if (url.startsWith('node:') || !url.includes('/')) return 'node: internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.match(/dist\/apps\/\w+\/(libs\/\w+|apps\/\w+|config)\//);
  if (dist) return `gopy ${dist[1]}`;
  if (url.includes('/bench/')) return benchArea;
  return url.replace(/^file:\/\//, '');
}

/**
 * Summary of a .cpuprofile (V8 sampler): total and busy ms (not idle), and the `top` functions
 * by self time and by inclusive time (self + callees; without (root), processTicksAndRejections
 * and, with `skipProgram`, (program)), and the first `areaTop` packages / areas by self time,
 * each as { name, ms, pct } with pct a share of the busy time. Paths are relative to `root`.
 */
export function summariseProfile(file, { root, top, areaTop, benchArea = 'bench', skipProgram = false }) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const path = url.startsWith('file://')
      ? relative(root, fileURLToPath(url))
      : url.startsWith('/')
        ? relative(root, url)
        : url;
    return `${functionName || '(anonymous)'}${url ? ` ${path}:${lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const inclusive = new Map();
  const areas = new Map();
  const stacks = new Map();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // ms
    const node = byId.get(profile.samples[i]);
    total += dt;
    if (node.callFrame.functionName === '(idle)') {
      idle += dt;
      continue;
    }
    const key = keyOf(node);
    self.set(key, (self.get(key) ?? 0) + dt);
    const special = node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : undefined;
    const area = special ?? areaOf(node.callFrame.url, benchArea);
    areas.set(area, (areas.get(area) ?? 0) + dt);
    let keys = stacks.get(node.id);
    if (!keys) {
      keys = new Set();
      for (let id = node.id; id !== undefined; id = parent.get(id)) keys.add(keyOf(byId.get(id)));
      stacks.set(node.id, keys);
    }
    for (const k of keys) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  }
  const busy = total - idle;
  const rows = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: (100 * ms) / busy }));
  const shown = (k) =>
    !k.startsWith('(root)') && !k.includes('processTicksAndRejections') && !(skipProgram && k.startsWith('(program)'));
  return {
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    areas: rows(areas, areaTop),
    self: rows(self, top),
    inclusive: rows(new Map([...inclusive].filter(([k]) => shown(k))), top),
  };
}

/** Prints the lists of a profile summary: for each [title, rows], `  title:` and its rows. */
export function printProfileLists(lists) {
  for (const [title, list] of lists) {
    console.log(`  ${title}:`);
    for (const r of list)
      console.log(`    ${r.pct.toFixed(1).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${r.name}`);
  }
}
