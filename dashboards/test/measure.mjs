// Measures the site: build time from the warehouse (cleared loader cache), page load and render
// time in Chromium, data payload per page; for the fixture (28 days, 120 styles) and a large one
// (91 days, 20,000 styles, 91 days of gate history) derived from it. Not a test: numbers only.
// Usage: node --import tsx test/measure.mjs [dataset...]   (the stack up, tasks built)
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { buildSite } from "../lib/build.mjs";
import { loadEnv } from "../lib/env.mjs";
import { serve } from "../lib/serve.mjs";
import { checkSite, problems } from "./browser.mjs";
import { loadFixture } from "./fixtures/load.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = loadEnv();

/** The fixture's SQL rewritten for dataset 'dash-large': 91 days and 20,000 styles. */
function largeSql(file) {
  return readFileSync(path.join(here, "fixtures", file), "utf8")
    .replaceAll("'dash-fixture'", "'dash-large'")
    .replaceAll("'fixture__", "'large__")
    .replaceAll("date '2022-04-01'", "date '2022-03-31'")
    .replaceAll("date '2022-04-28'", "date '2022-06-29'")
    .replaceAll("date '2022-04-29'", "date '2022-06-30'")
    .replaceAll("date '2022-05-12'", "date '2022-07-13'")
    .replaceAll("generate_series(1, 120)", "generate_series(1, 20000)")
    .replaceAll("120.0", "20000.0")
    .replaceAll("120 * t", "20000 * t");
}

async function measure(dataset) {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "dashboards-measure-")), "site");
  const started = Date.now();
  await buildSite(out, { ...env, DASHBOARD_DATASET: dataset });
  const buildMs = Date.now() - started;
  const { server, url } = await serve(out);
  try {
    const report = await checkSite(url);
    return { dataset, buildMs, report, problems: problems(report) };
  } finally {
    server.close();
  }
}

// Datasets named on the command line are measured as the warehouse holds them (e.g. make demo's
// synthetic-seed1-128975); without any, the fixture and the large fixture derived from it.
const named = process.argv.slice(2);
const datasets = named.length ? named : ["dash-fixture", "dash-large"];
if (!named.length) await loadFixtures();

async function loadFixtures() {
await loadFixture(env);
const client = new pg.Client({ host: env.PGHOST, port: Number(env.PGPORT), database: env.WAREHOUSE_DB, user: env.WAREHOUSE_USER, password: env.WAREHOUSE_PASSWORD });
await client.connect();
await client.query(largeSql("marts.sql"));
await client.query(largeSql("quality.sql"));
const { rows } = await client.query("select (select count(*) from marts.mart_sales_daily where dataset = 'dash-large') as days, (select count(*) from marts.mart_product_ranking where dataset = 'dash-large') as styles");
await client.end();
process.stderr.write(`large fixture: ${rows[0].days} days, ${rows[0].styles} styles\n`);
}
for (const dataset of datasets) {
  const m = await measure(dataset);
  console.log(`\n${dataset}: build ${(m.buildMs / 1000).toFixed(1)} s; problems: ${m.problems.length ? m.problems.join("; ") : "none"}`);
  console.log("| page | load event (ms) | rendered (ms) | data payload (bytes) |\n|---|---|---|---|");
  for (const p of m.report) console.log(`| ${p.page} | ${p.loadMs} | ${p.renderedMs} | ${p.dataBytes} |`);
}
