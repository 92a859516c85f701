// Runs the TypeScript engine (compiled, tasks/dist) on a local partition: the same one-pass path as
// quality-gate, failing rows spooled like the quarantine export. Prints one JSON line.
const path = require('node:path');
const dist = path.resolve(__dirname, '../../tasks/dist/quality');
const { validate } = require(`${dist}/engine`);
const { fileReader } = require(`${dist}/readers/s3`);
const { loadSuite } = require(`${dist}/suite`);

async function main() {
  const [suiteName, dir] = process.argv.slice(2);
  const suite = loadSuite(suiteName);
  const started = process.hrtime.bigint();
  let failing = 0;
  const v = await validate(suite, await fileReader(dir), { onFailingRow: () => void failing++ });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const verdicts = v.result.results.map((r) => r.success);
  const out = { rows: v.rows, seconds, peak_rss_mb: process.resourceUsage().maxRSS / 1024, verdicts, failing_rows: failing };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exitCode = 3;
});
