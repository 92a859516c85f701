/** Jest transform: an ES-module file of node_modules to CommonJS with esbuild (import.meta left empty). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a Jest transform is CommonJS
const { transformSync } = require('esbuild');

module.exports = {
  process(source, file) {
    const out = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'node20',
      sourcefile: file,
      logLevel: 'silent',
    });
    return { code: out.code };
  },
};
