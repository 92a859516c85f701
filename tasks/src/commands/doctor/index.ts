import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { createPool } from '../../clients/db';
import { createKafka } from '../../clients/kafka';
import { createMailer } from '../../clients/mail';
import { createS3Client } from '../../clients/s3';
import { ServiceError } from '../../errors';
import { runStep, type GlobalArgs, type StepContext } from '../../runtime';

export interface Check {
  service: string;
  ok: boolean;
  detail: string;
  ms: number;
}

type Probe = (ctx: StepContext) => Promise<string>;

const probes: Record<string, Probe> = {
  async warehouse({ config }) {
    const pool = createPool(config, 1);
    try {
      const { rows } = await pool.query<{ v: string }>('select version() as v');
      return `${config.warehouse.user}@${config.warehouse.host}:${config.warehouse.port}/${config.warehouse.database} ${rows[0]?.v.split(' on ')[0] ?? ''}`;
    } finally {
      await pool.end();
    }
  },
  async kafka(ctx) {
    const admin = createKafka(ctx.config, ctx.logger, 1).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      const topics = await admin.listTopics();
      return `${cluster.brokers.length} broker(s), ${topics.filter((t) => !t.startsWith('__')).length} topic(s)`;
    } finally {
      await admin.disconnect();
    }
  },
  async s3({ config }) {
    const client = createS3Client(config);
    try {
      await client.send(new HeadBucketCommand({ Bucket: config.s3.bucket }));
      return `bucket ${config.s3.bucket} at ${config.s3.endpoint ?? `AWS ${config.s3.region}`}`;
    } finally {
      client.destroy();
    }
  },
  async smtp({ config }) {
    const mailer = createMailer(config);
    try {
      await mailer.verify();
      return `${config.smtp.host}:${config.smtp.port}`;
    } finally {
      mailer.close();
    }
  },
};

/** Probes each service once; reports all results before failing. */
export async function checkServices(ctx: StepContext, only?: string[]): Promise<Check[]> {
  const names = only?.length ? only : Object.keys(probes);
  const checks: Check[] = [];
  for (const service of names) {
    const probe = probes[service];
    if (!probe) continue;
    const started = Date.now();
    try {
      checks.push({ service, ok: true, detail: await probe(ctx), ms: Date.now() - started });
    } catch (error) {
      checks.push({
        service,
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
        ms: Date.now() - started,
      });
    }
  }
  return checks;
}

export async function run(args: GlobalArgs & { only?: string[] | undefined }): Promise<Check[]> {
  return runStep('doctor', args, async (ctx) => {
    const checks = await checkServices(ctx, args.only);
    for (const c of checks) {
      ctx.logger[c.ok ? 'info' : 'error']({ service: c.service, ok: c.ok, ms: c.ms }, c.detail);
      process.stderr.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.service.padEnd(10)} ${c.detail}\n`);
    }
    const failed = checks.filter((c) => !c.ok).map((c) => c.service);
    if (failed.length) {
      throw new ServiceError(`unreachable: ${failed.join(', ')} (is the stack up? try \`make up\` / \`make status\`)`, {
        details: { failed },
      });
    }
    return checks;
  });
}
