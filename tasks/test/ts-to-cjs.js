/**
 * Jest transform: TypeScript to CommonJS with esbuild, types stripped and not checked (per file, as
 * `isolatedModules`). Type errors in src/ and test/ are `make lint`'s job (tsc -p tsconfig.json), so
 * the tests need not pay for a type-check of every file they import, which ts-jest did each run.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a Jest transform is CommonJS */
const { createHash } = require('crypto');
const { readFileSync } = require('fs');
const { transformSync, version } = require('esbuild');

// Jest caches transformed files: a new esbuild or a change to this file must not hit old entries.
const salt = `${version}\0${readFileSync(require.resolve('./ts-to-cjs.js'), 'utf8')}`;

module.exports = {
  process(source, file) {
    const out = transformSync(source, {
      format: 'cjs',
      loader: 'ts',
      target: 'es2022',
      platform: 'node',
      sourcefile: file,
      sourcemap: 'external',
      sourcesContent: false,
      // As tsc's CommonJS output: import() becomes require(), which Jest's module registry serves.
      supported: { 'dynamic-import': false },
      logLevel: 'silent',
    });
    return { code: out.code, map: out.map };
  },
  getCacheKey(source, file) {
    return createHash('sha1').update(`${salt}\0${file}\0${source}`).digest('hex');
  },
};
