/** Two tiers: `unit` needs no services; `integration` talks to the local stack (`make up`). */
// Same as cli.ts: the pinned AWS SDK's Node 22 notice is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
/** @type {import('jest').Config} */
module.exports = {
  // Integration tests wait on real services; unit tests finish far sooner.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
  ],
};
