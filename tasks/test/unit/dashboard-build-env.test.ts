import { loadConfig } from '../../src/config';
import { buildEnv } from '../../src/dashboards/build';

describe('dashboard site build environment', () => {
  const config = loadConfig({ logLevel: 'silent' }, { PIPELINE_PROFILE: 'local', PGHOST: '127.0.0.1' }, 'r1');

  test('passes the machine certificate authorities and proxies on, for the registry look-ups', () => {
    const env = buildEnv(config, { dataset: 'kaggle-sample', martsSchema: 'marts_b' }, '/tmp/out', {
      PATH: '/usr/bin',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
      HTTPS_PROXY: 'http://127.0.0.1:3128',
      SOME_SECRET: 'x',
    });
    expect(env.NODE_EXTRA_CA_CERTS).toBe('/etc/ssl/certs/ca-certificates.crt');
    expect(env.HTTPS_PROXY).toBe('http://127.0.0.1:3128');
    expect(env.DASHBOARD_DATASET).toBe('kaggle-sample');
    expect(env.DASHBOARD_MARTS_SCHEMA).toBe('marts_b');
    expect(env.SOME_SECRET).toBeUndefined();
  });
});
