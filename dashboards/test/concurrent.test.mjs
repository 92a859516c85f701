// Builds at once from the same package (the daily and the history DAG's `dashboard` tasks, or this
// suite beside an e2e run) never disturb each other: each works in a copy of its own, and nothing
// of the package's own loader cache is cleared or written. Sentinel: a file placed in the package's
// loader cache must still be there after two builds side by side (a build that cleared the shared
// cache, as builds did before, removes it).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { buildSite, siteRoot } from "../lib/build.mjs";
import { loadEnv } from "../lib/env.mjs";
import { DATASET, loadFixture } from "./fixtures/load.mjs";

const work = mkdtempSync(path.join(tmpdir(), "dashboards-concurrent-"));
const sentinel = path.join(siteRoot, "src/.observablehq/cache/data/sentinel-of-another-build.json");
after(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(sentinel, { force: true });
});

test("two builds at once each finish with the fixture's data, leaving the package's loader cache alone", async () => {
  const env = { ...loadEnv(), DASHBOARD_DATASET: DATASET, DASHBOARD_FROM: "", DASHBOARD_TO: "" };
  await loadFixture(env);
  mkdirSync(path.dirname(sentinel), { recursive: true });
  writeFileSync(sentinel, "{}");
  const outs = ["a", "b"].map((name) => path.join(work, name));
  await Promise.all(outs.map((out) => buildSite(out, env)));
  for (const out of outs) {
    const files = readdirSync(path.join(out, "_file/data"));
    const overview = files.find((f) => /^overview\.[0-9a-f]+\.json$/.test(f));
    assert.ok(overview, `${out}: no overview data among ${files.join(", ")}`);
    const { daily } = JSON.parse(readFileSync(path.join(out, "_file/data", overview), "utf8"));
    assert.ok(daily.length > 0, `${out}: the overview has no daily rows`);
    assert.deepEqual([...new Set(daily.map((d) => d.dataset))], [DATASET]);
  }
  assert.ok(existsSync(sentinel), "a build cleared the package's loader cache");
});
