#!/usr/bin/env node
// Bundles the task program into one self-contained file per step (esbuild), the contents of that
// step's image: `<out>/<step>/main.js`, run as `node main.js <step> --dt ...` with no node_modules.
//
// Steps are read from the CLI itself (its --help), so a new command gets an image without any
// change here. Each bundle keeps every command's definition (flags, --help) but only its own
// implementation: the lazy `import('./index')` of any other command resolves to a stub that
// refuses with a usage error naming the image to use.
//
// Usage: node images/bundle.mjs --out <dir> [--step <step>]...   build bundles
//        node images/bundle.mjs --list [--json]                   print the steps
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  "..",
);
const tasks = path.join(root, "tasks");
// esbuild is a devDependency of tasks/, not of this folder.
const esbuild = createRequire(path.join(tasks, "package.json"))("esbuild");
const entry = path.join(tasks, "src", "cli.ts");
const COMMAND_FILE = /[\\/]commands[\\/]([^\\/]+)[\\/]command\.ts$/;

/** Options every bundle shares: one CommonJS file for the Node of the images. */
const common = {
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  // pg tries the optional native binding in a try/catch; the images use the JavaScript client.
  external: ["pg-native"],
};

/** The steps the CLI lists under "Commands:" in its --help. */
export async function listSteps() {
  const dir = mkdtempSync(path.join(tmpdir(), "sales-pipeline-cli-"));
  try {
    const outfile = path.join(dir, "cli.js");
    await esbuild.build({ ...common, outfile });
    const help = execFileSync(process.execPath, [outfile, "--help"], {
      encoding: "utf8",
    });
    const steps = [
      ...help.matchAll(/^\s+sales-pipeline ([a-z][a-z0-9-]*)\b/gm),
    ].map((m) => m[1]);
    if (steps.length === 0)
      throw new Error(`no steps found in the CLI's --help:\n${help}`);
    return [...new Set(steps)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces the implementation of every command but `step` with a usage error. */
function onlyStep(step) {
  return {
    name: "only-step",
    setup(build) {
      build.onResolve({ filter: /^\.\/index$/ }, (args) => {
        const owner = COMMAND_FILE.exec(args.importer)?.[1];
        if (!owner || owner === step) return undefined;
        return { path: owner, namespace: "other-step" };
      });
      build.onLoad({ filter: /.*/, namespace: "other-step" }, (args) => ({
        resolveDir: path.join(tasks, "src"),
        loader: "ts",
        contents: `import { ConfigError } from './errors';
export async function run(): Promise<never> {
  throw new ConfigError(${JSON.stringify(
    `step ${args.path} is not in this image (sales-pipeline-${step}); use the image sales-pipeline-${args.path}`,
  )});
}`,
      }));
    },
  };
}

// The dashboards site package: the framework builds it at run time from its own node_modules, so the
// image of a step whose code builds the site (tasks/src/dashboards/build.ts) carries the package.
const SITE = path.join(root, "dashboards");
const SITE_BUILDER = /[\\/]src[\\/]dashboards[\\/]build\.ts$/;
const SITE_FILES = ["package.json", "observablehq.config.js", "npm-versions.json", "src", "lib", "node_modules"];

/** Lays out `<out>/<step>/app/` (copied to /app): the site package when the bundle builds the site. */
function stepFiles(step, out, inputs) {
  const app = path.join(out, step, "app");
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  if (!Object.keys(inputs).some((input) => SITE_BUILDER.test(input))) return;
  for (const name of SITE_FILES) {
    cpSync(path.join(SITE, name), path.join(app, "dashboards", name), {
      recursive: true,
      // The loader and npm caches are the build's own: never shipped.
      filter: (src) => !src.includes(`${path.sep}.observablehq${path.sep}cache`),
    });
  }
}

// WebAssembly a bundle cannot hold: the forecaster's (augurs MSTL), found beside main.js first.
const WASM = [path.join(tasks, "node_modules", "@bsull", "augurs", "mstl_bg.wasm")];

/** Writes `<out>/<step>/main.js` (with the WASM beside it) and its input list
 * `<out>/_meta/<step>.json`; returns the bundle's size. */
export async function bundleStep(step, out) {
  const outfile = path.join(out, step, "main.js");
  const result = await esbuild.build({
    ...common,
    outfile,
    metafile: true,
    plugins: [onlyStep(step)],
  });
  for (const wasm of WASM) copyFileSync(wasm, path.join(out, step, path.basename(wasm)));
  stepFiles(step, out, result.metafile.inputs);
  mkdirSync(path.join(out, "_meta"), { recursive: true });
  writeFileSync(
    path.join(out, "_meta", `${step}.json`),
    JSON.stringify(result.metafile),
  );
  return (
    result.metafile.outputs[path.relative(process.cwd(), outfile)]?.bytes ?? 0
  );
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      step: { type: "string", multiple: true },
      list: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const steps = await listSteps();
  if (values.list) {
    process.stdout.write(
      values.json ? `${JSON.stringify(steps)}\n` : `${steps.join("\n")}\n`,
    );
    return;
  }
  if (!values.out) throw new Error("--out <dir> is required (or --list)");
  const unknown = (values.step ?? []).filter((s) => !steps.includes(s));
  if (unknown.length)
    throw new Error(
      `unknown step(s): ${unknown.join(", ")}; the CLI has ${steps.join(", ")}`,
    );
  for (const step of values.step ?? steps) {
    const bytes = await bundleStep(step, path.resolve(values.out));
    process.stderr.write(
      `[images] ${step}: ${(bytes / 1024).toFixed(0)} KiB\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    process.stderr.write(`[images] ${error.message}\n`);
    process.exitCode = 1;
  });
}
