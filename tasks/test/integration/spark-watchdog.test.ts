import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueSuffix } from './helpers';
import { repoRoot } from '../../src/paths';

/**
 * glue-transform's local runner starts spark-submit in a process group of its own. A SIGKILLed
 * step cannot stop that group itself; its watchdog must, or a retry runs beside a leftover job on
 * the same staging prefix. A stand-in "spark-submit" (two sleeps in a group) keeps this fast.
 */

const dist = path.join(repoRoot, 'tasks', 'dist');

/** Live (not zombie) processes, each with its command line (NUL-separated) and process group. */
function processes(): { pid: number; cmdline: string; pgrp: number }[] {
  const found: { pid: number; cmdline: string; pgrp: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // After "(comm) ": state, ppid, pgrp.
      const [state, , pgrp] = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (state !== 'Z') found.push({ pid: Number(name), cmdline, pgrp: Number(pgrp) });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Pids of live processes whose command line contains `mark`. */
const processesWith = (mark: string) => processes().flatMap((p) => (p.cmdline.includes(mark) ? [p.pid] : []));

/** Live processes of a process group. */
const membersOf = (group: number) => processes().flatMap((p) => (p.pgrp === group ? [p.pid] : []));

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await sleep(100);
  }
}

describe("glue-transform's local Spark group", () => {
  /**
   * A step process whose "spark-submit" is `bash -c <job> <mark>` (the mark is the job's $0); it
   * prints the Spark outcome when the job ends.
   */
  function startStep(job: string, mark: string) {
    const script = `
      const { runSparkSubmit } = require(${JSON.stringify(path.join(dist, 'commands/glue-transform/local-spark.js'))});
      const { createLogger } = require(${JSON.stringify(path.join(dist, 'logger.js'))});
      const launch = { command: 'bash', args: ['-c', ${JSON.stringify(job)}, ${JSON.stringify(mark)}], env: process.env };
      runSparkSubmit(launch, createLogger('silent'), new AbortController().signal).then((o) => {
        process.stdout.write(JSON.stringify(o));
        process.exit(0);
      });
    `;
    return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  }

  it('is stopped by its watchdog when the step is SIGKILLed', async () => {
    const mark = `fake-spark-${uniqueSuffix()}`;
    const step = startStep('sleep 300 & sleep 300; wait', mark);
    const exited = new Promise((resolve) => step.on('exit', resolve));
    // The job's bash has the mark as its $0; it leads the group, its two sleeps in it.
    const job = () => processesWith(`bash\0-c\0sleep 300 & sleep 300; wait\0${mark}`);
    await until('the stand-in job', () => job().length > 0, 10_000);
    const group = job()[0]!;
    await until('its two sleeps', () => membersOf(group).length === 3, 10_000);
    await until('the watchdog', () => processesWith(`spark-watchdog\0${step.pid}\0`).length === 1, 10_000);
    step.kill('SIGKILL');
    await exited;
    // The watchdog polls every second and stops the group with TERM.
    await until('the group to end', () => membersOf(group).length === 0, 15_000);
    await until('the watchdog to end', () => processesWith(`spark-watchdog\0${step.pid}\0`).length === 0, 5_000);
  }, 40_000);

  it('leaves nothing behind when the job ends on its own (the watchdog ends with it)', async () => {
    const mark = `fake-spark-${uniqueSuffix()}`;
    const step = startStep('sleep 0.5', mark);
    const watchdog = `spark-watchdog\0${step.pid}\0`;
    let out = '';
    step.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((resolve) => step.on('close', resolve)); // stdout read to its end
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ exitCode: 0, signal: null });
    expect(processesWith(`bash\0-c\0sleep 0.5\0${mark}`)).toEqual([]);
    await until('the watchdog to end', () => processesWith(watchdog).length === 0, 5_000);
  }, 20_000);
});
