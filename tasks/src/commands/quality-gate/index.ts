import path from 'node:path';
import { createPool, type Pool } from '../../clients/db';
import { createMailer } from '../../clients/mail';
import { createS3Client } from '../../clients/s3';
import { ConfigError, GateFailedError } from '../../errors';
import { MAX_ATTACHED_REPORTS, sendGateDigest, type GateFailure } from '../../quality/digest';
import type { GateSummary } from '../../quality/notify';
import { loadSuite } from '../../quality/suite';
import { runStep } from '../../runtime';
import { dateRange } from '../../dates';
import type { QualityGateArgs } from './command';
import { resolveSource, runGate } from './gate';

/**
 * quality-gate: validates each date of --dt..--to against a suite. Exit 0 when every date passes;
 * GateFailedError (exit 1) when a critical expectation fails, after the report, the quarantine
 * export, the history rows and ONE mail for the whole run (a digest of every failed date) are written. The step result carries the summary and the
 * report URI so Airflow's failure mail can quote them.
 */
export async function run(args: QualityGateArgs) {
  return runStep(
    'quality-gate',
    args,
    async (ctx) => {
      // One Airflow run gates several stages under one run id: the suite keeps their results apart.
      ctx.result.result.variant = path.basename(args.suite, '.json');
      const suite = loadSuite(args.suite);
      const template = args.source ?? (suite.meta.source as string | undefined);
      if (!template) throw new ConfigError(`suite ${suite.name} has no meta.source: pass --source`);
      ctx.result.result.dataset = args.dataset;
      ctx.result.result.details.suite = suite.name;
      ctx.result.result.details.stage = suite.meta.stage ?? suite.name;
      const s3 = createS3Client(ctx.config);
      let pool: Pool | undefined;
      const getPool = () => (pool ??= createPool(ctx.config, 2));
      const summaries: GateSummary[] = [];
      const failures: GateFailure[] = [];
      try {
        for (const dt of dateRange(args.dt!, args.to ?? args.dt!)) {
          ctx.throwIfStopped();
          const source = resolveSource(template, ctx.config.s3.bucket, args.dataset, dt);
          ctx.logger.info({ suite: suite.name, dt, source }, 'validating');
          const out = await runGate(ctx, s3, getPool, { suite, dt, dataset: args.dataset, source }, args.history);
          summaries.push(out.summary);
          const stats = out.validation.result.statistics;
          ctx.result.count('rows', out.validation.rows).count('failing_rows', out.validation.failingRows);
          ctx.result
            .count('expectations', stats.evaluated_expectations)
            .count('failed_expectations', stats.unsuccessful_expectations);
          ctx.logger[out.summary.success ? 'info' : 'warn'](
            { dt, success: out.summary.success, failed: out.summary.failed.length, report: out.summary.reportUri },
            out.summary.success ? 'gate passed' : 'gate failed',
          );
          // Only the attached reports are kept in memory (a 91-day backfill may fail every day).
          if (!out.summary.success)
            failures.push({ summary: out.summary, html: failures.length < MAX_ATTACHED_REPORTS ? out.html : '' });
        }
        // One mail per run: a range lists every failed date in one digest.
        if (failures.length && args.mail) {
          const mailer = createMailer(ctx.config);
          try {
            const subject = await sendGateDigest(
              mailer,
              ctx.config.smtp.from,
              ctx.config.smtp.to,
              failures,
              summaries.length,
            );
            ctx.logger.info({ to: ctx.config.smtp.to, subject, dates: failures.length }, 'failure mail sent');
          } finally {
            mailer.close();
          }
        }
      } finally {
        s3.destroy();
        await pool?.end();
      }
      const failed = summaries.filter((s) => !s.success);
      ctx.result.result.details.summary = summaries.length === 1 ? summaries[0] : summaries;
      ctx.result.result.details.reportUri =
        summaries.length === 1 ? summaries[0]!.reportUri : summaries.map((s) => s.reportUri);
      if (failed.length) {
        const first = failed[0]!;
        const what = first.failed
          .filter((f) => f.severity === 'critical')
          .map((f) => `#${f.index} ${f.type}${f.columns ? `(${f.columns})` : ''}`);
        throw new GateFailedError(
          `quality gate ${suite.name} failed for ${failed.map((f) => f.dt).join(', ')}: ${what.join('; ')}; report ${first.reportUri}`,
          { details: { summary: ctx.result.result.details.summary, reportUri: ctx.result.result.details.reportUri } },
        );
      }
      return summaries;
    },
    { writeResult: true },
  );
}
