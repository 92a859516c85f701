// The site in headless Chromium over the fixture dataset: every page loads without console errors
// or requests leaving 127.0.0.1, every chart draws data marks, the overview's headline numbers are
// the marts' own; screenshots land in test/artifacts/ (git-ignored). Negative controls: the same
// checks fail when a loader's output has no rows.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { loadEnv } from "../lib/env.mjs";
import { execFileSync } from "node:child_process";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { siteRoot } from "../lib/build.mjs";
import { serve } from "../lib/serve.mjs";
import { checkSite, problems } from "./browser.mjs";
import { DATASET, loadFixture, RANGE_DAYS } from "./fixtures/load.mjs";

const env = { ...loadEnv(), DASHBOARD_DATASET: DATASET, DASHBOARD_FROM: "", DASHBOARD_TO: "" };
const work = mkdtempSync(path.join(tmpdir(), "dashboards-test-"));
const site = path.join(work, "site");
let report;

/** A copy of the built site where one loader's output is rewritten by `edit`, and its report. */
async function reportWith(loader, edit, pages) {
  const copy = path.join(work, `broken-${loader}`);
  cpSync(site, copy, { recursive: true });
  const dir = path.join(copy, "_file/data");
  const file = readdirSync(dir).find((f) => f.startsWith(`${loader}.`) && f.endsWith(".json"));
  const json = path.join(dir, file);
  writeFileSync(json, JSON.stringify(edit(JSON.parse(readFileSync(json, "utf8")))));
  const { server, url } = await serve(copy);
  try {
    return await checkSite(url, { pages });
  } finally {
    server.close();
  }
}

before(async () => {
  await loadFixture(env);
  // Through the task program's dashboard step: marts check, site build from a cleared loader cache, upload.
  execFileSync("node", [path.join(siteRoot, "../tasks/dist/cli.js"), "dashboard", "--dataset", DATASET, "--out", site, "--log-level", "warn", "--xcom-path", path.join(work, "xcom.json")], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const { server, url } = await serve(site);
  try {
    report = await checkSite(url, { screenshots: path.join(siteRoot, "test/artifacts") });
  } finally {
    server.close();
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

test("every page loads without console errors or requests leaving 127.0.0.1, and every chart has data marks", () => {
  assert.deepEqual(problems(report), []);
  const charts = report.flatMap((p) => p.charts.map((c) => c.name));
  for (const name of ["daily-revenue", "by-state", "customer-segments", "pareto", "product-segments", "pass-rate", "dead-letters", "reconciliation", "load-audit"]) {
    assert.ok(charts.includes(name), `chart ${name} is on a page`);
  }
  for (const p of report) process.stderr.write(`${p.page}: load ${p.loadMs} ms, rendered ${p.renderedMs} ms, data ${p.dataBytes} bytes\n`);
});

test("the dashboard step uploaded exactly the built site to reports/dashboard/dataset=<id>/", async () => {
  const s3 = new S3Client({ region: env.S3_REGION, endpoint: env.S3_ENDPOINT, forcePathStyle: true, credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } });
  const prefix = `reports/dashboard/dataset=${DATASET}/`;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: env.S3_BUCKET, Prefix: prefix }));
  s3.destroy();
  const keys = (listed.Contents ?? []).map((o) => o.Key.slice(prefix.length)).sort();
  const local = readdirSync(site, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.relative(site, path.join(e.parentPath ?? e.path, e.name))).sort();
  assert.deepEqual(keys, local);
  assert.ok(keys.includes("index.html") && keys.includes("quality.html"));
});

test("the overview's headline numbers equal the marts' for the default range (the last 7 of 28 days)", async () => {
  const client = new pg.Client({ host: env.PGHOST, port: Number(env.PGPORT), database: env.WAREHOUSE_DB, user: env.WAREHOUSE_USER, password: env.WAREHOUSE_PASSWORD });
  await client.connect();
  const { rows: [m] } = await client.query(
    `select sum(realised_revenue)::text as revenue, sum(orders)::text as orders, sum(units)::text as units,
            (sum(realised_revenue) / sum(orders))::float8 as aov, (sum(cancelled_lines)::numeric / sum(lines))::float8 as cancel_rate
       from marts.mart_sales_daily where dataset = $1 and dt between date '2022-04-22' and date '2022-04-28'`,
    [DATASET],
  );
  await client.end();
  const k = report.find((p) => p.page === "/").kpis;
  assert.equal(Number(k.revenue).toFixed(2), Number(m.revenue).toFixed(2));
  assert.equal(k.orders, m.orders);
  assert.equal(k.units, m.units);
  assert.ok(Math.abs(Number(k.aov) - m.aov) < 1e-6, `aov ${k.aov} vs ${m.aov}`);
  assert.ok(Math.abs(Number(k.cancel_rate) - m.cancel_rate) < 1e-9, `cancel rate ${k.cancel_rate} vs ${m.cancel_rate}`);
});

test("the data-quality page has every day of a range run: reconciliation per layer and dead letters per day", () => {
  const dir = path.join(site, "_file/data");
  const data = JSON.parse(readFileSync(path.join(dir, readdirSync(dir).find((f) => /^quality\.[0-9a-f]+\.json$/.test(f))), "utf8"));
  const days = (rows) => [...new Set(rows.filter((r) => r.dataset === DATASET).map((r) => String(r.dt).slice(0, 10)))].sort();
  const audited = days(data.audit);
  assert.ok(audited.length > RANGE_DAYS, `${audited.length} audited days`);
  // One range result (the first RANGE_DAYS days) and single-day results: every day once, per layer.
  assert.deepEqual(days(data.reconciliation), audited);
  assert.deepEqual(days(data.produced), audited);
  const second = data.reconciliation.filter((r) => r.dataset === DATASET && r.dt === audited[1]);
  assert.deepEqual(second.map((r) => r.layer), ["source", "topic", "bronze", "silver", "warehouse"]);
  const fact = data.audit.find((r) => r.dataset === DATASET && String(r.dt).slice(0, 10) === audited[1]);
  assert.equal(second.find((r) => r.layer === "warehouse").rows, Number(fact.fact_rows));
});

test("negative control: a loader returning no rows fails the checks", async () => {
  const sales = await reportWith("sales", (d) => ({ ...d, byDimension: [] }), ["/sales"]);
  const found = problems(sales);
  assert.ok(found.some((p) => p.includes('chart "by-category" has no data marks')), found.join("\n"));
  const overview = await reportWith("overview", (d) => ({ ...d, builds: [], daily: [] }), ["/"]);
  assert.ok(problems(overview).some((p) => p.includes('"overview" has no data marks')), problems(overview).join("\n"));
  assert.deepEqual(overview[0].kpis, {});
});
