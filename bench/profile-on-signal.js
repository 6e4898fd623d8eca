// Preloaded into the app by `BENCH_PROFILE=1 npm run bench` (NODE_OPTIONS=--require): the first
// SIGUSR2 starts V8's CPU profiler, the next writes the profile to BENCH_PROFILE_FILE.<n>.cpuprofile.
// A signal rather than --cpu-prof: the profile then covers one measured window, not the start-up
// and the JIT's warm-up.
const { Session } = require('node:inspector');
const { renameSync, writeFileSync } = require('node:fs');

let session;
let count = 0;
process.on('SIGUSR2', () => {
  if (!session) {
    session = new Session();
    session.connect();
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  const current = session;
  session = undefined;
  current.post('Profiler.stop', (err, result) => {
    const file = `${process.env.BENCH_PROFILE_FILE}.${count++}.cpuprofile`;
    // Renamed into place: the reader waits for the name and must never see half a file.
    if (!err) writeFileSync(`${file}.part`, JSON.stringify(result.profile));
    if (!err) renameSync(`${file}.part`, file);
    current.disconnect();
  });
});
