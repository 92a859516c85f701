import { buildCli, main } from '../../src/cli';

/** Runs main() with stdout/stderr captured. */
async function runCli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const l = jest.spyOn(console, 'log').mockImplementation((s) => void out.push(String(s)));
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
  }
}

describe('sales-pipeline CLI', () => {
  it('lists every step and the global flags in --help', async () => {
    const help = await buildCli(['--help']).getHelp();
    for (const text of ['doctor', '--dt', '--profile', '--log-level', '--run-id', 'Exit codes']) {
      expect(help).toContain(text);
    }
  });

  it('exits 0 for --help without running a step', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('doctor');
  });

  it('exits 2 with one readable line for an unknown step', async () => {
    const { code, stderr } = await runCli(['ingest-everything']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^sales-pipeline: Unknown argument: ingest-everything/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace for a usage error
  });

  it('exits 2 for a date that is not a calendar day, naming it', async () => {
    const { code, stderr } = await runCli(['doctor', '--dt', '2022-02-30']);
    expect(code).toBe(2);
    expect(stderr).toContain('"2022-02-30" is not a calendar date');
  });

  it('exits 2 when no step is named', async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stderr).toContain('Name a step to run.');
  });

  it('exits 2 for a configuration problem, naming the variable', async () => {
    process.env.SMTP_PORT = 'not-a-port';
    try {
      const { code, stderr } = await runCli(['doctor', '--only', 'smtp']);
      expect(code).toBe(2);
      expect(stderr).toContain('SMTP_PORT');
    } finally {
      delete process.env.SMTP_PORT;
    }
  });
});
