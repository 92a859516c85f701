// A build needs no network beyond what `make setup` installed: from an empty framework cache, with
// every host name but localhost unresolvable (test/no-network.mjs, inherited by the data loaders),
// the site builds from the fixture's marts and no host is even asked for. Negative control: the same
// preload stops a request to the npm registry, so the build's success is not a blind spot.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { buildSite, siteRoot } from "../lib/build.mjs";
import { loadEnv } from "../lib/env.mjs";
import { DATASET, loadFixture } from "./fixtures/load.mjs";

const work = mkdtempSync(path.join(tmpdir(), "dashboards-offline-"));
const blocker = path.join(siteRoot, "test/no-network.mjs");
const log = path.join(work, "asked-hosts.log");
const offline = { NODE_OPTIONS: `--import ${blocker}`, NO_NETWORK_LOG: log };
after(() => rmSync(work, { recursive: true, force: true }));

test("negative control: the preload stops a request to the npm registry and names the host", () => {
  writeFileSync(log, "");
  const probe = 'fetch("https://registry.npmjs.org/d3/latest").then(() => console.log("reached"), (e) => console.log(e.cause?.code))';
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", probe], { env: { ...process.env, ...offline }, encoding: "utf8" });
  assert.equal(out.trim(), "ENOTFOUND");
  assert.equal(readFileSync(log, "utf8"), "registry.npmjs.org\n");
});

test("the site builds from an empty framework cache with the network blocked, asking no host", async () => {
  const env = { ...loadEnv(), DASHBOARD_DATASET: DATASET, DASHBOARD_FROM: "", DASHBOARD_TO: "" };
  await loadFixture(env);
  writeFileSync(log, "");
  const out = path.join(work, "site");
  await buildSite(out, { ...env, ...offline }, { emptyCache: true });
  assert.ok(existsSync(path.join(out, "index.html")));
  assert.ok(existsSync(path.join(out, "quality.html")));
  assert.equal(readFileSync(log, "utf8"), "", "hosts the build tried to reach");
});
