import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

/** The ports stack/env.sh generates for one port offset, by variable name. */
function portsAt(offset: number): Record<string, number> {
  return generated(offset).ports;
}

/** The env file stack/env.sh generates for one port offset: its ports by name, and the offset it records. */
function generated(offset: number): { ports: Record<string, number>; recorded: string | undefined } {
  const home = mkdtempSync(path.join(tmpdir(), 'stack-env-'));
  try {
    execFileSync('bash', [path.join(repo, 'stack/env.sh')], {
      env: { PATH: process.env.PATH, HOME: home, STACK_HOME: home, SALES_PIPELINE_PORT_OFFSET: String(offset) },
      stdio: 'pipe',
    });
    const ports: Record<string, number> = {};
    let recorded: string | undefined;
    for (const line of readFileSync(path.join(home, 'env'), 'utf8').split('\n')) {
      const m = /^([A-Z_]+_PORT|KAFKA_BROKERS|S3_ENDPOINT)=.*?(\d+)\/?$/.exec(line);
      if (m) ports[m[1]!] = Number(m[2]);
      if (line.startsWith('PORT_OFFSET=')) recorded = line.slice('PORT_OFFSET='.length);
    }
    return { ports, recorded };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('stack/env.sh ports', () => {
  // Checkouts side by side use offsets in steps of 250 or more (the e2e tier's stack runs at
  // offset + 250, the demo smoke's at offset + 500).
  const offsets = Array.from({ length: 81 }, (_, i) => i * 250);
  const all = offsets.map((offset) => ({ offset, ports: portsAt(offset) }));

  it('records the offset it shifted the ports by (stack/e2e.sh compares it)', () => {
    expect(generated(500).recorded).toBe('500');
    expect(generated(0).recorded).toBe('0');
    // e2e.sh starts its stack afresh when the recorded offset is not its own.
    expect(readFileSync(path.join(repo, 'stack/e2e.sh'), 'utf8')).toContain('grep -qx "PORT_OFFSET=$offset"');
  });

  it('generates a dashboard port shifted by the offset', () => {
    expect(all[0]!.ports.DASHBOARD_PORT).toBe(13300);
    expect(all[24]!.ports.DASHBOARD_PORT).toBe(13300 + 6000);
  });

  it('never gives a port of one checkout to a service of another checkout', () => {
    const taken = new Map<number, string>();
    const clashes: string[] = [];
    for (const { offset, ports } of all)
      for (const [name, port] of Object.entries(ports)) {
        const owner = taken.get(port);
        if (owner) clashes.push(`${port}: ${name} at offset ${offset} and ${owner}`);
        taken.set(port, `${name} at offset ${offset}`);
      }
    expect(clashes).toEqual([]);
  });
});
