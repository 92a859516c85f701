// Builds the site from the warehouse, for the tests and the bench: in a working copy of its own
// (the dashboard step's, tasks/src/dashboards/build.ts: the loaders' cached output left behind, so
// the build proves it read the database; `emptyCache` leaves the bundled modules behind too), so a
// build here never disturbs one the DAGs run from the same package at the same time.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const siteRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { workingSite, keepModuleCaches } = createRequire(import.meta.url)(path.join(siteRoot, "../tasks/dist/dashboards/build.js"));

export async function buildSite(out, env, { emptyCache = false } = {}) {
  rmSync(out, { recursive: true, force: true });
  const site = workingSite(siteRoot, { moduleCaches: !emptyCache });
  try {
    const log = await new Promise((resolve, reject) => {
      const child = spawn(path.join(siteRoot, "node_modules/.bin/observable"), ["build"], {
        cwd: site.root,
        env: { ...env, PATH: `${path.join(siteRoot, "node_modules/.bin")}${path.delimiter}${env.PATH ?? ""}`, DASHBOARD_OUT: out, OBSERVABLE_TELEMETRY_DISABLE: "true", NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (d) => (text += d));
      child.stderr.on("data", (d) => (text += d));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`observable build exited ${code}:\n${text.slice(-3000)}`))));
    });
    if (!emptyCache) keepModuleCaches(site.root, siteRoot);
    return log;
  } finally {
    site.dispose();
  }
}
