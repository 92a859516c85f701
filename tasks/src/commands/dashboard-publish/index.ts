import { QuickSightClient } from '@aws-sdk/client-quicksight';
import type { Config } from '../../config';
import { loadDefinitions } from '../../dashboards/quicksight/definitions';
import { publish, type PublishOptions } from '../../dashboards/quicksight/publish';
import { ConfigError } from '../../errors';
import { runStep } from '../../runtime';
import type { DashboardPublishArgs } from './command';

/**
 * The publisher's settings from the environment, every problem at once.
 * @throws ConfigError under the local profile (QuickSight has no local stand-in) or when a setting is missing.
 */
export function publishOptions(config: Config, env: NodeJS.ProcessEnv = process.env): PublishOptions {
  if (config.profile !== 'aws') {
    throw new ConfigError(
      'dashboard-publish publishes to Amazon QuickSight and runs only with --profile aws; ' +
        'locally the dashboards are the Observable site (make dashboard)',
    );
  }
  const problems: string[] = [];
  const need = (name: string, pattern: RegExp, what: string) => {
    const v = env[name]?.trim();
    if (!v || !pattern.test(v)) problems.push(`${name} must be ${what}${v ? `, got "${v}"` : ''}`);
    return v ?? '';
  };
  const accountId = need('QUICKSIGHT_ACCOUNT_ID', /^\d{12}$/, 'the 12-digit AWS account id');
  const principalArn = need(
    'QUICKSIGHT_PRINCIPAL_ARN',
    /^arn:aws[a-z-]*:quicksight:/,
    'a QuickSight user or group ARN',
  );
  const secretArn = need(
    'QUICKSIGHT_SECRET_ARN',
    /^arn:aws[a-z-]*:secretsmanager:/,
    "the Secrets Manager ARN of QuickSight's warehouse login",
  );
  if (!config.warehouse.host) problems.push('PGHOST (the Redshift endpoint) must be set');
  if (problems.length) throw new ConfigError(`dashboard-publish: ${problems.join('; ')}`);
  return {
    accountId,
    principalArn,
    region: env.QUICKSIGHT_REGION ?? config.s3.region,
    vars: {
      WarehouseHost: config.warehouse.host,
      WarehousePort: String(config.warehouse.port),
      WarehouseDatabase: config.warehouse.database,
      WarehouseSchema: config.warehouse.schema,
      WarehouseSecretArn: secretArn,
    },
  };
}

/** dashboard-publish: the QuickSight mirror of the site's pages, created or updated idempotently. */
export async function run(args: DashboardPublishArgs) {
  return runStep(
    'dashboard-publish',
    args,
    async (ctx) => {
      const options = publishOptions(ctx.config);
      const defs = loadDefinitions(args.definitions);
      const client = new QuickSightClient({
        region: options.region,
        ...(process.env.QUICKSIGHT_ENDPOINT ? { endpoint: process.env.QUICKSIGHT_ENDPOINT } : {}),
      });
      try {
        const outcomes = await publish(client, defs, options, ctx.logger);
        for (const o of outcomes) ctx.result.count(o.action, 1);
        ctx.result.result.details.published = outcomes;
        ctx.result.output({
          uri: `quicksight://${options.region}/${options.accountId}/dashboards/${defs.dashboard.DashboardId}`,
        });
        return outcomes;
      } finally {
        client.destroy();
      }
    },
    { writeResult: true },
  );
}
