import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `file` with `workerData`. The built program runs its .js
 * file; Jest runs the TypeScript sources, so a .ts file is compiled as it loads with esbuild
 * (the tests' own transpiler, a dev dependency).
 */
export function startWorker(file: string, workerData: unknown): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, { workerData });
  const boot = `
    const { readFileSync } = require('node:fs');
    const { createRequire } = require('node:module');
    const { transformSync } = createRequire(${JSON.stringify(file)})('esbuild');
    require.extensions['.ts'] = (module, name) => {
      const options = { format: 'cjs', loader: 'ts', target: 'es2022', platform: 'node', sourcefile: name };
      module._compile(transformSync(readFileSync(name, 'utf8'), options).code, name);
    };
    require(${JSON.stringify(file)});
  `;
  return new Worker(boot, { eval: true, workerData });
}
