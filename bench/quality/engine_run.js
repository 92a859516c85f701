// Runs the TypeScript engine (compiled, tasks/dist) on local partitions: the same one-pass path as
// quality-gate, failing rows spooled like the quarantine export. Prints one JSON line per folder:
// speed, memory, and each expectation's verdict and observed values (for bench/quality/parity.py).
//   node bench/quality/engine_run.js SUITE DIR [DIR...]
const path = require('node:path');
const dist = path.resolve(__dirname, '../../tasks/dist/quality');
const { validate } = require(`${dist}/engine`);
const { fileReader } = require(`${dist}/readers/s3`);
const { loadSuite } = require(`${dist}/suite`);

const OBSERVED = ['element_count', 'unexpected_count', 'missing_count', 'observed_value'];

function observed(result) {
  return Object.fromEntries(OBSERVED.filter((k) => result[k] !== undefined).map((k) => [k, result[k]]));
}

async function runOne(suite, dir) {
  const started = process.hrtime.bigint();
  let failing = 0;
  const v = await validate(suite, await fileReader(dir), { onFailingRow: () => void failing++ });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const results = v.result.results.map((r) => ({
    success: r.success,
    observed: observed(r.result),
    error: r.exception_info.raised_exception ? r.exception_info.exception_message : null,
  }));
  const verdicts = results.map((r) => r.success);
  const peak = process.resourceUsage().maxRSS / 1024;
  return { dir, rows: v.rows, seconds, peak_rss_mb: peak, verdicts, results, failing_rows: failing };
}

async function main() {
  const [suiteName, ...dirs] = process.argv.slice(2);
  const suite = loadSuite(suiteName);
  for (const dir of dirs) {
    let out;
    try {
      out = await runOne(suite, dir);
    } catch (e) {
      // A partition the engine refuses as a whole (e.g. no readable file) is a result, not a crash.
      out = { dir, error: String(e.message ?? e) };
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}
main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exitCode = 3;
});
