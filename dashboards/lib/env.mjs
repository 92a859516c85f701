// The local stack's settings for scripts and tests run outside the task program: the repo's
// .local/env (written by `make setup`) under the process environment.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function loadEnv(file = path.join(repoRoot, ".local/env")) {
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
  return { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...fromFile, ...process.env };
}

/**
 * The schema the build reads the marts from: DASHBOARD_MARTS_SCHEMA (the dashboard step's
 * --marts-schema), `marts` when unset; null when it is not a plain lower-case schema name, which
 * the loaders refuse and the page footer never shows.
 */
export function martsSchemaOf(env = process.env) {
  const name = env.DASHBOARD_MARTS_SCHEMA?.trim() || "marts";
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name) ? name : null;
}
