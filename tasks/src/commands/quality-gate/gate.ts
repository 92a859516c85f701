import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Pool } from '../../clients/db';
import { InputRejectedError } from '../../errors';
import type { StepResult } from '../../result';
import type { StepContext } from '../../runtime';
import { validate, type Validation } from '../../quality/engine';
import { writeHistory } from '../../quality/history';
import { summarise, type GateSummary } from '../../quality/notify';
import { QuarantineSpool, quarantineKey, reportPrefix } from '../../quality/quarantine';
import { fileReader, s3Reader } from '../../quality/readers/s3';
import { memoryReader } from '../../quality/readers/memory';
import { whyEmpty } from '../../events/empty-day';
import { layerFacts, type LayerFacts } from '../../quality/reconcile';
import { renderReport } from '../../quality/report-html';
import { validateTable } from '../../quality/sql-source';
import type { Suite } from '../../quality/suite';

export interface GateInput {
  suite: Suite;
  dt: string;
  dataset: string;
  source: string;
}

export interface GateOutput {
  validation: Validation;
  summary: GateSummary;
  html: string;
}

/** The source for a date: the flag, else the suite's `meta.source` template. */
export function resolveSource(template: string, bucket: string, dataset: string, dt: string): string {
  return template.replaceAll('{bucket}', bucket).replaceAll('{dataset}', dataset).replaceAll('{dt}', dt);
}

/**
 * Validates one date: reads the source in one pass (or pushes down to the warehouse), spools the
 * failing rows to quarantine, writes result.json and report.html, records the history rows.
 */
export async function runGate(
  ctx: StepContext,
  s3: S3Client,
  pool: () => Pool,
  input: GateInput,
  history: boolean,
): Promise<GateOutput> {
  const { suite, dt, dataset, source } = input;
  const { bucket } = ctx.config.s3;
  const runId = ctx.config.runId;
  const stage = String(suite.meta.stage ?? suite.name);
  const spool = new QuarantineSpool(suite.name);
  const options = {
    onFailingRow: (row: Parameters<QuarantineSpool['add']>[0]) => spool.add(row),
    throwIfStopped: () => ctx.throwIfStopped(),
    onProgress: progressLogger(ctx),
    meta: { run_id: runId, dt, dataset, source, stage },
  };
  let validation: Validation;
  try {
    if (source.startsWith('table:')) {
      validation = await validateTable(pool(), suite, source.slice('table:'.length), { dataset, dt, to: dt }, options);
    } else if (source.startsWith('reconcile:')) {
      const facts = await layerFacts(s3, bucket, history ? pool() : null, dataset, dt);
      recordFacts(ctx.result.result, facts);
      validation = await validate(
        suite,
        memoryReader([{ ...facts }], { source: `reconcile:${dataset}/${dt}` }),
        options,
      );
    } else if (source.startsWith('s3://')) {
      validation = await validate(suite, await s3Reader(s3, source), options);
    } else if (source.startsWith('file://') || source.startsWith('/')) {
      validation = await validate(suite, await fileReader(source), options);
    } else {
      throw new InputRejectedError(`--source must be s3://, table:, file:// or reconcile:, got "${source}"`);
    }
  } catch (error) {
    spool.dispose();
    throw error;
  }
  // An empty partition's report says why it is empty, from what the steps before it left.
  const layer = /\/lake\/silver\//.test(source) ? 'silver' : /\/lake\/bronze\//.test(source) ? 'bronze' : undefined;
  const emptyBecause = validation.rows === 0 && layer ? await whyEmpty(s3, bucket, dataset, dt, layer) : null;
  if (emptyBecause) ctx.result.result.details.emptyBecause = emptyBecause;
  const prefix = reportPrefix(suite.name, dt, runId);
  const qKey = quarantineKey(suite.name, dataset, dt, runId);
  const quarantineBytes = await spool.upload(s3, bucket, qKey);
  const quarantineUri = quarantineBytes ? `s3://${bucket}/${qKey}` : null;
  const reportUri = `s3://${bucket}/${prefix}report.html`;
  const resultUri = `s3://${bucket}/${prefix}result.json`;
  const html = renderReport(validation.result, {
    stage,
    dt,
    dataset,
    runId,
    source,
    quarantineUri,
    samples: spool.samples,
    emptyBecause,
  });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}result.json`,
      Body: JSON.stringify(validation.result, null, 1),
      ContentType: 'application/json',
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}report.html`,
      Body: html,
      ContentType: 'text/html; charset=utf-8',
    }),
  );
  const summary = summarise(validation.result, {
    suite: suite.name,
    stage,
    dataset,
    dt,
    rows: validation.rows,
    failingRows: validation.failingRows,
    reportUri,
    resultUri,
    quarantineUri,
    emptyBecause,
  });
  if (history) {
    const n = await writeHistory(pool(), validation.result, {
      runId,
      suite: suite.name,
      stage,
      dataset,
      dt,
      reportUri,
      validatedAt: new Date(),
    });
    ctx.logger.info({ rows: n }, 'history written to quality.dq_results');
  }
  ctx.result.input({ uri: source, rows: validation.rows });
  ctx.result.output({ uri: resultUri }).output({ uri: reportUri, bytes: Buffer.byteLength(html) });
  if (quarantineUri) ctx.result.output({ uri: quarantineUri, rows: validation.failingRows, bytes: quarantineBytes });
  return { validation, summary, html };
}

/**
 * Keeps a date's layer facts in the step result. A range (`--dt .. --to`) runs the gate once per
 * date under ONE result, keyed by its first date, so every date's facts go under
 * `details.reconciliationByDay[dt]`; `details.reconciliation` stays the facts of the result's own
 * date (all there is for a single date), never another date's under that key.
 */
export function recordFacts(result: StepResult, facts: LayerFacts) {
  const byDay = (result.details.reconciliationByDay ??= {}) as Record<string, LayerFacts>;
  byDay[facts.dt] = facts;
  if (facts.dt === result.dt) result.details.reconciliation = facts;
}

function progressLogger(ctx: StepContext) {
  let last = Date.now();
  return (rows: number) => {
    if (Date.now() - last < 5_000) return;
    last = Date.now();
    ctx.logger.info({ rows }, 'validating');
  };
}
