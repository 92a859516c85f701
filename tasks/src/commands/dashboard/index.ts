import path from 'node:path';
import { createPool } from '../../clients/db';
import { createS3Client } from '../../clients/s3';
import { buildEnv, buildSite } from '../../dashboards/build';
import { martCoverage } from '../../dashboards/marts';
import { siteFiles, uploadSite } from '../../dashboards/upload';
import { stackHome } from '../../paths';
import { runStep } from '../../runtime';
import { checkSchemaName } from '../../warehouse/model/migrations';
import type { DashboardArgs } from './command';

/** `reports/dashboard/dataset=<id>/`: where the built site of a dataset lives in S3. */
export const dashboardPrefix = (dataset: string) => `reports/dashboard/dataset=${dataset}/`;

/** dashboard: checks the marts hold the dataset, builds the site from them, uploads it. */
export async function run(args: DashboardArgs) {
  return runStep(
    'dashboard',
    args,
    async (ctx) => {
      const { config, logger } = ctx;
      ctx.result.result.dataset = args.dataset;
      const martsSchema = checkSchemaName(args.martsSchema ?? 'marts');
      const pool = createPool(config, 1);
      let coverage;
      try {
        coverage = await martCoverage(pool, args.dataset, martsSchema);
      } finally {
        await pool.end();
      }
      ctx.result.input({ uri: `warehouse://${martsSchema}?dataset=${args.dataset}`, rows: coverage.days });
      logger.info({ ...coverage }, 'marts found; building the site');
      // The stack's folder: .local/ in a checkout, /tmp/sales-pipeline in an image (STACK_HOME).
      const out = path.resolve(args.out ?? path.join(stackHome, 'dashboard', `dataset=${args.dataset}`));
      const started = Date.now();
      await buildSite(buildEnv(config, { dataset: args.dataset, martsSchema }, out), out, logger, ctx.signal);
      const files = siteFiles(out);
      ctx.result.count('files', files.length).count('pages', files.filter((f) => f.endsWith('.html')).length);
      Object.assign(ctx.result.result.details, { coverage, buildMs: Date.now() - started, out });
      ctx.result.output({ uri: `file://${out}/index.html` });
      if (args.upload) {
        const s3 = createS3Client(config);
        try {
          const prefix = dashboardPrefix(args.dataset);
          const uploaded = await uploadSite(s3, config.s3.bucket, out, prefix);
          ctx.result.output({ uri: `s3://${config.s3.bucket}/${prefix}index.html`, bytes: uploaded.bytes });
          logger.info({ ...uploaded, prefix }, 'site uploaded');
        } finally {
          s3.destroy();
        }
      }
      process.stderr.write(`dashboard: ${out}/index.html (serve it with make dashboard)\n`);
      return { coverage, out };
    },
    { writeResult: true },
  );
}
