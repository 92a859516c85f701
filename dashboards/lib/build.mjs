// Builds the site from the warehouse: clears the loader cache first (so the build proves it read
// the database), then runs the framework's build into `out`. Used by the tests and the bench.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const siteRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function buildSite(out, env) {
  rmSync(path.join(siteRoot, "src/.observablehq/cache/data"), { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true }); // the framework clears only an output inside the package
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(siteRoot, "node_modules/.bin/observable"), ["build"], {
      cwd: siteRoot,
      env: { ...env, PATH: `${path.join(siteRoot, "node_modules/.bin")}${path.delimiter}${env.PATH ?? ""}`, DASHBOARD_OUT: out, OBSERVABLE_TELEMETRY_DISABLE: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(log) : reject(new Error(`observable build exited ${code}:\n${log.slice(-3000)}`))));
  });
}
