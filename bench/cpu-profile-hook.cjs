// Preloaded (`node --require bench/cpu-profile-hook.cjs ...`) into a server by
// bench/intake.bench.mjs --profile. The first SIGWINCH starts V8's sampling profiler, the
// second stops it and writes the profile (Chrome .cpuprofile JSON) to $BENCH_CPU_PROFILE.
// Unlike `node --cpu-prof`, this covers only the measured window (not start-up and warm-up)
// and does not depend on the process exiting normally (Nest re-raises SIGTERM after its
// shutdown hooks, so --cpu-prof never gets to write its file). SIGWINCH because Nest's
// enableShutdownHooks() treats SIGUSR2 as a shutdown signal, and its default is to ignore.
'use strict';
const { Session } = require('node:inspector');
const { renameSync, writeFileSync } = require('node:fs');

const target = process.env.BENCH_CPU_PROFILE;
if (target) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) {
        process.stderr.write(`cpu-profile-hook: ${error.message}\n`);
        return;
      }
      writeFileSync(`${target}.tmp`, JSON.stringify(result.profile));
      renameSync(`${target}.tmp`, target);
    });
  });
}
