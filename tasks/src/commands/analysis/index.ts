import { createPool } from '../../clients/db';
import { createS3Client } from '../../clients/s3';
import { buildMarts } from '../../analysis/build';
import { describeDays } from '../../analysis/coverage';
import { reportCharts } from '../../analysis/report/charts';
import { findings, headline } from '../../analysis/report/findings';
import { publishReport, reportPrefix } from '../../analysis/report/publish';
import { readReportData } from '../../analysis/report/read';
import { renderHtml, renderMarkdown } from '../../analysis/report/render';
import { runStep } from '../../runtime';
import { checkSchemaName } from '../../warehouse/model/migrations';
import type { AnalysisArgs } from './command';

/**
 * analysis: rebuilds the dataset's marts (one transaction), then reads them back to write the
 * findings report of --to (or --dt). Exit 1 when the dataset or a requested day has no facts.
 */
export async function run(args: AnalysisArgs) {
  return runStep(
    'analysis',
    args,
    async (ctx) => {
      const { config, logger } = ctx;
      const dt = args.dt!;
      const to = args.to ?? dt;
      const warehouseSchema = checkSchemaName(args.schema ?? config.warehouse.schema);
      const martsSchema = checkSchemaName(args.martsSchema ?? 'marts');
      ctx.result.result.dataset = args.dataset;
      const pool = createPool(config, 1);
      const s3 = createS3Client(config);
      try {
        const built = await buildMarts(pool, {
          dataset: args.dataset,
          dt,
          to,
          warehouseSchema,
          martsSchema,
          runId: config.runId,
          dialect: config.profile === 'aws' ? 'redshift' : 'postgres',
          logger,
          throwIfStopped: () => ctx.throwIfStopped(),
        });
        for (const m of built.marts) ctx.result.count(`rows.${m.mart}`, m.rows);
        ctx.result.count('fact_lines', built.factLines);
        Object.assign(ctx.result.result.details, {
          martsSchema,
          range: built.range,
          gaps: built.gaps,
          realisedRevenue: built.realisedRevenue,
          marts: built.marts,
        });
        for (const m of built.marts) ctx.result.output({ uri: `table:${martsSchema}.${m.mart}`, rows: m.rows });
        if (!args.report) return built;
        const client = await pool.connect();
        let data;
        try {
          await client.query(`set search_path to ${martsSchema}, ${warehouseSchema}`);
          data = await readReportData(client, args.dataset, to);
        } finally {
          client.release();
        }
        const head = headline(data);
        const sections = findings(data);
        const charts = reportCharts(data);
        const meta = {
          dataset: args.dataset,
          runId: config.runId,
          builtAt: new Date().toISOString(),
          range: built.range,
          gaps: describeDays(built.gaps),
        };
        const published = await publishReport(s3, config.s3.bucket, reportPrefix(args.dataset, to), {
          markdown: renderMarkdown(meta, head, sections, charts),
          html: renderHtml(meta, head, sections, charts),
          charts,
        });
        ctx.result.output({ uri: published.htmlUri, bytes: published.bytes }).output({ uri: published.markdownUri });
        Object.assign(ctx.result.result.details, { headline: head, reportUri: published.htmlUri });
        logger.info({ report: published.htmlUri, charts: charts.length }, 'findings report written');
        return built;
      } finally {
        s3.destroy();
        await pool.end();
      }
    },
    { writeResult: true },
  );
}
