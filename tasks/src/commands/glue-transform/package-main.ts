import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../paths';
import { PACKAGE, packageJob, SCRIPT } from './package';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Writes the Glue job exactly as glue-transform uploads it, for CI artefacts and `make images`:
 * `<out>/<script>`, `<out>/<package>.zip` and `<out>/manifest.json` (each file's sha256 and the
 * job's content id). The same sources always give the same bytes.
 */
export function writePackage(jobDir: string, out: string): Record<string, unknown> {
  const job = packageJob(jobDir);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, SCRIPT), job.script);
  writeFileSync(path.join(out, `${PACKAGE}.zip`), job.zip);
  const manifest = {
    job: job.sha256,
    script: { name: SCRIPT, sha256: sha256(job.script) },
    zip: { name: `${PACKAGE}.zip`, sha256: sha256(job.zip), files: job.files },
  };
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

// `make glue-package`: node tasks/dist/commands/glue-transform/package-main.js [out dir]
if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? path.join(repoRoot, 'dist', 'glue'));
  const manifest = writePackage(path.join(repoRoot, 'glue', 'jobs'), out) as { zip: { files: string[] } };
  process.stdout.write(`[glue-package] ${out}: ${SCRIPT} and ${PACKAGE}.zip (${manifest.zip.files.length} files)\n`);
}
