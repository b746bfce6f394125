#!/usr/bin/env node
// The npm registry reachable here lacks some other-platform binaries (darwin, win32, ...)
// that packages list as optionalDependencies; npm then leaves them out of the lock file and
// `npm ci` refuses the lock. This records each as an optional package for its own os/cpu,
// which is what npm would write, so `npm ci` skips it on Linux. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const PLATFORM = /(darwin|linux|win32|android|freebsd|openharmony)-(arm64|x64|arm|ia32|loong64|ppc64|riscv64|s390x)/;
let added = 0;
for (const meta of Object.values(lock.packages)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const match = name.match(PLATFORM);
    if (lock.packages[key] || !match) continue;
    lock.packages[key] = { version: range.replace(/^[\^~]/, ''), optional: true, os: [match[1]], cpu: [match[2]] };
    added++;
  }
}
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries added`);
