// Loaded (`--import`) into every test file's process by scripts/run-tests.mjs.
//
// Node 20's --test-force-exit calls process.exit() as soon as a file's tests are done, while the
// end of its report may still wait in stdout's buffer (a pipe to the runner, written
// asynchronously): the runner then counts fewer tests than ran (CI once lost 16 results of one
// file), and a failure's message can be lost with them. So exit only once stdout has drained,
// or after 10 s if the runner stops reading.
const exit = process.exit.bind(process);
const FLUSH_POLL_MS = 5;
const FLUSH_LIMIT_MS = 10_000;

process.exit = (code) => {
  const deadline = Date.now() + FLUSH_LIMIT_MS;
  const exitWhenFlushed = () => {
    if (process.stdout.writableLength === 0 || Date.now() >= deadline) exit(code);
    else setTimeout(exitWhenFlushed, FLUSH_POLL_MS);
  };
  exitWhenFlushed();
};
