/** Two tiers: `unit` needs no services; `integration` talks to the local stack (`make up`). */
// Same as cli.ts: the pinned AWS SDK's Node 22 notice is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// TypeScript is transpiled by esbuild, file by file; `make lint` type-checks src/ and test/ (tsc).
const tsTransform = '<rootDir>/test/ts-to-cjs.js';
// A few dependencies (hyparquet) ship only ES modules. Node 20 loads them with require(esm), but
// Jest 30 on Node 20 does not, so Jest compiles just those packages to CommonJS.
const esmOnly = ['hyparquet', 'hyparquet-compressors', 'hyparquet-writer', 'hysnappy'];
// The models' ES-only packages (augurs' wasm glue uses import.meta) are bundled to CommonJS by esbuild.
const esmModels = [
  '@bsull/augurs',
  'ml-kmeans',
  'ml-distance-euclidean',
  'ml-nearest-vector',
  'ml-spectra-processing',
  'is-any-array',
  'ml-array-max',
  'ml-array-min',
  'ml-array-rescale',
];
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': tsTransform,
    [`node_modules/(${[...esmOnly, ...esmModels].join('|')})/.+\\.js$`]: '<rootDir>/test/esm-to-cjs.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${[...esmOnly, ...esmModels].join('|')})/)`],
};
/** @type {import('jest').Config} */
module.exports = {
  // Integration tests wait on real services; unit tests finish far sooner.
  testTimeout: 60_000,
  // Jest's default (cores - 1) is one worker on two cores, while the parent process mostly waits.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the Jest config is CommonJS
  maxWorkers: Math.max(2, require('os').availableParallelism() - 1),
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
  ],
};
