import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createGlueClient, sdkGlueApi } from '../../clients/glue';
import { loadGlueSettings, type GlueSettings } from '../../clients/glue-settings';
import { createS3Client } from '../../clients/s3';
import { requireSecret } from '../../config';
import { ConfigError, InputRejectedError, ServiceError } from '../../errors';
import { repoRoot } from '../../paths';
import { runStep, type StepContext } from '../../runtime';
import type { GlueTransformArgs } from './command';
import { runOnGlue } from './glue-run';
import { runSparkSubmit, sparkSubmitLaunch } from './local-spark';
import { bronzePrefix, quarantinePrefix, readManifest, silverPrefix, totals, type Manifest } from './manifest';
import { PACKAGE, packageJob } from './package';
import { checkTransform } from './checks';
import { datesOf, type TransformRequest } from './request';

/**
 * What `make setup` installed for local Spark (stack/spark.sh): the s3a jars (unless SPARK_S3A_JARS
 * names them) and the class-data-sharing archive that shortens the JVM's start-up, if it was built.
 */
function localSparkKit(settings: GlueSettings): { jars: string; cdsArchive?: string | undefined } {
  let out: string;
  try {
    out = execFileSync('bash', [path.join(repoRoot, 'stack', 'spark.sh'), 'env'], { encoding: 'utf8' });
  } catch (error) {
    throw new ConfigError('local Spark is not set up: run `make setup` (stack/spark.sh install)', { cause: error });
  }
  const value = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(out)?.[1]?.trim() || undefined;
  return { jars: settings.sparkJars ?? value('JARS') ?? '', cdsArchive: value('CDS') };
}

