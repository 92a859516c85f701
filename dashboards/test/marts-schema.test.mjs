// The loaders read the marts from the schema the build names (DASHBOARD_MARTS_SCHEMA, the dashboard
// step's --marts-schema), not from `marts` whatever it says: a copy of the fixture's marts whose
// daily revenue is 1 higher must show up 1 higher, and everything else the same.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { siteRoot } from "../lib/build.mjs";
import { loadEnv } from "../lib/env.mjs";
import { DATASET, loadFixture } from "./fixtures/load.mjs";

const env = { ...loadEnv(), DASHBOARD_DATASET: DATASET, DASHBOARD_FROM: "", DASHBOARD_TO: "" };
const COPY = "dash_marts_copy";
const connect = async () => {
  const client = new pg.Client({ host: env.PGHOST, port: Number(env.PGPORT), database: env.WAREHOUSE_DB, user: env.WAREHOUSE_USER, password: env.WAREHOUSE_PASSWORD });
  await client.connect();
  return client;
};

/** One loader's JSON, run as the framework runs it, reading the marts of `schema` (unset: the default). */
function loader(name, schema) {
  const out = execFileSync("node", ["--import", "tsx", path.join(siteRoot, `src/data/${name}.json.ts`)], {
    cwd: siteRoot,
    env: { ...env, ...(schema ? { DASHBOARD_MARTS_SCHEMA: schema } : {}) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.toString("utf8"));
}

before(async () => {
  await loadFixture(env);
  const client = await connect();
  try {
    // Every table of the fixture's marts (views and all), copied as tables into a schema of its own.
    const { rows } = await client.query(
      "select table_name from information_schema.tables where table_schema = 'marts' order by table_name",
    );
    await client.query(`drop schema if exists ${COPY} cascade; create schema ${COPY}`);
    for (const { table_name: t } of rows) await client.query(`create table ${COPY}.${t} as table marts.${t}`);
    await client.query(`update ${COPY}.mart_sales_daily set realised_revenue = realised_revenue + 1`);
  } finally {
    await client.end();
  }
});

after(async () => {
  const client = await connect();
  await client.query(`drop schema if exists ${COPY} cascade`).finally(() => client.end());
});

test("the overview reads the daily sales of the schema it is given", () => {
  const marts = loader("overview");
  const copy = loader("overview", COPY);
  assert.ok(marts.daily.length > 0);
  const cents = (v) => Math.round(v * 100);
  assert.deepEqual(copy.daily.map((d) => cents(d.realised_revenue)), marts.daily.map((d) => cents(d.realised_revenue) + 100));
  assert.deepEqual(copy.builds, marts.builds);
  assert.equal(copy.scope.marts, COPY);
});

test("every other loader reads the same rows from the copy as from marts", () => {
  for (const name of ["sales", "customers", "products"]) assert.deepEqual(loader(name, COPY), loader(name), name);
});

test("the site's footer names the schema the marts were read from", async () => {
  const footer = async (schema) => {
    process.env.DASHBOARD_MARTS_SCHEMA = schema;
    try {
      return (await import(`../observablehq.config.js?schema=${encodeURIComponent(schema)}`)).default.footer;
    } finally {
      delete process.env.DASHBOARD_MARTS_SCHEMA;
    }
  };
  assert.match(await footer(COPY), new RegExp(`schema <code>${COPY}</code>`));
  // Anything but a plain name is never written into the page.
  assert.match(await footer("<b>x</b>"), /schema <code>marts<\/code>/);
});

test("a schema name that is not a plain lower-case name fails the loader, naming the variable", () => {
  assert.throws(
    () => execFileSync("node", ["--import", "tsx", path.join(siteRoot, "src/data/sales.json.ts")], {
      cwd: siteRoot,
      env: { ...env, DASHBOARD_MARTS_SCHEMA: "marts; drop table x" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
    (e) => e.status === 1 && /DASHBOARD_MARTS_SCHEMA must be a lower-case schema name/.test(String(e.stderr)),
  );
});
