#!/usr/bin/env node
// Runs gopy from a fresh checkout: makes a local .env with development keys on first run,
// builds when the sources changed, then starts the chosen process.
//   node scripts/start.mjs [all|api|worker|migrate|seed|build|directory:import|directory:export] [args]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [command = 'all', ...flags] = process.argv.slice(2);
const PROJECT = {
  all: 'gopy',
  migrate: 'gopy',
  seed: 'gopy',
  build: 'gopy',
  'directory:import': 'gopy',
  'directory:export': 'gopy',
  api: 'api',
  worker: 'worker',
}[command];
if (!PROJECT) {
  console.error(
    `unknown command ${command}: use all, api, worker, migrate, seed, build, directory:import or directory:export`,
  );
  process.exit(2);
}
const ENTRY = {
  gopy: 'dist/apps/gopy/apps/gopy/src/main.js',
  api: 'dist/apps/api/apps/api/src/main.js',
  worker: 'dist/apps/worker/apps/worker/src/main.js',
};

function ensureLocalEnv() {
  if (existsSync('.env')) return;
  // Development keys only; production sets its own and refuses to start without them.
  const content = [
    '# Made by `npm start` on first run for this machine only. Never commit; see .env.example.',
    `ENCRYPTION_KEYS=local:${randomBytes(32).toString('base64')}`,
    `FORM_TOKEN_SECRET=${randomBytes(32).toString('base64url')}`,
    '',
  ].join('\n');
  writeFileSync('.env', content, { mode: 0o600 });
  console.log('gopy: created .env with a local encryption key (kept out of git)');
}

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

function buildIfNeeded(project) {
  const entry = ENTRY[project];
  const sources = Math.max(...['apps', 'libs', 'config'].map(newest), statSync('package-lock.json').mtimeMs);
  if (command !== 'build' && existsSync(entry) && statSync(entry).mtimeMs >= sources) return;
  console.log(`gopy: building ${project}...`);
  const result = spawnSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build', project], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

ensureLocalEnv();
buildIfNeeded(PROJECT);
if (command === 'build') process.exit(0);

const args = PROJECT === 'gopy' ? [ENTRY.gopy, command, ...flags] : [ENTRY[PROJECT], ...flags];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