/** local: spark-submit the Glue script against the local store. Returns the run id the job used. */
async function runLocal(ctx: StepContext, settings: GlueSettings, req: TransformRequest): Promise<string> {
  const { config, logger } = ctx;
  const pkg = packageJob(settings.jobDir);
  const dir = mkdtempSync(path.join(tmpdir(), 'glue-transform-'));
  try {
    const zipPath = path.join(dir, `${PACKAGE}.zip`);
    writeFileSync(zipPath, pkg.zip);
    const store = {
      endpoint: config.s3.endpoint!,
      region: config.s3.region,
      bucket: config.s3.bucket,
      accessKeyId: requireSecret(config.s3.accessKeyId, 'S3_ACCESS_KEY_ID', config.profile),
      secretAccessKey: requireSecret(config.s3.secretAccessKey, 'S3_SECRET_ACCESS_KEY', config.profile),
    };
    const kit = localSparkKit(settings);
    const launch = sparkSubmitLaunch(settings, store, zipPath, kit.jars, req, process.env, kit.cdsArchive);
    logger.info(
      { master: settings.sparkMaster, package: pkg.sha256.slice(0, 16), cdsArchive: kit.cdsArchive ?? null },
      'starting spark-submit',
    );
    const outcome = await runSparkSubmit(launch, logger, ctx.signal);
    ctx.throwIfStopped();
    ctx.result.result.details.spark = {
      exitCode: outcome.exitCode,
      timings: (outcome.summary as { timings?: unknown } | undefined)?.timings,
      datesWithoutBronze: (outcome.summary as { dates_without_bronze?: unknown } | undefined)?.dates_without_bronze,
    };
    if (outcome.error?.rejected) {
      throw new InputRejectedError(outcome.error.message, { details: { sparkError: outcome.error.error } });
    }
    if (outcome.exitCode !== 0 || !outcome.summary) {
      const last = outcome.tail
        .filter((l) => /Error|Exception|error:/.test(l))
        .slice(-3)
        .join(' | ');
      throw new ServiceError(
        `spark-submit exited ${outcome.exitCode ?? outcome.signal}: ${outcome.error?.message ?? (last || outcome.tail.slice(-3).join(' | '))}`,
        { details: { tail: outcome.tail.slice(-15) } },
      );
    }
    return req.runId;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** aws: the same script as an AWS Glue job. Returns the run id argument of the run waited on. */
async function runAws(ctx: StepContext, settings: GlueSettings, req: TransformRequest, s3: S3Client) {
  const { config, logger } = ctx;
  if (!settings.roleArn) throw new ConfigError('GLUE_ROLE_ARN is not set: the IAM role the Glue job runs as');
  const client = createGlueClient(config.s3.region, settings.glueEndpoint);
  try {
    const outcome = await runOnGlue(
      {
        glue: sdkGlueApi(client),
        upload: async (key, body) => {
          await s3.send(new PutObjectCommand({ Bucket: config.s3.bucket, Key: key, Body: body }));
        },
        logger,
        signal: ctx.signal,
      },
      settings,
      config.s3.bucket,
      packageJob(settings.jobDir),
      req,
    );
    ctx.result.result.details.glue = {
      jobName: settings.jobName,
      job: outcome.job,
      jobRunId: outcome.run.id,
      attachedToRunningRun: outcome.attached,
      executionTimeSeconds: outcome.run.executionTimeSeconds,
      dpuSeconds: outcome.run.dpuSeconds,
      scriptLocation: outcome.scriptLocation,
    };
    return outcome.run.arguments['--run_id'] ?? req.runId;
  } finally {
    client.destroy();
  }
}

/** Reads the manifests the run wrote and puts their counts, sums and files into the step result. */
async function recordManifests(ctx: StepContext, s3: S3Client, req: TransformRequest, jobRunId: string) {
  const bucket = ctx.config.s3.bucket;
  const written = new Map<string, Manifest>();
  const perDate: Record<string, unknown> = {};
  for (const dt of datesOf(req.dt, req.to)) {
    const m = await readManifest(s3, bucket, req.dataset, dt);
    if (!m || m.run_id !== jobRunId) continue; // no bronze that day: the job left it alone
    written.set(dt, m);
    const { files, quarantine_files: qFiles, buckets, quarantine_rules: rules, dq_flags: flags, ...figures } = m;
    perDate[dt] = { ...figures, buckets, quarantineRules: rules, dqFlags: flags, files: files.length };
    ctx.result.input({ uri: `s3://${bucket}/${bronzePrefix(req.dataset, dt)}`, rows: m.bronze_rows });
    ctx.result.output({
      uri: `s3://${bucket}/${silverPrefix(req.dataset, dt)}`,
      rows: m.silver_rows,
      rowSetSha256: m.row_set_sha256,
      files: files.length,
    });
    ctx.result.output({
      uri: `s3://${bucket}/${quarantinePrefix(req.dataset, dt)}`,
      rows: m.quarantined_rows + m.duplicate_rows,
      files: qFiles.length,
    });
  }
  if (!written.size) throw new ServiceError(`the job reported success but no manifest of run ${jobRunId} was found`);
  const { counts, sums } = totals([...written.values()]);
  for (const [k, n] of Object.entries(counts)) ctx.result.count(k, n);
  ctx.result.count('dates', written.size);
  Object.assign(ctx.result.result.details, { sums, perDate });
  ctx.logger.info({ counts: ctx.result.result.counts, sums }, 'silver partitions published');
  return written;
}

/** glue-transform: bronze -> silver + quarantine for --dt (or --dt..--to) on local Spark or AWS Glue. */
export async function run(args: GlueTransformArgs) {
  return runStep(
    'glue-transform',
    args,
    async (ctx) => {
      const settings = loadGlueSettings(args, process.env);
      const req: TransformRequest = {
        dataset: args.dataset,
        dt: args.dt!,
        to: args.to ?? args.dt!,
        runId: ctx.config.runId,
      };
      ctx.result.result.dataset = req.dataset;
      ctx.result.result.details.range = { dt: req.dt, to: req.to };
      ctx.result.result.details.thresholds = { maxQuarantineShare: args.maxQuarantineShare };
      const dates = datesOf(req.dt, req.to);
      const s3 = createS3Client(ctx.config);
      try {
        const bucket = ctx.config.s3.bucket;
        let jobRunId: string;
        try {
          jobRunId =
            ctx.config.profile === 'aws' ? await runAws(ctx, settings, req, s3) : await runLocal(ctx, settings, req);
        } catch (error) {
          // No date had bronze: say, date by date, what the producer left behind.
          if (error instanceof InputRejectedError && error.message.includes('NoBronzeError')) {
            await checkTransform(s3, bucket, req.dataset, dates, new Map(), args.maxQuarantineShare);
          }
          throw error;
        }
        const written = await recordManifests(ctx, s3, req, jobRunId);
        await checkTransform(s3, bucket, req.dataset, dates, written, args.maxQuarantineShare);
        return ctx.result.result.counts;
      } finally {
        s3.destroy();
      }
    },
    { writeResult: true },
  );
}
